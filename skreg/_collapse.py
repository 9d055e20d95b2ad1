"""The warning for a network that its regularization wiped out.

skreg's ``alpha`` is per sample (the penalty is added to the mean loss), so
an ``alpha`` that suits scikit-learn's MLP, whose penalty is divided by the
number of samples, is ``n_samples`` times too strong here: on the bundled
digits ``alpha=1.0`` trains to chance. Nothing in the fit fails; the weights
just become zero or the predictions one constant. The end of every fit checks
for that, cheaply, and says what happened and which ``alpha`` would suit.
"""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["RegularizationWarning", "warn_if_wiped_out"]

#: Rows of the training data whose predictions are compared (evenly spaced):
#: enough to see a non-constant model, and no more than a minibatch, so that
#: the forward pass reuses the network's work arrays (with 1,000 rows it
#: allocated new ones and raised dense64's peak memory from 5.1 to 8.2 MiB).
CHECKED_ROWS = 200


class RegularizationWarning(UserWarning):
    """The regularization wiped out the network.

    Emitted at the end of a ``fit`` or ``partial_fit`` whose weights are all
    zero in some layer, or whose predictions are the same for every training
    sample while the targets are not, with a penalty or weight decay in the
    objective. The message gives this data's ``alpha_max`` (from which on
    an L1 or group penalty makes every first-layer weight zero) and the
    conversion from scikit-learn's ``alpha`` (skreg's is
    ``alpha_sklearn / n_samples``). Filter it as any warning::

        import warnings
        from skreg import RegularizationWarning
        warnings.simplefilter("ignore", RegularizationWarning)
    """


def _regularized(estimator) -> bool:
    penalized = estimator.penalty is not None and estimator.alpha > 0
    return penalized or estimator.weight_decay > 0


#: Predictions whose range over the training rows is below this fraction of
#: the targets' range are taken for constant: on the bundled digits,
#: ``alpha=1.0`` (L2) left probabilities within 0.005 of each other (chance
#: accuracy), while ``alpha=0.3``, already strong, spread them over 0.6.
CONSTANT_SPREAD = 0.01


def _what_happened(objective, X, Y) -> str | None:
    network = objective.network
    n_rows = X.shape[0]
    rows = np.unique(np.linspace(0, n_rows - 1, min(n_rows, CHECKED_ROWS)).astype(int))
    targets = np.asarray(Y[rows], dtype=float)  # (boolean for classifiers)
    target_spread = np.ptp(targets, axis=0)
    if target_spread.max(initial=0.0) == 0:
        return None  # constant targets: a constant model is right
    zero_layers = [i + 1 for i, coef in enumerate(network.coefs) if not coef.any()]
    if zero_layers:
        layers = ", ".join(map(str, zero_layers))
        noun = "layer" if len(zero_layers) == 1 else "layers"
        return f"every weight of {noun} {layers} is zero"
    predictions = objective.loss.inverse_link(network.forward(X[rows]).copy())
    spread = np.ptp(predictions, axis=0)
    varying = target_spread > 0  # (a class may be absent from the rows)
    if np.all(spread[varying] <= CONSTANT_SPREAD * target_spread[varying]):
        return "its predictions are (nearly) the same for every training sample"
    return None


def warn_if_wiped_out(estimator, problem, X, y, sample_weight) -> None:
    """Warn (:class:`RegularizationWarning`) when ``estimator``, just fitted
    on ``problem``, was wiped out by its regularization. ``X``, ``y`` and
    ``sample_weight`` are the data as given to ``fit``."""
    if not _regularized(estimator):
        return
    what = _what_happened(problem.objective, problem.X, problem.Y)
    if what is None:
        return
    n_samples = problem.X.shape[0]
    strength = (
        f"penalty={estimator.penalty!r} with alpha={estimator.alpha:g}"
        if estimator.penalty is not None and estimator.alpha > 0
        else f"weight_decay={estimator.weight_decay:g}"
    )
    message = (
        f"The regularization wiped out the network: {what} ({strength}). "
        f"skreg's alpha is per sample: scikit-learn's MLP alpha a corresponds "
        f"to a / n_samples = a / {n_samples} here"
    )
    alpha_max = _alpha_max(estimator, X, y, sample_weight)
    if alpha_max is not None:
        message += (
            f"; and for this data alpha_max = {alpha_max:.3g}, the alpha from "
            f"which an L1 penalty makes every first-layer weight zero (useful "
            f"strengths are usually 1e-3 to 1e-1 times alpha_max)"
        )
    warnings.warn(message + ".", RegularizationWarning, stacklevel=5)


def _alpha_max(estimator, X, y, sample_weight) -> float | None:
    """This data's ``alpha_max`` for the estimator's penalty (for L1 when it
    has none of its own), or None when there is no such scale."""
    from ._path import first_layer_loss_gradient
    from .penalties import make_penalty

    penalty = estimator.penalty
    try:
        kind = make_penalty(
            penalty if penalty in ("l1", "elasticnet", "group") else "l1",
            1.0,
            getattr(estimator, "l1_ratio", 0.5),
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gradient = first_layer_loss_gradient(estimator, X, y, sample_weight)
        value = float(kind.alpha_max(gradient))
    except (NotImplementedError, ValueError, TypeError):
        return None
    return value if np.isfinite(value) and value > 0 else None
