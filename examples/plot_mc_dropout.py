"""
=====================================================
Predictive uncertainty with Monte-Carlo dropout
=====================================================

A network trained with dropout can keep dropout on at prediction time: each
stochastic forward pass is a sample from an approximate predictive
distribution (Gal & Ghahramani, 2016). The spread of many passes is a cheap
measure of uncertainty, which grows away from the training data.

:class:`~skreg.RegularizedMLPRegressor` gives it through
``predict(X, return_std=True)``; the passes are drawn in one vectorized
computation and are reproducible through ``random_state``.
"""

# %%
# A one-dimensional problem with a gap in the data
# -------------------------------------------------
import matplotlib.pyplot as plt
import numpy as np

from skreg import RegularizedMLPRegressor

rng = np.random.RandomState(0)
x_train = np.concatenate([rng.uniform(-3, -0.5, 80), rng.uniform(1, 3, 80)])
y_train = np.sin(1.5 * x_train) + 0.1 * rng.normal(size=x_train.size)

# %%
# Train with dropout, predict with dropout on
# --------------------------------------------
reg = RegularizedMLPRegressor(
    hidden_layer_sizes=(128, 128),
    dropout=0.1,
    alpha=1e-4,
    learning_rate_init=0.005,
    max_iter=600,
    random_state=0,
).fit(x_train.reshape(-1, 1), y_train)

x_plot = np.linspace(-5, 5, 400).reshape(-1, 1)
mean, std = reg.predict(x_plot, return_std=True, mc_passes=200, random_state=0)

# %%
# The predictive band widens in the gap and outside the data
# -----------------------------------------------------------
fig, ax = plt.subplots(figsize=(7, 4.8), layout="constrained")
ax.fill_between(
    x_plot.ravel(), mean - 2 * std, mean + 2 * std, alpha=0.3, label="mean ± 2 std"
)
ax.plot(x_plot.ravel(), mean, label="MC-dropout mean")
ax.plot(x_plot.ravel(), reg.predict(x_plot), "--", label="deterministic prediction")
ax.scatter(x_train, y_train, s=8, color="k", label="training data")
ax.set_xlabel("x")
ax.set_ylabel("y")
ax.set_title("Monte-Carlo dropout: 200 stochastic passes")
# Below the axes, where it hides neither the band nor the data.
fig.legend(loc="outside lower center", ncols=2)
plt.show()
