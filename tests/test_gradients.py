"""Gradient and value checks of the training objective.

:class:`skreg._objective.Objective` computes the smooth part of the objective
(docs/user_guide.rst, "The objective"),

    J_smooth = sum_i s_i loss(y_i, f(x_i)) / sum_i s_i + l2 / 2 * sum W**2,

and its gradient by backpropagation; the L1 part ``l1 * sum|W|`` is reported
separately (``nonsmooth_value``). These tests check it against references
that share no code with it:

- the gradient against central finite differences of the value, for every
  hidden activation x output kind x penalty, with and without sample weights
  and with and without a fixed dropout mask;
- the value against a plain NumPy forward pass written here and the loss
  formulas of the user guide's loss table, and against scikit-learn's own MLP losses;
- biases are never penalized, and sample weights enter as
  ``sum s_i loss_i / sum s_i``.

The network is small (5 features -> 4 -> 3 -> outputs, 7 samples), so every
parameter is checked, in float64.
"""

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.special import expit, softmax, xlogy

from skreg._network import Network
from skreg._objective import Objective
from skreg.dropout import draw_mask
from skreg.losses import LOSSES
from skreg.penalties import L1, L2, ElasticNet, NoPenalty

N_SAMPLES = 7
N_FEATURES = 5
HIDDEN = (4, 3)
DROPOUT = (0.3, 0.5)
ALPHA = 0.3
L1_RATIO = 0.4

# Central differences with eps = 1e-6: the truncation error is O(eps**2) ~ 1e-12
# and the rounding error ~ 1e-16 * |J| / eps ~ 1e-10 * |J|, so relative errors
# of a correct gradient are around 1e-9; 1e-6 leaves a wide margin while still
# catching any wrong factor or missing term.
EPS = 1e-6
RTOL = 1e-6
ATOL = 1e-8
# relu is not differentiable at 0: a central difference across a kink mixes
# the two one-sided slopes, so every hidden pre-activation is kept at least
# KINK_MARGIN away from 0, far more than a perturbation of EPS can move it.
KINK_MARGIN = 1e-3

ACTIVATION_NAMES = ["identity", "logistic", "tanh", "relu"]

# name -> (loss name, number of outputs)
OUTPUTS = {
    "binary": ("binary", 1),
    "multilabel": ("binary", 3),
    "multiclass": ("multiclass", 4),
    "squared_error": ("squared_error", 1),
    "squared_error_3": ("squared_error", 3),
    "poisson": ("poisson", 1),
    "poisson_3": ("poisson", 3),
}

PENALTIES = {
    None: NoPenalty(),
    "l1": L1(ALPHA),
    "l2": L2(ALPHA),
    "elasticnet": ElasticNet(ALPHA, L1_RATIO),
}
# rho of the objective (user guide, "The objective"); None means no penalty term at all.
RHO = {None: None, "l1": 1.0, "l2": 0.0, "elasticnet": L1_RATIO}


# ---------------------------------------------------------------- references

REF_ACTIVATIONS = {
    "identity": lambda z: z,
    "logistic": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
}


def _unpack(params, layer_units):
    """Split a flat parameter vector by the documented layout.

    All weights first, layer by layer, each ``(fan_in, fan_out)`` in C order,
    then all biases. Written here rather than taken from ``Network.split``.
    """
    coefs, intercepts, start = [], [], 0
    shapes = list(zip(layer_units[:-1], layer_units[1:], strict=True))
    for fan_in, fan_out in shapes:
        coefs.append(params[start : start + fan_in * fan_out].reshape(fan_in, fan_out))
        start += fan_in * fan_out
    for _, fan_out in shapes:
        intercepts.append(params[start : start + fan_out])
        start += fan_out
    assert start == params.size
    return coefs, intercepts


def _reference_forward(params, layer_units, activation, X, masks=None):
    """Plain forward pass: output pre-activation and hidden pre-activations."""
    coefs, intercepts = _unpack(params, layer_units)
    a, hidden_pre = X, []
    for i, (W, b) in enumerate(zip(coefs, intercepts, strict=True)):
        z = a @ W + b
        if i == len(coefs) - 1:
            return z, hidden_pre
        hidden_pre.append(z)
        a = REF_ACTIVATIONS[activation](z)
        if masks is not None and masks[i] is not None:
            a = a * masks[i]
    raise AssertionError("unreachable")


