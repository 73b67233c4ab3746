"""`course autograde`: nbgrader's Autograde, in parallel worker processes, merged into one gradebook.

nbgrader has no parallel autograde (upstream #174) and SQLite dislikes concurrent writers, so:

1. prepare: the workers generate each assignment once into a small *template* gradebook of its own
   (in parallel), while the parent generates them into the main gradebook (students registered from
   the roster); grading an assignment starts as soon as its template exists;
2. each worker process (started once, reused) grades ONE submission at a time with nbgrader's own
   API into a private work folder holding a copy of the template gradebook (a copy, not a new
   database, so nbgrader never shells out to alembic per submission);
3. the parent copies the autograded notebooks into DIR/autograded/ and merges the scores into the
   main gradebook in one transaction per submission. This is the only writer of the main gradebook,
   which may be SQLite or any SQLAlchemy URL (PostgreSQL for many graders).

A submission in the main gradebook is therefore completely graded; a rerun grades the others
(`force` regrades all). Manual scores already entered are kept. A submission that cannot be graded
is recorded with its reason in DIR/grading-failures.json, and the others go on.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import signal
import tempfile
import time
import traceback
import warnings
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

import nbformat
from nbgrader import utils as nbgrader_utils
from sqlalchemy import text
from nbgrader.api import Comment, Grade, Gradebook, MissingEntry, SubmittedAssignment, SubmittedNotebook

from .. import paths
from . import nbgrader_speedups
from .discover import CourseWork, register_students
from .nbgrader_config import make_config

DEFAULT_CELL_TIMEOUT = 30
# Wall-clock limit for one notebook of a submission, on top of nbgrader's per-cell timeout.
DEFAULT_NOTEBOOK_TIMEOUT = 300
# Generating one assignment into a template gradebook takes well under a second.
TEMPLATE_TIMEOUT = 120


@dataclass
class Summary:
    graded: dict[str, float] = field(default_factory=dict)  # key -> seconds
    failed: dict[str, str] = field(default_factory=dict)  # key -> reason
    skipped: list[str] = field(default_factory=list)  # already graded
    isolation: set[str] = field(default_factory=set)
    sandbox: str = ""  # which bwrap was found, or why none (sandbox.find_bwrap)
    flagged: dict[str, list[str]] = field(default_factory=dict)  # key -> integrity findings
    workers: int = 0
    seconds: float = 0.0


class GradingError(RuntimeError):
    """A problem with the whole run (not with one submission)."""


# --------------------------------------------------------------------------------------------
# Preparation (parent)


def expected_notebooks(assignment: str) -> list[str]:
    return sorted(p.stem for p in (paths.solutions_dir() / assignment).glob("*.ipynb"))


def _generate(db_url: str, assignments: list[str], release_dir: Path, course_root: Path) -> None:
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = make_config(course_root, db_url=db_url, release_dir=release_dir)
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    for assignment in assignments:
        result = api.generate_assignment(assignment, force=True, create=True)
        if not result["success"]:
            raise GradingError(f"nbgrader could not generate {assignment}:\n{result.get('log')}\n{result.get('error')}")


def alembic_head() -> str:
    """nbgrader's current schema revision, read in-process (nbgrader runs `alembic heads` in a subprocess)."""
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory
    import nbgrader

    config = AlembicConfig()
    config.set_main_option("script_location", str(Path(nbgrader.__file__).parent / "alembic"))
    return ScriptDirectory.from_config(config).get_current_head()


def stamp_if_new(db_url: str, revision: str | None = None) -> str:
    """Give an empty database the alembic_version table nbgrader would create, so opening it is cheap.

    Returns the revision the database has (nbgrader then creates its tables itself).
    """
    from sqlalchemy import create_engine, inspect

    engine = create_engine(db_url)
    try:
        with engine.begin() as connection:
            if "alembic_version" in inspect(connection).get_table_names():
                return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            revision = revision or alembic_head()
            connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": revision})
            return revision
    finally:
        engine.dispose()


