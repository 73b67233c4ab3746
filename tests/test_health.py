"""Unit tests for course/health.py (notebook 01_health): names, population, daily series, explorer."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from course import data, health, widgets

COVID = pd.DataFrame({
    "Date": pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-03"] * 2),
    "Country": ["US"] * 3 + ["Taiwan*"] * 3,
    "Confirmed": pd.array([10, 30, 25, 0, 2, 4], dtype="Int64"),  # US revises down on day 3
    "Recovered": pd.array([0] * 6, dtype="Int64"),
    "Deaths": pd.array([1, 1, 2, 0, 0, 1], dtype="Int64"),
})
POP = pd.Series({"United States": 2_000_000.0, "Taiwan": 1_000_000.0, "Japan": 5.0})


def test_jhu_names_translate_to_owid_and_others_are_kept():
    names = pd.Series(["US", "Korea, South", "Taiwan*", "Burma", "Japan"])
    assert health.to_owid_names(names).tolist() == ["United States", "South Korea", "Taiwan", "Myanmar", "Japan"]


def test_every_jhu_country_has_a_2018_population():
    covid = data.load("covid_by_country")
    pop = health.population(data.load("owid_co2"))
    names = set(health.to_owid_names(covid["Country"]))
    assert names <= set(pop.index), names - set(pop.index)
    assert set(health.FOCUS) <= names
    assert pop["Japan"] == 127202000


def test_population_refuses_a_year_outside_the_file():
    with pytest.raises(ValueError, match="no population for 2021"):
        health.population(data.load("owid_co2"), year=2021)


def test_daily_table_differences_stay_within_each_country_and_keep_revisions():
    table = health.daily_table(COVID, POP, window=2)
    us = table[table["country"] == "United States"].reset_index(drop=True)
    tw = table[table["country"] == "Taiwan"].reset_index(drop=True)
    assert pd.isna(us.loc[0, "new_cases"]) and pd.isna(tw.loc[0, "new_cases"])  # no leak across countries
    assert us["new_cases"].tolist()[1:] == [20.0, -5.0]  # the downward revision is kept as published
    assert us["new_cases_per_million"].tolist()[1:] == [10.0, -2.5]
    assert us["new_cases_per_million_7d"].tolist()[2] == pytest.approx(3.75)  # mean of 10 and -2.5
    assert tw["deaths_per_million"].tolist() == [0.0, 0.0, 1.0]
    assert set(table["country"]) == {"United States", "Taiwan"}  # Japan has no COVID rows


def test_daily_table_matches_a_hand_calculation_on_the_real_data():
    covid = data.load("covid_by_country")
    pop = health.population(data.load("owid_co2"))
    table = health.daily_table(covid, pop)
    assert len(table) == len(covid)
    japan = table[table["country"] == "Japan"].set_index("Date")
    cumulative = covid[covid["Country"] == "Japan"].set_index("Date")["Confirmed"].astype(float)
    by_hand = (cumulative - cumulative.shift(7)) / 7 / pop["Japan"] * 1e6
    assert japan["new_cases_per_million_7d"].loc["2021-08-25"] == pytest.approx(by_hand.loc["2021-08-25"])
    assert japan["new_cases_per_million_7d"].idxmax() == pd.Timestamp("2021-08-25")


def test_explorer_is_static_during_autograding(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    table = health.daily_table(COVID, POP)
    assert health.explorer(table, source="S", default=["Taiwan"]) is None
    out = capsys.readouterr().out
    assert widgets.STATIC_NOTE in out and "Figure: New cases per million" in out and "Taiwan: 2020-01-01 to 2020-01-03" in out
    plt.close("all")


def test_explorer_offers_every_metric_log_scale_and_smoothing(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("COURSE_STATIC_WIDGETS", raising=False)
    table = health.daily_table(COVID, POP)
    explorer = health.explorer(table, source="S")
    assert list(explorer.controls["metric"].options) == list(health.EXPLORER_METRICS)
    assert {"scale", "smooth"} <= set(explorer.controls)
    before = explorer.draw_count
    explorer.controls["scale"].value = "log"  # negative and zero days must not break a log-scale redraw
    explorer.controls["metric"].value = "New deaths per million"
    explorer.controls["smooth"].value = 1
    assert explorer.draw_count == before + 3
    plt.close("all")
