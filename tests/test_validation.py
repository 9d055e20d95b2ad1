"""Bad parameters and bad data are rejected with a ``ValueError`` naming the culprit.

Each row of the tables below is one mistake a user can make. Parameters are
accepted by ``__init__`` (as scikit-learn requires) and rejected at ``fit``
(and ``partial_fit``) with a ``ValueError`` -- scikit-learn's
``InvalidParameterError`` is one -- whose message names the parameter. Bad
arrays give scikit-learn's usual messages ("Input X contains NaN", "Expected
2D array", ...), the same ones ``MLPClassifier`` / ``MLPRegressor`` give.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from skreg import RegularizedMLPClassifier, RegularizedMLPRegressor

ESTIMATORS = [RegularizedMLPClassifier, RegularizedMLPRegressor]

_rng = np.random.RandomState(0)
X = _rng.standard_normal((20, 3))
Y_CLASS = np.arange(20) % 2
Y_REG = _rng.standard_normal(20)

# Small and quick: the point is the error, not the model.
FAST = {"hidden_layer_sizes": (3,), "max_iter": 2, "random_state": 0}


@pytest.fixture(autouse=True)
def _quiet_convergence():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def _target(Estimator):
    return Y_CLASS if Estimator is RegularizedMLPClassifier else Y_REG


def _partial_fit_kwargs(Estimator):
    return {"classes": [0, 1]} if Estimator is RegularizedMLPClassifier else {}


def _names(parameter: str) -> str:
    """A pattern for a message naming ``parameter`` as a whole word."""
    return rf"\b{re.escape(parameter)}\b"


# -- parameters: (params, culprit named in the message) -----------------------

PARAMETER_CASES = [
    # hidden_layer_sizes
    pytest.param({"hidden_layer_sizes": "abc"}, "hidden_layer_sizes", id="hidden-str"),
    pytest.param({"hidden_layer_sizes": None}, "hidden_layer_sizes", id="hidden-none"),
    pytest.param({"hidden_layer_sizes": 0}, "hidden_layer_sizes", id="hidden-int-0"),
    pytest.param({"hidden_layer_sizes": (0,)}, "hidden_layer_sizes", id="hidden-0"),
    pytest.param(
        {"hidden_layer_sizes": (5, -1)}, "hidden_layer_sizes", id="hidden-neg"
    ),
    pytest.param(
        {"hidden_layer_sizes": (2.5,)}, "hidden_layer_sizes", id="hidden-float"
    ),
    pytest.param(
        {"hidden_layer_sizes": ("3",)}, "hidden_layer_sizes", id="hidden-str-item"
    ),
    pytest.param(
        {"hidden_layer_sizes": [[3]]}, "hidden_layer_sizes", id="hidden-nested"
    ),
    pytest.param(
        {"hidden_layer_sizes": np.array([3, 0])},
        "hidden_layer_sizes",
        id="hidden-numpy-0",
    ),
    # unknown strings for every string option
    pytest.param({"activation": "softmax"}, "activation", id="activation-unknown"),
    pytest.param({"solver": "newton"}, "solver", id="solver-unknown"),
    pytest.param({"learning_rate": "fast"}, "learning_rate", id="lr-unknown"),
    pytest.param({"penalty": "l3"}, "penalty", id="penalty-unknown"),
    pytest.param({"penalty": "none"}, "penalty", id="penalty-none-string"),
    pytest.param({"batch_size": "all"}, "batch_size", id="batch-size-unknown"),
    # penalty strength and mix
    pytest.param({"alpha": -1.0}, "alpha", id="alpha-neg"),
    pytest.param({"alpha": "1"}, "alpha", id="alpha-str"),
    pytest.param({"alpha": float("nan")}, "alpha", id="alpha-nan"),
    pytest.param({"alpha": float("inf")}, "alpha", id="alpha-inf"),
    pytest.param({"l1_ratio": 1.5}, "l1_ratio", id="l1-ratio-above-1"),
    pytest.param({"l1_ratio": -0.1}, "l1_ratio", id="l1-ratio-neg"),
    pytest.param({"l1_ratio": float("nan")}, "l1_ratio", id="l1-ratio-nan"),
    # dropout
    pytest.param({"dropout": 1.0}, "dropout", id="dropout-1"),
    pytest.param({"dropout": -0.1}, "dropout", id="dropout-neg"),
    pytest.param({"dropout": float("nan")}, "dropout", id="dropout-nan"),
    pytest.param({"dropout": None}, "dropout", id="dropout-none"),
    pytest.param({"dropout": "x"}, "dropout", id="dropout-str"),
    pytest.param({"dropout": [0.1, 0.2]}, "dropout", id="dropout-wrong-length"),
    pytest.param(
        {"hidden_layer_sizes": (), "dropout": [0.2]},
        "dropout",
        id="dropout-sequence-for-linear-model",
    ),
    pytest.param(
        {"hidden_layer_sizes": (3, 3), "dropout": [0.2, 1.0]},
        "dropout",
        id="dropout-sequence-rate-1",
    ),
    pytest.param({"dropout": [-0.1]}, "dropout", id="dropout-sequence-neg"),
    pytest.param({"dropout": [np.nan]}, "dropout", id="dropout-sequence-nan"),
    pytest.param({"dropout": ["a"]}, "dropout", id="dropout-sequence-str"),
    pytest.param({"dropout": [[0.1, 0.2]]}, "dropout", id="dropout-sequence-nested"),
    pytest.param({"dropout": 0.2, "solver": "lbfgs"}, "dropout", id="dropout-lbfgs"),
    pytest.param(
        {"hidden_layer_sizes": (3, 3), "dropout": [0.0, 0.3], "solver": "lbfgs"},
        "dropout",
        id="dropout-sequence-lbfgs",
    ),
    # optimizer settings
    pytest.param({"batch_size": 0}, "batch_size", id="batch-size-0"),
    pytest.param({"batch_size": 2.5}, "batch_size", id="batch-size-float"),
    pytest.param({"max_iter": 0}, "max_iter", id="max-iter-0"),
    pytest.param({"max_iter": 1.5}, "max_iter", id="max-iter-float"),
    pytest.param({"max_fun": 0, "solver": "lbfgs"}, "max_fun", id="max-fun-0"),
    pytest.param({"learning_rate_init": 0.0}, "learning_rate_init", id="lr-init-0"),
    pytest.param(
        {"learning_rate_init": float("inf")}, "learning_rate_init", id="lr-init-inf"
    ),
    pytest.param({"power_t": -1.0}, "power_t", id="power-t-neg"),
    pytest.param({"momentum": 1.5, "solver": "sgd"}, "momentum", id="momentum-above-1"),
    pytest.param({"momentum": -0.1, "solver": "sgd"}, "momentum", id="momentum-neg"),
    pytest.param({"beta_1": 1.0}, "beta_1", id="beta-1-is-1"),
    pytest.param({"beta_2": 1.0}, "beta_2", id="beta-2-is-1"),
    pytest.param({"epsilon": 0.0}, "epsilon", id="epsilon-0"),
    pytest.param({"tol": -1.0}, "tol", id="tol-neg"),
    pytest.param({"tol": float("nan")}, "tol", id="tol-nan"),
    pytest.param({"n_iter_no_change": 0}, "n_iter_no_change", id="n-iter-no-change-0"),
    pytest.param(
        {"n_iter_no_change": 2.5}, "n_iter_no_change", id="n-iter-no-change-float"
    ),
    pytest.param(
        {"validation_fraction": 1.0, "early_stopping": True},
        "validation_fraction",
        id="validation-fraction-1",
    ),
    pytest.param(
        {"validation_fraction": -0.1}, "validation_fraction", id="validation-frac-neg"
    ),
    # flags and seeds of the wrong type
    pytest.param({"shuffle": "yes"}, "shuffle", id="shuffle-str"),
    pytest.param({"warm_start": "yes"}, "warm_start", id="warm-start-str"),
    pytest.param(
        {"nesterovs_momentum": "yes"}, "nesterovs_momentum", id="nesterov-str"
    ),
    pytest.param({"early_stopping": "yes"}, "early_stopping", id="early-stopping-str"),
    pytest.param({"verbose": "x"}, "verbose", id="verbose-str"),
    pytest.param({"random_state": "x"}, "random_state", id="random-state-str"),
    pytest.param({"random_state": -1}, "random_state", id="random-state-neg"),
]


@pytest.mark.parametrize("params, culprit", PARAMETER_CASES)
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_invalid_parameter_is_rejected_at_fit(Estimator, params, culprit):
    estimator = Estimator(**{**FAST, **params})  # __init__ never validates
    with pytest.raises(ValueError, match=_names(culprit)):
        estimator.fit(X, _target(Estimator))


# partial_fit only exists for the stochastic solvers.
PARTIAL_FIT_CASES = [case for case in PARAMETER_CASES if "solver" not in case.values[0]]


@pytest.mark.parametrize("params, culprit", PARTIAL_FIT_CASES)
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_invalid_parameter_is_rejected_at_partial_fit(Estimator, params, culprit):
    estimator = Estimator(**{**FAST, **params})
    with pytest.raises(ValueError, match=_names(culprit)):
        estimator.partial_fit(X, _target(Estimator), **_partial_fit_kwargs(Estimator))


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_dropout_with_lbfgs_names_both_parameters(Estimator):
    estimator = Estimator(**{**FAST, "solver": "lbfgs", "dropout": 0.2})
    with pytest.raises(ValueError, match=r"dropout.*solver"):
        estimator.fit(X, _target(Estimator))


def test_unknown_loss_is_rejected():
    with pytest.raises(ValueError, match=_names("loss")):
        RegularizedMLPRegressor(loss="huber", **FAST).fit(X, Y_REG)


# Unusual but valid: validation must not be stricter than the contract.
ACCEPTED_CASES = [
    pytest.param({"penalty": None}, id="penalty-none"),
    pytest.param({"alpha": 0.0, "l1_ratio": 0.0}, id="alpha-0"),
    pytest.param({"l1_ratio": 1.0, "penalty": "elasticnet"}, id="l1-ratio-1"),
    pytest.param({"hidden_layer_sizes": 3}, id="hidden-int"),
    pytest.param({"hidden_layer_sizes": []}, id="hidden-empty-list"),
    pytest.param({"hidden_layer_sizes": np.array([3, 2])}, id="hidden-numpy"),
    pytest.param({"hidden_layer_sizes": (np.int32(3),)}, id="hidden-numpy-int"),
    pytest.param({"hidden_layer_sizes": (), "dropout": []}, id="linear-empty-dropout"),
    pytest.param(
        {"hidden_layer_sizes": (), "dropout": 0.5, "solver": "lbfgs"},
        id="linear-float-dropout-lbfgs",
    ),
    pytest.param({"dropout": 0.0, "solver": "lbfgs"}, id="zero-dropout-lbfgs"),
    pytest.param(
        {"hidden_layer_sizes": (3, 3), "dropout": np.array([0.0, 0.5])},
        id="dropout-numpy",
    ),
    pytest.param({"dropout": np.float32(0.2)}, id="dropout-numpy-float"),
    pytest.param({"batch_size": np.int64(5)}, id="batch-size-numpy"),
    pytest.param({"n_iter_no_change": np.inf}, id="n-iter-no-change-inf"),
    pytest.param({"momentum": 1.0, "solver": "sgd"}, id="momentum-1"),
    pytest.param({"beta_1": 0.0, "beta_2": 0.0}, id="betas-0"),
    pytest.param({"random_state": np.random.RandomState(0)}, id="random-state-object"),
]


@pytest.mark.parametrize("params", ACCEPTED_CASES)
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_valid_unusual_parameters_are_accepted(Estimator, params):
    estimator = Estimator(**{**FAST, **params}).fit(X, _target(Estimator))
    assert np.isfinite(estimator.predict(X).astype(float)).all()


CLASS_WEIGHT_CASES = [
    pytest.param("auto", id="unknown-string"),
    pytest.param({0: 1.0, 5: 2.0}, id="unknown-label"),
    pytest.param({0: 0.0, 1: 0.0}, id="all-zero"),
    pytest.param({0: np.nan, 1: 1.0}, id="nan"),
    # A negative or infinite weight makes the objective meaningless (unbounded
    # below, or inf/nan): it must be refused, not trained on.
    pytest.param({0: -1.0, 1: 2.0}, id="negative"),
    pytest.param({0: np.inf, 1: 1.0}, id="infinite"),
]


@pytest.mark.parametrize("class_weight", CLASS_WEIGHT_CASES)
def test_invalid_class_weight_is_rejected(class_weight):
    clf = RegularizedMLPClassifier(class_weight=class_weight, **FAST)
    with pytest.raises(ValueError, match=_names("class_weight")):
        clf.fit(X, Y_CLASS)


def test_balanced_class_weight_is_rejected_by_partial_fit():
    clf = RegularizedMLPClassifier(class_weight="balanced", **FAST)
    with pytest.raises(ValueError, match=r"class_weight='balanced'.*partial_fit"):
        clf.partial_fit(X, Y_CLASS, classes=[0, 1])


def test_class_weight_is_rejected_for_multilabel_targets():
    clf = RegularizedMLPClassifier(class_weight={0: 2.0}, **FAST)
    with pytest.raises(ValueError, match=r"class_weight.*multilabel"):
        clf.fit(X, np.column_stack([Y_CLASS, 1 - Y_CLASS]))


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_partial_fit_rejects_early_stopping(Estimator):
    estimator = Estimator(early_stopping=True, **FAST)
    with pytest.raises(ValueError, match=r"partial_fit.*early_stopping"):
        estimator.partial_fit(X, _target(Estimator), **_partial_fit_kwargs(Estimator))


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_partial_fit_is_absent_for_lbfgs(Estimator):
    """As in scikit-learn: an AttributeError, so ``hasattr`` tells the truth."""
    estimator = Estimator(solver="lbfgs", **FAST)
    assert not hasattr(estimator, "partial_fit")
    with pytest.raises(AttributeError, match="partial_fit"):
        estimator.partial_fit(X, _target(Estimator))


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_warm_start_with_other_layer_sizes_is_rejected(Estimator):
    estimator = Estimator(warm_start=True, **FAST).fit(X, _target(Estimator))
    estimator.set_params(hidden_layer_sizes=(4,))
    with pytest.raises(ValueError, match="warm_start"):
        estimator.fit(X, _target(Estimator))


# -- data: (bad call, scikit-learn's message) ---------------------------------


def _poke(value, row=0, col=0):
    """A copy of ``X`` with one entry replaced."""
    bad = X.copy()
    bad[row, col] = value
    return bad


def _with_y(value):
    y = Y_REG.copy()
    y[0] = value
    return y


def _fitted(est, y):
    return est.fit(X, y)


DATA_CASES = [
    pytest.param(
        lambda e, y: e.fit(_poke(np.nan), y), "Input X contains NaN", id="X-nan"
    ),
    pytest.param(
        lambda e, y: e.fit(_poke(np.inf), y), "Input X contains infinity", id="X-inf"
    ),
    pytest.param(
        lambda e, y: e.fit(_poke(-np.inf), y),
        "Input X contains infinity",
        id="X-neginf",
    ),
    pytest.param(
        lambda e, y: e.fit(X + 1j, y), "Complex data not supported", id="X-complex"
    ),
    pytest.param(
        lambda e, y: e.fit(np.full(X.shape, "a"), y),
        "could not convert string to float",
        id="X-strings",
    ),
    pytest.param(lambda e, y: e.fit(X[:, 0], y), "Expected 2D array", id="X-1d"),
    pytest.param(
        lambda e, y: e.fit(X[:, :, None], y), "Found array with dim 3", id="X-3d"
    ),
    pytest.param(
        lambda e, y: e.fit(X[:0], y[:0]),
        r"Found array with 0 sample\(s\)",
        id="X-empty",
    ),
    pytest.param(
        lambda e, y: e.fit(X[:, :0], y),
        r"Found array with 0 feature\(s\)",
        id="X-no-features",
    ),
    pytest.param(
        lambda e, y: e.fit(X, y[:-1]), "inconsistent numbers of samples", id="y-length"
    ),
    pytest.param(
        lambda e, y: _fitted(e, y).predict(X[:, :2]),
        "X has 2 features, but .* is expecting 3 features",
        id="predict-n-features",
    ),
    pytest.param(
        lambda e, y: _fitted(e, y).predict(_poke(np.nan)),
        "Input X contains NaN",
        id="predict-nan",
    ),
    pytest.param(
        lambda e, y: _fitted(e, y).predict(X[0]), "Expected 2D array", id="predict-1d"
    ),
    pytest.param(
        lambda e, y: _fitted(e, y).predict(X[:0]),
        r"Found array with 0 sample\(s\)",
        id="predict-empty",
    ),
    pytest.param(
        lambda e, y: _fitted(e, y).score(X[:, :2], y),
        "X has 2 features",
        id="score-n-features",
    ),
    pytest.param(
        lambda e, y: e.fit(X, y, sample_weight=np.r_[-1.0, np.ones(19)]),
        "Negative values in data passed to `sample_weight`",
        id="sample-weight-negative",
    ),
    pytest.param(
        lambda e, y: e.fit(X, y, sample_weight=np.ones(19)),
        re.escape("sample_weight.shape == (19,), expected (20,)"),
        id="sample-weight-length",
    ),
    pytest.param(
        lambda e, y: e.fit(X, y, sample_weight=np.zeros(20)),
        "Sample weights must contain at least one non-zero number",
        id="sample-weight-all-zero",
    ),
    pytest.param(
        lambda e, y: e.fit(X, y, sample_weight=np.r_[np.nan, np.ones(19)]),
        "Input sample_weight contains NaN",
        id="sample-weight-nan",
    ),
    pytest.param(
        lambda e, y: e.fit(X, y, sample_weight=np.ones((20, 1))),
        "Sample weights must be 1D",
        id="sample-weight-2d",
    ),
]


@pytest.mark.parametrize("bad_call, message", DATA_CASES)
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_bad_data_is_rejected_with_sklearn_message(Estimator, bad_call, message):
    with pytest.raises(ValueError, match=message):
        bad_call(Estimator(**FAST), _target(Estimator))


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_changing_n_features_between_partial_fits_is_rejected(Estimator):
    kwargs = _partial_fit_kwargs(Estimator)
    estimator = Estimator(**FAST).partial_fit(X, _target(Estimator), **kwargs)
    with pytest.raises(ValueError, match="X has 2 features, but .* expecting 3"):
        estimator.partial_fit(X[:, :2], _target(Estimator))


@pytest.mark.parametrize("value", [np.nan, np.inf])
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_non_finite_target_is_rejected(Estimator, value):
    y = _with_y(value)
    if Estimator is RegularizedMLPClassifier:
        y = np.where(np.isfinite(y), Y_CLASS, y)
    expected = "Input y contains NaN" if np.isnan(value) else "Input y contains inf"
    with pytest.raises(ValueError, match=expected):
        Estimator(**FAST).fit(X, y)


def test_regressor_rejects_string_targets():
    with pytest.raises(ValueError, match="could not convert string to float"):
        RegularizedMLPRegressor(**FAST).fit(X, np.full(20, "a"))


def test_poisson_rejects_negative_targets():
    y = np.abs(Y_REG)
    y[3] = -1.0
    reg = RegularizedMLPRegressor(loss="poisson", **FAST)
    with pytest.raises(ValueError, match=r"negative.*loss='poisson'"):
        reg.fit(X, y)


def test_classifier_rejects_continuous_targets():
    with pytest.raises(ValueError, match="Unknown label type"):
        RegularizedMLPClassifier(**FAST).fit(X, Y_REG)


def test_partial_fit_first_call_needs_classes():
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        RegularizedMLPClassifier(**FAST).partial_fit(X, Y_CLASS)


def test_partial_fit_rejects_unseen_labels():
    clf = RegularizedMLPClassifier(**FAST).partial_fit(X, Y_CLASS, classes=[0, 1])
    with pytest.raises(ValueError, match=r"`y` has classes not in `self.classes_`"):
        clf.partial_fit(X, Y_CLASS + 1)


def test_partial_fit_rejects_labels_outside_the_first_classes():
    clf = RegularizedMLPClassifier(**FAST)
    with pytest.raises(ValueError, match=r"`y` has classes not in `self.classes_`"):
        clf.partial_fit(X, Y_CLASS, classes=[0, 5])


def test_partial_fit_rejects_changed_classes():
    clf = RegularizedMLPClassifier(**FAST).partial_fit(X, Y_CLASS, classes=[0, 1])
    with pytest.raises(ValueError, match=r"classes=.*is not the same as on last call"):
        clf.partial_fit(X, Y_CLASS, classes=[0, 1, 2])


def test_warm_start_rejects_new_classes():
    clf = RegularizedMLPClassifier(warm_start=True, **FAST).fit(X, Y_CLASS)
    with pytest.raises(ValueError, match="warm_start.*same classes"):
        clf.fit(X, Y_CLASS * 2)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_too_small_validation_set_is_rejected(Estimator):
    estimator = Estimator(early_stopping=True, validation_fraction=0.01, **FAST)
    with pytest.raises(ValueError, match="(test_size|validation set)"):
        estimator.fit(X, _target(Estimator))
