"""Full-batch L-BFGS through scipy, with the L1 part handled exactly.

A smooth objective (no L1 part) is minimized directly over the flat parameter
buffer. With an L1 part the weights are split as ``W = W+ - W-`` with
``W+, W- >= 0``, which turns ``l1 * sum|W|`` into the linear term
``l1 * sum(W+ + W-)``; L-BFGS-B's bound constraints then put weights exactly
at zero, and at the solution the KKT conditions of the original problem hold:
``dJ/dw + l1 * sign(w) = 0`` where ``w != 0`` and ``|dJ/dw| <= l1`` where
``w == 0``.

scipy works in float64; the network may compute in float32, and only the
vectors crossing the boundary are converted.
"""

from __future__ import annotations

import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, minimize
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import ThreadpoolController

from .._objective import normalized_weights
from ._base import Solver, SolverResult

__all__ = ["Evaluation", "LbfgsSolver", "SolverThreads", "minimize_lbfgs"]


class SolverThreads:
    """BLAS threads during L-BFGS: one for scipy's vector operations, the
    configured number for each evaluation of the network in one part (an
    evaluation split over threads, see :class:`Evaluation`, runs each part
    on one).

    L-BFGS-B's own work is on vectors, where BLAS threads gain nothing and,
    spinning after each call, steal the cores from the network's matrix
    products (in NumPy's BLAS, often a separate library). The process's
    libraries are discovered once, at construction (a discovery reads the
    memory maps: milliseconds, more than a small evaluation costs), and the
    switches set the thread counts directly (about a microsecond each; a
    ``threadpool_limits`` context would cost tens). Libraries configured for
    one thread are never touched.
    """

    def __init__(self) -> None:
        libraries = ThreadpoolController().select(user_api="blas").lib_controllers
        self._threaded = [
            (library, library.num_threads)
            for library in libraries
            if library.num_threads > 1
        ]

    def solver(self) -> None:
        """One thread for every BLAS library (scipy's vector work)."""
        for library, _ in self._threaded:
            library.set_num_threads(1)

    def network(self) -> None:
        """The configured threads again (the network's products, and after
        the fit)."""
        for library, configured in self._threaded:
            library.set_num_threads(configured)

    @property
    def configured(self) -> int:
        """The most threads any BLAS library is configured for."""
        return max((configured for _, configured in self._threaded), default=1)


@dataclass
class LbfgsSolver(Solver):
    """Full-batch L-BFGS-B (``solver="lbfgs"``): deterministic objectives,
    smooth penalties and an elementwise L1 part."""

    max_iter: int
    max_fun: int
    tol: float
    verbose: bool

    name = "lbfgs"
    handles = "smooth penalties and an elementwise L1 part"

    @classmethod
    def supports_penalty(cls, penalty) -> bool:
        return penalty.lbfgs != "unsupported"

    def solve(
        self, objective, X, Y, sample_weight, *, events=None, **ignored
    ) -> SolverResult:
        result = minimize_lbfgs(
            objective,
            X,
            Y,
            sample_weight,
            max_iter=self.max_iter,
            max_fun=self.max_fun,
            tol=self.tol,
            verbose=bool(self.verbose),
            events=events,
        )
        result.best_loss = min(result.loss_curve, default=result.loss)
        return result


#: Bytes of forward activations per block of rows in one evaluation. The
#: blocks bound the memory of an evaluation (one pass over all rows would
#: hold every layer's activations for all of them), and should stay near a
#: core's L2 cache between the products and the elementwise passes, but each
#: block's products also pay a fixed cost for BLAS's threads. On 10,000 x 50
#: -> (64,) -> 5 with 2 BLAS threads, blocks of 1,900 rows (this size) were
#: 10-18 % faster than blocks of 950 on a 2-core AMD EPYC (three interleaved
#: comparisons; 3,800 rows as fast as 1,900, one pass slower), where blocks
#: of 950 had been 5-10 % faster on a 2-core Intel Xeon; on one thread the
#: AMD machine showed no difference.
CHUNK_BYTES = 2**20
#: Fewest rows per block: smaller products lose BLAS's efficiency.
MIN_CHUNK_ROWS = 256


#: Fewest rows per thread for an evaluation split over threads.
MIN_PART_ROWS = 512


