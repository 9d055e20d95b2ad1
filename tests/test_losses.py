"""The output losses on their own, against plain SciPy formulas.

Covers the numerically delicate inputs: output pre-activations spanning more
than the exponent range of the dtype, where the softmax must shift each row
by its own maximum, and ordinary ones, where it may shift by one constant.
"""

import numpy as np
import pytest
from scipy.special import log_softmax, softmax

from skreg.losses import LOSSES, Loss


def _one_hot(labels, n_classes):
    y = np.zeros((labels.size, n_classes), dtype=bool)
    y[np.arange(labels.size), labels] = True
    return y


# spread of the logits: ordinary, and beyond exp's range in float32 / float64
@pytest.mark.parametrize("scale", [1.0, 60.0, 600.0])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weighted", [False, True])
def test_multiclass_loss_and_gradient_match_softmax(scale, dtype, weighted):
    rng = np.random.default_rng(0)
    n, k = 50, 7
    z64 = rng.standard_normal((n, k)) * scale
    z64[0] += 1e4 * (scale > 100)  # one row far above the others
    y = _one_hot(rng.integers(0, k, n), k)
    weights = rng.random(n) if weighted else np.ones(n)
    weights /= weights.sum()

    expected_loss = float(np.dot(weights, -log_softmax(z64, axis=1)[y]))
    expected_grad = (softmax(z64, axis=1) - y) * weights[:, None]

    z = z64.astype(dtype)
    loss = LOSSES["multiclass"]().loss_gradient(z, y, weights if weighted else 1 / n)
    rtol = 1e-12 if dtype == np.float64 else 1e-4
    assert np.isfinite(loss) and np.isfinite(z).all()
    assert loss == pytest.approx(expected_loss, rel=rtol, abs=rtol)
    np.testing.assert_allclose(z, expected_grad, rtol=rtol, atol=rtol * 1e-2)


def _targets(name, rng, n, k):
    if name == "multiclass":
        return _one_hot(rng.integers(0, k, n), k)
    if name == "binary":
        return rng.integers(0, 2, (n, k)).astype(float)
    if name == "poisson":
        return rng.poisson(2.0, (n, k)).astype(float)
    return rng.standard_normal((n, k))


# The value-only loss serves early stopping: it must be the very number the
# training loss computes, so that monitoring decides as training would.
@pytest.mark.parametrize("name", sorted(LOSSES))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weighted", [False, True])
def test_value_only_loss_is_the_training_loss(name, dtype, weighted):
    rng = np.random.default_rng(1)
    n, k = 40, 3
    z = rng.standard_normal((n, k)).astype(dtype)
    y = _targets(name, rng, n, k)
    weights = rng.random(n) / n if weighted else 1 / n
    with_gradient = LOSSES[name]().loss_gradient(z.copy(), y, weights)
    value = LOSSES[name]().loss(z.copy(), y, weights)
    assert np.isfinite(value) and value > 0
    assert value == with_gradient


def test_value_only_loss_falls_back_on_loss_gradient():
    # A loss that implements only loss_gradient still serves early stopping.
    class Absolute(Loss):
        def loss_gradient(self, z, y, weights):
            value = float(np.abs(z - y).sum()) * weights
            np.subtract(z, y, out=z)
            np.sign(z, out=z)
            z *= weights
            return value

    rng = np.random.default_rng(2)
    z, y = rng.standard_normal((10, 2)), rng.standard_normal((10, 2))
    value = Absolute().loss(z.copy(), y, 0.1)
    assert value == Absolute().loss_gradient(z.copy(), y, 0.1) > 0
