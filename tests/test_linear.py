"""The linear special case equals scikit-learn's convex solvers.

With ``hidden_layer_sizes=()`` the network is a linear model and the objective
of the user guide's "The objective" (docs/user_guide.rst) is convex, so its
minimizer is unique and must coincide with the one found by scikit-learn's
dedicated solvers on the same objective:

- regressor + squared error: ``ElasticNet(alpha, l1_ratio)``, ``Lasso(alpha)``,
  ``Ridge(alpha * n_samples)`` for l2 and ``LinearRegression`` for no penalty;
- classifier (binary log-loss): ``LogisticRegression`` with
  ``C = 1 / (alpha * sum of the sample weights)`` (lbfgs for l2, saga for
  l1 / elastic net).

These tests pin down the scaling of the loss and of the penalty (``alpha``
means the same as in ElasticNet, with no ``1 / n_samples`` factor), the
treatment of the intercept (never penalized), of sample and class weights and
of several outputs, and that L1 zeros are *exactly* the optimum's zeros.
Tolerances are those of a converged L-BFGS run with ``tol=1e-10``.
"""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import (
    ElasticNet,
    Lasso,
    LinearRegression,
    LogisticRegression,
    Ridge,
)
from sklearn.preprocessing import StandardScaler

from skreg import RegularizedMLPClassifier, RegularizedMLPRegressor

# Agreement expected between two converged solvers of the same strictly convex
# problem (the reference solvers are run to 1e-14 / 1e-12).
RTOL, ATOL = 1e-4, 1e-6
LBFGS = dict(
    hidden_layer_sizes=(),
    solver="lbfgs",
    tol=1e-10,
    max_iter=20_000,
    max_fun=200_000,
    random_state=0,
)


@pytest.fixture(scope="module")
def regression_data():
    """Standardized data: 5 informative features out of 20, so L1 zeros appear."""
    X, y = make_regression(
        n_samples=200, n_features=20, n_informative=5, noise=5.0, random_state=0
    )
    X = StandardScaler().fit_transform(X)
    y = (y - y.mean()) / y.std() + 0.7  # a nonzero intercept to recover
    return X, y


@pytest.fixture(scope="module")
def classification_data():
    X, y = make_classification(
        n_samples=300,
        n_features=20,
        n_informative=4,
        n_redundant=0,
        random_state=0,
    )
    return StandardScaler().fit_transform(X), y


def _assert_same_solution(est, coef, intercept):
    """``est`` (a fitted linear skreg model) has the reference solution."""
    assert len(est.coefs_) == 1
    w = est.coefs_[0].ravel()
    coef = np.ravel(coef)
    assert_allclose(w, coef, rtol=RTOL, atol=ATOL)
    assert_allclose(est.intercepts_[0], np.ravel(intercept), rtol=RTOL, atol=ATOL)
    # Exact zeros on both sides, in the same places (vacuous for l2).
    assert_array_equal(w == 0, coef == 0)


# -- regression ---------------------------------------------------------------


@pytest.mark.parametrize("l1_ratio", [0.2, 0.5, 0.8])
def test_elasticnet_matches_sklearn(regression_data, l1_ratio):
    X, y = regression_data
    alpha = 0.05
    est = RegularizedMLPRegressor(
        penalty="elasticnet", alpha=alpha, l1_ratio=l1_ratio, **LBFGS
    ).fit(X, y)
    ref = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-14, max_iter=100_000)
    ref.fit(X, y)
    assert 0 < np.count_nonzero(ref.coef_) < X.shape[1]
    _assert_same_solution(est, ref.coef_, ref.intercept_)

    # loss_ is J, which is ElasticNet's own objective at the common optimum.
    residual = y - X @ ref.coef_ - ref.intercept_
    objective = (
        0.5 * np.mean(residual**2)
        + alpha * l1_ratio * np.abs(ref.coef_).sum()
        + 0.5 * alpha * (1 - l1_ratio) * np.dot(ref.coef_, ref.coef_)
    )
    assert_allclose(est.loss_, objective, rtol=1e-8)


def test_lasso_matches_sklearn_with_identical_zeros(regression_data):
    X, y = regression_data
    alpha = 0.05
    est = RegularizedMLPRegressor(penalty="l1", alpha=alpha, **LBFGS).fit(X, y)
    ref = Lasso(alpha=alpha, tol=1e-14, max_iter=100_000).fit(X, y)
    n_zero = np.count_nonzero(ref.coef_ == 0)
    assert 5 <= n_zero < X.shape[1]
    _assert_same_solution(est, ref.coef_, ref.intercept_)
    # The zeros are exact floating-point zeros, not merely small numbers.
    assert np.count_nonzero(est.coefs_[0] == 0.0) == n_zero


def test_l2_matches_ridge(regression_data):
    X, y = regression_data
    alpha = 0.05
    est = RegularizedMLPRegressor(penalty="l2", alpha=alpha, **LBFGS).fit(X, y)
    # Ridge minimizes ||y - Xw||^2 + a ||w||^2, which is 2n times J when
    # a = alpha * n.
    ref = Ridge(alpha=alpha * X.shape[0]).fit(X, y)
    _assert_same_solution(est, ref.coef_, ref.intercept_)


