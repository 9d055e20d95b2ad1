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
import scipy.sparse as sp

from ._network import Network
from .dropout import draw_mask, draw_masks
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
        self,
        network: Network,
        loss: Loss,
        penalty: Penalty,
        dropout=(),
        *,
        input_dropout: float = 0.0,
        max_norm: float | None = None,
    ) -> None:
        self.network = network
        self.loss = loss
        self.penalty = penalty
        self.dropout = tuple(dropout) or (0.0,) * (network.n_layers - 2)
        self.has_dropout = any(p > 0 for p in self.dropout)
        self.input_dropout = float(input_dropout)
        self.max_norm = max_norm
        self._input_buffers: dict[int, np.ndarray] = {}

    @property
    def params(self) -> np.ndarray:
        return self.network.params

    @property
    def weights(self) -> np.ndarray:
        """The penalized part of ``params`` (all weights, no biases)."""
        return self.network.params[: self.network.n_weights]

    @property
    def needs_prox(self) -> bool:
        """Whether :meth:`prox` does anything (non-smooth part or constraint)."""
        return not self.penalty.is_smooth or self.max_norm is not None

    def draw_masks(self, rng: np.random.Generator, n_samples: int):
        """Fresh inverted-dropout masks for a batch, in reused buffers, from
        one call to the generator."""
        buffers = self.network.mask_buffers(n_samples, self.dropout)
        return draw_masks(rng, self.dropout, buffers)

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
        if rng is not None:
            if masks is None and self.has_dropout:
                masks = self.draw_masks(rng, X.shape[0])
            if self.input_dropout:
                X = self._drop_inputs(X, rng)
        weights = normalized_weights(sample_weight, X.shape[0])
        z = self.network.forward(X, masks)
        value = self.loss.loss_gradient(z, Y, weights)
        l2 = self.penalty.l2
        self.network.backward(X, z, grad, masks, l2=l2)
        if l2:
            w = self.weights
            value += 0.5 * l2 * float(np.dot(w, w))
        return value

    def chunked_value_grad(
        self, X, Y, sample_weight, grad: np.ndarray, work: np.ndarray, chunk_rows: int
    ) -> float:
        """:meth:`smooth_value_grad` over all rows, without dropout, in
        blocks of ``chunk_rows`` rows (full-batch solvers).

        The same sums as one pass over all rows, in another order (and, with
        one block, bitwise the same). The work arrays are those of a block,
        not of the data: on a million rows one pass would hold every layer's
        activations for all of them. ``work``, shaped like ``params``,
        receives each later block's gradient before it is added to ``grad``.
        """
        weights = normalized_weights(sample_weight, X.shape[0])
        l2 = self.penalty.l2
        value = self.blocks_value_grad(
            self.network, X, Y, weights, grad, work, chunk_rows, l2=l2
        )
        return value + self.l2_value()

    def l2_value(self) -> float:
        """The penalty's smooth L2 term ``l2 / 2 * sum W**2`` at the current
        weights (0.0 without one)."""
        l2 = self.penalty.l2
        if not l2:
            return 0.0
        w = self.weights
        return 0.5 * l2 * float(np.dot(w, w))

    def blocks_value_grad(
        self, network, X, Y, weights, grad, work, chunk_rows: int, *, l2: float
    ) -> float:
        """The data term over the rows of ``X`` in blocks, its gradient into
        ``grad`` plus the gradient of the L2 term ``l2`` (not its value).

        ``weights`` are normalized over all the rows of the objective (of
        which ``X`` may be a part), ``network`` computes with this
        objective's parameters (:meth:`Network.sharing_parameters` gives one
        with its own work arrays, for another thread).
        """
        value = 0.0
        for start in range(0, X.shape[0], chunk_rows):
            rows = slice(start, start + chunk_rows)
            X_rows = X[rows]  # a view, or for sparse X a copy of a block
            z = network.forward(X_rows)
            chunk_weights = weights if np.ndim(weights) == 0 else weights[rows]
            value += self.loss.loss_gradient(z, Y[rows], chunk_weights)
            if start == 0:
                # the L2 gradient once, with the first block (whose
                # arithmetic is then that of smooth_value_grad)
                network.backward(X_rows, z, grad, l2=l2)
            else:
                network.backward(X_rows, z, work)
                grad += work
        return value

    def _scratch(self) -> np.ndarray:
        """A work array shaped like the weights (the network's, shared)."""
        return self.network.work_array()[: self.network.n_weights]

    def _penalized_arrays(self):
        """The weights as the penalty wants them: one flat array when it acts
        elementwise (one pass), else per layer."""
        if self.penalty.layout == "flat":
            return [self.weights]
        return self.network.coefs

    def nonsmooth_value(self) -> float:
        """Value of the non-smooth part at the current parameters."""
        if self.penalty.is_smooth:
            return 0.0
        return self.penalty.nonsmooth_value(
            self._penalized_arrays(), scratch=self._scratch()
        )

    def value(self, X, Y, sample_weight=None, chunk_size: int = 1024) -> float:
        """The full objective J at the current parameters, without dropout."""
        total = self.data_value(X, Y, sample_weight, chunk_size)
        w = self.weights
        total += 0.5 * self.penalty.l2 * float(np.dot(w, w))
        return total + self.nonsmooth_value()

    def data_value(self, X, Y, sample_weight=None, chunk_size: int = 1024) -> float:
        """The data term of J (the weighted mean loss), without dropout.

        Evaluated in chunks of rows through the network's reused buffers, so
        memory stays that of a minibatch.
        """
        n_samples = X.shape[0]
        weights = normalized_weights(sample_weight, n_samples)
        total = 0.0
        for start in range(0, n_samples, chunk_size):
            rows = slice(start, start + chunk_size)
            z = self.network.forward(X[rows])
            chunk_weights = weights if np.ndim(weights) == 0 else weights[rows]
            # z is a work buffer: the loss may use it as work space.
            total += self.loss.loss(z, Y[rows], chunk_weights)
        return total

    def prox(self, step, scratch=None) -> float | None:
        """Proximal step of the non-smooth part and constraints, in place.

        ``step`` is a scalar or an array of per-weight steps, as a diagonal
        metric like Adam's requires (of length ``n_weights`` or more: a
        parameter-shaped array's bias entries are not used). After the
        penalty's proximal step come its ``after_prox`` hook and, when
        configured, the max-norm projection.

        ``scratch``, an array at least as long as the weights, is work space
        for the proximal step (by default the network's work array, which
        ``step`` must then not be).

        Returns the value of the non-smooth part at the new parameters when
        the proximal step gave it for free, else ``None``.
        """
        n_weights = self.network.n_weights
        if np.ndim(step):
            step = step[:n_weights]
        if scratch is not None:
            scratch = scratch[:n_weights]
        network = self.network
        value = 0.0
        if not self.penalty.is_smooth:
            arrays = self._penalized_arrays()
            if np.ndim(step) == 0:
                steps = [step] * len(arrays)
            elif self.penalty.layout == "flat":
                steps = [step]
            else:
                steps = network.split_weights(step)
            if scratch is None:
                scratch = self._scratch()
            value = self.penalty.prox_(arrays, steps, scratch=scratch)
            self.penalty.after_prox(network.coefs)
        if self.max_norm is not None:
            network.clip_unit_norms(self.max_norm)
            value = None  # the projection moved the weights
        return value

    def _drop_inputs(self, X, rng: np.random.Generator):
        """``X`` with input dropout applied (a reused buffer for dense X).

        For sparse ``X`` only the stored entries are masked: dropping a zero
        changes nothing, so this has the same distribution and stays sparse.
        """
        if sp.issparse(X):
            X = X.copy()
            mask = np.empty(X.data.shape, dtype=X.dtype)
            X.data *= draw_mask(rng, self.input_dropout, mask)
            return X
        mask = self._input_buffers.get(X.shape[0])
        if mask is None:
            self._input_buffers.clear()
            mask = np.empty(X.shape, dtype=self.network.dtype)
            self._input_buffers[X.shape[0]] = mask
        draw_mask(rng, self.input_dropout, mask)
        return np.multiply(mask, X, out=mask)
