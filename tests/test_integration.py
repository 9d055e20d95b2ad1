"""skreg inside the scikit-learn ecosystem.

The estimators work in ``Pipeline`` + ``GridSearchCV`` (with parallel jobs)
over the new parameters (penalty, alpha, dropout), with ``clone`` and
``cross_val_score``; they survive pickle and joblib round trips with identical
predictions for every solver and penalty; ``partial_fit`` exists exactly for
the stochastic solvers; ``warm_start`` continues from the previous weights;
pandas input records ``feature_names_in_``; and the HTML repr renders.
"""

import io
import pickle

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification, make_regression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from skreg import RegularizedMLPClassifier, RegularizedMLPRegressor

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

SOLVERS = ["lbfgs", "sgd", "adam"]
PENALTIES = [None, "l1", "l2", "elasticnet"]
FAST = dict(hidden_layer_sizes=(8,), max_iter=60, learning_rate_init=0.02)


@pytest.fixture(scope="module")
def classification_data():
    X, y = make_classification(
        n_samples=150, n_features=6, n_informative=4, n_classes=3, random_state=0
    )
    return X * 10 + 3, y  # unscaled on purpose: the pipeline scales


@pytest.fixture(scope="module")
def regression_data():
    X, y = make_regression(n_samples=150, n_features=6, noise=2.0, random_state=0)
    return X * 10 + 3, y / y.std()


def _data(Estimator, classification_data, regression_data):
    if Estimator is RegularizedMLPClassifier:
        return classification_data
    return regression_data


ESTIMATORS = [RegularizedMLPClassifier, RegularizedMLPRegressor]


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_grid_search_in_pipeline(Estimator, classification_data, regression_data):
    X, y = _data(Estimator, classification_data, regression_data)
    pipe = Pipeline(
        [("scale", StandardScaler()), ("mlp", Estimator(random_state=0, **FAST))]
    )
    grid = {
        "mlp__penalty": ["l1", "l2"],
        "mlp__alpha": [1e-4, 1e-2],
        "mlp__dropout": [0.0, 0.2],
    }
    search = GridSearchCV(pipe, grid, cv=3, n_jobs=2).fit(X, y)
    assert len(search.cv_results_["params"]) == 8
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert search.best_params_ in search.cv_results_["params"]
    best = search.best_estimator_.named_steps["mlp"]
    for name, value in search.best_params_.items():
        assert best.get_params()[name.removeprefix("mlp__")] == value
    assert search.predict(X).shape == y.shape
    assert search.score(X, y) > (0.6 if Estimator is RegularizedMLPClassifier else 0.5)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_cross_val_score(Estimator, classification_data, regression_data):
    X, y = _data(Estimator, classification_data, regression_data)
    est = make_pipeline(
        StandardScaler(),
        Estimator(penalty="elasticnet", alpha=1e-3, random_state=0, **FAST),
    )
    scores = cross_val_score(est, X, y, cv=3)
    assert scores.shape == (3,)
    assert np.all(np.isfinite(scores))
    assert scores.mean() > (0.6 if Estimator is RegularizedMLPClassifier else 0.5)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_clone(Estimator, classification_data, regression_data):
    X, y = _data(Estimator, classification_data, regression_data)
    est = Estimator(penalty="l1", alpha=0.01, l1_ratio=0.3, dropout=(0.2,), **FAST)
    est.fit(X, y)
    copy = clone(est)
    assert copy.get_params() == est.get_params()
    assert not hasattr(copy, "coefs_")
    # clone does not share fitted state or mutable parameters.
    copy.set_params(dropout=(0.5,)).fit(X, y)
    assert est.dropout == (0.2,)


def _fitted(Estimator, solver, penalty, X, y):
    params = dict(solver=solver, penalty=penalty, alpha=1e-3, random_state=0, **FAST)
    if solver != "lbfgs":
        params["dropout"] = 0.2
    return Estimator(**params).fit(X, y)


