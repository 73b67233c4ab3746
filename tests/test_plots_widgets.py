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
                     source="Source: test", description="two lines")
    ax = fig.axes[0]
    assert ax.get_title() == "T" and ax.get_xlabel() == "Year" and ax.get_ylabel() == "Value (people)"
    assert [line.get_color() for line in ax.get_lines()] == plots.PALETTE[:2]
    assert ax.get_lines()[0].get_linestyle() != ax.get_lines()[1].get_linestyle()
    assert any(t.get_text() == "Source: test" for t in fig.texts)
    assert "Figure: two lines" in capsys.readouterr().out
    plt.close(fig)


def test_plots_refuse_a_missing_source():
    with pytest.raises(ValueError, match="source line"):
        plots.bar(["a"], [1], title="T", xlabel="x", ylabel="y", source="", description="d")


def test_bar_highlights_named_bars():
    fig = plots.bar(["Japan", "Korea"], [2, 1], title="T", xlabel="x", ylabel="y", source="S", description="d", highlight=["Japan"])
    colours = [p.get_facecolor() for p in fig.axes[0].patches]
    assert colours[0] != colours[1]
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
