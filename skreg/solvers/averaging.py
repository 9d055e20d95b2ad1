"""Polyak averaging of the iterates (stochastic weight averaging).

After each step, once ``start`` samples have been seen, the parameters are
added to a running mean; the fit's result is the mean, not the last iterate
(Polyak & Juditsky, 1992; Izmailov et al., 2018, for networks). The mean is
updated as ``mean += (params - mean) / k``, and the first averaged iterate is
copied exactly, so a weight that is exactly zero in every averaged iterate
(an L1 zero) is exactly zero in the mean.
"""

from __future__ import annotations

import numpy as np

__all__ = ["IterateAverage"]


class IterateAverage:
    """The running mean of the iterates from ``start`` samples seen on.

    Parameters
    ----------
    start : int
        Number of samples seen (``t_``) after which averaging starts; 1
        averages every iterate.
    """

    def __init__(self, start: int) -> None:
        self.start = int(start)
        self.count = 0
        self.mean: np.ndarray | None = None
        #: the last iterate, kept while ``mean`` stands in the parameters
        self.iterate: np.ndarray | None = None

    def update(self, params: np.ndarray, samples_seen: int, work: np.ndarray) -> None:
        """Add ``params`` (the iterate after a step) to the mean."""
        if samples_seen < self.start:
            return
        self.count += 1
        if self.mean is None:
            self.mean = params.copy()
            return
        if self.count == 1:
            np.copyto(self.mean, params)
            return
        delta = np.subtract(params, self.mean, out=work)
        delta *= 1.0 / self.count
        self.mean += delta

    def discard(self) -> None:
        """Forget the mean (training diverged: it may hold non-finite
        iterates)."""
        self.count = 0
        self.iterate = None

    def swap_in(self, params: np.ndarray) -> bool:
        """Put the mean into ``params``, keeping the iterate; return whether
        there was a mean to put in."""
        if not self.count:
            return False
        if self.iterate is None:
            self.iterate = params.copy()
        else:
            np.copyto(self.iterate, params)
        np.copyto(params, self.mean)
        return True

    def swap_out(self, params: np.ndarray) -> None:
        """Put the iterate kept by :meth:`swap_in` back into ``params``."""
        np.copyto(params, self.iterate)
