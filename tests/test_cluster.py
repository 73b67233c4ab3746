"""`course autograde --scheduler`: a real two-worker Dask cluster on 127.0.0.1 grades like the local pool.

The cluster is `distributed.LocalCluster` with worker *processes* (course.grading.cluster.local_cluster),
started once for the module, after the tiny course's environment is set, so the workers grade it too.
Submissions travel as bytes; the workers share no folder with the client but the course itself.
"""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from click.testing import CliRunner
from distributed import Client

import tiny_course
from course.cli import main as cli
from course.grading import cluster
from course.grading.autograde import autograde
from course.grading.discover import CourseWork
from course.grading.export import grades_table
from test_pipeline import tiny, tiny_student, write_submission  # noqa: F401 - tiny is a fixture
from test_postgres import postgres_url  # noqa: F401 - a fixture

A = tiny_course.ASSIGNMENT
COLUMNS = ["student_id", "assignment", "score", "status", "q1_test", "q2_test"]


@pytest.fixture(scope="module")
def client(tiny):
    with cluster.local_cluster(2) as local_cluster, Client(local_cluster) as dask_client:
        dask_client.wait_for_workers(2, timeout=120)
        yield dask_client


def _class(work: CourseWork, *, loop: bool = False) -> None:
    write_submission(work, "right", tiny_student({"q1": "solution", "q2": "solution"}))
    write_submission(work, "alternative", tiny_student({"q1": "alternative", "q2": "alternative"}))
    write_submission(work, "wrong", tiny_student({"q1": "wrong", "q2": "wrong"}))
    write_submission(work, "half", tiny_student({"q1": "solution", "q2": "wrong"}))
    write_submission(work, "broken", raw="{")
    if loop:
        write_submission(work, "infinite-loop", tiny_student({}, extra={"q1": "while True:\n    pass"}))


def _table(work: CourseWork):
    return grades_table(work)[COLUMNS].sort_values("student_id").reset_index(drop=True)


def test_cluster_grades_exactly_like_the_local_pool(tiny, client, tmp_path):
    # The endless loop is stopped by the 20 s notebook limit (as in tests/test_pipeline.py), three times here.
    on_pool, on_cluster = CourseWork.at(tmp_path / "pool"), CourseWork.at(tmp_path / "cluster")
    _class(on_pool, loop=True)
    _class(on_cluster, loop=True)
    pool = autograde(on_pool, workers=2, cell_timeout=45, notebook_timeout=20)
    address = client.scheduler.address
    result = CliRunner().invoke(cli, ["autograde", "--course-dir", str(on_cluster.root), "--scheduler", address,
                                      "--timeout", "45", "--notebook-timeout", "20"])
    assert result.exit_code == 1, result.output  # the broken ones fail, as on the local pool
    assert f"cluster: {address}, 2 grading worker(s)" in result.output
    assert result.output.count("isolation bwrap") == 2, result.output
    assert "4 graded, 2 failed" in result.output, on_cluster.read_failures()
    failures = on_cluster.read_failures()
    assert failures.keys() == pool.failed.keys() == {f"broken/{A}", f"infinite-loop/{A}"}
    assert "not a readable notebook" in failures[f"broken/{A}"]["reason"]
    assert "took longer than 20 s" in failures[f"infinite-loop/{A}"]["reason"]
    cluster_table, pool_table = _table(on_cluster), _table(on_pool)
    assert cluster_table.equals(pool_table), f"\n{cluster_table}\n{pool_table}"
    assert cluster_table["score"].nunique() > 2  # a real spread, not all zeros
    for student in ("right", "alternative", "wrong", "half"):  # the autograded notebooks came back as files
        assert (on_cluster.autograded / student / A / tiny_course.NOTEBOOK).is_file()
    # a rerun grades only what is missing (the failed ones), never a graded one twice
    again = cluster.autograde(on_cluster, scheduler=address, client=client, cell_timeout=45, notebook_timeout=20)
    assert again.graded == {} and sorted(again.skipped) == sorted(f"{s}/{A}" for s in ("right", "alternative", "wrong", "half"))
    assert again.failed.keys() == {f"broken/{A}", f"infinite-loop/{A}"}


