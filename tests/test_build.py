"""notebooks/ is exactly what `course build` makes from solutions/, and leaks nothing."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest

from course import leaks, paths
from course.build import VOLATILE_NOTEBOOK_KEYS

ASSIGNMENTS = paths.assignments()


def _comparable(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in VOLATILE_NOTEBOOK_KEYS:
        data.get("metadata", {}).pop(key, None)
    return data


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    out = tmp_path_factory.mktemp("rebuilt")
    subprocess.run([sys.executable, "-m", "course.cli", "build", "--out", str(out)], check=True, capture_output=True)
    return out


def test_every_assignment_has_one_student_notebook():
    for assignment in ASSIGNMENTS:
        assert len(list((paths.notebooks_dir() / assignment).glob("*.ipynb"))) == 1, assignment
    assert sorted(p.name for p in paths.notebooks_dir().iterdir() if p.is_dir()) == ASSIGNMENTS


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_student_version_matches_a_fresh_build(rebuilt, assignment):
    for fresh in (rebuilt / assignment).glob("*.ipynb"):
        committed = paths.notebooks_dir() / assignment / fresh.name
        assert committed.exists(), f"{committed} missing: run `course build`"
        assert _comparable(committed) == _comparable(fresh), (
            f"{committed} differs from what `course build` makes from solutions/: "
            "never edit notebooks/ by hand; edit solutions/ and run `course build`."
        )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_student_version_has_no_solution_rubric_or_hidden_test(assignment):
    instructor = nbformat.read(str(next((paths.solutions_dir() / assignment).glob("*.ipynb"))), as_version=4)
    secrets = leaks.secret_lines(instructor)
    assert secrets, "the instructor version should have solution and hidden-test lines to look for"
    for student in (paths.notebooks_dir() / assignment).glob("*.ipynb"):
        found = leaks.find_leaks(student.read_text(encoding="utf-8"), secrets)
        assert found == [], f"{student} leaks instructor-only text: {found[:5]}"


def test_leak_scan_catches_a_leak():
    instructor = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "x = 1\n### BEGIN HIDDEN TESTS\nassert answer_value == 42\n### END HIDDEN TESTS")])
    secrets = leaks.secret_lines(instructor)
    assert leaks.find_leaks("... assert answer_value == 42 ...", secrets) == ["assert answer_value == 42"]
    assert leaks.find_leaks("x = 1", secrets) == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_notebooks_carry_no_outputs(assignment):
    for path in (paths.solutions_dir() / assignment).glob("*.ipynb"):
        nb = nbformat.read(str(path), as_version=4)
        with_outputs = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
        assert with_outputs == [], f"{path}: clear the outputs of cells {with_outputs} before committing"
