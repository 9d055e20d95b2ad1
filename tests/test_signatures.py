"""The four estimators' explicit signatures stay in step.

scikit-learn's ``get_params`` needs every parameter in each ``__init__``
signature, so the signatures are the one thing written out four times. These
tests make that safe: the classifier and the regressor share every common
parameter with the same default and order; each CV estimator has its plain
estimator's parameters but those the search sets, and the search's own at
the end; and every parameter is validated and documented.
"""

import inspect

import pytest

from skreg import (
    RegularizedMLPClassifier,
    RegularizedMLPClassifierCV,
    RegularizedMLPRegressor,
    RegularizedMLPRegressorCV,
)
from skreg._cv import SEARCHED
from skreg._cv_docstring import CV_PARAMETERS
from skreg._docstrings import PARAMETERS

PAIRS = [
    (RegularizedMLPClassifier, RegularizedMLPClassifierCV),
    (RegularizedMLPRegressor, RegularizedMLPRegressorCV),
]
# The defaults a CV estimator changes, with the reason in its docstring.
CV_DEFAULTS = {"max_iter": "auto", "n_iter_no_change": "auto"}
CV_OWN = {
    "param_grid": None,
    "n_candidates": None,
    "factor": 3,
    "tie_tolerance": 1e-3,
    "cv": 3,
    "n_jobs": None,
}


def _defaults(Estimator) -> dict:
    return {
        name: p.default for name, p in inspect.signature(Estimator).parameters.items()
    }


def test_classifier_and_regressor_share_their_common_parameters():
    classifier = _defaults(RegularizedMLPClassifier)
    regressor = _defaults(RegularizedMLPRegressor)
    common = [name for name in classifier if name in regressor]
    assert set(classifier) - set(common) == {"class_weight", "label_smoothing"}
    assert set(regressor) - set(common) == {"loss"}
    assert common == [name for name in regressor if name in classifier]
    assert {n: classifier[n] for n in common} == {n: regressor[n] for n in common}


@pytest.mark.parametrize("Plain, CV", PAIRS, ids=lambda c: c.__name__)
def test_cv_signature_follows_the_plain_one(Plain, CV):
    plain, cv = _defaults(Plain), _defaults(CV)
    expected = []
    for name, default in plain.items():
        if name not in SEARCHED:
            expected.append((name, CV_DEFAULTS.get(name, default)))
    expected += list(CV_OWN.items())
    assert list(cv.items()) == expected
    # keyword-only from the same place on
    kinds = {n: p.kind for n, p in inspect.signature(CV).parameters.items()}
    plain_kinds = {n: p.kind for n, p in inspect.signature(Plain).parameters.items()}
    assert all(kinds[n] == k for n, k in plain_kinds.items() if n not in SEARCHED)


@pytest.mark.parametrize(
    "Estimator",
    [Estimator for pair in PAIRS for Estimator in pair],
    ids=lambda c: c.__name__,
)
def test_every_parameter_is_validated_and_documented(Estimator):
    names = set(_defaults(Estimator))
    assert set(Estimator._parameter_constraints) == names
    entries = {**PARAMETERS, **CV_PARAMETERS} if "param_grid" in names else PARAMETERS
    for name in names:
        assert entries[name].lstrip().startswith(f"{name} : ")
        assert f"\n    {name} : " in Estimator.__doc__
    # documented in the order of the signature
    positions = [Estimator.__doc__.index(f"\n    {name} : ") for name in names]
    order = [Estimator.__doc__.index(f"\n    {n} : ") for n in _defaults(Estimator)]
    assert order == sorted(order) and sorted(positions) == sorted(order)


def test_init_stores_the_arguments_unchanged():
    marker = object()
    for Estimator in (c for pair in PAIRS for c in pair):
        estimator = Estimator(random_state=marker)
        assert estimator.get_params()["random_state"] is marker
