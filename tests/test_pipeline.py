"""The instructor pipeline: parallel autograde, reruns, manual grades, failures, feedback, exports, report.

Most tests use the tiny course of tests/tiny_course.py (fast kernels, hostile cases); the last ones run
the real course end to end on a small simulated class.
"""

from __future__ import annotations

import csv
import json
import re

import nbformat
import pytest
from click.testing import CliRunner
from nbgrader.api import Grade, Gradebook

import tiny_course
from offline_html import remote_resources
from course import paths
from course.cli import main as cli
from course.grading import variants
from course.grading.autograde import autograde
from course.grading.discover import CourseWork
from course.grading.export import grades_table, write_grades
from course.grading.feedback import clean_test_cell, generate as generate_feedback
from course.grading.report import build_report, point_biserial
from course.grading.simulate import release_notebook, student_notebook
from course.leaks import find_leaks, secret_lines

A, NB = tiny_course.ASSIGNMENT, tiny_course.NOTEBOOK
GOOD = ["right", "alternative", "wrong", "wrong-type", "blank"]
BROKEN = {
    "empty-file": "empty",
    "corrupt-json": "not a readable notebook",
    "renamed-notebook": "no notebook named tiny.ipynb",
    "other-assignment": "none of the cells of tiny",
    "kernel-exits": "kernel died",
    "infinite-loop": "took longer than",
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """The tiny course as the package's solutions/, for this module (workers inherit the environment)."""
    root = tmp_path_factory.mktemp("tiny-course")
    solutions, notebooks = tiny_course.write_course(root)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COURSE_SOLUTIONS_DIR", str(solutions))
        mp.setenv("COURSE_NOTEBOOKS_DIR", str(notebooks))
        mp.setenv("COURSE_QUESTIONS_DIR", str(root / "instructor" / "questions"))
        yield root


def write_submission(work: CourseWork, student: str, nb=None, raw: str | None = None, name: str = NB) -> None:
    folder = work.submitted / student / A
    folder.mkdir(parents=True, exist_ok=True)
    if raw is not None:
        (folder / name).write_text(raw, encoding="utf-8")
    else:
        nbformat.write(nb, str(folder / name))


def tiny_student(choices: dict[str, str], wrong=tiny_course.WRONG, extra: dict[str, str] | None = None):
    solution = variants.read_solution(A)
    nb = student_notebook(solution, release_notebook(A, NB), choices, wrong, tiny_course.ALTERNATIVE)
    for cell in nb.cells:  # hostile code replaces an answer
        grade_id = variants.nbgrader_meta(cell).get("grade_id")
        if extra and grade_id in extra:
            cell.source = extra[grade_id]
    return nb


@pytest.fixture(scope="module")
def graded(tiny, tmp_path_factory):
    """A class of good and broken submissions, autograded once with 2 workers."""
    work = CourseWork.at(tmp_path_factory.mktemp("class") / "course-work")
    write_submission(work, "right", tiny_student({"q1": "solution", "q2": "solution"}))
    write_submission(work, "alternative", tiny_student({"q1": "alternative", "q2": "alternative"}))
    write_submission(work, "wrong", tiny_student({"q1": "wrong", "q2": "wrong"}))
    write_submission(work, "wrong-type", tiny_student({"q1": "wrong", "q2": "solution"}, wrong=tiny_course.WRONG_TYPE))
    write_submission(work, "blank", release_notebook(A, NB))
    write_submission(work, "empty-file", raw="")
    write_submission(work, "corrupt-json", raw='{"cells": [')
    write_submission(work, "renamed-notebook", tiny_student({"q1": "solution"}), name="tiny (1).ipynb")
    write_submission(work, "other-assignment", tiny_course.other_assignment_notebook())
    write_submission(work, "kernel-exits", tiny_student({}, extra={"q1": "import os\nos._exit(3)"}))
    write_submission(work, "infinite-loop", tiny_student({}, extra={"q1": "while True:\n    pass"}))
    # notebook limit 20 s: the endless loop is killed by the wall clock, not by the (longer) cell timeout
    # (each notebook also starts the grader's checker, so 8 s was too tight on a busy 2-core machine)
    summary = autograde(work, workers=2, cell_timeout=45, notebook_timeout=20)
    return work, summary


def scores(work: CourseWork, student: str) -> dict[str, float]:
    with Gradebook(work.db_url, paths.COURSE_ID) as gb:
        return {g.name: g.score for g in gb.find_submission_notebook("tiny", A, student).grades}


def points() -> dict[str, float]:
    return variants.test_points(variants.read_solution(A))


def test_good_submissions_are_graded_in_parallel(graded):
    work, summary = graded
    assert summary.workers == 2
    assert sorted(summary.graded) == sorted(f"{s}/{A}" for s in GOOD)
    assert summary.isolation  # the sandbox hook was called and reported its level
    full = points()
    assert {k: scores(work, "right")[k] for k in full} == full
    assert {k: scores(work, "alternative")[k] for k in full} == full
    assert all(scores(work, "wrong")[k] == 0 for k in full)
    assert all(scores(work, "blank")[k] == 0 for k in full)
    assert scores(work, "wrong-type")["q1_test"] == 0 and scores(work, "wrong-type")["q2_test"] == full["q2_test"]
    assert (work.autograded / "right" / A / NB).is_file()


def test_broken_submissions_are_recorded_with_a_reason(graded):
    work, summary = graded
    failures = json.loads(work.failures_path.read_text())
    for student, reason in BROKEN.items():
        key = f"{student}/{A}"
        assert reason in summary.failed[key], summary.failed[key]
        assert failures[key]["reason"] == summary.failed[key]
    with Gradebook(work.db_url, paths.COURSE_ID) as gb:
        graded_students = {s.student.id for s in gb.find_assignment(A).submissions}
    assert graded_students == set(GOOD)  # nothing half-written for the broken ones


def test_no_kernel_outlives_the_run(graded):
    import psutil

    work, _ = graded
    left = []
    for process in psutil.process_iter(["cmdline", "cwd"]):
        # only this run's kernels (other test sessions may run on the machine): their cwd or bwrap
        # command line is inside this course directory
        text = " ".join(process.info["cmdline"] or []) + " " + (process.info["cwd"] or "")
        if str(work.root) in text:
            left.append(process)
    assert left == []


def test_rerun_grades_only_the_rest_and_never_duplicates(graded, tmp_path):
    work, _ = graded
    # a fixed submission is graded on the next run; graded ones are skipped
    write_submission(work, "empty-file", tiny_student({"q1": "solution", "q2": "solution"}))
    summary = autograde(work, [A], workers=2, cell_timeout=45, notebook_timeout=20)
    assert sorted(summary.skipped) == sorted(f"{s}/{A}" for s in GOOD)
    assert f"empty-file/{A}" in summary.graded
    assert f"empty-file/{A}" not in json.loads(work.failures_path.read_text())
    with Gradebook(work.db_url, paths.COURSE_ID) as gb:
        submissions = [s.student.id for s in gb.find_assignment(A).submissions]
        n_grades = gb.db.query(__import__("nbgrader.api", fromlist=["Grade"]).Grade).count()
    assert sorted(submissions) == sorted(set(submissions))
    assert n_grades == len(submissions) * 3  # q1_test, q2_test, w1 per submission


def test_force_regrades_but_keeps_manual_scores(graded):
    work, _ = graded
    with Gradebook(work.db_url, paths.COURSE_ID) as gb:
        gb.find_grade("w1", "tiny", A, "right").manual_score = 1.5  # an instructor graded the essay
        gb.find_grade("q2_test", "tiny", A, "wrong").manual_score = 0.5  # and overrode a test
        gb.db.commit()
    # "right" resubmits wrong answers: a forced regrade must see them
    write_submission(work, "right", tiny_student({"q1": "wrong", "q2": "wrong"}))
    summary = autograde(work, [A], workers=2, force=True, students=["right", "wrong"])
    assert f"right/{A}" in summary.graded and f"wrong/{A}" in summary.graded
    with Gradebook(work.db_url, paths.COURSE_ID) as gb:
        essay = gb.find_grade("w1", "tiny", A, "right")
        override = gb.find_grade("q2_test", "tiny", A, "wrong")
        q1 = gb.find_grade("q1_test", "tiny", A, "right")
        assert (essay.manual_score, essay.score) == (1.5, 1.5)
        assert (override.manual_score, override.auto_score, override.score) == (0.5, 0, 0.5)
        assert override.needs_manual_grade  # regraded under a manual score: flagged for review, as nbgrader does
        assert q1.auto_score == 0  # the new (wrong) answers were graded
    # back to the right answers for the tests below
    write_submission(work, "right", tiny_student({"q1": "solution", "q2": "solution"}))
    autograde(work, [A], workers=1, force=True, students=["right"])
    assert scores(work, "right")["q1_test"] == points()["q1_test"]


def test_interrupted_run_is_finished_by_the_next(tiny, tmp_path):
    work = CourseWork.at(tmp_path / "cw")
    for student in ("s1", "s2", "s3"):
        write_submission(work, student, tiny_student({"q1": "solution", "q2": "wrong"}))
    first = autograde(work, workers=1, students=["s1"])  # as if the run stopped after s1
    # as if killed between copying s2's autograded notebook and recording its grade
    (work.autograded / "s2" / A).mkdir(parents=True)
    second = autograde(work, workers=2)
    assert list(first.graded) == [f"s1/{A}"]
    assert second.skipped == [f"s1/{A}"] and sorted(second.graded) == [f"s2/{A}", f"s3/{A}"]
    assert (work.autograded / "s2" / A / NB).is_file()


def test_templates_carry_the_due_date_set_in_the_main_gradebook(tiny, tmp_path):
    from datetime import datetime

    from dataclasses import replace

    from course.grading.autograde import template_tasks
    from course.grading.grade_one import make_template
    from course.grading.gradebook import stamp_if_new
    from course.grading.tasks import TemplateResult

    work = CourseWork.at(tmp_path / "cw")
    work.root.mkdir()
    stamp_if_new(work.db_url)
    due = datetime(2026, 3, 1, 17, 0)
    with Gradebook(work.db_url, paths.COURSE_ID) as gb:
        gb.update_or_create_assignment(A, duedate=due)
    (task,) = template_tasks(work, [A], tmp_path / "scratch")
    assert make_template(task) == TemplateResult(A, ok=True)
    with Gradebook(f"sqlite:///{task.template_db}", paths.COURSE_ID) as gb:
        assignment = gb.find_assignment(A)
        assert assignment.duedate == due
        assert [nb.name for nb in assignment.notebooks] == ["tiny"]
    failed = make_template(replace(task, assignment="no-such-assignment"))
    assert failed.ok is False and failed.reason


def test_an_assignment_nbgrader_cannot_generate_stops_the_run_with_its_name(tmp_path, monkeypatch):
    from course.grading.autograde import GradingError

    solutions, _ = tiny_course.write_course(tmp_path / "course")
    broken = nbformat.read(str(solutions / A / NB), as_version=4)
    broken.cells[2].metadata["nbgrader"]["grade_id"] = "q1"  # two cells with one grade id
    nbformat.write(broken, str(solutions / A / NB))
    monkeypatch.setenv("COURSE_SOLUTIONS_DIR", str(solutions))
    work = CourseWork.at(tmp_path / "cw")
    write_submission(work, "s1", broken)
    with pytest.raises(GradingError, match=f"could not generate {A}"):
        autograde(work, workers=1)
    with Gradebook(work.db_url, paths.COURSE_ID) as gb:
        assert gb.db.query(Grade).count() == 0  # nothing half-recorded


def test_feedback_shows_hidden_results_but_never_hidden_tests(graded):
    work, _ = graded
    result = generate_feedback(work)
    solution = variants.read_solution(A)
    hidden = secret_lines(solution, kinds=("HIDDEN TESTS",))
    everything = secret_lines(solution)
    assert hidden and len(result.written) >= len(GOOD)
    for page in result.written:
        text = page.read_text(encoding="utf-8")
        assert find_leaks(text, everything) == [], page
        assert "secret" not in text, page  # nor the hidden assertions' messages
    right = (work.feedback / "right" / A / "tiny.html").read_text()
    wrong = (work.feedback / "wrong" / A / "tiny.html").read_text()
    wrong_type = (work.feedback / "wrong-type" / A / "tiny.html").read_text()
    assert "Hidden checks: passed" in right and "Hidden checks: failed" not in right
    assert "Hidden checks: failed" in wrong
    assert "answer_one should be a whole number" in wrong_type  # a visible check's message is kept
    assert "not run" in wrong_type
    # self-contained: no script (MathJax came from a CDN), nothing fetched; the language is set
    for page in result.written:
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text and "cdnjs" not in text and "<html lang=\"en\">" in text, page
        assert remote_resources(text) == [], page  # no stylesheet, image or font from the network either
    # the grader saw the rubric under the essay in the autograded copy (Formgrader); the student does not
    autograded = nbformat.read(str(work.autograded / "wrong-type" / A / "tiny.ipynb"), as_version=4)
    assert any(c.metadata.get("course", {}).get("grader_note") == "w1" and "secret model answer" in c.source
               for c in autograded.cells)
    assert "secret model answer" not in wrong_type
    # an essay no one has graded yet is marked, not shown as a plain zero
    assert grades_table(work).set_index("student_id").loc["wrong-type", "awaiting_grader"] == "w1"
    assert "Not graded yet" in wrong_type and "Provisional" in wrong_type


def test_clean_test_cell_drops_tracebacks():
    cell = nbformat.v4.new_code_cell("assert x == 1, 'visible'\n### BEGIN HIDDEN TESTS\nassert y == 2, 'hidden msg'\n### END HIDDEN TESTS")
    cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="hidden msg",
                                           traceback=["\x1b[0;31mAssertionError\x1b[0m", "Cell In[4], line 3\n----> 3 assert y == 2, 'hidden msg'"])]
    clean_test_cell(cell, 0, 1)
    text = json.dumps(cell)
    assert "hidden msg" not in text and "y == 2" not in text and "Hidden checks: failed" in cell.source


