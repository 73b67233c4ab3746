"""One memory and process budget for all processes of a submission: a cgroup per sandboxed kernel.

`find_hierarchy` picks, once per process, where the grader may make cgroups: a cgroup v2 folder
whose children get the memory and pids controllers (a delegated subtree), else the cgroup v1
memory and pids hierarchies, else none (then only the per-process rlimits of the launcher apply).
`SubmissionCgroup.create` makes one cgroup with the budget; the sandbox's first process joins it
before it starts bwrap (course/grading/isolation/enter.py writes its own pid into ``procs``; for a
forked kernel the grader moves the template's child in with `SubmissionCgroup.add`), so every
process of the submission is counted, and `SubmissionCgroup.remove` kills what is left and
removes it when the kernel has ended.
"""

from __future__ import annotations

import itertools
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

PREFIX = "course-sandbox"
_counter = itertools.count()


@dataclass(frozen=True)
class Hierarchy:
    """Where this process makes its cgroups: v2, one folder; v1, (memory folder, pids folder)."""

    version: int
    parents: tuple[str, ...]

    def describe(self) -> str:
        return f"cgroup v{self.version}"


_found: tuple[Hierarchy | None, str] | None = None


def find_hierarchy() -> tuple[Hierarchy | None, str]:
    """(the hierarchy to use, or None; one line saying what was found or why none). Cached."""
    global _found
    if _found is None:
        notes: list[str] = []
        found = _find_v2(notes) or _find_v1(notes)
        _found = (found, found.describe() if found else "no writable cgroup (" + "; ".join(notes) + ")")
        if found:
            _sweep_stale(found)
    return _found


def describe_budget(memory_bytes: int, processes: int) -> str:
    """The summary's words for the budget that applies to each submission."""
    hierarchy, line = find_hierarchy()
    if hierarchy is None:
        return f"budget: per process only (address space and process count rlimits; {line})"
    return f"budget per submission: {memory_bytes / 1024**3:.1f} GiB memory, {processes} processes ({line})"


@dataclass
class SubmissionCgroup:
    """One submission's cgroup (a folder in each hierarchy of `Hierarchy.parents`)."""

    folders: tuple[str, ...]

    @property
    def procs(self) -> list[str]:
        """The files the sandbox's first process writes its pid into (one per hierarchy)."""
        return [os.path.join(folder, "cgroup.procs") for folder in self.folders]

    @classmethod
    def create(cls, memory_bytes: int, processes: int) -> SubmissionCgroup | None:
        """A new cgroup with this budget, or None when no hierarchy is writable."""
        hierarchy, _ = find_hierarchy()
        if hierarchy is None:
            return None
        name = f"{PREFIX}-{os.getpid()}-{next(_counter)}"
        folders = tuple(os.path.join(parent, name) for parent in hierarchy.parents)
        for folder in folders:
            os.mkdir(folder, 0o755)
        group = cls(folders)
        try:
            if hierarchy.version == 2:
                _write(folders[0], "memory.max", memory_bytes)
                _write(folders[0], "memory.swap.max", 0, optional=True)  # swap would stretch the budget
                _write(folders[0], "pids.max", processes)
            else:
                memory, pids = folders
                _write(memory, "memory.limit_in_bytes", memory_bytes)
                _write(memory, "memory.memsw.limit_in_bytes", memory_bytes, optional=True)
                _write(pids, "pids.max", processes)
        except OSError:
            group.remove()
            raise
        return group

    def add(self, pid: int) -> None:
        """Move process ``pid`` (a host pid) into this cgroup; its later children are born in it.

        Forked kernels (course/grading/isolation/provisioner.py): the grader moves the template's
        child here before the child forks the kernel, as enter.py joins it for a plain kernel.
        """
        for path in self.procs:
            with open(path, "w") as file:
                file.write(str(pid))

    def remove(self) -> None:
        """Kill every process still in the cgroup, then remove it (best effort: a stale one is swept later)."""
        for folder in self.folders:
            _kill_and_remove(folder)


def _write(folder: str, name: str, value: int, *, optional: bool = False) -> None:
    path = os.path.join(folder, name)
    if optional and not os.path.exists(path):
        return
    with open(path, "w") as file:
        file.write(str(value))


