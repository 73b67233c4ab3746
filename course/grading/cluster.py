"""`course autograde --scheduler ADDRESS`: the same grading on a Dask cluster (dask.distributed).

The client (the instructor's `course autograde`) does everything the local pool does except run
nbgrader on the submissions: it makes each assignment's template gradebook, sends every submission
as bytes (a zip of its folder) with its assignment's template (scattered once per assignment) to
the cluster, and writes each result into the gradebook, one transaction per submission, as the only
writer. No shared filesystem is needed.

A cluster worker (`course worker`, which is `dask worker` with this module as its preload) grades
with the local pool's own code: `grade_on_worker` unpacks the bytes into a private scratch folder
and hands the job to a long-lived grading process of the local pool (`autograde.Worker`, the same
sandbox and limits), killed with its kernels when the submission overruns its limit; it returns the
result record with the autograded notebooks as bytes.

What Dask adds: a worker that dies mid-task (killed, out of memory, machine lost) has its task
rerun elsewhere by the scheduler; after `distributed.scheduler.allowed-failures` lost workers the
submission is recorded as failed. Each submission is one future, recorded once.

Workers that may grade advertise the resource `grading` (``--resources grading=1``); tasks ask for
it, so a plain `dask worker` that never checked its sandbox gets none of them.
"""

from __future__ import annotations

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
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook

from .. import paths
from . import autograde as local
from .discover import CourseWork

RESOURCE = "grading"
# Set on a worker (by `course worker --allow-reduced-isolation`) to let it grade without bwrap.
ALLOW_REDUCED_ENV = "COURSE_ALLOW_REDUCED_ISOLATION"
# How long the client waits for the first grading worker to join the scheduler.
WORKER_WAIT_SECONDS = 60
# Starting a grading process (importing nbgrader) on a worker.
GRADER_START_SECONDS = 120


class ClusterError(local.GradingError):
    """A problem with the cluster as a whole (no workers, a worker with another course)."""


@dataclass
class ClusterSummary(local.Summary):
    cluster: str = ""  # the scheduler's address
    worker_isolation: dict[str, str] = field(default_factory=dict)  # worker address -> isolation level
    client_seconds: float = 0.0  # the client's own work: packing, installing, gradebook transactions


# --------------------------------------------------------------------------------------------
# Bytes on the wire: a folder as a zip, unpacked only as plain files inside the target


