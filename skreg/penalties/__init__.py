"""Penalties on the weights of a network, and the contract they follow.

Every penalty is an instance of :class:`Penalty`, split into a ridge part
``l2 / 2 * sum W**2`` (smooth, added to the gradient by back-propagation) and
a non-smooth part whose proximal step the solvers take; that is what makes
weights exactly zero. Two families implement it:

- the elementwise family (:class:`ElementwisePenalty`): :class:`NoPenalty`,
  :class:`L1`, :class:`L2`, :class:`ElasticNet`;
- the block family: :class:`GroupLasso`, whose groups are rows of the
  weight matrices.

Each estimator's ``penalty=`` takes ``None``, an instance of any subclass
of :class:`Penalty` (built in or user-written), or a name of the registry
``skreg.penalties.PENALTIES``: ``"l1"``, ``"l2"``, ``"elasticnet"`` and
``"group"``, built from the estimator's ``alpha`` (and ``l1_ratio``).
Every object also works on its own: ``value(w)``, ``gradient(w)`` (of the
ridge part) and ``prox(w, step)`` take an array or a list of arrays and
return the same structure, leaving their input alone.
"""

from __future__ import annotations

from ._base import Penalty, check_alpha
from ._elementwise import L1, L2, ElasticNet, ElementwisePenalty, NoPenalty
from ._group import GroupLasso

__all__ = [
    "ElasticNet",
    "ElementwisePenalty",
    "GroupLasso",
    "L1",
    "L2",
    "NoPenalty",
    "Penalty",
    "check_alpha",
    "make_penalty",
    "names_taking",
]

#: The penalties ``penalty=`` accepts by name (``None`` is :class:`NoPenalty`).
#: A class is built from the estimator's ``alpha``, and from its
#: ``l1_ratio`` when its ``__init__`` takes one.
PENALTIES: dict[str, type[Penalty]] = {
    "l1": L1,
    "l2": L2,
    "elasticnet": ElasticNet,
    "group": GroupLasso,
}


def names_taking(parameter: str) -> list[str]:
    """The names of :data:`PENALTIES` whose class takes ``parameter``.

    Examples
    --------
    >>> from skreg.penalties import names_taking
    >>> names_taking("l1_ratio")
    ['elasticnet']
    """
    return [name for name, cls in PENALTIES.items() if parameter in cls._param_names()]


def make_penalty(
    penalty: str | Penalty | None, alpha: float = 0.0, l1_ratio: float = 0.5
) -> Penalty:
    """Resolve ``None``, a name or a :class:`Penalty` into a penalty object.

    Parameters
    ----------
    penalty : str, Penalty or None
        A name of the registry ``PENALTIES``; ``None`` means no penalty; an instance
        is returned as it is.
    alpha, l1_ratio : float
        Used when ``penalty`` is a name.

    Examples
    --------
    >>> from skreg.penalties import make_penalty
    >>> make_penalty("elasticnet", alpha=0.1, l1_ratio=0.3)
    ElasticNet(alpha=0.1, l1_ratio=0.3)
    """
    if isinstance(penalty, Penalty):
        return penalty
    if penalty is None:
        return NoPenalty()
    cls = PENALTIES.get(penalty) if isinstance(penalty, str) else None
    if cls is None:
        names = (*PENALTIES, None)
        raise ValueError(f"penalty must be one of {names}, a Penalty, got {penalty!r}.")
    if penalty in names_taking("l1_ratio"):
        return cls(alpha, l1_ratio)
    return cls(alpha)
