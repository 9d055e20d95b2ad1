"""A user-written penalty plugs in through ``penalty=``: the user guide's MCP.

The class is taken from ``examples/plot_custom_penalty.py`` (the code the user
guide shows), checked against a brute-force proximal step, and used in
estimators that pass scikit-learn's ``check_estimator``, ``clone``, nested
``set_params`` and a grid search; an estimator holding a built-in penalty
instance behaves like one given the penalty's name.
"""

import ast
import pickle
from pathlib import Path

import joblib
import numpy as np
import pytest
from scipy.optimize import minimize_scalar
from sklearn.base import clone
from sklearn.datasets import make_regression
from sklearn.model_selection import GridSearchCV
from sklearn.utils.estimator_checks import parametrize_with_checks

from skreg import RegularizedMLPClassifier, RegularizedMLPRegressor
from skreg.penalties import L1, ElasticNet, Penalty

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "plot_custom_penalty.py"


def _load_example_penalty():
    """The example's imports and its ``MCP`` class, without running its fits."""
    tree = ast.parse(EXAMPLE.read_text(encoding="utf-8"))
    keep = [
        node
        for node in tree.body
        if isinstance(node, (ast.Import, ast.ImportFrom))
        or (isinstance(node, ast.ClassDef) and node.name == "MCP")
    ]
    namespace = {"__name__": __name__}
    exec(compile(ast.Module(keep, type_ignores=[]), str(EXAMPLE), "exec"), namespace)
    return namespace["MCP"]


MCP = _load_example_penalty()
MCP.__module__ = __name__  # picklable as this module's class
MCP.__qualname__ = "MCP"


def test_the_example_penalty_is_short():
    source = ast.get_source_segment(
        EXAMPLE.read_text(encoding="utf-8"),
        next(
            node
            for node in ast.parse(EXAMPLE.read_text(encoding="utf-8")).body
            if isinstance(node, ast.ClassDef)
        ),
    )
    assert len(source.splitlines()) <= 40
    assert issubclass(MCP, Penalty)


def _mcp_value(w, alpha, gamma):
    u = abs(w)
    return (
        alpha * u - u**2 / (2 * gamma) if u <= gamma * alpha else gamma * alpha**2 / 2
    )


def _brute_force_prox(v, step, alpha, gamma):
    """Global minimizer of ``mcp(u) + (u - v)**2 / (2 step)`` (non-convex for
    ``step >= gamma``): the best of bounded searches on each monotone piece."""
    candidates = [0.0, v]
    for lo, hi in [(-abs(v) - 1, 0.0), (0.0, abs(v) + 1)]:
        res = minimize_scalar(
            lambda u: _mcp_value(u, alpha, gamma) + (u - v) ** 2 / (2 * step),
            bounds=(lo, hi),
            method="bounded",
            options={"xatol": 1e-12},
        )
        candidates.append(res.x)
    return min(
        candidates,
        key=lambda u: _mcp_value(u, alpha, gamma) + (u - v) ** 2 / (2 * step),
    )


def _prox_objective(u, v, step, alpha, gamma):
    return _mcp_value(u, alpha, gamma) + (u - v) ** 2 / (2 * step)


@pytest.mark.parametrize("step", [0.1, 1.0, 2.9, 3.0, 5.0])
def test_mcp_prox_is_exact(step):
    """The proximal step reaches the global minimum of its (for ``step >=
    gamma`` non-convex) problem, with one step or one step per weight."""
    alpha, gamma = 0.8, 3.0
    penalty = MCP(alpha, gamma)
    v = np.linspace(-4, 4, 81) + 0.013  # off the ties at the thresholds
    steps = np.full_like(v, step)
    steps[::2] = 0.5
    for given in (step, steps):
        got = v.copy()
        penalty.prox_([got], [given])
        for x, s, u in zip(v, np.broadcast_to(given, v.shape), got, strict=True):
            best = _brute_force_prox(x, s, alpha, gamma)
            assert (
                _prox_objective(u, x, s, alpha, gamma)
                <= _prox_objective(best, x, s, alpha, gamma) + 1e-12
            )
            assert u == pytest.approx(best, abs=1e-6)


