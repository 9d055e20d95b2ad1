"""The options of ``python -m skreg``: parser, help text and cross-option checks.

:func:`check_arguments` catches what argparse cannot express (options that need
each other, a ``--plot`` file that cannot be written) before any training.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from .data import MAX_INFERRED_CLASSES, TASKS
from .errors import UsageError
from .report import check_plot_path


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


def _column_list(text: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in text.split(","))
    if not all(names):
        raise argparse.ArgumentTypeError(
            f"expected comma-separated column names, got {text!r}"
        )
    return names


def build_parser() -> argparse.ArgumentParser:
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
        "--drop",
        type=_column_list,
        default=(),
        metavar="COL[,COL...]",
        help="columns that are not features, such as an ID (default: none; every "
        "column but the target is a feature)",
    )
    data.add_argument(
        "--task",
        choices=TASKS,
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
        help="also draw the comparison as a chart into this file (needs "
        "matplotlib; the format follows the extension: png, svg, pdf, ...)",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="print no progress lines (one per model, or per fold with --data) on "
        "stderr, only the table on stdout",
    )
    return parser


def check_arguments(args: argparse.Namespace) -> None:
    if args.data is None:
        given = [
            option
            for option, value in (
                ("--target", args.target),
                ("--drop", args.drop or None),
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
        check_plot_path(args.plot)
