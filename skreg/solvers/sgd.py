"""Proximal stochastic gradient descent with momentum or Nesterov momentum.

The smooth part of the objective takes a (momentum) gradient step over the one
flat parameter buffer; the non-smooth part then takes its proximal step with
the same step size, so weights can become exactly zero.
"""

from __future__ import annotations

import numpy as np

from ._base import ProximalOptimizer

__all__ = ["ProximalSGD"]


class ProximalSGD(ProximalOptimizer):
    """SGD with (Nesterov) momentum followed by a proximal step.

    Parameters
    ----------
    schedule : LearningRateSchedule
    momentum : float in [0, 1]
    nesterov : bool
    **decay
        ``weight_decay`` and ``n_decayed`` of :class:`ProximalOptimizer`
        (SGDW).
    """

    momentum: float
    nesterov: bool

    def __init__(self, schedule, momentum=0.9, nesterov=True, **decay) -> None:
        super().__init__(schedule, **decay)
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)
        self.velocity: np.ndarray | None = None

    def _move(self, params, grad, work, keep_steps):
        """The (Nesterov) momentum move; the proximal step takes the same
        learning rate and ``work``, free again once the move is made."""
        if self.velocity is None:
            self.velocity = np.zeros_like(params)
        lr = self.schedule.rate
        v = self.velocity
        scaled = np.multiply(grad, -lr, out=work)
        # v <- momentum * v - lr * grad
        v *= self.momentum
        v += scaled
        if self.nesterov:
            # params += momentum * v - lr * grad
            params += scaled
            params += np.multiply(v, self.momentum, out=scaled)
        else:
            params += v
        return lr, work
