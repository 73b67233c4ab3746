"""Start a grading kernel with the rights of a student, not of the grader.

Run as ``python -I -m course.grading.kernel_launcher [options] -- <kernel command>`` inside the bubblewrap
sandbox (course/grading/sandbox.py builds the command), or directly when bwrap is missing. It:

1. when started as root with ``--uid`` (bwrap run by a root grader gives it CAP_SETUID and CAP_SETGID
   only), switches to that unprivileged uid; it runs as ``python -I`` from a fresh work folder, so
   nothing of the submission can be imported before the switch. Root in the sandbox could otherwise
   remount what hides the grader's files, and the kernel never enforces RLIMIT_NPROC for root;
2. sets resource limits (address space, CPU time, file size, processes, no core dumps);
3. keeps only harmless environment variables (the grader's may hold database URLs or tokens);
4. execs the kernel command.

It is also an IPython extension (``load_ipython_extension``): before every cell it puts back the
builtins and the ``course.checks`` helpers as they were when the kernel started, so an answer cell
that patches them (``builtins.len = ...``, ``checks.close = lambda *a, **k: True``) cannot make a
later test cell pass. A determined student can still undo the guard; course/grading/integrity.py
flags that kind of code for the instructor.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys

# Environment variables a kernel may see; everything else of the grader's environment is dropped.
KEPT_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "NBGRADER_EXECUTION", "PYTHONHASHSEED", "MPLBACKEND",
            "COURSE_DATA_DIR", "COURSE_SOLUTIONS_DIR", "COURSE_NOTEBOOKS_DIR", "COURSE_SANDBOX",
            "COURSE_STUDENT_ID")
# One thread per numeric library: predictable CPU use under two workers and less address space
# reserved per thread (RLIMIT_AS counts reservations, not use). Same for glibc's malloc arenas.
KERNEL_ENV = {
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2",
    "PYTHONDONTWRITEBYTECODE": "1",
}


def parse(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    if "--" not in argv:
        raise SystemExit("usage: kernel_launcher [options] -- <kernel command>")
    split = argv.index("--")
    parser = argparse.ArgumentParser(prog="kernel_launcher")
    parser.add_argument("--uid", type=int, default=None, help="switch to this uid/gid when started as root")
    parser.add_argument("--home", default=None, help="HOME for the kernel (a writable scratch folder)")
    parser.add_argument("--memory", type=int, required=True, help="RLIMIT_AS in bytes")
    parser.add_argument("--cpu", type=int, required=True, help="RLIMIT_CPU in seconds")
    parser.add_argument("--fsize", type=int, required=True, help="RLIMIT_FSIZE in bytes")
    parser.add_argument("--nproc", type=int, required=True, help="RLIMIT_NPROC (processes and threads)")
    parser.add_argument("--no-guard", action="store_true", help="the command is not a kernel (the grader's checker)")
    return parser.parse_args(argv[:split]), argv[split + 1:]


def drop_privileges(uid: int) -> None:
    """Become ``uid`` (this clears every capability). The grader already gave it the writable folders."""
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    if os.getuid() != uid or os.geteuid() != uid:
        raise SystemExit("kernel_launcher: could not drop root privileges; refusing to run student code as root")


def set_limits(memory: int, cpu: int, fsize: int, nproc: int) -> None:
    def limit(kind: int, value: int) -> None:
        _, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(kind, (value, value))

    limit(resource.RLIMIT_AS, memory)
    # SIGXCPU at the soft limit ends a process that burns CPU forever (a fork bomb's children too).
    limit(resource.RLIMIT_CPU, cpu)
    limit(resource.RLIMIT_FSIZE, fsize)
    limit(resource.RLIMIT_NPROC, nproc)
    limit(resource.RLIMIT_CORE, 0)


def kernel_env(home: str | None) -> dict[str, str]:
    env = {key: os.environ[key] for key in KEPT_ENV if key in os.environ}
    env.update(KERNEL_ENV)
    if home:
        env["HOME"] = home
        env["MPLCONFIGDIR"] = os.path.join(home, ".matplotlib")
        env["IPYTHONDIR"] = os.path.join(home, ".ipython")
    # JPY_PARENT_PID is dropped on purpose: in a new PID namespace that pid does not exist and
    # ipykernel would exit at once (docs/toolchain.md).
    return env


def main(argv: list[str] | None = None) -> None:
    options, command = parse(list(sys.argv[1:] if argv is None else argv))
    if not command:
        raise SystemExit("kernel_launcher: no kernel command after --")
    if options.uid is not None and os.geteuid() == 0:
        drop_privileges(options.uid)
    if options.home:
        os.makedirs(options.home, exist_ok=True)  # after the switch, so the kernel owns it
    set_limits(options.memory, options.cpu, options.fsize, options.nproc)
    if not options.no_guard:
        # Load the guard below into the kernel (an IPython extension of this same module).
        # and never put the working folder (the submission's files) on sys.path.
        command = [*command, "--InteractiveShellApp.extensions=course.grading.kernel_launcher",
                   "--InteractiveShellApp.ignore_cwd=True"]
    os.execve(command[0], command, kernel_env(options.home))


# --------------------------------------------------------------------------------------------
# The guard (runs inside the kernel)


TEST_CELL_MARKER = "# [grader] test cell"
# Methods of the IPython shell an answer cell could replace on the instance to skip or rewrite tests.
SHELL_METHODS = ("run_cell", "run_cell_async", "_run_cell", "transform_cell", "run_code", "run_ast_nodes",
                 "showtraceback", "_showtraceback", "should_run_async")


class _Guard:
    """Snapshot builtins, course.checks and the shell when the kernel starts; put them back around cells.

    Restoring runs before AND after every cell: IPython transforms a cell's text before the
    pre-run hook, so a transformer installed by an answer must be gone by the end of that answer.
    Before a test cell (marked by the grader's SandboxedExecute) the student's own names that
    shadow builtins (``sorted = lambda *a: [2003, 2004]``) are set aside, and put back after it.
    """

    def __init__(self, shell) -> None:
        import builtins

        from course import checks

        self.shell = shell
        self.builtins = builtins
        self.builtins_snapshot = dict(vars(builtins))
        self.checks = checks
        self.checks_snapshot = dict(vars(checks))
        # A patch can also swap a function's code in place; keep the originals.
        self.code = {
            name: (value, value.__code__, value.__defaults__, value.__kwdefaults__)
            for name, value in self.checks_snapshot.items()
            if callable(value) and hasattr(value, "__code__")
        }
        self.transformers = {
            name: list(getattr(shell, name))
            for name in ("input_transformers_cleanup", "input_transformers_post", "ast_transformers")
            if hasattr(shell, name)
        }
        self.set_aside: dict[str, object] = {}

    def restore(self) -> None:
        live = vars(self.builtins)
        for name, value in self.builtins_snapshot.items():
            if live.get(name, _MISSING) is not value:
                live[name] = value
        self.shell.user_ns["__builtins__"] = self.builtins
        checks_dict = vars(self.checks)
        for name, value in self.checks_snapshot.items():
            if checks_dict.get(name, _MISSING) is not value:
                checks_dict[name] = value
        for function, code, defaults, kwdefaults in self.code.values():
            if function.__code__ is not code:
                function.__code__ = code
            function.__defaults__ = defaults
            function.__kwdefaults__ = kwdefaults
        sys.modules["course.checks"] = self.checks
        sys.modules["builtins"] = self.builtins
        for name, original in self.transformers.items():
            getattr(self.shell, name)[:] = original
        for name in SHELL_METHODS:
            vars(self.shell).pop(name, None)
        self.shell.custom_exceptions = ()

    def before(self, info=None) -> None:
        self.restore()
        raw = getattr(info, "raw_cell", "") or ""
        if raw.startswith(TEST_CELL_MARKER):
            user_ns = self.shell.user_ns
            for name in list(user_ns):
                if name in self.builtins_snapshot and not name.startswith("__") and user_ns[name] is not self.builtins_snapshot[name]:
                    self.set_aside[name] = user_ns.pop(name)

    def after(self, _result=None) -> None:
        self.restore()
        if self.set_aside:
            for name, value in self.set_aside.items():
                self.shell.user_ns.setdefault(name, value)
            self.set_aside = {}


_MISSING = object()


def _silence_forked_kernel() -> None:
    """A child forked from a cell is a copy of the whole kernel: it must never talk to the grader.

    Without this, each child of `while True: os.fork()` finishes the cell with an error and sends
    its own replies with the kernel's identity; the grader then sees duplicate messages and aborts
    the notebook. Children of multiprocessing keep working, only their output is not shown.
    """
    from jupyter_client.session import Session

    Session.send = lambda *args, **kwargs: None  # type: ignore[method-assign]


def load_ipython_extension(shell) -> None:
    kernel_pid = os.getpid()
    os.register_at_fork(after_in_child=_silence_forked_kernel)

    def end_forked_copy(*_args) -> None:
        if os.getpid() != kernel_pid:  # a forked copy came back to the kernel's loop: end it
            os._exit(0)

    shell.events.register("post_run_cell", end_forked_copy)
    try:
        guard = _Guard(shell)
    except Exception as error:  # noqa: BLE001 - a kernel without the course package still grades
        print(f"[grader] integrity guard not active: {error}", file=sys.__stderr__)
        return
    shell.events.register("pre_run_cell", guard.before)
    shell.events.register("post_run_cell", guard.after)


if __name__ == "__main__":
    main()
