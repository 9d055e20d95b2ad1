"""scikit-learn's callbacks on the four estimators (scikit-learn >= 1.9), and
skreg without them (an older scikit-learn)."""

import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skreg import (
    RegularizedMLPClassifier,
    RegularizedMLPClassifierCV,
    RegularizedMLPRegressor,
)

callback = pytest.importorskip("sklearn.callback")
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


class Recorder:
    """A callback that records the tasks it sees and may stop after some."""

    def __init__(self, stop_after=None):
        self.stop_after = stop_after
        self.ended = []

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context, *, fitted_estimator=None):
        pass

    def on_fit_task_end(self, estimator, context, *, fitted_estimator=None):
        if context.task_name in ("epoch", "iteration") and fitted_estimator is None:
            return False  # the empty step L-BFGS opens after its last iteration
        self.ended.append((context.task_name, fitted_estimator))
        steps = sum(name != "fit" for name, _ in self.ended)
        return self.stop_after is not None and steps >= self.stop_after


def _data():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.mark.parametrize(
    "solver, step", [("adam", "epoch"), ("sgd", "epoch"), ("lbfgs", "iteration")]
)
def test_one_step_per_epoch_or_iteration(solver, step):
    X, y = _data()
    recorder = Recorder()
    est = RegularizedMLPClassifier(
        hidden_layer_sizes=(8,), solver=solver, max_iter=12, random_state=0
    ).set_callbacks(recorder)
    est.fit(X, y)
    names = [name for name, _ in recorder.ended]
    assert names == [step] * est.n_iter_ + ["fit"]
    # each step's fitted estimator predicts with that step's weights
    last = recorder.ended[-2][1]
    np.testing.assert_array_equal(last.predict_proba(X), est.predict_proba(X))
    first = recorder.ended[0][1]
    assert not np.array_equal(first.coefs_[0], est.coefs_[0])


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_a_callback_can_stop_training(solver):
    X, y = _data()
    est = RegularizedMLPClassifier(
        hidden_layer_sizes=(8,), solver=solver, max_iter=50, random_state=0
    ).set_callbacks(Recorder(stop_after=4))
    est.fit(X, y)
    assert est.n_iter_ == 4


def test_scoring_monitor_logs_every_epoch():
    X, y = _data()
    monitor = callback.ScoringMonitor(scoring="accuracy")
    est = RegularizedMLPRegressor(max_iter=7, random_state=0)
    est.set_callbacks(callback.ScoringMonitor(scoring="r2")).fit(X, y.astype(float))
    clf = RegularizedMLPClassifier(max_iter=9, random_state=0).set_callbacks(monitor)
    clf.fit(X, y)
    rows = [r for r in monitor.get_logs().data if r["task_name"] == "epoch"]
    assert len(rows) == clf.n_iter_ == 9
    assert all(0 <= r["accuracy"] <= 1 for r in rows)


def test_progress_bar_in_a_parallel_grid_search_over_a_pipeline(capsys):
    pytest.importorskip("rich")
    X, y = load_iris(return_X_y=True)
    pipe = make_pipeline(
        StandardScaler(), RegularizedMLPClassifier(max_iter=5, random_state=0)
    )
    search = GridSearchCV(
        pipe, {"regularizedmlpclassifier__alpha": [1e-4, 1e-2]}, cv=2, n_jobs=2
    )
    search.set_callbacks(callback.ProgressBar(max_propagation_depth=None))
    search.fit(X, y)
    out = capsys.readouterr().out
    assert "RegularizedMLPClassifier - fit" in out
    assert search.best_estimator_[-1].n_iter_ == 5


def test_cv_estimator_accepts_callbacks():
    X, y = _data()
    recorder = Recorder()
    est = RegularizedMLPClassifierCV(
        hidden_layer_sizes=(4,),
        param_grid={"alpha": [1e-4, 1e-2]},
        cv=2,
        max_iter=3,
        random_state=0,
    ).set_callbacks(recorder)
    est.fit(X, y)
    assert [name for name, _ in recorder.ended][-1] == "fit"


def test_without_sklearn_callback():
    """With a scikit-learn that has no sklearn.callback, skreg imports, fits and
    predicts as before, and has no set_callbacks."""
    script = textwrap.dedent(
        """
        import builtins

        real_import = builtins.__import__

        def without_callbacks(name, globals=None, *args, **kwargs):
            # skreg sees a scikit-learn without sklearn.callback (as before
            # 1.9); scikit-learn's own modules still import theirs
            importer = (globals or {}).get("__name__", "")
            if name.startswith("sklearn.callback") and importer.startswith("skreg"):
                raise ImportError("No module named 'sklearn.callback'")
            return real_import(name, globals, *args, **kwargs)

        builtins.__import__ = without_callbacks
        import numpy as np
        from sklearn.datasets import load_iris
        from skreg import RegularizedMLPClassifier, RegularizedMLPRegressorCV
        X, y = load_iris(return_X_y=True)
        clf = RegularizedMLPClassifier(max_iter=20, random_state=0).fit(X, y)
        import skreg._callbacks
        assert skreg._callbacks.CallbackSupportMixin.__module__ == "skreg._callbacks"
        assert not hasattr(clf, "set_callbacks")
        assert clf.score(X, y) > 0.5
        RegularizedMLPRegressorCV(param_grid={"alpha": [1e-4, 1e-2]}, cv=2,
                                  max_iter=5).fit(X, y.astype(float))
        print("ok")
        """
    )
    with warnings.catch_warnings():
        result = subprocess.run(
            [sys.executable, "-W", "ignore", "-c", script],
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
