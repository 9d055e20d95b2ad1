"""Dropout: inverted scaling, deterministic prediction, reproducible training.

As the user guide's "Dropout" section (docs/user_guide.rst) says: masks drawn
by :func:`skreg.dropout.draw_mask` keep a unit with probability ``1 - p`` and
scale it by ``1 / (1 - p)``, so that, averaged
over masks, the training-mode input of the next layer is exactly the
eval-mode activation (and equals the classic form that scales by ``1 - p`` at
test time, divided by ``1 - p``). Prediction, scoring and early-stopping
validation use the whole network and are deterministic; training with dropout
is reproducible from ``random_state``; the ``dropout`` parameter is validated
(per-layer sequences, no dropout with lbfgs, linear models).
"""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.preprocessing import StandardScaler

import skreg._validation
from skreg import RegularizedMLPClassifier, RegularizedMLPRegressor
from skreg._inference import forward_predict
from skreg._network import Network
from skreg.dropout import draw_mask, draw_masks

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

N_MASKS = 20_000


@pytest.fixture(scope="module")
def classification_data():
    X, y = make_classification(
        n_samples=200, n_features=8, n_informative=4, n_classes=3, random_state=0
    )
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def regression_data():
    X, y = make_regression(n_samples=200, n_features=8, noise=1.0, random_state=0)
    X = StandardScaler().fit_transform(X)
    return X, (y - y.mean()) / y.std()


def _classifier(**params):
    defaults = dict(
        hidden_layer_sizes=(16, 8),
        dropout=0.3,
        solver="adam",
        learning_rate_init=0.01,
        max_iter=20,
        random_state=0,
    )
    return RegularizedMLPClassifier(**{**defaults, **params})


def _regressor(**params):
    defaults = dict(
        hidden_layer_sizes=(16,),
        dropout=0.3,
        solver="adam",
        learning_rate_init=0.01,
        max_iter=20,
        random_state=0,
    )
    return RegularizedMLPRegressor(**{**defaults, **params})


# -- prediction is deterministic and training reproducible --------------------


def test_prediction_is_deterministic(classification_data, regression_data):
    X, y = classification_data
    clf = _classifier().fit(X, y)
    np.testing.assert_array_equal(clf.predict(X), clf.predict(X))
    np.testing.assert_array_equal(clf.predict_proba(X), clf.predict_proba(X))
    assert clf.score(X, y) == clf.score(X, y)

    X, y = regression_data
    reg = _regressor().fit(X, y)
    np.testing.assert_array_equal(reg.predict(X), reg.predict(X))
    assert reg.score(X, y) == reg.score(X, y)


@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_same_seed_same_model(classification_data, solver):
    X, y = classification_data
    a = _classifier(solver=solver, random_state=7).fit(X, y)
    b = _classifier(solver=solver, random_state=7).fit(X, y)
    for first, second in zip(
        a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_, strict=True
    ):
        assert np.array_equal(first, second)
    assert a.loss_curve_ == b.loss_curve_


def test_different_seeds_differ(classification_data):
    X, y = classification_data
    a = _classifier(random_state=0).fit(X, y)
    b = _classifier(random_state=1).fit(X, y)
    assert not np.array_equal(a.coefs_[0], b.coefs_[0])


def test_dropout_changes_training(classification_data):
    """Same seed and initial weights: dropout > 0 trains a different model."""
    X, y = classification_data
    without = _classifier(dropout=0.0).fit(X, y)
    with_dropout = _classifier(dropout=0.3).fit(X, y)
    assert not np.array_equal(without.coefs_[0], with_dropout.coefs_[0])


def test_masks_come_from_the_estimator_seed(classification_data):
    """A Generator seeded elsewhere has no effect: refits are identical."""
    X, y = classification_data
    est = _classifier(random_state=3)
    first = [c.copy() for c in est.fit(X, y).coefs_]
    np.random.seed(12345)  # the legacy global state must not matter
    second = est.fit(X, y).coefs_
    for a, b in zip(first, second, strict=True):
        assert np.array_equal(a, b)


# -- the dropout parameter ----------------------------------------------------


def test_per_layer_sequence(classification_data):
    X, y = classification_data
    est = _classifier(dropout=(0.2, 0.0)).fit(X, y)
    assert est.predict(X).shape == y.shape
    # The sequence is used as given: (0.2, 0.0) is neither 0.2 everywhere ...
    everywhere = _classifier(dropout=0.2).fit(X, y)
    assert not np.array_equal(est.coefs_[0], everywhere.coefs_[0])
    # ... nor no dropout at all.
    none = _classifier(dropout=(0.0, 0.0)).fit(X, y)
    assert not np.array_equal(est.coefs_[0], none.coefs_[0])
    np.testing.assert_array_equal(
        none.coefs_[0], _classifier(dropout=0.0).fit(X, y).coefs_[0]
    )


