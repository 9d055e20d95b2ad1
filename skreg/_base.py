"""The estimator logic shared by the classifier and the regressor.

Estimators validate, wire the numerical parts together and expose the fitted
attributes; the numbers are computed in :mod:`skreg._network`,
:mod:`skreg._objective` and :mod:`skreg.solvers`.
"""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, _fit_context, is_classifier
from sklearn.metrics import get_scorer_names
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.validation import _check_sample_weight, column_or_1d, validate_data

from ._arrays import MAX_SEED
from ._callbacks import CallbackSupportMixin, fit_events
from ._collapse import warn_if_wiped_out
from ._fitted import FittedNetworkMixin, quiet_floating_point
from ._network import Network
from ._objective import Objective
from ._validation import Validation, given, held_out
from .losses import LOSSES
from .penalties import PENALTIES, Penalty, make_penalty
from .solvers import SCHEDULES, SOLVERS, Solver, make_solver


def set_init_params(estimator, values: dict) -> None:
    """Store the ``__init__`` arguments in ``values`` (its ``locals()``) as
    attributes of the same names, unchanged, as scikit-learn requires."""
    for name in type(estimator)._get_param_names():
        setattr(estimator, name, values[name])


@dataclass
class FitProblem:
    """What one ``fit`` solves, validated: the data, the objective (network,
    loss, penalty, dropout, constraints) and the solver.

    ``y`` is the target as given (labels for the classifier), ``Y`` the 2-D
    array the loss sees. ``random_state`` is the fit's RandomState, already
    used for the initial weights; ``rng`` seeds a new training run and
    ``state`` continues a previous one (``partial_fit``).
    """

    X: object
    Y: np.ndarray
    y: np.ndarray
    sample_weight: np.ndarray | None
    objective: Objective
    solver: Solver
    random_state: np.random.RandomState
    rng: np.random.Generator | None = None
    state: object = None


def _has_stochastic_solver(estimator) -> bool:
    if not SOLVERS[estimator.solver].stochastic:
        raise AttributeError(
            "partial_fit is only available for stochastic optimizers. "
            f"{estimator.solver} is not stochastic."
        )
    return True


