"""The training objective: weighted mean loss plus the penalty on the weights.

    J(W, b) = sum_i s_i loss(y_i, f(x_i)) / sum_i s_i
              + l1 * sum|W| + l2 / 2 * sum W**2

This is the one place where the loss and the penalty meet. Solvers see the
split that proximal methods need: the smooth part (loss + L2) with its
gradient, and the L1 part through its value and proximal step. Biases are
never penalized.
"""

from __future__ import annotations

import numpy as np

from ._network import Network
from .dropout import draw_mask
from .losses import Loss
from .penalties import Penalty

__all__ = ["Objective", "normalized_weights"]


def normalized_weights(sample_weight: np.ndarray | None, n_samples: int):
    """Per-sample weights summing to one (a scalar when all are equal).

    A batch whose weights are all zero contributes no loss: its weights stay 0.
    """
    if sample_weight is None:
        return 1.0 / n_samples
    total = sample_weight.sum()
    if total <= 0:
        return np.zeros_like(sample_weight)
    return sample_weight / total


class Objective:
    """Loss + penalty of a :class:`~skreg._network.Network`.

    Parameters
    ----------
    network : Network
        Its ``params`` are the point at which everything is evaluated.
    loss : Loss
    penalty : Penalty
    dropout : sequence of float, optional
        One rate per hidden layer; masks are drawn when a generator is given.
    """

    def __init__(
        self, network: Network, loss: Loss, penalty: Penalty, dropout=()
    ) -> None:
        self.network = network
        self.loss = loss
        self.penalty = penalty
        self.dropout = tuple(dropout) or (0.0,) * (network.n_layers - 2)
        self.has_dropout = any(p > 0 for p in self.dropout)

    @property
    def params(self) -> np.ndarray:
        return self.network.params

    @property
    def weights(self) -> np.ndarray:
        """The penalized part of ``params`` (all weights, no biases)."""
        return self.network.params[: self.network.n_weights]

    @property
    def is_smooth(self) -> bool:
        return self.penalty.is_smooth

    def draw_masks(self, rng: np.random.Generator, n_samples: int):
        """Fresh inverted-dropout masks for a batch, in reused buffers."""
        buffers = self.network.mask_buffers(n_samples, self.dropout)
        return [
            None if buf is None else draw_mask(rng, p, buf)
            for buf, p in zip(buffers, self.dropout, strict=True)
        ]

    def smooth_value_grad(
        self, X, Y, sample_weight, grad: np.ndarray, *, rng=None, masks=None
    ) -> float:
        """Value of the smooth part (loss + L2) and its gradient into ``grad``.

        Parameters
        ----------
        X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Y : ndarray of shape (n_samples, n_outputs)
        sample_weight : ndarray of shape (n_samples,) or None
        grad : ndarray, shaped like ``params``
            Overwritten with the gradient.
        rng : numpy Generator, optional
            Draw dropout masks from it (training). Without it and without
            ``masks`` the whole network is used.
        masks : list, optional
            Fixed dropout masks, one per hidden layer (or ``None``).
        """
        if masks is None and rng is not None and self.has_dropout:
            masks = self.draw_masks(rng, X.shape[0])
        weights = normalized_weights(sample_weight, X.shape[0])
        z = self.network.forward(X, masks)
        value = self.loss.loss_gradient(z, Y, weights)
        self.network.backward(X, z, grad, masks)
        l2 = self.penalty.l2
        if l2:
            w = self.weights
            value += 0.5 * l2 * float(np.dot(w, w))
            grad_w = grad[: self.network.n_weights]
            grad_w += l2 * w
        return value

    def nonsmooth_value(self) -> float:
        """Value of the L1 part at the current parameters."""
        l1 = self.penalty.l1
        return l1 * float(np.abs(self.weights).sum()) if l1 else 0.0

    def value(self, X, Y, sample_weight=None) -> float:
        """The full objective J at the current parameters, without dropout."""
        grad = np.empty_like(self.params)
        return self.smooth_value_grad(X, Y, sample_weight, grad) + (
            self.nonsmooth_value()
        )

    def prox(self, step) -> None:
        """Proximal step of the L1 part on the weights, in place.

        ``step`` is a scalar or an array of per-weight steps (length
        ``n_weights``), as a diagonal metric like Adam's requires.
        """
        if not self.penalty.is_smooth:
            w = self.weights
            self.penalty.prox_l1(w, step, out=w)
