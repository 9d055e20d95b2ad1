"""The test session's own settings hold (see conftest.py)."""

from threadpoolctl import threadpool_info


def test_blas_is_limited_to_one_thread():
    """The limit in conftest.py really applies (it silently does nothing if
    set before the BLAS libraries are loaded)."""
    blas = [info for info in threadpool_info() if info["user_api"] == "blas"]
    assert blas and all(info["num_threads"] == 1 for info in blas)
