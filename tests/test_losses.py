"""The output losses on their own, against plain SciPy formulas.

Covers the numerically delicate inputs: output pre-activations spanning more
than the exponent range of the dtype, where the softmax must shift each row
by its own maximum, and ordinary ones, where it may shift by one constant.
"""

import numpy as np
import pytest
from scipy.special import log_softmax, softmax

from skreg.losses import LOSSES


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
