"""Profile one skreg (or scikit-learn) fit on a workload of bench_vs_sklearn.py.

    python benchmarks/profile_fit.py dense64                # cProfile, by tottime
    python benchmarks/profile_fit.py sparse --pyinstrument  # call tree as well
    python benchmarks/profile_fit.py dense64 --estimator sklearn --epochs 2

cProfile counts the time spent inside each function (``tottime``); NumPy's
ufuncs and BLAS calls show up as ``{method ...}`` / ``{built-in ...}`` rows,
charged to the skreg function that called them (see ``--callers``).
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import io
import pstats
import sys
import warnings
from pathlib import Path

from sklearn.exceptions import ConvergenceWarning


def _load_bench():
    path = Path(__file__).resolve().with_name("bench_vs_sklearn.py")
    spec = importlib.util.spec_from_file_location("bench_vs_sklearn", path)
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main(argv=None) -> int:
    bench = _load_bench()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workload", choices=list(bench.WORKLOADS_BY_NAME))
    parser.add_argument(
        "--estimator", choices=["skreg", "sklearn", "skreg-l2"], default="skreg"
    )
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="the tiny data")
    parser.add_argument("--top", type=int, default=25, help="rows to print")
    parser.add_argument("--callers", action="store_true", help="print callers too")
    parser.add_argument("--pyinstrument", action="store_true")
    parser.add_argument("--blas-threads", type=int, default=None)
    parser.add_argument("--save", metavar="PATH", help="write the pstats file")
    args = parser.parse_args(argv)

    workload = bench.WORKLOADS_BY_NAME[args.workload]
    X, y = workload.data(args.quick)
    n_iter = 50 if workload.solver == "lbfgs" else args.epochs
    if args.blas_threads is not None:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=args.blas_threads, user_api="blas")

    def fit():
        estimator = bench._make_estimator(args.estimator, workload, n_iter)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            estimator.fit(X, y)

    fit_small = bench._make_estimator(args.estimator, workload, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fit_small.fit(X[:1000], y[:1000])  # warm-up, not profiled

    profiler = cProfile.Profile()
    profiler.runcall(fit)
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream).sort_stats("tottime")
    stats.print_stats(args.top)
    if args.callers:
        stats.print_callers(args.top)
    print(stream.getvalue())
    if args.save:
        stats.dump_stats(args.save)

    if args.pyinstrument:
        try:
            from pyinstrument import Profiler
        except ImportError:
            print("pyinstrument is not installed (pip install pyinstrument)")
            return 0
        profiler = Profiler(interval=0.001)
        profiler.start()
        fit()
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
