"""The one vocabulary for cell kinds (course/cells.py), on cells the authoring helpers write."""

from __future__ import annotations

import subprocess
import sys

from course import cells, paths


def test_each_helper_makes_exactly_its_kind():
    kinds = {
        "answer": cells.answer("q1", "x = 1"),
        "test": cells.test("q1-test", "assert x == 1", hidden="assert x > 0", points=2),
        "written": cells.written("w1", "Because.", "1 point for a reason.", points=1),
        "locked": cells.md("Read me.", grade_id="intro"),
        "plain": cells.code("print(1)"),
    }
    found = {name: (cells.is_answer_cell(c), cells.is_test_cell(c), cells.is_written_response(c), cells.is_locked(c))
             for name, c in kinds.items()}
    assert found == {
        "answer": (True, False, False, False),
        "test": (False, True, False, True),
        "written": (False, False, True, False),
        "locked": (False, False, False, True),
        "plain": (False, False, False, False),
    }
    nb = cells.new_notebook(list(kinds.values()))
    assert cells.answer_ids(nb) == ["q1"] and cells.test_points(nb) == {"q1-test": 2.0}
    assert cells.nbgrader_meta({"cell_type": "code", "metadata": {}}) == {}


def test_build_never_imports_the_grading_package():
    code = "import sys, course.build; print(any(m.startswith('course.grading') for m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=paths.REPO_ROOT, check=True)
    assert done.stdout.strip() == "False"

