"""The same class graded into a real PostgreSQL gradebook (several workers) gives the same scores as SQLite.

A throwaway server is started on a loopback port, in a temporary folder, from the system's PostgreSQL
binaries when there are any (initdb and pg_ctl on PATH, or Debian's /usr/lib/postgresql/*/bin), else
from the `pgserver` wheel (a test dependency that bundles PostgreSQL 16), so the test runs on any
machine with pip. COURSE_IGNORE_SYSTEM_BINARIES=1 skips the system's copies (CI runs it once so, to test
the bundled path too). As root the server runs as the `postgres` user (or `nobody`): initdb refuses root
(docs/toolchain.md).
"""

from __future__ import annotations

import glob
import importlib.util
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

import system_requirements

import tiny_course
from course.grading.autograde import autograde
from course.grading.discover import CourseWork
from course.grading.export import grades_table
from test_pipeline import tiny, tiny_student, write_submission  # noqa: F401 - tiny is a fixture

pytestmark = pytest.mark.postgres


def _system_binaries() -> Path | None:
    """The folder of the system's initdb and pg_ctl, if both are there."""
    on_path = shutil.which("initdb")
    candidates = [Path(on_path).resolve().parent] if on_path else []
    candidates += [Path(p).parent for p in sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)]
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def _bundled_binaries() -> Path | None:
    """The folder of the PostgreSQL that the pgserver wheel bundles."""
    # Located, not imported: importing pgserver sets up its own server helpers, which the test does not use.
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "pginstall" / "bin"
    return folder if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file() else None


def postgres_binaries() -> tuple[Path | None, str]:
    """(folder of initdb and pg_ctl, where it came from); the folder is None when neither is there."""
    if not system_requirements.ignore_system_binaries():
        system = _system_binaries()
        if system:
            return system, f"system PostgreSQL in {system}"
    bundled = _bundled_binaries()
    if bundled:
        return bundled, f"bundled PostgreSQL (pgserver wheel) in {bundled}"
    return None, ("no PostgreSQL server binaries: neither the system's (initdb/pg_ctl; apt-get install postgresql)"
                  + (", ignored by COURSE_IGNORE_SYSTEM_BINARIES=1" if system_requirements.ignore_system_binaries() else "")
                  + " nor the pgserver wheel (pip install -e '.[test]')")


def _server_user() -> str:
    import pwd

    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and there is neither a 'postgres' nor a 'nobody' user to run the server")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() == 0:  # initdb refuses to run as root
        return ["runuser", "-u", _server_user(), "--", *command]
    return command


@pytest.fixture(scope="module")
def postgres_url(tmp_path_factory):
    try:
        import psycopg  # noqa: F401
    except ImportError:
        system_requirements.require("psycopg is not installed (pip install -e '.[test]')", "the PostgreSQL gradebook test")
    bin_dir, found = postgres_binaries()
    system_requirements.require(None if bin_dir else found, "the PostgreSQL gradebook test")
    print(f"PostgreSQL for the test: {found}")
    base = tmp_path_factory.mktemp("postgres")
    data = base / "data"
    if os.geteuid() == 0:
        shutil.chown(base, _server_user())
        base.chmod(0o700)
        for parent in base.parents:  # the server user must reach its folder
            if str(parent).startswith(str(Path(os.environ.get("TMPDIR", "/tmp")))) and parent != Path("/tmp"):
                parent.chmod(parent.stat().st_mode | 0o011)
    port = _free_port()
    subprocess.run(_as_server_user([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]),
                   check=True, capture_output=True)
    subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"),
                                    "-o", f"-p {port} -c listen_addresses=127.0.0.1 -k {base}", "-w", "start"]),
                   check=True, capture_output=True)
    try:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True) as conn:
            conn.execute("CREATE USER nbgrader PASSWORD 'nbgrader'")
            conn.execute("CREATE DATABASE gradebook OWNER nbgrader")
        yield f"postgresql+psycopg://nbgrader:nbgrader@127.0.0.1:{port}/gradebook"
    finally:
        subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                       capture_output=True)


def _class(work: CourseWork) -> None:
    write_submission(work, "right", tiny_student({"q1": "solution", "q2": "solution"}))
    write_submission(work, "alternative", tiny_student({"q1": "alternative", "q2": "alternative"}))
    write_submission(work, "wrong", tiny_student({"q1": "wrong", "q2": "wrong"}))
    write_submission(work, "half", tiny_student({"q1": "solution", "q2": "wrong"}))
    write_submission(work, "blank", tiny_student({}))
    write_submission(work, "broken", raw="{")


def test_postgres_gradebook_matches_sqlite(tiny, postgres_url, tmp_path):
    sqlite_work = CourseWork.at(tmp_path / "sqlite")
    postgres_work = CourseWork.at(tmp_path / "postgres", postgres_url)
    _class(sqlite_work)
    _class(postgres_work)
    started = time.monotonic()
    on_postgres = autograde(postgres_work, workers=3)
    on_sqlite = autograde(sqlite_work, workers=2)
    assert time.monotonic() - started < 300
    assert sorted(on_postgres.graded) == sorted(on_sqlite.graded) and len(on_postgres.graded) == 5
    assert on_postgres.failed.keys() == on_sqlite.failed.keys() == {f"broken/{tiny_course.ASSIGNMENT}"}
    columns = ["student_id", "assignment", "score", "status", "q1_test", "q2_test"]
    pg_table = grades_table(postgres_work)[columns].sort_values("student_id").reset_index(drop=True)
    sqlite_table = grades_table(sqlite_work)[columns].sort_values("student_id").reset_index(drop=True)
    assert pg_table.equals(sqlite_table), f"\n{pg_table}\n{sqlite_table}"
    assert pg_table["score"].nunique() > 2  # a real spread, not all zeros
    # a rerun against the server database grades nothing twice
    again = autograde(postgres_work, workers=3)
    assert again.graded == {} and len(again.skipped) == 5
