"""A two-question course in a temporary folder, for fast tests of the grading pipeline's mechanics.

It has what the real course has (answer cells, test cells with hidden tests, a written response),
but its kernel runs in a second, so tests can grade many submissions and hostile cases quickly.
The real course is graded end to end in tests/test_pipeline.py::test_real_course_* too.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

# What the tiny-course fixtures set to point the package at the tiny course (tests/test_pipeline.py).
TINY_COURSE_VARIABLES = ("COURSE_SOLUTIONS_DIR", "COURSE_NOTEBOOKS_DIR", "COURSE_QUESTIONS_DIR")
ASSIGNMENT = "tiny"
NOTEBOOK = "tiny.ipynb"
RIGHT = {"q1": "answer_one = 42", "q2": "answer_two = [1, 2, 3]"}
ALTERNATIVE = {"q1": "answer_one = 6 * 7", "q2": "answer_two = list(range(1, 4))"}
WRONG = {"q1": "answer_one = 41", "q2": "answer_two = [0]"}
# fails the *visible* check of q1 (not a whole number), so its hidden check never runs
WRONG_TYPE = {"q1": "answer_one = 'forty-two'", "q2": "answer_two = [1, 2, 3]"}


def _meta(**fields) -> dict:
    nbgrader = {"schema_version": 3, "grade": False, "solution": False, "locked": False}
    nbgrader.update(fields)
    return {"nbgrader": nbgrader}


def solution_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Tiny assignment", metadata=_meta(grade_id="header", locked=True)),
        nbformat.v4.new_code_cell("### BEGIN SOLUTION\nanswer_one = 42\n### END SOLUTION", metadata=_meta(grade_id="q1", solution=True)),
        nbformat.v4.new_code_cell(
            "assert isinstance(answer_one, int), 'answer_one should be a whole number'\n"
            "print('visible check passed')\n"
            "### BEGIN HIDDEN TESTS\n"
            "assert answer_one == 42, 'secret: the expected value is forty-two'\n"
            "### END HIDDEN TESTS",
            metadata=_meta(grade_id="q1_test", grade=True, locked=True, points=2),
        ),
        nbformat.v4.new_code_cell("### BEGIN SOLUTION\nanswer_two = [1, 2, 3]\n### END SOLUTION", metadata=_meta(grade_id="q2", solution=True)),
        nbformat.v4.new_code_cell(
            "assert isinstance(answer_two, list), 'answer_two should be a list'\n"
            "### BEGIN HIDDEN TESTS\n"
            "assert sum(answer_two) == 6, 'secret: the numbers add up to six'\n"
            "### END HIDDEN TESTS",
            metadata=_meta(grade_id="q2_test", grade=True, locked=True, points=1),
        ),
        nbformat.v4.new_markdown_cell(
            "### BEGIN SOLUTION\nModel answer (instructor version only). The secret model answer text.\n### END SOLUTION",
            metadata=_meta(grade_id="w1", solution=True, grade=True, points=2),
        ),
    ]
    return nb


CONTRACT = f"""
from course.grading.contract import Mistake, Question

QUESTIONS = [
    Question(answer="q1", points=2, compare="assert_number", alternatives=({ALTERNATIVE['q1']!r}, "answer_one = 42.0"),
             wrong=(Mistake("off by one", {WRONG['q1']!r}), Mistake("text", {WRONG_TYPE['q1']!r})),
             shortcuts=("answer_one = int('0')",)),
    Question(answer="q2", points=1, compare="assert_values", alternatives=({ALTERNATIVE['q2']!r}, "answer_two = [3, 2, 1]"),
             wrong=(Mistake("one number", {WRONG['q2']!r}), Mistake("empty", "answer_two = []")),
             shortcuts=("answer_two = []",)),
]
"""


def write_course(root: Path) -> tuple[Path, Path]:
    """Write solutions/tiny/tiny.ipynb and its question contract (instructor/questions/tiny.py) under root;
    return (solutions dir, notebooks dir)."""
    solutions = root / "solutions"
    (solutions / ASSIGNMENT).mkdir(parents=True, exist_ok=True)
    nbformat.write(solution_notebook(), str(solutions / ASSIGNMENT / NOTEBOOK))
    questions = root / "instructor" / "questions"
    questions.mkdir(parents=True, exist_ok=True)
    (questions / f"{ASSIGNMENT}.py").write_text(CONTRACT, encoding="utf-8")
    return solutions, root / "notebooks"


def other_assignment_notebook() -> nbformat.NotebookNode:
    """A valid notebook from some other assignment (none of tiny's cells)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1", metadata=_meta(grade_id="other_question", solution=True))]
    return nb
