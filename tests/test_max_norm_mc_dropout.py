"""The dropout recipe beyond plain dropout: max-norm constraints, input
dropout, and Monte-Carlo dropout predictions with uncertainty."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_digits, make_regression

from skreg import RegularizedMLPClassifier, RegularizedMLPRegressor


@pytest.mark.parametrize("solver", ["adam", "sgd"])
@pytest.mark.parametrize("max_norm", [0.5, 1.0])
def test_max_norm_holds_for_every_hidden_unit(solver, max_norm):
    X, y = load_digits(return_X_y=True)
    X = X[:500] / 16.0
    clf = RegularizedMLPClassifier(
        hidden_layer_sizes=(32, 16),
        solver=solver,
        learning_rate_init=0.05 if solver == "sgd" else 0.01,
        max_norm=max_norm,
        dropout=0.5,
        input_dropout=0.2,
        max_iter=30,
        random_state=0,
    ).fit(X, y[:500])
    for incoming in clf.coefs_[:-1]:
        norms = np.linalg.norm(incoming, axis=0)
        assert np.all(norms <= max_norm + 1e-12)
    # The constraint binds: without it some unit grows beyond the radius.
    free = RegularizedMLPClassifier(
        hidden_layer_sizes=(32, 16),
        solver=solver,
        learning_rate_init=0.05 if solver == "sgd" else 0.01,
        dropout=0.5,
        input_dropout=0.2,
        max_iter=30,
        random_state=0,
    ).fit(X, y[:500])
    assert max(np.linalg.norm(c, axis=0).max() for c in free.coefs_[:-1]) > max_norm
    assert clf.score(X, y[:500]) > 0.5


@pytest.mark.parametrize(
    "params", [{"max_norm": 1.0}, {"input_dropout": 0.2}, {"penalty": "group"}]
)
def test_stochastic_only_options_rejected_by_lbfgs(params):
    X, y = make_regression(n_samples=30, n_features=3, random_state=0)
    name = next(iter(params))
    with pytest.raises(ValueError, match=name):
        RegularizedMLPRegressor(solver="lbfgs", **params).fit(X, y)


def test_input_dropout_on_sparse_and_dense_data_trains():
    import scipy.sparse as sp

    X, y = make_regression(n_samples=200, n_features=20, random_state=0)
    X[np.abs(X) < 1] = 0
    for data in (X, sp.csr_matrix(X)):
        reg = RegularizedMLPRegressor(
            hidden_layer_sizes=(16,), input_dropout=0.2, max_iter=50, random_state=0
        ).fit(data, y)
        assert np.isfinite(reg.predict(data)).all()


def _toy_1d(random_state=0):
    rng = np.random.RandomState(random_state)
    x = rng.uniform(-1, 1, size=(200, 1))
    y = np.sin(3 * x[:, 0]) + 0.1 * rng.normal(size=200)
    return x, y


@pytest.fixture(scope="module")
def mc_regressor():
    x, y = _toy_1d()
    return RegularizedMLPRegressor(
        hidden_layer_sizes=(64, 64),
        dropout=0.2,
        learning_rate_init=0.01,
        max_iter=300,
        random_state=0,
    ).fit(x, y)


def test_mc_std_zero_without_dropout():
    x, y = _toy_1d()
    reg = RegularizedMLPRegressor(
        hidden_layer_sizes=(16,), max_iter=50, random_state=0
    ).fit(x, y)
    mean, std = reg.predict(x, return_std=True, random_state=0)
    assert_array_equal(std, 0.0)
    assert_array_equal(mean, reg.predict(x))


def test_mc_std_positive_and_larger_far_from_data(mc_regressor):
    inside = np.linspace(-0.8, 0.8, 30).reshape(-1, 1)
    outside = np.linspace(3.0, 5.0, 30).reshape(-1, 1)
    _, std_inside = mc_regressor.predict(inside, return_std=True, random_state=0)
    _, std_outside = mc_regressor.predict(outside, return_std=True, random_state=0)
    assert np.all(std_inside > 0)
    assert std_outside.mean() > 2 * std_inside.mean()


def test_mc_is_reproducible_and_averages_to_the_prediction(mc_regressor):
    x = np.linspace(-1, 1, 25).reshape(-1, 1)
    first = mc_regressor.predict(x, return_std=True, random_state=3)
    second = mc_regressor.predict(x, return_std=True, random_state=3)
    other = mc_regressor.predict(x, return_std=True, random_state=4)
    assert_array_equal(first[0], second[0])
    assert_array_equal(first[1], second[1])
    assert not np.array_equal(first[1], other[1])
    # With many passes the MC mean approaches the deterministic prediction
    # (inverted dropout has the right expectation at the first layer; the
    # nonlinearity makes the rest close rather than equal).
    mean, std = mc_regressor.predict(x, return_std=True, mc_passes=2000, random_state=0)
    assert np.abs(mean - mc_regressor.predict(x)).max() < 0.1
    assert mean.shape == std.shape == (25,)


def test_mc_multi_output_shapes():
    X, Y = make_regression(n_samples=60, n_features=4, n_targets=3, random_state=0)
    reg = RegularizedMLPRegressor(
        hidden_layer_sizes=(8,), dropout=0.3, max_iter=20, random_state=0
    ).fit(X, Y)
    mean, std = reg.predict(X, return_std=True, mc_passes=7, random_state=0)
    assert mean.shape == std.shape == (60, 3)


def test_classifier_mc_probabilities():
    X, y = load_digits(return_X_y=True)
    X = X[:400] / 16.0
    y = y[:400]
    clf = RegularizedMLPClassifier(
        hidden_layer_sizes=(32,), dropout=0.3, max_iter=40, random_state=0
    ).fit(X, y)
    proba = clf.predict_proba_mc(X[:50], mc_passes=50, random_state=0)
    assert proba.shape == (50, 10)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert_array_equal(proba, clf.predict_proba_mc(X[:50], 50, random_state=0))
    assert not np.array_equal(proba, clf.predict_proba(X[:50]))
    assert (proba.argmax(axis=1) == clf.predict(X[:50])).mean() > 0.9
    # Binary targets give two columns; no dropout gives predict_proba itself.
    binary = RegularizedMLPClassifier(
        hidden_layer_sizes=(8,), max_iter=20, random_state=0
    ).fit(X, y % 2)
    assert_array_equal(binary.predict_proba_mc(X), binary.predict_proba(X))
    with pytest.raises(ValueError, match="mc_passes"):
        clf.predict_proba_mc(X, mc_passes=0)
