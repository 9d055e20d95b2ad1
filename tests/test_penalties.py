"""Tests of :mod:`skreg.penalties` against independent references.

Every penalty is the family ``l1 * sum|w| + l2 / 2 * sum w**2`` (the user
guide, "How L1 gets exact zeros"). The references here are deliberately
naive: one-line NumPy formulas for ``value``, central finite differences for
``gradient`` and a brute-force scalar minimizer for ``prox`` / ``prox_`` (the
penalties are separable, so the proximal problem splits into one-dimensional
problems, one per weight).
"""

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from skreg.penalties import L1, L2, ElasticNet, NoPenalty, Penalty, make_penalty

ALPHAS = [0.0, 0.3, 2.0]
L1_RATIOS = [0.0, 0.25, 1.0]
STEPS = [1e-3, 0.1, 1.0, 7.5]


def _penalties():
    """Every penalty under test, including the edge strengths."""
    pens = [NoPenalty()]
    for alpha in ALPHAS:
        pens += [L1(alpha), L2(alpha)]
        pens += [ElasticNet(alpha, rho) for rho in L1_RATIOS]
    return pens


PENALTIES = _penalties()


def _reference_value(pen, w):
    """The user guide's ``alpha * (rho * sum|w| + (1 - rho) / 2 * sum w**2)``."""
    if isinstance(pen, NoPenalty):
        return 0.0
    if isinstance(pen, L1):
        return pen.alpha * np.abs(w).sum()
    if isinstance(pen, L2):
        return pen.alpha / 2 * (w**2).sum()
    rho = pen.l1_ratio
    return pen.alpha * (rho * np.abs(w).sum() + (1 - rho) / 2 * (w**2).sum())


def _brute_force_prox(pen, v, step):
    """``argmin_u pen(u) + (u - v)**2 / (2 step)``, one coordinate at a time.

    The 1-D objective is strictly convex and its minimizer lies between 0 and
    ``v``, so a bounded scalar search on a slightly larger interval finds it.
    """
    v = np.asarray(v, dtype=float)
    steps = np.broadcast_to(step, v.shape)
    out = np.empty_like(v)
    for idx in np.ndindex(v.shape):
        vi, si = v[idx], steps[idx]

        def h(u, vi=vi, si=si):
            return pen.value(np.array([u])) + (u - vi) ** 2 / (2 * si)

        lo, hi = -abs(vi) - 1.0, abs(vi) + 1.0
        res = minimize_scalar(h, bounds=(lo, hi), method="bounded")
        res_tight = minimize_scalar(
            h, bounds=(lo, hi), method="bounded", options={"xatol": 1e-12}
        )
        out[idx] = min((res, res_tight), key=lambda r: r.fun).x
    return out


def _prox_objective(pen, u, v, step):
    """Per-coordinate value of the proximal objective at ``u``."""
    u = np.asarray(u, dtype=float)
    return np.array(
        [
            pen.value(np.array([ui])) + (ui - vi) ** 2 / (2 * si)
            for ui, vi, si in zip(
                u.ravel(),
                np.ravel(v),
                np.broadcast_to(step, np.shape(v)).ravel(),
                strict=True,
            )
        ]
    ).reshape(u.shape)


def _test_vector(pen, step):
    """Points on both sides of, and exactly at, the threshold ``step * l1``."""
    t = step * pen.l1
    base = np.array([0.0, 1e-9, -0.4, 0.7, -2.5, 3.0, 0.05, -0.05, 11.0])
    at_threshold = np.array([t, -t, 0.5 * t, -0.999 * t, 1.001 * t, -1.5 * t])
    return np.concatenate([base, at_threshold])


# --------------------------------------------------------------------- value


def test_seed_values():
    # The seed formulas of the user guide's objective: L1 = lambda * sum|w|
    # with alpha = lambda, L2 = lambda * sum w**2 with alpha = 2 * lambda.
    assert L1(alpha=0.5).value([1, -1, 2, -2]) == 3.0
    assert L2(alpha=1.0).value([1, -1, 2, -2]) == 5.0


def test_spec_examples():
    assert L2(alpha=3.0).value(np.array([1.0, 2.0])) == pytest.approx(3.0 / 2 * 5)
    assert ElasticNet(alpha=1.0, l1_ratio=0.5).value([2.0, -2.0]) == 4.0
    assert NoPenalty().value([1.0, -2.0]) == 0.0


@pytest.mark.parametrize("pen", PENALTIES, ids=repr)
@pytest.mark.parametrize("shape", [(7,), (3, 4), (2, 3, 2)])
def test_value_matches_formula_on_arrays(pen, shape):
    w = np.random.default_rng(0).normal(size=shape)
    value = pen.value(w)
    assert isinstance(value, float)
    assert value == pytest.approx(_reference_value(pen, w), rel=1e-13, abs=1e-15)


