"""Solvers: they see an :class:`~skreg._objective.Objective`, never an estimator.

Every solver follows the contract of :class:`Solver`: a dataclass of its
options, what it supports, and ``solve`` into one :class:`SolverResult`.

- ``"sgd"`` (:class:`SgdSolver`) and ``"adam"`` (:class:`AdamSolver`) take
  one proximal step per minibatch (:class:`ProximalSGD`,
  :class:`ProximalAdam`) in the epoch loop :func:`run_epochs` (shuffling,
  stopping rules, early stopping, divergence);
- ``"lbfgs"`` (:class:`LbfgsSolver`) runs scipy's L-BFGS-B on the full batch,
  handling an L1 part exactly on the split ``W = W+ - W-``.

:func:`make_solver` picks one by name from :data:`SOLVERS` and is the one
place that rejects an option the chosen solver does not support.
"""

from __future__ import annotations

from ._base import ProximalOptimizer, Solver, SolverResult
from .adam import ProximalAdam
from .lbfgs import LbfgsSolver, minimize_lbfgs
from .minibatch import AdamSolver, MinibatchState, SgdSolver
from .schedules import KINDS as SCHEDULES
from .schedules import LearningRateSchedule, cosine_rate
from .sgd import ProximalSGD
from .stochastic import TrainingState, run_epochs

__all__ = [
    "SCHEDULES",
    "SOLVERS",
    "AdamSolver",
    "LbfgsSolver",
    "LearningRateSchedule",
    "MinibatchState",
    "ProximalAdam",
    "ProximalOptimizer",
    "ProximalSGD",
    "SgdSolver",
    "Solver",
    "SolverResult",
    "TrainingState",
    "cosine_rate",
    "make_solver",
    "minimize_lbfgs",
    "run_epochs",
]

#: The solvers ``solver=`` accepts, by name.
SOLVERS: dict[str, type[Solver]] = {
    "lbfgs": LbfgsSolver,
    "sgd": SgdSolver,
    "adam": AdamSolver,
}


def _requirement_error(option: str, supported, why: str) -> ValueError:
    names = " or ".join(f"'{name}'" for name in supported)
    return ValueError(f"{option} requires solver={names}: {why}.")


def make_solver(
    name: str,
    params: dict,
    *,
    penalty,
    dropout: tuple[float, ...] = (),
    input_dropout: float = 0.0,
    max_norm: float | None = None,
) -> Solver:
    """The solver ``name`` with its options from ``params`` (estimator
    parameters), after checking that it supports the problem.

    Raises a ``ValueError`` naming the parameter and the solvers that do
    support it.
    """
    cls = SOLVERS[name]
    stochastic = [n for n, s in SOLVERS.items() if s.stochastic]
    deterministic = f"solver='{name}' needs a deterministic objective"
    if any(dropout) and not cls.stochastic:
        raise _requirement_error(
            "dropout > 0",
            stochastic,
            f"{deterministic} (got dropout={params['dropout']!r})",
        )
    if not cls.supports_penalty(penalty):
        supported = [n for n, s in SOLVERS.items() if s.supports_penalty(penalty)]
        raise _requirement_error(
            f"penalty={params['penalty']!r}",
            supported,
            f"solver='{name}' handles {cls.handles} only, not {penalty!r}",
        )
    if input_dropout and not cls.stochastic:
        raise _requirement_error(
            "input_dropout > 0",
            stochastic,
            f"{deterministic} (got input_dropout={input_dropout!r})",
        )
    if max_norm is not None and not cls.stochastic:
        raise _requirement_error(
            "max_norm", stochastic, "it is a projection after every minibatch update"
        )
    if params.get("weight_decay") and not cls.stochastic:
        raise _requirement_error(
            "weight_decay > 0",
            stochastic,
            "it is a rule of the minibatch updates, not a term of J (use "
            "penalty='l2' for a ridge term with solver='lbfgs')",
        )
    if params.get("average") and not cls.stochastic:
        raise _requirement_error(
            "average", stochastic, "it averages the iterates of minibatch updates"
        )
    return cls.from_params(params)
