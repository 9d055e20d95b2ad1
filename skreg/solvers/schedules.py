"""Learning-rate policies of the stochastic solvers, as in scikit-learn's MLP.

- ``constant``: ``learning_rate_init`` throughout;
- ``invscaling``: ``learning_rate_init / (t + 1) ** power_t`` after each epoch,
  ``t`` being the number of samples seen;
- ``adaptive``: constant while training improves; each time it stalls for
  ``n_iter_no_change`` epochs the rate is divided by 5, and training stops
  once it falls below 1e-6.
"""

from __future__ import annotations

__all__ = ["LearningRateSchedule"]


class LearningRateSchedule:
    """The current learning rate and how it changes between epochs."""

    def __init__(self, kind: str, learning_rate_init: float, power_t: float = 0.5):
        if kind not in ("constant", "invscaling", "adaptive"):
            raise ValueError(f"Unknown learning_rate schedule {kind!r}.")
        self.kind = kind
        self.learning_rate_init = float(learning_rate_init)
        self.power_t = float(power_t)
        self.rate = self.learning_rate_init

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
