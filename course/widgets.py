"""Interactive explorers for the notebooks, with a static fallback.

In JupyterLab an explorer shows ipywidgets controls and redraws when a control moves. When no front
end can drive widgets (nbgrader autograde/validate, or ``COURSE_STATIC_WIDGETS=1``) it draws once with
the default values and says so. This keeps autograding from stalling on widget messages, a known
nbclient problem (docs/toolchain.md: nbclient#312, nbconvert#2029), and keeps the notebook readable as
static output.

What every explorer's controls get (issue 19): labels at their natural width, so none is cut off
("Global he..."), each beside its control (a ToggleButtons' too); a range slider's readout in its own
label beside the slider, so "1990 - 2020" is never clipped to "1990 - 202"; and a redraw that keeps the old chart on screen until the new one is complete,
so the page does not jump.
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

# Range sliders whose built-in readout is too narrow for two values ("1990 - 202"): the explorer
# shows their value in a label of its own instead.
RANGE_SLIDERS = (widgets.IntRangeSlider, widgets.FloatRangeSlider, widgets.SelectionRangeSlider)


def static_mode() -> bool:
    """True when widgets cannot be driven: during nbgrader runs, or when asked by the environment."""
    return bool(os.environ.get("NBGRADER_EXECUTION")) or os.environ.get("COURSE_STATIC_WIDGETS") == "1"


def show_open_figures() -> None:
    """Show every figure a draw function left open, each with its text alternative as alt text."""
    for number in plt.get_fignums():
        plots.show(plt.figure(number))


def range_text(value) -> str:
    """A range slider's value as text: "1990 to 2020"."""
    low, high = value
    return f"{low} to {high}"


def _untruncated(control: widgets.Widget) -> None:
    """Let a control's description take the width it needs (ipywidgets cuts it at about 80 px otherwise)."""
    style = getattr(control, "style", None)
    if style is not None and hasattr(style, "description_width") and not style.description_width:
        style.description_width = "initial"


def _label_beside(control: widgets.Widget) -> None:
    """Put a ToggleButtons' label beside its buttons, on one line.

    ipywidgets lays a ToggleButtons out as a block, its label above its buttons ("Scale" over "linear |
    log"), unlike every other control; a flex row puts it beside them, as "Metric" is beside its list.
    """
    if isinstance(control, widgets.ToggleButtons) and not control.layout.display:
        control.layout.display = "flex"
        control.layout.flex_flow = "row nowrap"
        control.layout.align_items = "center"


class Explorer:
    """Controls plus an output area; ``draw(**values)`` is called with the controls' current values.

    ``rows`` (optional) lays the controls out: a list of rows, each a list of control names. By default
    all controls share one wrapping row.
    """

    def __init__(self, draw: Callable[..., None], controls: Mapping[str, widgets.ValueWidget], title: str = "",
                 rows: Sequence[Sequence[str]] | None = None):
        self.draw = draw
        self.controls = dict(controls)
        self.title = title
        self.output = widgets.Output()
        # The output shown on the page. A redraw fills a fresh Output off screen and then swaps it in
        # with one message, so the old chart stays visible until the new one is complete.
        self.area = widgets.VBox([self.output])
        self.draw_count = 0
        self.shown = False
        self.readouts: dict[str, widgets.Label] = {}
        for name, control in self.controls.items():
            _untruncated(control)
            _label_beside(control)
            if isinstance(control, RANGE_SLIDERS) and control.readout:
                control.readout = False
                self.readouts[name] = widgets.Label(range_text(control.value), layout=widgets.Layout(min_width="max-content"))
                control.observe(self._update_readout(name), names="value")
            control.observe(self._redraw, names="value")
        header = [widgets.HTML(f"<b>{title}</b>")] if title else []
        rows = [list(row) for row in rows] if rows else [list(self.controls)]
        boxes = [
            widgets.HBox([self._with_readout(name) for name in row],
                         layout=widgets.Layout(flex_flow="row wrap", align_items="center", grid_gap="4px 16px"))
            for row in rows
        ]
        self.box = widgets.VBox(header + boxes + [self.area])

    def _with_readout(self, name: str) -> widgets.Widget:
        control = self.controls[name]
        if name not in self.readouts:
            return control
        return widgets.HBox([control, self.readouts[name]], layout=widgets.Layout(align_items="center"))

    def _update_readout(self, name: str):
        def update(change) -> None:
            self.readouts[name].value = range_text(change["new"])
        return update

    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def _redraw(self, _change=None) -> None:
        self.draw_count += 1
        fresh = widgets.Output()
        # An error in draw() shows its traceback in the fresh output, which is swapped in all the same.
        with fresh:
            self.draw(**self.values())
            show_open_figures()
        old, self.output = self.output, fresh
        self.area.children = (fresh,)
        if old is not fresh:
            old.close()

    def _ipython_display_(self) -> None:
        # explore() displays the explorer and returns it; when a cell ends with that call, IPython
        # would display the returned object a second time.
        if self.shown:
            return
        self.shown = True
        display(self.box)
        self._redraw()


