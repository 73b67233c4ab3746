"""One accessible plotting style for the whole course.

Every plot has a title, axis labels with units, the Okabe-Ito colour-blind-safe palette, distinct
line styles (so lines differ without colour too), a citation line under the axes, and a one-line
text description printed for screen readers and for anyone reading the notebook as text.
"""

from __future__ import annotations

import base64
import html
import io
import textwrap
from collections.abc import Sequence

import matplotlib

# Autograding and tests run headless; Jupyter's inline backend overrides this when a front end exists.
if matplotlib.get_backend().lower() not in {"module://matplotlib_inline.backend_inline", "inline"}:
    matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullFormatter  # noqa: E402

# Okabe & Ito (2008), "Color Universal Design": distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
LINE_STYLES = ["-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1)), (0, (1, 1)), (0, (5, 5))]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
# Citation line: 8-point text, about 4.6 points per character on average.
CITATION_FONT_SIZE = 8
CITATION_CHAR_POINTS = 4.6
# Height per bar of a horizontal bar chart, so each label stays readable.
INCHES_PER_BAR = 0.24

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


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"


def describe_axes(ax, *, title: str, xlabel: str, ylabel: str) -> str:
    """A text alternative generated from what the axes actually draw.

    It names the chart, its axes (and a log scale) and, for every line or set of bars, the span of x and
    the lowest and highest value drawn: it restates the figure, so it can never say more than the figure shows.
    """
    parts = [f"{title}."]
    # Data lines are drawn in data coordinates; reference lines (axvline, axhline) are not.
    lines = [line for line in ax.get_lines() if len(line.get_xdata()) > 1 and line.get_transform() == ax.transData]
    for line in lines[:8]:
        xs, ys = list(line.get_xdata()), pd.to_numeric(pd.Series(line.get_ydata()), errors="coerce")
        if ys.dropna().empty:
            continue
        label = line.get_label()
        label = "The line" if str(label).startswith("_") else label
        span = f"{_tick_text(xs[0])} to {_tick_text(xs[-1])}"
        parts.append(f"{label}: {span}, values from {_number(ys.min())} to {_number(ys.max())}.")
    # Bars are the patches of bar containers, not shading (axvspan) or legend patches.
    bars = [patch for container in ax.containers if isinstance(container, BarContainer) for patch in container.patches]
    if bars and not lines:
        horizontal = getattr(ax.containers[0], "orientation", "vertical") == "horizontal"
        sizes = [patch.get_width() if horizontal else patch.get_height() for patch in bars]
        parts.append(f"{len(bars)} bars, values from {_number(min(sizes))} to {_number(max(sizes))}.")
    # A log axis changes how every distance reads, so the text says so (the figure alone shows it).
    x_scale = " (log scale)" if ax.get_xscale() == "log" else ""
    y_scale = " (log scale)" if ax.get_yscale() == "log" else ""
    parts.append(f"x axis{x_scale}: {xlabel}; y axis{y_scale}: {ylabel}.")
    return " ".join(parts)


def _tick_text(value) -> str:
    if isinstance(value, (pd.Timestamp, np.datetime64)) or hasattr(value, "strftime"):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return str(int(number)) if number == int(number) else f"{number:g}"


def finish(fig, ax, *, title: str, xlabel: str, ylabel: str, source: str):
    """Give a chart drawn on the course style its title, labels, legend, citation line and text alternative.

    ``line`` and ``bar`` call it; a topic module drawing another kind of chart calls it too. The text
    alternative is generated from the drawn data (``describe_axes``), never written by hand, so it
    stays true and gives nothing away that the figure does not show. All text is drawn with
    ``parse_math=False``: a ``$`` in a title or citation must never be read as mathtext.
    """
    if not source:
        raise ValueError("Every course plot needs a source line: pass source=course.data.cite(name).")
    ax.set_title(title, parse_math=False)
    ax.set_xlabel(xlabel, parse_math=False)
    ax.set_ylabel(ylabel, parse_math=False)
    if ax.get_legend_handles_labels()[0]:
        legend = ax.legend()
        for text in legend.get_texts():
            text.set_parse_math(False)
    # Wrap the citation to the figure's width and keep room for every line, so a long one never
    # runs into the axis label above it.
    width_in, height_in = fig.get_size_inches()
    lines = textwrap.wrap(source, width=max(40, int(width_in * 72 / CITATION_CHAR_POINTS)))
    fig.text(0.01, 0.005, "\n".join(lines), fontsize=CITATION_FONT_SIZE, color="#444444", ha="left", va="bottom",
             parse_math=False)
    citation_height = (len(lines) * CITATION_FONT_SIZE * 1.3 + 6) / 72 / height_in
    fig.tight_layout(rect=(0, min(0.4, citation_height), 1, 1))
    fig._course_alt_text = describe_axes(ax, title=title, xlabel=xlabel, ylabel=ylabel)
    # Printed, the text alternative sits next to the figure for screen readers and text readers.
    print(f"Figure: {fig._course_alt_text}")
    return fig


def whole_number_ticks(axis) -> None:
    """Ticks on whole numbers only (years read 2003, never 2002.5)."""
    axis.set_major_locator(MaxNLocator(integer=True))


def _whole_numbers(values: pd.Series) -> bool:
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    return pd.api.types.is_numeric_dtype(values) and not numbers.empty and bool((numbers % 1 == 0).all())


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
    logy: bool = False,
    hue_order: Sequence | None = None,
    ax=None,
):
    """Line chart of ``y`` against ``x``, one line per value of ``hue`` (long/tidy data).

    Each line's colour and style follow its value's position among the values drawn, in sorted order.
    ``hue_order`` (say, every option an explorer offers) fixes that position instead, so a series keeps
    its colour and style whatever else is drawn beside it; values it does not list come after it.
    """
    use_course_style()
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots()
    if logy:
        # A log axis cannot show zero or negative values: leave them out, and say so.
        not_positive = pd.to_numeric(frame[y], errors="coerce") <= 0
        if not_positive.any():
            print(f"Note: {int(not_positive.sum())} value(s) of {y} at or below zero are not drawn on the log scale.")
            frame = frame[~not_positive]
    groups = [(None, frame)] if hue is None else list(frame.groupby(hue, sort=True))
    if hue is not None and hue_order is not None:
        position = {str(value): i for i, value in enumerate(hue_order)}
        for label, _part in groups:
            position.setdefault(str(label), len(position))
        groups.sort(key=lambda group: position[str(group[0])])
        # Past the 8 colours, shift the line style too, so no two of many options look the same.
        styles = [(position[str(label)], position[str(label)] // len(PALETTE)) for label, _part in groups]
    else:
        styles = [(i, 0) for i in range(len(groups))]
    for (label, part), (place, shift) in zip(groups, styles):
        part = part.sort_values(x)
        ax.plot(
            part[x],
            part[y],
            label=None if label is None else str(label),
            color=PALETTE[place % len(PALETTE)],
            linestyle=LINE_STYLES[(place + shift) % len(LINE_STYLES)],
            linewidth=2,
        )
    if logy:
        ax.set_yscale("log")
        # Plain tick labels ("10,000"): the default log labels are mathtext ($10^{4}$), which is
        # harder to read for newcomers and has failed to parse in fresh kernels.
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:,.0f}" if value >= 1 else f"{value:g}"))
        ax.yaxis.set_minor_formatter(NullFormatter())
    if _whole_numbers(frame[x]):
        whole_number_ticks(ax.xaxis)
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source)


