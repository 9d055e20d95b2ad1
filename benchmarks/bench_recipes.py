"""Score skreg's training-recipe options on real tables, at equal epochs.

Each contender is one ``RegularizedMLPClassifier`` / ``RegularizedMLPRegressor``
configuration: the plain estimator, each recipe item alone (cosine schedule
with warmup, decoupled weight decay, Polyak averaging, label smoothing, early
stopping with best-epoch restore) and their combination. All share the
network, solver, epoch budget, batch size and seed, and the same
preprocessing; they are scored by outer 3-fold cross-validation (accuracy and
log-loss for classification, R^2 for regression) on small tables that
scikit-learn and statsmodels ship inside their packages, so nothing is
downloaded. Nothing is tuned: every recipe value is fixed in advance (see
``benchmarks/README.md``), so the outer test folds are never used to choose.

Run ``python benchmarks/bench_recipes.py --help`` for the options.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn import datasets as skdatasets
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, log_loss, r2_score
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skreg import RegularizedMLPClassifier, RegularizedMLPRegressor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _report import (  # noqa: E402
    blas_threads_limited,
    environment,
    print_environment,
)
from _report import fmt as _fmt  # noqa: E402
from _report import load_average as _load  # noqa: E402
from _report import render as _render  # noqa: E402

SEED = 0
N_FOLDS = 3
MAX_ROWS = 3000
HIDDEN = (64,)
BATCH_SIZE = 32
EPOCHS = 100
QUICK_EPOCHS = 5
TIE = 0.002

# The recipe values, fixed before any run (README.md says why).
WARMUP_FRACTION = 0.05  # warmup_epochs = 5 % of max_iter
WEIGHT_DECAY = 0.1
AVERAGE_FROM = 0.5  # average the iterates of the second half of the epochs
LABEL_SMOOTHING = 0.1
VALIDATION_FRACTION = 0.1
PATIENCE = 10  # n_iter_no_change of early stopping (skreg's default)


# -- tables -------------------------------------------------------------------


@dataclass
class Table:
    """One data set: ``X`` a DataFrame, ``y`` an array, the categorical
    columns to one-hot encode (all others are standardized)."""

    name: str
    source: str
    task: str  # "classification" or "regression"
    X: pd.DataFrame
    y: np.ndarray
    categorical: list[str] = field(default_factory=list)
    n_rows_original: int = 0

    @property
    def is_classifier(self) -> bool:
        return self.task == "classification"


def _sklearn_table(name: str, loader, task: str) -> Table:
    bunch = loader(as_frame=True)
    return Table(
        name,
        f"sklearn.datasets.{loader.__name__}",
        task,
        bunch.data,
        np.asarray(bunch.target),
    )


def _statsmodels_data(name: str) -> pd.DataFrame:
    import statsmodels.datasets as smd

    return getattr(smd, name).load_pandas().data.copy()


def _anes96() -> Table:
    # 1996 American National Election Study: vote (Clinton 0 / Dole 1) from
    # party identification, left-right placements, age, education, income.
    data = _statsmodels_data("anes96")
    y = data.pop("vote").astype(int).to_numpy()
    data = data.drop(columns=["popul"])  # logpopul carries it
    return Table("anes96", "statsmodels.datasets.anes96", "classification", data, y)


def _fair() -> Table:
    # Fair's 1978 affairs survey: any extramarital affair (affairs > 0), as
    # in statsmodels' logit example; the occupations are categories.
    data = _statsmodels_data("fair")
    y = (data.pop("affairs") > 0).astype(int).to_numpy()
    return Table(
        "fair",
        "statsmodels.datasets.fair",
        "classification",
        data,
        y,
        categorical=["occupation", "occupation_husb"],
    )


def _randhie() -> Table:
    # RAND health insurance experiment: log(1 + physician visits).
    data = _statsmodels_data("randhie")
    y = np.log1p(data.pop("mdvis").to_numpy(dtype=float))
    return Table("randhie", "statsmodels.datasets.randhie", "regression", data, y)


def _star98() -> Table:
    # California schools 1998: share of students above the national median
    # in math, from the school's demographics and resources.
    data = _statsmodels_data("star98")
    above, below = data.pop("NABOVE"), data.pop("NBELOW")
    y = (above / (above + below)).to_numpy()
    return Table("star98", "statsmodels.datasets.star98", "regression", data, y)


def _grunfeld() -> Table:
    # Grunfeld's investment panel: gross investment of 11 US firms, 1935-54.
    data = _statsmodels_data("grunfeld")
    y = data.pop("invest").to_numpy()
    data["firm"] = data["firm"].astype(str)
    return Table(
        "grunfeld",
        "statsmodels.datasets.grunfeld",
        "regression",
        data,
        y,
        categorical=["firm"],
    )


TABLE_LOADERS: dict[str, Callable[[], Table]] = {
    "iris": lambda: _sklearn_table("iris", skdatasets.load_iris, "classification"),
    "wine": lambda: _sklearn_table("wine", skdatasets.load_wine, "classification"),
    "breast_cancer": lambda: _sklearn_table(
        "breast_cancer", skdatasets.load_breast_cancer, "classification"
    ),
    "digits": lambda: _sklearn_table(
        "digits", skdatasets.load_digits, "classification"
    ),
    "anes96": _anes96,
    "fair": _fair,
    "diabetes": lambda: _sklearn_table(
        "diabetes", skdatasets.load_diabetes, "regression"
    ),
    "randhie": _randhie,
    "star98": _star98,
    "grunfeld": _grunfeld,
}
QUICK_TABLES = ("iris", "wine", "diabetes")


def load_table(name: str, max_rows: int = MAX_ROWS) -> Table:
    """The table, subsampled (stratified for classification) to ``max_rows``."""
    table = TABLE_LOADERS[name]()
    table.name = name
    table.X = table.X.reset_index(drop=True)
    table.n_rows_original = len(table.y)
    if len(table.y) > max_rows:
        keep, _ = train_test_split(
            np.arange(len(table.y)),
            train_size=max_rows,
            random_state=SEED,
            stratify=table.y if table.is_classifier else None,
        )
        keep = np.sort(keep)
        table.X = table.X.iloc[keep].reset_index(drop=True)
        table.y = table.y[keep]
    return table


# -- contenders ---------------------------------------------------------------

CONTENDERS: tuple[str, ...] = (
    "plain",
    "cosine",
    "wdecay",
    "average",
    "lsmooth",
    "early_stop",
    "all",
    "all_no_es",
)
#: What each contender adds to the plain estimator.
DESCRIPTIONS = {
    "plain": "defaults (L2 alpha=1e-4, constant rate 1e-3)",
    "cosine": "learning_rate='cosine', warmup_epochs=5% of max_iter",
    "wdecay": f"weight_decay={WEIGHT_DECAY:g}",
    "average": f"average after {AVERAGE_FROM:.0%} of the epochs' samples",
    "lsmooth": f"label_smoothing={LABEL_SMOOTHING:g} (classification only)",
    "early_stop": (
        f"early_stopping=True, scoring='loss', validation_fraction="
        f"{VALIDATION_FRACTION:g}, n_iter_no_change={PATIENCE}, best epoch restored"
    ),
    "all": "every item above together",
    "all_no_es": "every item but early stopping",
}
ITEMS = {
    "plain": (),
    "cosine": ("cosine",),
    "wdecay": ("wdecay",),
    "average": ("average",),
    "lsmooth": ("lsmooth",),
    "early_stop": ("early_stop",),
    "all": ("cosine", "wdecay", "average", "lsmooth", "early_stop"),
    "all_no_es": ("cosine", "wdecay", "average", "lsmooth"),
}


def applies(contender: str, table: Table) -> bool:
    return contender != "lsmooth" or table.is_classifier


def estimator_params(contender: str, table: Table, max_iter: int, n_train: int):
    """The estimator's parameters for one contender and an outer training fold
    of ``n_train`` rows."""
    items = ITEMS[contender]
    params = {
        "hidden_layer_sizes": HIDDEN,
        "solver": "adam",
        "max_iter": max_iter,
        "batch_size": BATCH_SIZE,
        # Equal epochs: no stop on the training loss, max_iter epochs run.
        "tol": 0.0,
        "n_iter_no_change": np.inf,
        "random_state": SEED,
    }
    n_fit = n_train  # rows the optimizer sees per epoch
    if "early_stop" in items:
        params.update(
            early_stopping=True,
            scoring="loss",
            validation_fraction=VALIDATION_FRACTION,
            n_iter_no_change=PATIENCE,
        )
        n_fit = n_train - math.ceil(VALIDATION_FRACTION * n_train)
    if "cosine" in items:
        params.update(learning_rate="cosine", warmup_epochs=WARMUP_FRACTION * max_iter)
    if "wdecay" in items:
        params["weight_decay"] = WEIGHT_DECAY
    if "average" in items:
        params["average"] = max(1, int(AVERAGE_FROM * max_iter * n_fit))
    if "lsmooth" in items and table.is_classifier:
        params["label_smoothing"] = LABEL_SMOOTHING
    return params


def make_model(contender: str, table: Table, max_iter: int, n_train: int):
    """The preprocessing and the estimator, one pipeline for every contender."""
    numeric = [c for c in table.X.columns if c not in table.categorical]
    pre = ColumnTransformer(
        [("num", StandardScaler(), numeric)]
        + (
            [
                (
                    "cat",
                    OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                    table.categorical,
                )
            ]
            if table.categorical
            else []
        )
    )
    params = estimator_params(contender, table, max_iter, n_train)
    cls = RegularizedMLPClassifier if table.is_classifier else RegularizedMLPRegressor
    model = Pipeline([("pre", pre), ("mlp", cls(**params))])
    if table.is_classifier:
        return model
    return TransformedTargetRegressor(regressor=model, transformer=StandardScaler())


def _mlp(model):
    if isinstance(model, TransformedTargetRegressor):
        return model.regressor_.named_steps["mlp"]
    return model.named_steps["mlp"]


# -- the protocol -------------------------------------------------------------


@dataclass
class FoldResult:
    table: str
    fold: int
    contender: str
    score: float  # accuracy or R^2
    log_loss: float | None
    fit_seconds: float
    n_iter: int


def run_table(
    table: Table, contenders, max_iter: int, log: Callable[[str], None]
) -> list[FoldResult]:
    if table.is_classifier:
        splitter = StratifiedKFold(N_FOLDS, shuffle=True, random_state=SEED)
    else:
        splitter = KFold(N_FOLDS, shuffle=True, random_state=SEED)
    results = []
    for fold, (train, test) in enumerate(splitter.split(table.X, table.y)):
        X_train, X_test = table.X.iloc[train], table.X.iloc[test]
        y_train, y_test = table.y[train], table.y[test]
        for contender in contenders:
            if not applies(contender, table):
                continue
            model = make_model(contender, table, max_iter, len(train))
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                model.fit(X_train, y_train)
            seconds = time.perf_counter() - start
            loss = None
            if table.is_classifier:
                score = accuracy_score(y_test, model.predict(X_test))
                proba = model.predict_proba(X_test)
                loss = log_loss(y_test, proba, labels=model.classes_)
            else:
                score = r2_score(y_test, model.predict(X_test))
            results.append(
                FoldResult(
                    table.name,
                    fold,
                    contender,
                    float(score),
                    None if loss is None else float(loss),
                    seconds,
                    int(_mlp(model).n_iter_),
                )
            )
        log(
            f"  [{table.name}] fold {fold + 1}/{N_FOLDS}: "
            + ", ".join(
                f"{r.contender} {r.score:.3f}" for r in results if r.fold == fold
            )
        )
    return results


# -- report ---------------------------------------------------------------------


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return float(np.mean(values)) if values else None


def aggregate(results: list[FoldResult], tables, contenders, attr: str = "score"):
    """``{table: {contender: mean over folds}}`` (contenders that apply)."""
    out: dict[str, dict[str, float | None]] = {}
    for table in tables:
        row = {}
        for contender in contenders:
            values = [
                getattr(r, attr)
                for r in results
                if r.table == table.name and r.contender == contender
            ]
            row[contender] = _mean(values) if values else None
        out[table.name] = row
    return out


def format_scores(tables, contenders, means, metric_of) -> str:
    rows = [("table", "task", "metric", *contenders)]
    for table in tables:
        rows.append(
            (
                table.name,
                "clf" if table.is_classifier else "reg",
                metric_of(table),
                *(_fmt(means[table.name][c]) for c in contenders),
            )
        )
    return _render(rows)


def summarize(tables, contenders, means, log_losses, results) -> list[dict]:
    """Per contender: wins/ties/losses against ``plain`` (by mean score per
    table, tie within ``TIE``), mean difference, total fit time, mean epochs."""
    summary = []
    for contender in contenders:
        diffs, loss_diffs = [], []
        for table in tables:
            ours = means[table.name].get(contender)
            base = means[table.name].get("plain")
            if ours is None or base is None:
                continue
            diffs.append(ours - base)
            if table.is_classifier:
                loss_diffs.append(
                    log_losses[table.name][contender] - log_losses[table.name]["plain"]
                )
        mine = [r for r in results if r.contender == contender]
        summary.append(
            {
                "contender": contender,
                "wins": sum(d > TIE for d in diffs),
                "ties": sum(abs(d) <= TIE for d in diffs),
                "losses": sum(d < -TIE for d in diffs),
                "mean_diff": _mean(diffs),
                "mean_log_loss_diff": _mean(loss_diffs),
                "fit_seconds": float(sum(r.fit_seconds for r in mine)),
                "mean_epochs": _mean([r.n_iter for r in mine]),
            }
        )
    return summary


def format_summary(summary: list[dict]) -> str:
    rows = [
        (
            "contender",
            "vs plain W/T/L",
            "mean diff",
            "mean dlogloss (clf)",
            "fit s (total)",
            "mean epochs",
        )
    ]
    for s in summary:
        plain = s["contender"] == "plain"
        rows.append(
            (
                s["contender"],
                "-" if plain else f"{s['wins']}/{s['ties']}/{s['losses']}",
                "-" if plain else _fmt(s["mean_diff"], "+.4f"),
                "-" if plain else _fmt(s["mean_log_loss_diff"], "+.4f"),
                f"{s['fit_seconds']:.1f}",
                _fmt(s["mean_epochs"], ".1f"),
            )
        )
    return _render(rows)


# -- command line -----------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Score skreg's training-recipe options on real tables at "
        "equal epochs (see benchmarks/README.md)."
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"{', '.join(QUICK_TABLES)} only, {QUICK_EPOCHS} epochs: a smoke test",
    )
    parser.add_argument(
        "--epochs",
        type=int,
        default=None,
        help=f"max_iter of every contender (default {EPOCHS}, {QUICK_EPOCHS} "
        "with --quick)",
    )
    parser.add_argument(
        "--tables",
        default=None,
        help="comma-separated subset of: " + ", ".join(TABLE_LOADERS),
    )
    parser.add_argument(
        "--max-rows",
        type=int,
        default=MAX_ROWS,
        help=f"subsample larger tables to this many rows (default {MAX_ROWS})",
    )
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=1,
        help="limit BLAS threads with threadpoolctl (default 1: the products are "
        "tiny; 0 for BLAS's own choice)",
    )
    parser.add_argument("--json", metavar="PATH", help="also write results as JSON")
    args = parser.parse_args(argv)
    if args.tables is None:
        names = list(QUICK_TABLES if args.quick else TABLE_LOADERS)
    else:
        names = [n.strip() for n in args.tables.split(",") if n.strip()]
    unknown = [n for n in names if n not in TABLE_LOADERS]
    if unknown or not names:
        parser.error(f"unknown table(s) {unknown}; choose from {list(TABLE_LOADERS)}")
    args.tables = names
    if args.epochs is None:
        args.epochs = QUICK_EPOCHS if args.quick else EPOCHS
    if args.epochs < 1 or args.max_rows < 10:
        parser.error("--epochs must be >= 1 and --max-rows >= 10")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)

    def log(message: str) -> None:
        print(message, flush=True)

    # --blas-threads 0 is BLAS's own choice.
    with blas_threads_limited(args.blas_threads or None):
        return _run(args, log)


def _run(args, log: Callable[[str], None]) -> int:
    start = time.perf_counter()
    load_start = _load()
    env = environment(("pandas", "statsmodels"))
    print_environment(env, log)
    log(
        f"epochs={args.epochs} hidden={HIDDEN} batch_size={BATCH_SIZE} "
        f"folds={N_FOLDS} max_rows={args.max_rows} quick={args.quick} "
        f"blas_threads={args.blas_threads or 'default'}"
    )
    tables = []
    for name in args.tables:
        table = load_table(name, args.max_rows)
        n_rows, n_cat = len(table.y), len(table.categorical)
        sampled = (
            f" (of {table.n_rows_original})" if n_rows < table.n_rows_original else ""
        )
        classes = f", {len(np.unique(table.y))} classes" if table.is_classifier else ""
        log(
            f"[{name}] {table.source}: {n_rows} rows{sampled}, {table.X.shape[1]} "
            f"columns ({n_cat} categorical), {table.task}{classes}"
        )
        tables.append(table)

    results: list[FoldResult] = []
    for table in tables:
        results += run_table(table, CONTENDERS, args.epochs, log)
    elapsed = time.perf_counter() - start
    load_end = _load()

    means = aggregate(results, tables, CONTENDERS)
    log_losses = aggregate(results, tables, CONTENDERS, "log_loss")
    summary = summarize(tables, CONTENDERS, means, log_losses, results)

    log("")
    log(
        f"Mean outer-fold score ({N_FOLDS} folds; accuracy for clf, R^2 for reg; "
        "higher is better)"
    )
    log(
        format_scores(
            tables,
            CONTENDERS,
            means,
            lambda t: "accuracy" if t.is_classifier else "R^2",
        )
    )
    clf_tables = [t for t in tables if t.is_classifier]
    if clf_tables:
        log("")
        log("Mean outer-fold log-loss (classification; lower is better)")
        log(format_scores(clf_tables, CONTENDERS, log_losses, lambda t: "log-loss"))
    log("")
    log(
        f"Summary against plain (per table, mean score; tie within {TIE}; "
        "dlogloss < 0 is better)"
    )
    log(format_summary(summary))
    log(
        f"\ntotal {elapsed:.1f}s; load average {_fmt(load_start, '.2f')} at start, "
        f"{_fmt(load_end, '.2f')} at end"
    )
    if args.json:
        payload = {
            "environment": env,
            "settings": {
                "quick": args.quick,
                "epochs": args.epochs,
                "tables": args.tables,
                "max_rows": args.max_rows,
                "blas_threads": args.blas_threads,
                "hidden_layer_sizes": HIDDEN,
                "batch_size": BATCH_SIZE,
                "folds": N_FOLDS,
                "contenders": {c: DESCRIPTIONS[c] for c in CONTENDERS},
            },
            "tables": [
                {
                    "name": t.name,
                    "source": t.source,
                    "task": t.task,
                    "rows": len(t.y),
                    "rows_original": t.n_rows_original,
                    "columns": t.X.shape[1],
                    "categorical": t.categorical,
                }
                for t in tables
            ],
            "elapsed_seconds": elapsed,
            "load_average": [load_start, load_end],
            "mean_scores": means,
            "mean_log_loss": {t.name: log_losses[t.name] for t in clf_tables},
            "summary": summary,
            "folds": [vars(r) for r in results],
        }
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(payload, f, indent=2, default=str)
        log(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
