"""What the CV estimators search: the candidates and each fit's budget.

The default candidates cover the kinds of regularization, each at a few
strengths: L2, L1 (exact zeros; strengths relative to this data's
``alpha_max``) and dropout. (Label smoothing is left to a user's grid: it
trades calibration for margin, and the default score, the log-loss, judges
calibration.) A user's
``param_grid`` is read as ``GridSearchCV`` reads it, or, with distributions
or ``n_candidates``, sampled as ``RandomizedSearchCV`` samples. The budget of
a fit is counted in optimizer steps, not epochs, so that a small table gets
as many updates as a large one before early stopping judges it.
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.model_selection import ParameterGrid, ParameterSampler

from ._path import first_layer_loss_gradient
from .penalties import make_penalty
from .solvers import SOLVERS

__all__ = ["default_candidates", "search_candidates", "training_budget"]

#: Optimizer steps a candidate may take (``max_iter='auto'``), at least
#: scikit-learn's 200 epochs; early stopping ends most fits well before.
STEP_BUDGET = 20_000
#: Steps without improvement of the validation loss before early stopping
#: (``n_iter_no_change='auto'``), at least scikit-learn's 10 epochs.
PATIENCE_STEPS = 200
#: Steps between two measurements of the validation set (at least one
#: epoch): on a small table, whose epochs are a few steps, measuring after
#: every epoch took a fifth to a third of a fit's time, and the best weights
#: are as well found every 8 steps as every step, with a patience of 200.
VALIDATION_STEPS = 8

#: L2 strengths (per sample: ``alpha_sklearn / n_samples``) where
#: scikit-learn's good alphas (1 to 10 on a few hundred rows) land. Nothing
#: weaker than 1e-3: the dropout-0.5 candidate (``alpha`` 1e-4) already
#: stands for a network with almost no weight penalty. (3e-3 was a
#: candidate too: on 13 tables kept out of the quality benchmark it was never
#: chosen, and it cost an eighth of the search's fits. 3e-2 was chosen on two
#: of them, which lost 0.004 and 0.017 without it.)
L2_ALPHAS = (1e-3, 1e-2, 3e-2)
#: L1 strengths as fractions of this data's ``alpha_max``.
L1_FRACTIONS = (0.01, 0.05)


def default_candidates(estimator, X, y, sample_weight) -> list:
    """The default candidates for ``estimator``'s network on this data."""
    gradient = first_layer_loss_gradient(estimator, X, y, sample_weight)
    alpha_max = make_penalty("l1", 1.0).alpha_max(gradient)
    if not np.isfinite(alpha_max) or alpha_max <= 0:
        alpha_max = 1.0  # a zero gradient (constant target): any scale
    candidates = [{"penalty": "l2", "alpha": alpha} for alpha in L2_ALPHAS]
    candidates += [
        {"penalty": "l1", "alpha": float(fraction * alpha_max)}
        for fraction in L1_FRACTIONS
    ]
    candidates += [
        {"penalty": "l2", "alpha": 1e-3, "dropout": 0.2},
        {"penalty": "l2", "alpha": 1e-4, "dropout": 0.5},
    ]
    return candidates


def _plain(value):
    """NumPy scalars as Python's, so that parameters print as they were
    meant (``1.0``, not ``np.float64(1.0)``)."""
    return value.item() if isinstance(value, np.generic) else value


def _has_distributions(param_grid) -> bool:
    grids = param_grid if isinstance(param_grid, list) else [param_grid]
    return any(hasattr(v, "rvs") for grid in grids for v in grid.values())


def search_candidates(param_grid, n_candidates, random_state) -> list:
    """The candidates of a ``param_grid`` (dict or list of dicts): the whole
    grid, or ``n_candidates`` (default 10) sampled ones when it has
    distributions or ``n_candidates`` is given."""
    if isinstance(param_grid, dict):
        param_grid = [param_grid]
    if not isinstance(param_grid, list) or not all(
        isinstance(grid, dict) for grid in param_grid
    ):
        raise ValueError(
            "param_grid must be a dict or a list of dicts of parameter names "
            f"and value lists (or distributions), got {param_grid!r}."
        )
    try:
        if n_candidates is None and not _has_distributions(param_grid):
            candidates = list(ParameterGrid(param_grid))
        else:
            n_iter = 10 if n_candidates is None else n_candidates
            candidates = list(
                ParameterSampler(param_grid, n_iter, random_state=random_state)
            )
    except (TypeError, ValueError) as error:
        raise ValueError(f"Invalid param_grid: {error}") from error
    if not candidates:
        raise ValueError("param_grid gives no candidate.")
    return [{name: _plain(v) for name, v in c.items()} for c in candidates]


def training_budget(estimator, n_rows: int, max_iter, n_iter_no_change) -> dict:
    """The parameters ``max_iter``, ``n_iter_no_change`` (``'auto'``
    resolved from the number of steps per epoch) and ``validation_interval``
    of a fit on ``n_rows`` rows."""
    stochastic = SOLVERS[estimator.solver].stochastic
    if not stochastic:
        steps_per_epoch = 1
    else:
        batch = estimator.batch_size
        batch = 200 if batch == "auto" else batch
        steps_per_epoch = math.ceil(n_rows / max(1, min(batch, n_rows)))
    if max_iter == "auto":
        max_iter = 200
        if stochastic:
            max_iter = max(200, math.ceil(STEP_BUDGET / steps_per_epoch))
    if n_iter_no_change == "auto":
        n_iter_no_change = max(10, math.ceil(PATIENCE_STEPS / steps_per_epoch))
    return {
        "max_iter": int(max_iter),
        "n_iter_no_change": n_iter_no_change,
        "validation_interval": math.ceil(VALIDATION_STEPS / steps_per_epoch),
    }