def test_grades_csv_has_one_row_per_student_and_assignment(graded, tmp_path):
    work, _ = graded
    out = write_grades(work, tmp_path / "grades.csv", "csv")
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0])[:4] == ["student_id", "assignment", "score", "max_score"]
    # the questions are in one file per assignment (issue 27)
    rows = list(csv.DictReader((tmp_path / "grades-questions" / f"{A}.csv").open()))
    assert {"q1_test", "q2_test", "w1"} <= set(rows[0])
    students = {r["student_id"] for r in rows}
    assert len(rows) == len(students) == len(GOOD) + len(BROKEN)
    for row in rows:
        if row["status"] == "graded":
            # an answer awaiting a grader is blank there; the provisional score counts it 0
            parts = sum(float(row[q] or 0) for q in ("q1_test", "q2_test", "w1"))
            assert float(row["score"]) == pytest.approx(parts)
            assert float(row["max_score"]) == sum(points().values()) + 2  # + the written response
    by_student = {r["student_id"]: r for r in rows}
    assert by_student["other-assignment"]["status"] == "failed to grade" and by_student["other-assignment"]["score"] == ""


def test_canvas_export_is_a_gradebook_import_file(graded, tmp_path):
    work, _ = graded
    (work.root / "canvas-assignments.csv").write_text("assignment,canvas_id\ntiny,4242\n")
    out = write_grades(work, tmp_path / "canvas.csv", "canvas")
    rows = list(csv.reader(out.open()))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "tiny (4242)"]
    assert rows[1][0].strip() == "Points Possible" and float(rows[1][5]) == 5
    by_sis = {r[2]: r for r in rows[2:]}
    table = grades_table(work).set_index("student_id")
    # wrong-type wrote an essay no one has graded yet: its score is provisional, so Canvas keeps its grade
    assert table.loc["wrong-type", "awaiting_grader"] == "w1" and table.loc["wrong-type", "points_awaiting_grader"] == 2
    assert by_sis["wrong-type"][5] == ""
    assert table.loc["blank", "awaiting_grader"] == "" and float(by_sis["blank"][5]) == table.loc["blank", "score"]
    assert by_sis["corrupt-json"][5] == ""  # never a silent zero for a submission that failed to grade
    rows = list(csv.reader(write_grades(work, tmp_path / "all.csv", "canvas", include_provisional=True).open()))
    assert float({r[2]: r for r in rows[2:]}["wrong-type"][5]) == table.loc["wrong-type", "score"]


