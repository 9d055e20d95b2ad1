"""The multi-layer perceptron core: parameters, forward and backward passes.

All weights and biases live in one flat buffer, ``params``: the weights of
every layer first (so the penalized part is the prefix ``params[:n_weights]``)
and then the biases. ``coefs`` and ``intercepts`` are views into it, so an
optimizer updates one array and L-BFGS needs no packing. Gradients use the
same layout.

Forward and backward passes write into buffers allocated once per batch size
and reused. Nothing here knows about scikit-learn.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from ._arrays import row_norms
from .activations import ACTIVATIONS

__all__ = ["Network"]


try:  # scipy's compiled kernels accumulate into a given output array
    from scipy.sparse._sparsetools import csc_matvecs, csr_matvecs
except ImportError:  # pragma: no cover - a scipy without them
    csr_matvecs = csc_matvecs = None


def _kernel_compatible(a, b: np.ndarray, out: np.ndarray) -> bool:
    return (
        a.format == "csr"
        and a.dtype == b.dtype == out.dtype
        and out.flags.c_contiguous
        and b.flags.c_contiguous
    )


def _product_into(a, b: np.ndarray, out: np.ndarray, *, transpose_a: bool) -> None:
    """``out += op(a) @ b`` for a CSR ``a`` (``op(a)`` is ``a`` or ``a.T``).

    ``out`` holds what the product is added to (a bias, a weight-decay term
    or zeros): scipy's kernels accumulate into it, with no temporary. ``a.T``
    needs no transposed copy either, since the CSR arrays of ``a`` are the
    CSC arrays of ``a.T``: the first-layer weight gradient comes from the
    sparse matrix itself.
    """
    if csr_matvecs is None or not _kernel_compatible(a, b, out):
        out += (a.T if transpose_a else a) @ b
        return
    kernel = csc_matvecs if transpose_a else csr_matvecs
    n_rows, n_cols = a.shape
    if transpose_a:
        n_rows, n_cols = n_cols, n_rows
    n_vecs = b.shape[1]
    kernel(n_rows, n_cols, n_vecs, a.indptr, a.indices, a.data, b.ravel(), out.ravel())


@dataclass
class _Buffers:
    """Per-batch-size work arrays of one network."""

    outputs: list[np.ndarray]  # post-activation of each layer (pre- for the last)
    deltas: list[np.ndarray]  # error wrt the pre-activation of each hidden layer
    masks: list[np.ndarray | None] = field(default_factory=list)
    # activations before their dropout mask (only for activations whose
    # derivative needs them, see Network.backward)
    unmasked: list[np.ndarray | None] = field(default_factory=list)
    ones: np.ndarray | None = None


class Network:
    """A fully connected network with one flat parameter buffer.

    Parameters
    ----------
    layer_units : sequence of int
        ``[n_features, *hidden_layer_sizes, n_outputs]``.
    activation : str
        Name of the hidden activation (see :mod:`skreg.activations`).
    dtype : numpy dtype
        float32 or float64; parameters, buffers and gradients all use it.
    """

    def __init__(self, layer_units, activation: str, dtype=np.float64):
        self.layer_units = tuple(int(u) for u in layer_units)
        #: number of layers, input and output included
        self.n_layers = len(self.layer_units)
        self.activation = ACTIVATIONS[activation]
        self.dtype = np.dtype(dtype)
        shapes = list(pairwise(self.layer_units))
        self.n_weights = sum(fan_in * fan_out for fan_in, fan_out in shapes)
        n_params = self.n_weights + sum(self.layer_units[1:])
        self.params = np.zeros(n_params, dtype=self.dtype)
        self.coefs, self.intercepts = self.split(self.params)
        self._new_workspaces()

    @property
    def n_params(self) -> int:
        return self.params.size

    def split(self, flat: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Per-layer weight and bias views into a flat parameter-shaped array."""
        coefs, intercepts = [], []
        start = 0
        for fan_in, fan_out in pairwise(self.layer_units):
            stop = start + fan_in * fan_out
            coefs.append(flat[start:stop].reshape(fan_in, fan_out))
            start = stop
        for fan_out in self.layer_units[1:]:
            intercepts.append(flat[start : start + fan_out])
            start += fan_out
        return coefs, intercepts

    def split_weights(self, flat: np.ndarray) -> list[np.ndarray]:
        """Per-layer views of a flat array of length ``n_weights``."""
        views, start = [], 0
        for fan_in, fan_out in pairwise(self.layer_units):
            stop = start + fan_in * fan_out
            views.append(flat[start:stop].reshape(fan_in, fan_out))
            start = stop
        return views

    def clip_unit_norms(self, max_norm: float) -> None:
        """Project each hidden unit's incoming weights on the ball of radius
        ``max_norm`` (the max-norm constraint of Srivastava et al., 2014)."""
        for incoming in self.coefs[:-1]:
            norms = row_norms(incoming, axis=0)
            over = norms > max_norm
            if over.any():
                incoming[:, over] *= (max_norm / norms[over]).astype(self.dtype)

    def set_parameters(self, coefs, intercepts) -> None:
        """Copy per-layer arrays into the flat buffer."""
        for dst, src in zip(
            self.coefs + self.intercepts, list(coefs) + list(intercepts), strict=True
        ):
            np.copyto(dst, src, casting="same_kind")

    def sharing_parameters(self) -> Network:
        """A network computing with these parameters (the same arrays, not a
        copy) in work arrays of its own: one per thread that evaluates rows
        at the same time as another."""
        other = copy.copy(self)
        other._new_workspaces()
        return other

    def _new_workspaces(self) -> None:
        """Empty work arrays, made on first use (new containers: a shallow
        copy must not share them)."""
        self._buffers: dict[int, _Buffers] = {}
        self._grad_views = None
        self._work: np.ndarray | None = None
        self._outputs: list[np.ndarray] | None = None

    def initialize(self, random_state: np.random.RandomState) -> None:
        """Glorot-uniform initialisation, layer by layer: weights then biases.

        The draws depend only on ``random_state`` and the layer sizes. The
        bound is scikit-learn's, ``sqrt(6 / (fan_in + fan_out))``, with 2 in
        place of 6 for logistic units.
        """
        factor = 2.0 if self.activation.name == "logistic" else 6.0
        for coef, intercept in zip(self.coefs, self.intercepts, strict=True):
            fan_in, fan_out = coef.shape
            bound = np.sqrt(factor / (fan_in + fan_out))
            coef[...] = random_state.uniform(-bound, bound, (fan_in, fan_out))
            intercept[...] = random_state.uniform(-bound, bound, fan_out)

    def _workspace(self, n_samples: int) -> _Buffers:
        buffers = self._buffers.get(n_samples)
        if buffers is None:
            # A training run sees at most two batch sizes (full and remainder);
            # drop stale ones so memory stays bounded.
            if len(self._buffers) >= 2:
                self._buffers.clear()
            buffers = _Buffers(outputs=self._output_rows(n_samples), deltas=[])
            self._buffers[n_samples] = buffers
        return buffers

    def _output_rows(self, n_samples: int) -> list[np.ndarray]:
        """The forward arrays for a batch: leading rows of arrays made for
        the largest batch so far, so a smaller last batch allocates none."""
        if self._outputs is None or self._outputs[0].shape[0] < n_samples:
            # views of the old arrays would keep them alive
            self._buffers.clear()
            units = self.layer_units[1:]
            self._outputs = [np.empty((n_samples, u), self.dtype) for u in units]
        return [out[:n_samples] for out in self._outputs]

    def release_workspaces(self) -> int:
        """Drop every work array; return how many bytes they held."""
        arrays = [self._work, *(self._outputs or [])]
        for buffers in self._buffers.values():
            arrays += [*buffers.deltas, *buffers.masks, *buffers.unmasked]
            arrays.append(buffers.ones)
        self._new_workspaces()
        # each of these arrays owns its memory (none is a view of another)
        return sum(a.nbytes for a in arrays if a is not None)

    def forward_row_nbytes(self) -> int:
        """Bytes of forward-pass work arrays per row of a batch."""
        return sum(self.layer_units[1:]) * self.dtype.itemsize

    def _ones(self, n_samples: int) -> np.ndarray:
        buffers = self._workspace(n_samples)
        if buffers.ones is None:
            buffers.ones = np.ones(n_samples, dtype=self.dtype)
        return buffers.ones

    def mask_buffers(self, n_samples: int, rates) -> list[np.ndarray | None]:
        """Reusable arrays for the dropout masks of each hidden layer."""
        buffers = self._workspace(n_samples)
        if not buffers.masks:
            hidden = self.layer_units[1:-1]
            buffers.masks = [
                np.empty((n_samples, u), self.dtype) if p > 0 else None
                for u, p in zip(hidden, rates, strict=True)
            ]
        return buffers.masks

    def forward(self, X, masks=None) -> np.ndarray:
        """Forward pass in training; return the output pre-activation.

        Parameters
        ----------
        X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        masks : list of (ndarray or None), optional
            One inverted-dropout mask per hidden layer, multiplied into its
            activations; the unmasked activations are kept for the backward
            pass.

        Returns
        -------
        z : ndarray of shape (n_samples, n_outputs)
            A work buffer, valid until the next call with this batch size.
        """
        buffers = self._workspace(X.shape[0])
        # (sp.issparse is slow enough to show at this call rate)
        sparse_input = not isinstance(X, np.ndarray)
        layer_input = X
        last = self.n_layers - 2
        layers = zip(self.coefs, self.intercepts, strict=True)
        for i, (coef, intercept) in enumerate(layers):
            out = buffers.outputs[i]
            if i == 0 and sparse_input:
                np.copyto(out, intercept)  # the kernel adds the product to it
                _product_into(layer_input, coef, out, transpose_a=False)
            else:
                np.matmul(layer_input, coef, out=out)
                out += intercept
            if i == last:
                return out
            self.activation.forward(out)
            if masks is not None and masks[i] is not None:
                # In place: the backward pass needs only the masked output.
                out *= masks[i]
            layer_input = out
        raise AssertionError("unreachable: a network has at least one layer")

    def _gradient_views(self, grad: np.ndarray):
        # The solvers pass the same gradient buffer batch after batch: its
        # per-layer views are made once.
        cached = self._grad_views
        if cached is None or cached[0] is not grad:
            cached = self._grad_views = (grad, *self.split(grad))
        return cached[1], cached[2]

    def work_array(self) -> np.ndarray:
        """A parameter-shaped array for work within one operation.

        Shared by the weight decay of :meth:`backward`, the optimizers' steps
        and the proximal steps, which never run at the same time: no caller
        may expect its content to survive the call that wrote it. One array
        instead of one per user keeps training's memory that of its state.
        """
        if self._work is None:
            self._work = np.empty(self.n_params, self.dtype)
        return self._work

    def _unmasked(self, buffers: _Buffers, i: int, mask: np.ndarray) -> np.ndarray:
        """Hidden layer ``i``'s activations before ``mask`` was applied in
        place, where the mask kept them, in a reused array.

        Where the mask dropped a unit the array keeps an earlier finite value
        (zero at first): the error reaching that unit is zero anyway.
        """
        if not buffers.unmasked:
            buffers.unmasked = [None] * (self.n_layers - 2)
        if buffers.unmasked[i] is None:
            buffers.unmasked[i] = np.zeros_like(buffers.outputs[i])
        out = buffers.unmasked[i]
        return np.divide(buffers.outputs[i], mask, out=out, where=mask != 0)

    def backward(
        self, X, delta: np.ndarray, grad: np.ndarray, masks=None, l2: float = 0.0
    ) -> None:
        """Back-propagate ``delta = dJ/dz`` at the output into ``grad``.

        Uses the activations stored by the last :meth:`forward` on a batch of
        this size (with the same ``masks``). ``grad`` has the layout of
        ``params``; its bias entries are sums of the deltas over the batch.
        With ``l2``, the gradient of ``l2 / 2 * sum W**2`` is included (for a
        sparse first layer the product is added to ``l2 * W``; the other
        layers get it in one pass over their weights).
        """
        buffers = self._workspace(X.shape[0])
        if not buffers.deltas:  # forward-only uses (prediction) never need them
            buffers.deltas = [np.empty_like(out) for out in buffers.outputs[:-1]]
        coef_grads, intercept_grads = self._gradient_views(grad)
        ones = self._ones(X.shape[0])
        sparse_input = not isinstance(X, np.ndarray)
        for i in range(self.n_layers - 2, -1, -1):
            mask = masks[i - 1] if (masks is not None and i > 0) else None
            layer_input = X if i == 0 else buffers.outputs[i - 1]
            coef, coef_grad = self.coefs[i], coef_grads[i]
            if i == 0 and sparse_input:
                # the kernel adds the product to the weight-decay term
                np.multiply(coef, l2, out=coef_grad)
                _product_into(layer_input, delta, coef_grad, transpose_a=True)
            else:
                np.matmul(layer_input.T, delta, out=coef_grad)
            # A matrix-vector product with ones sums over the batch faster
            # than a reduction along axis 0.
            np.matmul(ones, delta, out=intercept_grads[i])
            if i == 0:
                break
            previous = np.matmul(delta, self.coefs[i].T, out=buffers.deltas[i - 1])
            activation_output = buffers.outputs[i - 1]
            if mask is not None:
                previous *= mask
                if not self.activation.scale_free:
                    activation_output = self._unmasked(buffers, i - 1, mask)
            self.activation.backward(activation_output, previous)
            delta = previous
        if l2:
            # The weight decay of the layers with dense inputs, in one pass
            # over their weights (contiguous: all but a sparse first layer's).
            dense = slice(self.coefs[0].size if sparse_input else 0, self.n_weights)
            decay = np.multiply(self.params[dense], l2, out=self.work_array()[dense])
            grad[dense] += decay
