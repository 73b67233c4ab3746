"""Per-student variants (course/personal.py): who the student is, which variant is theirs, and that every
variant has data and is of the same size of task. No kernel is started here."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import nbformat
import pandas as pd
import pytest

from course import data, north_korea, personal

CLASS = [f"student-{n:03d}" for n in range(1, 301)]  # the ids `course simulate` gives a class of 300


@pytest.mark.parametrize("assignment", sorted(personal.VARIANTS))
def test_a_class_of_300_covers_every_variant_evenly(assignment):
    counts = Counter(personal.variant_of(assignment, student) for student in CLASS)
    n = len(personal.VARIANTS[assignment])
    assert sorted(counts) == list(range(1, n + 1)), f"{assignment}: variants without a student: {counts}"
    # an HMAC is as good as uniform: with 300 students and 4 variants each gets 75 +- about 8
    assert min(counts.values()) >= 300 / n * 0.7, f"{assignment}: uneven: {dict(sorted(counts.items()))}"
    print(assignment, dict(sorted(counts.items())))


@pytest.mark.parametrize("assignment", sorted(personal.VARIANTS))
def test_every_parameter_differs_between_any_two_variants(assignment):
    """Then one variant's values are wrong for every other variant on every varied question."""
    bundles = personal.VARIANTS[assignment]
    assert len({tuple(sorted(b)) for b in bundles}) == 1, "every variant sets the same parameters"
    same = [(i + 1, j + 1, k) for (i, a), (j, b) in combinations(enumerate(bundles), 2) for k in a if a[k] == b[k]]
    assert same == [], f"{assignment}: variants share a parameter: {same}"


def test_variant_is_fixed_by_id_and_key_and_changes_with_the_key():
    assert personal.variant_of("01_health", "alice") == personal.variant_of("01_health", " alice ")
    numbers = [personal.variant_number("01_health", f"s{n}") for n in range(40)]
    other_key = [personal.variant_number("01_health", f"s{n}", key="another term") for n in range(40)]
    assert numbers != other_key


def test_id_comes_from_the_environment_first_then_the_hub_then_the_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(personal.ENV_ID, raising=False)
    monkeypatch.delenv(personal.HUB_ID, raising=False)
    with pytest.raises(LookupError, match="no student id"):
        personal.student_id(tmp_path)
    (tmp_path / personal.ID_FILE).write_text("from-file\n", encoding="utf-8")
    assert personal.student_id(tmp_path) == ("from-file", personal.ID_FILE)
    monkeypatch.setenv(personal.HUB_ID, "hub-user")
    assert personal.student_id(tmp_path) == ("hub-user", personal.HUB_ID)
    monkeypatch.setenv(personal.ENV_ID, "grader-folder")
    assert personal.student_id(tmp_path) == ("grader-folder", personal.ENV_ID)


def test_the_notebook_asks_once_and_keeps_the_id_in_its_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(personal.ENV_ID, raising=False)
    monkeypatch.delenv(personal.HUB_ID, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("builtins.input", lambda prompt="": "kim01")
    me = personal.whoami("05_north_korea")
    assert (tmp_path / personal.ID_FILE).read_text(encoding="utf-8").strip() == "kim01"
    shown = capsys.readouterr().out
    assert "Student id: kim01" in shown and f"variant of 05_north_korea: {me.label}" in shown
    monkeypatch.setattr("builtins.input", lambda prompt="": pytest.fail("asked twice"))
    assert personal.whoami("05_north_korea").student == "kim01"
    assert personal.claimed_ids(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        outputs=[nbformat.v4.new_output("stream", name="stdout", text=shown)])])) == ["kim01"]


