"""Autograder integrity (issue #9): hostile and broken submissions, a killed run, widgets, leaks.

One real `course autograde` run grades every hostile fixture of tests/hostile/ together with normal
submissions; each must end with a recorded outcome (a score no higher than an honest submission with
the same answers would get, or a failure with a reason), no access outside the sandbox and no hang.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import nbformat
import pytest

import system_requirements
from nbgrader.api import Gradebook

from course import leaks, paths
from course.grading import variants
from course.grading.isolation import scan
from hostile import make_fixtures
from hostile.make_fixtures import ASSIGNMENT, SCENARIOS

COURSE = str(Path(sys.executable).parent / "course")
CELL_TIMEOUT = 10


def require_bwrap() -> None:
    system_requirements.require_bwrap("the integrity tests (student code is never graded unsandboxed)")


def autograde(course_dir: Path, *args: str, timeout: float = 900, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [COURSE, "autograde", *args, "--course-dir", str(course_dir), "--workers", "2",
         "--timeout", str(CELL_TIMEOUT), "--notebook-timeout", "150"],
        capture_output=True, text=True, timeout=timeout, **kwargs,
    )


def autograded_points(assignment: str = ASSIGNMENT) -> dict[str, float]:
    return variants.test_points(variants.read_solution(assignment))


def scores(course_dir: Path, assignment: str = ASSIGNMENT) -> dict[str, float]:
    """student -> autograded points of the test cells, for every submission in the gradebook."""
    names = set(autograded_points(assignment))
    result = {}
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}", paths.COURSE_ID) as gb:
        for submission in gb.find_assignment(assignment).submissions:
            result[submission.student.id] = sum(
                (g.auto_score or 0) for nb in submission.notebooks for g in nb.grades if g.name in names)
    return result


def failures(course_dir: Path) -> dict[str, str]:
    path = course_dir / "grading-failures.json"
    data = json.loads(path.read_text()) if path.is_file() else {}
    return {key.split("/")[0]: value["reason"] for key, value in data.items()}


def correct_answers_server() -> tuple[socket.socket, int]:
    """A server on the grader's loopback that hands out the right answers, for `opens-network`."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen()
    payload = json.dumps({"japan_fall_position": 9, "confidence_change": -54, "article_minus_pew": 1,
                          "korea_above_japan": [2003, 2004]}).encode() + b"\n"

    def serve() -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            with connection:
                connection.sendall(payload)

    threading.Thread(target=serve, daemon=True).start()
    return server, server.getsockname()[1]


# --------------------------------------------------------------------------------------------
# One run over every hostile fixture and the normal submissions


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    require_bwrap()
    root = tmp_path_factory.mktemp("hostile")
    course_dir = root / "course-work"
    token = uuid.uuid4().hex[:8]
    existing = root / "existing-file.txt"
    existing.write_text("original")
    canaries = {
        "course dir": course_dir / f"CANARY-{token}",
        "tmp": Path(tempfile.gettempdir()) / f"course-hostile-canary-{token}",
        "repo data": paths.REPO_ROOT / "data" / f"hostile-canary-{token}",
        "repo": paths.REPO_ROOT / f"hostile-canary-{token}",
        "home": Path.home() / f"hostile-canary-{token}",
        "existing": existing,
    }
    server, port = correct_answers_server()
    expected = make_fixtures.write_class(course_dir, network_port=port, canaries=canaries)
    started = time.monotonic()
    try:
        result = autograde(course_dir, ASSIGNMENT)
    finally:
        server.close()
    elapsed = time.monotonic() - started
    return {"dir": course_dir, "expected": expected, "result": result, "elapsed": elapsed,
            "canaries": canaries, "existing": existing, "scores": scores(course_dir), "failures": failures(course_dir)}


def autograded_outputs(run, student: str) -> str:
    """Everything the student's cells printed in the autograded notebook (not their source)."""
    folder = run["dir"] / "autograded" / student / ASSIGNMENT
    texts = []
    for path in folder.glob("*.ipynb"):
        for cell in nbformat.read(str(path), as_version=4).cells:
            for out in cell.get("outputs", []):
                texts.append(out.get("text", "") or "\n".join(out.get("traceback", [])) or str(out.get("data", "")))
    return "\n".join(texts)


