"""The trusted checker: runs the test cells (public checks and hidden tests) on the student's values.

The student's kernel never runs a test cell. In the notebook it executes, each test cell is replaced
by an export step (`export_source`) that sends the values the test cell reads out as plain data
(course/grading/exchange.py). This module, run as ``python -I -m course.grading.checker`` in a fresh
(sandboxed) process that never ran student code, reads one JSON request on stdin:

    {"timeout": seconds per cell,
     "cells": [{"index": i, "source": test cell source, "execution_count": n,
                "names": [names it reads], "payload": what the export step displayed}, ...]}

and runs every test cell, in notebook order, in one namespace holding the decoded values and the
modules the checker imports itself. It answers on stdout with each cell's outputs as IPython would
show them (stdout, the last expression's value, and an error output with ename, evalue and a
traceback that names the failing line but never quotes source, so a hidden expected value cannot
leak through a traceback). The grader writes those outputs into the notebook nbgrader scores.

The reading of names (`reads`) runs in the grader, on the test cell's source.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import functools
import io
import json
import os
import signal
import sys
import traceback
from typing import Any

from .. import NOTEBOOK_MODULES
from . import exchange

EXPORT_MARKER = "# [grader] values for the test of this question (the test runs in the grader's checker)"

# BENCHMARK ONLY, NOT FOR REAL GRADING: with this variable set to 1, `make_config` grades the old way
# (test cells in the student's kernel, where student code can forge scores; THREAT_MODEL.md), so that
# benchmarks/autograde.py can measure what the checker costs. Refused under CI=true.
TESTS_IN_KERNEL_FOR_BENCHMARK = "COURSE_BENCHMARK_TESTS_IN_KERNEL"


def tests_in_kernel_for_benchmark() -> bool:
    """True when the benchmark asked for the old, unsafe path (a loud warning on stderr each time)."""
    if os.environ.get(TESTS_IN_KERNEL_FOR_BENCHMARK) != "1":
        return False
    if os.environ.get("CI", "").lower() == "true":
        raise RuntimeError(f"{TESTS_IN_KERNEL_FOR_BENCHMARK}=1 is a benchmark switch; it is refused in CI")
    print(f"[grader] {TESTS_IN_KERNEL_FOR_BENCHMARK}=1: test cells run in the STUDENT'S KERNEL (benchmark only; "
          "scores can be forged this way, never grade real submissions like this)", file=sys.stderr, flush=True)
    return True
RED, GREEN, CYAN, RESET = "\x1b[0;31m", "\x1b[0;32m", "\x1b[0;36m", "\x1b[0m"


# --------------------------------------------------------------------------------------------
# Reading a cell's source (grader side)


class _Reads(ast.NodeVisitor):
    """Names loaded by one statement, except those bound by its own comprehensions, lambdas, defs."""

    def __init__(self) -> None:
        self.loads: list[str] = []
        self.local: list[set[str]] = []

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, (ast.Load, ast.Del)):
            if not any(node.id in scope for scope in self.local):
                self.loads.append(node.id)

    def _scoped(self, bound: set[str], children: list[ast.AST]) -> None:
        self.local.append(bound)
        for child in children:
            self.visit(child)
        self.local.pop()

    def _comprehension(self, node) -> None:
        bound = {n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
        self.visit(node.generators[0].iter)  # evaluated in the enclosing scope
        rest = [node.generators[0].target, *node.generators[0].ifs, *node.generators[1:]]
        rest += [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        self._scoped(bound, rest)

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _comprehension

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for default in [*node.args.defaults, *(d for d in node.args.kw_defaults if d)]:
            self.visit(default)
        self._scoped(_arguments(node.args), [node.body])

    def _function(self, node) -> None:
        for child in [*node.decorator_list, *node.args.defaults, *(d for d in node.args.kw_defaults if d)]:
            self.visit(child)
        bound = _arguments(node.args) | {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        self._scoped(bound, node.body)

    visit_FunctionDef = visit_AsyncFunctionDef = _function


def _arguments(args: ast.arguments) -> set[str]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, *filter(None, [args.vararg, args.kwarg])]
    return {a.arg for a in every}


def _stores(stmt: ast.stmt) -> set[str]:
    """Names a top-level statement binds in the cell's namespace."""
    found: set[str] = set()
    pending: list[ast.AST] = [stmt]
    while pending:  # like ast.walk, but not into nested scopes (their names are local)
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
            continue
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name != "*"}
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            found.add(node.name)
        pending.extend(ast.iter_child_nodes(node))
    return found


def parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except SyntaxError:
        pass
    try:  # IPython syntax (magics, `!`)
        from IPython.core.inputtransformer2 import TransformerManager

        return ast.parse(TransformerManager().transform_cell(source))
    except Exception:  # noqa: BLE001 - a cell that does not parse binds nothing we can know
        return None


def reads(source: str) -> list[str]:
    """Free names of a cell: read before the cell assigns them, not builtins, in order of first use."""
    return list(_reads(source))


def binds(source: str) -> set[str]:
    """Names a (student or locked) cell binds at top level."""
    return set(_binds(source))


def named_strings(source: str) -> list[str]:
    """String constants that are identifiers (a test may read ``globals()[name]``)."""
    return list(_named_strings(source))


# The three analyses are pure functions of a cell's source, and a grading worker meets the same
# test and locked cells in every submission of an assignment: each source is parsed once (the
# callers get fresh lists and sets, which they may change).
@functools.lru_cache(maxsize=2048)
def _reads(source: str) -> tuple[str, ...]:
    tree = parse(source)
    if tree is None:
        return ()
    assigned: set[str] = set()
    free: list[str] = []
    for stmt in tree.body:
        visitor = _Reads()
        visitor.visit(stmt)
        for name in visitor.loads:
            if name not in assigned and name not in free and not hasattr(builtins, name):
                free.append(name)
        assigned |= _stores(stmt)
    return tuple(free)


@functools.lru_cache(maxsize=2048)
def _binds(source: str) -> frozenset[str]:
    tree = parse(source)
    return frozenset().union(*(_stores(stmt) for stmt in tree.body)) if tree else frozenset()


@functools.lru_cache(maxsize=2048)
def _named_strings(source: str) -> tuple[str, ...]:
    tree = parse(source)
    if tree is None:
        return ()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and exchange.is_identifier(node.value) and node.value not in found:
            found.append(node.value)
    return tuple(found)


def names_to_export(test_source: str, notebook_binds: set[str]) -> list[str]:
    """What the kernel must send for this test cell.

    Its free names, plus identifier strings that some non-test cell binds (``globals().get("x")``):
    only names the kernel's own code defines are named in the kernel's notebook, so no string of a
    hidden test (an expected country, a year) is shown to the kernel.
    """
    names = reads(test_source)
    names += [s for s in named_strings(test_source) if s in notebook_binds and s not in names and not hasattr(builtins, s)]
    return names


def export_source(names: list[str]) -> str:
    """The cell the kernel runs in place of a test cell."""
    return (f"{EXPORT_MARKER}\n"
            f"__import__('course.grading.exchange', fromlist=['export']).export(globals(), {names!r})\n")


# --------------------------------------------------------------------------------------------
# Running test cells (checker process)


class CellTimeout(Exception):
    pass


def _on_alarm(_signum, _frame):
    raise CellTimeout("the test took longer than the per-cell timeout")


def _traceback(error: BaseException, count: int | None, filename: str) -> list[str]:
    """What IPython shows, without the source lines (they may hold hidden expected values)."""
    render = getattr(error, "_render_traceback_", None)
    if callable(render):
        try:
            lines = render()
            if isinstance(lines, list) and all(isinstance(line, str) for line in lines):
                return lines
        except Exception:  # noqa: BLE001 - fall back to the standard form
            pass
    name = type(error).__name__
    lines = [f"{RED}{'-' * 75}{RESET}", f"{RED}{name}{RESET}{' ' * max(1, 42 - len(name))}Traceback (most recent call last)"]
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == __file__:
            continue
        if frame.filename == filename:
            lines.append(f"Cell {GREEN}In[{count}], line {frame.lineno}{RESET}")
        else:
            lines.append(f"File {GREEN}{frame.filename}:{frame.lineno}{RESET}, in {CYAN}{frame.name}{RESET}")
    lines.append(f"{RED}{name}{RESET}: {error}")
    return lines


