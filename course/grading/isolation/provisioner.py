"""Forked kernels (the grader's side): this worker's template process, and the kernel provisioner that uses it.

`ForkedProvisioner` is a jupyter_client kernel provisioner (entry point ``course-forked`` in the
``jupyter_client.kernel_provisioners`` group, pyproject.toml): nbgrader and nbclient drive a forked
kernel exactly as a plain one (connection file, message-mode interrupt, shutdown, kill, timeouts);
only the launch differs. Instead of a new bwrap + launcher + python per submission, it asks this
worker's `Template` (course/grading/isolation/template.py, one per grading process, started by the
first submission and kept while the sandbox stays the same) to fork the kernel.

The template's sandbox is made for the first submission and has two fixed writable folders: its
work folder, into which each submission's work files are copied before its kernel starts, and its
connection folder. After each kernel the template kills everything left and empties both (and its
/tmp and /dev/shm) before it answers; the next kernel starts only then.

The kernel is as confined as a plain one: the template's sandbox is a kernel's, except that bwrap
leaves user namespaces enabled there (the template's child needs one). Each child makes its user and
PID namespace and waits; the grader moves it into the submission's cgroup (cgroup.py, the same budget
as a plain kernel's) and sets user.max_user_namespaces to 0 in the child's namespace
(no_nested_userns.py, from outside: it works however bwrap mounted /proc/sys), and only then lets it
fork the kernel.

`available(plan)` says whether a plan can fork (bwrap only; without bwrap the worker starts plain
kernels); SandboxedExecute falls back to a plain start whenever the template cannot be started.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

from .bwrap import _inside as _inside_folder, bwrap_command, spawn_options
from . import proctable
from .cgroup import SubmissionCgroup
from .policy import SandboxPlan

PROVISIONER_NAME = "course-forked"
TEMPLATE = [sys.executable, "-I", "-m", "course.grading.isolation.template"]
READY_SECONDS = 120  # the template's imports, on a loaded machine
NO_NESTED_USERNS = [sys.executable, "-I", "-S", str(Path(__file__).with_name("no_nested_userns.py"))]


class TemplateError(RuntimeError):
    """The template could not be started or did not answer (the worker then starts plain kernels)."""


def available(plan: SandboxPlan | None) -> bool:
    """Forking needs the full sandbox (its PID namespace and private /tmp are what the sweep empties)."""
    return plan is not None and plan.mode == "bwrap"


class Template:
    """(grader) One template process in its sandbox, and the control socket to it."""

    def __init__(self, plan: SandboxPlan) -> None:
        # Two folders directly in /tmp: a folder bwrap makes for a deeper mount point is not traversable.
        self.work = Path(tempfile.mkdtemp(prefix=f"course-work-fork-{os.getpid()}-"))
        self.runtime = Path(tempfile.mkdtemp(prefix=f"course-kernel-{os.getpid()}-fork-"))
        if plan.uid is not None:
            for path in (self.work, self.runtime):
                os.chown(path, plan.uid, plan.uid)
            os.chmod(self.work, 0o711)
        self.plan = plan
        self.sandbox = replace(plan, runtime=str(self.runtime))
        self.command = bwrap_command(self.sandbox, str(self.work), str(self.runtime / "kernel.json"), shared=True,
                                     nested_userns=True) + TEMPLATE
        options = spawn_options(self.sandbox)
        env = dict(options.get("env", os.environ))
        env.pop("COURSE_STUDENT_ID", None)  # each kernel gets its student's id in its start message
        self.env = env
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with theirs:
            self.process = subprocess.Popen(self.command, stdin=theirs, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL, cwd=str(self.work), env=env)
        self.ready = False
        self.host_pid: int | None = None

    @property
    def connection_file(self) -> str:
        return str(self.runtime / "kernel.json")

    def alive(self) -> bool:
        return self.process.poll() is None

    def fits(self, plan: SandboxPlan) -> bool:
        """True when ``plan``'s sandbox is this one's: same tree, uid, limits and environment.

        Plans of one worker differ in their connection folder, in the folders they hide (the job
        folder of each submission) and in the file they mask (the job's gradebook copy); a newly
        hidden folder or masked file is already invisible here when it lies inside a folder this
        sandbox hides (or is a file it masks), or inside no folder it puts back.
        """
        # Without root the process limit is the grader user's count at planning time plus the allowance
        # (policy.make_plan): it moves a little between plans, and the template keeps its first one.
        def fixed(p: SandboxPlan) -> SandboxPlan:
            limits = p.limits if p.uid is not None else replace(p.limits, nproc=0)
            return replace(p, runtime="", hidden=(), masked_files=(), limits=limits)

        if fixed(plan) != fixed(self.plan):
            return False
        for path in map(Path, (*plan.hidden, *plan.masked_files)):
            if _inside(path, plan.readable) and not self._invisible(path):
                return False
        env = dict(spawn_options(plan).get("env", os.environ))
        env.pop("COURSE_STUDENT_ID", None)
        return env == self.env

    def _invisible(self, path: Path) -> bool:
        """True when ``path`` cannot be seen in this sandbox: hidden or masked, and not put back."""
        if str(path) in (*self.plan.hidden, *self.plan.masked_files):
            return True
        return _inside(path, self.plan.hidden) and not _inside(path, self.plan.readable)

    def wait_ready(self) -> None:
        """Wait until the template has imported its modules (TemplateError if it ended instead)."""
        if self.ready:
            return
        try:
            self.control.settimeout(READY_SECONDS)
            hello = json.loads(self.control.recv(65536) or b"{}")
        except (OSError, ValueError) as error:
            self.close()
            raise TemplateError(f"the kernel template did not start ({type(error).__name__}: {error})") from None
        if not hello.get("ready"):
            self.close()
            raise TemplateError("the kernel template ended before it was ready")
        # Each child's user namespace must be closed to further ones from out here: check once that it can be.
        self.host_pid = host_pid(self.process.pid, int(hello.get("pid", 0)))
        problem = None if self.host_pid else "the kernel template's process was not found in /proc"
        problem = problem or no_nested_userns(self.host_pid, probe=True)
        if problem:
            self.close()
            raise TemplateError(f"forked kernels cannot be confined here: {problem}")
        self.ready = True

    def ask(self, message: dict, fds: list[int] = (), timeout: float = 60) -> dict:
        self.wait_ready()
        try:
            self.control.settimeout(timeout)
            socket.send_fds(self.control, [json.dumps(message).encode()], list(fds))
            answer = self.control.recv(65536)
        except (OSError, ValueError) as error:
            self.close()
            raise TemplateError(f"the kernel template failed ({type(error).__name__}: {error})") from None
        if not answer:
            self.close()
            raise TemplateError("the kernel template ended")
        return json.loads(answer)

    def prepare(self, cwd: str | None) -> None:
        """The template's work folder holding a copy of the submission's work files (``cwd``), and nothing else."""
        _empty(self.work)
        _empty(self.runtime)
        if cwd and os.path.isdir(cwd):
            shutil.copytree(cwd, self.work, dirs_exist_ok=True, symlinks=True)
        if self.plan.uid is not None:
            os.chown(self.runtime, self.plan.uid, self.plan.uid)

    def close(self) -> None:
        try:
            self.control.close()
        except OSError:
            pass
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for folder in (self.work, self.runtime):
            shutil.rmtree(folder, ignore_errors=True)


def _inside(path: Path, folders) -> bool:
    """True when ``path`` is one of ``folders`` or lies inside one."""
    return any(_inside_folder(path, Path(f)) for f in folders)


def host_pid(ancestor: int, sandbox_pid: int) -> int | None:
    """The pid, as the grader sees it, of the descendant of ``ancestor`` that is ``sandbox_pid`` in the sandbox.

    (/proc/<pid>/status: PPid, and NSpid, the pid in each PID namespace from the grader's down.)
    """
    table = proctable.read()
    for pid, (_parent, ns_pids) in table.items():
        if len(ns_pids) == 2 and ns_pids[1] == sandbox_pid and proctable.descends_from(table, pid, ancestor, depth=16):
            return pid
    return None


def no_nested_userns(pid: int, *, probe: bool = False) -> str | None:
    """None once no user namespace can be made in the user namespace of ``pid`` (host pid), else why not."""
    try:
        done = subprocess.run([*NO_NESTED_USERNS, *(["--probe"] if probe else []), str(pid)],
                              capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{type(error).__name__}: {error}"
    if done.returncode != 0:
        return (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1][:300]
    return None


_template: Template | None = None


def template_for(plan: SandboxPlan) -> Template:
    """This worker's template for ``plan``: started when there is none, it died, or the sandbox differs."""
    global _template
    if _template is not None:
        if _template.alive() and _template.fits(plan):
            return _template
        _template.close()
        _template = None
    _template = Template(plan)
    atexit.register(_template.close)
    _template.wait_ready()
    return _template


def close_template() -> None:
    global _template
    if _template is not None:
        _template.close()
        _template = None


def _empty(folder: Path) -> None:
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            try:
                os.unlink(entry.path)
            except OSError:
                pass


class ForkedProvisioner(LocalProvisioner):
    """A jupyter_client provisioner whose kernel is a fork of this worker's template (see the module docstring)."""

    template: Template | None = None
    child: int | None = None
    ended = True
    output = None

    @property
    def has_process(self) -> bool:
        return self.child is not None

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        km = self.parent
        self.template = template_for(km.plan)
        # The kernel's sockets and connection file live in the template's connection folder.
        km.connection_file = self.template.connection_file
        km.ip = str(self.template.runtime / "kernel-ipc")
        self.template.prepare(kwargs.get("cwd"))
        kwargs = await super().pre_launch(**kwargs)
        if km.plan.uid is not None:
            os.chown(km.connection_file, km.plan.uid, km.plan.uid)
        return kwargs

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        from .execute import KernelOutput

        assert self.template is not None
        # The kernelspec's arguments after ``-m ipykernel_launcher`` (the connection file, and what
        # nbgrader adds, e.g. an in-memory history), given to the forked kernel's IPKernelApp.
        if "ipykernel_launcher" not in cmd or cmd[cmd.index("ipykernel_launcher") - 1] != "-m":
            raise TemplateError(f"forked kernels start ipykernel only, not {cmd[:3]}")
        arguments = cmd[cmd.index("ipykernel_launcher") + 1:]
        output = KernelOutput()
        try:
            answer = self.template.ask({"op": "start", "arguments": arguments,
                                        "student_id": os.environ.get("COURSE_STUDENT_ID", "")},
                                       [output.write_fd], timeout=60)
        finally:
            output.started()
        if not answer.get("ok"):
            raise TemplateError(f"the kernel template could not start a kernel: {answer.get('error')}")
        self.child = int(answer["pid"])
        self.pid = self.child
        self.ended = False
        try:
            self._confine(self.child)
            answer = self.template.ask({"op": "run"}, timeout=60)
            if not answer.get("ok"):
                raise TemplateError(f"the kernel template could not start a kernel: {answer.get('error')}")
        except BaseException:
            await self._end()
            self.parent._remove_cgroup()
            raise
        return self.connection_info

    def _confine(self, child: int) -> None:
        """(before the child forks the kernel) Its cgroup, as a plain kernel's, and no user namespace below it."""
        assert self.template is not None
        km = self.parent
        host = host_pid(self.template.host_pid or 0, child)
        if host is None:
            raise TemplateError("the kernel template's child was not found in /proc")
        km._remove_cgroup()
        km.cgroup = SubmissionCgroup.create(km.plan.memory_budget, km.plan.process_budget)
        if km.cgroup is not None:
            km.cgroup.add(host)
        problem = no_nested_userns(host)
        if problem:
            raise TemplateError(f"the forked kernel cannot be confined: {problem}")

    async def poll(self) -> int | None:
        if self.child is None or self.template is None:
            return 0
        try:
            return self.template.ask({"op": "poll"}).get("status")
        except TemplateError:
            return -1

    async def wait(self) -> int | None:
        status = 0
        if self.child is not None:
            while (status := await self.poll()) is None:
                await asyncio.sleep(0.1)
            await self._end()
        return status

    async def send_signal(self, signum: int) -> None:
        if self.child is not None and self.template is not None:
            try:
                self.template.ask({"op": "signal", "signum": int(signum)})
            except TemplateError:
                pass

    async def kill(self, restart: bool = False) -> None:
        await self.send_signal(signal.SIGKILL)

    async def terminate(self, restart: bool = False) -> None:
        await self.send_signal(signal.SIGTERM)

    async def cleanup(self, restart: bool = False) -> None:
        await self._end()
        await super().cleanup(restart=restart)

    async def _end(self) -> None:
        """Every process of this kernel gone and its files removed (the template's sweep), once."""
        if self.child is not None and self.template is not None and not self.ended:
            self.ended = True
            try:
                self.template.ask({"op": "end"}, timeout=120)
            except TemplateError:
                pass
        self.child = None

    def get_shutdown_wait_time(self, recommended: float = 5.0) -> float:
        return recommended
