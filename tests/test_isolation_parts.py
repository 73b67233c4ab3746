"""The isolation subpackage's parts without a kernel: the exact bwrap command for a plan, limits as configuration, the pipeline."""

from __future__ import annotations

import os
from dataclasses import replace

from traitlets.config import Config

from course.grading.isolation import bwrap, policy
from course.grading.isolation.execute import SandboxedExecute
from course.grading.isolation.policy import RLimits, SandboxPlan
from course.grading.nbgrader_config import make_config
from course.grading.rubrics import ShowRubrics

PLAN = SandboxPlan(
    mode="bwrap", limits=RLimits(memory=1000, cpu=300, fsize=2000, nproc=256), runtime="/srv/run", bwrap="/usr/bin/bwrap",
    uid=200001, stage="/srv/stage", hidden=("/srv/venv/course-work",), masked_files=("/srv/venv/gradebook.db",), readable=("/srv/venv",),
    tmp_bytes=1024,
)


def test_bwrap_argv_for_a_plan_is_exactly_this(monkeypatch):
    assert os.path.isdir("/usr") and not os.path.islink("/usr")
    monkeypatch.setattr(bwrap, "SYSTEM_DIRS", ("/usr",))
    monkeypatch.setattr(bwrap, "ETC_FILES", ("/etc/hosts",))
    monkeypatch.setattr(bwrap, "LAUNCHER", ["/py", "-I", "-m", "course.grading.isolation.launcher"])
    monkeypatch.setattr(bwrap, "safe_env", lambda shared=False: {"PATH": "/usr/bin"})
    monkeypatch.setattr(bwrap, "ENTER", ["/py", "-I", "-S", "/pkg/enter.py"])
    assert bwrap.bwrap_command(PLAN, "/srv/work/k", "/srv/run/kernel.json", cgroup_procs=["/cg/m/cgroup.procs"]) == [
        # the trusted step: join the submission's cgroup, stage what bwrap binds, become the sandbox uid
        "/py", "-I", "-S", "/pkg/enter.py", "--cgroup", "/cg/m/cgroup.procs", "--uid", "200001", "--stage", "/srv/stage",
        "--source", "/srv/venv", "--source", "/srv/work/k", "--source", "/srv/run", "--",
        "/usr/bin/bwrap", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
        "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
        "--ro-bind", "/usr", "/usr",
        "--ro-bind-try", "/etc/hosts", "/etc/hosts",
        "--dev", "/dev", "--proc", "/proc",
        "--perms", "1777", "--size", "1024", "--tmpfs", "/tmp",
        "--perms", "1777", "--size", "1024", "--tmpfs", "/dev/shm",
        # shallow before deep; at one depth: folders made, read-only binds, hidden, masked, writable
        "--perms", "0755", "--dir", "/srv",
        "--perms", "0755", "--dir", "/srv/work",
        "--ro-bind", "/srv/stage/0", "/srv/venv",
        "--bind", "/srv/stage/2", "/srv/run",
        "--tmpfs", "/srv/venv/course-work",
        "--ro-bind", "/dev/null", "/srv/venv/gradebook.db",
        "--bind", "/srv/stage/1", "/srv/work/k",
        # the tmpfs bwrap made belong to the sandbox uid: read-only once filled
        "--remount-ro", "/srv/venv/course-work", "--remount-ro", "/dev",
        "--remount-ro", "/", "--chdir", "/srv/work/k",
        "--cap-drop", "ALL",
        "--clearenv", "--setenv", "PATH", "/usr/bin",
        "--", "/py", "-I", "-m", "course.grading.isolation.launcher", "--home", "/tmp/home",
        "--memory", "1000", "--cpu", "300", "--fsize", "2000", "--nproc", "256", "--",
    ]
    # a grader that is not root: bwrap runs as the grader, sources as they are, no step without a cgroup
    unprivileged = bwrap.bwrap_command(replace(PLAN, uid=None, stage=None), "/srv/work/k", "/srv/run/kernel.json")
    assert unprivileged[0] == "/usr/bin/bwrap" and ("--bind", "/srv/work/k", "/srv/work/k") in zip(
        unprivileged, unprivileged[1:], unprivileged[2:])


def test_limits_are_configuration_an_instructor_can_set(monkeypatch, tmp_path):
    monkeypatch.setattr(policy, "bwrap_path", lambda: None)
    monkeypatch.setattr(policy, "_warned", True)
    monkeypatch.delenv("CI", raising=False)
    config = Config()
    config.CourseDirectory.root = str(tmp_path)
    default = policy.make_plan(config, submission_dir=tmp_path / "s" / "a", course_dir=tmp_path, cell_timeout=5)
    assert default.limits.memory == policy.MEMORY_BYTES and default.limits.cpu == policy.CPU_SECONDS_MIN
    config.SandboxLimits.memory_bytes = 4 * 1024**3
    config.SandboxLimits.cpu_seconds_min = 900
    plan = policy.make_plan(config, submission_dir=tmp_path / "s" / "a", course_dir=tmp_path, cell_timeout=5)
    assert (plan.mode, plan.limits.memory, plan.limits.cpu) == ("rlimits-only", 4 * 1024**3, 900)
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.SandboxLimits.processes = 64\n")
    limits = policy.course_limits(config, tmp_path)  # DIR/nbgrader_config.py on top of the run's config
    assert (limits.processes, limits.memory_bytes, limits.file_bytes) == (64, 4 * 1024**3, policy.FILE_BYTES)
    # each plan gets a fresh connection folder (a reused worker hands the folder to a new sandbox uid)
    assert plan.runtime != default.runtime and os.path.isdir(plan.runtime) and not os.path.exists(default.runtime)


def test_the_autograde_pipeline_runs_sandboxed_and_shows_rubrics_last(tmp_path):
    pipeline = make_config(tmp_path).Autograde.autograde_preprocessors
    assert pipeline[0] is SandboxedExecute and pipeline[-1] is ShowRubrics
