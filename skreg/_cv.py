"""Cross-validated regularization paths of the regularized MLPs.

``RegularizedMLPClassifierCV`` and ``RegularizedMLPRegressorCV`` choose
``alpha`` (and ``l1_ratio``) by cross-validation, as scikit-learn's
``ElasticNetCV`` and ``LogisticRegressionCV`` do for linear models: on every
fold, one network is fitted along the path of penalties from the weakest to
the strongest, each fit warm-started from the previous solution, and scored on
the held-out fold. The estimators glue the plain estimators together; the only
numbers computed here are the top of the automatic grid, from the core's
network and objective.
"""

from __future__ import annotations

import copy
import inspect
import re
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import ClassifierMixin, _fit_context, is_classifier
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection import check_cv
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import _check_sample_weight, column_or_1d, validate_data

from ._arrays import zero_fraction
from ._classifier import RegularizedMLPClassifier
from ._docstrings import FITTED_ATTRIBUTES
from ._objective import Objective
from ._regressor import RegularizedMLPRegressor
from .penalties import NoPenalty, make_penalty

__all__ = ["RegularizedMLPClassifierCV", "RegularizedMLPRegressorCV"]

_MAX_SEED = np.iinfo(np.int32).max
# Below this l1 share the L1 condition says little; the grid's top is then
# max|gradient| / _MIN_RHO (documented in the Notes of both estimators).
_MIN_RHO = 1e-3


# -- the numerical part: the top of the automatic grid -------------------------


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


# -- one path on one fold (a joblib task) --------------------------------------


def _accepts_sample_weight(scorer) -> bool:
    parameters = inspect.signature(scorer).parameters.values()
    return any(p.name == "sample_weight" or p.kind is p.VAR_KEYWORD for p in parameters)


def _path_on_fold(start, X, y, sample_weight, train, test, alphas, scorer):
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


# -- docstrings: the plain estimators' entries, with the CV changes ------------


def _parameter_entries(docstring: str) -> dict[str, str]:
    """``{name: entry}`` from the Parameters section of a numpydoc docstring."""
    section = re.search(
        r"\n    Parameters\n    -+\n(.*?)\n    (?:Attributes|Returns)\n    -+\n",
        docstring,
        flags=re.DOTALL,
    )
    entries = {}
    for block in re.split(r"\n(?=    \w+ : )", section.group(1)):
        name = block.split(" : ", 1)[0].strip()
        if name:
            entries[name] = block.strip("\n")
    return entries