@pytest.mark.parametrize("pen", PENALTIES, ids=repr)
def test_value_matches_formula_on_lists_of_arrays(pen):
    rng = np.random.default_rng(1)
    ws = [rng.normal(size=(5, 4)), rng.normal(size=(4, 3)), rng.normal(size=(3, 1))]
    expected = sum(_reference_value(pen, w) for w in ws)
    assert pen.value(ws) == pytest.approx(expected, rel=1e-13, abs=1e-15)
    assert pen.value(tuple(ws)) == pytest.approx(expected, rel=1e-13, abs=1e-15)
    assert pen.value([]) == 0.0


@pytest.mark.parametrize("pen", [L1(0.5), L2(1.5), ElasticNet(1.0, 0.3)], ids=repr)
def test_value_accepts_nested_lists(pen):
    # A nested list is array-like: whether it is read as a 2-D array or as a
    # list of 1-D arrays, the value of the penalty is the same number.
    w = [[1.0, -2.0], [3.0, 0.5]]
    assert pen.value(w) == pytest.approx(_reference_value(pen, np.array(w)))


# ------------------------------------------------------------------ gradient


def _central_difference(f, w, eps=1e-6):
    g = np.empty_like(w)
    for idx in np.ndindex(w.shape):
        wp, wm = w.copy(), w.copy()
        wp[idx] += eps
        wm[idx] -= eps
        g[idx] = (f(wp) - f(wm)) / (2 * eps)
    return g


@pytest.mark.parametrize("pen", PENALTIES, ids=repr)
def test_gradient_matches_finite_differences(pen):
    rng = np.random.default_rng(2)
    # Keep every weight away from 0, where the L1 part is not differentiable.
    w = rng.uniform(0.2, 2.0, size=(4, 3)) * rng.choice([-1.0, 1.0], size=(4, 3))

    # The smooth part alone, written from the penalty's own value.
    def smooth(u):
        return pen.value(u) - pen.l1 * np.abs(u).sum()

    fd = _central_difference(smooth, w)
    np.testing.assert_allclose(pen.gradient(w), fd, rtol=1e-7, atol=1e-9)
    # Away from 0 the whole penalty is differentiable too: its gradient is the
    # smooth gradient plus l1 * sign(w).
    fd_full = _central_difference(pen.value, w)
    np.testing.assert_allclose(
        pen.gradient(w) + pen.l1 * np.sign(w), fd_full, rtol=1e-7, atol=1e-9
    )


@pytest.mark.parametrize("pen", PENALTIES, ids=repr)
def test_gradient_formula_and_structure(pen):
    rng = np.random.default_rng(3)
    ws = [rng.normal(size=(3, 2)), rng.normal(size=(2,))]
    grads = pen.gradient(ws)
    assert isinstance(grads, list) and len(grads) == 2
    for g, w in zip(grads, ws, strict=True):
        assert g.shape == w.shape
        np.testing.assert_allclose(g, pen.l2 * w, rtol=1e-15, atol=0)
    single = pen.gradient(ws[0])
    assert isinstance(single, np.ndarray)
    np.testing.assert_allclose(single, pen.l2 * ws[0], rtol=1e-15, atol=0)


# ---------------------------------------------------------------------- prox


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("pen", PENALTIES, ids=repr)
def test_prox_matches_brute_force(pen, step):
    v = _test_vector(pen, step)
    got = pen.prox(v, step)
    ref = _brute_force_prox(pen, v, step)
    # Bounded Brent search is accurate to ~1e-8 here; prox must be at least as
    # good a minimizer as the search, and close to its answer.
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-6)
    assert np.all(
        _prox_objective(pen, got, v, step) <= _prox_objective(pen, ref, v, step) + 1e-12
    )


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("pen", PENALTIES, ids=repr)
def test_prox_exact_zeros_below_threshold(pen, step):
    v = _test_vector(pen, step)
    got = pen.prox(v, step)
    threshold = step * pen.l1
    below = np.abs(v) <= threshold
    # Exactly 0.0, not merely small: this is what makes coefs_ sparse.
    assert np.all(got[below] == 0.0)
    above = ~below
    assert np.all(got[above] != 0.0)
    assert np.all(np.sign(got[above]) == np.sign(v[above]))
    # The closed form: soft-threshold, then shrink.
    expected = np.sign(v) * np.maximum(np.abs(v) - threshold, 0) / (1 + step * pen.l2)
    np.testing.assert_allclose(got, expected, rtol=1e-14, atol=0)