def chunk_rows(network) -> int:
    """Rows per block of a full-batch evaluation of ``network``."""
    return max(MIN_CHUNK_ROWS, CHUNK_BYTES // network.forward_row_nbytes())


class Evaluation:
    """The objective and its gradient over all the rows, for L-BFGS.

    With ``n_threads`` above one and dense rows enough for each, the rows
    are split into one contiguous part per thread, each evaluated in blocks
    by its own copy of the network's work arrays (the parameters shared) on
    one BLAS thread, and the parts' sums are added in a fixed order. On a
    few thousand rows this beats BLAS's own threads: its products are small
    and narrow, where BLAS threads gain little, and the elementwise passes
    between them (bias, activation and its derivative, the loss), which
    NumPy runs on one core, run on all of them. Otherwise the rows are one
    part, on the configured BLAS threads.
    """

    def __init__(self, objective, X, Y, sample_weight, grad, n_threads: int):
        self.objective, self.grad = objective, grad
        n_samples = X.shape[0]
        network = objective.network
        self.rows = chunk_rows(network)
        weights = normalized_weights(sample_weight, n_samples)
        if sp.issparse(X) or n_samples < 2 * MIN_PART_ROWS:
            n_threads = 1
        self.n_threads = n_parts = max(1, min(n_threads, n_samples // MIN_PART_ROWS))
        # Each part's rows, sliced once: views of dense rows; one part is the
        # data itself (a slice of a sparse matrix would be a copy).
        self.parts = [(X, Y, weights)]
        if n_parts > 1:
            bounds = np.linspace(0, n_samples, n_parts + 1).round().astype(int)
            self.parts = [
                (X[a:b], Y[a:b], weights[a:b] if np.ndim(weights) else weights)
                for a, b in zip(bounds[:-1], bounds[1:], strict=True)
            ]
        self.networks = [network] + [
            network.sharing_parameters() for _ in range(n_parts - 1)
        ]
        self.grads = [grad] + [np.empty_like(grad) for _ in range(n_parts - 1)]
        self.works = [np.empty_like(grad) for _ in range(n_parts)]
        self._pool = ThreadPoolExecutor(n_parts - 1) if n_parts > 1 else None

    def _part(self, k: int) -> float:
        X, Y, weights = self.parts[k]
        l2 = self.objective.penalty.l2 if k == 0 else 0.0
        return self.objective.blocks_value_grad(
            self.networks[k],
            X,
            Y,
            weights,
            self.grads[k],
            self.works[k],
            self.rows,
            l2=l2,
        )

    def __call__(self) -> float:
        """The objective at the current parameters; its gradient into
        ``grad``."""
        if self._pool is None:
            value = self._part(0)
        else:
            parts = range(1, self.n_threads)
            others = [self._pool.submit(self._part, k) for k in parts]
            value = self._part(0)
            for k, future in enumerate(others, start=1):
                value += future.result()
                self.grad += self.grads[k]
        return value + self.objective.l2_value()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()


def minimize_lbfgs(
    objective,
    X,
    Y: np.ndarray,
    sample_weight: np.ndarray | None,
    *,
    max_iter: int,
    max_fun: int,
    tol: float,
    verbose: bool = False,
    events=None,
) -> SolverResult:
    """Minimize the objective over ``objective.params`` (updated in place).

    Parameters
    ----------
    objective : Objective
        Must be deterministic (no dropout).
    X, Y, sample_weight : the full training set (``Y`` two-dimensional)
    max_iter, max_fun : int
        Limits on iterations and on objective evaluations.
    tol : float
        Stop when the largest projected-gradient entry is below ``tol``.
    verbose : bool
        Print one line per iteration.
    events : FitEvents, optional
        Callback hooks around each iteration; a callback may stop the solver.
    """
    params = objective.params
    n_weights = objective.weights.size
    penalty = objective.penalty
    if not LbfgsSolver.supports_penalty(penalty):
        raise ValueError(
            f"L-BFGS handles smooth penalties and an elementwise L1 part; got "
            f"{penalty!r}."
        )
    split = penalty.lbfgs == "split_l1"
    l1 = penalty.l1 if split else 0.0
    grad = np.empty_like(params)
    threads = SolverThreads()
    evaluate = Evaluation(objective, X, Y, sample_weight, grad, threads.configured)
    # Split over threads, the evaluations run on one BLAS thread, as scipy.
    switch_threads = evaluate.n_threads == 1

    def smooth(x_params: np.ndarray) -> float:
        np.copyto(params, x_params, casting="unsafe")
        return evaluate()

    if not split:
        x0 = params.astype(np.float64)
        bounds = None

        def fun(x):
            return smooth(x), grad.astype(np.float64)

        def to_params(x):
            return x

    else:
        w = params[:n_weights].astype(np.float64)
        x0 = np.concatenate([np.maximum(w, 0), np.maximum(-w, 0), params[n_weights:]])
        lower = np.full(x0.size, -np.inf)
        lower[: 2 * n_weights] = 0.0
        bounds = Bounds(lower, np.inf)
        x_params = np.empty(params.size)
        full_grad = np.empty(x0.size)

        def to_params(x):
            np.subtract(
                x[:n_weights], x[n_weights : 2 * n_weights], out=x_params[:n_weights]
            )
            x_params[n_weights:] = x[2 * n_weights :]
            return x_params

        def fun(x):
            value = smooth(to_params(x)) + l1 * float(x[: 2 * n_weights].sum())
            g_w = grad[:n_weights]
            np.add(g_w, l1, out=full_grad[:n_weights])
            np.subtract(l1, g_w, out=full_grad[n_weights : 2 * n_weights])
            full_grad[2 * n_weights :] = grad[n_weights:]
            return value, full_grad

    loss_curve: list[float] = []
    start_time = time.perf_counter()

    def callback(intermediate_result):
        loss_curve.append(float(intermediate_result.fun))
        if events is not None:
            # the callbacks see the iterate, in the network's parameters
            np.copyto(params, to_params(intermediate_result.x), casting="unsafe")
            stop = events.step_ends()
            events.step_begins()
            if stop:
                raise StopIteration
        if verbose:
            np.copyto(params, to_params(intermediate_result.x), casting="unsafe")
            zeros = np.count_nonzero(params[:n_weights] == 0) / max(n_weights, 1)
            elapsed = time.perf_counter() - start_time
            print(
                f"Iteration {len(loss_curve)}, loss = {loss_curve[-1]:.8f}, "
                f"zero weights = {zeros:.3f}, time = {elapsed:.2f}s"
            )

    def fun_with_threads(x):
        if not switch_threads:
            return fun(x)
        threads.network()
        try:
            return fun(x)
        finally:
            threads.solver()

    if events is not None:
        events.step_begins()
    threads.solver()
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            result = minimize(
                fun_with_threads,
                x0,
                method="L-BFGS-B",
                jac=True,
                bounds=bounds,
                callback=callback,
                # ftol=0: stop on the projected gradient (tol), as documented,
                # not on scipy's relative-decrease rule.
                options={
                    "maxiter": max_iter,
                    "maxfun": max_fun,
                    "gtol": tol,
                    "ftol": 0.0,
                },
            )
    finally:
        threads.network()
        evaluate.close()
    if events is not None:
        events.step_ends(ran=False)  # the step opened after the last iteration
    final = to_params(result.x)
    if np.isfinite(final).all() and np.isfinite(result.fun):
        np.copyto(params, final, casting="unsafe")
        loss = float(result.fun)
    else:
        np.copyto(params, to_params(x0), casting="unsafe")
        loss = float(objective.value(X, Y, sample_weight))
        warnings.warn(
            "L-BFGS produced non-finite values; the initial parameters were kept. "
            "Scale the data or lower the number of iterations.",
            ConvergenceWarning,
            stacklevel=3,
        )
    converged = result.status == 0
    if not converged:
        message = result.message
        if isinstance(message, bytes):
            message = message.decode()
        warnings.warn(
            f"lbfgs failed to converge after {result.nit} iteration(s) "
            f"(status={result.status}): {message}.\n\nIncrease the number of "
            "iterations (max_iter) or scale the data as shown in:\n"
            "    https://scikit-learn.org/stable/modules/preprocessing.html",
            ConvergenceWarning,
            stacklevel=3,
        )
    return SolverResult(
        n_iter=int(result.nit), loss=loss, loss_curve=loss_curve, converged=converged
    )
