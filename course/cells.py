"""What makes a cell an answer, a test, a written response or locked: the course's one vocabulary for cell kinds.

The kinds are nbgrader's (its `grade`, `solution` and `locked` flags, read as nbgrader.utils reads
them), named as the course uses them:

- answer: code the student writes, autograded by the tests (solution, not grade);
- test: an autograded test cell (grade, not solution; its hidden part is stripped for students);
- written response: a manually graded markdown answer with its rubric (grade and solution);
- locked: read-only in the student version (nbgrader.utils.is_locked).

The helpers below write instructor notebooks (solutions/) with these flags, so nobody types
nbgrader's metadata schema (version 3) by hand when a notebook is first written from a script:

    nb = new_notebook([md("# Title"), answer("q1", "x = 1"), test("q1-test", "assert x == 1", points=2)])
    save(nb, "solutions/00_alliance/00_alliance.ipynb")

The .ipynb files in solutions/ are the source of truth (instructors edit them in JupyterLab with
nbgrader's Create Assignment toolbar).
"""


from __future__ import annotations

import re
import textwrap
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell
from nbgrader import utils as nbgrader_utils


# --- reading a cell's kind ---------------------------------------------------------------------


def nbgrader_meta(cell) -> dict:
    """The cell's nbgrader metadata ({} for a cell nbgrader does not know); works on plain dicts too."""
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def cell_grade_id(cell) -> str | None:
    return nbgrader_meta(cell).get("grade_id")


def _flags(cell) -> tuple[bool, bool]:
    meta = nbgrader_meta(cell)
    return bool(meta.get("grade", False)), bool(meta.get("solution", False))


def is_answer_cell(cell) -> bool:
    """Code the student writes (nbgrader: solution, not grade)."""
    grade, solution = _flags(cell)
    return cell.get("cell_type") == "code" and solution and not grade


def is_test_cell(cell) -> bool:
    """An autograded test cell (nbgrader: grade, not solution, code)."""
    grade, solution = _flags(cell)
    return cell.get("cell_type") == "code" and grade and not solution


def is_written_response(cell) -> bool:
    """A manually graded written answer (nbgrader: grade and solution, markdown)."""
    grade, solution = _flags(cell)
    return cell.get("cell_type") == "markdown" and grade and solution


def is_locked(cell) -> bool:
    """Read-only in the student version, as nbgrader decides it (a NotebookNode cell)."""
    return bool(nbgrader_utils.is_locked(cell))


def answer_ids(nb) -> list[str]:
    return [nbgrader_meta(c)["grade_id"] for c in nb.cells if is_answer_cell(c)]


def test_points(nb) -> dict[str, float]:
    """grade_id -> points of every autograded test cell."""
    return {nbgrader_meta(c)["grade_id"]: float(nbgrader_meta(c)["points"]) for c in nb.cells if is_test_cell(c)}


# --- writing cells -----------------------------------------------------------------------------

GRADE_ID = re.compile(r"^[a-zA-Z0-9_\-]+$")


def _meta(grade_id: str, *, grade: bool, solution: bool, locked: bool, points: float | None = None) -> dict:
    if not GRADE_ID.match(grade_id):
        raise ValueError(f"grade_id {grade_id!r} may only use letters, digits, '_' and '-'")
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def _clean(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def md(text: str, grade_id: str | None = None):
    """Markdown the student reads. With a grade_id it is locked (read-only) in the student version."""
    cell = new_markdown_cell(_clean(text))
    if grade_id:
        cell.metadata.update(_meta(grade_id, grade=False, solution=False, locked=True))
    return cell


def code(source: str, grade_id: str | None = None):
    """Ordinary code the student runs (setup, demonstrations). Locked when given a grade_id."""
    cell = new_code_cell(_clean(source))
    if grade_id:
        cell.metadata.update(_meta(grade_id, grade=False, solution=False, locked=True))
    return cell


def answer(grade_id: str, solution: str, before: str = "", after: str = ""):
    """An autograded answer cell: ``before``/``after`` stay in the student version, ``solution`` is replaced."""
    parts = []
    if before:
        parts.append(_clean(before))
    parts.append("### BEGIN SOLUTION\n" + _clean(solution) + "\n### END SOLUTION")
    if after:
        parts.append(_clean(after))
    cell = new_code_cell("\n".join(parts))
    cell.metadata.update(_meta(grade_id, grade=False, solution=True, locked=False))
    return cell


def test(grade_id: str, public: str, hidden: str = "", points: float = 1):
    """An autograder test cell: ``public`` checks stay visible, ``hidden`` ones are stripped for students."""
    source = _clean(public)
    if hidden:
        source += "\n### BEGIN HIDDEN TESTS\n" + _clean(hidden) + "\n### END HIDDEN TESTS"
    cell = new_code_cell(source)
    cell.metadata.update(_meta(grade_id, grade=True, solution=False, locked=True, points=points))
    return cell


def written(grade_id: str, model_answer: str, rubric: str, points: float):
    """A manually graded written answer. Student version: "YOUR ANSWER HERE"; the model answer and
    the rubric stay in solutions/ for the graders."""
    text = (
        "### BEGIN SOLUTION\n"
        + "**Model answer (instructor version only).** "
        + _clean(model_answer)
        + "\n\n**Rubric ("
        + f"{points:g} points)**\n\n"
        + _clean(rubric)
        + "\n### END SOLUTION"
    )
    cell = new_markdown_cell(text)
    cell.metadata.update(_meta(grade_id, grade=True, solution=True, locked=False, points=points))
    return cell


def new_notebook(cells: list) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def save(nb: nbformat.NotebookNode, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    ids = [cell_grade_id(c) for c in nb.cells]
    ids = [i for i in ids if i]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"{path}: duplicate grade_id(s) {sorted(duplicates)}")
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:03d}"  # stable ids keep diffs of solutions/ readable
    nbformat.validate(nb)
    nbformat.write(nb, str(path))
    return path
