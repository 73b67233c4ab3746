"""A template kernel: one process per grading worker, inside the sandbox, that every submission's kernel is forked from.

Starting a kernel and importing pandas, matplotlib, ipywidgets and `course` is most of what a short
notebook costs, and it is the same work for every submission. The template does it once, then
forks a fresh child per submission (copy-on-write, like PrairieLearn's Python zygote), and the
child starts ipykernel's IPKernelApp with the submission's connection file. The template never
creates a zmq context or a thread, and never runs any student code.

Run as the kernel command behind bwrap and the launcher (``python -I -m course.grading.isolation.template``,
started by `Template`): it runs as the sandbox uid (bwrap does, enter.py), the launcher has set
the rlimits and appended the guard's arguments, which the template passes on to each kernel. The grader drives
it over a SOCK_SEQPACKET socket on fd 0, one JSON message at a time:

    {"op": "start", "arguments": [ipykernel's arguments: -f connection file, ...], "student_id": id}
        + one descriptor for the kernel's output
        -> {"ok": true, "pid": child}   (the child has made its user and PID namespace and waits)
    {"op": "run"}   -> {"ok": true, "kernel": kernel pid}   (the child forks the kernel now)
    {"op": "poll"}  -> {"status": null while it runs, else its exit code}
    {"op": "signal", "signum": n} -> {"ok": true}
    {"op": "end"}   -> {"ok": true} once every process but the template is gone and /tmp, /dev/shm
                       and the work folder are empty (checker._end_leftovers, the warm checker's sweep)

(pids as the template sees them). Between "start" and "run" the grader, outside the sandbox, moves
the child into the submission's cgroup and disables user namespaces below the child's
(no_nested_userns.py): the kernel is born inside both, and no student code runs before.

Each child enters a new user and PID namespace before it forks the kernel, so the kernel is pid 1
of a namespace of its own: it cannot name the template (or anything else outside) to signal it, and
when it ends, the kernel kills every process left in its namespace. The template is not dumpable,
and the child not once its uid map is written, so no process of the same uid can ptrace them or
read their memory. THREAT_MODEL.md, "Forked kernels".
"""

from __future__ import annotations

import gc
import json
import os
import signal
import sys
import traceback

from ... import NOTEBOOK_MODULES
from . import proctable

# What the course's notebooks import (and what a kernel imports to start), nothing student-specific.
PRELOAD = (
    "numpy", "pandas", "pyarrow", "pyarrow.parquet", "matplotlib", "matplotlib.pyplot", "matplotlib_inline.backend_inline",
    "ipywidgets", "IPython", "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.comm",
    "course", *NOTEBOOK_MODULES, "course.grading.exchange", "course.grading.isolation.guard",
)

CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
PR_SET_DUMPABLE = 4
PR_SET_NO_NEW_PRIVS = 38
PR_CAPBSET_READ = 23
PR_CAPBSET_DROP = 24


def preload() -> None:
    # The backend ipykernel would choose, set before matplotlib is imported (ipykernel's kernelapp does the same).
    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    for module in PRELOAD:
        try:
            __import__(module)
        except ImportError:
            pass
    _first_traceback()
    _first_figure()
    # The course's datasets, parsed once (data/ is the same for every student): each kernel's read gets
    # a copy of the parsed table, as a plain kernel's read gets a freshly parsed one.
    try:
        from course import data

        data.keep_parsed_copies()
    except Exception:  # noqa: BLE001 - a warm-up only: each kernel then parses what it reads itself
        pass
    # Everything imported so far stays out of the cyclic GC's scans: each child's collections skip it
    # (faster) and leave its pages shared with the template (fewer copy-on-write copies).
    gc.freeze()


def _first_traceback() -> None:
    """Format one exception as IPython does: pygments compiles its lexer's rules lazily, on the first
    traceback (most graded notebooks show one), about 0.5 s that each kernel would pay again."""
    try:
        from IPython.core.ultratb import AutoFormattedTB

        try:
            raise KeyError("warm-up")
        except KeyError:
            info = sys.exc_info()
        for theme in ("neutral", "linux", "nocolor"):
            AutoFormattedTB(mode="Context", theme_name=theme).structured_traceback(*info)
    except Exception:  # noqa: BLE001 - a warm-up only: the kernel formats its own tracebacks either way
        pass


def _first_figure() -> None:
    """Draw and save one figure with matplotlib's defaults (fonts, the Agg renderer, PNG encoding are set
    up on the first), in a context that restores every setting and closes the figure after."""
    try:
        import io

        import matplotlib
        import matplotlib.pyplot as plt

        with matplotlib.rc_context():
            fig, ax = plt.subplots()
            ax.bar(["a", "b"], [1, 2])
            ax.set_title("warm-up")
            fig.tight_layout()
            fig.savefig(io.BytesIO(), format="png")
            plt.close("all")
    except Exception:  # noqa: BLE001 - a warm-up only
        pass


