"""Autograde notebooks with real nbgrader in a throwaway course directory and read per-cell scores."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory

from course import paths
from course.grading.nbgrader_config import make_config


def autograde(assignment: str, submissions: dict[str, nbformat.NotebookNode], course_dir: Path,
              configure=None) -> dict[str, dict[str, float]]:
    """Grade each student's notebook; return {student: {test grade_id: score}}.

    ``configure(config)`` may change the nbgrader config first. Raises AssertionError with nbgrader's
    log if a submission could not be graded at all.
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
    for student in submissions:
        result = api.autograde(assignment, student, force=True, create=True)
        assert result["success"], f"{student}: nbgrader autograde failed\n{result.get('log')}\n{result.get('error')}"
    with Gradebook(config.CourseDirectory.db_url) as gb:
        for student in submissions:
            submission = gb.find_submission_notebook(Path(notebook_name).stem, assignment, student)
            scores[student] = {g.name: g.score for g in submission.grades}
    return scores
