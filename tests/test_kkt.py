"""Optimality and exact sparsity of the L1 / elastic-net fits of networks.

A network's objective is not convex, so there is no reference solver to
compare with; instead, a converged ``solver="lbfgs"`` fit must satisfy the
first-order (KKT) conditions of the user guide's "How L1 gets exact
zeros" (docs/user_guide.rst) at its own solution:

- for every weight ``w != 0``: ``dJ_smooth/dw + alpha * rho * sign(w) = 0``;
- for every weight ``w == 0``: ``|dJ_smooth/dw| <= alpha * rho``;
- for every bias (never penalized): ``dJ_smooth/db = 0``;

to the solver tolerance ``tol``, which for lbfgs is documented as the largest
entry of the projected gradient. The smooth gradient is evaluated by rebuilding
a :class:`~skreg._network.Network` and :class:`~skreg._objective.Objective` at
the fitted ``coefs_`` / ``intercepts_`` (their gradient is checked against
finite differences elsewhere). Zeros must be exact ``0.0`` and numerous.

Then, on data with many irrelevant features, proximal Adam with L1 switches
off whole input features: the first-layer rows of most irrelevant features are
exactly zero while no informative feature is dropped.
"""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import LabelBinarizer, StandardScaler

from skreg import RegularizedMLPClassifier, RegularizedMLPRegressor
from skreg._network import Network
from skreg._objective import Objective
from skreg.losses import LOSSES
from skreg.penalties import make_penalty

TOL = 1e-8
# The documented stopping rule bounds the projected gradient by tol; allow a
# factor of 10 for rounding in the gradient sums.
KKT_ATOL = 10 * TOL
LOSS_OF_OUTPUT = {"identity": "squared_error", "logistic": "binary"}
LOSS_OF_OUTPUT["softmax"] = "multiclass"


def _smooth_gradient(est, X, Y):
    """Weights, and gradients of loss + L2 wrt weights and biases, at the fit."""
    layer_units = [X.shape[1]] + [coef.shape[1] for coef in est.coefs_]
    network = Network(layer_units, est.activation)
    network.set_parameters(est.coefs_, est.intercepts_)
    objective = Objective(
        network,
        LOSSES[LOSS_OF_OUTPUT[est.out_activation_]](),
        make_penalty(est.penalty, est.alpha, est.l1_ratio),
    )
    grad = np.empty_like(network.params)
    objective.smooth_value_grad(X, Y, None, grad)
    n_weights = network.n_weights
    return network.params[:n_weights].copy(), grad[:n_weights], grad[n_weights:]


def _assert_kkt(est, X, Y, min_zero_fraction):
    w, g_w, g_b = _smooth_gradient(est, X, Y)
    l1 = make_penalty(est.penalty, est.alpha, est.l1_ratio).l1
    assert l1 > 0
    nonzero = w != 0
    zero_fraction = 1 - nonzero.mean()
    assert zero_fraction >= min_zero_fraction, zero_fraction
    assert nonzero.sum() >= 5, "the fit is trivially all-zero"

    residual = np.abs(g_w[nonzero] + l1 * np.sign(w[nonzero]))
    assert residual.max() <= KKT_ATOL, (
        f"stationarity violated on nonzero weights: max {residual.max():.3g}"
    )
    excess = np.abs(g_w[~nonzero]) - l1
    assert excess.max() <= KKT_ATOL, (
        f"|gradient| exceeds alpha * rho on zero weights by {excess.max():.3g}"
    )
    assert np.abs(g_b).max() <= KKT_ATOL, (
        f"bias gradient not zero: max {np.abs(g_b).max():.3g}"
    )


def _lbfgs(Estimator, activation, penalty, alpha, seed=0):
    return Estimator(
        hidden_layer_sizes=(8,),
        activation=activation,
        solver="lbfgs",
        penalty=penalty,
        alpha=alpha,
        l1_ratio=0.6,
        tol=TOL,
        max_iter=5000,
        max_fun=50_000,
        random_state=seed,
    )


