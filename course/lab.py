"""`course lab`: start JupyterLab on the course, ready for a student or an instructor.

student     root = the repository, opened on notebooks/. The kernel is the interpreter running this
            command (Jupyter replaces a kernelspec's ``python`` by it), so ``import course`` works.
            nbgrader's instructor extensions (Formgrader, Create Assignment, the course list) are
            switched off for the student (course/jupyter_student/ first on JUPYTER_CONFIG_PATH).
instructor  root = the repository too: nbgrader_config.py there makes it the course (solutions/ is the
            source, notebooks/ the release), with the course working directory and gradebook of the
            `course` verbs: ``--course-dir DIR`` and ``--db URL`` reach nbgrader_config.py as
            COURSE_DIR and COURSE_DB_URL, and both use ``grading.nbgrader_config.make_config``, so
            Formgrader shows what `course autograde` graded (after `make demo`: ``--course-dir
            demo-out``). Formgrader needs Lab started at or above the course root, so the root is the
            folder holding both the repository and DIR. Lab opens on solutions/; the Nbgrader menu
            (Formgrader) and ``/formgrader`` manage the course. Formgrader's grading page loads
            MathJax from this server, not a CDN (course/jupyter_instructor/ first on JUPYTER_PATH;
            the jupyter-server-mathjax package serves MathJax 2), so grading works offline.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from . import paths

ROLES = ("student", "instructor")
# Jupyter configuration that hides nbgrader's instructor extensions from students.
STUDENT_CONFIG_DIR = Path(__file__).resolve().parent / "jupyter_student"
# Jupyter data (nbconvert templates) that makes Formgrader's grading page load MathJax from the server.
INSTRUCTOR_DATA_DIR = Path(__file__).resolve().parent / "jupyter_instructor"
# JupyterLab application settings for both roles: the default shortcuts with a focused dropdown's
# arrow keys left to the dropdown (see its README.md).
LAB_SETTINGS_DIR = Path(__file__).resolve().parent / "jupyter_lab_settings"
DEFAULT_COURSE_DIR = "course-work"


def repo_root() -> Path:
    """The folder holding nbgrader_config.py, solutions/ and notebooks/ (an editable install's repo)."""
    return paths.REPO_ROOT


def server_root(course_dir: Path | None = None) -> Path:
    """Lab's root: the repository, or the folder holding both it and ``course_dir`` (Formgrader needs
    the course directory inside the server's root)."""
    root = repo_root().resolve()
    if course_dir is None:
        return root
    return Path(os.path.commonpath([root, Path(course_dir).resolve()]))


def lab_command(role: str = "student", port: int = 8888, *, root: Path | None = None, token: str | None = None,
                open_browser: bool = True, ip: str = "127.0.0.1") -> list[str]:
    """The `jupyter lab` command line for ``role`` (used by :func:`run` and by the browser tests)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    root = Path(root or repo_root()).resolve()
    folder = "notebooks" if role == "student" else "solutions"
    # Relative to the root, which may hold the repository (instructor with a --course-dir outside it);
    # a root that is a copy of the course (browser tests) has the folder at its top.
    in_repo = repo_root().resolve() / folder
    start = in_repo.relative_to(root).as_posix() if in_repo.is_relative_to(root) else folder
    command = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.ip={ip}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--LabApp.default_url=/lab/tree/{start}",
        f"--LabApp.app_settings_dir={LAB_SETTINGS_DIR}",
    ]
    if token is not None:
        command.append(f"--IdentityProvider.token={token}")
    if not open_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command


def lab_environment(role: str = "student", course_dir: Path | None = None, db_url: str | None = None) -> dict[str, str]:
    """The environment for Lab: the venv's bin/ first (nbgrader shells out to alembic); for the student,
    nbgrader's instructor extensions off; for the instructor, the course directory and gradebook that
    nbgrader_config.py gives Formgrader."""
    env = dict(os.environ)
    if role == "student":
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
            [str(STUDENT_CONFIG_DIR), *[p for p in env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p]])
    else:
        env["JUPYTER_PATH"] = os.pathsep.join(
            [str(INSTRUCTOR_DATA_DIR), *[p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]])
        if course_dir is not None:
            env["COURSE_DIR"] = str(Path(course_dir).resolve())
        if db_url:
            env["COURSE_DB_URL"] = db_url
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([bin_dir, *[p for p in env.get("PATH", "").split(os.pathsep) if p and p != bin_dir]])
    # The explorers must be interactive in Lab even if a shell left static mode on.
    env.pop("COURSE_STATIC_WIDGETS", None)
    env.pop("NBGRADER_EXECUTION", None)
    return env


def run(role: str = "student", port: int = 8888, course_dir: Path | None = None, db_url: str | None = None) -> None:
    """Replace this process by JupyterLab (Ctrl-C stops it as usual)."""
    repo = repo_root()
    if not (repo / "nbgrader_config.py").is_file() or not (repo / "notebooks").is_dir():
        raise SystemExit(f"{repo}: not the course repository (no nbgrader_config.py or notebooks/); "
                         "`course lab` needs an editable install (pip install -e .)")
    root = repo
    if role == "instructor":
        course_dir = Path(course_dir or repo / DEFAULT_COURSE_DIR).resolve()
        if course_dir.exists() and not course_dir.is_dir():
            raise SystemExit(f"{course_dir}: --course-dir is a file, not a folder")
        # nbgrader's gradebook (DIR/gradebook.db) is created on first use; its folder must exist.
        course_dir.mkdir(parents=True, exist_ok=True)
        root = server_root(course_dir)
    command = lab_command(role, port, root=root)
    env = lab_environment(role, course_dir, db_url)
    print(f"Starting JupyterLab for the {role} on http://127.0.0.1:{port}/ (root {root})", flush=True)
    if role == "instructor":
        print(f"Formgrader: http://127.0.0.1:{port}/formgrader (or the Nbgrader menu in Lab) on the course "
              f"directory {course_dir}, gradebook {db_url or 'DIR/gradebook.db'}", flush=True)
    os.chdir(repo)  # nbgrader's server extensions read nbgrader_config.py from the working directory
    os.execve(command[0], command, env)
