"""The docstring template of the CV estimators (their parameters come from
the table in :mod:`skreg._docstrings`)."""

from __future__ import annotations

__all__ = ["CV_ATTRIBUTES", "cv_docstring"]

CV_ATTRIBUTES = """\
    alpha_ : float
        The penalty strength chosen by cross-validation.

    l1_ratio_ : float
        The ``l1_ratio`` chosen by cross-validation (the one given when it is
        a float).

    l1_ratios_ : ndarray of shape (n_l1_ratios,)
        The ``l1_ratio`` values tried (one when ``l1_ratio`` is a float).

    alphas_ : ndarray of shape (n_l1_ratios, n_alphas)
        The grid of ``alpha`` for each ``l1_ratio``, ascending along each row.
        The axis of ``l1_ratio`` is kept when there is only one.

    cv_scores_ : ndarray of shape (n_l1_ratios, n_alphas, n_folds)
        Validation score of every fold along every path (higher is better).

    path_sparsity_ : ndarray of shape (n_l1_ratios, n_alphas)
        Fraction of the weights (all of ``coefs_``) that are exactly zero,
        averaged over the folds.

    path_n_iter_ : ndarray of shape (n_l1_ratios, n_alphas, n_folds)
        ``n_iter_`` of every fit along every path.

    estimator_ : {estimator}
        The plain estimator refitted on all the data along the path up to
        ``alpha_``, with ``alpha=alpha_``, ``l1_ratio=l1_ratio_`` and this
        estimator's other parameters (``random_state`` is the seed used). The
        fitted attributes below are copied from it.

"""

CV_NOTES = """\
    Notes
    -----
    **The grid.** With an int ``alphas``, ``alpha_max`` is the smallest
    ``alpha`` for which, at the initial weights (the weights a fit starts
    from), every first-layer weight satisfies the L1 optimality condition
    ``|dJ_data/dW0| <= alpha * rho``: ``alpha_max = max|dJ_data/dW0| /
    max(rho, 1e-3)``, where ``J_data`` is the sample-weighted mean loss on
    all the data given to ``fit`` (without dropout) and ``rho`` is 1 for
    ``penalty='l1'``, 0 for ``'l2'`` and the ``l1_ratio`` for
    ``'elasticnet'``; for ``'group'``, whose groups are the rows of the first
    weight matrix, the condition holds row by row and ``alpha_max =
    max_j ||dJ_data/dW0[j]|| / sqrt(n_units)``. The grid is
    ``np.geomspace(alpha_max * eps, alpha_max, alphas)``. For a network
    ``alpha_max`` is a scale, not an exact bound, since the weights move
    during training. With ``'l2'`` (or ``rho`` below 1e-3) no ``alpha`` makes
    weights zero and the top of the grid is ``max|dJ_data/dW0| / 1e-3``.

    **The path.** For every ``l1_ratio`` and fold, one estimator with
    ``warm_start=True`` is fitted on the training part for each ``alpha``
    from the smallest to the largest, each fit starting from the previous
    solution (with a fresh optimizer and stopping rule), and scored on the
    validation part. Weak penalties first: the first fit learns the data and
    every stronger penalty starts from a model that already fits it. This
    saves iterations when the fits converge (typically with ``'lbfgs'`` or a
    looser ``tol``); fits that stop at ``max_iter`` take as long as cold
    ones (see ``benchmarks/bench_path.py``).

    **The choice.** ``(l1_ratio_, alpha_)`` maximizes the mean validation
    score over the folds (a NaN counts as the worst score); ties go to the
    larger ``alpha``, then to the first ``l1_ratio``. The model is then
    refitted on all the data along the same path up to ``alpha_``, so that it
    is obtained as the scores were. ``n_iter_``, ``loss_curve_`` and the other
    training attributes describe the last fit of that path, at ``alpha_``.

"""


def cv_docstring(plain: type, linear_model: str, example: str) -> str:
    """The docstring template of the CV estimator of ``plain``, for
    :func:`~skreg._docstrings.document` with :data:`CV_ATTRIBUTES`."""
    name = plain.__name__
    kind = "classifier" if "classes_" in plain._fitted_attributes else "regressor"
    return f"""Regularized MLP {kind} with the penalty chosen by cross-validation.

    :class:`{name}` with ``alpha`` (and optionally
    ``l1_ratio``) chosen by cross-validation along warm-started
    regularization paths, as
    :class:`sklearn.linear_model.{linear_model}` does for linear models.
    It takes every parameter of :class:`{name}` with the
    same meaning and default, except that ``alpha`` is replaced by the grid
    ``alphas`` (with ``eps``), ``l1_ratio`` may be a list and ``penalty``
    defaults to ``'elasticnet'`` (and must be a name); ``cv``, ``scoring``
    and ``n_jobs`` set the search. Once fitted, it is the chosen model: it
    has the fitted attributes, prediction methods and properties of
    :class:`{name}` (not ``partial_fit``).

    {{sections}}

    See Also
    --------
    {name} : The estimator for a given ``alpha``.
    sklearn.linear_model.{linear_model} : The same search for linear models.

{CV_NOTES}    Examples
    --------
{example}"""
