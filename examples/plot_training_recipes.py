"""
==========================================================================
Training recipes: cosine schedule, weight decay, averaging, smoothing
==========================================================================

The training recipe of modern networks, on a small problem: a cosine
learning-rate schedule with warmup (``learning_rate="cosine"``,
``warmup_epochs``), decoupled weight decay (``weight_decay``, AdamW), Polyak
averaging of the iterates (``average``), label smoothing
(``label_smoothing``) and early stopping on a validation set given to
``fit`` (``X_val``, ``y_val``) that follows the validation loss
(``scoring="loss"``).

We fit :class:`~skreg.RegularizedMLPClassifier` on scikit-learn's digits
once as it comes (Adam at a constant rate, the default L2 penalty) and once
with the recipe, and look at the training and validation curves that the
estimator records: ``loss_curve_``, ``validation_loss_curve_`` and
``validation_scores_``. See :ref:`training-recipes` in the user guide.
"""

# %%
# Data
# ----
# 8x8 images of handwritten digits, split into a training set, a validation
# set for early stopping and a test set that neither model sees. The pixels
# are standardized with the training set's means and deviations.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skreg import RegularizedMLPClassifier
from skreg.solvers import cosine_rate

X, y = load_digits(return_X_y=True)
X_rest, X_test, y_rest, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, stratify=y_rest, random_state=0
)
scaler = StandardScaler().fit(X_train)
X_train, X_val, X_test = (scaler.transform(a) for a in (X_train, X_val, X_test))
print(f"{len(X_train)} training, {len(X_val)} validation and {len(X_test)} test images")

# %%
# The plain estimator and the recipe
# ----------------------------------
# Both models share the network, the batch size, the initial learning rate
# and the seed (hence the same initial weights). The plain one stops when its
# training loss stalls, as scikit-learn's MLP does.
#
# The recipe replaces the L2 penalty by decoupled weight decay
# (``penalty=None``: otherwise both would apply), anneals the rate along half
# a cosine over ``max_iter`` epochs after a warmup of 5 epochs, averages the
# iterates once 5 epochs' worth of samples have been seen (after the warmup),
# fits the cross-entropy against smoothed labels, and keeps the epoch with the
# smallest validation loss.
max_iter = 150
common = dict(
    hidden_layer_sizes=(128,),
    batch_size=64,
    learning_rate_init=1e-2,
    max_iter=max_iter,
    random_state=0,
)
plain = RegularizedMLPClassifier(**common).fit(X_train, y_train)

eps = 0.1
recipe = RegularizedMLPClassifier(
    **common,
    learning_rate="cosine",
    warmup_epochs=5,
    penalty=None,
    weight_decay=0.1,
    average=5 * len(X_train),
    label_smoothing=eps,
    early_stopping=True,
    scoring="loss",
)
recipe.fit(X_train, y_train, X_val=X_val, y_val=y_val)
best = int(np.argmax(recipe.validation_scores_))  # the restored epoch, 0-based
print(
    f"plain: {plain.n_iter_} epochs; recipe: {recipe.n_iter_} epochs of "
    f"max_iter={max_iter}, best epoch {best + 1} restored"
)

# %%
# Early stopping ends training once the validation score has not improved by
# ``tol`` (1e-4) for more than ``n_iter_no_change`` (10) epochs in a row,
# then restores the best epoch. Here the validation loss was still falling,
# by less than ``tol`` per epoch, so the best epoch is the last one:
gains = np.diff(recipe.validation_scores_[-12:])
print(f"largest gain of the validation score in the last 11 epochs: {gains.max():.1e}")

# %%
# Learning curves
# ---------------
# ``loss_curve_`` is the training objective J seen during each epoch. With
# label smoothing J is the cross-entropy against ``(1 - eps) y + eps / K``,
# which cannot fall below the entropy of those targets (0.500 here, for
# ``eps=0.1`` and ``K=10`` classes): the recipe's curve levels off above it.
# Its excess over that floor (the Kullback-Leibler divergence from the
# smoothed labels) is what compares with the plain model's cross-entropy
# (whose floor is 0; its J also holds the small L2 term).
n_classes = len(np.unique(y))
smoothed = np.full(n_classes, eps / n_classes)
smoothed[0] += 1 - eps
floor = -np.sum(smoothed * np.log(smoothed))

