"""How long `course similarity` takes on a simulated class of 300 on one notebook.

Target (issue 24): under a minute on the 2-core machine. Two classes are timed:
- as `course simulate` writes it: every answer is one of the contract's few variants, so most passages
  are common to many students and are dropped before pairing (few candidate pairs);
- "individual": the same class with every number literal of every answer changed per student, so that
  fewer passages are common and many more pairs share a fingerprint (closer to a real class, where
  students' code differs).
Usage: .venv/bin/python benchmarks/similarity.py [--students 300] [--assignment 03_china]
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time
from pathlib import Path

import nbformat

from course.grading import similarity
from course.grading.discover import CourseWork
from course.grading.simulate import simulate_class
from course.grading.variants import is_answer_cell

TARGET_SECONDS = 60.0
NUMBER = re.compile(r"(?<![\w.])\d+(?![\w.])")


def individualise(root: Path, seed: int) -> None:
    """Change every integer literal of every answer cell to a per-student number."""
    rng = random.Random(seed)
    for path in sorted((root / "submitted").glob("*/*/*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            if is_answer_cell(cell):
                cell.source = NUMBER.sub(lambda _m: str(rng.randrange(10, 10_000)), cell.source)
        nbformat.write(nb, str(path))


def timed(root: Path, assignment: str, out: Path) -> tuple[float, float, similarity.Result]:
    """(wall-clock s, CPU s of this process, result): on a shared machine the CPU time is the steadier figure."""
    started, cpu = time.perf_counter(), time.process_time()
    result = similarity.find_similar(CourseWork.at(root), [assignment])
    similarity.write_similarity_report(result, out)
    return time.perf_counter() - started, time.process_time() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--assignment", default="03_china")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="similarity-bench-") as scratch:
        root = Path(scratch)
        started = time.perf_counter()
        simulate_class(root, args.students, assignments=[args.assignment])
        print(f"simulated {args.students} students on {args.assignment} in {time.perf_counter() - started:.1f} s (not timed below)")
        for label in ("as simulated", "individual"):
            if label == "individual":
                individualise(root, seed=1)
            seconds, cpu, result = timed(root, args.assignment, root / "similarity.html")
            pairs = args.students * (args.students - 1) // 2
            verdict = "within" if seconds < TARGET_SECONDS else "OVER"
            print(f"{label:>13}: {seconds:6.1f} s ({cpu:.1f} s CPU) for {pairs} pairs; {len(result.pairs)} listed "
                  f"(common above {result.common_limit[args.assignment]} answers); {verdict} the {TARGET_SECONDS:.0f} s target")


if __name__ == "__main__":
    main()
