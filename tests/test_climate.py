"""Unit tests for course/climate.py (net-zero pathway arithmetic and the pathway explorer)."""

import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from course import climate, data, widgets


def test_yearly_cut_needed_reaches_the_end_value():
    cut = climate.yearly_cut_needed(1000, 100, 29)
    assert cut == pytest.approx(100 * (1 - 0.1 ** (1 / 29)))
    assert 1000 * (1 - cut / 100) ** 29 == pytest.approx(100)
    assert climate.yearly_cut_needed(50, 50, 10) == pytest.approx(0)


def test_yearly_cut_needed_refuses_zero_and_bad_years():
    with pytest.raises(ValueError, match="never reaches zero"):
        climate.yearly_cut_needed(1000, 0, 29)
    with pytest.raises(ValueError):
        climate.yearly_cut_needed(1000, 100, 0)


def test_constant_cut_pathway_years_and_values():
    path = climate.constant_cut_pathway(2021, 200.0, 10)
    assert path.index[0] == 2021 and path.index[-1] == climate.NET_ZERO_YEAR
    assert len(path) == 30
    assert path.loc[2021] == 200.0
    assert path.loc[2022] == pytest.approx(180.0)
    assert path.loc[2050] == pytest.approx(200 * 0.9 ** 29)
    assert (path.diff().dropna() < 0).all()


def test_zero_cut_is_flat():
    path = climate.constant_cut_pathway(2010, 5.0, 0, end_year=2015)
    assert path.tolist() == [5.0] * 6


def test_straight_line_reaches_zero_with_equal_steps():
    path = climate.straight_line_pathway(2021, 290.0)
    assert path.loc[2050] == pytest.approx(0)
    steps = path.diff().dropna()
    assert steps.to_numpy() == pytest.approx([-10.0] * 29)
    with pytest.raises(ValueError):
        climate.straight_line_pathway(2050, 1.0)


def test_average_annual_change_is_compound():
    s = pd.Series([100.0, 90.0, 81.0], index=[2000, 2001, 2002])
    assert climate.average_annual_change(s, 2000, 2002) == pytest.approx(-10.0)
    assert climate.average_annual_change(s, 2001, 2002) == pytest.approx(-10.0)


def test_years_to_reach():
    assert climate.years_to_reach(0.1, climate.yearly_cut_needed(1, 0.1, 29)) == pytest.approx(29)
    assert climate.years_to_reach(0.5, 0) == math.inf
    with pytest.raises(ValueError):
        climate.years_to_reach(0, 5)


def test_pathway_summary_against_a_series():
    actual = pd.Series([100.0, 95.0, 90.0], index=[2019, 2020, 2021])
    info = climate.pathway_summary(actual, 2019, 5)
    assert info["pathway_last"] == pytest.approx(100 * 0.95 ** 2)
    assert info["actual_last"] == 90.0
    assert info["target_value"] == pytest.approx(10.0)
    assert info["share_left_pct"] == pytest.approx(100 * 0.95 ** 31)
    assert not info["meets_target"]
    assert climate.pathway_summary(actual, 2021, 8)["meets_target"]


def test_country_lists():
    assert len(climate.ASEAN_ISO3) == 10 and climate.TIMOR_LESTE_ISO3 not in climate.ASEAN_ISO3
    assert set(climate.GEOPHYSICAL_HAZARDS) <= set(data.load("idmc_displacement")["cause"].unique())


def test_cait_sectors_add_up_to_the_total():
    sectors = data.load("ghg_by_sector")
    row = sectors[(sectors["Entity"] == "Japan") & (sectors["Year"] == 2018)].iloc[0]
    assert sum(row[s] for s in climate.CAIT_SECTORS) == pytest.approx(row["Total excluding LUCF"], abs=0.1)


def test_draw_pathway_prints_numbers_and_cites(capsys):
    actual = pd.Series([1315.6, 1067.4], index=[2013, 2021])
    fig = climate.draw_pathway(actual, "Japan", 2013, 3, source="Source: test")
    out = capsys.readouterr().out
    assert "Figure:" in out and "In 2021: pathway 1,031, actual 1,067" in out
    ax = fig.axes[0]
    assert ax.get_title() and "Mt CO2" in ax.get_ylabel()
    assert any(t.get_text() == "Source: test" for t in fig.texts)
    assert len(ax.get_legend().get_texts()) == 4
    plt.close(fig)


FRAME = pd.DataFrame({"c": ["A"] * 3 + ["B"] * 3, "y": [2019, 2020, 2021] * 2, "v": [10.0, 9.0, 8.0, 5.0, 5.0, 5.0]})


def test_explorer_is_static_during_autograding(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    result = climate.pathway_explorer(FRAME, country="c", year="y", value="v", countries=["A", "B"], source="S")
    assert result is None
    out = capsys.readouterr().out
    assert widgets.STATIC_NOTE in out and "Figure:" in out and "start_year=2021" in out
    plt.close("all")


def test_explorer_redraws_when_a_slider_moves(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("COURSE_STATIC_WIDGETS", raising=False)
    explorer = climate.pathway_explorer(FRAME, country="c", year="y", value="v", countries=["A", "B"], source="S",
                                        default_country="B")
    assert isinstance(explorer, widgets.Explorer)
    before = explorer.draw_count
    explorer.controls["start_year"].value = 2019
    explorer.controls["cut_pct"].value = 7.5
    explorer.controls["which"].value = "A"
    assert explorer.draw_count == before + 3
    plt.close("all")
