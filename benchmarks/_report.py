"""What the benchmark scripts print alike: numbers, tables, the machine.

Imported by ``bench_vs_sklearn.py``, ``bench_recipes.py`` and
``bench_quality.py`` (each puts this folder on ``sys.path``, so that they
run as scripts and load from the tests alike).
"""

from __future__ import annotations

import os
from collections.abc import Callable

__all__ = ["fmt", "load_average", "log_threadpools", "render", "threadpools"]


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


def load_average() -> float | None:
    """The 1-minute load average, where the system has one."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None
