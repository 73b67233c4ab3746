import matplotlib.pyplot as plt
import pandas as pd
import pytest

from course import plots, widgets

FRAME = pd.DataFrame({
    "year": [2000, 2001, 2002, 2000, 2001, 2002],
    "country": ["Japan"] * 3 + ["Korea"] * 3,
    "value": [1.0, 2.0, 3.0, 3.0, 2.0, 1.0],
})


def test_line_plot_has_title_labels_source_and_description(capsys):
    fig = plots.line(FRAME, x="year", y="value", hue="country", title="T", xlabel="Year", ylabel="Value (people)",
                     source="Source: test")
    ax = fig.axes[0]
    assert ax.get_title() == "T" and ax.get_xlabel() == "Year" and ax.get_ylabel() == "Value (people)"
    assert [line.get_color() for line in ax.get_lines()] == plots.PALETTE[:2]
    assert ax.get_lines()[0].get_linestyle() != ax.get_lines()[1].get_linestyle()
    assert any(t.get_text() == "Source: test" for t in fig.texts)
    # the text alternative is generated from the drawn data, not written by hand
    out = capsys.readouterr().out
    assert "Figure: T. Japan: 2000 to 2002, values from 1 to 3. Korea: 2000 to 2002, values from 1 to 3." in out
    assert "x axis: Year; y axis: Value (people)." in out
    plt.close(fig)


def test_description_follows_the_data_it_draws(capsys):
    frame = FRAME.assign(value=[1.0, 2.0, 250.0, 3.0, 2.0, 1.0])
    plt.close(plots.line(frame, x="year", y="value", hue="country", title="T", xlabel="Y", ylabel="V", source="S"))
    assert "Japan: 2000 to 2002, values from 1 to 250." in capsys.readouterr().out
    plt.close(plots.bar(["a", "b", "c"], [5, -2, 40], title="B", xlabel="x", ylabel="y", source="S"))
    assert "3 bars, values from -2 to 40." in capsys.readouterr().out


def test_description_says_when_an_axis_is_logarithmic(capsys):
    """Linear and log charts of the same data look different but have the same values: the text says which."""
    plt.close(plots.line(FRAME, x="year", y="value", hue="country", title="T", xlabel="Y", ylabel="V", source="S"))
    assert "x axis: Y; y axis: V." in capsys.readouterr().out
    plt.close(plots.line(FRAME, x="year", y="value", hue="country", title="T", xlabel="Y", ylabel="V", source="S",
                         logy=True))
    assert "x axis: Y; y axis (log scale): V." in capsys.readouterr().out


def test_dollar_signs_in_text_are_not_mathtext():
    # a `$` in a title, label or citation must be drawn as itself (mathtext once crashed the log explorer)
    fig = plots.line(FRAME, x="year", y="value", hue="country", title="Cost in $ and $ again", xlabel="Year",
                     ylabel="US$ (bn)", source="Source: $5 $ report", logy=True)
    fig.canvas.draw()
    assert fig.axes[0].yaxis.get_major_formatter()(1000, 0) == "1,000"
    plt.close(fig)


def test_plots_refuse_a_missing_source():
    with pytest.raises(ValueError, match="source line"):
        plots.bar(["a"], [1], title="T", xlabel="x", ylabel="y", source="")


def test_bar_highlights_named_bars():
    fig = plots.bar(["Japan", "Korea"], [2, 1], title="T", xlabel="x", ylabel="y", source="S", highlight=["Japan"])
    colours = [p.get_facecolor() for p in fig.axes[0].patches]
    assert colours[0] != colours[1]
    plt.close(fig)


def test_horizontal_bars_grow_with_their_number_and_get_a_zero_line(capsys):
    labels = [f"country {i}" for i in range(40)]
    fig = plots.bar(labels, list(range(-20, 20)), title="T", xlabel="Change (points)", ylabel="Country",
                    source="Source: test", highlight=["country 3"])
    assert fig.get_size_inches()[1] > 8
    ax = fig.axes[0]
    assert len(ax.patches) == 40 and ax.get_title() == "T"
    assert [line.get_xdata()[0] for line in ax.get_lines()] == [0]  # the zero line
    assert "Figure: T. 40 bars, values from -20 to 19." in capsys.readouterr().out
    plt.close(fig)
    few = plots.bar(["a", "b"], [1, 2], title="T", xlabel="x", ylabel="y", source="S")
    assert few.get_size_inches()[1] == plots.STYLE["figure.figsize"][1] and not few.axes[0].get_lines()
    plt.close(few)


def test_zero_bars_are_marked_and_labelled_with_their_value(capsys):
    from matplotlib.collections import LineCollection

    for horizontal in (True, False):
        fig = plots.bar(["a", "b", "c", "d"], [3, 0, float("nan"), 0.0], title="T", xlabel="x", ylabel="y",
                        source="S", horizontal=horizontal)
        ax = fig.axes[0]
        marks = [c for c in ax.collections if isinstance(c, LineCollection)]
        assert len(marks) == 2  # the two zeros; the missing value stays a gap
        for mark in marks:
            ((x0, y0), (x1, y1)) = mark.get_segments()[0]
            assert (x0, x1) == (0, 0) if horizontal else (y0, y1) == (0, 0)
        assert [t.get_text() for t in ax.texts] == ["0", "0"]  # the value itself, no other number
        assert not ax.get_lines()  # still read as bars by the text alternative
        assert "4 bars" in capsys.readouterr().out
        plt.close(fig)
    fig = plots.bar(["a", "b"], [1, 2], title="T", xlabel="x", ylabel="y", source="S")
    assert not fig.axes[0].collections and not fig.axes[0].texts
    plt.close(fig)


