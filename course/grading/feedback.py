"""`course feedback`: nbgrader's feedback pages, without the hidden tests.

nbgrader's Autograde restores hidden tests into autograded/, and generate_feedback renders them
(upstream #917, #1363). Here each autograded notebook is first copied with every test cell reduced
to its public part plus one line saying whether the hidden checks passed and the points; error
output of test cells keeps only the exception line of a *visible* check (its message is written for
students) and never a traceback, whose context lines could quote hidden code. nbgrader's own
GenerateFeedback then renders the cleaned copies with the scores from the gradebook.
"""

from __future__ import annotations

import copy
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import ClearHiddenTests

from .. import paths
from .discover import CourseWork
from .nbgrader_config import make_config

_DELIMITERS = ClearHiddenTests()
BEGIN_HIDDEN = _DELIMITERS.begin_test_delimeter
END_HIDDEN = _DELIMITERS.end_test_delimeter
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CELL_FRAME_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")


class FeedbackError(RuntimeError):
    pass


def split_hidden(source: str) -> tuple[str, set[int]]:
    """(source without hidden-test regions, 1-based line numbers of the original that were hidden)."""
    kept, hidden, inside = [], set(), False
    for number, line in enumerate(source.split("\n"), start=1):
        if BEGIN_HIDDEN in line:
            inside = True
        if inside:
            hidden.add(number)
        else:
            kept.append(line)
        if END_HIDDEN in line:
            inside = False
    return "\n".join(kept).rstrip("\n"), hidden


def failing_line(error_output: dict) -> int | None:
    """Line of the test cell where the error was raised (the cell's own frame in the traceback)."""
    for entry in error_output.get("traceback", []):
        match = CELL_FRAME_LINE.search(ANSI.sub("", entry))
        if match:
            return int(match.group(1))
    return None


def _format_points(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value:g}"


def clean_test_cell(cell, score: float | None, max_score: float | None) -> None:
    """Reduce one autograded test cell to what a student may see (in place)."""
    public, hidden_lines = split_hidden(cell.source)
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    outputs = [o for o in cell.get("outputs", []) if o.get("output_type") != "error"]
    points = f"{_format_points(score)}/{_format_points(max_score)} points"
    visible_error = None
    if errors:
        line = failing_line(errors[0])
        if line is None or line not in hidden_lines:
            visible_error = errors[0]
    if hidden_lines:
        if not errors:
            verdict = "passed"
        elif visible_error is not None:
            verdict = "not run (a visible check above failed first)"
        else:
            verdict = "failed"
        cell.source = f"{public}\n# Hidden checks: {verdict}; {points}"
    else:
        cell.source = f"{public}\n# Checks: {'failed' if errors else 'passed'}; {points}"
    if visible_error is not None:
        ename, evalue = visible_error.get("ename", "Error"), ANSI.sub("", str(visible_error.get("evalue", "")))
        outputs.append(nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]))
    elif errors:
        outputs.append(nbformat.v4.new_output("stream", name="stderr", text="✘ A hidden check failed.\n"))
    cell.outputs = outputs


def clean_notebook(nb, grades: dict[str, tuple[float | None, float | None]]):
    """A copy of an autograded notebook that is safe to show its student."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            score, max_score = grades.get(meta.get("grade_id"), (None, meta.get("points")))
            clean_test_cell(cell, score, max_score)
        elif BEGIN_HIDDEN in cell.get("source", ""):
            # Hidden tests belong in test cells only; never show one that slipped elsewhere.
            cell.source, _ = split_hidden(cell.source)
    return nb


@dataclass
class FeedbackResult:
    written: list[Path]
    failed: dict[str, str]


def generate(work: CourseWork, assignments: list[str] | None = None) -> FeedbackResult:
    """Write DIR/feedback/<student>/<assignment>/<notebook>.html for every graded submission."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    paths.ensure_venv_on_path()
    chosen = assignments or paths.assignments()
    written: list[Path] = []
    failed: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix=".feedback-", dir=work.root) as scratch:
        cleaned_root = Path(scratch) / "autograded"
        students_by_assignment: dict[str, list[str]] = {}
        with Gradebook(work.db_url, paths.COURSE_ID) as gb:
            for assignment in chosen:
                try:
                    submissions = gb.find_assignment(assignment).submissions
                except MissingEntry:
                    continue
                for submission in submissions:
                    student = submission.student.id
                    source_dir = work.autograded / student / assignment
                    if not source_dir.is_dir():
                        failed[f"{student}/{assignment}"] = "no autograded notebook (run course autograde)"
                        continue
                    for notebook_path in sorted(source_dir.glob("*.ipynb")):
                        try:
                            nb_grades = gb.find_submission_notebook(notebook_path.stem, assignment, student).grades
                        except MissingEntry:
                            continue
                        grades = {g.name: (g.score, g.max_score) for g in nb_grades}
                        nb = nbformat.read(str(notebook_path), as_version=4)
                        target = cleaned_root / student / assignment / notebook_path.name
                        target.parent.mkdir(parents=True, exist_ok=True)
                        nbformat.write(clean_notebook(nb, grades), str(target))
                    if (cleaned_root / student / assignment).is_dir():
                        students_by_assignment.setdefault(assignment, []).append(student)

        config = make_config(work.root, db_url=work.db_url)
        config.CourseDirectory.autograded_directory = str(cleaned_root)
        api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
        for assignment, students in students_by_assignment.items():
            for student in students:
                target = work.feedback / student / assignment
                if target.exists():
                    shutil.rmtree(target)
            result = api.generate_feedback(assignment, force=True)
            if not result["success"]:
                raise FeedbackError(f"nbgrader could not generate feedback for {assignment}:\n{result.get('log')}\n{result.get('error')}")
            for student in students:
                pages = sorted((work.feedback / student / assignment).glob("*.html"))
                if pages:
                    written.extend(pages)
                else:
                    failed[f"{student}/{assignment}"] = "nbgrader wrote no feedback page"
    return FeedbackResult(written=written, failed=failed)