def template_tasks(work: CourseWork, assignments: list[str], scratch: Path) -> list[dict]:
    """One task per assignment: make the small gradebook the workers copy for each of its submissions.

    Workers run them first, in parallel; grading an assignment starts as soon as its template exists.
    The main gradebook is synced meanwhile (`sync_main`).
    """
    paths.ensure_venv_on_path()
    work.root.mkdir(parents=True, exist_ok=True)
    # nbgrader shells out to `alembic heads` (~2.5 s) for every new database: stamp new ones instead.
    revision = stamp_if_new(work.db_url)
    # Late penalties are computed in the worker: it needs the due dates an instructor set in the main gradebook.
    with Gradebook(work.db_url, paths.COURSE_ID) as gb:
        known = {a.name: a.duedate for a in gb.assignments}
    tasks = []
    for assignment in assignments:
        folder = scratch / "templates" / assignment
        tasks.append({
            "kind": "template", "assignment": assignment, "revision": revision, "folder": str(folder),
            "template_db": str(folder / "template.db"), "release_dir": str(folder / "release"),
            "duedate": known[assignment].isoformat() if known.get(assignment) else None,
        })
    return tasks


def make_template(task: dict) -> dict:
    """(worker) Generate one assignment into its own template gradebook."""
    base = {"kind": "template", "assignment": task["assignment"]}
    try:
        folder = Path(task["folder"])
        folder.mkdir(parents=True, exist_ok=True)
        db_url = f"sqlite:///{task['template_db']}"
        stamp_if_new(db_url, task["revision"])
        _generate(db_url, [task["assignment"]], Path(task["release_dir"]), folder)
        if task["duedate"]:
            with Gradebook(db_url, paths.COURSE_ID) as gb:
                gb.find_assignment(task["assignment"]).duedate = nbgrader_utils.parse_utc(task["duedate"])
                gb.db.commit()
        return {**base, "ok": True}
    except Exception as error:  # noqa: BLE001 - reported by the parent, which stops the run
        return {**base, "ok": False, "reason": str(error)[:2000]}


def sync_main(work: CourseWork, assignments: list[str], scratch: Path) -> None:
    """Generate the assignments into the main gradebook and register the students (runs beside grading)."""
    _generate(work.db_url, assignments, scratch / "release-main", work.root)
    with Gradebook(work.db_url, paths.COURSE_ID) as gb:
        register_students(gb, work.roster())


# --------------------------------------------------------------------------------------------
# One submission (worker process)


def quiet_known_warnings() -> None:
    """nbgrader's own add_submission trips SQLAlchemy's autoflush warning; scores are unaffected (docs/toolchain.md)."""
    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)


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
    from .sandbox import MAX_SUBMISSION_BYTES, MAX_SUBMISSION_FILES, describe_special

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
            kind = describe_special(info)
            if kind:
                raise SubmissionProblem(f"{relative} is {kind}; the grader refuses links and special files "
                                        "(ask for a resubmission of plain files)")
            if name.endswith(CODE_SUFFIXES) or (name in dirs and (path / "__init__.py").exists()):
                raise SubmissionProblem(f"{relative} is Python code beside the notebook; the grader refuses "
                                        "submitted .py, .pyc, .pth files and packages (ask for the notebook alone)")
            if name in files:
                count += 1
                size += info.st_size
        if count > MAX_SUBMISSION_FILES or size > MAX_SUBMISSION_BYTES:
            raise SubmissionProblem(f"the submission holds more than {MAX_SUBMISSION_FILES} files or "
                                    f"{MAX_SUBMISSION_BYTES // 1024**2} MB; ask for the notebook alone")


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
        source_ids |= {c.metadata.get("nbgrader", {}).get("grade_id") for c in source.cells} - {None}
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
        ids = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb.cells} - {None}
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
    """The most useful line of a failed nbgrader run: the last exception nbgrader logged."""
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
    import hashlib

    return "student-" + hashlib.sha256(student.encode()).hexdigest()[:16]


def job_folder(scratch: Path, student: str, assignment: str) -> Path:
    """The worker's private course folder for one submission (nbgrader globs its path: safe names only)."""
    return scratch / "jobs" / f"{nbgrader_student_id(student)}--{assignment}"


