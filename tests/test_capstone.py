"""The capstone's explorer code, and every number the capstone states in its text, recomputed from data/."""

import itertools

import ipywidgets
import pandas as pd
import pytest

from course import capstone, data

BEFORE, AFTER = (2013, 2016), (2017, 2020)


def _mean(yearly: pd.Series, span) -> float:
    return float(yearly.reindex(range(span[0], span[1] + 1), fill_value=0).mean())


def _factor(yearly: pd.Series) -> float:
    return _mean(yearly, AFTER) / _mean(yearly, BEFORE)


@pytest.fixture(scope="module")
def emissions():
    gcp = pd.read_csv(data.raw_path("gcp_fossil_co2"))
    return gcp[gcp["Country"].isin(["USA", "Japan", "China"])].pivot_table(index="Year", columns="Country", values="Total")


@pytest.fixture(scope="module")
def china_milex():
    milex = pd.read_csv(data.raw_path("sipri_milex"))
    return milex[milex["Entity"] == "China"].set_index("Year")["military_expenditure"]


@pytest.fixture(scope="module")
def missed_summits():
    eas = pd.read_csv(data.raw_path("eas_attendance"))
    return eas.set_index("year")["president_attended_eas_plenary"].eq("no").astype(float)


@pytest.fixture(scope="module")
def missiles_per_year():
    years = pd.read_csv(data.raw_path("nk_missile_tests"))["date"].str[:4].astype(int)
    return years.value_counts().reindex(range(1984, years.max() + 1), fill_value=0)


@pytest.fixture(scope="module")
def factors(emissions, china_milex, missed_summits, missiles_per_year):
    return pd.Series({
        "Climate change": _factor(emissions["USA"] + emissions["Japan"]),
        "China challenge": _factor(china_milex),
        "Regional institutions": _factor(missed_summits),
        "North Korea": _factor(missiles_per_year),
    })


def _shares(scaled: pd.Series, levels=range(4)) -> pd.Series:
    """Share of non-zero weight combinations in which each priority is alone on top (independent of the notebook)."""
    names, values = list(scaled.index), list(scaled)
    wins, total = dict.fromkeys(names, 0), 0
    for combo in itertools.product(levels, repeat=len(names)):
        if not any(combo):
            continue
        total += 1
        scores = [v * w for v, w in zip(values, combo)]
        if max(scores) > 0 and scores.count(max(scores)) == 1:
            wins[names[scores.index(max(scores))]] += 1
    return pd.Series(wins) / total


# --- no shortcut: the student-facing module computes no graded answer ----------------------------

def test_capstone_offers_no_answer_computing_function():
    public = {name for name in dir(capstone) if not name.startswith("_") and callable(getattr(capstone, name))}
    # only the explorer, the citation line, and what the module imports
    assert public - {"annotations"} <= {"weights_explorer", "source_line", "pd", "plt", "ipywidgets", "data",
                                        "plots", "widgets"}
    for removed in ["minmax", "rank_scale", "weighted_scores", "sensitivity", "top_priority", "scale"]:
        assert not hasattr(capstone, removed)


# --- the explorer's private code -------------------------------------------------------------------

def test_scaling_keeps_distances_or_only_order():
    skewed = pd.Series({"A": 1.0, "B": 1.1, "C": 10.0})
    assert capstone._scaled(skewed, "min-max").round(4).tolist() == [0.0, 0.0111, 1.0]
    assert capstone._scaled(skewed, "rank").tolist() == [0.0, 0.5, 1.0]
    assert capstone._scaled(pd.Series({"A": 2.0, "B": 2.0}), "min-max").tolist() == [0.0, 0.0]
    with pytest.raises(ValueError, match="unknown scaling"):
        capstone._scaled(skewed, "z-score")


def test_leader_is_none_on_a_tie_or_when_every_score_is_zero():
    assert capstone._leader(pd.Series({"A": 0.5, "B": 1.0})) == "B"
    assert capstone._leader(pd.Series({"A": 1.0, "B": 1.0})) is None
    assert capstone._leader(pd.Series({"A": 0.0, "B": 0.0})) is None


def test_explorer_reads_only_a_usable_indicators_table():
    good = pd.DataFrame({"priority": capstone.PRIORITIES, "factor": [1.0, 2.0, 3.0, 4.0]})
    assert capstone._factors_from(good).tolist() == [1.0, 2.0, 3.0, 4.0]
    assert capstone._factors_from(None) is None
    assert capstone._factors_from(good.rename(columns={"factor": "ratio"})) is None
    assert capstone._factors_from(good.head(3)) is None
    assert capstone._factors_from(good.assign(factor=["x", 2, 3, 4])) is None


