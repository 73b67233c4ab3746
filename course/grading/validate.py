"""`course validate`: nbgrader's Validator with an honest exit code and JSON.

`nbgrader validate` always exits 0 (docs/toolchain.md); instructors and CI scripts need the verdict.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbgrader.validator import Validator
from traitlets.config import Config

from .. import cells, paths

EXIT_PASSED, EXIT_FAILED, EXIT_UNUSABLE = 0, 1, 2


def _grade_id_of(source: str, notebook: Path) -> str | None:
    """Find the grade_id of the cell with this source (the Validator reports sources only)."""
    try:
        nb = nbformat.read(str(notebook), as_version=4)
    except Exception:  # noqa: BLE001 - best effort, only used to label a message
        return None
    for cell in nb.cells:
        if cell.source.strip() == source.strip():
            return cells.cell_grade_id(cell)
    return None


def identity_warnings(notebook: Path, nb) -> list[str]:
    """Warnings when the id the notebook shows (its saved outputs, its folder's id file) is not the id of
    this environment (COURSE_STUDENT_ID, JUPYTERHUB_USER): the grader uses the submission's own id."""
    from .. import personal

    claimed = personal.claimed_ids(nb)
    stored = personal.stored_id(notebook.parent)
    found = personal.environment_id()
    actual, source = found if found else (stored, personal.ID_FILE) if stored else (None, None)
    if actual is None:
        return []
    others = [c for c in [*claimed, *([stored] if stored else [])] if c != actual]
    if not others:
        return []
    return [f"{notebook}: the notebook shows student id {', '.join(sorted(set(others)))}, but this environment's id is "
            f"{actual} (from {source}). Grading uses the id your submission is collected under, so the questions marked "
            f"as yours are graded with that id's parameters: run the notebook again from the top before you submit."]


def validate_notebook(notebook: Path, cell_timeout: int = 60) -> dict:
    notebook = Path(notebook)
    base = {"notebook": str(notebook)}
    if not notebook.is_file():
        return {**base, "status": "unreadable", "exit_code": EXIT_UNUSABLE, "message": f"{notebook}: no such file"}
    try:
        nbformat.validate(nbformat.read(str(notebook), as_version=4))
    # NotJSONError (empty or corrupt file) and JSONDecodeError are ValueErrors.
    except (ValueError, nbformat.ValidationError, UnicodeDecodeError, KeyError, AttributeError, TypeError) as error:
        message = f"{notebook}: not a readable notebook ({type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''})"
        return {**base, "status": "unreadable", "exit_code": EXIT_UNUSABLE, "message": message}

    warnings = identity_warnings(notebook, nbformat.read(str(notebook), as_version=4))
    result = _validate(notebook, base, cell_timeout)
    if warnings:
        result["warnings"] = warnings
        result["message"] += " Warning: " + " ".join(w.split(": ", 1)[1] for w in warnings)
    return result


def _validate(notebook: Path, base: dict, cell_timeout: int) -> dict:
    paths.ensure_venv_on_path()
    validator = Validator(config=Config({"ExecutePreprocessor": {"timeout": cell_timeout}}))
    results = validator.validate(str(notebook))
    if results.get("type_changed") or results.get("changed"):
        changed = results.get("type_changed") or results.get("changed")
        return {
            **base, "status": "changed", "exit_code": EXIT_UNUSABLE,
            "message": f"{notebook}: {len(changed)} test cell(s) were changed; restore them (the grader uses the originals).",
            "changed": [c["source"][:200] for c in changed],
        }
    failed = results.get("failed", [])
    if failed:
        failures = [{"grade_id": _grade_id_of(c["source"], notebook), "error": c["raw_error"]} for c in failed]
        return {
            **base, "status": "failed", "exit_code": EXIT_FAILED, "failures": failures,
            "message": f"{notebook}: {len(failed)} check(s) fail. Fix them before you submit.",
        }
    return {**base, "status": "passed", "exit_code": EXIT_PASSED, "message": f"{notebook}: all visible checks pass."}
