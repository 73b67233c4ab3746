"""The bubblewrap command line for a `SandboxPlan` (course/grading/isolation/policy.py), and the launcher's.

Pure argument plumbing: nothing here decides what is visible, it only spells the plan so that
bwrap applies it in the right order (mounts shallow before deep; writable folders last).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Sequence

from .launcher import KEPT_ENV, STUDENT_ENV
from .policy import RLimits, SandboxPlan

# The system part of the sandbox's file tree (an allow-list: nothing else of the host is there).
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/timezone",
             "/etc/nsswitch.conf", "/etc/passwd", "/etc/group", "/etc/hosts", "/etc/host.conf", "/etc/mime.types",
             "/etc/fonts", "/etc/alternatives")


def bwrap_command(sandbox: SandboxPlan, kernel_cwd: str, connection_file: str | None, *, guard: bool = True,
                  cgroup_procs: Sequence[str] = (), nested_userns: bool = False,
                  shared: bool = False) -> list[str]:
    """The command that starts one kernel (or the checker) in the sandbox, working in ``kernel_cwd``.

    The sandbox's root is an empty tmpfs into which only this is put: the system's libraries and
    programs (`SYSTEM_DIRS`, a few `ETC_FILES`), read-only; Python, the venv, the package and the
    course data (`readable`), read-only; a private size-limited /tmp; and, writable, the kernel's
    work folder and its connection folder. Without a ``connection_file`` (the checker) only
    ``kernel_cwd`` is writable.

    bwrap itself runs as the sandbox uid, never as root: when the grader is root, the trusted step
    `enter.py` (``python -I -S``, standard library only) becomes that uid and execs bwrap, after it
    joined the submission's cgroup (``cgroup_procs``: the cgroup.procs files of
    course/grading/isolation/cgroup.py) and staged the folders bwrap binds where that uid can reach
    them. bwrap then makes its own user namespace (no capability inside, none to get: nested user
    namespaces are disabled), so the launcher and the kernel never hold a capability, and RLIMIT_NPROC
    counts them (root is exempt). See THREAT_MODEL.md.

    ``nested_userns``: only for the forked kernels' template (course/grading/isolation/template.py,
    trusted code that never runs student code): its forked child must make a user namespace of its
    own, so bwrap does not disable them; the grader disables them below that child before the
    kernel is forked (no_nested_userns.py), so the kernel is as confined as a plain one.

    ``shared``: a process that serves every student of a worker in turn (the template, the warm
    checker): its environment holds no student id (each kernel or checker child gets its own in its
    start message), so its command, which reuse compares, is the same for every student.
    """
    cwd = os.path.realpath(kernel_cwd)
    writable = [Path(cwd)]
    if connection_file is not None:
        writable.append(Path(os.path.realpath(sandbox.runtime)))
    # When bwrap runs as the sandbox uid for a root grader, it reaches each folder it binds through the
    # staging folder (enter.py binds sources[i] on stage/i first): the folders may be where that uid cannot go.
    sources: list[str] = []

    def source(path: Path) -> str:
        if sandbox.uid is None:
            return str(path)
        if sandbox.stage is None:
            raise ValueError("a plan with a sandbox uid needs a staging folder (policy.make_plan gives one)")
        sources.append(str(path))
        return os.path.join(sandbox.stage, str(len(sources) - 1))

    args = [
        sandbox.bwrap,
        "--unshare-user",  # bwrap runs unprivileged: its own user namespace, no capability outside it
        *([] if nested_userns else ["--disable-userns"]),  # and none to gain inside: no nested user namespace
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
        "--perms", "1777", "--size", str(sandbox.tmp_bytes), "--tmpfs", "/tmp",
        "--perms", "1777", "--size", str(sandbox.tmp_bytes), "--tmpfs", "/dev/shm",
    ]
    # Mounts are applied in order: shallow before deep, so a folder put back inside another appears
    # on top of it; missing parents are made traversable (mode 0755) for the sandbox uid.
    system = [Path(p) for p in SYSTEM_DIRS] + [Path("/tmp"), Path("/dev"), Path("/proc")]
    readable = [Path(p) for p in sandbox.readable]
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
        add(RO_BIND, path, ["--ro-bind", source(path), str(path)])
    # What must stay hidden although it lies inside a folder put back (a course folder inside the
    # venv's tree, a gradebook beside the data).
    hidden: list[str] = []
    for path in map(Path, sandbox.hidden):
        if any(_inside(path, b) and path != b for b in bound):
            add(HIDE, path, ["--tmpfs", str(path)])
            hidden.append(str(path))
    for path in map(Path, sandbox.masked_files):
        if any(_inside(path, b) for b in bound):
            add(MASK, path, ["--ro-bind", "/dev/null", str(path)])
    # Last, the only writable places: the work folder and the connection folder.
    for path in writable:
        add_parents(path)
        add(BIND, path, ["--bind", source(path), str(path)])
    for _depth, _kind, spec in sorted(mounts):
        args += list(spec)
    # bwrap runs as the sandbox uid, so the tmpfs it makes belong to that uid: the hidden folders and
    # /dev are made read-only once everything inside them is mounted (the writable binds stay writable).
    for path in sorted(hidden):
        args += ["--remount-ro", path]
    args += ["--remount-ro", "/dev"]
    args += ["--remount-ro", "/"]  # the folders made for mount points are not a place to write either
    args += ["--chdir", cwd]
    args += ["--cap-drop", "ALL"]
    launcher = list(LAUNCHER)
    # An empty environment, then only what a kernel needs (bwrap's own process shows its environment
    # in /proc/1/environ inside the sandbox: it never receives the grader's).
    args += ["--clearenv"]
    for key, value in sorted(safe_env(shared=shared).items()):
        args += ["--setenv", key, value]
    launcher += ["--home", "/tmp/home"]
    if not guard:
        launcher += ["--no-guard"]
    return [*enter_command(sandbox, sources, cgroup_procs), *args, "--", *launcher, *_limit_args(sandbox.limits), "--"]


ENTER = [sys.executable, "-I", "-S", str(Path(__file__).with_name("enter.py"))]


def enter_command(sandbox: SandboxPlan, sources: Sequence[str], cgroup_procs: Sequence[str]) -> list[str]:
    """The trusted step before bwrap (enter.py): join the cgroup, become the sandbox uid; [] if neither."""
    if sandbox.uid is None and not cgroup_procs:
        return []
    command = list(ENTER)
    for path in cgroup_procs:
        command += ["--cgroup", path]
    if sandbox.uid is not None:
        command += ["--uid", str(sandbox.uid), "--stage", str(sandbox.stage)]
        for path in sources:
            command += ["--source", path]
    return [*command, "--"]


# -I: no working folder (where a submission's files are) on sys.path, no PYTHON* variables, no user site.
LAUNCHER = [sys.executable, "-I", "-m", "course.grading.isolation.launcher"]


def safe_env(*, shared: bool = False) -> dict[str, str]:
    """The grader's environment reduced to what a kernel may see (no database URL, no token);
    ``shared``: without the student id, for a process that serves every student (bwrap_command)."""
    kept = [key for key in KEPT_ENV if not (shared and key == STUDENT_ENV)]
    return {key: os.environ[key] for key in kept if key in os.environ}


def spawn_options(sandbox: SandboxPlan | None) -> dict:
    """Popen keywords for bwrap, the launcher or the checker: an environment without the grader's secrets."""
    return {"env": safe_env()}


