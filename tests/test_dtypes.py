"""Input types: float32 stays float32, sparse equals dense, targets of every shape.

- float32 X trains and predicts in float32 (``coefs_``, ``intercepts_``,
  regression predictions, ``predict_proba``) with every solver; integer and
  other X train in float64.
- CSR and CSC X give the same model as the dense array.
- Multilabel indicator targets and multi-output regression have the right
  output shapes.
- A pandas DataFrame sets ``feature_names_in_``, and predicting with an array
  after fitting on a DataFrame (or the other way round) warns as
  scikit-learn's estimators do.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.datasets import make_classification, make_multilabel_classification
from sklearn.exceptions import ConvergenceWarning

from skreg import RegularizedMLPClassifier, RegularizedMLPRegressor

ESTIMATORS = [RegularizedMLPClassifier, RegularizedMLPRegressor]


SOLVERS = ["adam", "sgd", "lbfgs"]
FAST = {"hidden_layer_sizes": (5,), "max_iter": 20, "random_state": 0}


@pytest.fixture(autouse=True)
def _quiet_convergence():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def _data(Estimator, n_samples=50, seed=0):
    X, y = make_classification(
        n_samples=n_samples,
        n_features=5,
        n_informative=3,
        n_classes=3,
        random_state=seed,
    )
    if Estimator is RegularizedMLPRegressor:
        y = X[:, 0] - 2 * X[:, 1] + 0.1 * np.random.RandomState(seed).randn(n_samples)
    return X, y


def _parameters(estimator):
    return estimator.coefs_ + estimator.intercepts_


# -- float32 / float64 -----------------------------------------------------------


@pytest.mark.parametrize("layout", ["dense", "csr", "csc"])
@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_float32_trains_and_predicts_in_float32(Estimator, solver, layout):
    X, y = _data(Estimator)
    X = X.astype(np.float32)
    if layout != "dense":
        X = getattr(sp, f"{layout}_matrix")(X)
    estimator = Estimator(solver=solver, **FAST).fit(X, y)

    assert all(array.dtype == np.float32 for array in _parameters(estimator))
    if Estimator is RegularizedMLPRegressor:
        assert estimator.predict(X).dtype == np.float32
    else:
        assert estimator.predict(X).dtype == y.dtype
        assert estimator.predict_proba(X).dtype == np.float32
        assert estimator.predict_log_proba(X).dtype == np.float32
    assert np.isfinite(estimator.loss_)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_float32_model_is_close_to_float64_model(Estimator, solver):
    """float32 is the same computation at lower precision, not another model."""
    X, y = _data(Estimator)
    model64 = Estimator(solver=solver, **FAST).fit(X, y)
    model32 = Estimator(solver=solver, **FAST).fit(X.astype(np.float32), y)
    for a, b in zip(_parameters(model64), _parameters(model32), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.float16, bool])
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_other_dtypes_train_in_float64(Estimator, dtype):
    X, y = _data(Estimator)
    X = (np.round(X) > 0) if dtype is bool else np.round(X).astype(dtype)
    estimator = Estimator(**FAST).fit(X, y)
    assert all(array.dtype == np.float64 for array in _parameters(estimator))
    if Estimator is RegularizedMLPRegressor:
        assert estimator.predict(X).dtype == np.float64
    else:
        assert estimator.predict_proba(X).dtype == np.float64


def test_integer_data_trains_like_the_same_floats():
    X, y = _data(RegularizedMLPClassifier)
    X = np.round(X * 3).astype(np.int64)
    from_int = RegularizedMLPClassifier(**FAST).fit(X, y)
    from_float = RegularizedMLPClassifier(**FAST).fit(X.astype(np.float64), y)
    for a, b in zip(_parameters(from_int), _parameters(from_float), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_float64_model_predicts_float32_input_in_float64(Estimator):
    X, y = _data(Estimator)
    estimator = Estimator(**FAST).fit(X, y)
    X32 = X.astype(np.float32)
    if Estimator is RegularizedMLPRegressor:
        np.testing.assert_allclose(estimator.predict(X32), estimator.predict(X), 1e-5)
    else:
        proba = estimator.predict_proba(X32)
        np.testing.assert_allclose(proba, estimator.predict_proba(X), atol=1e-5)


# -- sparse == dense -------------------------------------------------------------

SPARSE_CASES = [
    # A strong penalty makes the optimum well determined, so that L-BFGS
    # reaches it whatever the rounding of the sparse products on the way.
    pytest.param(
        {
            "solver": "lbfgs",
            "activation": "tanh",
            "alpha": 0.1,
            "tol": 1e-10,
            "max_iter": 500,
        },
        id="lbfgs",
    ),
    pytest.param({"solver": "adam", "shuffle": False}, id="adam-no-shuffle"),
    pytest.param({"solver": "adam", "batch_size": 16}, id="adam-minibatch"),
    pytest.param(
        {"solver": "sgd", "batch_size": 16, "penalty": "l1", "alpha": 1e-2},
        id="sgd-l1",
    ),
    pytest.param({"solver": "adam", "dropout": 0.3}, id="adam-dropout"),
]


@pytest.mark.parametrize("layout", ["csr", "csc"])
@pytest.mark.parametrize("params", SPARSE_CASES)
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_sparse_gives_the_dense_model(Estimator, params, layout):
    X, y = _data(Estimator)
    X[np.abs(X) < 0.7] = 0.0  # about half the entries are zero
    X_sparse = getattr(sp, f"{layout}_matrix")(X)
    params = {**FAST, **params}
    dense = Estimator(**params).fit(X, y)
    sparse = Estimator(**params).fit(X_sparse, y)

    # The sparse products round differently: the stochastic solvers follow the
    # same path to rounding error, L-BFGS reaches the same optimum to its
    # tolerance.
    atol = 1e-6 if params["solver"] == "lbfgs" else 1e-9
    if params["solver"] != "lbfgs":
        assert sparse.n_iter_ == dense.n_iter_
    for a, b in zip(_parameters(dense), _parameters(sparse), strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=atol)
    np.testing.assert_allclose(sparse.predict(X_sparse), dense.predict(X), atol=atol)
    # A model fitted either way predicts the same on either layout.
    np.testing.assert_allclose(dense.predict(X_sparse), dense.predict(X), atol=1e-12)
    if Estimator is RegularizedMLPClassifier:
        np.testing.assert_allclose(
            sparse.predict_proba(X_sparse), dense.predict_proba(X), atol=atol
        )


# -- target shapes -----------------------------------------------------------------


@pytest.mark.parametrize("solver", SOLVERS)
def test_multilabel_indicator_targets(solver):
    X, Y = make_multilabel_classification(
        n_samples=60, n_features=5, n_classes=4, random_state=0
    )
    clf = RegularizedMLPClassifier(solver=solver, **FAST).fit(X, Y)
    assert clf.n_outputs_ == 4
    assert clf.out_activation_ == "logistic"
    prediction = clf.predict(X)
    assert prediction.shape == (60, 4)
    assert set(np.unique(prediction)) <= {0, 1}
    proba = clf.predict_proba(X)
    assert proba.shape == (60, 4)
    # One independent probability per label, not a distribution over labels.
    assert not np.allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(prediction, (proba > 0.5).astype(int))


@pytest.mark.parametrize("n_classes", [2, 3])
def test_classification_output_shapes(n_classes):
    X, y = make_classification(
        n_samples=60, n_features=5, n_informative=3, n_classes=n_classes, random_state=0
    )
    labels = np.array(["cat", "dog", "eel"])[y]  # string labels round-trip
    clf = RegularizedMLPClassifier(**FAST).fit(X, labels)
    assert clf.predict(X).shape == (60,)
    assert set(clf.predict(X)) <= set(labels)
    assert clf.predict_proba(X).shape == (60, n_classes)
    np.testing.assert_allclose(clf.predict_proba(X).sum(axis=1), 1.0)
    expected_activation = "logistic" if n_classes == 2 else "softmax"
    assert clf.out_activation_ == expected_activation


@pytest.mark.parametrize("loss", ["squared_error", "poisson"])
@pytest.mark.parametrize("solver", SOLVERS)
def test_multi_output_regression(solver, loss):
    X, _ = _data(RegularizedMLPRegressor)
    Y = np.column_stack([X[:, 0], X[:, 1] - X[:, 2], X.sum(axis=1)])
    if loss == "poisson":
        Y = np.exp(Y / 4)
    reg = RegularizedMLPRegressor(loss=loss, solver=solver, **FAST).fit(X, Y)
    assert reg.n_outputs_ == 3
    assert reg.predict(X).shape == (len(X), 3)
    assert reg.predict(X[:1]).shape == (1, 3)


def test_column_vector_target_is_treated_as_1d():
    X, y = _data(RegularizedMLPRegressor)
    with pytest.warns(Warning, match="column-vector y"):
        reg = RegularizedMLPRegressor(**FAST).fit(X, y[:, None])
    assert reg.n_outputs_ == 1
    assert reg.predict(X).shape == (len(y),)


# -- pandas ---------------------------------------------------------------------------


def _frame(X):
    return pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_dataframe_sets_feature_names(Estimator):
    X, y = _data(Estimator)
    estimator = Estimator(**FAST).fit(_frame(X), pd.Series(y))
    np.testing.assert_array_equal(
        estimator.feature_names_in_, [f"f{i}" for i in range(5)]
    )
    assert estimator.n_features_in_ == 5
    np.testing.assert_allclose(
        estimator.predict(_frame(X)), Estimator(**FAST).fit(X, y).predict(X)
    )


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_predicting_an_array_after_a_dataframe_warns(Estimator):
    X, y = _data(Estimator)
    estimator = Estimator(**FAST).fit(_frame(X), y)
    with pytest.warns(UserWarning, match="X does not have valid feature names"):
        estimator.predict(X)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_predicting_a_dataframe_after_an_array_warns(Estimator):
    X, y = _data(Estimator)
    estimator = Estimator(**FAST).fit(X, y)
    assert not hasattr(estimator, "feature_names_in_")
    with pytest.warns(UserWarning, match="X has feature names, but"):
        estimator.predict(_frame(X))


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_renamed_columns_are_rejected(Estimator):
    X, y = _data(Estimator)
    estimator = Estimator(**FAST).fit(_frame(X), y)
    renamed = _frame(X).rename(columns={"f0": "other"})
    with pytest.raises(ValueError, match="feature names should match"):
        estimator.predict(renamed)


def test_float32_dataframe_trains_in_float32():
    X, y = _data(RegularizedMLPRegressor)
    reg = RegularizedMLPRegressor(**FAST).fit(_frame(X.astype(np.float32)), y)
    assert reg.coefs_[0].dtype == np.float32
    assert reg.predict(_frame(X.astype(np.float32))).dtype == np.float32
