"""One accessible plotting style for the whole course.

Every plot has a title, axis labels with units, the Okabe-Ito colour-blind-safe palette, distinct
line styles (so lines differ without colour too), a citation line under the axes, and a one-line
text description printed for screen readers and for anyone reading the notebook as text.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib

# Autograding and tests run headless; Jupyter's inline backend overrides this when a front end exists.
if matplotlib.get_backend().lower() not in {"module://matplotlib_inline.backend_inline", "inline"}:
    matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

# Okabe & Ito (2008), "Color Universal Design": distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
LINE_STYLES = ["-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1)), (0, (1, 1)), (0, (5, 5))]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]

STYLE = {
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titlesize": 13,
    "axes.labelsize": 11,
    "figure.figsize": (8, 4.5),
    "figure.dpi": 100,
    "legend.frameon": False,
}


def use_course_style() -> None:
    """Apply the course style to every later matplotlib figure."""
    plt.rcParams.update(STYLE)


def _finish(fig, ax, *, title: str, xlabel: str, ylabel: str, source: str, description: str):
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if ax.get_legend_handles_labels()[0]:
        ax.legend()
    fig.text(0.01, 0.005, source, fontsize=8, color="#444444", ha="left", va="bottom", wrap=True)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    # The description is the plot's text alternative; printing it keeps it next to the figure.
    print(f"Figure: {description}")
    return fig


def _citation(source: str | None) -> str:
    if not source:
        raise ValueError("Every course plot needs a source line: pass source=course.data.cite(name).")
    return source


def line(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    hue: str | None = None,
    title: str,
    xlabel: str,
    ylabel: str,
    source: str,
    description: str,
    logy: bool = False,
    ax=None,
):
    """Line chart of ``y`` against ``x``, one line per value of ``hue`` (long/tidy data)."""
    use_course_style()
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots()
    groups = [(None, frame)] if hue is None else list(frame.groupby(hue, sort=True))
    for i, (label, part) in enumerate(groups):
        part = part.sort_values(x)
        ax.plot(
            part[x],
            part[y],
            label=None if label is None else str(label),
            color=PALETTE[i % len(PALETTE)],
            linestyle=LINE_STYLES[i % len(LINE_STYLES)],
            linewidth=2,
        )
    if logy:
        ax.set_yscale("log")
    return _finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=_citation(source), description=description)


def bar(
    labels: Sequence,
    values: Sequence[float],
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    source: str,
    description: str,
    horizontal: bool = True,
    highlight: Sequence = (),
    ax=None,
):
    """Bar chart; ``highlight`` names bars drawn in the accent colour (e.g. Japan)."""
    use_course_style()
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots()
    labels = [str(v) for v in labels]
    colours = [PALETTE[1] if label in {str(h) for h in highlight} else PALETTE[0] for label in labels]
    if horizontal:
        ax.barh(labels, list(values), color=colours)
        ax.invert_yaxis()  # first label on top, as in a ranked table
        ax.grid(axis="y", visible=False)
    else:
        ax.bar(labels, list(values), color=colours)
        ax.grid(axis="x", visible=False)
    return _finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=_citation(source), description=description)


def show(fig) -> None:
    """Display a figure once and release its memory (keeps long notebooks light)."""
    try:
        from IPython.display import display

        display(fig)
    finally:
        plt.close(fig)