def isolated_python(command: list[str]) -> list[str]:
    """``python -m ipykernel_launcher ...`` -> ``python -I -m ...`` (no working folder on sys.path)."""
    command = list(command)
    if command and Path(command[0]).name.startswith("python") and "-I" not in command[1:2]:
        command.insert(1, "-I")
    return command


def rlimits_command(sandbox: SandboxPlan, *, guard: bool = True) -> list[str]:
    launcher = list(LAUNCHER)
    if not guard:
        launcher += ["--no-guard"]
    return [*launcher, *_limit_args(sandbox.limits), "--"]


CHECKER = [sys.executable, "-I", "-m", "course.grading.checker"]


def checker_command(sandbox: SandboxPlan | None, workdir: str) -> list[str]:
    """The checker process, in the same sandbox as the kernel but with only ``workdir`` writable."""
    mode = sandbox.mode if sandbox else None
    if mode == "bwrap":
        return bwrap_command(sandbox, workdir, None, guard=False, shared=True) + CHECKER
    if mode == "rlimits-only":
        return rlimits_command(sandbox, guard=False) + CHECKER
    return list(CHECKER)


def _limit_args(limits: RLimits) -> list[str]:
    return ["--memory", str(limits.memory), "--cpu", str(limits.cpu), "--fsize", str(limits.fsize), "--nproc", str(limits.nproc)]


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


