"""Forked kernels (course/grading/isolation/template.py, provisioner.py): nothing of one submission reaches the next.

Each submission's kernel is a fork of the worker's template kernel, in the sandbox. What a submission
leaves behind (a daemon, files, a changed module, a monkeypatched pandas) must be gone when the next
submission graded by the same worker starts, and a class grades to the same scores as with plain kernels.
"""

from __future__ import annotations

import pytest
from nbgrader.api import Grade, Gradebook

from course.grading.autograde import autograde
from course.grading.discover import CourseWork
from course.grading.isolation import execute, provisioner
from course.grading.simulate import simulate_class
import test_sandbox
from test_sandbox import Course, require_bwrap


@pytest.fixture
def forked(monkeypatch):
    require_bwrap()
    monkeypatch.setenv(execute.KERNEL_MODE_ENV, "forked")
    yield
    provisioner.close_template()


LEAVE_BEHIND = (
    # a daemon (double fork, own session) that keeps writing a file in /tmp
    "import os, time\n"
    "if os.fork() == 0:\n"
    "    os.setsid()\n"
    "    if os.fork() == 0:\n"
    "        while True:\n"
    "            open('/tmp/daemon-was-here', 'w').write('x')\n"
    "            time.sleep(0.05)\n"
    "    os._exit(0)\n"
    "time.sleep(0.5)\n"
    "open('left-in-work-folder.txt', 'w').write('x')\n"
    "open('/dev/shm/left-in-shm', 'w').write('x')\n"
    # a changed module in memory and a monkeypatched library
    "import pandas as pd, course.data, sys, types\n"
    "pd.DataFrame.sum = lambda self, *a, **k: 42\n"
    "pd.read_csv = lambda *a, **k: 'patched'\n"
    "course.data.LEFT_BEHIND = True\n"
    "sys.modules['left_behind_module'] = types.ModuleType('left_behind_module')\n"
    "print('left', os.path.exists('/tmp/daemon-was-here'))"
)

CHECK = (
    "import os, sys, time, pandas as pd, course.data\n"
    "time.sleep(0.3)\n"
    "print(os.path.exists('/tmp/daemon-was-here'), os.path.exists('left-in-work-folder.txt'),\n"
    "      os.path.exists('/dev/shm/left-in-shm'), int(pd.DataFrame({'a': [1, 2]}).sum()['a']),\n"
    "      pd.read_csv.__module__.startswith('pandas'), hasattr(course.data, 'LEFT_BEHIND'),\n"
    "      'left_behind_module' in sys.modules, os.getpid())"
)


def test_what_one_submission_leaves_behind_does_not_reach_the_next(forked, tmp_path):
    course = Course(tmp_path / "course")
    first = course.run(LEAVE_BEHIND)
    assert first[0].strip() == "left True", first  # the daemon ran
    template = provisioner._template
    assert template is not None and template.alive()
    second = course.run(CHECK)
    # the same template forked both kernels: the second is a fresh copy of it, not of the first kernel
    assert provisioner._template is template and template.alive()
    assert second[0].split() == ["False", "False", "False", "3", "True", "False", "False", "1"], second
    assert execute.last_kernel_mode == "forked"


def test_a_forked_kernel_ends_on_the_shutdown_request_alone(forked, tmp_path, monkeypatch):
    """nbclient asks the kernel to shut down and waits; a kernel still alive after half the wait is sent
    SIGTERM, then SIGKILL. Every forked kernel once outlived the request (its exit flushed ipykernel's
    stopped output stream) and, as pid 1 of its namespace, ignored SIGTERM: 5 s lost per submission."""
    sent = []
    original = provisioner.ForkedProvisioner.send_signal

    async def recording(self, signum):
        sent.append(signum)
        await original(self, signum)

    monkeypatch.setattr(provisioner.ForkedProvisioner, "send_signal", recording)
    course = Course(tmp_path / "course")
    assert course.run("print('ran')")[0].strip() == "ran"
    assert execute.last_kernel_mode == "forked"
    assert sent == [], f"the kernel did not end on the shutdown request; signals sent: {sent}"


