"""Who runs the grading tasks: a `Scheduler` that decides, and a pool of workers that runs them.

The pattern is pytest-xdist's: a controller (course/grading/autograde.py) makes the tasks and
records the results; a scheduler decides which task goes next and turns what happens to a task into
a result; workers run one task at a time (`grade_one.run_task`).

`Scheduler` knows nothing of processes, so it is unit-tested without a kernel:

- ``next_task() -> (task, seconds) | None``: the next task and its wall-clock limit. Template tasks
  first; then the first submission whose assignment's template is made. None means "nothing to hand
  out now" (templates still running) or, when ``exhausted`` is true, ever.
- ``complete(result) -> GradeResult | None``: a worker's result. A made template unlocks its
  submissions (None is returned); a failed template raises `GradingError` (the run stops).
- ``overran(task)`` / ``died(task)``: what to record when a task passed its limit (the pool killed
  its worker) or its worker was lost; both return a failed `GradeResult` (a template raises).
- ``busy``: no worker should stop while this is true; ``exhausted``: nothing is left to hand out.

A pool is anything with ``run(scheduler) -> Iterator[GradeResult]`` (every result exactly once, in
the order they come) and ``close()`` (kill what still runs, release the rest), used as a context
manager. `LocalPool` runs processes on this machine (forked from a fork server), each started once
and reused, killed with its kernels when a task overruns, and replaced when it dies. Another pool (a cluster's) needs
the same four steps: ask ``next_task`` whenever a worker is free, send the task (it pickles: plain
dataclasses of course/grading/tasks.py), pass what comes back to ``complete``, and call ``overran``
or ``died`` for a task that comes back late or never.
"""

from __future__ import annotations

import os
import signal
import time
from collections import deque
from multiprocessing.connection import wait
from typing import Iterator, Protocol

from .. import paths
from .errors import GradingError
from .tasks import GradeResult, GradeTask, Result, Task, TemplateResult, TemplateTask

# Generating one assignment into a template gradebook takes well under a second.
TEMPLATE_TIMEOUT = 120
# What a worker sends once it has imported nbgrader and can take tasks.
READY = "ready"
# Workers are forked from multiprocessing's fork server, a fresh interpreter (as a spawned worker is)
# that imports these once: each worker, and each replacement of a killed one, then starts without
# importing nbgrader again (about 2 s of CPU per worker at the start of every run). multiprocessing
# gives each worker the controller's folder; `_worker_main` gives it the controller's environment.
WORKER_PRELOAD = ["course.grading.pool", "course.grading.grade_one", "nbgrader.apps", "nbgrader.converters"]


def _fork_server():
    """multiprocessing's forkserver context, its server importing WORKER_PRELOAD when it starts."""
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_PRELOAD)
    return context


def start_fork_server() -> None:
    """Start the workers' fork server now: `course autograde` calls it first, so that the server imports
    nbgrader on the core the controller leaves idle while it imports and prepares (this module stays light)."""
    from multiprocessing import forkserver

    _fork_server()
    forkserver.ensure_running()


class Scheduler:
    """Templates first, then each submission once its assignment's template exists; see the module docstring."""

    def __init__(self, templates: list[TemplateTask], grades: list[GradeTask], limits: dict[str, float]) -> None:
        self._templates = deque(templates)
        self._grades = list(grades)
        self._limits = limits  # assignment -> wall-clock seconds for one submission
        self._made: set[str] = set()
        self._running: set[Task] = set()

    @property
    def exhausted(self) -> bool:
        return not self._templates and not self._grades

    @property
    def busy(self) -> bool:
        return bool(self._running) or not self.exhausted

    def limit(self, task: Task) -> float:
        return TEMPLATE_TIMEOUT if isinstance(task, TemplateTask) else self._limits[task.assignment]

    def next_task(self) -> tuple[Task, float] | None:
        task: Task | None = None
        if self._templates:
            task = self._templates.popleft()
        else:
            for index, grade in enumerate(self._grades):
                if grade.assignment in self._made:
                    task = self._grades.pop(index)
                    break
        if task is None:
            return None
        self._running.add(task)
        return task, self.limit(task)

    def complete(self, task: Task, result: Result) -> GradeResult | None:
        self._running.discard(task)
        if isinstance(result, TemplateResult):
            if not result.ok:
                raise _template_failed(result.assignment, result.reason)
            self._made.add(result.assignment)
            return None
        return result

    def overran(self, task: Task) -> GradeResult:
        return self._lost(task, f"took longer than {self.limit(task):.0f} s in total (an endless loop, "
                                "or a cell waiting for input?); killed")

    def died(self, task: Task) -> GradeResult:
        return self._lost(task, "the grading process died while running this submission "
                                "(out of memory or killed); check the notebook by hand")

    def _lost(self, task: Task, reason: str) -> GradeResult:
        self._running.discard(task)
        if isinstance(task, TemplateTask):
            raise _template_failed(task.assignment, reason)
        return GradeResult(task.student, task.assignment, ok=False, reason=reason, isolation="unknown")


