"""Property-based tests: any valid small problem trains and predicts cleanly.

Hypothesis draws the shape (2..30 samples, 1..6 features), the dtype
(float32, float64, int64), the format (dense, CSR, CSC), the scale of the
features (sometimes 1e6, to exercise overflow paths), the target kind
(binary, multiclass, multilabel, regression, multi-output regression, Poisson
counts) and the model (penalty, dropout, solver, activation, hidden layers,
including none). For each draw:

- ``fit``, ``predict`` and ``predict_proba`` raise nothing but ``ValueError``
  and let no NumPy ``RuntimeWarning`` (overflow, invalid value, ...) escape;
  ``ConvergenceWarning`` is allowed;
- fitted parameters and all outputs are finite;
- outputs have the right shape and dtype: float32 data gives float32
  ``coefs_``, ``intercepts_``, regression predictions and probabilities.

The examples are derandomized so that CI sees the same ones on every run.
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse as sp
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning

from skreg import RegularizedMLPClassifier, RegularizedMLPRegressor

TARGETS = [
    "binary",
    "multiclass",
    "multilabel",
    "regression",
    "multi-output",
    "poisson",
]


@st.composite
def problems(draw):
    """A small data set and a model for it, both valid."""
    n_samples = draw(st.integers(2, 30))
    n_features = draw(st.integers(1, 6))
    dtype = draw(st.sampled_from([np.float32, np.float64, np.int64]))
    layout = draw(st.sampled_from(["dense", "csr", "csc"]))
    # Mostly unit scale; now and then huge features to push the network
    # towards overflow (exp, matmul, squares).
    scale = draw(st.sampled_from([1.0, 1.0, 1.0, 1e-3, 1e3, 1e6]))
    target = draw(st.sampled_from(TARGETS))
    seed = draw(st.integers(0, 2**16))

    rng = np.random.RandomState(seed)
    X = rng.standard_normal((n_samples, n_features)) * scale
    if dtype is np.int64:
        X = np.round(X)
    X = X.astype(dtype)
    if layout != "dense":
        X = getattr(sp, f"{layout}_matrix")(X)

    if target in ("binary", "multiclass"):
        n_classes = 2 if target == "binary" else min(3, n_samples)
        y = rng.randint(0, n_classes, n_samples)
        y[:n_classes] = np.arange(n_classes)  # every class appears
    elif target == "multilabel":
        y = rng.randint(0, 2, (n_samples, 2))
    elif target == "regression":
        y = rng.standard_normal(n_samples) * draw(st.sampled_from([1.0, 1e4]))
    elif target == "multi-output":
        y = rng.standard_normal((n_samples, 2))
    else:
        y = rng.poisson(3.0, n_samples).astype(float)

    solver = draw(st.sampled_from(["lbfgs", "sgd", "adam"]))
    # Dropout is only allowed with the stochastic solvers.
    dropout = 0.0 if solver == "lbfgs" else draw(st.sampled_from([0.0, 0.5]))
    params = {
        "hidden_layer_sizes": draw(st.sampled_from([(), (3,), (4, 2)])),
        "activation": draw(st.sampled_from(["identity", "logistic", "tanh", "relu"])),
        "solver": solver,
        "penalty": draw(st.sampled_from([None, "l1", "l2", "elasticnet"])),
        "alpha": draw(st.sampled_from([1e-4, 1e-2])),
        "dropout": dropout,
        "max_iter": 8,
        "random_state": draw(st.integers(0, 100)),
    }
    if target in ("binary", "multiclass", "multilabel"):
        estimator = RegularizedMLPClassifier(**params)
    else:
        loss = "poisson" if target == "poisson" else "squared_error"
        estimator = RegularizedMLPRegressor(loss=loss, **params)
    return estimator, X, y, target


def _check_outputs(estimator, X, y, target):
    n_samples = X.shape[0]
    float32 = X.dtype == np.float32
    expected_dtype = np.float32 if float32 else np.float64

    for array in estimator.coefs_ + estimator.intercepts_:
        assert array.dtype == expected_dtype
        assert np.isfinite(array).all()

    prediction = estimator.predict(X)
    assert prediction.shape == np.shape(y)
    if isinstance(estimator, RegularizedMLPRegressor):
        assert prediction.dtype == expected_dtype
        assert np.isfinite(prediction).all()
        if target == "poisson":
            assert (prediction >= 0).all()
        return

    labels = [0, 1] if target == "multilabel" else estimator.classes_
    assert np.isin(prediction, labels).all()
    proba = estimator.predict_proba(X)
    n_columns = y.shape[1] if target == "multilabel" else len(estimator.classes_)
    assert proba.shape == (n_samples, n_columns)
    assert proba.dtype == expected_dtype
    assert np.isfinite(proba).all()
    assert ((proba >= 0) & (proba <= 1)).all()
    if target != "multilabel":
        np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)


def _known_case(estimator, X, y, target):
    """An explicit example: a problem that once broke one of the properties."""
    return (estimator, X, y, target)


# Found by this test (shrunk by Hypothesis) and kept so that they run whatever
# examples the generator happens to produce.
POISSON_FLOAT32_LARGE_FEATURES = _known_case(
    RegularizedMLPRegressor(
        loss="poisson",
        hidden_layer_sizes=(),
        activation="identity",
        solver="lbfgs",
        penalty=None,
        max_iter=8,
        random_state=0,
    ),
    np.array([[1764.0524], [400.1572]], dtype=np.float32),
    np.array([4.0, 7.0]),
    "poisson",
)
SGD_HUGE_FEATURES = _known_case(
    RegularizedMLPClassifier(
        hidden_layer_sizes=(3,),
        activation="identity",
        solver="sgd",
        max_iter=8,
        random_state=0,
    ),
    np.array([[1.7640524e06], [4.0015722e05]], dtype=np.float32),
    np.array([0, 1]),
    "binary",
)


# About 10 ms per example: 100 of them cost a few seconds and find far more
# than 40 do.
@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(problems())
@example(POISSON_FLOAT32_LARGE_FEATURES)
@example(SGD_HUGE_FEATURES)
def test_fit_predict_never_fail_or_return_non_finite(problem):
    estimator, X, y, target = problem
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        try:
            estimator.fit(X, y)
        except ValueError as exc:
            # Allowed by the contract, but nothing in these problems is
            # invalid: record it so that the statistics show it.
            event(f"ValueError: {exc}")
            return
        _check_outputs(estimator, X, y, target)
