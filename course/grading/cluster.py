"""`course autograde --scheduler ADDRESS`: the same grading on a Dask cluster (dask.distributed).

The client (the instructor's `course autograde`) does everything the local pool does except run
nbgrader on the submissions: it makes each assignment's template gradebook, sends every submission
as bytes (a zip of its folder) with its assignment's template (scattered once per assignment) to
the cluster, and writes each result into the gradebook, one transaction per submission, as the only
writer. No shared filesystem is needed.

A cluster worker (`course worker`, which is `dask worker` with this module as its preload) grades
with the local pool's own code: `grade_on_worker` unpacks the bytes into a private scratch folder
and hands the job to a long-lived grading process of the local pool (`pool.Worker` running
`grade_one.run_task`: the same sandbox and limits), killed with its kernels when the submission
overruns its limit; it returns the result record with the autograded notebooks as bytes.

The client side is `DaskPool`, a pool for the controller (course/grading/autograde.py) like the
local one: the controller's `Scheduler` decides, its recorder writes the gradebook.

What Dask adds: a worker that dies mid-task (killed, out of memory, machine lost) has its task
rerun elsewhere by the scheduler; after `distributed.scheduler.allowed-failures` lost workers the
submission is recorded as failed. Each submission is one future, recorded once.

Workers that may grade advertise the resource `grading` (``--resources grading=1``); tasks ask for
it, so a plain `dask worker` that never checked its sandbox gets none of them.
"""

from __future__ import annotations

import functools
import hashlib
import io
import multiprocessing
import os
import shutil
import socket
import stat
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

from .. import paths
from . import autograde as controller
from .discover import CourseWork
from .grade_one import SubmissionProblem, check_files, job_folder, nbgrader_student_id
from .gradebook import GradingError
from .pool import READY, TEMPLATE_TIMEOUT, Scheduler, Worker
from .tasks import GradeResult, GradeTask, TemplateResult, TemplateTask

RESOURCE = "grading"
# Set on a worker (by `course worker --allow-reduced-isolation`) to let it grade without bwrap.
ALLOW_REDUCED_ENV = "COURSE_ALLOW_REDUCED_ISOLATION"
# How long the client waits for the first grading worker to join the scheduler.
WORKER_WAIT_SECONDS = 60
# Starting a grading process (importing nbgrader) on a worker.
GRADER_START_SECONDS = 120


class ClusterError(GradingError):
    """A problem with the cluster as a whole (no workers, a worker with another course)."""


@dataclass
class ClusterSummary(controller.Summary):
    cluster: str = ""  # the scheduler's address
    worker_isolation: dict[str, str] = field(default_factory=dict)  # worker address -> isolation level
    client_seconds: float = 0.0  # the client's own work: packing, installing, gradebook transactions


# --------------------------------------------------------------------------------------------
# Bytes on the wire: a folder as a zip, unpacked only as plain files inside the target


def pack(folder: Path) -> bytes:
    """A zip of the plain files under ``folder`` (refuses links and special files)."""
    from .isolation.policy import describe_special

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for current, dirs, files in os.walk(folder, followlinks=False):
            dirs.sort()
            for name in sorted([*dirs, *files]):
                path = Path(current) / name
                kind = describe_special(os.lstat(path))
                if kind:
                    raise SubmissionProblem(f"{path.relative_to(folder)} is {kind}; the grader refuses links and "
                                                  "special files (ask for a resubmission of plain files)")
            for name in sorted(files):
                path = Path(current) / name
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def unpack(data: bytes, target: Path) -> None:
    """Write the zip's files under ``target``: relative names only, no links, within the submission limits."""
    from .isolation.policy import MAX_SUBMISSION_BYTES, MAX_SUBMISSION_FILES

    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        if len(members) > MAX_SUBMISSION_FILES or sum(m.file_size for m in members) > MAX_SUBMISSION_BYTES:
            raise SubmissionProblem(f"the submission holds more than {MAX_SUBMISSION_FILES} files or "
                                          f"{MAX_SUBMISSION_BYTES // 1024**2} MB; ask for the notebook alone")
        for member in members:
            parts = Path(member.filename).parts
            mode = member.external_attr >> 16
            if member.filename.startswith("/") or ".." in parts or not parts or stat.S_ISLNK(mode):
                raise SubmissionProblem(f"{member.filename!r} in the packed submission is not a plain relative file")
            destination = target.joinpath(*parts)
            if member.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, open(destination, "xb") as out:
                shutil.copyfileobj(source, out)


