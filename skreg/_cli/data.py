"""Read the data of the comparison: the digits split, or a user's CSV file.

:func:`load_csv` turns a comma-separated table into a :class:`Dataset`: it
finds the missing cells, tells numeric feature columns from the others, and
prepares the target, inferring the task when ``--task`` does not give it.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from .errors import UsageError

#: The values of ``--task``, and of :attr:`Dataset.task`.
TASKS = ("classification", "regression")

#: Share of the digits held out for testing.
TEST_SIZE = 0.25

#: A numeric target whose values are all integers is taken for class labels
#: when it has at most this many distinct values (``--task`` overrides).
MAX_INFERRED_CLASSES = 20

#: Cells that count as missing, compared in lower case after stripping blanks.
MISSING_VALUES = frozenset({"", "na", "n/a", "nan", "null", "none", "?"})


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


def load_digits_split(
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


# -- a CSV file ------------------------------------------------------------------


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


def load_csv(
    path: str | Path, target: str, task: str | None = None, drop: Sequence[str] = ()
) -> Dataset:
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
    drop : sequence of str, default=()
        Columns that are not features (an ID, a date, a leak of the target).

    Returns
    -------
    dataset : Dataset

    Raises
    ------
    UsageError
        If the file cannot be read or parsed, the target column or a
        dropped one is missing, the target is dropped, or the target has
        missing cells or does not fit the task.
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
    unknown = [name for name in drop if name not in header]
    if unknown:
        raise UsageError(
            f"--drop: no column {', '.join(map(repr, unknown))} in {path}; its "
            f"columns are {', '.join(map(repr, header))}"
        )
    if target in drop:
        raise UsageError(f"--drop: {target!r} is the target, which cannot be dropped")
    columns = [list(column) for column in zip(*rows, strict=True)]
    target_index = header.index(target)
    y, task, reason = _prepare_target(target, columns[target_index], task)

    feature_names: list[str] = []
    feature_columns: list[np.ndarray] = []
    numeric: list[int] = []
    categorical: list[int] = []
    n_missing = 0
    for index, (name, cells) in enumerate(zip(header, columns, strict=True)):
        if index == target_index or name in drop:
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
