"""The docstring template of the CV estimators: their own parameters and the
entries that differ from the plain estimators' (the others come from the
table in :mod:`skreg._docstrings`), their attributes and notes."""

from __future__ import annotations

__all__ = ["CV_ATTRIBUTES", "CV_PARAMETERS", "cv_docstring"]

#: The CV estimators' own parameters, and the entries that differ for them.
CV_PARAMETERS: dict[str, str] = {
    "max_iter": """\
    max_iter : int or 'auto', default='auto'
        Most epochs (iterations for ``'lbfgs'``) of a candidate's fit.
        ``'auto'`` gives the stochastic solvers 20,000 optimizer steps (at
        least 200 epochs): early stopping, not this budget, should end a
        fit, also on small tables whose epochs are a few steps; 200
        iterations for ``'lbfgs'``.""",
    "n_iter_no_change": """\
    n_iter_no_change : int or 'auto', default='auto'
        Epochs without an improvement of ``tol`` in the validation loss
        before a candidate's fit stops (its best epoch is kept). ``'auto'``
        is 200 optimizer steps' worth of epochs, at least 10. The validation
        loss is measured every 8 optimizer steps, or every epoch when an
        epoch is longer (the plain estimator's ``validation_interval``).""",
    "random_state": """\
    random_state : int, RandomState instance or None, default=None
        Seed of the initial weights, the shuffling, the dropout masks and the
        subsamples of successive halving. With ``None`` or a RandomState
        instance, one seed is drawn from it at ``fit`` and used for every
        candidate, fold and the refit, so that every fit starts from the same
        weights. Pass an int for reproducible results; the refit then starts
        from the same weights as the plain estimator with that
        ``random_state``.""",
    "param_grid": """\
    param_grid : dict, list of dicts or None, default=None
        The candidates: parameters of the plain estimator and their values,
        in :class:`~sklearn.model_selection.GridSearchCV`'s format (every
        combination is a candidate), or with distributions (objects with an
        ``rvs`` method), in
        :class:`~sklearn.model_selection.RandomizedSearchCV`'s, to sample
        ``n_candidates`` from. Parameters a candidate does not name keep
        this estimator's values. ``None`` searches the default candidates
        (see the Notes): L2 at four strengths, L1 at two strengths relative
        to this data's ``alpha_max``, dropout at 0.2 and 0.5.""",
    "n_candidates": """\
    n_candidates : int or None, default=None
        The budget in candidates: that many are sampled from ``param_grid``
        (without replacement when it has only lists). ``None`` takes the
        whole grid, or 10 samples when it has distributions.""",
    "factor": """\
    factor : float, default=3
        Successive halving: each round keeps the best ``1 / factor`` of the
        candidates and trains them on ``factor`` times as many rows (the
        last round on all), while the first round has at least 1,000 rows
        and until at most ``factor`` candidates are left. Data too small for
        two rounds get one: every candidate on all the rows.""",
    "tie_tolerance": """\
    tie_tolerance : float, default=1e-3
        Candidates whose mean validation score is within this of the best
        are tied; the sparsest of them (most weights exactly zero) that does
        not predict a constant is chosen, then the best scoring.""",
    "cv": """\
    cv : int, cross-validation generator or iterable, default=3
        The cross-validation splitting strategy: an int for that many
        shuffled folds (:class:`~sklearn.model_selection.StratifiedKFold`
        for binary and multiclass targets of the classifier,
        :class:`~sklearn.model_selection.KFold` otherwise, with
        ``shuffle=True`` and the seed of ``random_state``: unlike
        scikit-learn's searches, since each held-out part is an
        early-stopping set and must look like the rest of the data also when
        the rows are sorted), a CV splitter, or an iterable of
        ``(train, test)`` index arrays. Each held-out part is both the
        early-stopping set and the scoring set of the fits on its fold:
        three folds give each a third of the data.""",
    "scoring": """\
    scoring : str, callable or None, default=None
        How candidates are compared, higher is better: ``None`` for a proper
        scoring rule, minus the log-loss for the classifier and R^2 for the
        regressor; a scorer name such as ``'roc_auc'`` (see
        :func:`sklearn.metrics.get_scorer_names`) or a callable
        ``scorer(estimator, X, y)``. Sample weights, when given to ``fit``,
        weight the validation scores too (when the scorer takes
        ``sample_weight``, as scikit-learn's scorers do). Early stopping
        always follows the validation loss.""",
    "n_jobs": """\
    n_jobs : int, default=None
        Number of candidate fits (one per candidate and fold) run in
        parallel with joblib. ``None`` means 1 unless in a
        :obj:`joblib.parallel_backend` context; ``-1`` means all processors.
        The result does not depend on it.""",
}

