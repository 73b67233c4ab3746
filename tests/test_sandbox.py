"""The autograding sandbox on its own: a tiny notebook run through nbgrader's executor with apply()'s config.

Each test runs a few cells in a sandboxed kernel and reads their outputs. They need bubblewrap; in CI
(CI=true) a missing bwrap fails instead of skipping, so CI never passes on reduced isolation.
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
import threading
from pathlib import Path

import nbformat
import pytest

import system_requirements
from traitlets.config import Config

from course import paths
from course.grading.isolation import execute, policy

pytestmark = [pytest.mark.sandbox, pytest.mark.timeout(180)]


def require_bwrap() -> None:
    system_requirements.require_bwrap("the sandbox tests (student code is never graded unsandboxed)")


class Course:
    """A throwaway course dir with a gradebook, another student's work and this student's folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.gradebook = root / "gradebook.db"
        self.gradebook.write_text("SECRET GRADEBOOK")
        self.other = root / "submitted" / "bob" / "a1" / "a1.ipynb"
        self.other.parent.mkdir(parents=True)
        self.other.write_text("SECRET OTHER STUDENT")
        self.submission = root / "submitted" / "alice" / "a1"
        self.submission.mkdir(parents=True)
        self.cwd = root / "autograded" / "alice" / "a1"
        self.cwd.mkdir(parents=True)

    def run(self, *cells: str | tuple[str, str], timeout: int = 10, env: dict | None = None,
            limits: dict | None = None) -> list[str]:
        """Run cells (a ("test", source) tuple is an nbgrader test cell); return each cell's text output.

        ``limits``: SandboxLimits settings for this run (e.g. a small memory budget)."""
        config = Config()
        for name, value in (limits or {}).items():
            setattr(config.SandboxLimits, name, value)
        config.CourseDirectory.root = str(self.root)
        config.CourseDirectory.db_url = f"sqlite:///{self.gradebook}"
        isolation = execute.apply(config, submission_dir=self.submission, course_dir=self.root, cell_timeout=timeout)
        assert isolation == "bwrap"
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        for cell in cells:
            if isinstance(cell, tuple):
                nb.cells.append(nbformat.v4.new_code_cell(cell[1], metadata={"nbgrader": {
                    "grade": True, "solution": False, "grade_id": f"t{len(nb.cells)}", "points": 1}}))
            else:
                nb.cells.append(nbformat.v4.new_code_cell(cell))
        old = dict(os.environ)
        os.environ.update(env or {})
        try:
            execute.SandboxedExecute(config=config).preprocess(nb, {"metadata": {"path": str(self.cwd)}})
        finally:
            os.environ.clear()
            os.environ.update(old)
        # Forked kernels are the default (COURSE_KERNEL_MODE=plain runs every test here with plain ones):
        # a silent fall back to plain kernels would leave the forked ones untested.
        if os.environ.get(execute.KERNEL_MODE_ENV, "forked") == "forked":
            assert execute.last_kernel_mode == "forked", "the forked kernel mode fell back to plain kernels"
        return [text_of(cell) for cell in nb.cells]


def text_of(cell) -> str:
    parts = []
    for out in cell.outputs:
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}")
        elif "data" in out:
            parts.append(str(out.data.get("text/plain", "")))
    return "\n".join(parts)


@pytest.fixture
def course(tmp_path):
    require_bwrap()
    return Course(tmp_path / "course")


def test_kernel_runs_unprivileged_with_limits_and_a_clean_environment(course):
    out = course.run(
        "import os, resource; print(os.getuid(), os.getcwd())",
        "print([l for l in open('/proc/self/status') if l.startswith('CapEff')][0])",
        "print(resource.getrlimit(resource.RLIMIT_AS)[0], resource.getrlimit(resource.RLIMIT_NPROC)[0])",
        "print(sorted(k for k in os.environ if 'SECRET' in k or k == 'JPY_PARENT_PID'))",
        env={"COURSE_TEST_SECRET_TOKEN": "s3cret"},
    )
    uid, cwd = out[0].split()
    # A fresh work folder, not nbgrader's output folder (nothing the kernel writes is taken back).
    assert Path(cwd).name.startswith("course-work-") and cwd != str(course.cwd)
    if os.geteuid() == 0:
        assert int(uid) != 0, "student code must never run as root"
        assert out[1].split()[1] == "0" * 16, f"capabilities left: {out[1]}"
    assert out[2].split() == [str(policy.MEMORY_BYTES), str(policy.PROCESSES)] or os.geteuid() != 0
    assert out[3].strip() == "[]", "the grader's environment leaked into the kernel"


