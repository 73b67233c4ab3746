"""Interactive explorers for the notebooks, with a static fallback.

In JupyterLab an explorer shows ipywidgets controls and redraws when a control moves. When no front
end can drive widgets (nbgrader autograde/validate, or ``COURSE_STATIC_WIDGETS=1``) it draws once with
the default values and says so. This keeps autograding from stalling on widget messages, a known
nbclient problem (docs/toolchain.md: nbclient#312, nbconvert#2029), and keeps the notebook readable as
static output.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from . import plots

STATIC_NOTE = "Static view with the default settings (no interactive front end). Open the notebook in JupyterLab to explore."


def static_mode() -> bool:
    """True when widgets cannot be driven: during nbgrader runs, or when asked by the environment."""
    return bool(os.environ.get("NBGRADER_EXECUTION")) or os.environ.get("COURSE_STATIC_WIDGETS") == "1"


class Explorer:
    """Controls plus an output area; ``draw(**values)`` is called with the controls' current values."""

    def __init__(self, draw: Callable[..., None], controls: Mapping[str, widgets.ValueWidget], title: str = ""):
        self.draw = draw
        self.controls = dict(controls)
        self.title = title
        self.output = widgets.Output()
        self.draw_count = 0
        self.shown = False
        for control in self.controls.values():
            control.observe(self._redraw, names="value")
        header = [widgets.HTML(f"<b>{title}</b>")] if title else []
        self.box = widgets.VBox(header + [widgets.HBox(list(self.controls.values()), layout=widgets.Layout(flex_flow="row wrap")), self.output])

    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def _redraw(self, _change=None) -> None:
        self.draw_count += 1
        self.output.clear_output(wait=True)
        with self.output:
            self.draw(**self.values())
            plt.show()

    def _ipython_display_(self) -> None:
        # explore() displays the explorer and returns it; when a cell ends with that call, IPython
        # would display the returned object a second time.
        if self.shown:
            return
        self.shown = True
        display(self.box)
        self._redraw()


def explore(draw: Callable[..., None], controls: Mapping[str, widgets.ValueWidget], title: str = ""):
    """Show an explorer, or (static mode) draw once with the controls' default values.

    Returns the :class:`Explorer` in interactive mode so a notebook or test can inspect it.
    """
    if static_mode():
        if title:
            print(title)
        print(STATIC_NOTE)
        defaults = {name: control.value for name, control in controls.items()}
        print("Settings: " + ", ".join(f"{k}={v!r}" for k, v in defaults.items()))
        draw(**defaults)
        plt.show()
        return None
    explorer = Explorer(draw, controls, title)
    display(explorer)
    return explorer


def series_explorer(
    frame: pd.DataFrame,
    *,
    x: str,
    by: str,
    metrics: Mapping[str, str],
    units: Mapping[str, str] | None = None,
    default: Sequence[str] = (),
    title: str,
    source: str,
    xlabel: str | None = None,
    log_option: bool = True,
    smoothing: bool = False,
):
    """Explore long (tidy) data: pick series of ``by``, a metric, a window of ``x``, log scale, smoothing.

    ``metrics`` maps a label shown to the student to a column of ``frame``; ``units`` maps the same
    labels to the axis unit. ``x`` may be years (integers) or dates.
    """
    units = dict(units or {})
    choices = sorted(frame[by].dropna().unique().tolist())
    is_dates = pd.api.types.is_datetime64_any_dtype(frame[x])
    x_values = frame[x].dropna()
    controls: dict[str, widgets.ValueWidget] = {
        "selected": widgets.SelectMultiple(
            options=choices, value=tuple(d for d in default if d in choices) or tuple(choices[:2]),
            description=by, rows=6,
        ),
        "metric": widgets.Dropdown(options=list(metrics), value=list(metrics)[0], description="Metric"),
    }
    if is_dates:
        options = sorted(x_values.dt.to_period("M").astype(str).unique().tolist())
        controls["window"] = widgets.SelectionRangeSlider(
            options=options, index=(0, len(options) - 1), description="Months", continuous_update=False,
            layout=widgets.Layout(width="420px"),
        )
    else:
        low, high = int(x_values.min()), int(x_values.max())
        controls["window"] = widgets.IntRangeSlider(
            value=(low, high), min=low, max=high, description=str(x).capitalize(), continuous_update=False,
            layout=widgets.Layout(width="420px"),
        )
    if log_option:
        controls["scale"] = widgets.ToggleButtons(options=["linear", "log"], value="linear", description="Scale")
    if smoothing:
        controls["smooth"] = widgets.IntSlider(value=7, min=1, max=28, description="Avg (days)", continuous_update=False)

    def draw(selected, metric, window, scale="linear", smooth=1):
        column = metrics[metric]
        part = frame[frame[by].isin(selected)].copy()
        if is_dates:
            start = pd.Period(window[0], "M").start_time
            end = pd.Period(window[1], "M").end_time
            part = part[(part[x] >= start) & (part[x] <= end)]
        else:
            part = part[(part[x] >= window[0]) & (part[x] <= window[1])]
        if smooth > 1:
            part[column] = part.groupby(by)[column].transform(lambda s: s.rolling(smooth, min_periods=1).mean())
        if part.empty or part[column].notna().sum() == 0:
            print("No data for this choice: pick other series or a wider window.")
            return
        suffix = f" ({smooth}-day average)" if smooth > 1 else ""
        unit = units.get(metric, "")
        plots.line(
            part, x=x, y=column, hue=by,
            title=f"{metric}{suffix}", xlabel=xlabel or str(x), ylabel=f"{metric} ({unit})" if unit else metric,
            source=source, logy=(scale == "log"),
        )

    return explore(draw, controls, title)
