"""The estimator logic shared by the classifier and the regressor.

Estimators validate, wire the numerical parts together and expose the fitted
attributes; the numbers are computed in :mod:`skreg._network`,
:mod:`skreg._objective` and :mod:`skreg.solvers`.
"""

from __future__ import annotations

import copy
import warnings
from abc import ABCMeta, abstractmethod
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

from ._network import Network, forward_mc, forward_predict
from ._objective import Objective
from ._pruning import prune_dead_units
from .dropout import dropout_rates
from .losses import LOSSES
from .penalties import make_penalty
from .solvers import (
    LearningRateSchedule,
    ProximalAdam,
    ProximalSGD,
    TrainingState,
    minimize_lbfgs,
    run_epochs,
)

_STOCHASTIC_SOLVERS = ("sgd", "adam")
_MAX_SEED = np.iinfo(np.int32).max


def _quiet_floating_point():
    return np.errstate(over="ignore", invalid="ignore", divide="ignore")


def _finite(z: np.ndarray) -> np.ndarray:
    """Replace NaN and infinities in place: a safety net for inputs so extreme
    that a product overflows, so that predictions are never NaN or infinite."""
    largest = np.finfo(z.dtype).max
    return np.nan_to_num(z, copy=False, nan=0.0, posinf=largest, neginf=-largest)


_LOSS_OF_OUTPUT = {loss.out_activation: name for name, loss in LOSSES.items()}


def _has_stochastic_solver(estimator) -> bool:
    if estimator.solver not in _STOCHASTIC_SOLVERS:
        raise AttributeError(
            "partial_fit is only available for stochastic optimizers. "
            f"{estimator.solver} is not stochastic."
        )
    return True


