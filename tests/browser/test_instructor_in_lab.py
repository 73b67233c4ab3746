"""The instructor's and the student's nbgrader in Lab (issue 19).

Formgrader, started by `course lab --role instructor --course-dir DIR`, shows the submissions that
`course autograde` graded into DIR, with each written answer's rubric under it; a score given there by
hand reaches `course grades`. The student's Lab (`course lab --role student`) has no Formgrader and no
Create Assignment. A small course (tests/tiny_course.py: two autograded questions and one written
answer) keeps grading short.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

import tiny_course
from conftest import SCREENSHOTS, free_port, require_browser, stop_process
from course import paths

pytestmark = pytest.mark.browser

COURSE = Path(sys.executable).parent / "course"
A = tiny_course.ASSIGNMENT
# nbgrader's grading page used to load MathJax 2 from a CDN, and its script stops (no score loads or saves)
# without it. `course lab --role instructor` serves MathJax from the Jupyter server (jupyter-server-mathjax,
# course/jupyter_instructor/), so the test lets the page fetch nothing but the server itself (issue 19).


@pytest.fixture
def tiny_class(tmp_path, monkeypatch):
    """The tiny course as the package's solutions/, and three autograded students (one essay to grade)."""
    require_browser()
    from course.grading.autograde import autograde
    from course.grading.discover import CourseWork
    from test_pipeline import tiny_student, write_submission

    solutions, notebooks = tiny_course.write_course(tmp_path / "tiny-course")
    monkeypatch.setenv("COURSE_SOLUTIONS_DIR", str(solutions))
    monkeypatch.setenv("COURSE_NOTEBOOKS_DIR", str(notebooks))
    work = CourseWork.at(tmp_path / "course-work")
    write_submission(work, "essayist", tiny_student({"q1": "solution", "q2": "solution", "w1": "solution"}))
    write_submission(work, "half", tiny_student({"q1": "solution", "q2": "wrong"}))
    write_submission(work, "blank", tiny_student({}))
    summary = autograde(work, workers=2)
    assert sorted(summary.graded) == sorted(f"{s}/{A}" for s in ("essayist", "half", "blank")), summary
    return work


def _awaiting(work) -> dict[str, str]:
    from course.grading.export import grades_table

    table = grades_table(work)
    return dict(zip(table["student_id"], table["awaiting_grader"]))


