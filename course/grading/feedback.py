"""`course feedback`: nbgrader's feedback pages, without the hidden tests.

nbgrader's Autograde restores hidden tests into autograded/, and generate_feedback renders them
(upstream #917, #1363). Here each autograded notebook is first copied with every test cell reduced
to its public part plus one line saying whether the hidden checks passed and the points; error
output of test cells keeps only the exception line of a *visible* check (its message is written for
students) and never a traceback, whose context lines could quote hidden code. nbgrader's own
GenerateFeedback then renders the cleaned copies with the scores from the gradebook, through the
course's template (templates/course_feedback: no MathJax or other remote script, readable contrast, a
contents list naming each question). The copies are also made safe (safe_html.py): student outputs
and markdown sanitised, formulas as MathML, widget state dropped; the graders' rubric notes
(rubrics.py) removed; and each written answer not yet graded by hand marked as such.
"""

from __future__ import annotations

import copy
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import nbgrader
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import ClearHiddenTests

from .. import cells, paths
from . import safe_html
from .discover import CourseWork
from .export import awaits_grader
from .nbgrader_config import make_config
from .rubrics import strip_grader_notes

TEMPLATES = Path(__file__).resolve().parent / "templates"

_DELIMITERS = ClearHiddenTests()
BEGIN_HIDDEN = _DELIMITERS.begin_test_delimeter
END_HIDDEN = _DELIMITERS.end_test_delimeter
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CELL_FRAME_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")


NBGRADER_TEMPLATES = Path(nbgrader.__file__).resolve().parent / "server_extensions" / "formgrader" / "templates"


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


# Exceptions a hidden test raises with a message written for students (course.checks): never a value.
HIDDEN_CHECK_ERRORS = ("WrongAnswer", "MistakeNamed")


def _is_hidden_error(output: dict, hidden_lines: set[int]) -> bool:
    if output.get("ename") in HIDDEN_CHECK_ERRORS:
        return True
    line = failing_line(output)
    return line is not None and line in hidden_lines


def clean_test_cell(cell, score: float | None, max_score: float | None, visibility: str = "hidden",
                    due_passed: bool = True, due_text: str = "") -> None:
    """Reduce one autograded test cell to what a student may see (in place), at the test's visibility.

    ``visibility`` (contract.VISIBILITY): "visible" shows the public checks, the hidden check's verdict
    and its failure message; "hidden" the public checks, the verdict and the named mistake if one was
    recognised; "points_only" the points alone; "after_due" the points alone until the due date
    (``due_passed`` False), then as "hidden". A hidden test's source is never shown, and neither is
    the message of an error that is not one of the course's checks (it could quote a hidden value).
    """
    if visibility == "after_due":
        visibility = "hidden" if due_passed else "until_due"
    public, hidden_lines = split_hidden(cell.source)
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    outputs = [o for o in cell.get("outputs", []) if o.get("output_type") != "error"]
    points = f"{_format_points(score)}/{_format_points(max_score)} points"
    hidden_error = next((o for o in errors if _is_hidden_error(o, hidden_lines)), None)
    visible_error = next((o for o in errors if not _is_hidden_error(o, hidden_lines)), None)
    verdict_word = "failed" if errors else "passed"
    if visibility in ("points_only", "until_due"):
        note = {"points_only": "only the points of this question's checks are shown",
                "until_due": f"the results of this question's checks are shown after the due date{due_text}"}[visibility]
        cell.source = f"# Checks: {note}; {points}"
        cell.outputs = []
        return
    if hidden_lines:
        if not errors:
            verdict = "passed"
        elif visible_error is not None:
            verdict = "not run (a visible check above failed first)"
        else:
            verdict = "failed"
        cell.source = f"{public}\n# Hidden checks: {verdict}; {points}"
    else:
        cell.source = f"{public}\n# Checks: {verdict_word}; {points}"
    if visible_error is not None:
        ename, evalue = visible_error.get("ename", "Error"), ANSI.sub("", str(visible_error.get("evalue", "")))
        outputs.append(nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]))
    elif hidden_error is not None:
        ename, evalue = hidden_error.get("ename", "Error"), ANSI.sub("", str(hidden_error.get("evalue", "")))
        already = any(evalue.split(": ", 1)[-1] in str(o.get("text", "")) for o in outputs)  # printed by the public check
        if not already and (ename == "MistakeNamed" or (visibility == "visible" and ename in HIDDEN_CHECK_ERRORS)):
            text = f"✘ A hidden check failed. {evalue}\n"
        else:
            text = "✘ A hidden check failed.\n"
        outputs.append(nbformat.v4.new_output("stream", name="stderr", text=text))
    cell.outputs = outputs


