"""The search of the CV estimators: candidates scored on folds, successive
halving, the choice.

A candidate is a dict of parameters of the plain estimator. On each fold it
is trained on the training part with early stopping on the held-out part
(the stochastic solvers; the best epoch is restored) and scored there. The
candidates go through the rounds of successive halving (as scikit-learn's
``HalvingGridSearchCV`` with rows as the resource): each round trains the
survivors on a larger share of every training part, and keeps the best
``1 / factor`` of them. The choice among the last round's candidates takes
the best mean score, or, within ``tie_tolerance`` of it, the sparsest model,
and never a constant-prediction model while another is within the
tolerance. :func:`cv_results` arranges the rounds in ``GridSearchCV``'s
``cv_results_`` format; :func:`neg_log_loss` is the classifier's default
score.
"""

from __future__ import annotations

import inspect
import math
import time
import warnings
from dataclasses import dataclass

import numpy as np
from scipy.stats import rankdata
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.parallel import Parallel, delayed

from ._arrays import zero_fraction
from ._collapse import RegularizationWarning
from .solvers import SOLVERS

__all__ = [
    "FoldResult",
    "Round",
    "choose",
    "cv_results",
    "halving_rounds",
    "neg_log_loss",
    "run_round",
    "survivors",
]

#: The smallest training share worth a halving round: below about this many
#: rows, the scores of a round say little about the full data.
MIN_ROWS = 1000


@dataclass
class FoldResult:
    """One candidate on one fold."""

    score: float
    fit_time: float
    score_time: float
    #: the epoch whose weights were kept (``n_iter`` without early stopping)
    best_epoch: int
    n_iter: int
    #: whether training stopped at ``max_iter`` (not by early stopping)
    at_budget: bool
    zero_fraction: float
    #: whether the predictions on the held-out part were all the same
    constant: bool


@dataclass
class Round:
    """One round of successive halving: its candidates (indices into the
    list of all candidates), the training rows per fold, the results."""

    candidates: list[int]
    n_resources: int
    results: list[list[FoldResult]]  # [candidate][fold]

    def mean_scores(self) -> np.ndarray:
        return np.array([np.mean([r.score for r in rs]) for rs in self.results])

    def constant(self) -> np.ndarray:
        return np.array([any(r.constant for r in rs) for rs in self.results])

    def zero_fractions(self) -> np.ndarray:
        return np.array([np.mean([r.zero_fraction for r in rs]) for rs in self.results])