def test_a_kernel_cannot_signal_the_template(forked, tmp_path):
    course = Course(tmp_path / "course")
    out = course.run(
        "import os, signal\n"
        "killed = []\n"
        "for pid in range(2, 50):\n"
        "    try:\n"
        "        os.kill(pid, signal.SIGKILL)\n"
        "        killed.append(pid)\n"
        "    except OSError:\n"
        "        pass\n"
        "print(os.getpid(), killed)")
    assert out[0].split()[0] == "1", out  # the kernel is pid 1 of its own namespace: nothing else to name
    assert provisioner._template is not None and provisioner._template.alive()
    assert course.run("print('next kernel')")[0].strip() == "next kernel"


# The sandbox's tests that a forked kernel could fail where a plain one passes: bwrap leaves user
# namespaces enabled for the template (its child needs one), and the child's cgroup is joined from
# outside. (Forked is the default: COURSE_KERNEL_MODE=plain runs all of tests/test_sandbox.py with plain kernels.)
AS_PLAIN_KERNELS = [
    test_sandbox.test_no_process_in_the_sandbox_is_root_or_holds_a_capability,  # and no user namespace
    test_sandbox.test_memory_of_several_processes_is_one_budget,
    test_sandbox.test_fork_bomb_meets_the_process_budget_and_nothing_is_left,
]


@pytest.mark.parametrize("mode", ["forked", "plain"])
@pytest.mark.parametrize("sandbox_test", AS_PLAIN_KERNELS, ids=lambda t: t.__name__.removeprefix("test_"))
def test_a_forked_kernel_is_confined_as_a_plain_one(tmp_path, monkeypatch, sandbox_test, mode):
    """Forked kernels are the default, so the rest of the suite runs with them; these run with both."""
    require_bwrap()
    monkeypatch.setenv(execute.KERNEL_MODE_ENV, mode)
    try:
        sandbox_test(Course(tmp_path / "course"))
    finally:
        provisioner.close_template()
    assert execute.last_kernel_mode == mode


def test_the_kernel_is_forked_only_once_its_namespace_allows_no_user_namespace(forked, tmp_path):
    """Between "start" and "run" the child waits: the grader sets the limit and the cgroup first."""
    out = Course(tmp_path / "course").run(
        "import subprocess\n"
        "done = subprocess.run(['unshare', '--user', 'true'], capture_output=True, text=True)\n"
        "print(done.returncode, open('/proc/sys/user/max_user_namespaces').read().strip())")
    assert out[0].split()[:2] == ["1", "0"], out
    assert execute.last_kernel_mode == "forked"


def test_a_kernel_cannot_reach_the_processes_above_it(forked, tmp_path):
    """/proc shows the sandbox's processes (bwrap's init, the template, the kernel's parent): none can be
    read, written or signalled from the kernel, although all run as its uid."""
    out = Course(tmp_path / "course").run(
        "import ctypes, os\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "me = os.readlink('/proc/self')\n"
        "for pid in sorted((p for p in os.listdir('/proc') if p.isdigit() and p != me), key=int):\n"
        "    try:\n"
        "        open(f'/proc/{pid}/mem', 'rb').close()\n"
        "        memory = 'opened'\n"
        "    except OSError as error:\n"
        "        memory = error.strerror\n"
        "    folder = os.open(f'/proc/{pid}', os.O_RDONLY | os.O_DIRECTORY)\n"
        "    signalled = libc.syscall(424, folder, 0, None, 0)  # pidfd_send_signal(the /proc folder, 0)\n"
        "    print(pid, memory, signalled)")
    lines = out[0].strip().splitlines()
    assert len(lines) >= 3, out  # bwrap's init, the template, the kernel's parent
    for line in lines:
        pid, *memory, signalled = line.split()
        assert memory != ["opened"] and signalled == "-1", f"the kernel reached process {pid}: {line}"


def _scores(db_url: str) -> dict:
    with Gradebook(db_url) as gb:
        return {(g.notebook.student.id, g.notebook.assignment.name, g.name): g.score for g in gb.db.query(Grade)}


