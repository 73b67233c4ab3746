"""The one nbgrader configuration of grading: the `course` verbs and Formgrader (the root nbgrader_config.py) use it.

It is the course's base configuration (course/nbgrader_config.py, which `course build` uses alone)
with the autograde pipeline on top: test cells run in the grader's checker, never in the student's
kernel (course/grading/checker.py); `course autograde` adds the sandbox (isolation/execute.apply).
"""

from __future__ import annotations

from pathlib import Path

from traitlets.config import Config

from ..nbgrader_config import course_config


def make_config(
    course_dir: Path,
    *,
    db_url: str | None = None,
    release_dir: Path | None = None,
    cell_timeout: int = 30,
) -> Config:
    """The course's Config for ``course_dir`` (course/nbgrader_config.course_config), ready to autograde."""
    from .isolation.execute import autograde_pipeline

    # Graders see each written answer's rubric under it in Formgrader (rubrics.py); students never do.
    from .rubrics import ShowRubrics

    c = course_config(course_dir, db_url=db_url, release_dir=release_dir, cell_timeout=cell_timeout)
    c.Autograde.autograde_preprocessors = [*autograde_pipeline(c), ShowRubrics]
    # nbconvert's own option: validate the notebook once, after the last preprocessor, not after each
    # of them (a dozen whole-notebook schema checks per graded notebook). A preprocessor that broke the
    # notebook still fails the run; the message then names the last preprocessor.
    c.Exporter.optimistic_validation = True
    from .checker import tests_in_kernel_for_benchmark

    if tests_in_kernel_for_benchmark():  # benchmarks/autograde.py only: the old path, for comparison
        c.SandboxedExecute.use_checker = False
    return c
