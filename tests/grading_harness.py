"""Autograde notebooks in a throwaway course directory and read per-cell scores.

By default through `course autograde`'s own pipeline (nbgrader's autograde in parallel sandboxed
workers, the one instructors run); with ``configure`` through nbgrader's API one submission at a
time, because a changed config cannot reach the pool's worker processes.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory

from course import paths
from course.grading.isolation import execute
from course.grading.autograde import autograde as course_autograde
from course.grading.discover import CourseWork
from course.grading.nbgrader_config import make_config


def autograde(assignment: str, submissions: dict[str, nbformat.NotebookNode], course_dir: Path,
              configure=None) -> dict[str, dict[str, float]]:
    """Grade each student's notebook; return {student: {test grade_id: score}}.

    ``configure(config)`` may change the nbgrader config first. Raises AssertionError with the reason
    if a submission could not be graded at all.
    """
    if configure is None:
        return _graded_by_the_pool(assignment, submissions, course_dir)
    paths.ensure_venv_on_path()
    config = make_config(course_dir, release_dir=course_dir / "release")
    configure(config)
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    result = api.generate_assignment(assignment, force=True, create=True)
    assert result["success"], result.get("log")
    notebook_name = next((course_dir / "release" / assignment).glob("*.ipynb")).name
    _write_submissions(course_dir / "submitted", assignment, notebook_name, submissions)
    for student in submissions:
        result = api.autograde(assignment, student, force=True, create=True)
        assert result["success"], f"{student}: nbgrader autograde failed\n{result.get('log')}\n{result.get('error')}"
    return _scores(config.CourseDirectory.db_url, assignment, notebook_name, submissions)


def _graded_by_the_pool(assignment: str, submissions: dict[str, nbformat.NotebookNode],
                        course_dir: Path) -> dict[str, dict[str, float]]:
    work = CourseWork.at(course_dir)
    notebook_name = next((paths.notebooks_dir() / assignment).glob("*.ipynb")).name
    _write_submissions(work.submitted, assignment, notebook_name, submissions)
    summary = course_autograde(work, [assignment], workers=2, force=True)
    assert not summary.failed, f"not graded: {summary.failed}"
    # Forked kernels are the default (COURSE_KERNEL_MODE=plain, inherited by the workers, runs every
    # grading test with plain ones); in the full sandbox a fall back to plain kernels is a failure.
    if os.environ.get(execute.KERNEL_MODE_ENV, "forked") == "forked" and summary.isolation == {"bwrap"}:
        assert summary.kernels == {"forked"}, f"the forked kernel mode fell back to {summary.kernels}"
    return _scores(work.db_url, assignment, notebook_name, submissions)


def _write_submissions(submitted: Path, assignment: str, notebook_name: str,
                       submissions: dict[str, nbformat.NotebookNode]) -> None:
    for student, nb in submissions.items():
        target = submitted / student / assignment / notebook_name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(target))


def _scores(db_url: str, assignment: str, notebook_name: str, students) -> dict[str, dict[str, float]]:
    with Gradebook(db_url, paths.COURSE_ID) as gb:
        return {student: {g.name: g.score for g in gb.find_submission_notebook(Path(notebook_name).stem, assignment,
                                                                                student).grades}
                for student in students}
