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

The parts: this module is the controller (which tasks, and recording their results, `Summary`);
course/grading/pool.py the `Scheduler` and the worker pool; course/grading/grade_one.py what a
worker does; course/grading/gradebook.py every gradebook write; course/grading/tasks.py the typed
tasks and results that cross between them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from nbgrader.api import Gradebook

from .. import paths
from . import gradebook, nbgrader_speedups
from .discover import CourseWork
from .grade_one import expected_notebooks, job_folder
from .isolation import policy
from .gradebook import GradingError, stamp_if_new
from .pool import LocalPool, Pool, Scheduler
from .tasks import GradeResult, GradeTask, TemplateTask

DEFAULT_CELL_TIMEOUT = 30
# Wall-clock limit for one notebook of a submission, on top of nbgrader's per-cell timeout.
DEFAULT_NOTEBOOK_TIMEOUT = 300


@dataclass
class Summary:
    graded: dict[str, float] = field(default_factory=dict)  # key -> seconds
    failed: dict[str, str] = field(default_factory=dict)  # key -> reason
    skipped: list[str] = field(default_factory=list)  # already graded
    isolation: set[str] = field(default_factory=set)
    kernels: set[str] = field(default_factory=set)  # "forked", "plain" (GradeResult.kernels)
    sandbox: str = ""  # which bwrap was found, or why none (isolation.policy.find_bwrap)
    flagged: dict[str, list[str]] = field(default_factory=dict)  # key -> integrity findings
    workers: int = 0
    seconds: float = 0.0


def template_tasks(work: CourseWork, assignments: list[str], scratch: Path) -> list[TemplateTask]:
    """One task per assignment: make the small gradebook the workers copy for each of its submissions.

    Workers run them first, in parallel; grading an assignment starts as soon as its template exists.
    The main gradebook is synced meanwhile (`gradebook.sync_main`).
    """
    paths.ensure_venv_on_path()
    work.root.mkdir(parents=True, exist_ok=True)
    # nbgrader shells out to `alembic heads` (~2.5 s) for every new database: stamp new ones instead.
    revision = stamp_if_new(work.db_url)
    # Late penalties are computed in the worker: it needs the due dates an instructor set in the main gradebook.
    known = gradebook.due_dates(work.db_url)
    tasks = []
    for assignment in assignments:
        folder = scratch / "templates" / assignment
        tasks.append(TemplateTask(
            assignment=assignment, revision=revision, folder=str(folder), template_db=str(folder / "template.db"),
            release_dir=str(folder / "release"), duedate=known.get(assignment),
        ))
    return tasks


def grade_tasks(work: CourseWork, to_grade, templates: dict[str, TemplateTask], scratch: Path, cell_timeout: int) -> list[GradeTask]:
    return [
        GradeTask(
            student=s.student, assignment=s.assignment, submission_dir=str(s.directory),
            workdir=str(job_folder(scratch, s.student, s.assignment)),
            template_db=templates[s.assignment].template_db, release_dir=templates[s.assignment].release_dir,
            cell_timeout=cell_timeout, course_dir=str(work.root),
        )
        for s in to_grade
    ]


