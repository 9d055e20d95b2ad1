"""Solvers: they see an :class:`~skreg._objective.Objective`, never an estimator.

- :class:`ProximalSGD` and :class:`ProximalAdam` take one step per minibatch;
  :func:`run_epochs` drives them over the data (shuffling, stopping rules,
  early stopping, divergence).
- :func:`minimize_lbfgs` runs scipy's L-BFGS-B on the full batch, handling
  the L1 part exactly on the split ``W = W+ - W-``.
"""

from .adam import ProximalAdam
from .lbfgs import LbfgsResult, minimize_lbfgs
from .schedules import LearningRateSchedule
from .sgd import ProximalSGD
from .stochastic import TrainingState, run_epochs

__all__ = [
    "LbfgsResult",
    "LearningRateSchedule",
    "ProximalAdam",
    "ProximalSGD",
    "TrainingState",
    "minimize_lbfgs",
    "run_epochs",
]