@pytest.fixture(scope="module")
def regression_data():
    X, y = make_regression(
        n_samples=200, n_features=20, n_informative=5, noise=5.0, random_state=0
    )
    X = StandardScaler().fit_transform(X)
    return X, (y - y.mean()) / y.std()


@pytest.fixture(scope="module")
def binary_data():
    X, y = make_classification(
        n_samples=200, n_features=10, n_informative=4, n_redundant=0, random_state=0
    )
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def multiclass_data():
    X, y = make_classification(
        n_samples=240,
        n_features=10,
        n_informative=4,
        n_redundant=0,
        n_classes=3,
        n_clusters_per_class=1,
        random_state=0,
    )
    return StandardScaler().fit_transform(X), y


@pytest.mark.parametrize("activation", ["tanh", "logistic"])
@pytest.mark.parametrize("penalty", ["l1", "elasticnet"])
def test_kkt_regressor(regression_data, activation, penalty):
    X, y = regression_data
    est = _lbfgs(RegularizedMLPRegressor, activation, penalty, alpha=0.02)
    est.fit(X, y)
    _assert_kkt(est, X, y[:, None], min_zero_fraction=0.5)


@pytest.mark.parametrize("activation", ["tanh", "logistic"])
@pytest.mark.parametrize("penalty", ["l1", "elasticnet"])
def test_kkt_binary_classifier(binary_data, activation, penalty):
    X, y = binary_data
    est = _lbfgs(RegularizedMLPClassifier, activation, penalty, alpha=0.01)
    est.fit(X, y)
    _assert_kkt(est, X, y[:, None].astype(float), min_zero_fraction=0.3)


def test_kkt_multiclass_classifier(multiclass_data):
    X, y = multiclass_data
    est = _lbfgs(RegularizedMLPClassifier, "tanh", "l1", alpha=0.01).fit(X, y)
    Y = LabelBinarizer().fit_transform(y).astype(float)
    _assert_kkt(est, X, Y, min_zero_fraction=0.3)


def test_zeros_are_exact_and_stable_under_a_refit(binary_data):
    """Zeros are exact 0.0, and warm-starting at the solution keeps them."""
    X, y = binary_data
    est = _lbfgs(RegularizedMLPClassifier, "tanh", "l1", alpha=0.01).fit(X, y)
    zeros = [coef == 0.0 for coef in est.coefs_]
    assert sum(z.sum() for z in zeros) > 0
    est.set_params(warm_start=True).fit(X, y)
    for coef, zero in zip(est.coefs_, zeros, strict=True):
        np.testing.assert_array_equal(coef == 0.0, zero)


# -- proximal Adam removes irrelevant input features ---------------------------

N_INFORMATIVE = 5


@pytest.fixture(scope="module")
def many_irrelevant_features():
    # shuffle=False keeps the informative features in the first columns.
    X, y = make_classification(
        n_samples=1000,
        n_features=50,
        n_informative=N_INFORMATIVE,
        n_redundant=0,
        n_repeated=0,
        shuffle=False,
        random_state=0,
    )
    return StandardScaler().fit_transform(X), y


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_adam_l1_switches_off_irrelevant_features(
    many_irrelevant_features, seed, activation
):
    X, y = many_irrelevant_features
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est = RegularizedMLPClassifier(
            hidden_layer_sizes=(8,),
            activation=activation,
            solver="adam",
            penalty="l1",
            alpha=0.03,
            learning_rate_init=0.01,
            max_iter=300,
            random_state=seed,
        ).fit(X, y)
    weights = np.concatenate([coef.ravel() for coef in est.coefs_])
    assert np.mean(weights == 0.0) >= 0.9

    zero_rows = np.all(est.coefs_[0] == 0.0, axis=1)
    assert not zero_rows[:N_INFORMATIVE].any(), "an informative feature was dropped"
    assert zero_rows[N_INFORMATIVE:].mean() >= 0.75
    assert est.score(X, y) > 0.85