def pack(folder: Path) -> bytes:
    """A zip of the plain files under ``folder`` (refuses links and special files)."""
    from .sandbox import describe_special

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for current, dirs, files in os.walk(folder, followlinks=False):
            dirs.sort()
            for name in sorted([*dirs, *files]):
                path = Path(current) / name
                kind = describe_special(os.lstat(path))
                if kind:
                    raise local.SubmissionProblem(f"{path.relative_to(folder)} is {kind}; the grader refuses links and "
                                                  "special files (ask for a resubmission of plain files)")
            for name in sorted(files):
                path = Path(current) / name
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def unpack(data: bytes, target: Path) -> None:
    """Write the zip's files under ``target``: relative names only, no links, within the submission limits."""
    from .sandbox import MAX_SUBMISSION_BYTES, MAX_SUBMISSION_FILES

    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        if len(members) > MAX_SUBMISSION_FILES or sum(m.file_size for m in members) > MAX_SUBMISSION_BYTES:
            raise local.SubmissionProblem(f"the submission holds more than {MAX_SUBMISSION_FILES} files or "
                                          f"{MAX_SUBMISSION_BYTES // 1024**2} MB; ask for the notebook alone")
        for member in members:
            parts = Path(member.filename).parts
            mode = member.external_attr >> 16
            if member.filename.startswith("/") or ".." in parts or not parts or stat.S_ISLNK(mode):
                raise local.SubmissionProblem(f"{member.filename!r} in the packed submission is not a plain relative file")
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
    hidden tests or another checker.
    """
    from .contract import questions_dir

    digest = hashlib.sha256()
    files = sorted(paths.PACKAGE_DIR.rglob("*.py"))
    files += sorted(p for p in (paths.solutions_dir() / assignment).rglob("*") if p.is_file())
    contract = questions_dir() / f"{assignment}.py"
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
    from . import sandbox

    bwrap, line = sandbox.find_bwrap()
    if bwrap is None and not (allow_reduced_isolation or reduced_isolation_allowed()):
        return (f"{line}; this worker refuses to run student code unsandboxed (install bubblewrap, or start it with "
                "`course worker --allow-reduced-isolation` to grade with resource limits only)")
    return None


def worker_report(assignments: list[str]) -> dict:
    """(worker) What the client checks before sending work: sandbox, course version, host."""
    from . import sandbox

    bwrap, line = sandbox.find_bwrap()
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
    """A private folder of this worker process (inside dask's local directory when there is one)."""
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


def _grader() -> "local.Worker":
    """This thread's long-lived grading process (the local pool's worker), started on first use."""
    grader = getattr(_thread, "grader", None)
    if grader is not None and grader.process.is_alive():
        return grader
    log_path = str(_scratch_root() / "autograde.log")
    grader = local.Worker(multiprocessing.get_context("spawn"), log_path)
    if not grader.connection.poll(GRADER_START_SECONDS):
        grader.kill()
        raise RuntimeError("the grading process did not start on this worker")
    message = grader.connection.recv()
    if not (message or {}).get("ready"):
        grader.kill()
        raise RuntimeError("the grading process did not start on this worker")
    grader.ready = True
    _thread.grader = grader
    return grader


def _drop_grader() -> None:
    grader = getattr(_thread, "grader", None)
    if grader is not None:
        grader.kill()
    _thread.grader = None


def grade_on_worker(job: dict, template: bytes) -> dict:
    """(Dask task) Grade one submission sent as bytes; return the result record, autograded files as bytes.

    ``job``: student, assignment, submission (zip bytes), fingerprint, cell_timeout, limit (s, the
    whole submission), allow_reduced_isolation. The grading runs in the local pool's worker process.
    """
    student, assignment = job["student"], job["assignment"]
    base = {"student": student, "assignment": assignment, "host": socket.gethostname()}
    try:
        from distributed import get_worker

        base["worker"] = get_worker().address
    except (ImportError, ValueError):
        base["worker"] = base["host"]
    problem = sandbox_problem(job.get("allow_reduced_isolation", False))
    if problem:
        return {**base, "ok": False, "isolation": "refused", "reason": problem}
    if course_fingerprint(assignment) != job["fingerprint"]:
        return {**base, "ok": False, "isolation": "not run",
                "reason": f"worker {base['worker']} has another version of the course or of {assignment}; "
                          "install the same course on every worker and run again"}
    scratch = _scratch_root()
    job_dir = local.job_folder(scratch, student, assignment)
    incoming = scratch / "incoming" / job_dir.name
    shutil.rmtree(incoming, ignore_errors=True)
    try:
        submission_dir = incoming / local.nbgrader_student_id(student) / assignment
        try:
            unpack(job["submission"], submission_dir)
        except local.SubmissionProblem as error:
            return {**base, "ok": False, "isolation": "not run", "reason": str(error)}
        folder = _template_folder(template)
        task = {
            "student": student, "assignment": assignment, "submission_dir": str(submission_dir),
            "workdir": str(job_dir), "template_db": str(folder / "template.db"),
            "release_dir": str(folder / "release"), "cell_timeout": job["cell_timeout"], "course_dir": str(scratch),
        }
        grader = _grader()
        grader.send(task, job["limit"])
        if not grader.connection.poll(job["limit"]):
            _drop_grader()
            return {**base, "ok": False, "isolation": "unknown",
                    "reason": f"took longer than {job['limit']:.0f} s in total (an endless loop, "
                              "or a cell waiting for input?); killed"}
        try:
            result = grader.connection.recv()
        except (EOFError, OSError):
            result = None
        grader.task = None
        if result is None:
            _drop_grader()
            return {**base, "ok": False, "isolation": "unknown",
                    "reason": "the grading process died while running this submission (out of memory or killed); "
                              "check the notebook by hand"}
        result = {**result, **base}
        if result.get("ok"):
            result["autograded"] = pack(Path(result.pop("autograded_dir")))
        return result
    finally:
        shutil.rmtree(job_dir, ignore_errors=True)
        shutil.rmtree(incoming, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Client side


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
        workers = client.scheduler_info(n_workers=-1)["workers"] if _accepts_n_workers() else client.scheduler_info()["workers"]
        found = sorted(a for a, info in workers.items() if info.get("resources", {}).get(RESOURCE))
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def _accepts_n_workers() -> bool:
    import inspect

    from distributed import Client

    return "n_workers" in inspect.signature(Client.scheduler_info).parameters


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


def _make_templates(work: CourseWork, assignments: list[str], scratch: Path) -> dict[str, bytes]:
    """(client) Each assignment's template gradebook and release folder, as bytes."""
    made = {}
    for task in local.template_tasks(work, assignments, scratch):
        result = local.make_template(task)
        if not result["ok"]:
            raise local.GradingError(f"nbgrader could not generate {task['assignment']} for grading: {result['reason']}")
        made[task["assignment"]] = pack(Path(task["folder"]))
    return made


def autograde(
    work: CourseWork,
    assignments: list[str] | None = None,
    *,
    scheduler: str,
    cell_timeout: int = local.DEFAULT_CELL_TIMEOUT,
    notebook_timeout: float = local.DEFAULT_NOTEBOOK_TIMEOUT,
    force: bool = False,
    students: list[str] | None = None,
    allow_reduced_isolation: bool = False,
    client=None,
) -> ClusterSummary:
    """Grade every submission not yet graded (all with ``force``) on the cluster at ``scheduler``.

    Same promises as `autograde.autograde`; ``client`` reuses an open dask Client.
    """
    started = time.monotonic()
    known = paths.assignments()
    unknown = [a for a in (assignments or []) if a not in known]
    if unknown:
        raise local.GradingError(f"unknown assignment(s): {', '.join(unknown)} (have: {', '.join(known)})")
    chosen = list(assignments or known)
    submissions = [s for s in work.submissions(chosen) if students is None or s.student in students]
    summary = ClusterSummary(cluster=scheduler)
    summary.sandbox = "sandbox: checked on each worker (see isolation per worker)"
    if not submissions:
        summary.seconds = time.monotonic() - started
        return summary
    work.root.mkdir(parents=True, exist_ok=True)
    local.stamp_if_new(work.db_url)
    graded_before = set() if force else work.graded_keys()
    to_grade = [s for s in submissions if s.key not in graded_before]
    summary.skipped = [s.key for s in submissions if s.key in graded_before]
    for hidden in work.hidden_folders():
        summary.failed[f"{hidden}/*"] = (f"submitted/{hidden}/ starts with a dot, so it is not graded "
                                         "(rename it if it holds a student's work)")
    if not to_grade:
        summary.seconds = time.monotonic() - started
        return summary

    graded_assignments = sorted({s.assignment for s in to_grade})
    failures = work.read_failures()
    local.quiet_known_warnings()
    scratch = Path(tempfile.mkdtemp(prefix=".grading-", dir=work.root))
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, scratch, True)
        if client is None:
            client = connect(scheduler)
            stack.callback(client.close)
        workers = grading_workers(client)
        if not workers:
            raise ClusterError(f"no grading worker joined {scheduler} within {WORKER_WAIT_SECONDS} s "
                               "(start them with `course worker ADDRESS`)")
        summary.worker_isolation = check_workers(client, workers, graded_assignments, allow_reduced_isolation)
        summary.workers = len(workers)
        prepare = stack.enter_context(ThreadPoolExecutor(max_workers=1, thread_name_prefix="main-gradebook"))
        # nbgrader runs once at a time in this process: the templates first (grading waits for them),
        # then the main gradebook's sync, while the cluster grades.
        templates = _make_templates(work, graded_assignments, scratch)
        main_ready = prepare.submit(local.sync_main, work, graded_assignments, scratch)
        fingerprints = {a: course_fingerprint(a) for a in graded_assignments}
        limits = {a: notebook_timeout * max(1, len(local.expected_notebooks(a))) for a in graded_assignments}
        scattered = {a: client.scatter(data, broadcast=False, hash=True) for a, data in templates.items()}
        run_id = hashlib.sha256(f"{scratch}{time.time()}".encode()).hexdigest()[:8]

        from distributed import as_completed

        futures = {}
        for submission in to_grade:
            key = submission.key
            packing = time.perf_counter()
            try:
                local.check_files(submission.directory)
                data = pack(submission.directory)
                summary.client_seconds += time.perf_counter() - packing
            except local.SubmissionProblem as problem:
                futures[key] = str(problem)  # recorded below, never sent
                continue
            job = {"student": submission.student, "assignment": submission.assignment, "submission": data,
                   "fingerprint": fingerprints[submission.assignment], "cell_timeout": cell_timeout,
                   "limit": limits[submission.assignment], "allow_reduced_isolation": allow_reduced_isolation}
            task_key = "grade-" + hashlib.sha256(key.encode()).hexdigest()[:16] + "-" + run_id
            futures[key] = client.submit(grade_on_worker, job, scattered[submission.assignment], key=task_key,
                                         pure=False, resources={RESOURCE: 1}, retries=0)
        stack.callback(lambda: client.cancel([f for f in futures.values() if not isinstance(f, str)]))
        by_future = {f.key: s for s in to_grade if not isinstance(f := futures[s.key], str)}

        with local._progress(len(to_grade)) as progress:
            bar = progress.add_task("autograde", total=len(to_grade))
            main_ready.result()  # raises GradingError if nbgrader could not generate an assignment
            gb = stack.enter_context(Gradebook(work.db_url, paths.COURSE_ID))

            def record(result: dict) -> None:
                recording = time.perf_counter()
                key = f"{result['student']}/{result['assignment']}"
                if result.get("isolation"):
                    summary.isolation.add(result["isolation"])
                if result.get("ok"):
                    try:
                        target = scratch / "autograded" / local.job_folder(scratch, result["student"], result["assignment"]).name
                        unpack(result.pop("autograded"), target)
                        local.install_autograded(work, {**result, "autograded_dir": str(target)})
                        local.merge(gb, result)
                        shutil.rmtree(target, ignore_errors=True)
                    except Exception as error:  # noqa: BLE001 - recorded, the run goes on
                        result = {**result, "ok": False, "reason": f"could not record the grade: {error}"}
                if result.get("ok"):
                    summary.graded[key] = result["seconds"]
                    if result.get("findings"):
                        summary.flagged[key] = [f for found in result["findings"].values() for f in found]
                    failures.pop(key, None)
                else:
                    summary.failed[key] = result["reason"]
                    failures[key] = {"student": result["student"], "assignment": result["assignment"],
                                     "reason": result["reason"], "when": time.strftime("%Y-%m-%d %H:%M:%S")}
                work.write_failures(failures)
                summary.client_seconds += time.perf_counter() - recording
                progress.advance(bar)

            for submission in to_grade:
                if isinstance(futures[submission.key], str):
                    record({"student": submission.student, "assignment": submission.assignment, "ok": False,
                            "isolation": "not run", "reason": futures[submission.key]})
            live = [f for f in futures.values() if not isinstance(f, str)]
            for future in as_completed(live):
                submission = by_future[future.key]
                if future.status == "finished":
                    record(future.result())
                else:
                    record({"student": submission.student, "assignment": submission.assignment, "ok": False,
                            "isolation": "unknown", "reason": _lost_reason(future.exception())})
                future.release()
    summary.seconds = time.monotonic() - started
    return summary


def _lost_reason(error: BaseException | None) -> str:
    name = type(error).__name__ if error else "unknown error"
    if name == "KilledWorker":
        return ("the cluster lost every worker that tried this submission (killed or out of memory); "
                "check the notebook by hand")
    return f"the cluster could not run this submission ({name}: {str(error)[:300]})"


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
    from . import sandbox

    return sandbox.find_bwrap()[1]
