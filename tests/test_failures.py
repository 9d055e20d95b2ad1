"""When training goes wrong, the user is told, and the model stays usable.

- Divergence (a huge ``learning_rate_init``): a warning that names
  ``learning_rate_init``, finite ``coefs_`` / ``intercepts_``, finite
  predictions and probabilities, and no NumPy ``RuntimeWarning`` noise.
- ``max_iter`` reached: ``ConvergenceWarning`` for adam, sgd and lbfgs.
- Overflow-prone inputs (features around 1e4 with the Poisson loss, saturated
  logistic units): no NumPy ``RuntimeWarning`` escapes, outputs stay finite.
- ``verbose``: one line per epoch (per iteration for lbfgs) with the
  iteration number, the objective, the validation score when early stopping,
  the fraction of zero weights and the elapsed time.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler

from skreg import RegularizedMLPClassifier, RegularizedMLPRegressor

ESTIMATORS = [RegularizedMLPClassifier, RegularizedMLPRegressor]


SOLVERS = ["adam", "sgd", "lbfgs"]


def _regression(n_samples=100, dtype=np.float64):
    X, y = make_regression(n_samples=n_samples, n_features=5, noise=1.0, random_state=0)
    return StandardScaler().fit_transform(X).astype(dtype), y


def _classification(n_samples=100, n_classes=3, dtype=np.float64):
    X, y = make_classification(
        n_samples=n_samples,
        n_features=5,
        n_informative=3,
        n_classes=n_classes,
        random_state=0,
    )
    return StandardScaler().fit_transform(X).astype(dtype), y


def _data(Estimator, **kwargs):
    if Estimator is RegularizedMLPClassifier:
        return _classification(**kwargs)
    return _regression(**kwargs)


def _outputs(estimator, X):
    """Everything a fitted model hands back for ``X``."""
    outputs = [np.asarray(estimator.predict(X), dtype=float)]
    if hasattr(estimator, "predict_proba"):
        outputs.append(estimator.predict_proba(X))
    return outputs


def _n_non_finite(array):
    return int(np.size(array) - np.count_nonzero(np.isfinite(array)))


def _assert_usable(estimator, X):
    for array in estimator.coefs_ + estimator.intercepts_:
        assert _n_non_finite(array) == 0, "non-finite parameters"
    assert np.isfinite(estimator.loss_), f"loss_ = {estimator.loss_}"
    assert _n_non_finite(estimator.loss_curve_) == 0, estimator.loss_curve_
    for output in _outputs(estimator, X):
        assert _n_non_finite(output) == 0, f"non-finite outputs:\n{output}"


def _runtime_warnings(record):
    return [
        f"{w.category.__name__}: {w.message} ({w.filename}:{w.lineno})"
        for w in record
        if issubclass(w.category, RuntimeWarning)
    ]


# -- divergence ------------------------------------------------------------------

# Each of these blows up within a few epochs: standardized data and a step
# size of 1e6 (with large targets, float32, or a deep linear network, which
# multiplies the growth of every layer).
DIVERGING = [
    pytest.param(
        RegularizedMLPRegressor,
        {"hidden_layer_sizes": (10,)},
        1e3,
        np.float64,
        id="regressor-large-targets",
    ),
    pytest.param(
        RegularizedMLPRegressor,
        {"hidden_layer_sizes": (10,)},
        1.0,
        np.float64,
        id="regressor",
    ),
    pytest.param(
        RegularizedMLPRegressor,
        {"hidden_layer_sizes": (10,)},
        1.0,
        np.float32,
        id="regressor-float32",
    ),
    pytest.param(
        RegularizedMLPClassifier,
        {"hidden_layer_sizes": (10,)},
        1.0,
        np.float32,
        id="classifier-float32",
    ),
    pytest.param(
        RegularizedMLPClassifier,
        {"hidden_layer_sizes": (10, 10), "activation": "identity"},
        1.0,
        np.float64,
        id="classifier-deep-linear",
    ),
]


def _fit_diverging(Estimator, params, y_scale, dtype):
    X, y = _data(Estimator, dtype=dtype)
    if Estimator is RegularizedMLPRegressor:
        y = y * y_scale
    estimator = Estimator(
        solver="sgd", learning_rate_init=1e6, max_iter=50, random_state=0, **params
    )
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        estimator.fit(X, y)
        outputs = _outputs(estimator, X)
    return estimator, X, outputs, record


@pytest.mark.parametrize("Estimator, params, y_scale, dtype", DIVERGING)
def test_divergence_warns_about_learning_rate_init(Estimator, params, y_scale, dtype):
    estimator, X, _, record = _fit_diverging(Estimator, params, y_scale, dtype)
    messages = [str(w.message) for w in record]
    assert any("learning_rate_init" in m for m in messages), messages
    # Training stopped early, it did not run to max_iter.
    assert estimator.n_iter_ < 50


@pytest.mark.parametrize("Estimator, params, y_scale, dtype", DIVERGING)
def test_divergence_leaves_a_usable_model(Estimator, params, y_scale, dtype):
    """The restored parameters, the loss and every prediction are finite."""
    estimator, X, outputs, _ = _fit_diverging(Estimator, params, y_scale, dtype)
    _assert_usable(estimator, X)


@pytest.mark.parametrize("Estimator, params, y_scale, dtype", DIVERGING)
def test_divergence_emits_no_numpy_runtime_warning(Estimator, params, y_scale, dtype):
    """The one warning about learning_rate_init is the whole story."""
    *_, record = _fit_diverging(Estimator, params, y_scale, dtype)
    assert _runtime_warnings(record) == []


def test_divergence_with_unscaled_features_keeps_predictions_finite():
    """Found by the property tests: default step, features around 1e3.

    The weights explode within an epoch; what is restored must still give
    finite probabilities on the very data it was trained on.
    """
    rng = np.random.RandomState(0)
    X = rng.standard_normal((16, 2)) * 1e3
    y = np.arange(16) % 3
    clf = RegularizedMLPClassifier(
        hidden_layer_sizes=(4, 2),
        activation="identity",
        solver="sgd",
        max_iter=20,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(X, y)
        proba = clf.predict_proba(X)
    assert np.isfinite(proba).all()


# -- max_iter ----------------------------------------------------------------------


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_max_iter_reached_warns(Estimator, solver):
    X, y = _data(Estimator)
    estimator = Estimator(
        hidden_layer_sizes=(10,), solver=solver, max_iter=2, tol=0.0, random_state=0
    )
    with pytest.warns(ConvergenceWarning, match=r"(?i)max(imum)?[ _]?iter"):
        estimator.fit(X, y)
    assert estimator.n_iter_ == 2


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_converged_fit_does_not_warn(Estimator, solver):
    """The warning means something: it is absent when training converges."""
    X, y = _data(Estimator, n_samples=60)
    estimator = Estimator(
        hidden_layer_sizes=(),
        solver=solver,
        learning_rate_init=0.01,
        max_iter=2000,
        tol=1e-3,
        random_state=0,
    )
    if Estimator is RegularizedMLPRegressor:
        y = y / np.std(y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        estimator.fit(X, y)
    assert estimator.n_iter_ < 2000


# -- overflow-prone inputs -----------------------------------------------------------


def _large_poisson_problem(dtype):
    rng = np.random.RandomState(0)
    X = (rng.uniform(-1, 1, (40, 3)) * 1e4).astype(dtype)
    y = rng.poisson(3.0, 40).astype(float)
    return X, y


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("solver", SOLVERS)
def test_poisson_with_large_features_emits_no_runtime_warning(solver, dtype):
    X, y = _large_poisson_problem(dtype)
    reg = RegularizedMLPRegressor(
        loss="poisson",
        hidden_layer_sizes=(5,),
        solver=solver,
        max_iter=10,
        random_state=0,
    )
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        reg.fit(X, y)
        prediction = reg.predict(X)
    assert _runtime_warnings(record) == []
    assert np.isfinite(prediction).all()
    assert (prediction >= 0).all()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_poisson_prediction_is_finite_for_huge_inputs(dtype):
    """The exp output is clipped to the largest finite value of the dtype."""
    X, y = _large_poisson_problem(dtype)
    reg = RegularizedMLPRegressor(
        loss="poisson", hidden_layer_sizes=(), solver="lbfgs", random_state=0
    )
    reg.fit(X[:, :1] / 1e4, y)
    reg.coefs_[0][...] = 1.0  # so that the output pre-activation is about 1e6
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        prediction = reg.predict(np.full((3, 1), 1e6, dtype=dtype))
    assert prediction.dtype == dtype
    assert np.isfinite(prediction).all()
    assert _runtime_warnings(record) == []


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_saturated_logistic_units_emit_no_runtime_warning(Estimator, solver, dtype):
    X, y = _data(Estimator, n_samples=60, dtype=np.float64)
    X = (X * 1e4).astype(dtype)
    estimator = Estimator(
        hidden_layer_sizes=(5,),
        activation="logistic",
        solver=solver,
        max_iter=10,
        random_state=0,
    )
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        estimator.fit(X, y)
        outputs = _outputs(estimator, X)
    assert _runtime_warnings(record) == []
    for output in outputs:
        assert np.isfinite(output).all()


# -- verbose -------------------------------------------------------------------------

EPOCH_LINE = re.compile(
    r"^Iteration (\d+), loss = [-+0-9.e]+(, validation score = [-+0-9.e]+)?, "
    r"zero weights = [0-9.]+, time = [0-9.]+s$"
)


def _iteration_lines(output):
    return [line for line in output.splitlines() if line.startswith("Iteration")]


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_verbose_prints_one_line_per_iteration(Estimator, solver, capsys):
    X, y = _data(Estimator, n_samples=60)
    estimator = Estimator(
        hidden_layer_sizes=(5,),
        solver=solver,
        penalty="l1",
        alpha=1e-2,
        max_iter=6,
        verbose=True,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        estimator.fit(X, y)
    lines = _iteration_lines(capsys.readouterr().out)
    assert len(lines) == estimator.n_iter_ > 0
    for number, line in enumerate(lines, start=1):
        match = EPOCH_LINE.match(line)
        assert match, line
        assert int(match.group(1)) == number
        assert match.group(2) is None  # no validation score without early stopping
    # The printed objective is the recorded one.
    printed = [float(line.split("loss = ")[1].split(",")[0]) for line in lines]
    np.testing.assert_allclose(printed, estimator.loss_curve_, rtol=1e-6)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_verbose_with_early_stopping_prints_validation_score(Estimator, capsys):
    X, y = _data(Estimator, n_samples=80)
    estimator = Estimator(
        hidden_layer_sizes=(5,),
        early_stopping=True,
        max_iter=5,
        verbose=True,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        estimator.fit(X, y)
    lines = _iteration_lines(capsys.readouterr().out)
    assert len(lines) == estimator.n_iter_ > 0
    printed = []
    for line in lines:
        match = EPOCH_LINE.match(line)
        assert match and match.group(2), line
        printed.append(float(match.group(2).split("= ")[1]))
    np.testing.assert_allclose(printed, estimator.validation_scores_, atol=1e-6)


def test_verbose_partial_fit_prints_one_line(capsys):
    X, y = _regression(n_samples=40)
    reg = RegularizedMLPRegressor(hidden_layer_sizes=(5,), verbose=True, random_state=0)
    reg.partial_fit(X, y)
    reg.partial_fit(X, y)
    lines = _iteration_lines(capsys.readouterr().out)
    assert len(lines) == 2
    assert all(EPOCH_LINE.match(line) for line in lines)


@pytest.mark.parametrize("solver", SOLVERS)
def test_quiet_by_default(solver, capsys):
    X, y = _regression(n_samples=40)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        RegularizedMLPRegressor(
            hidden_layer_sizes=(5,), solver=solver, max_iter=3, random_state=0
        ).fit(X, y)
    assert capsys.readouterr().out == ""