def halving_rounds(
    n_candidates: int, n_samples: int, factor: float
) -> list[tuple[int, int]]:
    """``(n_candidates, n_rows)`` of every round.

    The last round uses all the rows; each earlier one ``1 / factor`` of the
    next, down to :data:`MIN_ROWS`, and as many rounds as it takes to leave
    one candidate (scikit-learn's ``min_resources='exhaust'``).
    """
    # Halve until at most ``factor`` candidates are left: the last round
    # compares a few, so that the choice's tie rule has something to weigh.
    needed = 1
    if n_candidates > factor:
        needed += math.ceil(math.log(n_candidates / factor, factor) - 1e-9)
    possible = 1
    if n_samples > MIN_ROWS:
        possible += math.floor(math.log(n_samples / MIN_ROWS, factor) + 1e-9)
    n_rounds = min(needed, possible)
    return [
        (
            math.ceil(n_candidates / factor**i),
            int(n_samples // factor ** (n_rounds - 1 - i)),
        )
        for i in range(n_rounds)
    ]


def _accepts_sample_weight(scorer) -> bool:
    parameters = inspect.signature(scorer).parameters.values()
    return any(p.name == "sample_weight" or p.kind is p.VAR_KEYWORD for p in parameters)


def _is_constant(estimator, X) -> bool:
    """Whether ``estimator`` predicts the same for every row of ``X``."""
    if hasattr(estimator, "predict_proba"):
        prediction = np.asarray(estimator.predict_proba(X))
    else:
        prediction = np.asarray(estimator.predict(X), dtype=np.float64)
    if prediction.shape[0] < 2:
        return False
    spread = np.ptp(prediction, axis=0).max()
    return bool(spread <= 1e-7 * max(1.0, float(np.abs(prediction).max())))


def fit_on_fold(estimator, X, y, sample_weight, train, test, scorer) -> FoldResult:
    """Train ``estimator`` (a fresh clone) on ``train``, with early stopping
    on ``test`` when its solver is stochastic; score it on ``test``."""
    estimator = clone(estimator)
    stochastic = SOLVERS[estimator.solver].stochastic
    fit_params, score_params = {}, {}
    X_test, y_test = X[test], y[test]
    if sample_weight is not None:
        fit_params["sample_weight"] = sample_weight[train]
    if stochastic:
        # The held-out part is the early-stopping set: a third of the data
        # (with the default cv), a steadier guide than a tenth of the rest.
        estimator.set_params(early_stopping=True, scoring="loss")
        fit_params.update(X_val=X_test, y_val=y_test)
        if sample_weight is not None:
            fit_params["sample_weight_val"] = sample_weight[test]
    start = time.perf_counter()
    with warnings.catch_warnings():
        # Budget stops are counted (at_budget) and reported once per search;
        # a candidate its penalty wiped out is judged by its score, not
        # reported (the chosen one is refitted, and warns if it is wiped out).
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RegularizationWarning)
        estimator.fit(X[train], y[train], **fit_params)
    fit_time = time.perf_counter() - start
    if _accepts_sample_weight(scorer):
        # The held-out rows weigh in the score as in the objective: sample
        # weights times class weights (as in early stopping's loss).
        weights = None if sample_weight is None else sample_weight[test]
        weights = estimator._sample_weight(weights, X_test, y_test, False)
        if weights is not None:
            score_params["sample_weight"] = weights
    start = time.perf_counter()
    score = float(scorer(estimator, X_test, y_test, **score_params))
    score_time = time.perf_counter() - start
    if stochastic:
        # The validation set was measured every validation_interval epochs
        # and after the last at max_iter.
        measured = int(np.argmax(estimator.validation_scores_)) + 1
        best_epoch = min(measured * estimator.validation_interval, estimator.n_iter_)
    else:
        best_epoch = estimator.n_iter_
    return FoldResult(
        score=score if np.isfinite(score) else -np.inf,
        fit_time=fit_time,
        score_time=score_time,
        best_epoch=best_epoch,
        n_iter=estimator.n_iter_,
        at_budget=estimator.n_iter_ >= estimator.max_iter,
        zero_fraction=zero_fraction(estimator.coefs_),
        constant=_is_constant(estimator, X_test),
    )


def _subsample(train, n_rows, y, seed, stratify: bool):
    """``n_rows`` of the training indices ``train`` (stratified by class when
    asked and possible), in their order."""
    if n_rows >= len(train):
        return train
    labels = y[train] if stratify else None
    try:
        kept, _ = train_test_split(
            train, train_size=n_rows, random_state=seed, stratify=labels
        )
    except ValueError:  # a class too rare to stratify on
        kept, _ = train_test_split(train, train_size=n_rows, random_state=seed)
    return np.sort(kept)


def run_round(
    estimators, X, y, sample_weight, folds, scorer, *, n_rows, seed, stratify, n_jobs
) -> list[list[FoldResult]]:
    """Every estimator on every fold, its training part cut to ``n_rows``
    of the full data's rows (the held-out parts stay whole)."""
    share = n_rows / X.shape[0]
    cut = [
        (_subsample(train, round(share * len(train)), y, seed, stratify), test)
        for train, test in folds
    ]
    flat = Parallel(n_jobs=n_jobs)(
        delayed(fit_on_fold)(estimator, X, y, sample_weight, train, test, scorer)
        for estimator in estimators
        for train, test in cut
    )
    n_folds = len(folds)
    return [flat[i : i + n_folds] for i in range(0, len(flat), n_folds)]


def survivors(scores: np.ndarray, constant: np.ndarray, n_kept: int) -> np.ndarray:
    """Positions of the ``n_kept`` best candidates of a round (constant ones
    after all others, then by mean score; the first listed wins a tie)."""
    scores = np.where(np.isnan(scores), -np.inf, scores)
    order = np.lexsort((np.arange(len(scores)), -scores, constant))
    return np.sort(order[:n_kept])


