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


def _merged():
    tests = data.load("nk_missile_tests")
    types = data.load("nk_missile_types")
    merged = tests.merge(types, on="missile", how="left")
    merged["year"] = merged["date"].str[:4].astype(int)
    return merged


def test_per_year_counts_and_maxima_on_real_data():
    merged = _merged()
    counts = nk.per_year(merged, ["ICBM"], (2015, 2024), "Missiles launched")
    assert list(counts.index) == list(range(2015, 2025))
    assert counts.loc[2018] == 0 and counts.sum() == 12
    assert [y for y, n in counts.items() if n > 0] == [2017, 2022, 2023, 2024]
    longest = nk.per_year(merged, ["IRBM", "ICBM"], (2017, 2018), "Longest distance flown")
    assert longest.loc[2017] == 3700 and pd.isna(longest.loc[2018])


def test_missile_explorer_static_and_interactive(monkeypatch, capsys):
    merged = _merged()
    monkeypatch.setenv("COURSE_STATIC_WIDGETS", "1")
    assert nk.missile_explorer(merged, source="src") is None
    out = capsys.readouterr().out
    assert "Static view" in out and "Figure:" in out
    plt.close("all")
    monkeypatch.setenv("COURSE_STATIC_WIDGETS", "0")
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    explorer = nk.missile_explorer(merged, source="src")
    assert explorer is not None
    explorer._redraw()
    assert explorer.draw_count == 1
    explorer.controls["selected"].value = ("ICBM",)
    explorer.controls["window"].value = (2015, 2024)
    explorer.controls["metric"].value = "Highest apogee"
    assert explorer.draw_count == 4
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
    plt.close(fig)
    with pytest.raises(ValueError):
        nk.yearly_bars(values, title="t", ylabel="y", source="")
