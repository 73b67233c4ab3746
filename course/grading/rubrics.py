"""The rubric beside each written answer, for the grader in Formgrader, never for the student.

Notebook authors write a written response as one markdown cell that nbgrader grades by hand
(``grade`` and ``solution`` set, as :func:`course.cells.written` makes it) whose
``### BEGIN SOLUTION`` ... ``### END SOLUTION`` region holds the model answer and the rubric. nbgrader
replaces that region by "YOUR ANSWER HERE" in the student version, and the student's answer replaces
the cell, so Formgrader alone would show the grader no rubric.

:class:`ShowRubrics` runs last in nbgrader's Autograde (configured in ``nbgrader_config.make_config``)
and inserts, after each such answer in the *autograded* copy, a markdown cell with that region, marked
``metadata.course.grader_note``. Formgrader renders the autograded copy, so the grader reads the rubric
under the answer. The student never sees it: the release is untouched, and `course feedback` drops
every marked cell (:func:`strip_grader_notes`).
"""

from __future__ import annotations

import functools
import re

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from .. import cells, paths

NOTE_KEY = "grader_note"
SOLUTION_REGION = re.compile(r"### BEGIN SOLUTION\s*\n(.*?)\n?\s*### END SOLUTION", re.S)


def rubric_of(cell) -> str:
    """The instructor-only text (model answer and rubric) of a written-answer cell in solutions/."""
    match = SOLUTION_REGION.search(cell.get("source", ""))
    return match.group(1).strip() if match else ""


@functools.lru_cache(maxsize=64)
def _rubrics(solutions_dir: str, assignment: str, notebook: str) -> dict[str, str]:
    path = f"{solutions_dir}/{assignment}/{notebook}.ipynb"
    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return {}
    return {
        cell.metadata["nbgrader"]["grade_id"]: rubric_of(cell)
        for cell in nb.cells
        if cells.is_written_response(cell) and rubric_of(cell)
    }


def rubrics(assignment: str, notebook: str) -> dict[str, str]:
    """grade_id -> rubric text for each written answer of ``assignment/notebook`` in solutions/."""
    return _rubrics(str(paths.solutions_dir()), assignment, notebook)


def grader_note_cell(grade_id: str, text: str):
    cell = nbformat.v4.new_markdown_cell(
        f"**For the grader: model answer and rubric for `{grade_id}`** (not shown to students)\n\n{text}"
    )
    cell.metadata["course"] = {NOTE_KEY: grade_id}
    return cell


def is_grader_note(cell) -> bool:
    return NOTE_KEY in cell.get("metadata", {}).get("course", {})


def add_grader_notes(nb, assignment: str, notebook: str):
    """Insert the rubric after each written answer (in place; idempotent). Returns ``nb``."""
    notes = rubrics(assignment, notebook)
    kept = [cell for cell in nb.cells if not is_grader_note(cell)]
    result = []
    for cell in kept:
        result.append(cell)
        grade_id = cells.cell_grade_id(cell)
        if cells.is_written_response(cell) and grade_id in notes:
            result.append(grader_note_cell(grade_id, notes[grade_id]))
    nb.cells = result
    return nb


def strip_grader_notes(nb):
    """Remove every grader note (in place). Returns ``nb``."""
    nb.cells = [cell for cell in nb.cells if not is_grader_note(cell)]
    return nb


class ShowRubrics(Preprocessor):
    """nbgrader Autograde step: put each written answer's rubric under it in the autograded notebook."""

    enabled = Bool(True, help="nbconvert preprocessors are off by default; this one is part of grading").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader", {})
        if info.get("assignment") and info.get("notebook"):
            add_grader_notes(nb, info["assignment"], info["notebook"])
        return nb, resources
