"""skreg: regularized multi-layer perceptrons for scikit-learn.

L1 (with exact zeros), L2, elastic net and dropout, in estimators that are
drop-in supersets of scikit-learn's ``MLPClassifier`` and ``MLPRegressor``.
"""

from ._classifier import RegularizedMLPClassifier
from ._collapse import RegularizationWarning
from ._cv import RegularizedMLPClassifierCV, RegularizedMLPRegressorCV
from ._regressor import RegularizedMLPRegressor

__version__ = "0.1.0"

__all__ = [
    "RegularizationWarning",
    "RegularizedMLPClassifier",
    "RegularizedMLPClassifierCV",
    "RegularizedMLPRegressor",
    "RegularizedMLPRegressorCV",
    "__version__",
]
