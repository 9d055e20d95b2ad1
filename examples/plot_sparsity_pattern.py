"""
==============================================
Sparsity pattern of L1 and elastic-net weights
==============================================

With ``penalty="l1"`` or ``"elasticnet"``, skreg treats the L1 part of the
penalty exactly (by bound constraints with ``solver="lbfgs"``, by a proximal
step with ``"sgd"`` and ``"adam"``), so many weights come out *exactly*
``0.0``. The pattern of zeros in the first layer says which input features
the network still reads: feature ``j`` is out of the model when the whole row
``coefs_[0][j]`` is zero.

We fit networks on a synthetic problem whose informative features are known,
and compare the features they keep with the true ones.
"""

# %%
# A problem with 5 informative features out of 30
# -----------------------------------------------
# ``make_classification`` with ``shuffle=False`` puts the informative features
# first: features 0-4 carry the signal, features 5-29 are pure noise.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skreg import RegularizedMLPClassifier
from skreg.penalties import make_penalty

n_features, n_informative = 30, 5
X, y = make_classification(
    n_samples=2000,
    n_features=n_features,
    n_informative=n_informative,
    n_redundant=0,
    n_repeated=0,
    n_classes=3,
    class_sep=1.5,
    shuffle=False,
    random_state=0,
)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
informative = np.arange(n_features) < n_informative

# %%
# Three penalties, one network
# ----------------------------
# A hidden layer of 16 ``tanh`` units, fitted with L-BFGS (the L1 part through
# bound constraints on ``W = W+ - W-``). L2 shrinks the weights but leaves
# them all nonzero; L1 and the elastic net set most of them to exactly zero.
settings = {
    "l2, alpha=0.01": dict(penalty="l2", alpha=1e-2),
    "l1, alpha=0.03": dict(penalty="l1", alpha=3e-2),
    "elasticnet, alpha=0.04, l1_ratio=0.5": dict(
        penalty="elasticnet", alpha=4e-2, l1_ratio=0.5
    ),
}
models = {}
for name, params in settings.items():
    models[name] = RegularizedMLPClassifier(
        hidden_layer_sizes=(16,),
        activation="tanh",
        solver="lbfgs",
        max_iter=1000,
        random_state=0,
        **params,
    ).fit(X_train, y_train)

for name, clf in models.items():
    first = clf.coefs_[0]
    kept = np.flatnonzero((first != 0).any(axis=1))
    print(
        f"{name}: test accuracy {clf.score(X_test, y_test):.3f}, "
        f"{(first == 0).mean():.0%} of the first-layer weights are 0.0, "
        f"features kept: {kept.tolist()}"
    )

# %%
# The zeros are exact, and part of the reported objective: ``loss_`` is the
# data term plus the penalty term, which the :mod:`skreg.penalties` objects
# compute from the fitted weights.
clf = models["l1, alpha=0.03"]
penalty_term = make_penalty("l1", alpha=3e-2).value(clf.coefs_)
print(f"loss_ = {clf.loss_:.4f}, of which the L1 term is {penalty_term:.4f}")

# %%
# The sparsity pattern of the first layer
# ---------------------------------------
# Each panel shows ``coefs_[0] != 0`` in black: one row per input feature, one
# column per hidden unit. The informative features are the tinted rows at the
# top; the green squares on the right mark the features the network keeps
# (rows with any nonzero weight).
fig, axes = plt.subplots(1, len(models), figsize=(10, 5), sharey=True)
for ax, (name, clf) in zip(axes, models.items(), strict=True):
    nonzero = clf.coefs_[0] != 0
    n_hidden = nonzero.shape[1]
    kept = np.flatnonzero(nonzero.any(axis=1))
    ax.imshow(
        nonzero, aspect="auto", interpolation="nearest", cmap="Greys", vmin=0, vmax=1
    )
    ax.axhspan(-0.5, n_informative - 0.5, color="tab:red", alpha=0.2, lw=0)
    ax.plot(np.full(kept.size, n_hidden + 0.5), kept, "s", color="tab:green")
    ax.set_xlim(-0.5, n_hidden + 1.2)
    ax.set_xticks([0, n_hidden - 1])
    ax.set_xlabel("hidden unit")
    ax.set_title(f"{name}\n{nonzero.mean():.0%} of the weights nonzero", fontsize=9)
axes[0].set_ylabel("input feature")
fig.suptitle("First-layer weights that are not exactly zero")
fig.tight_layout()

# %%
# Features kept against the true informative features
# ---------------------------------------------------
# The norm of each feature's outgoing weights (the row norms of
# ``coefs_[0]``, which is what ``feature_importances_`` normalizes) shows the
# same thing quantitatively: exactly zero for the features the penalty
# removed.
fig, ax = plt.subplots(figsize=(9, 3.5))
width = 0.8 / len(models)
for i, (name, clf) in enumerate(models.items()):
    norms = np.linalg.norm(clf.coefs_[0], axis=1)
    ax.bar(np.arange(n_features) + (i - 1) * width, norms, width, label=name)
ax.axvspan(-0.5, n_informative - 0.5, color="0.9", zorder=0, label="informative")
ax.set_xlim(-0.5, n_features - 0.5)
ax.set_xlabel("input feature")
ax.set_ylabel("norm of the feature's weights")
ax.legend(fontsize=8)
fig.tight_layout()

# %%
# Discussion
# ----------
# L2 keeps every feature. L1 and the elastic net keep the informative
# features and drop most or all of the noise features, while their test
# accuracy stays close to that of L2. The penalty acts on each weight
# separately, not on whole rows, so it removes a feature only as a side effect
# of zeroing all of its weights; a noise feature can survive through a single
# small weight. With a larger ``alpha`` fewer features survive, down to none
# (see :ref:`sphx_glr_auto_examples_plot_regularization_path.py`). The elastic
# net's L2 part spreads the weight over correlated features instead of picking
# one of them.