# --------------------------------------------------------------------------------------------
# The same course everywhere: a fingerprint of what grading reads


def course_fingerprint(assignment: str) -> str:
    """sha256 of the course code and of this assignment's solutions and question contract.

    Client and worker must agree: a worker with another version of the course would grade with other
    hidden tests or another checker. Computed once per process and course location (a worker's
    grading processes import the code they start with, so a later edit needs a restarted worker).
    """
    from ..contract import questions_dir

    return _fingerprint(assignment, paths.solutions_dir(), questions_dir())


@functools.lru_cache(maxsize=64)
def _fingerprint(assignment: str, solutions: Path, questions: Path) -> str:
    digest = hashlib.sha256()
    files = sorted(paths.PACKAGE_DIR.rglob("*.py"))
    files += sorted(p for p in (solutions / assignment).rglob("*") if p.is_file())
    contract = questions / f"{assignment}.py"
    if contract.is_file():
        files.append(contract)
    for path in files:
        if "__pycache__" in path.parts:
            continue
        name = (path.relative_to(paths.PACKAGE_DIR) if path.is_relative_to(paths.PACKAGE_DIR) else path.name)
        digest.update(str(name).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


# --------------------------------------------------------------------------------------------
# Worker side


def reduced_isolation_allowed() -> bool:
    return os.environ.get(ALLOW_REDUCED_ENV) == "1"


def sandbox_problem(allow_reduced_isolation: bool) -> str | None:
    """Why this machine must not grade (no working bwrap, not allowed), or None."""
    from .isolation import policy

    bwrap, line = policy.find_bwrap()
    if bwrap is None and not (allow_reduced_isolation or reduced_isolation_allowed()):
        return (f"{line}; this worker refuses to run student code unsandboxed (install bubblewrap, or start it with "
                "`course worker --allow-reduced-isolation` to grade with resource limits only)")
    return None


def worker_report(assignments: list[str]) -> dict:
    """(worker) What the client checks before sending work: sandbox, course version, host."""
    from .isolation import policy

    bwrap, line = policy.find_bwrap()
    return {
        "host": socket.gethostname(),
        "isolation": "bwrap" if bwrap else ("rlimits-only" if reduced_isolation_allowed() else "refused"),
        "sandbox": line,
        "fingerprints": {a: course_fingerprint(a) for a in assignments},
    }


def dask_setup(worker) -> None:
    """Dask preload (`dask worker --preload course.grading.cluster`): check before accepting tasks.

    A worker without a working bwrap (unless allowed) or in a daemonic process (it could not start
    its grading processes) does not start at all.
    """
    import multiprocessing as mp

    problem = sandbox_problem(False)
    if problem is None and mp.current_process().daemon:
        problem = ("the dask worker runs as a daemonic process, which cannot start grading processes; start it with "
                   "`course worker`, or set DASK_DISTRIBUTED__WORKER__DAEMON=False")
    if problem:
        raise RuntimeError(problem)
    paths.ensure_venv_on_path()


_thread = threading.local()


def _scratch_root() -> Path:
    """A private folder of this worker thread (inside dask's local directory when there is one)."""
    root = getattr(_thread, "scratch", None)
    if root is None:
        try:
            from distributed import get_worker

            base = Path(get_worker().local_directory)
        except (ImportError, ValueError):
            base = Path(tempfile.gettempdir())
        root = Path(tempfile.mkdtemp(prefix="course-grading-", dir=base))
        _thread.scratch = root
    return root


def _template_folder(template: bytes) -> Path:
    """The unpacked template (template.db, release/), once per worker thread and template."""
    folder = _scratch_root() / "templates" / hashlib.sha256(template).hexdigest()[:20]
    if not (folder / "template.db").is_file():
        staging = folder.with_name(folder.name + ".incoming")
        shutil.rmtree(staging, ignore_errors=True)
        unpack(template, staging)
        os.replace(staging, folder)
    return folder


def _grader() -> Worker:
    """This thread's long-lived grading process (the local pool's `pool.Worker`), started on first use."""
    grader = getattr(_thread, "grader", None)
    if grader is not None and grader.process.is_alive():
        return grader
    grader = Worker(multiprocessing.get_context("spawn"), str(_scratch_root() / "autograde.log"))
    if not grader.connection.poll(GRADER_START_SECONDS) or grader.connection.recv() != READY:
        grader.kill()
        raise RuntimeError("the grading process did not start on this worker")
    grader.ready = True
    _thread.grader = grader
    return grader


def _run_in_grader(task, limit: float):
    """``task``'s result from this thread's grading process, or "overran" / "died" (the process is then killed)."""
    grader = _grader()
    grader.send(task, limit)
    if not grader.connection.poll(limit):
        outcome = "overran"
    else:
        try:
            return grader.connection.recv()
        except (EOFError, OSError):
            outcome = "died"
    grader.kill()
    _thread.grader = None
    return outcome


def _where() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return socket.gethostname()


def template_on_worker(task: TemplateTask, fingerprint: str) -> tuple:
    """(Dask task) Generate one assignment's template on a worker: (TemplateResult, the folder as bytes)."""
    if course_fingerprint(task.assignment) != fingerprint:
        return TemplateResult(task.assignment, ok=False, reason=f"worker {_where()} has another version of the course"), b""
    folder = _scratch_root() / "made-templates" / task.assignment
    shutil.rmtree(folder, ignore_errors=True)
    local_task = replace(task, folder=str(folder), template_db=str(folder / "template.db"),
                         release_dir=str(folder / "release"))
    outcome = _run_in_grader(local_task, TEMPLATE_TIMEOUT)
    if isinstance(outcome, str):
        return TemplateResult(task.assignment, ok=False, reason=f"the template's process {outcome} on {_where()}"), b""
    data = pack(folder) if outcome.ok else b""
    shutil.rmtree(folder, ignore_errors=True)
    return outcome, data


def grade_on_worker(task: GradeTask, submission: bytes, template: bytes, limit: float, fingerprint: str,
                    allow_reduced_isolation: bool) -> tuple:
    """(Dask task) Grade one submission sent as bytes with its assignment's template (bytes).

    Returns (outcome, worker address, autograded files as bytes): the outcome is the `GradeResult`
    of the local pool's own grading process, or "overran" / "died" for the client's `Scheduler`.
    """
    where = _where()
    problem = sandbox_problem(allow_reduced_isolation)
    if problem:
        return GradeResult(task.student, task.assignment, ok=False, reason=problem, isolation="refused"), where, b""
    if course_fingerprint(task.assignment) != fingerprint:
        return (GradeResult(task.student, task.assignment, ok=False, isolation="not run",
                            reason=f"worker {where} has another version of the course or of {task.assignment}; "
                                   "install the same course on every worker and run again"), where, b"")
    scratch = _scratch_root()
    workdir = job_folder(scratch, task.student, task.assignment)
    incoming = scratch / "incoming" / workdir.name
    shutil.rmtree(incoming, ignore_errors=True)
    try:
        submission_dir = incoming / nbgrader_student_id(task.student) / task.assignment
        try:
            unpack(submission, submission_dir)
        except SubmissionProblem as error:
            return GradeResult(task.student, task.assignment, ok=False, reason=str(error), isolation="not run"), where, b""
        folder = _template_folder(template)
        local_task = replace(task, submission_dir=str(submission_dir), workdir=str(workdir),
                             template_db=str(folder / "template.db"), release_dir=str(folder / "release"),
                             course_dir=str(scratch))
        outcome = _run_in_grader(local_task, limit)
        if isinstance(outcome, GradeResult) and outcome.ok:
            return replace(outcome, autograded_dir=None), where, pack(Path(outcome.autograded_dir))
        return outcome, where, b""
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        shutil.rmtree(incoming, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Client side: a pool for the controller (course/grading/autograde.py) whose workers are the cluster's


def connect(scheduler: str):
    """A dask.distributed Client on ``scheduler``, with a one-line error when it cannot be reached."""
    try:
        from distributed import Client
    except ImportError as error:
        raise ClusterError("grading on a cluster needs dask.distributed: pip install 'course[cluster]'") from error
    try:
        return Client(scheduler, timeout="30s")
    except (OSError, TimeoutError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from error


def grading_workers(client, wait: float = WORKER_WAIT_SECONDS) -> list[str]:
    """Addresses of the workers that advertise the grading resource (waits for the first one)."""
    deadline = time.monotonic() + wait
    while True:
        workers = client.scheduler_info(n_workers=-1)["workers"]
        found = sorted(a for a, info in workers.items() if info.get("resources", {}).get(RESOURCE))
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def check_workers(client, workers: list[str], assignments: list[str], allow_reduced_isolation: bool) -> dict[str, str]:
    """Every grading worker must have a sandbox (or allow reduced isolation) and this course; their levels."""
    reports = client.run(worker_report, assignments, workers=workers)
    expected = {a: course_fingerprint(a) for a in assignments}
    levels: dict[str, str] = {}
    for address, report in sorted(reports.items()):
        if report["fingerprints"] != expected:
            differ = ", ".join(a for a in assignments if report["fingerprints"].get(a) != expected[a])
            raise ClusterError(f"worker {address} ({report['host']}) has another version of the course ({differ}): "
                               "install the same course on every worker")
        if report["isolation"] == "refused" and not allow_reduced_isolation:
            raise ClusterError(f"worker {address} ({report['host']}): {report['sandbox']}; refusing to run student code "
                               "unsandboxed (install bubblewrap there, or pass --allow-reduced-isolation)")
        levels[address] = report["isolation"] if report["isolation"] != "refused" else "rlimits-only"
    return levels


class DaskPool:
    """The controller's pool (course/grading/pool.py's protocol) whose workers are a Dask cluster's.

    Every task the `Scheduler` hands out is submitted at once (Dask queues and balances them); the
    templates are made on the cluster, kept here as bytes and scattered once per assignment. A
    worker lost under a task makes Dask run it elsewhere; a task that still cannot finish
    (`KilledWorker` after `distributed.scheduler.allowed-failures`) is recorded as failed.
    """

    def __init__(self, client, workers: list[str], worker_isolation: dict[str, str], *, allow_reduced_isolation: bool) -> None:
        self.client = client
        self.workers = len(workers)
        self.worker_isolation = dict(worker_isolation)
        self.allow_reduced_isolation = allow_reduced_isolation
        self.client_seconds = 0.0
        self._futures: dict = {}  # dask key -> (task, future)
        self._run_id = hashlib.sha256(f"{os.getpid()} {time.time()}".encode()).hexdigest()[:8]

    def __enter__(self) -> "DaskPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _key(self, kind: str, name: str) -> str:
        return f"{kind}-{hashlib.sha256(name.encode()).hexdigest()[:16]}-{self._run_id}"

    def run(self, scheduler: Scheduler) -> Iterator[GradeResult]:
        """Every result once; the time the controller takes to record each (its gradebook transaction)
        is counted in ``client_seconds`` with this pool's own packing and unpacking."""
        for result in self._run(scheduler):
            started = time.perf_counter()
            yield result
            self.client_seconds += time.perf_counter() - started

    def _run(self, scheduler: Scheduler) -> Iterator[GradeResult]:
        from distributed import as_completed

        templates: dict[str, object] = {}  # assignment -> scattered template bytes
        fingerprints: dict[str, str] = {}
        pending = as_completed()
        waiting: list[tuple[GradeTask, float]] = []  # handed out before their template came back

        def fingerprint(assignment: str) -> str:
            if assignment not in fingerprints:
                fingerprints[assignment] = course_fingerprint(assignment)
            return fingerprints[assignment]

        def submit_grade(task: GradeTask, limit: float) -> GradeResult | None:
            started = time.perf_counter()
            try:
                check_files(Path(task.submission_dir))
                data = pack(Path(task.submission_dir))
            except SubmissionProblem as problem:
                return scheduler.complete(task, GradeResult(task.student, task.assignment, ok=False, reason=str(problem),
                                                            isolation="not run"))
            finally:
                self.client_seconds += time.perf_counter() - started
            future = self.client.submit(grade_on_worker, task, data, templates[task.assignment], limit,
                                        fingerprint(task.assignment), self.allow_reduced_isolation,
                                        key=self._key("grade", task.key), pure=False, resources={RESOURCE: 1})
            self._futures[future.key] = (task, future)
            pending.add(future)
            return None

        while scheduler.busy:
            while (chosen := scheduler.next_task()) is not None:
                task, limit = chosen
                if isinstance(task, TemplateTask):
                    future = self.client.submit(template_on_worker, task, fingerprint(task.assignment),
                                                key=self._key("template", task.assignment), pure=False,
                                                resources={RESOURCE: 1})
                    self._futures[future.key] = (task, future)
                    pending.add(future)
                elif task.assignment in templates:
                    failed = submit_grade(task, limit)
                    if failed is not None:
                        yield failed
                else:
                    waiting.append((task, limit))
            if pending.is_empty():
                if scheduler.busy:
                    raise GradingError("the cluster pool has nothing running but the scheduler is still busy")
                break
            future = next(pending)
            task, _ = self._futures.pop(future.key)
            if future.status == "finished":
                outcome, *rest = future.result()
            elif future.status == "error":
                outcome, rest = _lost_reason(future.exception()), []
            else:
                outcome, rest = f"the cluster dropped this task ({future.status})", []
            future.release()
            if isinstance(task, TemplateTask):
                if isinstance(outcome, TemplateResult) and outcome.ok:
                    templates[task.assignment] = self.client.scatter(rest[0], broadcast=False, hash=True)
                else:
                    outcome = outcome if isinstance(outcome, TemplateResult) else TemplateResult(task.assignment, False, outcome)
                scheduler.complete(task, outcome)  # raises GradingError if the template failed
                for grade, limit in [w for w in waiting if w[0].assignment in templates]:
                    waiting.remove((grade, limit))
                    failed = submit_grade(grade, limit)
                    if failed is not None:
                        yield failed
                continue
            yield self._grade_result(scheduler, task, outcome, rest)

    def _grade_result(self, scheduler: Scheduler, task: GradeTask, outcome, rest: list) -> GradeResult:
        if outcome == "overran":
            return scheduler.overran(task)
        if outcome == "died":
            return scheduler.died(task)
        if isinstance(outcome, str):  # the cluster lost the task (workers killed), or it raised
            return scheduler.complete(task, GradeResult(task.student, task.assignment, ok=False, reason=outcome))
        where, data = rest
        self.worker_isolation.setdefault(where, outcome.isolation)
        if outcome.ok:
            started = time.perf_counter()
            # Into the controller's job folder for this submission: it removes it once recorded.
            target = Path(task.workdir) / "autograded"
            shutil.rmtree(target, ignore_errors=True)
            unpack(data, target)
            outcome = replace(outcome, autograded_dir=str(target))
            self.client_seconds += time.perf_counter() - started
        return scheduler.complete(task, outcome)

    def close(self) -> None:
        """Cancel what is still queued or running on the cluster."""
        futures = [future for _, future in self._futures.values()]
        self._futures = {}
        if futures:
            try:
                self.client.cancel(futures)
            except Exception:  # noqa: BLE001 - the cluster may already be gone
                pass


def _lost_reason(error: BaseException | None) -> str:
    name = type(error).__name__ if error else "unknown error"
    if name == "KilledWorker":
        return ("the cluster lost every worker that tried this submission (killed or out of memory); "
                "check the notebook by hand")
    return f"the cluster could not run this task ({name}: {str(error)[:300]})"


def autograde(
    work: CourseWork,
    assignments: list[str] | None = None,
    *,
    scheduler: str,
    cell_timeout: int = controller.DEFAULT_CELL_TIMEOUT,
    notebook_timeout: float = controller.DEFAULT_NOTEBOOK_TIMEOUT,
    force: bool = False,
    students: list[str] | None = None,
    allow_reduced_isolation: bool = False,
    client=None,
) -> ClusterSummary:
    """`autograde.autograde` with the cluster at ``scheduler`` as its pool; ``client`` reuses an open dask Client.

    The workers are checked first (sandbox, same course); this machine runs no student code, so its
    own bwrap is not required.
    """
    owned = client is None
    client = connect(scheduler) if owned else client
    pool: DaskPool | None = None
    try:
        workers = grading_workers(client)
        if not workers:
            raise ClusterError(f"no grading worker joined {scheduler} within {WORKER_WAIT_SECONDS} s "
                               "(start them with `course worker ADDRESS`)")
        chosen = list(assignments or paths.assignments())
        levels = check_workers(client, workers, [a for a in chosen if a in paths.assignments()], allow_reduced_isolation)

        def make_pool(_workers: int, _log_path: str) -> DaskPool:
            nonlocal pool
            pool = DaskPool(client, workers, levels, allow_reduced_isolation=allow_reduced_isolation)
            return pool

        summary = controller.autograde(work, assignments, cell_timeout=cell_timeout, notebook_timeout=notebook_timeout,
                                       force=force, students=students, allow_reduced_isolation=True, make_pool=make_pool)
    finally:
        if owned:
            client.close()
    result = ClusterSummary(**vars(summary), cluster=scheduler, worker_isolation=pool.worker_isolation if pool else levels)
    result.workers = len(workers)
    result.client_seconds = pool.client_seconds if pool else 0.0
    result.sandbox = f"sandbox: checked on each of the {len(workers)} grading worker(s)"
    return result


def print_cluster_lines(summary: ClusterSummary) -> list[str]:
    """The summary's lines about the cluster: its address and each worker's isolation level."""
    lines = [f"cluster: {summary.cluster}, {len(summary.worker_isolation)} grading worker(s)"]
    for address, level in sorted(summary.worker_isolation.items()):
        lines.append(f"  worker {address}: isolation {level}")
    return lines


# --------------------------------------------------------------------------------------------
# A local cluster (tests, benchmarks, one big machine)


def local_cluster(n_workers: int, *, allow_reduced_isolation: bool = False, **kwargs):
    """A `distributed.LocalCluster` of grading workers on 127.0.0.1: one process and one thread each,
    non-daemonic (they start grading processes), with the grading resource and the sandbox check."""
    import dask
    from distributed import LocalCluster

    # Read by each nanny whenever it (re)starts its worker, so set for the life of this process.
    dask.config.set({"distributed.worker.daemon": False})
    if allow_reduced_isolation:
        os.environ[ALLOW_REDUCED_ENV] = "1"
    return LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address=None, resources={RESOURCE: 1}, preload=["course.grading.cluster"], **kwargs)


def sandbox_line() -> str:
    from .isolation import policy

    return policy.find_bwrap()[1]
