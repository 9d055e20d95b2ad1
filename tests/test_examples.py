"""Every gallery example runs as a plain script and draws at least one figure.

The documentation build runs the examples too (see ``test_docs.py``); running
them here as well keeps a broken example from hiding behind a docs-only
failure, and checks the sphinx-gallery format that the build relies on.
"""

from __future__ import annotations

import ast
import runpy
from pathlib import Path

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("plot_*.py"))

# Examples that take more than about 20 s on a loaded 2-core machine; they
# still run by default (deselect them with -m "not slow").
SLOW = {"plot_regularization_path.py", "plot_vs_sklearn.py"}


def _params():
    return [
        pytest.param(path, id=path.stem, marks=[pytest.mark.slow])
        if path.name in SLOW
        else pytest.param(path, id=path.stem)
        for path in EXAMPLES
    ]


def test_examples_are_found():
    assert EXAMPLES, f"no examples/plot_*.py under {EXAMPLES_DIR}"
    for name in SLOW:
        assert (EXAMPLES_DIR / name).exists(), f"SLOW lists a missing example {name}"


def _title(path: Path) -> str:
    """The title of a sphinx-gallery example: its docstring's first heading."""
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert docstring, f"{path.name} has no module docstring"
    lines = [""] + [line.rstrip() for line in docstring.splitlines()]
    for above, line, below in zip(lines, lines[1:], lines[2:], strict=False):
        if line and set(below) == {"="} and len(below) >= len(line):
            if not above or set(above) == {"="}:
                return line.strip()
    raise AssertionError(f"{path.name}'s docstring has no '====' title")


@pytest.mark.parametrize("path", _params())
@pytest.mark.filterwarnings("ignore:FigureCanvasAgg is non-interactive")
def test_example_runs_and_draws_figures(path, tmp_path, monkeypatch):
    assert _title(path)
    assert "# %%" in path.read_text(encoding="utf-8"), "no '# %%' cells"

    # Anything an example writes lands in tmp_path, not in the repository.
    monkeypatch.chdir(tmp_path)
    plt.close("all")
    try:
        runpy.run_path(str(path), run_name="__main__")
        numbers = plt.get_fignums()
        assert numbers, f"{path.name} created no matplotlib figure"
        for number in numbers:
            png = tmp_path / f"{path.stem}_{number}.png"
            plt.figure(number).savefig(png)
            assert png.stat().st_size > 1000, f"{png.name} is (nearly) empty"
    finally:
        plt.close("all")
