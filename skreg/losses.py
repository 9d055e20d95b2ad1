"""Output layers with their losses: value and gradient at the pre-activation.

Each loss pairs an output activation with its canonical loss, so the gradient
with respect to the output pre-activation ``z`` is simply ``f(z) - y`` (times
the sample weights, and over ``K`` for the squared error's mean over outputs).
Values are computed in stable forms (``logaddexp``, log-sum-exp) from ``z``
itself: no probability is clipped on the way.

==========  =================  ===================================================
name        output activation  loss per sample
==========  =================  ===================================================
binary      logistic           sum_k softplus(z_k) - y_k z_k  (binary log-loss)
multiclass  softmax            logsumexp(z) - sum_k y_k z_k
squared     identity           0.5 * mean_k (y_k - z_k)**2
poisson     exp                sum_k y_k log(y_k / f_k) - y_k + f_k,  f = exp(z)
==========  =================  ===================================================
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, xlogy

__all__ = ["LOSSES", "Loss"]


class Loss:
    """An output activation and its loss.

    Subclasses implement :meth:`inverse_link` (the output activation, in place)
    and :meth:`_loss_per_sample`, or all of :meth:`loss_gradient` (and
    :meth:`loss` when a cheaper value-only form exists).
    """

    name: str = ""
    out_activation: str = ""

    def inverse_link(self, z: np.ndarray) -> np.ndarray:
        """Overwrite ``z`` with the model's prediction ``f(z)``; return it."""
        raise NotImplementedError

    def loss_gradient(self, z: np.ndarray, y: np.ndarray, weights) -> float:
        """Weighted mean loss; overwrite ``z`` with the gradient wrt ``z``.

        Parameters
        ----------
        z : ndarray of shape (n_samples, n_outputs)
            Output pre-activations; replaced by ``dJ/dz``.
        y : ndarray of shape (n_samples, n_outputs)
            Targets (one-hot for the multiclass loss).
        weights : ndarray of shape (n_samples,) or float
            Per-sample weights summing to one (a float for equal weights).

        Returns
        -------
        loss : float
            ``sum_i weights_i * loss(y_i, f(z_i))``.
        """
        per_sample = self._loss_per_sample(z, y, gradient=True)
        _scale_rows(z, weights)
        return _weighted_sum(per_sample, weights)

    def loss(self, z: np.ndarray, y: np.ndarray, weights) -> float:
        """The weighted mean loss of :meth:`loss_gradient`, the same number,
        without the gradient (for monitoring); ``z`` may be overwritten."""
        if type(self).loss_gradient is not Loss.loss_gradient:
            # _loss_per_sample need not describe an overridden loss_gradient
            return self.loss_gradient(z, y, weights)
        return _weighted_sum(self._loss_per_sample(z, y, gradient=False), weights)

    def _loss_per_sample(self, z: np.ndarray, y: np.ndarray, gradient: bool):
        """The loss of each sample; with ``gradient``, overwrite ``z`` with
        the unweighted gradient ``dloss/dz`` (otherwise ``z`` may be used as
        work space)."""
        raise NotImplementedError


def _per_sample(weights) -> bool:
    """Whether ``weights`` is an array of per-sample weights (not a number)."""
    return isinstance(weights, np.ndarray) and weights.ndim > 0


def _weighted_sum(per_sample: np.ndarray, weights) -> float:
    if not _per_sample(weights):
        return float(per_sample.sum()) * float(weights)
    return float(np.dot(per_sample, weights))


def _scale_rows(g: np.ndarray, weights) -> None:
    if not _per_sample(weights):
        g *= weights
    else:
        g *= weights[:, None]


# Spans of exponents whose exp stays a normal number (other dtypes: 0, the
# per-row shift): exp(-x) for x below these exceeds the smallest normal.
_EXP_RANGE = {"d": 700.0, "f": 85.0}