class BaseRegularizedMLP(BaseEstimator, metaclass=ABCMeta):
    """Base class of the regularized MLP estimators. Not for direct use."""

    _parameter_constraints: dict = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "activation": [StrOptions({"identity", "logistic", "tanh", "relu"})],
        "solver": [StrOptions({"lbfgs", "sgd", "adam"})],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "penalty": [StrOptions({"l1", "l2", "elasticnet", "group"}), None],
        "l1_ratio": [Interval(Real, 0, 1, closed="both")],
        "dropout": [Interval(Real, 0, 1, closed="left"), "array-like"],
        "input_dropout": [Interval(Real, 0, 1, closed="left")],
        "max_norm": [Interval(Real, 0, None, closed="neither"), None],
        "batch_size": [
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
        ],
        "learning_rate": [StrOptions({"constant", "invscaling", "adaptive"})],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [
            Interval(Integral, 1, None, closed="left"),
            Options(Real, {np.inf}),
        ],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
    }

    @abstractmethod
    def __init__(
        self,
        hidden_layer_sizes,
        activation,
        solver,
        alpha,
        batch_size,
        learning_rate,
        learning_rate_init,
        power_t,
        max_iter,
        shuffle,
        random_state,
        tol,
        verbose,
        warm_start,
        momentum,
        nesterovs_momentum,
        early_stopping,
        validation_fraction,
        beta_1,
        beta_2,
        epsilon,
        n_iter_no_change,
        max_fun,
        penalty,
        l1_ratio,
        dropout,
        input_dropout,
        max_norm,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.penalty = penalty
        self.l1_ratio = l1_ratio
        self.dropout = dropout
        self.input_dropout = input_dropout
        self.max_norm = max_norm

    # -- hooks of the two estimators -------------------------------------

    @abstractmethod
    def _validate_input(self, X, y, incremental, reset):
        """Validate ``X, y``; return ``X`` and the 2-D float target ``Y``."""

    @abstractmethod
    def _loss_name(self) -> str:
        """Key of :data:`skreg.losses.LOSSES` for the fitted target."""

    @abstractmethod
    def _score_unchecked(self, X, y, sample_weight):
        """Score on validated data (early stopping)."""

    def _sample_weight(self, sample_weight, X, y, incremental):
        """Validated sample weights (``None`` when all equal to one)."""
        if sample_weight is None:
            return None
        sample_weight = _check_sample_weight(
            sample_weight, X, dtype=X.dtype, ensure_non_negative=True
        )
        if not sample_weight.sum() > 0:
            raise ValueError("sample_weight must contain at least one positive value.")
        return sample_weight

    # -- validation of the parameters that constraints cannot express -----

    def _hidden_sizes(self) -> list[int]:
        sizes = self.hidden_layer_sizes
        if not hasattr(sizes, "__iter__"):
            sizes = [sizes]
        sizes = list(sizes)
        for size in sizes:
            if not isinstance(size, Integral) or isinstance(size, bool) or size <= 0:
                raise ValueError(
                    "hidden_layer_sizes must contain positive integers, "
                    f"got {self.hidden_layer_sizes!r}."
                )
        return [int(s) for s in sizes]

    def _dropout_rates(self, n_hidden: int) -> tuple[float, ...]:
        if n_hidden == 0 and np.ndim(self.dropout) == 0:
            # A float rate has no hidden unit to act on in a linear model.
            return ()
        rates = dropout_rates(self.dropout, n_hidden)
        if self.solver == "lbfgs" and any(rates):
            raise ValueError(
                "dropout > 0 requires solver='sgd' or 'adam': L-BFGS needs a "
                f"deterministic objective (got dropout={self.dropout!r})."
            )
        return rates

    def _make_penalty(self):
        return make_penalty(self.penalty, self.alpha, self.l1_ratio)

    def _check_solver_options(self) -> None:
        """Reject options that the L-BFGS solver cannot honour."""
        if self.solver != "lbfgs":
            return
        if self.penalty == "group":
            raise ValueError(
                "penalty='group' requires solver='sgd' or 'adam' (its proximal "
                "step); L-BFGS handles the elementwise L1 part only."
            )
        if self.input_dropout:
            raise ValueError(
                "input_dropout > 0 requires solver='sgd' or 'adam': L-BFGS needs "
                f"a deterministic objective (got input_dropout={self.input_dropout})."
            )
        if self.max_norm is not None:
            raise ValueError(
                "max_norm requires solver='sgd' or 'adam': it is a projection "
                "after every update."
            )

    # -- fitting ------------------------------------------------------------

    def _fit(self, X, y, sample_weight=None, incremental=False):
        hidden = self._hidden_sizes()
        rates = self._dropout_rates(len(hidden))
        penalty = self._make_penalty()
        self._check_solver_options()
        if incremental and self.early_stopping:
            raise ValueError("partial_fit does not support early_stopping=True.")

        first_pass = not hasattr(self, "coefs_") or (
            not self.warm_start and not incremental
        )
        X, Y = self._validate_input(X, y, incremental, reset=first_pass)
        if not first_pass:
            X = X.astype(self.coefs_[0].dtype, copy=False)
            if Y.dtype != bool:
                Y = Y.astype(X.dtype, copy=False)
        if sp.issparse(X):
            # Row slicing (minibatches) is fast on CSR only.
            X = X.tocsr()
        sample_weight = self._sample_weight(sample_weight, X, y, incremental)

        layer_units = [X.shape[1], *hidden, Y.shape[1]]
        network = Network(layer_units, self.activation, X.dtype)
        loss = LOSSES[self._loss_name()]()
        random_state = check_random_state(self.random_state)
        if first_pass:
            factor = 2.0 if self.activation == "logistic" else 6.0
            network.initialize(random_state, factor)
            self.n_outputs_ = Y.shape[1]
            self.n_layers_ = len(layer_units)
            self.out_activation_ = loss.out_activation
        else:
            fitted_units = [self.coefs_[0].shape[0]] + [c.shape[1] for c in self.coefs_]
            if fitted_units != layer_units:
                raise ValueError(
                    f"The network's layer sizes {fitted_units} differ from those "
                    f"implied by the parameters and data {layer_units}; set "
                    "warm_start=False to fit a new network."
                )
            network.set_parameters(self.coefs_, self.intercepts_)
        if not incremental or not hasattr(self, "_state"):
            # Every fit is a new training run (warm_start only chooses its
            # starting point): fresh optimizer, stopping rule and history.
            # partial_fit continues the previous run.
            self.t_ = 0
            self._state = TrainingState.new(
                self.early_stopping and self.solver in _STOCHASTIC_SOLVERS
            )
            self._optimizer = None
            # Drawn after the initial weights, which therefore depend only on
            # random_state and the layer sizes.
            self._rng = np.random.default_rng(random_state.randint(_MAX_SEED))
        self.coefs_, self.intercepts_ = network.coefs, network.intercepts

        objective = Objective(
            network,
            loss,
            penalty,
            rates,
            input_dropout=self.input_dropout,
            max_norm=self.max_norm,
        )
        # Divergence and overflow are detected with isfinite and handled by
        # the solvers; NumPy's warnings about them would only be noise.
        with _quiet_floating_point():
            if self.solver == "lbfgs":
                result = minimize_lbfgs(
                    objective,
                    X,
                    Y,
                    sample_weight,
                    max_iter=self.max_iter,
                    max_fun=self.max_fun,
                    tol=self.tol,
                    verbose=bool(self.verbose),
                )
                self.n_iter_ = result.n_iter
                self.loss_ = result.loss
                self.loss_curve_ = result.loss_curve
                self.best_loss_ = min(result.loss_curve, default=result.loss)
                self.validation_scores_ = None
                self.best_validation_score_ = None
            else:
                self._fit_stochastic(
                    objective, X, Y, y, sample_weight, random_state, incremental
                )
            return self

    def _fit_stochastic(
        self, objective, X, Y, y, sample_weight, random_state, incremental
    ):
        network = objective.network
        if self._optimizer is None:
            if self.solver == "sgd":
                schedule = LearningRateSchedule(
                    self.learning_rate, self.learning_rate_init, self.power_t
                )
                self._optimizer = ProximalSGD(
                    network.n_params,
                    schedule,
                    self.momentum,
                    self.nesterovs_momentum,
                    dtype=network.dtype,
                )
            else:
                self._optimizer = ProximalAdam(
                    network.n_params,
                    self.learning_rate_init,
                    self.beta_1,
                    self.beta_2,
                    self.epsilon,
                    dtype=network.dtype,
                )

        validation_score = None
        if self.early_stopping:
            X, Y, sample_weight, validation_score = self._split_validation(
                X, Y, y, sample_weight, random_state
            )

        n_samples = X.shape[0]
        if self.batch_size == "auto":
            batch_size = min(200, n_samples)
        else:
            if self.batch_size > n_samples:
                warnings.warn(
                    "Got `batch_size` larger than the number of samples; it is "
                    f"clipped to {n_samples}.",
                    stacklevel=3,
                )
            batch_size = min(int(self.batch_size), n_samples)

        state = self._state
        state.t = self.t_
        run_epochs(
            objective,
            self._optimizer,
            X,
            Y,
            sample_weight,
            state=state,
            rng=self._rng,
            batch_size=batch_size,
            max_iter=self.max_iter,
            shuffle=self.shuffle,
            tol=self.tol,
            n_iter_no_change=self.n_iter_no_change,
            validation_score=validation_score,
            incremental=incremental,
            verbose=bool(self.verbose),
        )
        self.n_iter_ = state.n_iter
        self.t_ = state.t
        self.loss_curve_ = state.loss_curve
        self.loss_ = state.loss
        self.best_loss_ = state.best_loss
        self.validation_scores_ = state.validation_scores
        self.best_validation_score_ = state.best_validation_score

    def _split_validation(self, X, Y, y, sample_weight, random_state):
        """Hold out ``validation_fraction`` of the rows for early stopping."""
        stratify = self._stratify_labels(y)
        train, val = train_test_split(
            np.arange(X.shape[0]),
            test_size=self.validation_fraction,
            random_state=random_state.randint(_MAX_SEED),
            stratify=stratify,
        )
        if val.size < 2:
            raise ValueError(
                "The validation set is too small. Increase 'validation_fraction' "
                "or the size of your dataset."
            )
        X_val = X[val]
        y_val = self._validation_target(y, Y, val)
        sw_val = None if sample_weight is None else sample_weight[val]

        def validation_score():
            return self._score_unchecked(X_val, y_val, sw_val)

        sw_train = None if sample_weight is None else sample_weight[train]
        return X[train], Y[train], sw_train, validation_score

    def _stratify_labels(self, y):
        return None

    def _validation_target(self, y, Y, rows):
        return Y[rows]

    # -- prediction -----------------------------------------------------------

    def _forward(self, X, check_input=True):
        """Model output ``f(x)`` (probabilities or predictions), 2-D."""
        if check_input:
            check_is_fitted(self)
            X = validate_data(
                self,
                X,
                accept_sparse=["csr", "csc"],
                dtype=(np.float64, np.float32),
                reset=False,
            )
        with _quiet_floating_point():
            z = forward_predict(X, self.coefs_, self.intercepts_, self.activation)
            loss = LOSSES[_LOSS_OF_OUTPUT[self.out_activation_]]()
            return loss.inverse_link(_finite(z))

    def _mc_outputs(self, X, mc_passes, random_state) -> np.ndarray:
        """Model outputs of ``mc_passes`` passes with dropout on, stacked.

        Returns an array of shape (mc_passes, n_samples, n_outputs).
        """
        check_is_fitted(self)
        if not isinstance(mc_passes, Integral) or mc_passes < 1:
            raise ValueError(f"mc_passes must be an integer >= 1, got {mc_passes!r}.")
        X = validate_data(
            self,
            X,
            accept_sparse=["csr", "csc"],
            dtype=(np.float64, np.float32),
            reset=False,
        )
        rates = self._dropout_rates(len(self.coefs_) - 1)
        loss = LOSSES[_LOSS_OF_OUTPUT[self.out_activation_]]()
        seed = check_random_state(random_state).randint(_MAX_SEED)
        with _quiet_floating_point():
            z = forward_mc(
                X,
                self.coefs_,
                self.intercepts_,
                self.activation,
                rates,
                self.input_dropout,
                mc_passes,
                np.random.default_rng(seed),
            )
            loss.inverse_link(_finite(z).reshape(-1, z.shape[-1]))
        return z

    def _has_dropout(self) -> bool:
        return bool(np.any(np.asarray(self.dropout, dtype=float))) or bool(
            self.input_dropout
        )

    @property
    def feature_importances_(self) -> np.ndarray:
        """Importance of each input feature, of shape ``(n_features_in_,)``.

        The Euclidean norm of the feature's first-layer weights, normalized
        to sum to one (all zeros if every weight is zero). Features removed
        by an L1 or group penalty have importance exactly 0, so
        :class:`~sklearn.feature_selection.SelectFromModel` can select the
        others.
        """
        check_is_fitted(self)
        norms = np.sqrt(np.einsum("ij,ij->i", self.coefs_[0], self.coefs_[0]))
        total = norms.sum()
        return norms / total if total > 0 else norms

    def pruned(self):
        """A copy of the fitted model without the hidden units it does not use.

        Units whose outgoing weights are all zero are removed, and units whose
        incoming weights are all zero are folded into the next layer's biases
        (they output a constant), repeatedly. The copy makes the same
        predictions with fewer parameters; its ``hidden_layer_sizes`` are the
        new sizes. ``self`` is unchanged. A later ``partial_fit`` of the copy
        starts a new training run.

        Returns
        -------
        estimator : same type as self
            The pruned, fitted copy.
        """
        check_is_fitted(self)
        coefs, intercepts = prune_dead_units(
            self.coefs_, self.intercepts_, self.activation
        )
        pruned = copy.deepcopy(self)
        pruned.coefs_, pruned.intercepts_ = coefs, intercepts
        pruned.hidden_layer_sizes = tuple(c.shape[1] for c in coefs[:-1])
        for name in ("_optimizer", "_state"):
            pruned.__dict__.pop(name, None)
        return pruned

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
