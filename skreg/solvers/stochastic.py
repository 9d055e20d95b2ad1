"""The epoch loop shared by the minibatch solvers (proximal SGD and Adam).

Follows scikit-learn's MLP conventions: ``n_iter_no_change`` epochs without
an improvement of ``tol`` (in training loss, or in validation score with early
stopping) end training or, for the adaptive schedule, lower the learning rate.
With early stopping the validation set may be measured every few epochs
(``validation_interval``); ``n_iter_no_change`` still counts epochs, and a
measurement improves if it beats the best one by ``tol``.
Each ``loss_curve`` entry is the sample-weighted mean of the minibatch
objectives seen during the epoch.
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning

from .._arrays import zero_fraction

__all__ = ["TrainingState", "run_epochs"]


@dataclass
class TrainingState:
    """What training remembers between epochs and between calls."""

    n_iter: int = 0
    t: int = 0
    loss: float | None = None
    loss_curve: list[float] = field(default_factory=list)
    best_loss: float | None = np.inf
    no_improvement_count: int = 0
    validation_scores: list[float] | None = None
    best_validation_score: float | None = None
    validation_loss_curve: list[float] | None = None
    best_params: np.ndarray | None = None

    @classmethod
    def new(cls, early_stopping: bool) -> TrainingState:
        if early_stopping:
            return cls(
                best_loss=None,
                validation_scores=[],
                best_validation_score=-np.inf,
                validation_loss_curve=[],
            )
        return cls()


class _Batches:
    """Gathers minibatches into reused buffers (dense) or by row slicing."""

    def __init__(self, X, Y, sample_weight, batch_size: int) -> None:
        self.X, self.Y, self.sample_weight = X, Y, sample_weight
        self.batch_size = batch_size
        self.dense = not sp.issparse(X)
        n = min(batch_size, X.shape[0])
        self._X = np.empty((n, X.shape[1]), X.dtype) if self.dense else None
        self._Y = np.empty((n, Y.shape[1]), Y.dtype)
        self._sw = None if sample_weight is None else np.empty(n, sample_weight.dtype)

    @property
    def nbytes(self) -> int:
        """Bytes held by the batch buffers."""
        buffers = (self._X, self._Y, self._sw)
        return sum(b.nbytes for b in buffers if b is not None)

    def __call__(self, order: np.ndarray | None):
        n = self.X.shape[0]
        for start in range(0, n, self.batch_size):
            stop = min(start + self.batch_size, n)
            if order is None:
                rows = slice(start, stop)
                sw = None if self.sample_weight is None else self.sample_weight[rows]
                yield self.X[rows], self.Y[rows], sw
                continue
            idx = order[start:stop]
            size = stop - start
            # The indices are a permutation, always in range: mode="clip"
            # skips the bounds-checked copy that the default mode makes.
            if self.dense:
                Xb = self.X.take(idx, axis=0, out=self._X[:size], mode="clip")
            else:
                Xb = self.X[idx]
            Yb = self.Y.take(idx, axis=0, out=self._Y[:size], mode="clip")
            sw = None
            if self.sample_weight is not None:
                sw = self.sample_weight.take(idx, out=self._sw[:size], mode="clip")
            yield Xb, Yb, sw


def _final_pass_row_nbytes(objective, X) -> int:
    """Bytes per row of a chunk of the final objective pass: the forward
    arrays, the loss's temporaries (a few per output) and, for sparse X, the
    copy that slicing its rows makes."""
    network = objective.network
    n_bytes = network.forward_row_nbytes()
    n_bytes += 3 * network.layer_units[-1] * network.dtype.itemsize + 32
    if sp.issparse(X):
        stored = X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
        n_bytes += -(-stored // max(X.shape[0], 1))
    return n_bytes


def _warn_divergence(at_start: bool, epoch: int) -> None:
    if at_start:
        advice = (
            "The objective is not finite at the starting parameters: scale the "
            "data (e.g. with StandardScaler) or lower learning_rate_init."
        )
    else:
        advice = (
            f"The objective became non-finite during epoch {epoch + 1}; training "
            "stopped and the last parameters with a finite objective were "
            "restored. Lower learning_rate_init (or scale the data)."
        )
    warnings.warn(advice, ConvergenceWarning, stacklevel=4)


def run_epochs(
    objective,
    optimizer,
    X,
    Y: np.ndarray,
    sample_weight: np.ndarray | None,
    *,
    state: TrainingState,
    rng: np.random.Generator,
    batch_size: int,
    max_iter: int,
    shuffle: bool,
    tol: float,
    n_iter_no_change: int | float,
    validation=None,
    validation_interval: int = 1,
    average=None,
    events=None,
    incremental: bool = False,
    verbose: bool = False,
) -> None:
    """Train ``objective.params`` in place, epoch after epoch.

    Parameters
    ----------
    objective : Objective
    optimizer : ProximalSGD or ProximalAdam
    X, Y, sample_weight : training data (``Y`` two-dimensional)
    state : TrainingState
        Updated in place (also the record of a previous ``partial_fit``).
    rng : numpy Generator
        Source of the shuffling and of the dropout masks.
    validation : Validation, optional
        Measures the current parameters on held-out data (``evaluate()``:
        score and loss); turns on early stopping, which restores the
        parameters of the best-scoring epoch at the end.
    validation_interval : int
        Epochs between two measurements of the validation set (and after the
        last epoch when ``max_iter`` ends training).
    events : FitEvents, optional
        Callback hooks around each epoch; a callback may stop training.
    average : IterateAverage, optional
        Polyak averaging of the iterates: validation scores and the result
        are those of the mean (the state keeps the last iterate, from which
        a later call continues).
    incremental : bool
        Run exactly one epoch (``partial_fit``).
    """
    params = objective.params
    grad = np.empty_like(params)
    # The last parameters known to give a finite objective: taken at the
    # first batch of each epoch once its objective is finite, so one copy per
    # epoch (the initial parameters until then).
    last_finite = params.copy()
    n_samples = X.shape[0]
    total_weight = n_samples if sample_weight is None else float(sample_weight.sum())
    batches = _Batches(X, Y, sample_weight, batch_size)
    early_stopping = validation is not None
    if early_stopping and state.best_params is None:
        state.best_params = params.copy()
    # The optimizers' work array (shared with back-propagation's weight decay
    # and the proximal step, which never run at the same time).
    work = objective.network.work_array()
    prox = objective.prox if objective.needs_prox else None
    optimizer.schedule.plan(-(-n_samples // batch_size), max_iter)
    if average is not None and average.iterate is not None:
        # continue from the last iterate, not from the mean
        average.swap_out(params)
    start_time = time.perf_counter()

    state.n_iter = 0
    unmeasured = 0  # epochs since the validation set was last measured
    seen = state.t  # samples seen before this step (averaging's clock)
    for epoch in range(max_iter):
        if events is not None:
            events.step_begins()
        order = rng.permutation(n_samples) if shuffle else None
        accumulated = 0.0
        diverged_at = None
        # The non-smooth part at the current parameters: the proximal step
        # of the previous batch often knows it (None when it does not).
        nonsmooth = None
        for batch, (Xb, Yb, swb) in enumerate(batches(order)):
            value = objective.smooth_value_grad(Xb, Yb, swb, grad, rng=rng)
            if nonsmooth is None:
                nonsmooth = objective.nonsmooth_value()
            value += nonsmooth
            if not math.isfinite(value):
                diverged_at = batch
                break
            if batch == 0:
                np.copyto(last_finite, params)
            accumulated += value * (Xb.shape[0] if swb is None else float(swb.sum()))
            nonsmooth = optimizer.step(params, grad, work, prox)
            if average is not None:
                seen += Xb.shape[0]
                average.update(params, seen, work)
        if diverged_at is not None or not np.isfinite(params).all():
            np.copyto(params, last_finite)
            if average is not None:
                average.discard()  # it took in non-finite iterates
            if events is not None:
                events.step_ends(ran=False)
            _warn_divergence(at_start=diverged_at == 0 and epoch == 0, epoch=epoch)
            break

        state.n_iter += 1
        state.t += n_samples
        state.loss = accumulated / total_weight
        state.loss_curve.append(state.loss)

        message = f"Iteration {state.n_iter}, loss = {state.loss:.8f}"
        unmeasured += 1
        if early_stopping and (
            unmeasured >= validation_interval or state.n_iter == max_iter
        ):
            averaged = average is not None and average.swap_in(params)
            score, validation_loss = validation.evaluate()
            state.validation_scores.append(score)
            state.validation_loss_curve.append(validation_loss)
            message += f", validation score = {score:.6f}"
            # Patience counts epochs: a measurement after k epochs stands for
            # k of them. It improves if it beats the best by tol.
            if score < state.best_validation_score + tol:
                state.no_improvement_count += unmeasured
            else:
                state.no_improvement_count = 0
            if score > state.best_validation_score:
                state.best_validation_score = score
                np.copyto(state.best_params, params)
            if averaged:
                average.swap_out(params)
            unmeasured = 0
        elif not early_stopping:
            if state.loss > state.best_loss - tol:
                state.no_improvement_count += 1
            else:
                state.no_improvement_count = 0
            state.best_loss = min(state.best_loss, state.loss)
        if verbose:
            zeros = zero_fraction([objective.weights])
            elapsed = time.perf_counter() - start_time
            print(f"{message}, zero weights = {zeros:.3f}, time = {elapsed:.2f}s")

        optimizer.epoch_ends(state.t)
        if events is not None and events.step_ends():
            break  # a callback asked to stop

        if state.no_improvement_count > n_iter_no_change:
            what = "Validation score" if early_stopping else "Training loss"
            stop, action = optimizer.on_plateau()
            if verbose:
                print(
                    f"{what} did not improve more than tol={tol:f} for "
                    f"{n_iter_no_change} consecutive epochs. {action}"
                )
            if stop:
                break
            state.no_improvement_count = 0

        if incremental:
            break
        if state.n_iter == max_iter:
            warnings.warn(
                f"Stochastic Optimizer: Maximum iterations ({max_iter}) reached and "
                "the optimization hasn't converged yet.",
                ConvergenceWarning,
                stacklevel=3,
            )

    if average is not None and not average.count and not incremental:
        warnings.warn(
            f"average={average.start} was not reached: training ended after "
            f"{seen} samples, before averaging started; the fitted weights are "
            "not averaged. Lower average or raise max_iter.",
            UserWarning,
            stacklevel=4,
        )
    if early_stopping:
        np.copyto(params, state.best_params)
    elif average is not None:
        average.swap_in(params)
    # The loss curve holds epoch averages of minibatch objectives; loss_ is
    # the objective itself at the final parameters. Training's work arrays
    # are freed first, and the pass runs in chunks of rows whose forward
    # arrays take that memory: peak memory stays that of training, with
    # fewer and larger (more efficient) matrix products.
    freed = objective.network.release_workspaces()
    freed += grad.nbytes + last_finite.nbytes + batches.nbytes
    del grad, last_finite, batches, work
    chunk_size = max(batch_size, freed // _final_pass_row_nbytes(objective, X))
    state.loss = objective.value(X, Y, sample_weight, chunk_size=chunk_size)
