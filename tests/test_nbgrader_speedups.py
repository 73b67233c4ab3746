"""The cached metadata validation behaves exactly like nbgrader's jsonschema.validate call."""

from __future__ import annotations

import copy

import jsonschema
import nbformat
import pytest
from nbgrader.nbgraderformat import MetadataValidator, ValidationError

from course import paths
from course.grading import nbgrader_speedups


@pytest.fixture()
def installed():
    from nbgrader.nbgraderformat import common

    original = common.jsonschema
    nbgrader_speedups.install()
    yield common
    common.jsonschema = original


def _graded_cell():
    notebook = nbformat.read(str(paths.solutions_dir() / "00_alliance" / "00_alliance.ipynb"), as_version=4)
    return next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade"))


def test_install_replaces_only_nbgraders_validate_call(installed):
    assert installed.jsonschema.validate is nbgrader_speedups.validate
    assert jsonschema.validate is not nbgrader_speedups.validate  # the library itself is untouched
    nbgrader_speedups.install()  # idempotent
    assert installed.jsonschema.validate is nbgrader_speedups.validate


def test_valid_metadata_passes_and_invalid_fails_with_the_same_error(installed):
    validator = MetadataValidator()
    cell = _graded_cell()
    validator.validate_cell(cell)  # a real solution cell is valid

    broken = copy.deepcopy(cell)
    broken.metadata.nbgrader["points"] = "three"
    with pytest.raises(ValidationError) as ours:
        validator.validate_cell(broken)
    with pytest.raises(jsonschema.ValidationError) as upstream:
        jsonschema.validate(broken.metadata.nbgrader, validator.schema)
    assert ours.value.message == upstream.value.message
    assert list(ours.value.path) == list(upstream.value.path) == ["points"]


def test_a_broken_schema_is_still_reported():
    with pytest.raises(jsonschema.SchemaError):
        nbgrader_speedups.validate({}, {"type": "no-such-type"})
