"""The question contract lint: each notebook's questions are declared once and consistently.

Fails when a heading's points differ from the test cell's, an answer cell has no test cell, a question
lacks its contract or its variants, a hidden test uses a bare `assert` (its source line, with the
expected value, would show in a failure), a hidden test does not use the comparator its contract names,
or notebook 0 does not state the grading policy.
"""

from __future__ import annotations

import ast
import re

import pytest

from course import checks, paths
from course import contract
from course.grading import variants

ASSIGNMENTS = paths.assignments()
HEADING = re.compile(r"^#{2,4} .*?Question \d+[a-z]? \((\d+(?:\.\d+)?) points?\)", re.MULTILINE)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.DOTALL)


def _cells(assignment):
    return variants.read_solution(assignment).cells


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_answer_has_a_test_and_a_contract(assignment):
    solution = variants.read_solution(assignment)
    answers = variants.answer_ids(solution)
    tests = variants.test_points(solution)
    declared = contract.by_answer(assignment)
    assert [a for a in answers if f"{a}_test" not in tests] == [], "answer cells without a <id>_test cell"
    assert sorted(declared) == sorted(answers), "the contract must declare exactly the notebook's answer cells"
    assert [q.answer for q in contract.load(assignment)] == answers, "declare the questions in notebook order"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_points_agree_between_heading_cell_and_contract(assignment):
    cells = _cells(assignment)
    tests = variants.test_points(variants.read_solution(assignment))
    problems = []
    heading_points = None
    for cell in cells:
        if cell.cell_type == "markdown":
            found = HEADING.findall(cell.source)
            if found:
                heading_points = float(found[-1])
        elif variants.is_answer_cell(cell):
            grade_id = variants.nbgrader_meta(cell)["grade_id"]
            if heading_points is None:
                problems.append(f"{grade_id}: no 'Question N (k points)' heading above it")
            elif tests.get(f"{grade_id}_test") != heading_points:
                problems.append(f"{grade_id}: heading says {heading_points}, test cell {tests.get(grade_id + '_test')}")
            heading_points = None
    for q in contract.load(assignment):
        if float(q.points) != tests.get(q.test_id):
            problems.append(f"{q.answer}: contract says {q.points}, test cell {tests.get(q.test_id)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_question_has_its_variants(assignment):
    problems = []
    for q in contract.load(assignment):
        if len(q.alternatives) < 2:
            problems.append(f"{q.answer}: {len(q.alternatives)} alternative(s), needs 2")
        if len(q.wrong) < 2:
            problems.append(f"{q.answer}: {len(q.wrong)} wrong answer(s), needs 2")
        if len(q.shortcuts) < 1:
            problems.append(f"{q.answer}: no shortcut attempt")
        if any(not m.mistake.strip() for m in q.wrong):
            problems.append(f"{q.answer}: a wrong answer without the mistake it represents")
        if not hasattr(checks, q.compare):
            problems.append(f"{q.answer}: compare={q.compare!r} is not a course.checks comparator")
        unknown = set(q.upstream) - {p.answer for p in contract.load(assignment)}
        if unknown:
            problems.append(f"{q.answer}: upstream {sorted(unknown)} are not questions of {assignment}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_hidden_tests_use_the_policy_comparators_and_no_bare_assert(assignment):
    declared = contract.by_answer(assignment)
    problems = []
    for cell in _cells(assignment):
        if not variants.is_test_cell(cell):
            continue
        grade_id = variants.nbgrader_meta(cell)["grade_id"]
        hidden = "\n".join(HIDDEN.findall(cell.source))
        if not hidden.strip():
            problems.append(f"{grade_id}: no hidden tests")
            continue
        tree = ast.parse(hidden)
        if any(isinstance(node, ast.Assert) for node in ast.walk(tree)):
            problems.append(f"{grade_id}: bare assert in hidden tests (use course.checks.assert_*)")
        question = declared.get(grade_id[: -len("_test")])
        if question is not None and f"checks.{question.compare}(" not in hidden:
            problems.append(f"{grade_id}: hidden tests do not call checks.{question.compare}")
    assert not problems, "\n".join(problems)


def test_notebook_zero_states_the_grading_policy():
    text = "\n".join(c.source for c in _cells("00_alliance") if c.cell_type == "markdown")
    flat = " ".join(text.split())
    missing = [line for line in checks.GRADING_POLICY.splitlines()[1:]
               if line.strip().startswith("- ") and " ".join(line.strip()[2:].split()[:6]) not in flat]
    # the policy's bullet points start the same way in the notebook as in course.checks.GRADING_POLICY
    assert not missing, f"notebook 0's 'How this course works' must state the grading policy; missing: {missing}"


def test_a_string_where_a_tuple_belongs_is_refused_with_the_file(tmp_path, monkeypatch):
    (tmp_path / "x.py").write_text(
        "from course.contract import Mistake, Question\n"
        "QUESTIONS = [Question(answer='q1', points=1, compare='assert_number', alternatives=('a', 'b'),\n"
        "                      wrong=(Mistake('m', 'c'),), shortcuts=('oops'))]\n")
    monkeypatch.setenv("COURSE_QUESTIONS_DIR", str(tmp_path))
    with pytest.raises(contract.ContractError, match=r"x\.py: q1\.shortcuts must be a tuple"):
        contract.load("x")