def test_explorer_climate_alternative_includes_china(emissions):
    assert capstone._climate_factor_with_china() == pytest.approx(_factor(emissions.sum(axis=1)))
    assert capstone._climate_factor_with_china() == pytest.approx(1.013, abs=5e-4)


def test_explorer_without_indicators_says_what_to_do(capsys):
    assert capstone.weights_explorer(None, source="Source: test") is None
    assert "Build the `indicators` table first (Question 7" in capsys.readouterr().out


def test_explorer_draws_in_static_mode_and_labels_are_not_truncated(monkeypatch, factors, capsys):
    table = factors.rename_axis("priority").rename("factor").reset_index()
    monkeypatch.setenv("COURSE_STATIC_WIDGETS", "1")
    assert capstone.weights_explorer(table, source=capstone.source_line()) is None
    assert "min-max scaling: Regional institutions first" in capsys.readouterr().out
    monkeypatch.delenv("COURSE_STATIC_WIDGETS")
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    explorer = capstone.weights_explorer(table, source=capstone.source_line())
    for name, control in explorer.controls.items():
        assert control.style.description_width == "initial", name
    sliders = [c for c in explorer.controls.values() if isinstance(c, ipywidgets.IntSlider)]
    assert [s.description for s in sliders] == [f"Weight: {p}" for p in capstone.PRIORITIES]
    explorer.controls["climate"].value = capstone.CLIMATE_CHOICES[1]  # redraws without error
    assert explorer.draw_count >= 1


def test_explorer_chart_names_the_climate_choice_so_every_change_shows(monkeypatch, factors):
    """Under rank scaling the China-inclusive climate factor can leave the bars as they were; the chart
    must still change, or a student (and the keyboard test in the browser) sees no response to the menu."""
    table = factors.rename_axis("priority").rename("factor").reset_index()
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("COURSE_STATIC_WIDGETS", raising=False)
    titles = []
    monkeypatch.setattr(capstone.plots, "show", lambda fig: titles.append(fig.axes[0].get_title()))
    explorer = capstone.weights_explorer(table, source=capstone.source_line())
    explorer.controls["scaling"].value = "rank"
    explorer.controls["climate"].value = capstone.CLIMATE_CHOICES[1]
    explorer.controls["climate"].value = capstone.CLIMATE_CHOICES[0]
    assert [t.splitlines()[-1] for t in titles[-3:]] == [
        f"Climate indicator: {c}" for c in (capstone.CLIMATE_CHOICES[0], *capstone.CLIMATE_CHOICES[::-1])]
    assert titles[-2] != titles[-1]


def test_explorer_bars_name_their_weights_so_every_slider_shows(monkeypatch, factors):
    """The lowest factor scales to 0 under both scalings, so its bar stays at 0 whatever its weight; the
    bar's label names the weight, or a student (and the keyboard test in the browser) sees no response."""
    table = factors.rename_axis("priority").rename("factor").reset_index()
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("COURSE_STATIC_WIDGETS", raising=False)
    drawn = []
    monkeypatch.setattr(capstone.plots, "show", lambda fig: drawn.append(
        (tuple(t.get_text() for t in fig.axes[0].get_yticklabels()), tuple(p.get_width() for p in fig.axes[0].patches))))
    explorer = capstone.weights_explorer(table, source=capstone.source_line())
    for scaling in capstone.SCALINGS:
        explorer.controls["scaling"].value = scaling
        lowest = capstone._scaled(factors, scaling).idxmin()
        explorer.controls[lowest].value = 3
        explorer.controls[lowest].value = 2
        (labels_3, bars_3), (labels_2, bars_2) = drawn[-2:]
        assert bars_3 == bars_2  # the bars alone do not change: 0 x any weight
        assert f"{lowest} (weight 3)" in labels_3 and f"{lowest} (weight 2)" in labels_2
        explorer.controls[lowest].value = 1


def test_source_line_names_each_data_set_once_without_double_full_stops():
    line = capstone.source_line()
    assert ".;" not in line and "above" not in line
    for publisher in ["Global Carbon Project", "SIPRI", "CNBC", "CNS North Korea"]:
        assert line.count(publisher) == 1


# --- every number the notebook states, recomputed from data/ ---------------------------------------

def test_health_numbers():
    world = pd.read_csv(data.raw_path("covid_worldwide")).set_index("Date")["Confirmed"]
    assert world[world >= 50_000_000].index[0] == "2020-11-07"
    new = world["2020-12-07"] - world["2020-11-07"]
    assert round(new / 1e6, 1) == 17.7
    assert round(new / world["2020-12-07"], 2) == 0.26  # "about a quarter of all cases recorded by 7 December"
    assert world.index.max() == "2022-04-16"
    by_country = pd.read_csv(data.raw_path("covid_by_country"))
    assert by_country["Date"].max() == "2021-10-10"