def test_the_checker_never_asks(tmp_path, monkeypatch):
    monkeypatch.delenv(personal.ENV_ID, raising=False)
    monkeypatch.delenv(personal.HUB_ID, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("builtins.input", lambda prompt="": pytest.fail("a test cell asked for an id"))
    with pytest.raises(LookupError):
        personal.assigned("01_health")


def test_an_unknown_parameter_names_what_there_is():
    with pytest.raises(AttributeError, match="rank_year"):
        personal.for_student("01_health", "x").colour


# --- every variant has data, and the same amount of it ------------------------------------------


def _health(v):
    covid = data.load("covid_by_country")
    one = covid[covid["Country"] == v["country"]].set_index("Date")["Confirmed"]
    oda = data.load("oda_gni")
    donors = oda[(oda["year"] == v["rank_year"]) & ~oda["name"].isin(["DAC countries", "EU Institutions"])]
    aid = data.load("oda_covid")
    first, last = v["aid_years"]
    window = aid[aid["Donor"].isin(["United States", "Japan"]) & aid["Year"].between(first, last)]
    owid = data.load("owid_co2")
    return {
        "country days": len(one), "country gaps": int(one.isna().sum()), "country downward revisions": int((one.diff() < 0).sum()),
        # the shortcut and the notebook's other tables use OWID names: the variant's country needs no translation
        "country in OWID": v["country"] in set(owid["country"]),
        "donors": len(donors), "donor gaps": int(donors[["ODA (left-axis)", "ODA/GNI (right-axis)"]].isna().sum().sum()),
        "aid rows": len(window), "aid years without COVID ODA": int((window["COVID ODA"] <= 0).sum()),
        "aid gaps": int(window[["COVID ODA", "Total ODA"]].isna().sum().sum()),
        "earlier year has donors": len(oda[oda["year"] == v["rank_year"] - 1]) > 0,
    }


def _china(v):
    japan = data._parse("trade_japan_china")
    years = set(japan["Date"].dt.year)
    sheet = data._parse("sipri_milex_constant_usd_raw").set_index("Country")
    four = sheet.loc[["China", "Japan", "Korea, South", "USA"], [str(y) for y in range(v["milex_from"], 2021)]]
    return {
        "export years present": {2011, v["export_end"]} <= years,
        "milex rows": four.size,  # differs by design (the window); the missing China years must be there in every variant
        "China years before its first estimate": int(four.loc["China"].isna().sum()) > 0,
        "other gaps": int(four.drop(index="China").isna().sum().sum()),
        "base year has all four": bool(sheet.loc[["China", "Japan", "Korea, South", "USA"], str(v["base_year"])].notna().all()),
    }


def _north_korea(v):
    record = data._parse("nk_missile_tests")
    record = record[pd.to_datetime(record["date"], format="mixed") <= pd.Timestamp(north_korea.CNS_CUTOFF)]
    record = record.assign(year=record["date"].str[:4].astype(int)).merge(data._parse("nk_missile_types"), on="missile")
    flights = record[record["year"].between(v["longest_from"], 2024)].dropna(subset=["distance"])
    first, last = v["landing_years"]
    window = record[record["year"].between(first, last)]
    fas = data._parse("fas_warheads")
    nk = fas[fas["country_name"].str.split().str.join(" ").eq("North Korea")].set_index("year")["nuclear_weapons_stockpile"]
    start, end = v["warhead_years"]
    return {
        "years with a known distance (5 to 11)": 5 <= flights["year"].nunique() <= 11,
        "missiles in the landing window (100 or more)": len(window) >= 100,
        "some landed toward Japan": bool(window["landing"].isin(["sea-of-japan", "pacific-ocean"]).any()),
        "warhead estimates at both ends": bool(nk.get(start, 0) > 0 and nk.get(end, 0) > 0 and end > start),
    }


EXPECTED = {
    "01_health": {"country days": 628, "country gaps": 0, "country downward revisions": 0, "country in OWID": True,
                  "donors": 33, "donor gaps": 0, "aid years without COVID ODA": 0, "aid gaps": 0,
                  "earlier year has donors": True},
    "03_china": {"export years present": True, "China years before its first estimate": True, "other gaps": 0,
                 "base year has all four": True},
    "05_north_korea": {"years with a known distance (5 to 11)": True, "missiles in the landing window (100 or more)": True,
                       "some landed toward Japan": True, "warhead estimates at both ends": True},
}
PROBES = {"01_health": _health, "03_china": _china, "05_north_korea": _north_korea}


@pytest.mark.parametrize("assignment", sorted(personal.VARIANTS))
def test_every_variant_has_complete_data_and_the_same_shape_of_task(assignment):
    problems = []
    for number, bundle in enumerate(personal.VARIANTS[assignment], start=1):
        found = PROBES[assignment](bundle)
        for key, want in EXPECTED[assignment].items():
            if found[key] != want:
                problems.append(f"variant {number} {bundle}: {key} = {found[key]} (want {want})")
        if assignment == "01_health" and found["aid rows"] != 2 * (bundle["aid_years"][1] - bundle["aid_years"][0] + 1):
            problems.append(f"variant {number}: a donor misses a year of the aid window")
    assert not problems, "\n".join(problems)


def test_the_report_shows_each_variant_and_flags_a_harder_one():
    from course.grading.report import variant_view
    from course.grading.variants import read_solution, varied_answers

    varied = [f"{a}_test" for a in varied_answers(read_solution("01_health"))]
    maxima = {q: (2.0, True) for q in varied}
    students = CLASS[:80]
    rows = pd.DataFrame({"student_id": students, "score": 10.0})
    for q in varied:  # everyone full marks, except variant 2, which fails every varied question
        rows[q] = [0.0 if personal.variant_of("01_health", s) == 2 else 2.0 for s in students]
    view = variant_view(rows, "01_health", maxima)
    assert list(view["variant"]) == [1, 2, 3, 4]
    assert view["students"].sum() == 80
    assert list(view["harder"]) == [False, True, False, False]
    assert "country Philippines" in view.loc[1, "parameters"]
    assert variant_view(rows, "02_climate", maxima).empty


def test_validate_warns_when_the_notebook_shows_another_id(tmp_path, monkeypatch):
    from course.grading.validate import identity_warnings

    shown = personal.for_student("01_health", "alice", personal.HUB_ID).describe()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        outputs=[nbformat.v4.new_output("stream", name="stdout", text=shown)])])
    path = tmp_path / "01_health.ipynb"
    monkeypatch.delenv(personal.HUB_ID, raising=False)
    monkeypatch.setenv(personal.ENV_ID, "alice")
    assert identity_warnings(path, nb) == []
    monkeypatch.setenv(personal.ENV_ID, "bob")
    [warning] = identity_warnings(path, nb)
    assert "shows student id alice" in warning and "bob" in warning and str(path) in warning
    monkeypatch.delenv(personal.ENV_ID)
    (tmp_path / personal.ID_FILE).write_text("carol\n", encoding="utf-8")
    assert "alice" in identity_warnings(path, nb)[0]  # the folder says carol, the outputs alice