@pytest.mark.timeout(900)
def test_run_finishes_and_records_every_submission(hostile_run):
    result, expected = hostile_run["result"], hostile_run["expected"]
    assert result.returncode in (0, 1), result.stderr[-3000:]
    assert set(hostile_run["scores"]) | set(hostile_run["failures"]) >= set(expected), (
        f"no outcome recorded for {sorted(set(expected) - set(hostile_run['scores']) - set(hostile_run['failures']))}\n"
        f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    assert not set(hostile_run["scores"]) & set(hostile_run["failures"]), "a submission is both graded and failed"
    assert hostile_run["elapsed"] < 600, f"the run took {hostile_run['elapsed']:.0f} s"
    assert "isolation of student code: bwrap" in result.stdout


@pytest.mark.parametrize("student", ["normal-solution", "normal-blank", "normal-all-wrong"])
def test_normal_submissions_get_exactly_their_scores(hostile_run, student):
    expect = hostile_run["expected"][student]
    assert student not in hostile_run["failures"], hostile_run["failures"].get(student)
    assert hostile_run["scores"][student] == expect.score


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_hostile_submission_ends_with_a_fair_outcome(hostile_run, scenario):
    student = f"hostile-{scenario}"
    expect = hostile_run["expected"][student]
    graded, failed = student in hostile_run["scores"], student in hostile_run["failures"]
    if expect.outcome == "graded":
        assert graded, f"{scenario} should be graded; recorded failure: {hostile_run['failures'].get(student)}"
    elif expect.outcome == "failed":
        assert failed, f"{scenario} should be recorded as not gradable; it got {hostile_run['scores'].get(student)}"
    if failed:
        reason = hostile_run["failures"][student]
        assert len(reason) > 15 and "Traceback" not in reason, f"{scenario}: reason not actionable: {reason!r}"
    if graded:
        if expect.score is not None:
            assert hostile_run["scores"][student] == expect.score
        if expect.max_score is not None:
            assert hostile_run["scores"][student] <= expect.max_score, (
                f"{scenario}: score inflated to {hostile_run['scores'][student]} (honest: {expect.max_score})")


@pytest.mark.parametrize("scenario", ["reads-gradebook", "reads-solutions", "reads-other-student", "opens-network", "writes-outside"])
def test_cheating_attempts_left_evidence_that_they_failed(hostile_run, scenario):
    text = autograded_outputs(hostile_run, f"hostile-{scenario}")
    assert ": failed" in text and ": ok" not in text, f"{scenario}: the read or connection did not visibly fail"
    assert "internet reachable" not in text
    # (a write to /tmp succeeds, into the sandbox's private /tmp: test_nothing_was_written_outside_the_sandbox
    # checks the grader's side.)


def test_nothing_was_written_outside_the_sandbox(hostile_run):
    for where, path in hostile_run["canaries"].items():
        if where == "existing":
            assert path.read_text() == "original", "a student overwrote a file outside its folder"
        else:
            assert not path.exists(), f"a student wrote {path} ({where})"


def test_huge_output_never_reaches_the_gradebook(hostile_run):
    folder = hostile_run["dir"] / "autograded" / "hostile-huge-output" / ASSIGNMENT
    sizes = [p.stat().st_size for p in folder.glob("*.ipynb")]
    assert sizes and max(sizes) < 10_000_000, sizes
    assert (hostile_run["dir"] / "gradebook.db").stat().st_size < 20_000_000


def test_summary_lists_every_submission_that_could_not_be_graded(hostile_run):
    out = hostile_run["result"].stdout
    for student in hostile_run["failures"]:
        assert f"{student}/{ASSIGNMENT}" in out, f"{student} missing from the summary"


def test_report_lists_every_submission_that_could_not_be_graded(hostile_run, tmp_path):
    report = tmp_path / "report.html"
    result = subprocess.run([COURSE, "report", "--course-dir", str(hostile_run["dir"]), "-o", str(report)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    html = report.read_text()
    for student, reason in hostile_run["failures"].items():
        assert student in html, f"{student} missing from the report"


def test_no_kernel_or_sandbox_outlives_the_run(hostile_run):
    import psutil

    leftovers = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        # The sandbox's command line names this run's course dir (other test runs may be grading too).
        if "bwrap" in cmdline and str(hostile_run["dir"]) in cmdline:
            leftovers.append(cmdline[:200])
    assert not leftovers, leftovers


def test_feedback_and_student_notebooks_carry_no_hidden_tests(hostile_run):
    result = subprocess.run([COURSE, "feedback", "--course-dir", str(hostile_run["dir"])], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    pages = list((hostile_run["dir"] / "feedback").rglob("*.html"))
    assert pages, "course feedback wrote nothing"
    hidden = {a: leaks.secret_lines(variants.read_solution(a), kinds=("HIDDEN TESTS",)) for a in paths.assignments()}
    for page in pages:
        found = leaks.find_leaks(page.read_text(errors="replace"), hidden[ASSIGNMENT])
        found = [f for f in found if f != "### BEGIN SOLUTION"]
        assert not found, f"{page}: {found[:3]}"
    for assignment in paths.assignments():
        for notebook in (paths.notebooks_dir() / assignment).glob("*.ipynb"):
            text = notebook.read_text()
            assert not leaks.find_leaks(text, hidden[assignment]), notebook


# --------------------------------------------------------------------------------------------
# The static scan (no sandbox needed)


def test_scan_flags_patching_and_reading_but_not_honest_work(tmp_path):
    written = {}
    cases = {**make_fixtures.normal(), **{f"hostile-{k}": v for k, v in make_fixtures.scenarios(
        tmp_path, network_port=9, canaries={"x": tmp_path / "x"}).items()}}
    for student, (content, _expect) in cases.items():
        if isinstance(content, nbformat.NotebookNode):
            written[student] = scan.scan_submission(make_fixtures.write_submission(tmp_path, student, content) / next(
                (paths.notebooks_dir() / ASSIGNMENT).glob("*.ipynb")).name)
    for student in ["normal-solution", "normal-blank", "normal-all-wrong"]:
        assert written[student] == [], (student, written[student])
    for scenario in ["monkeypatches-builtins", "monkeypatches-checks", "reads-gradebook", "reads-solutions",
                     "reads-other-student", "opens-network", "writes-outside", "fork-bomb", "os-exit", "kernel-crash"]:
        assert written[f"hostile-{scenario}"], f"{scenario} not flagged"
    assert any("builtins" in f for f in written["hostile-monkeypatches-builtins"])
    assert any("course.checks" in f for f in written["hostile-monkeypatches-checks"])


def test_scan_of_an_unreadable_file_is_empty(tmp_path):
    (tmp_path / "bad.ipynb").write_text("{not json")
    assert scan.scan_submission(tmp_path / "bad.ipynb") == []


# --------------------------------------------------------------------------------------------
# Nothing lost when the run is killed


@pytest.mark.timeout(900)
def test_sigkill_mid_run_then_rerun_grades_everyone_exactly_once(tmp_path):
    require_bwrap()
    course_dir = tmp_path / "course-work"
    right = make_fixtures.normal()["normal-solution"][0]
    wrong = make_fixtures.normal()["normal-all-wrong"][0]
    students = {f"s{i:02d}": (right if i % 2 else wrong) for i in range(1, 9)}
    for student, nb in students.items():
        make_fixtures.write_submission(course_dir, student, nb)
    proc = subprocess.Popen(
        [COURSE, "autograde", ASSIGNMENT, "--course-dir", str(course_dir), "--workers", "2", "--timeout", str(CELL_TIMEOUT)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    db = course_dir / "gradebook.db"
    deadline = time.monotonic() + 300
    graded_before = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
                graded_before = conn.execute("select count(*) from submitted_assignment").fetchone()[0]
        except sqlite3.Error:
            continue
        if graded_before >= 1:
            break
    assert proc.poll() is None, "the run finished before it could be killed; use more submissions"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert 1 <= graded_before < len(students), graded_before

    rerun = autograde(course_dir, ASSIGNMENT)
    assert rerun.returncode == 0, rerun.stdout[-3000:] + rerun.stderr[-3000:]
    full = sum(autograded_points().values())
    with sqlite3.connect(db) as conn:
        duplicates = conn.execute(
            "select student_id, assignment_id, count(*) from submitted_assignment group by 1, 2 having count(*) > 1").fetchall()
        assert duplicates == []
        orphans = conn.execute("select count(*) from grade where notebook_id not in (select id from submitted_notebook)").fetchone()[0]
        assert orphans == 0
    with Gradebook(f"sqlite:///{db}", paths.COURSE_ID) as gb:
        submissions = gb.find_assignment(ASSIGNMENT).submissions
        assert sorted(s.student.id for s in submissions) == sorted(students)
        n_cells = len(list(gb.find_assignment(ASSIGNMENT).notebooks[0].grade_cells))
        for submission in submissions:
            for nb in submission.notebooks:
                assert len(nb.grades) == n_cells, f"{submission.student.id}: grades missing"
    got = scores(course_dir)
    assert got == {s: (full if nb is right else 0.0) for s, nb in students.items()}
    assert failures(course_dir) == {}


# Widgets: no stall over many runs is checked in tests/test_grading.py, whose pool grades every notebook
# 8-40 times in a row on two workers (test_no_cell_of_any_graded_submission_hit_the_timeout).


def test_cheating_submissions_are_flagged_in_the_gradebook_and_summary(hostile_run):
    with Gradebook(f"sqlite:///{hostile_run['dir'] / 'gradebook.db'}", paths.COURSE_ID) as gb:
        flagged = {
            s.student.id: any(nb.flagged for nb in s.notebooks)
            for s in gb.find_assignment(ASSIGNMENT).submissions
        }
    assert flagged["hostile-monkeypatches-checks"] and flagged["hostile-monkeypatches-builtins"]
    assert not flagged["normal-solution"]
    assert "flagged for review" in hostile_run["result"].stdout


def test_scan_does_not_flag_ordinary_pandas_or_road_map_words(tmp_path):
    import nbformat as nbf

    honest = nbf.v4.new_notebook(cells=[nbf.v4.new_code_cell(
        'sequence = ["concessions", "requests", "pacing"]\n'
        'balance = trade.eval("exports_bn - imports_bn")\n')])
    cheat = nbf.v4.new_notebook(cells=[nbf.v4.new_code_cell(
        "import socket\nanswer = eval(open('x').read())\n")])
    nbf.write(honest, str(tmp_path / "honest.ipynb"))
    nbf.write(cheat, str(tmp_path / "cheat.ipynb"))
    assert scan.scan_submission(tmp_path / "honest.ipynb") == []
    found = scan.scan_submission(tmp_path / "cheat.ipynb")
    assert any("network" in f for f in found) and any("run time" in f for f in found)