def _error_output(error: BaseException, count: int | None, filename: str) -> dict:
    return {"output_type": "error", "ename": type(error).__name__, "evalue": str(error),
            "traceback": _traceback(error, count, filename)}


def run_cell(source: str, namespace: dict, count: int | None, timeout: int) -> list[dict]:
    """Run one test cell in ``namespace``; its outputs in nbformat's shape."""
    filename = f"<test cell {count}>"
    outputs: list[dict] = []
    stdout, stderr = io.StringIO(), io.StringIO()
    value = None
    try:
        tree = ast.parse(source, filename)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        body = compile(tree, filename, "exec")
        tail = compile(ast.Expression(last.value), filename, "eval") if last is not None else None
    except SyntaxError as error:
        return [_error_output(error, count, filename)]
    show_value = tail is not None and not source.rstrip().endswith(";")
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(max(1, int(timeout)))
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            exec(body, namespace)  # noqa: S102 - the instructor's test cell, in the checker
            if tail is not None:
                value = eval(tail, namespace)  # noqa: S307
        error = None
    except BaseException as caught:  # noqa: BLE001 - any failure of a test is its result
        error = caught
    finally:
        signal.alarm(0)
    if stdout.getvalue():
        outputs.append({"output_type": "stream", "name": "stdout", "text": stdout.getvalue()})
    if stderr.getvalue():
        outputs.append({"output_type": "stream", "name": "stderr", "text": stderr.getvalue()})
    if error is not None:
        outputs.append(_error_output(error, count, filename))
    elif show_value and value is not None:
        outputs.append({"output_type": "execute_result", "execution_count": count, "metadata": {},
                        "data": {"text/plain": repr(value)}})
    return outputs


def run(request: dict) -> list[dict]:
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
    timeout = int(request.get("timeout") or 30)
    if "student_id" in request:  # whose parameters the hidden tests use (course/personal.py); set by the grader
        os.environ["COURSE_STUDENT_ID"] = str(request["student_id"])
    results = []
    for cell in request["cells"]:
        names = [n for n in cell["names"] if exchange.is_identifier(n) and not n.startswith("__")]
        values, problems = exchange.decode_values(cell.get("payload"), names)
        for name in names:  # a name the kernel no longer has must not keep an earlier cell's value
            namespace.pop(name, None)
        namespace.update(values)
        outputs = run_cell(cell["source"], namespace, cell.get("execution_count"), timeout)
        results.append({"index": cell["index"], "outputs": outputs, "problems": problems})
    return results


# Modules test cells use, imported before any request comes: by a one-shot checker while the
# student's kernel runs, by a warm checker once, before its first child. The notebooks' course modules
# too: a test cell that reads one (a module the student imported) has the checker import it, and each
# child would otherwise import it again (course.north_korea brings matplotlib: 0.5 s per submission).
WARM_MODULES = ("pandas", "numpy", "pyarrow.parquet", *NOTEBOOK_MODULES, *exchange.TOP_MODULES)


def _import_warm_modules() -> None:
    for module in WARM_MODULES:
        try:
            __import__(module)
        except ImportError:
            pass


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--serve"]:
        serve(sweep="--sweep" in argv)
        return
    out = sys.stdout
    _import_warm_modules()
    request = json.load(sys.stdin)
    results = run(request)
    out.write(json.dumps({"results": results}))
    out.flush()


