"""The elementwise family: ``l1 * sum|W| + l2 / 2 * sum W**2``.

No penalty, L1, L2 and the elastic net differ only in how ``alpha`` (and
``l1_ratio``) map to the two strengths. The non-smooth part ``l1 * sum|W|``
acts on each weight alone: its proximal step is soft-thresholding, applied to
all weights of a network as one flat array in one pass.
"""

from __future__ import annotations

from numbers import Real

import numpy as np

from ._base import Penalty, as_arrays, check_alpha

__all__ = [
    "L1",
    "L2",
    "ElasticNet",
    "ElementwisePenalty",
    "NoPenalty",
    "soft_threshold",
]

# Below this l1 share the L1 optimality condition says little about alpha;
# the top of a grid is then max|gradient| / _MIN_L1_SHARE.
_MIN_L1_SHARE = 1e-3


def soft_threshold(w, threshold, out=None, scratch=None, l1_norm=False):
    """Soft-threshold ``w`` by ``threshold`` (a scalar or an array like ``w``).

    ``sign(w) * max(|w| - t, 0)``, computed in four passes as
    ``w - sign(w) * min(|w|, t)``: exact (positive) zeros where ``|w| <= t``,
    and with ``scratch`` (an array like ``w``) no temporary. Returns
    ``(result, its L1 norm)``; with ``l1_norm`` the norm costs two sums of
    arrays computed on the way, ``sum|w| - sum min(|w|, t)`` (else ``None``).
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


class ElementwisePenalty(Penalty):
    """Base of the family ``l1 * sum|W| + l2 / 2 * sum W**2``.

    Subclasses set the strengths ``l1`` and ``l2`` from their parameters and
    ``l1_share``, the L1 part of the penalty at ``alpha = 1``.
    """

    l1: float = 0.0
    l2: float = 0.0
    l1_share: float = 0.0
    layout = "flat"

    @property
    def is_smooth(self) -> bool:
        return self.l1 == 0.0

    @property
    def lbfgs(self) -> str:
        return "smooth" if self.is_smooth else "split_l1"

    def nonsmooth_value(self, arrays, scratch=None) -> float:
        if not self.l1:
            return 0.0
        if scratch is not None and len(arrays) == 1:
            return self.l1 * float(np.abs(arrays[0], out=scratch).sum())
        return self.l1 * sum(float(np.abs(a).sum()) for a in arrays)

    def prox_(self, arrays, steps, scratch=None) -> float | None:
        if not self.l1:
            return 0.0
        if scratch is not None and len(arrays) == 1:
            step = steps[0]
            if np.ndim(step):
                threshold = np.multiply(step, self.l1, out=step)
            else:
                threshold = step * self.l1
            _, norm = soft_threshold(arrays[0], threshold, arrays[0], scratch, True)
            return self.l1 * norm
        for a, step in zip(arrays, steps, strict=True):
            soft_threshold(a, np.multiply(step, self.l1), out=a)
        return None

    def prox(self, w, step):
        """Proximal operator of the whole penalty with step size ``step``:
        soft-threshold by ``step * l1``, then divide by ``1 + step * l2``
        (in this order, which keeps full relative precision near the
        threshold)."""
        arrays, was_list = as_arrays(w)
        shrink = 1.0 + np.multiply(step, self.l2)
        out = []
        for a in arrays:
            u, _ = soft_threshold(a, np.multiply(step, self.l1))
            u /= shrink  # in place, so float32 stays float32
            out.append(u)
        return out if was_list else out[0]

    def alpha_max(self, gradient: np.ndarray) -> float:
        """``max|gradient| / max(rho, 1e-3)``, ``rho`` the L1 share.

        At that ``alpha``, ``|dJ_data/dw| <= alpha * rho`` for every weight:
        zero is optimal for each of them. With no (or a tiny) L1 share no
        ``alpha`` makes weights zero, and this is a scale only.
        """
        top = float(np.abs(gradient).max(initial=0.0))
        return top / max(self.l1_share, _MIN_L1_SHARE)


class NoPenalty(ElementwisePenalty):
    """The zero penalty (``penalty=None``).

    Examples
    --------
    >>> from skreg.penalties import NoPenalty
    >>> NoPenalty().value([1.0, -2.0])
    0.0
    """

    def __init__(self):
        pass


class L1(ElementwisePenalty):
    """Lasso penalty ``alpha * sum|w|`` (``penalty="l1"``).

    Parameters
    ----------
    alpha : float >= 0
        The L1 strength: weights whose loss gradient stays below ``alpha``
        in magnitude are exactly zero at the optimum.

    Examples
    --------
    >>> from skreg.penalties import L1
    >>> L1(alpha=0.5).value([1, -1, 2, -2])
    3.0
    >>> L1(alpha=1.0).prox([3.0, -0.5, 1.5], step=1.0)
    array([2. , 0. , 0.5])
    """

    l1_share = 1.0

    def __init__(self, alpha: float):
        self.alpha = alpha
        self.l1 = check_alpha(alpha)


class L2(ElementwisePenalty):
    """Ridge penalty ``alpha / 2 * sum w**2`` (``penalty="l2"``).

    Parameters
    ----------
    alpha : float >= 0
        The ridge strength, the ``l2`` of the penalty contract (a smooth
        penalty: no weight becomes exactly zero).

    Examples
    --------
    >>> from skreg.penalties import L2
    >>> L2(alpha=1.0).value([1, -1, 2, -2])
    5.0
    >>> L2(alpha=1.0).gradient([1.0, -2.0])
    array([ 1., -2.])
    """

    def __init__(self, alpha: float):
        self.alpha = alpha
        self.l2 = check_alpha(alpha)


class ElasticNet(ElementwisePenalty):
    """Elastic net ``alpha * (rho * sum|w| + (1 - rho) / 2 * sum w**2)``.

    ``penalty="elasticnet"``.

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
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        strength = check_alpha(alpha)
        if (
            not isinstance(l1_ratio, Real)
            or not np.isfinite(l1_ratio)
            or not 0 <= l1_ratio <= 1
        ):
            raise ValueError(f"l1_ratio must be in [0, 1], got {l1_ratio!r}.")
        self.l1_share = float(l1_ratio)
        self.l1 = strength * self.l1_share
        self.l2 = strength * (1.0 - self.l1_share)
