"""Unit tests for course/institutions.py (notebook 4's helpers)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from course import data, institutions, plots, widgets  # noqa: E402

WIDE = pd.DataFrame({
    "year": pd.array([2007, 2009, 2017], dtype="Int64"),
    "avg": [50.0, 60.0, 40.0],
    "Japan": pd.array([61, 59, 57], dtype="Int64"),
    "Indonesia": pd.array([29, None, 48], dtype="Int64"),
})
REFERENCE = {"country": "Indonesia", "value": 42.0, "label": "Article's later poll (Indonesia)"}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_presidents_by_year_uses_inauguration_years():
    table = institutions.presidents_by_year(2000, 2017)
    assert list(table.columns) == ["year", "president"]
    assert table["year"].tolist() == list(range(2000, 2018))
    by_year = dict(zip(table["year"], table["president"]))
    assert by_year[2000] == "Bill Clinton"
    assert by_year[2001] == by_year[2008] == "George W. Bush"
    assert by_year[2009] == by_year[2016] == "Barack Obama"
    assert by_year[2017] == "Donald Trump"


def test_presidents_by_year_merges_with_the_course_tables():
    table = institutions.presidents_by_year(2011, 2020)
    eas = data.load("eas_attendance")
    merged = eas.merge(table, on="year")
    assert len(merged) == len(eas) == 10
    assert (merged["us_president"] == merged["president"]).all()


def test_presidents_by_year_refuses_years_it_does_not_know():
    with pytest.raises(ValueError):
        institutions.presidents_by_year(1950, 1960)


def test_to_long_drops_avg_and_unsurveyed_years():
    long = institutions._to_long(WIDE)
    assert list(long.columns) == ["year", "country", "favourable"]
    assert "avg" not in set(long["country"])
    assert len(long) == 5 and long["favourable"].notna().all()


def test_draw_marks_surveys_shades_terms_and_shows_the_reference(capsys):
    long = institutions._to_long(WIDE)
    fig = institutions.draw_favourability(long, ["Japan", "Indonesia"], (2000, 2017), True,
                                          source="Source: test", reference=REFERENCE)
    ax = fig.axes[0]
    lines = ax.get_lines()
    # two country lines with markers, plus the hollow reference marker
    assert len(lines) == 3
    assert all(line.get_marker() not in (None, "None", "") for line in lines[:2])
    assert lines[0].get_marker() != lines[1].get_marker()
    assert lines[2].get_ydata()[0] == 42.0
    assert len(ax.patches) == 4  # Clinton, Bush, Obama, Trump shaded
    assert ax.get_ylim() == (0, 100)
    assert any(t.get_text() == "Source: test" for t in fig.texts)
    out = capsys.readouterr().out
    assert "Figure:" in out and "not a Pew value" in out


def test_draw_without_the_reference_country_or_terms():
    long = institutions._to_long(WIDE)
    fig = institutions.draw_favourability(long, ["Japan"], (2008, 2017), False, source="S", reference=REFERENCE)
    ax = fig.axes[0]
    assert len(ax.get_lines()) == 1 and len(ax.patches) == 0


def test_draw_with_nothing_to_show_says_so(capsys):
    long = institutions._to_long(WIDE)
    assert institutions.draw_favourability(long, ["Indonesia"], (2009, 2009), source="S") is None
    assert "No survey data" in capsys.readouterr().out


def test_explorer_is_static_during_autograding(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    result = institutions.favourability_explorer(WIDE, source="S", default=["Japan"], reference=REFERENCE)
    assert result is None
    out = capsys.readouterr().out
    assert widgets.STATIC_NOTE in out and "Figure:" in out


def test_explorer_redraws_when_a_control_moves(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("COURSE_STATIC_WIDGETS", raising=False)
    explorer = institutions.favourability_explorer(WIDE, source="S", default=["Japan"], reference=REFERENCE)
    assert isinstance(explorer, widgets.Explorer)
    assert explorer.controls["selected"].options == ("Indonesia", "Japan")
    assert explorer.controls["window"].value == (2007, 2017)
    before = explorer.draw_count
    explorer.controls["selected"].value = ("Indonesia", "Japan")
    explorer.controls["show_terms"].value = False
    assert explorer.draw_count == before + 2


def test_explorer_on_the_real_pew_table(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_STATIC_WIDGETS", "1")
    pew = data.load("pew_favourable_us")
    institutions.favourability_explorer(pew, source=data.cite("pew_favourable_us"), default=["Indonesia"],
                                        reference=REFERENCE)
    out = capsys.readouterr().out
    assert "window=(2000, 2017)" in out and "Indonesia" in out


def test_terms_colours_are_distinct_and_palette_based():
    assert len(set(institutions._TERM_FILLS)) == len(institutions.TERMS)
    assert set(institutions._TERM_FILLS) <= set(plots.PALETTE)
