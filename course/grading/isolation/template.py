"""A template kernel: one process per grading worker, inside the sandbox, that every submission's kernel is forked from.

Starting a kernel and importing pandas, matplotlib, ipywidgets and `course` is most of what a short
notebook costs, and it is the same work for every submission. The template does it once, then
forks a fresh child per submission (copy-on-write, like PrairieLearn's Python zygote), and the
child starts ipykernel's IPKernelApp with the submission's connection file. The template never
creates a zmq context or a thread, and never runs any student code.

Run as the kernel command behind bwrap and the launcher (``python -I -m course.grading.isolation.template``,
started by `Template`): the launcher has already switched to the sandbox uid, set the rlimits and
appended the guard's arguments, which the template passes on to each kernel. The grader drives
it over a SOCK_SEQPACKET socket on fd 0, one JSON message at a time:

    {"op": "start", "arguments": [ipykernel's arguments: -f connection file, ...], "student_id": id}
        + one descriptor for the kernel's output
        -> {"ok": true, "pid": child, "kernel": kernel pid}   (pids as the template sees them)
    {"op": "poll"}  -> {"status": null while it runs, else its exit code}
    {"op": "signal", "signum": n} -> {"ok": true}
    {"op": "end"}   -> {"ok": true} once every process but the template is gone and /tmp, /dev/shm
                       and the work folder are empty (checker._end_leftovers, the warm checker's sweep)

Each child enters a new user and PID namespace before it forks the kernel, so the kernel is pid 1
of a namespace of its own: it cannot name the template (or anything else outside) to signal it, and
when it ends, the kernel kills every process left in its namespace. The template is not dumpable,
so no process of the same uid can ptrace it or read its memory. THREAT_MODEL.md, "Forked kernels".
"""

from __future__ import annotations

import json
import os
import signal
import sys
import traceback

# What the course's notebooks import (and what a kernel imports to start), nothing student-specific.
# No data is loaded here: every read of data/ happens in the submission's own kernel, as with plain kernels.
PRELOAD = (
    "numpy", "pandas", "pyarrow", "matplotlib", "matplotlib.pyplot", "matplotlib_inline.backend_inline",
    "ipywidgets", "IPython", "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.comm",
    "course", "course.data", "course.checks", "course.plots", "course.widgets", "course.personal",
    "course.china", "course.health", "course.climate", "course.institutions", "course.north_korea", "course.capstone",
    "course.grading.exchange", "course.grading.isolation.guard",
)

CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
PR_SET_DUMPABLE = 4
PR_SET_NO_NEW_PRIVS = 38


def preload() -> None:
    # The backend ipykernel would choose, set before matplotlib is imported (ipykernel's kernelapp does the same).
    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    for module in PRELOAD:
        try:
            __import__(module)
        except ImportError:
            pass


def _libc():
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def serve(kernel_args: list[str]) -> None:
    """Answer the grader's messages on fd 0 until it closes the socket (or dies)."""
    import socket

    from ..checker import _end_leftovers, _not_dumpable

    preload()
    _not_dumpable()
    control = socket.socket(fileno=0)
    control.sendall(json.dumps({"ready": True, "pid": os.getpid()}).encode())
    child: int | None = None
    kernel: int | None = None
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
                _end(child, kernel)
                _end_leftovers(child, True)
            status = None
            if len(fds) != 1:
                reply = {"ok": False, "error": "start needs one descriptor (the kernel's output)"}
            else:
                child, kernel, error = _fork_kernel(control, request, fds[0], kernel_args)
                reply = {"ok": True, "pid": child, "kernel": kernel} if error is None else {"ok": False, "error": error}
                if error is not None:
                    child = kernel = None
        elif op == "poll":
            if child is not None and status is None:
                status = _reaped(child, block=False)
            reply = {"status": status if child is not None else 0}
        elif op == "signal":
            if kernel is not None and status is None:
                try:
                    os.kill(kernel, int(request.get("signum", signal.SIGKILL)))
                except OSError:
                    pass
        elif op == "end":
            if child is not None:
                _end(child, kernel)
                _end_leftovers(child, True)
            child = kernel = status = None
        else:
            reply = {"ok": False, "error": f"unknown op {op!r}"}
        for fd in fds:
            try:
                os.close(fd)
            except OSError:
                pass
        control.sendall(json.dumps(reply).encode())


def _reaped(child: int, *, block: bool) -> int | None:
    try:
        pid, status = os.waitpid(child, 0 if block else os.WNOHANG)
    except ChildProcessError:
        return -1
    return os.waitstatus_to_exitcode(status) if pid else None


def _end(child: int, kernel: int | None) -> None:
    """Kill the kernel (pid 1 of its namespace: every process in it dies with it) and its parent; reap."""
    for pid in (kernel, child):
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    _reaped(child, block=True)


def _fork_kernel(control, request: dict, output_fd: int, kernel_args: list[str]) -> tuple[int | None, int | None, str | None]:
    """Fork the child that starts this submission's kernel; (child pid, kernel pid, None) or an error."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            os.close(read_end)
            control.close()
            _child(request, output_fd, write_end, kernel_args)
        except BaseException:  # noqa: BLE001 - the reason goes to the kernel's output and the pipe
            try:
                os.write(write_end, json.dumps({"error": traceback.format_exc()[-500:]}).encode())
            except OSError:
                pass
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        answer = pipe.read()
    try:
        found = json.loads(answer or b"{}")
    except ValueError:
        found = {}
    if "kernel" not in found:
        _end(pid, None)
        return None, None, str(found.get("error") or "the forked child ended before its kernel started")
    return pid, int(found["kernel"]), None


def _child(request: dict, output_fd: int, report_fd: int, kernel_args: list[str]) -> None:
    """(forked child) Enter a new user and PID namespace, fork the kernel, report its pid, wait for it."""
    libc = _libc()
    os.setsid()  # its own session and process group, away from the template's
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    os.close(output_fd)
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWPID) != 0:
        import ctypes

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
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    kernel = os.fork()
    if kernel == 0:
        os.close(report_fd)
        _kernel(request, kernel_args)  # never returns
    os.write(report_fd, json.dumps({"kernel": kernel}).encode())
    os.close(report_fd)
    _pid, status = os.waitpid(kernel, 0)
    sys.stdout.flush()
    os._exit(max(0, os.waitstatus_to_exitcode(status)) & 0xFF)


def _drop_capabilities() -> None:
    """The capabilities a new user namespace gives its first process, all dropped (capset to zero)."""
    import ctypes

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    libc = _libc()
    header = Header(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (Data * 2)()
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")
    for cap in range(64):  # and from the bounding set, so nothing can bring them back
        libc.prctl(24, cap, 0, 0, 0)  # PR_CAPBSET_DROP
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)


def _kernel(request: dict, kernel_args: list[str]) -> None:
    """(the kernel, pid 1 of its namespace) Start IPKernelApp with the submission's connection file."""
    code = 1
    try:
        os.setsid()  # pid 1's own group: the kernel's interrupt (killpg of its group) stays inside
        _drop_capabilities()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.environ["COURSE_STUDENT_ID"] = str(request.get("student_id") or "")
        from ipykernel.kernelapp import IPKernelApp

        sys.argv = ["ipykernel_launcher", *[str(a) for a in request["arguments"]], *kernel_args]
        IPKernelApp.launch_instance(argv=sys.argv[1:])
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:  # noqa: BLE001 - shown in the kernel's output
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def main(argv: list[str] | None = None) -> None:
    serve(list(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    main()