# --------------------------------------------------------------------------------------------
# A warm checker: one process per grading worker, a fresh child of it per submission
#
# Importing pandas, numpy and pyarrow is most of what a one-shot checker costs (about a CPU second
# per submission). A warm checker imports them once, then never reads a request itself: for each
# submission it forks a child, a copy of its own untouched state, and the child alone receives the
# values, runs the test cells and answers. Once the child has ended, every process it left is killed
# and (in the sandbox) the writable folders are emptied, so the next child starts as the first did.
# Why that is as safe as a new process per submission: THREAT_MODEL.md, "The warm checker".


def serve(*, sweep: bool) -> None:
    """(warm checker) Fork one child per message on the control socket (fd 0) until it closes.

    Each message carries two descriptors: a socket for the child's request and answer, and a file
    for its stderr. The reply is the child's exit status, sent after the child and everything it
    left behind have ended. ``sweep``: this process has a PID namespace and a /tmp of its own (the
    sandbox), so every other process in it is killed and /tmp, /dev/shm and the work folder are
    emptied after each child.
    """
    import socket

    _import_warm_modules()
    # Each hidden test's read of data/ then gets a copy of the parsed table (0.2 s per submission saved).
    from course import data

    data.keep_parsed_copies()
    _not_dumpable()
    control = socket.socket(fileno=0)
    while True:
        try:
            message, fds, _flags, _address = socket.recv_fds(control, 16, 2)
        except OSError:
            return
        if not message:
            return  # the grader closed its end (or died)
        if len(fds) != 2:
            for fd in fds:
                os.close(fd)
            control.sendall(json.dumps({"status": -1}).encode())
            continue
        pid = os.fork()
        if pid == 0:  # the child: nothing of the request has been read before this point
            code = 70
            try:
                control.close()
                os.setsid()  # its own process group: whatever it starts is killed with it
                _child(*fds)
                code = 0
            except BaseException:  # noqa: BLE001 - reported through stderr and the exit status
                traceback.print_exc()
                sys.stderr.flush()
            finally:
                os._exit(code)
        for fd in fds:
            os.close(fd)
        _pid, status = os.waitpid(pid, 0)
        _end_leftovers(pid, sweep)
        control.sendall(json.dumps({"status": os.waitstatus_to_exitcode(status)}).encode())


def _child(data_fd: int, stderr_fd: int) -> None:
    import socket

    os.dup2(stderr_fd, 2)
    os.close(stderr_fd)
    with socket.socket(fileno=data_fd) as connection:
        chunks = []
        while chunk := connection.recv(1 << 20):
            chunks.append(chunk)
        results = run(json.loads(b"".join(chunks)))
        connection.sendall(json.dumps({"results": results}).encode())
    sys.stderr.flush()


