"""
================================================
Choosing an L1 penalty with the CV estimator
================================================

How does the strength ``alpha`` of an L1 penalty trade the fit for
sparsity, and which ``alpha`` does :class:`~skreg.RegularizedMLPClassifierCV`
choose? We give it a path of L1 strengths as its ``param_grid`` and read two
numbers per ``alpha`` from its ``cv_results_``: the cross-validated score
(minus the log-loss, the default) and the fraction of the network's weights
that are exactly zero on the folds.
"""

# %%
# Data and model
# --------------
# The breast cancer data set: 569 samples, 30 features, two classes. A
# standardizing pipeline in front of the CV estimator, with one hidden layer
# of 16 ``tanh`` units fitted by L-BFGS, which handles the L1 term exactly.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skreg import RegularizedMLPClassifierCV

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)

network = dict(hidden_layer_sizes=(16,), activation="tanh", solver="lbfgs")
alphas = np.logspace(-5, 0, 16)
model = make_pipeline(
    StandardScaler(),
    RegularizedMLPClassifierCV(
        param_grid={"penalty": ["l1"], "alpha": list(alphas)},
        max_iter=300,
        random_state=0,
        **network,
    ),
)
model.fit(X_train, y_train)
search = model[-1]

print(f"chosen alpha: {search.best_params_['alpha']:.3g}")
print(f"cross-validated log-loss: {-search.best_score_:.3f}")
print(f"accuracy on the test set: {model.score(X_test, y_test):.3f}")

# %%
# The path
# --------
# For tiny ``alpha`` the penalty does nothing and the network fits the
# training folds closely. As ``alpha`` grows, more and more weights become
# exactly zero; the held-out log-loss holds, and even improves a little as the
# penalty removes noise, until the network is left with too few weights and
# predicts the same probability for every sample. The CV estimator chooses
# the sparsest candidate whose mean score is within ``tie_tolerance`` of the
# best, never one that predicts a constant.
results = search.cv_results_
chosen = search.best_params_["alpha"]
fig, (ax_score, ax_zero) = plt.subplots(2, 1, figsize=(7, 6), sharex=True)
mean, std = -results["mean_test_score"], results["std_test_score"]
ax_score.plot(alphas, mean, marker="o", color="tab:blue", label="held-out folds")
ax_score.fill_between(alphas, mean - std, mean + std, color="tab:blue", alpha=0.15)
ax_score.axvline(chosen, color="0.5", linestyle=":", label="chosen alpha")
ax_score.set_ylabel("log-loss")
ax_score.legend(loc="upper left")

ax_zero.plot(alphas, results["mean_zero_fraction"], marker="o", color="tab:orange")
ax_zero.axvline(chosen, color="0.5", linestyle=":")
ax_zero.set_ylabel("fraction of weights == 0")
ax_zero.set_ylim(-0.05, 1.05)
ax_zero.set_xscale("log")
ax_zero.set_xlabel("alpha (penalty='l1')")
fig.suptitle("L1 path, 3-fold cross-validation on breast cancer")
fig.tight_layout()

# %%
# The chosen model is sparse
# --------------------------
# The model refitted at the chosen ``alpha`` keeps only a part of its weights,
# and the input features it still reads are those whose rows of
# ``coefs_[0]`` are not all zero.
first = search.coefs_[0]
features_kept = np.flatnonzero((first != 0).any(axis=1))
print(f"nonzero weights: {sum(int((w != 0).sum()) for w in search.coefs_)}")
print(f"features read: {features_kept.size} of {first.shape[0]}")

# %%
# skreg's ``alpha`` multiplies the penalty against the *mean* loss, as in
# scikit-learn's ``Lasso`` or ``SGDClassifier``: it does not depend on the
# solver or the batch size. As for those models, the best value still depends
# on the amount of data; with 3 folds each training fold holds two thirds of
# the training set, close enough for the refit on all of it.