class InstructorLab:
    def __init__(self, work, tmp_path: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / "lab-instructor.log"
        env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), BROWSER="true")
        with self.log.open("w") as handle:
            self.process = subprocess.Popen(
                [str(COURSE), "lab", "--role", "instructor", "--course-dir", str(work.root), "--port", str(self.port)],
                stdout=handle, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
        deadline = time.monotonic() + 90
        self.token = None
        while time.monotonic() < deadline and self.token is None:
            if self.process.poll() is not None:
                raise AssertionError(f"`course lab` exited with {self.process.returncode}:\n{self.log.read_text()}")
            found = re.search(r"[?&]token=([0-9a-f]+)", self.log.read_text())
            if found:
                try:
                    self.api("/api/status", token=found.group(1))
                    self.token = found.group(1)
                except OSError:
                    pass
            time.sleep(0.3)
        assert self.token, f"`course lab` did not start:\n{self.log.read_text()}"

    def api(self, path: str, token: str | None = None):
        request = urllib.request.Request(self.url + path, headers={"Authorization": f"token {token or self.token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read().decode() or "null")


def test_formgrader_shows_the_course_with_rubrics_and_a_hand_grade_reaches_course_grades(tiny_class, tmp_path, browser_context):
    work = tiny_class
    assert _awaiting(work)["essayist"] == "w1"  # the essay awaits a grader
    lab = InstructorLab(work, tmp_path)
    try:
        submissions = lab.api(f"/formgrader/api/submissions/{A}")
        assert {s["student"] for s in submissions} == {"essayist", "half", "blank"}, submissions
        assert "not a subdirectory of the notebook" not in lab.log.read_text()
        notebooks = {n["student"]: n["id"] for n in lab.api(f"/formgrader/api/submitted_notebooks/{A}/{tiny_course.NOTEBOOK[:-6]}")}
        page = browser_context.new_page()
        page.set_extra_http_headers({"Authorization": f"token {lab.token}"})  # also for the page's own API calls
        remote: list[str] = []

        def offline(route):  # this machine has no internet; a grader's may not either
            if route.request.url.startswith(lab.url + "/"):
                route.continue_()
            else:
                remote.append(route.request.url)
                route.abort()

        page.route("**/*", offline)
        try:
            page.goto(f"{lab.url}/formgrader/submissions/{notebooks['essayist']}")
            # MathJax from the server itself, started (formgrade.js waits for its "End" signal)
            page.wait_for_function("window.MathJax && MathJax.loaded === true", timeout=60_000)
            assert remote == [], f"the grading page asked the network for {remote}"
            note = page.locator("text=For the grader").first
            note.wait_for(timeout=30_000)
            # the rubric (the model answer of solutions/) sits right under the student's answer
            assert "The secret model answer text" in page.inner_text("body")
            # Formgrader shows an autograded score as the field's placeholder once its scores have loaded
            page.wait_for_function("document.querySelector('input.score#q1_test').placeholder === '2'", timeout=30_000)
            assert "needs_manual_grade" in page.locator("input.score#w1").get_attribute("class")
            score = page.locator("input.score#w1")
            score.fill("1.5")
            score.press("Tab")  # Formgrader saves a score when the field loses focus
            note.scroll_into_view_if_needed()
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "formgrader-rubric-under-answer.png"))
            deadline = time.monotonic() + 30
            manual = None
            while time.monotonic() < deadline and manual != 1.5:
                with Gradebook(work.db_url, paths.COURSE_ID) as gb:
                    manual = gb.find_grade("w1", tiny_course.NOTEBOOK[:-6], A, "essayist").manual_score
                time.sleep(0.5)
            assert manual == 1.5, "the score typed in Formgrader did not reach the gradebook"
        finally:
            page.close()
    finally:
        stop_process(lab.process)
    out = tmp_path / "grades.csv"
    result = subprocess.run([str(COURSE), "grades", "--course-dir", str(work.root), "-o", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    rows = {row["student_id"]: row for row in csv.DictReader(out.open())}
    # the question scores are in one file per assignment beside grades.csv (issue 27)
    questions = {row["student_id"]: row for row in csv.DictReader((tmp_path / "grades-questions" / f"{A}.csv").open())}
    assert float(questions["essayist"]["w1"]) == 1.5 and rows["essayist"]["awaiting_grader"] == ""
    assert float(rows["essayist"]["score"]) == float(questions["essayist"]["q1_test"]) + float(questions["essayist"]["q2_test"]) + 1.5


def test_student_lab_has_no_instructor_menu_items(page, lab_server, screenshots):
    page.goto(lab_server.lab_url())
    menu = page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader")
    menu.first.wait_for(timeout=60_000)
    menu.first.click()
    items = page.locator(".lm-Menu-content .lm-Menu-itemLabel")
    items.first.wait_for(timeout=10_000)
    labels = [label.strip() for label in items.all_inner_texts()]
    page.screenshot(path=str(screenshots / "student-nbgrader-menu.png"))
    page.keyboard.press("Escape")
    assert labels, "the student's Nbgrader menu is empty"
    assert not [label for label in labels if "Formgrader" in label or "Create Assignment" in label], labels
    assert page.locator(".jp-SideBar [title*='Create Assignment'], .jp-SideBar [data-id*='create-assignment']").count() == 0
    with pytest.raises(urllib.error.HTTPError) as refused:
        lab_server.api("/formgrader/api/assignments")
    assert refused.value.code == 404  # the server extension is off too
