"""Unit tests for course/north_korea.py (road-map checker and the missile-test explorer)."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from course import data, north_korea as nk


def _plan(rows):
    return pd.DataFrame(rows, columns=nk.ROAD_MAP_COLUMNS)


ALLIES = "United States; Japan; South Korea"


def _fixed_draft():
    road = nk.draft_road_map()
    road.loc[road["step"] == "trilateral_meeting", "requires"] = ""
    road.loc[road["step"] == "reduce_frictions", "party"] = "United States"
    new_order = {"concessions": 3, "requests": 4, "pacing": 5}
    road["order"] = [new_order.get(step, order) for step, order in zip(road["step"], road["order"])]
    return road


def test_parse_list_accepts_separators_lists_and_blanks():
    assert nk.parse_list("a; b,c ;") == ["a", "b", "c"]
    assert nk.parse_list(["a", " b "]) == ["a", "b"]
    assert nk.parse_list("") == [] and nk.parse_list(None) == [] and nk.parse_list(pd.NA) == []
    assert nk.parse_list(float("nan")) == []


def test_consistent_plan_has_no_problems():
    plan = _plan([
        (1, "meet", "meeting", ALLIES, ""),
        (2, "ask", "request", ALLIES, "meet"),
        (3, "give", "concession", ALLIES, "meet"),
        (4, "pace", "pacing", ALLIES, "ask; give"),
        (5, "mark", "milestone", "United States; North Korea", "pace"),
    ])
    assert nk.check_road_map(plan, required_elements=nk.ARTICLE_ELEMENTS) == []
    assert nk.links(plan) == {("ask", "meet"), ("give", "meet"), ("pace", "ask"), ("pace", "give"), ("mark", "pace")}


def test_prerequisite_after_the_step_is_reported():
    plan = _plan([(1, "pace", "pacing", ALLIES, "give"), (2, "give", "concession", ALLIES, "")])
    problems = nk.check_road_map(plan)
    assert len(problems) == 1 and "does not come before" in problems[0] and "`give`" in problems[0]


def test_cycle_is_reported_even_when_orders_are_tied_or_missing():
    plan = _plan([(1, "a", "meeting", ALLIES, "c"), (2, "b", "pacing", ALLIES, "a"), (3, "c", "consensus", ALLIES, "b")])
    problems = nk.check_road_map(plan)
    assert any("cycle" in p for p in problems)
    cycle = nk.find_cycle({"a": ["c"], "b": ["a"], "c": ["b"]})
    assert cycle[0] == cycle[-1] and set(cycle) == {"a", "b", "c"}
    # the cycle reads forward in time: each step must come before the next
    requires = {"a": ["c"], "b": ["a"], "c": ["b"]}
    for before, after in zip(cycle, cycle[1:]):
        assert before in requires[after]
    assert nk.find_cycle({"a": [], "b": ["a"]}) == []


def test_missing_party_unknown_party_and_unknown_element():
    plan = _plan([
        (1, "a", "meeting", "", ""),
        (2, "b", "summit", "China", "a"),
    ])
    problems = " | ".join(nk.check_road_map(plan))
    assert "`a` has no party" in problems
    assert "unknown party (China)" in problems
    assert "'summit'" in problems


def test_unknown_prerequisite_self_reference_duplicates():
    plan = _plan([
        (1, "a", "meeting", ALLIES, "zzz"),
        (2, "b", "request", ALLIES, "b"),
        (2, "b", "request", ALLIES, ""),
    ])
    problems = " | ".join(nk.check_road_map(plan))
    assert "not a step" in problems and "requires itself" in problems
    assert "unique" in problems and "same `order`" in problems


def test_missing_columns_wrong_type_empty_and_required_elements():
    assert "missing the column" in nk.check_road_map(pd.DataFrame({"step": ["a"]}))[0]
    assert "DataFrame" in nk.check_road_map([1, 2])[0]
    assert nk.check_road_map(_plan([])) == ["The road map has no steps."]
    plan = _plan([(1, "a", "meeting", ALLIES, "")])
    problems = nk.check_road_map(plan, required_elements=["pacing"])
    assert problems == ["No step of the road map is a 'pacing', one of the pieces the article asks for."]
    bad_order = _plan([("first", "a", "meeting", ALLIES, "")])
    assert "not a number" in nk.check_road_map(bad_order)[0]


def test_draft_has_exactly_the_planted_problems_and_the_fix_works(capsys):
    draft = nk.draft_road_map()
    assert set(draft["element"]) >= set(nk.ARTICLE_ELEMENTS)
    problems = nk.check_road_map(draft, required_elements=nk.ARTICLE_ELEMENTS)
    text = " | ".join(problems)
    assert "cycle" in text and "`reduce_frictions` has no party" in text
    assert "`pacing` requires `concessions`" in text and "`pacing` requires `requests`" in text
    assert "`trilateral_meeting` requires `consensus`" in text
    assert len(problems) == 5
    assert nk.report_road_map(draft) is False
    assert "5 problem(s)" in capsys.readouterr().out
    fixed = _fixed_draft()
    assert nk.check_road_map(fixed, required_elements=nk.ARTICLE_ELEMENTS) == []
    assert nk.report_road_map(fixed) is True
    assert nk.links(fixed) == nk.links(draft) - {("trilateral_meeting", "consensus")}


def test_breaking_the_cycle_at_the_other_end_is_still_consistent_but_changes_links():
    road = nk.draft_road_map()
    road["requires"] = road["requires"].astype(object)
    road.loc[road["step"] == "consensus", "requires"] = "concessions; requests; pacing; milestones"
    road.loc[road["step"] == "reduce_frictions", "party"] = "United States"
    road = road.set_index("step").loc[["concessions", "requests", "pacing", "milestones", "consensus",
                                       "trilateral_meeting", "regular_consultations", "reduce_frictions"]]
    road = road.reset_index().assign(order=range(1, 9))
    assert nk.check_road_map(road) == []
    assert ("trilateral_meeting", "consensus") in nk.links(road)


def _record():
    return data._parse("nk_missile_tests"), data._parse("nk_missile_types")


def _cns():
    tests, _types = _record()
    cns = tests[pd.to_datetime(tests["date"], format="mixed") <= nk.CNS_CUTOFF].copy()
    cns["year"] = cns["date"].str[:4].astype(int)
    return cns


def test_no_public_function_computes_the_yearly_counts():
    # notebook 5's Question 3 asks for these counts: only the explorer's private code builds them
    assert not hasattr(nk, "per_year") and "per_year" not in nk.__all__
    assert all(not name.startswith("_") for name in nk.__all__)


def test_private_per_year_counts_and_maxima_on_real_data():
    merged = nk._typed_record(*_record())
    assert len(merged) == 339 and merged["type"].notna().all()
    counts = nk._per_year(merged, ["ICBM"], (2015, 2024), "Missiles launched")
    assert list(counts.index) == list(range(2015, 2025))
    assert counts.loc[2018] == 0 and counts.sum() == 12
    assert [y for y, n in counts.items() if n > 0] == [2017, 2022, 2023, 2024]
    longest = nk._per_year(merged, ["IRBM", "ICBM"], (2017, 2018), "Longest distance flown")
    assert longest.loc[2017] == 3700 and pd.isna(longest.loc[2018])


def test_long_range_years_of_question_9_need_the_preliminary_rows():
    merged = nk._typed_record(*_record())
    long_range = merged[merged["type"].isin(["IRBM", "ICBM"])]
    assert sorted(set(long_range["year"])) == [2016, 2017, 2022, 2023, 2024, 2025]
    # the record cut at 2024 (the students' `typed`) misses 2025: the explorer is needed
    assert 2025 not in set(long_range.loc[long_range["year"] <= 2024, "year"])


def test_launch_days_against_missiles_as_the_notebook_states():
    cns = _cns()
    missiles = cns.groupby("year").size().reindex(range(1984, 2025), fill_value=0)
    days = cns.groupby("year")["date"].nunique().reindex(range(1984, 2025), fill_value=0)
    periods = {"2014-2017": (2014, 2017), "2018": (2018, 2018), "2019-2020": (2019, 2020), "2021-2024": (2021, 2024)}
    by_missile = {k: missiles.loc[a:b].mean() for k, (a, b) in periods.items()}
    by_day = {k: days.loc[a:b].mean() for k, (a, b) in periods.items()}
    assert by_missile == {"2014-2017": 19.75, "2018": 0, "2019-2020": 18, "2021-2024": 37.25}
    assert by_day == {"2014-2017": 12.25, "2018": 0, "2019-2020": 9, "2021-2024": 17.25}
    # W1 model answer: "almost twice" by missiles (1.89), "about 1.4 times" by launch days
    assert round(by_missile["2021-2024"] / by_missile["2014-2017"], 2) == 1.89
    assert round(by_day["2021-2024"] / by_day["2014-2017"], 2) == 1.41
    # W2 model answer: 27 missiles in 2019, more than any earlier year, but on 14 launch days (16 in 2016, 15 in 2017)
    assert missiles.loc[2019] == 27 and missiles.loc[:2018].max() == 24
    assert days.loc[2019] == 14 and days.loc[2016] == 16 and days.loc[2017] == 15
    assert missiles.loc[2022] == 69 and days.loc[2022] == 34


def test_dates_are_utc_dates():
    """Part 1: `date` is the UTC date; the CNS description's local date is a day later for late-UTC launches."""
    tests, _types = _record()
    timed = tests[tests["time"].str.endswith("(UTC)")]
    assert len(timed) > 200
    said = tests["description"].fillna("").str.extract(r"On (\w+ \d{1,2}, \d{4}) \(local time\)")[0]
    local_dated = tests.assign(said=pd.to_datetime(said, format="%B %d, %Y")).dropna(subset=["said"])
    later = local_dated[local_dated["said"] != pd.to_datetime(local_dated["date"], format="mixed")]
    assert len(later) >= 20
    for _, row in later.iterrows():
        # the description's local date is the next day, and the UTC time is late enough for that (UTC + 9 h)
        assert row["said"] - pd.Timestamp(row["date"]) == pd.Timedelta(days=1), row["date"]
        assert row["time"].endswith("(UTC)") and int(row["time"][:2]) >= 15, row["date"]
    example = tests[tests["description"].fillna("").str.contains("October 31, 2024 (local time)", regex=False)]
    assert set(example["date"]) == {"2024-10-30"}
    # counted by Korean date (UTC + 9 h) a few years change by one launch day at most
    cns = _cns()
    local = cns["date"].copy()
    has_time = cns["time"].str.endswith("(UTC)")
    stamps = pd.to_datetime(cns.loc[has_time, "date"] + " " + cns.loc[has_time, "time"].str[:5]) + pd.Timedelta(hours=9)
    local.loc[has_time] = stamps.dt.strftime("%Y-%m-%d")
    by_utc = cns.groupby("year")["date"].nunique()
    by_local = cns.assign(local=local).groupby("year")["local"].nunique()
    difference = (by_local - by_utc).abs()
    assert 1 <= (difference > 0).sum() <= 4 and difference.max() == 1  # "a few years ... one launch day"


