"""The training recipe: cosine schedule, decoupled weight decay, iterate
averaging and label smoothing, each against an independent reference."""

import math

import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.special import log_softmax
from sklearn.datasets import make_classification, make_regression
from sklearn.utils.estimator_checks import parametrize_with_checks

from skreg import RegularizedMLPClassifier, RegularizedMLPRegressor
from skreg.solvers import LearningRateSchedule, ProximalAdam, ProximalSGD
from skreg.solvers.averaging import IterateAverage

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def _classification(n_classes=3, n=90, seed=0):
    X, y = make_classification(
        n_samples=n,
        n_features=5,
        n_informative=4,
        n_redundant=0,
        n_classes=n_classes,
        random_state=seed,
    )
    return X, y


# -- the cosine schedule ------------------------------------------------------------


def _closed_form(step, lr, total, warmup):
    """Linear warmup over ``warmup`` steps, then half a cosine to 0."""
    if step < warmup:
        return lr * (step + 1) / warmup
    return lr * (1 + math.cos(math.pi * (step - warmup) / (total - warmup))) / 2


@pytest.mark.parametrize("warmup_epochs", [0, 1, 2.5])
def test_cosine_rate_per_step_is_the_closed_form(warmup_epochs):
    schedule = LearningRateSchedule("cosine", 0.1, warmup_epochs=warmup_epochs)
    steps_per_epoch, max_iter = 4, 6
    schedule.plan(steps_per_epoch, max_iter)
    rates = []
    for _ in range(steps_per_epoch * max_iter):
        schedule.next_step()
        rates.append(schedule.rate)
        schedule.epoch_ends(0)  # does not touch the cosine
    total, warmup = 24, round(warmup_epochs * steps_per_epoch)
    expected = [_closed_form(s, 0.1, total, warmup) for s in range(total)]
    np.testing.assert_allclose(rates, expected, rtol=1e-13)
    if warmup:
        np.testing.assert_allclose(np.diff(rates[:warmup]), 0.1 / warmup, rtol=1e-12)
        assert rates[warmup] == pytest.approx(0.1)
    assert 0 < rates[-1] < 0.02 * 0.1 and np.all(np.diff(rates[warmup:]) < 0)


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_fit_takes_one_cosine_rate_per_step(solver, monkeypatch):
    """The rate changes at every minibatch step of a fit, not per epoch."""
    seen = []
    cls = ProximalSGD if solver == "sgd" else ProximalAdam
    original = cls._move

    def recording(self, *args):
        seen.append(self.schedule.rate)
        return original(self, *args)

    monkeypatch.setattr(cls, "_move", recording)
    X, y = _classification(n=90)
    RegularizedMLPClassifier(
        hidden_layer_sizes=(4,),
        solver=solver,
        learning_rate="cosine",
        warmup_epochs=1,
        batch_size=20,
        max_iter=5,
        learning_rate_init=0.05,
        random_state=0,
        n_iter_no_change=100,
    ).fit(X, y)
    steps_per_epoch = 5  # ceil(90 / 20)
    expected = [_closed_form(s, 0.05, 25, steps_per_epoch) for s in range(25)]
    np.testing.assert_allclose(seen, expected, rtol=1e-13)


def test_weight_decay_must_shrink():
    X, y = _classification()
    with pytest.raises(ValueError, match="learning_rate_init \\* weight_decay"):
        RegularizedMLPClassifier(weight_decay=1000.0).fit(X, y)


def test_warmup_needs_the_cosine():
    X, y = _classification()
    with pytest.raises(ValueError, match="warmup_epochs.*cosine"):
        RegularizedMLPClassifier(warmup_epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="warmup_epochs.*max_iter"):
        RegularizedMLPClassifier(
            learning_rate="cosine", warmup_epochs=5, max_iter=5
        ).fit(X, y)


# -- decoupled weight decay ---------------------------------------------------------