def grade_submission(task: dict) -> dict:
    """Grade one submission with nbgrader into a private folder; return plain data for the merge."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    from . import integrity, sandbox

    started = time.monotonic()
    student, assignment = task["student"], task["assignment"]
    base = {"student": student, "assignment": assignment}
    workdir = Path(task["workdir"])
    # nbgrader globs paths made from the student id: inside the worker, an id with other characters
    # ("[x]", "*") is graded under a safe alias; the result carries the real id.
    student = nbgrader_student_id(student)
    try:
        check_submission(Path(task["submission_dir"]), assignment)
        if workdir.exists():
            shutil.rmtree(workdir)
        submitted = workdir / "submitted" / student / assignment
        shutil.copytree(task["submission_dir"], submitted)
        shutil.copyfile(task["template_db"], workdir / "gradebook.db")
        db_url = f"sqlite:///{workdir / 'gradebook.db'}"
        config = make_config(workdir, db_url=db_url, release_dir=Path(task["release_dir"]), cell_timeout=task["cell_timeout"])
        # sandbox.py keeps one kernel connection folder per process and hands it to the sandbox uid;
        # in a reused worker the next kernel then cannot get its connection file. Ask for a fresh
        # folder per submission (reported to the sandbox's owner; harmless once fixed there).
        if hasattr(sandbox, "_runtime_dir"):
            sandbox._runtime_dir = None
        isolation = sandbox.apply(
            config, submission_dir=submitted, course_dir=Path(task["course_dir"]), cell_timeout=task["cell_timeout"]
        )
        api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
        result = api.autograde(assignment, student, force=True, create=True)
        if not result["success"]:
            return {**base, "ok": False, "reason": reason_from_log(result), "isolation": isolation}
        autograded = workdir / "autograded" / student / assignment
        graded_names = {p.stem for p in autograded.glob("*.ipynb")}
        notebooks: dict[str, dict] = {}
        with Gradebook(db_url, paths.COURSE_ID) as gb:
            submission = gb.find_submission(assignment, student)
            timestamp = submission.timestamp.isoformat() if submission.timestamp else None
            for nb in submission.notebooks:
                notebooks[nb.notebook.name] = {
                    "flagged": nb.flagged,
                    "late_submission_penalty": nb.late_submission_penalty,
                    "grades": {g.name: {"auto_score": g.auto_score, "needs_manual_grade": g.needs_manual_grade} for g in nb.grades},
                    "comments": {c.name: c.auto_comment for c in nb.comments},
                }
        if not graded_names & set(notebooks):
            return {**base, "ok": False, "reason": reason_from_log(result) or "nbgrader wrote no autograded notebook", "isolation": isolation}
        # Some cheats cannot be stopped inside the kernel (an answer whose == is always True); a static
        # scan flags them for the instructor without changing any score.
        findings = {p.stem: integrity.scan_submission(p) for p in sorted(submitted.glob("*.ipynb"))}
        return {
            **base, "ok": True, "autograded_dir": str(autograded), "timestamp": timestamp, "notebooks": notebooks,
            "findings": {name: found for name, found in findings.items() if found},
            "isolation": isolation, "seconds": time.monotonic() - started,
        }
    except SubmissionProblem as problem:
        return {**base, "ok": False, "reason": str(problem), "isolation": "not run"}
    except Exception as error:  # noqa: BLE001 - one broken submission must not stop the others
        last = traceback.format_exception_only(type(error), error)[-1].strip()
        return {**base, "ok": False, "reason": f"grader error: {last}", "isolation": "unknown"}


def _die_with_parent() -> None:
    """(Linux) The worker is killed when the parent dies, even by SIGKILL: no grading goes on unseen."""
    import ctypes

    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the call
        os._exit(1)


def _worker_main(connection, log_path: str | None) -> None:
    """Serve grading tasks until told to stop; the parent owns interruption (Ctrl-C)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    paths.ensure_venv_on_path()
    quiet_known_warnings()
    nbgrader_speedups.install()
    if log_path:
        # Kernels and nbgrader write to stderr; keep the terminal for the progress bar and summary.
        log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        os.close(log_fd)  # kernels and the checker get pipes of their own, never the log
    # Import nbgrader now, while the parent prepares, not during the first submission.
    import nbgrader.apps  # noqa: F401
    import nbgrader.converters  # noqa: F401

    connection.send({"ready": True})
    while True:
        try:
            task = connection.recv()
        except EOFError:
            return
        if task is None:
            return
        connection.send(make_template(task) if task.get("kind") == "template" else grade_submission(task))