def _libc():
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def serve(kernel_args: list[str]) -> None:
    """Answer the grader's messages on fd 0 until it closes the socket (or dies)."""
    import socket

    from ..checker import _not_dumpable

    preload()
    _not_dumpable()
    control = socket.socket(fileno=0)
    control.sendall(json.dumps({"ready": True, "pid": os.getpid()}).encode())
    child: Child | None = None
    status: int | None = None
    while True:
        try:
            message, fds, _flags, _address = socket.recv_fds(control, 65536, 1)
        except OSError:
            return
        if not message:
            return
        try:
            request = json.loads(message)
        except ValueError:
            request = {}
        op = request.get("op")
        reply: dict = {"ok": True}
        if op == "start":
            if child is not None:
                child.end()
                child = None
            status = None
            if len(fds) != 1:
                reply = {"ok": False, "error": "start needs one descriptor (the kernel's output)"}
            else:
                child, error = _fork_child(control, request, fds[0], kernel_args)
                reply = {"ok": True, "pid": child.pid} if error is None else {"ok": False, "error": error}
        elif op == "run":
            if child is None or child.kernel is not None:
                reply = {"ok": False, "error": "run needs a started child without a kernel"}
            else:
                error = child.run()
                reply = {"ok": True, "kernel": child.kernel} if error is None else {"ok": False, "error": error}
        elif op == "poll":
            if child is not None and status is None:
                status = _reaped(child.pid, block=False)
            reply = {"status": status if child is not None else 0}
        elif op == "signal":
            if child is not None and child.kernel is not None and status is None:
                try:
                    os.kill(child.kernel, int(request.get("signum", signal.SIGKILL)))
                except OSError:
                    pass
        elif op == "end":
            if child is not None:
                child.end()
            child = status = None
        else:
            reply = {"ok": False, "error": f"unknown op {op!r}"}
        for fd in fds:
            try:
                os.close(fd)
            except OSError:
                pass
        control.sendall(json.dumps(reply).encode())


class Child:
    """(template) One forked child: its pid, the pipe it reports on, the pipe that lets it fork the kernel."""

    def __init__(self, pid: int, report, go_fd: int) -> None:
        self.pid = pid
        self.report = report  # lines of JSON from the child
        self.go_fd = go_fd
        self.kernel: int | None = None

    def answer(self) -> dict:
        try:
            return json.loads(self.report.readline() or b"{}")
        except ValueError:
            return {}

    def run(self) -> str | None:
        """Let the child fork the kernel; None once it reported the kernel's pid, else the reason."""
        try:
            os.write(self.go_fd, b"go")
        except OSError:
            pass
        found = self.answer()
        if "kernel" not in found:
            return str(found.get("error") or "the forked child ended before its kernel started")
        self.kernel = int(found["kernel"])
        return None

    def end(self) -> None:
        """Kill the kernel (pid 1 of its namespace: every process in it dies with it) and the child, reap, sweep."""
        from ..checker import _end_leftovers

        for pid in (self.kernel, self.pid):
            if pid:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        _reaped(self.pid, block=True)
        for close in (self.report.close, lambda: os.close(self.go_fd)):
            try:
                close()
            except OSError:
                pass
        _end_leftovers(self.pid, True)


def _reaped(child: int, *, block: bool) -> int | None:
    try:
        pid, status = os.waitpid(child, 0 if block else os.WNOHANG)
    except ChildProcessError:
        return -1
    return os.waitstatus_to_exitcode(status) if pid else None


def _fork_child(control, request: dict, output_fd: int, kernel_args: list[str]) -> tuple[Child | None, str | None]:
    """Fork the child that will start this submission's kernel; (child, None) once it is in its namespaces."""
    report_read, report_write = os.pipe()
    go_read, go_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            os.close(report_read)
            os.close(go_write)
            control.close()
            _child(request, output_fd, report_write, go_read, kernel_args)
        except BaseException:  # noqa: BLE001 - the reason goes to the kernel's output and the pipe
            try:
                os.write(report_write, json.dumps({"error": traceback.format_exc()[-500:]}).encode() + b"\n")
            except OSError:
                pass
        finally:
            os._exit(code)
    os.close(report_write)
    os.close(go_read)
    child = Child(pid, os.fdopen(report_read, "rb"), go_write)
    found = child.answer()
    if not found.get("namespaced"):
        child.end()
        return None, str(found.get("error") or "the forked child ended before it made its namespaces")
    return child, None


