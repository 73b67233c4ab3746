"""Feedback that teaches (issue 26): named mistakes, hints on request, and a visibility setting per test.

- every declared mistake of notebooks 01-05 has a student-facing message and a fingerprint, and its
  wrong-answer variant, graded by real nbgrader, carries that message in the autograded notebook
  (public check in the grader prints it, or the hidden test raises MistakeNamed) and in the feedback;
- no message, hint, generated check or feedback page holds a value of the solutions' answers;
- each visibility level's feedback matches its golden file (tests/golden/feedback_<level>.json);
- the class report groups failures by named mistake.

`COURSE_UPDATE_GOLDEN=1` rewrites the golden files (then read the diff before committing it).
"""

from __future__ import annotations

import base64
import json
import os
import re
from datetime import datetime
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from course import checks, contract, diagnosis, paths, personal
from course.grading import feedback, variants

NAMED = ["01_health", "02_climate", "03_china", "04_institutions", "05_north_korea"]
GOLDEN = Path(__file__).parent / "golden"


# --------------------------------------------------------------------------------------------
# The contracts and their fingerprints


@pytest.mark.parametrize("assignment", NAMED)
def test_every_question_names_three_mistakes_and_has_hints(assignment):
    for q in contract.load(assignment):
        assert len(q.wrong) >= 3, f"{assignment} {q.answer}: fewer than three declared mistakes"
        assert all(m.message for m in q.wrong), f"{assignment} {q.answer}: a mistake without a message"
        assert len(q.hints) >= 2, f"{assignment} {q.answer}: needs a nudge and a method"
        assert q.visibility in contract.VISIBILITY


@pytest.mark.parametrize("assignment", NAMED)
def test_every_declared_mistake_is_fingerprinted_from_the_current_solution(assignment):
    data = json.loads(diagnosis.table_path(assignment).read_text(encoding="utf-8"))
    assert data["source_digest"] == diagnosis.source_digest(assignment), "stale: run `course build`"
    every_variant = {str(n) for n in range(1, len(personal.VARIANTS.get(assignment, ())) + 1)}
    for q in contract.load(assignment):
        table = data["questions"][q.answer]
        for mistake, entry in zip(q.wrong, table["mistakes"]):
            # one hash for every student, or (a value that depends on the student's parameters) one per variant
            found = bool(entry.get("hashes")) or (bool(every_variant) and set(entry.get("by_variant", {})) == every_variant)
            assert found, f"{assignment} {q.answer} '{mistake.mistake}': {entry.get('skipped')}"
            assert entry["message"] == mistake.message
    assert diagnosis.same_value_mistakes(data["questions"]) == []  # each message can be shown


def test_mistakes_with_the_same_value_are_found():
    def entry(name, hashes=(), by_variant=None, ordered=False):
        e = {"mistake": name, "ordered": ordered, "hashes": list(hashes)}
        if by_variant:
            e["by_variant"] = by_variant
        return e

    table = {"q1": {"mistakes": [entry("a", ["h1"]), entry("b", ["h2"]), entry("c", ["h1"])]},
             "q2": {"mistakes": [entry("d", ["h1"]), entry("e", ["h1"], ordered=True)]},  # told apart by order
             "q3": {"mistakes": [entry("f", by_variant={"1": {"ordered": False, "hashes": ["x"]}}),
                                 entry("g", by_variant={"2": {"ordered": False, "hashes": ["x"]}}),  # other variant
                                 entry("h", by_variant={"1": {"ordered": False, "hashes": ["x"]}})]}}
    assert diagnosis.same_value_mistakes(table) == [("q1", "a", "c"), ("q3", "f", "h")]


def test_contract_rejects_an_unknown_visibility(tmp_path, monkeypatch):
    (tmp_path / "x.py").write_text(
        "from course.contract import Question, Mistake\n"
        "QUESTIONS = [Question(answer='q1_a', points=1, compare='assert_number', alternatives=(), wrong=(),"
        " visibility='sometimes')]\n")
    monkeypatch.setenv("COURSE_QUESTIONS_DIR", str(tmp_path))
    with pytest.raises(contract.ContractError, match="visibility is 'sometimes'"):
        contract.load("x")


