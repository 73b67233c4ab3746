"""Unit tests for course/climate.py (the pathway explorer's private arithmetic, its widget) and for every
number notebook 02's prose and model answers state, recomputed from data/."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from course import climate, data, widgets


def test_yearly_cut_needed_reaches_the_end_value():
    cut = climate._yearly_cut_needed(1000, 100, 29)
    assert cut == pytest.approx(100 * (1 - 0.1 ** (1 / 29)))
    assert 1000 * (1 - cut / 100) ** 29 == pytest.approx(100)
    assert climate._yearly_cut_needed(50, 50, 10) == pytest.approx(0)


def test_yearly_cut_needed_refuses_zero_and_bad_years():
    with pytest.raises(ValueError, match="never reaches zero"):
        climate._yearly_cut_needed(1000, 0, 29)
    with pytest.raises(ValueError):
        climate._yearly_cut_needed(1000, 100, 0)


def test_constant_cut_pathway_years_and_values():
    path = climate._constant_cut_pathway(2021, 200.0, 10)
    assert path.index[0] == 2021 and path.index[-1] == climate.NET_ZERO_YEAR
    assert len(path) == 30
    assert path.loc[2021] == 200.0
    assert path.loc[2022] == pytest.approx(180.0)
    assert path.loc[2050] == pytest.approx(200 * 0.9 ** 29)
    assert (path.diff().dropna() < 0).all()


def test_zero_cut_is_flat():
    path = climate._constant_cut_pathway(2010, 5.0, 0, end_year=2015)
    assert path.tolist() == [5.0] * 6


def test_straight_line_reaches_zero_with_equal_steps():
    path = climate._straight_line_pathway(2021, 290.0)
    assert path.loc[2050] == pytest.approx(0)
    steps = path.diff().dropna()
    assert steps.to_numpy() == pytest.approx([-10.0] * 29)
    with pytest.raises(ValueError):
        climate._straight_line_pathway(2050, 1.0)


def test_pathway_summary_against_a_series():
    actual = pd.Series([100.0, 95.0, 90.0], index=[2019, 2020, 2021])
    info = climate._pathway_summary(actual, 2019, 5)
    assert info["pathway_last"] == pytest.approx(100 * 0.95 ** 2)
    assert info["actual_last"] == 90.0
    assert info["target_value"] == pytest.approx(10.0)
    assert info["share_left_pct"] == pytest.approx(100 * 0.95 ** 31)
    assert not info["meets_target"]
    assert climate._pathway_summary(actual, 2021, 8)["meets_target"]


def test_country_lists():
    assert len(climate.ASEAN_ISO3) == 10 and climate.TIMOR_LESTE_ISO3 not in climate.ASEAN_ISO3
    assert set(climate.GEOPHYSICAL_HAZARDS) <= set(data._parse("idmc_displacement")["cause"].unique())


def test_cait_sectors_add_up_to_the_total():
    sectors = data._parse("ghg_by_sector")
    row = sectors[(sectors["Entity"] == "Japan") & (sectors["Year"] == 2018)].iloc[0]
    assert sum(row[s] for s in climate.CAIT_SECTORS) == pytest.approx(row["Total excluding LUCF"], abs=0.1)


def test_draw_pathway_prints_numbers_and_cites(capsys):
    actual = pd.Series([1315.6, 1067.4], index=[2013, 2021])
    fig = climate._draw_pathway(actual, "Japan", 2013, 3, source="Source: test")
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


def test_only_the_explorer_is_a_public_function():
    """No public helper computes a graded answer (issue 15): the arithmetic behind the explorer is private."""
    public = [name for name in dir(climate) if not name.startswith("_")
              and callable(getattr(climate, name)) and getattr(getattr(climate, name), "__module__", "") == climate.__name__]
    assert public == ["pathway_explorer"]
    assert set(climate.__all__) == {"NET_ZERO_YEAR", "RESIDUAL_SHARE", "ASEAN_ISO3", "TIMOR_LESTE_ISO3",
                                    "GEOPHYSICAL_HAZARDS", "CAIT_SECTORS", "pathway_explorer"}


def test_explorer_labels_are_shown_in_full(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("COURSE_STATIC_WIDGETS", raising=False)
    explorer = climate.pathway_explorer(FRAME, country="c", year="y", value="v", countries=["A", "B"], source="S")
    for control in explorer.controls.values():
        assert control.style.description_width == "initial", control.description
        assert control.layout.width, control.description
    plt.close("all")


# --- every number notebook 02 states in prose or in a model answer, recomputed from data/ -------------

def _gcp_total(country):
    gcp = data._parse("gcp_fossil_co2")
    return gcp[gcp["Country"] == country].set_index("Year")["Total"].astype(float)


def _rate(series, start, end):
    return 100 * ((series[end] / series[start]) ** (1 / (end - start)) - 1)


def test_japan_peak_and_pace_since_2013():
    japan = _gcp_total("Japan")
    assert japan.idxmax() == 2013  # "Japan's emissions peaked in 2013 in this series"
    pace = _rate(japan, 2013, 2021)
    assert round(pace, 1) == -2.6  # "about 2.6 % a year since 2013" (not 3 %)
    assert round(100 * (1 + pace / 100) ** (2050 - 2013)) == 38  # "about 38 % of its 2013 level in 2050"
    closest = min(range(21), key=lambda cut: abs(japan[2013] * (1 - cut / 100) ** 8 - japan[2021]))
    assert closest == 3  # the whole-number pathway closest to 2021 (Question 5)


def test_model_answer_numbers_for_the_net_zero_response():
    japan, usa = _gcp_total("Japan"), _gcp_total("USA")
    assert round(_rate(japan, 2011, 2021), 1) == -1.7 and round(_rate(usa, 2011, 2021), 1) == -1.0
    assert round(climate._yearly_cut_needed(1, climate.RESIDUAL_SHARE, 2050 - 2021), 1) == 7.6
    assert round(climate._yearly_cut_needed(1, climate.RESIDUAL_SHARE, 2050 - 2013), 1) == 6.0
    assert round(japan[2021] / 29) == 37 and round(usa[2021] / 29) == 173
    assert round((japan[2011] - japan[2021]) / 10) == 20 and round((usa[2011] - usa[2021]) / 10) == 54


def test_land_sink_is_a_few_percent_by_caits_estimate():
    sectors = data._parse("ghg_by_sector")
    rows = sectors[(sectors["Year"] == 2018) & sectors["Entity"].isin(["Japan", "United States"])].set_index("Entity")
    sink = 100 * rows["Land-use change and forestry"] / rows["Total excluding LUCF"]
    assert round(sink["Japan"], 1) == -2.7 and round(sink["United States"], 1) == -3.8
    assert (sink.abs() < climate.RESIDUAL_SHARE * 100).all()  # "less than the 10 % residual, by CAIT's estimate"


def test_coal_numbers_in_the_coal_response():
    elec = data._parse("electricity_mix").pivot(index="Year", columns="Entity", values="Coal (% electricity)")
    energy = data._parse("energy_mix").pivot(index="Year", columns="Entity", values="Coal (% sub energy)")
    assert round(elec.loc[2021, "Japan"]) == 31 and round(elec.loc[2020, "Japan"]) == 30
    assert round(elec.loc[2020, "United States"]) == 19 and round(elec.loc[2021, "United States"]) == 22
    assert int(elec.index[elec["Japan"] > elec["United States"]].min()) == 2016
    assert (elec.loc[2016:, "Japan"] > elec.loc[2016:, "United States"]).all()  # "above the U.S. share since 2016"
    assert round(elec.loc[1990, "United States"]) == 53  # "from about half ..."
    assert 25 < energy.loc[2020, "Japan"] < 30  # "more than a quarter of its primary energy"
    assert round(elec.loc[2020, "China"], 1) == 63.6


def test_sector_and_displacement_numbers():
    sectors = data._parse("ghg_by_sector")
    japan = sectors[(sectors["Entity"] == "Japan") & (sectors["Year"] == 2018)].iloc[0]
    assert round(100 * japan["Electricity and heat"] / japan["Total excluding LUCF"]) == 47  # "almost half"
    idmc = data._parse("idmc_displacement")
    region = list(climate.ASEAN_ISO3) + [climate.TIMOR_LESTE_ISO3]
    sea = idmc[idmc["geo"].isin(region) & idmc["t"].between(2008, 2018) & (idmc["cause"] != "conflict")]
    total = sea["n"].sum() / 1e6
    weather = sea.loc[~sea["cause"].isin(climate.GEOPHYSICAL_HAZARDS), "n"].sum() / 1e6
    assert round(total, 1) == 58.0 and round(weather, 1) == 54.6 and abs(weather - 54.4) < 0.25
    assert round(100 * sea.loc[sea["geo"] == "PHL", "n"].sum() / 1e6 / total) == 68  # "about two thirds"


def test_china_gap_is_concentrated_around_the_turn_of_the_century():
    owid = data._parse("owid_co2")
    china_owid = owid[owid["country"] == "China"].set_index("year")["co2"].astype(float)
    china_gcp = _gcp_total("China").loc[china_owid.index]
    gap = (100 * (china_gcp - china_owid) / china_owid).abs()
    assert set(gap[gap > 5].index) == set(range(1999, 2004))  # "largest in 1999-2003" (instructor note)


def test_coastal_share_of_the_articles_figures():
    article = data._parse("article_figures")
    values = article.loc[(article["notebook_topic"] == "climate") & (article["unit"] == "million people"), "value"]
    assert {237, 300} <= set(values.tolist())
    assert round(100 * 237 / 300, 1) == 79.0  # "79 %, the article's 'almost 80 percent'"
