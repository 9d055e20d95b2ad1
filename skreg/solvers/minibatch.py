"""The minibatch solvers: proximal SGD and proximal Adam over the epoch loop.

Each is a dataclass of its options (the estimator parameters of the same
names); :meth:`solve` makes the optimizer of a new run, or continues the run
of a previous result's state (``partial_fit``), and drives it with
:func:`~skreg.solvers.stochastic.run_epochs`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ._base import Solver, SolverResult
from .adam import ProximalAdam
from .schedules import LearningRateSchedule
from .sgd import ProximalSGD
from .stochastic import TrainingState, run_epochs

__all__ = ["AdamSolver", "MinibatchState", "SgdSolver"]


@dataclass
class MinibatchState:
    """What continues a minibatch training run: the record of the epochs,
    the optimizer (moments, velocity, schedule) and the random generator."""

    training: TrainingState
    optimizer: ProximalSGD | ProximalAdam
    rng: np.random.Generator


@dataclass
class _MinibatchSolver(Solver):
    learning_rate_init: float
    batch_size: int | str
    max_iter: int
    shuffle: bool
    tol: float
    n_iter_no_change: int | float
    verbose: bool

    stochastic = True

    @classmethod
    def supports_penalty(cls, penalty) -> bool:
        return True  # any proximal step

    def _optimizer(self):
        """A new optimizer (its state is allocated at its first step)."""
        raise NotImplementedError

    def _batch_size(self, n_samples: int) -> int:
        if self.batch_size == "auto":
            return min(200, n_samples)
        if self.batch_size > n_samples:
            warnings.warn(
                "Got `batch_size` larger than the number of samples; it is "
                f"clipped to {n_samples}.",
                stacklevel=5,
            )
        return min(int(self.batch_size), n_samples)

    def solve(
        self,
        objective,
        X,
        Y,
        sample_weight,
        *,
        rng=None,
        state=None,
        validation_score=None,
        incremental=False,
    ) -> SolverResult:
        if state is None:
            # A new training run: fresh optimizer, stopping rule and history.
            state = MinibatchState(
                TrainingState.new(validation_score is not None),
                self._optimizer(),
                rng,
            )
        record = state.training
        run_epochs(
            objective,
            state.optimizer,
            X,
            Y,
            sample_weight,
            state=record,
            rng=state.rng,
            batch_size=self._batch_size(X.shape[0]),
            max_iter=self.max_iter,
            shuffle=self.shuffle,
            tol=self.tol,
            n_iter_no_change=self.n_iter_no_change,
            validation_score=validation_score,
            incremental=incremental,
            verbose=bool(self.verbose),
        )
        return SolverResult(
            n_iter=record.n_iter,
            loss=record.loss,
            loss_curve=record.loss_curve,
            best_loss=record.best_loss,
            validation_scores=record.validation_scores,
            best_validation_score=record.best_validation_score,
            t=record.t,
            state=state,
        )


@dataclass
class SgdSolver(_MinibatchSolver):
    """Proximal SGD with momentum (``solver="sgd"``)."""

    learning_rate: str
    power_t: float
    momentum: float
    nesterovs_momentum: bool

    name = "sgd"

    def _optimizer(self) -> ProximalSGD:
        rate = LearningRateSchedule(
            self.learning_rate, self.learning_rate_init, self.power_t
        )
        return ProximalSGD(rate, self.momentum, self.nesterovs_momentum)


@dataclass
class AdamSolver(_MinibatchSolver):
    """Proximal Adam (``solver="adam"``)."""

    beta_1: float
    beta_2: float
    epsilon: float

    name = "adam"

    def _optimizer(self) -> ProximalAdam:
        return ProximalAdam(
            self.learning_rate_init, self.beta_1, self.beta_2, self.epsilon
        )