class _Recorder:
    """The controller's side of each result: autograded notebooks, the main gradebook, the failures file, the summary.

    Results that come before the main gradebook is synced wait for it.
    """

    def __init__(self, work: CourseWork, summary: Summary, main_ready, scratch: Path, advance: Callable[[], None]) -> None:
        self.work, self.summary, self.main_ready, self.scratch, self.advance = work, summary, main_ready, scratch, advance
        self.failures = work.read_failures()
        self.gb: Gradebook | None = None
        self.waiting: list[GradeResult] = []

    def open_main_gradebook(self) -> None:
        """Once the main gradebook is synced, open it and record the results that waited for it."""
        self.main_ready.result()  # raises GradingError if nbgrader could not generate an assignment
        self.gb = Gradebook(self.work.db_url, paths.COURSE_ID)
        waiting, self.waiting = self.waiting, []
        for result in waiting:
            self.record(result)

    def close(self) -> None:
        if self.gb is not None:
            self.gb.close()

    def record(self, result: GradeResult) -> None:
        if self.gb is None and self.main_ready.done():
            self.open_main_gradebook()
        if self.gb is None:
            self.waiting.append(result)
            return
        key = result.key
        self.summary.isolation.add(result.isolation)
        if result.kernels:
            self.summary.kernels.add(result.kernels)
        ok, reason = result.ok, result.reason
        if ok:
            try:
                gradebook.install_autograded(self.work.autograded, result)
                gradebook.merge(self.gb, result)
            except Exception as error:  # noqa: BLE001 - recorded, the run goes on
                ok, reason = False, f"could not record the grade: {error}"
        if ok:
            self.summary.graded[key] = result.seconds
            if result.findings:
                self.summary.flagged[key] = [f for found in result.findings.values() for f in found]
            self.failures.pop(key, None)
        else:
            self.summary.failed[key] = reason
            self.failures[key] = {"student": result.student, "assignment": result.assignment,
                                  "reason": reason, "when": time.strftime("%Y-%m-%d %H:%M:%S")}
        self.work.write_failures(self.failures)
        shutil.rmtree(job_folder(self.scratch, result.student, result.assignment), ignore_errors=True)
        self.advance()


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
    make_pool: Callable[[int, str], Pool] | None = None,
) -> Summary:
    """Grade every submission not yet graded (all with ``force``); see the module docstring.

    Without a working bwrap this refuses to grade, unless ``allow_reduced_isolation`` (then only
    resource limits apply, with a loud warning). ``make_pool(workers, log_path)`` gives the pool that
    runs the tasks (course/grading/pool.py; default `LocalPool`, processes on this machine).
    """
    started = time.monotonic()
    known = paths.assignments()
    unknown = [a for a in (assignments or []) if a not in known]
    if unknown:
        raise GradingError(f"unknown assignment(s): {', '.join(unknown)} (have: {', '.join(known)})")
    chosen = list(assignments or known)
    submissions = [s for s in work.submissions(chosen) if students is None or s.student in students]
    summary = Summary()
    bwrap, summary.sandbox = policy.find_bwrap()
    if bwrap is None and not allow_reduced_isolation:
        raise GradingError(f"{summary.sandbox}; refusing to run student code unsandboxed "
                           "(install bubblewrap, or pass --allow-reduced-isolation to grade with resource limits only)")
    # Which budget one submission's processes share (a cgroup, or per-process limits only), on the same line.
    summary.sandbox += "; " + policy.budget_line(work.root, sandboxed=bwrap is not None)
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
    scratch = Path(tempfile.mkdtemp(prefix=".grading-", dir=work.root if work.root.exists() else None))
    gradebook.quiet_known_warnings()
    nbgrader_speedups.install()
    main_sync = ThreadPoolExecutor(max_workers=1, thread_name_prefix="main-gradebook")
    recorder: _Recorder | None = None
    try:
        # The workers start first: they import nbgrader while we prepare.
        with (make_pool or LocalPool)(n_workers, str(work.root / "autograde.log")) as pool, \
                _progress(len(to_grade)) as progress:
            graded_assignments = sorted({s.assignment for s in to_grade})
            templates = template_tasks(work, graded_assignments, scratch)
            # The main gradebook is synced while the workers grade; merges wait for it.
            main_ready = main_sync.submit(gradebook.sync_main, work.db_url, work.root, work.roster(),
                                          graded_assignments, scratch)
            limits = {a: notebook_timeout * max(1, len(expected_notebooks(a))) for a in chosen}
            scheduler = Scheduler(
                templates, grade_tasks(work, to_grade, {t.assignment: t for t in templates}, scratch, cell_timeout), limits
            )
            bar = progress.add_task("autograde", total=len(to_grade))
            recorder = _Recorder(work, summary, main_ready, scratch, lambda: progress.advance(bar))
            for result in pool.run(scheduler):
                recorder.record(result)
            if recorder.gb is None:
                recorder.open_main_gradebook()
    finally:
        if recorder is not None:
            recorder.close()
        main_sync.shutdown(wait=True)
        shutil.rmtree(scratch, ignore_errors=True)
    summary.seconds = time.monotonic() - started
    return summary