def test_year_axes_get_whole_number_ticks():
    fig = plots.line(FRAME, x="year", y="value", hue="country", title="T", xlabel="Year", ylabel="V",
                     source="S")
    fig.canvas.draw()
    ticks = [t for t in fig.axes[0].get_xticks() if 2000 <= t <= 2002]
    assert ticks and all(float(t).is_integer() for t in ticks)
    plt.close(fig)


def test_log_scale_leaves_out_values_at_or_below_zero_and_says_so(capsys):
    frame = FRAME.assign(value=[0.0, 10.0, 100.0, -1.0, 5.0, 50.0])
    fig = plots.line(frame, x="year", y="value", hue="country", title="T", xlabel="Year", ylabel="V",
                     source="S", logy=True)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    assert [list(line.get_ydata()) for line in ax.get_lines()] == [[10.0, 100.0], [5.0, 50.0]]
    assert "2 value(s) of value at or below zero are not drawn" in capsys.readouterr().out
    plt.close(fig)


def test_a_long_citation_is_wrapped_above_the_bottom_edge():
    long_source = "Sources: " + "; ".join(f"Statistical office number {i} (monthly trade files)" for i in range(8)) + "."
    fig = plots.line(FRAME, x="year", y="value", title="T", xlabel="Year", ylabel="V", source=long_source)
    (text,) = fig.texts
    assert text.get_text().replace("\n", " ") == long_source and text.get_text().count("\n") >= 2
    fig.canvas.draw()
    citation_top = text.get_window_extent().y1
    xlabel_bottom = fig.axes[0].xaxis.label.get_window_extent().y0
    assert citation_top <= xlabel_bottom  # the citation never runs into the axis label
    plt.close(fig)


def test_explorer_redraws_when_a_control_moves(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("COURSE_STATIC_WIDGETS", raising=False)
    explorer = widgets.series_explorer(FRAME, x="year", by="country", metrics={"Value": "value"}, units={"Value": "people"},
                                       default=["Japan"], title="t", source="S")
    assert isinstance(explorer, widgets.Explorer)
    before = explorer.draw_count
    explorer.controls["window"].value = (2001, 2002)
    assert explorer.draw_count == before + 1
    explorer.controls["selected"].value = ("Japan", "Korea")
    assert explorer.draw_count == before + 2
    plt.close("all")


def test_explorer_is_static_during_autograding(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    result = widgets.series_explorer(FRAME, x="year", by="country", metrics={"Value": "value"}, default=["Japan"],
                                     title="t", source="S")
    assert result is None
    out = capsys.readouterr().out
    assert widgets.STATIC_NOTE in out and "Figure:" in out
    plt.close("all")


def test_show_bundle_puts_the_generated_text_alternative_on_the_image(capsys):
    fig = plots.line(FRAME, x="year", y="value", hue="country", title='Trade "in" <goods>', xlabel="Year",
                     ylabel="V", source="S")
    alt = fig._course_alt_text
    bundle = plots.figure_bundle(fig)
    assert set(bundle) == {"text/html", "image/png", "text/plain"}
    assert bundle["text/html"].startswith('<img src="data:image/png;base64,' + bundle["image/png"][:40])
    # the alt text is the generated description, escaped so quotes and brackets cannot break the tag
    assert 'alt="Trade &quot;in&quot; &lt;goods&gt;. Japan: 2000 to 2002' in bundle["text/html"]
    assert bundle["text/plain"] == f"Figure: {alt}"
    plots.show(fig)  # outside a kernel: nothing displayed, the figure is released
    assert not plt.fignum_exists(fig.number)
    assert "base64" not in capsys.readouterr().out


def test_shown_figure_has_alt_text_in_nbconvert_html(tmp_path):
    # A real kernel runs plots.show; nbconvert's HTML (what feedback and exports use) keeps the alt text.
    import nbclient
    import nbconvert
    import nbformat

    code = ("import pandas as pd\nfrom course import plots\n"
            "fig = plots.bar(['a', 'b'], [1, 3], title='Two bars', xlabel='x (units)', ylabel='y', source='S')\n"
            "plots.show(fig)")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    outputs = nb.cells[0].outputs
    images = [o for o in outputs if o.get("output_type") == "display_data"]
    assert len(images) == 1 and "image/png" in images[0]["data"]  # shown once
    assert any("Figure: Two bars. 2 bars, values from 1 to 3." in o.get("text", "") for o in outputs)
    page, _ = nbconvert.HTMLExporter().from_notebook_node(nb)
    assert 'alt="Two bars. 2 bars, values from 1 to 3. x axis: x (units); y axis: y."' in page
    assert "No description has been provided for this image" not in page
