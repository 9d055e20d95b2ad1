"""
=====================================
Dropout against overfitting on digits
=====================================

A network with more weights than training samples can fit its training set
almost perfectly and get worse on new data: its training loss keeps falling
while its validation loss turns back up. Dropout fights this by dropping each
hidden unit at random during training (and scaling the kept ones by
``1 / (1 - p)``), so no unit can rely on a few others.

We train the same :class:`~skreg.RegularizedMLPClassifier` on a small part of
scikit-learn's digits data with and without dropout, one epoch at a time with
``partial_fit``, and compute the training and validation log-loss of the full
network after each epoch with ``predict_proba``.
"""

# %%
# Data
# ----
# 8x8 images of handwritten digits. We train on 30% of them (539 images) and
# keep the rest for validation, so that a network with one hidden layer of
# 128 units (9,472 weights) has room to overfit. The pixel intensities are
# scaled to [0, 1].
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler

from skreg import RegularizedMLPClassifier

X, y = load_digits(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(
    X, y, train_size=0.3, stratify=y, random_state=0
)
scaler = MinMaxScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
classes = np.unique(y)
print(f"{X_train.shape[0]} training and {X_val.shape[0]} validation images")

# %%
# Training epoch by epoch
# -----------------------
# ``partial_fit`` makes one pass over the data per call and keeps Adam's state
# between calls, so calling it ``n_epochs`` times is ``fit`` with
# ``max_iter=n_epochs`` that we can look into after every epoch. We switch the
# penalty off to see the effect of dropout alone.
#
# The estimator's own ``loss_curve_`` records the loss of the *dropped-out*
# network that training sees; to compare the two models we measure the loss
# of the whole network, as ``predict_proba`` uses it, on both sets.
n_epochs = 100
rates = {"no dropout": 0.0, "dropout=0.5": 0.5}
curves = {}
models = {}
for name, rate in rates.items():
    clf = RegularizedMLPClassifier(
        hidden_layer_sizes=(128,),
        penalty=None,
        dropout=rate,
        learning_rate_init=3e-3,
        batch_size=32,
        random_state=0,
    )
    train_loss, val_loss = [], []
    for _ in range(n_epochs):
        clf.partial_fit(X_train, y_train, classes=classes)
        train_loss.append(log_loss(y_train, clf.predict_proba(X_train), labels=classes))
        val_loss.append(log_loss(y_val, clf.predict_proba(X_val), labels=classes))
    curves[name] = (np.array(train_loss), np.array(val_loss))
    models[name] = clf

# %%
# Loss curves
# -----------
# Without dropout the training loss drops towards zero and the validation loss
# reaches its minimum early, then rises: the network memorizes the training
# images. With dropout the training loss falls more slowly, and the
# validation loss goes lower and stays lower for longer.
epochs = np.arange(1, n_epochs + 1)
fig, ax = plt.subplots(figsize=(7, 4.5))
for (name, (train_loss, val_loss)), color in zip(
    curves.items(), ["tab:red", "tab:blue"], strict=True
):
    ax.plot(epochs, train_loss, color=color, linestyle="--", label=f"{name}, train")
    ax.plot(epochs, val_loss, color=color, label=f"{name}, validation")
    best = int(np.argmin(val_loss))
    ax.plot(epochs[best], val_loss[best], "o", color=color)
ax.set_yscale("log")
ax.set_xlabel("epoch")
ax.set_ylabel("log-loss of the full network")
ax.set_title("Digits, 539 training images, 128 hidden units")
ax.legend()
fig.tight_layout()

# %%
# The dots mark the best validation loss of each model. The gap between the
# validation and the training loss measures the overfitting:
for name, (train_loss, val_loss) in curves.items():
    clf = models[name]
    best = int(np.argmin(val_loss))
    print(
        f"{name:>11}: best validation loss {val_loss[best]:.3f} at epoch "
        f"{best + 1}, final {val_loss[-1]:.3f} (train {train_loss[-1]:.4f}), "
        f"validation accuracy {clf.score(X_val, y_val):.3f}"
    )

fig, ax = plt.subplots(figsize=(7, 3.5))
for (name, (train_loss, val_loss)), color in zip(
    curves.items(), ["tab:red", "tab:blue"], strict=True
):
    ax.plot(epochs, val_loss - train_loss, color=color, label=name)
ax.set_xlabel("epoch")
ax.set_ylabel("validation - training loss")
ax.set_title("Generalization gap")
ax.legend()
fig.tight_layout()

# %%
# Notes
# -----
# * Prediction is deterministic: dropout only acts during training, and the
#   inverted scaling means the full network needs no correction afterwards.
# * The masks come from ``random_state``, so the two runs above are
#   reproducible.
# * In practice, ``early_stopping=True`` stops training at the best
#   validation score by itself and restores the best weights; dropout and an
#   L2 or L1 ``penalty`` can be combined.
