"""RegularizedMLPRegressor."""

from __future__ import annotations

import numpy as np
from sklearn.base import RegressorMixin, _fit_context
from sklearn.metrics import r2_score
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from ._base import BaseRegularizedMLP, _has_stochastic_solver, set_init_params
from ._docstrings import document

__all__ = ["RegularizedMLPRegressor"]


class RegularizedMLPRegressor(RegressorMixin, BaseRegularizedMLP):
    """Multi-layer perceptron regressor with L1, L2, elastic-net and dropout.

    A drop-in superset of :class:`sklearn.neural_network.MLPRegressor`: the
    same parameters, attributes and methods, plus ``penalty``, ``l1_ratio``
    and ``dropout``.

    {objective}

    The loss is half the squared error averaged over the outputs (identity
    output) or the half Poisson deviance summed over the outputs (exponential
    output). With ``K`` outputs and the squared error, each output's fit is
    therefore an elastic net with ``K * alpha``.

    Scale the targets as well as the inputs, for example with
    ``TransformedTargetRegressor(model, transformer=StandardScaler())``: the
    network starts with outputs near 0 and moves them by steps of about
    ``learning_rate_init``, and the penalty's effect on the fit depends on the
    targets' scale, so targets in the hundreds are under-fitted by the default
    training. On the bundled diabetes (targets 25 to 346; inputs standardized;
    5-fold cross-validation) the default regressor scores R² -1.03 with the
    raw targets and 0.45 with standardized ones.

    {sections}

    See Also
    --------
    RegularizedMLPRegressorCV : The same, with ``alpha`` chosen by
        cross-validation.
    RegularizedMLPClassifier : The classifier with the same regularization.
    sklearn.neural_network.MLPRegressor : The regressor of scikit-learn (L2 only).
    sklearn.linear_model.ElasticNet : The linear special case,
        ``hidden_layer_sizes=()`` with ``solver="lbfgs"``.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from skreg import RegularizedMLPRegressor
    >>> X, y = make_regression(n_samples=200, n_features=20, n_informative=3,
    ...                        noise=1.0, random_state=0)
    >>> reg = RegularizedMLPRegressor(hidden_layer_sizes=(), solver="lbfgs",
    ...                               penalty="l1", alpha=1.0).fit(X, y)
    >>> int((reg.coefs_[0] != 0).sum())
    3
    """

    _parameter_constraints: dict = {
        **BaseRegularizedMLP._parameter_constraints,
        "loss": [StrOptions({"squared_error", "poisson"})],
    }

    def __init__(
        self,
        loss="squared_error",
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        validation_interval=1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
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
    ):
        set_init_params(self, locals())

    def _validate_input(self, X, y, incremental, reset):
        X, y = self._check_data(X, y, reset=reset)
        return X, y, self._loss_targets(y, X.dtype)

    def _loss_targets(self, y, dtype) -> np.ndarray:
        if self.loss == "poisson" and np.any(y < 0):
            raise ValueError(
                "Some value(s) of y are negative which is not allowed for "
                "loss='poisson'."
            )
        return np.asarray(y, dtype=dtype).reshape(len(y), -1)

    def _loss_name(self) -> str:
        return self.loss

    def _score_unchecked(self, X, y, sample_weight):
        y_pred = self._predict(X, check_input=False)
        return r2_score(y, y_pred, sample_weight=sample_weight)

    @available_if(_has_stochastic_solver)
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Update the model with one epoch over ``X, y``.

        The training run continues where the previous call left it (the
        optimizer's state, the sample count ``t_``); the data may be a new
        chunk of a larger set.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A chunk of training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Its target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of its samples.

        Returns
        -------
        self : RegularizedMLPRegressor
            The updated estimator.
        """
        return self._fit(X, y, sample_weight=sample_weight, incremental=True)

    def predict(self, X, return_std=False, *, mc_passes=100, random_state=None):
        """Predict using the network, optionally with Monte-Carlo dropout.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.
        return_std : bool, default=False
            If True, run ``mc_passes`` forward passes with dropout on
            (Gal & Ghahramani, 2016) and return their mean and standard
            deviation: a measure of the model's uncertainty, exactly zero
            without dropout.
        mc_passes : int, default=100
            Number of stochastic passes when ``return_std=True``.
        random_state : int, RandomState instance or None, default=None
            Seed of the dropout masks of the passes.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            The predictions (deterministic, whole network), or the mean of
            the stochastic passes when ``return_std=True``.
        y_std : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Standard deviation of the passes; only when ``return_std=True``.

        Examples
        --------
        >>> import numpy as np
        >>> from skreg import RegularizedMLPRegressor
        >>> X = np.linspace(-1, 1, 50).reshape(-1, 1)
        >>> reg = RegularizedMLPRegressor(hidden_layer_sizes=(32,), dropout=0.2,
        ...                               random_state=0, max_iter=50)
        >>> reg = reg.fit(X, X.ravel() ** 2)
        >>> mean, std = reg.predict(X, return_std=True, random_state=0)
        >>> bool((std > 0).all())
        True
        """
        check_is_fitted(self)
        if not return_std:
            return self._predict(X)
        if not self._has_dropout():
            # Every pass would be the deterministic network.
            y = self._predict(X)
            return y, np.zeros_like(y)
        outputs = self._mc_outputs(X, mc_passes, random_state)
        mean, std = outputs.mean(axis=0), outputs.std(axis=0)
        if mean.shape[1] == 1:
            return mean.ravel(), std.ravel()
        return mean, std

    def _predict(self, X, check_input=True):
        y = self._forward(X, check_input=check_input)
        return y.ravel() if y.shape[1] == 1 else y

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.positive_only = self.loss == "poisson"
        return tags


document(RegularizedMLPRegressor)
