"""``fit`` of the CV estimators: the search glued to the plain estimators.

:class:`CrossValidatedSearch` is mixed in before a plain estimator by the
public classes of :mod:`skreg._cv`. It builds the candidates
(:mod:`skreg._candidates`), runs the rounds of the search on the folds
(:mod:`skreg._search`), refits the chosen candidate and copies its fitted
state, so that every method of the plain estimator works on the CV one.
"""

from __future__ import annotations

import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import _fit_context, clone, is_classifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection import KFold, StratifiedKFold, check_cv
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import _check_sample_weight

from ._arrays import MAX_SEED
from ._callbacks import fit_events
from ._candidates import default_candidates, search_candidates, training_budget
from ._cv_docstring import CV_ATTRIBUTES, CV_PARAMETERS, cv_docstring
from ._docstrings import PARAMETERS, document
from ._search import (
    Round,
    choose,
    cv_results,
    halving_rounds,
    neg_log_loss,
    run_round,
    survivors,
)
from .solvers import SOLVERS

__all__ = ["SEARCHED", "CrossValidatedSearch"]


#: Parameters of the plain estimator that the search sets itself.
SEARCHED = (
    "alpha",
    "early_stopping",
    "validation_fraction",
    "validation_interval",
    "warm_start",
)


def _cv_constraints(Estimator) -> dict:
    constraints = {
        name: rule
        for name, rule in Estimator._parameter_constraints.items()
        if name not in SEARCHED
    }
    constraints.update(
        param_grid=[dict, list, None],
        n_candidates=[Interval(Integral, 1, None, closed="left"), None],
        factor=[Interval(Real, 1, None, closed="neither")],
        tie_tolerance=[Interval(Real, 0, None, closed="left")],
        max_iter=[StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        n_iter_no_change=[
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
            Options(Real, {np.inf}),
        ],
        cv=["cv_object"],
        scoring=[StrOptions(set(get_scorer_names())), callable, None],
        n_jobs=[Integral, None],
    )
    return constraints


def _not_incremental(estimator) -> bool:
    """A cross-validated search has no incremental form: no ``partial_fit``."""
    return False


class CrossValidatedSearch:
    """``fit`` of the CV estimators, mixed in before the plain estimator.

    The CV estimators inherit from the plain ones (as scikit-learn's
    ``LogisticRegressionCV`` inherits from ``LogisticRegression``): once
    ``fit`` has copied the refitted model's state onto them, every
    prediction method and fitted property of the plain estimator works
    unchanged. The plain estimator's parameters are the defaults of every
    candidate; those in :data:`SEARCHED` are the search's to set.

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

    def _base_estimator(self, random_state):
        """The plain estimator with this one's parameters: every candidate
        is it with the candidate's parameters set."""
        params = {
            name: getattr(self, name)
            for name in self._estimator_class().get_params(deep=False)
            # scoring chooses among the candidates; the budget is resolved
            # per fit (training_budget)
            if name not in (*SEARCHED, "scoring", "max_iter", "n_iter_no_change")
        }
        params.update(random_state=random_state, verbose=False)
        return self._estimator_class(**params)

    def _candidates(self, base, X, y, sample_weight, random_state) -> list:
        if self.param_grid is None:
            return default_candidates(base, X, y, sample_weight)
        candidates = search_candidates(self.param_grid, self.n_candidates, random_state)
        known = set(base.get_params(deep=False))
        for candidate in candidates:
            own = set(candidate) & {*SEARCHED, "max_iter", "n_iter_no_change"}
            own.discard("alpha")  # what a grid is for
            if own:
                raise ValueError(
                    f"param_grid names {sorted(own)}, which the search sets "
                    "itself (early stopping on each fold, the refit's epochs); "
                    "set max_iter and n_iter_no_change on this estimator."
                )
            unknown = set(candidate) - known
            if unknown:
                raise ValueError(
                    f"param_grid names {sorted(unknown)}, which are not "
                    f"parameters of {type(base).__name__}."
                )
            # Each candidate must be valid on its own: fail before training.
            clone(base).set_params(**candidate)._validate_params()
        return candidates

    def _splitter(self, y, seed):
        """``cv`` as a splitter; an int gives shuffled folds (seeded): each
        held-out part is an early-stopping set, and must look like the rest
        of the data even when the table's rows are sorted."""
        classifier = is_classifier(self)
        if isinstance(self.cv, Integral):
            stratify = classifier and type_of_target(y) in ("binary", "multiclass")
            Splitter = StratifiedKFold if stratify else KFold
            return Splitter(self.cv, shuffle=True, random_state=seed)
        return check_cv(self.cv, y, classifier=classifier)

    def _scorer(self, base):
        if self.scoring is not None:
            return check_scoring(base, scoring=self.scoring)
        if is_classifier(self):
            return neg_log_loss
        return check_scoring(base, scoring="r2")

    def _fit_estimators(self, base, candidates, n_rows):
        """The candidates as estimators, with their budget for ``n_rows``."""
        estimators = []
        for candidate in candidates:
            estimator = clone(base).set_params(**candidate)
            budget = training_budget(
                estimator, n_rows, self.max_iter, self.n_iter_no_change
            )
            estimators.append(estimator.set_params(**budget))
        return estimators

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Choose the regularization by cross-validation, then refit.

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
            fit, in early stopping and in the validation scores.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X, y = self._check_data(X, y)
        classifier = is_classifier(self)
        if classifier:
            check_classification_targets(y)
        if sp.issparse(X):
            # Folds are row slices: fast on CSR only.
            X = X.tocsr()
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, X, dtype=X.dtype, ensure_non_negative=True
            )
        random_state = check_random_state(self.random_state)
        seed = self.random_state
        if not isinstance(seed, Integral):
            # One seed for every candidate, fold and the refit: every fit
            # starts from the same initial weights.
            seed = int(random_state.randint(MAX_SEED))
        base = self._base_estimator(seed)
        candidates = self._candidates(base, X, y, sample_weight, seed)
        folds = list(self._splitter(y, seed).split(X, y))
        scorer = self._scorer(base)
        plan = halving_rounds(len(candidates), X.shape[0], self.factor)
        n_fits = sum(n for n, _ in plan) * len(folds)
        events = fit_events(
            self,
            X,
            y,
            sample_weight,
            max_steps=n_fits + 1,
            step_name="candidate fit",
            fitted_steps=False,
        )
        stratify = classifier and type_of_target(y) in ("binary", "multiclass")
        rounds: list[Round] = []
        alive = list(range(len(candidates)))
        for i, (n_alive, n_rows) in enumerate(plan):
            if i:
                previous = rounds[-1]
                kept = survivors(previous.mean_scores(), previous.constant(), n_alive)
                alive = [previous.candidates[k] for k in kept]
            n_train = round(n_rows / X.shape[0] * len(folds[0][0]))
            estimators = self._fit_estimators(
                base, [candidates[c] for c in alive], n_train
            )
            results = run_round(
                estimators,
                X,
                y,
                sample_weight,
                folds,
                scorer,
                n_rows=n_rows,
                seed=seed,
                stratify=stratify,
                n_jobs=self.n_jobs,
            )
            rounds.append(Round(alive, n_rows, results))
            for _ in range(len(alive) * len(folds) if events is not None else 0):
                events.step_begins()
                events.step_ends()

        last = rounds[-1]
        chosen = choose(
            last.mean_scores(),
            last.constant(),
            last.zero_fractions(),
            self.tie_tolerance,
        )
        self.cv_results_ = cv_results(candidates, rounds, len(folds))
        self.best_index_ = len(self.cv_results_["iter"]) - len(last.candidates) + chosen
        self.best_params_ = dict(candidates[last.candidates[chosen]])
        self.best_score_ = float(self.cv_results_["mean_test_score"][self.best_index_])
        self.n_candidates_ = [len(r.candidates) for r in rounds]
        self.n_resources_ = [r.n_resources for r in rounds]
        self.n_iterations_ = len(rounds)
        self.n_splits_ = len(folds)
        self._warn_about_budget(rounds, last.results[chosen])

        if events is not None:
            events.step_begins("refit")
        self.estimator_ = self._refit(base, last.results[chosen], X, y, sample_weight)
        # What the plain estimator learned, so that its methods work on this
        # estimator. The input checks stay this estimator's own: it saw the
        # feature names.
        for name in self.estimator_._fitted_attributes:
            setattr(self, name, getattr(self.estimator_, name))
        if events is not None:
            events.step_ends()
            events.fit_ends()
        return self

    def _refit(self, base, fold_results, X, y, sample_weight):
        """The chosen candidate on all the data: for the median of its folds'
        best epochs (stochastic solvers), as its fold fits were judged."""
        (estimator,) = self._fit_estimators(base, [self.best_params_], X.shape[0])
        estimator.set_params(verbose=self.verbose)
        fit_params = {} if sample_weight is None else {"sample_weight": sample_weight}
        if SOLVERS[estimator.solver].stochastic:
            epochs = int(np.median([r.best_epoch for r in fold_results]))
            estimator.set_params(max_iter=max(1, epochs), n_iter_no_change=np.inf)
        with warnings.catch_warnings():
            # A stochastic refit stops at max_iter by plan; an L-BFGS one as
            # its fold fits did, which the search's one warning has told.
            warnings.simplefilter("ignore", ConvergenceWarning)
            return estimator.fit(X, y, **fit_params)

    def _warn_about_budget(self, rounds, chosen_results) -> None:
        """One ConvergenceWarning for the search, if fits ran out of epochs."""
        fits = [r for round_ in rounds for rs in round_.results for r in rs]
        stopped = sum(r.at_budget for r in fits)
        if not stopped:
            return
        chosen = sum(r.at_budget for r in chosen_results)
        stochastic = SOLVERS[self.solver].stochastic
        ended = "early stopping" if stochastic else "convergence"
        warnings.warn(
            f"{stopped} of {len(fits)} candidate fits stopped at max_iter "
            f"before {ended} ended them; "
            + (
                f"{chosen} of the chosen candidate's {len(chosen_results)} did."
                if chosen
                else "none of the chosen candidate's did."
            )
            + " Increase max_iter (or leave it 'auto') for a fuller search.",
            ConvergenceWarning,
            stacklevel=4,  # the caller of fit, past scikit-learn's wrapper
        )

    @available_if(_not_incremental)
    def partial_fit(self, X, y, **kwargs):
        """Not available: a cross-validated search is not incremental.

        Use ``estimator_.partial_fit`` to continue training the chosen model.
        """
        raise NotImplementedError  # pragma: no cover - hidden by available_if
