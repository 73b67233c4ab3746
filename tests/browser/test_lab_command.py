"""`course lab` (what `make lab` and `make lab ROLE=instructor` run), started as a subprocess and checked
over HTTP: the student server opens notebooks/ with a kernel that imports the course; the instructor
server answers /formgrader with every assignment of solutions/.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import free_port, stop_process
from course import paths
from course.lab import lab_command

pytestmark = pytest.mark.browser

COURSE = Path(sys.executable).parent / "course"


class Started:
    def __init__(self, role: str, tmp_path: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.runtime = tmp_path / "runtime"
        self.log = tmp_path / f"lab-{role}.log"
        env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(self.runtime), BROWSER="true")
        with self.log.open("w") as handle:
            self.process = subprocess.Popen([str(COURSE), "lab", "--role", role, "--port", str(self.port)],
                                            stdout=handle, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
        self.token = self._wait_token()

    def _wait_token(self, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"`course lab` exited with {self.process.returncode}:\n{self.log.read_text()}")
            found = re.search(r"[?&]token=([0-9a-f]+)", self.log.read_text())
            if found:
                try:
                    self.get("/api/status", token=found.group(1))
                    return found.group(1)
                except (urllib.error.URLError, ConnectionError):
                    pass
            time.sleep(0.3)
        raise AssertionError(f"`course lab` did not start within {timeout} s:\n{self.log.read_text()}")

    def get(self, path: str, token: str | None = None, method: str = "GET", body: dict | None = None):
        request = urllib.request.Request(
            self.url + path, method=method, data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"token {token or self.token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.geturl(), response.read().decode()

    def stop(self) -> None:
        stop_process(self.process)


@pytest.fixture
def started(tmp_path):
    servers: list[Started] = []

    def start(role: str) -> Started:
        server = Started(role, tmp_path)
        servers.append(server)
        return server

    yield start
    for server in servers:
        stop_process(server.process)


def test_lab_command_runs_as_root_only_with_allow_root():
    command = lab_command("student", 9999)
    assert ("--allow-root" in command) == (os.geteuid() == 0)
    assert "--LabApp.default_url=/lab/tree/notebooks" in command
    assert "--LabApp.default_url=/lab/tree/solutions" in lab_command("instructor", 9999)
    with pytest.raises(ValueError):
        lab_command("teacher", 9999)


def test_student_lab_opens_notebooks_with_the_course_in_the_kernel(started):
    from jupyter_client import BlockingKernelClient

    lab = started("student")
    status, final_url, _ = lab.get("/")
    assert status == 200 and final_url.endswith("/lab/tree/notebooks"), f"Lab should open on notebooks/, not {final_url}"
    status, _, listing = lab.get("/api/contents/notebooks")
    names = {item["name"] for item in json.loads(listing)["content"]}
    assert set(paths.assignments()) <= names, f"notebooks/ lists {sorted(names)}"
    # Start a kernel the way Lab does and import the course in it.
    _, _, body = lab.get("/api/kernels", method="POST", body={"name": "python3"})
    kernel_id = json.loads(body)["id"]
    try:
        connection = lab.runtime / f"kernel-{kernel_id}.json"
        deadline = time.monotonic() + 30
        while not connection.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        client = BlockingKernelClient(connection_file=str(connection))
        client.load_connection_file()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        out: list[str] = []
        reply = client.execute_interactive(
            "import course, course.widgets, sys; print(course.__file__); print(course.widgets.static_mode())",
            timeout=60, output_hook=lambda msg: out.append(msg["content"].get("text", "")))
        client.stop_channels()
        assert reply["content"]["status"] == "ok", reply["content"]
        printed = "".join(out).split()
        assert Path(printed[0]).resolve().is_relative_to(paths.PACKAGE_DIR), printed
        assert printed[1] == "False", "the explorers must be interactive in the student's Lab"
    finally:
        lab.get(f"/api/kernels/{kernel_id}", method="DELETE")


def test_instructor_lab_serves_formgrader_on_the_course(started):
    lab = started("instructor")
    status, final_url, page = lab.get("/formgrader")
    assert status == 200 and "/formgrader/manage_assignments" in final_url, final_url
    assert "Manage Assignments" in page
    status, _, body = lab.get("/formgrader/api/assignments")
    names = {assignment["name"] for assignment in json.loads(body)}
    assert set(paths.assignments()) <= names, f"Formgrader lists {sorted(names)}, solutions/ has {paths.assignments()}"
    lab.stop()
    assert "not a subdirectory of the notebook" not in lab.log.read_text()
