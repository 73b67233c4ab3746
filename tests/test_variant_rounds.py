"""Every variant of every varied question grades fairly, and one student's values are wrong for another.

For each notebook with per-student variants (course/personal.py) and each variant, the solution runs
(in this process) as a student of that variant (``COURSE_STUDENT_ID``). Then, in copies of that namespace,
a probe runs, for the varied questions, the answer cells of every round of the question contract (the
k-th alternative, wrong answer or shortcut of every question, the solution elsewhere) followed by their
test cells, public checks and hidden tests, as the checker would:
- alternatives keep every point, wrong answers and shortcuts lose exactly their own questions;
- the solution computed with another variant's parameters (that student's values, submitted under
  this student) fails every varied question (tests/test_grading.py shows the common ones keep their points).
The same outcomes through real nbgrader, for some of these rounds, are in tests/test_grading.py.
"""

from __future__ import annotations

import json

import pytest

from course import paths, personal
from course import contract
from course.grading import checker, variants

CLASS = [f"student-{n:03d}" for n in range(1, 301)]
CASES = [(a, v) for a in sorted(personal.VARIANTS) for v in range(1, len(personal.VARIANTS[a]) + 1)]


def student_of(assignment: str, number: int) -> str:
    return next(s for s in CLASS if personal.variant_of(assignment, s) == number)


PROBE = r'''
import copy as _copy, json as _json, contextlib as _contextlib, io as _io
import pandas as _pd
import matplotlib.pyplot as _plt
from course import personal as _personal

_PLAN = _json.loads(%(plan)r)
_base = {k: v for k, v in globals().items() if not k.startswith("_") and k not in ("In", "Out", "get_ipython", "exit", "quit")}

def _fresh():
    return {k: (v.copy() if isinstance(v, (_pd.DataFrame, _pd.Series)) else v) for k, v in _base.items()}

def _run(namespace, steps):
    """Run the answer/parameter cells of a submission, then every test cell: {test id: passed}."""
    for unbind, source in steps:
        for name in unbind:  # a round's answer that fails must leave the name unset, as in a fresh run
            namespace.pop(name, None)
        try:
            with _contextlib.redirect_stdout(_io.StringIO()):
                exec(source, namespace)
        except BaseException:
            pass
        finally:
            _plt.close("all")
    results = {}
    for test_id, source in _PLAN["tests"]:
        try:
            with _contextlib.redirect_stdout(_io.StringIO()):
                exec(source, namespace)
            results[test_id] = True
        except BaseException:
            results[test_id] = False
        finally:
            _plt.close("all")
    return results

_out = {}
for _name, _steps in _PLAN["rounds"].items():
    _out[_name] = _run(_fresh(), _steps)
for _other, _steps in _PLAN["others"].items():
    _ns = _fresh()
    _ns["me"] = _personal.for_student(_PLAN["assignment"], _other)
    _out["as " + _other] = _run(_ns, _steps)
print("ROUNDS=" + _json.dumps(_out))
'''


def _plan(assignment: str, solution, questions, others: list[str], varied: set[str]) -> dict:
    """Every answer cell and parameter cell is re-run (a round's upstream answers change what a varied
    question's test expects), and the varied questions' tests are checked (tests/test_grading.py grades
    the common ones, and the cascades, through nbgrader)."""
    answer_code = {}
    order = []  # answer cells and the parameter cells (they read `me`), in notebook order
    tests = []
    for cell in solution.cells:
        grade_id = variants.nbgrader_meta(cell).get("grade_id", "")
        if variants.is_answer_cell(cell):
            answer_code[grade_id] = variants.SOLUTION_REGION.search(cell.source).group(0)
            order.append(grade_id)
        elif cell.cell_type == "code" and grade_id.endswith("-params"):
            answer_code[grade_id] = cell.source
            order.append(grade_id)
        elif variants.is_test_cell(cell) and grade_id[: -len("_test")] in varied:
            tests.append((grade_id, cell.source.replace("### BEGIN HIDDEN TESTS", "").replace("### END HIDDEN TESTS", "")))
    unbind = {g: sorted(checker.binds(code)) if not g.endswith("-params") else [] for g, code in answer_code.items()}
    rounds = {}
    for kind in ("alternative", "wrong", "shortcut"):
        k = 0
        while chosen := contract.round_of(questions, kind, k):
            if set(chosen) & varied:
                rounds[f"{kind}-{k}"] = [(unbind[g], chosen.get(g, answer_code[g])) for g in order]
            k += 1
    solution_steps = [(unbind[g], answer_code[g]) for g in order]
    return {"assignment": assignment, "tests": tests, "rounds": rounds, "others": {o: solution_steps for o in others}}


def _run_solution(solution, folder) -> dict:
    """The solution's code cells (test cells included) in a fresh namespace, in the notebook's folder.

    In this process, not a kernel: the probe checks the contract and the test cells' logic for each
    variant (fast); tests/test_grading.py grades through nbgrader, the kernel and the checker.
    """
    import contextlib
    import io
    import os

    import matplotlib

    matplotlib.use("Agg")
    namespace = {"__name__": "__main__"}
    here = os.getcwd()
    os.chdir(folder)
    try:
        for cell in solution.cells:
            if cell.cell_type == "code":
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(cell.source, f"<{variants.nbgrader_meta(cell).get('grade_id')}>", "exec"), namespace)
    finally:
        os.chdir(here)
    return namespace


@pytest.mark.parametrize("assignment,number", CASES, ids=[f"{a}-variant{v}" for a, v in CASES])
def test_every_round_and_another_students_values_in_this_variant(assignment, number, monkeypatch):
    import contextlib
    import io

    solution = variants.read_solution(assignment)
    questions = contract.load(assignment)
    varied = set(variants.varied_answers(solution))
    assert len(varied) >= 3, f"{assignment}: fewer than three varied questions: {sorted(varied)}"
    me = student_of(assignment, number)
    others = [student_of(assignment, n) for n in range(1, len(personal.VARIANTS[assignment]) + 1) if n != number]
    monkeypatch.setenv(personal.ENV_ID, me)
    namespace = _run_solution(solution, paths.solutions_dir() / assignment)  # raises if the solution fails as `me`
    assert namespace["me"].number == number
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown):
        exec(PROBE % {"plan": json.dumps(_plan(assignment, solution, questions, others, varied))}, namespace)
    results = json.loads(shown.getvalue().split("ROUNDS=", 1)[1].strip().splitlines()[0])

    problems = []
    for name, passed in results.items():
        if name.startswith("as "):
            must_fail = varied
        elif name.startswith("alternative"):
            must_fail = set()
        else:
            kind, k = name.rsplit("-", 1)
            must_fail = set(contract.round_of(questions, kind, int(k)))
        for q in questions:
            if q.answer not in varied:
                continue
            want = q.answer not in must_fail
            if passed[q.test_id] != want:
                problems.append(f"{name}: {q.answer} {'passed' if passed[q.test_id] else 'failed'} (should {'pass' if want else 'fail'})")
    assert not problems, f"{assignment}, variant {number} ({me}):\n" + "\n".join(problems)
