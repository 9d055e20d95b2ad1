"""
=====================================================
Add your own penalty: the minimax concave penalty
=====================================================

Any subclass of :class:`skreg.penalties.Penalty` can be passed as
``penalty=``: it implements the value of its non-smooth part and the exact
proximal step of it, and the solvers do the rest. Here we write the minimax
concave penalty (MCP, Zhang 2010), a non-convex penalty that selects
variables like the lasso but does not shrink large weights, and fit it.
"""

# %%
# The penalty
# -----------
# ``p(w) = alpha |w| - w**2 / (2 gamma)`` for ``|w| <= gamma alpha`` and
# ``gamma alpha**2 / 2`` beyond. Its proximal step with step ``s`` is *firm
# thresholding* when ``s < gamma`` and hard thresholding otherwise (Breheny &
# Huang, 2011). ``s`` is a number or, with Adam, one step per weight.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_regression

from skreg import RegularizedMLPRegressor
from skreg.penalties import Penalty, check_alpha


class MCP(Penalty):
    """Minimax concave penalty, elementwise on all weights."""

    def __init__(self, alpha=1e-3, gamma=3.0):
        self.alpha, self.gamma = alpha, gamma
        check_alpha(alpha)
        if not gamma > 0:
            raise ValueError(f"gamma must be > 0, got {gamma!r}.")

    @property
    def is_smooth(self):
        return self.alpha == 0

    def nonsmooth_value(self, arrays, scratch=None):
        a, g = self.alpha, self.gamma
        total = 0.0
        for w in arrays:
            u = np.abs(w)
            inside = u <= g * a
            total += np.sum(np.where(inside, a * u - u**2 / (2 * g), g * a**2 / 2))
        return float(total)

    def prox_(self, arrays, steps, scratch=None):
        a, g = self.alpha, self.gamma
        for w, s in zip(arrays, steps, strict=True):
            u = np.abs(w)
            s = np.broadcast_to(s, w.shape)
            with np.errstate(divide="ignore", invalid="ignore"):  # s >= g: unused
                firm = np.where(u <= g * a, np.maximum(u - s * a, 0) / (1 - s / g), u)
            hard = np.where(u > a * np.sqrt(s * g), u, 0.0)
            w[...] = np.sign(w) * np.where(s < g, firm, hard)
        return None

    def alpha_max(self, gradient):
        return float(np.abs(gradient).max(initial=0.0))  # as for L1: p'(0) = alpha


# %%
# A sparse linear problem
# -----------------------
# Ten features, three of which carry large true coefficients. With
# ``hidden_layer_sizes=()`` the network is a linear model, so the estimates
# can be compared with the truth. The lasso shrinks every kept coefficient by
# about ``alpha``; MCP leaves large ones almost unbiased.
X, y, truth = make_regression(
    n_samples=400,
    n_features=10,
    n_informative=3,
    noise=0.5,
    coef=True,
    random_state=0,
)
scale = y.std()
y, truth = y / scale, truth / scale
params = dict(
    hidden_layer_sizes=(), learning_rate_init=0.05, max_iter=300, random_state=0
)
fits = {
    "L1, alpha=0.1": RegularizedMLPRegressor(penalty="l1", alpha=0.1, **params),
    "MCP, alpha=0.1, gamma=3": RegularizedMLPRegressor(
        penalty=MCP(alpha=0.1, gamma=3.0), **params
    ),
}
for name, model in fits.items():
    model.fit(X, y)
    coef = model.coefs_[0].ravel()
    print(
        f"{name}: {np.count_nonzero(coef)} nonzero, "
        f"largest error on the true support "
        f"{np.abs(coef - truth)[truth != 0].max():.3f}"
    )

# %%
# The estimates against the truth
# -------------------------------
fig, ax = plt.subplots(figsize=(6, 3.5))
positions = np.arange(X.shape[1])
ax.bar(positions - 0.27, truth, width=0.27, label="true", color="0.6")
for offset, (name, model) in zip((0.0, 0.27), fits.items(), strict=True):
    ax.bar(positions + offset, model.coefs_[0].ravel(), width=0.27, label=name)
ax.set_xlabel("feature")
ax.set_ylabel("coefficient")
ax.set_xticks(positions)
ax.legend(frameon=False)
ax.set_title("Same sparsity, less bias: MCP against the lasso")
fig.tight_layout()
plt.show()
