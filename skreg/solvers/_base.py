"""The solver contract: what a solver supports, and what it returns.

A solver minimizes an :class:`~skreg._objective.Objective` from the current
parameters of its network (the starting point), in place, and returns one
:class:`SolverResult`. Its options are the estimator parameters of the same
names (a dataclass field each), so that adding an option to a solver is a
field here and a parameter of the estimators, nothing else. It never sees an
estimator.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

import numpy as np

__all__ = ["ProximalOptimizer", "Solver", "SolverResult"]


class ProximalOptimizer(ABC):
    """A minibatch optimizer: decoupled weight decay, a move of the smooth
    part, then the proximal step in the same metric (so that what the move
    does to a weight, the proximal step can undo exactly, and zeros stay
    zeros).

    Subclasses implement :meth:`_move`. Their state (moments, velocity) is
    allocated at the first step, shaped and typed like the parameters.

    Parameters
    ----------
    schedule : LearningRateSchedule
        The learning rate of each step.
    weight_decay : float
        Decoupled weight decay (Loshchilov & Hutter, 2019): each step first
        multiplies the weights, ``params[:n_decayed]``, by
        ``1 - rate * weight_decay``, then adds the move computed from the
        gradient at the old weights (PyTorch's AdamW order).
    n_decayed : int
        How many leading parameters are weights (the rest are biases, never
        decayed).
    """

    def __init__(self, schedule, weight_decay: float = 0.0, n_decayed: int = 0):
        self.schedule = schedule
        self.weight_decay = float(weight_decay)
        self.n_decayed = int(n_decayed)

    def step(
        self,
        params: np.ndarray,
        grad: np.ndarray,
        work: np.ndarray,
        prox: Callable | None = None,
    ) -> float | None:
        """Update ``params`` in place from the gradient ``grad``.

        ``grad`` may be consumed. ``work`` is a parameter-shaped array whose
        content is not kept. ``prox(step, scratch)`` is the objective's
        proximal step, taken after the move when given, with the move's step
        size (a scalar, or per-weight steps) and a work array. Returns what
        ``prox`` returns: the non-smooth part of the objective at the new
        parameters, or ``None`` when not known.
        """
        self.schedule.next_step()
        if self.weight_decay:
            weights = params[: self.n_decayed]
            weights *= 1.0 - self.schedule.rate * self.weight_decay
        step, scratch = self._move(params, grad, work, prox is not None)
        return None if prox is None else prox(step, scratch=scratch)

    @abstractmethod
    def _move(self, params, grad, work, keep_steps: bool):
        """The smooth part's move of ``params``, in place; return ``(step,
        scratch)``: the step size for the proximal step (computed only with
        ``keep_steps``) and an array it may use as work space."""

    @property
    def learning_rate(self) -> float:
        """The current base learning rate."""
        return self.schedule.rate

    def epoch_ends(self, samples_seen: int) -> None:
        """Called after every epoch with the number of samples seen."""
        self.schedule.epoch_ends(samples_seen)

    def on_plateau(self) -> tuple[bool, str]:
        """Training stalled: return ``(stop, what was done)``."""
        return self.schedule.on_plateau()


@dataclass
class SolverResult:
    """What one call of :meth:`Solver.solve` leaves behind.

    ``state`` is what a later call needs to continue the same training run
    (``partial_fit``), or ``None`` for a solver that cannot continue.
    """

    n_iter: int
    loss: float
    loss_curve: list[float] = field(default_factory=list)
    best_loss: float | None = None
    validation_scores: list[float] | None = None
    best_validation_score: float | None = None
    validation_loss_curve: list[float] | None = None
    t: int = 0
    converged: bool = True
    state: Any = None


class Solver(ABC):
    """Base class of the solvers.

    Subclasses are dataclasses whose fields are the estimator parameters they
    use, and declare what they support:

    ``stochastic`` : bool
        Minibatch training: dropout, input dropout, constraints (max-norm),
        early stopping on a held-out fraction and ``partial_fit``.
    :meth:`supports_penalty`
        Whether the solver can minimize J with this penalty; ``handles``
        says which penalties in words, for error messages.
    """

    name: ClassVar[str]
    stochastic: ClassVar[bool] = False
    handles: ClassVar[str] = "any penalty with a proximal step"

    @classmethod
    def from_params(cls, params: dict) -> Solver:
        """The solver with its options taken from estimator parameters."""
        return cls(**{f.name: params[f.name] for f in fields(cls)})

    @classmethod
    @abstractmethod
    def supports_penalty(cls, penalty) -> bool:
        """Whether this solver can handle ``penalty`` (a :class:`Penalty`)."""

    @abstractmethod
    def solve(
        self,
        objective,
        X,
        Y: np.ndarray,
        sample_weight: np.ndarray | None,
        *,
        rng: np.random.Generator | None = None,
        state: Any = None,
        validation=None,
        events=None,
        incremental: bool = False,
    ) -> SolverResult:
        """Minimize ``objective`` over its network's parameters, in place.

        Parameters
        ----------
        objective : Objective
        X, Y, sample_weight : the training data (``Y`` two-dimensional)
        rng : numpy Generator, optional
            Source of the shuffling and the dropout masks of a new run.
        state : optional
            The ``state`` of a previous result, to continue its run.
        validation : optional
            What to measure on held-out data after each epoch (early
            stopping): its ``evaluate()`` returns ``(score, loss)`` of the
            current parameters.
        events : optional
            Callback hooks: ``step_begins()`` and ``step_ends() -> stop``
            around each epoch or iteration (see :mod:`skreg._callbacks`).
        incremental : bool
            One pass over the data (``partial_fit``).
        """
