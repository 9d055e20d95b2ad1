"""The cross-validated estimators RegularizedMLPClassifierCV / RegressorCV.

scikit-learn's estimator checks; the parameters mirror the plain estimators';
invalid parameters fail early; ``cv_results_`` is GridSearchCV's format; the
scores are those of the plain estimator trained by hand on each fold with early
stopping on the held-out part, and the refit is the chosen candidate trained for
the median of its folds' best epochs; on a small real table the chosen candidate
is trained to its early-stopping point; on an imbalanced table the choice is not
a constant model; successive halving; parallel and serial runs agree; sample
weights, distributions in the grid, the budget's one warning; and the gradient
that scales the L1 candidates (with the path benchmark that uses it).
"""

import doctest
import importlib.util
import inspect
import itertools
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from numpydoc.docscrape import ClassDoc
from scipy.stats import loguniform
from sklearn.base import clone
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    make_classification,
    make_regression,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, log_loss, r2_score, roc_auc_score
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.estimator_checks import parametrize_with_checks

import skreg._cv
from skreg import (
    RegularizedMLPClassifier,
    RegularizedMLPClassifierCV,
    RegularizedMLPRegressor,
    RegularizedMLPRegressorCV,
)
from skreg._candidates import L1_FRACTIONS, default_candidates, training_budget
from skreg._cv import SEARCHED, neg_log_loss
from skreg._path import first_layer_loss_gradient
from skreg._search import MIN_ROWS, choose, halving_rounds
from skreg.penalties import make_penalty

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

CV_ESTIMATORS = [RegularizedMLPClassifierCV, RegularizedMLPRegressorCV]
PLAIN = {
    RegularizedMLPClassifierCV: RegularizedMLPClassifier,
    RegularizedMLPRegressorCV: RegularizedMLPRegressor,
}
CV_ONLY = {"param_grid", "n_candidates", "factor", "tie_tolerance", "cv", "n_jobs"}
#: Parameters shared by the CV estimators and the plain ones in these tests.
NET = dict(hidden_layer_sizes=(5,), learning_rate_init=0.02)
GRID = dict(alpha=[1e-4, 1e-2])
FAST = dict(cv=2, max_iter=30, param_grid=GRID, **NET)
BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_path.py"


# -- scikit-learn's checks -----------------------------------------------------


