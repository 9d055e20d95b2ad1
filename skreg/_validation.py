"""The validation set of a fit: held out from the training data or given, and
what is measured on it after every epoch (the score that early stopping
follows, and the loss, J without its penalty)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from sklearn.metrics import check_scoring
from sklearn.model_selection import train_test_split

from ._arrays import MAX_SEED

__all__ = ["Validation", "ValidationSet", "given", "held_out"]


@dataclass
class ValidationSet:
    """Validation rows: ``y`` as scorers take it, ``Y`` as the loss does."""

    X: object
    y: np.ndarray
    Y: np.ndarray
    sample_weight: np.ndarray | None


def held_out(estimator, problem):
    """Hold out ``validation_fraction`` of the training rows (stratified for
    the classifier); return the problem on the other rows and the set."""
    X, Y, y, sample_weight = problem.X, problem.Y, problem.y, problem.sample_weight
    if not estimator.validation_fraction:
        raise ValueError(
            "early_stopping=True holds out validation_fraction of the data: it "
            "must be above 0 (got validation_fraction=0.0), or pass X_val and "
            "y_val to fit."
        )
    train, val = train_test_split(
        np.arange(X.shape[0]),
        test_size=estimator.validation_fraction,
        random_state=problem.random_state.randint(MAX_SEED),
        stratify=estimator._stratify_labels(y),
    )
    if val.size < 2:
        raise ValueError(
            "The validation set is too small. Increase 'validation_fraction' "
            "or the size of your dataset."
        )
    rows = ValidationSet(
        X[val],
        estimator._validation_target(y, Y, val),
        Y[val],
        None if sample_weight is None else sample_weight[val],
    )
    sw_train = None if sample_weight is None else sample_weight[train]
    training = replace(
        problem, X=X[train], Y=Y[train], y=y[train], sample_weight=sw_train
    )
    return training, rows


def given(estimator, problem, X_val, y_val, sample_weight_val) -> ValidationSet:
    """The validation set ``X_val, y_val`` (and its weights), validated like
    the training data: the same features, classes and dtype."""
    if X_val is None or y_val is None:
        raise ValueError("X_val and y_val must be given together.")
    if not estimator.early_stopping or not problem.solver.stochastic:
        raise ValueError(
            "X_val and y_val are used for early stopping: they require "
            "early_stopping=True and solver='sgd' or 'adam' (got "
            f"early_stopping={estimator.early_stopping}, "
            f"solver={estimator.solver!r})."
        )
    X_val, y_val = estimator._check_data(X_val, y_val, reset=False)
    X_val = X_val.astype(problem.X.dtype, copy=False)
    if sp.issparse(X_val):
        X_val = X_val.tocsr()
    Y_val = estimator._loss_targets(y_val, problem.X.dtype)
    sample_weight_val = estimator._sample_weight(
        sample_weight_val, X_val, y_val, incremental=False
    )
    y_scored = estimator._validation_target(y_val, Y_val, slice(None))
    return ValidationSet(X_val, y_scored, Y_val, sample_weight_val)


class Validation:
    """Score and loss of the current parameters on a validation set.

    ``scoring`` is ``None`` (the estimator's ``score``), ``"loss"`` (minus the
    validation loss, so that higher is better) or a scorer name or callable.
    """

    def __init__(self, estimator, objective, rows: ValidationSet, scoring=None):
        self.estimator, self.objective, self.rows = estimator, objective, rows
        self.scoring = scoring
        self._scorer = None
        if scoring is not None and scoring != "loss":
            self._scorer = check_scoring(estimator, scoring=scoring)

    def evaluate(self) -> tuple[float, float]:
        """``(score, loss)`` of the current parameters, without dropout."""
        rows = self.rows
        loss = self.objective.data_value(rows.X, rows.Y, rows.sample_weight)
        if self.scoring == "loss":
            return -loss, loss
        if self._scorer is None:
            score = self.estimator._score_unchecked(rows.X, rows.y, rows.sample_weight)
        else:
            weights = {}
            if rows.sample_weight is not None:
                weights["sample_weight"] = rows.sample_weight
            score = self._scorer(self.estimator, rows.X, rows.y, **weights)
        return float(score), loss
