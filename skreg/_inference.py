"""Forward passes of a fitted network: prediction and Monte-Carlo dropout.

Plain functions of the fitted arrays (``coefs_``, ``intercepts_``), so that
prediction needs no :class:`~skreg._network.Network` and no training buffers.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .activations import ACTIVATIONS
from .dropout import draw_mask

__all__ = ["forward_mc", "forward_predict"]


def forward_predict(X, coefs, intercepts, activation: str) -> np.ndarray:
    """Deterministic forward pass (no dropout); return the output pre-activation.

    A plain function of the fitted arrays, used for prediction.
    """
    hidden = ACTIVATIONS[activation]
    out = X
    last = len(coefs) - 1
    for i, (coef, intercept) in enumerate(zip(coefs, intercepts, strict=True)):
        out = np.asarray(out @ coef)
        out += intercept
        if i != last:
            hidden.forward(out)
    return out


def forward_mc(
    X,
    coefs,
    intercepts,
    activation: str,
    dropout,
    input_dropout: float,
    n_passes: int,
    rng: np.random.Generator,
    max_elements: int = 2**22,
) -> np.ndarray:
    """Monte-Carlo dropout: ``n_passes`` stochastic forward passes at once.

    The passes are stacked on a leading axis and computed with batched
    matrix products, in chunks of samples so that no work array holds more
    than about ``max_elements`` numbers.

    Returns
    -------
    z : ndarray of shape (n_passes, n_samples, n_outputs)
        Output pre-activations of each pass.
    """
    hidden = ACTIVATIONS[activation]
    n_samples = X.shape[0]
    widest = max([X.shape[1], *(c.shape[1] for c in coefs)])
    chunk = max(1, min(n_samples, max_elements // max(1, n_passes * widest)))
    dtype = np.result_type(X.dtype, coefs[0].dtype)
    out = np.empty((n_passes, n_samples, coefs[-1].shape[1]), dtype=dtype)
    last = len(coefs) - 1
    for start in range(0, n_samples, chunk):
        rows = slice(start, min(start + chunk, n_samples))
        Xc = X[rows]
        if input_dropout:
            Xc = Xc.toarray() if sp.issparse(Xc) else np.asarray(Xc)
            mask = np.empty((n_passes, *Xc.shape), dtype=dtype)
            draw_mask(rng, input_dropout, mask)
            a = mask * Xc
        else:
            # Without input dropout the first layer is the same for all passes.
            a = np.asarray(Xc @ coefs[0])[None]
        for i, (coef, intercept) in enumerate(zip(coefs, intercepts, strict=True)):
            if i > 0 or input_dropout:
                a = a @ coef
            a = a + intercept
            if i == last:
                break
            a = np.broadcast_to(a, (n_passes, *a.shape[1:])).copy()
            hidden.forward(a)
            if dropout[i]:
                mask = np.empty_like(a)
                a *= draw_mask(rng, dropout[i], mask)
        out[:, rows] = a
    return out
