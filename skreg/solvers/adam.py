"""Proximal Adam: Adam's step, then the L1 prox in Adam's diagonal metric.

Adam moves each weight by ``lr_t * m / (sqrt(v) + eps)``, that is a gradient
step with the per-weight step size ``s = lr_t / (sqrt(v) + eps)`` (``lr_t``
folds in the bias corrections of both moments). The proximal step in that
metric soft-thresholds each weight by ``s * alpha * rho``: the same step size
that moved it, so a weight the L1 term pins at zero stays exactly zero.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ProximalAdam"]

# Elements per block of the update: a few arrays of this many float64 numbers
# fit in a core's L2 cache.
_BLOCK = 65536


class ProximalAdam:
    """Adam (Kingma & Ba, 2015) with a proximal L1 step.

    Parameters
    ----------
    n_params : int
    learning_rate_init : float
    beta_1, beta_2 : float in [0, 1)
    epsilon : float > 0
    dtype : numpy dtype
    """

    def __init__(
        self,
        n_params: int,
        learning_rate_init: float = 1e-3,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        dtype=np.float64,
    ) -> None:
        self.learning_rate_init = float(learning_rate_init)
        self.beta_1 = float(beta_1)
        self.beta_2 = float(beta_2)
        self.epsilon = float(epsilon)
        self.t = 0
        self.m = np.zeros(n_params, dtype=dtype)
        self.v = np.zeros(n_params, dtype=dtype)
        self._step_size: np.ndarray | None = None  # only for proximal steps
        self._scratch = np.empty(n_params, dtype=dtype)

    @property
    def learning_rate(self) -> float:
        return self.learning_rate_init

    def epoch_ends(self, samples_seen: int) -> None:
        pass

    def on_plateau(self) -> tuple[bool, str]:
        """Training stalled: Adam keeps its rate, so training stops."""
        return True, "Stopping."

    def step(self, objective, grad: np.ndarray) -> None:
        """Update ``objective.params`` in place from the gradient ``grad``."""
        self.t += 1
        b1, b2 = self.beta_1, self.beta_2
        lr_t = self.learning_rate_init * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        params = objective.params
        prox = objective.needs_prox
        if prox and self._step_size is None:
            self._step_size = np.empty_like(self.m)
        m, v, scratch = self.m, self.v, self._scratch
        # Each elementwise pass reads and writes whole arrays; done block by
        # block, the dozen passes of a step run on data that stays in cache.
        for start in range(0, params.size, _BLOCK):
            block = slice(start, start + _BLOCK)
            g, mb, vb, cb = grad[block], m[block], v[block], scratch[block]
            # m <- b1 m + (1 - b1) g  and  v <- b2 v + (1 - b2) g**2
            np.subtract(g, mb, out=cb)
            cb *= 1 - b1
            mb += cb
            np.multiply(g, g, out=cb)
            cb -= vb
            cb *= 1 - b2
            vb += cb
            if prox:
                # s = lr_t / (sqrt(v) + eps), the per-weight step size, kept
                # for the proximal step in the same metric
                sb = self._step_size[block]
                np.sqrt(vb, out=sb)
                sb += self.epsilon
                np.divide(lr_t, sb, out=sb)
                np.multiply(mb, sb, out=cb)
            else:
                np.sqrt(vb, out=cb)
                cb += self.epsilon
                np.divide(mb, cb, out=cb)
                cb *= lr_t
            params[block] -= cb
        if prox:
            objective.prox(self._step_size[: objective.weights.size])