_CV_ENTRIES = {
    "alphas": """\
    alphas : int or array-like of shape (n_alphas,), default=10
        The penalty strengths to try (``alpha`` of the plain estimator). An
        int gives that many values on a log grid from ``alpha_max * eps`` to
        ``alpha_max``, computed from the data for each ``l1_ratio`` (see the
        Notes); an array-like is used as given for every ``l1_ratio``
        (sorted ascending, duplicates removed; values >= 0).""",
    "eps": """\
    eps : float, default=1e-3
        Length of the automatic grid: ``alpha_min / alpha_max = eps``.""",
    "l1_ratio": """\
    l1_ratio : float or array-like of float, default=0.5
        The elastic-net mixing parameter ``rho`` in [0, 1], or a list of
        values to cross-validate along with ``alpha`` (a list needs
        ``penalty='elasticnet'``; a float is ignored by the other penalties,
        as in the plain estimator). As for ``ElasticNetCV``, a good list puts
        more values close to 1 (lasso) than to 0 (ridge), e.g.
        ``[.1, .5, .7, .9, .95, .99, 1]``.""",
    "random_state": """\
    random_state : int, RandomState instance or None, default=None
        Seed of the initial weights, the shuffling, the dropout masks and the
        early-stopping split. With ``None`` or a RandomState instance, one
        seed is drawn from it at ``fit`` and used for every fold and the
        refit, so that every path starts from the same weights. Pass an int
        for reproducible results; the refit then starts from the same weights
        as the plain estimator with that ``random_state``.""",
    "warm_start": """\
    warm_start : bool, default=False
        Start ``fit`` from the previous solution: every path (each fold's and
        the final refit) then starts from the previous fit's ``estimator_``
        instead of fresh initial weights, and the automatic grid is computed
        at its weights. Each fold's path then starts from a model that has
        seen that fold's validation data. Whatever its value, each fit along
        a path is warm-started from the previous ``alpha``'s solution.""",
    "cv": """\
    cv : int, cross-validation generator or iterable, default=5
        The cross-validation splitting strategy: an int for that many folds
        (:class:`~sklearn.model_selection.StratifiedKFold` for binary and
        multiclass targets of the classifier,
        :class:`~sklearn.model_selection.KFold` otherwise), a CV splitter, or
        an iterable of ``(train, test)`` index arrays.""",
    "scoring": """\
    scoring : str, callable or None, default=None
        The validation score, higher is better: ``None`` for the estimator's
        ``score`` (accuracy for the classifier, R^2 for the regressor), a
        scorer name such as ``'neg_log_loss'`` (see
        :func:`sklearn.metrics.get_scorer_names`) or a callable
        ``scorer(estimator, X, y)``. Sample weights, when given to ``fit``,
        weight the validation scores too (when the scorer takes
        ``sample_weight``, as scikit-learn's scorers do).""",
    "n_jobs": """\
    n_jobs : int, default=None
        Number of paths (one per fold and ``l1_ratio``) fitted in parallel
        with joblib. ``None`` means 1 unless in a
        :obj:`joblib.parallel_backend` context; ``-1`` means all processors.
        The result does not depend on it.""",
}

_PENALTY_ENTRY = """\
    penalty : {{{options}}}, default='elasticnet'
        Penalty on the weights, as in the plain estimator. The default is the
        elastic net, as in scikit-learn's ``ElasticNetCV``, so that a list of
        ``l1_ratio`` values is cross-validated without further settings;
        ``'l1'`` is the same as ``'elasticnet'`` with ``l1_ratio=1``. ``None``
        is not accepted: there would be no ``alpha`` to choose."""

_CV_ATTRIBUTES = """\
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

_CV_NOTES = """\
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


def _cv_docstring(Estimator, linear_model: str, example: str) -> str:
    name = Estimator.__name__
    kind = "classifier" if issubclass(Estimator, ClassifierMixin) else "regressor"
    summary = f"Regularized MLP {kind} with the penalty chosen by cross-validation."
    intro = f"""\
    :class:`{name}` with ``alpha`` (and optionally
    ``l1_ratio``) chosen by cross-validation along warm-started
    regularization paths, as
    :class:`sklearn.linear_model.{linear_model}` does for linear models.
    It takes every parameter of :class:`{name}` with the
    same meaning and default, except that ``alpha`` is replaced by the grid
    ``alphas`` (with ``eps``), ``l1_ratio`` may be a list and ``penalty``
    defaults to ``'elasticnet'``; ``cv``, ``scoring`` and ``n_jobs`` set the
    search. Once fitted, it is the chosen model: it has the fitted
    attributes, prediction methods and properties of :class:`{name}`
    (not ``partial_fit``)."""
    entries = {
        **_parameter_entries(Estimator.__doc__),
        **_CV_ENTRIES,
        "penalty": _PENALTY_ENTRY.format(
            options=", ".join(f"'{p}'" for p in _penalty_options(Estimator))
        ),
    }
    names = list(inspect.signature(Estimator).parameters)
    names[names.index("alpha") : names.index("alpha") + 1] = ["alphas", "eps"]
    names += ["cv", "scoring", "n_jobs"]
    parameters = "\n\n".join(entries[name] for name in names)
    classes = ""
    if issubclass(Estimator, ClassifierMixin):
        classes = """\
    classes_ : ndarray or list of ndarray of shape (n_classes,)
        Class labels.

"""
    return f"""{summary}

{intro}

    Parameters
    ----------
{parameters}

    Attributes
    ----------
{_CV_ATTRIBUTES.format(estimator=name)}{classes}{FITTED_ATTRIBUTES}
    See Also
    --------
    {name} : The estimator for a given ``alpha``.
    sklearn.linear_model.{linear_model} : The same search for linear models.

{_CV_NOTES}    Examples
    --------
{example}"""


