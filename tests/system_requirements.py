"""Tests that need a system component (bwrap, PostgreSQL, Chromium) skip locally with the reason and
fail in CI (CI=true), so CI can never pass without running them."""

from __future__ import annotations

import os
import shutil

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
    missing = None if shutil.which("bwrap") else "bubblewrap (bwrap) is not installed: apt-get install bubblewrap"
    require(missing, what)