def test_point_biserial_is_the_pearson_correlation():
    import numpy as np
    import pandas as pd

    passed = pd.Series([1, 0, 1, 1, 0, 0])
    rest = pd.Series([9.0, 3.0, 7.0, 8.0, 4.0, 5.0])
    assert point_biserial(passed, rest) == pytest.approx(np.corrcoef(passed, rest)[0, 1])
    assert point_biserial(passed, -rest) < 0
    assert point_biserial(pd.Series([1, 1, 1]), pd.Series([1.0, 2.0, 3.0])) is None


def test_report_is_self_contained_with_every_section(graded):
    work, _ = graded
    page = build_report(work)
    for section in ("id='scores'", "id='questions'", "id='failures'"):
        assert section in page
    assert "<svg" in page and "q1_test" in page and "discrimination" in page
    assert "took longer than" in page and "other-assignment" in page
    assert not re.search(r"<(script|link)[^>]+(src|href)=", page)


def test_cli_verbs(graded, tmp_path):
    work, _ = graded
    runner = CliRunner()
    result = runner.invoke(cli, ["autograde", "--course-dir", str(work.root), "--workers", "2", "--notebook-timeout", "8"])
    assert "already graded" in result.output and "could not be graded" in result.output
    assert result.exit_code == 1  # some submissions still fail
    result = runner.invoke(cli, ["grades", "--course-dir", str(work.root), "--format", "canvas", "-o", str(tmp_path / "c.csv")])
    assert result.exit_code == 0 and (tmp_path / "c.csv").is_file()
    result = runner.invoke(cli, ["report", "--course-dir", str(work.root), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 0 and "Class report" in (tmp_path / "r.html").read_text()


# ---- the real course, end to end -------------------------------------------------------------

@pytest.fixture
def real_class(real_class, monkeypatch):
    """The session's simulated class of the real course (tests/conftest.py), seen without this module's tiny course."""
    for name in tiny_course.TINY_COURSE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return real_class


def test_real_course_simulated_class_grades(real_class):
    work, summary = real_class
    n_submissions = 3 * len(paths.assignments())
    assert summary.failed == {} and len(summary.graded) == n_submissions
    table = grades_table(work)
    for assignment in paths.assignments():
        rows = table[table["assignment"] == assignment].set_index("student_id")
        full = sum(variants.test_points(variants.read_solution(assignment)).values())
        assert rows.loc["student-001", "score"] == full  # "complete": every autograded point
        assert rows.loc["student-002", "score"] == 0  # "blank"


def test_real_course_feedback_has_no_hidden_test(real_class):
    work, _ = real_class
    result = generate_feedback(work)
    assert len(result.written) == 3 * len(paths.assignments())
    for page in result.written:
        assignment = page.parent.name
        hidden = secret_lines(variants.read_solution(assignment), kinds=("HIDDEN TESTS",))
        text = page.read_text(encoding="utf-8")
        assert find_leaks(text, hidden) == [], page
        assert "<script" not in text and remote_resources(text) == [], page  # readable offline (issue 19)