def pending_note(points) -> str:
    return (f"<p class='course-pending'><strong>Not graded yet.</strong> Your instructor grades this answer by "
            f"hand; until then it counts 0 of {_format_points(points)} points.</p>")


def clean_notebook(nb, grades: dict[str, tuple], pending: dict[str, float] | None = None,
                   visibility: dict[str, str] | None = None, due: datetime | None = None,
                   now: datetime | None = None):
    """A copy of an autograded notebook that is safe to show its student.

    ``grades``: grade_id -> (score, max_score); ``pending``: grade_id -> points of the answers that
    still await a grader (their score so far is provisional); ``visibility``: test grade_id -> one of
    contract.VISIBILITY (default "hidden"); ``due``/``now`` (UTC) decide the "after_due" tests.
    """
    nb = copy.deepcopy(nb)
    pending = pending or {}
    visibility = visibility or {}
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    due_passed = due is None or now >= due
    due_text = f" ({due:%Y-%m-%d %H:%M} UTC)" if due is not None else ""
    strip_grader_notes(nb)
    nb.metadata.pop("widgets", None)  # widget state makes nbconvert load the widget manager from a CDN
    for cell in nb.cells:
        meta = cells.nbgrader_meta(cell)
        if cells.is_test_cell(cell):
            score, max_score = grades.get(meta.get("grade_id"), (None, meta.get("points")))[:2]
            clean_test_cell(cell, score, max_score, visibility.get(meta.get("grade_id"), "hidden"),
                            due_passed, due_text)
        elif BEGIN_HIDDEN in cell.get("source", ""):
            # Hidden tests belong in test cells only; never show one that slipped elsewhere.
            cell.source, _ = split_hidden(cell.source)
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                safe_html.clean_output(output)
        elif cell.cell_type == "markdown":
            cell.source = safe_html.markdown_cell_html(cell.source)
            if meta.get("grade_id") in pending:
                cell.source = pending_note(pending[meta["grade_id"]]) + cell.source
            cell.pop("attachments", None)
        elif cell.cell_type == "raw":
            cell.metadata.pop("format", None)  # a raw cell is shown as text, never as HTML
            cell.metadata.pop("raw_mimetype", None)
    nb.metadata["course"] = {"pending": sorted(pending), "pending_points": float(sum(pending.values()))}
    return nb


def test_visibility(assignment: str) -> dict[str, str]:
    """Test grade_id -> visibility, from the assignment's question contract (none: every test "hidden")."""
    from .. import contract

    if not contract.contract_path(assignment).is_file():
        return {}
    return {q.test_id: q.visibility for q in contract.load(assignment)}


def _generate_feedback(api, assignment: str) -> dict:
    """nbgrader's GenerateFeedback for one assignment, as NbGraderAPI.generate_feedback runs it, but with
    the course's template: the API forces nbgrader's own template, which loads MathJax from a CDN."""
    from nbgrader.converters import GenerateFeedback
    from nbgrader.utils import capture_log, temp_attrs
    from traitlets.config import Config

    override = Config()
    override.HTMLExporter.template_name = "course_feedback"
    override.HTMLExporter.extra_template_basedirs = [str(TEMPLATES), str(NBGRADER_TEMPLATES)]
    with temp_attrs(api.coursedir, assignment_id=assignment):
        app = GenerateFeedback(coursedir=api.coursedir, parent=api)
        # "feedback/index.html.j2", which the course's template extends, is found from nbgrader's folder;
        # the bootstrap CSS folder nbgrader puts there is kept.
        override.HTMLExporter.extra_template_paths = [*app.config.HTMLExporter.get("extra_template_paths", []),
                                                      str(NBGRADER_TEMPLATES)]
        app.update_config(override)
        app.force = True
        return capture_log(app)


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
                    found = gb.find_assignment(assignment)
                    submissions = found.submissions
                except MissingEntry:
                    continue
                shown = test_visibility(assignment)
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
                        pending = {g.name: g.max_score for g in nb_grades if awaits_grader(g)}
                        nb = nbformat.read(str(notebook_path), as_version=4)
                        target = cleaned_root / student / assignment / notebook_path.name
                        target.parent.mkdir(parents=True, exist_ok=True)
                        nbformat.write(clean_notebook(nb, grades, pending, shown, found.duedate), str(target))
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
            result = _generate_feedback(api, assignment)
            if not result["success"]:
                raise FeedbackError(f"nbgrader could not generate feedback for {assignment}:\n{result.get('log')}\n{result.get('error')}")
            for student in students:
                pages = sorted((work.feedback / student / assignment).glob("*.html"))
                if pages:
                    written.extend(pages)
                else:
                    failed[f"{student}/{assignment}"] = "nbgrader wrote no feedback page"
    return FeedbackResult(written=written, failed=failed)
