"""Small helpers shared by the core, the penalties and the estimators."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

__all__ = ["MAX_SEED", "row_norms", "zero_fraction"]

#: Seeds drawn from a RandomState for a new generator or split lie below this.
MAX_SEED = np.iinfo(np.int32).max


def row_norms(a: np.ndarray, axis: int = 1) -> np.ndarray:
    """Euclidean norms of the rows (``axis=1``) or columns (``axis=0``) of a
    2-D array, without the temporary ``a ** 2``."""
    return np.sqrt(np.einsum("ij,ij->i" if axis == 1 else "ij,ij->j", a, a))


def zero_fraction(arrays: Iterable[np.ndarray]) -> float:
    """Fraction of the entries of ``arrays`` that are exactly zero."""
    arrays = list(arrays)
    size = sum(a.size for a in arrays)
    n_zero = sum(int(np.count_nonzero(a == 0)) for a in arrays)
    return n_zero / max(size, 1)
