"""
==========================================
skreg against scikit-learn's MLPClassifier
==========================================

:class:`~skreg.RegularizedMLPClassifier` takes every parameter of
scikit-learn's ``MLPClassifier``, but its ``alpha`` is not divided by the
number of samples in a batch. This example

1. converts scikit-learn's ``alpha`` and checks that both libraries then fit
   the same network (full-batch L-BFGS, same seed);
2. compares accuracy and fit time on the digits data with the stochastic
   solver, for scikit-learn's L2 and for skreg's L2, L1, elastic net and
   dropout.
"""

# %%
# Data
# ----
import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from skreg import RegularizedMLPClassifier

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
n_samples = X_train.shape[0]

# %%
# The alpha conversion
# --------------------
# scikit-learn adds ``alpha / (2 * n) * sum(W**2)`` to the mean loss of a
# batch of ``n`` samples; skreg adds ``alpha / 2 * sum(W**2)``. With the
# full-batch L-BFGS solver ``n`` is the number of training samples, so
#
#     alpha_skreg = alpha_sklearn / n_samples
#
# gives the same objective. Both libraries draw the same initial weights from
# the same ``random_state``, so the two fits should coincide.
alpha_sklearn = 1.0
alpha_skreg = alpha_sklearn / n_samples
print(f"alpha_sklearn = {alpha_sklearn}, alpha_skreg = {alpha_skreg:.3g}")

common = dict(hidden_layer_sizes=(64,), solver="lbfgs", max_iter=200, random_state=0)
sk_lbfgs = MLPClassifier(alpha=alpha_sklearn, **common).fit(X_train, y_train)
sr_lbfgs = RegularizedMLPClassifier(alpha=alpha_skreg, **common).fit(X_train, y_train)

sk_weights = np.concatenate([w.ravel() for w in sk_lbfgs.coefs_])
sr_weights = np.concatenate([w.ravel() for w in sr_lbfgs.coefs_])
print(f"final objective: scikit-learn {sk_lbfgs.loss_:.6f}, skreg {sr_lbfgs.loss_:.6f}")
print(f"iterations: scikit-learn {sk_lbfgs.n_iter_}, skreg {sr_lbfgs.n_iter_}")
print(f"largest weight difference: {np.abs(sk_weights - sr_weights).max():.2e}")
agree = (sk_lbfgs.predict(X_test) == sr_lbfgs.predict(X_test)).mean()
print(f"test predictions that agree: {agree:.1%}")

fig, ax = plt.subplots(figsize=(5, 5))
ax.plot(sk_weights, sr_weights, ".", markersize=2, alpha=0.5)
lim = np.abs(sk_weights).max() * 1.05
ax.plot([-lim, lim], [-lim, lim], color="0.6", linewidth=1, zorder=0)
ax.set_xlabel("scikit-learn weight (alpha=1.0)")
ax.set_ylabel(f"skreg weight (alpha=1.0/{n_samples})")
ax.set_title("Same objective, same start: the same network")
ax.set_aspect("equal")
fig.tight_layout()

# %%
# Without the conversion, ``alpha=1.0`` in skreg is a penalty ``n_samples``
# times stronger: it overwhelms the data term, and the network is left
# predicting (nearly) a single class. The fit says so with a
# :class:`~skreg.RegularizationWarning`, which gives the conversion.
too_strong = RegularizedMLPClassifier(alpha=alpha_sklearn, **common)
too_strong.fit(X_train, y_train)
print(
    f"skreg alpha=1.0: test accuracy {too_strong.score(X_test, y_test):.3f} "
    f"(converted: {sr_lbfgs.score(X_test, y_test):.3f})"
)

# %%
# Accuracy and fit time with Adam
# -------------------------------
# With minibatches, scikit-learn divides ``alpha`` by the size of each batch
# (200 here, ``batch_size="auto"``), so the closest skreg setting is
# ``alpha_sklearn / 200``; the match is not exact because the last batch of
# each epoch is smaller. We also fit skreg's other penalties and dropout with
# the same network and number of epochs.
batch_size = min(200, n_samples)
stochastic = dict(hidden_layer_sizes=(64,), solver="adam", max_iter=100, random_state=0)
models = {
    "scikit-learn\nl2": MLPClassifier(alpha=1.0, **stochastic),
    "skreg\nl2": RegularizedMLPClassifier(alpha=1.0 / batch_size, **stochastic),
    "skreg\nl1": RegularizedMLPClassifier(penalty="l1", alpha=1e-3, **stochastic),
    "skreg\nelasticnet": RegularizedMLPClassifier(
        penalty="elasticnet", alpha=2e-3, l1_ratio=0.5, **stochastic
    ),
    "skreg\nl2 + dropout": RegularizedMLPClassifier(
        alpha=1.0 / batch_size, dropout=0.2, **stochastic
    ),
}
accuracy, seconds, zeros = {}, {}, {}
for name, clf in models.items():
    start = time.perf_counter()
    clf.fit(X_train, y_train)
    seconds[name] = time.perf_counter() - start
    accuracy[name] = clf.score(X_test, y_test)
    zeros[name] = np.mean(np.concatenate([w.ravel() == 0 for w in clf.coefs_]))
    label = name.replace("\n", " ")
    print(
        f"{label:>20}: accuracy {accuracy[name]:.3f}, fit {seconds[name]:.2f} s, "
        f"{zeros[name]:.0%} of the weights are 0.0"
    )

# %%
# The fit times are wall-clock times of a single run and vary from machine to
# machine; the point is their order of magnitude. Accuracy is similar across
# the board, while L1 and the elastic net also set a large share of the weights
# to exactly zero.
names = list(models)
colors = ["tab:gray"] + ["tab:blue"] * (len(names) - 1)
fig, (ax_acc, ax_time) = plt.subplots(1, 2, figsize=(10, 4))
ax_acc.bar(names, [accuracy[n] for n in names], color=colors)
ax_acc.set_ylim(0.9, 1.0)
ax_acc.set_ylabel("test accuracy")
for i, n in enumerate(names):
    if zeros[n] > 0:
        ax_acc.annotate(
            f"{zeros[n]:.0%} zeros",
            (i, accuracy[n]),
            ha="center",
            xytext=(0, 3),
            textcoords="offset points",
            fontsize=8,
        )
ax_time.bar(names, [seconds[n] for n in names], color=colors)
ax_time.set_ylabel("fit time (s)")
for ax in (ax_acc, ax_time):
    ax.tick_params(axis="x", labelsize=8)
fig.suptitle("Digits, 64 hidden units, Adam, 100 epochs")
fig.tight_layout()