def test_a_simulated_class_grades_the_same_with_forked_and_plain_kernels(tmp_path, monkeypatch):
    require_bwrap()
    results = {}
    for mode in ("plain", "forked"):
        root = tmp_path / mode
        simulate_class(root, 3, seed=1, assignments=["00_alliance"])
        monkeypatch.setenv(execute.KERNEL_MODE_ENV, mode)
        work = CourseWork.at(root)
        summary = autograde(work, ["00_alliance"], workers=1)
        assert not summary.failed and len(summary.graded) == 3, summary.failed
        assert summary.kernels == {mode}
        results[mode] = _scores(work.db_url)
    assert results["plain"] and results["forked"] == results["plain"]


def test_the_template_is_reused_only_for_the_same_sandbox():
    from dataclasses import replace

    from course.grading.isolation.bwrap import spawn_options
    from course.grading.isolation.policy import RLimits, SandboxPlan

    plan = SandboxPlan("bwrap", RLimits(memory=1, cpu=2, fsize=3, nproc=4), "/tmp/run-1", bwrap="/usr/bin/bwrap",
                       uid=200001, hidden=("/course", "/home/x"), readable=("/venv", "/course/pkg"))
    template = provisioner.Template.__new__(provisioner.Template)  # no process: only the comparison
    template.plan = plan
    template.env = {k: v for k, v in spawn_options(plan)["env"].items() if k != "COURSE_STUDENT_ID"}
    # another submission's connection folder and job folder (inside a hidden folder): the same sandbox
    assert template.fits(replace(plan, runtime="/tmp/run-2", hidden=("/course", "/home/x", "/course/.grading/jobs/s2")))
    # a folder that would be put back visible but was not hidden before, other limits, another uid: a new template
    assert not template.fits(replace(plan, hidden=(*plan.hidden, "/venv/secret")))
    assert not template.fits(replace(plan, limits=replace(plan.limits, memory=5)))
    assert not template.fits(replace(plan, uid=200002))
    assert not template.fits(replace(plan, readable=("/venv",)))
    # a folder hidden inside one put back (visible here, hidden there): a new template
    assert not template.fits(replace(plan, hidden=(*plan.hidden, "/course/pkg/secret")))
    # another job's gradebook copy, masked inside a hidden folder: the same sandbox; one put back visible: not
    assert template.fits(replace(plan, masked_files=("/course/.grading/jobs/s2/gradebook.db",)))
    assert not template.fits(replace(plan, masked_files=("/course/pkg/gradebook.db",)))


def test_two_submissions_of_one_course_share_the_workers_template(tmp_path):
    """The plans `course autograde` makes for two submissions (two job folders, each with its gradebook
    copy) fit one template; a template started anew for each submission saves nothing (it did)."""
    from course.grading.isolation.bwrap import spawn_options
    from course.grading.isolation.policy import make_plan
    from course.grading.nbgrader_config import make_config

    require_bwrap()
    course = tmp_path / "course"
    plans = []
    for job in ("student-1--00_alliance", "student-2--01_health"):
        workdir = course / ".grading-x" / "jobs" / job
        submitted = workdir / "submitted" / job.split("--")[0] / job.split("--")[1]
        submitted.mkdir(parents=True)
        (workdir / "gradebook.db").write_bytes(b"")
        config = make_config(workdir, db_url=f"sqlite:///{workdir / 'gradebook.db'}", release_dir=course / "release")
        plans.append(make_plan(config, submission_dir=submitted, course_dir=course, cell_timeout=30))
    assert plans[0].masked_files != plans[1].masked_files and plans[0].hidden != plans[1].hidden
    template = provisioner.Template.__new__(provisioner.Template)  # no process: only the comparison
    template.plan = plans[0]
    template.env = {k: v for k, v in spawn_options(plans[0])["env"].items() if k != "COURSE_STUDENT_ID"}
    assert template.fits(plans[1])