def bar(
    labels: Sequence,
    values: Sequence[float],
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    source: str,
    horizontal: bool = True,
    highlight: Sequence = (),
    ax=None,
):
    """Bar chart; ``highlight`` names bars drawn in the accent colour (e.g. Japan).

    A horizontal chart of many bars gets a figure tall enough for one readable label per bar, and
    a zero line is drawn when some values are negative. A bar whose value is zero has no length to
    see, so it gets a short dark mark across its place on the zero line and its value, "0", beside it.
    """
    use_course_style()
    labels = [str(v) for v in labels]
    values = list(values)
    if ax is None:
        width, height = STYLE["figure.figsize"]
        if horizontal:
            height = max(height, 1.5 + INCHES_PER_BAR * len(labels))
        fig, ax = plt.subplots(figsize=(width, height))
    else:
        fig = ax.figure
    colours = [PALETTE[1] if label in {str(h) for h in highlight} else PALETTE[0] for label in labels]
    negative = bool((pd.to_numeric(pd.Series(values), errors="coerce") < 0).any())
    if horizontal:
        bars = ax.barh(labels, values, color=colours)
        ax.invert_yaxis()  # first label on top, as in a ranked table
        ax.grid(axis="y", visible=False)
        if negative:
            ax.axvline(0, color="#000000", linewidth=0.8)
    else:
        bars = ax.bar(labels, values, color=colours)
        ax.grid(axis="x", visible=False)
        if negative:
            ax.axhline(0, color="#000000", linewidth=0.8)
    _mark_zero_bars(ax, bars, values, horizontal=horizontal)
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source)


