"""Learning-rate schedules of the minibatch solvers.

- ``constant``: ``learning_rate_init`` throughout;
- ``invscaling`` (sgd, as scikit-learn's MLP): ``learning_rate_init /
  (t + 1) ** power_t`` after each epoch, ``t`` being the number of samples
  seen;
- ``adaptive`` (sgd, as scikit-learn's MLP): constant while training
  improves; each time it stalls for ``n_iter_no_change`` epochs the rate is
  divided by 5, and training stops once it falls below 1e-6;
- ``cosine`` (sgd and adam; Loshchilov & Hutter, 2017): after an optional
  linear warmup, the rate follows half a cosine from ``learning_rate_init``
  towards 0 over the fit's ``max_iter`` epochs, updated at every step
  (:func:`cosine_rate`).
"""

from __future__ import annotations

import math

__all__ = ["LearningRateSchedule", "cosine_rate"]

KINDS = ("constant", "invscaling", "adaptive", "cosine")


def cosine_rate(step: int, learning_rate_init: float, total: int, warmup: int) -> float:
    """The cosine schedule's rate for step ``step`` (0-based) of ``total``.

    The first ``warmup`` steps ramp linearly, ``(step + 1) / warmup`` of
    ``learning_rate_init``; then
    ``learning_rate_init * (1 + cos(pi * (step - warmup) / (total - warmup))) / 2``,
    which is ``learning_rate_init`` at the first step after the warmup and
    falls towards 0 at the last one; 0 beyond ``total``.
    """
    if step < warmup:
        return learning_rate_init * (step + 1) / warmup
    if step >= total:
        return 0.0
    progress = (step - warmup) / (total - warmup)
    return learning_rate_init * 0.5 * (1.0 + math.cos(math.pi * progress))


class LearningRateSchedule:
    """The current learning rate and how it changes between steps and epochs.

    Parameters
    ----------
    kind : {"constant", "invscaling", "adaptive", "cosine"}
    learning_rate_init : float
    power_t : float
        Exponent of ``invscaling``.
    warmup_epochs : float
        Epochs of linear warmup of ``cosine``.
    """

    def __init__(
        self,
        kind: str,
        learning_rate_init: float,
        power_t: float = 0.5,
        warmup_epochs: float = 0.0,
    ):
        if kind not in KINDS:
            raise ValueError(f"Unknown learning_rate schedule {kind!r}.")
        self.kind = kind
        self.learning_rate_init = float(learning_rate_init)
        self.power_t = float(power_t)
        self.warmup_epochs = float(warmup_epochs)
        self.rate = self.learning_rate_init
        # the cosine's horizon, set by plan() on the first epoch loop
        self.steps_taken = 0
        self.total_steps: int | None = None
        self.warmup_steps = 0

    def plan(self, steps_per_epoch: int, max_iter: int) -> None:
        """Fix the cosine's horizon, once per training run: ``max_iter``
        epochs of ``steps_per_epoch`` steps (a later ``partial_fit`` keeps
        it)."""
        if self.kind == "cosine" and self.total_steps is None:
            self.total_steps = max(1, steps_per_epoch * max_iter)
            warmup = round(self.warmup_epochs * steps_per_epoch)
            self.warmup_steps = min(warmup, self.total_steps - 1)

    def next_step(self) -> None:
        """Set the rate of the step about to be taken (``cosine`` only)."""
        if self.kind == "cosine":
            self.rate = cosine_rate(
                self.steps_taken,
                self.learning_rate_init,
                self.total_steps or 1,
                self.warmup_steps,
            )
            self.steps_taken += 1

    def epoch_ends(self, samples_seen: int) -> None:
        """Update the rate after an epoch (``invscaling`` only)."""
        if self.kind == "invscaling":
            self.rate = self.learning_rate_init / (samples_seen + 1) ** self.power_t

    def on_plateau(self) -> tuple[bool, str]:
        """Training stalled: return ``(stop, what was done)``."""
        if self.kind != "adaptive":
            return True, "Stopping."
        if self.rate <= 1e-6:
            return True, "Learning rate too small. Stopping."
        self.rate /= 5.0
        return False, f"Setting learning rate to {self.rate:f}."
