"""The worker's side of grading: one task in, one result out, with nbgrader's own API.

`run_task` is what every worker runs, in a local process (course/grading/pool.py) or elsewhere:
a `TemplateTask` generates one assignment into a template gradebook (`make_template`); a `GradeTask`
grades one submission in a private course folder holding a copy of that template
(`grade_submission`). Neither raises for a problem of its own task: the result says what went wrong.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
import traceback
from pathlib import Path

import nbformat

from .. import paths
from .. import cells
from . import gradebook
from .isolation import policy
from .nbgrader_config import make_config
from .tasks import GradeResult, GradeTask, Result, Task, TemplateResult, TemplateTask


def expected_notebooks(assignment: str) -> list[str]:
    return sorted(p.stem for p in (paths.solutions_dir() / assignment).glob("*.ipynb"))


def make_template(task: TemplateTask) -> TemplateResult:
    """Generate one assignment into its own template gradebook."""
    try:
        gradebook.make_template_gradebook(task)
        return TemplateResult(task.assignment, ok=True)
    except Exception as error:  # noqa: BLE001 - reported by the controller, which stops the run
        return TemplateResult(task.assignment, ok=False, reason=str(error)[:2000])


class SubmissionProblem(Exception):
    """The submission itself cannot be graded; the message says what the instructor can do."""


# Submitted files that could run as the course's own code if anything put their folder on sys.path.
CODE_SUFFIXES = (".py", ".pyc", ".pth")


def check_files(submission_dir: Path) -> None:
    """Refuse a submission holding anything but plain files and folders, Python code, or too much.

    Checked with lstat before anything copies the folder: a link (symbolic or hard), fifo, socket
    or device could make the grader, which runs outside the sandbox, read or write outside the
    submission (a notebook linked to the solution, a folder linked to another student's).
    """
    for folder in (submission_dir.parent, submission_dir):
        if os.path.islink(folder):
            raise SubmissionProblem(f"{folder.name}/ is a symbolic link, not a folder; the grader refuses links "
                                    "(they could point at another student's work or the solutions)")
    count = size = 0
    for folder, dirs, files in os.walk(submission_dir, followlinks=False):
        for name in sorted([*dirs, *files]):
            path = Path(folder) / name
            relative = path.relative_to(submission_dir)
            info = os.lstat(path)
            kind = policy.describe_special(info)
            if kind:
                raise SubmissionProblem(f"{relative} is {kind}; the grader refuses links and special files "
                                        "(ask for a resubmission of plain files)")
            if name.endswith(CODE_SUFFIXES) or (name in dirs and (path / "__init__.py").exists()):
                raise SubmissionProblem(f"{relative} is Python code beside the notebook; the grader refuses "
                                        "submitted .py, .pyc, .pth files and packages (ask for the notebook alone)")
            if name in files:
                count += 1
                size += info.st_size
        if count > policy.MAX_SUBMISSION_FILES or size > policy.MAX_SUBMISSION_BYTES:
            raise SubmissionProblem(f"the submission holds more than {policy.MAX_SUBMISSION_FILES} files or "
                                    f"{policy.MAX_SUBMISSION_BYTES // 1024**2} MB; ask for the notebook alone")


def check_submission(submission_dir: Path, assignment: str) -> None:
    """Catch the unusable submissions nbgrader would only report with a traceback."""
    check_files(submission_dir)
    expected = expected_notebooks(assignment)
    present = sorted(p for p in submission_dir.glob("*.ipynb"))
    if not any(p.stem in expected for p in present):
        names = ", ".join(p.name for p in present) or "no notebook at all"
        raise SubmissionProblem(
            f"no notebook named {', '.join(n + '.ipynb' for n in expected)} (found {names}); "
            "rename the student's file or ask for a resubmission"
        )
    source_ids = set()
    for name in expected:
        source = nbformat.read(str(paths.solutions_dir() / assignment / f"{name}.ipynb"), as_version=4)
        source_ids |= {cells.cell_grade_id(c) for c in source.cells} - {None}
    for notebook in present:
        if notebook.stem not in expected:
            continue
        if notebook.stat().st_size == 0:
            raise SubmissionProblem(f"{notebook.name} is an empty file (0 bytes); ask for a resubmission")
        try:
            nb = nbformat.read(str(notebook), as_version=4)
        except Exception as error:  # noqa: BLE001 - any parse error makes the file unusable
            first_line = str(error).splitlines()[0] if str(error) else ""
            raise SubmissionProblem(
                f"{notebook.name} is not a readable notebook ({type(error).__name__}: {first_line}); "
                "ask for a resubmission"
            ) from None
        ids = {cells.cell_grade_id(c) for c in nb.cells} - {None}
        if source_ids and not ids & source_ids:
            raise SubmissionProblem(
                f"{notebook.name} has none of the cells of {assignment} (another assignment's notebook, "
                "or one made outside the course?); ask for the right file"
            )


EXCEPTION_LINE = re.compile(r"^\s*((?:\w+\.)*\w+(?:Error|Exception|Interrupt)): (.*)$")
# Exceptions whose message alone does not tell an instructor what happened.
FRIENDLY_REASONS = {
    "DeadKernelError": "the kernel died while running the notebook (the code exits Python, crashes, or runs out of memory)",
    "CellTimeoutError": "a cell ran past the per-cell timeout",
    "UnresponsiveKernelError": "the kernel stopped responding",
    "SchemaTooOldError": "duplicated or damaged nbgrader cells (cell metadata was edited); ask the student for a clean resubmission",
}


def reason_from_log(result: dict) -> str:
    """The most useful line of a failed nbgrader run (nbgrader's result dict): the last exception it logged."""
    text = (result.get("log") or "") + "\n" + (result.get("error") or "")
    found = [m for m in map(EXCEPTION_LINE.match, text.splitlines()) if m and not m.group(1).endswith("NbGraderException")]
    if found:
        name, message = found[0].group(1), found[0].group(2).strip()
        short = name.rsplit(".", 1)[-1]
        return FRIENDLY_REASONS.get(short, f"{short}: {message}")[:500]
    errors = [line.removeprefix("[ERROR] ").strip() for line in text.splitlines() if line.startswith("[ERROR]")]
    errors = [e for e in errors if "There was an error processing" not in e and "Please see the" not in e]
    return (errors[-1] if errors else "nbgrader autograde failed without a message")[:500]


SAFE_ID = re.compile(r"^[A-Za-z0-9_.@+-]+$")


def nbgrader_student_id(student: str) -> str:
    """The id nbgrader sees in the worker's private course folder: the real one when it is safe."""
    if SAFE_ID.match(student) and not student.startswith("."):
        return student
    return "student-" + hashlib.sha256(student.encode()).hexdigest()[:16]


def job_folder(scratch: Path, student: str, assignment: str) -> Path:
    """The worker's private course folder for one submission (nbgrader globs its path: safe names only)."""
    return scratch / "jobs" / f"{nbgrader_student_id(student)}--{assignment}"


def grade_submission(task: GradeTask) -> GradeResult:
    """Grade one submission with nbgrader into a private folder; return plain data for the merge."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    from .isolation import execute, scan

    started = time.monotonic()
    assignment = task.assignment
    workdir = Path(task.workdir)

    def failed(reason: str, isolation: str) -> GradeResult:
        return GradeResult(task.student, assignment, ok=False, reason=reason, isolation=isolation)

    # nbgrader globs paths made from the student id: inside the worker, an id with other characters
    # ("[x]", "*") is graded under a safe alias; the result carries the real id.
    student = nbgrader_student_id(task.student)
    try:
        check_submission(Path(task.submission_dir), assignment)
        if workdir.exists():
            shutil.rmtree(workdir)
        submitted = workdir / "submitted" / student / assignment
        shutil.copytree(task.submission_dir, submitted)
        shutil.copyfile(task.template_db, workdir / "gradebook.db")
        db_url = gradebook.scratch_database(workdir / "gradebook.db")
        config = make_config(workdir, db_url=db_url, release_dir=Path(task.release_dir), cell_timeout=task.cell_timeout)
        isolation = execute.apply(
            config, submission_dir=submitted, course_dir=Path(task.course_dir), cell_timeout=task.cell_timeout
        )
        api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
        result = api.autograde(assignment, student, force=True, create=True)
        if not result["success"]:
            return failed(reason_from_log(result), isolation)
        autograded = workdir / "autograded" / student / assignment
        graded_names = {p.stem for p in autograded.glob("*.ipynb")}
        timestamp, notebooks = gradebook.read_scores(db_url, assignment, student)
        if not graded_names & set(notebooks):
            return failed(reason_from_log(result) or "nbgrader wrote no autograded notebook", isolation)
        # Some cheats cannot be stopped inside the kernel (an answer whose == is always True); a static
        # scan flags them for the instructor without changing any score.
        findings = {p.stem: scan.scan_submission(p) for p in sorted(submitted.glob("*.ipynb"))}
        return GradeResult(
            task.student, assignment, ok=True, isolation=isolation, kernels=execute.last_kernel_mode,
            autograded_dir=str(autograded),
            timestamp=timestamp, notebooks=notebooks, findings={name: found for name, found in findings.items() if found},
            seconds=time.monotonic() - started,
        )
    except SubmissionProblem as problem:
        return failed(str(problem), "not run")
    except Exception as error:  # noqa: BLE001 - one broken submission must not stop the others
        last = traceback.format_exception_only(type(error), error)[-1].strip()
        return failed(f"grader error: {last}", "unknown")


def run_task(task: Task) -> Result:
    """What a worker does with one task, wherever it runs."""
    if isinstance(task, TemplateTask):
        return make_template(task)
    return grade_submission(task)