def explore(draw: Callable[..., None], controls: Mapping[str, widgets.ValueWidget], title: str = "",
            rows: Sequence[Sequence[str]] | None = None):
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
        show_open_figures()
        return None
    explorer = Explorer(draw, controls, title, rows)
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
    by_label: str | None = None,
    log_option: bool = True,
    smoothing: bool = False,
):
    """Explore long (tidy) data: pick series of ``by``, a metric, a window of ``x``, log scale, smoothing.

    ``metrics`` maps a label shown to the student to a column of ``frame``; ``units`` maps the same
    labels to the axis unit. ``x`` may be years (integers) or dates. ``by_label`` is the label of the
    series list (say "Host country"; by default ``by`` itself, made readable). Each series keeps its
    colour and line style whatever else is selected: they follow its place in the full list of options
    (the defaults first), not its place in the selection.
    """
    units = dict(units or {})
    choices = sorted(frame[by].dropna().unique().tolist())
    selected = tuple(d for d in default if d in choices) or tuple(choices[:2])
    hue_order = list(selected) + [c for c in choices if c not in selected]
    is_dates = pd.api.types.is_datetime64_any_dtype(frame[x])
    x_values = frame[x].dropna()
    controls: dict[str, widgets.ValueWidget] = {
        "selected": widgets.SelectMultiple(
            options=choices, value=selected, description=by_label or str(by).replace("_", " ").capitalize(), rows=6,
        ),
        "metric": widgets.Dropdown(options=list(metrics), value=list(metrics)[0], description="Metric",
                                   layout=widgets.Layout(width="max-content")),
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
            value=(low, high), min=low, max=high, description=str(x).replace("_", " ").capitalize(),
            continuous_update=False, layout=widgets.Layout(width="420px"),
        )
    last_row = []
    if log_option:
        controls["scale"] = widgets.ToggleButtons(options=["linear", "log"], value="linear", description="Scale",
                                                  style={"description_width": "initial", "button_width": "auto"},
                                                  layout=widgets.Layout(width="max-content"))
        last_row.append("scale")
    if smoothing:
        controls["smooth"] = widgets.IntSlider(value=7, min=1, max=28, description="Average over (days)",
                                               continuous_update=False, layout=widgets.Layout(width="360px"))
        last_row.append("smooth")
    rows = [["selected"], ["metric"], ["window"]] + ([last_row] if last_row else [])

    def draw(selected, metric, window, scale="linear", smooth=1):
        column = metrics[metric]
        part = frame[frame[by].isin(selected)].copy()
        if smooth > 1:
            # Smooth the whole series first, so the first days of a narrow window are full averages too.
            part = part.sort_values([by, x])
            part[column] = part.groupby(by)[column].transform(lambda s: s.rolling(smooth, min_periods=1).mean())
        if is_dates:
            start = pd.Period(window[0], "M").start_time
            end = pd.Period(window[1], "M").end_time
            part = part[(part[x] >= start) & (part[x] <= end)]
        else:
            part = part[(part[x] >= window[0]) & (part[x] <= window[1])]
        if part.empty or part[column].notna().sum() == 0:
            print("No data for this choice: pick other series or a wider window.")
            return
        suffix = f" ({smooth}-day average)" if smooth > 1 else ""
        unit = units.get(metric, "")
        plots.line(
            part, x=x, y=column, hue=by, hue_order=hue_order,
            title=f"{metric}{suffix}", xlabel=xlabel or str(x), ylabel=f"{metric} ({unit})" if unit else metric,
            source=source, logy=(scale == "log"),
        )

    return explore(draw, controls, title, rows)