def test_a_killed_worker_loses_and_duplicates_nothing(tiny, client, tmp_path):
    work = CourseWork.at(tmp_path / "cluster")
    students = [f"s{i}" for i in range(6)]
    for index, student in enumerate(students):
        choice = "solution" if index % 2 else "wrong"
        write_submission(work, student, tiny_student({"q1": choice, "q2": choice}))
    pids = client.run(os.getpid)
    killed: list[str] = []

    def kill_a_busy_worker() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            busy = [w for w, keys in client.processing().items() if any(str(k).startswith("grade-") for k in keys)]
            if busy:
                time.sleep(1.0)  # into the grading, not before it
                os.kill(pids[busy[0]], signal.SIGKILL)
                killed.append(busy[0])
                return
            time.sleep(0.1)

    killer = threading.Thread(target=kill_a_busy_worker)
    killer.start()
    summary = cluster.autograde(work, scheduler=client.scheduler.address, client=client)
    killer.join()
    assert killed, "no worker was busy to be killed"
    assert summary.failed == {}
    assert sorted(summary.graded) == sorted(f"{s}/{A}" for s in students)
    table = _table(work)
    assert list(table["student_id"]) == students  # each submission once in the gradebook
    right = table.set_index("student_id")["score"]
    assert all(right[s] > right["s0"] for s in students[1::2])
    # (the nanny restarts the killed worker; the next test does not wait for it)


@pytest.mark.postgres
def test_cluster_grades_into_a_postgres_gradebook(tiny, client, postgres_url, tmp_path):  # noqa: F811
    on_postgres, on_pool = CourseWork.at(tmp_path / "postgres", postgres_url), CourseWork.at(tmp_path / "pool")
    _class(on_postgres)
    _class(on_pool)
    summary = cluster.autograde(on_postgres, scheduler=client.scheduler.address, client=client)
    autograde(on_pool, workers=2)
    assert len(summary.graded) == 4 and summary.failed.keys() == {f"broken/{A}"}
    postgres_table, pool_table = _table(on_postgres), _table(on_pool)
    assert postgres_table.equals(pool_table), f"\n{postgres_table}\n{pool_table}"
    again = cluster.autograde(on_postgres, scheduler=client.scheduler.address, client=client)
    assert again.graded == {} and len(again.skipped) == 4


def test_packing_refuses_what_could_escape_the_scratch_folder(tmp_path):
    import io
    import zipfile

    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "tiny.ipynb").write_text("{}")
    (folder / "link.ipynb").symlink_to(folder / "tiny.ipynb")
    with pytest.raises(cluster.SubmissionProblem, match="link"):
        cluster.pack(folder)
    (folder / "link.ipynb").unlink()
    cluster.unpack(cluster.pack(folder), tmp_path / "out")
    assert (tmp_path / "out" / "tiny.ipynb").read_text() == "{}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../escaped.ipynb", "{}")
    with pytest.raises(cluster.SubmissionProblem, match="not a plain relative file"):
        cluster.unpack(buffer.getvalue(), tmp_path / "evil")
    assert not (tmp_path / "escaped.ipynb").exists()


def test_a_worker_without_sandbox_refuses_unless_allowed(monkeypatch):
    from course.grading.isolation import policy

    monkeypatch.setattr(policy, "_found", (None, "sandbox: no working bwrap: test"))
    monkeypatch.delenv(cluster.ALLOW_REDUCED_ENV, raising=False)
    assert "refuses to run student code unsandboxed" in cluster.sandbox_problem(False)
    result = CliRunner().invoke(cli, ["worker", "tcp://127.0.0.1:1"])
    assert result.exit_code == 1 and "refuses to run student code unsandboxed" in result.output
    with pytest.raises(RuntimeError, match="unsandboxed"):
        cluster.dask_setup(None)
    assert cluster.sandbox_problem(True) is None
    monkeypatch.setenv(cluster.ALLOW_REDUCED_ENV, "1")
    assert cluster.sandbox_problem(False) is None