@pytest.mark.parametrize("pen", PENALTIES, ids=repr)
def test_prox_on_list_of_arrays(pen):
    rng = np.random.default_rng(4)
    ws = [rng.normal(size=(3, 4)), rng.normal(size=(4,)), rng.normal(size=(4, 1))]
    originals = [w.copy() for w in ws]
    out = pen.prox(ws, 0.4)
    assert isinstance(out, list) and len(out) == 3
    for o, w, w0 in zip(out, ws, originals, strict=True):
        assert o.shape == w.shape
        assert o is not w
        np.testing.assert_array_equal(w, w0)  # input left untouched
        np.testing.assert_allclose(o, pen.prox(w0, 0.4), rtol=0, atol=0)
        np.testing.assert_allclose(o, _brute_force_prox(pen, w0, 0.4), atol=1e-6)


@pytest.mark.parametrize(
    "pen", [L1(0.3), ElasticNet(0.3, 0.6), L2(0.3), NoPenalty()], ids=repr
)
def test_prox_with_per_weight_steps(pen):
    rng = np.random.default_rng(5)
    v = rng.normal(size=(4, 3))
    steps = rng.uniform(0.01, 5.0, size=(4, 3))
    got = pen.prox(v, steps)
    np.testing.assert_allclose(got, _brute_force_prox(pen, v, steps), atol=1e-6)


def test_prox_with_zero_alpha_is_identity():
    v = np.array([-3.0, -1e-12, 0.0, 0.2, 5.0])
    for pen in [NoPenalty(), L1(0.0), L2(0.0), ElasticNet(0.0, 0.5)]:
        got = pen.prox(v, 10.0)
        assert got is not v
        np.testing.assert_array_equal(got, v)


# ------------------------------------------- prox_, the solvers' in-place step


def _soft_threshold(v, t):
    return np.sign(v) * np.maximum(np.abs(v) - t, 0)


@pytest.mark.parametrize(
    "pen", [L1(0.7), ElasticNet(0.7, 0.4), ElasticNet(2.0, 1.0)], ids=repr
)
def test_prox_in_place_per_weight_steps_matches_brute_force(pen):
    """``prox_`` is the prox of the non-smooth part alone, ``l1 * sum|w|``,
    with one step per weight (Adam's metric), in place."""
    rng = np.random.default_rng(6)
    v = rng.normal(size=20)
    steps = rng.uniform(0.0, 3.0, size=20)
    steps[0] = 0.0  # a zero step leaves the weight unchanged
    got = v.copy()
    pen.prox_([got], [steps.copy()])
    ref = _brute_force_prox(L1(pen.l1), v, np.maximum(steps, 1e-300))
    np.testing.assert_allclose(got, ref, atol=1e-6)
    np.testing.assert_allclose(got, _soft_threshold(v, steps * pen.l1), atol=1e-15)
    assert np.all(got[np.abs(v) <= steps * pen.l1] == 0.0)
    assert got[0] == v[0]


@pytest.mark.parametrize("pen", [L1(0.5), ElasticNet(0.5, 0.5)], ids=repr)
def test_prox_in_place_with_scratch_returns_the_value(pen):
    rng = np.random.default_rng(7)
    v = rng.normal(size=12)
    steps = rng.uniform(0.0, 2.0, size=12)
    expected = _soft_threshold(v, steps * pen.l1)
    got = v.copy()
    scratch = np.full_like(v, np.nan)
    value = pen.prox_([got], [steps.copy()], scratch=scratch)
    np.testing.assert_allclose(got, expected, atol=1e-15)
    assert value == pytest.approx(pen.l1 * np.abs(expected).sum(), rel=1e-12)
    assert pen.nonsmooth_value([got]) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("pen", [L2(1.0), NoPenalty(), ElasticNet(1.0, 0.0)], ids=repr)
def test_prox_in_place_without_l1_part_is_identity(pen):
    assert pen.is_smooth
    v = np.array([-1.0, 0.0, 2.0])
    got = v.copy()
    assert pen.prox_([got], [100.0]) == 0.0
    np.testing.assert_array_equal(got, v)


def test_prox_in_place_on_several_arrays():
    ws = [np.array([[1.0, -0.2], [0.3, -4.0]]), np.array([0.1, 2.0])]
    assert L1(1.0).prox_(ws, [0.5, 0.5]) is None  # not known without scratch
    np.testing.assert_array_equal(ws[0], [[0.5, 0.0], [0.0, -3.5]])
    np.testing.assert_array_equal(ws[1], [0.0, 1.5])


# ------------------------------------------------------------ construction