def test_no_penalty_matches_least_squares(regression_data):
    X, y = regression_data
    est = RegularizedMLPRegressor(penalty=None, **LBFGS).fit(X, y)
    ref = LinearRegression().fit(X, y)
    _assert_same_solution(est, ref.coef_, ref.intercept_)


def test_sample_weight_matches_elasticnet(regression_data):
    X, y = regression_data
    sample_weight = np.random.default_rng(0).uniform(0.2, 3.0, size=X.shape[0])
    alpha, l1_ratio = 0.05, 0.5
    est = RegularizedMLPRegressor(
        penalty="elasticnet", alpha=alpha, l1_ratio=l1_ratio, **LBFGS
    ).fit(X, y, sample_weight=sample_weight)
    # Both objectives divide the weighted loss by the sum of the weights.
    ref = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-14, max_iter=100_000)
    ref.fit(X, y, sample_weight=sample_weight)
    _assert_same_solution(est, ref.coef_, ref.intercept_)


def test_two_outputs_are_two_elasticnets_with_twice_alpha(regression_data):
    """The squared error is averaged over K outputs: each is fit with K*alpha."""
    X, y = regression_data
    Y = np.column_stack([y, X[:, :3] @ [1.0, -2.0, 0.5] - 0.3])
    alpha, l1_ratio = 0.02, 0.7
    est = RegularizedMLPRegressor(
        penalty="elasticnet", alpha=alpha, l1_ratio=l1_ratio, **LBFGS
    ).fit(X, Y)
    for k in range(2):
        ref = ElasticNet(
            alpha=2 * alpha, l1_ratio=l1_ratio, tol=1e-14, max_iter=100_000
        ).fit(X, Y[:, k])
        w = est.coefs_[0][:, k]
        assert_allclose(w, ref.coef_, rtol=RTOL, atol=ATOL)
        assert_allclose(est.intercepts_[0][k], ref.intercept_, rtol=RTOL, atol=ATOL)
        assert_array_equal(w == 0, ref.coef_ == 0)


@pytest.mark.parametrize("batch_size", [200, 50])
def test_adam_l1_reaches_the_lasso_zero_pattern(regression_data, batch_size):
    """Proximal Adam finds the optimum's zeros (full batch and minibatches)."""
    X, y = regression_data
    alpha = 0.05
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est = RegularizedMLPRegressor(
            hidden_layer_sizes=(),
            solver="adam",
            penalty="l1",
            alpha=alpha,
            learning_rate_init=0.01,
            batch_size=batch_size,
            max_iter=1000,
            tol=1e-8,
            n_iter_no_change=50,
            random_state=0,
        ).fit(X, y)
    ref = Lasso(alpha=alpha, tol=1e-14, max_iter=100_000).fit(X, y)
    w = est.coefs_[0].ravel()
    assert_array_equal(w == 0, ref.coef_ == 0)
    # A constant step does not converge exactly, but it gets close.
    assert_allclose(w, ref.coef_, atol=2e-3)


# -- classification -----------------------------------------------------------


def _logistic_regression(alpha, n_samples, l1_ratio, **kwargs):
    """sklearn's LogisticRegression on skreg's objective, without deprecations.

    LogisticRegression minimizes ``C * sum_i s_i loss_i + penalty(w)`` with
    the penalty ``l1_ratio * |w|_1 + (1 - l1_ratio) / 2 * |w|^2``, which is
    ``C * sum_i s_i`` times J when ``C = 1 / (alpha * sum_i s_i)``.
    """
    solver = "lbfgs" if l1_ratio == 0 else "saga"
    return LogisticRegression(
        C=1.0 / (alpha * n_samples),
        l1_ratio=l1_ratio,
        solver=solver,
        tol=1e-12,
        max_iter=100_000,
        **kwargs,
    )


@pytest.mark.parametrize(
    "penalty, l1_ratio", [("l2", 0.0), ("l1", 1.0), ("elasticnet", 0.5)]
)
def test_binary_classifier_matches_logistic_regression(
    classification_data, penalty, l1_ratio
):
    X, y = classification_data
    alpha = 0.02
    est = RegularizedMLPClassifier(
        penalty=penalty, alpha=alpha, l1_ratio=0.5, **LBFGS
    ).fit(X, y)
    with warnings.catch_warnings():
        # No deprecation (nor any other) warning from the reference.
        warnings.simplefilter("error")
        ref = _logistic_regression(alpha, X.shape[0], l1_ratio).fit(X, y)
    if penalty != "l2":
        assert 0 < np.count_nonzero(ref.coef_) < X.shape[1]
    _assert_same_solution(est, ref.coef_, ref.intercept_)
    assert_allclose(est.predict_proba(X), ref.predict_proba(X), rtol=RTOL, atol=ATOL)


def test_class_weight_matches_logistic_regression():
    X, y = make_classification(
        n_samples=300,
        n_features=10,
        n_informative=4,
        n_redundant=0,
        weights=[0.8],
        random_state=1,
    )
    X = StandardScaler().fit_transform(X)
    alpha = 0.01
    est = RegularizedMLPClassifier(
        penalty="l2", alpha=alpha, class_weight="balanced", **LBFGS
    ).fit(X, y)
    # 'balanced' weights sum to n_samples, so C keeps its unweighted value.
    ref = _logistic_regression(alpha, X.shape[0], 0.0, class_weight="balanced")
    ref.fit(X, y)
    _assert_same_solution(est, ref.coef_, ref.intercept_)