CV_ATTRIBUTES = """\
    cv_results_ : dict of ndarray
        The search, in :class:`~sklearn.model_selection.GridSearchCV`'s
        format (import it into a pandas ``DataFrame``): one row per
        candidate and round of successive halving, with ``iter`` and
        ``n_resources`` (the rows of that round) as in
        ``HalvingGridSearchCV``, ``params``, ``param_<name>``,
        ``split<k>_test_score``, ``mean_test_score``, ``std_test_score``,
        ``rank_test_score``, ``mean_fit_time``, ``std_fit_time``,
        ``mean_score_time``, ``std_score_time``; and skreg's:
        ``mean_best_epoch`` (the epochs that early stopping kept),
        ``mean_n_iter``, ``mean_zero_fraction`` (weights exactly zero),
        ``constant_predictions`` and ``at_budget`` (some fold's fit stopped
        at ``max_iter``).

    best_index_ : int
        The row of ``cv_results_`` of the chosen candidate (in the last
        round).

    best_params_ : dict
        The chosen candidate's parameters.

    best_score_ : float
        Its mean validation score.

    n_candidates_ : list of int
        The number of candidates of each round.

    n_resources_ : list of int
        The number of rows of each round.

    n_iterations_ : int
        The number of rounds.

    n_splits_ : int
        The number of folds.

    estimator_ : {estimator}
        The plain estimator with the chosen parameters (and this estimator's
        others; ``random_state`` is the seed used), refitted on all the
        data. The fitted attributes below are copied from it.

"""

CV_NOTES = """\
    Notes
    -----
    **The candidates.** By default: ``penalty='l2'`` with ``alpha``
    1e-3, 1e-2 and 3e-2; ``penalty='l1'`` with ``alpha`` 0.01 and
    0.05 times ``alpha_max``; dropout 0.2 (with ``alpha=1e-3``) and 0.5
    (with ``alpha=1e-4``). ``alpha_max`` is the smallest L1 ``alpha`` for which,
    at the initial weights, every first-layer weight satisfies the L1
    optimality condition ``|dJ_data/dW0| <= alpha``, where ``J_data`` is
    the sample-weighted mean loss on all the data given to ``fit``: a scale
    of this data's gradient, so that the L1 candidates set some weights to
    exactly zero and keep others.

    **Each candidate's fits.** On every fold the candidate is trained on
    the training part with early stopping on the held-out part (the
    stochastic solvers): training goes on while the validation loss
    improves, within ``n_iter_no_change`` epochs, and the weights of the
    best epoch are kept and scored. The budget ``max_iter='auto'`` is
    counted in optimizer steps, so that a table of a few hundred rows,
    whose epochs are a few steps, is trained as far as it needs: the
    comparison is between regularizers, not between degrees of
    under-training. Every fit starts from the same initial weights; none is
    warm-started from another candidate's solution, which would give
    later candidates more training and a start already fitted to their
    fold's validation data.

    **Successive halving.** With enough rows (at least ``factor`` times
    1,000 for two rounds), the candidates are first trained on a share of
    every training part, and the best ``1 / factor`` go on to a larger
    share, until the last round, on all the rows, has at most ``factor``
    candidates (the held-out parts stay whole). Candidates that predict a
    constant go out first.

    **The choice.** Among the last round's candidates, those within
    ``tie_tolerance`` of the best mean score are tied, and the sparsest of
    them that does not predict a constant is chosen (then the best
    scoring): a constant model is chosen only when it is better than every
    other by more than the tolerance. The default score is a proper scoring
    rule (log-loss, R^2): accuracy would tie every candidate that predicts
    the majority class of an imbalanced table, a strong penalty among them.

    **The refit.** The chosen candidate is refitted on all the data, for
    the median over the folds of its best epochs (``n_iter_`` of the
    refit), with no validation data held out. ``loss_curve_`` and the other
    training attributes describe that fit.

"""


def cv_docstring(plain: type, linear_model: str, example: str) -> str:
    """The docstring template of the CV estimator of ``plain``, for
    :func:`~skreg._docstrings.document` with :data:`CV_ATTRIBUTES`."""
    name = plain.__name__
    kind = "classifier" if "classes_" in plain._fitted_attributes else "regressor"
    return f"""Regularized MLP {kind}, its regularization chosen by cross-validation.

    :class:`{name}` with the kind and the strength of its regularization
    (L2, L1, dropout, or a given grid of any of its parameters) chosen by
    cross-validation with successive halving, each candidate trained to its
    early-stopping point, and the best refitted on all the data: the
    one-line choice for a new table, as
    :class:`sklearn.linear_model.{linear_model}` is for linear models.
    It takes every parameter of :class:`{name}` with the same meaning and
    default, except those the search sets (``alpha``, ``early_stopping``,
    ``validation_fraction``, ``warm_start``) and the budget
    (``max_iter``, ``n_iter_no_change``: ``'auto'``); ``param_grid``,
    ``n_candidates``, ``factor``, ``tie_tolerance``, ``cv``, ``scoring``
    and ``n_jobs`` set the search. Once fitted, it is the chosen model: it
    has the fitted attributes, prediction methods and properties of
    :class:`{name}` (not ``partial_fit``).

    {{sections}}

    See Also
    --------
    {name} : The estimator for given regularization parameters.
    sklearn.model_selection.HalvingGridSearchCV : Successive halving.
    sklearn.linear_model.{linear_model} : The same idea for linear models.

{CV_NOTES}    Examples
    --------
{example}"""