# Every process of the sandbox: its uids and capability sets, read inside the kernel.
EVERY_PROCESS = """
import os
for pid in sorted(p for p in os.listdir('/proc') if p.isdigit()):
    try:
        status = dict(line.split(':', 1) for line in open(f'/proc/{pid}/status'))
    except OSError:
        continue
    print(pid, status['Name'].strip(), 'uids', *status['Uid'].split(), 'gids', *status['Gid'].split(),
          *(f"{k}={status[k].strip()}" for k in ('CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb')))
"""


def assert_unprivileged(listing: str) -> None:
    lines = listing.strip().splitlines()
    assert lines, "no process listed"
    for line in lines:
        words = line.split()
        uids, gids = words[3:7], words[8:12]
        assert "0" not in uids and "0" not in gids, f"a process of the sandbox runs as root: {line}"
        assert all(word.endswith("=" + "0" * 16) for word in words[12:]), f"a process of the sandbox holds a capability: {line}"


def test_no_process_in_the_sandbox_is_root_or_holds_a_capability(course):
    out = course.run(EVERY_PROCESS, "import subprocess\nprint(subprocess.run(['unshare', '-r', 'id'], capture_output=True, text=True).returncode)")
    assert_unprivileged(out[0])
    assert len(out[0].splitlines()) >= 2, out[0]  # bwrap's init and the kernel
    assert out[1].strip() != "0", "student code could make a user namespace (and hold capabilities in it)"


def test_the_launcher_starts_unprivileged(tmp_path):
    """The launcher's own process (the checker's command line, with a command that reads its status)."""
    require_bwrap()
    import subprocess

    from course.grading.isolation import bwrap

    course = Course(tmp_path / "course")
    config = Config()
    config.CourseDirectory.root = str(course.root)
    plan = policy.make_plan(config, submission_dir=course.submission, course_dir=course.root, cell_timeout=10)
    work = tmp_path / "launcher-work"
    work.mkdir()
    if plan.uid is not None:
        os.chown(work, plan.uid, plan.uid)
    # The launcher execs this command in its own process: what it shows is what the launcher had.
    command = bwrap.bwrap_command(plan, str(work), None, guard=False) + [sys.executable, "-I", "-c", EVERY_PROCESS]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=work, **bwrap.spawn_options(plan))
    assert done.returncode == 0, done.stderr
    assert_unprivileged(done.stdout)
    assert "python" in done.stdout


def require_cgroup() -> None:
    from course.grading.isolation import cgroup

    hierarchy, line = cgroup.find_hierarchy()
    if hierarchy is None:
        pytest.skip(f"the submission budget needs a writable cgroup hierarchy, and this machine has none: {line}")


def leftovers() -> list[str]:
    """Cgroups of this process's kernels still there: one is removed only once every process in it has ended."""
    from course.grading.isolation import cgroup

    hierarchy, _ = cgroup.find_hierarchy()
    return [str(p) for parent in (hierarchy.parents if hierarchy else ()) for p in Path(parent).glob(f"{cgroup.PREFIX}-{os.getpid()}-*")]


def test_memory_of_several_processes_is_one_budget(course):
    require_cgroup()
    budget = 900 * 1024**2
    out = course.run(
        "import os, signal, time\nchildren = []\nfor _ in range(4):\n    pid = os.fork()\n    if pid == 0:\n"
        "        block = b'x' * (300 * 1024**2)\n        time.sleep(3)\n        os._exit(0)\n    children.append(pid)\n"
        "ends = [os.waitpid(pid, 0)[1] for pid in children]\n"
        "print(sum(os.WIFSIGNALED(e) and os.WTERMSIG(e) == signal.SIGKILL for e in ends), 'of 4 killed')",
        "print('still alive')",
        limits={"submission_memory_bytes": budget}, timeout=120,  # reclaim under the budget is slow on a busy machine
    )
    # 4 x 300 MB is far below each process's own limit (2.5 GB of address space) but over the one budget.
    killed = int(out[0].split()[0])
    assert killed >= 1, out
    assert out[1].strip() == "still alive", out
    assert leftovers() == []