def _reference_loss_per_sample(kind, z, Y):
    """Loss per sample from the user guide's table, written from the predictions."""
    if kind == "binary":
        p = expit(z)
        return -(xlogy(Y, p) + xlogy(1 - Y, 1 - p)).sum(axis=1)
    if kind == "multiclass":
        p = softmax(z, axis=1)
        return -xlogy(Y, p).sum(axis=1)
    if kind == "squared_error":
        return 0.5 * ((Y - z) ** 2).mean(axis=1)
    if kind == "poisson":
        f = np.exp(z)
        return (xlogy(Y, Y / f) - Y + f).sum(axis=1)
    raise ValueError(kind)


def _reference_objective(case, masks):
    """J (user guide, "The objective") at the case's parameters: (smooth
    part, L1 part)."""
    params, layer_units = case.network.params.copy(), case.layer_units
    kind, penalty, X, Y, sw = case.kind, case.penalty, case.X, case.Y, case.sw
    z, _ = _reference_forward(params, layer_units, case.activation, X, masks)
    per_sample = _reference_loss_per_sample(kind, z, Y)
    s = np.ones(X.shape[0]) if sw is None else sw
    loss = (s * per_sample).sum() / s.sum()
    rho = RHO[penalty]
    if rho is None:
        return loss, 0.0
    W = np.concatenate([c.ravel() for c in _unpack(params, layer_units)[0]])
    return (
        loss + ALPHA * (1 - rho) / 2 * (W**2).sum(),
        ALPHA * rho * np.abs(W).sum(),
    )


# --------------------------------------------------------------------- cases


def _targets(rng, kind, n_outputs, n_samples):
    if kind == "binary":
        Y = rng.integers(0, 2, size=(n_samples, n_outputs)).astype(float)
        Y[0], Y[1] = 0.0, 1.0  # both classes present in every column
        return Y
    if kind == "multiclass":
        labels = np.arange(n_samples) % n_outputs
        return np.eye(n_outputs)[rng.permutation(labels)]
    if kind == "squared_error":
        return rng.normal(size=(n_samples, n_outputs))
    # Counts, including zeros (the xlogy(0, 0) = 0 corner of the deviance).
    Y = rng.poisson(1.5, size=(n_samples, n_outputs)).astype(float)
    Y[0] = 0.0
    return Y


def _relu_ok(hidden_pre):
    """No pre-activation near the kink, and enough active units per layer.

    Mostly dead layers would let the check pass trivially (zero gradients).
    """
    return all(
        np.abs(h).min() > KINK_MARGIN and (h > 0).mean() > 0.25 for h in hidden_pre
    )


class Case:
    """One network, objective, data set and (optional) fixed dropout masks."""

    def __init__(self, activation, output, penalty, weighted, dropout, seed=0):
        kind, n_outputs = OUTPUTS[output]
        self.activation, self.kind, self.penalty = activation, kind, penalty
        self.layer_units = (N_FEATURES, *HIDDEN, n_outputs)
        rates = DROPOUT if dropout else (0.0, 0.0)
        # Seeds are searched deterministically until no hidden pre-activation
        # sits within KINK_MARGIN of relu's kink (see KINK_MARGIN). For the
        # smooth activations the first seed is taken.
        for s in range(seed, seed + 200):
            rng = np.random.default_rng(s)
            self.network = Network(self.layer_units, activation, np.float64)
            self.network.initialize(np.random.RandomState(s))
            # Biases of order one rather than the small initial ones, so that
            # the bias entries of the gradient carry real weight in the checks.
            self.network.params[self.network.n_weights :] = rng.uniform(
                -1, 1, self.network.params.size - self.network.n_weights
            )
            self.X = rng.normal(size=(N_SAMPLES, N_FEATURES))
            self.Y = _targets(rng, kind, n_outputs, N_SAMPLES)
            self.sw = rng.uniform(0.2, 3.0, size=N_SAMPLES) if weighted else None
            self.masks = None
            if dropout:
                # Fixed masks drawn once with draw_mask. They are drawn into the
                # network's own mask buffers: see test_explicit_masks_in_caller_
                # arrays for masks held in arrays of the caller's own.
                buffers = self.network.mask_buffers(N_SAMPLES, rates)
                self.masks = [
                    draw_mask(rng, p, buf)
                    for p, buf in zip(rates, buffers, strict=True)
                ]
            _, pre = _reference_forward(
                self.network.params, self.layer_units, activation, self.X, self.masks
            )
            if activation != "relu" or _relu_ok(pre):
                break
        else:
            raise AssertionError("no seed keeps relu away from its kinks")
        self.objective = Objective(
            self.network, LOSSES[kind](), PENALTIES[penalty], rates
        )

    def smooth(self, params=None):
        """Smooth objective and its gradient at ``params`` (default: current)."""
        if params is not None:
            self.network.params[...] = params
        grad = np.full_like(self.network.params, np.nan)
        value = self.objective.smooth_value_grad(
            self.X, self.Y, self.sw, grad, masks=self.masks
        )
        return value, grad

    def reference(self, masks="own"):
        """Independent (smooth, L1) values, with the case's masks by default."""
        return _reference_objective(self, self.masks if masks == "own" else masks)