# -- the estimators ------------------------------------------------------------


def _penalty_options(Estimator) -> list[str]:
    """The plain estimator's penalty names (``None`` has no alpha to choose)."""
    options = set()
    for rule in Estimator._parameter_constraints["penalty"]:
        if isinstance(rule, StrOptions):
            options |= rule.options
    return sorted(options)


def _cv_constraints(Estimator) -> dict:
    constraints = {
        name: rule
        for name, rule in Estimator._parameter_constraints.items()
        if name != "alpha"
    }
    constraints.update(
        alphas=[Interval(Integral, 1, None, closed="left"), "array-like"],
        eps=[Interval(Real, 0, None, closed="neither")],
        penalty=[StrOptions(set(_penalty_options(Estimator)))],
        l1_ratio=[Interval(Real, 0, 1, closed="both"), "array-like"],
        cv=["cv_object"],
        scoring=[StrOptions(set(get_scorer_names())), callable, None],
        n_jobs=[Integral, None],
    )
    return constraints


def _best_index(mean_scores: np.ndarray, alphas: np.ndarray) -> tuple[int, int]:
    """``(l1_ratio, alpha)`` indices of the best mean score (NaN is the worst);
    ties go to the strongest penalty (the simplest model), then to the first
    ``l1_ratio``."""
    mean_scores = np.where(np.isnan(mean_scores), -np.inf, mean_scores)
    candidates = np.argwhere(mean_scores == mean_scores.max())
    best = max(candidates, key=lambda ij: (alphas[ij[0], ij[1]], -ij[0]))
    return int(best[0]), int(best[1])


def _not_incremental(estimator) -> bool:
    """A cross-validated search has no incremental form: no ``partial_fit``."""
    return False