def test_every_indicator_covers_both_periods_and_2020_is_the_last_common_year(emissions, china_milex, missed_summits):
    assert china_milex.index.max() == 2020
    assert missed_summits.index.max() == 2020
    assert emissions.index.max() >= 2020
    for series in (china_milex, missed_summits, emissions["USA"]):
        assert set(range(2013, 2021)) <= set(series.index)


def test_climate_numbers(emissions):
    by_country = emissions.loc[2017:2020].mean() / emissions.loc[2013:2016].mean()
    assert by_country.round(2).to_dict() == {"China": 1.06, "Japan": 0.89, "USA": 0.95}
    allies = emissions["USA"] + emissions["Japan"]
    assert round(_factor(allies), 2) == 0.94  # a fall of 6 percent
    assert round(_mean(allies, BEFORE)) == 6661 and round(_mean(allies, AFTER)) == 6261
    assert round(_factor(emissions.sum(axis=1)), 2) == 1.01
    china_share = _mean(emissions["China"], BEFORE) / _mean(emissions.sum(axis=1), BEFORE)
    assert 0.58 < china_share < 0.62  # "about three fifths"
    # "2020, when the pandemic cut emissions": the allies' fell that year
    assert (emissions.loc[2020, ["USA", "Japan"]] < emissions.loc[2019, ["USA", "Japan"]]).all()
    assert emissions.loc[2020, "China"] > emissions.loc[2019, "China"]  # "China's kept rising"


def test_china_military_spending_numbers(china_milex):
    assert round(_mean(china_milex, BEFORE) / 1e9) == 185 and round(_mean(china_milex, AFTER) / 1e9) == 233
    assert round(_factor(china_milex), 2) == 1.26


def test_summit_numbers(missed_summits):
    assert missed_summits.loc[2013:2016].sum() == 1 and missed_summits.loc[2017:2020].sum() == 4
    assert _factor(missed_summits) == 4.0
    assert (1.0 / 0.25) == 4.0 and (0.75 / 0.25) == 3.0  # the article's count of three misses gives 3


def test_north_korea_numbers(missiles_per_year):
    assert missiles_per_year[2018] == 0  # the pause inside the later period
    assert missiles_per_year[2019] == 27
    assert _mean(missiles_per_year, BEFORE) == 16 and _mean(missiles_per_year, AFTER) == 14.25
    # the trap the question warns about: leaving 2018 out raises the factor above 1
    present = missiles_per_year[missiles_per_year > 0]
    assert present.loc[2017:2020].mean() / present.loc[2013:2016].mean() > 1


def test_min_max_robustness_numbers(factors):
    assert factors.round(2).to_dict() == {"Climate change": 0.94, "China challenge": 1.26,
                                          "Regional institutions": 4.0, "North Korea": 0.89}
    minmax = capstone._scaled(factors, "min-max")
    shares = _shares(minmax)
    assert shares["Regional institutions"] == pytest.approx(192 / 255)  # every combination with its weight >= 1
    assert round(shares["Regional institutions"], 2) == 0.75  # "about three quarters"
    # with the article's count of misses (factor 3) institutions still wins the same combinations
    assert _shares(capstone._scaled(factors.replace({4.0: 3.0}), "min-max"))["Regional institutions"] == pytest.approx(192 / 255)
    # Question 9 cannot be solved under min-max: China never beats institutions at weight >= 1
    assert 3 * minmax["China challenge"] < 1 * minmax["Regional institutions"]
    # switching the climate indicator moves the min-max shares (the test depends on the data)
    with_china = factors.copy()
    with_china["Climate change"] = capstone._climate_factor_with_china()
    assert not _shares(capstone._scaled(with_china, "min-max")).equals(shares)


def test_rank_shares_depend_only_on_the_order(factors):
    rank_shares = _shares(capstone._scaled(factors, "rank"))
    same_order = pd.Series([0.5, 0.7, 100.0, 0.1], index=factors.index)  # any values in the same order
    assert _shares(capstone._scaled(same_order, "rank")).equals(rank_shares)
    with_china = factors.copy()
    with_china["Climate change"] = capstone._climate_factor_with_china()  # same order, so the same shares
    assert _shares(capstone._scaled(with_china, "rank")).equals(rank_shares)
    # and under rank scaling Question 9 has a solution: China 3, institutions 1
    ranked = capstone._scaled(factors, "rank")
    assert 3 * ranked["China challenge"] > 1 * ranked["Regional institutions"]