def _template_failed(assignment: str, reason: str) -> GradingError:
    return GradingError(f"nbgrader could not generate {assignment} for grading: {reason}")


class Pool(Protocol):
    """What `autograde` needs of a pool (see the module docstring)."""

    workers: int

    def run(self, scheduler: Scheduler) -> Iterator[GradeResult]: ...

    def close(self) -> None: ...

    def __enter__(self) -> "Pool": ...

    def __exit__(self, *exc) -> None: ...


# --------------------------------------------------------------------------------------------
# Worker process


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


def _worker_main(connection, log_path: str | None, environ: dict[str, str]) -> None:
    """Serve grading tasks until told to stop; the parent owns interruption (Ctrl-C).

    ``environ``: the controller's environment when it started the worker (the fork server's own may be older).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    os.environ.clear()
    os.environ.update(environ)
    paths.ensure_venv_on_path()
    from . import nbgrader_speedups
    from .gradebook import quiet_known_warnings

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

    from .grade_one import run_task

    connection.send(READY)
    while True:
        try:
            task = connection.recv()
        except EOFError:
            return
        if task is None:
            return
        connection.send(run_task(task))


class Worker:
    """One long-lived grading process; killed with its kernels when a task overruns."""

    def __init__(self, context, log_path: str | None = None) -> None:
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child_end, log_path, dict(os.environ)), daemon=True)
        self.process.start()
        child_end.close()
        self.ready = False
        self.task: Task | None = None
        self.deadline = 0.0

    def send(self, task: Task, limit: float) -> None:
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


class LocalPool:
    """``workers`` processes on this machine, started at once (the fork server imports nbgrader while the controller prepares)."""

    def __init__(self, workers: int, log_path: str | None = None) -> None:
        self.workers = workers
        self._context = _fork_server()
        self._log_path = log_path
        self._pool = [self._start() for _ in range(workers)]
        self._released: list[Worker] = []

    def _start(self) -> Worker:
        return Worker(self._context, self._log_path)

    def __enter__(self) -> "LocalPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def run(self, scheduler: Scheduler) -> Iterator[GradeResult]:
        pool = self._pool
        while scheduler.busy:
            self._hand_out(scheduler)
            ready = wait([w.connection for w in pool], timeout=0.5)
            results: list[GradeResult] = []
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
                        pool[index] = self._start()
                        if task is not None:
                            results.append(scheduler.died(task))
                        continue
                    if message == READY:
                        worker.ready = True
                        continue
                    task, worker.task = worker.task, None
                    result = scheduler.complete(task, message)
                    if result is not None:
                        results.append(result)
                elif worker.task is not None and time.monotonic() > worker.deadline:
                    task = worker.task
                    worker.kill()
                    pool[index] = self._start()
                    results.append(scheduler.overran(task))
            if results:
                # The freed workers take their next submission first: recording a result (notebooks
                # copied, one gradebook transaction) takes a while, and a worker must not wait for it.
                self._hand_out(scheduler)
            yield from results

    def _hand_out(self, scheduler: Scheduler) -> None:
        """Give each idle worker the scheduler's next task; release the workers nothing is left for."""
        for worker in list(self._pool):
            if worker.ready and worker.task is None:
                chosen = scheduler.next_task()
                if chosen is not None:
                    worker.send(*chosen)
                elif scheduler.exhausted:
                    worker.release()  # nothing left for it
                    self._pool.remove(worker)
                    self._released.append(worker)

    def close(self) -> None:
        """Kill the workers still running a task; release the others and wait for them."""
        for worker in self._pool:
            if worker.task is not None:
                worker.kill()
            else:
                worker.release()
                self._released.append(worker)
        self._pool = []
        for worker in self._released:
            worker.join()
        self._released = []
