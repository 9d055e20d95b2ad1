"""Group sparsity: the GroupLasso prox, whole zero rows and columns, feature
selection with SelectFromModel, and pruning of dead units."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.optimize import minimize
from sklearn.datasets import make_classification
from sklearn.feature_selection import SelectFromModel
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skreg import RegularizedMLPClassifier, RegularizedMLPRegressor
from skreg.penalties import GroupLasso, make_penalty


def _brute_force_prox(penalty, v, step):
    """argmin_u penalty(u) + ||u - v||^2 / (2 step), by a smooth solver on
    each row (rows are independent groups) started from several points."""
    out = np.empty_like(v)
    for i, row in enumerate(v):

        def f(u, row=row):
            return penalty.value(u[None, :]) + np.sum((u - row) ** 2) / (2 * step)

        best = min(
            (
                minimize(
                    f,
                    x0,
                    method="Nelder-Mead",
                    options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 20000},
                )
                for x0 in (row, np.zeros_like(row), 0.5 * row)
            ),
            key=lambda r: r.fun,
        )
        out[i] = best.x
    return out


@pytest.mark.parametrize("alpha", [0.1, 0.5, 2.0])
@pytest.mark.parametrize("step", [0.1, 1.0])
def test_group_prox_matches_brute_force(alpha, step):
    rng = np.random.RandomState(0)
    v = rng.normal(size=(6, 3))
    penalty = GroupLasso(alpha)
    prox = penalty.prox(v, step)
    expected = _brute_force_prox(penalty, v, step)
    assert_allclose(prox, expected, atol=2e-5)
    # Groups below the threshold are exactly zero, the others are not.
    threshold = step * alpha * np.sqrt(v.shape[1])
    small = np.linalg.norm(v, axis=1) <= threshold
    assert_array_equal(~prox.any(axis=1), small)


def test_group_value_and_resolver():
    W = np.array([[3.0, 4.0], [0.0, 0.0], [0.6, 0.8]])
    assert GroupLasso(2.0).value(W) == pytest.approx(2.0 * np.sqrt(2) * 6.0)
    assert GroupLasso(1.0).value([W, np.ones(4)]) == pytest.approx(
        np.sqrt(2) * 6.0 + np.sqrt(4) * 2.0
    )
    assert make_penalty("group", alpha=0.3) == GroupLasso(0.3)
    with pytest.raises(ValueError, match="alpha"):
        GroupLasso(-1.0)


def _informative_problem(random_state=0):
    X, y = make_classification(
        n_samples=600,
        n_features=30,
        n_informative=5,
        n_redundant=0,
        shuffle=False,
        class_sep=1.5,
        random_state=random_state,
    )
    return StandardScaler().fit_transform(X), y


def test_group_penalty_zeroes_whole_rows_and_columns():
    X, y = _informative_problem()
    clf = RegularizedMLPClassifier(
        hidden_layer_sizes=(32, 16),
        penalty="group",
        alpha=2e-2,
        max_iter=300,
        random_state=0,
    ).fit(X, y)
    first, second, _ = clf.coefs_
    zero_rows = ~first.any(axis=1)
    # Whole input features are removed, most of them irrelevant ones.
    assert zero_rows[5:].sum() >= 15
    assert not zero_rows[:5].all()
    # Dead hidden units: an all-zero outgoing row in the next matrix, and
    # then an all-zero incoming column.
    dead = ~second.any(axis=1)
    assert dead.any()
    assert not first[:, dead].any()
    assert clf.score(X, y) > 0.8


def test_select_from_model_in_pipeline_selects_informative_features():
    X, y = _informative_problem(random_state=1)
    selector = SelectFromModel(
        RegularizedMLPClassifier(
            hidden_layer_sizes=(32, 16),
            penalty="group",
            alpha=2e-2,
            max_iter=300,
            random_state=0,
        ),
        threshold=1e-12,
    )
    pipe = make_pipeline(selector, RegularizedMLPClassifier(random_state=0))
    pipe.fit(X, y)
    kept = np.flatnonzero(pipe[0].get_support())
    informative = set(range(5))
    assert len(informative & set(kept)) >= 4
    assert len(set(kept) - informative) <= 5
    assert pipe.score(X, y) > 0.8


def test_feature_importances():
    X, y = _informative_problem()
    clf = RegularizedMLPClassifier(
        hidden_layer_sizes=(16,),
        penalty="l1",
        alpha=1e-3,
        max_iter=200,
        random_state=0,
    ).fit(X, y)
    importances = clf.feature_importances_
    assert importances.shape == (X.shape[1],)
    assert importances.sum() == pytest.approx(1.0)
    assert_array_equal(importances == 0, ~clf.coefs_[0].any(axis=1))
    assert importances[:5].mean() > importances[5:].mean()


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity"])
def test_pruned_network_predicts_the_same_with_fewer_parameters(activation):
    X, y = _informative_problem()
    clf = RegularizedMLPClassifier(
        hidden_layer_sizes=(32, 16),
        activation=activation,
        penalty="group",
        alpha=1e-3,
        max_iter=200,
        random_state=0,
    ).fit(X, y)
    # A unit with zero incoming weights outputs a constant: pruning folds it
    # into the next layer's biases.
    clf.coefs_[0][:, 0] = 0.0
    pruned = clf.pruned()
    n_before = sum(c.size for c in clf.coefs_) + sum(b.size for b in clf.intercepts_)
    n_after = sum(c.size for c in pruned.coefs_) + sum(
        b.size for b in pruned.intercepts_
    )
    assert n_after < n_before
    assert pruned.hidden_layer_sizes == tuple(c.shape[1] for c in pruned.coefs_[:-1])
    assert sum(pruned.hidden_layer_sizes) < 48
    assert_allclose(
        pruned.predict_proba(X), clf.predict_proba(X), rtol=1e-10, atol=1e-12
    )
    assert_array_equal(pruned.predict(X), clf.predict(X))
    # The original is untouched and the copy can keep training.
    assert clf.coefs_[0].shape == (30, 32)
    pruned.partial_fit(X, y)


def test_pruned_regressor_and_group_penalty_with_lbfgs_rejected():
    X, y = _informative_problem()
    reg = RegularizedMLPRegressor(
        hidden_layer_sizes=(16,),
        penalty="group",
        alpha=1e-2,
        max_iter=100,
        random_state=0,
    ).fit(X, y.astype(float))
    assert_allclose(reg.pruned().predict(X), reg.predict(X), rtol=1e-10, atol=1e-12)
    with pytest.raises(ValueError, match="group"):
        RegularizedMLPRegressor(solver="lbfgs", penalty="group").fit(X, y)
