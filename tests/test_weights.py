"""Sample and class weights mean what the objective says they mean.

The objective weighs each sample's loss by ``s_i`` (``sample_weight`` times
the class weight) and divides by ``sum_i s_i``; the initial weights depend only
on ``random_state`` and the layer sizes. Hence, for every solver that sees the
whole data at each step (lbfgs, and sgd/adam with a full batch):

- a zero weight trains the same model as dropping the sample;
- an integer weight trains the same model as repeating the row;
- ``class_weight`` trains the same model as the equivalent ``sample_weight``;
- all of this also holds in ``partial_fit``.

``class_weight="balanced"`` helps on imbalanced data, and early stopping holds
out a stratified validation split that carries the sample weights, scores it
without dropout and restores the best parameters.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.utils.class_weight import compute_sample_weight

import skreg._validation
from skreg import RegularizedMLPClassifier, RegularizedMLPRegressor

ESTIMATORS = [RegularizedMLPClassifier, RegularizedMLPRegressor]


PENALTIES = ["l2", "l1", "elasticnet"]
N_SAMPLES = 40

# A strong enough penalty makes the optimum well determined, so that L-BFGS
# reaches the same point from the same start whatever the rounding on the way.
LBFGS = {
    "hidden_layer_sizes": (4,),
    "activation": "tanh",
    "solver": "lbfgs",
    "alpha": 0.1,
    "tol": 1e-10,
    "max_iter": 2000,
}
# A fixed number of full-batch epochs: no stopping rule can fire one epoch
# earlier in one run than in the other.
FULL_BATCH = {
    "hidden_layer_sizes": (4,),
    "activation": "tanh",
    "alpha": 1e-2,
    "learning_rate_init": 0.01,
    "max_iter": 60,
    "tol": 0.0,
    "n_iter_no_change": 1000,
}


@pytest.fixture(autouse=True)
def _quiet_convergence():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def _data(Estimator, n_samples=N_SAMPLES, seed=0):
    if Estimator is RegularizedMLPClassifier:
        return make_classification(
            n_samples=n_samples,
            n_features=4,
            n_informative=3,
            n_redundant=0,
            n_classes=3,
            random_state=seed,
        )
    X, y = make_regression(
        n_samples=n_samples, n_features=4, noise=5.0, random_state=seed
    )
    return X, y / np.std(y)


# L-BFGS runs from the same start to the same optimum, each to its own
# tolerance: they agree to about the square root of the machine precision.
LBFGS_ATOL = 1e-6


def _assert_same_model(a, b, X, atol=LBFGS_ATOL):
    for left, right in zip(a.coefs_, b.coefs_, strict=True):
        np.testing.assert_allclose(left, right, rtol=0, atol=atol, err_msg="coefs_")
    for layer, (left, right) in enumerate(
        zip(a.intercepts_, b.intercepts_, strict=True)
    ):
        # The bias of a hidden unit whose outgoing weights are all zero does
        # not enter the objective: any value is optimal, so it is not compared.
        if layer + 1 < len(a.coefs_):
            alive = a.coefs_[layer + 1].any(axis=1) | b.coefs_[layer + 1].any(axis=1)
            left, right = left[alive], right[alive]
        np.testing.assert_allclose(
            left, right, rtol=0, atol=atol, err_msg="intercepts_"
        )
    np.testing.assert_allclose(a.predict(X), b.predict(X), rtol=0, atol=atol)
    if hasattr(a, "predict_proba"):
        np.testing.assert_allclose(
            a.predict_proba(X), b.predict_proba(X), rtol=0, atol=atol
        )


def _zero_some(n_samples, seed):
    weights = np.ones(n_samples)
    weights[np.random.RandomState(seed).rand(n_samples) < 0.3] = 0.0
    return weights


def _integer_weights(n_samples, seed):
    return np.random.RandomState(seed).randint(0, 4, n_samples)


# -- zero weight == dropped sample, integer weight == repeated row ----------------


@pytest.mark.parametrize("penalty", PENALTIES)
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_zero_weight_equals_dropping_the_sample_lbfgs(Estimator, penalty):
    X, y = _data(Estimator)
    weights = _zero_some(len(y), seed=1)
    keep = weights > 0
    params = {**LBFGS, "penalty": penalty, "random_state": 0}
    weighted = Estimator(**params).fit(X, y, sample_weight=weights)
    dropped = Estimator(**params).fit(X[keep], y[keep])
    _assert_same_model(weighted, dropped, X)
    assert weighted.loss_ == pytest.approx(dropped.loss_, rel=1e-10)


@pytest.mark.parametrize("penalty", PENALTIES)
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_integer_weight_equals_repeating_the_row_lbfgs(Estimator, penalty):
    X, y = _data(Estimator)
    weights = _integer_weights(len(y), seed=2)
    params = {**LBFGS, "penalty": penalty, "random_state": 0}
    weighted = Estimator(**params).fit(X, y, sample_weight=weights)
    repeated = Estimator(**params).fit(
        np.repeat(X, weights, axis=0), np.repeat(y, weights)
    )
    _assert_same_model(weighted, repeated, X)
    assert weighted.loss_ == pytest.approx(repeated.loss_, rel=1e-10)


@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("penalty", PENALTIES)
@pytest.mark.parametrize("solver", ["adam", "sgd"])
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_weights_equal_repeats_and_drops_full_batch(
    Estimator, solver, penalty, shuffle
):
    """One step per epoch over the whole data: the equivalences are exact.

    Shuffling only reorders the rows inside the single batch.
    """
    X, y = _data(Estimator)
    params = {**FULL_BATCH, "solver": solver, "penalty": penalty, "shuffle": shuffle}
    params["random_state"] = 0

    weights = _integer_weights(len(y), seed=3)
    weighted = Estimator(batch_size=len(y), **params).fit(X, y, sample_weight=weights)
    repeated = Estimator(batch_size=int(weights.sum()), **params).fit(
        np.repeat(X, weights, axis=0), np.repeat(y, weights)
    )
    _assert_same_model(weighted, repeated, X, atol=1e-12)
    np.testing.assert_allclose(weighted.loss_curve_, repeated.loss_curve_, rtol=1e-12)

    keep = weights > 0
    dropped = Estimator(batch_size=int(keep.sum()), **params).fit(
        X[keep], y[keep], sample_weight=weights[keep]
    )
    _assert_same_model(weighted, dropped, X, atol=1e-12)


def test_weights_matter():
    """The equivalences above are not vacuous: weights change the model."""
    X, y = _data(RegularizedMLPRegressor)
    params = {**LBFGS, "random_state": 0}
    plain = RegularizedMLPRegressor(**params).fit(X, y)
    weighted = RegularizedMLPRegressor(**params).fit(
        X, y, sample_weight=_integer_weights(len(y), seed=2)
    )
    assert not np.allclose(plain.coefs_[0], weighted.coefs_[0], atol=1e-3)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_scaling_all_weights_changes_nothing(Estimator):
    """The objective divides by the sum of the weights."""
    X, y = _data(Estimator)
    params = {**LBFGS, "random_state": 0}
    plain = Estimator(**params).fit(X, y)
    scaled = Estimator(**params).fit(X, y, sample_weight=np.full(len(y), 7.5))
    _assert_same_model(plain, scaled, X)


# -- class_weight -----------------------------------------------------------------


def _imbalanced(seed, n_samples=400, weights=(0.95, 0.05)):
    X, y = make_classification(
        n_samples=n_samples,
        n_features=6,
        n_informative=3,
        weights=list(weights),
        flip_y=0.0,
        class_sep=0.7,
        random_state=seed,
    )
    return train_test_split(X, y, stratify=y, test_size=0.5, random_state=seed)


@pytest.mark.parametrize("solver", ["lbfgs", "adam"])
def test_balanced_class_weight_improves_balanced_accuracy(solver):
    scores = {None: [], "balanced": []}
    for seed in range(3):
        X_train, X_test, y_train, y_test = _imbalanced(seed)
        for class_weight in scores:
            clf = RegularizedMLPClassifier(
                hidden_layer_sizes=(8,),
                solver=solver,
                alpha=1e-3,
                class_weight=class_weight,
                max_iter=300,
                random_state=seed,
            ).fit(X_train, y_train)
            scores[class_weight].append(
                balanced_accuracy_score(y_test, clf.predict(X_test))
            )
    assert np.mean(scores["balanced"]) > np.mean(scores[None]) + 0.03, scores


@pytest.mark.parametrize("solver", ["lbfgs", "adam"])
def test_class_weight_dict_equals_sample_weight(solver):
    X, y = _data(RegularizedMLPClassifier)
    class_weight = {0: 0.5, 1: 3.0, 2: 1.5}
    params = {**(LBFGS if solver == "lbfgs" else FULL_BATCH), "random_state": 0}
    params["solver"] = solver
    by_class = RegularizedMLPClassifier(class_weight=class_weight, **params).fit(X, y)
    by_sample = RegularizedMLPClassifier(**params).fit(
        X, y, sample_weight=np.vectorize(class_weight.get)(y)
    )
    _assert_same_model(by_class, by_sample, X, atol=1e-12)


def test_balanced_class_weight_equals_balanced_sample_weight():
    X, y = _imbalanced(seed=0, n_samples=120, weights=(0.8, 0.2))[::2]
    params = {**LBFGS, "random_state": 0}
    by_class = RegularizedMLPClassifier(class_weight="balanced", **params).fit(X, y)
    by_sample = RegularizedMLPClassifier(**params).fit(
        X, y, sample_weight=compute_sample_weight("balanced", y)
    )
    _assert_same_model(by_class, by_sample, X, atol=1e-12)


def test_class_weight_multiplies_sample_weight():
    X, y = _data(RegularizedMLPClassifier)
    class_weight = {0: 0.5, 1: 3.0, 2: 1.5}
    sample_weight = _integer_weights(len(y), seed=4) + 0.5
    params = {**LBFGS, "random_state": 0}
    both = RegularizedMLPClassifier(class_weight=class_weight, **params).fit(
        X, y, sample_weight=sample_weight
    )
    product = RegularizedMLPClassifier(**params).fit(
        X, y, sample_weight=sample_weight * np.vectorize(class_weight.get)(y)
    )
    _assert_same_model(both, product, X, atol=1e-12)


# -- partial_fit --------------------------------------------------------------------


def _partial_fits(estimator, X, y, n_calls=5, **kwargs):
    if isinstance(estimator, RegularizedMLPClassifier):
        kwargs.setdefault("classes", np.unique(y))
    for _ in range(n_calls):
        estimator.partial_fit(X, y, **kwargs)
    return estimator


@pytest.mark.parametrize("solver", ["adam", "sgd"])
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_partial_fit_honours_sample_weight(Estimator, solver):
    X, y = _data(Estimator)
    params = {**FULL_BATCH, "solver": solver, "random_state": 0}
    weights = _integer_weights(len(y), seed=5)
    keep = weights > 0

    weighted = _partial_fits(Estimator(**params), X, y, sample_weight=weights)
    repeated = _partial_fits(
        Estimator(**params), np.repeat(X, weights, axis=0), np.repeat(y, weights)
    )
    dropped = _partial_fits(
        Estimator(**params), X[keep], y[keep], sample_weight=weights[keep]
    )
    unweighted = _partial_fits(Estimator(**params), X, y)

    _assert_same_model(weighted, repeated, X, atol=1e-12)
    _assert_same_model(weighted, dropped, X, atol=1e-12)
    assert not np.allclose(weighted.coefs_[0], unweighted.coefs_[0])


def test_partial_fit_class_weight_dict_equals_sample_weight():
    X, y = _data(RegularizedMLPClassifier)
    class_weight = {0: 0.5, 1: 3.0, 2: 1.5}
    params = {**FULL_BATCH, "solver": "adam", "random_state": 0}
    by_class = _partial_fits(
        RegularizedMLPClassifier(class_weight=class_weight, **params), X, y
    )
    by_sample = _partial_fits(
        RegularizedMLPClassifier(**params),
        X,
        y,
        sample_weight=np.vectorize(class_weight.get)(y),
    )
    _assert_same_model(by_class, by_sample, X, atol=1e-12)


# -- early stopping -------------------------------------------------------------------


def test_validation_split_is_stratified_and_weighted():
    """Seen from outside, through a model that can only predict the majority.

    With constant features the network can only learn the class prior, so it
    predicts class 0 everywhere and its validation accuracy is the (weighted)
    share of class 0 in the validation split. A stratified split of 90/10 data
    with ``validation_fraction=0.2`` holds exactly 18 + 2 samples, whatever
    the seed: an unweighted score of 18/20, and 18/24 with weight 3 on class 1.
    """
    y = np.r_[np.zeros(90, dtype=int), np.ones(10, dtype=int)]
    X = np.zeros((100, 2))
    weights = np.where(y == 1, 3.0, 1.0)
    params = {
        "hidden_layer_sizes": (),
        "early_stopping": True,
        "validation_fraction": 0.2,
        "learning_rate_init": 0.2,
        # Long enough for the prior to be learned from any initial intercept.
        "n_iter_no_change": 40,
        "max_iter": 40,
    }
    for seed in range(5):
        plain = RegularizedMLPClassifier(random_state=seed, **params).fit(X, y)
        assert plain.best_validation_score_ == 18 / 20
        weighted = RegularizedMLPClassifier(random_state=seed, **params).fit(
            X, y, sample_weight=weights
        )
        assert weighted.best_validation_score_ == 18 / 24


@pytest.fixture
def validation_rows(monkeypatch):
    """The rows that early stopping holds out, as skreg draws them.

    skreg splits row indices with ``train_test_split``
    (see ``held_out`` in ``skreg/_validation.py``); this records the split
    it actually used instead of re-deriving it from the random state.
    """
    splits = []
    split = skreg._validation.train_test_split

    def recording_split(*args, **kwargs):
        train, validation = split(*args, **kwargs)
        splits.append(validation)
        return train, validation

    monkeypatch.setattr(skreg._validation, "train_test_split", recording_split)
    return splits


@pytest.mark.parametrize("dropout", [0.0, 0.5])
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_early_stopping_restores_the_best_validated_model(
    Estimator, dropout, validation_rows
):
    X, y = _data(Estimator, n_samples=150, seed=1)
    rng = np.random.RandomState(0)
    weights = rng.uniform(0.2, 3.0, len(y))
    estimator = Estimator(
        hidden_layer_sizes=(16,),
        dropout=dropout,
        early_stopping=True,
        validation_fraction=0.3,
        learning_rate_init=0.05,
        n_iter_no_change=5,
        max_iter=200,
        random_state=0,
    ).fit(X, y, sample_weight=weights)

    scores = estimator.validation_scores_
    assert estimator.best_validation_score_ == max(scores)
    # Training went on after the best epoch, so restoring it mattered.
    assert int(np.argmax(scores)) < len(scores) - 1

    (rows,) = validation_rows
    if Estimator is RegularizedMLPClassifier:
        # Stratified: each class keeps its share, up to rounding.
        for label in np.unique(y):
            expected = np.mean(y == label) * len(rows)
            assert abs(np.sum(y[rows] == label) - expected) <= 1
    # The restored model scores, without dropout and with the held-out
    # samples' weights, exactly the best validation score.
    score = estimator.score(X[rows], y[rows], sample_weight=weights[rows])
    assert score == estimator.best_validation_score_
    unweighted = estimator.score(X[rows], y[rows])
    assert unweighted != estimator.best_validation_score_


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_early_stopping_keeps_the_parameters_of_the_best_epoch(Estimator):
    """Stopping right after the best epoch gives bit-identical parameters."""
    X, y = _data(Estimator, n_samples=150, seed=1)
    params = {
        "hidden_layer_sizes": (16,),
        "early_stopping": True,
        "validation_fraction": 0.3,
        "learning_rate_init": 0.05,
        "n_iter_no_change": 5,
        "random_state": 0,
    }
    full = Estimator(max_iter=200, **params).fit(X, y)
    best_epoch = int(np.argmax(full.validation_scores_)) + 1
    assert best_epoch < full.n_iter_
    short = Estimator(max_iter=best_epoch, **params).fit(X, y)
    assert short.validation_scores_ == full.validation_scores_[:best_epoch]
    for a, b in zip(
        full.coefs_ + full.intercepts_, short.coefs_ + short.intercepts_, strict=True
    ):
        np.testing.assert_array_equal(a, b)
