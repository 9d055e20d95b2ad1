"""Docstring fragments shared by the two estimators (one text, two classes)."""

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

NETWORK_PARAMETERS = """\
    hidden_layer_sizes : array-like of shape (n_layers - 2,), default=(100,)
        The ith element is the number of units in the ith hidden layer. An
        empty tuple gives a linear model.

    activation : {'identity', 'logistic', 'tanh', 'relu'}, default='relu'
        Activation function of the hidden layers.

    solver : {'lbfgs', 'sgd', 'adam'}, default='adam'
        ``'lbfgs'``: full-batch quasi-Newton (exact L1 through bound
        constraints, no dropout); ``'sgd'``: proximal stochastic gradient
        descent with momentum; ``'adam'``: proximal Adam.

    alpha : float, default=0.0001
        Strength of the penalty (see the objective above).

    batch_size : int or 'auto', default='auto'
        Size of the minibatches of the stochastic solvers;
        ``'auto'`` is ``min(200, n_samples)``. Ignored by ``'lbfgs'``.

    learning_rate : {'constant', 'invscaling', 'adaptive'}, default='constant'
        Learning-rate schedule of ``solver='sgd'``: constant; divided by
        ``(t + 1) ** power_t`` with ``t`` the number of samples seen; or
        divided by 5 each time training stalls for ``n_iter_no_change``
        epochs.

    learning_rate_init : float, default=0.001
        Initial step size of ``'sgd'`` and ``'adam'``.

    power_t : float, default=0.5
        Exponent of the ``'invscaling'`` schedule.

    max_iter : int, default=200
        Maximum number of epochs (stochastic solvers) or iterations (lbfgs).

    shuffle : bool, default=True
        Shuffle the samples at every epoch (stochastic solvers).

    random_state : int, RandomState instance or None, default=None
        Seed of the initial weights, the shuffling, the dropout masks and the
        early-stopping split. The initial weights depend only on this seed and
        the layer sizes. Pass an int for reproducible results.

    tol : float, default=1e-4
        Tolerance of the stopping rules: training stops when the loss (or the
        validation score) has not improved by ``tol`` for
        ``n_iter_no_change`` epochs; for ``'lbfgs'``, the largest entry of the
        projected gradient.

    verbose : bool, default=False
        Print one line per epoch (per iteration for ``'lbfgs'``): objective,
        validation score with early stopping, fraction of zero weights and
        elapsed time.

    warm_start : bool, default=False
        Start ``fit`` from the previous solution.

    momentum : float, default=0.9
        Momentum of ``solver='sgd'``, in [0, 1].

    nesterovs_momentum : bool, default=True
        Use Nesterov's momentum with ``solver='sgd'``.

    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data (stratified for the
        classifier, with its sample weights), stop when the validation score
        stalls, and restore the best weights. The validation score is measured
        without dropout. Stochastic solvers only.

    validation_fraction : float, default=0.1
        Fraction of the training data held out for early stopping.

    beta_1 : float, default=0.9
        Decay of Adam's first-moment estimate, in [0, 1).

    beta_2 : float, default=0.999
        Decay of Adam's second-moment estimate, in [0, 1).

    epsilon : float, default=1e-8
        Adam's numerical-stability constant.

    n_iter_no_change : int, default=10
        Number of epochs without an improvement of ``tol`` before stopping.

    max_fun : int, default=15000
        Maximum number of objective evaluations of ``'lbfgs'``.

    penalty : {'l1', 'l2', 'elasticnet', 'group'} or None, default='l2'
        Penalty on the weights; ``None`` for none. ``'group'`` is the group
        lasso :class:`skreg.penalties.GroupLasso` on the outgoing weights of
        each input feature and each hidden unit, which removes whole features
        and whole units (sgd and adam only).

    l1_ratio : float, default=0.5
        The elastic-net mixing parameter ``rho`` in [0, 1], used with
        ``penalty='elasticnet'``.

    dropout : float or sequence of float, default=0.0
        Probability of dropping each hidden unit during training: one rate for
        every hidden layer, or one per hidden layer; each in [0, 1). Requires
        ``solver='sgd'`` or ``'adam'`` when positive.

    input_dropout : float, default=0.0
        Probability of dropping each input feature during training, in [0, 1)
        (inverted, like ``dropout``). Srivastava et al. (2014) recommend about
        0.2 for the inputs with 0.5 for the hidden units and ``max_norm``.

    max_norm : float or None, default=None
        If set, after every update each hidden unit's incoming weight vector
        is projected onto the ball of this radius (sgd and adam only).
"""

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
        Validation score after each epoch with early stopping, else None.

    best_validation_score_ : float or None
        The best validation score with early stopping, else None.

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
