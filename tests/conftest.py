"""Test-session settings.

The suite runs in parallel workers (pytest -n 2 on two cores); multithreaded
BLAS in each worker would oversubscribe the cores, and OpenBLAS's spinning
threads then slow small products by orders of magnitude. One BLAS thread per
worker keeps the run fast and its timings stable. threadpoolctl limits the
libraries already loaded, so NumPy's and SciPy's BLAS are loaded first.
"""

import numpy  # noqa: F401  (loads NumPy's BLAS)
import scipy.linalg  # noqa: F401  (loads SciPy's BLAS)
from threadpoolctl import threadpool_limits

_BLAS_LIMIT = threadpool_limits(limits=1, user_api="blas")
