"""What students receive holds no instructor material, installs on its own and runs blank.

`course distribute` builds the student notebooks afresh, the package as a wheel with the data inside,
and scans every file (and every member of the wheel) for solutions, hidden tests, rubrics, contract
code and hidden reference numbers. The slow test installs that wheel into a fresh virtual environment
and runs every student notebook there with nothing of the repository in reach.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from course import distribute, paths


def test_scan_finds_planted_instructor_material(tmp_path):
    lines, numbers = distribute.instructor_secrets()
    secret = max(lines, key=len)
    # hidden tests now mostly compute their references; plant one number the scan is told about
    reference = "98765.4321"
    numbers = set(numbers) | {reference}
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "notes.md").write_text("Nothing to see here.\n")
    assert distribute.scan(clean, (lines, numbers)) == []

    planted = tmp_path / "planted"
    planted.mkdir()
    (planted / "a.py").write_text(f"x = 1\n{secret}\n")
    (planted / "b.md").write_text(f"the answer is {reference}\n")
    (planted / "c.txt").write_text("### BEGIN HIDDEN TESTS\n")
    with zipfile.ZipFile(planted / "course-0-py3-none-any.whl", "w") as wheel:
        wheel.writestr("course/sneaky.py", "QUESTIONS = [Mistake('x', 'y')]\n")
    found = {f.path for f in distribute.scan(planted, (lines, numbers))}
    assert found == {"a.py", "b.md", "c.txt", "course-0-py3-none-any.whl!course/sneaky.py"}


def _fresh_venv(root: Path) -> Path:
    """A new venv whose only course package is the installed wheel; other dependencies are borrowed
    from the test's own environment by path (a .pth line is not a site dir, so the editable install's
    hook there is not run)."""
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(root)], check=True)
    python = root / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    (Path(purelib) / "borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


@pytest.mark.slow
def test_student_distribution_installs_in_a_fresh_venv_and_runs_blank(tmp_path, monkeypatch):
    folder, archive = distribute.distribute(tmp_path / "out")
    assert archive.is_file() and zipfile.ZipFile(archive).testzip() is None
    wheel = next((folder / "wheels").glob("course-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "course/_data/datapackage.json" in names

    python = _fresh_venv(tmp_path / "venv")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], check=True,
                   capture_output=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COURSE_DATA_DIR")}
    where = subprocess.run([str(python), "-c", "import course, course.data as d; print(course.__file__); print(d.data_dir())"],
                           check=True, capture_output=True, text=True, cwd=tmp_path, env=env).stdout.split()
    assert all(str(tmp_path / "venv") in w for w in where), f"course was not imported from the fresh venv: {where}"
    assert str(paths.REPO_ROOT) not in " ".join(where)

    kernels = tmp_path / "jupyter" / "kernels" / "student"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "student", "language": "python",
    }))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.delenv("PYTHONPATH", raising=False)
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    problems = []
    for notebook in sorted((folder / "notebooks").glob("*/*.ipynb")):
        nb = nbformat.read(str(notebook), as_version=4)
        NotebookClient(nb, kernel_name="student", timeout=120, allow_errors=True,
                       resources={"metadata": {"path": str(notebook.parent)}}).execute()
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                if output.get("output_type") != "error":
                    continue
                blank = output["ename"] == "NotImplementedError" or (
                    output["ename"] == "CheckFailed" and "does not exist yet" in output["evalue"])
                if not blank:
                    problems.append(f"{notebook.name} {cell.metadata.get('nbgrader', {}).get('grade_id')}: "
                                    f"{output['ename']}: {output['evalue'][:200]}")
    assert not problems, "a blank student notebook failed for another reason than 'not answered yet':\n" + "\n".join(problems)
