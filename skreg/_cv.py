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
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import _fit_context, is_classifier
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection import check_cv
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import _check_sample_weight

from ._arrays import MAX_SEED
from ._base import set_init_params
from ._callbacks import fit_events
from ._classifier import RegularizedMLPClassifier
from ._cv_docstring import CV_ATTRIBUTES, cv_docstring
from ._docstrings import CV_PARAMETERS, PARAMETERS, document
from ._path import alpha_grid, best_index, first_layer_loss_gradient, path_on_fold
from ._regressor import RegularizedMLPRegressor
from .penalties import PENALTIES, make_penalty, names_taking

__all__ = ["RegularizedMLPClassifierCV", "RegularizedMLPRegressorCV"]


def _cv_constraints(Estimator) -> dict:
    constraints = {
        name: rule
        for name, rule in Estimator._parameter_constraints.items()
        if name != "alpha"
    }
    constraints.update(
        alphas=[Interval(Integral, 1, None, closed="left"), "array-like"],
        eps=[Interval(Real, 0, None, closed="neither")],
        # a name: the search builds the penalty at each alpha of the grid
        penalty=[StrOptions(set(PENALTIES))],
        l1_ratio=[Interval(Real, 0, 1, closed="both"), "array-like"],
        cv=["cv_object"],
        scoring=[StrOptions(set(get_scorer_names())), callable, None],
        n_jobs=[Integral, None],
    )
    return constraints


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

    A subclass names the plain estimator as its other base and the linear
    model whose search it mirrors (a class keyword); its own docstring is
    the Examples section of the full docstring built here.
    """

    _estimator_class: type

    def __init_subclass__(cls, *, linear_model: str, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._estimator_class = plain = cls.__mro__[2]
        cls._parameter_constraints = _cv_constraints(plain)
        cls.__doc__ = cv_docstring(plain, linear_model, cls.__doc__)
        attributes = CV_ATTRIBUTES.format(estimator=plain.__name__)
        document(cls, {**PARAMETERS, **CV_PARAMETERS}, attributes)

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
        takes_ratio = names_taking("l1_ratio")
        if ratios.size > 1 and self.penalty not in takes_ratio:
            raise ValueError(
                "A list of l1_ratio values requires penalty="
                f"{' or '.join(map(repr, takes_ratio))}; "
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
            # scoring chooses among the candidates; each candidate's early
            # stopping keeps the plain estimator's default
            if name not in ("alpha", "scoring")
        }
        params.update(random_state=random_state, l1_ratio=l1_ratio, warm_start=True)
        return self._estimator_class(**params)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Choose ``alpha`` (and ``l1_ratio``) by cross-validation, then refit.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The data to split into the folds of ``cv`` and to refit on;
            float32 data trains in float32.
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
        X, y = self._check_data(X, y)
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
            random_state = int(check_random_state(random_state).randint(MAX_SEED))
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
        # The callbacks' tasks: one per path (l1_ratio x fold), then the refit.
        n_paths = len(l1_ratios) * len(folds)
        events = fit_events(
            self,
            X,
            y,
            sample_weight,
            max_steps=n_paths + 1,
            step_name="path",
            fitted_steps=False,
        )
        results = Parallel(n_jobs=self.n_jobs)(
            delayed(path_on_fold)(
                path_start(ratio), X, y, sample_weight, train, test, row, scorer
            )
            for ratio, row in zip(l1_ratios, alphas, strict=True)
            for train, test in folds
        )
        for _ in results if events is not None else ():
            events.step_begins()
            events.step_ends()
        # One result per (l1_ratio, fold) path: arrange as
        # (n_l1_ratios, n_alphas, n_folds).
        shape = (len(l1_ratios), len(folds), alphas.shape[1])
        scores, sparsity, n_iter = (
            np.moveaxis(np.reshape(r, shape), 2, 1) for r in zip(*results, strict=True)
        )
        best_ratio, best_alpha = best_index(scores.mean(axis=2), alphas)

        if events is not None:
            events.step_begins("refit")
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
        if events is not None:
            events.step_ends()
            events.fit_ends()
        return self

    @available_if(_not_incremental)
    def partial_fit(self, X, y, **kwargs):
        """Not available: a cross-validated search is not incremental.

        Use ``estimator_.partial_fit`` to continue training the chosen model.
        """
        raise NotImplementedError  # pragma: no cover - hidden by available_if


class RegularizedMLPClassifierCV(
    _RegularizationPathCV, RegularizedMLPClassifier, linear_model="LogisticRegressionCV"
):
    """\
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skreg import RegularizedMLPClassifierCV
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> search = RegularizedMLPClassifierCV(hidden_layer_sizes=(8,), alphas=4,
    ...                                     cv=3, solver="lbfgs", random_state=0)
    >>> model = make_pipeline(StandardScaler(), search).fit(X, y)
    >>> search.cv_scores_.shape  # (l1_ratios, alphas, folds)
    (1, 4, 3)
    >>> bool(search.alpha_ in search.alphas_[0])
    True
    >>> bool(model.score(X, y) > 0.9)
    True
"""

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
        weight_decay=0.0,
        average=False,
        warmup_epochs=0.0,
        scoring=None,
        class_weight=None,
        label_smoothing=0.0,
        cv=5,
        n_jobs=None,
    ):
        set_init_params(self, locals())


class RegularizedMLPRegressorCV(
    _RegularizationPathCV, RegularizedMLPRegressor, linear_model="ElasticNetCV"
):
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
"""

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
        weight_decay=0.0,
        average=False,
        warmup_epochs=0.0,
        scoring=None,
        cv=5,
        n_jobs=None,
    ):
        set_init_params(self, locals())
