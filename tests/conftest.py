import os
import sys
from pathlib import Path

# tests import helpers such as grading_harness from this folder
sys.path.insert(0, str(Path(__file__).parent))
# nbgrader shells out to alembic from the venv
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
