"""The guard inside a grading kernel (an IPython extension loaded by the launcher).

Before every cell it puts back the builtins and the ``course.checks`` helpers as they were when the
kernel started, so an answer cell that patches them (``builtins.len = ...``, ``checks.close =
lambda *a, **k: True``) cannot make a later test cell pass. A determined student can still undo the
guard; course/grading/isolation/scan.py flags that kind of code for the instructor.
"""

from __future__ import annotations

import os
import sys

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
