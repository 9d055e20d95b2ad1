"""The docstrings of the four estimators, from one table of entries.

Each parameter is described once, in :data:`PARAMETERS` (the CV estimators'
own and changed entries in :data:`skreg._cv_docstring.CV_PARAMETERS`);
:func:`document` fills a class docstring's ``{parameters}`` from the class's
own signature, so a parameter cannot be documented out of order or
forgotten.
"""

from __future__ import annotations

import inspect

from .penalties import PENALTIES

__all__ = ["PARAMETERS", "document"]

_PENALTY_NAMES = "{" + ", ".join(f"'{name}'" for name in PENALTIES) + "}"
_PENALTY_CLASSES = ", ".join(
    f"``'{name}'``: :class:`~skreg.penalties.{cls.__name__}`"
    for name, cls in PENALTIES.items()
)

OBJECTIVE = """\
    The model minimizes, over the weights ``W`` (all of ``coefs_``) and the
    biases ``b`` (``intercepts_``, never penalized),

    .. code-block:: text

        J(W, b) = sum_i s_i * loss(y_i, f(x_i)) / sum_i s_i
                  + alpha * (rho * sum|W| + (1 - rho) / 2 * sum W**2)

    where ``s_i`` are the sample weights{class_weight_note} and ``rho`` is 1 for
    ``penalty="l1"``, 0 for ``"l2"`` and ``l1_ratio`` for ``"elasticnet"``.
    Unlike scikit-learn's MLP, ``alpha`` is not divided by the number of
    samples in a batch: it means the same thing for every solver and batch
    size (full-batch equivalence: ``alpha = alpha_sklearn / n_samples``).

    The L1 part is applied by a proximal step (soft-thresholding) with
    ``"sgd"`` and ``"adam"`` (in Adam's diagonal metric), and exactly through
    bound constraints on ``W = W+ - W-`` with ``"lbfgs"``: weights the
    solution sets to zero are exactly ``0.0``.

    Dropout is inverted: during training each hidden unit is dropped with
    probability ``p`` and the kept units are scaled by ``1 / (1 - p)``, so
    prediction is deterministic and uses the whole network.
"""

