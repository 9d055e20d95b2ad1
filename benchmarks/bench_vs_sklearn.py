"""Time skreg's MLPs against scikit-learn's on fixed work, in one process.

Every workload trains for a fixed number of epochs (``max_iter=N``, ``tol=0``,
``n_iter_no_change=inf``: no early stop, checked by ``n_iter_ == N``) and is
timed interleaved with its baseline, round after round, so that a change in
machine load hits both sides alike; medians are reported. Each workload also
gets a "GEMM ceiling": the time of only the matrix products that its epochs
need, on preallocated arrays, which no implementation of the same algorithm
can beat by much. See ``benchmarks/README.md`` for what every column means.

Run ``python benchmarks/bench_vs_sklearn.py --help`` for the options.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import statistics
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from unittest import mock

import numpy as np
import scipy
import scipy.optimize
import scipy.sparse as sp
from sklearn.datasets import (
    load_breast_cancer,
    load_digits,
    make_classification,
    make_regression,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler

from skreg import RegularizedMLPClassifier, RegularizedMLPRegressor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _report import (  # noqa: E402
    blas_threads_limited,
    environment,
    print_environment,
    warn_if_busy,
)
from _report import fmt as _fmt  # noqa: E402
from _report import load_average as _load  # noqa: E402

ALPHA = 1e-4
SEED = 0
#: Pause before each timed run. OpenBLAS's idle threads spin for about a
#: tenth of a second after their last product; on a 2-core machine the
#: threads left spinning by one contender's fit (or by the other BLAS library)
#: took a core from the next run's products, which then waited for each other
#: (a GEMM ceiling pass once took 15x its time). Every run starts settled.
SETTLE_SECONDS = 0.3


# -- data -----------------------------------------------------------------


@cache
def _dense_classification(n_samples: int, n_features: int, n_classes: int):
    return make_classification(
        n_samples=n_samples,
        n_features=n_features,
        n_informative=n_features // 2,
        n_redundant=n_features // 10,
        n_classes=n_classes,
        flip_y=0.05,
        random_state=SEED,
    )


@cache
def _dense_regression(n_samples: int, n_features: int):
    X, y = make_regression(
        n_samples=n_samples,
        n_features=n_features,
        n_informative=n_features // 2,
        noise=1.0,
        random_state=SEED,
    )
    # Standardized targets keep the loss O(1), as a user would prepare them.
    return X, (y - y.mean()) / y.std()


@cache
def _sparse_classification(
    n_samples: int, n_features: int, density: float, n_classes: int
):
    rng = np.random.default_rng(SEED)
    X = sp.random(
        n_samples, n_features, density=density, format="csr", random_state=rng
    )
    # Labels from a random linear score make the classes learnable.
    y = np.asarray(X @ rng.standard_normal((n_features, n_classes))).argmax(axis=1)
    return X, y


@cache
def _bundled(loader: Callable):
    """The table scikit-learn's ``loader`` returns, standardized (as a user
    would for an MLP)."""
    X, y = loader(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@dataclass(frozen=True)
class Size:
    n_samples: int
    n_features: int


@dataclass(frozen=True)
class Workload:
    """One benchmark row: the data, the network and what it must reach."""

    name: str
    description: str
    # "dense-classification", "regression", "sparse-classification", or
    # "bundled": the table scikit-learn's loader ``table`` returns
    task: str
    size: Size
    quick_size: Size
    hidden: tuple[int, ...]
    n_classes: int = 10
    density: float = 0.01
    dtype: type = np.float64
    solver: str = "adam"
    batch_size: int = 200
    skreg_params: dict = field(default_factory=dict)
    # "sklearn": compare with scikit-learn; "skreg-l2": with skreg's own
    # default (L2, no dropout) on the same data.
    baseline: str = "sklearn"
    max_ratio: float = 1.0
    min_gemm_fraction: float | None = None
    table: Callable | None = None
    # L-BFGS iterations when fixed by the workload (else --lbfgs-iter)
    lbfgs_iter: int | None = None
    # Compare seconds per evaluation of the objective (nfev) instead of per
    # fit: on a separable table scikit-learn's L-BFGS stops early on scipy's
    # relative-decrease rule (ftol), which skreg turns off, so the number of
    # iterations is not fixed; the work of one evaluation is.
    per_evaluation: bool = False

    def data(self, quick: bool):
        size = self.quick_size if quick else self.size
        if self.task == "bundled":
            X, y = _bundled(self.table)
        elif self.task == "dense-classification":
            X, y = _dense_classification(
                size.n_samples, size.n_features, self.n_classes
            )
        elif self.task == "regression":
            X, y = _dense_regression(size.n_samples, size.n_features)
        else:
            X, y = _sparse_classification(
                size.n_samples, size.n_features, self.density, self.n_classes
            )
        return X.astype(self.dtype, copy=False), y

    @property
    def is_classifier(self) -> bool:
        return self.task != "regression"

    @property
    def target(self) -> str:
        ratio = f"ratio<={self.max_ratio:g}"
        if self.per_evaluation:
            ratio = f"per nfev {ratio}"
        if self.baseline == "skreg-l2":
            ratio = f"vs skreg-l2 {ratio}"
        if self.min_gemm_fraction is None:
            return ratio
        return f"{ratio} & gemm>={self.min_gemm_fraction:g}"


def _lbfgs_bundled(name: str, loader: Callable) -> Workload:
    """L-BFGS, 200 iterations, on the whole standardized table ``loader``
    returns (in --quick too: it is small), timed per evaluation."""
    # The size and description come from the table itself, so they cannot
    # drift from it; ``_bundled`` keeps the table for the runs.
    X, y = _bundled(loader)
    size = Size(*X.shape)
    table = loader.__name__.removeprefix("load_").replace("_", " ")
    return Workload(
        name,
        f"lbfgs, {table} ({size.n_samples:,} x {size.n_features}, standardized), "
        "hidden (64,), 200 iterations",
        "bundled",
        size,
        size,
        (64,),
        n_classes=len(np.unique(y)),
        solver="lbfgs",
        max_ratio=0.20,
        table=loader,
        lbfgs_iter=200,
        per_evaluation=True,
    )


WORKLOADS: tuple[Workload, ...] = (
    Workload(
        "dense64",
        "dense float64, 50,000 x 100, 10 classes, hidden (256, 128), adam, batch 200",
        "dense-classification",
        Size(50_000, 100),
        Size(2_000, 100),
        (256, 128),
        max_ratio=0.75,
        min_gemm_fraction=0.60,
    ),
    Workload(
        "dense32",
        "dense float32, 50,000 x 100, 10 classes, hidden (256, 128), adam, batch 200",
        "dense-classification",
        Size(50_000, 100),
        Size(2_000, 100),
        (256, 128),
        dtype=np.float32,
        max_ratio=0.55,
        min_gemm_fraction=0.50,
    ),
    Workload(
        "sparse",
        "sparse CSR, 20,000 x 5,000 at 1% density, 5 classes, hidden (128,), adam",
        "sparse-classification",
        Size(20_000, 5_000),
        Size(1_000, 500),
        (128,),
        n_classes=5,
        max_ratio=0.85,
    ),
    Workload(
        "regression",
        "regression, 50,000 x 100, hidden (256, 128), adam, batch 200",
        "regression",
        Size(50_000, 100),
        Size(2_000, 100),
        (256, 128),
        max_ratio=0.75,
        min_gemm_fraction=0.60,
    ),
    Workload(
        "lbfgs",
        "lbfgs, 10,000 x 50, 5 classes, hidden (64,), 50 iterations",
        "dense-classification",
        Size(10_000, 50),
        Size(1_000, 50),
        (64,),
        n_classes=5,
        solver="lbfgs",
        max_ratio=0.22,
        min_gemm_fraction=1 / 1.6,
    ),
    _lbfgs_bundled("lbfgs_cancer", load_breast_cancer),
    _lbfgs_bundled("lbfgs_digits", load_digits),
    Workload(
        "l1_dropout",
        "dense64 with penalty='l1', dropout=0.5, against skreg's own L2 time",
        "dense-classification",
        Size(50_000, 100),
        Size(2_000, 100),
        (256, 128),
        skreg_params={"penalty": "l1", "dropout": 0.5},
        baseline="skreg-l2",
        max_ratio=1.25,
    ),
)
WORKLOADS_BY_NAME = {w.name: w for w in WORKLOADS}
QUICK_LBFGS_ITER = 5


# -- estimators -------------------------------------------------------------


def _common_params(workload: Workload, max_iter: int) -> dict:
    return {
        "hidden_layer_sizes": workload.hidden,
        "solver": workload.solver,
        "alpha": ALPHA,
        "batch_size": workload.batch_size,
        "max_iter": max_iter,
        # No early stop: every run does exactly max_iter epochs (asserted).
        "tol": 0.0,
        "n_iter_no_change": np.inf,
        "random_state": SEED,
    }


def _make_estimator(kind: str, workload: Workload, max_iter: int):
    """``kind`` is "sklearn", "skreg" (the workload's settings) or "skreg-l2"."""
    params = _common_params(workload, max_iter)
    if kind == "sklearn":
        cls = MLPClassifier if workload.is_classifier else MLPRegressor
        return cls(**params)
    cls = (
        RegularizedMLPClassifier if workload.is_classifier else RegularizedMLPRegressor
    )
    if kind == "skreg":
        params.update(workload.skreg_params)
    return cls(**params)


def _fit(estimator, X, y, expected_iter: int, at_most: bool = False) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        estimator.fit(X, y)
    if estimator.n_iter_ > expected_iter or (
        estimator.n_iter_ != expected_iter and not at_most
    ):
        raise RuntimeError(
            f"{type(estimator).__name__} ran {estimator.n_iter_} iterations instead "
            f"of {expected_iter}: the work is not fixed and the timing is invalid."
        )


def time_fit(kind: str, workload: Workload, X, y, max_iter: int) -> float:
    """Seconds of one ``fit`` (estimator construction excluded)."""
    estimator = _make_estimator(kind, workload, max_iter)
    gc.collect()
    time.sleep(SETTLE_SECONDS)
    start = time.perf_counter()
    _fit(estimator, X, y, max_iter, at_most=workload.per_evaluation)
    return time.perf_counter() - start


@contextlib.contextmanager
def _count_lbfgs_evaluations(counts: list[int]):
    """Record ``nfev`` of every ``scipy.optimize.minimize`` call in the block.

    scikit-learn calls ``scipy.optimize.minimize`` through the module; skreg
    imported the name, so its module attribute is patched too when present.
    """
    original = scipy.optimize.minimize

    def counting(*args, **kwargs):
        result = original(*args, **kwargs)
        counts.append(int(result.nfev))
        return result

    with mock.patch("scipy.optimize.minimize", counting):
        try:
            import skreg.solvers.lbfgs as skreg_lbfgs
        except ImportError:
            skreg_lbfgs = None
        if skreg_lbfgs is not None and hasattr(skreg_lbfgs, "minimize"):
            with mock.patch.object(skreg_lbfgs, "minimize", counting):
                yield
        else:
            yield


def measure_fit_memory(kind: str, workload: Workload, X, y, max_iter: int):
    """Peak traced memory (bytes) of one ``fit``, and L-BFGS's ``nfev``.

    tracemalloc sees every Python and NumPy allocation (NumPy reports its
    data buffers to it), not BLAS's internal work buffers. It slows Python
    code, so this run is separate from the timed ones.
    """
    estimator = _make_estimator(kind, workload, max_iter)
    counts: list[int] = []
    gc.collect()
    with _count_lbfgs_evaluations(counts):
        tracemalloc.start()
        try:
            _fit(estimator, X, y, max_iter, at_most=workload.per_evaluation)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    return peak, (sum(counts) if counts else None)


# -- the GEMM ceiling ---------------------------------------------------------


def _batch_sizes(n_samples: int, batch_size: int) -> list[int]:
    full, rest = divmod(n_samples, batch_size)
    return [batch_size] * full + ([rest] if rest else [])


class GemmCeiling:
    """The matrix products of one pass over the data, on preallocated arrays.

    Per batch, forward ``A[i] @ W[i]`` for every layer (``A[0]`` is the batch
    of X), backward ``A[i].T @ D[i+1]`` (weight gradients) for every layer and
    ``D[i+1] @ W[i].T`` for every layer but the first. Dense products write
    into their outputs with ``np.matmul(out=...)``; a sparse X uses scipy's
    products on batches sliced beforehand (these allocate their results).
    """

    def __init__(self, X, layer_units, batch_size: int, dtype) -> None:
        rng = np.random.default_rng(SEED)
        self.sparse = sp.issparse(X)
        self.units = list(layer_units)
        self.weights = [
            rng.standard_normal((a, b)).astype(dtype)
            for a, b in zip(self.units[:-1], self.units[1:], strict=True)
        ]
        self.grads = [np.empty_like(w) for w in self.weights]
        self.batches = []
        start = 0
        for size in _batch_sizes(X.shape[0], batch_size):
            stop = start + size
            if self.sparse:
                first = X[start:stop]
            else:
                first = rng.standard_normal((size, self.units[0])).astype(dtype)
            acts = [first] + [np.empty((size, u), dtype) for u in self.units[1:]]
            deltas = [None] + [np.empty((size, u), dtype) for u in self.units[1:]]
            self.batches.append((acts, deltas))
            start = stop
        for _, deltas in self.batches:
            for d in deltas[1:]:
                d[...] = rng.standard_normal(d.shape)

    def run_pass(self) -> float:
        """Seconds of the products of one full pass (one epoch)."""
        time.sleep(SETTLE_SECONDS)
        start = time.perf_counter()
        n_layers = len(self.weights)
        for acts, deltas in self.batches:
            for i, w in enumerate(self.weights):
                if i == 0 and self.sparse:
                    acts[1][...] = acts[0] @ w
                else:
                    np.matmul(acts[i], w, out=acts[i + 1])
            for i in range(n_layers - 1, -1, -1):
                if i == 0 and self.sparse:
                    self.grads[0][...] = acts[0].T @ deltas[1]
                else:
                    np.matmul(acts[i].T, deltas[i + 1], out=self.grads[i])
                if i > 0:
                    np.matmul(deltas[i + 1], self.weights[i].T, out=deltas[i])
        return time.perf_counter() - start


# -- one workload ------------------------------------------------------------


@dataclass
class Result:
    name: str
    description: str
    baseline: str
    target: str
    n_iter: int
    baseline_seconds: float
    skreg_seconds: float
    ratio: float
    gemm_seconds: float | None
    gemm_fraction: float | None
    passed: bool
    baseline_peak_mib: float | None = None
    skreg_peak_mib: float | None = None
    data_mib: float = 0.0
    baseline_nfev: int | None = None
    skreg_nfev: int | None = None
    baseline_times: list[float] = field(default_factory=list)
    skreg_times: list[float] = field(default_factory=list)
    gemm_times: list[float] = field(default_factory=list)


def _nbytes(X) -> int:
    if sp.issparse(X):
        return X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
    return X.nbytes


def _layer_units(workload: Workload, X, y) -> list[int]:
    if workload.is_classifier:
        n_classes = np.unique(y).size
        n_outputs = 1 if n_classes == 2 else n_classes
    else:
        n_outputs = 1 if np.ndim(y) == 1 else y.shape[1]
    return [X.shape[1], *workload.hidden, n_outputs]


def run_workload(
    workload: Workload,
    *,
    quick: bool,
    epochs: int,
    repeats: int,
    lbfgs_iter: int,
    memory: bool,
    log: Callable[[str], None],
) -> Result:
    X, y = workload.data(quick)
    log(f"  X: {X.shape[0]} x {X.shape[1]} {X.dtype}{' CSR' if sp.issparse(X) else ''}")
    n_iter = epochs
    if workload.solver == "lbfgs":
        n_iter = lbfgs_iter
        if workload.lbfgs_iter is not None and not quick:
            n_iter = workload.lbfgs_iter
    baseline = workload.baseline
    kinds = (baseline, "skreg")

    # Warm-up on a slice: imports, BLAS threads and first-call caches.
    warm = min(X.shape[0], 1_000)
    for kind in kinds:
        time_fit(kind, workload, X[:warm], y[:warm], 1)

    # L-BFGS evaluates the objective nfev times (>= iterations): the ceiling
    # needs that count, which the memory run records.
    peaks: dict[str, float | None] = {kind: None for kind in kinds}
    nfev: dict[str, int | None] = {kind: None for kind in kinds}
    if memory or workload.solver == "lbfgs":
        # Memory does not grow with the epochs: one epoch shows the peak.
        mem_iter = n_iter if workload.solver == "lbfgs" else 1
        for kind in kinds:
            peak, count = measure_fit_memory(kind, workload, X, y, mem_iter)
            peaks[kind] = peak / 2**20 if memory else None
            nfev[kind] = count

    batch = X.shape[0] if workload.solver == "lbfgs" else workload.batch_size
    ceiling = GemmCeiling(X, _layer_units(workload, X, y), batch, X.dtype)
    ceiling.run_pass()  # warm-up
    passes = n_iter
    if workload.solver == "lbfgs":
        passes = nfev["skreg"] if nfev["skreg"] is not None else n_iter

    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    gemm_times: list[float] = []
    for round_ in range(repeats):
        # ABBA order: alternating who goes first cancels a drift in load.
        order = kinds if round_ % 2 == 0 else kinds[::-1]
        for kind in order:
            times[kind].append(time_fit(kind, workload, X, y, n_iter))
        gemm_times.append(ceiling.run_pass() * passes)
        log(
            f"  round {round_ + 1}/{repeats}: "
            + ", ".join(f"{k} {times[k][-1]:.3f}s" for k in kinds)
            + f", gemm {gemm_times[-1]:.3f}s"
        )

    base_s = statistics.median(times[baseline])
    skreg_s = statistics.median(times["skreg"])
    gemm_s = statistics.median(gemm_times)
    ratio = skreg_s / base_s
    if workload.per_evaluation:
        ratio *= nfev[baseline] / nfev["skreg"]
    gemm_fraction = gemm_s / skreg_s
    passed = ratio <= workload.max_ratio and (
        workload.min_gemm_fraction is None
        or gemm_fraction >= workload.min_gemm_fraction
    )
    return Result(
        name=workload.name,
        description=workload.description,
        baseline=baseline,
        target=workload.target,
        n_iter=n_iter,
        baseline_seconds=base_s,
        skreg_seconds=skreg_s,
        ratio=ratio,
        gemm_seconds=gemm_s,
        gemm_fraction=gemm_fraction,
        passed=passed,
        baseline_peak_mib=peaks[baseline],
        skreg_peak_mib=peaks["skreg"],
        data_mib=_nbytes(X) / 2**20,
        baseline_nfev=nfev[baseline],
        skreg_nfev=nfev["skreg"],
        baseline_times=times[baseline],
        skreg_times=times["skreg"],
        gemm_times=gemm_times,
    )


# -- report --------------------------------------------------------------------


def format_table(results: list[Result]) -> str:
    header = (
        "workload",
        "iters",
        "baseline",
        "base s",
        "skreg s",
        "ratio",
        "gemm s",
        "gemm frac",
        "target",
        "result",
        "peak MiB base/skreg",
        "data MiB",
    )
    rows = [header]
    for r in results:
        iters = str(r.n_iter)
        if r.skreg_nfev is not None:
            iters += f" (nfev {_fmt(r.baseline_nfev, 'd')}/{r.skreg_nfev})"
        rows.append(
            (
                r.name,
                iters,
                r.baseline,
                f"{r.baseline_seconds:.3f}",
                f"{r.skreg_seconds:.3f}",
                f"{r.ratio:.2f}",
                _fmt(r.gemm_seconds, ".3f"),
                _fmt(r.gemm_fraction, ".2f"),
                r.target,
                "PASS" if r.passed else "FAIL",
                f"{_fmt(r.baseline_peak_mib, '.1f')}/{_fmt(r.skreg_peak_mib, '.1f')}",
                f"{r.data_mib:.1f}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Benchmark skreg's MLPs against scikit-learn's (see README.md)."
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny data, 1 epoch, 1 repeat, lbfgs 5 iterations, 1 BLAS thread: "
        "a smoke test",
    )
    parser.add_argument(
        "--epochs", type=int, default=None, help="epochs per fit (default 2)"
    )
    parser.add_argument(
        "--repeats", type=int, default=None, help="timed rounds (default 3)"
    )
    parser.add_argument(
        "--lbfgs-iter",
        type=int,
        default=None,
        help="L-BFGS iterations of the lbfgs workload (default 50; the bundled "
        "tables run 200, 5 with --quick)",
    )
    parser.add_argument(
        "--workloads",
        default=",".join(WORKLOADS_BY_NAME),
        help="comma-separated subset of: " + ", ".join(WORKLOADS_BY_NAME),
    )
    parser.add_argument(
        "--no-memory", action="store_true", help="skip the tracemalloc runs"
    )
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=None,
        help="limit BLAS threads (threadpoolctl); default: BLAS's own choice, "
        "1 with --quick",
    )
    parser.add_argument("--json", metavar="PATH", help="also write results as JSON")
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit with status 1 when a workload misses its target",
    )
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.workloads.split(",") if n.strip()]
    unknown = [n for n in names if n not in WORKLOADS_BY_NAME]
    if unknown or not names:
        parser.error(
            f"unknown workload(s) {unknown}; choose from {list(WORKLOADS_BY_NAME)}"
        )
    args.workloads = names
    if args.epochs is None:
        args.epochs = 1 if args.quick else 2
    if args.repeats is None:
        args.repeats = 1 if args.quick else 3
    if args.blas_threads is None and args.quick:
        # Tiny products gain nothing from threads, and oversubscribed OpenBLAS
        # threads (under pytest-xdist, or a busy machine) make them very slow.
        args.blas_threads = 1
    if args.lbfgs_iter is None:
        args.lbfgs_iter = QUICK_LBFGS_ITER if args.quick else 50
    if min(args.epochs, args.repeats, args.lbfgs_iter) < 1:
        parser.error("--epochs, --repeats and --lbfgs-iter must be >= 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)

    def log(message: str) -> None:
        print(message, flush=True)

    with blas_threads_limited(args.blas_threads):
        return _run(args, log)


def _run(args, log: Callable[[str], None]) -> int:
    start = time.perf_counter()
    load_start = _load()
    env = environment()
    print_environment(env, log)
    warn_if_busy(
        load_start, log, "interleaving keeps the ratios fair but the seconds are noisy"
    )
    log(
        f"epochs={args.epochs} repeats={args.repeats} lbfgs_iter={args.lbfgs_iter} "
        f"quick={args.quick} blas_threads={args.blas_threads or 'default'}"
    )
    results = []
    for name in args.workloads:
        workload = WORKLOADS_BY_NAME[name]
        log(f"[{name}] {workload.description}")
        result = run_workload(
            workload,
            quick=args.quick,
            epochs=args.epochs,
            repeats=args.repeats,
            lbfgs_iter=args.lbfgs_iter,
            memory=not args.no_memory,
            log=log,
        )
        log(
            f"[{name}] median {result.baseline} {result.baseline_seconds:.3f}s, "
            f"skreg {result.skreg_seconds:.3f}s, ratio {result.ratio:.2f}, "
            f"gemm fraction {_fmt(result.gemm_fraction, '.2f')}"
        )
        results.append(result)
    elapsed = time.perf_counter() - start
    load_end = _load()
    log("")
    log(format_table(results))
    n_passed = sum(r.passed for r in results)
    log(
        f"\n{n_passed}/{len(results)} targets met; total {elapsed:.1f}s; "
        f"load average {_fmt(load_start, '.2f')} at start, "
        f"{_fmt(load_end, '.2f')} at end"
    )
    if args.json:
        payload = {
            "environment": env,
            "settings": {
                "quick": args.quick,
                "epochs": args.epochs,
                "repeats": args.repeats,
                "lbfgs_iter": args.lbfgs_iter,
                "blas_threads": args.blas_threads,
                "alpha": ALPHA,
            },
            "elapsed_seconds": elapsed,
            "load_average": [load_start, load_end],
            "results": [vars(r) for r in results],
        }
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(payload, f, indent=2, default=str)
        log(f"results written to {args.json}")
    if args.check and n_passed < len(results):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
