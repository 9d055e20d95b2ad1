"""``python -m skreg``: compare the regularizers on a data set.

With no arguments, trains :class:`~skreg.RegularizedMLPClassifier` on
scikit-learn's digits data (8x8 images of handwritten digits, 10 classes) with
no penalty, L2, L1, the elastic net and dropout, and prints one table row per
model: test accuracy, train-test accuracy gap, fraction of weights that are
exactly zero, and fit time.

With ``--data FILE.csv --target COLUMN`` it compares the same five models on
the user's own table by k-fold cross-validation: a classifier or a regressor
(``--task``, inferred from the target column by default), with numeric feature
columns standardized and the others one-hot encoded, inside a ``Pipeline`` so
that every fold learns its own preprocessing. ``--plot FILE.png`` draws the
comparison as a bar chart (this needs matplotlib, which skreg does not depend
on otherwise).

Everything is seeded, so two runs print the same numbers (up to the timings).
Progress goes to stderr, one line per model or per fold (``--quiet`` silences
it); the table goes to stdout.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.model_selection import (
    KFold,
    StratifiedKFold,
    cross_validate,
    train_test_split,
)
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from ._classifier import RegularizedMLPClassifier
from ._regressor import RegularizedMLPRegressor

__all__ = [
    "CONFIGURATIONS",
    "Dataset",
    "Result",
    "UsageError",
    "cross_validate_models",
    "format_table",
    "load_csv",
    "main",
    "plot_results",
]

#: The models of the report: a label and the parameters that set them apart.
#: alpha is not divided by the number of samples in skreg, so 1e-3 on the L1
#: part already zeroes most weights of this network while accuracy holds; the
#: elastic net pairs the same L1 strength with an L2 one of 1e-3.
CONFIGURATIONS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("no penalty", {"penalty": None}),
    ("l2 alpha=1e-3", {"penalty": "l2", "alpha": 1e-3}),
    ("l1 alpha=1e-3", {"penalty": "l1", "alpha": 1e-3}),
    (
        "elasticnet alpha=2e-3 l1_ratio=0.5",
        {"penalty": "elasticnet", "alpha": 2e-3, "l1_ratio": 0.5},
    ),
    ("dropout=0.3 + l2 alpha=1e-3", {"penalty": "l2", "alpha": 1e-3, "dropout": 0.3}),
)

HIDDEN_LAYER_SIZES = (64,)
TEST_SIZE = 0.25

#: A numeric target whose values are all integers is taken for class labels
#: when it has at most this many distinct values (``--task`` overrides).
MAX_INFERRED_CLASSES = 20

#: Cells that count as missing, compared in lower case after stripping blanks.
MISSING_VALUES = frozenset({"", "na", "n/a", "nan", "null", "none", "?"})

_TASKS = ("classification", "regression")


class UsageError(Exception):
    """A mistake in the command line or the data file, reported without a traceback."""


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


@dataclass(frozen=True)
class Dataset:
    """A table read by :func:`load_csv`, ready for a scikit-learn pipeline.

    Attributes
    ----------
    X : ndarray of shape (n_samples, n_features), dtype object
        The feature columns: floats (NaN where missing) in the numeric ones,
        strings in the others.
    y : ndarray of shape (n_samples,)
        The target: class labels for classification, floats for regression.
    feature_names : list of str
        Header names of the columns of ``X``.
    numeric_columns : list of int
        Indices of the numeric columns of ``X``.
    categorical_columns : list of int
        Indices of the other columns of ``X``.
    task : {"classification", "regression"}
    task_reason : str
        Why the task is what it is (given, or how it was inferred).
    n_missing : int
        Number of missing cells among the numeric feature columns.
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: list[str]
    numeric_columns: list[int]
    categorical_columns: list[int]
    task: str
    task_reason: str
    n_missing: int


# -- command line ---------------------------------------------------------------


