"""``python -m skreg``: compare the regularizers on a bundled data set.

Trains :class:`~skreg.RegularizedMLPClassifier` on scikit-learn's digits data
(8x8 images of handwritten digits, 10 classes) with no penalty, L2, L1, the
elastic net and dropout, and prints one table row per model: test accuracy,
train-test accuracy gap, fraction of weights that are exactly zero, and fit
time. Everything is seeded, so two runs print the same numbers (up to the
timings).
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from ._classifier import RegularizedMLPClassifier

__all__ = ["CONFIGURATIONS", "Result", "main"]

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


@dataclass(frozen=True)
class Result:
    """The measurements of one fitted model.

    Attributes
    ----------
    name : str
        Label of the configuration.
    test_accuracy : float
        Accuracy on the held-out test set.
    train_test_gap : float
        Training accuracy minus test accuracy.
    zero_fraction : float
        Fraction of the entries of all ``coefs_`` that are exactly ``0.0``.
    fit_seconds : float
        Wall-clock time of ``fit``.
    """

    name: str
    test_accuracy: float
    train_test_gap: float
    zero_fraction: float
    fit_seconds: float


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m skreg",
        description=(
            "Train RegularizedMLPClassifier on scikit-learn's digits data with "
            "no penalty, L2, L1, elastic net and dropout, and print test "
            "accuracy, train-test gap, fraction of exactly-zero weights and "
            "fit time."
        ),
    )
    parser.add_argument(
        "--max-iter",
        type=_positive_int,
        default=300,
        help="maximum number of epochs of each fit (default: %(default)s)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed of the train/test split and of every model (default: %(default)s)",
    )
    return parser.parse_args(argv)


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
    n_zero = sum(int(np.count_nonzero(coef == 0)) for coef in clf.coefs_)
    n_weights = sum(coef.size for coef in clf.coefs_)
    return Result(
        name=name,
        test_accuracy=test_accuracy,
        train_test_gap=clf.score(X_train, y_train) - test_accuracy,
        zero_fraction=n_zero / n_weights,
        fit_seconds=fit_seconds,
    )


def format_table(results: Sequence[Result]) -> str:
    """Render the results as a plain-text table with aligned columns.

    Parameters
    ----------
    results : sequence of Result

    Returns
    -------
    table : str
        A header, a rule and one line per result, without a final newline.
    """
    headers = ("model", "test acc", "train-test gap", "zero weights", "fit (s)")
    rows = [
        (
            r.name,
            f"{r.test_accuracy:.4f}",
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
        0 on success (the exit status of ``python -m skreg``).
    """
    args = _parse_args(argv)
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
    with warnings.catch_warnings():
        # Every model gets the same epoch budget so that the rows compare like
        # with like; the L1 models keep moving weights to and from zero and
        # usually use all of it, and one warning per row would bury the table.
        warnings.simplefilter("ignore", ConvergenceWarning)
        for name, params in CONFIGURATIONS:
            results.append(
                evaluate(name, params, data, max_iter=args.max_iter, seed=args.seed)
            )
    print(format_table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
