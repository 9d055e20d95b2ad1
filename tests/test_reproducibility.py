"""The same ``random_state`` gives bit-identical models, in and across processes.

For every solver, with and without dropout, for both estimators: two fits with
the same seed give identical ``coefs_``, ``intercepts_``, ``loss_curve_`` and
predictions, bit for bit; two fresh Python processes (with different hash
seeds) compute the same fingerprint of those arrays as this process does.
A different seed gives a different model, so none of this is vacuous.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from skreg import RegularizedMLPClassifier, RegularizedMLPRegressor

# Run as is in this process and, through ``python -c``, in fresh ones: the
# fingerprints must come from the very same code.
FINGERPRINT_SCRIPT = r"""
import hashlib
import warnings

import numpy as np
import scipy.sparse as sp

from skreg import RegularizedMLPClassifier, RegularizedMLPRegressor

CONFIGS = {
    "adam": {"solver": "adam"},
    "adam-dropout": {"solver": "adam", "dropout": 0.5},
    "adam-l1-early-stopping": {
        "solver": "adam", "penalty": "l1", "alpha": 1e-2, "early_stopping": True,
    },
    "sgd": {"solver": "sgd", "learning_rate_init": 0.05},
    "sgd-dropout-elasticnet": {
        "solver": "sgd", "dropout": [0.3, 0.5], "hidden_layer_sizes": (6, 4),
        "penalty": "elasticnet", "learning_rate_init": 0.05,
    },
    "lbfgs": {"solver": "lbfgs"},
    "lbfgs-l1": {"solver": "lbfgs", "penalty": "l1", "alpha": 1e-2},
}


def data(kind):
    rng = np.random.RandomState(42)
    X = rng.standard_normal((60, 5))
    if kind == "classifier":
        y = (X[:, 0] + X[:, 1] ** 2 > 1).astype(int) + (X[:, 2] > 0.5)
    else:
        y = X[:, 0] - 2 * X[:, 1] * X[:, 2] + 0.1 * rng.standard_normal(60)
    return X, y


def fit(kind, name, random_state=0, sparse=False):
    Estimator = (
        RegularizedMLPClassifier if kind == "classifier" else RegularizedMLPRegressor
    )
    params = {"hidden_layer_sizes": (8,), "max_iter": 25, "random_state": random_state}
    params.update(CONFIGS[name])
    X, y = data(kind)
    if sparse:
        X = sp.csr_matrix(X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Estimator(**params).fit(X, y), X


def fingerprint(estimator, X):
    digest = hashlib.sha256()
    for array in estimator.coefs_ + estimator.intercepts_:
        digest.update(np.ascontiguousarray(array).tobytes())
    digest.update(np.asarray(estimator.loss_curve_, dtype=np.float64).tobytes())
    outputs = (
        estimator.predict_proba(X)
        if hasattr(estimator, "predict_proba")
        else estimator.predict(X)
    )
    digest.update(np.ascontiguousarray(outputs).tobytes())
    return digest.hexdigest()


def all_fingerprints():
    return {
        f"{kind}/{name}": fingerprint(*fit(kind, name))
        for kind in ("classifier", "regressor")
        for name in CONFIGS
    }


if __name__ == "__main__":
    for key, value in sorted(all_fingerprints().items()):
        print(key, value)
"""

_namespace: dict = {"__name__": "fingerprints"}
exec(compile(FINGERPRINT_SCRIPT, "<fingerprints>", "exec"), _namespace)
CONFIGS = _namespace["CONFIGS"]
fit = _namespace["fit"]
fingerprint = _namespace["fingerprint"]
all_fingerprints = _namespace["all_fingerprints"]

KINDS = ["classifier", "regressor"]


def _assert_identical(a, b, X):
    for name in ("coefs_", "intercepts_"):
        for left, right in zip(getattr(a, name), getattr(b, name), strict=True):
            np.testing.assert_array_equal(left, right, err_msg=name)
    assert a.loss_curve_ == b.loss_curve_
    assert a.n_iter_ == b.n_iter_
    np.testing.assert_array_equal(a.predict(X), b.predict(X))
    if hasattr(a, "predict_proba"):
        np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))


@pytest.mark.parametrize("name", list(CONFIGS))
@pytest.mark.parametrize("kind", KINDS)
def test_same_seed_same_model_in_process(kind, name):
    first, X = fit(kind, name)
    second, _ = fit(kind, name)
    _assert_identical(first, second, X)
    assert fingerprint(first, X) == fingerprint(second, X)


@pytest.mark.parametrize("name", ["adam-dropout", "sgd-dropout-elasticnet"])
@pytest.mark.parametrize("kind", KINDS)
def test_same_seed_same_model_on_sparse_data(kind, name):
    first, X = fit(kind, name, sparse=True)
    second, _ = fit(kind, name, sparse=True)
    _assert_identical(first, second, X)


@pytest.mark.parametrize("name", list(CONFIGS))
@pytest.mark.parametrize("kind", KINDS)
def test_other_seed_other_model(kind, name):
    first, X = fit(kind, name, random_state=0)
    other, _ = fit(kind, name, random_state=1)
    assert not np.array_equal(first.coefs_[0], other.coefs_[0])
    assert fingerprint(first, X) != fingerprint(other, X)


@pytest.mark.parametrize(
    "Estimator", [RegularizedMLPClassifier, RegularizedMLPRegressor]
)
def test_refit_of_one_estimator_is_identical(Estimator):
    """Fitting the same object twice does not carry state between fits."""
    X, y = _namespace["data"](
        "classifier" if Estimator is RegularizedMLPClassifier else "regressor"
    )
    estimator = Estimator(
        hidden_layer_sizes=(8,), dropout=0.5, max_iter=10, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        estimator.fit(X, y)
        coefs = [c.copy() for c in estimator.coefs_]
        curve = list(estimator.loss_curve_)
        estimator.fit(X, y)
    for a, b in zip(coefs, estimator.coefs_, strict=True):
        np.testing.assert_array_equal(a, b)
    assert curve == estimator.loss_curve_


def _fingerprints_in_subprocess(hash_seed):
    env = {**os.environ, "PYTHONHASHSEED": str(hash_seed)}
    result = subprocess.run(
        [sys.executable, "-c", FINGERPRINT_SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return dict(line.split() for line in result.stdout.splitlines())


@pytest.mark.slow
def test_same_seed_same_model_across_processes():
    first = _fingerprints_in_subprocess(hash_seed=1)
    second = _fingerprints_in_subprocess(hash_seed=2)
    here = all_fingerprints()
    assert len(here) == 2 * len(CONFIGS)
    assert first == second
    assert first == here
