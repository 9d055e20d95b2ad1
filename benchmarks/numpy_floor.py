"""How close skreg's dense training is to what NumPy allows.

    python benchmarks/numpy_floor.py                      # dense64, dense32, regression
    python benchmarks/numpy_floor.py --workloads dense32 --repeats 7

For each dense workload of ``bench_vs_sklearn.py`` this times, interleaved:

- ``gemm``: the GEMM ceiling of that script (the matrix products alone);
- ``floor``: the same training written as one flat NumPy loop, with no
  abstraction, no checks and no options: per batch a gather into reused
  buffers, forward products with bias and ReLU, the softmax (or squared
  error) value and gradient, backward products, bias sums, the L2 term and
  one flat Adam step over all parameters; after the last epoch one forward
  pass over the data for the final objective (skreg's ``loss_``). Everything
  in place on preallocated arrays;
- ``skreg``: ``fit`` of the estimator, as timed by ``bench_vs_sklearn.py``.

It prints the GEMM fraction of both, and skreg's time over the floor's: the
price of the estimator's generality over a hand-written loop for one
configuration.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np


def _load_bench():
    path = Path(__file__).resolve().with_name("bench_vs_sklearn.py")
    spec = importlib.util.spec_from_file_location("bench_vs_sklearn", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


class FloorLoop:
    """The minimal NumPy training loop of one dense workload."""

    def __init__(self, X, y, hidden, classifier: bool, batch_size: int, alpha):
        rng = np.random.default_rng(0)
        dtype = X.dtype
        self.X, self.batch_size, self.alpha = X, batch_size, alpha
        if classifier:
            classes = np.unique(y)
            self.Y = np.zeros((len(y), len(classes)), dtype=bool)
            self.Y[np.arange(len(y)), np.searchsorted(classes, y)] = True
        else:
            self.Y = y.reshape(-1, 1).astype(dtype)
        self.classifier = classifier
        units = [X.shape[1], *hidden, self.Y.shape[1]]
        shapes = list(zip(units[:-1], units[1:], strict=True))
        self.n_weights = sum(a * b for a, b in shapes)
        self.params = np.zeros(self.n_weights + sum(units[1:]), dtype)
        self.W, self.b = self._views(self.params, shapes)
        for w in self.W:
            bound = np.sqrt(6 / sum(w.shape))
            w[...] = rng.uniform(-bound, bound, w.shape)
        self.grad = np.zeros_like(self.params)
        self.gW, self.gb = self._views(self.grad, shapes)
        self.m, self.v = np.zeros_like(self.params), np.zeros_like(self.params)
        self.work = np.empty_like(self.params)
        self.units, self.rng = units, rng

    @staticmethod
    def _views(flat, shapes):
        weights, biases, start = [], [], 0
        for a, b in shapes:
            weights.append(flat[start : start + a * b].reshape(a, b))
            start += a * b
        for _, b in shapes:
            biases.append(flat[start : start + b])
            start += b
        return weights, biases

    def _forward(self, Xb, acts):
        layer_input = Xb
        for i, (w, b) in enumerate(zip(self.W, self.b, strict=True)):
            np.matmul(layer_input, w, out=acts[i])
            acts[i] += b
            if i < len(self.W) - 1:
                np.maximum(acts[i], 0, out=acts[i])
            layer_input = acts[i]
        return acts[-1]

    def _loss_gradient(self, z, Yb, scale):
        """Loss value; ``z`` becomes its gradient (``scale`` = 1 / n)."""
        if self.classifier:
            z -= z.max()
            yz = float(np.einsum("ij,ij->", Yb, z))
            np.exp(z, out=z)
            norm = z @ np.ones(z.shape[1], z.dtype)
            value = (float(np.log(norm).sum()) - yz) * scale
            z /= norm[:, None]
        else:
            value = 0.5 * float(np.vdot(z - Yb, z - Yb)) * scale
        z -= Yb
        z *= scale
        return value

    def epochs(self, n_epochs: int) -> float:
        """Train ``n_epochs`` epochs; return the final objective."""
        n, bs = self.X.shape[0], self.batch_size
        dtype = self.X.dtype
        Xb = np.empty((bs, self.X.shape[1]), dtype)
        Yb = np.empty((bs, self.Y.shape[1]), self.Y.dtype)
        acts = [np.empty((bs, u), dtype) for u in self.units[1:]]
        deltas = [np.empty((bs, u), dtype) for u in self.units[1:-1]]
        ones = np.ones(bs, dtype)
        weights, gweights = self.params[: self.n_weights], self.grad[: self.n_weights]
        m, v, work, params, grad = self.m, self.v, self.work, self.params, self.grad
        lr, b1, b2, eps, t, seen = 1e-3, 0.9, 0.999, 1e-8, 0, 0.0
        for _ in range(n_epochs):
            order = self.rng.permutation(n)
            for start in range(0, n - bs + 1, bs):
                idx = order[start : start + bs]
                np.take(self.X, idx, axis=0, out=Xb, mode="clip")
                np.take(self.Y, idx, axis=0, out=Yb, mode="clip")
                z = self._forward(Xb, acts)
                seen += self._loss_gradient(z, Yb, 1.0 / bs)
                seen += 0.5 * self.alpha * float(np.dot(weights, weights))
                delta = z
                for i in range(len(self.W) - 1, -1, -1):
                    layer_input = Xb if i == 0 else acts[i - 1]
                    np.matmul(layer_input.T, delta, out=self.gW[i])
                    np.matmul(ones, delta, out=self.gb[i])
                    if i:
                        np.matmul(delta, self.W[i].T, out=deltas[i - 1])
                        np.multiply(deltas[i - 1], acts[i - 1] > 0, out=deltas[i - 1])
                        delta = deltas[i - 1]
                gweights += np.multiply(weights, self.alpha, out=work[: self.n_weights])
                t += 1
                rate = (
                    lr * (1 - b2**t) ** 0.5 / (1 - b1**t) * (1 - b1) / (1 - b2) ** 0.5
                )
                m *= b1
                m += grad
                v *= b2
                v += np.multiply(grad, grad, out=work)
                np.sqrt(v, out=work)
                work += eps / (1 - b2) ** 0.5
                np.divide(m, work, out=work)
                work *= rate
                params -= work
        # The final objective, in chunks of a few batches.
        total = 0.5 * self.alpha * float(np.dot(weights, weights))
        chunk = 4 * bs
        big = [np.empty((chunk, u), dtype) for u in self.units[1:]]
        for start in range(0, n, chunk):
            rows = slice(start, start + chunk)
            size = min(chunk, n - start)
            z = self._forward(self.X[rows], [a[:size] for a in big])
            total += self._loss_gradient(z, self.Y[rows], 1.0 / n)
        return total


def measure(bench, workload, epochs, repeats, quick=False) -> dict[str, float]:
    """Median seconds of the GEMM ceiling, the floor loop and skreg's fit."""
    X, y = workload.data(quick)
    units = bench._layer_units(workload, X, y)
    ceiling = bench.GemmCeiling(X, units, workload.batch_size, X.dtype)
    ceiling.run_pass()  # warm-up
    bench.time_fit("skreg", workload, X[:1000], y[:1000], 1)

    def floor_run():
        loop = FloorLoop(
            X,
            y,
            workload.hidden,
            workload.is_classifier,
            workload.batch_size,
            bench.ALPHA,
        )
        start = time.perf_counter()
        loop.epochs(epochs)
        return time.perf_counter() - start

    runs = {
        "gemm": lambda: sum(ceiling.run_pass() for _ in range(epochs)),
        "floor": floor_run,
        "skreg": lambda: bench.time_fit("skreg", workload, X, y, epochs),
    }
    times = {kind: [] for kind in runs}
    for round_ in range(repeats):
        # alternating orders cancel a drift in the machine's load
        for kind in list(runs) if round_ % 2 == 0 else list(runs)[::-1]:
            times[kind].append(runs[kind]())
    return {kind: statistics.median(t) for kind, t in times.items()}


def main(argv=None) -> int:
    bench = _load_bench()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", default="dense64,dense32,regression")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--quick", action="store_true", help="small data, 1 epoch, 1 repeat"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.epochs, args.repeats = 1, 1
    warnings.simplefilter("ignore")
    header = (
        "workload",
        "gemm s",
        "floor s",
        "skreg s",
        "floor gemm frac",
        "skreg gemm frac",
        "skreg/floor",
    )
    print("  ".join(f"{h:>15s}" for h in header))
    for name in args.workloads.split(","):
        workload = bench.WORKLOADS_BY_NAME[name]
        if workload.task == "sparse-classification" or workload.solver != "adam":
            raise SystemExit(f"{name}: only the dense adam workloads have a floor")
        t = measure(bench, workload, args.epochs, args.repeats, args.quick)
        row = (
            t["gemm"],
            t["floor"],
            t["skreg"],
            t["gemm"] / t["floor"],
            t["gemm"] / t["skreg"],
            t["skreg"] / t["floor"],
        )
        print(f"{name:>15s}  " + "  ".join(f"{x:15.3f}" for x in row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