def _finite_difference_gradient(case):
    p0 = case.network.params.copy()
    fd = np.empty_like(p0)
    for j in range(p0.size):
        p = p0.copy()
        p[j] = p0[j] + EPS
        f_plus, _ = case.smooth(p)
        p[j] = p0[j] - EPS
        f_minus, _ = case.smooth(p)
        fd[j] = (f_plus - f_minus) / (2 * EPS)
    case.network.params[...] = p0
    return fd


def _assert_gradient_close(grad, fd, what=""):
    assert np.all(np.isfinite(grad)), f"{what}: non-finite gradient entries"
    rel = np.linalg.norm(grad - fd) / np.linalg.norm(fd)
    assert rel < RTOL, f"{what}: ||g - g_fd|| / ||g_fd|| = {rel:.2e}"
    np.testing.assert_allclose(grad, fd, rtol=RTOL, atol=ATOL, err_msg=what)


def _full_grid(test):
    """Parametrize over activation x output kind x penalty x weights x dropout."""
    marks = [
        pytest.mark.parametrize("dropout", [False, True], ids=["nodrop", "dropout"]),
        pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "sw"]),
        pytest.mark.parametrize("penalty", list(PENALTIES)),
        pytest.mark.parametrize("output", list(OUTPUTS)),
        pytest.mark.parametrize("activation", ACTIVATION_NAMES),
    ]
    for mark in marks:
        test = mark(test)
    return test


# ------------------------------------------------------------------ gradient


@_full_grid
def test_gradient_matches_finite_differences(
    activation, output, penalty, weighted, dropout
):
    case = Case(activation, output, penalty, weighted, dropout)
    value, grad = case.smooth()
    fd = _finite_difference_gradient(case)
    # The gradient is written for every entry (weights and biases alike).
    _assert_gradient_close(grad, fd, f"{activation}/{output}/{penalty}")
    # The point itself is unchanged by the evaluation.
    value_again, grad_again = case.smooth()
    assert value_again == value
    np.testing.assert_array_equal(grad_again, grad)


# --------------------------------------------------------------------- value


@_full_grid
def test_value_matches_spec_formula(activation, output, penalty, weighted, dropout):
    case = Case(activation, output, penalty, weighted, dropout)
    smooth_ref, l1_ref = case.reference()
    value, _ = case.smooth()
    assert value == pytest.approx(smooth_ref, rel=1e-12, abs=1e-14)
    assert case.objective.nonsmooth_value() == pytest.approx(l1_ref, rel=1e-12)
    # value() is the whole J and never uses dropout, whatever the rates.
    smooth_nodrop, l1_nodrop = case.reference(masks=None)
    assert case.objective.value(case.X, case.Y, case.sw) == pytest.approx(
        smooth_nodrop + l1_nodrop, rel=1e-12, abs=1e-14
    )


# skreg loss name -> (scikit-learn loss, scikit-learn output activation)
SKLEARN_OUTPUTS = {
    "binary": ("log_loss", "logistic"),
    "multiclass": ("log_loss", "softmax"),
    "squared_error": ("squared_error", "identity"),
    "poisson": ("poisson", "exp"),
}