class BinaryLogLoss(Loss):
    """One logistic unit per output: binary and multilabel classification."""

    name = "binary"
    out_activation = "logistic"

    def inverse_link(self, z):
        return expit(z, out=z)

    def _loss_per_sample(self, z, y, gradient):
        with np.errstate(over="ignore"):
            per_sample = (np.logaddexp(0, z) - y * z).sum(axis=1)
        if gradient:
            expit(z, out=z)
            z -= y
        return per_sample


class MultinomialLogLoss(Loss):
    """Softmax over the classes: multiclass classification."""

    name = "multiclass"
    out_activation = "softmax"

    def inverse_link(self, z):
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        return z

    _ones_vector: np.ndarray | None = None  # reused by every batch

    def _ones(self, n: int, dtype) -> np.ndarray:
        ones = self._ones_vector
        if ones is None or ones.size != n or ones.dtype != dtype:
            ones = self._ones_vector = np.ones(n, dtype=dtype)
        return ones

    def loss_gradient(self, z, y, weights):
        loss, norm = self._loss_and_norm(z, y, weights)
        # dJ/dz = weights * (softmax(z) - y), z holding exp(z - shift)
        z /= norm[:, None]
        z -= y
        _scale_rows(z, weights)
        return loss

    def loss(self, z, y, weights):
        return self._loss_and_norm(z, y, weights)[0]

    def _loss_and_norm(self, z, y, weights):
        """The weighted mean loss and each row's sum of ``exp(z - shift)``;
        ``z`` is overwritten with ``exp(z - shift)``."""
        # Shifting a row by any constant changes neither its softmax nor,
        # with one-hot y, its loss; the shift only has to keep exp from
        # overflowing and every row's largest term from underflowing. The
        # batch's largest value does that whenever the batch spans less than
        # the exponent range (two fast reductions over the whole array);
        # otherwise each row is shifted by its own maximum.
        high = z.max()
        if high - z.min() < _EXP_RANGE.get(z.dtype.char, 0.0):
            z -= high
        else:
            z -= z.max(axis=1, keepdims=True)
        # After the shift, logsumexp(z) = log(sum exp z) and, with one-hot y,
        # -sum_k y_k log p_k = log(sum exp z) - sum_k y_k z_k.
        equal_weights = not _per_sample(weights)
        yz = np.einsum("ij,ij->" if equal_weights else "ij,ij->i", y, z)
        np.exp(z, out=z)
        # A product with ones sums the short rows faster than a reduction.
        norm = z @ self._ones(z.shape[1], z.dtype)
        log_norm = np.log(norm)
        if equal_weights:
            loss = (float(log_norm.sum()) - float(yz)) * weights
        else:
            loss = float(np.dot(log_norm - yz, weights))
        return loss, norm


class SquaredError(Loss):
    """Identity output with half the squared error, averaged over outputs."""

    name = "squared_error"
    out_activation = "identity"

    def inverse_link(self, z):
        return z

    def _loss_per_sample(self, z, y, gradient):
        z -= y
        n_outputs = z.shape[1]
        per_sample = np.einsum("ij,ij->i", z, z) * (0.5 / n_outputs)
        if gradient:
            z *= 1.0 / n_outputs
        return per_sample


class HalfPoissonDeviance(Loss):
    """Exponential output with the half Poisson deviance, summed over outputs."""

    name = "poisson"
    out_activation = "exp"

    def inverse_link(self, z):
        # Clip so that a prediction is never inf: the largest z whose exp is
        # finite in this dtype (log(max) rounds up in float32).
        largest = np.log(np.finfo(z.dtype).max).astype(z.dtype)
        largest = np.nextafter(largest, z.dtype.type(0))
        np.minimum(z, largest, out=z)
        return np.exp(z, out=z)

    def _loss_per_sample(self, z, y, gradient):
        with np.errstate(over="ignore", invalid="ignore"):
            f = np.exp(z)
            per_sample = (xlogy(y, y) - y * z - y + f).sum(axis=1)
            if gradient:
                np.subtract(f, y, out=z)
        return per_sample


LOSSES: dict[str, type[Loss]] = {
    "binary": BinaryLogLoss,
    "multiclass": MultinomialLogLoss,
    "squared_error": SquaredError,
    "poisson": HalfPoissonDeviance,
}
