"""The same class graded into a real PostgreSQL gradebook (several workers) gives the same scores as SQLite.

A throwaway server is started from the Debian `postgresql` package's binaries on a loopback port, in a
temporary folder, as the `postgres` user when the tests run as root (docs/toolchain.md).
"""

from __future__ import annotations

import glob
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


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() == 0:  # initdb refuses to run as root
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@pytest.fixture(scope="module")
def postgres_url(tmp_path_factory):
    pytest.importorskip("psycopg", reason="psycopg is needed for PostgreSQL (pip install 'psycopg[binary]')")
    bin_dir = _binaries()
    system_requirements.require(
        None if bin_dir else "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb); apt-get install postgresql",
        "the PostgreSQL gradebook test",
    )
    base = tmp_path_factory.mktemp("postgres")
    data = base / "data"
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
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
