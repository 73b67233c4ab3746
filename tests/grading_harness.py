"""Autograde notebooks with real nbgrader in a throwaway course directory and read per-cell scores."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory

from course import paths
from course.grading.isolation import execute
from course.grading.nbgrader_config import make_config


def autograde(assignment: str, submissions: dict[str, nbformat.NotebookNode], course_dir: Path,
              configure=None) -> dict[str, dict[str, float]]:
    """Grade each student's notebook; return {student: {test grade_id: score}}.

    ``configure(config)`` may change the nbgrader config first. Raises AssertionError with nbgrader's
    log if a submission could not be graded at all. With COURSE_KERNEL_MODE=forked each submission
    is graded in the sandbox (isolation.execute.apply) by a kernel forked from the template, so that
    every grading test can be run in that mode too.
    """
    paths.ensure_venv_on_path()
    config = make_config(course_dir, release_dir=course_dir / "release")
    if configure is not None:
        configure(config)
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    result = api.generate_assignment(assignment, force=True, create=True)
    assert result["success"], result.get("log")
    notebook_name = next((course_dir / "release" / assignment).glob("*.ipynb")).name
    for student, nb in submissions.items():
        target = course_dir / "submitted" / student / assignment / notebook_name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(target))
    scores: dict[str, dict[str, float]] = {}
    forked = os.environ.get(execute.KERNEL_MODE_ENV) == "forked"
    for student in submissions:
        if forked:
            execute.apply(config, submission_dir=course_dir / "submitted" / student / assignment, course_dir=course_dir,
                          cell_timeout=config.ExecutePreprocessor.timeout)
            api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
        result = api.autograde(assignment, student, force=True, create=True)
        assert not forked or execute.last_kernel_mode == "forked", "the forked kernel mode fell back to plain"
        assert result["success"], f"{student}: nbgrader autograde failed\n{result.get('log')}\n{result.get('error')}"
    with Gradebook(config.CourseDirectory.db_url) as gb:
        for student in submissions:
            submission = gb.find_submission_notebook(Path(notebook_name).stem, assignment, student)
            scores[student] = {g.name: g.score for g in submission.grades}
    return scores
