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
        self._step_size = np.empty(n_params, dtype=dtype)
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
        m, v, s = self.m, self.v, self._step_size
        m *= b1
        m += np.multiply(grad, 1 - b1, out=self._scratch)
        v *= b2
        np.multiply(grad, grad, out=self._scratch)
        self._scratch *= 1 - b2
        v += self._scratch
        lr_t = self.learning_rate_init * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        # s = lr_t / (sqrt(v) + eps), the per-weight step size
        np.sqrt(v, out=s)
        s += self.epsilon
        np.divide(lr_t, s, out=s)
        update = np.multiply(m, s, out=self._scratch)
        params = objective.params
        params -= update
        if objective.needs_prox:
            objective.prox(s[: objective.weights.size])
