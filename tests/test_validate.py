"""`course validate`: exit 0 when every visible check passes, 1 when some fail, 2 when the test cells were
changed or the file is not a readable notebook (`nbgrader validate` always exits 0)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

import tiny_course
from course.cli import main as cli
from course.grading import variants
from test_pipeline import tiny, tiny_student  # noqa: F401 - tiny is a fixture


def run_validate(path: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, ["validate", str(path), "--json"])
    return result.exit_code, json.loads(result.output)


def save(nb, path: Path) -> Path:
    nbformat.write(nb, str(path))
    return path


def test_all_visible_checks_pass(tiny, tmp_path):
    code, result = run_validate(save(tiny_student({"q1": "solution", "q2": "solution"}), tmp_path / "tiny.ipynb"))
    assert (code, result["status"]) == (0, "passed")


def test_hidden_checks_are_not_run_by_validate(tiny, tmp_path):
    # wrong values of the right type pass the visible checks; only the grader's hidden tests catch them
    code, _ = run_validate(save(tiny_student({"q1": "wrong", "q2": "wrong"}), tmp_path / "tiny.ipynb"))
    assert code == 0


def test_a_failing_visible_check_exits_1_and_names_the_cell(tiny, tmp_path):
    nb = tiny_student({"q1": "wrong", "q2": "solution"}, wrong=tiny_course.WRONG_TYPE)
    code, result = run_validate(save(nb, tmp_path / "tiny.ipynb"))
    assert (code, result["status"]) == (1, "failed")
    assert [f["grade_id"] for f in result["failures"]] == ["q1_test"]
    assert "answer_one should be a whole number" in result["failures"][0]["error"]


def test_an_edited_test_cell_exits_2(tiny, tmp_path):
    nb = tiny_student({"q1": "wrong", "q2": "solution"}, wrong=tiny_course.WRONG_TYPE)
    for cell in nb.cells:
        if variants.nbgrader_meta(cell).get("grade_id") == "q1_test":
            cell.source = "assert True"
    code, result = run_validate(save(nb, tmp_path / "tiny.ipynb"))
    assert (code, result["status"]) == (2, "changed")


@pytest.mark.parametrize("content", ["", '{"cells": [', "not a notebook at all", '{"nbformat": 4}'],
                         ids=["empty-file", "corrupt-json", "plain-text", "invalid-notebook"])
def test_an_unreadable_file_exits_2(content, tmp_path):
    path = tmp_path / "tiny.ipynb"
    path.write_text(content)
    code, result = run_validate(path)
    assert (code, result["status"]) == (2, "unreadable")


def test_a_missing_file_exits_2(tmp_path):
    code, result = run_validate(tmp_path / "missing.ipynb")
    assert (code, result["status"]) == (2, "unreadable")


def test_the_installed_command_sets_the_process_exit_code(tmp_path):
    path = tmp_path / "tiny.ipynb"
    path.write_text('{"cells": [')
    command = Path(sys.executable).parent / "course"
    completed = subprocess.run([str(command), "validate", str(path)], capture_output=True, text=True,
                               env={**os.environ}, timeout=120)
    assert completed.returncode == 2 and "not a readable notebook" in completed.stdout
