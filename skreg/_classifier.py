"""RegularizedMLPClassifier."""

from __future__ import annotations

from numbers import Real

import numpy as np
from sklearn.base import ClassifierMixin, _fit_context
from sklearn.metrics import accuracy_score
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import (
    _check_partial_fit_first_call,
    type_of_target,
    unique_labels,
)
from sklearn.utils.validation import check_is_fitted

from ._base import BaseRegularizedMLP, _has_stochastic_solver, set_init_params
from ._docstrings import document

__all__ = ["RegularizedMLPClassifier"]


class RegularizedMLPClassifier(ClassifierMixin, BaseRegularizedMLP):
    """Multi-layer perceptron classifier with L1, L2, elastic net, dropout.

    A drop-in superset of :class:`sklearn.neural_network.MLPClassifier`: the
    same parameters, attributes and methods, plus ``penalty``, ``l1_ratio``,
    ``dropout`` and ``class_weight``.

    {objective}

    The loss is the log-loss: one logistic unit for two classes (one per
    label for multilabel targets) and a softmax for more than two classes.

    {sections}

    See Also
    --------
    RegularizedMLPRegressor : The regressor with the same regularization.
    RegularizedMLPClassifierCV : This classifier with ``alpha`` chosen by CV.
    sklearn.neural_network.MLPClassifier : The classifier of scikit-learn (L2 only).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skreg import RegularizedMLPClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = RegularizedMLPClassifier(hidden_layer_sizes=(16,), solver="lbfgs",
    ...                                penalty="l1", alpha=1e-2, random_state=0)
    >>> clf.fit(X, y).predict(X[:3])
    array([0, 0, 0])
    >>> bool(clf.score(X, y) > 0.9)
    True
    """

    _parameter_constraints: dict = {
        **BaseRegularizedMLP._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "label_smoothing": [Interval(Real, 0, 1, closed="left")],
    }
    _fitted_attributes = (
        *BaseRegularizedMLP._fitted_attributes,
        "classes_",
        "_label_binarizer",
    )

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        validation_interval=1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
        penalty="l2",
        l1_ratio=0.5,
        dropout=0.0,
        input_dropout=0.0,
        max_norm=None,
        weight_decay=0.0,
        average=False,
        warmup_epochs=0.0,
        scoring=None,
        class_weight=None,
        label_smoothing=0.0,
    ):
        set_init_params(self, locals())

    def _validate_input(self, X, y, incremental, reset):
        X, y = self._check_data(X, y, reset=reset)

        if not hasattr(self, "classes_") or (not self.warm_start and not incremental):
            self._label_binarizer = LabelBinarizer()
            self._label_binarizer.fit(y)
            self.classes_ = self._label_binarizer.classes_
        else:
            classes = unique_labels(y)
            if self.warm_start and not incremental:
                if set(classes) != set(self.classes_):
                    raise ValueError(
                        "warm_start can only be used where `y` has the same "
                        "classes as in the previous call to fit. Previously "
                        f"got {self.classes_}, `y` has {classes}."
                    )
            elif len(np.setdiff1d(classes, self.classes_, assume_unique=True)):
                raise ValueError(
                    "`y` has classes not in `self.classes_`. "
                    f"`self.classes_` has {self.classes_}. 'y' has {classes}."
                )
        return X, y, self._loss_targets(y, X.dtype)

    def _loss_targets(self, y, dtype) -> np.ndarray:
        """What the loss is fitted to: the class indicators or, with
        ``label_smoothing = eps``, ``(1 - eps) * indicators + eps / K``, where
        ``K`` is the number of classes of a softmax and 2 for each logistic
        unit (binary and multilabel targets)."""
        if not self._label_binarizer.y_type_.startswith("multilabel"):
            unknown = np.setdiff1d(unique_labels(y), self.classes_)
            if len(unknown):
                raise ValueError(
                    f"y has labels {unknown.tolist()} that are not among the "
                    f"classes {self.classes_.tolist()}."
                )
        Y = self._indicators(y)
        eps = self.label_smoothing
        if not eps:
            return Y
        n_classes = Y.shape[1] if self._loss_name() == "multiclass" else 2
        smoothed = Y.astype(dtype)
        smoothed *= 1.0 - eps
        smoothed += eps / n_classes
        return smoothed

    def _indicators(self, y) -> np.ndarray:
        """The targets as boolean indicators, one column per output unit.

        Booleans take an eighth of the memory of floats and the losses use
        them as 0/1 directly. Binary and multiclass targets are encoded
        without LabelBinarizer's intermediate integer matrix, which would
        take eight times the memory of the result.
        """
        binarizer = self._label_binarizer
        classes = binarizer.classes_
        if binarizer.y_type_ == "binary" and len(classes) == 2:
            return (y == classes[1]).reshape(-1, 1)
        if binarizer.y_type_ == "multiclass":
            Y = np.zeros((len(y), len(classes)), dtype=bool)
            Y[np.arange(len(y)), np.searchsorted(classes, y)] = True
            return Y
        return binarizer.transform(y).astype(bool)

    def _loss_name(self) -> str:
        return (
            "multiclass" if self._label_binarizer.y_type_ == "multiclass" else "binary"
        )

    def _sample_weight(self, sample_weight, X, y, incremental):
        sample_weight = super()._sample_weight(sample_weight, X, y, incremental)
        if self.class_weight is None:
            return sample_weight
        if self._label_binarizer.y_type_.startswith("multilabel"):
            raise ValueError("class_weight is not supported for multilabel targets.")
        if incremental and self.class_weight == "balanced":
            raise ValueError(
                "class_weight='balanced' is not supported with partial_fit: the "
                "class frequencies of the whole data set are unknown. Pass a dict."
            )
        if isinstance(self.class_weight, dict):
            unknown = set(self.class_weight) - set(self.classes_.tolist())
            if unknown:
                raise ValueError(
                    f"class_weight has labels {sorted(unknown, key=str)} that are "
                    f"not among the classes {self.classes_.tolist()}."
                )
        weights = compute_class_weight(self.class_weight, classes=self.classes_, y=y)
        if not np.all(np.isfinite(weights)) or np.any(weights < 0):
            raise ValueError(
                "class_weight must be finite and non-negative, got "
                f"{self.class_weight!r}."
            )
        per_sample = weights[np.searchsorted(self.classes_, y)].astype(X.dtype)
        if sample_weight is not None:
            per_sample *= sample_weight
        if not per_sample.sum() > 0:
            raise ValueError("class_weight and sample_weight leave no positive weight.")
        return per_sample

    def _stratify_labels(self, y):
        return (
            y
            if self.n_outputs_ == 1 or self._label_binarizer.y_type_ == "multiclass"
            else None
        )

    def _validation_target(self, y, Y, rows):
        return y[rows]

    def _score_unchecked(self, X, y, sample_weight):
        return accuracy_score(
            y, self._predict(X, check_input=False), sample_weight=sample_weight
        )

    @available_if(_has_stochastic_solver)
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """Update the model with one epoch over ``X, y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the samples.
        classes : array-like of shape (n_classes,), default=None
            All the classes across calls; required on the first call.

        Returns
        -------
        self : RegularizedMLPClassifier
            The updated estimator.
        """
        if _check_partial_fit_first_call(self, classes):
            self._label_binarizer = LabelBinarizer()
            if type_of_target(y).startswith("multilabel"):
                self._label_binarizer.fit(y)
            else:
                self._label_binarizer.fit(classes)
        return self._fit(X, y, sample_weight=sample_weight, incremental=True)

    # -- prediction ------------------------------------------------------------

    def _predict(self, X, check_input=True):
        probabilities = self._forward(X, check_input=check_input)
        if self.n_outputs_ == 1:
            probabilities = probabilities.ravel()
        return self._label_binarizer.inverse_transform(probabilities)

    def predict(self, X):
        """Predict class labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The samples to classify.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_labels)
            The predicted classes.
        """
        check_is_fitted(self)
        return self._predict(X)

    def _per_class(self, probabilities: np.ndarray) -> np.ndarray:
        """One column per class: a binary target's single logistic output
        ``p`` becomes the columns ``1 - p`` and ``p``."""
        if (
            self.n_outputs_ == 1
            and self._label_binarizer.y_type_ != "multilabel-indicator"
        ):
            p = probabilities[:, 0]
            return np.column_stack([1 - p, p])
        return probabilities

    def predict_proba(self, X):
        """Probability estimates.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The samples whose class probabilities are estimated.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class, in the order of ``classes_``.
        """
        check_is_fitted(self)
        probabilities = self._forward(X)
        if self.out_activation_ == "logistic":
            # Keep logistic probabilities strictly inside (0, 1) so that they
            # and their complements have finite logs; softmax rows keep
            # summing to one exactly.
            eps = np.finfo(probabilities.dtype).eps
            np.clip(probabilities, eps, 1 - eps, out=probabilities)
        return self._per_class(probabilities)

    def predict_proba_mc(self, X, mc_passes=100, *, random_state=None):
        """Monte-Carlo dropout probabilities (Gal & Ghahramani, 2016).

        The average of the probabilities of ``mc_passes`` forward passes with
        dropout on; equal to :meth:`predict_proba` without dropout.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The samples, each passed through ``mc_passes`` thinned networks.
        mc_passes : int, default=100
            Number of stochastic passes.
        random_state : int, RandomState instance or None, default=None
            Seed of the dropout masks of the passes.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Averaged probability of each class, in the order of ``classes_``.
        """
        if not self._has_dropout():
            return self.predict_proba(X)
        proba = self._mc_outputs(X, mc_passes, random_state).mean(axis=0)
        return self._per_class(proba)

    def predict_log_proba(self, X):
        """Logarithm of the probability estimates.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The samples whose log-probabilities are estimated.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            ``log(predict_proba(X))``.
        """
        proba = self.predict_proba(X)
        with np.errstate(divide="ignore"):
            return np.log(proba, out=proba)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


document(RegularizedMLPClassifier, class_weight_note=" times the class weights")
