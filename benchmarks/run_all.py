"""Run-all time of every notebook (kernel start included), as a student's "Restart and run all" would take.

Targets (issues): notebook 0 under 10 s, every priority notebook under 15 s on the 2-core machine.
Usage: .venv/bin/python benchmarks/run_all.py [ASSIGNMENT ...] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import nbclient
import nbformat

from course import paths


def run_all_seconds(notebook: Path, allow_errors: bool = False) -> float:
    nb = nbformat.read(str(notebook), as_version=4)
    started = time.perf_counter()
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=allow_errors, resources={"metadata": {"path": str(notebook.parent)}})
    client.execute()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--student", action="store_true", help="time the student versions (unanswered) instead")
    args = parser.parse_args()
    # Same conditions as autograding: widgets draw their static view.
    os.environ["COURSE_STATIC_WIDGETS"] = "1"
    root = paths.notebooks_dir() if args.student else paths.solutions_dir()
    print(f"{'notebook':<22} {'median s':>9} {'min s':>7} {'max s':>7}  (n={args.repeat}, kernel start included)")
    for assignment in args.assignments or paths.assignments():
        notebook = next((root / assignment).glob("*.ipynb"))
        times = []
        for _ in range(args.repeat):
            times.append(run_all_seconds(notebook, allow_errors=args.student))
        print(f"{assignment:<22} {statistics.median(times):>9.2f} {min(times):>7.2f} {max(times):>7.2f}")


if __name__ == "__main__":
    main()