@parametrize_with_checks(
    [
        Estimator(**params)
        for Estimator in CV_ESTIMATORS
        # A grid of two candidates, and the default candidates (param_grid
        # None: alpha_max from the data's gradient, dropout).
        for params in (FAST, {**FAST, "param_grid": None})
    ],
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


def _int_cv(Estimator, n_splits, seed):
    """The folds of an int ``cv``: shuffled with the search's seed, and
    stratified for the classifier."""
    Splitter = StratifiedKFold if Estimator is RegularizedMLPClassifierCV else KFold
    return Splitter(n_splits, shuffle=True, random_state=seed)


def _splitter(Estimator):
    if Estimator is RegularizedMLPClassifierCV:
        return StratifiedKFold(3, shuffle=True, random_state=0)
    return KFold(3, shuffle=True, random_state=0)


def _fold_fit(Estimator, params, candidate, X, y, train, test, max_iter, patience):
    """One candidate on one fold, trained by hand with the plain estimator as
    the search trains it: early stopping on the held-out part, best epoch
    restored, the budget (``'auto'`` or given) and the validation interval
    resolved for the fold's rows."""
    estimator = PLAIN[Estimator](**params).set_params(**candidate)
    budget = training_budget(estimator, len(train), max_iter, patience)
    estimator.set_params(early_stopping=True, scoring="loss", **budget)
    return estimator.fit(X[train], y[train], X_val=X[test], y_val=y[test])


def r2(estimator, X, y):
    return r2_score(y, estimator.predict(X))


def _best_epoch(estimator):
    """The epoch of the best validation score (measured every
    ``validation_interval`` epochs)."""
    measured = int(np.argmax(estimator.validation_scores_)) + 1
    return min(measured * estimator.validation_interval, estimator.n_iter_)


@contextmanager
def _recorded_fits(Plain):
    """Record every fit of the plain estimator (the candidates' fold fits and
    the refit): its parameters and arguments."""
    calls = []
    original = Plain.fit

    def fit(self, X, y, sample_weight=None, **kwargs):
        calls.append(
            dict(params=self.get_params(), X=X, sample_weight=sample_weight, **kwargs)
        )
        return original(self, X, y, sample_weight=sample_weight, **kwargs)

    with mock.patch.object(Plain, "fit", fit):
        yield calls


# -- the parameters ------------------------------------------------------------


@pytest.mark.parametrize("Estimator", CV_ESTIMATORS)
def test_parameters_mirror_the_plain_estimator(Estimator):
    """Every parameter of the plain estimator but those the search sets, with
    its default (the budget's is 'auto'), and the search's own."""
    plain = inspect.signature(PLAIN[Estimator]).parameters
    cv = inspect.signature(Estimator).parameters
    assert set(cv) == (set(plain) - set(SEARCHED)) | CV_ONLY
    for name, parameter in plain.items():
        if name in SEARCHED:
            continue
        assert cv[name].kind == parameter.kind, name
        if name in ("max_iter", "n_iter_no_change"):
            assert cv[name].default == "auto", name
        else:
            assert cv[name].default == parameter.default, name
    for name in CV_ONLY:
        assert cv[name].kind is inspect.Parameter.KEYWORD_ONLY, name
    defaults = {name: cv[name].default for name in CV_ONLY}
    assert defaults == dict(
        param_grid=None, n_candidates=None, factor=3, tie_tolerance=1e-3, cv=3,
        n_jobs=None,
    )  # fmt: skip


@pytest.mark.parametrize("Estimator", CV_ESTIMATORS)
def test_docstring_documents_every_parameter(Estimator):
    doc = ClassDoc(Estimator)
    documented = [p.name for p in doc["Parameters"]]
    assert documented == list(inspect.signature(Estimator).parameters)
    assert all("".join(p.desc).strip() for p in doc["Parameters"])
    attributes = {p.name for p in doc["Attributes"]}
    assert {
        "cv_results_",
        "best_index_",
        "best_params_",
        "best_score_",
        "n_candidates_",
        "n_resources_",
        "n_iterations_",
        "n_splits_",
        "estimator_",
        "coefs_",
        "n_iter_",
    } <= attributes
    assert ("classes_" in attributes) == (Estimator is RegularizedMLPClassifierCV)


def test_doctests():
    result = doctest.testmod(
        skreg._cv, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    )
    assert result.attempted >= 10
    assert result.failed == 0


@pytest.mark.parametrize("data", CV_ESTIMATORS, indirect=True)
def test_invalid_parameters(data):
    Estimator, X, y = data

    def fit(**params):
        return Estimator(**{**FAST, **params}).fit(X, y)

    with pytest.raises(InvalidParameterError, match="param_grid"):
        fit(param_grid="alpha")
    with pytest.raises(ValueError, match="param_grid must be a dict or a list"):
        fit(param_grid=[GRID, "dropout"])
    with pytest.raises(ValueError, match="param_grid gives no candidate"):
        fit(param_grid=[])
    with pytest.raises(ValueError, match=r"param_grid names \['not_a_parameter'\]"):
        fit(param_grid=dict(alpha=[1e-3], not_a_parameter=[1]))
    with pytest.raises(InvalidParameterError, match="dropout"):
        fit(param_grid=dict(dropout=[0.1, 2.0]))
    with pytest.raises(InvalidParameterError, match="'factor' parameter"):
        fit(factor=1)
    with pytest.raises(InvalidParameterError, match="'tie_tolerance' parameter"):
        fit(tie_tolerance=-1e-3)
    with pytest.raises(InvalidParameterError, match="'max_iter' parameter"):
        fit(max_iter="x")
    with pytest.raises(InvalidParameterError, match="'n_candidates' parameter"):
        fit(n_candidates=0)
    # The search sets alpha itself: it is not a parameter of the CV estimator.
    with pytest.raises(ValueError, match="alpha"):
        Estimator(**FAST).set_params(alpha=0.1)


def test_param_grid_naming_a_parameter_the_search_sets_is_refused(regression_data):
    X, y = regression_data
    with pytest.raises(ValueError, match="max_iter"):
        RegularizedMLPRegressorCV(**{**FAST, "param_grid": dict(max_iter=[3, 7])}).fit(
            X, y
        )


@pytest.mark.parametrize("Estimator", CV_ESTIMATORS)
def test_a_search_is_not_incremental(Estimator):
    assert not hasattr(Estimator(), "partial_fit")
    assert hasattr(PLAIN[Estimator](), "partial_fit")


# -- cv_results_ and the fitted attributes -------------------------------------


@pytest.mark.parametrize("data", CV_ESTIMATORS, indirect=True)
def test_cv_results_format(data):
    Estimator, X, y = data
    grid = dict(alpha=[1e-4, 1e-2], dropout=[0.0, 0.2])
    est = Estimator(cv=3, max_iter=30, param_grid=grid, random_state=0, **NET)
    est.fit(X, y)
    results = est.cv_results_

    keys = {
        "params",
        "param_alpha",
        "param_dropout",
        *(f"split{k}_test_score" for k in range(3)),
        "mean_test_score",
        "std_test_score",
        "rank_test_score",
        "mean_fit_time",
        "std_fit_time",
        "mean_score_time",
        "std_score_time",
        "iter",
        "n_resources",
        "mean_best_epoch",
        "mean_n_iter",
        "mean_zero_fraction",
        "constant_predictions",
        "at_budget",
    }
    assert keys <= set(results)
    # 2 x 2 candidates, one round on small data.
    assert len(results["params"]) == 4
    assert all(len(results[key]) == 4 for key in keys)
    assert est.n_candidates_ == [4] and est.n_iterations_ == 1 and est.n_splits_ == 3
    assert est.n_resources_ == [len(y)]
    np.testing.assert_array_equal(results["iter"], 0)
    np.testing.assert_array_equal(results["n_resources"], len(y))
    for name in ("alpha", "dropout"):
        column = results[f"param_{name}"]
        assert isinstance(column, np.ma.MaskedArray)
        assert list(column) == [p[name] for p in results["params"]]
    splits = np.column_stack([results[f"split{k}_test_score"] for k in range(3)])
    np.testing.assert_allclose(results["mean_test_score"], splits.mean(axis=1))
    np.testing.assert_allclose(results["std_test_score"], splits.std(axis=1))
    assert results["rank_test_score"].dtype.kind == "i"
    assert results["rank_test_score"][np.argmax(results["mean_test_score"])] == 1
    assert np.all(results["mean_fit_time"] > 0) and np.all(results["std_fit_time"] >= 0)
    assert np.all(results["mean_score_time"] > 0)
    assert np.all(
        (results["mean_best_epoch"] >= 1)
        & (results["mean_best_epoch"] <= results["mean_n_iter"])
        & (results["mean_n_iter"] <= 30)
    )
    assert np.all(
        (results["mean_zero_fraction"] >= 0) & (results["mean_zero_fraction"] <= 1)
    )
    assert results["constant_predictions"].dtype == bool
    assert results["at_budget"].dtype == bool

    frame = pd.DataFrame(results)
    assert len(frame) == 4 and "mean_test_score" in frame

    assert est.best_params_ == results["params"][est.best_index_]
    assert est.best_score_ == results["mean_test_score"][est.best_index_]
    assert isinstance(est.best_score_, float)
    assert isinstance(est.best_index_, int)


def test_param_names_missing_from_a_candidate_are_masked(regression_data):
    X, y = regression_data
    grid = [dict(penalty=["l1"], alpha=[1e-3, 1e-2]), dict(dropout=[0.1])]
    est = RegularizedMLPRegressorCV(**{**FAST, "param_grid": grid}).fit(X, y)
    results = est.cv_results_
    assert results["params"] == [
        {"alpha": 1e-3, "penalty": "l1"},
        {"alpha": 1e-2, "penalty": "l1"},
        {"dropout": 0.1},
    ]
    np.testing.assert_array_equal(results["param_dropout"].mask, [True, True, False])
    np.testing.assert_array_equal(results["param_alpha"].mask, [False, False, True])
    assert len(pd.DataFrame(results)) == 3


@pytest.mark.parametrize("data", CV_ESTIMATORS, indirect=True)
def test_fitted_attributes_are_the_refitted_estimators(data):
    Estimator, X, y = data
    names = [f"x{i}" for i in range(X.shape[1])]
    frame = pd.DataFrame(X, columns=names)
    est = Estimator(**FAST, random_state=0).fit(frame, y)
    inner = est.estimator_
    assert type(inner) is PLAIN[Estimator]
    assert inner.get_params().items() >= est.best_params_.items()
    assert inner.random_state == 0
    assert inner.early_stopping is False and inner.warm_start is False
    for name in ("coefs_", "intercepts_", "n_iter_", "loss_curve_", "n_outputs_"):
        assert getattr(est, name) is getattr(inner, name)
    assert est.n_features_in_ == X.shape[1]
    assert list(est.feature_names_in_) == names
    np.testing.assert_array_equal(est.predict(frame), inner.predict(X))
    if Estimator is RegularizedMLPClassifierCV:
        np.testing.assert_array_equal(est.classes_, np.unique(y))
        np.testing.assert_array_equal(est.predict_proba(frame), inner.predict_proba(X))
    # The plain estimator's properties come along.
    np.testing.assert_array_equal(est.feature_importances_, inner.feature_importances_)


@pytest.mark.parametrize("data", CV_ESTIMATORS, indirect=True)
def test_default_candidates(data):
    """Without a param_grid: the default candidates, the L1 strengths scaled
    by alpha_max of the data's gradient at the initial weights."""
    Estimator, X, y = data
    est = Estimator(cv=2, max_iter=5, random_state=0, **NET).fit(X, y)
    plain = PLAIN[Estimator](random_state=0, **NET)
    expected = default_candidates(plain, X, y, None)
    assert est.cv_results_["params"] == expected
    assert len(expected) >= 6
    kinds = {(c.get("penalty", "l2"), "dropout" in c) for c in expected}
    assert {("l2", False), ("l1", False), ("l2", True)} <= kinds
    alpha_max = make_penalty("l1", 1.0).alpha_max(
        first_layer_loss_gradient(plain, X, y)
    )
    l1 = [c["alpha"] for c in expected if c.get("penalty") == "l1"]
    np.testing.assert_allclose(l1, np.multiply(L1_FRACTIONS, alpha_max), rtol=1e-12)
    assert all(type(c["alpha"]) is float for c in expected)


# -- the scores and the refit --------------------------------------------------


@pytest.mark.parametrize("data", CV_ESTIMATORS, indirect=True)
def test_scores_are_those_of_the_plain_estimator_trained_by_hand(data):
    """split{k}_test_score is the score on fold k's held-out part of the plain
    estimator trained on the rest with early stopping on that part (the best
    epoch restored); the default score is a proper scoring rule (minus the
    log-loss, R^2); another scoring is honoured; the refit is the chosen
    candidate on all the data for the median of its folds' best epochs."""
    Estimator, X, y = data
    splitter = _splitter(Estimator)
    net = dict(random_state=0, **NET)
    budget = dict(max_iter=40, n_iter_no_change=5)
    grid = dict(alpha=[1e-4, 1e-2], dropout=[0.0, 0.2])
    est = Estimator(cv=splitter, param_grid=grid, **budget, **net).fit(X, y)
    other = (
        "accuracy"
        if Estimator is RegularizedMLPClassifierCV
        else "neg_mean_absolute_error"
    )
    by_other = Estimator(
        cv=splitter, param_grid=grid, scoring=other, **budget, **net
    ).fit(X, y)
    # The same candidates, in the same order.
    assert est.cv_results_["params"] == by_other.cv_results_["params"]

    best_epochs = {}
    for i, candidate in enumerate(est.cv_results_["params"]):
        best_epochs[i] = []
        for k, (train, test) in enumerate(splitter.split(X, y)):
            fold = _fold_fit(Estimator, net, candidate, X, y, train, test, 40, 5)
            best_epochs[i].append(_best_epoch(fold))
            score = est.cv_results_[f"split{k}_test_score"][i]
            score_by_other = by_other.cv_results_[f"split{k}_test_score"][i]
            if Estimator is RegularizedMLPClassifierCV:
                proba = fold.predict_proba(X[test])
                assert score == -log_loss(y[test], proba, labels=fold.classes_)
                assert score == neg_log_loss(fold, X[test], y[test])
                assert score_by_other == accuracy_score(y[test], fold.predict(X[test]))
            else:
                assert score == r2_score(y[test], fold.predict(X[test]))
                assert score_by_other == -np.mean(
                    np.abs(y[test] - fold.predict(X[test]))
                )
        assert est.cv_results_["mean_best_epoch"][i] == np.mean(best_epochs[i])

    # The refit: the chosen candidate for the median of its best epochs.
    epochs = int(np.median(best_epochs[est.best_index_]))
    assert est.estimator_.n_iter_ == epochs
    refit = PLAIN[Estimator](**net).set_params(
        **est.best_params_, max_iter=epochs, n_iter_no_change=np.inf
    )
    refit.fit(X, y)
    for a, b in zip(est.coefs_, refit.coefs_, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(est.predict(X), est.estimator_.predict(X))


def test_lbfgs_candidates_are_fitted_for_max_iter(regression_data):
    """L-BFGS has no early stopping: every fold fit runs to convergence or
    max_iter, and its score is that of the plain estimator fitted so."""
    X, y = regression_data
    splitter = KFold(2, shuffle=True, random_state=0)
    net = dict(hidden_layer_sizes=(5,), solver="lbfgs", random_state=0)
    est = RegularizedMLPRegressorCV(
        cv=splitter, param_grid=GRID, max_iter=50, **net
    ).fit(X, y)
    results = est.cv_results_
    np.testing.assert_array_equal(results["mean_best_epoch"], results["mean_n_iter"])
    for i, candidate in enumerate(results["params"]):
        for k, (train, test) in enumerate(splitter.split(X, y)):
            fold = RegularizedMLPRegressor(**net, **candidate, max_iter=50)
            fold.fit(X[train], y[train])
            assert results[f"split{k}_test_score"][i] == fold.score(X[test], y[test])
    refit = RegularizedMLPRegressor(**net, **est.best_params_, max_iter=50).fit(X, y)
    for a, b in zip(est.coefs_, refit.coefs_, strict=True):
        np.testing.assert_array_equal(a, b)
    assert est.score(X, y) > 0.9


# -- acceptance: trained to the early-stopping point ---------------------------


@pytest.mark.parametrize("Estimator", CV_ESTIMATORS)
def test_chosen_candidate_is_trained_to_its_early_stopping_point(Estimator):
    """On a small real table, with the default candidates and budget, the
    chosen candidate was trained on every fold to its early-stopping point:
    the weights of its best epoch restored (not the last epoch's), and
    training ended by early stopping (not by max_iter). The refit trains for
    the planned epochs, short of the budget."""
    if Estimator is RegularizedMLPClassifierCV:
        X, y = load_breast_cancer(return_X_y=True)
    else:
        X, y = load_diabetes(return_X_y=True)
        y = (y - y.mean()) / y.std()
    X = StandardScaler().fit_transform(X)
    net = dict(hidden_layer_sizes=(8,), learning_rate_init=0.02, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        est = Estimator(**net).fit(X, y)
    results = est.cv_results_
    best = est.best_index_
    assert results["mean_best_epoch"][best] < results["mean_n_iter"][best]
    assert not results["at_budget"][best]
    assert not results["at_budget"].any()  # the default budget suffices here

    best_epochs = []
    # The default cv=3.
    splitter = _int_cv(Estimator, 3, est.estimator_.random_state)
    scorer = neg_log_loss if Estimator is RegularizedMLPClassifierCV else r2
    for k, (train, test) in enumerate(splitter.split(X, y)):
        plain = PLAIN[Estimator](**net).set_params(**est.best_params_)
        max_iter = training_budget(plain, len(train), "auto", "auto")["max_iter"]
        fold = _fold_fit(
            Estimator, net, est.best_params_, X, y, train, test, "auto", "auto"
        )
        # This is the search's fit: the same score.
        assert results[f"split{k}_test_score"][best] == scorer(fold, X[test], y[test])
        epoch = _best_epoch(fold)
        best_epochs.append(epoch)
        # Stopped by early stopping, not by the budget, after the best epoch.
        assert epoch < fold.n_iter_ < max_iter
        # The weights are the best epoch's: a fit stopped there has them.
        stopped = PLAIN[Estimator](**net).set_params(
            **est.best_params_,
            early_stopping=True,
            scoring="loss",
            max_iter=epoch,
            n_iter_no_change=np.inf,
            validation_interval=fold.validation_interval,
        )
        stopped.fit(X[train], y[train], X_val=X[test], y_val=y[test])
        for a, b in zip(fold.coefs_, stopped.coefs_, strict=True):
            np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(results["mean_best_epoch"][best], np.mean(best_epochs))

    planned = int(np.median(best_epochs))
    assert est.estimator_.n_iter_ == planned == len(est.loss_curve_)
    full_budget = training_budget(est.estimator_, len(y), "auto", "auto")["max_iter"]
    assert planned < full_budget


# -- acceptance: no constant model on an imbalanced table ----------------------


@pytest.fixture(scope="module")
def imbalanced_data():
    """5 % positives, a real but weak signal: no model beats the majority
    class's accuracy, but the probabilities rank the positives."""
    X, y = make_classification(
        n_samples=1000,
        n_features=10,
        n_informative=3,
        n_redundant=0,
        weights=[0.95],
        flip_y=0,
        class_sep=0.7,
        random_state=0,
    )
    return train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)


IMBALANCED = dict(hidden_layer_sizes=(8,), learning_rate_init=0.02, random_state=0)


def test_accuracy_ties_do_not_choose_a_constant_model(imbalanced_data):
    """By accuracy, a strong L1 penalty (a constant model) ties with the
    others at the majority rate: the old rule, the best score with ties to
    the strongest penalty, would choose it; the tie rule chooses the sparsest
    model that is not constant."""
    X, _, y, _ = imbalanced_data
    alphas = [1e-3, 1e-2, 10.0]
    est = RegularizedMLPClassifierCV(
        scoring="accuracy",
        param_grid=dict(penalty=["l1"], alpha=alphas),
        **IMBALANCED,
    ).fit(X, y)
    results = est.cv_results_
    assert [p["alpha"] for p in results["params"]] == alphas
    scores = results["mean_test_score"]
    strongest = alphas.index(10.0)
    assert results["constant_predictions"][strongest]
    assert results["mean_zero_fraction"][strongest] == 1.0
    # The constant model scores the majority rate on every fold...
    splitter = _int_cv(RegularizedMLPClassifierCV, 3, seed=0)
    for k, (_, test) in enumerate(splitter.split(X, y)):
        majority = np.mean(y[test] == 0)
        assert results[f"split{k}_test_score"][strongest] == majority
    # ... and every candidate ties with it.
    assert np.ptp(scores) <= est.tie_tolerance
    old_choice = max(np.flatnonzero(scores == scores.max()), key=lambda i: alphas[i])
    assert old_choice == strongest
    # The tie rule: not the constant one; the sparsest of the others.
    assert not results["constant_predictions"][est.best_index_]
    assert est.best_params_["alpha"] == 1e-2
    assert np.ptp(est.predict_proba(X)[:, 1]) > 0.1


def test_default_choice_on_an_imbalanced_table_ranks_the_positives(imbalanced_data):
    X, X_test, y, y_test = imbalanced_data
    est = RegularizedMLPClassifierCV(**IMBALANCED).fit(X, y)
    assert not est.cv_results_["constant_predictions"][est.best_index_]
    proba = est.predict_proba(X_test)[:, 1]
    assert np.ptp(proba) > 0.1
    assert roc_auc_score(y_test, proba) > 0.7


def test_choose():
    def pick(scores, constant, sparsity, tolerance=1e-3):
        return choose(
            np.array(scores, dtype=float),
            np.array(constant, dtype=bool),
            np.array(sparsity, dtype=float),
            tolerance,
        )

    # A constant model with the best score is not chosen when another is
    # within the tolerance.
    assert pick([0.95, 0.9495, 0.94], [True, False, False], [1.0, 0.2, 0.5]) == 1
    # Among the tied ones, the sparsest; then the best scoring.
    assert pick([0.90, 0.9005, 0.9009, 0.5], [False] * 4, [0.1, 0.6, 0.3, 0.9]) == 1
    assert pick([0.90, 0.9005, 0.9009], [False] * 3, [0.6, 0.6, 0.3]) == 1
    # No tie within the tolerance: the best.
    assert pick([0.90, 0.95, 0.80], [False] * 3, [0.9, 0.0, 1.0]) == 1
    # A constant model only when it beats every other by more than the
    # tolerance.
    assert pick([0.95, 0.94], [True, False], [1.0, 0.0], tolerance=1e-3) == 0
    assert pick([0.95, 0.94], [True, False], [1.0, 0.0], tolerance=0.02) == 1
    assert pick([0.95, 0.94], [True, True], [1.0, 0.0]) == 0
    # NaN is the worst score.
    assert pick([np.nan, 0.5], [False, False], [1.0, 0.0]) == 1


# -- successive halving --------------------------------------------------------


def test_halving_rounds():
    assert halving_rounds(9, 500, 3) == [(9, 500)]
    assert halving_rounds(9, 10_000, 3) == [(9, 3333), (3, 10_000)]
    assert halving_rounds(27, 100_000, 3) == [(27, 11111), (9, 33333), (3, 100_000)]
    assert halving_rounds(2, 100_000, 3) == [(2, 100_000)]  # few candidates
    for n_candidates in (1, 2, 3, 4, 8, 9, 10, 30, 100):
        for n_samples in (10, 999, 1000, 2999, 3001, 10_000, 1_000_000):
            for factor in (2, 3, 4.5):
                rounds = halving_rounds(n_candidates, n_samples, factor)
                counts = [n for n, _ in rounds]
                rows = [r for _, r in rounds]
                assert counts[0] == n_candidates
                assert rows[-1] == n_samples
                assert all(a >= b for a, b in itertools.pairwise(counts))
                assert all(a < b for a, b in itertools.pairwise(rows))
                if len(rounds) > 1:
                    assert rows[0] >= MIN_ROWS
                    assert counts[-2] > factor


def test_successive_halving_runs_two_rounds():
    X, y = make_classification(n_samples=3500, n_features=8, random_state=0)
    grid = dict(alpha=[1e-4, 1e-3, 1e-2], dropout=[0.0, 0.1, 0.3])
    est = RegularizedMLPClassifierCV(
        hidden_layer_sizes=(5,),
        learning_rate_init=0.02,
        max_iter=8,
        param_grid=grid,
        random_state=0,
    )
    with _recorded_fits(RegularizedMLPClassifier) as fits:
        est.fit(X, y)
    assert est.n_iterations_ == 2
    assert est.n_candidates_ == [9, 3]
    assert est.n_resources_ == [1166, 3500]
    results = est.cv_results_
    np.testing.assert_array_equal(results["iter"], [0] * 9 + [1] * 3)
    np.testing.assert_array_equal(results["n_resources"], [1166] * 9 + [3500] * 3)
    assert results["iter"][est.best_index_] == 1
    assert not results["constant_predictions"].any()
    # The second round's candidates are the first's best three.
    first = results["mean_test_score"][:9]
    top = sorted(np.argsort(-first, kind="stable")[:3])
    assert results["params"][9:] == [results["params"][i] for i in top]
    # The first round trained on a third of every training part; the
    # held-out parts stay whole.
    folds = list(_int_cv(RegularizedMLPClassifierCV, 3, seed=0).split(X, y))
    sizes = [(len(f["X"]), len(f["X_val"])) for f in fits[:-1]]
    expected = [
        (round(1166 / 3500 * len(train)), len(test)) for train, test in folds
    ] * 9 + [(len(train), len(test)) for train, test in folds] * 3
    assert sizes == expected
    for fit, (train, test) in zip(fits[:-1], folds * 12, strict=True):
        np.testing.assert_array_equal(fit["X_val"], X[test])
        if len(fit["X"]) == len(train):
            np.testing.assert_array_equal(fit["X"], X[train])
    assert len(fits[-1]["X"]) == 3500 and fits[-1].get("X_val") is None


@pytest.mark.parametrize("data", CV_ESTIMATORS, indirect=True)
def test_an_int_cv_gives_shuffled_folds(data):
    """On rows sorted by the target, an int cv still gives held-out parts
    (the early-stopping sets) that look like the rest: shuffled folds,
    seeded by the search's seed, stratified for the classifier."""
    Estimator, X, y = data
    order = np.argsort(y, kind="stable")
    X, y = X[order], y[order]
    est = Estimator(**{**FAST, "cv": 3, "random_state": 0})
    with _recorded_fits(PLAIN[Estimator]) as fits:
        est.fit(X, y)
    folds = list(_int_cv(Estimator, 3, seed=0).split(X, y))
    for fit, (train, test) in zip(fits[:-1], folds * 2, strict=True):
        np.testing.assert_array_equal(fit["X"], X[train])
        np.testing.assert_array_equal(fit["X_val"], X[test])
    assert est.n_splits_ == 3


# -- parallelism, seeds, weights, grids ----------------------------------------


@pytest.mark.parametrize("data", CV_ESTIMATORS, indirect=True)
def test_n_jobs_does_not_change_the_result(data):
    Estimator, X, y = data
    params = dict(FAST, cv=3, random_state=0)
    serial = Estimator(n_jobs=1, **params).fit(X, y)
    parallel = Estimator(n_jobs=2, **params).fit(X, y)
    for key in ("split0_test_score", "split2_test_score", "mean_best_epoch"):
        np.testing.assert_array_equal(
            serial.cv_results_[key], parallel.cv_results_[key]
        )
    assert serial.best_params_ == parallel.best_params_
    for a, b in zip(serial.coefs_, parallel.coefs_, strict=True):
        np.testing.assert_array_equal(a, b)


def test_random_state_none_draws_one_seed_for_every_fit(regression_data):
    """One seed for every candidate, fold and the refit (so that every fit
    starts from the same weights), kept in estimator_; it reproduces the
    search."""
    X, y = regression_data
    est = RegularizedMLPRegressorCV(**FAST)
    with _recorded_fits(RegularizedMLPRegressor) as fits:
        est.fit(X, y)
    seed = est.estimator_.random_state
    assert isinstance(seed, int)
    assert len(fits) == 2 * 2 + 1
    assert {f["params"]["random_state"] for f in fits} == {seed}
    again = RegularizedMLPRegressorCV(**FAST, random_state=seed).fit(X, y)
    np.testing.assert_array_equal(
        again.cv_results_["mean_test_score"], est.cv_results_["mean_test_score"]
    )
    # A RandomState instance: the same draws, the same search.
    first, second = (
        RegularizedMLPRegressorCV(**FAST, random_state=np.random.RandomState(0)).fit(
            X, y
        )
        for _ in range(2)
    )
    assert first.estimator_.random_state == second.estimator_.random_state
    np.testing.assert_array_equal(
        first.cv_results_["mean_test_score"], second.cv_results_["mean_test_score"]
    )


def test_sample_weight_enters_fits_and_scores(regression_data):
    X, y = regression_data
    sample_weight = np.random.RandomState(0).uniform(0.1, 3.0, size=len(y))
    splitter = KFold(2, shuffle=True, random_state=0)
    recorded = []

    def r2(estimator, X, y, sample_weight=None):
        recorded.append(sample_weight)
        return r2_score(y, estimator.predict(X), sample_weight=sample_weight)

    params = dict(FAST, cv=splitter, random_state=0)
    est = RegularizedMLPRegressorCV(**params, scoring=r2)
    with _recorded_fits(RegularizedMLPRegressor) as fits:
        est.fit(X, y, sample_weight=sample_weight)
    folds = list(splitter.split(X, y))
    # The scorer gets the held-out part's weights, the fits their training
    # part's, early stopping the held-out part's.
    assert len(recorded) == 4
    for weights, (_, test) in zip(recorded, folds * 2, strict=True):
        np.testing.assert_array_equal(weights, sample_weight[test])
    for fit, (train, test) in zip(fits[:-1], folds * 2, strict=True):
        np.testing.assert_array_equal(fit["sample_weight"], sample_weight[train])
        np.testing.assert_array_equal(fit["sample_weight_val"], sample_weight[test])
    np.testing.assert_array_equal(fits[-1]["sample_weight"], sample_weight)
    # The default scorer takes the weights too: the same scores.
    default = RegularizedMLPRegressorCV(**params).fit(X, y, sample_weight=sample_weight)
    np.testing.assert_array_equal(
        default.cv_results_["mean_test_score"], est.cv_results_["mean_test_score"]
    )
    unweighted = RegularizedMLPRegressorCV(**params).fit(X, y)
    assert not np.allclose(
        unweighted.cv_results_["mean_test_score"], est.cv_results_["mean_test_score"]
    )


def test_zero_weights_are_dropped_rows(regression_data):
    """Full-batch L-BFGS: a zero weight and a dropped row give the same fits
    and scores."""
    X, y = regression_data
    sample_weight = np.r_[np.zeros(50), np.ones(100)]
    params = dict(
        hidden_layer_sizes=(5,), solver="lbfgs", max_iter=60, param_grid=GRID,
        random_state=0,
    )  # fmt: skip
    weighted = RegularizedMLPRegressorCV(
        cv=[(np.arange(150), np.arange(150))], **params
    ).fit(X, y, sample_weight=sample_weight)
    dropped = RegularizedMLPRegressorCV(
        cv=[(np.arange(100), np.arange(100))], **params
    ).fit(X[50:], y[50:])
    np.testing.assert_allclose(
        weighted.cv_results_["mean_test_score"],
        dropped.cv_results_["mean_test_score"],
        rtol=1e-6,
    )
    for a, b in zip(weighted.coefs_, dropped.coefs_, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9)


def test_param_grid_with_distributions(classification_data):
    X, y = classification_data
    grid = dict(alpha=loguniform(1e-5, 1e-1), dropout=[0.0, 0.2])
    est = RegularizedMLPClassifierCV(
        **{**FAST, "param_grid": grid, "n_candidates": 3, "random_state": 0}
    ).fit(X, y)
    params = est.cv_results_["params"]
    assert len(params) == 3 and est.n_candidates_ == [3]
    assert all(1e-5 <= p["alpha"] <= 1e-1 for p in params)
    assert all(type(p["alpha"]) is float for p in params)
    assert type(est.best_params_["alpha"]) is float
    assert all(type(v) is not np.float64 for v in est.cv_results_["param_alpha"])
    # Sampled from the search's seed: the same candidates again.
    again = clone(est).fit(X, y)
    assert again.cv_results_["params"] == params
    # Distributions without n_candidates: RandomizedSearchCV's 10.
    many = RegularizedMLPClassifierCV(
        **{**FAST, "param_grid": grid, "max_iter": 3}
    ).fit(X, y)
    assert len(many.cv_results_["params"]) == 10


def test_n_candidates_samples_a_list_grid(classification_data):
    X, y = classification_data
    grid = dict(alpha=[1e-5, 1e-4, 1e-3, 1e-2, 1e-1], penalty=["l1", "l2"])
    est = RegularizedMLPClassifierCV(
        **{**FAST, "param_grid": grid, "n_candidates": 4}
    ).fit(X, y)
    params = est.cv_results_["params"]
    assert len(params) == 4
    assert len({tuple(sorted(p.items())) for p in params}) == 4
    assert all(p["alpha"] in grid["alpha"] and p["penalty"] in grid["penalty"]
               for p in params)  # fmt: skip


# -- the budget ----------------------------------------------------------------


@pytest.mark.parametrize(
    "solver",
    [
        "adam",
        "lbfgs",
    ],
)
def test_one_convergence_warning_per_fit(regression_data, solver):
    X, y = regression_data
    est = RegularizedMLPRegressorCV(**{**FAST, "max_iter": 2, "solver": solver})
    with pytest.warns(ConvergenceWarning) as record:
        est.fit(X, y)
    messages = [
        str(w.message) for w in record if issubclass(w.category, ConvergenceWarning)
    ]
    assert len(messages) == 1, messages
    assert messages[0].startswith("4 of 4 candidate fits stopped at max_iter")
    assert "2 of the chosen candidate's 2" in messages[0]
    assert est.cv_results_["at_budget"].all()


def test_no_convergence_warning_with_an_adequate_budget(regression_data):
    X, y = regression_data
    est = RegularizedMLPRegressorCV(**{**FAST, "max_iter": "auto"})
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        est.fit(X, y)
    assert not est.cv_results_["at_budget"].any()


# -- the gradient that scales the L1 candidates --------------------------------


def test_initial_weights_are_those_of_a_fit():
    """The gradient is computed at the weights a fit really starts from."""
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


@pytest.mark.slow
def test_default_fit_on_diabetes_warns_at_most_once():
    # The newcomer's script: the bundled diabetes, inputs standardized, the
    # raw targets, every default. It used to print 58 ConvergenceWarnings.
    X, y = load_diabetes(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        RegularizedMLPRegressorCV(random_state=0).fit(X, y)
    convergence = [w for w in record if issubclass(w.category, ConvergenceWarning)]
    assert len(convergence) <= 1, [str(w.message) for w in convergence]