fig, axes = plt.subplots(1, 2, figsize=(10, 4))
axes[0].plot(np.arange(1, plain.n_iter_ + 1), plain.loss_curve_, label="plain")
axes[0].plot(np.arange(1, recipe.n_iter_ + 1), recipe.loss_curve_, label="recipe")
axes[0].axhline(floor, color="tab:orange", linestyle="--", linewidth=1)
axes[0].set_ylabel("loss_curve_")
axes[0].set_title("Training objective J")
axes[1].plot(np.arange(1, plain.n_iter_ + 1), plain.loss_curve_, label="plain")
axes[1].plot(
    np.arange(1, recipe.n_iter_ + 1),
    np.asarray(recipe.loss_curve_) - floor,
    label=f"recipe, minus {floor:.3f}",
)
axes[1].set_yscale("log")
axes[1].set_ylabel("loss_curve_ minus its floor")
axes[1].set_title("Excess over the smallest possible J")
for ax in axes:
    ax.axvline(best + 1, color="gray", linestyle=":")
    ax.set_xlabel("epoch")
    ax.legend()
fig.suptitle("Learning curves (dotted: the recipe's restored epoch)")
fig.tight_layout()

# %%
# Validation curves
# -----------------
# With early stopping the estimator records, after each epoch, the validation
# loss (J without its penalty, on ``X_val``, without dropout, at the averaged
# weights once averaging has started) and the validation score that early
# stopping follows. With ``scoring="loss"`` the score is minus the loss, so
# the two panels mirror each other; with the default scoring the score would
# be the accuracy. The right panel shows the cosine's learning rate at the
# start of each epoch: its horizon is ``max_iter`` epochs, and early stopping
# ends it where it is.
epochs = np.arange(1, recipe.n_iter_ + 1)
steps_per_epoch = -(-len(X_train) // common["batch_size"])
total = steps_per_epoch * max_iter
warmup = 5 * steps_per_epoch
all_epochs = np.arange(max_iter)
rates = [cosine_rate(e * steps_per_epoch, 1e-2, total, warmup) for e in all_epochs]

fig, axes = plt.subplots(1, 3, figsize=(11, 3.6))
axes[0].plot(epochs, recipe.validation_loss_curve_, color="tab:orange")
axes[0].plot(best + 1, recipe.validation_loss_curve_[best], "o", color="k")
axes[0].set_ylabel("validation_loss_curve_")
axes[1].plot(epochs, recipe.validation_scores_, color="tab:orange")
axes[1].plot(best + 1, recipe.best_validation_score_, "o", color="k")
axes[1].set_ylabel("validation_scores_")
axes[2].plot(all_epochs + 1, rates, color="gray", linestyle="--", label="planned")
axes[2].plot(epochs, rates[: recipe.n_iter_], color="tab:orange", label="run")
axes[2].set_ylabel("learning rate")
axes[2].legend()
for ax in axes:
    ax.axvline(best + 1, color="gray", linestyle=":")
    ax.set_xlabel("epoch")
axes[0].axhline(floor, color="tab:orange", linestyle="--", linewidth=1)
fig.suptitle("The recipe on the validation set (dot: the restored epoch)")
fig.tight_layout()

# %%
# The fitted model is the restored epoch's averaged network: its validation
# loss, the cross-entropy against the smoothed validation labels, is the best
# entry of ``validation_loss_curve_``.
targets = np.full((len(y_val), n_classes), eps / n_classes)
targets[np.arange(len(y_val)), np.searchsorted(recipe.classes_, y_val)] += 1 - eps
val_loss = -np.mean(np.sum(targets * np.log(recipe.predict_proba(X_val)), axis=1))
print(
    f"validation loss of the fitted model {val_loss:.6f}, "
    f"min of validation_loss_curve_ {min(recipe.validation_loss_curve_):.6f}, "
    f"-best_validation_score_ {-recipe.best_validation_score_:.6f}"
)

# %%
# Test scores
# -----------
# On the test set the recipe is more accurate. Its log-loss against the true
# labels is higher: label smoothing fits probabilities of about
# ``1 - eps + eps / K = 0.91`` for the predicted class, not 1, so a correct
# and confident prediction still costs about ``-log(0.91)``. Use
# ``label_smoothing=0`` when the probabilities themselves matter more than
# the decisions.
for name, model in [("plain", plain), ("recipe", recipe)]:
    proba = model.predict_proba(X_test)
    print(
        f"{name:>6}: test accuracy {model.score(X_test, y_test):.4f}, "
        f"test log-loss {log_loss(y_test, proba):.4f}, "
        f"mean top probability {proba.max(axis=1).mean():.3f}"
    )

# %%
# Notes
# -----
# * Each item can be used alone; none needs the others.
# * ``weight_decay`` is not part of J: ``loss_`` and ``loss_curve_`` do not
#   include it, while they include an L2 ``penalty`` and the label smoothing.
# * With ``solver="sgd"`` and ``momentum=0``, ``weight_decay=w`` gives the
#   same updates as ``penalty="l2", alpha=w``; with Adam, as here, it does not.
