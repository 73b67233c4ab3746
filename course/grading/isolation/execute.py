"""nbgrader's Execute, run in the sandbox: `apply` configures one submission, `SandboxedExecute` runs it.

Test cells never run in the student's kernel: `SandboxedExecute` runs a copy of the notebook whose
test cells are replaced by export steps, in a fresh work folder, then runs the test cells in the
grader's checker process (course/grading/checker.py) on the exported plain data, and writes the
checker's outputs into the notebook nbgrader scores.

Independent of the sandbox, `apply` also bounds what a notebook can do to the grader: the per-cell
timeout (an endless loop is interrupted, the next cells still run), and the size of the outputs kept
(100 MB of printing must not reach the gradebook, the feedback or the grader's memory).

How it plugs into nbgrader 0.9.6: nbgrader's Execute preprocessor is replaced in the autograde
pipeline by `SandboxedExecute` (course/grading/nbgrader_config.py does it for every nbgrader run
of the course), whose kernel manager prefixes the kernel command with bwrap and the launcher at
launch time. The kernel talks over ipc sockets, because TCP into a network-less sandbox fails.
"""

from __future__ import annotations

import copy
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from nbclient.util import run_sync
import nbformat
from nbformat import NotebookNode
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute
from traitlets import Bool, CaselessStrEnum, Instance, Integer, Type, default
from traitlets.config import Config

from ...cells import is_test_cell
from .. import checker, exchange
from .bwrap import bwrap_command, checker_command, isolated_python, rlimits_command, spawn_options
from .cgroup import SubmissionCgroup
from .guard import TEST_CELL_MARKER
from .policy import MAX_OUTPUT_BYTES_PER_CELL, MAX_OUTPUT_BYTES_PER_NOTEBOOK, MAX_OUTPUT_LINES, SandboxPlan, copy_work_files, make_plan


def apply(config: Config, *, submission_dir: Path, course_dir: Path, cell_timeout: int) -> str:
    """Make ``config`` run the submission's kernel sandboxed; return "bwrap" or "rlimits-only"."""
    _limit_execution(config, cell_timeout)
    plan = make_plan(config, submission_dir=submission_dir, course_dir=course_dir, cell_timeout=cell_timeout)
    # ipc, not tcp: the sandbox has no network. The sockets sit next to the connection file, in a
    # short path (a unix socket path is at most 107 bytes).
    config.KernelManager.transport = "ipc"
    config.KernelManager.connection_file = str(Path(plan.runtime) / "kernel.json")
    config.KernelManager.ip = str(Path(plan.runtime) / "kernel-ipc")
    config.SandboxedExecute.plan = plan
    return plan.mode


# `course autograde --kernels forked|plain` sets it for the worker processes (SandboxedExecute.kernel_mode).
KERNEL_MODE_ENV = "COURSE_KERNEL_MODE"
# The kernel mode of the last notebook this process ran ("plain" or "forked"), for the grading summary.
last_kernel_mode = ""