def test_adam_weight_decay_follows_a_reference_adamw_loop():
    """Full-batch AdamW, step for step: decay the weights (not the biases) by
    ``1 - lr * wd``, then Adam's step from the gradient at the old weights
    (with scikit-learn's placement of epsilon, as skreg's Adam)."""
    X, y = _classification(n=40)
    lr, wd, b1, b2, eps, n_steps = 0.01, 0.3, 0.9, 0.999, 1e-8, 6
    est = RegularizedMLPClassifier(
        hidden_layer_sizes=(4,),
        activation="tanh",
        penalty=None,
        weight_decay=wd,
        learning_rate_init=lr,
        batch_size=40,
        shuffle=False,
        max_iter=n_steps,
        tol=0.0,
        n_iter_no_change=1000,
        random_state=0,
    )
    problem = est._fit_problem(X, y)
    objective = problem.objective
    params = objective.params.copy()
    n_weights = objective.network.n_weights
    m, v = np.zeros_like(params), np.zeros_like(params)
    grad = np.empty_like(params)
    for t in range(1, n_steps + 1):
        np.copyto(objective.params, params)
        objective.smooth_value_grad(problem.X, problem.Y, None, grad)
        m = b1 * m + (1 - b1) * grad
        v = b2 * v + (1 - b2) * grad**2
        lr_t = lr * math.sqrt(1 - b2**t) / (1 - b1**t)
        params[:n_weights] *= 1 - lr * wd
        params -= lr_t * m / (np.sqrt(v) + eps)
    est.fit(X, y)
    got = np.concatenate([c.ravel() for c in est.coefs_ + est.intercepts_])
    np.testing.assert_allclose(got, params, rtol=1e-12, atol=1e-14)


def test_sgd_weight_decay_is_l2_for_plain_sgd():
    X, y = make_regression(n_samples=60, n_features=5, noise=1.0, random_state=0)
    y = y / y.std()
    params = dict(
        hidden_layer_sizes=(6,),
        solver="sgd",
        momentum=0.0,
        learning_rate_init=0.05,
        max_iter=15,
        shuffle=True,
        random_state=0,
        batch_size=16,
    )
    decayed = RegularizedMLPRegressor(penalty=None, weight_decay=0.2, **params)
    ridge = RegularizedMLPRegressor(penalty="l2", alpha=0.2, **params)
    decayed.fit(X, y)
    ridge.fit(X, y)
    for a, b in zip(
        decayed.coefs_ + decayed.intercepts_,
        ridge.coefs_ + ridge.intercepts_,
        strict=True,
    ):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    # ... and it is not a term of J
    assert decayed.loss_ < ridge.loss_


def test_weight_decay_keeps_l1_zeros_and_spares_biases():
    X, y = _classification()
    est = RegularizedMLPClassifier(
        hidden_layer_sizes=(8,),
        penalty="l1",
        alpha=0.02,
        weight_decay=0.5,
        learning_rate_init=0.01,
        max_iter=40,
        random_state=0,
    ).fit(X, y)
    assert np.mean(est.coefs_[0] == 0) > 0.2
    assert all(np.any(b != 0) for b in est.intercepts_)


@pytest.mark.parametrize("option", [{"weight_decay": 0.1}, {"average": True}])
def test_lbfgs_rejects_the_minibatch_rules(option):
    X, y = _classification()
    name = next(iter(option))
    with pytest.raises(ValueError, match=rf"{name}.*solver='sgd' or 'adam'"):
        RegularizedMLPClassifier(solver="lbfgs", **option).fit(X, y)


# -- averaging ----------------------------------------------------------------------


@pytest.mark.parametrize("average, start", [(True, 1), (150, 150)])
def test_average_is_the_mean_of_the_iterates(average, start, monkeypatch):
    recorded = []
    original = IterateAverage.update

    def recording(self, params, samples_seen, work):
        if samples_seen >= self.start:
            recorded.append(params.copy())
        return original(self, params, samples_seen, work)

    monkeypatch.setattr(IterateAverage, "update", recording)
    X, y = _classification(n=100)
    est = RegularizedMLPClassifier(
        hidden_layer_sizes=(6,),
        penalty="l1",
        alpha=0.05,
        average=average,
        batch_size=25,
        learning_rate_init=0.02,
        max_iter=8,
        random_state=0,
    ).fit(X, y)
    assert len(recorded) == 8 * 4 - (start - 1) // 25
    mean = np.mean(recorded, axis=0)
    got = np.concatenate([c.ravel() for c in est.coefs_ + est.intercepts_])
    np.testing.assert_allclose(got, mean, rtol=1e-10, atol=1e-13)
    # a weight that is zero in every averaged iterate is exactly zero
    always_zero = np.all(np.asarray(recorded) == 0, axis=0)
    assert always_zero.any()
    assert np.all(got[always_zero] == 0.0)


def test_average_that_never_starts_warns():
    X, y = _classification(n=100)
    est = RegularizedMLPClassifier(hidden_layer_sizes=(4,), average=10_000, max_iter=3)
    with pytest.warns(UserWarning, match="average=10000 was not reached"):
        est.fit(X, y)


