"""Benchmark: `course autograde` with its checker vs without, against plain serial nbgrader, and the floor.

    .venv/bin/python benchmarks/autograde.py [--submissions 40] [--workers N] [--keep DIR]
                                             [--part all|checker|nbgrader] [--rounds 3] [--assignments A ...]

The checker part (issue 17: the checker may cost at most 15 %) grades the same simulated class with
`course autograde` as it grades (test cells in the trusted checker process) and the old way (test
cells in the student's kernel, switched on for this benchmark only by
COURSE_BENCHMARK_TESTS_IN_KERNEL=1, see course/grading/checker.py), alternately, --rounds pairs,
each in a fresh course folder; it prints each pair's ratio of wall time and of CPU time (user + sys
of every process the command started, sampled from /proc; less sensitive to other load on the
machine than wall time), their medians, and whether both ways gave the same scores. The order
alternates (checker first, then kernel first) so that drift of the machine's load does not favour one side.

The nbgrader part:

1. simulates one class with at least --submissions submissions across the notebooks in solutions/;
2. grades it with plain nbgrader, serially, as its documentation says (`nbgrader generate_assignment`
   then `nbgrader autograde <assignment>` for the whole class), in a fresh course folder;
3. grades the same class with `course autograde` (all cores), in a fresh course folder, with plain
   kernels (`--kernels plain`) and with kernels forked from a template (`--kernels forked`, issue 21),
   and says whether both gave the same scores;
4. measures the floor: every submitted notebook run top to bottom with plain nbclient, serially,
   summed and divided by the number of cores (no grading, no database: only kernels and code), with
   NBGRADER_EXECUTION=autograde set as nbgrader sets it, so the notebooks take the same code paths
   (static widgets) as when they are graded. It is measured first, on an otherwise idle machine.
   The same runs give the notebooks' own code time: run-all minus the kernel's start and the
   first code cell (the setup cell: imports and first data load), summed and divided by the cores.

It prints the three times and the ratios. Targets on a 2-core machine: course autograde >= 1.8x faster
than plain nbgrader, and within 1.3x of the floor; with the checker at most 1.15x the old way.
Not part of the test suite (speed is never asserted in tests).
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from course import paths  # noqa: E402
from course.grading.checker import TESTS_IN_KERNEL_FOR_BENCHMARK  # noqa: E402
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


def plain_nbgrader(class_dir: Path, work: Path, assignments: list[str]) -> tuple[float, float]:
    """(generate seconds, autograde seconds) of plain serial nbgrader on a copy of the class."""
    work.mkdir(parents=True)
    shutil.copytree(class_dir / "submitted", work / "submitted")
    (work / "nbgrader_config.py").write_text(nbgrader_config(work))
    generate = sum(run([str(BIN / "nbgrader"), "generate_assignment", a, "--force"], work) for a in assignments)
    grade = sum(run([str(BIN / "nbgrader"), "autograde", a, "--force"], work) for a in assignments)
    return generate, grade


def course_autograde(class_dir: Path, work: Path, workers: int | None, *, tests_in_kernel: bool = False,
                     quiet: bool = False, kernels: str | None = None) -> tuple[float, float]:
    """(wall seconds, sampled CPU seconds of the command and every process it started) of one `course autograde`."""
    work.mkdir(parents=True)
    shutil.copytree(class_dir / "submitted", work / "submitted")
    command = [str(BIN / "course"), "autograde", "--course-dir", str(work)]
    if workers:
        command += ["--workers", str(workers)]
    if kernels:
        command += ["--kernels", kernels]
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop(TESTS_IN_KERNEL_FOR_BENCHMARK, None)
    if tests_in_kernel:
        env[TESTS_IN_KERNEL_FOR_BENCHMARK] = "1"  # the old, forgeable path: for this comparison only
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=work, env=env, stdout=out, stderr=err, text=True)
        cpu = sampled_cpu(process)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode not in (0, 1):  # 1: some submission failed, which the scores comparison shows
        sys.stderr.write(stdout[-3000:] + stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(command)}")
    if not quiet:
        print(stdout.strip())
    return seconds, cpu


def sampled_cpu(process: subprocess.Popen, every: float = 0.2) -> float:
    """CPU seconds (user + system) of ``process`` and all its descendants, read from /proc until it ends.

    getrusage(RUSAGE_CHILDREN) misses what runs inside bubblewrap's PID namespace (the kernels and the
    checker), so each process is sampled; what a process used after its last sample (at most
    ``every`` seconds) and processes shorter than that are missed, on both sides of a comparison.
    """
    import psutil

    last: dict[tuple[int, float], float] = {}
    root = psutil.Process(process.pid)
    while process.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            tree = []
        for proc in tree:
            try:
                with proc.oneshot():
                    times = proc.cpu_times()
                    last[(proc.pid, proc.create_time())] = times.user + times.system
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
        time.sleep(every)
    return sum(last.values())


def scores(course_dir: Path) -> dict[tuple[str, str, str, str], float | None]:
    """{(student, assignment, notebook, grade id): auto score} of a graded course folder."""
    from nbgrader.api import Gradebook

    found = {}
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}", paths.COURSE_ID) as gb:
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        found[(submission.student.id, assignment.name, notebook.name, grade.name)] = grade.auto_score
    return found


def checker_vs_kernel(class_dir: Path, base: Path, workers: int | None, rounds: int) -> None:
    """Pairs of `course autograde` with the checker and with the test cells in the kernel, alternating."""
    wall_ratios, cpu_ratios = [], []
    print(f"checker vs tests in the kernel: {rounds} pair(s), alternating order, each in a fresh course folder")
    for number in range(rounds):
        order = ["checker", "kernel"] if number % 2 == 0 else ["kernel", "checker"]
        measured = {}
        for way in order:
            folder = base / f"round-{number}-{way}"
            measured[way] = course_autograde(class_dir, folder, workers, tests_in_kernel=way == "kernel", quiet=True)
        (checker_wall, checker_cpu), (kernel_wall, kernel_cpu) = measured["checker"], measured["kernel"]
        wall_ratios.append(checker_wall / kernel_wall)
        cpu_ratios.append(checker_cpu / kernel_cpu)
        same = scores(base / f"round-{number}-checker") == scores(base / f"round-{number}-kernel")
        print(f"  pair {number + 1} ({order[0]} first): checker {checker_wall:6.1f} s wall {checker_cpu:6.1f} s CPU | "
              f"kernel {kernel_wall:6.1f} s wall {kernel_cpu:6.1f} s CPU | ratio wall {wall_ratios[-1]:.3f} "
              f"CPU {cpu_ratios[-1]:.3f} | same scores: {'yes' if same else 'NO'} | load {os.getloadavg()[0]:.1f}")
        for way in order:
            shutil.rmtree(base / f"round-{number}-{way}", ignore_errors=True)
    print(f"checker / tests in the kernel, median of {rounds}: wall {statistics.median(wall_ratios):.3f}x "
          f"(min {min(wall_ratios):.3f}, max {max(wall_ratios):.3f}); "
          f"CPU {statistics.median(cpu_ratios):.3f}x (min {min(cpu_ratios):.3f}, max {max(cpu_ratios):.3f}) "
          f"(target <= 1.15x)")


def floor_seconds(class_dir: Path) -> tuple[float, float, int]:
    """(sum of plain nbclient run-all times of every submitted notebook (serial), the part of it after
    the kernel's start and the first code cell, the number of notebooks)."""
    import nbformat
    from nbclient import NotebookClient

    total, code, count = 0.0, 0.0, 0
    # nbgrader sets this while autograding; the course's widgets draw statically under it.
    os.environ["NBGRADER_EXECUTION"] = "autograde"
    for notebook in sorted((class_dir / "submitted").glob("*/*/*.ipynb")):
        nb = nbformat.read(str(notebook), as_version=4)
        client = NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": str(notebook.parent)}})
        started = time.perf_counter()
        client.reset_execution_trackers()
        with client.setup_kernel():
            after_setup = None
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
                if cell.cell_type == "code" and after_setup is None:
                    after_setup = time.perf_counter()
            ended = time.perf_counter()
        total += time.perf_counter() - started
        code += ended - (after_setup or ended)
        count += 1
    del os.environ["NBGRADER_EXECUTION"]
    return total, code, count


def versus_nbgrader(class_dir: Path, base: Path, workers: int | None, assignments: list[str], cores: int) -> None:
    run_all, code, count = floor_seconds(class_dir)
    floor = run_all / cores
    print(f"floor: nbclient run-all of {count} notebooks {run_all:.1f} s / {cores} cores = {floor:.1f} s")
    print(f"notebooks' own code (run-all minus kernel start and setup cell): {code:.1f} s / {cores} cores = {code / cores:.1f} s")
    generate, plain = plain_nbgrader(class_dir, base / "plain-nbgrader", assignments)
    print(f"plain nbgrader (serial): generate_assignment {generate:.1f} s + autograde {plain:.1f} s = {generate + plain:.1f} s")
    # CPU (sampled, every process of the command) beside wall time: less sensitive to other load on the machine.
    ours, ours_cpu = course_autograde(class_dir, base / "course-autograde", workers, kernels="plain")
    print(f"course autograde, plain kernels:  {ours:.1f} s, {ours_cpu:.1f} s CPU "
          f"(whole command: startup, gradebook, grading, merge; load {os.getloadavg()[0]:.1f})")
    forked, forked_cpu = course_autograde(class_dir, base / "course-autograde-forked", workers, kernels="forked")
    print(f"course autograde, forked kernels: {forked:.1f} s, {forked_cpu:.1f} s CPU (load {os.getloadavg()[0]:.1f})")
    same = scores(base / "course-autograde") == scores(base / "course-autograde-forked")
    print(f"same scores with plain and forked kernels: {'yes' if same else 'NO'}")
    print()
    print(f"speed-up vs plain nbgrader autograde:            {plain / ours:.2f}x plain kernels (target >= 1.8x), "
          f"{plain / forked:.2f}x forked (target >= 3x)")
    print(f"speed-up vs plain nbgrader generate + autograde: {(generate + plain) / ours:.2f}x plain kernels, "
          f"{(generate + plain) / forked:.2f}x forked")
    print(f"course autograde / floor:                        {ours / floor:.2f}x plain kernels (target <= 1.3x), "
          f"{forked / floor:.2f}x forked (target <= 0.7x)")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="keep the course folders here")
    parser.add_argument("--part", choices=["all", "checker", "nbgrader"], default="all",
                        help="checker: only the checker vs tests-in-the-kernel pairs; nbgrader: only plain nbgrader and the floor")
    parser.add_argument("--rounds", type=int, default=3, help="pairs of checker / tests-in-the-kernel runs")
    parser.add_argument("--assignments", nargs="+", default=None, help="simulate only these notebooks")
    args = parser.parse_args()
    paths.ensure_venv_on_path()
    cores = os.cpu_count() or 1
    assignments = args.assignments or paths.assignments()
    students = math.ceil(args.submissions / len(assignments))
    base = Path(tempfile.mkdtemp(prefix="bench-autograde-")) if args.keep is None else args.keep
    base.mkdir(parents=True, exist_ok=True)
    try:
        class_dir = base / "class"
        written = simulate_class(class_dir, students, seed=7, assignments=assignments)
        print(f"class: {students} students x {len(assignments)} notebook(s) = {len(written)} submissions; {cores} cores; "
              f"load average {os.getloadavg()[0]:.1f}")
        if args.part in ("all", "nbgrader"):
            versus_nbgrader(class_dir, base, args.workers, assignments, cores)
        if args.part in ("all", "checker"):
            checker_vs_kernel(class_dir, base, args.workers, args.rounds)
        # Other work on the machine skews every figure: say how busy it was.
        print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