def _predictions(est, X):
    out = [est.predict(X)]
    if hasattr(est, "predict_proba"):
        out.append(est.predict_proba(X))
    return out


@pytest.mark.parametrize("penalty", PENALTIES)
@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_pickle_and_joblib_round_trips(
    Estimator, solver, penalty, classification_data, regression_data
):
    X, y = _data(Estimator, classification_data, regression_data)
    X = StandardScaler().fit_transform(X)
    est = _fitted(Estimator, solver, penalty, X, y)
    expected = _predictions(est, X)

    unpickled = pickle.loads(pickle.dumps(est))
    buffer = io.BytesIO()
    joblib.dump(est, buffer)
    buffer.seek(0)
    unjoblibbed = joblib.load(buffer)

    for copy in (unpickled, unjoblibbed):
        assert type(copy) is Estimator
        assert copy.get_params() == est.get_params()
        for a, b in zip(copy.coefs_, est.coefs_, strict=True):
            assert np.array_equal(a, b)
        for got, want in zip(_predictions(copy, X), expected, strict=True):
            assert np.array_equal(got, want)


def test_unpickled_model_keeps_training(classification_data):
    """The copy carries the training state: partial_fit continues identically."""
    X, y = classification_data
    X = StandardScaler().fit_transform(X)
    est = RegularizedMLPClassifier(
        solver="adam", penalty="l1", dropout=0.2, random_state=0, **FAST
    ).fit(X, y)
    copy = pickle.loads(pickle.dumps(est))
    est.partial_fit(X, y)
    copy.partial_fit(X, y)
    for a, b in zip(copy.coefs_, est.coefs_, strict=True):
        assert np.array_equal(a, b)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_partial_fit_only_for_stochastic_solvers(
    Estimator, solver, classification_data, regression_data
):
    X, y = _data(Estimator, classification_data, regression_data)
    X = StandardScaler().fit_transform(X)
    est = Estimator(solver=solver, random_state=0, **FAST)
    if solver == "lbfgs":
        assert not hasattr(est, "partial_fit")
        with pytest.raises(AttributeError, match="partial_fit"):
            est.partial_fit(X, y)
        return

    assert hasattr(est, "partial_fit")
    kwargs = {"classes": np.unique(y)} if Estimator is RegularizedMLPClassifier else {}
    losses = []
    for _ in range(15):
        est.partial_fit(X, y, **kwargs)
        losses.append(est.loss_)
    assert est.n_iter_ == 1
    assert len(est.loss_curve_) == 15
    assert losses[-1] < losses[0]
    assert est.predict(X).shape == y.shape


def test_partial_fit_batches_of_classes(classification_data):
    """Classes declared up front; a batch may miss some of them."""
    X, y = classification_data
    X = StandardScaler().fit_transform(X)
    est = RegularizedMLPClassifier(random_state=0, **FAST)
    est.partial_fit(X[y != 2], y[y != 2], classes=[0, 1, 2])
    est.partial_fit(X, y)
    assert list(est.classes_) == [0, 1, 2]
    assert est.predict_proba(X).shape == (len(y), 3)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_warm_start_continues_from_previous_coefs(
    Estimator, classification_data, regression_data
):
    X, y = _data(Estimator, classification_data, regression_data)
    X = StandardScaler().fit_transform(X)
    lr = 1e-3
    params = dict(
        hidden_layer_sizes=(8,),
        solver="adam",
        penalty=None,
        learning_rate_init=lr,
        batch_size=50,
        random_state=0,
    )
    est = Estimator(warm_start=True, max_iter=50, **params).fit(X, y)
    previous = [coef.copy() for coef in est.coefs_]
    cold_start = Estimator(max_iter=50, **params).fit(X, y)

    est.set_params(max_iter=1).fit(X, y)
    # One epoch of Adam is 3 steps of at most about lr per weight.
    for new, old in zip(est.coefs_, previous, strict=True):
        assert not np.array_equal(new, old)
        assert np.abs(new - old).max() <= 3 * lr * 1.5

    # Without warm start, the same one-epoch fit starts again from scratch.
    cold_start.set_params(max_iter=1).fit(X, y)
    distance = max(
        np.abs(a - b).max() for a, b in zip(cold_start.coefs_, previous, strict=True)
    )
    assert distance > 10 * 3 * lr


