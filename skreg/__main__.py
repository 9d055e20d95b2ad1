"""``python -m skreg``: compare the regularizers on a data set.

With no arguments, trains :class:`~skreg.RegularizedMLPClassifier` on
scikit-learn's digits data (8x8 images of handwritten digits, 10 classes) with
no penalty, L2, L1, the elastic net and dropout, and prints one table row per
model: test accuracy, train-test accuracy gap, fraction of weights that are
exactly zero, and fit time.

With ``--data FILE.csv --target COLUMN`` it compares the same five models on
the user's own table by k-fold cross-validation: a classifier or a regressor
(``--task``, inferred from the target column by default), with numeric feature
columns standardized and the others one-hot encoded, inside a ``Pipeline`` so
that every fold learns its own preprocessing. ``--plot FILE.png`` draws the
comparison as a chart (this needs matplotlib, which skreg does not depend
on otherwise).

Everything is seeded, so two runs print the same numbers (up to the timings).
Progress goes to stderr, one line per model or per fold (``--quiet`` silences
it); the table goes to stdout. The code lives in :mod:`skreg._cli`.
"""

from ._cli.main import main

__all__ = ["main"]

if __name__ == "__main__":
    raise SystemExit(main())