def test_fork_bomb_meets_the_process_budget_and_nothing_is_left(course):
    require_cgroup()
    out = course.run(
        "import os, time\nn = 0\ntry:\n    while True:\n        if os.fork() == 0:\n            time.sleep(60)\n            os._exit(0)\n"
        "        n += 1\nexcept OSError as e:\n    print('stopped after', n, 'forks')",
        "print('still alive')",
        limits={"processes": 40}, timeout=120,
    )
    assert int(out[0].split()[2]) < 40, out
    assert out[1].strip() == "still alive"
    assert leftovers() == [], "the sandbox's processes and cgroup must go with the kernel"


def test_network_is_unreachable(course):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    threading.Thread(target=lambda: server.accept()[0].sendall(b"answers\n"), daemon=True).start()
    try:
        out = course.run(
            "import socket\ntry:\n    socket.create_connection(('1.1.1.1', 53), timeout=3); print('REACHED internet')\n"
            "except OSError as e:\n    print('blocked', e)",
            f"try:\n    socket.create_connection(('127.0.0.1', {port}), timeout=3); print('REACHED grader')\n"
            "except OSError as e:\n    print('blocked', e)",
        )
    finally:
        server.close()
    assert out[0].startswith("blocked") and out[1].startswith("blocked"), out


def test_secrets_are_invisible(course):
    solution = next(paths.solutions_dir().glob("*/*.ipynb"))
    out = course.run(*[
        f"try:\n    print('READ', open({str(p)!r}).read()[:40])\nexcept OSError as e:\n    print('hidden', type(e).__name__)"
        for p in (solution, course.gradebook, course.other, paths.REPO_ROOT / "tests" / "conftest.py",
                  paths.REPO_ROOT / "pyproject.toml")
    ], "import os; print(os.listdir(os.path.expanduser('~')), os.listdir(os.path.dirname(os.getcwd())))")
    for text in out[:-1]:
        assert text.startswith("hidden"), out
    assert "bob" not in out[-1], "another student's folder is visible"


def test_only_its_own_folder_is_writable(course, tmp_path):
    outside = [course.root / "CANARY", tmp_path / "CANARY", paths.REPO_ROOT / "data" / "CANARY", Path.home() / "CANARY-sandbox"]
    out = course.run(
        "open('mine.txt', 'w').write('ok'); print('wrote own folder')",
        *[f"try:\n    open({str(p)!r}, 'w').write('x'); print('WROTE')\nexcept OSError as e:\n    print('refused', e.errno)"
          for p in outside],
    )
    assert out[0].strip() == "wrote own folder"
    assert not (course.cwd / "mine.txt").exists(), "the kernel's work folder is thrown away"
    private_tmp = Path(tempfile.gettempdir())
    for text, path in zip(out[1:], outside):
        # Under /tmp a write lands in the sandbox's private /tmp (a tmpfs thrown away with it): bwrap runs
        # as the sandbox uid, so the folders it makes there for mount points belong to that uid.
        assert text.startswith("refused") or private_tmp in path.parents, (path, text)
        assert not path.exists(), path


def test_memory_bomb_gets_memory_error_and_the_kernel_goes_on(course):
    out = course.run(
        "x = bytearray(10**11)",
        "def bomb():\n    blocks = []\n    while True:\n        blocks.append(bytearray(100 * 1024 * 1024))\nbomb()",
        "print('still alive')",
    )
    assert out[0].startswith("MemoryError") and out[1].startswith("MemoryError"), out
    assert out[2].strip() == "still alive"


