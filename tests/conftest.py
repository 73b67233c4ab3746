import os
import sys
from pathlib import Path

# tests import helpers such as grading_harness from this folder
sys.path.insert(0, str(Path(__file__).parent))
# nbgrader shells out to alembic from the venv
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
# Notebooks with per-student variants (course/personal.py) need a student id; a test that runs one without
# saying whose it is runs it as this student. The grader sets its own id per submission.
os.environ.setdefault("COURSE_STUDENT_ID", "test-student")
