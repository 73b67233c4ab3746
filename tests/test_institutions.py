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


def test_no_public_helper_reshapes_the_survey_table():
    """Question 5 asks the student to melt the Pew table: nothing in the module does it for them."""
    assert not hasattr(institutions, "_to_long")
    pew = data._parse("pew_favourable_us")
    for name in institutions.__all__:
        helper = getattr(institutions, name)
        if name in ("favourability_explorer", "draw_favourability", "change_chart") or not callable(helper):
            continue
        result = helper(2000, 2017)
        assert not (isinstance(result, pd.DataFrame) and len(result) == pew.drop(columns=["year", "avg"]).notna().sum().sum())


def test_draw_marks_surveys_shades_terms_and_shows_the_reference(capsys):
    fig = institutions.draw_favourability(WIDE, ["Japan", "Indonesia"], (2000, 2017), True,
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
    assert "Figure:" in out and "a later poll the article does not name" in out
    assert "not a Pew value" not in out  # the article does not name its poll: the course cannot say whose it is


def test_draw_leaves_out_the_reference_when_the_window_stops_early(capsys):
    fig = institutions.draw_favourability(WIDE, ["Indonesia"], (2000, 2009), True, source="S", reference=REFERENCE)
    ax = fig.axes[0]
    assert len(ax.get_lines()) == 1  # Indonesia only: no marker pinned to the 2009 edge
    assert "drawn only when the window reaches 2017" in capsys.readouterr().out


def test_draw_without_the_reference_country_or_terms():
    fig = institutions.draw_favourability(WIDE, ["Japan"], (2008, 2017), False, source="S", reference=REFERENCE)
    ax = fig.axes[0]
    assert len(ax.get_lines()) == 1 and len(ax.patches) == 0


def test_draw_with_nothing_to_show_says_so(capsys):
    assert institutions.draw_favourability(WIDE, ["Indonesia"], (2009, 2009), source="S") is None
    assert "No survey data" in capsys.readouterr().out


def test_draw_ignores_the_average_column():
    fig = institutions.draw_favourability(WIDE, ["avg", "Japan"], (2000, 2017), False, source="S")
    assert [line.get_label() for line in fig.axes[0].get_lines()] == ["Japan"]


def test_change_chart_explains_its_highlight_and_fits_a_screen():
    change = pd.Series({f"Country {i}": float(i - 20) for i in range(37)} | {"Japan": -12.6})
    fig = institutions.change_chart(change, highlight=["Japan"], highlight_label="Japan", source="S",
                                    title="T", xlabel="Change")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Japan", "Other countries"]
    assert fig.get_size_inches()[1] <= 8.0
    colours = {tuple(p.get_facecolor()) for p in ax.patches}
    assert len(colours) == 2


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
    # labels and the year readout are shown in full (issue 19: "Shade presid...", "2000 - 201")
    for control in explorer.controls.values():
        assert control.style.description_width == "initial"
    assert explorer.controls["window"].layout.width == "460px"
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


# Numbers the notebook states in its prose, recomputed from data/ (issue 16).

def test_the_pew_file_is_the_extract_of_the_countries_surveyed_in_2017():
    pew = data._parse("pew_favourable_us").set_index("year")
    countries = pew.drop(columns="avg")
    assert countries.shape[1] == 37
    assert countries.loc[2017].notna().all()  # every column has a 2017 value: "empty" = not in this extract
    assert pew.index.min() == 2000 and pew.index.max() == 2017


def test_asean_had_ten_hosts_and_three_members_in_the_file():
    eas = data._parse("eas_attendance")
    members = set(eas["host_country"])
    assert len(members) == eas["host_country"].nunique() == 10
    pew = data._parse("pew_favourable_us").set_index("year")
    in_file = sorted(c for c in pew.columns if c in members)
    assert in_file == ["Indonesia", "Philippines", "Vietnam"]
    assert pew.loc[2016, in_file].isna().all()  # why Question 9 uses the Obama-years mean
    coverage = pew[in_file].notna().sum(axis=1)
    assert (coverage[coverage.index < 2013] <= 1).all()  # "before 2013 only one a year"


def test_model_answer_numbers_for_indonesia_and_the_asia_pacific_lows():
    pew = data._parse("pew_favourable_us").set_index("year").astype(float)
    indonesia = pew["Indonesia"].dropna()
    assert (indonesia.min(), indonesia.idxmin(), indonesia.max(), indonesia.idxmax()) == (29, 2007, 63, 2009)
    assert indonesia.diff().dropna().tolist() == [-8, -1, 8, 26, -4, -5, 7, -2, 3, -14]
    seven = ["Australia", "India", "Indonesia", "Japan", "Philippines", "South Korea", "Vietnam"]
    assert [c for c in seven if pew[c].idxmin() == 2017] == ["India", "Philippines"]
    change = pew.loc[2017] - pew.loc[2009:2016].mean()
    assert round(change["Japan"], 1) == -12.6 and round(change["Indonesia"], 1) == -11.7
    assert round(change["Philippines"], 1) == -10.7 and round(change["Vietnam"], 1) == 7.0
    assert int(pew.drop(columns="avg").loc[2017].rank(ascending=False, method="min")["Japan"]) == 10