def test_preliminary_rows_are_almost_all_unknown():
    tests, _types = _record()
    later = tests[tests["date"] > nk.CNS_CUTOFF]
    assert later["outcome"].value_counts().to_dict() == {"unknown": len(later) - 1, "failure": 1}


def test_fas_zeros_before_2015_are_missing_estimates():
    """Part 4: North Korea's FAS series starts in 2015; every country has every year 1945-2023, zeros before."""
    fas = data._parse("fas_warheads")
    assert fas.groupby("country_name")["year"].agg(["min", "max", "size"]).eq([1945, 2023, 79]).all().all()
    north = fas[fas["country_name"].str.split().str.join(" ") == "North Korea"].set_index("year")["nuclear_weapons_stockpile"]
    assert (north.loc[:2014] == 0).all() and north.loc[2015:].tolist() == [5, 10, 15, 20, 25, 35, 20, 25, 30]
    assert round(100 * ((north.loc[2020] / north.loc[2015]) ** 0.2 - 1), 1) == 47.6


def test_lofted_examples_of_2022_and_2023():
    merged = _cns().merge(data._parse("nk_missile_types"), on="missile")
    longest = merged.dropna(subset=["distance"]).sort_values("distance").groupby("year").tail(1).set_index("year")
    assert (longest.loc[2022, "type"], longest.loc[2022, "distance"]) == ("IRBM", 4500)
    assert (longest.loc[2023, "type"], longest.loc[2023, "distance"]) == ("SLV", 3000)
    icbm = merged[merged["type"] == "ICBM"].groupby("year")[["distance", "apogee"]].max()
    assert icbm.loc[2022, "distance"] < 1500 and icbm.loc[2022, "apogee"] > 6000


