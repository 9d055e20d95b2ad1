"""Time a warm-started regularization path against independent cold fits.

A regularization path fits one network along the penalties from the
weakest to the strongest, each fit starting from the previous solution (the
CV estimators did so on every fold before they became a search over
candidates; they no longer warm-start, see the user guide for why). This
script measures what a warm path buys: on the same data and the same grid of
``alpha`` (``skreg._path.alpha_grid``), it times

- **warm**: one estimator with ``warm_start=True``, fitted at each ``alpha``
  in ascending order, and
- **cold**: one fresh estimator per ``alpha`` (the same seed, so the same
  initial weights),

interleaved over ``--repeats`` rounds (ABBA order), and prints the median
times, their ratio warm/cold, the total epochs of each, and per ``alpha`` the
epochs, the final objective and the fraction of zero weights of both.

Run ``python benchmarks/bench_path.py --help`` for the options.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import warnings

from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler

from skreg import RegularizedMLPClassifier
from skreg._path import alpha_grid, first_layer_loss_gradient
from skreg.penalties import make_penalty

SEED = 0


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny data, 4 alphas, 30 epochs, 1 repeat (the smoke test)",
    )
    parser.add_argument("--n-samples", type=int, default=2000)
    parser.add_argument("--n-features", type=int, default=50)
    parser.add_argument("--hidden", type=int, default=64, help="units of the layer")
    parser.add_argument("--alphas", type=int, default=10, help="length of the grid")
    parser.add_argument("--eps", type=float, default=1e-3, help="alpha_min/alpha_max")
    parser.add_argument("--penalty", default="l1", choices=["l1", "elasticnet"])
    parser.add_argument("--solver", default="adam", choices=["adam", "sgd", "lbfgs"])
    parser.add_argument("--max-iter", type=int, default=200)
    parser.add_argument("--tol", type=float, default=1e-4)
    parser.add_argument("--learning-rate-init", type=float, default=1e-3)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    if args.quick:
        args.n_samples, args.n_features, args.hidden = 300, 20, 16
        args.alphas, args.max_iter, args.repeats = 4, 30, 1
    return args


def _data(args):
    X, y = make_classification(
        n_samples=args.n_samples,
        n_features=args.n_features,
        n_informative=max(2, args.n_features // 5),
        n_redundant=0,
        random_state=SEED,
    )
    return StandardScaler().fit_transform(X), y


def _estimator(args, **params):
    return RegularizedMLPClassifier(
        hidden_layer_sizes=(args.hidden,),
        solver=args.solver,
        penalty=args.penalty,
        max_iter=args.max_iter,
        tol=args.tol,
        learning_rate_init=args.learning_rate_init,
        random_state=SEED,
        **params,
    )


def _zero_fraction(est) -> float:
    return sum(int((c == 0).sum()) for c in est.coefs_) / sum(
        c.size for c in est.coefs_
    )


def _record(est) -> tuple[int, float, float]:
    return est.n_iter_, float(est.loss_), _zero_fraction(est)


def run_warm(args, X, y, alphas):
    est = _estimator(args, warm_start=True)
    records = []
    start = time.perf_counter()
    for alpha in alphas:
        est.set_params(alpha=alpha).fit(X, y)
        records.append(_record(est))
    return time.perf_counter() - start, records


def run_cold(args, X, y, alphas):
    records = []
    start = time.perf_counter()
    for alpha in alphas:
        records.append(_record(_estimator(args, alpha=alpha).fit(X, y)))
    return time.perf_counter() - start, records


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    X, y = _data(args)
    gradient = first_layer_loss_gradient(_estimator(args), X, y)
    alpha_max = make_penalty(args.penalty, 1.0, 0.5).alpha_max(gradient)
    alphas = alpha_grid(alpha_max, args.alphas, args.eps)

    print(
        f"data {X.shape[0]} x {X.shape[1]}, hidden ({args.hidden},), "
        f"{args.solver}, penalty={args.penalty}, {len(alphas)} alphas "
        f"{alphas[0]:.3g} .. {alphas[-1]:.3g}, max_iter={args.max_iter}, "
        f"tol={args.tol:g}, learning_rate_init={args.learning_rate_init:g}, "
        f"{args.repeats} repeat(s)"
    )
    runners = {"warm": run_warm, "cold": run_cold}
    times: dict[str, list[float]] = {name: [] for name in runners}
    records = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for round_ in range(args.repeats):
            order = ["warm", "cold"] if round_ % 2 == 0 else ["cold", "warm"]
            for name in order:
                gc.collect()
                seconds, records[name] = runners[name](args, X, y, alphas)
                times[name].append(seconds)

    print()
    print(
        f"{'alpha':>10}  {'epochs warm':>11}  {'epochs cold':>11}  "
        f"{'loss warm':>10}  {'loss cold':>10}  {'zeros warm':>10}  {'zeros cold':>10}"
    )
    for alpha, warm, cold in zip(alphas, records["warm"], records["cold"], strict=True):
        print(
            f"{alpha:10.3g}  {warm[0]:11d}  {cold[0]:11d}  {warm[1]:10.4f}  "
            f"{cold[1]:10.4f}  {warm[2]:10.3f}  {cold[2]:10.3f}"
        )
    warm_s, cold_s = (statistics.median(times[name]) for name in ("warm", "cold"))
    warm_epochs, cold_epochs = (
        sum(r[0] for r in records[name]) for name in ("warm", "cold")
    )
    print()
    print(f"time (median s): warm {warm_s:.3f}, cold {cold_s:.3f}")
    print(f"epochs: warm {warm_epochs}, cold {cold_epochs}")
    print(f"warm/cold time ratio: {warm_s / cold_s:.3f}")
    print(f"warm/cold epoch ratio: {warm_epochs / cold_epochs:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