class PromptKernelClient(AsyncKernelClient):
    """jupyter_client's kernel client, ready as soon as the kernel has answered on shell and on IOPub.

    jupyter_client's own `wait_for_ready` ends by waiting until IOPub has been quiet for 0.2 s, which
    every submission's kernel start paid as idle time (with 2 workers, about 4 s of 42 submissions).
    The end of the kernel's answer is known exactly: the "idle" status on IOPub whose parent is the
    kernel_info request is the last message the kernel sends for it. As in jupyter_client, a request
    whose IOPub messages do not come (IOPub not yet connected) is sent again.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (math.inf if timeout is None else timeout)
        while True:
            request = self.kernel_info()
            reply = await self._message_for(self.shell_channel, request, "kernel_info_reply", seconds=1.0)
            # IPC sockets connect within milliseconds: ask again soon rather than wait 0.2 s each time.
            if reply is not None and await self._message_for(self.iopub_channel, request, "status", seconds=0.05,
                                                             state="idle") is not None:
                self._handle_kernel_info_reply(reply)
                return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    @staticmethod
    async def _message_for(channel, request: str, msg_type: str, *, seconds: float, state: str | None = None):
        """The first message of ``msg_type`` on ``channel`` answering ``request`` within ``seconds``, else None
        (messages answering earlier requests are dropped, as jupyter_client's flush drops them)."""
        until = time.monotonic() + seconds
        while (left := until - time.monotonic()) > 0:
            try:
                msg = await channel.get_msg(timeout=left)
            except Empty:
                return None
            if (msg.get("parent_header", {}).get("msg_id") == request and msg["msg_type"] == msg_type
                    and (state is None or msg.get("content", {}).get("execution_state") == state)):
                return msg
        return None


class SandboxKernelManager(AsyncKernelManager):
    """Launch the kernel command behind bwrap (or the rlimits launcher) chosen by `apply`.

    ``forked``: the kernel is instead a fork of this worker's template in its sandbox, launched by
    the ``course-forked`` provisioner (isolation/provisioner.py) that the kernelspec names.
    """

    client_factory = Type(PromptKernelClient, klass=AsyncKernelClient)
    plan: SandboxPlan | None = None
    forked: bool = False
    cgroup: SubmissionCgroup | None = None  # the submission's memory and process budget (bwrap mode)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        mode = self.plan.mode if self.plan else None
        if self.forked:
            await super()._async_launch_kernel(kernel_cmd, **kw)
            return
        if mode in ("bwrap", "rlimits-only"):
            cwd = kw.get("cwd") or os.getcwd()
            uid = self.plan.uid
            if uid is not None:
                # The sandbox uid (bwrap runs as it) may write only here: the work folder and its sockets' folder.
                for path in (cwd, self.plan.runtime, self.connection_file):
                    os.chown(path, uid, uid)
            kernel_cmd = isolated_python(kernel_cmd)
            if mode == "bwrap":
                self._remove_cgroup()
                self.cgroup = SubmissionCgroup.create(self.plan.memory_budget, self.plan.process_budget)
                procs = self.cgroup.procs if self.cgroup else ()
                kernel_cmd = bwrap_command(self.plan, cwd, self.connection_file, cgroup_procs=procs) + kernel_cmd
            else:
                kernel_cmd = rlimits_command(self.plan) + kernel_cmd
            kw.update(spawn_options(self.plan))
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

    async def _async_finish_shutdown(self, waittime: float | None = None, pollinterval: float = 0.1,
                                     restart: bool = False) -> None:
        # jupyter_client asks every 0.1 s whether the kernel has ended; it ends a few ms after its
        # shutdown reply, so each submission waited 0.1 s for nothing. Ask every 10 ms.
        await super()._async_finish_shutdown(waittime, pollinterval=min(pollinterval, 0.01), restart=restart)

    finish_shutdown = run_sync(_async_finish_shutdown)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        self._remove_cgroup()  # the kernel has ended: kill whatever it left, remove its cgroup

    cleanup_resources = run_sync(_async_cleanup_resources)

    def _remove_cgroup(self) -> None:
        if self.cgroup is not None:
            self.cgroup.remove()
            self.cgroup = None


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

    plan = Instance(SandboxPlan, allow_none=True, help="set by course.grading.isolation.execute.apply").tag(config=True)
    max_output_bytes_per_cell = Integer(MAX_OUTPUT_BYTES_PER_CELL).tag(config=True)
    max_output_bytes_per_notebook = Integer(MAX_OUTPUT_BYTES_PER_NOTEBOOK).tag(config=True)
    use_checker = Bool(True, help=(
        "Run the test cells in the grader's checker process on the values the student's kernel exports "
        "(course/grading/checker.py), not in the student's kernel. False: nbgrader's own way, for comparison."
    )).tag(config=True)
    kernel_mode = CaselessStrEnum(["plain", "forked"], help=(
        "forked: each kernel is a fork of this worker's template kernel, which has imported the notebooks' "
        "libraries once, inside the sandbox (isolation/template.py); plain: a new kernel process each time. "
        "Forked falls back to plain without bwrap or when the template cannot start. "
        f"Default: ${KERNEL_MODE_ENV}, else forked."
    )).tag(config=True)

    @default("kernel_mode")
    def _default_kernel_mode(self) -> str:
        mode = os.environ.get(KERNEL_MODE_ENV, "forked").strip().lower()
        return mode if mode in ("plain", "forked") else "forked"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxKernelManager)
        super().__init__(*args, **kwargs)
        self._bytes_per_cell: dict[int, int] = {}
        self._truncated: set[int] = set()
        self._export_cells: set[int] = set()

    def create_kernel_manager(self):
        global last_kernel_mode
        km = super().create_kernel_manager()
        km.plan = self.plan
        if self.plan is not None and self.plan.mode == "bwrap":
            # A SIGINT sent to bwrap does not reach the kernel; an interrupt_request message does
            # (the kernel then signals its own process group), so cell timeouts still interrupt.
            km.kernel_spec.interrupt_mode = "message"
        km.forked = self.kernel_mode == "forked" and self._template_ready()
        if km.forked:
            from .provisioner import PROVISIONER_NAME

            km.kernel_spec.metadata = {**(km.kernel_spec.metadata or {}),
                                       "kernel_provisioner": {"provisioner_name": PROVISIONER_NAME}}
        last_kernel_mode = "forked" if km.forked else "plain"
        return km

    def _template_ready(self) -> bool:
        """This worker's template kernel for the plan, started if needed; False (plain kernels) if it cannot be."""
        from . import provisioner

        if not provisioner.available(self.plan):
            return False
        try:
            provisioner.template_for(self.plan)
            return True
        except (OSError, provisioner.TemplateError) as error:
            self.log.warning("forked kernels unavailable (%s); starting a plain kernel", error)
            return False

    def preprocess(self, nb, resources=None, km=None):
        self._bytes_per_cell = {}
        self._truncated = set()
        self._export_cells = set()
        # The student is the submission's folder (nbgrader's student id), never what the notebook claims:
        # the kernel gets it as COURSE_STUDENT_ID (course/personal.py reads it first), the checker in its request.
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
            # A fresh child of this worker's warm checker runs the tests (checker.warm_checker; the warm
            # process is started once, now if not yet, and imports its modules while the kernel runs).
            warm = checker.warm_checker(self.plan, base)
            try:
                self._export_cells = set(tests)
                super().preprocess(kernel_nb, kernel_resources, km)
            finally:
                self._export_cells = set()
            for index, (cell, ran) in enumerate(zip(nb.cells, kernel_nb.cells)):
                if cell.cell_type == "code" and index not in tests:
                    cell.outputs = ran.outputs
                    cell.execution_count = ran.execution_count
            request = {"timeout": self.timeout, "student_id": os.environ.get("COURSE_STUDENT_ID", ""), "cells": [
                {"index": i, "source": nb.cells[i].source, "execution_count": kernel_nb.cells[i].execution_count,
                 "names": names[i], "payload": _exported(kernel_nb.cells[i])}
                for i in tests
            ]}
            try:
                results = warm.run(request)
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
        options = spawn_options(self.plan) if self.plan is not None else {}
        if self.plan is not None and self.plan.uid is not None:
            os.chown(workdir, self.plan.uid, self.plan.uid)
            os.chmod(workdir, 0o711)
        return subprocess.Popen(checker_command(self.plan, workdir), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
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
        if not is_test_cell(cell):
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


def _exported(cell) -> dict | None:
    """The values the kernel's export step displayed (the last such output), or None."""
    found = None
    for output in cell.get("outputs", []):
        if output.get("output_type") == "display_data" and exchange.MIME in output.get("data", {}):
            found = output["data"][exchange.MIME]
    return found


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


