"""Make submissions from the instructor version: full solution, blank, and per-question variants.

The question contract (`instructor/questions/<assignment>.py`, read by :mod:`course.contract`)
keeps, for every autograded answer cell, alternative correct answers, plausible wrong ones and
shortcuts. Substituting them for the solution region of each answer cell gives the submissions the
grading tests and `course simulate` use.
"""

from __future__ import annotations

import copy
import re
import textwrap

import nbformat

# The cell vocabulary lives in course/cells.py; these names are what simulate, similarity and the tests read here.
from ..cells import answer_ids, is_answer_cell, is_test_cell, nbgrader_meta, test_points  # noqa: F401
from ..paths import solution_notebook_path  # noqa: F401 - read here by simulate, similarity and the tests

SOLUTION_REGION = re.compile(r"### BEGIN SOLUTION\n.*?### END SOLUTION\n?", re.DOTALL)


def load_answers(assignment: str) -> tuple[dict[str, str], dict[str, str]]:
    """(wrong, alternative): the first wrong answer and the first alternative of every question."""
    from .. import contract

    questions = contract.load(assignment)
    return contract.round_of(questions, "wrong", 0), contract.round_of(questions, "alternative", 0)


def substitute(nb, replacements: dict[str, str]):
    """A copy of the solution notebook whose answer cells' solution regions are replaced."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if is_answer_cell(cell) and grade_id in replacements:
            code = textwrap.dedent(replacements[grade_id]).strip("\n") + "\n"
            if not SOLUTION_REGION.search(cell.source):
                raise ValueError(f"answer cell {grade_id} has no solution region")
            cell.source = SOLUTION_REGION.sub(lambda _m: code, cell.source, count=1)
    return nb


def read_solution(assignment: str):
    return nbformat.read(str(solution_notebook_path(assignment)), as_version=4)


# A varied question's answer reads the student's own parameters (course/personal.py) through `me`.
READS_PARAMETERS = re.compile(r"\bme\.\w+|\b(?:first|last|start|end)_year\b")


def varied_answers(nb) -> list[str]:
    """grade_ids of the answer cells whose solution reads the student's parameters (per-student questions)."""
    return [nbgrader_meta(c)["grade_id"] for c in nb.cells
            if is_answer_cell(c) and READS_PARAMETERS.search(SOLUTION_REGION.search(c.source).group(0) if SOLUTION_REGION.search(c.source) else "")]
