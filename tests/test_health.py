"""Unit tests for course/health.py (notebook 01_health): names, the explorer's table, the explorer, and the
numbers the notebook states in prose (each recomputed from data/)."""

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


def _population():
    owid = data._parse("owid_co2")
    return owid[owid["year"] == health.POPULATION_YEAR].set_index("country")["population"]


def _focus_7day():
    """The reference for Question 6: 7-day average of new cases per million, within each country."""
    covid = data._parse("covid_by_country")
    four = covid.assign(country=covid["Country"].replace(health.JHU_TO_OWID))
    four = four[four["country"].isin(health.FOCUS)].sort_values(["country", "Date"])
    daily = four.groupby("country")["Confirmed"].diff().astype(float) / four["country"].map(_population()) * 1e6
    four["avg"] = daily.groupby(four["country"]).transform(lambda s: s.rolling(7).mean())
    return four


def test_the_topic_module_offers_no_answer_helpers():
    # Questions 4-7 are the student's work: no public function computes daily, per-million or averaged series
    public = {name for name, obj in vars(health).items()
              if not name.startswith("_") and callable(obj) and getattr(obj, "__module__", None) == health.__name__}
    assert public == {"explorer"}
    assert not hasattr(health, "daily_table") and not hasattr(health, "population")


def test_every_jhu_country_has_a_2018_population():
    covid = data._parse("covid_by_country")
    pop = _population()
    names = set(covid["Country"].replace(health.JHU_TO_OWID))
    assert names <= set(pop.index), names - set(pop.index)
    assert set(health.FOCUS) <= names
    assert pop["Japan"] == 127202000


def test_explorer_table_differences_stay_within_each_country_and_keep_revisions():
    table = health._explorer_table(COVID, POP)
    us = table[table["country"] == "United States"].reset_index(drop=True)
    tw = table[table["country"] == "Taiwan"].reset_index(drop=True)
    assert pd.isna(us.loc[0, "new_cases"]) and pd.isna(tw.loc[0, "new_cases"])  # no leak across countries
    assert us["new_cases"].tolist()[1:] == [20.0, -5.0]  # the downward revision is kept as published
    assert us["new_cases_per_million"].tolist()[1:] == [10.0, -2.5]
    assert tw["deaths_per_million"].tolist() == [0.0, 0.0, 1.0]
    assert set(table["country"]) == {"United States", "Taiwan"}  # Japan has no COVID rows
    assert set(health.EXPLORER_METRICS.values()) and all(c in table for c, _unit in health.EXPLORER_METRICS.values())


def test_explorer_table_matches_a_hand_calculation_on_the_real_data():
    covid = data._parse("covid_by_country")
    table = health._explorer_table(covid, _population())
    assert len(table) == len(covid)
    japan = table[table["country"] == "Japan"].set_index("Date")
    cumulative = covid[covid["Country"] == "Japan"].set_index("Date")["Deaths"].astype(float)
    by_hand = (cumulative - cumulative.shift(1)) / _population()["Japan"] * 1e6
    assert japan["new_deaths_per_million"].loc["2021-05-23"] == pytest.approx(by_hand.loc["2021-05-23"])


def test_explorer_is_static_during_autograding(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert health.explorer(COVID, POP, source="S", default=["Taiwan"]) is None
    out = capsys.readouterr().out
    assert widgets.STATIC_NOTE in out and "Figure: New cases per million" in out and "Taiwan: 2020-01-01 to 2020-01-03" in out
    plt.close("all")


def test_explorer_offers_every_metric_log_scale_and_smoothing(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("COURSE_STATIC_WIDGETS", raising=False)
    explorer = health.explorer(COVID, POP, source="S")
    assert list(explorer.controls["metric"].options) == list(health.EXPLORER_METRICS)
    assert {"scale", "smooth"} <= set(explorer.controls)
    before = explorer.draw_count
    explorer.controls["scale"].value = "log"  # negative and zero days must not break a log-scale redraw
    explorer.controls["metric"].value = "New deaths per million"
    explorer.controls["smooth"].value = 1
    assert explorer.draw_count == before + 3
    plt.close("all")


# --- numbers the notebook states in prose, recomputed from data/ --------------------------------------


def test_header_counts_seventeen_countries_including_the_united_states():
    countries = set(data._parse("covid_by_country")["Country"])
    assert len(countries) == 17 and "US" in countries


def test_south_korea_peaks_ten_days_before_the_data_end_and_falls_after():
    four = _focus_7day()
    korea = four[four["country"] == "South Korea"].set_index("Date")["avg"]
    assert korea.idxmax() == pd.Timestamp("2021-09-30") and korea.index.max() == pd.Timestamp("2021-10-10")
    after = korea.loc["2021-09-30":]
    assert (after.diff().dropna() < 0).all()  # "its average was already falling again"
    assert round(after.iloc[-1], 1) == 36.4


def test_population_changed_by_at_most_about_two_percent_from_2015_to_2018():
    owid = data._parse("owid_co2")
    wide = owid[owid["country"].isin(health.FOCUS)].pivot(index="country", columns="year", values="population")
    growth = (wide[2018] - wide[2015]) / wide[2015] * 100
    assert growth.abs().max() < 2 and growth.idxmax() == "United States" and growth["Japan"] < 0


def test_about_five_in_six_of_taiwans_cases_came_in_may_and_june_2021():
    covid = data._parse("covid_by_country")
    taiwan = covid[covid["Country"] == "Taiwan*"].set_index("Date")["Confirmed"].astype(float)
    share = (taiwan.loc["2021-06-30"] - taiwan.loc["2021-04-30"]) / taiwan.iloc[-1]
    assert 0.8 < share < 0.87  # "about five in six" (0.833)


def test_france_gives_more_than_japan_in_constant_2025_dollars_in_2020():
    oda = data._parse("oda_gni")
    in_2020 = oda[oda["year"] == 2020].set_index("name")["ODA (left-axis)"]
    assert in_2020["France"] > in_2020["Japan"]
    assert round(in_2020["United States"] / 1000, 1) == 43.5 and round(in_2020["Japan"] / 1000, 1) == 12.8


def test_health_oda_2024_is_far_below_2023_as_the_notebook_says():
    health_oda = data._parse("health_oda")
    total = health_oda.groupby("year")["Health ODA (including COVID-19)"].sum()
    assert round(total[2024] / 1000, 1) == 9.5 and round(total[2023] / 1000, 1) == 24.6
    by_donor = health_oda.set_index(["donor_name", "year"])["Health ODA (including COVID-19)"]
    assert round(by_donor["Japan", 2024]) == 433 and round(by_donor["Japan", 2023]) == 1654
    assert round(by_donor["United States", 2024]) == 3127 and round(by_donor["United States", 2023]) == 9869
    assert health_oda["donor_name"].nunique() == 31
    drop = health_oda.pivot(index="donor_name", columns="year", values="Health ODA (including COVID-19)")
    assert int((drop[2024] < drop[2023]).sum()) == 28  # "28 of the 31 donors report less for 2024 than for 2023"
    assert int((drop[2024] < drop[2023] / 2).sum()) >= 16  # "most of them far less" (below half)