def test_early_stopping_needs_a_validation_fraction():
    X, y = _classification()
    est = RegularizedMLPClassifier(early_stopping=True, validation_fraction=0.0)
    with pytest.raises(ValueError, match="validation_fraction"):
        est.fit(X, y)


def test_average_with_partial_fit_continues_from_the_iterate():
    X, y = _classification(n=100)
    params = dict(
        hidden_layer_sizes=(6,),
        average=True,
        learning_rate_init=0.02,
        random_state=0,
        shuffle=False,
    )
    one = RegularizedMLPClassifier(max_iter=3, **params).fit(X, y)
    inc = RegularizedMLPClassifier(max_iter=3, **params)
    for _ in range(3):
        inc.partial_fit(X, y, classes=np.unique(y))
    for a, b in zip(one.coefs_, inc.coefs_, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)


# -- label smoothing ----------------------------------------------------------------


def _label_data(kind):
    if kind == "multilabel":
        X, y = _classification(n_classes=2, n=60)
        return X, np.column_stack([y, X[:, 0] > 0, X[:, 1] > 0.3]).astype(int)
    return _classification(n_classes=2 if kind == "binary" else 3, n=60)


@pytest.mark.parametrize("kind", ["binary", "multiclass", "multilabel"])
@pytest.mark.parametrize("weighted", [False, True])
def test_label_smoothing_gradient_and_value(kind, weighted):
    X, y = _label_data(kind)
    eps = 0.15
    sw = np.linspace(0.2, 2.0, len(X)) if weighted else None
    est = RegularizedMLPClassifier(
        hidden_layer_sizes=(5,),
        activation="tanh",
        penalty="l2",
        alpha=1e-2,
        label_smoothing=eps,
        random_state=0,
    )
    problem = est._fit_problem(X, y, sw)
    objective = problem.objective
    params = objective.params
    params += np.random.default_rng(1).normal(scale=0.3, size=params.size)
    grad = np.empty_like(params)
    value = objective.smooth_value_grad(
        problem.X, problem.Y, problem.sample_weight, grad
    )

    # the value from the smoothed targets, written from the probabilities
    Z = (
        np.tanh(X @ est.coefs_[0] + est.intercepts_[0]) @ est.coefs_[1]
        + est.intercepts_[1]
    )
    if kind == "multiclass":
        target = np.eye(3)[y] * (1 - eps) + eps / 3
        per_sample = -(target * log_softmax(Z, axis=1)).sum(axis=1)
    else:
        Yi = y.reshape(len(X), -1)
        target = Yi * (1 - eps) + eps / 2
        log_p, log_q = -np.logaddexp(0, -Z), -np.logaddexp(0, Z)
        per_sample = -(target * log_p + (1 - target) * log_q).sum(axis=1)
    weights = np.ones(len(X)) if sw is None else sw
    w_all = params[: objective.network.n_weights]
    expected = per_sample @ weights / weights.sum() + 1e-2 / 2 * w_all @ w_all
    assert value == pytest.approx(expected, rel=1e-12)

    # central finite differences
    h = 1e-6
    fd = np.empty_like(params)
    scratch = np.empty_like(params)
    for i in range(params.size):
        old = params[i]
        params[i] = old + h
        up = objective.smooth_value_grad(
            problem.X, problem.Y, problem.sample_weight, scratch
        )
        params[i] = old - h
        down = objective.smooth_value_grad(
            problem.X, problem.Y, problem.sample_weight, scratch
        )
        params[i] = old
        fd[i] = (up - down) / (2 * h)
    rel = np.abs(grad - fd).max() / np.abs(fd).max()
    assert rel < 1e-6


