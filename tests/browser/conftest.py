"""One JupyterLab server and one Chromium per test session, for the browser tests (issue #10).

The server runs from the venv on a free loopback port, with a token, rooted at a temporary copy of
the course notebooks (the repository's notebooks are never modified). Chromium is Debian's
/usr/bin/chromium driven by Playwright (never `playwright install`). When either is missing the tests
skip with the reason, except in CI (CI=true) where they fail.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

import system_requirements

from course import paths

sys.path.insert(0, str(Path(__file__).parent))

CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = paths.REPO_ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.browser_call_failed = report.failed


def _missing_browser_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (apt-get install chromium; never `playwright install`)"
    return None


def require_browser() -> None:
    system_requirements.require(_missing_browser_reason(), "the browser tests (Chromium and Playwright)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_status(url: str, token: str, process: subprocess.Popen, log: Path, timeout: float = 240) -> None:
    # Generous: on the shared 2-core machine under load, Lab has taken more than 90 s to start.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        try:
            request = urllib.request.Request(f"{url}/api/status", headers={"Authorization": f"token {token}"})
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"JupyterLab did not answer /api/status within {timeout} s:\n{log.read_text()[-4000:]}")


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def clear_outputs(source: Path, target: Path) -> None:
    nb = nbformat.read(str(source), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(target))


def write_lab_settings(settings_dir: Path) -> None:
    """Fresh user settings: no news pop-up, every cell attached to the DOM."""
    overrides = {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    }
    for relative, values in overrides.items():
        target = settings_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))


@dataclass
class LabServer:
    url: str
    token: str
    root: Path          # the server's root_dir (a temp copy)
    exchange: Path      # nbgrader exchange the student side of the server uses
    log: Path

    def tree_url(self, relative: str | Path) -> str:
        """Open one file in a fresh workspace, so no tab of an earlier test is restored next to it."""
        return f"{self.url}/lab/workspaces/{self.fresh_workspace()}/tree/{Path(relative).as_posix()}?token={self.token}"

    def lab_url(self) -> str:
        return f"{self.url}/lab/workspaces/{self.fresh_workspace()}?token={self.token}"

    @staticmethod
    def fresh_workspace() -> str:
        return "t" + secrets.token_hex(6)

    def api(self, path: str, method: str = "GET", body: dict | None = None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode()
        return json.loads(text) if text else None

    def shutdown_kernels(self) -> None:
        """Close every session so kernels of finished tests do not pile up on 2 cores."""
        try:
            for session in self.api("/api/sessions"):
                self.api(f"/api/sessions/{session['id']}", method="DELETE")
        except (urllib.error.URLError, OSError):
            pass


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory) -> LabServer:
    require_browser()
    from course.lab import lab_command, lab_environment

    base = tmp_path_factory.mktemp("lab")
    root = base / "root"
    root.mkdir()
    for kind, folder in (("notebooks", paths.notebooks_dir()), ("solutions", paths.solutions_dir())):
        for notebook in sorted(folder.glob("*/*.ipynb")):
            clear_outputs(notebook, root / kind / notebook.relative_to(folder))
    exchange = base / "exchange"
    exchange.mkdir()
    # The student side of nbgrader (Assignment List, Validate) reads nbgrader_config.py from the root.
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.course_id = {paths.COURSE_ID!r}\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
    )
    settings = base / "settings"
    write_lab_settings(settings)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / "lab-server.log"
    token = secrets.token_hex(16)
    port = free_port()
    env = lab_environment("student")
    env["JUPYTERLAB_SETTINGS_DIR"] = str(settings)
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(base / "workspaces")
    env["JUPYTER_RUNTIME_DIR"] = str(base / "runtime")
    command = lab_command("student", port, root=root, token=token, open_browser=False)
    with log.open("w") as handle:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=handle, stderr=subprocess.STDOUT)
    server = LabServer(f"http://127.0.0.1:{port}", token, root, exchange, log)
    try:
        wait_for_status(server.url, token, process, log)
        yield server
    finally:
        server.shutdown_kernels()
        stop_process(process)


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory):
    require_browser()
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
            viewport={"width": 1280, "height": 1000}, device_scale_factor=1,
        )
        context.set_default_timeout(30_000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(request, browser_context, lab_server, screenshots):
    page = browser_context.new_page()
    messages: list[str] = []
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    page.browser_errors = messages  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        if getattr(request.node, "browser_call_failed", False):
            # What the browser showed when the test failed, for the CI artifacts.
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in request.node.name)
            try:
                page.screenshot(path=str(SCREENSHOTS / f"FAILED-{name}.png"))
            except Exception:  # noqa: BLE001 - a screenshot must not hide the failure
                pass
        page.close()
        lab_server.shutdown_kernels()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for stale in SCREENSHOTS.glob("FAILED-*.png"):  # failures of an earlier run
        stale.unlink()
    return SCREENSHOTS
