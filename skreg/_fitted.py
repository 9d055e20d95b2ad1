"""What a fitted network offers: outputs, Monte-Carlo dropout, importances, pruning.

Mixed into the estimators; it reads only their parameters and fitted
attributes, and computes through :mod:`skreg._inference`.
"""

from __future__ import annotations

import copy
from numbers import Integral

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from ._arrays import MAX_SEED, row_norms
from ._inference import forward_mc, forward_predict
from ._pruning import prune_dead_units
from .dropout import dropout_rates
from .losses import LOSSES

__all__ = ["FittedNetworkMixin"]

_LOSS_OF_OUTPUT = {loss.out_activation: name for name, loss in LOSSES.items()}


def quiet_floating_point():
    """Overflow and NaN are detected with isfinite and handled; NumPy's
    warnings about them would only be noise."""
    return np.errstate(over="ignore", invalid="ignore", divide="ignore")


def _finite(z: np.ndarray) -> np.ndarray:
    """Replace NaN and infinities in place: a safety net for inputs so extreme
    that a product overflows, so that predictions are never NaN or infinite."""
    largest = np.finfo(z.dtype).max
    return np.nan_to_num(z, copy=False, nan=0.0, posinf=largest, neginf=-largest)


class FittedNetworkMixin:
    """Prediction-side methods of the regularized MLPs."""

    def _dropout_rates(self, n_hidden: int) -> tuple[float, ...]:
        if n_hidden == 0 and np.ndim(self.dropout) == 0:
            # A float rate has no hidden unit to act on in a linear model.
            return ()
        return dropout_rates(self.dropout, n_hidden)

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
        with quiet_floating_point():
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
        seed = check_random_state(random_state).randint(MAX_SEED)
        with quiet_floating_point():
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
        norms = row_norms(self.coefs_[0])
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
        pruned.__dict__.pop("_solver_state", None)
        return pruned
