"""Run All and Validate time of every notebook, as a student would see them.

Run All: nbclient runs every cell of the notebook in a fresh kernel (kernel start included), as
"Restart Kernel and Run All Cells" does. Validate: nbgrader's Validator on the same notebook through
`course validate`'s function (the Validate button in Lab runs the same Validator in the server: it
starts its own kernel, runs every cell and checks the test cells).

Targets (issues): notebook 0 under 10 s, every priority notebook under 15 s on the 2-core machine.
Usage: .venv/bin/python benchmarks/run_all.py [ASSIGNMENT ...] [--repeat N] [--student] [--no-validate]
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


def validate_seconds(notebook: Path) -> tuple[float, str]:
    """Seconds for nbgrader's Validator on ``notebook``, and its verdict ("passed", "failed", ...)."""
    from course.grading.validate import validate_notebook

    started = time.perf_counter()
    result = validate_notebook(notebook)
    return time.perf_counter() - started, result["status"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--student", action="store_true", help="time the student versions (unanswered) instead")
    parser.add_argument("--no-validate", action="store_true", help="time Run All only")
    args = parser.parse_args()
    # Same conditions as autograding and Validate: widgets draw their static view.
    os.environ["COURSE_STATIC_WIDGETS"] = "1"
    root = paths.notebooks_dir() if args.student else paths.solutions_dir()
    header = f"{'notebook':<22} {'Run All median s':>16} {'min':>7} {'max':>7}"
    if not args.no_validate:
        header += f"   {'Validate median s':>17} {'min':>7} {'max':>7}  verdict"
    print(header + f"   (n={args.repeat}, {'student' if args.student else 'solution'} versions, kernel start included)")
    # Validate's import of nbgrader happens once in the Lab server; do it before timing.
    if not args.no_validate:
        import course.grading.validate  # noqa: F401
    for assignment in args.assignments or paths.assignments():
        notebook = next((root / assignment).glob("*.ipynb"))
        run_times = [run_all_seconds(notebook, allow_errors=args.student) for _ in range(args.repeat)]
        line = f"{assignment:<22} {statistics.median(run_times):>16.2f} {min(run_times):>7.2f} {max(run_times):>7.2f}"
        if not args.no_validate:
            measured = [validate_seconds(notebook) for _ in range(args.repeat)]
            validate_times = [seconds for seconds, _status in measured]
            verdicts = sorted({status for _seconds, status in measured})
            line += (f"   {statistics.median(validate_times):>17.2f} {min(validate_times):>7.2f} "
                     f"{max(validate_times):>7.2f}  {'/'.join(verdicts)}")
        print(line, flush=True)


if __name__ == "__main__":
    main()
