"""
=================================
L1 regularization path with alpha
=================================

How does the strength ``alpha`` of an L1 penalty trade accuracy for sparsity?
We run a ``GridSearchCV`` over ``alpha`` for a
:class:`~skreg.RegularizedMLPClassifier` with ``penalty="l1"`` and read two
numbers per ``alpha`` from its ``cv_results_``: the cross-validated accuracy,
and the fraction of the network's weights that are exactly zero, recorded by
a custom scorer.
"""

# %%
# Data and model
# --------------
# The breast cancer data set: 569 samples, 30 features, two classes. A
# standardizing pipeline in front of a network with one hidden layer of 16
# ``tanh`` units, fitted with L-BFGS, which handles the L1 term exactly.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skreg import RegularizedMLPClassifier

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)

model = make_pipeline(
    StandardScaler(),
    RegularizedMLPClassifier(
        hidden_layer_sizes=(16,),
        activation="tanh",
        solver="lbfgs",
        penalty="l1",
        max_iter=300,
        random_state=0,
    ),
)

# %%
# A scorer that measures sparsity
# -------------------------------
# A scorer is any callable ``scorer(estimator, X, y)``. This one ignores the
# data and returns the fraction of the fitted network's weights (all layers)
# that are exactly ``0.0``; ``GridSearchCV`` records it for every fold next to
# the accuracy.


def zero_fraction(estimator, X, y):
    """Fraction of the weights of the pipeline's network that are exactly 0."""
    coefs = estimator[-1].coefs_
    return sum(int((w == 0).sum()) for w in coefs) / sum(w.size for w in coefs)


alphas = np.logspace(-6, 0, 13)
search = GridSearchCV(
    model,
    {"regularizedmlpclassifier__alpha": alphas},
    scoring={"accuracy": "accuracy", "zero_fraction": zero_fraction},
    refit="accuracy",
    cv=3,
    return_train_score=True,
)
with warnings.catch_warnings():
    # Some of the weakest penalties need more than max_iter iterations to
    # converge fully; that does not change the picture.
    warnings.simplefilter("ignore", ConvergenceWarning)
    search.fit(X_train, y_train)

results = search.cv_results_
best_alpha = search.best_params_["regularizedmlpclassifier__alpha"]
print(f"best alpha: {best_alpha:.2g}")
print(f"cross-validated accuracy: {search.best_score_:.3f}")
print(f"accuracy on the test set: {search.score(X_test, y_test):.3f}")

# %%
# The path
# --------
# For tiny ``alpha`` the penalty does nothing and the network fits the
# training folds perfectly. As ``alpha`` grows, more and more weights become
# exactly zero; the validation accuracy holds, and even improves a little as
# the penalty removes noise, until the network is left with too few weights
# and the accuracy collapses to that of predicting the majority class. At
# that point every weight is zero.
fig, (ax_score, ax_zero) = plt.subplots(2, 1, figsize=(7, 6), sharex=True)
for split, style in [("train", "--"), ("test", "-")]:
    mean = results[f"mean_{split}_accuracy"]
    std = results[f"std_{split}_accuracy"]
    label = "training folds" if split == "train" else "validation folds"
    ax_score.plot(alphas, mean, style, marker="o", color="tab:blue", label=label)
    ax_score.fill_between(alphas, mean - std, mean + std, color="tab:blue", alpha=0.15)
ax_score.axvline(best_alpha, color="0.5", linestyle=":", label="best alpha")
ax_score.set_ylabel("accuracy")
ax_score.legend(loc="lower left")

zeros = results["mean_test_zero_fraction"]
ax_zero.plot(alphas, zeros, marker="o", color="tab:orange")
ax_zero.axvline(best_alpha, color="0.5", linestyle=":")
ax_zero.set_ylabel("fraction of weights == 0")
ax_zero.set_ylim(-0.05, 1.05)
ax_zero.set_xscale("log")
ax_zero.set_xlabel("alpha (penalty='l1')")
fig.suptitle("L1 path, 3-fold cross-validation on breast cancer")
fig.tight_layout()

# %%
# The best model is sparse
# ------------------------
# The refitted best pipeline keeps only a small part of its weights, and the
# input features it still reads are those whose rows of ``coefs_[0]`` are not
# all zero.
best = search.best_estimator_[-1]
first = best.coefs_[0]
features_kept = np.flatnonzero((first != 0).any(axis=1))
print(f"nonzero weights: {sum(int((w != 0).sum()) for w in best.coefs_)}")
print(f"features read: {features_kept.size} of {first.shape[0]}")

# %%
# skreg's ``alpha`` multiplies the penalty against the *mean* loss, as in
# scikit-learn's ``Lasso`` or ``SGDClassifier``: it does not depend on the
# solver or the batch size. As for those models, the best value still depends
# on the amount of data; with 3 folds each training fold holds two thirds of
# the training set, close enough for the refit on all of it.
