"""skreg on Dask: a grid search on a cluster, and streaming with ``partial_fit``.

A ``GridSearchCV`` run through joblib's Dask backend on a ``LocalCluster``
(worker threads in this process, or worker processes, listening on loopback
only) gives exactly the scores and best parameters of the same search run
locally. ``partial_fit`` makes one epoch over the rows it is given, as
scikit-learn's MLPs do, so ``dask_ml.wrappers.Incremental`` (one
``partial_fit`` call per block of a Dask array) trains the same model as a
loop over the blocks in memory; plain ``dask`` can stream the blocks too.
"""

from __future__ import annotations

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from skreg import RegularizedMLPClassifier, RegularizedMLPRegressor

dask = pytest.importorskip("dask")
da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

N_ROWS, N_FEATURES, BLOCK_ROWS = 500, 8, 100
CLASSES = np.array([0, 1])


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=N_ROWS,
        n_features=N_FEATURES,
        n_informative=5,
        random_state=0,
    )
    return StandardScaler().fit_transform(X), y


@pytest.fixture(
    scope="module", params=[False, True], ids=["worker-threads", "worker-processes"]
)
def client(request):
    """A two-worker cluster on 127.0.0.1 and a client to it, closed afterwards."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=request.param,
            # tcp on loopback for both kinds: without it, in-process workers
            # would use the "inproc" transport, which takes no host.
            host="127.0.0.1",
            protocol="tcp://",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        client.wait_for_workers(2, timeout=60)
        addresses = [cluster.scheduler_address, *client.scheduler_info()["workers"]]
        assert all(a.startswith("tcp://127.0.0.1:") for a in addresses), addresses
        yield client


# -- (a) GridSearchCV through joblib's Dask backend ------------------------------


def test_grid_search_on_dask_cluster_matches_local_run(client, data):
    X, y = data
    model = make_pipeline(
        StandardScaler(),
        RegularizedMLPClassifier(
            hidden_layer_sizes=(8,),
            max_iter=40,
            learning_rate_init=0.01,
            random_state=0,
        ),
    )
    grid = {
        "regularizedmlpclassifier__penalty": ["l2", "l1"],
        "regularizedmlpclassifier__alpha": [1e-3, 1e-1],
        # Dropout masks come from random_state, wherever the fit runs.
        "regularizedmlpclassifier__dropout": [0.0, 0.2],
    }
    local = GridSearchCV(model, grid, cv=3, n_jobs=1).fit(X, y)

    remote = GridSearchCV(model, grid, cv=3, n_jobs=-1)
    with (
        distributed.get_task_stream(client) as tasks,
        joblib.parallel_config(backend="dask"),
    ):
        remote.fit(X, y)

    # The fits did run on the cluster's workers.
    workers = set(client.scheduler_info()["workers"])
    assert tasks.data, "no task ran on the cluster"
    assert {task["worker"] for task in tasks.data} <= workers

    assert remote.cv_results_["params"] == local.cv_results_["params"]
    for key in ("mean_test_score", "std_test_score", "rank_test_score"):
        np.testing.assert_array_equal(remote.cv_results_[key], local.cv_results_[key])
    for fold in range(3):
        key = f"split{fold}_test_score"
        np.testing.assert_array_equal(remote.cv_results_[key], local.cv_results_[key])
    assert remote.best_params_ == local.best_params_
    np.testing.assert_array_equal(remote.predict(X), local.predict(X))


# -- (b) partial_fit is one epoch, so blocks can be streamed ---------------------


@pytest.mark.parametrize(
    ("skreg_class", "sklearn_class"),
    [
        (RegularizedMLPClassifier, MLPClassifier),
        (RegularizedMLPRegressor, MLPRegressor),
    ],
)
def test_partial_fit_is_one_epoch_per_call(data, skreg_class, sklearn_class):
    X, y = data
    kwargs = {"classes": CLASSES} if skreg_class is RegularizedMLPClassifier else {}
    params = dict(hidden_layer_sizes=(8,), batch_size=32, random_state=0)
    model = skreg_class(**params)
    reference = sklearn_class(**params)
    block_sizes = [100, 60, 140]
    start = 0
    for call, rows in enumerate(block_sizes, start=1):
        block = slice(start, start + rows)
        model.partial_fit(X[block], y[block], **kwargs)
        reference.partial_fit(X[block], y[block], **kwargs)
        start += rows
        # One epoch over the block: t_ counts its rows, whatever batch_size.
        assert model.n_iter_ == 1
        assert model.t_ == start
        assert len(model.loss_curve_) == call
        # Exactly what scikit-learn's MLP reports.
        assert (model.n_iter_, model.t_) == (reference.n_iter_, reference.t_)

    # The first call is the first epoch of a fit with the same seed.
    first = skreg_class(**params).partial_fit(X[:100], y[:100], **kwargs)
    one_epoch = skreg_class(**params, max_iter=1).fit(X[:100], y[:100])
    for a, b in zip(first.coefs_, one_epoch.coefs_, strict=True):
        np.testing.assert_array_equal(a, b)


def _partial_fit_over_blocks(model, X, y, passes):
    for _ in range(passes):
        for start in range(0, X.shape[0], BLOCK_ROWS):
            block = slice(start, start + BLOCK_ROWS)
            model.partial_fit(X[block], y[block], classes=CLASSES)
    return model


def _streamed_model():
    return RegularizedMLPClassifier(
        hidden_layer_sizes=(16,),
        penalty="l1",
        alpha=1e-3,
        batch_size=50,
        learning_rate_init=0.01,
        random_state=0,
    )


def test_dask_ml_incremental_streams_blocks(client, data):
    wrappers = pytest.importorskip("dask_ml.wrappers")
    X, y = data
    Xd = da.from_array(X, chunks=(BLOCK_ROWS, N_FEATURES))
    yd = da.from_array(y, chunks=BLOCK_ROWS)
    passes = 3

    # Blocks in order, so that the result can be compared with a plain loop.
    inc = wrappers.Incremental(
        _streamed_model(), scoring="accuracy", shuffle_blocks=False
    )
    inc.fit(Xd, yd, classes=CLASSES)
    for _ in range(passes - 1):
        inc.partial_fit(Xd, yd, classes=CLASSES)

    model = inc.estimator_
    check_is_fitted(model)
    assert model.t_ == N_ROWS * passes
    assert model.n_iter_ == 1
    assert len(model.loss_curve_) == passes * N_ROWS // BLOCK_ROWS
    # The same model as partial_fit over the blocks in memory, bit for bit.
    in_memory = _partial_fit_over_blocks(_streamed_model(), X, y, passes)
    for a, b in zip(model.coefs_, in_memory.coefs_, strict=True):
        np.testing.assert_array_equal(a, b)
    # The L1 prox acted along the way.
    assert any(np.any(coef == 0) for coef in model.coefs_)

    predictions = inc.predict(Xd)
    assert isinstance(predictions, da.Array)
    predictions = predictions.compute()
    assert set(np.unique(predictions)) <= set(CLASSES)
    assert np.mean(predictions == y) > 0.8
    assert inc.score(Xd, yd) > 0.8


def test_plain_dask_blocks_stream_into_partial_fit(data):
    X, y = data
    Xd = da.from_array(X, chunks=(BLOCK_ROWS, N_FEATURES))
    yd = da.from_array(y, chunks=BLOCK_ROWS)
    passes = 2

    model = clone(_streamed_model())
    x_blocks, y_blocks = Xd.to_delayed().ravel(), yd.to_delayed().ravel()
    for _ in range(passes):
        for x_block, y_block in zip(x_blocks, y_blocks, strict=True):
            # One block in memory at a time.
            X_part, y_part = dask.compute(x_block, y_block)
            model.partial_fit(X_part, y_part, classes=CLASSES)

    assert model.t_ == N_ROWS * passes
    in_memory = _partial_fit_over_blocks(_streamed_model(), X, y, passes)
    for a, b in zip(model.coefs_, in_memory.coefs_, strict=True):
        np.testing.assert_array_equal(a, b)
    assert model.score(X, y) > 0.8