class _RegularizationPathCV:
    """``fit`` of the CV estimators, mixed in before the plain estimator.

    The CV estimators inherit from the plain ones (as scikit-learn's
    ``LogisticRegressionCV`` inherits from ``LogisticRegression``): once
    ``fit`` has copied the refitted model's state onto them, every
    prediction method and fitted property of the plain estimator works
    unchanged. ``alpha`` is not a parameter of theirs; only ``fit`` (which
    they override) would read it.
    """

    _estimator_class: type

    # -- the grids ---------------------------------------------------------------

    def _l1_ratios(self) -> np.ndarray:
        ratios = np.atleast_1d(np.asarray(self.l1_ratio, dtype=np.float64))
        if ratios.ndim != 1 or ratios.size == 0:
            raise ValueError(
                "l1_ratio must be a float or a non-empty 1-D list of floats, "
                f"got {self.l1_ratio!r}."
            )
        if not np.all((ratios >= 0) & (ratios <= 1)):
            raise ValueError(f"l1_ratio values must be in [0, 1], got {ratios}.")
        if ratios.size > 1 and self.penalty != "elasticnet":
            raise ValueError(
                "A list of l1_ratio values requires penalty='elasticnet'; "
                f"penalty={self.penalty!r} ignores l1_ratio."
            )
        return ratios

    def _explicit_alphas(self) -> np.ndarray | None:
        if isinstance(self.alphas, Integral):
            return None
        alphas = np.asarray(self.alphas, dtype=np.float64)
        if alphas.ndim != 1 or alphas.size == 0:
            raise ValueError(
                "alphas must be an int or a non-empty 1-D array-like, "
                f"got {self.alphas!r}."
            )
        if not np.all(np.isfinite(alphas)) or np.any(alphas < 0):
            raise ValueError(f"alphas must be finite and >= 0, got {alphas}.")
        return np.unique(alphas)

    # -- fitting ---------------------------------------------------------------

    def _plain_estimator(self, random_state, l1_ratio: float):
        """The plain estimator with this one's parameters, ready for a path."""
        params = {
            name: getattr(self, name)
            for name in self._estimator_class().get_params(deep=False)
            if name != "alpha"
        }
        params.update(random_state=random_state, l1_ratio=l1_ratio, warm_start=True)
        return self._estimator_class(**params)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Choose ``alpha`` (and ``l1_ratio``) by cross-validation, then refit.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; float32 data trains in float32.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values (class labels or a label indicator matrix for the
            classifier).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the samples, in the objective of every
            fit and in the validation scores.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            multi_output=True,
            y_numeric=not is_classifier(self),
            dtype=(np.float64, np.float32),
        )
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if is_classifier(self):
            check_classification_targets(y)
        if sp.issparse(X):
            # Folds are row slices: fast on CSR only.
            X = X.tocsr()
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, X, dtype=X.dtype, ensure_non_negative=True
            )
        l1_ratios = self._l1_ratios()
        explicit_alphas = self._explicit_alphas()

        random_state = self.random_state
        if not isinstance(random_state, Integral):
            # One seed for every fold and the refit: all paths start alike.
            random_state = int(check_random_state(random_state).randint(_MAX_SEED))
        previous = None
        if self.warm_start and hasattr(self, "estimator_"):
            previous = self.estimator_

        def path_start(l1_ratio):
            estimator = self._plain_estimator(random_state, l1_ratio)
            if previous is None:
                return estimator
            return copy.deepcopy(previous).set_params(
                **estimator.get_params(deep=False)
            )

        if explicit_alphas is not None:
            alphas = np.tile(explicit_alphas, (len(l1_ratios), 1))
        else:
            gradient = first_layer_loss_gradient(
                path_start(l1_ratios[0]), X, y, sample_weight
            )
            alphas = np.array(
                [
                    alpha_grid(
                        make_penalty(self.penalty, 1.0, ratio).alpha_max(gradient),
                        self.alphas,
                        self.eps,
                    )
                    for ratio in l1_ratios
                ]
            )

        folds = list(check_cv(self.cv, y, classifier=is_classifier(self)).split(X, y))
        scorer = check_scoring(path_start(l1_ratios[0]), scoring=self.scoring)
        results = Parallel(n_jobs=self.n_jobs)(
            delayed(_path_on_fold)(
                path_start(ratio), X, y, sample_weight, train, test, row, scorer
            )
            for ratio, row in zip(l1_ratios, alphas, strict=True)
            for train, test in folds
        )
        # One result per (l1_ratio, fold) path: arrange as
        # (n_l1_ratios, n_alphas, n_folds).
        shape = (len(l1_ratios), len(folds), alphas.shape[1])
        scores, sparsity, n_iter = (
            np.moveaxis(np.reshape(r, shape), 2, 1) for r in zip(*results, strict=True)
        )
        best_ratio, best_alpha = _best_index(scores.mean(axis=2), alphas)

        # The refit follows the same warm path, so that the final model is
        # obtained as the scored ones were.
        estimator = path_start(l1_ratios[best_ratio])
        fit_params = {} if sample_weight is None else {"sample_weight": sample_weight}
        for alpha in alphas[best_ratio, : best_alpha + 1]:
            estimator.set_params(alpha=float(alpha)).fit(X, y, **fit_params)
        estimator.set_params(warm_start=self.warm_start)

        self.l1_ratios_ = l1_ratios
        self.alphas_ = alphas
        self.cv_scores_ = scores
        self.path_sparsity_ = sparsity.mean(axis=2)
        self.path_n_iter_ = n_iter
        self.l1_ratio_ = float(l1_ratios[best_ratio])
        self.alpha_ = float(alphas[best_ratio, best_alpha])
        self.estimator_ = estimator
        # What the plain estimator learned, so that its methods work on this
        # estimator. The input checks stay this estimator's own: it saw the
        # feature names.
        for name in estimator._fitted_attributes:
            setattr(self, name, getattr(estimator, name))
        return self

    @available_if(_not_incremental)
    def partial_fit(self, X, y, **kwargs):
        """Not available: a cross-validated search is not incremental.

        Use ``estimator_.partial_fit`` to continue training the chosen model.
        """
        raise NotImplementedError  # pragma: no cover - hidden by available_if


