"""Where the course's parts live, for an editable install (the repository) or an installed wheel."""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent

COURSE_ID = "us-japan-alliance"


def solutions_dir() -> Path:
    """Instructor versions: the single source of truth for every assignment."""
    return Path(os.environ.get("COURSE_SOLUTIONS_DIR", REPO_ROOT / "solutions"))


def notebooks_dir() -> Path:
    """Student versions, generated from solutions_dir() by `course build`."""
    return Path(os.environ.get("COURSE_NOTEBOOKS_DIR", REPO_ROOT / "notebooks"))


def solution_notebook_path(assignment: str) -> Path:
    """The one instructor notebook of an assignment (solutions/<assignment>/*.ipynb)."""
    notebooks = sorted((solutions_dir() / assignment).glob("*.ipynb"))
    if len(notebooks) != 1:
        raise FileNotFoundError(f"solutions/{assignment}: expected one notebook, found {len(notebooks)}")
    return notebooks[0]


def assignments() -> list[str]:
    """Assignment names in course order (folder names under solutions/)."""
    root = solutions_dir()
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def ensure_venv_on_path() -> None:
    """nbgrader shells out to `alembic`; make the running interpreter's bin/ findable."""
    bin_dir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bin_dir not in parts:
        os.environ["PATH"] = os.pathsep.join([bin_dir, *parts])