# --------------------------------------------------------------------------------------------
# Recognising a mistake from the student's value


def _table(mistaken, *, ordered=False, decimals=2, message="Your value looks like a fraction: multiply by 100."):
    salt = "test-salt"
    return {"salt": salt, "decimals": decimals, "columns": None,
            "mistakes": [{"ordered": ordered, "hashes": [checks.fingerprint(mistaken, salt, decimals=decimals, ordered=ordered)],
                          "message": message}]}


def test_public_check_names_the_mistake_in_the_students_kernel(monkeypatch):
    monkeypatch.setattr(checks, "_in_grader", lambda: False)
    mistaken = pd.Series({"Japan": 0.0123, "United States": 0.0456})
    table = _table(mistaken)
    with pytest.raises(checks.CheckFailed, match="multiply by 100"):
        # another spelling of the same mistake: other order, rounded to the stated precision, labels as text
        checks.diagnose(pd.Series({"united states ": 0.05, "Japan": 0.01}), "growth", table)
    checks.diagnose(pd.Series({"Japan": 1.23, "United States": 4.56}), "growth", table)  # right: nothing said


def test_public_check_in_the_grader_only_prints(monkeypatch, capsys):
    monkeypatch.setattr(checks, "_in_grader", lambda: True)
    mistaken = pd.Series({"Japan": 0.0123, "United States": 0.0456})
    checks.diagnose(mistaken, "growth", _table(mistaken))  # never raises: points are the tests' business
    assert capsys.readouterr().out.startswith(checks.NAMED_MARKER)


def test_hidden_wrapper_renames_only_a_failure():
    table = _table(7.0, decimals=0, message="Counting both end days adds one.")
    with pytest.raises(checks.MistakeNamed, match="`days`: Counting both end days adds one."):
        with checks.naming_mistakes(7, table):
            checks.assert_number(7, 6.0, name="days", decimals=0)
    with checks.naming_mistakes(6, table):  # right: passes
        checks.assert_number(6, 6.0, name="days", decimals=0)
    with pytest.raises(checks.WrongAnswer) as caught:  # wrong, but not this mistake
        with checks.naming_mistakes(9, table):
            checks.assert_number(9, 6.0, name="days", decimals=0)
    assert not isinstance(caught.value, checks.MistakeNamed)


def test_a_mistake_of_a_varied_question_is_named_only_for_the_students_own_variant(monkeypatch):
    """Hashes per variant (course/personal.py): a value that is mistake X for variant 1 is not named for
    a student of variant 2, whose own mistake X has another value."""
    salt = "test-salt"
    mistaken = {"1": 7.0, "2": 8.0}
    table = {"salt": salt, "decimals": 0, "columns": None, "assignment": "01_health",
             "mistakes": [{"message": "Counting both end days adds one.",
                           "by_variant": {k: {"ordered": False, "hashes": [checks.fingerprint(v, salt, decimals=0)]}
                                          for k, v in mistaken.items()}}]}
    student = {n: next(f"s-{i}" for i in range(1000) if personal.variant_of("01_health", f"s-{i}") == n) for n in (1, 2)}
    monkeypatch.setenv("COURSE_STUDENT_ID", student[1])
    with pytest.raises(checks.MistakeNamed, match="Counting both end days"):
        with checks.naming_mistakes(7, table):
            checks.assert_number(7, 6.0, name="days", decimals=0)
    with pytest.raises(checks.WrongAnswer) as caught:  # variant 2's mistaken value, submitted by variant 1
        with checks.naming_mistakes(8, table):
            checks.assert_number(8, 6.0, name="days", decimals=0)
    assert not isinstance(caught.value, checks.MistakeNamed)
    monkeypatch.setenv("COURSE_STUDENT_ID", student[2])
    with pytest.raises(checks.MistakeNamed):
        with checks.naming_mistakes(8, table):
            checks.assert_number(8, 5.0, name="days", decimals=0)
    monkeypatch.delenv("COURSE_STUDENT_ID")
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.chdir(Path(__file__).parent)  # no stored id here: without a variant nothing is named
    with pytest.raises(checks.WrongAnswer) as caught:
        with checks.naming_mistakes(8, table):
            checks.assert_number(8, 5.0, name="days", decimals=0)
    assert not isinstance(caught.value, checks.MistakeNamed)


