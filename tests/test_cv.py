"""The cross-validated estimators RegularizedMLPClassifierCV / RegressorCV.

scikit-learn's estimator checks; the parameters mirror the plain estimators';
the grid comes from the gradient at the initial weights; the scores are those
of warm-started paths (checked against a path run by hand and by recording the
fits); the chosen model selects the informative features; parallel and serial
runs agree; and the path benchmark's quick mode runs.
"""

import doctest
import importlib.util
import inspect
import itertools
import sys
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from numpydoc.docscrape import ClassDoc
from sklearn.base import clone
from sklearn.datasets import make_classification, make_regression
from sklearn.metrics import log_loss
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.estimator_checks import parametrize_with_checks

import skreg._cv
from skreg import (
    RegularizedMLPClassifier,
    RegularizedMLPClassifierCV,
    RegularizedMLPRegressor,
    RegularizedMLPRegressorCV,
)
from skreg._cv import first_layer_loss_gradient
from skreg.penalties import make_penalty

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

CV_ESTIMATORS = [RegularizedMLPClassifierCV, RegularizedMLPRegressorCV]
PLAIN = {
    RegularizedMLPClassifierCV: RegularizedMLPClassifier,
    RegularizedMLPRegressorCV: RegularizedMLPRegressor,
}
CV_ONLY = {"alphas", "eps", "cv", "scoring", "n_jobs"}
FAST = dict(
    alphas=3, cv=2, hidden_layer_sizes=(5,), max_iter=50, learning_rate_init=0.02
)
SMALL = dict(hidden_layer_sizes=(8,), max_iter=60, learning_rate_init=0.02)
BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_path.py"


# -- scikit-learn's checks -----------------------------------------------------


