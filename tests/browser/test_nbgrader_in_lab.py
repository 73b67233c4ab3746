"""nbgrader in JupyterLab (issue #10): the Validate button, and release -> fetch -> submit -> collect ->
`course autograde` through an exchange directory the test creates.

The instructor side uses nbgrader's CLI (release_assignment, collect) and the course's own
`course autograde`; the student side uses Lab's Nbgrader > Assignment List (Fetch, Submit) in Chromium.
"""

from __future__ import annotations

import getpass
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

import labdriver
from course import paths
from course.nbgrader_config import default_db_url

pytestmark = pytest.mark.browser

ASSIGNMENT = "00_alliance"
WRONG_ANSWER = ("q5_japan_position", "japan_fall_position = 1")  # passes the visible check, fails the hidden test
BIN = Path(sys.executable).parent


def _notebook_name() -> str:
    found = sorted((paths.notebooks_dir() / ASSIGNMENT).glob("*.ipynb"))
    assert found, f"no student notebook in notebooks/{ASSIGNMENT}"
    return found[0].name


def _completed(replace: dict[str, str] | None = None) -> nbformat.NotebookNode:
    name = _notebook_name()
    student = nbformat.read(str(paths.notebooks_dir() / ASSIGNMENT / name), as_version=4)
    solution = nbformat.read(str(paths.solutions_dir() / ASSIGNMENT / name), as_version=4)
    return labdriver.complete_from_solution(student, solution, replace)


def _validate_in_lab(page, lab_server, relative: str) -> tuple[str, str]:
    """Open the notebook, press Validate; return (result class, dialog text)."""
    labdriver.open_notebook(page, lab_server, relative)
    page.locator(f"{labdriver.PANEL} jp-button.validate-button").first.click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator(".validation-success, .validation-failed, .validation-passed").first.wait_for(timeout=180_000)
    classes = dialog.locator(".validation-success, .validation-failed, .validation-passed").first.get_attribute("class")
    text = dialog.inner_text()
    page.keyboard.press("Escape")
    dialog.first.wait_for(state="detached", timeout=10_000)
    return classes or "", text


def test_validate_button_completed_notebook_succeeds(page, lab_server, screenshots):
    target = lab_server.root / "validate-completed" / _notebook_name()
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(_completed(), str(target))
    classes, text = _validate_in_lab(page, lab_server, target.relative_to(lab_server.root))
    assert "validation-success" in classes, f"Validate on a completed notebook did not succeed:\n{text}"
    assert "Success! Your notebook passes all the tests." in text


def test_validate_button_blank_notebook_reports_failures(page, lab_server, screenshots):
    target = lab_server.root / "validate-blank" / _notebook_name()
    blank = paths.notebooks_dir() / ASSIGNMENT / _notebook_name()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(blank.read_bytes())
    classes, text = _validate_in_lab(page, lab_server, target.relative_to(lab_server.root))
    assert "validation-failed" in classes, f"Validate on a blank notebook did not report failures:\n{text}"
    assert "The following cell failed" in text
    assert "does not exist yet" in text or "NotImplementedError" in text, text


def _nbgrader(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([str(BIN / "nbgrader"), *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def _open_assignment_list(page, lab_server) -> None:
    page.goto(lab_server.lab_url())
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").first.wait_for(timeout=60_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").first.click()
    page.locator("#released_assignments_list").first.wait_for(timeout=30_000)


def test_release_fetch_submit_collect_autograde(page, lab_server, screenshots, tmp_path):
    student = getpass.getuser()  # nbgrader's exchange identifies a local student by the Unix user name
    course_dir = tmp_path / "instructor"
    course_dir.mkdir()
    (course_dir / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.course_id = {paths.COURSE_ID!r}\n"
        f"c.CourseDirectory.root = {str(course_dir)!r}\n"
        f"c.CourseDirectory.source_directory = {str(paths.solutions_dir().resolve())!r}\n"
        f"c.CourseDirectory.release_directory = {str(paths.notebooks_dir().resolve())!r}\n"
        f"c.Exchange.root = {str(lab_server.exchange)!r}\n"
    )
    # Instructor: release notebook 0 (the committed student version) to the exchange.
    _nbgrader(["release_assignment", ASSIGNMENT, "--force"], course_dir)
    assert (lab_server.exchange / paths.COURSE_ID / "outbound" / ASSIGNMENT).is_dir()

    # Student, in Lab: Nbgrader > Assignment List > Fetch.
    _open_assignment_list(page, lab_server)
    released = page.locator("#released_assignments_list")
    released.get_by_text(ASSIGNMENT).first.wait_for(timeout=30_000)
    released.locator("button", has_text="Fetch").first.click()
    fetched = page.locator("#fetched_assignments_list")
    fetched.get_by_text(ASSIGNMENT).first.wait_for(timeout=30_000)
    fetched_path = lab_server.root / ASSIGNMENT / _notebook_name()
    assert fetched_path.is_file(), f"Fetch did not write {fetched_path}"

    # The student answers: every question right except one plausible wrong answer.
    grade_id, wrong = WRONG_ANSWER
    nbformat.write(_completed({grade_id: wrong}), str(fetched_path))

    # Student, in Lab: Submit.
    fetched.locator("button", has_text="Submit").first.click()
    page.locator("#submitted_assignments_list").get_by_text(ASSIGNMENT).first.wait_for(timeout=60_000)
    page.screenshot(path=str(screenshots / "assignment-list-submitted.png"))
    inbound = lab_server.exchange / paths.COURSE_ID / "inbound"
    assert any(p.name.startswith(f"{student}+{ASSIGNMENT}+") for p in inbound.iterdir()), list(inbound.iterdir())

    # Instructor: collect, then grade with the course's own pipeline.
    _nbgrader(["collect", ASSIGNMENT], course_dir)
    submitted = course_dir / "submitted" / student / ASSIGNMENT / _notebook_name()
    assert submitted.is_file(), f"collect did not write {submitted}"
    result = subprocess.run([str(BIN / "course"), "autograde", ASSIGNMENT, "--course-dir", str(course_dir)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"course autograde failed:\n{result.stdout}\n{result.stderr}"

    # Expected: every automatically graded point except the wrong answer's test.
    solution = nbformat.read(str(paths.solutions_dir() / ASSIGNMENT / _notebook_name()), as_version=4)
    auto_points = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"].get("points", 0)
                   for c in solution.cells
                   if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")}
    lost = auto_points.get(f"{grade_id}_test")
    assert lost, f"{grade_id}_test is not a graded test cell of {ASSIGNMENT}: update WRONG_ANSWER"
    expected = sum(auto_points.values()) - lost
    with Gradebook(default_db_url(course_dir), paths.COURSE_ID) as gb:
        submission = gb.find_submission(ASSIGNMENT, student)
        code_score, score = submission.code_score, submission.score
        scores = {grade.name: grade.score for notebook in submission.notebooks for grade in notebook.grades}
    assert scores[f"{grade_id}_test"] == 0, scores
    assert code_score == pytest.approx(expected), (
        f"autograded {code_score} of the {sum(auto_points.values())} automatic points, expected {expected}: {scores}")
    assert score == pytest.approx(expected)  # written answers wait for manual grading
