"""Isolation of student code during autograding (owned by the integrity work; see tests/test_integrity.py).

`apply(config, ...)` configures nbgrader's execution of ONE submission so that its kernel runs
sandboxed, and returns a short description of the isolation level in force.
"""

from __future__ import annotations

from pathlib import Path

from traitlets.config import Config


def apply(config: Config, *, submission_dir: Path, course_dir: Path, cell_timeout: int) -> str:
    """Placeholder until the sandbox lands: no isolation."""
    return "none"