@pytest.mark.parametrize("output", list(OUTPUTS))
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_loss_matches_scikit_learn_loss_functions(output, weighted):
    from sklearn.neural_network._base import ACTIVATIONS, LOSS_FUNCTIONS

    case = Case("tanh", output, None, weighted, False)
    coefs, intercepts = _unpack(case.network.params.copy(), case.layer_units)
    # scikit-learn's own forward pass and output activations.
    a = case.X
    for i, (W, b) in enumerate(zip(coefs, intercepts, strict=True)):
        a = a @ W + b
        if i < len(coefs) - 1:
            ACTIVATIONS["tanh"](a)
    kind, n_outputs = OUTPUTS[output]
    loss_name, out_activation = SKLEARN_OUTPUTS[kind]
    if kind == "binary":
        loss_name = "binary_log_loss"  # as scikit-learn's _backprop does
    ACTIVATIONS[out_activation](a)
    expected = LOSS_FUNCTIONS[loss_name](case.Y, a, sample_weight=case.sw)
    if kind == "binary" and n_outputs == 1:
        # The 2-class log_loss agrees with binary_log_loss on one logistic unit.
        other = LOSS_FUNCTIONS["log_loss"](case.Y, a, sample_weight=case.sw)
        assert other == pytest.approx(expected, rel=1e-12)
    value, _ = case.smooth()
    assert value == pytest.approx(expected, rel=1e-12)
    assert case.objective.value(case.X, case.Y, case.sw) == pytest.approx(
        expected, rel=1e-12
    )


def _sklearn_backprop(case, alpha):
    """Loss and flat gradient of scikit-learn's MLP at the case's parameters.

    Uses the private ``_backprop`` of scikit-learn's MLP (the reference the user
    guide compares against); its L2 term is ``alpha / 2 * sum W**2 / sum s_i``.
    """
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    kind, out_activation = SKLEARN_OUTPUTS[case.kind]
    est_cls = MLPClassifier if kind == "log_loss" else MLPRegressor
    est = est_cls(hidden_layer_sizes=HIDDEN, activation=case.activation, alpha=alpha)
    if kind != "log_loss":
        est.loss = kind
    coefs, intercepts = _unpack(case.network.params.copy(), case.layer_units)
    est.coefs_ = [c.copy() for c in coefs]
    est.intercepts_ = [b.copy() for b in intercepts]
    est.n_layers_ = len(case.layer_units)
    est.out_activation_ = out_activation
    n_layers = len(case.layer_units)
    activations = [case.X] + [None] * (n_layers - 1)
    deltas = [None] * (n_layers - 1)
    coef_grads = [np.empty_like(c) for c in coefs]
    intercept_grads = [np.empty_like(b) for b in intercepts]
    loss, cg, ig = est._backprop(
        case.X, case.Y, case.sw, activations, deltas, coef_grads, intercept_grads
    )
    return loss, np.concatenate([g.ravel() for g in cg + ig])


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("output", list(OUTPUTS))
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_full_batch_equivalence_with_scikit_learn(activation, output, weighted):
    # The user guide's "The objective": same loss; scikit-learn divides its L2
    # term by the
    # (weighted) number of samples, so alpha_skreg = alpha_sklearn / sum s_i.
    # Its backprop of the multi-output squared error is K times too large.
    case = Case(activation, output, "l2", weighted, False)
    alpha_sklearn = 0.7
    s_total = N_SAMPLES if case.sw is None else case.sw.sum()
    case.objective.penalty = L2(alpha_sklearn / s_total)
    value, grad = case.smooth()
    sk_value, sk_grad = _sklearn_backprop(case, alpha_sklearn)
    assert value == pytest.approx(sk_value, rel=1e-12)
    kind, n_outputs = OUTPUTS[output]
    if kind == "squared_error" and n_outputs > 1:
        # Compare the loss parts only: scale scikit-learn's back by 1 / K.
        n_w = case.network.n_weights
        l2_grad = np.zeros_like(grad)
        l2_grad[:n_w] = case.objective.penalty.l2 * case.network.params[:n_w]
        np.testing.assert_allclose(
            grad - l2_grad, (sk_grad - l2_grad) / n_outputs, rtol=1e-10, atol=1e-14
        )
    else:
        np.testing.assert_allclose(grad, sk_grad, rtol=1e-10, atol=1e-14)


