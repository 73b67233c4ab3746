import os
import sys
from pathlib import Path

import pytest

# tests import helpers such as grading_harness from this folder
sys.path.insert(0, str(Path(__file__).parent))
# nbgrader shells out to alembic from the venv
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
# Notebooks with per-student variants (course/personal.py) need a student id; a test that runs one without
# saying whose it is runs it as this student. The grader sets its own id per submission.
os.environ.setdefault("COURSE_STUDENT_ID", "test-student")


@pytest.fixture(scope="session")
def real_class(tmp_path_factory):
    """The real course's simulated class (complete, blank, all-wrong), autograded once for the session.

    Shared by the pipeline tests (scores, feedback) and the browser's axe tests (feedback pages, class
    report), so the 21 submissions are graded once. Returns (CourseWork, Summary).
    """
    from course.grading.autograde import autograde
    from course.grading.discover import CourseWork
    from course.grading.simulate import simulate_class
    from tiny_course import TINY_COURSE_VARIABLES

    # the real course, whatever a module's tiny-course fixture set (and only while grading: a module
    # that uses this fixture with a tiny course active deletes the same variables per test)
    with pytest.MonkeyPatch.context() as mp:
        for name in TINY_COURSE_VARIABLES:
            mp.delenv(name, raising=False)
        work = CourseWork.at(tmp_path_factory.mktemp("real") / "course-work")
        simulate_class(work.root, 3, seed=1)  # complete, blank, all-wrong: bounded time as notebooks are added
        summary = autograde(work, workers=2)
    return work, summary
