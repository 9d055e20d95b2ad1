"""Proximal Adam: Adam's step, then the L1 prox in Adam's diagonal metric.

Adam moves each weight by ``lr_t * m / (sqrt(v) + eps)``, that is a gradient
step with the per-weight step size ``s = lr_t / (sqrt(v) + eps)`` (``lr_t``
folds in the bias corrections of both moments). The proximal step in that
metric soft-thresholds each weight by ``s * alpha * rho``: the same step size
that moved it, so a weight the L1 term pins at zero stays exactly zero.

The moments are stored unnormalized, ``m_sum = m / (1 - beta_1)`` and
``v_sum = v / (1 - beta_2)``, which obey ``m_sum <- beta_1 m_sum + g`` and
``v_sum <- beta_2 v_sum + g**2``: two fewer passes over the parameters per
step than the textbook form. The constant factors move into the scalars:
``m / (sqrt(v) + eps) = c * m_sum / (sqrt(v_sum) + eps / sqrt(1 - beta_2))``
with ``c = (1 - beta_1) / sqrt(1 - beta_2)``.
"""

from __future__ import annotations

import numpy as np

from ._base import ProximalOptimizer
from .schedules import LearningRateSchedule

__all__ = ["ProximalAdam"]

# Elements per block of the update. Measured on networks of 60k to 700k
# parameters: smaller blocks stay in L2 cache but pay more in per-call
# overhead than they gain.
_BLOCK = 65536


class ProximalAdam(ProximalOptimizer):
    """Adam (Kingma & Ba, 2015) with a proximal step in its metric.

    Parameters
    ----------
    schedule : LearningRateSchedule
        Its rate is Adam's ``learning_rate``; the bias corrections multiply it.
    beta_1, beta_2 : float in [0, 1)
    epsilon : float > 0
    **decay
        ``weight_decay`` and ``n_decayed`` of :class:`ProximalOptimizer`
        (AdamW).
    """

    def __init__(
        self,
        schedule: LearningRateSchedule,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        **decay,
    ) -> None:
        super().__init__(schedule, **decay)
        self.beta_1 = float(beta_1)
        self.beta_2 = float(beta_2)
        self.epsilon = float(epsilon)
        self.t = 0
        # The moments, unnormalized: m / (1 - beta_1) and v / (1 - beta_2).
        self.m: np.ndarray | None = None
        self.v: np.ndarray | None = None

    def _move(self, params, grad, work, keep_steps):
        """Adam's move. ``grad`` is consumed: once the moments have taken it
        in, its memory holds the update and then serves the proximal step as
        work space; the per-weight step sizes go to ``work``. A step thus
        needs no parameter-sized array of its own."""
        if self.m is None:
            self.m, self.v = np.zeros_like(params), np.zeros_like(params)
        self.t += 1
        b1, b2 = self.beta_1, self.beta_2
        # Adam's step lr_t * m / (sqrt(v) + eps), with m and v kept as
        # m_sum = m / (1 - b1) and v_sum = v / (1 - b2) (see the module docstring),
        # is  rate * m_sum / (sqrt(v_sum) + eps_sum).  Python floats, so that
        # float32 arrays are not promoted to float64 on the way.
        lr_t = self.schedule.rate * (1 - b2**self.t) ** 0.5 / (1 - b1**self.t)
        step_scale = float(lr_t / (1 - b2) ** 0.5)
        rate = (1 - b1) * step_scale
        eps_sum = float(self.epsilon / (1 - b2) ** 0.5)
        steps = work if keep_steps else None
        m, v = self.m, self.v
        # Each elementwise pass reads and writes whole arrays; done block by
        # block, the ten passes of a step run on data that stays in cache.
        for start in range(0, params.size, _BLOCK):
            block = slice(start, start + _BLOCK)
            g, mb, vb = grad[block], m[block], v[block]
            mb *= b1
            mb += g
            vb *= b2
            g *= g  # the gradient itself is no longer needed
            vb += g
            if steps is not None:
                # s = lr_t / (sqrt(v) + eps), the per-weight step size, kept
                # for the proximal step in the same metric; the update is
                # m * s = (1 - b1) * m_sum * s
                sb = steps[block]
                np.sqrt(vb, out=sb)
                sb += eps_sum
                np.divide(step_scale, sb, out=sb)
                np.multiply(mb, sb, out=g)
                g *= 1 - b1
            else:
                np.sqrt(vb, out=g)
                g += eps_sum
                np.divide(mb, g, out=g)
                g *= rate
            params[block] -= g
        return steps, grad