# ---------------------------------------------------------------- penalties


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("output", ["multilabel", "multiclass", "poisson_3"])
@pytest.mark.parametrize("penalty", ["l1", "l2", "elasticnet"])
def test_biases_are_not_penalized(activation, output, penalty):
    case = Case(activation, output, penalty, True, False)
    n_w = case.network.n_weights
    value, grad = case.smooth()
    case.objective.penalty = NoPenalty()
    value0, grad0 = case.smooth()

    W = case.network.params[:n_w]
    l2 = ALPHA * (1 - RHO[penalty])
    # The L2 part adds l2 * W to the weight entries and nothing to the biases.
    np.testing.assert_allclose(grad[:n_w] - grad0[:n_w], l2 * W, rtol=1e-9, atol=1e-15)
    np.testing.assert_array_equal(grad[n_w:], grad0[n_w:])
    assert value - value0 == pytest.approx(l2 / 2 * (W**2).sum(), rel=1e-9)

    # The L1 part is alpha * rho * sum|W|, over the weights only.
    case.objective.penalty = PENALTIES[penalty]
    coefs = case.network.coefs
    assert case.objective.nonsmooth_value() == pytest.approx(
        ALPHA * RHO[penalty] * sum(np.abs(c).sum() for c in coefs), rel=1e-13
    )
    # Moving only the biases changes neither penalty part.
    nonsmooth = case.objective.nonsmooth_value()
    case.network.params[n_w:] = -0.5 * case.network.params[n_w:] + 0.25
    assert case.objective.nonsmooth_value() == nonsmooth
    value_b, _ = case.smooth()
    case.objective.penalty = NoPenalty()
    value0_b, _ = case.smooth()
    assert value_b - value0_b == pytest.approx(l2 / 2 * (W**2).sum(), rel=1e-9)


@pytest.mark.parametrize("penalty", list(PENALTIES))
def test_nonsmooth_value_is_the_l1_part(penalty):
    case = Case("tanh", "multiclass", penalty, False, False)
    flat_w = np.concatenate([c.ravel() for c in case.network.coefs])
    rho = RHO[penalty] or 0.0
    assert case.objective.nonsmooth_value() == pytest.approx(
        ALPHA * rho * np.abs(flat_w).sum(), rel=1e-13, abs=0
    )
    if penalty == "l1":
        assert case.objective.nonsmooth_value() == pytest.approx(
            ALPHA * np.abs(flat_w).sum(), rel=1e-13
        )


def test_prox_step_leaves_biases_alone():
    case = Case("tanh", "multiclass", "l1", False, False)
    n_w = case.network.n_weights
    before = case.network.params.copy()
    case.objective.prox(0.5)
    np.testing.assert_array_equal(case.network.params[n_w:], before[n_w:])
    np.testing.assert_allclose(
        case.network.params[:n_w],
        np.sign(before[:n_w]) * np.maximum(np.abs(before[:n_w]) - 0.5 * ALPHA, 0),
        atol=1e-15,
    )


@pytest.mark.parametrize("penalty", ["l1", "elasticnet", "l2"])
@pytest.mark.parametrize("per_weight_steps", [False, True])
def test_prox_returns_the_nonsmooth_value_at_its_result(penalty, per_weight_steps):
    # The minibatch solvers take the non-smooth part of the next objective
    # value from the proximal step instead of recomputing it.
    case = Case("tanh", "multiclass", penalty, False, False)
    n_w = case.network.n_weights
    rng = np.random.default_rng(1)
    step = rng.random(n_w) * 0.5 if per_weight_steps else 0.5
    returned = case.objective.prox(step)
    assert returned is not None
    assert returned == pytest.approx(case.objective.nonsmooth_value(), rel=1e-12)


# ----------------------------------------------------------- sample weights


def _with_data(case, X, Y, sw):
    case.X, case.Y, case.sw = X, Y, sw
    return case.smooth()


