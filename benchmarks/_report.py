"""What the benchmark scripts share: numbers, tables, the machine, BLAS threads.

Imported by ``bench_vs_sklearn.py``, ``bench_recipes.py``, ``bench_quality.py``
and ``bench_scaling.py`` (each puts this folder on ``sys.path``, so that they
run as scripts and load from the tests alike).
"""

from __future__ import annotations

import contextlib
import os
import platform
from collections.abc import Callable, Iterable, Iterator
from importlib import metadata

import numpy as np
import scipy
import sklearn

import skreg

__all__ = [
    "BLAS_ENV_VARS",
    "blas_threads_limited",
    "cpu_model",
    "environment",
    "fmt",
    "load_average",
    "log_threadpools",
    "package_version",
    "print_environment",
    "render",
    "threadpools",
    "warn_if_busy",
]

#: Set machine-wide on some processors, they make OpenBLAS run an older,
#: slower kernel (see benchmarks/README.md); runs record and warn about them.
BLAS_ENV_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
#: A 1-minute load average above this at start: other processes share the CPUs.
BUSY_LOAD = 0.5


def fmt(value, spec: str = ".4f", missing: str = "-") -> str:
    """``value`` formatted with ``spec``; ``missing`` for None."""
    return missing if value is None else format(value, spec)


def render(rows) -> str:
    """Rows of strings as a text table: the first row a header underlined,
    the first column left-aligned, the others right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def threadpools() -> list[dict]:
    """threadpoolctl's view of the BLAS and OpenMP libraries loaded."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return [{"error": "threadpoolctl is not installed (pip install threadpoolctl)"}]
    return threadpool_info()


def log_threadpools(pools: list[dict], log: Callable[[str], None]) -> None:
    """One line per library: its version, kernel and threads."""
    for pool in pools:
        if "error" in pool:
            log(f"BLAS: {pool['error']}")
            continue
        label = "OpenMP" if pool.get("user_api") == "openmp" else "BLAS"
        log(
            f"{label}: {pool.get('internal_api')} {pool.get('version')} "
            f"kernel={pool.get('architecture')} threads={pool.get('num_threads')} "
            f"({os.path.basename(pool.get('filepath', ''))})"
        )


@contextlib.contextmanager
def blas_threads_limited(n: int | None) -> Iterator[None]:
    """Within the block, BLAS runs at most ``n`` threads (threadpoolctl);
    ``None`` leaves BLAS its own choice."""
    if n is None:
        yield
        return
    # Imported here: without a limit a run needs no threadpoolctl.
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=n, user_api="blas"):
        yield


def load_average() -> float | None:
    """The 1-minute load average, where the system has one."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None


def warn_if_busy(
    load: float | None,
    log: Callable[[str], None],
    consequence: str = "the seconds are noisy",
) -> None:
    """A warning when ``load``, the load average at start, shows other
    processes sharing the CPUs; ``consequence`` says what that does to the
    figures."""
    if load is not None and load > BUSY_LOAD:
        log(
            f"WARNING: load average {load:.2f} at start: other processes share the "
            f"CPUs; {consequence}."
        )


def cpu_model() -> str:
    """The processor's name, with " (AVX-512)" where it has those
    instructions: they decide which kernels OpenBLAS and NumPy run."""
    fallback = platform.processor() or platform.machine() or "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            info = f.read()
    except OSError:
        return fallback
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in info.splitlines()
            if line.startswith("model name")
        ),
        fallback,
    )
    return model + (" (AVX-512)" if " avx512f" in info else "")


def package_version(package: str) -> str | None:
    """The installed version of ``package``; None where it is not installed."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


#: The keys of ``environment`` that are not the version of an extra package.
_ENVIRONMENT_KEYS = frozenset(
    (
        "python",
        "platform",
        "cpu",
        "cpu_count",
        "numpy",
        "scipy",
        "sklearn",
        "skreg",
        "skreg_path",
        "blas_env",
        "threadpools",
    )
)


def environment(extra_packages: Iterable[str] = ()) -> dict:
    """The machine and the libraries a run's figures depend on, for its
    report and its JSON: besides numpy, scipy, scikit-learn and skreg, the
    version of each of ``extra_packages`` (None where it is not installed)."""
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cpu_count": os.cpu_count(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "sklearn": sklearn.__version__,
        **{name: package_version(name) for name in extra_packages},
        "skreg": getattr(skreg, "__version__", "unknown"),
        "skreg_path": os.path.dirname(os.path.abspath(skreg.__file__)),
        "blas_env": {name: os.environ.get(name) for name in BLAS_ENV_VARS},
        "threadpools": threadpools(),
    }


def print_environment(env: dict, log: Callable[[str], None]) -> None:
    """What ``environment`` found, with a warning where a variable of
    ``BLAS_ENV_VARS`` is set."""
    extras = "".join(
        f", {name} {version}"
        for name, version in env.items()
        if name not in _ENVIRONMENT_KEYS
    )
    log(
        f"python {env['python']}, numpy {env['numpy']}, scipy {env['scipy']}, "
        f"scikit-learn {env['sklearn']}{extras}"
    )
    log(f"skreg {env['skreg']} from {env['skreg_path']}")
    log(f"CPU: {env['cpu']}, {env['cpu_count']} logical CPUs, {env['platform']}")
    log_threadpools(env["threadpools"], log)
    set_vars = {k: v for k, v in env["blas_env"].items() if v is not None}
    if set_vars:
        unset = " ".join(f"-u {name}" for name in BLAS_ENV_VARS)
        log(
            f"WARNING: {set_vars} set: OpenBLAS may run a slower kernel. "
            f"To benchmark, run with `env {unset}`."
        )
