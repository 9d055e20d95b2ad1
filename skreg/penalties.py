"""Penalties on the weights of a network: L1, L2 and the elastic net.

Every penalty here is a member of one family,

    P(w) = l1 * sum|w| + l2 / 2 * sum w**2,

so it exposes its two strengths and three operations:

- ``value(w)``: P(w);
- ``gradient(w)``: the gradient of the smooth part, ``l2 * w``;
- ``prox(w, step)``: the proximal operator of the whole penalty,
  ``argmin_u P(u) + ||u - w||**2 / (2 * step)``.

Solvers use ``gradient`` for the smooth part and ``prox_l1`` (the proximal
operator of the non-smooth part alone) after each step, which is what makes
weights exactly zero. Every public method takes an array or a list of arrays
and returns the same structure; nothing is modified in place unless an ``out``
array is given to ``prox_l1``.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real

import numpy as np

__all__ = [
    "ElasticNet",
    "GroupLasso",
    "L1",
    "L2",
    "NoPenalty",
    "Penalty",
    "make_penalty",
]


def _as_float_array(a) -> np.ndarray:
    """``a`` as an array, keeping a floating dtype (float32 stays float32)."""
    arr = np.asarray(a)
    return arr if arr.dtype.kind == "f" else arr.astype(np.float64)


def _as_arrays(w):
    """Return ``(list of float arrays, was_list)`` for an array or a list."""
    if isinstance(w, (list, tuple)) and len(w) > 0 and np.ndim(w[0]) > 0:
        return [_as_float_array(a) for a in w], True
    if isinstance(w, (list, tuple)) and len(w) == 0:
        return [], True
    return [_as_float_array(w)], False


def _unwrap(arrays, was_list):
    return arrays if was_list else arrays[0]


def soft_threshold(
    w: np.ndarray, threshold, out: np.ndarray | None = None, scratch=None
) -> np.ndarray:
    """Soft-threshold ``w`` by ``threshold`` (a scalar or an array like ``w``).

    ``sign(w) * max(|w| - t, 0)``, computed as ``w - sign(w) * min(|w|, t)``:
    exact (positive) zeros where ``|w| <= t``, and with ``scratch`` (an array
    like ``w``) no temporary at all.
    """
    return _shrink(w, threshold, out, scratch)[0]


def _shrink(w, threshold, out, scratch, l1_norm=False):
    """Soft-thresholding in four passes; return ``(result, its L1 norm)``.

    With ``l1_norm`` the norm of the result, ``sum|w| - sum min(|w|, t)``,
    costs two sums of arrays computed on the way (else it is ``None``).
    """
    if out is None:
        out = np.array(w, copy=True)
    elif out is not w:
        np.copyto(out, w)
    magnitude = np.abs(out, out=scratch)
    norm = float(magnitude.sum()) if l1_norm else None
    shrinkage = np.minimum(magnitude, threshold, out=magnitude)
    if l1_norm:
        norm -= float(shrinkage.sum())
    np.copysign(shrinkage, out, out=shrinkage)
    out -= shrinkage
    return out, norm


class Penalty:
    """Base of the penalty family ``l1 * sum|w| + l2 / 2 * sum w**2``.

    Subclasses only differ in how ``alpha`` (and ``l1_ratio``) map to the two
    strengths ``l1`` and ``l2``.
    """

    l1: float = 0.0
    l2: float = 0.0

    @property
    def is_smooth(self) -> bool:
        """True when the penalty has no L1 part (no proximal step is needed)."""
        return self.l1 == 0.0

    def value(self, w) -> float:
        """Value of the penalty at ``w`` (an array or a list of arrays)."""
        arrays, _ = _as_arrays(w)
        total = 0.0
        for a in arrays:
            if self.l1:
                total += self.l1 * float(np.abs(a).sum())
            if self.l2:
                flat = a.ravel()
                total += 0.5 * self.l2 * float(np.dot(flat, flat))
        return total

    def gradient(self, w):
        """Gradient of the smooth (L2) part of the penalty at ``w``."""
        arrays, was_list = _as_arrays(w)
        return _unwrap([self.l2 * a for a in arrays], was_list)

    def prox_l1(self, w, step, out=None):
        """Proximal operator of the L1 part alone: soft-thresholding.

        ``step`` is a scalar or, for diagonal metrics such as Adam's, an array
        of per-weight step sizes shaped like ``w``. With ``out`` (a single
        array) the result is written there, which may be ``w`` itself.
        """
        if out is not None:
            if self.l1 == 0.0:
                if out is not w:
                    np.copyto(out, w)
                return out
            return soft_threshold(w, np.multiply(step, self.l1), out=out)
        arrays, was_list = _as_arrays(w)
        if self.l1 == 0.0:
            return _unwrap([a.copy() for a in arrays], was_list)
        return _unwrap(
            [soft_threshold(a, np.multiply(step, self.l1)) for a in arrays], was_list
        )

    #: True when the non-smooth part acts on each weight alone, so that it
    #: can be applied to all weights at once, whatever the layer structure.
    elementwise = True

    def nonsmooth_value(self, arrays, scratch=None) -> float:
        """Value of the non-smooth part at a list of weight arrays.

        ``scratch``, an array shaped like the single array of ``arrays``,
        avoids a temporary.
        """
        if not self.l1:
            return 0.0
        if scratch is not None and len(arrays) == 1:
            return self.l1 * float(np.abs(arrays[0], out=scratch).sum())
        return self.l1 * sum(float(np.abs(a).sum()) for a in arrays)

    def prox_nonsmooth_(self, arrays, steps, scratch=None) -> float | None:
        """Proximal step of the non-smooth part, in place on each array.

        ``steps`` holds one step per array: a scalar or an array shaped like
        it (per-weight steps of a diagonal metric). ``scratch``, an array
        shaped like the single array of ``arrays``, avoids temporaries; a
        per-weight step array may then be overwritten. Returns the value of
        the non-smooth part at the result when it comes at little cost (else
        ``None``).
        """
        if not self.l1:
            return 0.0
        if scratch is not None and len(arrays) == 1:
            step = steps[0]
            if np.ndim(step):
                threshold = np.multiply(step, self.l1, out=step)
            else:
                threshold = step * self.l1
            _, norm = _shrink(arrays[0], threshold, arrays[0], scratch, l1_norm=True)
            return self.l1 * norm
        for a, step in zip(arrays, steps, strict=True):
            soft_threshold(a, np.multiply(step, self.l1), out=a)
        return None

    def prox(self, w, step):
        """Proximal operator of the whole penalty with step size ``step``.

        Returns ``argmin_u P(u) + ||u - w||**2 / (2 * step)``: soft-threshold
        by ``step * l1``, then shrink by ``1 + step * l2``.
        """
        arrays, was_list = _as_arrays(w)
        shrink = 1.0 + np.multiply(step, self.l2)
        results = []
        for a in arrays:
            u = soft_threshold(a, np.multiply(step, self.l1))
            u /= shrink  # in place, so float32 stays float32
            results.append(u)
        return _unwrap(results, was_list)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self._params().items())
        return f"{type(self).__name__}({params})"

    def _params(self) -> dict:
        return {}

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self._params() == other._params()

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(self._params().items())))


def _check_alpha(alpha) -> float:
    if not isinstance(alpha, Real) or not np.isfinite(alpha) or alpha < 0:
        raise ValueError(f"alpha must be a finite number >= 0, got {alpha!r}.")
    return float(alpha)


class NoPenalty(Penalty):
    """The zero penalty (``penalty=None``).

    Examples
    --------
    >>> from skreg.penalties import NoPenalty
    >>> NoPenalty().value([1.0, -2.0])
    0.0
    """


class L1(Penalty):
    """Lasso penalty ``alpha * sum|w|``.

    Parameters
    ----------
    alpha : float >= 0
        Strength of the penalty.

    Examples
    --------
    >>> from skreg.penalties import L1
    >>> L1(alpha=0.5).value([1, -1, 2, -2])
    3.0
    >>> L1(alpha=1.0).prox([3.0, -0.5, 1.5], step=1.0)
    array([2. , 0. , 0.5])
    """

    def __init__(self, alpha: float):
        self.alpha = _check_alpha(alpha)
        self.l1 = self.alpha

    def _params(self) -> dict:
        return {"alpha": self.alpha}


class L2(Penalty):
    """Ridge penalty ``alpha / 2 * sum w**2``.

    Parameters
    ----------
    alpha : float >= 0
        Strength of the penalty.

    Examples
    --------
    >>> from skreg.penalties import L2
    >>> L2(alpha=1.0).value([1, -1, 2, -2])
    5.0
    >>> L2(alpha=1.0).gradient([1.0, -2.0])
    array([ 1., -2.])
    """

    def __init__(self, alpha: float):
        self.alpha = _check_alpha(alpha)
        self.l2 = self.alpha

    def _params(self) -> dict:
        return {"alpha": self.alpha}


class ElasticNet(Penalty):
    """Elastic-net penalty ``alpha * (rho * sum|w| + (1 - rho) / 2 * sum w**2)``.

    Parameters
    ----------
    alpha : float >= 0
        Overall strength of the penalty.
    l1_ratio : float in [0, 1]
        The mixing parameter ``rho``: 1 is :class:`L1`, 0 is :class:`L2`.

    Examples
    --------
    >>> from skreg.penalties import ElasticNet
    >>> ElasticNet(alpha=1.0, l1_ratio=0.5).value([2.0, -2.0])
    4.0
    """

    def __init__(self, alpha: float, l1_ratio: float = 0.5):
        self.alpha = _check_alpha(alpha)
        if (
            not isinstance(l1_ratio, Real)
            or not np.isfinite(l1_ratio)
            or not 0 <= l1_ratio <= 1
        ):
            raise ValueError(f"l1_ratio must be in [0, 1], got {l1_ratio!r}.")
        self.l1_ratio = float(l1_ratio)
        self.l1 = self.alpha * self.l1_ratio
        self.l2 = self.alpha * (1.0 - self.l1_ratio)

    def _params(self) -> dict:
        return {"alpha": self.alpha, "l1_ratio": self.l1_ratio}


class GroupLasso(Penalty):
    """Group lasso on rows: ``alpha * sum_g sqrt(p_g) * ||w_g||_2``.

    Each row of a 2-D array (and each 1-D array) is a group ``g`` of ``p_g``
    weights. Applied to a network's weight matrices, row ``j`` of the first
    matrix holds input feature ``j``'s outgoing weights and row ``j`` of a
    later matrix the outgoing weights of a hidden unit: the groups partition
    the weights, so the proximal operator is exact block soft-thresholding,
    and a zero group removes a whole feature or a whole unit. The
    ``sqrt(p_g)`` factor makes ``alpha`` comparable across layers of
    different widths.

    Parameters
    ----------
    alpha : float >= 0
        Strength of the penalty.

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

    def __init__(self, alpha: float):
        self.alpha = _check_alpha(alpha)

    @property
    def is_smooth(self) -> bool:
        return self.alpha == 0.0

    def _params(self) -> dict:
        return {"alpha": self.alpha}

    @staticmethod
    def _rows(a: np.ndarray) -> np.ndarray:
        return a.reshape(1, -1) if a.ndim <= 1 else a.reshape(a.shape[0], -1)

    def _row_norms(self, rows: np.ndarray) -> np.ndarray:
        return np.sqrt(np.einsum("ij,ij->i", rows, rows))

    def value(self, w) -> float:
        arrays, _ = _as_arrays(w)
        return self.nonsmooth_value(arrays)

    elementwise = False

    def nonsmooth_value(self, arrays, scratch=None) -> float:
        total = 0.0
        for a in arrays:
            rows = self._rows(np.asarray(a))
            total += np.sqrt(rows.shape[1]) * float(self._row_norms(rows).sum())
        return float(self.alpha * total)

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
            step = self._rows(np.asarray(step)).min(axis=1)
        norms = self._row_norms(rows)
        threshold = np.multiply(step, self.alpha * np.sqrt(rows.shape[1]))
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(norms > threshold, 1.0 - threshold / norms, 0.0)
        rows *= scale.astype(rows.dtype, copy=False)[:, None]

    def prox_nonsmooth_(self, arrays, steps, scratch=None) -> None:
        if self.alpha:
            for a, step in zip(arrays, steps, strict=True):
                self._block_threshold(self._rows(a), step)
        return None

    def prox(self, w, step):
        arrays, was_list = _as_arrays(w)
        out = [a.copy() for a in arrays]
        self.prox_nonsmooth_(out, [step] * len(out))
        return _unwrap(out, was_list)

    def prox_l1(self, w, step, out=None):
        raise TypeError(
            "GroupLasso has no elementwise L1 part; use prox or prox_nonsmooth_."
        )


def make_penalty(
    penalty: str | Penalty | None, alpha: float = 0.0, l1_ratio: float = 0.5
) -> Penalty:
    """Resolve ``None``, a name or a :class:`Penalty` into a penalty object.

    Parameters
    ----------
    penalty : {"l1", "l2", "elasticnet", "group"}, Penalty or None
        ``None`` means no penalty; an instance is returned as it is.
    alpha, l1_ratio : float
        Used when ``penalty`` is a name.

    Examples
    --------
    >>> from skreg.penalties import make_penalty
    >>> make_penalty("elasticnet", alpha=0.1, l1_ratio=0.3)
    ElasticNet(alpha=0.1, l1_ratio=0.3)
    """
    if penalty is None:
        return NoPenalty()
    if isinstance(penalty, Penalty):
        return penalty
    if penalty == "l1":
        return L1(alpha)
    if penalty == "l2":
        return L2(alpha)
    if penalty == "elasticnet":
        return ElasticNet(alpha, l1_ratio)
    if penalty == "group":
        return GroupLasso(alpha)
    names: Sequence[str] = ("l1", "l2", "elasticnet", "group", None)
    raise ValueError(f"penalty must be one of {names}, got {penalty!r}.")
