"""`course build`: generate the student versions (notebooks/) from the instructor versions (solutions/)."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory

from . import diagnosis, paths
from .nbgrader_config import course_config

# Metadata nbgrader or Jupyter may add that says nothing about the content.
VOLATILE_NOTEBOOK_KEYS = ("widgets",)


class BuildError(RuntimeError):
    pass


def build(assignments: list[str] | None = None, out_dir: Path | None = None) -> list[Path]:
    """Run nbgrader generate_assignment for each assignment; return the student notebooks written.

    The gradebook nbgrader needs while generating lives in a throwaway folder, so building never
    leaves runtime state in the repository.
    """
    paths.ensure_venv_on_path()
    names = assignments or paths.assignments()
    out_dir = Path(out_dir or paths.notebooks_dir()).resolve()
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="course-build-") as scratch:
        config = course_config(Path(scratch), release_dir=out_dir)
        coursedir = CourseDirectory(config=config)
        api = NbGraderAPI(coursedir=coursedir, config=config)
        for name in names:
            if not (paths.solutions_dir() / name).is_dir():
                raise BuildError(f"solutions/{name}: no such assignment (have: {', '.join(paths.assignments())})")
            table = diagnosis.refresh(name)  # the named mistakes' fingerprints (runs the solution only when it changed)
            if table is not None:
                clashes = diagnosis.same_value_mistakes(json.loads(table.read_text(encoding="utf-8"))["questions"])
                if clashes:
                    answer, first, second = clashes[0]
                    raise BuildError(f"instructor/questions/{name}.py: {answer}'s mistakes '{first}' and '{second}' "
                                     "give the same value, so the second's message could never be shown")
            target = out_dir / name
            if target.exists():
                shutil.rmtree(target)
            result = api.generate_assignment(name, force=True, create=True)
            if not result["success"]:
                raise BuildError(f"nbgrader could not generate {name}:\n{result['log']}\n{result.get('error', '')}")
            for notebook in sorted(target.glob("*.ipynb")):
                normalise(notebook)
                written.append(notebook)
    return written


def normalise(notebook: Path) -> None:
    """Rewrite a generated notebook in a stable form (sorted keys, no volatile metadata)."""
    data = json.loads(notebook.read_text(encoding="utf-8"))
    for key in VOLATILE_NOTEBOOK_KEYS:
        data.get("metadata", {}).pop(key, None)
    notebook.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