def test_mcp_value_and_standalone_methods():
    penalty = MCP(alpha=0.5, gamma=2.0)
    w = np.array([[0.2, -3.0], [1.0, 0.0]])
    expected = sum(_mcp_value(x, 0.5, 2.0) for x in w.ravel())
    assert penalty.value(w) == pytest.approx(expected, rel=1e-14)
    assert penalty.value([w, w]) == pytest.approx(2 * expected, rel=1e-14)
    shrunk = penalty.prox(w, step=0.5)
    assert shrunk is not w and shrunk.shape == w.shape
    assert shrunk[0, 1] == -3.0  # beyond gamma * alpha: unchanged, unbiased
    assert shrunk[0, 0] == 0.0
    assert repr(penalty) == "MCP(alpha=0.5, gamma=2.0)"
    with pytest.raises(ValueError, match="gamma"):
        MCP(alpha=0.5, gamma=0.0)


ESTIMATORS = [
    RegularizedMLPClassifier(penalty=MCP(alpha=1e-3)),
    RegularizedMLPRegressor(penalty=MCP(alpha=1e-3), solver="sgd"),
    RegularizedMLPRegressor(penalty=ElasticNet(1e-3, 0.3)),
]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible_with_a_penalty_instance(estimator, check):
    check(estimator)


def _data():
    X, y = make_regression(n_samples=120, n_features=8, noise=1.0, random_state=0)
    return X, y / y.std()


def test_clone_fit_and_pickle_leave_the_penalty_alone():
    X, y = _data()
    penalty = MCP(alpha=1e-2, gamma=3.0)
    est = RegularizedMLPRegressor(
        hidden_layer_sizes=(6,), penalty=penalty, max_iter=20, random_state=0
    )
    before = joblib.hash(penalty)
    copy = clone(est)
    assert copy.penalty is not penalty and copy.penalty == penalty
    est.fit(X, y)
    assert est.penalty is penalty and joblib.hash(penalty) == before
    restored = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(restored.predict(X), est.predict(X))
    # nested parameters, as for any scikit-learn sub-object
    assert est.get_params()["penalty__gamma"] == 3.0
    est.set_params(penalty__gamma=4.0)
    assert est.penalty.gamma == 4.0 and penalty.gamma == 4.0


def test_grid_search_over_penalty_instances():
    X, y = _data()
    est = RegularizedMLPRegressor(hidden_layer_sizes=(), max_iter=30, random_state=0)
    grid = GridSearchCV(
        est,
        {"penalty": [L1(1e-2), MCP(alpha=1e-2)], "learning_rate_init": [1e-2]},
        cv=2,
    ).fit(X, y)
    assert isinstance(grid.best_params_["penalty"], (L1, MCP))
    nested = GridSearchCV(
        est.set_params(penalty=MCP()), {"penalty__alpha": [1e-3, 1e-1]}, cv=2
    ).fit(X, y)
    assert nested.best_params_["penalty__alpha"] in (1e-3, 1e-1)


def test_an_instance_trains_like_its_name():
    X, y = _data()
    params = dict(hidden_layer_sizes=(5,), max_iter=15, random_state=0)
    by_name = RegularizedMLPRegressor(penalty="l1", alpha=3e-3, **params).fit(X, y)
    by_instance = RegularizedMLPRegressor(penalty=L1(3e-3), alpha=99.0, **params)
    by_instance.fit(X, y)  # alpha does not apply to an instance
    for a, b in zip(by_name.coefs_, by_instance.coefs_, strict=True):
        np.testing.assert_array_equal(a, b)


def test_lbfgs_names_the_solvers_that_take_the_penalty():
    X, y = _data()
    est = RegularizedMLPRegressor(solver="lbfgs", penalty=MCP(alpha=1e-2))
    with pytest.raises(ValueError, match=r"penalty=MCP.*solver='sgd' or 'adam'"):
        est.fit(X, y)


def test_mcp_fit_is_sparse_and_less_biased_than_the_lasso():
    """The example's claim, on its data: the same support, smaller error on it."""
    X, y, truth = make_regression(
        n_samples=400,
        n_features=10,
        n_informative=3,
        noise=0.5,
        coef=True,
        random_state=0,
    )
    y, truth = y / y.std(), truth / y.std()
    params = dict(
        hidden_layer_sizes=(), learning_rate_init=0.05, max_iter=300, random_state=0
    )
    errors = {}
    for name, penalty in {"l1": L1(0.1), "mcp": MCP(alpha=0.1)}.items():
        coef = RegularizedMLPRegressor(penalty=penalty, **params).fit(X, y).coefs_[0]
        coef = coef.ravel()
        assert np.array_equal(coef != 0, truth != 0), name
        errors[name] = np.abs(coef - truth)[truth != 0].max()
    assert errors["mcp"] < errors["l1"] / 5