def test_fork_bomb_is_contained(course):
    out = course.run(
        "import os, time\nn = 0\ntry:\n    while True:\n        if os.fork() == 0:\n            time.sleep(30)\n            os._exit(0)\n"
        "        n += 1\nexcept OSError as e:\n    print('stopped after', n, 'forks')",
        "print('still alive')", timeout=120,  # 256 forks take long on a busy machine
    )
    forks = int(out[0].split()[2])
    assert forks < policy.PROCESSES, out
    assert out[1].strip() == "still alive"


def test_endless_loop_is_interrupted_at_the_cell_timeout(course):
    out = course.run("while True:\n    pass", "print('next cell ran')", timeout=3)
    assert "KeyboardInterrupt" in out[0] or "CellTimeoutError" in out[0], out
    assert out[1].strip() == "next cell ran"


def test_huge_output_is_truncated_while_it_arrives(course):
    out = course.run("for _ in range(20):\n    print('x' * 1_000_000)", "print('after')")
    assert len(out[0]) <= policy.MAX_OUTPUT_BYTES_PER_CELL + 1000
    assert "output truncated" in out[0]
    assert out[1].strip() == "after"


def test_patches_of_builtins_and_checks_do_not_reach_test_cells(course):
    out = course.run(
        "import builtins\nfrom course import checks\nbuiltins.len = lambda *a: 12\nchecks.close = lambda *a, **k: True\n"
        "checks.same_values.__code__ = (lambda *a, **k: True).__code__\nsorted = lambda *a, **k: [1]\n"
        "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])",
        ("test", "assert len([1]) == 12, 'len patched'"),
        ("test", "assert checks.close(1, 2), 'close patched'"),
        ("test", "assert checks.same_values([1], [2]), 'code swapped'"),
        ("test", "assert sorted([3]) == [1], 'sorted shadowed'"),
        "print(sorted([3]))",
    )
    for text, what in zip(out[1:5], ["len patched", "close patched", "code swapped", "sorted shadowed"]):
        assert text == f"AssertionError: {what}", out
    assert out[5].strip() == "[1]", "the student's own names come back after a test cell"


def test_kernel_can_use_pandas_and_the_course_data(course):
    out = course.run(
        "import pandas as pd\nfrom course import data, checks\nname = data.catalog()['name'].iloc[0]\n"
        "frame = data.load(name)\nprint('rows', len(frame))",
    )
    assert out[0].startswith("rows"), out
    assert int(out[0].split()[1]) > 0


def test_without_bwrap_isolation_is_reduced_loudly_and_ci_refuses(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(policy, "bwrap_path", lambda: None)
    monkeypatch.setattr(policy, "_warned", False)
    monkeypatch.delenv("CI", raising=False)
    config = Config()
    config.CourseDirectory.root = str(tmp_path)
    with pytest.warns(RuntimeWarning, match="isolation is reduced"):
        level = execute.apply(config, submission_dir=tmp_path / "s" / "a", course_dir=tmp_path, cell_timeout=5)
    assert level == "rlimits-only"
    assert "REDUCED ISOLATION" in capsys.readouterr().err
    monkeypatch.setenv("CI", "true")
    with pytest.raises(policy.SandboxUnavailable):
        execute.apply(config, submission_dir=tmp_path / "s" / "a", course_dir=tmp_path, cell_timeout=5)


def test_rlimits_only_mode_still_limits_memory(monkeypatch, tmp_path):
    monkeypatch.setattr(policy, "bwrap_path", lambda: None)
    monkeypatch.setattr(policy, "_warned", True)
    monkeypatch.delenv("CI", raising=False)
    course = Course(tmp_path / "course")
    config = Config()
    config.CourseDirectory.root = str(course.root)
    assert execute.apply(config, submission_dir=course.submission, course_dir=course.root, cell_timeout=10) == "rlimits-only"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = bytearray(10**11)"), nbformat.v4.new_code_cell("print('ok')")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    execute.SandboxedExecute(config=config).preprocess(nb, {"metadata": {"path": str(course.cwd)}})
    assert text_of(nb.cells[0]).startswith("MemoryError")
    assert text_of(nb.cells[1]).strip() == "ok"
