"""Every assignment grades fairly through real `nbgrader autograde`, question by question.

From each notebook's question contract (instructor/questions/<assignment>.py) the test builds
submissions and checks, for every autograded question:
- the solution gets full marks and the blank student version 0;
- every alternative correct answer keeps its points (each "alternative round" uses the k-th
  alternative of every question at once);
- every plausible wrong answer and every shortcut loses its points;
- one slip costs one step: in the "cascade" rounds some questions are answered wrongly and the
  questions built on them correctly, and those keep their points (error carried forward).
"""

from __future__ import annotations

import nbformat
import pytest

from course import paths
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


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, tmp_path_factory):
    assignment = request.param
    solution = variants.read_solution(assignment)
    questions = contract.load(assignment)
    blank = nbformat.read(str(next((paths.notebooks_dir() / assignment).glob("*.ipynb"))), as_version=4)
    rounds = _rounds(questions)
    submissions = {"solution": solution, "blank": blank}
    submissions.update({name: variants.substitute(solution, code) for name, (code, _) in rounds.items()})
    scores = autograde(assignment, submissions, tmp_path_factory.mktemp(assignment))
    points = {q.test_id: float(q.points) for q in questions}
    return assignment, points, rounds, scores


def test_solution_scores_full_marks(graded):
    _, points, _, scores = graded
    assert {k: scores["solution"][k] for k in points} == points


def test_blank_scores_zero(graded):
    _, points, _, scores = graded
    assert {k: scores["blank"][k] for k in points} == {k: 0 for k in points}


@pytest.mark.parametrize("kind", ["alternative", "wrong", "shortcut", "cascade"])
def test_each_round_scores_only_its_own_mistakes(graded, kind):
    """A wrong answer or shortcut scores 0 on its own question; every other question keeps full marks."""
    assignment, points, rounds, scores = graded
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
