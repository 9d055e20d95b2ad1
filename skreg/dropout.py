"""Inverted dropout on hidden units.

During training each hidden unit is kept with probability ``1 - p`` and the
kept units are scaled by ``1 / (1 - p)``; prediction then uses the whole
network unchanged. In expectation this equals the classic form that keeps the
training units unscaled and multiplies by ``1 - p`` at test time.
"""

from __future__ import annotations

import numpy as np

__all__ = ["draw_mask", "draw_masks", "dropout_rates"]


def dropout_rates(dropout, n_hidden_layers: int) -> tuple[float, ...]:
    """Expand ``dropout`` (a float or one rate per hidden layer) into rates.

    Raises ``ValueError`` naming ``dropout`` for a wrong length or a rate
    outside ``[0, 1)``.
    """
    try:
        array = np.asarray(dropout, dtype=float)
    except (TypeError, ValueError):
        array = None
    if array is None or array.ndim > 1:
        raise ValueError(
            f"dropout must be a number or a sequence of numbers, got {dropout!r}."
        )
    if array.ndim == 0:
        rates = (float(array),) * n_hidden_layers
    else:
        rates = tuple(float(p) for p in array)
        if len(rates) != n_hidden_layers:
            raise ValueError(
                f"dropout must be a float or a sequence with one rate per hidden "
                f"layer ({n_hidden_layers}); got {len(rates)} rates."
            )
    for p in rates:
        if not 0.0 <= p < 1.0:
            raise ValueError(f"dropout rates must be in [0, 1), got {dropout!r}.")
    return rates


# Bit generators whose raw outputs are 64 random bits (MT19937's are 32).
_RAW_64_BITS = (np.random.PCG64, np.random.PCG64DXSM, np.random.Philox, np.random.SFC64)


def draw_mask(rng: np.random.Generator, rate: float, out: np.ndarray) -> np.ndarray:
    """Fill ``out`` with an inverted-dropout mask: ``1 / (1 - rate)`` or 0.

    The mask is written into the reused ``out``; see :func:`draw_masks`.
    """
    return draw_masks(rng, [rate], [out])[0]


def draw_masks(rng: np.random.Generator, rates, outs) -> list:
    """Fill each array of ``outs`` with an inverted-dropout mask of its rate.

    One call to the generator for all the masks (``None`` entries of
    ``outs`` are skipped and returned as they are). A unit is kept when a
    uniform 32-bit integer is at least ``ceil(rate * 2**32)``, that is with
    probability ``1 - rate`` to within ``2**-32``: the integers are the
    generator's raw 64-bit outputs split in two, half the draws of a
    floating-point uniform and no conversion. Generators with 32-bit outputs
    (MT19937) fall back to one floating-point uniform per unit.
    """
    masks = [(p, out) for p, out in zip(rates, outs, strict=True) if out is not None]
    if not isinstance(rng.bit_generator, _RAW_64_BITS):
        for p, out in masks:
            keep = 1.0 - p
            rng.random(out=out, dtype=out.dtype)
            # u + keep >= 1 exactly when u >= p, and u + keep < 2, so the
            # floor is the Bernoulli(keep) indicator without a temporary.
            out += keep
            np.floor(out, out=out)
            out *= 1.0 / keep
        return list(outs)
    total = sum(out.size for _, out in masks)
    bits = rng.bit_generator.random_raw((total + 1) // 2).view(np.uint32)
    start = 0
    for p, out in masks:
        block = bits[start : start + out.size].reshape(out.shape)
        start += out.size
        threshold = np.uint32(min(np.ceil(p * 2**32), 2**32 - 1))
        np.greater_equal(block, threshold, out=out)
        out *= 1.0 / (1.0 - p)
    return list(outs)
