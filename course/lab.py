"""`course lab`: start JupyterLab on the course, ready for a student or an instructor.

student     root = the repository, opened on notebooks/. The kernel is the interpreter running this
            command (Jupyter replaces a kernelspec's ``python`` by it), so ``import course`` works.
instructor  root = the repository too: nbgrader_config.py there makes it the course (solutions/ is the
            source, notebooks/ the release, course-work/ the gradebook and submissions), and Formgrader
            needs Lab started at or above that course root. Lab opens on solutions/; the Nbgrader menu
            (Formgrader) and ``/formgrader`` manage the course.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from . import paths

ROLES = ("student", "instructor")


def repo_root() -> Path:
    """The folder holding nbgrader_config.py, solutions/ and notebooks/ (an editable install's repo)."""
    return paths.REPO_ROOT


def lab_command(role: str = "student", port: int = 8888, *, root: Path | None = None, token: str | None = None,
                open_browser: bool = True, ip: str = "127.0.0.1") -> list[str]:
    """The `jupyter lab` command line for ``role`` (used by :func:`run` and by the browser tests)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    root = Path(root or repo_root()).resolve()
    start = "notebooks" if role == "student" else "solutions"
    command = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.ip={ip}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--LabApp.default_url=/lab/tree/{start}",
    ]
    if token is not None:
        command.append(f"--IdentityProvider.token={token}")
    if not open_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command


def lab_environment(role: str = "student") -> dict[str, str]:
    """The environment for Lab: the venv's bin/ first (nbgrader shells out to alembic)."""
    env = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([bin_dir, *[p for p in env.get("PATH", "").split(os.pathsep) if p and p != bin_dir]])
    # The explorers must be interactive in Lab even if a shell left static mode on.
    env.pop("COURSE_STATIC_WIDGETS", None)
    env.pop("NBGRADER_EXECUTION", None)
    return env


def run(role: str = "student", port: int = 8888) -> None:
    """Replace this process by JupyterLab (Ctrl-C stops it as usual)."""
    root = repo_root()
    if not (root / "nbgrader_config.py").is_file() or not (root / "notebooks").is_dir():
        raise SystemExit(f"{root}: not the course repository (no nbgrader_config.py or notebooks/); "
                         "`course lab` needs an editable install (pip install -e .)")
    if role == "instructor":
        # nbgrader's gradebook (course-work/gradebook.db) is created on first use; its folder must exist.
        (root / "course-work").mkdir(exist_ok=True)
    command = lab_command(role, port, root=root)
    env = lab_environment(role)
    print(f"Starting JupyterLab for the {role} on http://127.0.0.1:{port}/ (root {root})", flush=True)
    if role == "instructor":
        print(f"Formgrader: http://127.0.0.1:{port}/formgrader (or the Nbgrader menu in Lab)", flush=True)
    os.chdir(root)  # nbgrader's server extensions read nbgrader_config.py from the working directory
    os.execve(command[0], command, env)
