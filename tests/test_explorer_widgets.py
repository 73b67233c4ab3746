"""The explorers' controls and redraws (issue 19): readable labels, readouts that fit, a redraw that keeps the old
chart until the new one is ready, a stable colour per series, and a log scale that draws in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import ipywidgets
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from course import health, plots, widgets

FRAME = pd.DataFrame({
    "year": [2000, 2001, 2002] * 3,
    "country_name": ["Japan"] * 3 + ["Korea"] * 3 + ["Germany"] * 3,
    "value": [1.0, 2.0, 3.0, 3.0, 2.0, 1.0, 5.0, 0.0, -1.0],
})


@pytest.fixture
def interactive(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("COURSE_STATIC_WIDGETS", raising=False)
    yield
    plt.close("all")


def _explorer(**kwargs):
    return widgets.series_explorer(FRAME, x="year", by="country_name", metrics={"Value": "value"}, units={"Value": "people"},
                                   default=["Japan"], title="t", source="S", **kwargs)


def test_the_series_list_gets_a_readable_label(interactive):
    assert _explorer(by_label="Host country").controls["selected"].description == "Host country"
    assert _explorer().controls["selected"].description == "Country name"  # never the raw column name


def test_no_control_label_is_cut_to_a_fixed_width(interactive):
    explorer = _explorer()
    for name, control in explorer.controls.items():
        assert control.style.description_width == "initial", name
    # controls a topic module builds itself get the same treatment
    slider = ipywidgets.FloatSlider(description="Global health and pandemic weight")
    widgets.Explorer(lambda **v: None, {"weight": slider})
    assert slider.style.description_width == "initial"


def test_toggle_buttons_get_their_label_beside_them(interactive):
    # ipywidgets draws a ToggleButtons as a block, label above the buttons; the explorer makes it one row
    scale = _explorer().controls["scale"]
    assert (scale.layout.display, scale.layout.flex_flow, scale.layout.align_items) == ("flex", "row nowrap", "center")
    scaling = ipywidgets.ToggleButtons(options=["a", "b"], description="Scaling")  # a topic module's own
    widgets.Explorer(lambda **v: None, {"scaling": scaling})
    assert scaling.layout.display == "flex"
    hidden = ipywidgets.ToggleButtons(options=["a"], layout=ipywidgets.Layout(display="none"))
    widgets.Explorer(lambda **v: None, {"hidden": hidden})
    assert hidden.layout.display == "none"  # a display chosen by its author is kept


def test_a_range_slider_shows_its_value_in_a_label_that_follows_it(interactive):
    explorer = _explorer()
    window = explorer.controls["window"]
    assert window.readout is False  # the built-in readout clips "2000 - 2002"
    label = explorer.readouts["window"]
    assert label.value == "2000 to 2002"
    window.value = (2001, 2002)
    assert label.value == "2001 to 2002"
    shown = [child for row in explorer.box.children if isinstance(row, ipywidgets.HBox) for child in row.children]
    assert any(isinstance(c, ipywidgets.HBox) and c.children == (window, label) for c in shown)


def test_dates_get_a_month_readout_beside_the_slider_not_inside_it(interactive):
    table = health._explorer_table(
        pd.DataFrame({"Date": pd.to_datetime(["2020-01-31", "2020-02-29", "2021-10-10"]), "Country": ["Japan"] * 3,
                      "Confirmed": [1, 3, 9], "Deaths": [0, 0, 1]}),
        pd.Series({"Japan": 1e6}))
    explorer = widgets.series_explorer(table, x="Date", by="country", metrics={"New cases": "new_cases"},
                                       title="t", source="S", smoothing=True)
    assert explorer.readouts["window"].value == "2020-01 to 2021-10"
    # the scale and the smoothing share the last row, after the months: nothing runs into "Scale"
    rows = [row for row in explorer.box.children if isinstance(row, ipywidgets.HBox)]
    assert explorer.controls["scale"] in rows[-1].children and explorer.controls["smooth"] in rows[-1].children


def test_a_redraw_swaps_in_a_complete_new_output(interactive):
    explorer = _explorer()
    first = explorer.output
    explorer.controls["selected"].value = ("Japan", "Korea")
    assert explorer.output is not first  # drawn off screen, then shown with one change of the area
    assert explorer.area.children == (explorer.output,)


def test_a_series_keeps_its_colour_and_style_when_another_is_added(interactive):
    def japan_line(countries):
        fig = plots.line(FRAME[FRAME["country_name"].isin(countries)], x="year", y="value", hue="country_name",
                         title="T", xlabel="Y", ylabel="V", source="S", hue_order=["Japan", "Germany", "Korea"])
        (line,) = [l for l in fig.axes[0].get_lines() if l.get_label() == "Japan"]
        style = (line.get_color(), line.get_linestyle())
        plt.close(fig)
        return style

    assert japan_line(["Japan", "Korea"]) == japan_line(["Japan", "Korea", "Germany"]) == (plots.PALETTE[0], "-")


def test_many_options_never_share_both_colour_and_style():
    options = [f"c{i:02d}" for i in range(17)]
    frame = pd.DataFrame({"x": [0, 1] * 17, "c": [o for o in options for _ in range(2)], "y": [1.0, 2.0] * 17})
    fig = plots.line(frame, x="x", y="y", hue="c", title="T", xlabel="X", ylabel="Y", source="S", hue_order=options)
    # get_linestyle() reports every custom dash pattern as "--"; the pattern itself tells them apart
    looks = [(line.get_color(), str(line._unscaled_dash_pattern)) for line in fig.axes[0].get_lines()]
    assert len(set(looks)) == 17
    plt.close(fig)


def test_without_hue_order_lines_keep_the_sorted_default():
    fig = plots.line(FRAME, x="year", y="value", hue="country_name", title="T", xlabel="Y", ylabel="V", source="S")
    assert [l.get_label() for l in fig.axes[0].get_lines()] == ["Germany", "Japan", "Korea"]
    assert [l.get_color() for l in fig.axes[0].get_lines()] == plots.PALETTE[:3]
    plt.close(fig)


def test_the_explorer_passes_its_full_option_list_so_colours_follow_the_option(interactive):
    explorer = _explorer()
    explorer.controls["selected"].value = ("Korea",)
    plt.close("all")
    explorer.draw(**explorer.values())
    (line,) = plt.gca().get_lines()
    # Japan (the default) is first, then the others in sorted order: Korea keeps the third colour alone too
    assert line.get_label() == "Korea" and line.get_color() == plots.PALETTE[2]


def test_log_scale_draws_every_health_metric_in_a_fresh_interpreter():
    """Issue 19: picking "log" in 01's explorer raised a mathtext ParseException the first time in a fresh kernel."""
    script = textwrap.dedent("""
        import matplotlib.pyplot as plt
        from course import data, health
        covid = data._parse("covid_by_country")
        owid = data._parse("owid_co2")
        population = owid[owid["year"] == health.POPULATION_YEAR].set_index("country")["population"]
        explorer = health.explorer(covid, population, source=data.cite("covid_by_country") + " Population 2018: OWID CO2.")
        for metric in health.EXPLORER_METRICS:
            plt.close("all")
            explorer.draw(**{**explorer.values(), "metric": metric, "scale": "log"})
            for number in plt.get_fignums():
                figure = plt.figure(number)
                figure.canvas.draw()  # the text layout that used to parse "$" and log ticks as mathtext
                assert figure.axes[0].get_yscale() == "log"
        print("drew", len(health.EXPLORER_METRICS))
    """)
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("NBGRADER_EXECUTION", "COURSE_STATIC_WIDGETS")}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"drew {len(health.EXPLORER_METRICS)}" in result.stdout
    assert "Traceback" not in result.stderr
