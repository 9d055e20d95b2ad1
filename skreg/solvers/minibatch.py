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
from .averaging import IterateAverage
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
    average: IterateAverage | None = None


@dataclass
class _MinibatchSolver(Solver):
    learning_rate: str
    learning_rate_init: float
    warmup_epochs: float
    weight_decay: float
    average: bool | int
    batch_size: int | str
    max_iter: int
    shuffle: bool
    tol: float
    n_iter_no_change: int | float
    validation_interval: int
    verbose: bool

    stochastic = True

    @classmethod
    def supports_penalty(cls, penalty) -> bool:
        return True  # any proximal step

    def __post_init__(self):
        if self.warmup_epochs and self.learning_rate != "cosine":
            raise ValueError(
                "warmup_epochs > 0 requires learning_rate='cosine', got "
                f"learning_rate={self.learning_rate!r}."
            )
        if self.learning_rate_init * self.weight_decay >= 1:
            raise ValueError(
                "learning_rate_init * weight_decay must be below 1 (each step "
                "multiplies the weights by 1 - lr * weight_decay), got "
                f"{self.learning_rate_init} * {self.weight_decay}."
            )
        if self.warmup_epochs >= self.max_iter:
            raise ValueError(
                f"warmup_epochs ({self.warmup_epochs}) must be below max_iter "
                f"({self.max_iter})."
            )

    def _optimizer(self, network):
        """A new optimizer (its state is allocated at its first step)."""
        raise NotImplementedError

    def _schedule(self, kind: str) -> LearningRateSchedule:
        return LearningRateSchedule(
            kind, self.learning_rate_init, self.power_t, self.warmup_epochs
        )

    def _average(self) -> IterateAverage | None:
        if self.average is False or self.average == 0:
            return None
        return IterateAverage(1 if self.average is True else int(self.average))

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
        validation=None,
        events=None,
        incremental=False,
    ) -> SolverResult:
        if state is None:
            # A new training run: fresh optimizer, stopping rule and history.
            state = MinibatchState(
                TrainingState.new(validation is not None),
                self._optimizer(objective.network),
                rng,
                self._average(),
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
            average=state.average,
            batch_size=self._batch_size(X.shape[0]),
            max_iter=self.max_iter,
            shuffle=self.shuffle,
            tol=self.tol,
            n_iter_no_change=self.n_iter_no_change,
            validation=validation,
            validation_interval=self.validation_interval,
            events=events,
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
            validation_loss_curve=record.validation_loss_curve,
            t=record.t,
            state=state,
        )


@dataclass
class SgdSolver(_MinibatchSolver):
    """Proximal SGD with momentum (``solver="sgd"``)."""

    power_t: float
    momentum: float
    nesterovs_momentum: bool

    name = "sgd"

    def _optimizer(self, network) -> ProximalSGD:
        return ProximalSGD(
            self._schedule(self.learning_rate),
            self.momentum,
            self.nesterovs_momentum,
            weight_decay=self.weight_decay,
            n_decayed=network.n_weights,
        )


@dataclass
class AdamSolver(_MinibatchSolver):
    """Proximal Adam (``solver="adam"``)."""

    beta_1: float
    beta_2: float
    epsilon: float

    name = "adam"
    power_t = 0.5  # no invscaling for Adam

    def _optimizer(self, network) -> ProximalAdam:
        # As in scikit-learn, Adam keeps its rate unless the schedule is the
        # cosine: invscaling and adaptive are schedules of sgd.
        kind = "cosine" if self.learning_rate == "cosine" else "constant"
        return ProximalAdam(
            self._schedule(kind),
            self.beta_1,
            self.beta_2,
            self.epsilon,
            weight_decay=self.weight_decay,
            n_decayed=network.n_weights,
        )