def _int_at_least(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(
                f"must be an integer >= {minimum}, got {text}"
            )
        return value

    return parse


_DESCRIPTION = """\
Compare RegularizedMLPClassifier / RegularizedMLPRegressor with no penalty, L2,
L1, elastic net and dropout, and print test score, train-test gap, fraction of
exactly-zero weights and fit time for each.

With no arguments: scikit-learn's digits data, one stratified 75/25 train/test
split, accuracy.

With --data PATH.csv --target COLUMN: your own table, k-fold cross-validation
(stratified for classification), the test score as mean ± standard deviation
over the folds (accuracy for classification, R^2 for regression), the other
columns as means over the folds. The file is comma-separated with a header row
(UTF-8). Every other column is a feature: a column whose cells all parse as
numbers is standardized (missing cells are imputed with the median of the
training fold), any other column is one-hot encoded. Empty cells and NA, N/A,
NaN, null, None and ? count as missing; the target must have no missing cells.
Regression targets are standardized for training and predictions mapped back.
"""

_EPILOG = f"""\
task inference: without --task the target is classification when some of its
cells are not numbers, or when all are integers with at most
{MAX_INFERRED_CLASSES} distinct values; otherwise regression.

examples:
  python -m skreg
  python -m skreg --data houses.csv --target price --cv 10 --plot houses.png
  python -m skreg --data survey.csv --target answer --task classification --quiet
"""


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m skreg",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    data = parser.add_argument_group("your own data")
    data.add_argument(
        "--data",
        metavar="PATH.csv",
        help="CSV file to compare the models on (default: scikit-learn's digits)",
    )
    data.add_argument(
        "--target",
        metavar="COLUMN",
        help="name of the column to predict (required with --data)",
    )
    data.add_argument(
        "--task",
        choices=_TASKS,
        help="classification or regression (default: inferred from the target, "
        "see below)",
    )
    data.add_argument(
        "--cv",
        type=_int_at_least(2),
        metavar="K",
        help="number of cross-validation folds (default: 5)",
    )
    parser.add_argument(
        "--max-iter",
        type=_int_at_least(1),
        default=300,
        help="maximum number of epochs of each fit (default: %(default)s)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed of the train/test split or the folds, and of every model "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--plot",
        metavar="FILE.png",
        help="also draw the comparison as a bar chart into this file (needs "
        "matplotlib; the format follows the extension: png, svg, pdf, ...)",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="print no progress lines (one per model, or per fold with --data) on "
        "stderr, only the table on stdout",
    )
    return parser


def _check_arguments(args: argparse.Namespace) -> None:
    if args.data is None:
        given = [
            option
            for option, value in (
                ("--target", args.target),
                ("--task", args.task),
                ("--cv", args.cv),
            )
            if value is not None
        ]
        if given:
            raise UsageError(f"{', '.join(given)} needs --data PATH.csv")
    elif args.target is None:
        raise UsageError("--data needs --target COLUMN, the column to predict")
    if args.plot is not None:
        _check_plot_path(args.plot)


# -- reading a CSV file ---------------------------------------------------------


def _read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """The header and the data rows of a CSV file, as stripped strings."""
    if not path.exists():
        raise UsageError(f"--data: no such file: {path}")
    if not path.is_file():
        raise UsageError(f"--data: not a file: {path}")
    header: list[str] | None = None
    rows: list[list[str]] = []
    try:
        # utf-8-sig drops the byte-order mark that spreadsheet programs write.
        with path.open(newline="", encoding="utf-8-sig") as file:
            reader = csv.reader(file)
            for fields in reader:
                if not any(field.strip() for field in fields):
                    continue
                fields = [field.strip() for field in fields]
                if header is None:
                    header = fields
                elif len(fields) != len(header):
                    raise UsageError(
                        f"{path}, line {reader.line_num}: {len(fields)} "
                        f"field{'s' if len(fields) != 1 else ''}, but the header "
                        f"has {len(header)}"
                    )
                else:
                    rows.append(fields)
    except UnicodeDecodeError as error:
        raise UsageError(f"{path} is not UTF-8 text ({error.reason})") from None
    except csv.Error as error:
        raise UsageError(f"{path} is not a valid CSV file: {error}") from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    if header is None:
        raise UsageError(f"{path} is empty")
    if not rows:
        raise UsageError(f"{path} has a header but no data rows")
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise UsageError(f"{path}: duplicate column names {duplicates}")
    return header, rows


def _is_missing(cell: str) -> bool:
    return cell.lower() in MISSING_VALUES


def _as_numbers(cells: Sequence[str]) -> np.ndarray | None:
    """The cells as floats (NaN where missing), or None if one is not a number."""
    values = np.empty(len(cells))
    for i, cell in enumerate(cells):
        if _is_missing(cell):
            values[i] = np.nan
            continue
        try:
            value = float(cell)
        except ValueError:
            return None
        if not math.isfinite(value):
            return None
        values[i] = value
    return values


def _prepare_target(
    name: str, cells: list[str], task: str | None
) -> tuple[np.ndarray, str, str]:
    """The target column as labels or floats, the task and why it is that task."""
    n_missing = sum(_is_missing(cell) for cell in cells)
    if n_missing:
        raise UsageError(
            f"the target column {name!r} has {n_missing} missing "
            f"value{'s' if n_missing > 1 else ''}; remove those rows"
        )
    numbers = _as_numbers(cells)
    integral = numbers is not None and bool(np.all(numbers == np.round(numbers)))
    n_distinct = len(set(cells)) if numbers is None else len(np.unique(numbers))
    if task is not None:
        reason = "given by --task"
    elif numbers is None:
        task, reason = "classification", "inferred: the target is not numeric"
    elif integral and n_distinct <= MAX_INFERRED_CLASSES:
        task = "classification"
        reason = (
            f"inferred: {n_distinct} distinct integer values "
            f"(at most {MAX_INFERRED_CLASSES}); --task regression overrides"
        )
    else:
        task = "regression"
        reason = (
            "inferred: numeric target with "
            + ("non-integer values" if not integral else f"{n_distinct} values")
            + "; --task classification overrides"
        )

    if task == "regression":
        if numbers is None:
            example = next(cell for cell in cells if _as_numbers([cell]) is None)
            raise UsageError(
                f"the target column {name!r} is not numeric (e.g. {example!r}), so "
                "it cannot be a regression target; use --task classification"
            )
        if np.ptp(numbers) == 0:
            raise UsageError(
                f"the target column {name!r} is constant ({cells[0]}): "
                "there is nothing to predict"
            )
        return numbers, task, reason

    if numbers is None:
        y = np.asarray(cells, dtype=object)
    elif integral:
        y = numbers.astype(np.int64)
    else:
        y = numbers
    if n_distinct < 2:
        raise UsageError(
            f"the target column {name!r} has a single class ({cells[0]!r}): "
            "classification needs at least two"
        )
    return y, task, reason


def load_csv(path: str | Path, target: str, task: str | None = None) -> Dataset:
    """Read a CSV file with a header row into features and a target.

    Parameters
    ----------
    path : str or Path
        Comma-separated UTF-8 file whose first non-blank row names the columns.
    target : str
        Name of the column to predict; every other column is a feature.
    task : {"classification", "regression"} or None, default=None
        None infers it: classification if some target cells are not numbers,
        or if all are integers with at most :data:`MAX_INFERRED_CLASSES`
        distinct values; regression otherwise.

    Returns
    -------
    dataset : Dataset

    Raises
    ------
    UsageError
        If the file cannot be read or parsed, the target column is missing,
        has missing cells, or does not fit the task.
    """
    path = Path(path)
    header, rows = _read_rows(path)
    if target not in header:
        hint = ""
        if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
            hint = " (the file must be comma-separated)"
        raise UsageError(
            f"--target: no column {target!r} in {path}; its columns are "
            f"{', '.join(map(repr, header))}{hint}"
        )
    columns = [list(column) for column in zip(*rows, strict=True)]
    target_index = header.index(target)
    y, task, reason = _prepare_target(target, columns[target_index], task)

    feature_names: list[str] = []
    feature_columns: list[np.ndarray] = []
    numeric: list[int] = []
    categorical: list[int] = []
    n_missing = 0
    for index, (name, cells) in enumerate(zip(header, columns, strict=True)):
        if index == target_index:
            continue
        if all(_is_missing(cell) for cell in cells):
            # Nothing to learn from; an imputer would drop it anyway.
            continue
        numbers = _as_numbers(cells)
        if numbers is not None:
            numeric.append(len(feature_names))
            n_missing += int(np.isnan(numbers).sum())
            feature_columns.append(numbers.astype(object))
        else:
            categorical.append(len(feature_names))
            # All spellings of "missing" become one category of their own.
            feature_columns.append(
                np.asarray(["" if _is_missing(c) else c for c in cells], dtype=object)
            )
        feature_names.append(name)
    if not feature_names:
        raise UsageError(
            f"{path} has no feature column besides the target {target!r} "
            "(or they are all empty)"
        )
    X = np.empty((len(rows), len(feature_names)), dtype=object)
    for j, column in enumerate(feature_columns):
        X[:, j] = column
    return Dataset(
        X=X,
        y=y,
        feature_names=feature_names,
        numeric_columns=numeric,
        categorical_columns=categorical,
        task=task,
        task_reason=reason,
        n_missing=n_missing,
    )


# -- models -------------------------------------------------------------------


def make_model(
    dataset: Dataset, params: dict[str, Any], *, max_iter: int, seed: int
) -> BaseEstimator:
    """Preprocessing and a skreg network in one estimator, for one configuration.

    Parameters
    ----------
    dataset : Dataset
        Tells which columns are numeric and which task to solve.
    params : dict
        Parameters of the network on top of the shared ones (hidden layers,
        solver, ``max_iter``, ``random_state``).
    max_iter : int
        Maximum number of epochs.
    seed : int
        ``random_state`` of the network.

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
    network_class = (
        RegularizedMLPClassifier
        if dataset.task == "classification"
        else RegularizedMLPRegressor
    )
    network = network_class(
        hidden_layer_sizes=HIDDEN_LAYER_SIZES,
        solver="adam",
        max_iter=max_iter,
        random_state=seed,
        **params,
    )
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


def _zero_fraction(coefs: Sequence[np.ndarray]) -> float:
    n_zero = sum(int(np.count_nonzero(coef == 0)) for coef in coefs)
    return n_zero / sum(coef.size for coef in coefs)


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
        model = make_model(dataset, params, max_iter=max_iter, seed=seed)
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
            zeros.append(_zero_fraction(_network_of(scores["estimator"][0]).coefs_))
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


# -- the digits data ------------------------------------------------------------


def load_data(
    seed: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Digits, split into stratified train and test sets, standardized.

    Parameters
    ----------
    seed : int
        Seed of the split.

    Returns
    -------
    X_train : ndarray of shape (n_train, 64)
    X_test : ndarray of shape (n_test, 64)
    y_train : ndarray of shape (n_train,)
    y_test : ndarray of shape (n_test,)
        The scaler is fitted on the training set only.
    """
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=TEST_SIZE, random_state=seed, stratify=y
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


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
        ``X_train, X_test, y_train, y_test`` as returned by :func:`load_data`.
    max_iter : int
        Maximum number of epochs.
    seed : int
        ``random_state`` of the classifier.

    Returns
    -------
    result : Result
    """
    X_train, X_test, y_train, y_test = data
    clf = RegularizedMLPClassifier(
        hidden_layer_sizes=HIDDEN_LAYER_SIZES,
        solver="adam",
        max_iter=max_iter,
        random_state=seed,
        **params,
    )
    start = time.perf_counter()
    clf.fit(X_train, y_train)
    fit_seconds = time.perf_counter() - start
    test_accuracy = clf.score(X_test, y_test)
    return Result(
        name=name,
        test_score=test_accuracy,
        train_test_gap=clf.score(X_train, y_train) - test_accuracy,
        zero_fraction=_zero_fraction(clf.coefs_),
        fit_seconds=fit_seconds,
    )


# -- output -------------------------------------------------------------------


def format_table(results: Sequence[Result], score_header: str = "test acc") -> str:
    """Render the results as a plain-text table with aligned columns.

    Parameters
    ----------
    results : sequence of Result
    score_header : str, default="test acc"
        Heading of the test-score column.

    Returns
    -------
    table : str
        A header, a rule and one line per result, without a final newline.
        Columns are separated by at least two spaces; a test score with a
        standard deviation reads ``mean ± std``.
    """
    headers = ("model", score_header, "train-test gap", "zero weights", "fit (s)")
    rows = [
        (
            r.name,
            f"{r.test_score:.4f}"
            if r.test_score_std is None
            else f"{r.test_score:.4f} ± {r.test_score_std:.4f}",
            f"{r.train_test_gap:+.4f}",
            f"{r.zero_fraction:.3f}",
            f"{r.fit_seconds:.2f}",
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in (headers, *rows)) for i in range(5)]

    def line(cells: Sequence[str]) -> str:
        # Right-aligned numbers with fixed decimals line up their points.
        first = cells[0].ljust(widths[0])
        rest = (
            cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)
        )
        return "  ".join((first, *rest))

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def _check_plot_path(path: str) -> None:
    """Fail before any training if ``--plot`` cannot be written."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
    except ImportError:
        raise UsageError(
            "--plot needs matplotlib, which is not installed: "
            "pip install matplotlib (or leave out --plot)"
        ) from None
    target = Path(path)
    formats = FigureCanvasAgg.get_supported_filetypes()
    suffix = target.suffix.lower().lstrip(".")
    if suffix not in formats:
        raise UsageError(
            f"--plot: cannot tell the image format of {path!r}; end the name "
            f"with one of {', '.join('.' + f for f in sorted(formats))}"
        )
    if not target.parent.is_dir():
        raise UsageError(f"--plot: no such directory: {target.parent}")


def plot_results(
    results: Sequence[Result], path: str | Path, *, score_label: str, title: str
) -> None:
    """Draw the comparison as three panels of horizontal bars and save it.

    Needs matplotlib, imported here so that it stays an optional dependency.
    The figure is drawn on an Agg canvas of its own: no display is needed and
    the global pyplot state is left alone.

    Parameters
    ----------
    results : sequence of Result
    path : str or Path
        Output file; the format follows its extension.
    score_label : str
        Axis label of the test-score panel.
    title : str
        Title of the figure.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    names = [r.name for r in results]
    positions = np.arange(len(results))
    errors = [r.test_score_std for r in results]
    figure = Figure(figsize=(13, 1.2 + 0.45 * len(results)), layout="constrained")
    FigureCanvasAgg(figure)
    score_ax, gap_ax, zero_ax = figure.subplots(1, 3, sharey=True)
    panels = (
        (score_ax, [r.test_score for r in results], score_label, "C0"),
        (gap_ax, [r.train_test_gap for r in results], "train - test gap", "C1"),
        (zero_ax, [r.zero_fraction for r in results], "fraction of zero weights", "C2"),
    )
    for ax, values, label, color in panels:
        xerr = None
        if ax is score_ax and all(error is not None for error in errors):
            xerr = errors
        bars = ax.barh(positions, values, xerr=xerr, color=color, capsize=3)
        ax.bar_label(bars, fmt="%.3f", padding=3, fontsize=8)
        ax.axvline(0.0, color="black", linewidth=0.8)
        ax.set_xlabel(label)
        ax.margins(x=0.2)
    zero_ax.set_xlim(0.0, 1.15)
    score_ax.set_yticks(positions, names)
    # The first configuration on top, as in the table.
    score_ax.invert_yaxis()
    figure.suptitle(title)
    try:
        figure.savefig(path, dpi=100)
    except OSError as error:
        raise UsageError(f"--plot: cannot write {path}: {error.strerror}") from None


@dataclass(frozen=True)
class _Labels:
    table_header: str
    plot_label: str
    plot_title: str


def _progress_printer(quiet: bool) -> Callable[[str], None]:
    def progress(message: str) -> None:
        if not quiet:
            print(message, file=sys.stderr, flush=True)

    return progress


def _run_digits(
    args: argparse.Namespace, progress: Callable[[str], None]
) -> tuple[list[Result], _Labels]:
    data = load_data(args.seed)
    X_train, X_test = data[0], data[1]
    print(
        f"digits: {X_train.shape[0]} training / {X_test.shape[0]} test samples, "
        f"{X_train.shape[1]} features, 10 classes"
    )
    print(
        f"RegularizedMLPClassifier(hidden_layer_sizes={HIDDEN_LAYER_SIZES}, "
        f"solver='adam', max_iter={args.max_iter}, random_state={args.seed})"
    )
    print()
    results = []
    for number, (name, params) in enumerate(CONFIGURATIONS, start=1):
        result = evaluate(name, params, data, max_iter=args.max_iter, seed=args.seed)
        progress(
            f"[{number}/{len(CONFIGURATIONS)}] {name}: test accuracy "
            f"{result.test_score:.4f}, fit {result.fit_seconds:.2f} s"
        )
        results.append(result)
    title = "digits: one stratified 75/25 train/test split"
    return results, _Labels("test acc", "test accuracy", title)


def _run_csv(
    args: argparse.Namespace, progress: Callable[[str], None]
) -> tuple[list[Result], _Labels]:
    dataset = load_csv(args.data, args.target, args.task)
    cv = 5 if args.cv is None else args.cv
    n_rows = dataset.X.shape[0]
    n_numeric = len(dataset.numeric_columns)
    n_categorical = len(dataset.categorical_columns)
    missing = (
        f", {dataset.n_missing} missing numeric cells" if dataset.n_missing else ""
    )
    print(
        f"{args.data}: {n_rows} rows, {len(dataset.feature_names)} feature columns "
        f"({n_numeric} numeric, {n_categorical} one-hot encoded{missing})"
    )
    if dataset.task == "classification":
        labels, counts = np.unique(dataset.y, return_counts=True)
        shown = ", ".join(
            f"{label} ({count})"
            for label, count in zip(labels[:10], counts[:10], strict=True)
        )
        more = f", ... ({len(labels)} classes)" if len(labels) > 10 else ""
        target = f"{len(labels)} classes: {shown}{more}"
        network, score, score_label = "Classifier", "accuracy", "test accuracy"
        folds = f"stratified {cv}-fold"
    else:
        y = dataset.y
        target = f"mean {y.mean():.4g}, std {y.std():.4g}, range [{y.min():.4g}, "
        target += f"{y.max():.4g}]"
        network, score, score_label = "Regressor", "r2", "test R²"
        folds = f"{cv}-fold"
    print(f"target {args.target!r}: {dataset.task} ({dataset.task_reason}); {target}")
    print(
        f"RegularizedMLP{network}(hidden_layer_sizes={HIDDEN_LAYER_SIZES}, "
        f"solver='adam', max_iter={args.max_iter}, random_state={args.seed}); "
        f"{folds} cross-validation, mean ± std of the test {score} over the folds"
    )
    print()
    results = cross_validate_models(
        dataset, cv=cv, max_iter=args.max_iter, seed=args.seed, progress=progress
    )
    title = (
        f"{Path(args.data).name}: {args.target} ({dataset.task}), "
        f"{folds} cross-validation (means over the folds)"
    )
    return results, _Labels(f"test {score}", f"{score_label} ± std", title)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison and print the table.

    Parameters
    ----------
    argv : sequence of str, optional
        Command-line arguments without the program name; ``sys.argv[1:]``
        when None.

    Returns
    -------
    status : int
        0 on success (the exit status of ``python -m skreg``). Mistakes in
        the arguments or the data file exit through ``SystemExit`` with
        status 2 and a one-line message on stderr.
    """
    parser = _build_parser()
    args = parser.parse_args(argv)
    progress = _progress_printer(args.quiet)
    try:
        _check_arguments(args)
        with warnings.catch_warnings():
            # Every model gets the same epoch budget so that the rows compare
            # like with like; the L1 models keep moving weights to and from
            # zero and usually use all of it, and one warning per fit would
            # bury the table.
            warnings.simplefilter("ignore", ConvergenceWarning)
            run = _run_digits if args.data is None else _run_csv
            results, labels = run(args, progress)
        print(format_table(results, labels.table_header))
        if args.plot is not None:
            plot_results(
                results,
                args.plot,
                score_label=labels.plot_label,
                title=labels.plot_title,
            )
            print()
            print(f"bar chart written to {args.plot}")
    except UsageError as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