# --------------------------------------------------------------------------------------------
# Worker pool (parent)


class Worker:
    """One long-lived grading process; killed with its kernels when a submission overruns."""

    def __init__(self, context, log_path: str | None = None) -> None:
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child_end, log_path), daemon=True)
        self.process.start()
        child_end.close()
        self.ready = False
        self.task: dict | None = None
        self.deadline = 0.0

    def send(self, task: dict, limit: float) -> None:
        self.task = task
        self.deadline = time.monotonic() + limit
        self.connection.send(task)

    def kill(self) -> None:
        """Kill the worker and every process it started (kernels run in their own session)."""
        import psutil

        try:
            tree = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            tree = []
        for proc in tree:
            try:
                proc.kill()
            except psutil.NoSuchProcess:
                pass
        self.process.kill()
        self.process.join(5)
        self.connection.close()

    def release(self) -> None:
        """Tell the worker to exit once idle (it shuts down while the others finish)."""
        try:
            self.connection.send(None)
        except (BrokenPipeError, OSError):
            pass

    def join(self) -> None:
        self.process.join(10)
        if self.process.is_alive():
            self.kill()


def merge(gb: Gradebook, result: dict) -> None:
    """Write one graded submission into the main gradebook in a single transaction.

    Auto scores and auto comments are replaced; manual scores and comments a grader entered are kept,
    and (as nbgrader does) a cell with a manual score is flagged for review when regraded.
    """
    session = gb.db
    try:
        try:
            submission = gb.find_submission(result["assignment"], result["student"])
        except MissingEntry:
            # As Gradebook.add_submission, without its commit: the whole merge is one transaction.
            assignment, student = gb.find_assignment(result["assignment"]), gb.find_student(result["student"])
            # Every object is added explicitly: SQLAlchemy 2 no longer cascades along backrefs.
            with session.no_autoflush:
                submission = SubmittedAssignment(assignment=assignment, student=student)
                session.add(submission)
                for notebook in assignment.notebooks:
                    nb = SubmittedNotebook(notebook=notebook, assignment=submission)
                    session.add(nb)
                    for cell in notebook.grade_cells:
                        session.add(Grade(cell_id=cell.id, notebook=nb))
                    for cell in notebook.solution_cells:
                        session.add(Comment(cell_id=cell.id, notebook=nb))
                    for cell in notebook.task_cells:
                        session.add(Comment(cell_id=cell.id, notebook=nb))
                        session.add(Grade(cell_id=cell.id, notebook=nb))
            session.flush()
        submission.timestamp = nbgrader_utils.parse_utc(result["timestamp"]) if result.get("timestamp") else None
        for nb in submission.notebooks:
            graded = result["notebooks"].get(nb.notebook.name)
            if graded is None:
                continue
            nb.flagged = bool(graded["flagged"] or result.get("findings", {}).get(nb.notebook.name))
            nb.late_submission_penalty = graded["late_submission_penalty"]
            for grade in nb.grades:
                new = graded["grades"].get(grade.name)
                if new is None:
                    continue
                grade.auto_score = new["auto_score"]
                grade.needs_manual_grade = bool(new["needs_manual_grade"] or grade.manual_score is not None)
            for comment in nb.comments:
                if comment.name in graded["comments"]:
                    comment.auto_comment = graded["comments"][comment.name]
        session.commit()
    except Exception:
        session.rollback()
        raise


def install_autograded(work: CourseWork, result: dict) -> None:
    """Put the worker's autograded notebooks at DIR/autograded/<student>/<assignment>/."""
    target = work.autograded / result["student"] / result["assignment"]
    staging = target.parent / f".{target.name}.incoming"
    if staging.exists():
        shutil.rmtree(staging)
    # Only what nbgrader wrote is there (the kernel worked elsewhere); still, never follow a link.
    from .sandbox import describe_special

    for folder, dirs, files in os.walk(result["autograded_dir"], followlinks=False):
        for name in [*dirs, *files]:
            kind = describe_special(os.lstat(Path(folder) / name))
            if kind:
                raise GradingError(f"{name} in the autograded folder is {kind}; not installed")
    shutil.copytree(result["autograded_dir"], staging, symlinks=True)
    if target.exists():
        shutil.rmtree(target)
    os.replace(staging, target)