def test_an_order_mistake_is_told_only_by_its_order(monkeypatch):
    monkeypatch.setattr(checks, "_in_grader", lambda: False)
    right = pd.Series({"a": 3.0, "b": 2.0, "c": 1.0})
    table = _table(right.sort_values(), ordered=True, message="Check the order.")
    checks.diagnose(right, "x", table)
    with pytest.raises(checks.CheckFailed, match="Check the order"):
        checks.diagnose(right.sort_values(), "x", table)


def test_fingerprints_are_salted_and_give_no_value_away():
    a = checks.fingerprint(12.5, "salt-1", decimals=1)
    assert a != checks.fingerprint(12.5, "salt-2", decimals=1) and "12.5" not in a
    assert checks.fingerprint(12.54, "salt-1", decimals=1) == a  # the question's stated precision


# --------------------------------------------------------------------------------------------
# What the build injects


@pytest.mark.parametrize("assignment", NAMED)
def test_build_injects_named_mistakes_and_hints_from_the_contract(assignment):
    nb = variants.read_solution(assignment)
    diagnosis.inject_notebook(nb, assignment)
    table = diagnosis.load_table(assignment)
    by_id = {variants.nbgrader_meta(c).get("grade_id"): c.source for c in nb.cells}
    for q in contract.load(assignment):
        source = by_id[q.test_id]
        regions = [m.group(2) for m in diagnosis.HIDDEN.finditer(source)]
        hidden = regions[-1]
        assert hidden.startswith("with checks.naming_mistakes("), q.answer
        assert all(m.message in hidden for m in q.wrong), q.answer
        public = diagnosis.HIDDEN.sub("", source)
        assert ("checks.diagnose(" in public) == bool(table[q.answer]["public"]), q.answer
        # the grader names the mistake before any public check can fail on it, public or not
        lines = source.split("\n")
        first_check = min(i for i, line in enumerate(lines)
                          if line.startswith("checks.") and not line.startswith("checks.answered("))
        assert lines[first_check].startswith("checks.diagnose("), q.answer
        if not table[q.answer]["public"]:
            assert lines[first_check - 1] == "### BEGIN HIDDEN TESTS", q.answer
        compile(source, q.test_id, "exec")
    setup = by_id["setup"]
    packed = re.search(r"checks\.use_hints\('[^']+', '([^']+)'\)", setup).group(1)
    hints = json.loads(base64.b64decode(packed))
    assert hints == {q.answer: list(q.hints) for q in contract.load(assignment)}
    student = (paths.notebooks_dir() / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8")
    assert "checks.use_hints(" in student and "naming_mistakes" not in student  # hidden tests stay hidden


def test_hint_shows_the_next_level_and_records_it(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append((obj, kw)))
    packed = base64.b64encode(json.dumps({"q3_growth": ["nudge", "method"]}).encode()).decode()
    checks.use_hints("01_x", packed)
    for _ in range(3):
        checks.hint("q3")
    levels = [kw["metadata"]["course_hint"]["level"] for _, kw in shown]
    assert levels == [1, 2, 2]  # the last hint again, never beyond
    assert "nudge" in shown[0][0]["text/markdown"] and "method" in shown[1][0]["text/markdown"]
    assert shown[0][1]["metadata"]["course_hint"] == {"assignment": "01_x", "question": "q3_growth", "level": 1}
    with pytest.raises(checks.CheckFailed, match="No hints for 'q9'"):
        checks.hint("q9")


# --------------------------------------------------------------------------------------------
# No expected value in anything the student sees


def _numbers(text: str) -> list[float]:
    text = re.sub(r"(?<=\d)[,_](?=\d{3})", "", text)
    return [float(m) for m in re.findall(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w])", text)]


def _secret_values(assignment: str) -> list[float]:
    """The solutions' computed answer values that the student version does not state anyway."""
    student = (paths.notebooks_dir() / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8")
    stated = set(_numbers(student))
    found = set()
    for question in diagnosis.load_table(assignment).values():
        for value in question["solution_values"]:
            try:
                number = float(value)
            except ValueError:
                continue
            if number not in stated and abs(number) >= 1:
                found.add(number)
    return sorted(found)


def _leaks(text: str, secrets: list[float]) -> list[float]:
    return [x for x in _numbers(text) for s in secrets if abs(x - s) <= max(abs(s) * 1e-9, 1e-9)]


@pytest.mark.parametrize("assignment", NAMED)
def test_no_message_hint_or_generated_check_states_an_expected_value(assignment):
    secrets = _secret_values(assignment)
    assert secrets, "the scan needs the solutions' values"
    texts = [m.message for q in contract.load(assignment) for m in q.wrong]
    texts += [h for q in contract.load(assignment) for h in q.hints]
    student = nbformat.read(str(paths.notebooks_dir() / assignment / f"{assignment}.ipynb"), as_version=4)
    texts += [line for c in student.cells for line in c.source.splitlines() if "checks.diagnose(" in line]
    for text in texts:
        assert _leaks(text, secrets) == [], text
    # text answers (a month, a name) that the student version does not state are scanned too
    stated = json.dumps([c.source for c in student.cells], ensure_ascii=False).casefold()
    words = {v[2:] for q in diagnosis.load_table(assignment).values() for v in q["solution_values"]
             if v.startswith("s:") and len(v) >= 6 and v[2:] not in stated}
    for text in texts:
        assert [w for w in words if w in text.casefold()] == [], text


def test_leak_scan_catches_a_stated_value():
    assert _leaks("your value should be 1,234.5", [1234.5]) == [1234.5]
    assert _leaks("multiply by 100", [1234.5]) == []


# --------------------------------------------------------------------------------------------
# Feedback per visibility level (golden files)

SECRET_EXPECTED = 9876.5


def _fixture_notebook():
    """Four graded test cells: a named mistake, a plain wrong answer, a failed public check, a pass."""
    nb = nbformat.v4.new_notebook()

    def test_cell(grade_id, public, hidden, outputs):
        cell = nbformat.v4.new_code_cell(f"{public}\n### BEGIN HIDDEN TESTS\n{hidden}\n### END HIDDEN TESTS")
        cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": grade_id,
                                     "points": 2, "schema_version": 3}
        cell.outputs = outputs
        return cell

    passed = nbformat.v4.new_output("stream", name="stdout", text="✔ Looks right so far.\n")
    named = nbformat.v4.new_output("error", ename="MistakeNamed",
                                   evalue="`share`: Your value looks like a fraction: the question asks for a percentage.",
                                   traceback=["✘ `share`: Your value looks like a fraction: the question asks for a percentage."])
    wrong = nbformat.v4.new_output("error", ename="WrongAnswer", evalue="`total`: the value is not right.",
                                   traceback=["✘ `total`: the value is not right."])
    public = nbformat.v4.new_output("error", ename="CheckFailed", evalue="`year` should be a whole number; yours is 2001.5.",
                                    traceback=["✘ `year` should be a whole number; yours is 2001.5."])
    key_error = nbformat.v4.new_output("error", ename="KeyError", evalue=f"'{SECRET_EXPECTED}'",
                                       traceback=["KeyError", "Cell In[9], line 5", f"KeyError: '{SECRET_EXPECTED}'"])
    hidden = f"with checks.naming_mistakes(x, {{}}):\n    checks.assert_number(x, {SECRET_EXPECTED}, name='x')"
    nb.cells = [
        test_cell("q1_share_test", 'checks.answered("share", globals())\nchecks.passed()', hidden, [passed, named]),
        test_cell("q2_total_test", 'checks.answered("total", globals())\nchecks.passed()', hidden, [passed, wrong]),
        test_cell("q3_year_test", 'checks.answered("year", globals())\nchecks.expect_integer(year, "year")\nchecks.passed()',
                  hidden, [public]),
        test_cell("q4_lookup_test", 'checks.answered("lookup", globals())\nchecks.passed()', hidden, [passed, key_error]),
        test_cell("q5_fine_test", 'checks.answered("fine", globals())\nchecks.passed()', hidden, [passed]),
    ]
    return nb


GRADES = {"q1_share_test": (0.0, 2.0), "q2_total_test": (0.0, 2.0), "q3_year_test": (0.0, 2.0),
          "q4_lookup_test": (0.0, 2.0), "q5_fine_test": (2.0, 2.0)}
DUE = datetime(2026, 12, 15, 17, 0)


def _cleaned(level: str, now: datetime) -> list[dict]:
    nb = _fixture_notebook()
    shown = {grade_id: level for grade_id in GRADES}
    cleaned = feedback.clean_notebook(nb, GRADES, visibility=shown, due=DUE, now=now)
    return [{"grade_id": c.metadata["nbgrader"]["grade_id"], "source": c.source,
             "outputs": [{k: o[k] for k in ("output_type", "name", "text", "ename", "evalue") if k in o} for o in c.outputs]}
            for c in cleaned.cells]


@pytest.mark.parametrize("level,now", [("visible", datetime(2026, 12, 1)), ("hidden", datetime(2026, 12, 1)),
                                       ("after_due", datetime(2026, 12, 1)), ("points_only", datetime(2026, 12, 1))])
def test_feedback_matches_its_golden_file_per_visibility(level, now):
    got = _cleaned(level, now)
    path = GOLDEN / f"feedback_{level}.json"
    if os.environ.get("COURSE_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(path.read_text(encoding="utf-8"))
    text = json.dumps(got, ensure_ascii=False)
    assert str(SECRET_EXPECTED) not in text and "assert_number" not in text and "naming_mistakes" not in text


def test_after_the_due_date_a_deferred_test_shows_as_hidden():
    after = _cleaned("after_due", datetime(2026, 12, 16))
    assert after == _cleaned("hidden", datetime(2026, 12, 16))
    assert after != _cleaned("after_due", datetime(2026, 12, 14))


# --------------------------------------------------------------------------------------------
# End to end: each mistake's variant, graded by nbgrader, carries its message


def _output_text(cell) -> str:
    return "\n".join(str(o.get("text", "")) + str(o.get("evalue", "")) for o in cell.get("outputs", []))


def _mistake_submissions(assignment):
    """{name: {answer: mistake}}: the k-th mistake of every question, in as many submissions per k as
    it takes that no question is graded with a wrong upstream answer (its fingerprint is of its own
    step; a chain such as 03's Questions 4 -> 5 -> 9 needs a submission per link)."""
    questions = contract.load(assignment)
    ancestors: dict[str, set[str]] = {}
    for q in questions:  # notebook order: a question's upstream comes before it
        ancestors[q.answer] = set(q.upstream).union(*(ancestors.get(u, set()) for u in q.upstream))
    rounds = {}
    k = 0
    while any(k < len(q.wrong) for q in questions):
        remaining = [q for q in questions if k < len(q.wrong)]
        part = 0
        while remaining:
            chosen = {}
            for q in remaining:  # also through a solution in between (03: Question 3 -> 4 -> 6)
                if not ancestors[q.answer] & set(chosen):
                    chosen[q.answer] = q.wrong[k]
            rounds[f"mistake-{k}-{part}"] = chosen
            remaining = [q for q in remaining if q.answer not in chosen]
            part += 1
        k += 1
    return rounds


@pytest.mark.parametrize("assignment", NAMED)
def test_each_mistakes_variant_gets_its_message_in_the_graded_notebook_and_feedback(assignment, tmp_path):
    from grading_harness import autograde

    solution = variants.read_solution(assignment)
    rounds = _mistake_submissions(assignment)
    submissions = {name: variants.substitute(solution, {a: m.code for a, m in chosen.items()})
                   for name, chosen in rounds.items()}
    scores = autograde(assignment, submissions, tmp_path)
    missing = []
    for name, chosen in rounds.items():
        graded = nbformat.read(str(tmp_path / "autograded" / name / assignment / f"{assignment}.ipynb"), as_version=4)
        cells = {variants.nbgrader_meta(c).get("grade_id"): c for c in graded.cells}
        cleaned = feedback.clean_notebook(graded, {t: (s, 1) for t, s in scores[name].items()})
        shown = {variants.nbgrader_meta(c).get("grade_id"): _output_text(c) for c in cleaned.cells}
        for answer, mistake in chosen.items():
            test_id = f"{answer}_test"
            assert scores[name][test_id] == 0, f"{name} {answer}: the mistake kept its points"
            raw = _output_text(cells[test_id])
            if mistake.message not in raw or mistake.message not in shown[test_id]:
                missing.append(f"{name} {answer}: '{mistake.mistake}'")
    assert missing == []


# --------------------------------------------------------------------------------------------
# The class report: failures by named mistake, hints used


def test_report_groups_failures_by_named_mistake_and_counts_hints(tmp_path):
    from course.grading.discover import CourseWork
    from course.grading.report import _hint_section, _mistake_section, hint_table, mistake_table

    work = CourseWork.at(tmp_path)
    q = contract.by_answer("01_health")["q3_pop_growth"]
    first, second = q.wrong[0], q.wrong[1]

    def graded(outputs):
        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell("checks.passed()")
        cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "q3_pop_growth_test", "points": 1}
        cell.outputs = outputs
        nb.cells = [cell]
        return nb

    def error(ename, evalue):
        return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[])

    cases = {"s1": [error("MistakeNamed", f"`pop_growth`: {first.message}")],
             "s2": [error("MistakeNamed", f"`pop_growth`: {first.message}")],
             "s3": [nbformat.v4.new_output("stream", name="stdout", text=f"{checks.NAMED_MARKER}`pop_growth`: {second.message}\n"),
                    error("CheckFailed", "`pop_growth` should have 4 rows; yours has 3.")],
             "s4": [error("WrongAnswer", "`pop_growth`: the values are not right.")],
             "s5": []}
    for student, outputs in cases.items():
        target = work.autograded / student / "01_health" / "01_health.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(graded(outputs), str(target))
    hinted = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('checks.hint("q3")')
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": "Hint"}, metadata={"course_hint": {
        "assignment": "01_health", "question": "q3_pop_growth", "level": level}}) for level in (1, 2)]
    hinted.cells = [cell]
    for student in ("s1", "s2"):
        target = work.submitted / student / "01_health" / "01_health.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(hinted, str(target))

    table = mistake_table(work).set_index("mistake")["students"]
    assert table[first.mistake] == 2 and table[second.mistake] == 1  # the instructor's description of each
    assert table["wrong, not a declared mistake"] == 1 and len(table) == 3
    html = "\n".join(_mistake_section(work, __import__("html").escape))
    assert "Failures by named mistake" in html and "<table>" in html and first.mistake.replace("'", "&#x27;") in html
    hints = hint_table(work).iloc[0]
    assert (hints["question"], hints["students"], hints["hints_shown"], hints["deepest_level"]) == ("q3_pop_growth", 2, 4, 2)
    assert "Hints used" in "\n".join(_hint_section(work, __import__("html").escape))