def _not_dumpable() -> None:
    """(Linux) No process of the same uid (a later child) may ptrace this one or read its memory."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE, 0
    except (OSError, AttributeError):
        pass


def _end_leftovers(child: int, sweep: bool) -> None:
    """Kill what the child left running; in the sandbox, everything but this process and its init."""
    try:
        os.killpg(child, signal.SIGKILL)
    except OSError:
        pass
    if sweep:
        me = os.getpid()
        for _ in range(1000):
            others = [pid for pid in _live_pids() if pid not in (1, me)]
            if not others:
                break
            for pid in others:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        for folder in ("/tmp", "/dev/shm"):
            _empty(folder)
        os.makedirs("/tmp/home", exist_ok=True)  # the launcher's HOME for this process
    # The work folder by its relative name: in the sandbox its parents may not be traversable.
    _empty(".")


def _live_pids() -> list[int]:
    """Processes in this PID namespace that are not zombies (init reaps those)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat:
                    state = stat.read().rsplit(b")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if state not in (b"Z", b"X"):
                found.append(int(entry))
    return found


def _empty(folder: str) -> None:
    import shutil

    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
        except OSError:
            pass


class WarmChecker:
    """(grader) A warm checker process and its control socket, as started by `warm_checker`."""

    def __init__(self, command: list[str], workdir: str, options: dict, sweep: bool) -> None:
        import socket
        import subprocess

        self.command = command
        self.workdir = workdir
        self.env = dict(options.get("env", os.environ))  # what it was started with (reuse needs the same)
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with theirs:
            self.process = subprocess.Popen([*command, "--serve", *(["--sweep"] if sweep else [])], stdin=theirs,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=workdir, **options)

    def alive(self) -> bool:
        return self.process.poll() is None and os.path.isdir(self.workdir)

    def close(self) -> None:
        self.control.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def run(self, request: dict) -> list[dict]:
        """Results of ``request`` from a fresh child; CheckerError if it fails or overruns."""
        import socket
        import tempfile
        import time

        from .isolation.execute import CheckerError

        limit = (request.get("timeout") or 30) * max(1, len(request["cells"])) + 60
        deadline = time.monotonic() + limit
        mine, theirs = socket.socketpair()
        with mine, tempfile.TemporaryFile() as errors:
            try:
                with theirs:
                    socket.send_fds(self.control, [b"run"], [theirs.fileno(), errors.fileno()])
                mine.settimeout(limit)
                mine.sendall(json.dumps(request).encode())
                mine.shutdown(socket.SHUT_WR)
                chunks = []
                while True:
                    mine.settimeout(max(0.1, deadline - time.monotonic()))
                    chunk = mine.recv(1 << 20)
                    if not chunk:
                        break
                    chunks.append(chunk)
                self.control.settimeout(max(5.0, deadline - time.monotonic()))
                status = json.loads(self.control.recv(4096) or b"{}").get("status")
            except TimeoutError:
                self.close()
                raise CheckerError(f"the grader's checker took longer than {limit} s") from None
            except (OSError, ValueError) as error:
                self.close()
                raise CheckerError(f"the grader's warm checker failed ({type(error).__name__}: {error})") from None
            if status is None:
                self.close()
                raise CheckerError("the grader's warm checker ended before it answered")
            if status != 0:
                errors.seek(0)
                last = (errors.read().decode(errors="replace").strip().splitlines() or ["no message"])[-1]
                raise CheckerError(f"the grader's checker failed (exit {status}): {last[:300]}")
        try:
            return json.loads(b"".join(chunks))["results"]
        except (ValueError, KeyError) as error:
            raise CheckerError(f"the grader's checker answered something unreadable ({error})") from None


_warm: WarmChecker | None = None


def warm_checker(sandbox, base: str | None) -> WarmChecker:
    """This process's warm checker for ``sandbox`` (an isolation.policy.SandboxPlan, or None: no sandbox);
    started when there is none, it died, or its sandbox differs.

    The sandbox is the same when the command and the environment are (same file tree, uid, limits,
    data folder): then the process is reused for the next submission. ``base``: the submission's job
    folder; the warm checker's work folder goes beside it (the grading run's scratch folder).
    """
    import atexit
    import tempfile

    from .isolation.bwrap import checker_command, spawn_options

    global _warm
    mode = sandbox.mode if sandbox is not None else None
    options = spawn_options(sandbox) if mode else {}
    # The student's id reaches each child in its request, so the warm process is the same for every student.
    env = dict(options.get("env", os.environ))
    env.pop("COURSE_STUDENT_ID", None)
    options = {**options, "env": env}
    if _warm is not None:
        if (_warm.alive() and checker_command(sandbox, _warm.workdir) == _warm.command
                and dict(options.get("env", os.environ)) == _warm.env):
            return _warm
        _warm.close()
        _warm = None
    parent = os.path.dirname(os.path.realpath(base)) if base else None
    workdir = tempfile.mkdtemp(prefix="course-checker-warm-", dir=parent)
    if sandbox is not None and sandbox.uid is not None:
        os.chown(workdir, sandbox.uid, sandbox.uid)
        os.chmod(workdir, 0o711)
    _warm = WarmChecker(checker_command(sandbox, workdir), workdir, options, sweep=mode == "bwrap")
    atexit.register(_close_warm, _warm)
    return _warm


def _close_warm(warm: WarmChecker) -> None:
    import shutil

    warm.close()
    shutil.rmtree(warm.workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