@parametrize_with_checks(
    [
        Estimator(**params)
        for Estimator in CV_ESTIMATORS
        for params in (FAST, {**FAST, "alphas": [1e-4, 1e-2], "l1_ratio": [0.5, 1.0]})
    ]
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


# -- data ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def classification_data():
    X, y = make_classification(
        n_samples=150, n_features=6, n_informative=4, n_classes=3, random_state=0
    )
    return X, y


@pytest.fixture(scope="module")
def regression_data():
    X, y = make_regression(n_samples=150, n_features=6, noise=2.0, random_state=0)
    return X, y / y.std()


@pytest.fixture
def data(request, classification_data, regression_data):
    """The data set that suits the estimator class given as the param."""
    if request.param is RegularizedMLPClassifierCV:
        return request.param, *classification_data
    return request.param, *regression_data


def _plain_path(Estimator, X, y, train, test, alphas, scorer=None, **params):
    """A warm path run by hand with the plain estimator."""
    est = Estimator(warm_start=True, **params)
    scores, n_iter = [], []
    for alpha in alphas:
        est.set_params(alpha=alpha).fit(X[train], y[train])
        score = (
            est.score(X[test], y[test])
            if scorer is None
            else scorer(est, X[test], y[test])
        )
        scores.append(score)
        n_iter.append(est.n_iter_)
    return np.array(scores), np.array(n_iter), est


# -- the parameters ------------------------------------------------------------


@pytest.mark.parametrize("Estimator", CV_ESTIMATORS)
def test_parameters_mirror_the_plain_estimator(Estimator):
    """Every parameter of the plain estimator but alpha, with its default."""
    plain = inspect.signature(PLAIN[Estimator]).parameters
    cv = inspect.signature(Estimator).parameters
    assert set(cv) == (set(plain) - {"alpha"}) | CV_ONLY
    for name, parameter in plain.items():
        if name not in ("alpha", "penalty"):
            assert cv[name].default == parameter.default, name
            assert cv[name].kind == parameter.kind, name
    assert cv["penalty"].default == "elasticnet"
    assert cv["l1_ratio"].default == 0.5
    assert (cv["alphas"].default, cv["eps"].default, cv["cv"].default) == (10, 1e-3, 5)


@pytest.mark.parametrize("Estimator", CV_ESTIMATORS)
def test_docstring_documents_every_parameter(Estimator):
    doc = ClassDoc(Estimator)
    documented = [p.name for p in doc["Parameters"]]
    assert documented == list(inspect.signature(Estimator).parameters)
    attributes = {p.name for p in doc["Attributes"]}
    assert {
        "alpha_",
        "l1_ratio_",
        "l1_ratios_",
        "alphas_",
        "cv_scores_",
        "path_sparsity_",
        "path_n_iter_",
        "estimator_",
        "coefs_",
        "n_iter_",
    } <= attributes
    assert ("classes_" in attributes) == (Estimator is RegularizedMLPClassifierCV)


def test_doctests():
    result = doctest.testmod(
        skreg._cv, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    )
    assert result.attempted >= 8
    assert result.failed == 0


@pytest.mark.parametrize("data", CV_ESTIMATORS, indirect=True)
def test_invalid_parameters(data):
    Estimator, X, y = data
    with pytest.raises(InvalidParameterError, match="penalty"):
        Estimator(penalty=None, **FAST).fit(X, y)
    with pytest.raises(ValueError, match="requires penalty='elasticnet'"):
        Estimator(penalty="l1", l1_ratio=[0.5, 1.0], **FAST).fit(X, y)
    with pytest.raises(ValueError, match="l1_ratio values must be in"):
        Estimator(**{**FAST, "l1_ratio": [0.5, 1.5]}).fit(X, y)
    with pytest.raises(ValueError, match="alphas must be finite and >= 0"):
        Estimator(**{**FAST, "alphas": [0.1, -1.0]}).fit(X, y)
    with pytest.raises(ValueError, match="alphas must be an int or a non-empty"):
        Estimator(**{**FAST, "alphas": []}).fit(X, y)
    with pytest.raises(InvalidParameterError, match="alphas"):
        Estimator(**{**FAST, "alphas": 0}).fit(X, y)
    # A search is not incremental.
    assert not hasattr(Estimator(solver="adam"), "partial_fit")


# -- the grid ------------------------------------------------------------------


def test_initial_weights_are_those_of_a_fit():
    """The grid is computed at the weights a fit really starts from."""
    X, y = make_classification(n_samples=60, n_features=5, random_state=0)
    est = RegularizedMLPClassifier(
        hidden_layer_sizes=(4, 3),
        activation="logistic",
        solver="sgd",
        learning_rate_init=1e-300,  # so small that no weight moves
        momentum=0.0,
        penalty=None,
        max_iter=1,
        random_state=3,
    )
    network = clone(est)._fit_problem(X, y).objective.network
    est.fit(X, y)
    for expected, actual in zip(est.coefs_, network.coefs, strict=True):
        np.testing.assert_array_equal(actual, expected)


def test_gradient_of_a_linear_model_matches_the_formula():
    """With no hidden layer and the squared error: X.T (X W + b - y) / n."""
    X, y = make_regression(n_samples=40, n_features=6, random_state=0)
    est = RegularizedMLPRegressor(hidden_layer_sizes=(), random_state=1)
    w = np.random.RandomState(0).normal(size=(6, 1))
    # A fitted model whose weights the gradient is taken at (warm start).
    est.fit(X, y).set_params(warm_start=True)
    est.coefs_, est.intercepts_ = [w], [np.array([0.3])]
    gradient = first_layer_loss_gradient(est, X, y)
    expected = X.T @ (X @ w + 0.3 - y[:, None]) / len(y)
    np.testing.assert_allclose(gradient, expected, rtol=1e-10)

    sample_weight = np.arange(1.0, 41.0)
    gradient = first_layer_loss_gradient(est, X, y, sample_weight)
    weights = sample_weight / sample_weight.sum()
    residual = (X @ w + 0.3 - y[:, None]) * weights[:, None]
    np.testing.assert_allclose(gradient, X.T @ residual, rtol=1e-10)


def test_alpha_max_formulas():
    gradient = np.array([[0.3, -2.0], [1.0, 1.0]])

    def alpha_max(name, l1_ratio):
        return make_penalty(name, 1.0, l1_ratio).alpha_max(gradient)

    assert alpha_max("l1", 0.5) == pytest.approx(2.0)
    assert alpha_max("elasticnet", 0.5) == pytest.approx(4.0)
    assert alpha_max("elasticnet", 0.0) == pytest.approx(2000.0)
    assert alpha_max("l2", 0.5) == pytest.approx(2000.0)
    # Group lasso on rows with the sqrt(group size) factor.
    assert alpha_max("group", 0.5) == pytest.approx(np.hypot(0.3, 2) / 2**0.5)


@pytest.mark.parametrize("data", CV_ESTIMATORS, indirect=True)
def test_automatic_grid(data):
    Estimator, X, y = data
    est = Estimator(
        alphas=4, eps=1e-2, l1_ratio=[0.25, 1.0], cv=2, random_state=0, **SMALL
    ).fit(X, y)
    gradient = first_layer_loss_gradient(
        PLAIN[Estimator](random_state=0, **SMALL), X, y
    )
    top = np.abs(gradient).max()
    np.testing.assert_allclose(est.alphas_[1], np.geomspace(top * 1e-2, top, 4))
    np.testing.assert_allclose(est.alphas_[0], 4 * est.alphas_[1])
    assert np.all(np.diff(est.alphas_, axis=1) > 0)

    explicit = Estimator(alphas=[1e-2, 1e-4, 1e-3, 1e-2], cv=2, **SMALL).fit(X, y)
    np.testing.assert_array_equal(explicit.alphas_, [[1e-4, 1e-3, 1e-2]])


# -- the path ------------------------------------------------------------------


@pytest.mark.parametrize("data", CV_ESTIMATORS, indirect=True)
def test_attributes(data):
    Estimator, X, y = data
    ratios = [0.5, 0.9, 1.0]
    est = Estimator(alphas=4, l1_ratio=ratios, cv=3, random_state=0, **SMALL)
    names = [f"x{i}" for i in range(X.shape[1])]
    est.fit(pd.DataFrame(X, columns=names), y)

    assert est.cv_scores_.shape == (3, 4, 3)
    assert est.path_n_iter_.shape == (3, 4, 3)
    assert est.alphas_.shape == est.path_sparsity_.shape == (3, 4)
    np.testing.assert_array_equal(est.l1_ratios_, ratios)
    assert np.issubdtype(est.path_n_iter_.dtype, np.integer)
    assert np.all((est.path_n_iter_ >= 1) & (est.path_n_iter_ <= SMALL["max_iter"]))
    assert np.all((est.path_sparsity_ >= 0) & (est.path_sparsity_ <= 1))
    # The strongest penalty of the automatic grid zeroes (almost) everything.
    assert np.all(est.path_sparsity_[:, -1] > est.path_sparsity_[:, 0])

    # The best mean score; among ties, the strongest penalty.
    mean = est.cv_scores_.mean(axis=2)
    i = ratios.index(est.l1_ratio_)
    assert mean[i, list(est.alphas_[i]).index(est.alpha_)] == mean.max()
    assert np.all(est.alphas_[mean == mean.max()] <= est.alpha_)
    assert isinstance(est.alpha_, float) and isinstance(est.l1_ratio_, float)

    assert est.n_features_in_ == X.shape[1]
    assert list(est.feature_names_in_) == names
    inner = est.estimator_
    assert type(inner) is PLAIN[Estimator]
    assert (inner.alpha, inner.l1_ratio) == (est.alpha_, est.l1_ratio_)
    assert inner.warm_start is False
    for name in ("coefs_", "intercepts_", "n_iter_", "loss_curve_", "n_outputs_"):
        assert getattr(est, name) is getattr(inner, name)
    frame = pd.DataFrame(X, columns=names)
    np.testing.assert_array_equal(est.predict(frame), inner.predict(X))
    if Estimator is RegularizedMLPClassifierCV:
        np.testing.assert_array_equal(est.classes_, np.unique(y))
        np.testing.assert_array_equal(est.predict_proba(frame), inner.predict_proba(X))
    # The plain estimator's properties come along.
    np.testing.assert_array_equal(est.feature_importances_, inner.feature_importances_)


def test_single_l1_ratio_keeps_three_dimensions(classification_data):
    X, y = classification_data
    est = RegularizedMLPClassifierCV(alphas=2, cv=2, penalty="l1", **SMALL).fit(X, y)
    assert est.cv_scores_.shape == (1, 2, 2)
    assert est.alphas_.shape == (1, 2)
    assert est.l1_ratio_ == 0.5  # the given value; penalty='l1' ignores it


@pytest.mark.parametrize("data", CV_ESTIMATORS, indirect=True)
def test_scores_are_those_of_a_warm_path_run_by_hand(data):
    """cv_scores_[l, a, k] is fold k's score after the warm path reached a."""
    Estimator, X, y = data
    splitter = (
        StratifiedKFold(3) if Estimator is RegularizedMLPClassifierCV else KFold(3)
    )
    params = dict(penalty="elasticnet", random_state=0, **SMALL)
    est = Estimator(alphas=3, l1_ratio=[0.3, 1.0], cv=splitter, **params).fit(X, y)
    for i, ratio in enumerate([0.3, 1.0]):
        for k, (train, test) in enumerate(splitter.split(X, y)):
            scores, n_iter, _ = _plain_path(
                PLAIN[Estimator],
                X,
                y,
                train,
                test,
                est.alphas_[i],
                **{**params, "l1_ratio": ratio},
            )
            np.testing.assert_array_equal(est.cv_scores_[i, :, k], scores)
            np.testing.assert_array_equal(est.path_n_iter_[i, :, k], n_iter)

    # The refit follows the same path on all the data.
    i = [0.3, 1.0].index(est.l1_ratio_)
    stop = list(est.alphas_[i]).index(est.alpha_) + 1
    everything = np.arange(len(y))
    _, _, refit = _plain_path(
        PLAIN[Estimator],
        X,
        y,
        everything,
        everything,
        est.alphas_[i, :stop],
        **{**params, "l1_ratio": est.l1_ratio_},
    )
    for a, b in zip(est.coefs_, refit.coefs_, strict=True):
        np.testing.assert_array_equal(a, b)


def test_every_fit_of_a_path_starts_from_the_previous_one(regression_data):
    """Record the fits: ascending alphas, the first cold, the others warm."""
    X, y = regression_data
    fits = []
    original_fit = RegularizedMLPRegressor.fit

    def recording_fit(self, X, y, sample_weight=None):
        start = [c.copy() for c in self.coefs_] if hasattr(self, "coefs_") else None
        # Holding self keeps its id unique among the recorded estimators.
        fits.append((self, self.alpha, self.warm_start, start))
        result = original_fit(self, X, y, sample_weight=sample_weight)
        fits[-1] += ([c.copy() for c in self.coefs_],)
        return result

    est = RegularizedMLPRegressorCV(alphas=4, cv=3, random_state=0, **SMALL)
    with mock.patch.object(RegularizedMLPRegressor, "fit", recording_fit):
        est.fit(X, y)

    paths = {}
    for estimator, alpha, warm_start, start, end in fits:
        assert warm_start
        paths.setdefault(id(estimator), []).append((alpha, start, end))
    assert len(paths) == 3 + 1  # the folds and the refit
    refit_length = list(est.alphas_[0]).index(est.alpha_) + 1
    assert sorted(len(p) for p in paths.values()) == sorted([4, 4, 4, refit_length])
    for path in paths.values():
        alphas = [alpha for alpha, _, _ in path]
        np.testing.assert_array_equal(alphas, est.alphas_[0, : len(alphas)])
        assert path[0][1] is None  # the first fit starts from fresh weights
        for (_, _, previous_end), (_, start, _) in itertools.pairwise(path):
            for a, b in zip(start, previous_end, strict=True):
                np.testing.assert_array_equal(a, b)


def test_warm_path_needs_fewer_iterations_than_cold_fits():
    X, y = make_regression(
        n_samples=300, n_features=30, n_informative=5, noise=1.0, random_state=0
    )
    y /= y.std()
    params = dict(hidden_layer_sizes=(16,), solver="lbfgs", random_state=0)
    est = RegularizedMLPRegressorCV(alphas=6, cv=3, penalty="l1", **params).fit(X, y)
    train, _ = next(KFold(3).split(X))
    cold = [
        RegularizedMLPRegressor(alpha=alpha, penalty="l1", **params)
        .fit(X[train], y[train])
        .n_iter_
        for alpha in est.alphas_[0]
    ]
    warm = est.path_n_iter_[0, :, 0]
    assert warm[0] == cold[0]  # the path starts with a cold fit
    assert warm[1:].sum() < 0.6 * sum(cold[1:])


# -- the choice and the model --------------------------------------------------


def test_chosen_model_selects_the_informative_features():
    X, y = make_regression(
        n_samples=500,
        n_features=100,
        n_informative=10,
        noise=1.0,
        shuffle=False,  # the informative features are the first ten
        random_state=0,
    )
    y /= y.std()
    est = RegularizedMLPRegressorCV(
        hidden_layer_sizes=(8,),
        alphas=6,
        cv=3,
        learning_rate_init=0.01,
        random_state=0,
    ).fit(X, y)
    used = np.any(est.coefs_[0] != 0, axis=1)
    assert used[:10].sum() >= 8
    assert used[10:].sum() <= 0.2 * 90
    assert est.score(X, y) > 0.9


def test_ties_go_to_the_strongest_penalty(classification_data):
    X, y = classification_data
    alphas = [1e-4, 1e-3, 1e-2, 1e-1]
    scores = [0.5, 0.7, 0.7, 0.1]

    def scorer(estimator, X, y):
        return scores[alphas.index(estimator.alpha)]

    est = RegularizedMLPClassifierCV(alphas=alphas, cv=2, scoring=scorer, **SMALL)
    est.fit(X, y)
    assert est.alpha_ == 1e-2


def test_scoring_neg_log_loss(classification_data):
    X, y = classification_data
    splitter = StratifiedKFold(2)
    params = dict(penalty="elasticnet", random_state=0, **SMALL)
    est = RegularizedMLPClassifierCV(
        alphas=3, cv=splitter, scoring="neg_log_loss", **params
    ).fit(X, y)
    assert np.all(est.cv_scores_ < 0)
    train, test = next(splitter.split(X, y))
    _, _, fold_model = _plain_path(
        RegularizedMLPClassifier, X, y, train, test, est.alphas_[0], **params
    )
    expected = -log_loss(y[test], fold_model.predict_proba(X[test]))
    assert est.cv_scores_[0, -1, 0] == pytest.approx(expected, rel=1e-12)
    accuracy = RegularizedMLPClassifierCV(alphas=3, cv=splitter, **params).fit(X, y)
    assert not np.allclose(est.cv_scores_, accuracy.cv_scores_)


@pytest.mark.parametrize("data", CV_ESTIMATORS, indirect=True)
def test_n_jobs_does_not_change_the_result(data):
    Estimator, X, y = data
    params = dict(alphas=3, l1_ratio=[0.5, 1.0], cv=3, random_state=0, **SMALL)
    serial = Estimator(n_jobs=1, **params).fit(X, y)
    parallel = Estimator(n_jobs=2, **params).fit(X, y)
    np.testing.assert_array_equal(serial.cv_scores_, parallel.cv_scores_)
    np.testing.assert_array_equal(serial.path_n_iter_, parallel.path_n_iter_)
    assert (serial.alpha_, serial.l1_ratio_) == (parallel.alpha_, parallel.l1_ratio_)
    for a, b in zip(serial.coefs_, parallel.coefs_, strict=True):
        np.testing.assert_array_equal(a, b)


def test_random_state_none_draws_one_seed_for_every_path(regression_data):
    """The drawn seed is kept in estimator_ and reproduces the search."""
    X, y = regression_data
    est = RegularizedMLPRegressorCV(alphas=2, cv=2, **SMALL).fit(X, y)
    seed = est.estimator_.random_state
    assert isinstance(seed, int)
    again = RegularizedMLPRegressorCV(alphas=2, cv=2, random_state=seed, **SMALL)
    np.testing.assert_array_equal(again.fit(X, y).cv_scores_, est.cv_scores_)


def test_sample_weight_enters_fits_and_scores(regression_data):
    X, y = regression_data
    sample_weight = np.r_[np.zeros(50), np.ones(100)]
    # Full-batch L-BFGS: a zero weight and a dropped row train the same model.
    params = dict(
        alphas=[1e-4, 1e-2],
        cv=[(np.arange(150), np.arange(150))],
        solver="lbfgs",
        **SMALL,
    )
    weighted = RegularizedMLPRegressorCV(random_state=0, **params)
    weighted.fit(X, y, sample_weight=sample_weight)
    dropped = RegularizedMLPRegressorCV(
        random_state=0, **{**params, "cv": [(np.arange(100), np.arange(100))]}
    ).fit(X[50:], y[50:])
    np.testing.assert_allclose(weighted.cv_scores_, dropped.cv_scores_, rtol=1e-6)


def test_warm_start_starts_from_the_previous_model(regression_data):
    X, y = regression_data
    params = dict(alphas=4, cv=3, solver="lbfgs", random_state=0, **SMALL)
    cold = RegularizedMLPRegressorCV(**params).fit(X, y)
    est = RegularizedMLPRegressorCV(warm_start=True, **params).fit(X, y)
    np.testing.assert_array_equal(est.cv_scores_, cold.cv_scores_)
    first_iterations = est.path_n_iter_[:, 0].sum()
    est.fit(X, y)
    assert est.path_n_iter_[:, 0].sum() < first_iterations


# -- the benchmark -------------------------------------------------------------


def _load_benchmark():
    spec = importlib.util.spec_from_file_location("bench_path", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_path_benchmark_quick(capsys):
    bench = _load_benchmark()
    assert bench.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert "warm/cold time ratio" in out
    assert "epochs: warm" in out