#: One entry per parameter of the plain estimators.
PARAMETERS: dict[str, str] = {
    "hidden_layer_sizes": """\
    hidden_layer_sizes : array-like of shape (n_layers - 2,), default=(100,)
        The ith element is the number of units in the ith hidden layer. An
        empty tuple gives a linear model.""",
    "activation": """\
    activation : {'identity', 'logistic', 'tanh', 'relu'}, default='relu'
        Activation function of the hidden layers.""",
    "solver": """\
    solver : {'lbfgs', 'sgd', 'adam'}, default='adam'
        ``'lbfgs'``: full-batch quasi-Newton (exact L1 through bound
        constraints, no dropout); ``'sgd'``: proximal stochastic gradient
        descent with momentum; ``'adam'``: proximal Adam.""",
    "alpha": """\
    alpha : float, default=0.0001
        Strength of the penalty (see the objective above).""",
    "batch_size": """\
    batch_size : int or 'auto', default='auto'
        Size of the minibatches of the stochastic solvers;
        ``'auto'`` is ``min(200, n_samples)``. Ignored by ``'lbfgs'``.""",
    "learning_rate": """\
    learning_rate : {'constant', 'invscaling', 'adaptive', 'cosine'}, \
default='constant'
        Learning-rate schedule. ``'constant'``, ``'invscaling'`` (divided by
        ``(t + 1) ** power_t`` with ``t`` the number of samples seen) and
        ``'adaptive'`` (divided by 5 each time training stalls for
        ``n_iter_no_change`` epochs) are scikit-learn's, for ``solver='sgd'``
        (``'adam'`` keeps ``learning_rate_init``, as in scikit-learn).
        ``'cosine'`` (sgd and adam) anneals the rate at every step, after an
        optional linear warmup of ``warmup_epochs``, from
        ``learning_rate_init`` towards 0 along half a cosine over
        ``max_iter`` epochs (Loshchilov & Hutter, 2017); early stopping ends
        it where it is. With ``partial_fit`` the horizon is ``max_iter``
        calls of the first call's size; after it the rate is 0 and further
        calls leave the parameters unchanged.""",
    "learning_rate_init": """\
    learning_rate_init : float, default=0.001
        Initial step size of ``'sgd'`` and ``'adam'``.""",
    "power_t": """\
    power_t : float, default=0.5
        Exponent of the ``'invscaling'`` schedule.""",
    "max_iter": """\
    max_iter : int, default=200
        Maximum number of epochs (stochastic solvers) or iterations (lbfgs).""",
    "shuffle": """\
    shuffle : bool, default=True
        Shuffle the samples at every epoch (stochastic solvers).""",
    "random_state": """\
    random_state : int, RandomState instance or None, default=None
        Seed of the initial weights, the shuffling, the dropout masks and the
        early-stopping split. The initial weights depend only on this seed and
        the layer sizes. Pass an int for reproducible results.""",
    "tol": """\
    tol : float, default=1e-4
        Tolerance of the stopping rules: training stops when the loss (or the
        validation score) has not improved by ``tol`` for
        ``n_iter_no_change`` epochs; for ``'lbfgs'``, the largest entry of the
        projected gradient.""",
    "verbose": """\
    verbose : bool, default=False
        Print one line per epoch (per iteration for ``'lbfgs'``): objective,
        validation score with early stopping, fraction of zero weights and
        elapsed time.""",
    "warm_start": """\
    warm_start : bool, default=False
        Start ``fit`` from the previous solution.""",
    "momentum": """\
    momentum : float, default=0.9
        Momentum of ``solver='sgd'``, in [0, 1].""",
    "nesterovs_momentum": """\
    nesterovs_momentum : bool, default=True
        Use Nesterov's momentum with ``solver='sgd'``.""",
    "early_stopping": """\
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data (stratified for the
        classifier, with its sample weights), stop when the validation score
        stalls, and restore the best weights. The validation score is measured
        without dropout. Stochastic solvers only.""",
    "validation_fraction": """\
    validation_fraction : float, default=0.1
        Fraction of the training data held out for early stopping.""",
    "validation_interval": """\
    validation_interval : int, default=1
        Epochs between two measurements of the validation set in early
        stopping (as Keras's ``validation_freq``), and after the last epoch
        when ``max_iter`` ends training. ``n_iter_no_change`` still counts
        epochs; a measurement improves if it beats the best one by ``tol``.
        On a small table, whose epochs are a few optimizer steps, measuring
        every few epochs saves most of the validation passes' time.""",
    "beta_1": """\
    beta_1 : float, default=0.9
        Decay of Adam's first-moment estimate, in [0, 1).""",
    "beta_2": """\
    beta_2 : float, default=0.999
        Decay of Adam's second-moment estimate, in [0, 1).""",
    "epsilon": """\
    epsilon : float, default=1e-8
        Adam's numerical-stability constant.""",
    "n_iter_no_change": """\
    n_iter_no_change : int, default=10
        Number of epochs without an improvement of ``tol`` before stopping.""",
    "max_fun": """\
    max_fun : int, default=15000
        Maximum number of objective evaluations of ``'lbfgs'``.""",
    "penalty": """\
    penalty : {names}, Penalty or None, default='l2'
        Penalty on the weights: a name ({classes}), built from ``alpha`` and
        ``l1_ratio``; ``None`` for none; or an instance of a subclass of
        :class:`skreg.penalties.Penalty`, built in or your own (see "Add your
        own penalty" in the user guide), used as it is: ``alpha`` and
        ``l1_ratio`` then do not apply. ``'group'`` penalizes the outgoing
        weights of each input feature and each hidden unit as a group, which
        removes whole features and whole units (sgd and adam only).""",
    "l1_ratio": """\
    l1_ratio : float, default=0.5
        The elastic-net mixing parameter ``rho`` in [0, 1], used with
        ``penalty='elasticnet'``.""",
    "dropout": """\
    dropout : float or sequence of float, default=0.0
        Probability of dropping each hidden unit during training: one rate for
        every hidden layer, or one per hidden layer; each in [0, 1). Requires
        ``solver='sgd'`` or ``'adam'`` when positive.""",
    "input_dropout": """\
    input_dropout : float, default=0.0
        Probability of dropping each input feature during training, in [0, 1)
        (inverted, like ``dropout``). Srivastava et al. (2014) recommend about
        0.2 for the inputs with 0.5 for the hidden units and ``max_norm``.""",
    "max_norm": """\
    max_norm : float or None, default=None
        If set, after every update each hidden unit's incoming weight vector
        is projected onto the ball of this radius (sgd and adam only).""",
    "weight_decay": """\
    weight_decay : float, default=0.0
        Decoupled weight decay (sgd and adam; Loshchilov & Hutter, 2019):
        every step first multiplies the weights (not the biases) by
        ``1 - lr * weight_decay``, ``lr`` the step's learning rate, then adds
        the optimizer's step from the gradient at the old weights (AdamW
        and SGDW; PyTorch's order), then the proximal step. A training rule,
        not a term of J: for plain SGD without momentum it is the same update
        as ``penalty='l2'`` with ``alpha=weight_decay``; with Adam it is not.""",
    "average": """\
    average : bool or int, default=False
        Polyak averaging of the iterates (sgd and adam), as
        ``SGDClassifier.average``: ``True`` averages the parameters after
        every step, an int ``k`` once ``k`` samples have been seen. The
        fitted ``coefs_``, ``intercepts_``, predictions and early-stopping
        scores are those of the average; a weight that is exactly zero in
        every averaged iterate is exactly zero in the average.""",
    "scoring": """\
    scoring : str, callable or None, default=None
        What early stopping follows on the validation set, higher is better:
        ``None`` for the estimator's ``score`` (accuracy, R^2; as in
        scikit-learn's MLP), ``'loss'`` for minus the validation loss (J
        without its penalty, on the validation set), or a scorer name or
        callable ``scorer(estimator, X, y)``. The validation loss is recorded
        in ``validation_loss_curve_`` whatever the scoring.""",
    "warmup_epochs": """\
    warmup_epochs : float, default=0.0
        Epochs of linear warmup of ``learning_rate='cosine'``: the rate rises
        from ``learning_rate_init / n_warmup_steps`` to ``learning_rate_init``
        over that many epochs' steps, then anneals.""",
    "class_weight": """\
    class_weight : dict, 'balanced' or None, default=None
        Weights of the classes, multiplied into the sample weights: a dict
        ``{label: weight}``, or ``'balanced'`` for
        ``n_samples / (n_classes * np.bincount(y))``. Not available for
        multilabel targets; only a dict with ``partial_fit``. A class that a
        dict leaves out gets weight 1 (as in scikit-learn).""",
    "label_smoothing": """\
    label_smoothing : float in [0, 1), default=0.0
        Label smoothing ``eps`` (Szegedy et al., 2016): the cross-entropy is
        taken against the targets ``(1 - eps) * y + eps / K``, ``K`` the number
        of classes of a softmax and 2 for each logistic unit (binary and
        multilabel targets). Part of J and of ``loss_``; ``predict_proba``
        keeps its meaning.""",
    "loss": """\
    loss : {'squared_error', 'poisson'}, default='squared_error'
        The loss: ``0.5 * mean_k (y_k - f_k)**2`` or
        ``sum_k y_k log(y_k / f_k) - y_k + f_k`` with ``f = exp(z)``.""",
}
PARAMETERS["penalty"] = PARAMETERS["penalty"].format(
    names=_PENALTY_NAMES, classes=_PENALTY_CLASSES
)