def test_landing_share_of_the_model_answer():
    merged = _cns().merge(data._parse("nk_missile_types"), on="missile")
    window = merged[merged["year"].between(2014, 2024)]
    assert len(window) == 264 and window["landing"].isin(["sea-of-japan", "pacific-ocean"]).sum() == 231


def test_missile_explorer_static_and_interactive(monkeypatch, capsys):
    tests, types = _record()
    monkeypatch.setenv("COURSE_STATIC_WIDGETS", "1")
    assert nk.missile_explorer(tests, types, source="src") is None
    out = capsys.readouterr().out
    assert "Static view" in out and "Figure:" in out
    plt.close("all")
    monkeypatch.setenv("COURSE_STATIC_WIDGETS", "0")
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    explorer = nk.missile_explorer(tests, types, source="src")
    assert explorer is not None
    # labels are shown in full and each year readout holds one year (no clipped "1984 - 202")
    for control in explorer.controls.values():
        assert control.style.description_width == "initial"
    assert explorer.controls["last"].value == 2026 and explorer.controls["first"].value == 1984
    explorer._redraw()
    assert explorer.draw_count == 1
    explorer.controls["selected"].value = ("IRBM", "ICBM")
    explorer.controls["first"].value = 2015
    explorer.controls["metric"].value = "Highest apogee"
    assert explorer.draw_count == 4
    explorer.controls["first"].value = 2026
    explorer.controls["last"].value = 2020
    assert "is after the last year" in capsys.readouterr().out
    explorer.controls["selected"].value = ()
    assert "Pick at least one" in capsys.readouterr().out
    plt.close("all")


def test_yearly_bars_marks_years():
    values = pd.Series([1, 0, 3], index=[2019, 2020, 2021])
    fig = nk.yearly_bars(values, title="t", ylabel="y (n)", source="s", marked=[2021], marked_label="m")
    ax = fig.axes[0]
    colours = [p.get_facecolor() for p in ax.patches]
    assert colours[0] != colours[2]
    assert ax.get_xlabel() == "Year" and ax.get_title() == "t"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["m"]
    assert len(ax.patches) == 3  # the shading of a marked year is not counted as a bar
    plt.close(fig)
    with pytest.raises(ValueError):
        nk.yearly_bars(values, title="t", ylabel="y", source="")
