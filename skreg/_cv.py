"""The CV estimators: the regularization chosen by cross-validation.

``RegularizedMLPClassifierCV`` and ``RegularizedMLPRegressorCV`` choose the
kind and the strength of the regularization (L2, L1, dropout, or a user's
grid of any parameters) by cross-validation with successive halving
(:mod:`skreg._search`), each candidate trained to its early-stopping point
on each fold, then refit the chosen one on all the data for the epochs the
folds found best. The candidates and their budgets are in
:mod:`skreg._candidates`, the ``fit`` that glues them to the plain
estimators in :mod:`skreg._cv_fit`; this module holds the two classes and
their signatures.
"""

from __future__ import annotations

from ._base import set_init_params
from ._classifier import RegularizedMLPClassifier
from ._cv_fit import SEARCHED, CrossValidatedSearch
from ._regressor import RegularizedMLPRegressor
from ._search import neg_log_loss

__all__ = [
    "SEARCHED",
    "RegularizedMLPClassifierCV",
    "RegularizedMLPRegressorCV",
    "neg_log_loss",
]


class RegularizedMLPClassifierCV(
    CrossValidatedSearch, RegularizedMLPClassifier, linear_model="LogisticRegressionCV"
):
    """\
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skreg import RegularizedMLPClassifierCV
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> search = RegularizedMLPClassifierCV(
    ...     hidden_layer_sizes=(16,),
    ...     param_grid=dict(penalty=["l2"], alpha=[1e-4, 1e-2]),
    ...     random_state=0)
    >>> model = make_pipeline(StandardScaler(), search).fit(X, y)
    >>> search.cv_results_["mean_test_score"].shape  # (candidates,)
    (2,)
    >>> sorted(search.best_params_)
    ['alpha', 'penalty']
    >>> bool(model.score(X, y) > 0.9)
    True
"""

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter="auto",
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        momentum=0.9,
        nesterovs_momentum=True,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change="auto",
        max_fun=15000,
        penalty="l2",
        l1_ratio=0.5,
        dropout=0.0,
        input_dropout=0.0,
        max_norm=None,
        weight_decay=0.0,
        average=False,
        warmup_epochs=0.0,
        scoring=None,
        class_weight=None,
        label_smoothing=0.0,
        param_grid=None,
        n_candidates=None,
        factor=3,
        tie_tolerance=1e-3,
        cv=3,
        n_jobs=None,
    ):
        set_init_params(self, locals())


class RegularizedMLPRegressorCV(
    CrossValidatedSearch, RegularizedMLPRegressor, linear_model="ElasticNetCV"
):
    """\
    >>> from sklearn.datasets import make_regression
    >>> from skreg import RegularizedMLPRegressorCV
    >>> X, y = make_regression(n_samples=200, n_features=10, n_informative=3,
    ...                        noise=1.0, random_state=0)
    >>> y = y / y.std()
    >>> reg = RegularizedMLPRegressorCV(
    ...     hidden_layer_sizes=(16,),
    ...     param_grid=[dict(penalty=["l1"], alpha=[1e-3, 1e-2]),
    ...                 dict(dropout=[0.1])],
    ...     random_state=0).fit(X, y)
    >>> len(reg.cv_results_["params"])
    3
    >>> bool(reg.score(X, y) > 0.9)
    True
"""

    def __init__(
        self,
        loss="squared_error",
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter="auto",
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        momentum=0.9,
        nesterovs_momentum=True,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change="auto",
        max_fun=15000,
        penalty="l2",
        l1_ratio=0.5,
        dropout=0.0,
        input_dropout=0.0,
        max_norm=None,
        weight_decay=0.0,
        average=False,
        warmup_epochs=0.0,
        scoring=None,
        param_grid=None,
        n_candidates=None,
        factor=3,
        tie_tolerance=1e-3,
        cv=3,
        n_jobs=None,
    ):
        set_init_params(self, locals())