def test_label_smoothing_linear_model_matches_a_reference_minimizer():
    """Multinomial logistic regression with smoothed targets and an L2 term:
    convex, so lbfgs must reach scipy's minimizer of the same objective."""
    X, y = _classification(n=80)
    eps, alpha = 0.2, 1e-2
    est = RegularizedMLPClassifier(
        hidden_layer_sizes=(),
        solver="lbfgs",
        penalty="l2",
        alpha=alpha,
        label_smoothing=eps,
        tol=1e-12,
        max_iter=5000,
        random_state=0,
    ).fit(X, y)
    target = np.eye(3)[y] * (1 - eps) + eps / 3

    def objective(theta):
        W, b = theta[:15].reshape(5, 3), theta[15:]
        Z = X @ W + b
        P = np.exp(log_softmax(Z, axis=1))
        value = -(target * log_softmax(Z, axis=1)).sum(axis=1).mean()
        value += alpha / 2 * (W**2).sum()
        G = (P - target) / len(X)
        return value, np.concatenate([(X.T @ G + alpha * W).ravel(), G.sum(axis=0)])

    ref = minimize(
        objective,
        np.zeros(18),
        jac=True,
        method="L-BFGS-B",
        options={"gtol": 1e-12, "ftol": 0, "maxiter": 10000},
    )
    np.testing.assert_allclose(est.coefs_[0].ravel(), ref.x[:15], rtol=1e-5, atol=1e-7)
    assert est.loss_ == pytest.approx(ref.fun, rel=1e-9)


def test_label_smoothing_keeps_probabilities_meaningful():
    X, y = _classification()
    est = RegularizedMLPClassifier(
        hidden_layer_sizes=(8,), label_smoothing=0.1, max_iter=50, random_state=0
    ).fit(X, y)
    proba = est.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(est.classes_[proba.argmax(axis=1)], est.predict(X))


# -- scikit-learn's checks over each new option --------------------------------------

VARIANTS = [
    {"learning_rate": "cosine", "warmup_epochs": 2},
    {"weight_decay": 1e-2},
    {"average": True},
    {"solver": "sgd", "average": 10, "learning_rate": "cosine", "weight_decay": 1e-3},
    # Without early stopping the interval changes nothing (partial_fit, which
    # the checks call, has no early stopping); the CV estimators' checks run
    # their fold fits with an interval of several epochs.
    {"validation_interval": 3},
]


@parametrize_with_checks(
    [RegularizedMLPClassifier(**v) for v in VARIANTS]
    + [RegularizedMLPClassifier(label_smoothing=0.1)]
    + [RegularizedMLPRegressor(**v) for v in VARIANTS]
)
def test_sklearn_compatible_with_the_recipe(estimator, check):
    check(estimator)


# -- a validation set: given, scored, restored -----------------------------------


def _overfitting_fit(**params):
    X, y = _classification(n=120, seed=3)
    X_train, y_train, X_val, y_val = X[:60], y[:60], X[60:], y[60:]
    est = RegularizedMLPClassifier(
        hidden_layer_sizes=(32,),
        penalty=None,
        early_stopping=True,
        learning_rate_init=0.05,
        max_iter=60,
        n_iter_no_change=1000,
        random_state=0,
        **params,
    ).fit(X_train, y_train, X_val=X_val, y_val=y_val)
    return est, X_val, y_val


def test_validation_history_is_on_the_given_set_and_the_best_epoch_is_restored():
    from sklearn.metrics import accuracy_score, log_loss

    est, X_val, y_val = _overfitting_fit()
    assert est.n_iter_ == 60  # max_iter reached, not stopped
    scores = np.asarray(est.validation_scores_)
    best = int(np.argmax(scores))
    assert best < len(scores) - 1  # the last epoch is not the best here
    # the restored model is the best epoch's, scored on exactly X_val
    assert accuracy_score(y_val, est.predict(X_val)) == est.best_validation_score_
    assert est.best_validation_score_ == scores[best]
    # the validation loss: J without the penalty on the set
    assert len(est.validation_loss_curve_) == 60
    assert est.validation_loss_curve_[best] == pytest.approx(
        log_loss(y_val, est.predict_proba(X_val)), rel=1e-9
    )


def test_validation_interval_measures_every_kth_epoch_of_the_same_training():
    every, sparse = _overfitting_fit(scoring="loss")[0], None
    sparse, X_val, y_val = _overfitting_fit(scoring="loss", validation_interval=7)
    # Training does not depend on the measurements: the same epochs.
    assert sparse.n_iter_ == every.n_iter_ == 60
    np.testing.assert_array_equal(sparse.loss_curve_, every.loss_curve_)
    # Measured after epochs 7, 14, ..., 56 and after the last, at max_iter.
    measured = [*range(7, 61, 7), 60]
    expected = np.asarray(every.validation_loss_curve_)[np.subtract(measured, 1)]
    np.testing.assert_array_equal(sparse.validation_loss_curve_, expected)
    np.testing.assert_array_equal(sparse.validation_scores_, -expected)
    # The best measured epoch's weights are restored.
    best = int(np.argmax(sparse.validation_scores_))
    assert sparse.best_validation_score_ == sparse.validation_scores_[best]
    loss = log_loss_of(sparse, X_val, y_val)
    assert loss == pytest.approx(sparse.validation_loss_curve_[best], rel=1e-9)