FITTED_ATTRIBUTES = """\
    loss_ : float
        The objective J at the final parameters, on the training data and
        without dropout.

    best_loss_ : float or None
        The smallest entry of ``loss_curve_``; None with early stopping.

    loss_curve_ : list of float
        Entry i is the sample-weighted mean of the minibatch objectives seen
        during epoch i (stochastic solvers) or J after iteration i (lbfgs).

    validation_scores_ : list of float or None
        Validation score with early stopping (after every
        ``validation_interval``-th epoch, and the last at ``max_iter``),
        else None.

    best_validation_score_ : float or None
        The best validation score with early stopping, else None. Its
        epoch's parameters are the fitted ones (also when ``max_iter`` ends
        training first).

    validation_loss_curve_ : list of float or None
        The validation loss (J without its penalty, on the validation set,
        without dropout) with early stopping, else None; measured with
        ``validation_scores_``.

    t_ : int
        Number of training samples seen by the stochastic solvers.

    coefs_ : list of ndarray of shape (n_units_in, n_units_out)
        Weight matrices, one per layer.

    intercepts_ : list of ndarray of shape (n_units_out,)
        Bias vectors, one per layer.

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features seen during fit, when ``X`` has string column
        names.

    n_iter_ : int
        Number of epochs (iterations for lbfgs) run by the last fit.

    n_layers_ : int
        Number of layers, input and output included.

    n_outputs_ : int
        Number of output units.

    out_activation_ : str
        Name of the output activation.
"""


_CLASSES = """\
    classes_ : ndarray or list of ndarray of shape (n_classes,)
        Class labels."""


def document(
    cls: type,
    entries: dict[str, str] | None = None,
    attributes: str = "",
    class_weight_note: str = "",
) -> type:
    """Fill the placeholders of ``cls.__doc__``; return ``cls``.

    ``{sections}`` becomes the Parameters section, one entry per parameter of
    ``cls.__init__`` in its order, from ``entries`` (default
    :data:`PARAMETERS`), and the Attributes section: ``attributes`` (the
    estimator's own), the shared fitted attributes and, for a classifier,
    ``classes_``. ``{objective}`` becomes the objective, with
    ``class_weight_note`` after "sample weights". A placeholder stands
    indented like the text it is replaced by.
    """
    entries = PARAMETERS if entries is None else entries
    parameters = "\n\n".join(
        entries[name] for name in inspect.signature(cls).parameters
    )
    fitted = [attributes.strip(), FITTED_ATTRIBUTES.strip()]
    if "classes_" in cls._fitted_attributes:
        fitted.append(_CLASSES.strip())
    sections = (
        f"Parameters\n    ----------\n{parameters}\n\n"
        "    Attributes\n    ----------\n    " + "\n\n    ".join(filter(None, fitted))
    )
    objective = OBJECTIVE.format(class_weight_note=class_weight_note).strip()
    cls.__doc__ = cls.__doc__.format(sections=sections.strip(), objective=objective)
    return cls
