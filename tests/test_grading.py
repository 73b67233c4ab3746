"""Every assignment grades fairly through real `nbgrader autograde`.

For each notebook in solutions/: the solution gets full autograded marks; the generated blank student
version gets 0 without an error; a submission where every answer is a plausible WRONG answer loses every
question's points; one where every answer is an ALTERNATIVE correct approach keeps them all.
"""

from __future__ import annotations

import nbformat
import pytest

from course import paths
from course.grading import variants
from grading_harness import autograde

ASSIGNMENTS = paths.assignments()


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, tmp_path_factory):
    assignment = request.param
    solution = variants.read_solution(assignment)
    wrong, alternative = variants.load_answers(assignment)
    blank = nbformat.read(str(next((paths.notebooks_dir() / assignment).glob("*.ipynb"))), as_version=4)
    submissions = {
        "solution": solution,
        "blank": blank,
        "all-wrong": variants.substitute(solution, wrong),
        "all-alternative": variants.substitute(solution, alternative),
    }
    scores = autograde(assignment, submissions, tmp_path_factory.mktemp(assignment))
    return assignment, variants.test_points(solution), scores


def test_answers_file_covers_every_question(graded):
    assignment, points, _ = graded
    solution = variants.read_solution(assignment)
    wrong, alternative = variants.load_answers(assignment)
    ids = set(variants.answer_ids(solution))
    assert ids == set(wrong), f"tests/answers/{assignment}.py WRONG must cover exactly {sorted(ids)}"
    assert ids == set(alternative), f"tests/answers/{assignment}.py ALTERNATIVE must cover exactly {sorted(ids)}"
    assert {f"{i}_test" for i in ids} <= set(points), "each answer cell <id> has a test cell <id>_test"


def test_solution_scores_full_marks(graded):
    _, points, scores = graded
    assert {k: scores["solution"][k] for k in points} == points


def test_blank_scores_zero(graded):
    _, points, scores = graded
    assert {k: scores["blank"][k] for k in points} == {k: 0 for k in points}


def test_each_wrong_answer_loses_its_points(graded):
    _, points, scores = graded
    kept = {k: scores["all-wrong"][k] for k in points if scores["all-wrong"][k] > 0}
    assert kept == {}, f"these questions gave points to a plausible wrong answer: {kept}"


def test_each_alternative_answer_keeps_its_points(graded):
    _, points, scores = graded
    lost = {k: (scores["all-alternative"][k], v) for k, v in points.items() if scores["all-alternative"][k] != v}
    assert lost == {}, f"these questions refused a valid alternative answer (score, max): {lost}"