@pytest.mark.parametrize("output", list(OUTPUTS))
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_integer_weights_equal_repeated_rows(activation, output):
    case = Case(activation, output, "elasticnet", False, False)
    X, Y = case.X, case.Y
    counts = np.array([1, 3, 0, 2, 1, 4, 1])
    value_w, grad_w = _with_data(case, X, Y, counts.astype(float))
    value_r, grad_r = _with_data(
        case, np.repeat(X, counts, axis=0), np.repeat(Y, counts, axis=0), None
    )
    assert value_w == pytest.approx(value_r, rel=1e-12)
    np.testing.assert_allclose(grad_w, grad_r, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("output", list(OUTPUTS))
@pytest.mark.parametrize("activation", ["logistic", "relu"])
def test_zero_weight_equals_dropped_row(activation, output):
    case = Case(activation, output, "l2", False, False)
    X, Y = case.X, case.Y
    sw = np.linspace(0.5, 2.0, N_SAMPLES)
    sw[[1, 4]] = 0.0
    keep = sw > 0
    value_w, grad_w = _with_data(case, X, Y, sw)
    value_d, grad_d = _with_data(case, X[keep], Y[keep], sw[keep])
    assert value_w == pytest.approx(value_d, rel=1e-12)
    np.testing.assert_allclose(grad_w, grad_d, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("output", list(OUTPUTS))
def test_weighted_mean_formula_and_scale_invariance(output):
    case = Case("tanh", output, None, True, False)
    z, _ = _reference_forward(
        case.network.params, case.layer_units, "tanh", case.X, None
    )
    per_sample = _reference_loss_per_sample(case.kind, z, case.Y)
    value, grad = case.smooth()
    expected = (case.sw * per_sample).sum() / case.sw.sum()
    assert value == pytest.approx(expected, rel=1e-12)
    # Uniform weights are no weights; scaling all weights changes nothing.
    sw = case.sw
    value_s, grad_s = _with_data(case, case.X, case.Y, 13.0 * sw)
    assert value_s == pytest.approx(value, rel=1e-12)
    np.testing.assert_allclose(grad_s, grad, rtol=1e-10, atol=1e-15)
    value_1, grad_1 = _with_data(case, case.X, case.Y, np.full(N_SAMPLES, 2.5))
    value_n, grad_n = _with_data(case, case.X, case.Y, None)
    assert value_1 == pytest.approx(value_n, rel=1e-12)
    assert value_n == pytest.approx(per_sample.mean(), rel=1e-12)
    np.testing.assert_allclose(grad_1, grad_n, rtol=1e-10, atol=1e-15)


# ------------------------------------------------------------------ dropout


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_explicit_masks_in_caller_arrays(activation):
    # smooth_value_grad(..., masks=...) documents "fixed dropout masks, one per
    # hidden layer": masks drawn with draw_mask into the caller's own arrays,
    # on a fresh network, must work and give the same value and gradient as
    # the reference forward pass with those masks.
    case = Case(activation, "multiclass", "l2", True, True)
    own = [m.copy() for m in case.masks]
    fresh = Network(case.layer_units, activation, np.float64)
    fresh.params[...] = case.network.params
    objective = Objective(fresh, LOSSES["multiclass"](), PENALTIES["l2"], DROPOUT)
    grad = np.empty_like(fresh.params)
    value = objective.smooth_value_grad(case.X, case.Y, case.sw, grad, masks=own)
    ref_value, ref_grad = case.smooth()
    assert value == pytest.approx(ref_value, rel=1e-13)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-12, atol=1e-15)
    assert value == pytest.approx(case.reference(masks=own)[0], rel=1e-12)


def test_explicit_mask_on_a_layer_without_a_dropout_rate():
    # Fixed masks are not tied to the objective's rates: a mask given for a
    # layer whose rate is 0 (its mask buffer is None) must be applied too.
    case = Case("tanh", "squared_error_3", None, False, False)
    rates = (0.0, DROPOUT[1])
    objective = Objective(case.network, LOSSES["squared_error"](), NoPenalty(), rates)
    buffers = case.network.mask_buffers(N_SAMPLES, rates)
    assert buffers[0] is None
    rng = np.random.default_rng(0)
    masks = [
        draw_mask(rng, DROPOUT[0], np.empty((N_SAMPLES, HIDDEN[0]))),
        draw_mask(rng, DROPOUT[1], buffers[1]),
    ]
    grad = np.empty_like(case.network.params)
    value = objective.smooth_value_grad(case.X, case.Y, None, grad, masks=masks)
    assert value == pytest.approx(case.reference(masks=masks)[0], rel=1e-12)
    case.masks = [m.copy() for m in masks]
    fd = _finite_difference_gradient(case)
    _assert_gradient_close(grad, fd, "mask on a rate-0 layer")


def test_dropout_masks_change_the_objective():
    # Guards the dropout cases of the grid against masks that do nothing.
    case = Case("tanh", "squared_error_3", None, False, True)
    assert any((m == 0).any() for m in case.masks)
    for mask, p in zip(case.masks, DROPOUT, strict=True):
        assert set(np.unique(mask)) <= {0.0, 1 / (1 - p)}
    value_drop, _ = case.smooth()
    case.masks = None
    value_full, _ = case.smooth()
    assert value_drop != pytest.approx(value_full, rel=1e-6)


# ------------------------------------------------------------------- sparse


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("output", ["binary", "multiclass", "squared_error_3"])
@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_input_gives_the_dense_value_and_gradient(activation, output, fmt):
    case = Case(activation, output, "elasticnet", True, True)
    X = case.X.copy()
    X[np.abs(X) < 0.6] = 0.0  # a genuinely sparse matrix
    value, grad = _with_data(case, X, case.Y, case.sw)
    X_sparse = sp.csr_matrix(X).asformat(fmt)
    value_sp, grad_sp = _with_data(case, X_sparse, case.Y, case.sw)
    assert value_sp == pytest.approx(value, rel=1e-13)
    np.testing.assert_allclose(grad_sp, grad, rtol=1e-12, atol=1e-15)


# ------------------------------------------------------- blocks of rows


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "sw"])
@pytest.mark.parametrize("penalty", list(PENALTIES))
@pytest.mark.parametrize("output", list(OUTPUTS))
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_chunked_evaluation_equals_one_pass(
    activation, output, penalty, weighted, sparse
):
    """L-BFGS evaluates the objective block by block of rows
    (``chunked_value_grad``): the same value and gradient as one pass over
    all rows, for blocks that divide the rows and blocks that leave a
    remainder, and for one block bitwise the same."""
    case = Case(activation, output, penalty, weighted, False)
    value, grad = case.smooth()
    X = sp.csr_matrix(case.X) if sparse else case.X
    objective = case.objective
    work = np.empty_like(grad)
    for chunk_rows in (1, 2, 3, N_SAMPLES, N_SAMPLES + 5):
        chunked = np.full_like(grad, np.nan)
        chunked_value = objective.chunked_value_grad(
            X, case.Y, case.sw, chunked, work, chunk_rows
        )
        if chunk_rows >= N_SAMPLES and not sparse:
            assert chunked_value == value
            np.testing.assert_array_equal(chunked, grad)
        assert chunked_value == pytest.approx(value, rel=1e-12)
        np.testing.assert_allclose(chunked, grad, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "sw"])