def _child(request: dict, output_fd: int, report_fd: int, go_fd: int, kernel_args: list[str]) -> None:
    """(forked child) Enter a new user and PID namespace, wait for the grader, fork the kernel, wait for it."""
    import ctypes

    libc = _libc()
    os.setsid()  # its own session and process group, away from the template's
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    os.close(output_fd)
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWPID) != 0:
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWUSER | CLONE_NEWPID) failed")
    # The same uid inside the new user namespace as outside (files it writes keep their owner). Writing
    # the maps needs /proc/self owned by this process: the template's non-dumpable flag is not kept here.
    libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
    with open("/proc/self/setgroups", "w") as f:
        f.write("deny")
    with open("/proc/self/uid_map", "w") as f:
        f.write(f"{uid} {uid} 1")
    with open("/proc/self/gid_map", "w") as f:
        f.write(f"{gid} {gid} 1")
    # Not dumpable again: the kernel (same uid, and no capability once this process dropped its own)
    # would otherwise be allowed to open this process's /proc/<pid>/mem and run code outside its namespace.
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    os.write(report_fd, b'{"namespaced": true}\n')
    # The grader now puts this process into the submission's cgroup and sets user.max_user_namespaces
    # to 0 in its user namespace (no_nested_userns.py); "go" comes after that (EOF: not to run).
    if os.read(go_fd, 16) != b"go":
        os._exit(0)
    os.close(go_fd)
    if libc.unshare(CLONE_NEWUSER) == 0:  # as bwrap checks after --disable-userns
        raise RuntimeError("user namespaces below the kernel's are not disabled; not starting it")
    _drop_capabilities()  # this process needs none from here on (the kernel drops its own again)
    kernel = os.fork()
    if kernel == 0:
        os.close(report_fd)
        _kernel(request, kernel_args)  # never returns
    os.write(report_fd, json.dumps({"kernel": kernel}).encode() + b"\n")
    os.close(report_fd)
    _pid, status = os.waitpid(kernel, 0)
    sys.stdout.flush()
    os._exit(max(0, os.waitstatus_to_exitcode(status)) & 0xFF)


def _drop_capabilities() -> None:
    """The capabilities a new user namespace gives its first process, all dropped.

    First from the bounding set (which needs CAP_SETPCAP, so before the rest), so nothing can bring
    them back; then capset to zero; then no_new_privs.
    """
    import ctypes

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    libc = _libc()
    for cap in range(64):
        if libc.prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1 and libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), f"could not drop capability {cap} from the bounding set")
    header = Header(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (Data * 2)()
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "could not set no_new_privs")


def _kernel(request: dict, kernel_args: list[str]) -> None:
    """(the kernel, pid 1 of its namespace) Start IPKernelApp with the submission's connection file."""
    code = 1
    try:
        os.setsid()  # pid 1's own group: the kernel's interrupt (killpg of its group) stays inside
        _libc().prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # as a plain kernel (the flag was copied from the child)
        _drop_capabilities()  # already none (the child dropped them): checked again where student code runs
        signal.signal(signal.SIGINT, signal.default_int_handler)
        # As pid 1 of its namespace the kernel ignores a signal it has no handler for, so SIGTERM (the
        # kernel manager's second step of a shutdown) would do nothing; it ends the kernel, as a plain one's.
        signal.signal(signal.SIGTERM, lambda *_: os._exit(128 + signal.SIGTERM))
        os.environ["COURSE_STUDENT_ID"] = str(request.get("student_id") or "")
        from ipykernel.kernelapp import IPKernelApp
        from ipykernel.kernelbase import Kernel

        Kernel._process_children = staticmethod(_process_children_here)  # see its docstring
        sys.argv = ["ipykernel_launcher", *[str(a) for a in request["arguments"]], *kernel_args]
        IPKernelApp.launch_instance(argv=sys.argv[1:])
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:  # noqa: BLE001 - shown in the kernel's output
        traceback.print_exc()
    finally:
        # The process's own streams, not ipykernel's: flushing those waits for the IOPub thread, which the
        # shutdown has stopped (each kernel then lived until the kernel manager killed it, 5 s later).
        try:
            for stream in (sys.__stdout__, sys.__stderr__):
                if stream is not None:
                    stream.flush()
        finally:
            os._exit(code)


class _ChildHere:
    """(the kernel) A process the kernel started, named by its pid in the kernel's namespace."""

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def __repr__(self) -> str:
        return f"<process {self.pid} of the kernel's namespace>"

    def _signal(self, signum: int) -> None:
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def terminate(self) -> None:
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        self._signal(signal.SIGKILL)


def _process_children_here() -> list[_ChildHere]:
    """(the kernel) ipykernel's `Kernel._process_children` for a kernel that is pid 1 of its own namespace.

    /proc here is the template's PID namespace (bwrap's mount), not the kernel's. ipykernel reads the
    children of /proc/<its pid, 1> there, which are the template's processes, and signals them by those
    numbers, which here name the kernel's own threads or processes: at shutdown it then waited for
    "children" that never end, until the kernel manager sent SIGTERM 2.5 s later (one kernel in six).
    Here /proc/self is the kernel as the template's namespace numbers it; its descendants are found by
    their parent there and named by their pid in this namespace (the last of NSpid), in the kernel's
    process group as ipykernel's own.
    """
    try:
        me = int(os.readlink("/proc/self"))
    except (OSError, ValueError):
        return []
    table = proctable.read()
    group = os.getpgrp()
    found = []
    for pid, (_parent, ns_pids) in sorted(table.items()):
        if pid == me or not proctable.descends_from(table, pid, me):
            continue
        here = ns_pids[-1]
        try:
            if os.getpgid(here) == group:
                found.append(_ChildHere(here))
        except OSError:
            continue
    return found


def main(argv: list[str] | None = None) -> None:
    serve(list(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    main()
