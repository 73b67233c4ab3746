"""nbgrader configuration for a course working directory (`--course-dir`)."""

from __future__ import annotations

from pathlib import Path

from traitlets.config import Config

from .. import paths


def default_db_url(course_dir: Path) -> str:
    return f"sqlite:///{Path(course_dir).resolve() / 'gradebook.db'}"


def make_config(
    course_dir: Path,
    *,
    db_url: str | None = None,
    release_dir: Path | None = None,
    cell_timeout: int = 30,
) -> Config:
    """A Config whose course root is ``course_dir`` and whose source is the package's solutions/.

    nbgrader joins each step's directory to the root with os.path.join, so an absolute
    source/release directory is used as it is.
    """
    course_dir = Path(course_dir).resolve()
    c = Config()
    c.CourseDirectory.root = str(course_dir)
    c.CourseDirectory.course_id = paths.COURSE_ID
    c.CourseDirectory.source_directory = str(paths.solutions_dir().resolve())
    c.CourseDirectory.release_directory = str(Path(release_dir or paths.notebooks_dir()).resolve())
    c.CourseDirectory.db_url = db_url or default_db_url(course_dir)
    c.ExecutePreprocessor.timeout = cell_timeout
    # Test cells run in the grader's checker, never in the student's kernel (course/grading/checker.py);
    # `course autograde` adds the sandbox on top (sandbox.apply).
    from .sandbox import autograde_pipeline

    # Graders see each written answer's rubric under it in Formgrader (rubrics.py); students never do.
    from .rubrics import ShowRubrics

    c.Autograde.autograde_preprocessors = [*autograde_pipeline(c), ShowRubrics]
    from .checker import tests_in_kernel_for_benchmark

    if tests_in_kernel_for_benchmark():  # benchmarks/autograde.py only: the old path, for comparison
        c.SandboxedExecute.use_checker = False
    # Student notebooks must never carry outputs from the instructor's run.
    c.ClearOutput.enabled = True
    return c