def _mark_zero_bars(ax, bars: BarContainer, values: Sequence[float], *, horizontal: bool) -> None:
    """Make bars of value zero visible: a dark mark across the bar's place and the label "0".

    The mark is a LineCollection (ax.vlines/hlines), not a Line2D, so ``describe_axes`` still reads
    the chart as bars; the label states the value the bar already has, nothing more.
    """
    numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce")
    for patch, number in zip(bars.patches, numbers):
        if number != 0:  # NaN is not zero: a missing value stays a gap
            continue
        if horizontal:
            low, high = patch.get_y(), patch.get_y() + patch.get_height()
            ax.vlines(0, low, high, colors="#000000", linewidth=2.5)
            label = ax.annotate("0", xy=(0, (low + high) / 2), xytext=(4, 0), textcoords="offset points",
                                ha="left", va="center", fontsize=9)
        else:
            low, high = patch.get_x(), patch.get_x() + patch.get_width()
            ax.hlines(0, low, high, colors="#000000", linewidth=2.5)
            label = ax.annotate("0", xy=((low + high) / 2, 0), xytext=(0, 3), textcoords="offset points",
                                ha="center", va="bottom", fontsize=9)
        label.set_parse_math(False)


def figure_bundle(fig) -> dict[str, str]:
    """The figure as a display bundle whose image carries its text alternative as alt text.

    JupyterLab and nbconvert both prefer text/html over image/png, and neither reads an alt text
    from image/png metadata (nbconvert writes a fixed "No description has been provided"), so the
    alt text travels in an ``<img alt=...>``; image/png and text/plain stay for other front ends.
    """
    alt = getattr(fig, "_course_alt_text", None)
    if not alt:  # a figure not finished by ``finish``: describe what its first axes draw
        ax = fig.axes[0] if fig.axes else None
        alt = (describe_axes(ax, title=ax.get_title() or "Figure", xlabel=ax.get_xlabel(), ylabel=ax.get_ylabel())
               if ax is not None else "Figure without axes.")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    png = base64.b64encode(buffer.getvalue()).decode("ascii")
    img = (f'<img src="data:image/png;base64,{png}" alt="{html.escape(alt, quote=True)}" '
           f'style="max-width: 100%; height: auto;">')
    return {"text/html": img, "image/png": png, "text/plain": f"Figure: {alt}"}


def show(fig) -> None:
    """Display a figure once, with its text alternative as the image's alt text, and release its memory."""
    try:
        from IPython import get_ipython
        from IPython.display import display

        # Outside a kernel (plain Python, tests) there is nothing to render on; finish() already
        # printed the text alternative.
        if get_ipython() is not None:
            display(figure_bundle(fig), raw=True)
    finally:
        plt.close(fig)