@pytest.mark.parametrize("dropout", [(0.2,), (0.2, 0.2, 0.2), [0.1], ()])
def test_wrong_length_sequence_raises(classification_data, dropout):
    X, y = classification_data
    with pytest.raises(ValueError, match="dropout"):
        _classifier(dropout=dropout).fit(X, y)


@pytest.mark.parametrize("dropout", [1.0, -0.1, 1.5, (0.2, 1.0), (-0.1, 0.0)])
def test_rate_outside_unit_interval_raises(classification_data, dropout):
    X, y = classification_data
    with pytest.raises(ValueError, match="dropout"):
        _classifier(dropout=dropout).fit(X, y)


@pytest.mark.parametrize("dropout", [0.3, (0.0, 0.5)])
def test_dropout_with_lbfgs_raises(classification_data, dropout):
    X, y = classification_data
    with pytest.raises(ValueError, match="dropout"):
        _classifier(solver="lbfgs", dropout=dropout).fit(X, y)


@pytest.mark.parametrize("dropout", [0.0, (0.0, 0.0)])
def test_zero_dropout_with_lbfgs_is_fine(classification_data, dropout):
    X, y = classification_data
    _classifier(solver="lbfgs", dropout=dropout).fit(X, y)


@pytest.mark.parametrize(
    "Estimator", [RegularizedMLPClassifier, RegularizedMLPRegressor]
)
def test_linear_model_accepts_a_float_rate(classification_data, Estimator):
    X, y = classification_data
    params = dict(hidden_layer_sizes=(), solver="adam", max_iter=20, random_state=0)
    est = Estimator(dropout=0.5, **params).fit(X, y)
    # Nothing to drop: the same model as without dropout.
    ref = Estimator(dropout=0.0, **params).fit(X, y)
    np.testing.assert_array_equal(est.coefs_[0], ref.coefs_[0])
    # An empty sequence is the one sequence that fits a linear model.
    Estimator(dropout=[], **params).fit(X, y)
    with pytest.raises(ValueError, match="dropout"):
        Estimator(dropout=[0.5], **params).fit(X, y)


# -- the inverted-dropout scaling ---------------------------------------------


@pytest.mark.parametrize("rate", [0.0, 0.1, 0.5, 0.8])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
# PCG64 takes the raw-bits path, MT19937 (32-bit outputs) the uniform one.
@pytest.mark.parametrize("bit_generator", [np.random.PCG64, np.random.MT19937])
def test_draw_mask_values_and_keep_rate(rate, dtype, bit_generator):
    rng = np.random.Generator(bit_generator(0))
    # an odd number of entries: the raw path splits 64-bit draws in two
    mask = draw_mask(rng, rate, np.empty((401, 249), dtype=dtype))
    assert mask.dtype == dtype
    scale = dtype(1.0 / (1.0 - rate))
    assert set(np.unique(mask)) <= {0.0, scale}
    kept = np.mean(mask != 0)
    # Binomial standard error of the kept fraction, 5 sigma.
    se = np.sqrt(rate * (1 - rate) / mask.size)
    assert abs(kept - (1 - rate)) <= 5 * se


