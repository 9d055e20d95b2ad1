"""The regularization path: its automatic grid, one path on one fold, the choice.

The numbers of the CV estimators (:mod:`skreg._cv`) other than the fits
themselves: the top of the automatic ``alpha`` grid, from the gradient of
the data term at the weights a fit starts from (each penalty knows its own
``alpha_max``); the warm-started path of fits on one fold, a joblib task;
and the choice of the best point.
"""

from __future__ import annotations

import copy
import inspect

import numpy as np

from ._arrays import zero_fraction
from ._objective import Objective
from .penalties import NoPenalty

__all__ = ["alpha_grid", "best_index", "first_layer_loss_gradient", "path_on_fold"]


def first_layer_loss_gradient(estimator, X, y, sample_weight=None):
    """Gradient of the data term of J wrt the first-layer weights, at the start.

    Parameters
    ----------
    estimator : RegularizedMLPClassifier or RegularizedMLPRegressor
        Its parameters give the network, the loss, the class weights and
        (through ``random_state``) the initial weights; with
        ``warm_start=True`` and fitted, the gradient is taken at its weights.
        It is not modified.
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : ndarray of shape (n_samples,), default=None

    Returns
    -------
    gradient : ndarray of shape (n_features, n_units_of_the_first_layer)
        Without dropout (the whole network).
    """
    problem = copy.deepcopy(estimator)._fit_problem(X, y, sample_weight)
    network = problem.objective.network
    data_term = Objective(network, problem.objective.loss, NoPenalty())
    grad = np.empty_like(network.params)
    data_term.smooth_value_grad(problem.X, problem.Y, problem.sample_weight, grad)
    coef_grads, _ = network.split(grad)
    return coef_grads[0]


def alpha_grid(alpha_max: float, n_alphas: int, eps: float) -> np.ndarray:
    """``n_alphas`` values from ``alpha_max * eps`` to ``alpha_max``, log-spaced."""
    if not np.isfinite(alpha_max) or alpha_max <= 0:
        # A zero gradient (e.g. a constant target) gives no scale to start
        # from: fall back to a tiny grid, as scikit-learn's ElasticNetCV does.
        alpha_max = np.finfo(np.float64).resolution
    return np.geomspace(alpha_max * eps, alpha_max, n_alphas)


def _accepts_sample_weight(scorer) -> bool:
    parameters = inspect.signature(scorer).parameters.values()
    return any(p.name == "sample_weight" or p.kind is p.VAR_KEYWORD for p in parameters)


def path_on_fold(start, X, y, sample_weight, train, test, alphas, scorer):
    """Fit ``start`` along ``alphas`` (ascending, warm) on ``train``; score on
    ``test``. Return the scores, fractions of zero weights and ``n_iter_``."""
    estimator = copy.deepcopy(start)
    fit_params, score_params = {}, {}
    if sample_weight is not None:
        fit_params["sample_weight"] = sample_weight[train]
        if _accepts_sample_weight(scorer):
            score_params["sample_weight"] = sample_weight[test]
    X_train, y_train, X_test, y_test = X[train], y[train], X[test], y[test]
    scores = np.empty(len(alphas))
    sparsity = np.empty(len(alphas))
    n_iter = np.empty(len(alphas), dtype=np.int64)
    for k, alpha in enumerate(alphas):
        estimator.set_params(alpha=float(alpha))
        estimator.fit(X_train, y_train, **fit_params)
        scores[k] = scorer(estimator, X_test, y_test, **score_params)
        sparsity[k] = zero_fraction(estimator.coefs_)
        n_iter[k] = estimator.n_iter_
    return scores, sparsity, n_iter


def best_index(mean_scores: np.ndarray, alphas: np.ndarray) -> tuple[int, int]:
    """``(l1_ratio, alpha)`` indices of the best mean score (NaN is the worst);
    ties go to the strongest penalty (the simplest model), then to the first
    ``l1_ratio``."""
    mean_scores = np.where(np.isnan(mean_scores), -np.inf, mean_scores)
    candidates = np.argwhere(mean_scores == mean_scores.max())
    best = max(candidates, key=lambda ij: (alphas[ij[0], ij[1]], -ij[0]))
    return int(best[0]), int(best[1])
