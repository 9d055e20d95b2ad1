"""The penalty contract: what a solver may ask of a penalty, and the registry.

A penalty on the weights ``W`` (all of ``coefs_``; biases are never
penalized) is split as

    P(W) = l2 / 2 * sum W**2  +  g(W)

into a *ridge part*, smooth, whose gradient ``l2 * W`` the network adds
during back-propagation, and a *non-smooth part* ``g`` that solvers apply by
its proximal step. Either may be zero. The contract below is all that a
solver, the objective or a CV grid uses; a new penalty implements it and is
then accepted by ``penalty=`` in every estimator.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from numbers import Real
from typing import ClassVar, Literal

import numpy as np

__all__ = ["Penalty", "as_arrays", "check_alpha"]

#: What L-BFGS can do with a penalty: minimize it directly (``"smooth"``: no
#: non-smooth part), handle its ``l1 * sum|W|`` exactly on the split
#: ``W = W+ - W-`` (``"split_l1"``), or nothing (``"unsupported"``).
LbfgsForm = Literal["smooth", "split_l1", "unsupported"]


def _as_float_array(a) -> np.ndarray:
    """``a`` as an array, keeping a floating dtype (float32 stays float32)."""
    arr = np.asarray(a)
    return arr if arr.dtype.kind == "f" else arr.astype(np.float64)


def as_arrays(w) -> tuple[list[np.ndarray], bool]:
    """Return ``(list of float arrays, was_list)`` for an array or a list."""
    if isinstance(w, (list, tuple)) and len(w) > 0 and np.ndim(w[0]) > 0:
        return [_as_float_array(a) for a in w], True
    if isinstance(w, (list, tuple)) and len(w) == 0:
        return [], True
    return [_as_float_array(w)], False


def _unwrap(arrays, was_list):
    return arrays if was_list else arrays[0]


def check_alpha(alpha) -> float:
    """``alpha`` as a float, or a ``ValueError`` naming it."""
    if not isinstance(alpha, Real) or not np.isfinite(alpha) or alpha < 0:
        raise ValueError(f"alpha must be a finite number >= 0, got {alpha!r}.")
    return float(alpha)


class Penalty(ABC):
    """Base class of the penalties: the contract between penalties and solvers.

    A subclass stores each ``__init__`` argument unchanged as an attribute of
    the same name (as scikit-learn estimators do), validates it in
    ``__init__``, and implements :meth:`nonsmooth_value` and :meth:`prox_`.
    ``get_params``, ``set_params``, ``clone``, ``repr``, equality and hashing
    then come from this class, and an estimator holding the penalty can be
    cloned, pickled and grid-searched. ``fit`` never modifies a penalty.

    What a subclass may set or override:

    ``l2`` : float
        Strength of the ridge part ``l2 / 2 * sum W**2`` (default 0).
    ``layout`` : {"flat", "layers"}
        How the non-smooth part sees the weights: ``"flat"``, one 1-D array
        of all weights (the part acts on each weight alone, so one pass does
        it); ``"layers"``, one 2-D array ``(fan_in, fan_out)`` per layer.
    ``is_smooth`` : bool
        True when the non-smooth part is zero, so that solvers skip the
        proximal step (default False).
    ``lbfgs`` : {"smooth", "split_l1", "unsupported"}
        What L-BFGS can do with the penalty (default ``"unsupported"``); with
        ``"split_l1"`` the non-smooth part must be ``l1 * sum|W|``, with the
        strength as the attribute ``l1``.
    :meth:`after_prox`
        A hook run on the layers' weight matrices after every proximal step.
    :meth:`alpha_max`
        The top of the automatic ``alpha`` grid of the CV estimators.

    The public :meth:`value`, :meth:`gradient` and :meth:`prox` work on
    arrays and lists of arrays and are built from the contract; they return
    new arrays and leave their input alone.
    """

    l2: float = 0.0
    layout: ClassVar[Literal["flat", "layers"]] = "flat"
    lbfgs: LbfgsForm = "unsupported"

    @property
    def is_smooth(self) -> bool:
        """True when the non-smooth part is zero (no proximal step needed)."""
        return False

    # -- the contract ---------------------------------------------------------

    @abstractmethod
    def nonsmooth_value(self, arrays: list[np.ndarray], scratch=None) -> float:
        """Value of the non-smooth part ``g`` at a list of weight arrays.

        ``arrays`` is laid out as :attr:`layout` says. ``scratch``, when
        given, is an array shaped like the single array of a ``"flat"``
        layout that may be overwritten (work space).
        """

    @abstractmethod
    def prox_(
        self, arrays: list[np.ndarray], steps: list, scratch=None
    ) -> float | None:
        """Proximal step of ``g``, in place.

        Each array ``w`` becomes ``argmin_u g(u) + ||u - w||**2 / (2 s)``.

        ``steps`` holds one step per array: a scalar, or an array shaped
        like it with one step per weight (the diagonal metric of Adam), which
        may then be overwritten. ``scratch`` is work space as in
        :meth:`nonsmooth_value`. Returns ``g`` at the result when it comes
        at little cost, else ``None``.
        """

    def after_prox(self, coefs: list[np.ndarray]) -> None:
        """Called with the layers' weight matrices after each proximal step.

        A penalty whose optimum sets more weights to zero than its proximal
        step does (the group penalty: the inputs of a unit whose outputs are
        all zero) does it here. If this changes weights, :meth:`prox_` must
        return ``None``. The default does nothing.
        """
        return None

    def alpha_max(self, gradient: np.ndarray) -> float:
        """The top of an automatic ``alpha`` grid for this kind of penalty.

        ``gradient`` is the gradient of the data term of J with respect to
        the first layer's weights (shape ``(n_features, n_units)``) at the
        weights a fit starts from. Returns the smallest ``alpha`` at which
        zero satisfies the optimality condition of every one of them (for a
        penalty with a sparsity-inducing part), or a scale for the grid.
        """
        raise NotImplementedError(
            f"{type(self).__name__} defines no alpha_max, so the CV estimators "
            "cannot build an automatic alpha grid for it: pass the alphas."
        )

    # -- built from the contract ----------------------------------------------

    def value(self, w) -> float:
        """Value of the penalty at ``w`` (an array or a list of arrays)."""
        arrays, _ = as_arrays(w)
        total = 0.0
        if self.l2:
            total += (
                0.5 * self.l2 * sum(float(np.dot(a.ravel(), a.ravel())) for a in arrays)
            )
        if not self.is_smooth:
            total += self.nonsmooth_value(self._laid_out(arrays))
        return total

    def gradient(self, w):
        """Gradient of the ridge (smooth) part of the penalty at ``w``."""
        arrays, was_list = as_arrays(w)
        return _unwrap([self.l2 * a for a in arrays], was_list)

    def prox(self, w, step):
        """Proximal operator of the whole penalty with step size ``step``.

        Returns ``argmin_u P(u) + ||u - w||**2 / (2 * step)``. With the ridge
        part this is the proximal step of ``g`` with step
        ``step / (1 + step * l2)`` at ``w / (1 + step * l2)``; for the
        positively homogeneous ``g`` of L1 and the group lasso, the same as
        soft-thresholding by ``step`` and then dividing by ``1 + step * l2``.
        """
        arrays, was_list = as_arrays(w)
        shrink = 1.0 + np.multiply(step, self.l2)
        out = [(a / shrink).astype(a.dtype, copy=False) for a in arrays]
        if not self.is_smooth:
            scaled = np.divide(step, shrink)
            laid_out = self._laid_out(out)
            self.prox_(laid_out, [np.array(scaled, copy=True)] * len(laid_out))
            out = self._restored(laid_out, out)
        return _unwrap(out, was_list)

    def _laid_out(self, arrays: list[np.ndarray]) -> list[np.ndarray]:
        if self.layout == "flat" and len(arrays) != 1:
            return [np.concatenate([a.ravel() for a in arrays])] if arrays else []
        return arrays

    def _restored(self, laid_out, arrays):
        if laid_out is arrays or not arrays:
            return arrays
        sizes = np.cumsum([a.size for a in arrays])[:-1]
        parts = np.split(laid_out[0], sizes)
        return [p.reshape(a.shape) for p, a in zip(parts, arrays, strict=True)]

    # -- parameters, as scikit-learn estimators have them --------------------

    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return [p for p in signature.parameters if p != "self"]

    def get_params(self, deep: bool = True) -> dict:
        """The ``__init__`` arguments of this penalty."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params) -> Penalty:
        """Set (and validate) ``__init__`` arguments; return ``self``."""
        unknown = set(params) - set(self._param_names())
        if unknown:
            raise ValueError(
                f"Invalid parameters {sorted(unknown)} for {type(self).__name__}."
            )
        self.__init__(**{**self.get_params(), **params})
        return self

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self.get_params() == other.get_params()

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(self.get_params().items())))
