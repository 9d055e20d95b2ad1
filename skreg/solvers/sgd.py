"""Proximal stochastic gradient descent with momentum or Nesterov momentum.

The smooth part of the objective takes a (momentum) gradient step over the one
flat parameter buffer; the non-smooth part then takes its proximal step with
the same step size, so weights can become exactly zero.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .schedules import LearningRateSchedule

__all__ = ["ProximalSGD"]


class ProximalSGD:
    """SGD with (Nesterov) momentum followed by a proximal step.

    Parameters
    ----------
    n_params : int
        Size of the flat parameter buffer.
    schedule : LearningRateSchedule
    momentum : float in [0, 1]
    nesterov : bool
    dtype : numpy dtype
    """

    def __init__(
        self,
        n_params: int,
        schedule: LearningRateSchedule,
        momentum: float = 0.9,
        nesterov: bool = True,
        dtype=np.float64,
    ) -> None:
        self.schedule = schedule
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)
        self.velocity = np.zeros(n_params, dtype=dtype)

    @property
    def learning_rate(self) -> float:
        return self.schedule.rate

    def epoch_ends(self, samples_seen: int) -> None:
        self.schedule.epoch_ends(samples_seen)

    def on_plateau(self) -> tuple[bool, str]:
        """Training stalled: return ``(stop, what was done)``."""
        return self.schedule.on_plateau()

    def step(
        self,
        params: np.ndarray,
        grad: np.ndarray,
        work: np.ndarray,
        prox: Callable | None = None,
    ) -> float | None:
        """Update ``params`` in place from the gradient ``grad``.

        ``work`` is a parameter-shaped array whose content is not kept; it
        is also the work space of ``prox(step, scratch)``, the proximal step
        of the objective, taken when given. Returns what ``prox`` returns:
        the non-smooth part at the new parameters, or ``None`` when unknown.
        """
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
        if prox is not None:
            return prox(lr, scratch=work)
        return None
