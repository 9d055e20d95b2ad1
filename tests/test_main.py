"""Tests of ``python -m skreg``, the report on the digits data."""

from __future__ import annotations

import subprocess
import sys

import pytest

from skreg.__main__ import CONFIGURATIONS, main

# Enough epochs for L1 to zero a visible share of the weights, few enough to
# keep the whole report around a second.
FAST_ARGS = ["--max-iter", "30"]


def _table_rows(output: str) -> dict[str, list[float]]:
    """Map each model label of the printed table to its four numbers."""
    lines = output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("model"))
    rows = {}
    for line in lines[header + 2 :]:
        if not line.strip():
            continue
        name, *numbers = line.rsplit(maxsplit=4)
        rows[name.strip()] = [float(x) for x in numbers]
    return rows


def test_main_prints_one_row_per_model(capsys):
    assert main(FAST_ARGS) == 0
    rows = _table_rows(capsys.readouterr().out)

    assert list(rows) == [name for name, _ in CONFIGURATIONS]
    for name, (accuracy, gap, zeros, seconds) in rows.items():
        assert 0.0 <= accuracy <= 1.0, name
        assert 0.8 < accuracy, name
        assert -1.0 <= gap <= 1.0, name
        assert 0.0 <= zeros <= 1.0, name
        assert seconds >= 0.0, name

    by_penalty = {params.get("penalty"): name for name, params in CONFIGURATIONS}
    l1_zeros = rows[by_penalty["l1"]][2]
    l2_zeros = rows[by_penalty["l2"]][2]
    assert l1_zeros > l2_zeros
    assert rows[by_penalty[None]][2] == 0.0


def test_main_is_reproducible(capsys):
    main(FAST_ARGS)
    first = _table_rows(capsys.readouterr().out)
    main(FAST_ARGS)
    second = _table_rows(capsys.readouterr().out)
    # Timings differ between runs; everything else is seeded.
    assert {k: v[:3] for k, v in first.items()} == {k: v[:3] for k, v in second.items()}


def test_help_exits_zero(capsys):
    with pytest.raises(SystemExit) as exc_info:
        main(["--help"])
    assert exc_info.value.code == 0
    assert "--max-iter" in capsys.readouterr().out


def test_invalid_max_iter_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc_info:
        main(["--max-iter", "0"])
    assert exc_info.value.code == 2
    assert "--max-iter" in capsys.readouterr().err


def test_python_dash_m_entry_point():
    completed = subprocess.run(
        [sys.executable, "-m", "skreg", "--max-iter", "5"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert len(_table_rows(completed.stdout)) == len(CONFIGURATIONS)
