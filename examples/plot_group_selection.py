"""
=====================================================
Feature selection with the group lasso and pruning
=====================================================

The L1 penalty zeroes single weights; an input feature leaves the model only
when *all* its first-layer weights happen to be zero. ``penalty="group"``
penalizes the Euclidean norm of each feature's outgoing weights (and of each
hidden unit's), so its proximal step removes whole features and whole units.

Three things follow from a group-lasso fit:

* ``feature_importances_`` is exactly 0 for the removed features, so
  scikit-learn's :class:`~sklearn.feature_selection.SelectFromModel` selects
  the others;
* ``pruned()`` returns a smaller network without the unused hidden units,
  with the same predictions;
* the kept features say what the model reads: here, pixels of the digits.
"""

# %%
# Digits, one pixel per feature
# -----------------------------
# 8 x 8 images, standardized; pixels that are blank in every training image
# become constant columns of zeros.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.feature_selection import SelectFromModel
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skreg import RegularizedMLPClassifier

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
scaler = StandardScaler().fit(X_train)
X_train_s, X_test_s = scaler.transform(X_train), scaler.transform(X_test)


def group_mlp(alpha):
    return RegularizedMLPClassifier(
        hidden_layer_sizes=(64,),
        penalty="group",
        alpha=alpha,
        max_iter=300,
        tol=1e-3,
        random_state=0,
    )


# %%
# The strength of the group penalty: kept pixels, kept units, accuracy
# --------------------------------------------------------------------
alphas = [3e-4, 1e-3, 3e-3, 1e-2, 2e-2]
models = [group_mlp(alpha).fit(X_train_s, y_train) for alpha in alphas]
kept_pixels = [int(np.count_nonzero(m.feature_importances_)) for m in models]
kept_units = [m.pruned().hidden_layer_sizes[0] for m in models]
accuracies = [m.score(X_test_s, y_test) for m in models]
for alpha, pixels, units, accuracy in zip(
    alphas, kept_pixels, kept_units, accuracies, strict=True
):
    print(
        f"alpha={alpha:g}: {pixels:2d} of 64 pixels, {units:2d} of 64 hidden units, "
        f"test accuracy {accuracy:.3f}"
    )

fig, (ax_counts, *ax_maps) = plt.subplots(
    1, 4, figsize=(12, 3.4), layout="constrained", width_ratios=[1.6, 1, 1, 1]
)
ax_counts.semilogx(alphas, kept_pixels, "o-", label="kept pixels")
ax_counts.semilogx(alphas, kept_units, "s-", label="kept hidden units")
ax_counts.set_xlabel("alpha (penalty='group')")
ax_counts.set_ylabel("of 64")
ax_counts.set_ylim(0, 68)
ax_accuracy = ax_counts.twinx()
ax_accuracy.semilogx(alphas, accuracies, "^--", color="C2", label="test accuracy")
ax_accuracy.set_ylabel("test accuracy")
ax_accuracy.set_ylim(0.8, 1.0)
fig.legend(loc="outside lower left", ncols=3, fontsize=8)

# Which pixels each model reads: its feature importances as an image, the
# removed pixels (importance exactly 0) in white.
for ax, index in zip(ax_maps, [1, 2, 4], strict=True):
    importances = models[index].feature_importances_.reshape(8, 8)
    ax.imshow(np.ma.masked_equal(importances, 0.0), cmap="viridis")
    ax.set_title(f"alpha={alphas[index]:g}: {kept_pixels[index]} pixels", fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
fig.suptitle("Group lasso on the digits: whole pixels and units removed")

# %%
# The kept pixels feed another model: ``SelectFromModel``
# -------------------------------------------------------
# The removed pixels have importance exactly 0, so any positive threshold
# keeps exactly the others. Here a logistic regression learns from the pixels
# that the group-lasso network chose (``alpha=3e-3``), inside one pipeline.
selection = make_pipeline(
    StandardScaler(),
    SelectFromModel(group_mlp(3e-3), threshold=1e-12),
    LogisticRegression(max_iter=2000),
)
selection.fit(X_train, y_train)
n_selected = int(selection[1].get_support().sum())
print(
    f"logistic regression on the {n_selected} selected pixels: "
    f"test accuracy {selection.score(X_test, y_test):.3f}"
)
full = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
print(f"on all 64 pixels: {full.fit(X_train, y_train).score(X_test, y_test):.3f}")

# %%
# A smaller network with the same predictions: ``pruned()``
# ---------------------------------------------------------
# The group penalty also zeroes whole hidden units. ``pruned()`` drops them
# (and folds units whose inputs are all removed into the next biases); the
# copy predicts the same probabilities with fewer parameters.
model = models[2]
small = model.pruned()


def n_parameters(m):
    return sum(c.size for c in m.coefs_) + sum(b.size for b in m.intercepts_)


print(
    f"hidden units {model.hidden_layer_sizes} -> {small.hidden_layer_sizes}, "
    f"parameters {n_parameters(model)} -> {n_parameters(small)}"
)
difference = np.abs(model.predict_proba(X_test_s) - small.predict_proba(X_test_s))
print(f"largest difference of the predicted probabilities: {difference.max():.1e}")
plt.show()