def test_draw_masks_one_generator_call_for_all_layers():
    rates = [0.2, 0.0, 0.6]
    outs = [np.empty((300, 51)), None, np.empty((300, 17), dtype=np.float32)]
    rng = np.random.default_rng(3)
    masks = draw_masks(rng, rates, outs)
    assert masks[1] is None
    for rate, mask in zip(rates[::2], masks[::2], strict=True):
        assert set(np.unique(mask)) <= {0.0, mask.dtype.type(1 / (1 - rate))}
        kept = np.mean(mask != 0)
        assert abs(kept - (1 - rate)) <= 5 * np.sqrt(rate * (1 - rate) / mask.size)
    # Exactly the raw draws for all units, in one go: the generator is where
    # a single call of that size leaves it.
    reference = np.random.default_rng(3)
    reference.bit_generator.random_raw((300 * 51 + 300 * 17 + 1) // 2)
    assert rng.bit_generator.random_raw() == reference.bit_generator.random_raw()


def _assert_mean_is(samples, target):
    """The mean of ``samples`` over axis 0 is ``target``, statistically.

    Each entry lies within 5 standard errors, and the standardized deviations
    are jointly consistent with zero: their mean square (about 1 for an
    unbiased estimate) stays below 3, which also catches a bias of a fraction
    of a standard error shared by many entries. Entries with no variance
    must be exact.
    """
    mean = samples.mean(axis=0)
    se = samples.std(axis=0) / np.sqrt(samples.shape[0])
    random = se > 0
    np.testing.assert_array_equal(mean[~random], target[~random])
    z = (mean[random] - target[random]) / se[random]
    assert np.abs(z).max() <= 5, np.abs(z).max()
    assert np.mean(z**2) <= 3, np.mean(z**2)
    return mean


def test_inverted_dropout_is_unbiased_and_equals_the_classic_form():
    rate = 0.3
    A = np.random.default_rng(1).normal(size=(10, 6))
    masks = draw_mask(np.random.default_rng(2), rate, np.empty((N_MASKS, *A.shape)))
    # Inverted dropout: E[A * mask] = A, the activation used at prediction.
    inverted = _assert_mean_is(A * masks, A)
    # Classic dropout keeps units unscaled (a Bernoulli(1 - p) indicator) and
    # multiplies by 1 - p at test time; the inverted mask is that indicator
    # over 1 - p, so both forms have the same expectation.
    bernoulli = masks * (1 - rate)
    assert set(np.unique(bernoulli)) <= {0.0, 1.0}
    classic = _assert_mean_is(A * bernoulli, (1 - rate) * A)
    np.testing.assert_allclose(classic / (1 - rate), inverted, rtol=1e-12)


@pytest.mark.parametrize(
    "hidden_layer_sizes, dropout", [((8,), 0.3), ((8, 6), (0.0, 0.4))]
)
def test_eval_mode_is_the_average_of_training_mode(
    regression_data, hidden_layer_sizes, dropout
):
    """On a fitted network, averaging training-mode forward passes over many
    masks of the last hidden layer gives the eval-mode (prediction) output.

    The last layer is linear in its input, so the average of the training
    output is the output of the average input ``E[A * mask] = A``.
    """
    X, y = regression_data
    est = _regressor(hidden_layer_sizes=hidden_layer_sizes, dropout=dropout)
    est.fit(X, y)
    X_small = X[:20]
    rates = (dropout,) if np.ndim(dropout) == 0 else dropout
    layer_units = [X.shape[1], *hidden_layer_sizes, 1]

    # Eval mode: the activations of the last hidden layer, and the output.
    A = forward_predict(X_small, est.coefs_[:-1], est.intercepts_[:-1], est.activation)
    eval_output = forward_predict(X_small, est.coefs_, est.intercepts_, est.activation)
    np.testing.assert_allclose(eval_output.ravel(), est.predict(X_small))

    # Training mode, all masks at once: the batch is X_small repeated.
    network = Network(layer_units, est.activation)
    network.set_parameters(est.coefs_, est.intercepts_)
    X_rep = np.tile(X_small, (N_MASKS, 1))
    rng = np.random.default_rng(0)
    # The network's own reusable mask buffers (it keeps the dropped
    # activations next to them for the backward pass).
    buffers = network.mask_buffers(X_rep.shape[0], rates)
    masks = [
        None if buf is None else draw_mask(rng, p, buf)
        for buf, p in zip(buffers, rates, strict=True)
    ]
    last = masks[-1]
    train_input = (np.tile(A, (N_MASKS, 1)) * last).reshape(N_MASKS, *A.shape)
    _assert_mean_is(train_input, A)

    train_output = network.forward(X_rep, masks).reshape(N_MASKS, *eval_output.shape)
    assert np.all(train_output.std(axis=0) > 0), "no dropout in training mode"
    _assert_mean_is(train_output, eval_output)


# -- early stopping validates without dropout ---------------------------------


@pytest.mark.parametrize("kind", ["regressor", "classifier"])
def test_early_stopping_validates_without_dropout(
    kind, regression_data, classification_data, monkeypatch
):
    """The recorded validation scores are those of the deterministic network:
    the restored (best) model scores exactly ``best_validation_score_`` on the
    held-out rows, which would not hold if validation used dropout masks."""
    split = {}
    original = skreg._validation.train_test_split

    def recording_split(*args, **kwargs):
        train, val = original(*args, **kwargs)
        split["val"] = val
        return train, val

    monkeypatch.setattr(skreg._validation, "train_test_split", recording_split)
    if kind == "regressor":
        X, y = regression_data
        est = _regressor(dropout=0.5)
    else:
        X, y = classification_data
        est = _classifier(dropout=0.5)
    est.set_params(
        early_stopping=True, validation_fraction=0.3, max_iter=40, n_iter_no_change=5
    )
    est.fit(X, y)
    assert len(est.validation_scores_) >= 2
    assert est.best_validation_score_ == max(est.validation_scores_)
    val = split["val"]
    assert len(val) == 60
    assert est.score(X[val], y[val]) == pytest.approx(
        est.best_validation_score_, rel=1e-12, abs=1e-12
    )


def test_early_stopping_with_dropout_is_reproducible(regression_data):
    X, y = regression_data
    params = dict(dropout=0.5, early_stopping=True, max_iter=30, random_state=4)
    a = _regressor(**params).fit(X, y)
    b = _regressor(**params).fit(X, y)
    assert a.validation_scores_ == b.validation_scores_
    assert np.array_equal(a.coefs_[0], b.coefs_[0])


def test_no_warning_from_prediction_with_dropout(classification_data):
    X, y = classification_data
    clf = _classifier().fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf.predict_proba(X)
        clf.predict_log_proba(X)