def choose(
    scores: np.ndarray,
    constant: np.ndarray,
    sparsity: np.ndarray,
    tolerance: float,
) -> int:
    """Position of the chosen candidate among the last round's.

    The candidates within ``tolerance`` of the best mean score are tied;
    among the tied ones that do not predict a constant, the sparsest (the
    largest fraction of zero weights) is chosen, then the best scoring. Only
    when every tied candidate is constant is the best one chosen.
    """
    scores = np.where(np.isnan(scores), -np.inf, scores)
    best = scores.max()
    tied = np.flatnonzero((scores >= best - tolerance) & ~constant)
    if tied.size == 0:
        return int(np.argmax(scores))
    key = np.lexsort((-scores[tied], -sparsity[tied]))
    return int(tied[key[0]])


def _masked(values) -> np.ma.MaskedArray:
    """A ``param_<name>`` column: masked where a candidate lacks the name."""
    column = np.ma.MaskedArray(np.empty(len(values), dtype=object), mask=True)
    for i, value in enumerate(values):
        if value is not _MISSING:
            column[i] = value
    return column


_MISSING = object()


def cv_results(candidates: list[dict], rounds: list[Round], n_folds: int) -> dict:
    """The rounds' results in ``GridSearchCV``'s ``cv_results_`` format, one
    row per candidate and round (``iter`` and ``n_resources`` say which, as
    in ``HalvingGridSearchCV``), with skreg's columns of training facts."""
    rows = [
        (i, c, rs)
        for i, round_ in enumerate(rounds)
        for c, rs in zip(round_.candidates, round_.results, strict=True)
    ]
    params = [candidates[c] for _, c, _ in rows]
    results: dict = {
        "iter": np.array([i for i, _, _ in rows]),
        "n_resources": np.array([rounds[i].n_resources for i, _, _ in rows]),
        "params": params,
    }
    for name in sorted({name for p in params for name in p}):
        results[f"param_{name}"] = _masked([p.get(name, _MISSING) for p in params])

    def column(attr):
        values = [[getattr(r, attr) for r in rs] for _, _, rs in rows]
        return np.array(values, dtype=float)

    scores = column("score")
    for k in range(n_folds):
        results[f"split{k}_test_score"] = scores[:, k]
    results["mean_test_score"] = scores.mean(axis=1)
    results["std_test_score"] = scores.std(axis=1)
    ranked = np.nan_to_num(results["mean_test_score"], nan=-np.inf)
    # As scikit-learn ranks: 1 for the best, equal scores share the lowest.
    results["rank_test_score"] = rankdata(-ranked, method="min").astype(np.int32)
    for attr in ("fit_time", "score_time"):
        values = column(attr)
        results[f"mean_{attr}"] = values.mean(axis=1)
        results[f"std_{attr}"] = values.std(axis=1)
    results["mean_best_epoch"] = column("best_epoch").mean(axis=1)
    results["mean_n_iter"] = column("n_iter").mean(axis=1)
    results["mean_zero_fraction"] = column("zero_fraction").mean(axis=1)
    results["constant_predictions"] = column("constant").any(axis=1)
    results["at_budget"] = column("at_budget").any(axis=1)
    return results


def neg_log_loss(estimator, X, y, sample_weight=None) -> float:
    """Minus the mean log-loss of ``estimator``'s probabilities (for
    multilabel targets, the mean over the labels of their binary log-loss):
    the classifier's default score, a proper scoring rule."""
    if len(getattr(estimator, "classes_", ())) == 1:
        return 0.0  # one class: every prediction is certain and right
    proba = estimator.predict_proba(X)
    if type_of_target(y) == "multilabel-indicator":
        y = np.asarray(y)
        return -float(
            np.mean(
                [
                    log_loss(
                        y[:, k], proba[:, k], sample_weight=sample_weight, labels=[0, 1]
                    )
                    for k in range(y.shape[1])
                ]
            )
        )
    return -float(
        log_loss(y, proba, sample_weight=sample_weight, labels=estimator.classes_)
    )
