"""The block family: the group lasso on the rows of each weight matrix."""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from .._arrays import row_norms
from ._base import Penalty, check_alpha

__all__ = ["GroupLasso"]


def _rows(a: np.ndarray) -> np.ndarray:
    return a.reshape(1, -1) if a.ndim <= 1 else a.reshape(a.shape[0], -1)


class GroupLasso(Penalty):
    """Group lasso on rows: ``alpha * sum_g sqrt(p_g) * ||w_g||_2``.

    ``penalty="group"``. Each row of a 2-D array (and each 1-D array) is a
    group ``g`` of ``p_g`` weights. Applied to a network's weight matrices,
    row ``j`` of the first matrix holds input feature ``j``'s outgoing
    weights and row ``j`` of a later matrix the outgoing weights of a hidden
    unit: the groups partition the weights, so the proximal operator is exact
    block soft-thresholding, and a zero group removes a whole feature or a
    whole unit. The ``sqrt(p_g)`` factor makes ``alpha`` comparable across
    layers of different widths.

    Parameters
    ----------
    alpha : float >= 0
        The strength per unit of ``sqrt(p_g) * ||w_g||_2``: a group whose
        loss gradient has a norm below ``alpha * sqrt(p_g)`` is zero at the
        optimum.

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.penalties import GroupLasso
    >>> W = np.array([[3.0, 4.0], [0.3, 0.4]])
    >>> round(GroupLasso(alpha=1.0).value(W), 6)  # sqrt(2) * (5 + 0.5)
    7.778175
    >>> GroupLasso(alpha=1.0).prox(W, step=1 / np.sqrt(2))
    array([[2.4, 3.2],
           [0. , 0. ]])
    """

    layout = "layers"

    def __init__(self, alpha: float):
        self.alpha = alpha
        self._strength = check_alpha(alpha)

    @property
    def is_smooth(self) -> bool:
        return self._strength == 0.0

    def nonsmooth_value(self, arrays, scratch=None) -> float:
        total = 0.0
        for a in arrays:
            rows = _rows(np.asarray(a))
            total += np.sqrt(rows.shape[1]) * float(row_norms(rows).sum())
        return float(self._strength * total)

    def _block_threshold(self, rows: np.ndarray, step) -> None:
        """Shrink each row towards 0 by ``step * alpha * sqrt(p)``, in place.

        With per-weight steps (a diagonal metric such as Adam's) each row
        takes the smallest step of its weights: the exact proximal step in a
        non-isotropic metric has no closed form, a constant step per group
        makes it block soft-thresholding, and the smallest one is the cautious
        choice (a weight that has seen no gradient, with its huge Adam step,
        cannot wipe out its whole group).
        """
        if np.ndim(step) > 0:
            step = _rows(np.asarray(step)).min(axis=1)
        norms = row_norms(rows)
        threshold = np.multiply(step, self._strength * np.sqrt(rows.shape[1]))
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(norms > threshold, 1.0 - threshold / norms, 0.0)
        rows *= scale.astype(rows.dtype, copy=False)[:, None]

    def prox_(self, arrays, steps, scratch=None) -> None:
        if self._strength:
            for a, step in zip(arrays, steps, strict=True):
                self._block_threshold(_rows(a), step)
        return None

    def after_prox(self, coefs) -> None:
        """Zero the incoming weights of hidden units whose outputs are unused.

        A unit whose outgoing weights are all zero does not affect the output,
        so its incoming weights get no gradient from the loss; zeroing them
        changes no prediction and only lowers the penalty (the optimum has
        them at zero).
        """
        for incoming, outgoing in pairwise(coefs):
            dead = ~outgoing.any(axis=1)
            if dead.any():
                incoming[:, dead] = 0

    def alpha_max(self, gradient: np.ndarray) -> float:
        """``max_j ||gradient[j]|| / sqrt(n_units)``: row ``j`` is feature
        ``j``'s group of ``n_units`` weights, penalized by
        ``alpha * sqrt(n_units) * norm``, so zero is optimal for every group
        from that ``alpha`` on."""
        return float(row_norms(gradient).max(initial=0.0)) / np.sqrt(gradient.shape[1])