def log_loss_of(est, X, y):
    from sklearn.metrics import log_loss

    return log_loss(y, est.predict_proba(X))


@pytest.mark.parametrize(
    "interval, per_measurement, stopped_at",
    [
        # Below tol per measurement: no improvement; measured after every
        # second epoch, the count of epochs reaches 6 > n_iter_no_change=4
        # at epoch 8 (the first measurement, at epoch 2, is an improvement).
        (2, 0.75, 8),
        # tol per measurement is an improvement, however many epochs it took.
        (2, 1.5, 20),
        (1, 0.75, 6),
        (1, 1.25, 20),
    ],
)
def test_validation_interval_counts_patience_in_epochs(
    interval, per_measurement, stopped_at, monkeypatch
):
    """n_iter_no_change counts epochs whatever the interval between
    measurements, and a measurement improves if it beats the best by tol
    (scripted scores)."""
    from skreg._validation import Validation

    tol = 1e-3
    measurements = []

    def evaluate(self):
        measurements.append(None)
        score = len(measurements) * per_measurement * tol
        return score, -score

    monkeypatch.setattr(Validation, "evaluate", evaluate)
    est, _, _ = _overfitting_fit(scoring="loss", tol=tol, validation_interval=interval)
    est.set_params(max_iter=20, n_iter_no_change=4)
    X, y = _classification(n=60, seed=3)
    measurements.clear()
    est.fit(X, y)
    assert est.n_iter_ == stopped_at
    assert len(est.validation_scores_) == -(-stopped_at // interval)


def test_scoring_loss_and_scorer_names():
    est, X_val, y_val = _overfitting_fit(scoring="loss")
    np.testing.assert_array_equal(
        est.validation_scores_, -np.asarray(est.validation_loss_curve_)
    )
    assert -est.best_validation_score_ == min(est.validation_loss_curve_)
    est, X_val, y_val = _overfitting_fit(scoring="neg_log_loss")
    np.testing.assert_allclose(
        est.validation_scores_, -np.asarray(est.validation_loss_curve_), rtol=1e-6
    )


def test_regressor_takes_a_validation_set_and_its_weights():
    from sklearn.metrics import r2_score

    X, y = make_regression(n_samples=120, n_features=5, noise=5.0, random_state=0)
    y = y / y.std()
    w_val = np.linspace(0.5, 1.5, 40)
    est = RegularizedMLPRegressor(
        hidden_layer_sizes=(8,),
        early_stopping=True,
        max_iter=30,
        learning_rate_init=0.01,
        random_state=0,
    ).fit(X[:80], y[:80], X_val=X[80:], y_val=y[80:], sample_weight_val=w_val)
    assert est.best_validation_score_ == pytest.approx(
        r2_score(y[80:], est.predict(X[80:]), sample_weight=w_val), rel=1e-12
    )


def test_validation_set_errors():
    X, y = _classification()
    with pytest.raises(ValueError, match="early_stopping=True"):
        RegularizedMLPClassifier(max_iter=5).fit(X, y, X_val=X, y_val=y)
    with pytest.raises(ValueError, match="together"):
        RegularizedMLPClassifier(early_stopping=True).fit(X, y, X_val=X)
    with pytest.raises(ValueError, match="not among the classes"):
        RegularizedMLPClassifier(early_stopping=True, max_iter=5).fit(
            X, y, X_val=X, y_val=y + 7
        )
    with pytest.raises(ValueError, match="features"):
        RegularizedMLPClassifier(early_stopping=True, max_iter=5).fit(
            X, y, X_val=X[:, :2], y_val=y
        )


def test_validation_set_through_a_pipeline():
    import sklearn
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = _classification(n=120)
    with sklearn.config_context(enable_metadata_routing=True):
        net = RegularizedMLPClassifier(
            hidden_layer_sizes=(8,), early_stopping=True, max_iter=10, random_state=0
        ).set_fit_request(X_val=True, y_val=True)
        pipe = Pipeline(
            [("scale", StandardScaler()), ("net", net)], transform_input=["X_val"]
        )
        pipe.fit(X[:80], y[:80], X_val=X[80:], y_val=y[80:])
    scaled = pipe[0].transform(X[80:])
    assert pipe[-1].best_validation_score_ == pytest.approx(
        pipe[-1].score(scaled, y[80:])
    )