@pytest.mark.parametrize(
    "name, expected",
    [
        (None, NoPenalty()),
        ("l1", L1(0.2)),
        ("l2", L2(0.2)),
        ("elasticnet", ElasticNet(0.2, 0.35)),
    ],
)
def test_make_penalty_resolves_names(name, expected):
    pen = make_penalty(name, alpha=0.2, l1_ratio=0.35)
    assert type(pen) is type(expected)
    assert pen == expected
    rho = {None: None, "l1": 1.0, "l2": 0.0, "elasticnet": 0.35}[name]
    if rho is None:
        assert (pen.l1, pen.l2) == (0.0, 0.0)
    else:
        assert pen.l1 == pytest.approx(0.2 * rho)
        assert pen.l2 == pytest.approx(0.2 * (1 - rho))


def test_make_penalty_passes_instances_through():
    pen = ElasticNet(0.1, 0.9)
    assert make_penalty(pen, alpha=5.0, l1_ratio=0.1) is pen


@pytest.mark.parametrize("name", ["L1", "lasso", "none", "", "l1 ", 1])
def test_make_penalty_rejects_unknown_names(name):
    with pytest.raises(ValueError, match="penalty"):
        make_penalty(name, alpha=0.1)


@pytest.mark.parametrize("alpha", [-1e-3, -1, np.nan, np.inf, "0.1", None, [0.1]])
@pytest.mark.parametrize(
    "factory",
    [
        L1,
        L2,
        lambda a: ElasticNet(a, 0.5),
        lambda a: make_penalty("l1", a),
        lambda a: make_penalty("elasticnet", a, 0.5),
    ],
)
def test_invalid_alpha_raises(factory, alpha):
    with pytest.raises(ValueError, match="alpha"):
        factory(alpha)


@pytest.mark.parametrize("l1_ratio", [-0.1, 1.0001, np.nan, np.inf, "0.5", None])
def test_invalid_l1_ratio_raises(l1_ratio):
    with pytest.raises(ValueError, match="l1_ratio"):
        ElasticNet(0.1, l1_ratio)
    with pytest.raises(ValueError, match="l1_ratio"):
        make_penalty("elasticnet", 0.1, l1_ratio)


@pytest.mark.parametrize("alpha", [0, 0.0, 1, np.float32(0.5), np.int64(2)])
def test_valid_alpha_types(alpha):
    assert L1(alpha).l1 == float(alpha)
    assert L2(alpha).l2 == float(alpha)


# ------------------------------------------------------------ standalone use


def test_usable_on_their_own():
    # The objects need no estimator, network or solver: a user can evaluate,
    # differentiate and take proximal steps on plain arrays and lists.
    coefs = [np.array([[0.5, -1.5], [2.0, 0.0]]), np.array([[0.25], [-0.75]])]
    pen = ElasticNet(alpha=0.5, l1_ratio=0.5)
    flat = np.concatenate([c.ravel() for c in coefs])
    assert pen.value(coefs) == pytest.approx(
        0.5 * (0.5 * np.abs(flat).sum() + 0.25 * (flat**2).sum())
    )
    shrunk = pen.prox(coefs, step=1.0)
    assert [s.shape for s in shrunk] == [(2, 2), (2, 1)]
    # Soft-threshold by step * l1 = 0.25, then divide by 1 + step * l2 = 1.25.
    np.testing.assert_allclose(shrunk[0], [[0.2, -1.0], [1.4, 0.0]], rtol=1e-15)
    np.testing.assert_allclose(shrunk[1], [[0.0], [-0.4]], rtol=1e-15)
    assert shrunk[1][0, 0] == 0.0
    assert isinstance(pen, Penalty)
    assert repr(pen) == "ElasticNet(alpha=0.5, l1_ratio=0.5)"
    assert pen == ElasticNet(0.5, 0.5) and pen != ElasticNet(0.5, 0.4)
    assert hash(pen) == hash(ElasticNet(0.5, 0.5))
    assert L1(1.0) != L2(1.0)
    assert L2(1.0).gradient([1.0, -2.0]).tolist() == [1.0, -2.0]
    assert L2(1.0).is_smooth and NoPenalty().is_smooth
    assert not L1(1.0).is_smooth and not ElasticNet(1.0, 0.1).is_smooth


@pytest.mark.parametrize("pen", [L1(0.5), L2(0.5), ElasticNet(0.5, 0.5)], ids=repr)
def test_float32_in_float32_out(pen):
    # float32 models (the estimators' ``fit``: float32 X trains in float32, coefs_
    # float32) must be able to use the penalties without a silent upcast.
    w = np.array([[3.0, -0.5], [1.5, 0.01]], dtype=np.float32)
    assert pen.gradient(w).dtype == np.float32
    assert pen.prox(w, 1.0).dtype == np.float32
    flat = w.ravel().copy()
    pen.prox_([flat], [np.full(flat.shape, 0.5, np.float32)])
    assert flat.dtype == np.float32