def _progress(total: int):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    console = Console(stderr=True)
    return Progress(
        TextColumn("[bold]autograde"), BarColumn(), MofNCompleteColumn(), TextColumn("elapsed"), TimeElapsedColumn(),
        TextColumn("ETA"), TimeRemainingColumn(), console=console, disable=not console.is_terminal or total == 0,
    )


def autograde(
    work: CourseWork,
    assignments: list[str] | None = None,
    *,
    workers: int | None = None,
    cell_timeout: int = DEFAULT_CELL_TIMEOUT,
    notebook_timeout: float = DEFAULT_NOTEBOOK_TIMEOUT,
    force: bool = False,
    students: list[str] | None = None,
    allow_reduced_isolation: bool = False,
) -> Summary:
    """Grade every submission not yet graded (all with ``force``); see the module docstring.

    Without a working bwrap this refuses to grade, unless ``allow_reduced_isolation`` (then only
    resource limits apply, with a loud warning).
    """
    from . import sandbox

    started = time.monotonic()
    known = paths.assignments()
    unknown = [a for a in (assignments or []) if a not in known]
    if unknown:
        raise GradingError(f"unknown assignment(s): {', '.join(unknown)} (have: {', '.join(known)})")
    chosen = list(assignments or known)
    submissions = [s for s in work.submissions(chosen) if students is None or s.student in students]
    summary = Summary()
    bwrap, summary.sandbox = sandbox.find_bwrap()
    if bwrap is None and not allow_reduced_isolation:
        raise GradingError(f"{summary.sandbox}; refusing to run student code unsandboxed "
                           "(install bubblewrap, or pass --allow-reduced-isolation to grade with resource limits only)")
    if not submissions:
        summary.seconds = time.monotonic() - started
        return summary

    work.root.mkdir(parents=True, exist_ok=True)
    stamp_if_new(work.db_url)
    graded_before = set() if force else work.graded_keys()
    to_grade = [s for s in submissions if s.key not in graded_before]
    summary.skipped = [s.key for s in submissions if s.key in graded_before]
    for hidden in work.hidden_folders():
        summary.failed[f"{hidden}/*"] = (f"submitted/{hidden}/ starts with a dot, so it is not graded "
                                         "(rename it if it holds a student's work)")
    if not to_grade:
        summary.seconds = time.monotonic() - started
        return summary

    n_workers = max(1, min(workers or os.cpu_count() or 1, len(to_grade)))
    summary.workers = n_workers
    failures = work.read_failures()
    scratch = Path(tempfile.mkdtemp(prefix=".grading-", dir=work.root if work.root.exists() else None))
    context = multiprocessing.get_context("spawn")
    log_path = str(work.root / "autograde.log")
    quiet_known_warnings()
    nbgrader_speedups.install()
    pool = [Worker(context, log_path) for _ in range(n_workers)]  # they import nbgrader while we prepare
    released: list[Worker] = []
    main_sync = ThreadPoolExecutor(max_workers=1, thread_name_prefix="main-gradebook")
    try:
        graded_assignments = sorted({s.assignment for s in to_grade})
        templates_to_make = deque(template_tasks(work, graded_assignments, scratch))
        templates = {t["assignment"]: t for t in templates_to_make}
        templates_made: set[str] = set()
        # The main gradebook is synced while the workers grade; merges wait for it.
        main_ready = main_sync.submit(sync_main, work, graded_assignments, scratch)
        limits = {a: notebook_timeout * max(1, len(expected_notebooks(a))) for a in chosen}
        tasks = [
            {
                "student": s.student, "assignment": s.assignment, "submission_dir": str(s.directory),
                "workdir": str(job_folder(scratch, s.student, s.assignment)),
                "template_db": templates[s.assignment]["template_db"], "release_dir": templates[s.assignment]["release_dir"],
                "cell_timeout": cell_timeout, "course_dir": str(work.root),
            }
            for s in to_grade
        ]

        def next_task() -> tuple[dict, float] | None:
            """Templates first; then the first submission whose assignment's template exists."""
            if templates_to_make:
                return templates_to_make.popleft(), TEMPLATE_TIMEOUT
            for index, task in enumerate(tasks):
                if task["assignment"] in templates_made:
                    return tasks.pop(index), limits[task["assignment"]]
            return None

        def template_failed(assignment: str, reason: str) -> GradingError:
            return GradingError(f"nbgrader could not generate {assignment} for grading: {reason}")

        waiting_for_main: list[dict] = []
        with ExitStack() as stack, _progress(len(to_grade)) as progress:
            bar = progress.add_task("autograde", total=len(to_grade))
            gb: Gradebook | None = None

            def open_main_gradebook() -> None:
                """Once the main gradebook is synced, open it and record the results that waited for it."""
                nonlocal gb
                main_ready.result()  # raises GradingError if nbgrader could not generate an assignment
                gb = stack.enter_context(Gradebook(work.db_url, paths.COURSE_ID))
                for result in waiting_for_main:
                    record(result)

            def record(result: dict) -> None:
                if gb is None:
                    waiting_for_main.append(result)
                    return
                key = f"{result['student']}/{result['assignment']}"
                summary.isolation.add(result.get("isolation", "unknown"))
                if result["ok"]:
                    try:
                        install_autograded(work, result)
                        merge(gb, result)
                    except Exception as error:  # noqa: BLE001 - recorded, the run goes on
                        result = {**result, "ok": False, "reason": f"could not record the grade: {error}"}
                if result["ok"]:
                    summary.graded[key] = result["seconds"]
                    if result.get("findings"):
                        summary.flagged[key] = [f for found in result["findings"].values() for f in found]
                    failures.pop(key, None)
                else:
                    summary.failed[key] = result["reason"]
                    failures[key] = {"student": result["student"], "assignment": result["assignment"],
                                     "reason": result["reason"], "when": time.strftime("%Y-%m-%d %H:%M:%S")}
                work.write_failures(failures)
                shutil.rmtree(job_folder(scratch, result["student"], result["assignment"]), ignore_errors=True)
                progress.advance(bar)

            def lost(task: dict, reason: str) -> None:
                """A worker died or overran on ``task``."""
                if task.get("kind") == "template":
                    raise template_failed(task["assignment"], reason)
                record({**task, "ok": False, "isolation": "unknown", "reason": reason})

            while tasks or templates_to_make or any(w.task for w in pool):
                if gb is None and main_ready.done():
                    open_main_gradebook()
                for worker in list(pool):
                    if worker.ready and worker.task is None:
                        chosen_task = next_task()
                        if chosen_task is not None:
                            worker.send(*chosen_task)
                        elif not tasks and not templates_to_make:
                            worker.release()  # nothing left for it
                            pool.remove(worker)
                            released.append(worker)
                ready = wait([w.connection for w in pool], timeout=0.5)
                for index, worker in enumerate(pool):
                    if worker.connection in ready:
                        try:
                            message = worker.connection.recv()
                        except (EOFError, OSError):
                            message = None
                        if message is None:  # the worker process died (out of memory, killed...)
                            task = worker.task
                            if task is None and not worker.ready:
                                raise GradingError("a grading worker process could not start; run with --workers 1 to see why")
                            worker.kill()
                            pool[index] = Worker(context, log_path)
                            if task is not None:
                                lost(task, "the grading process died while running this submission "
                                           "(out of memory or killed); check the notebook by hand")
                            continue
                        if message.get("ready"):
                            worker.ready = True
                            continue
                        worker.task = None
                        if message.get("kind") == "template":
                            if not message["ok"]:
                                raise template_failed(message["assignment"], message["reason"])
                            templates_made.add(message["assignment"])
                        else:
                            record(message)
                    elif worker.task is not None and time.monotonic() > worker.deadline:
                        task = worker.task
                        worker.kill()
                        pool[index] = Worker(context, log_path)
                        limit = TEMPLATE_TIMEOUT if task.get("kind") == "template" else limits[task["assignment"]]
                        lost(task, f"took longer than {limit:.0f} s in total (an endless loop, "
                                   "or a cell waiting for input?); killed")
            if gb is None:
                open_main_gradebook()
    finally:
        for worker in pool:
            if worker.task is not None:
                worker.kill()
            else:
                worker.release()
                released.append(worker)
        for worker in released:
            worker.join()
        main_sync.shutdown(wait=True)
        shutil.rmtree(scratch, ignore_errors=True)
    summary.seconds = time.monotonic() - started
    return summary
