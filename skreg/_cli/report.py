"""Show the results: the plain-text table and the optional bar chart.

matplotlib stays an optional dependency: it is imported only to check a
``--plot`` path and to draw the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .errors import UsageError
from .models import Result


def format_table(results: Sequence[Result], score_header: str = "test acc") -> str:
    """Render the results as a plain-text table with aligned columns.

    Parameters
    ----------
    results : sequence of Result
    score_header : str, default="test acc"
        Heading of the test-score column.

    Returns
    -------
    table : str
        A header, a rule and one line per result, without a final newline.
        Columns are separated by at least two spaces; a test score with a
        standard deviation reads ``mean ± std``.
    """
    headers = ("model", score_header, "train-test gap", "zero weights", "fit (s)")
    rows = [
        (
            r.name,
            f"{r.test_score:.4f}"
            if r.test_score_std is None
            else f"{r.test_score:.4f} ± {r.test_score_std:.4f}",
            f"{r.train_test_gap:+.4f}",
            f"{r.zero_fraction:.3f}",
            f"{r.fit_seconds:.2f}",
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in (headers, *rows)) for i in range(5)]

    def line(cells: Sequence[str]) -> str:
        # Right-aligned numbers with fixed decimals line up their points.
        first = cells[0].ljust(widths[0])
        rest = (
            cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)
        )
        return "  ".join((first, *rest))

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def check_plot_path(path: str) -> None:
    """Fail before any training if ``--plot`` cannot be written."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
    except ImportError:
        raise UsageError(
            "--plot needs matplotlib, which is not installed: "
            "pip install matplotlib (or leave out --plot)"
        ) from None
    target = Path(path)
    formats = FigureCanvasAgg.get_supported_filetypes()
    suffix = target.suffix.lower().lstrip(".")
    if suffix not in formats:
        raise UsageError(
            f"--plot: cannot tell the image format of {path!r}; end the name "
            f"with one of {', '.join('.' + f for f in sorted(formats))}"
        )
    if not target.parent.is_dir():
        raise UsageError(f"--plot: no such directory: {target.parent}")


def plot_results(
    results: Sequence[Result], path: str | Path, *, score_label: str, title: str
) -> None:
    """Draw the comparison as three panels of horizontal bars and save it.

    Needs matplotlib, imported here so that it stays an optional dependency.
    The figure is drawn on an Agg canvas of its own: no display is needed and
    the global pyplot state is left alone.

    Parameters
    ----------
    results : sequence of Result
    path : str or Path
        Output file; the format follows its extension.
    score_label : str
        Axis label of the test-score panel.
    title : str
        Title of the figure.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    names = [r.name for r in results]
    positions = np.arange(len(results))
    errors = [r.test_score_std for r in results]
    figure = Figure(figsize=(13, 1.2 + 0.45 * len(results)), layout="constrained")
    FigureCanvasAgg(figure)
    score_ax, gap_ax, zero_ax = figure.subplots(1, 3, sharey=True)
    panels = (
        (score_ax, [r.test_score for r in results], score_label, "C0"),
        (gap_ax, [r.train_test_gap for r in results], "train - test gap", "C1"),
        (zero_ax, [r.zero_fraction for r in results], "fraction of zero weights", "C2"),
    )
    for ax, values, label, color in panels:
        xerr = None
        if ax is score_ax and all(error is not None for error in errors):
            xerr = errors
        bars = ax.barh(positions, values, xerr=xerr, color=color, capsize=3)
        ax.bar_label(bars, fmt="%.3f", padding=3, fontsize=8)
        ax.axvline(0.0, color="black", linewidth=0.8)
        ax.set_xlabel(label)
        ax.margins(x=0.2)
    zero_ax.set_xlim(0.0, 1.15)
    score_ax.set_yticks(positions, names)
    # The first configuration on top, as in the table.
    score_ax.invert_yaxis()
    figure.suptitle(title)
    try:
        figure.savefig(path, dpi=100)
    except OSError as error:
        raise UsageError(f"--plot: cannot write {path}: {error.strerror}") from None