@pytest.mark.parametrize("penalty", list(PENALTIES))
@pytest.mark.parametrize("output", list(OUTPUTS))
def test_evaluation_split_over_threads_equals_one_pass(
    output, penalty, weighted, monkeypatch
):
    """L-BFGS's evaluation over several threads (one contiguous part of the
    rows each, in blocks, with work arrays of its own and the parameters
    shared): the value and gradient of one pass, at every point, the parts
    evaluated in other threads than the caller's too."""
    import threading

    from skreg.solvers import lbfgs

    # parts and blocks of a row or more, on the 7 rows of the cases
    monkeypatch.setattr(lbfgs, "MIN_PART_ROWS", 1)
    monkeypatch.setattr(lbfgs, "MIN_CHUNK_ROWS", 2)
    monkeypatch.setattr(lbfgs, "CHUNK_BYTES", 1)
    threads_seen = []
    blocks = Objective.blocks_value_grad

    def spying(self, *args, **kwargs):
        threads_seen.append(threading.get_ident())
        return blocks(self, *args, **kwargs)

    monkeypatch.setattr(Objective, "blocks_value_grad", spying)
    case = Case("tanh", output, penalty, weighted, False)
    params = case.objective.params
    for n_threads in (1, 2, 3, N_SAMPLES):
        grad = np.full_like(params, np.nan)
        evaluation = lbfgs.Evaluation(
            case.objective, case.X, case.Y, case.sw, grad, n_threads
        )
        assert evaluation.n_threads == n_threads
        try:
            for step in range(2):  # a second point: the parts see new parameters
                params += 0.01 * step
                threads_seen.clear()
                value = evaluation()
                expected_value, expected_grad = case.smooth()
                assert value == pytest.approx(expected_value, rel=1e-12)
                np.testing.assert_allclose(grad, expected_grad, rtol=1e-10, atol=1e-14)
                # one call per part, in this thread and the evaluation's pool
                assert len(threads_seen) == n_threads
                assert (len(set(threads_seen)) > 1) == (n_threads > 1)
        finally:
            evaluation.close()
