"""Removing hidden units that do not change a fitted network's output.

A hidden unit can go when its outgoing weights are all zero (it contributes
nothing) or when its incoming weights are all zero (it outputs the constant
``activation(bias)``, which is folded into the next layer's biases). Removing
units can make others removable, so the pass repeats until nothing changes.
Predictions are unchanged, up to floating-point rounding of the folded
biases.
"""

from __future__ import annotations

import numpy as np

from .activations import ACTIVATIONS

__all__ = ["prune_dead_units"]


def prune_dead_units(coefs, intercepts, activation: str):
    """Return ``(coefs, intercepts)`` with removable hidden units removed.

    Every hidden layer keeps at least one unit (with zero weights if none is
    needed), so the network keeps its depth.
    """
    coefs = [np.array(c, copy=True) for c in coefs]
    intercepts = [np.array(b, copy=True) for b in intercepts]
    forward = ACTIVATIONS[activation].forward
    changed = True
    while changed:
        changed = False
        for layer in range(1, len(coefs)):
            incoming, outgoing = coefs[layer - 1], coefs[layer]
            dead = ~outgoing.any(axis=1)
            constant = ~incoming.any(axis=0) & ~dead
            if constant.any():
                value = intercepts[layer - 1][constant].copy()
                forward(value)
                intercepts[layer] += value @ outgoing[constant]
            keep = ~(dead | constant)
            if not keep.any():
                # Nothing here affects the output: keep one silent unit.
                keep[0] = True
                incoming[:, 0] = 0
                outgoing[0] = 0
                intercepts[layer - 1][0] = 0
            if keep.sum() < keep.size:
                coefs[layer - 1] = incoming[:, keep]
                intercepts[layer - 1] = intercepts[layer - 1][keep]
                coefs[layer] = outgoing[keep]
                changed = True
    return coefs, intercepts
