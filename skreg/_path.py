"""The scale of a regularization path: ``alpha_max`` from the gradient of the
data term at the weights a fit starts from (each penalty knows its own
``alpha_max``), and a log grid below it. The CV estimators' L1 candidates
(:mod:`skreg._candidates`) and ``benchmarks/bench_path.py`` use them.
"""

from __future__ import annotations

import copy

import numpy as np

from ._objective import Objective
from .penalties import NoPenalty

__all__ = ["alpha_grid", "first_layer_loss_gradient"]


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