def test_warm_start_lbfgs_starts_at_the_solution(regression_data):
    X, y = regression_data
    X = StandardScaler().fit_transform(X)
    est = RegularizedMLPRegressor(
        hidden_layer_sizes=(8,), solver="lbfgs", warm_start=True, random_state=0
    ).fit(X, y)
    loss, n_iter = est.loss_, est.n_iter_
    previous = [coef.copy() for coef in est.coefs_]
    est.fit(X, y)
    assert est.loss_ <= loss
    # Started at the previous solution: little or nothing left to do.
    assert est.n_iter_ < n_iter / 4
    for new, old in zip(est.coefs_, previous, strict=True):
        np.testing.assert_allclose(new, old, atol=1e-2)


def test_warm_start_rejects_a_different_architecture(regression_data):
    X, y = regression_data
    est = RegularizedMLPRegressor(
        warm_start=True, random_state=0, solver="adam", **FAST
    ).fit(X, y)
    with pytest.raises(ValueError, match="warm_start"):
        est.set_params(hidden_layer_sizes=(5,)).fit(X, y)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_dataframe_input_sets_feature_names(
    Estimator, classification_data, regression_data
):
    X, y = _data(Estimator, classification_data, regression_data)
    columns = [f"feature_{i}" for i in range(X.shape[1])]
    frame = pd.DataFrame(StandardScaler().fit_transform(X), columns=columns)
    est = Estimator(random_state=0, **FAST).fit(frame, pd.Series(y))
    np.testing.assert_array_equal(est.feature_names_in_, columns)
    assert est.n_features_in_ == X.shape[1]
    with pytest.warns(UserWarning, match="feature names"):
        from_array = est.predict(frame.to_numpy())
    np.testing.assert_array_equal(est.predict(frame), from_array)
    with pytest.raises(ValueError, match="feature names"):
        est.predict(frame.rename(columns={"feature_0": "other"}))


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_html_repr(Estimator):
    est = Estimator(penalty="elasticnet", dropout=0.1)
    html = est._repr_html_()
    assert Estimator.__name__ in html
    assert "dropout" in html  # non-default parameters are shown
    pipe_html = make_pipeline(StandardScaler(), est)._repr_html_()
    assert Estimator.__name__ in pipe_html


@pytest.mark.parametrize(
    "y",
    [
        np.array([0, 1, 1, 0, 1, 0]),
        np.array(["no", "yes", "yes", "no", "yes", "no"]),
        np.array([2, 0, 1, 2, 2, 1]),
        np.array(["b", "a", "c", "a", "c", "b"]),
        np.array([[0, 1, 1], [1, 0, 1], [0, 0, 1], [1, 1, 0], [0, 1, 0], [1, 0, 0]]),
    ],
    ids=["binary", "binary-str", "multiclass", "multiclass-str", "multilabel"],
)
def test_target_indicators_match_label_binarizer(y):
    # The classifier encodes binary and multiclass targets itself (to avoid
    # an integer matrix); the result must be LabelBinarizer's, also for a
    # partial_fit batch that lacks some classes.
    X = np.arange(12.0).reshape(6, 2)
    clf = RegularizedMLPClassifier(hidden_layer_sizes=(3,), max_iter=1).fit(X, y)
    for rows in (slice(None), slice(1, 3)):
        expected = clf._label_binarizer.transform(y[rows]).astype(bool)
        np.testing.assert_array_equal(clf._indicators(y[rows]), expected)
