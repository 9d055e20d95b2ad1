"""Run the comparison that the command line asks for and print its report.

The data set's summary and the table go to stdout, progress lines to stderr;
a :class:`~skreg._cli.errors.UsageError` anywhere becomes an argparse error
(exit status 2, one line, no traceback).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from .arguments import build_parser, check_arguments
from .data import load_csv, load_digits_split
from .errors import UsageError
from .models import (
    Result,
    cross_validate_models,
    describe_network,
    evaluate_models,
)
from .report import format_table, plot_results


@dataclass(frozen=True)
class _Labels:
    """What the table and the chart call the test score, and the chart's title."""

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
    data = load_digits_split(args.seed)
    X_train, X_test = data[0], data[1]
    print(
        f"digits: {X_train.shape[0]} training / {X_test.shape[0]} test samples, "
        f"{X_train.shape[1]} features, 10 classes"
    )
    print(describe_network("classification", max_iter=args.max_iter, seed=args.seed))
    print()
    results = evaluate_models(
        data, max_iter=args.max_iter, seed=args.seed, progress=progress
    )
    title = "digits: one stratified 75/25 train/test split"
    return results, _Labels("test acc", "test accuracy", title)


def _run_csv(
    args: argparse.Namespace, progress: Callable[[str], None]
) -> tuple[list[Result], _Labels]:
    dataset = load_csv(args.data, args.target, args.task, args.drop)
    cv = 5 if args.cv is None else args.cv
    n_rows = dataset.X.shape[0]
    n_numeric = len(dataset.numeric_columns)
    n_categorical = len(dataset.categorical_columns)
    missing = (
        f", {dataset.n_missing} missing numeric cells" if dataset.n_missing else ""
    )
    dropped = f"; not features: {', '.join(args.drop)}" if args.drop else ""
    print(
        f"{args.data}: {n_rows} rows, {len(dataset.feature_names)} feature columns "
        f"({n_numeric} numeric, {n_categorical} one-hot encoded{missing}{dropped})"
    )
    if dataset.task == "classification":
        labels, counts = np.unique(dataset.y, return_counts=True)
        shown = ", ".join(
            f"{label} ({count})"
            for label, count in zip(labels[:10], counts[:10], strict=True)
        )
        more = f", ... ({len(labels)} classes)" if len(labels) > 10 else ""
        target = f"{len(labels)} classes: {shown}{more}"
        score, score_label = "accuracy", "test accuracy"
        folds = f"stratified {cv}-fold"
    else:
        y = dataset.y
        target = f"mean {y.mean():.4g}, std {y.std():.4g}, range [{y.min():.4g}, "
        target += f"{y.max():.4g}]"
        score, score_label = "r2", "test R²"
        folds = f"{cv}-fold"
    print(f"target {args.target!r}: {dataset.task} ({dataset.task_reason}); {target}")
    network = describe_network(dataset.task, max_iter=args.max_iter, seed=args.seed)
    print(
        f"{network}; {folds} cross-validation, mean ± std of the test {score} "
        "over the folds"
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
    parser = build_parser()
    args = parser.parse_args(argv)
    progress = _progress_printer(args.quiet)
    try:
        check_arguments(args)
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
            print(f"chart written to {args.plot}")
    except UsageError as error:
        parser.error(str(error))
    return 0
