"""Train and measure the models of the comparison.

The configurations of the report, the network settings they share, and the two
ways of measuring them: one train/test split (:func:`evaluate_models`, the
digits) or k-fold cross-validation of a preprocessing pipeline
(:func:`cross_validate_models`, a CSV file). Each model becomes a
:class:`Result`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.impute import SimpleImputer
from sklearn.model_selection import KFold, StratifiedKFold, cross_validate
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from .._arrays import zero_fraction
from .._classifier import RegularizedMLPClassifier
from .._cv import RegularizedMLPClassifierCV, RegularizedMLPRegressorCV
from .._regressor import RegularizedMLPRegressor
from .data import Dataset
from .errors import UsageError

#: The models of the report: a label and the parameters that set them apart.
#: alpha is not divided by the number of samples in skreg, so 1e-3 on the L1
#: part already zeroes most weights of this network while accuracy holds; the
#: elastic net pairs the same L1 strength with an L2 one of 1e-3. The last
#: row is the automatic choice: the CV estimator with its default candidates
#: (``param_grid`` is a parameter of the CV estimators only).
CONFIGURATIONS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("no penalty", {"penalty": None}),
    ("l2 alpha=1e-3", {"penalty": "l2", "alpha": 1e-3}),
    ("l1 alpha=1e-3", {"penalty": "l1", "alpha": 1e-3}),
    (
        "elasticnet alpha=2e-3 l1_ratio=0.5",
        {"penalty": "elasticnet", "alpha": 2e-3, "l1_ratio": 0.5},
    ),
    ("dropout=0.3 + l2 alpha=1e-3", {"penalty": "l2", "alpha": 1e-3, "dropout": 0.3}),
    ("automatic (CV search)", {"param_grid": None}),
)

HIDDEN_LAYER_SIZES = (64,)


@dataclass(frozen=True)
class Result:
    """The measurements of one model.

    Attributes
    ----------
    name : str
        Label of the configuration.
    test_score : float
        Accuracy (classification) or R² (regression) on the held-out data;
        with cross-validation, the mean over the folds.
    train_test_gap : float
        Training score minus test score (mean over the folds).
    zero_fraction : float
        Fraction of the entries of all ``coefs_`` that are exactly ``0.0``
        (mean over the folds' models).
    fit_seconds : float
        Wall-clock time of one ``fit`` (mean over the folds).
    test_score_std : float or None, default=None
        Standard deviation of the test score over the folds; None for a single
        train/test split.
    """

    name: str
    test_score: float
    train_test_gap: float
    zero_fraction: float
    fit_seconds: float
    test_score_std: float | None = None


def _shared_params(max_iter: int, seed: int) -> dict[str, Any]:
    """The parameters every network of the report has in common."""
    return {
        "hidden_layer_sizes": HIDDEN_LAYER_SIZES,
        "solver": "adam",
        "max_iter": max_iter,
        "random_state": seed,
    }


def _network_class(task: str, automatic: bool = False) -> type[BaseEstimator]:
    if task == "classification":
        return RegularizedMLPClassifierCV if automatic else RegularizedMLPClassifier
    return RegularizedMLPRegressorCV if automatic else RegularizedMLPRegressor


def make_network(
    task: str, params: dict[str, Any], *, max_iter: int, seed: int
) -> BaseEstimator:
    """The skreg network of one configuration, on top of the shared parameters.

    Parameters
    ----------
    task : {"classification", "regression"}
    params : dict
        Parameters of the configuration (penalty, alpha, ...); with
        ``param_grid``, of the CV estimator's search.
    max_iter : int
        Maximum number of epochs (of each candidate's fit, for the search).
    seed : int
        ``random_state`` of the network.

    Returns
    -------
    network : RegularizedMLPClassifier, RegularizedMLPRegressor or their CV
        estimator
    """
    Network = _network_class(task, automatic="param_grid" in params)
    return Network(**_shared_params(max_iter, seed), **params)


def describe_network(task: str, *, max_iter: int, seed: int) -> str:
    """The shared part of every network of the report, as a constructor call."""
    shared = ", ".join(
        f"{name}={value!r}" for name, value in _shared_params(max_iter, seed).items()
    )
    return f"{_network_class(task).__name__}({shared})"


# -- one train/test split ---------------------------------------------------------


def evaluate(
    name: str,
    params: dict[str, Any],
    data: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    *,
    max_iter: int,
    seed: int,
) -> Result:
    """Fit one classifier and measure it.

    Parameters
    ----------
    name : str
        Label of the configuration.
    params : dict
        Parameters of :class:`~skreg.RegularizedMLPClassifier` on top of the
        shared ones (hidden layers, solver, ``max_iter``, ``random_state``).
    data : tuple of ndarray
        ``X_train, X_test, y_train, y_test`` as returned by
        :func:`~skreg._cli.data.load_digits_split`.
    max_iter : int
        Maximum number of epochs.
    seed : int
        ``random_state`` of the classifier.

    Returns
    -------
    result : Result
    """
    X_train, X_test, y_train, y_test = data
    clf = make_network("classification", params, max_iter=max_iter, seed=seed)
    start = time.perf_counter()
    clf.fit(X_train, y_train)
    fit_seconds = time.perf_counter() - start
    test_accuracy = clf.score(X_test, y_test)
    return Result(
        name=name,
        test_score=test_accuracy,
        train_test_gap=clf.score(X_train, y_train) - test_accuracy,
        zero_fraction=zero_fraction(clf.coefs_),
        fit_seconds=fit_seconds,
    )


def evaluate_models(
    data: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    *,
    max_iter: int,
    seed: int,
    progress: Callable[[str], None] = lambda message: None,
) -> list[Result]:
    """Fit and measure a classifier for every configuration of :data:`CONFIGURATIONS`.

    Every classifier is trained on the same training part and scored on the
    same test part.

    Parameters
    ----------
    data : tuple of ndarray
        ``X_train, X_test, y_train, y_test``, as for :func:`evaluate`.
    max_iter : int
        Maximum number of epochs of each fit.
    seed : int
        ``random_state`` of every classifier.
    progress : callable, optional
        Called with one line of text after each fit.

    Returns
    -------
    results : list of Result
        One per configuration, in order.
    """
    results = []
    for number, (name, params) in enumerate(CONFIGURATIONS, start=1):
        result = evaluate(name, params, data, max_iter=max_iter, seed=seed)
        progress(
            f"[{number}/{len(CONFIGURATIONS)}] {name}: test accuracy "
            f"{result.test_score:.4f}, fit {result.fit_seconds:.2f} s"
        )
        results.append(result)
    return results


# -- k-fold cross-validation of a pipeline -----------------------------------------


def make_model(dataset: Dataset, network: BaseEstimator) -> BaseEstimator:
    """Preprocessing and a skreg network in one estimator.

    Parameters
    ----------
    dataset : Dataset
        Tells which columns are numeric and which task to solve.
    network : RegularizedMLPClassifier or RegularizedMLPRegressor
        The network of one configuration (see :func:`make_network`).

    Returns
    -------
    model : Pipeline or TransformedTargetRegressor
        Numeric columns imputed with the median and standardized, the others
        one-hot encoded (categories unseen in a training fold are ignored);
        for regression, the target standardized as well.
    """
    transformers = []
    if dataset.numeric_columns:
        numeric = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
        transformers.append(("numeric", numeric, dataset.numeric_columns))
    if dataset.categorical_columns:
        one_hot = OneHotEncoder(handle_unknown="ignore")
        transformers.append(("categorical", one_hot, dataset.categorical_columns))
    pipeline = Pipeline(
        [("features", ColumnTransformer(transformers)), ("network", network)]
    )
    if dataset.task == "classification":
        return pipeline
    # The network's alpha and learning rate suit targets of unit scale, as its
    # inputs are; R² is scored on the original scale.
    return TransformedTargetRegressor(regressor=pipeline, transformer=StandardScaler())


def _network_of(model: BaseEstimator) -> Any:
    if isinstance(model, TransformedTargetRegressor):
        model = model.regressor_
    return model[-1]


def cross_validate_models(
    dataset: Dataset,
    *,
    cv: int,
    max_iter: int,
    seed: int,
    progress: Callable[[str], None] = lambda message: None,
) -> list[Result]:
    """Cross-validate every configuration of :data:`CONFIGURATIONS`.

    Parameters
    ----------
    dataset : Dataset
    cv : int
        Number of folds: stratified for classification, shuffled with ``seed``;
        every model sees the same folds.
    max_iter : int
        Maximum number of epochs of each fit.
    seed : int
        Seed of the folds and ``random_state`` of every model.
    progress : callable, optional
        Called with one line of text after each fold.

    Returns
    -------
    results : list of Result
        One per configuration, in order.
    """
    classification = dataset.task == "classification"
    if classification:
        labels, counts = np.unique(dataset.y, return_counts=True)
        if counts.min() < cv:
            rare = labels[np.argmin(counts)]
            raise UsageError(
                f"class {rare!r} of the target has only {counts.min()} "
                f"row{'s' if counts.min() > 1 else ''}; stratified {cv}-fold "
                f"cross-validation needs at least {cv} per class (lower --cv)"
            )
        splitter: KFold | StratifiedKFold = StratifiedKFold(
            cv, shuffle=True, random_state=seed
        )
    else:
        if len(dataset.y) < cv:
            raise UsageError(
                f"{len(dataset.y)} rows are too few for {cv}-fold "
                "cross-validation (lower --cv)"
            )
        splitter = KFold(cv, shuffle=True, random_state=seed)
    folds = list(splitter.split(dataset.X, dataset.y))
    scoring = "accuracy" if classification else "r2"

    results = []
    for number, (name, params) in enumerate(CONFIGURATIONS, start=1):
        network = make_network(dataset.task, params, max_iter=max_iter, seed=seed)
        model = make_model(dataset, network)
        test, train, seconds, zeros = [], [], [], []
        for fold, split in enumerate(folds, start=1):
            # One fold per call, so that a long run reports after each fit.
            scores = cross_validate(
                model,
                dataset.X,
                dataset.y,
                cv=[split],
                scoring=scoring,
                return_train_score=True,
                return_estimator=True,
                error_score="raise",
            )
            test.append(float(scores["test_score"][0]))
            train.append(float(scores["train_score"][0]))
            seconds.append(float(scores["fit_time"][0]))
            zeros.append(zero_fraction(_network_of(scores["estimator"][0]).coefs_))
            progress(
                f"[{number}/{len(CONFIGURATIONS)}] {name}, fold {fold}/{cv}: "
                f"test {scoring} {test[-1]:.4f}, fit {seconds[-1]:.2f} s"
            )
        results.append(
            Result(
                name=name,
                test_score=float(np.mean(test)),
                test_score_std=float(np.std(test)),
                train_test_gap=float(np.mean(train) - np.mean(test)),
                zero_fraction=float(np.mean(zeros)),
                fit_seconds=float(np.mean(seconds)),
            )
        )
    return results
