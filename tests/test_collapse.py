"""The warning for a network that its regularization wiped out
(:class:`skreg.RegularizationWarning`): emitted when a layer's weights are
all zero or the predictions are (nearly) constant over the training data,
with this data's ``alpha_max`` and the conversion from scikit-learn's
``alpha``; never on healthy fits, never for candidates a CV search rejects."""

import re
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_digits, make_regression
from sklearn.preprocessing import StandardScaler

from skreg import (
    RegularizationWarning,
    RegularizedMLPClassifier,
    RegularizedMLPClassifierCV,
    RegularizedMLPRegressor,
)
from skreg._path import first_layer_loss_gradient
from skreg.penalties import make_penalty


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return StandardScaler().fit_transform(X)[:600], y[:600]


def _fit(estimator, X, y):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        estimator.fit(X, y)
    return [w for w in caught if issubclass(w.category, RegularizationWarning)]


def test_is_a_user_warning():
    assert issubclass(RegularizationWarning, UserWarning)


def test_l1_that_zeroes_every_weight_warns_with_alpha_max(digits):
    X, y = digits
    est = RegularizedMLPClassifier(penalty="l1", alpha=1.0, max_iter=20, random_state=0)
    caught = _fit(est, X, y)
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "every weight of layers 1, 2 is zero" in message
    assert "a / 600" in message  # scikit-learn's alpha, per sample
    gradient = first_layer_loss_gradient(est, X, y)
    alpha_max = make_penalty("l1", 1.0).alpha_max(gradient)
    shown = float(re.search(r"alpha_max = ([0-9.e+-]+),", message).group(1))
    assert shown == pytest.approx(alpha_max, rel=1e-2)
    assert not any(np.any(c) for c in est.coefs_)


def test_l2_that_flattens_the_predictions_warns():
    """The migrating user's mistake: scikit-learn's alpha=1.0 in skreg
    (scikit-learn's MLP scores 0.999 with it on the bundled digits)."""
    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    est = RegularizedMLPClassifier(alpha=1.0, max_iter=50, random_state=0)
    caught = _fit(est, X, y)
    assert len(caught) == 1
    assert "nearly) the same for every training sample" in str(caught[0].message)
    assert all(np.any(c) for c in est.coefs_)  # not zeros: tiny weights
    assert est.score(X, y) < 0.2


@pytest.mark.parametrize(
    "params",
    [
        {"alpha": 1e-4},
        {"alpha": 0.1},  # strong, still informative
        {"penalty": "l1", "alpha": 1e-3},
        {"penalty": None, "alpha": 1.0},  # no penalty in J
        {"solver": "lbfgs", "alpha": 1e-3, "max_iter": 50},
    ],
)
def test_healthy_fits_do_not_warn(digits, params):
    X, y = digits
    est = RegularizedMLPClassifier(random_state=0, **{"max_iter": 20, **params})
    assert _fit(est, X, y) == []


def test_regression_healthy_and_constant_target_do_not_warn():
    X, y = make_regression(n_samples=200, n_features=5, noise=1.0, random_state=0)
    y = (y - y.mean()) / y.std()
    assert _fit(RegularizedMLPRegressor(max_iter=30, random_state=0), X, y) == []
    # a constant target makes a constant model right, whatever the penalty
    est = RegularizedMLPRegressor(penalty="l1", alpha=10.0, max_iter=5, random_state=0)
    assert _fit(est, X, np.full(200, 3.0)) == []


def test_regression_wiped_out_warns():
    X, y = make_regression(n_samples=200, n_features=5, noise=1.0, random_state=0)
    y = (y - y.mean()) / y.std()
    est = RegularizedMLPRegressor(penalty="l1", alpha=5.0, max_iter=30, random_state=0)
    assert len(_fit(est, X, y)) == 1


def test_cv_search_does_not_warn_about_rejected_candidates(digits):
    X, y = digits
    est = RegularizedMLPClassifierCV(
        param_grid={"penalty": ["l1"], "alpha": [1e-4, 10.0]},
        max_iter=15,
        random_state=0,
    )
    assert _fit(est, X, y) == []
    assert est.best_params_["alpha"] == 1e-4