class BaseRegularizedMLP(
    CallbackSupportMixin, FittedNetworkMixin, BaseEstimator, metaclass=ABCMeta
):
    """Base class of the regularized MLP estimators. Not for direct use."""

    _parameter_constraints: dict = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "activation": [StrOptions({"identity", "logistic", "tanh", "relu"})],
        "solver": [StrOptions(set(SOLVERS))],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "penalty": [StrOptions(set(PENALTIES)), Penalty, None],
        "l1_ratio": [Interval(Real, 0, 1, closed="both")],
        "dropout": [Interval(Real, 0, 1, closed="left"), "array-like"],
        "input_dropout": [Interval(Real, 0, 1, closed="left")],
        "max_norm": [Interval(Real, 0, None, closed="neither"), None],
        "batch_size": [
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
        ],
        "learning_rate": [StrOptions(set(SCHEDULES))],
        "warmup_epochs": [Interval(Real, 0, None, closed="left")],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "average": ["boolean", Interval(Integral, 0, None, closed="left")],
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
        "validation_interval": [Interval(Integral, 1, None, closed="left")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [
            Interval(Integral, 1, None, closed="left"),
            Options(Real, {np.inf}),
        ],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
        "scoring": [StrOptions({"loss", *get_scorer_names()}), callable, None],
    }

    #: The fitted attributes, which the CV estimators copy from the model
    #: they choose (with the estimator-specific ones of the subclasses).
    _fitted_attributes: tuple[str, ...] = (
        "coefs_",
        "intercepts_",
        "n_iter_",
        "t_",
        "loss_",
        "loss_curve_",
        "best_loss_",
        "validation_scores_",
        "best_validation_score_",
        "validation_loss_curve_",
        "n_layers_",
        "n_outputs_",
        "out_activation_",
    )

    # -- hooks of the two estimators -------------------------------------

    @abstractmethod
    def _validate_input(self, X, y, incremental, reset):
        """Validate ``X, y``; return ``X``, ``y`` and the 2-D target ``Y``
        that the loss sees."""

    @abstractmethod
    def _loss_targets(self, y, dtype) -> np.ndarray:
        """The 2-D target ``Y`` that the loss sees, for validated ``y``."""

    @abstractmethod
    def _loss_name(self) -> str:
        """Key of :data:`skreg.losses.LOSSES` for the fitted target."""

    @abstractmethod
    def _score_unchecked(self, X, y, sample_weight):
        """Score on validated data (early stopping)."""

    def _check_data(self, X, y, reset=True):
        """``validate_data`` as every estimator here needs it: dense or
        sparse X in float64 or float32, y of one or more outputs (numeric
        for regressors), a column vector y raveled with a warning."""
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            multi_output=True,
            y_numeric=not is_classifier(self),
            dtype=(np.float64, np.float32),
            reset=reset,
        )
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        return X, y

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

    def _make_penalty(self) -> Penalty:
        return make_penalty(self.penalty, self.alpha, self.l1_ratio)

    # -- fitting ------------------------------------------------------------

    def _fit_problem(self, X, y, sample_weight=None, *, incremental=False):
        """Validate the parameters and the data; return the :class:`FitProblem`.

        Sets the attributes that describe the data (``n_features_in_``, the
        classes, ``n_outputs_``, ...) and points ``coefs_`` and
        ``intercepts_`` at the network's parameters: at fresh initial
        weights, or at the previous ones with ``warm_start`` and in
        ``partial_fit``.
        """
        hidden = self._hidden_sizes()
        rates = self._dropout_rates(len(hidden))
        penalty = self._make_penalty()
        solver = make_solver(
            self.solver,
            self.get_params(deep=False),
            penalty=penalty,
            dropout=rates,
            input_dropout=self.input_dropout,
            max_norm=self.max_norm,
        )
        if incremental and self.early_stopping:
            raise ValueError("partial_fit does not support early_stopping=True.")

        first_pass = not hasattr(self, "coefs_") or (
            not self.warm_start and not incremental
        )
        X, y, Y = self._validate_input(X, y, incremental, reset=first_pass)
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
            network.initialize(random_state)
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
        self.coefs_, self.intercepts_ = network.coefs, network.intercepts
        objective = Objective(
            network,
            loss,
            penalty,
            rates,
            input_dropout=self.input_dropout,
            max_norm=self.max_norm,
        )
        problem = FitProblem(X, Y, y, sample_weight, objective, solver, random_state)
        state = getattr(self, "_solver_state", None)
        if incremental and state is not None:
            # partial_fit continues the previous training run.
            problem.state = state
        else:
            # Every fit is a new training run (warm_start only chooses its
            # starting point). Its generator is drawn after the initial
            # weights, which therefore depend only on random_state and the
            # layer sizes.
            problem.rng = np.random.default_rng(random_state.randint(MAX_SEED))
        return problem

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(
        self,
        X,
        y,
        sample_weight=None,
        *,
        X_val=None,
        y_val=None,
        sample_weight_val=None,
    ):
        """Fit the model to data ``X`` and targets ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; float32 data trains in float32.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            The targets: class labels, or a label indicator matrix for
            multilabel data (classifier); real numbers (regressor).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the samples in the objective.
        X_val, y_val : array-like, default=None
            A validation set for early stopping, used instead of holding out
            ``validation_fraction`` of ``X`` (requires ``early_stopping=True``;
            as ``HistGradientBoostingClassifier``'s). In a ``Pipeline``, pass
            it through ``transform_input=["X_val"]`` so that it is
            preprocessed like ``X``.
        sample_weight_val : array-like of shape (n_val_samples,), default=None
            Weights of the validation samples.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        validation = None
        if X_val is not None or y_val is not None:
            validation = (X_val, y_val, sample_weight_val)
        return self._fit(X, y, sample_weight, validation=validation)

    def _fit(self, X, y, sample_weight=None, incremental=False, validation=None):
        problem = self._fit_problem(X, y, sample_weight, incremental=incremental)
        rows = None
        if validation is not None:
            rows = given(self, problem, *validation)
        elif self.early_stopping and problem.solver.stochastic:
            problem, rows = held_out(self, problem)
        monitor = None
        if rows is not None:
            monitor = Validation(self, problem.objective, rows, self.scoring)
        stochastic = problem.solver.stochastic
        events = fit_events(
            self,
            problem.X,
            problem.y,
            problem.sample_weight,
            max_steps=self.max_iter if stochastic else self.max_iter + 1,
            step_name="epoch" if stochastic else "iteration",
        )
        # Divergence and overflow are detected with isfinite and handled by
        # the solvers; NumPy's warnings about them would only be noise.
        with quiet_floating_point():
            result = problem.solver.solve(
                problem.objective,
                problem.X,
                problem.Y,
                problem.sample_weight,
                rng=problem.rng,
                state=problem.state,
                validation=monitor,
                events=events,
                incremental=incremental,
            )
        self._solver_state = result.state
        self.n_iter_ = result.n_iter
        self.t_ = result.t
        self.loss_ = result.loss
        self.loss_curve_ = result.loss_curve
        self.best_loss_ = result.best_loss
        self.validation_scores_ = result.validation_scores
        self.best_validation_score_ = result.best_validation_score
        self.validation_loss_curve_ = result.validation_loss_curve
        warn_if_wiped_out(self, problem, X, y, sample_weight)
        if events is not None:
            events.fit_ends()
        return self

    def _stratify_labels(self, y):
        return None

    def _validation_target(self, y, Y, rows):
        return Y[rows]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
