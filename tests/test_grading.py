"""Every assignment grades fairly through real `nbgrader autograde`, question by question.

From each notebook's question contract (instructor/questions/<assignment>.py) the test builds
submissions and checks, for every autograded question:
- the solution gets full marks and the blank student version 0;
- every alternative correct answer keeps its points (each "alternative round" uses the k-th
  alternative of every question at once);
- every plausible wrong answer and every shortcut loses its points;
- one slip costs one step: in the "cascade" rounds some questions are answered wrongly and the
  questions built on them correctly, and those keep their points (error carried forward).
Every submission is graded by `course autograde`'s pool (two workers, several kernels in a row on
each), so a widget notebook that stalls a kernel shows here as a cell that hit the timeout.
For a notebook with per-student variants (course/personal.py) the student is the submission's folder:
- the solution graded as a student of each variant gets full marks;
- one student's values (the solution computed with their id) submitted under a student of another
  variant lose every varied question and keep every common one.
Every variant of every round of the contract is checked in tests/test_variant_rounds.py.
"""

from __future__ import annotations

import nbformat
import pytest

from course import paths, personal
from course.grading import contract, variants
from grading_harness import autograde

ASSIGNMENTS = paths.assignments()


def _rounds(questions):
    """{submission name: (code by answer, answers that must score 0)}."""
    rounds = {}
    for kind in ("alternative", "wrong", "shortcut"):
        k = 0
        while chosen := contract.round_of(questions, kind, k):
            rounds[f"{kind}-{k}"] = (chosen, set() if kind == "alternative" else set(chosen))
            k += 1
    for n, wrong_set in enumerate(contract.cascade_rounds(questions)):
        by_answer = {q.answer: q for q in questions}
        rounds[f"cascade-{n}"] = ({a: by_answer[a].wrong[0].code for a in wrong_set}, set(wrong_set))
    return rounds


def student_of(assignment: str, number: int, prefix: str) -> str:
    """A student id (a folder name) whose variant of ``assignment`` is ``number``."""
    return next(f"{prefix}-{n}" for n in range(1000) if personal.variant_of(assignment, f"{prefix}-{n}") == number)


def copied_values(assignment: str, solution, source_student: str):
    """The solution as ``source_student`` computes it: every varied answer uses that student's parameters."""
    pin = f"me = personal.for_student({assignment!r}, {source_student!r})  # another student's parameters\n"
    varied = variants.varied_answers(solution)
    return variants.substitute(solution, {g: pin + variants.SOLUTION_REGION.search(c.source).group(0)
                                          .replace("### BEGIN SOLUTION\n", "").replace("### END SOLUTION\n", "")
                                          for c in solution.cells for g in [variants.nbgrader_meta(c).get("grade_id")]
                                          if g in varied})


def variant_submissions(assignment: str, solution) -> dict:
    """{student id: notebook}: the solution as each variant, and copies across variants (1 -> 2, 3 -> 4, ...)."""
    if assignment not in personal.VARIANTS:
        return {}
    n = len(personal.VARIANTS[assignment])
    out = {student_of(assignment, v, f"as-variant{v}"): solution for v in range(1, n + 1)}
    for source in range(1, n + 1, 2):
        target = source % n + 1
        out[student_of(assignment, target, f"copied-{source}-to-{target}")] = copied_values(
            assignment, solution, student_of(assignment, source, "source"))
    return out


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, tmp_path_factory):
    assignment = request.param
    solution = variants.read_solution(assignment)
    questions = contract.load(assignment)
    blank = nbformat.read(str(next((paths.notebooks_dir() / assignment).glob("*.ipynb"))), as_version=4)
    rounds = _rounds(questions)
    submissions = {"solution": solution, "blank": blank}
    submissions.update({name: variants.substitute(solution, code) for name, (code, _) in rounds.items()})
    submissions.update(variant_submissions(assignment, solution))
    course_dir = tmp_path_factory.mktemp(assignment)
    scores = autograde(assignment, submissions, course_dir)
    points = {q.test_id: float(q.points) for q in questions}
    return assignment, points, rounds, scores, course_dir


def test_no_cell_of_any_graded_submission_hit_the_timeout(graded):
    """Each worker ran several of this notebook's kernels in a row; a widget comm that stalls nbclient
    (seen before: a redraw waiting on a front end that is not there) would end in a CellTimeoutError."""
    assignment, _, _, scores, course_dir = graded
    notebooks = sorted((course_dir / "autograded").glob(f"*/{assignment}/*.ipynb"))
    assert len(notebooks) == len(scores) >= 8, f"{assignment}: {len(notebooks)} graded notebooks"
    stalled = [str(nb.relative_to(course_dir)) for nb in notebooks if "CellTimeoutError" in nb.read_text()]
    assert not stalled, f"a cell hit the timeout in {stalled}"


def test_solution_scores_full_marks(graded):
    _, points, _, scores, _ = graded
    assert {k: scores["solution"][k] for k in points} == points


def test_blank_scores_zero(graded):
    _, points, _, scores, _ = graded
    assert {k: scores["blank"][k] for k in points} == {k: 0 for k in points}


@pytest.mark.parametrize("kind", ["alternative", "wrong", "shortcut", "cascade"])
def test_each_round_scores_only_its_own_mistakes(graded, kind):
    """A wrong answer or shortcut scores 0 on its own question; every other question keeps full marks."""
    assignment, points, rounds, scores, _ = graded
    problems = []
    for name, (_, must_fail) in rounds.items():
        if not name.startswith(kind):
            continue
        for test_id, full in points.items():
            answer = test_id[: -len("_test")]
            want = 0.0 if answer in must_fail else full
            if scores[name][test_id] != want:
                problems.append(f"{name}: {answer} scored {scores[name][test_id]} (should be {want})")
    assert not problems, f"{assignment}:\n" + "\n".join(problems)


def test_each_variant_scores_full_and_another_students_values_lose_only_the_varied_questions(graded):
    assignment, points, _, scores, _ = graded
    if assignment not in personal.VARIANTS:
        pytest.skip(f"{assignment} has no per-student variants")
    varied = {f"{a}_test" for a in variants.varied_answers(variants.read_solution(assignment))}
    problems = []
    for student, got in scores.items():
        if student.startswith("as-variant"):
            want = points
        elif student.startswith("copied-"):
            want = {k: (0.0 if k in varied else full) for k, full in points.items()}
        else:
            continue
        problems += [f"{student} (variant {personal.variant_of(assignment, student)}): {k} scored {got[k]} (should be {w})"
                     for k, w in want.items() if got[k] != w]
    assert not problems, f"{assignment}:\n" + "\n".join(problems)
