"""How skreg's cost grows with the data: seconds per epoch and peak memory.

Four series, all on float32 data with 10 classes, adam, batch 200,
``alpha=1e-4``, ``random_state=0`` and a fixed number of epochs (``tol=0``,
``n_iter_no_change=inf``: no early stop, checked by ``n_iter_``):

``rows``
    Dense data, 100 features, hidden (256, 128), from 10,000 to 1,000,000
    rows; skreg and scikit-learn's ``MLPClassifier``, interleaved.
``width``
    100,000 of those rows, hidden ``(w, w // 2)`` for ``w`` from 64 to 1024.
``sparse``
    CSR data, 10,000 features at densities 0.1 % and 1 %, hidden (256, 128),
    from 10,000 to 100,000 rows.
``streaming``
    1,000,000 rows written to a ``.npy`` file, memory-mapped and streamed
    through ``partial_fit`` in chunks of 50,000 rows; its peak memory is
    checked against one chunk plus the model (at most 2x).

Seconds per epoch are the median seconds of one ``fit`` divided by its
epochs; the slope of log(seconds per epoch) on log(rows) (or log(width)) is
fitted by least squares. See ``benchmarks/README.md`` for what each number
means.

Run ``python benchmarks/bench_scaling.py --help`` for the options.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import mmap
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from skreg import RegularizedMLPClassifier

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _report import (  # noqa: E402
    blas_threads_limited,
    environment,
    print_environment,
    warn_if_busy,
)
from _report import fmt as _fmt  # noqa: E402
from _report import load_average as _load  # noqa: E402
from _report import render as _render  # noqa: E402

SEED = 0
ALPHA = 1e-4
BATCH_SIZE = 200
N_FEATURES = 100
N_CLASSES = 10
HIDDEN = (256, 128)
#: Rows generated per block, each block from its own seed: a prefix of a
#: larger table equals the smaller table, and the streamed file holds the
#: same rows as the in-memory series.
BLOCK_ROWS = 10_000
#: The streaming run's peak memory may be at most this multiple of one chunk
#: plus the model.
MAX_STREAM_RATIO = 2.0
#: Pause before each timed run: OpenBLAS's idle threads spin for about a
#: tenth of a second after their last product (see bench_vs_sklearn.py).
SETTLE_SECONDS = 0.3
SERIES = ("rows", "width", "sparse", "streaming")
ESTIMATORS = ("skreg", "sklearn")


@dataclass(frozen=True)
class Sizes:
    """The sizes of every series (the defaults, or --quick's)."""

    rows: tuple[int, ...]
    width_rows: int
    widths: tuple[int, ...]
    sparse_rows: tuple[int, ...]
    sparse_features: int
    densities: tuple[float, ...]
    stream_rows: int
    chunk_rows: int


FULL = Sizes(
    rows=(10_000, 30_000, 100_000, 300_000, 1_000_000),
    width_rows=100_000,
    widths=(64, 128, 256, 512, 1024),
    sparse_rows=(10_000, 30_000, 100_000),
    sparse_features=10_000,
    densities=(0.001, 0.01),
    stream_rows=1_000_000,
    chunk_rows=50_000,
)
QUICK = Sizes(
    rows=(2_000, 4_000, 8_000),
    width_rows=4_000,
    widths=(64, 128),
    sparse_rows=(2_000, 4_000),
    sparse_features=1_000,
    densities=(0.001, 0.01),
    stream_rows=20_000,
    chunk_rows=5_000,
)


# -- data ---------------------------------------------------------------------


def _label_weights(n_features: int) -> np.ndarray:
    """The fixed linear score whose argmax (plus noise) is the label."""
    rng = np.random.default_rng([SEED, n_features])
    W = rng.standard_normal((n_features, N_CLASSES), dtype=np.float32)
    W /= np.float32(math.sqrt(n_features))
    return W


def _labels(scores: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    # Noise of half the scores' scale: learnable, not separable.
    scores += rng.standard_normal(scores.shape, dtype=np.float32) * np.float32(0.5)
    return scores.argmax(axis=1)


def fill_dense(X: np.ndarray, y: np.ndarray) -> None:
    """Fill ``X`` (float32, C-contiguous; an array or a memory map) and ``y``
    block by block, in place: no full-size temporary, no float64."""
    W = _label_weights(X.shape[1])
    for k, start in enumerate(range(0, X.shape[0], BLOCK_ROWS)):
        stop = min(start + BLOCK_ROWS, X.shape[0])
        rng = np.random.default_rng([SEED, 0, k])
        block = X[start:stop]
        rng.standard_normal(out=block, dtype=np.float32)
        y[start:stop] = _labels(block @ W, rng)


def dense_data(n_samples: int, n_features: int = N_FEATURES):
    X = np.empty((n_samples, n_features), dtype=np.float32)
    y = np.empty(n_samples, dtype=np.int64)
    fill_dense(X, y)
    return X, y


def sparse_data(n_samples: int, n_features: int, density: float):
    """CSR float32 with ``round(density * n_features)`` entries drawn per row
    (duplicate columns summed, so a few rows have one or two fewer)."""
    per_row = max(1, round(density * n_features))
    W = _label_weights(n_features)
    blocks, labels = [], []
    for k, start in enumerate(range(0, n_samples, BLOCK_ROWS)):
        rows = min(BLOCK_ROWS, n_samples - start)
        rng = np.random.default_rng([SEED, 1, k])
        cols = rng.integers(0, n_features, size=(rows, per_row), dtype=np.int32)
        cols.sort(axis=1)
        values = rng.standard_normal((rows, per_row), dtype=np.float32)
        indptr = np.arange(0, rows * per_row + 1, per_row, dtype=np.int32)
        block = sp.csr_matrix(
            (values.ravel(), cols.ravel(), indptr), shape=(rows, n_features)
        )
        block.sum_duplicates()
        blocks.append(block)
        labels.append(_labels(np.asarray(block @ W), rng))
    return sp.vstack(blocks, format="csr"), np.concatenate(labels)


def _nbytes(X) -> int:
    if sp.issparse(X):
        return X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
    return X.nbytes


# -- estimators -----------------------------------------------------------------


def _params(hidden: tuple[int, ...], epochs: int) -> dict:
    return {
        "hidden_layer_sizes": hidden,
        "solver": "adam",
        "alpha": ALPHA,
        "batch_size": BATCH_SIZE,
        "max_iter": epochs,
        # No early stop: every fit runs exactly `epochs` epochs (checked).
        "tol": 0.0,
        "n_iter_no_change": np.inf,
        "random_state": SEED,
    }


def _make_estimator(kind: str, hidden: tuple[int, ...], epochs: int):
    cls = RegularizedMLPClassifier if kind == "skreg" else MLPClassifier
    return cls(**_params(hidden, epochs))


def _fit(estimator, X, y, epochs: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        estimator.fit(X, y)
    if estimator.n_iter_ != epochs:
        raise RuntimeError(
            f"{type(estimator).__name__} ran {estimator.n_iter_} epochs instead of "
            f"{epochs}: the work is not fixed and the timing is invalid."
        )


def time_fit(kind: str, hidden, X, y, epochs: int) -> tuple[float, str]:
    """Seconds of one ``fit`` (construction excluded) and the dtype it
    trained in."""
    estimator = _make_estimator(kind, hidden, epochs)
    gc.collect()
    time.sleep(SETTLE_SECONDS)
    start = time.perf_counter()
    _fit(estimator, X, y, epochs)
    seconds = time.perf_counter() - start
    return seconds, str(estimator.coefs_[0].dtype)


def fit_peak_memory(kind: str, hidden, X, y) -> int:
    """tracemalloc's peak (bytes) during one separate, untimed one-epoch fit:
    every NumPy and Python allocation of the fit, not the input data that
    exists before it, nor BLAS's internal buffers."""
    estimator = _make_estimator(kind, hidden, 1)
    gc.collect()
    tracemalloc.start()
    try:
        _fit(estimator, X, y, 1)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# -- the series ---------------------------------------------------------------


@dataclass
class Point:
    """One estimator on one size of one series."""

    series: str
    estimator: str
    n_samples: int
    n_features: int
    hidden: tuple[int, ...]
    epochs: int
    data_mib: float
    #: the actual density of a sparse X, and the one asked for
    density: float | None = None
    nominal_density: float | None = None
    dtype: str = ""
    seconds: list[float] = field(default_factory=list)
    seconds_per_epoch: float = 0.0
    rows_per_second: float = 0.0
    peak_mib: float | None = None

    def finish(self) -> None:
        self.seconds_per_epoch = statistics.median(self.seconds) / self.epochs
        self.rows_per_second = self.n_samples / self.seconds_per_epoch


def _measure(
    points: list[Point], X, y, *, repeats: int, memory: bool, log: Callable
) -> None:
    """Time the points (one size, one estimator each) on the same data,
    interleaved round after round (ABBA order), after a memory run each."""
    for p in points:
        if memory:
            p.peak_mib = fit_peak_memory(p.estimator, p.hidden, X, y) / 2**20
    for round_ in range(repeats):
        order = points if round_ % 2 == 0 else points[::-1]
        for p in order:
            seconds, p.dtype = time_fit(p.estimator, p.hidden, X, y, p.epochs)
            p.seconds.append(seconds)
    for p in points:
        p.finish()
        log(
            f"  [{p.series}] {p.estimator:7s} {p.n_samples:>9,} x {p.n_features:<6,}"
            f" hidden {p.hidden}"
            + (f" density {p.density:.4%}" if p.density is not None else "")
            + f": {p.seconds_per_epoch:.3f} s/epoch, peak "
            f"{_fmt(p.peak_mib, '.1f')} MiB ({p.dtype}; fits "
            + ", ".join(f"{s:.2f}" for s in p.seconds)
            + " s)"
        )


def _warm_up(kinds, X, y) -> None:
    """Imports, BLAS threads and first-call caches, on a slice."""
    for kind in kinds:
        time_fit(kind, HIDDEN, X[:1_000], y[:1_000], 1)


def run_rows(args, X_all, y_all, log) -> list[Point]:
    points = []
    for n in args.sizes.rows:
        X, y = X_all[:n], y_all[:n]
        kinds = [
            k for k in args.estimators if k == "skreg" or n <= args.sklearn_max_rows
        ]
        here = [
            Point("rows", k, n, X.shape[1], HIDDEN, args.epochs, X.nbytes / 2**20)
            for k in kinds
        ]
        _measure(here, X, y, repeats=args.repeats, memory=args.memory, log=log)
        points += here
    return points


def run_width(args, X_all, y_all, log) -> list[Point]:
    n = args.sizes.width_rows
    X, y = X_all[:n], y_all[:n]
    points = []
    for w in args.sizes.widths:
        p = Point("width", "skreg", n, X.shape[1], (w, w // 2), args.epochs, 0.0)
        p.data_mib = X.nbytes / 2**20
        _measure([p], X, y, repeats=args.repeats, memory=args.memory, log=log)
        points.append(p)
    return points


def run_sparse(args, log) -> list[Point]:
    points = []
    sizes = args.sizes
    for density in sizes.densities:
        X_all, y_all = sparse_data(
            max(sizes.sparse_rows), sizes.sparse_features, density
        )
        for n in sizes.sparse_rows:
            X, y = X_all[:n], y_all[:n]
            actual = X.nnz / (X.shape[0] * X.shape[1])
            p = Point(
                "sparse",
                "skreg",
                n,
                X.shape[1],
                HIDDEN,
                args.epochs,
                _nbytes(X) / 2**20,
                density=actual,
                nominal_density=density,
            )
            _measure([p], X, y, repeats=args.repeats, memory=args.memory, log=log)
            points.append(p)
        del X_all, y_all
    return points


@dataclass
class Slope:
    """Least-squares slope of log(seconds per epoch) on log(x)."""

    series: str
    estimator: str
    x: str
    slope: float
    density: float | None = None
    n_points: int = 0


def _slope(xs, ys) -> float:
    return float(np.polyfit(np.log(xs), np.log(ys), 1)[0])


def fit_slopes(points: list[Point]) -> list[Slope]:
    groups: dict[tuple, list[Point]] = {}
    for p in points:
        groups.setdefault((p.series, p.estimator, p.nominal_density), []).append(p)
    slopes = []
    for (series, estimator, density), group in groups.items():
        if len(group) < 2:
            continue
        x = "width" if series == "width" else "rows"
        xs = [g.hidden[0] if x == "width" else g.n_samples for g in group]
        slope = _slope(xs, [g.seconds_per_epoch for g in group])
        slopes.append(Slope(series, estimator, x, slope, density, len(group)))
    return slopes


# -- streaming through partial_fit ----------------------------------------------


def _proc_status_kib(name: str) -> int | None:
    """A ``/proc/self/status`` field in KiB (Linux only)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(name + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak_rss() -> bool:
    """Set the process's peak RSS (VmHWM) to its current RSS (Linux >= 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        return False
    return _proc_status_kib("VmHWM") is not None


def _drop_mapped_pages(*arrays) -> None:
    """Take the file pages that reading a memory map made resident out of the
    process's RSS (they stay in the page cache, which is the kernel's)."""
    for a in arrays:
        m = getattr(a, "_mmap", None)
        if m is not None and hasattr(m, "madvise"):
            m.madvise(mmap.MADV_DONTNEED)


@dataclass
class Streaming:
    n_samples: int
    n_features: int
    chunk_rows: int
    n_chunks: int
    hidden: tuple[int, ...]
    file_mib: float
    chunk_mib: float
    model_mib: float
    bound_mib: float
    seconds: float
    rows_per_second: float
    peak_rss_mib: float | None
    peak_traced_mib: float | None
    measure: str
    peak_mib: float
    ratio: float
    max_ratio: float
    passed: bool
    loss: float
    accuracy_first_chunk: float


def _stream(estimator, X, y, chunk_rows: int, classes) -> None:
    """One pass over the memory maps, one ``partial_fit`` per chunk: only
    the chunk being trained on is resident."""
    for start in range(0, X.shape[0], chunk_rows):
        stop = min(start + chunk_rows, X.shape[0])
        # np.asarray: an ndarray view of the mapped pages, not a copy.
        estimator.partial_fit(
            np.asarray(X[start:stop]), np.asarray(y[start:stop]), classes=classes
        )
        _drop_mapped_pages(X, y)


def run_streaming(args, log) -> Streaming:
    sizes = args.sizes
    n, chunk = sizes.stream_rows, sizes.chunk_rows
    classes = np.arange(N_CLASSES)
    with tempfile.TemporaryDirectory(dir=args.tmpdir) as tmp:
        x_path, y_path = Path(tmp) / "X.npy", Path(tmp) / "y.npy"
        X_out = np.lib.format.open_memmap(
            x_path, mode="w+", dtype=np.float32, shape=(n, N_FEATURES)
        )
        y_out = np.lib.format.open_memmap(y_path, mode="w+", dtype=np.int64, shape=(n,))
        fill_dense(X_out, y_out)
        X_out.flush()
        y_out.flush()
        del X_out, y_out
        X = np.load(x_path, mmap_mode="r")
        y = np.load(y_path, mmap_mode="r")
        log(
            f"  [streaming] {x_path.stat().st_size / 2**20:.1f} MiB .npy of {n:,} x "
            f"{N_FEATURES} float32, memory-mapped, in chunks of {chunk:,} rows"
        )
        params = _params(HIDDEN, 1)

        # Warm-up (BLAS buffers, imports) before the peak is reset.
        warm = RegularizedMLPClassifier(**params)
        warm.partial_fit(np.asarray(X[:1_000]), np.asarray(y[:1_000]), classes=classes)
        del warm
        _drop_mapped_pages(X, y)

        # The timed pass, with the peak of the resident set (Linux).
        estimator = RegularizedMLPClassifier(**params)
        gc.collect()
        time.sleep(SETTLE_SECONDS)
        have_rss = _reset_peak_rss()
        rss_before = _proc_status_kib("VmRSS")
        start = time.perf_counter()
        _stream(estimator, X, y, chunk, classes)
        seconds = time.perf_counter() - start
        peak_rss = None
        if have_rss and rss_before is not None:
            peak_rss = (_proc_status_kib("VmHWM") - rss_before) / 2**10

        # A second pass under tracemalloc: what the fits allocate.
        traced = RegularizedMLPClassifier(**params)
        gc.collect()
        tracemalloc.start()
        try:
            _stream(traced, X, y, chunk, classes)
            peak_traced = tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()

        first = slice(0, min(chunk, n))
        accuracy = float(estimator.score(np.asarray(X[first]), np.asarray(y[first])))
        chunk_bytes = X[first].nbytes + y[first].nbytes
        file_mib = x_path.stat().st_size / 2**20
        del X, y
    model_bytes = sum(c.nbytes for c in estimator.coefs_)
    model_bytes += sum(b.nbytes for b in estimator.intercepts_)
    chunk_mib, model_mib = chunk_bytes / 2**20, model_bytes / 2**20
    bound = chunk_mib + model_mib
    if peak_rss is not None:
        measure, peak = "rss", peak_rss
    else:
        # Without /proc: the chunk's pages plus what the fits allocate.
        measure, peak = "chunk+tracemalloc", chunk_mib + peak_traced
    ratio = peak / bound
    return Streaming(
        n_samples=n,
        n_features=N_FEATURES,
        chunk_rows=chunk,
        n_chunks=-(-n // chunk),
        hidden=HIDDEN,
        file_mib=file_mib,
        chunk_mib=chunk_mib,
        model_mib=model_mib,
        bound_mib=bound,
        seconds=seconds,
        rows_per_second=n / seconds,
        peak_rss_mib=peak_rss,
        peak_traced_mib=peak_traced,
        measure=measure,
        peak_mib=peak,
        ratio=ratio,
        max_ratio=MAX_STREAM_RATIO,
        passed=ratio <= MAX_STREAM_RATIO,
        loss=float(estimator.loss_),
        accuracy_first_chunk=accuracy,
    )


# -- report -----------------------------------------------------------------------


def _mib(value) -> str:
    return _fmt(value, ".1f")


def rows_table(points: list[Point]) -> str:
    by_rows: dict[int, dict[str, Point]] = {}
    for p in points:
        by_rows.setdefault(p.n_samples, {})[p.estimator] = p
    rows = [
        (
            "rows",
            "skreg s/epoch",
            "sklearn s/epoch",
            "sklearn/skreg",
            "skreg rows/s",
            "skreg peak MiB",
            "sklearn peak MiB",
            "data MiB",
        )
    ]
    for n, pair in sorted(by_rows.items()):
        ours, theirs = pair.get("skreg"), pair.get("sklearn")
        ratio = None
        if ours is not None and theirs is not None:
            ratio = theirs.seconds_per_epoch / ours.seconds_per_epoch
        any_point = ours or theirs
        rows.append(
            (
                f"{n:,}",
                _fmt(ours and ours.seconds_per_epoch, ".3f"),
                _fmt(theirs and theirs.seconds_per_epoch, ".3f"),
                _fmt(ratio, ".2f"),
                _fmt(ours and ours.rows_per_second, ",.0f"),
                _mib(ours and ours.peak_mib),
                _mib(theirs and theirs.peak_mib),
                _mib(any_point.data_mib),
            )
        )
    return _render(rows)


def width_table(points: list[Point]) -> str:
    rows = [("hidden", "rows", "s/epoch", "rows/s", "peak MiB", "data MiB")]
    for p in points:
        rows.append(
            (
                str(p.hidden),
                f"{p.n_samples:,}",
                f"{p.seconds_per_epoch:.3f}",
                f"{p.rows_per_second:,.0f}",
                _mib(p.peak_mib),
                _mib(p.data_mib),
            )
        )
    return _render(rows)


def sparse_table(points: list[Point]) -> str:
    rows = [
        ("density", "rows", "features", "s/epoch", "rows/s", "peak MiB", "data MiB")
    ]
    for p in points:
        rows.append(
            (
                f"{p.density:.3%}",
                f"{p.n_samples:,}",
                f"{p.n_features:,}",
                f"{p.seconds_per_epoch:.3f}",
                f"{p.rows_per_second:,.0f}",
                _mib(p.peak_mib),
                _mib(p.data_mib),
            )
        )
    return _render(rows)


def _slope_label(s: Slope) -> str:
    what = f"{s.series}/{s.estimator}"
    if s.density is not None:
        what += f" at {s.density:.1%}"
    return what


def report(points, slopes, streaming, log) -> None:
    tables = (
        ("rows", "dense float32, 100 features, hidden (256, 128)", rows_table),
        ("width", "dense float32, 100 features, hidden (w, w // 2)", width_table),
        ("sparse", "CSR float32, hidden (256, 128)", sparse_table),
    )
    for series, title, table in tables:
        here = [p for p in points if p.series == series]
        if here:
            log(f"\n{series}: {title}, seconds per epoch (median fit / epochs)")
            log(table(here))
    if slopes:
        log("\nslope of log(s/epoch) on log(x) (1 = linear):")
        for s in slopes:
            log(
                f"  {_slope_label(s):24s} on log({s.x}): {s.slope:.3f} "
                f"({s.n_points} points)"
            )
    if streaming is not None:
        s = streaming
        log(
            f"\nstreaming: {s.n_samples:,} rows from a memory-mapped .npy "
            f"({s.file_mib:.1f} MiB), {s.n_chunks} partial_fit calls of "
            f"{s.chunk_rows:,} rows"
        )
        log(
            f"  one pass {s.seconds:.2f} s ({s.rows_per_second:,.0f} rows/s); "
            f"loss {s.loss:.4f}, accuracy on the first chunk "
            f"{s.accuracy_first_chunk:.3f}"
        )
        log(
            f"  peak RSS increase {_mib(s.peak_rss_mib)} MiB, peak allocated "
            f"(tracemalloc) {_mib(s.peak_traced_mib)} MiB; one chunk "
            f"{s.chunk_mib:.2f} MiB + model {s.model_mib:.2f} MiB = "
            f"{s.bound_mib:.2f} MiB"
        )
        log(
            f"  peak ({s.measure}) / (chunk + model) = {s.ratio:.2f} "
            f"(target <= {s.max_ratio:g}): {'PASS' if s.passed else 'FAIL'}"
        )


# -- the plot ---------------------------------------------------------------------


def _rows_label(n: int) -> str:
    if n >= 1_000_000 and n % 100_000 == 0:
        return f"{n / 1_000_000:g}M"
    if n >= 1_000 and n % 100 == 0:
        return f"{n / 1_000:g}k"
    return str(n)


def plot(points, slopes, streaming, env, path: str) -> None:
    """Up to three log-log panels, those the results have data for: seconds
    per epoch against rows (dense and sparse, skreg and scikit-learn), peak
    memory against rows (with the streaming run), seconds per epoch against
    width."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    slope_of = {(s.series, s.estimator, s.density): s.slope for s in slopes}
    present = {
        "time": any(p.series in ("rows", "sparse") for p in points),
        "memory": streaming is not None
        or any(p.series == "rows" and p.peak_mib for p in points),
        "width": any(p.series == "width" for p in points),
    }
    panels = [name for name, shown in present.items() if shown]
    if not panels:
        return
    fig, axes = plt.subplots(
        1, len(panels), figsize=(5 * len(panels), 4.6), squeeze=False
    )
    ax_of = dict(zip(panels, axes[0], strict=True))
    ax_t, ax_m, ax_w = (ax_of.get(name) for name in ("time", "memory", "width"))

    def line(ax, key, text, x, y, **style):
        here = [p for p in points if (p.series, p.estimator, p.nominal_density) == key]
        if ax is None or not here or None in (y(p) for p in here):
            return here
        slope = slope_of.get(key) if ax is not ax_m else None
        if slope is not None:
            text = f"{text} (slope {slope:.2f})"
        ax.plot([x(p) for p in here], [y(p) for p in here], label=text, **style)
        return here

    def rows(p):
        return p.n_samples

    def seconds(p):
        return p.seconds_per_epoch

    def peak(p):
        return p.peak_mib

    skreg_style = {"color": "C0", "marker": "o"}
    sklearn_style = {"color": "C1", "marker": "s", "ls": "--"}
    dense = line(
        ax_t, ("rows", "skreg", None), "skreg, dense", rows, seconds, **skreg_style
    )
    line(
        ax_t,
        ("rows", "sklearn", None),
        "scikit-learn, dense",
        rows,
        seconds,
        **sklearn_style,
    )
    densities = sorted({p.nominal_density for p in points if p.series == "sparse"})
    for i, density in enumerate(densities):
        line(
            ax_t,
            ("sparse", "skreg", density),
            f"skreg, CSR {density:.1%}",
            rows,
            seconds,
            color=f"C{2 + i}",
            marker="^v"[i % 2],
            ls=":",
        )
    if dense and ax_t is not None:
        # A slope-1 reference through skreg's smallest point.
        xs = np.array([p.n_samples for p in dense], dtype=float)
        ax_t.plot(
            xs,
            dense[0].seconds_per_epoch * xs / xs[0],
            color="grey",
            lw=0.8,
            alpha=0.6,
            label="linear (slope 1)",
        )

    line(ax_m, ("rows", "skreg", None), "skreg, one fit", rows, peak, **skreg_style)
    line(
        ax_m,
        ("rows", "sklearn", None),
        "scikit-learn, one fit",
        rows,
        peak,
        **sklearn_style,
    )
    line(
        ax_m,
        ("rows", "skreg", None),
        "the data (X)",
        rows,
        lambda p: p.data_mib,
        color="grey",
        ls=":",
    )
    if streaming is not None and ax_m is not None:
        ax_m.plot(
            [streaming.n_samples],
            [streaming.peak_mib],
            marker="*",
            ms=12,
            ls="none",
            color="C3",
            label=f"skreg, streamed in {streaming.chunk_rows:,}-row chunks",
        )
        ax_m.axhline(
            streaming.bound_mib, color="C3", lw=0.8, ls="--", label="one chunk + model"
        )

    width = line(
        ax_w,
        ("width", "skreg", None),
        "skreg",
        lambda p: p.hidden[0],
        seconds,
        **skreg_style,
    )

    for ax, xlabel, ylabel, title in (
        (ax_t, "rows", "seconds per epoch", "time per epoch vs rows"),
        (ax_m, "rows", "peak MiB (tracemalloc; streaming: RSS)", "peak memory vs rows"),
        (ax_w, "hidden layer sizes", "seconds per epoch", "time per epoch vs width"),
    ):
        if ax is None:
            continue
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.xaxis.set_minor_locator(NullLocator())
        ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
        ax.grid(True, alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
    row_sizes = {p.n_samples for p in points if p.series in ("rows", "sparse")}
    streamed = set() if streaming is None else {streaming.n_samples}
    for ax, ticks in ((ax_t, row_sizes), (ax_m, row_sizes | streamed)):
        ticks = sorted(ticks)
        if ax is not None and ticks:
            ax.set_xticks(ticks, [_rows_label(n) for n in ticks])
    if width and ax_w is not None:
        ax_w.set_title(f"time per epoch vs width ({width[0].n_samples:,} rows)")
        ax_w.set_xticks([p.hidden[0] for p in width], [str(p.hidden) for p in width])
    blas = next((p for p in env["threadpools"] if p.get("user_api") == "blas"), {})
    fig.suptitle(
        f"skreg {env['skreg']}, scikit-learn {env['sklearn']}: float32, 10 classes, "
        f"adam, batch {BATCH_SIZE}; {env['cpu_count']} CPUs, "
        f"{blas.get('internal_api', '?')} {blas.get('architecture', '')} "
        f"threads={blas.get('num_threads', '?')}",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


# -- command line -------------------------------------------------------------------


def _ints(text: str) -> tuple[int, ...]:
    values = tuple(int(v.replace("_", "")) for v in text.split(",") if v.strip())
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"expected positive integers, got {text!r}")
    return values


def _floats(text: str) -> tuple[float, ...]:
    values = tuple(float(v) for v in text.split(",") if v.strip())
    if not values or not all(0 < v <= 1 for v in values):
        raise argparse.ArgumentTypeError(f"expected densities in (0, 1], got {text!r}")
    return values


def _csv(s) -> str:
    return ",".join(map(str, s))


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="How skreg's seconds per epoch and peak memory grow with the "
        "rows, the width and sparse inputs, and a streaming run through "
        "partial_fit (see README.md)."
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny sizes, 1 epoch, 1 repeat, 1 BLAS thread: a smoke test",
    )
    parser.add_argument(
        "--series",
        default=",".join(SERIES),
        help="comma-separated subset of: " + ", ".join(SERIES),
    )
    parser.add_argument(
        "--epochs", type=int, default=None, help="epochs per fit (default 2)"
    )
    parser.add_argument(
        "--repeats", type=int, default=None, help="timed fits per point (default 3)"
    )
    parser.add_argument(
        "--rows", type=_ints, help=f"rows series (default {_csv(FULL.rows)})"
    )
    parser.add_argument(
        "--width-rows",
        type=int,
        help=f"rows of the width series (default {FULL.width_rows})",
    )
    parser.add_argument(
        "--widths",
        type=_ints,
        help="widths w of the width series, hidden (w, w // 2) "
        f"(default {_csv(FULL.widths)})",
    )
    parser.add_argument(
        "--sparse-rows",
        type=_ints,
        help=f"sparse rows (default {_csv(FULL.sparse_rows)})",
    )
    parser.add_argument(
        "--sparse-features",
        type=int,
        help=f"sparse features (default {FULL.sparse_features})",
    )
    parser.add_argument(
        "--densities",
        type=_floats,
        help=f"sparse densities (default {_csv(FULL.densities)})",
    )
    parser.add_argument(
        "--stream-rows", type=int, help=f"rows streamed (default {FULL.stream_rows})"
    )
    parser.add_argument(
        "--chunk-rows",
        type=int,
        help=f"rows per partial_fit (default {FULL.chunk_rows})",
    )
    parser.add_argument(
        "--sklearn-max-rows",
        type=int,
        default=None,
        help="run scikit-learn only up to this many rows (default: every size)",
    )
    parser.add_argument(
        "--no-sklearn", action="store_true", help="skip scikit-learn altogether"
    )
    parser.add_argument(
        "--no-memory",
        action="store_true",
        help="skip the tracemalloc runs of the series",
    )
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=None,
        help="limit BLAS threads (threadpoolctl); default: BLAS's own choice, "
        "1 with --quick",
    )
    parser.add_argument(
        "--tmpdir",
        default=None,
        help="where to write the streamed .npy (default: TMPDIR)",
    )
    parser.add_argument("--json", metavar="PATH", help="also write results as JSON")
    parser.add_argument(
        "--plot", metavar="PATH", help="write the log-log plot (matplotlib)"
    )
    parser.add_argument(
        "--replot",
        metavar="JSON",
        help="measure nothing: draw --plot from the results a --json run wrote",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit with status 1 when the streaming run's memory misses its target",
    )
    args = parser.parse_args(argv)
    if args.replot and not args.plot:
        parser.error("--replot needs --plot PATH")

    names = [n.strip() for n in args.series.split(",") if n.strip()]
    unknown = [n for n in names if n not in SERIES]
    if unknown or not names:
        parser.error(f"unknown series {unknown}; choose from {list(SERIES)}")
    args.series = [s for s in SERIES if s in names]
    sizes = QUICK if args.quick else FULL
    overrides = {
        name: getattr(args, name)
        for name in Sizes.__dataclass_fields__
        if getattr(args, name, None) is not None
    }
    args.sizes = replace(sizes, **overrides)
    if (
        min(
            args.sizes.width_rows,
            args.sizes.sparse_features,
            args.sizes.chunk_rows,
            args.sizes.stream_rows,
        )
        < 1
    ):
        parser.error("sizes must be positive")
    if args.epochs is None:
        args.epochs = 1 if args.quick else 2
    if args.repeats is None:
        args.repeats = 1 if args.quick else 3
    if min(args.epochs, args.repeats) < 1:
        parser.error("--epochs and --repeats must be >= 1")
    if args.blas_threads is None and args.quick:
        # Tiny products gain nothing from threads (see bench_vs_sklearn.py).
        args.blas_threads = 1
    if args.sklearn_max_rows is None:
        args.sklearn_max_rows = max(args.sizes.rows)
    args.estimators = ("skreg",) if args.no_sklearn else ESTIMATORS
    args.memory = not args.no_memory
    return args


def load_results(path: str):
    """The points, slopes, streaming run and environment of a --json file."""
    with open(path, encoding="utf-8") as f:
        payload = json.load(f)
    points = [Point(**{**p, "hidden": tuple(p["hidden"])}) for p in payload["points"]]
    slopes = [Slope(**s) for s in payload["slopes"]]
    stream = payload["streaming"]
    if stream is not None:
        stream = Streaming(**{**stream, "hidden": tuple(stream["hidden"])})
    return points, slopes, stream, payload["environment"]


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.replot:
        plot(*load_results(args.replot), args.plot)
        print(f"plot of {args.replot} written to {args.plot}")
        return 0

    def log(message: str) -> None:
        print(message, flush=True)

    with blas_threads_limited(args.blas_threads):
        return _run(args, log)


def _run(args, log: Callable[[str], None]) -> int:
    start = time.perf_counter()
    load_start = _load()
    env = environment()
    print_environment(env, log)
    warn_if_busy(load_start, log)
    sizes = args.sizes
    log(
        f"epochs={args.epochs} repeats={args.repeats} quick={args.quick} "
        f"blas_threads={args.blas_threads or 'default'} series={','.join(args.series)}"
    )
    log(f"sizes: {asdict(sizes)}; scikit-learn up to {args.sklearn_max_rows:,} rows")

    points: list[Point] = []
    dense_rows = []
    if "rows" in args.series:
        dense_rows.append(max(sizes.rows))
    if "width" in args.series:
        dense_rows.append(sizes.width_rows)
    if dense_rows:
        t = time.perf_counter()
        X_all, y_all = dense_data(max(dense_rows))
        log(f"dense data {X_all.shape} float32 made in {time.perf_counter() - t:.1f} s")
        _warm_up(args.estimators, X_all, y_all)
        if "rows" in args.series:
            points += run_rows(args, X_all, y_all, log)
        if "width" in args.series:
            points += run_width(args, X_all, y_all, log)
        del X_all, y_all
    if "sparse" in args.series:
        points += run_sparse(args, log)
    slopes = fit_slopes(points)
    streaming = run_streaming(args, log) if "streaming" in args.series else None

    elapsed = time.perf_counter() - start
    load_end = _load()
    report(points, slopes, streaming, log)
    log(
        f"\ntotal {elapsed:.1f}s; load average {_fmt(load_start, '.2f')} at start, "
        f"{_fmt(load_end, '.2f')} at end"
    )
    if args.plot:
        plot(points, slopes, streaming, env, args.plot)
        log(f"plot written to {args.plot}")
    if args.json:
        payload = {
            "environment": env,
            "settings": {
                "quick": args.quick,
                "series": args.series,
                "epochs": args.epochs,
                "repeats": args.repeats,
                "blas_threads": args.blas_threads,
                "sklearn_max_rows": args.sklearn_max_rows,
                "estimators": list(args.estimators),
                "alpha": ALPHA,
                "batch_size": BATCH_SIZE,
                "hidden": HIDDEN,
                "n_classes": N_CLASSES,
                "sizes": asdict(sizes),
            },
            "elapsed_seconds": elapsed,
            "load_average": [load_start, load_end],
            "points": [asdict(p) for p in points],
            "slopes": [asdict(s) for s in slopes],
            "streaming": None if streaming is None else asdict(streaming),
        }
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(payload, f, indent=2, default=str)
        log(f"results written to {args.json}")
    if args.check and streaming is not None and not streaming.passed:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
