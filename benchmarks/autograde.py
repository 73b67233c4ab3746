"""Benchmark: `course autograde` against plain serial `nbgrader autograde` and the execution floor.

    .venv/bin/python benchmarks/autograde.py [--submissions 40] [--workers N] [--keep DIR]

1. simulates one class with at least --submissions submissions across the notebooks in solutions/;
2. grades it with plain nbgrader, serially, as its documentation says (`nbgrader generate_assignment`
   then `nbgrader autograde <assignment>` for the whole class), in a fresh course folder;
3. grades the same class with `course autograde` (all cores), in a fresh course folder;
4. measures the floor: every submitted notebook run top to bottom with plain nbclient, serially,
   summed and divided by the number of cores (no grading, no database: only kernels and code), with
   NBGRADER_EXECUTION=autograde set as nbgrader sets it, so the notebooks take the same code paths
   (static widgets) as when they are graded. It is measured first, on an otherwise idle machine.

It prints the three times and the ratios. Targets on a 2-core machine: course autograde >= 1.8x faster
than plain nbgrader, and within 1.3x of the floor. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from course import paths  # noqa: E402
from course.grading.simulate import simulate_class  # noqa: E402

BIN = Path(sys.executable).parent


def nbgrader_config(root: Path) -> str:
    return (
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        f"c.CourseDirectory.course_id = {paths.COURSE_ID!r}\n"
        f"c.CourseDirectory.source_directory = {str(paths.solutions_dir().resolve())!r}\n"
        f"c.CourseDirectory.release_directory = {str(root / 'release')!r}\n"
        f"c.CourseDirectory.db_url = 'sqlite:///{root / 'gradebook.db'}'\n"
    )


def run(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    completed = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout[-3000:] + completed.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(command)}")
    return time.perf_counter() - started


def plain_nbgrader(class_dir: Path, work: Path) -> tuple[float, float]:
    """(generate seconds, autograde seconds) of plain serial nbgrader on a copy of the class."""
    work.mkdir(parents=True)
    shutil.copytree(class_dir / "submitted", work / "submitted")
    (work / "nbgrader_config.py").write_text(nbgrader_config(work))
    generate = sum(run([str(BIN / "nbgrader"), "generate_assignment", a, "--force"], work) for a in paths.assignments())
    grade = sum(run([str(BIN / "nbgrader"), "autograde", a, "--force"], work) for a in paths.assignments())
    return generate, grade


def course_autograde(class_dir: Path, work: Path, workers: int | None) -> float:
    work.mkdir(parents=True)
    shutil.copytree(class_dir / "submitted", work / "submitted")
    command = [str(BIN / "course"), "autograde", "--course-dir", str(work)]
    if workers:
        command += ["--workers", str(workers)]
    started = time.perf_counter()
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    completed = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    print(completed.stdout.strip())
    return seconds


def floor_seconds(class_dir: Path) -> tuple[float, int]:
    """Sum of plain nbclient run-all times of every submitted notebook (serial)."""
    import nbformat
    from nbclient import NotebookClient

    total, count = 0.0, 0
    # nbgrader sets this while autograding; the course's widgets draw statically under it.
    os.environ["NBGRADER_EXECUTION"] = "autograde"
    for notebook in sorted((class_dir / "submitted").glob("*/*/*.ipynb")):
        nb = nbformat.read(str(notebook), as_version=4)
        client = NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": str(notebook.parent)}})
        started = time.perf_counter()
        client.execute()
        total += time.perf_counter() - started
        count += 1
    del os.environ["NBGRADER_EXECUTION"]
    return total, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="keep the course folders here")
    args = parser.parse_args()
    paths.ensure_venv_on_path()
    cores = os.cpu_count() or 1
    assignments = paths.assignments()
    students = math.ceil(args.submissions / len(assignments))
    base = Path(tempfile.mkdtemp(prefix="bench-autograde-")) if args.keep is None else args.keep
    base.mkdir(parents=True, exist_ok=True)
    try:
        class_dir = base / "class"
        written = simulate_class(class_dir, students, seed=7)
        print(f"class: {students} students x {len(assignments)} notebook(s) = {len(written)} submissions; {cores} cores; "
              f"load average {os.getloadavg()[0]:.1f}")

        run_all, count = floor_seconds(class_dir)
        floor = run_all / cores
        print(f"floor: nbclient run-all of {count} notebooks {run_all:.1f} s / {cores} cores = {floor:.1f} s")
        generate, plain = plain_nbgrader(class_dir, base / "plain-nbgrader")
        print(f"plain nbgrader (serial): generate_assignment {generate:.1f} s + autograde {plain:.1f} s = {generate + plain:.1f} s")
        ours = course_autograde(class_dir, base / "course-autograde", args.workers)
        print(f"course autograde:        {ours:.1f} s (whole command: startup, gradebook, grading, merge)")
        print()
        print(f"speed-up vs plain nbgrader autograde:            {plain / ours:.2f}x (target >= 1.8x)")
        print(f"speed-up vs plain nbgrader generate + autograde: {(generate + plain) / ours:.2f}x")
        print(f"course autograde / floor:                        {ours / floor:.2f}x (target <= 1.3x)")
        # Other work on the machine skews every figure: say how busy it was.
        print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