def _kill_and_remove(folder: str) -> None:
    if not os.path.isdir(folder):
        return
    kill = os.path.join(folder, "cgroup.kill")
    if os.path.exists(kill):
        try:
            _write(folder, "cgroup.kill", 1)
        except OSError:
            pass
    for _ in range(200):  # a fork bomb refills it until pids.max stops it; each round kills what is there
        pids = _pids(folder)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            os.rmdir(folder)
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.01)  # busy until the killed processes are reaped


def _pids(folder: str) -> list[int]:
    try:
        with open(os.path.join(folder, "cgroup.procs")) as file:
            return [int(line) for line in file if line.strip()]
    except OSError:
        return []


def _sweep_stale(hierarchy: Hierarchy) -> None:
    """Remove the cgroups of grading processes that were killed before they could remove their own."""
    for parent in hierarchy.parents:
        for folder in Path(parent).glob(f"{PREFIX}-*-*"):
            pid = folder.name.split("-")[2]
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                _kill_and_remove(str(folder))


# --- finding a writable hierarchy -----------------------------------------------------------------


def _mounts() -> list[tuple[str, str, set[str]]]:
    """(mount point, file system type, super options) of every cgroup mount."""
    found = []
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return []
    for line in lines:
        fields = line.split()
        if " - " not in line:
            continue
        after = line.split(" - ", 1)[1].split()
        if len(after) >= 3 and after[0] in ("cgroup", "cgroup2"):
            found.append((fields[4], after[0], set(after[2].split(","))))
    return found


def _own_cgroups() -> dict[str, str]:
    """controller (v1) or "" (v2) -> this process's cgroup path."""
    own: dict[str, str] = {}
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            for controller in controllers.split(",") if controllers else [""]:
                own[controller] = path
    except (OSError, ValueError):
        pass
    return own


def _probe(parent: str) -> str | None:
    """None if a child cgroup can be made (and removed) in ``parent``, else why not."""
    probe = os.path.join(parent, f"{PREFIX}-{os.getpid()}-probe")
    try:
        os.mkdir(probe)
        os.rmdir(probe)
    except OSError as error:
        return f"{parent}: {error.strerror}"
    return None


def _find_v2(notes: list[str]) -> Hierarchy | None:
    mounts = [point for point, kind, _ in _mounts() if kind == "cgroup2"]
    if not mounts:
        notes.append("no cgroup v2 mount")
        return None
    parent = os.path.normpath(os.path.join(mounts[0], _own_cgroups().get("", "/").lstrip("/")))
    wanted = {"memory", "pids"}
    try:
        available = set(Path(parent, "cgroup.controllers").read_text().split())
        enabled = set(Path(parent, "cgroup.subtree_control").read_text().split())
    except OSError as error:
        notes.append(f"cgroup v2 {parent}: {error.strerror}")
        return None
    if not wanted <= available:
        notes.append(f"cgroup v2 {parent} has no {' and '.join(sorted(wanted - available))} controller")
        return None
    if not wanted <= enabled:
        try:  # only possible where this process is not itself a member (no internal processes in v2)
            Path(parent, "cgroup.subtree_control").write_text(" ".join(f"+{c}" for c in sorted(wanted - enabled)))
        except OSError as error:
            notes.append(f"cgroup v2 {parent}: cannot enable memory and pids for children ({error.strerror})")
            return None
    problem = _probe(parent)
    if problem:
        notes.append(f"cgroup v2 {problem}")
        return None
    return Hierarchy(2, (parent,))


def _find_v1(notes: list[str]) -> Hierarchy | None:
    own = _own_cgroups()
    parents = []
    for controller in ("memory", "pids"):
        points = [point for point, kind, options in _mounts() if kind == "cgroup" and controller in options]
        if not points:
            notes.append(f"no cgroup v1 {controller} hierarchy")
            return None
        parent = os.path.normpath(os.path.join(points[0], own.get(controller, "/").lstrip("/")))
        problem = _probe(parent)
        if problem:
            notes.append(f"cgroup v1 {problem}")
            return None
        parents.append(parent)
    return Hierarchy(1, tuple(parents))
