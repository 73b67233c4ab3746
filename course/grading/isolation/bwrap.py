"""The bubblewrap command line for a `SandboxPlan` (course/grading/isolation/policy.py), and the launcher's.

Pure argument plumbing: nothing here decides what is visible, it only spells the plan so that
bwrap applies it in the right order (mounts shallow before deep; writable folders last).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .launcher import KEPT_ENV
from .policy import RLimits, SandboxPlan

# The system part of the sandbox's file tree (an allow-list: nothing else of the host is there).
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/timezone",
             "/etc/nsswitch.conf", "/etc/passwd", "/etc/group", "/etc/hosts", "/etc/host.conf", "/etc/mime.types",
             "/etc/fonts", "/etc/alternatives")


def bwrap_command(sandbox: SandboxPlan, kernel_cwd: str, connection_file: str | None, *, guard: bool = True) -> list[str]:
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
        writable.append(Path(os.path.realpath(sandbox.runtime)))
    args = [
        sandbox.bwrap,
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
        add(RO_BIND, path, ["--ro-bind", str(path), str(path)])
    # What must stay hidden although it lies inside a folder put back (a course folder inside the
    # venv's tree, a gradebook beside the data).
    for path in map(Path, sandbox.hidden):
        if any(_inside(path, b) and path != b for b in bound):
            add(HIDE, path, ["--tmpfs", str(path)])
    for path in map(Path, sandbox.masked_files):
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
    if sandbox.uid is not None:
        # The launcher needs two capabilities to switch to the sandbox uid, and has none after it.
        args += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        launcher += ["--uid", str(sandbox.uid)]
    # An empty environment, then only what a kernel needs (bwrap's own process shows its environment
    # in /proc/1/environ inside the sandbox: it never receives the grader's).
    args += ["--clearenv"]
    for key, value in sorted(safe_env().items()):
        args += ["--setenv", key, value]
    launcher += ["--home", "/tmp/home"]
    if not guard:
        launcher += ["--no-guard"]
    return [*args, "--", *launcher, *_limit_args(sandbox.limits), "--"]


# -I: no working folder (where a submission's files are) on sys.path, no PYTHON* variables, no user site.
LAUNCHER = [sys.executable, "-I", "-m", "course.grading.isolation.launcher"]


def safe_env() -> dict[str, str]:
    """The grader's environment reduced to what a kernel may see (no database URL, no token)."""
    return {key: os.environ[key] for key in KEPT_ENV if key in os.environ}


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
        return bwrap_command(sandbox, workdir, None, guard=False) + CHECKER
    if mode == "rlimits-only":
        return rlimits_command(sandbox, guard=False) + CHECKER
    return list(CHECKER)


def _limit_args(limits: RLimits) -> list[str]:
    return ["--memory", str(limits.memory), "--cpu", str(limits.cpu), "--fsize", str(limits.fsize), "--nproc", str(limits.nproc)]


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


