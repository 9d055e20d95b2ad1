"""The minibatch optimizers against textbook references.

The references are written out plainly, as in Kingma & Ba (2015) with
scikit-learn's placement of the bias corrections in the learning rate: they
keep ``m`` and ``v`` normalized and make every step in float64. The solvers
keep their own internal forms (fewer passes over the parameters), so only
the parameter trajectories, and the step sizes given to the proximal step,
are compared.
"""

import numpy as np
import pytest

from skreg.solvers import LearningRateSchedule, ProximalAdam

N_PARAMS, N_WEIGHTS, N_STEPS = 300, 240, 25


class _RecordingProx:
    """A proximal step that only records the steps it is given (the weights'
    entries): the optimizer needs nothing else of the objective."""

    def __init__(self):
        self.steps = []

    def __call__(self, step, scratch=None):
        assert scratch is not None and scratch.size >= N_WEIGHTS
        self.steps.append(np.array(step[:N_WEIGHTS], dtype=np.float64))


def _reference_adam(params, grads, lr, b1, b2, eps):
    """Textbook Adam; returns the parameters and the per-weight step sizes."""
    params = params.astype(np.float64)
    m = np.zeros_like(params)
    v = np.zeros_like(params)
    steps = []
    for t, g in enumerate(grads, start=1):
        g = g.astype(np.float64)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        lr_t = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
        step = lr_t / (np.sqrt(v) + eps)
        params = params - m * step
        steps.append(step[:N_WEIGHTS])
    return params, steps


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("needs_prox", [False, True])
@pytest.mark.parametrize(
    "lr, b1, b2, eps", [(1e-3, 0.9, 0.999, 1e-8), (0.05, 0.0, 0.5, 1e-4)]
)
def test_adam_follows_the_textbook_update(dtype, needs_prox, lr, b1, b2, eps):
    rng = np.random.default_rng(0)
    start = rng.standard_normal(N_PARAMS).astype(dtype)
    grads = [rng.standard_normal(N_PARAMS).astype(dtype) for _ in range(N_STEPS)]
    params = start.copy()
    work = np.full(N_PARAMS, np.nan, dtype=dtype)  # content must not matter
    prox = _RecordingProx() if needs_prox else None
    adam = ProximalAdam(LearningRateSchedule("constant", lr), b1, b2, eps)
    for g in grads:
        adam.step(params, g.copy(), work, prox)  # the step consumes its gradient
    expected, expected_steps = _reference_adam(start, grads, lr, b1, b2, eps)

    rtol = 1e-12 if dtype == np.float64 else 2e-5
    assert params.dtype == dtype
    assert adam.m.dtype == adam.v.dtype == dtype
    np.testing.assert_allclose(params, expected, rtol=rtol, atol=rtol)
    if needs_prox:
        assert len(prox.steps) == N_STEPS
        for got, want in zip(prox.steps, expected_steps, strict=True):
            np.testing.assert_allclose(got, want, rtol=100 * rtol)


def _blas_threads() -> dict:
    """Each BLAS library's current number of threads."""
    from threadpoolctl import threadpool_info

    return {
        info["filepath"]: info["num_threads"]
        for info in threadpool_info()
        if info["user_api"] == "blas"
    }


def test_lbfgs_thread_switches_and_restores_the_configured_threads(monkeypatch):
    """scipy's vector work runs on one BLAS thread; each evaluation of the
    network, and the code after the fit, on the configured number."""
    import warnings

    from sklearn.datasets import make_classification
    from threadpoolctl import threadpool_limits

    from skreg import RegularizedMLPClassifier
    from skreg._objective import Objective
    from skreg.solvers.lbfgs import SolverThreads

    seen = []
    evaluate = Objective.blocks_value_grad

    def spying(self, *args, **kwargs):
        seen.append(_blas_threads())
        return evaluate(self, *args, **kwargs)

    # 60 rows: too few to split over threads, one part on the BLAS threads
    monkeypatch.setattr(Objective, "blocks_value_grad", spying)
    X, y = make_classification(n_samples=60, n_features=5, random_state=0)
    with threadpool_limits(limits=2, user_api="blas"):
        configured = _blas_threads()
        threads = SolverThreads()
        threads.solver()
        assert set(_blas_threads().values()) == {1}
        threads.network()
        assert _blas_threads() == configured
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            RegularizedMLPClassifier(
                hidden_layer_sizes=(4,), solver="lbfgs", max_iter=3, random_state=0
            ).fit(X, y)
        assert seen and all(threads == configured for threads in seen)
        assert _blas_threads() == configured


def test_lbfgs_split_evaluation_runs_on_one_blas_thread_per_part(monkeypatch):
    """With several BLAS threads configured and rows enough, each evaluation
    is split into one part per thread, each on one BLAS thread (no
    oversubscription); the configured threads are back after the fit, and
    the fit is that of one thread to rounding."""
    import warnings

    from sklearn.datasets import make_classification
    from threadpoolctl import threadpool_limits

    from skreg import RegularizedMLPClassifier
    from skreg._objective import Objective
    from skreg.solvers.lbfgs import MIN_PART_ROWS

    seen = []
    blocks = Objective.blocks_value_grad

    def spying(self, network, X, *args, **kwargs):
        seen.append((X.shape[0], set(_blas_threads().values())))
        return blocks(self, network, X, *args, **kwargs)

    monkeypatch.setattr(Objective, "blocks_value_grad", spying)
    n = 2 * MIN_PART_ROWS + 1
    X, y = make_classification(n_samples=n, n_features=5, random_state=0)
    fits = {}
    for n_threads in (1, 2):
        with threadpool_limits(limits=n_threads, user_api="blas"):
            configured = _blas_threads()
            seen.clear()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fits[n_threads] = RegularizedMLPClassifier(
                    hidden_layer_sizes=(4,), solver="lbfgs", max_iter=5, random_state=0
                ).fit(X, y)
            parts = {rows for rows, _ in seen}
            assert parts == ({n} if n_threads == 1 else {n // 2, n - n // 2})
            assert all(threads == {1} for _, threads in seen)
            assert _blas_threads() == configured
    for a, b in zip(fits[1].coefs_, fits[2].coefs_, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_lbfgs_discovers_the_thread_pools_once_per_fit(monkeypatch):
    """Each discovery of the process's BLAS libraries reads its memory maps
    (milliseconds); a fit pays it a bounded number of times, not once per
    evaluation of the objective."""
    import warnings

    import threadpoolctl
    from sklearn.datasets import load_breast_cancer

    from skreg import RegularizedMLPClassifier

    discoveries = []
    original = threadpoolctl.ThreadpoolController._load_libraries

    def counting(self, *args, **kwargs):
        discoveries.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(threadpoolctl.ThreadpoolController, "_load_libraries", counting)
    X, y = load_breast_cancer(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    counts = {}
    for max_iter in (5, 60):
        discoveries.clear()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est = RegularizedMLPClassifier(
                hidden_layer_sizes=(16,),
                solver="lbfgs",
                max_iter=max_iter,
                tol=0,
                random_state=0,
            ).fit(X, y)
        assert est.n_iter_ == max_iter
        counts[max_iter] = len(discoveries)
    assert counts[5] == counts[60] <= 2