@pytest.mark.timeout(300)
def test_the_warm_checker_and_the_template_serve_every_student_of_a_worker(tmp_path, monkeypatch):
    """While a submission is graded, COURSE_STUDENT_ID holds its student's id (execute.preprocess). The
    processes a worker keeps for every student must not carry it: the warm checker was restarted for
    each new student (its bwrap command, which reuse compares, held the id: 2 s of CPU each time),
    and the template held the first student's id. A plain kernel, started per submission, keeps it."""
    from course.grading import checker
    from course.grading.isolation.bwrap import bwrap_command, checker_command
    from course.grading.isolation.policy import make_plan
    from course.grading.nbgrader_config import make_config

    require_bwrap()
    course = tmp_path / "course"
    workdir = course / ".grading-x" / "jobs" / "student-1--00_alliance"
    submitted = workdir / "submitted" / "student-1" / "00_alliance"
    submitted.mkdir(parents=True)
    config = make_config(workdir, db_url=f"sqlite:///{workdir / 'gradebook.db'}", release_dir=course / "release")
    plan = make_plan(config, submission_dir=submitted, course_dir=course, cell_timeout=30)
    commands = {}
    for student in ("student-1", "student-2"):
        monkeypatch.setenv("COURSE_STUDENT_ID", student)
        commands[student] = (checker_command(plan, str(workdir)),
                             bwrap_command(plan, str(workdir), str(workdir / "k.json"), shared=True),
                             bwrap_command(plan, str(workdir), str(workdir / "k.json")))
    for shared in (0, 1):
        assert commands["student-1"][shared] == commands["student-2"][shared]
        assert not any(arg.startswith("student-") for arg in commands["student-1"][shared])
    assert "student-1" in commands["student-1"][2] and "student-2" in commands["student-2"][2]

    monkeypatch.setenv("COURSE_STUDENT_ID", "student-1")
    warm = checker.warm_checker(plan, str(workdir))
    try:
        monkeypatch.setenv("COURSE_STUDENT_ID", "student-2")
        assert checker.warm_checker(plan, str(workdir)) is warm, "the warm checker was started anew for the next student"
    finally:
        checker._close_warm(warm)
        checker._warm = None


def test_the_template_and_the_warm_checker_preload_every_course_module_a_notebook_imports():
    """What a notebook imports from `course` and neither preloaded is imported again in each
    submission's kernel (or checker child), which is what the template is there to save."""
    import ast
    import json

    from course import NOTEBOOK_MODULES, paths
    from course.grading import checker
    from course.grading.isolation import template

    imported = set()
    for notebook in sorted(paths.solutions_dir().glob("*/*.ipynb")):
        for cell in json.loads(notebook.read_text())["cells"]:
            if cell["cell_type"] != "code":
                continue
            try:
                tree = ast.parse("".join(cell["source"]))
            except SyntaxError:
                continue  # a cell with IPython syntax
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.module == "course":
                    imported |= {f"course.{alias.name}" for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("course."):
                    imported.add(node.module)
                elif isinstance(node, ast.Import):
                    imported |= {alias.name for alias in node.names if alias.name.startswith("course.")}
    assert imported, "no notebook imports from course: the scan is broken"
    assert imported <= set(NOTEBOOK_MODULES), sorted(imported - set(NOTEBOOK_MODULES))
    assert set(NOTEBOOK_MODULES) <= set(template.PRELOAD) and set(NOTEBOOK_MODULES) <= set(checker.WARM_MODULES)


def test_ipykernel_finds_the_forked_kernels_own_children_and_nothing_else(forked, tmp_path):
    """At shutdown ipykernel ends the kernel's children (SIGTERM, then waits). In a forked kernel /proc is
    the template's namespace: ipykernel found the template's processes, signalled numbers that name
    other processes here, and waited for "children" that never ended (2.5 s, until the kernel manager's
    SIGTERM). Here the kernel's children are exactly the processes it started."""
    course = Course(tmp_path / "course")
    out = course.run(
        "import subprocess, signal\n"
        "for _ in range(3):\n"
        "    subprocess.run(['true'])  # a few pids used and freed first\n"
        "sleeper = subprocess.Popen(['sleep', '60'])\n"
        "kernel = get_ipython().kernel\n"
        "print(sorted(c.pid for c in kernel._process_children()) == [sleeper.pid])\n"
        "kernel._signal_children(signal.SIGTERM)\n"
        "print(sleeper.wait(timeout=10))\n")
    assert out[0].split() == ["True", "-15"], out
