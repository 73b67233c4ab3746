"""The course's nbgrader settings: where the course lives and what nbgrader reads and writes.

This is the base every nbgrader run of the course starts from: `course build` uses it as it is;
course/grading/nbgrader_config.py adds the grading pipeline on top, and that one Config is what the
`course` verbs and Formgrader (the root nbgrader_config.py) use, so they can never disagree.
"""

from __future__ import annotations

from pathlib import Path

from traitlets.config import Config

from . import paths


def default_db_url(course_dir: Path) -> str:
    return f"sqlite:///{Path(course_dir).resolve() / 'gradebook.db'}"


def course_config(
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
    # Student notebooks must never carry outputs from the instructor's run.
    c.ClearOutput.enabled = True
    # Named mistakes and hints from the question contract go into the test cells before nbgrader saves
    # them to the gradebook and strips the hidden tests (course/diagnosis.py), so the student version and
    # the grader's copy of every test cell agree.
    from nbgrader.converters import GenerateAssignment

    from .diagnosis import InjectDiagnosis

    c.GenerateAssignment.preprocessors = [InjectDiagnosis, *GenerateAssignment.class_traits()["preprocessors"].default()]
    return c
