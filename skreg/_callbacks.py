"""scikit-learn's callbacks (``sklearn.callback``, scikit-learn >= 1.9).

A fit is a task whose subtasks are its epochs (sgd, adam) or its L-BFGS
iterations: callbacks such as ``ProgressBar`` and ``ScoringMonitor`` see one
step per epoch, and nest under meta-estimators (``GridSearchCV``,
``Pipeline``) as scikit-learn's own estimators do. With an older
scikit-learn, or with no callback set, nothing here runs.
"""

from __future__ import annotations

try:
    from sklearn.callback import CallbackSupportMixin
except ImportError:  # scikit-learn < 1.9: no callbacks to support

    class CallbackSupportMixin:  # type: ignore[no-redef]
        """Without ``sklearn.callback`` there is nothing to support."""


__all__ = ["CallbackSupportMixin", "FitEvents", "fit_events"]


class FitEvents:
    """The callback hooks of one fit, as the solvers call them.

    ``step_begins`` and ``step_ends`` frame each epoch or iteration; the
    callbacks that ask for a ``fitted_estimator`` get a copy of the
    estimator with the weights of that moment. ``step_ends`` returns True
    when a callback asks to stop.
    """

    def __init__(
        self, estimator, X, y, metadata, *, max_steps, step_name, fitted_steps=True
    ):
        self.estimator, self.X, self.y, self.metadata = estimator, X, y, metadata
        self.step_name = step_name
        self.fitted_steps = fitted_steps
        self.root = estimator._init_callback_context(max_subtasks=max_steps)
        self.root.call_on_fit_task_begin(
            estimator=estimator, X=X, y=y, metadata=metadata
        )
        self._step = None

    def _weights(self) -> dict:
        estimator = self.estimator
        return {
            "coefs_": [c.copy() for c in estimator.coefs_],
            "intercepts_": [b.copy() for b in estimator.intercepts_],
        }

    def _hook(self, context, end: bool, weights=True):
        call = context.call_on_fit_task_end if end else context.call_on_fit_task_begin
        return call(
            estimator=self.estimator,
            X=self.X,
            y=self.y,
            metadata=self.metadata,
            reconstruction_attributes=self._weights if weights else None,
        )

    def step_begins(self, name: str | None = None) -> None:
        self._step = self.root.subcontext(task_name=name or self.step_name)
        self._hook(self._step, end=False, weights=self.fitted_steps)

    def step_ends(self, ran: bool = True) -> bool:
        """End the current step; ``ran=False`` ends a step that did nothing
        (the one L-BFGS opens after its last iteration)."""
        if ran:
            return bool(self._hook(self._step, end=True, weights=self.fitted_steps))
        self._step.call_on_fit_task_end(estimator=self.estimator)
        return False

    def fit_ends(self) -> None:
        self.root.call_on_fit_task_end(
            estimator=self.estimator,
            X=self.X,
            y=self.y,
            metadata=self.metadata,
            reconstruction_attributes={},
        )


def fit_events(
    estimator, X, y, sample_weight, *, max_steps, step_name, fitted_steps=True
):
    """The :class:`FitEvents` of a fit, or ``None`` when no callback is set on
    the estimator or propagated to it (or scikit-learn has no callbacks).

    ``fitted_steps=False`` gives the steps no ``fitted_estimator`` (the CV
    estimators' paths: there is no single model to show until the refit).
    """
    if not hasattr(estimator, "_init_callback_context"):
        return None
    if not getattr(estimator, "_skl_callbacks", None) and not hasattr(
        estimator, "_parent_callback_ctx"
    ):
        return None
    metadata = None if sample_weight is None else {"sample_weight": sample_weight}
    return FitEvents(
        estimator,
        X,
        y,
        metadata,
        max_steps=max_steps,
        step_name=step_name,
        fitted_steps=fitted_steps,
    )
