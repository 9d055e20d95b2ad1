"""Show the results: the plain-text table and the optional chart.

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
    """Draw the comparison (see :func:`results_figure`) and save it.

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
    figure = results_figure(results, score_label=score_label, title=title)
    try:
        figure.savefig(path, dpi=100)
    except OSError as error:
        raise UsageError(f"--plot: cannot write {path}: {error.strerror}") from None


def results_figure(results: Sequence[Result], *, score_label: str, title: str):
    """The comparison as three panels: test score, train-test gap, zero weights.

    The scores of the configurations are often close (0.973 against 0.982),
    so their panel shows points with their fold spread on an axis zoomed to
    the scores' range; bars from 0 would make them look the same. The gap
    and the zero fraction are bars from 0. Needs matplotlib, imported here so
    that it stays an optional dependency. The figure is drawn on an Agg
    canvas of its own: no display is needed and the global pyplot state is
    left alone.

    Returns
    -------
    figure : matplotlib.figure.Figure
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    names = [r.name for r in results]
    positions = np.arange(len(results))
    figure = Figure(figsize=(13, 1.2 + 0.45 * len(results)), layout="constrained")
    FigureCanvasAgg(figure)
    score_ax, gap_ax, zero_ax = figure.subplots(1, 3, sharey=True)

    scores = np.array([r.test_score for r in results], dtype=float)
    spreads = np.array(
        [0.0 if r.test_score_std is None else r.test_score_std for r in results]
    )
    score_ax.errorbar(scores, positions, xerr=spreads, fmt="o", color="C0", capsize=3)
    for score, spread, position in zip(scores, spreads, positions, strict=True):
        score_ax.annotate(
            f"{score:.3f}",
            (score + spread, position),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    score_ax.set_xlim(*score_limits(scores, spreads))
    score_ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    score_ax.grid(axis="x", alpha=0.3)
    score_ax.set_xlabel(score_label)

    bar_panels = (
        (gap_ax, [r.train_test_gap for r in results], "train - test gap", "C1"),
        (zero_ax, [r.zero_fraction for r in results], "fraction of zero weights", "C2"),
    )
    for ax, values, label, color in bar_panels:
        bars = ax.barh(positions, values, color=color)
        ax.bar_label(bars, fmt="%.3f", padding=3, fontsize=8)
        ax.axvline(0.0, color="black", linewidth=0.8)
        ax.set_xlabel(label)
        ax.margins(x=0.2)
    zero_ax.set_xlim(0.0, 1.15)
    score_ax.set_yticks(positions, names)
    # The first configuration on top, as in the table.
    score_ax.invert_yaxis()
    figure.suptitle(title)
    return figure


def score_limits(scores: np.ndarray, spreads: np.ndarray) -> tuple[float, float]:
    """Axis limits around the scores and their spreads, with room for labels.

    At least 0.01 wide, so that equal scores still get an axis.
    """
    low = float(np.min(scores - spreads))
    high = float(np.max(scores + spreads))
    width = max(high - low, 0.01)
    # The right margin is wider: the value labels sit right of the points.
    return low - 0.15 * width, high + 0.35 * width
