"""Hidden-layer activations: in-place forward, derivative from the output.

Each activation overwrites its input with its output, and multiplies a
back-propagated error by its derivative computed from that output alone
(``tanh' = 1 - a**2``, ``logistic' = a * (1 - a)``, ``relu' = [a > 0]``), so
the pre-activations never need to be kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import expit

__all__ = ["ACTIVATIONS", "Activation"]


@dataclass(frozen=True)
class Activation:
    """A hidden-layer nonlinearity.

    Attributes
    ----------
    name : str
    forward : callable ``f(z) -> None``
        Overwrites ``z`` with the activation of ``z``.
    backward : callable ``f(a, delta) -> None``
        Multiplies ``delta`` in place by the derivative at output ``a``.
    scale_free : bool
        Whether the derivative read from ``c * a`` is the derivative at ``a``
        for every ``c > 0`` (relu's indicator ``a > 0``, identity's 1): then
        a dropout mask may scale the stored outputs in place.
    """

    name: str
    forward: Callable[[np.ndarray], None]
    backward: Callable[[np.ndarray, np.ndarray], None]
    scale_free: bool = False


def _identity_forward(z: np.ndarray) -> None:
    pass


def _identity_backward(a: np.ndarray, delta: np.ndarray) -> None:
    pass


def _logistic_forward(z: np.ndarray) -> None:
    expit(z, out=z)


def _logistic_backward(a: np.ndarray, delta: np.ndarray) -> None:
    delta *= a
    delta *= 1 - a


def _tanh_forward(z: np.ndarray) -> None:
    np.tanh(z, out=z)


def _tanh_backward(a: np.ndarray, delta: np.ndarray) -> None:
    delta *= 1 - a * a


def _relu_forward(z: np.ndarray) -> None:
    np.maximum(z, 0, out=z)


def _relu_backward(a: np.ndarray, delta: np.ndarray) -> None:
    # A multiply by the boolean mask is several times faster than masked
    # assignment (delta[a <= 0] = 0) and gives the same result.
    np.multiply(delta, a > 0, out=delta)


ACTIVATIONS: dict[str, Activation] = {
    "identity": Activation(
        "identity", _identity_forward, _identity_backward, scale_free=True
    ),
    "logistic": Activation("logistic", _logistic_forward, _logistic_backward),
    "tanh": Activation("tanh", _tanh_forward, _tanh_backward),
    "relu": Activation("relu", _relu_forward, _relu_backward, scale_free=True),
}