class RegularizedMLPClassifierCV(_RegularizationPathCV, RegularizedMLPClassifier):
    __doc__ = _cv_docstring(
        RegularizedMLPClassifier,
        "LogisticRegressionCV",
        """\
    >>> from sklearn.datasets import make_classification
    >>> from skreg import RegularizedMLPClassifierCV
    >>> X, y = make_classification(n_samples=200, n_features=10,
    ...                            n_informative=3, random_state=0)
    >>> clf = RegularizedMLPClassifierCV(hidden_layer_sizes=(8,), alphas=4,
    ...                                  cv=3, solver="lbfgs", random_state=0)
    >>> clf.fit(X, y).cv_scores_.shape
    (1, 4, 3)
    >>> bool(clf.alpha_ in clf.alphas_[0])
    True
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    >>> bool(clf.score(X, y) > 0.85)
    True
""",
    )

    _estimator_class = RegularizedMLPClassifier
    _parameter_constraints: dict = _cv_constraints(RegularizedMLPClassifier)

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alphas=10,
        eps=1e-3,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
        penalty="elasticnet",
        l1_ratio=0.5,
        dropout=0.0,
        input_dropout=0.0,
        max_norm=None,
        class_weight=None,
        cv=5,
        scoring=None,
        n_jobs=None,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alphas = alphas
        self.eps = eps
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.penalty = penalty
        self.l1_ratio = l1_ratio
        self.dropout = dropout
        self.input_dropout = input_dropout
        self.max_norm = max_norm
        self.class_weight = class_weight
        self.cv = cv
        self.scoring = scoring
        self.n_jobs = n_jobs


class RegularizedMLPRegressorCV(_RegularizationPathCV, RegularizedMLPRegressor):
    __doc__ = _cv_docstring(
        RegularizedMLPRegressor,
        "ElasticNetCV",
        """\
    >>> from sklearn.datasets import make_regression
    >>> from skreg import RegularizedMLPRegressorCV
    >>> X, y = make_regression(n_samples=200, n_features=10, n_informative=3,
    ...                        noise=1.0, random_state=0)
    >>> y = y / y.std()
    >>> reg = RegularizedMLPRegressorCV(hidden_layer_sizes=(8,), alphas=4,
    ...                                 l1_ratio=[0.5, 1.0], cv=3,
    ...                                 solver="lbfgs", random_state=0)
    >>> reg.fit(X, y).cv_scores_.shape
    (2, 4, 3)
    >>> reg.alphas_.shape
    (2, 4)
    >>> bool(reg.score(X, y) > 0.9)
    True
""",
    )

    _estimator_class = RegularizedMLPRegressor
    _parameter_constraints: dict = _cv_constraints(RegularizedMLPRegressor)

    def __init__(
        self,
        loss="squared_error",
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alphas=10,
        eps=1e-3,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
        penalty="elasticnet",
        l1_ratio=0.5,
        dropout=0.0,
        input_dropout=0.0,
        max_norm=None,
        cv=5,
        scoring=None,
        n_jobs=None,
    ):
        self.loss = loss
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alphas = alphas
        self.eps = eps
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.penalty = penalty
        self.l1_ratio = l1_ratio
        self.dropout = dropout
        self.input_dropout = input_dropout
        self.max_norm = max_norm
        self.cv = cv
        self.scoring = scoring
        self.n_jobs = n_jobs
