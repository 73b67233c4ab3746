"""Benchmark: the local pool against a two-worker Dask cluster on this machine, and a projection.

    .venv/bin/python benchmarks/cluster.py [--students 8] [--assignment NAME] [--workers 2]

1. simulates one class (--students students, one assignment: the first in solutions/ unless named);
2. grades it with the local pool (`course autograde`, --workers processes) in a fresh course folder;
3. starts a LocalCluster of --workers grading worker processes on 127.0.0.1 (course.grading.cluster:
   the same workers `course worker` starts), warms it (one grading process per worker), and grades the
   same class through it (`--scheduler`) in another fresh course folder;
4. measures the scheduler's own overhead per task (trivial tasks with the grading resource).

It prints both times, their ratio (target: the cluster within 1.15x of the local pool), and a
projection for N machines: the grading (measured per-submission cost on a worker) divides by the
cluster's processes, while the client's own work per submission (pack, record, one gradebook
transaction) and the scheduler's overhead do not. Not part of the test suite; the machine is shared,
so figures are noisy.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from course import paths  # noqa: E402
from course.grading import autograde as local  # noqa: E402
from course.grading import cluster  # noqa: E402
from course.grading.discover import CourseWork  # noqa: E402
from course.grading.simulate import simulate_class  # noqa: E402


def _noop(index: int) -> int:
    return index


def _warm() -> None:
    """Start this worker's grading process (in the thread that runs its tasks), as a long-lived worker has."""
    cluster._grader()


def scheduler_overhead(client, tasks: int = 200) -> float:
    """Seconds per task of the scheduler's round trip (submit, run nothing on a grading worker, gather)."""
    started = time.perf_counter()
    futures = [client.submit(_noop, i, pure=False, resources={cluster.RESOURCE: 1}) for i in range(tasks)]
    client.gather(futures)
    return (time.perf_counter() - started) / tasks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument("--assignment", default=None)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    assignment = args.assignment or paths.assignments()[0]
    paths.ensure_venv_on_path()
    from distributed import Client

    with tempfile.TemporaryDirectory(prefix="cluster-bench-") as tmp:
        tmp = Path(tmp)
        simulate_class(tmp / "class", args.students, seed=0, assignments=[assignment])
        works = {}
        for name in ("pool", "cluster"):
            works[name] = CourseWork.at(tmp / name)
            works[name].root.mkdir()
            for student in sorted((tmp / "class" / "submitted").iterdir()):
                if (student / assignment).is_dir():
                    shutil.copytree(student / assignment, works[name].submitted / student.name / assignment)
        submissions = len(works["pool"].submissions([assignment]))

        started = time.perf_counter()
        pool = local.autograde(works["pool"], [assignment], workers=args.workers)
        pool_seconds = time.perf_counter() - started

        started = time.perf_counter()
        with cluster.local_cluster(args.workers) as local_cluster, Client(local_cluster) as client:
            client.wait_for_workers(args.workers, timeout=120)
            startup = time.perf_counter() - started
            # One grading process per worker, as a long-running `course worker` has after its first task.
            workers = cluster.grading_workers(client)
            client.gather([client.submit(_warm, pure=False, workers=[w], resources={cluster.RESOURCE: 1}) for w in workers])
            overhead = scheduler_overhead(client)
            started = time.perf_counter()
            on_cluster = cluster.autograde(works["cluster"], [assignment], scheduler=client.scheduler.address, client=client)
            cluster_seconds = time.perf_counter() - started

    graded = len(on_cluster.graded) or 1
    per_submission = sum(on_cluster.graded.values()) / graded  # grading time on a worker
    client_cost = on_cluster.client_seconds / graded  # the client's serial work per submission
    print(f"class: {submissions} submission(s) of {assignment}, {args.workers} process(es) each way")
    print(f"local pool:   {pool_seconds:6.1f} s  ({len(pool.graded)} graded, {len(pool.failed)} failed)")
    print(f"dask cluster: {cluster_seconds:6.1f} s  ({len(on_cluster.graded)} graded, {len(on_cluster.failed)} failed; "
          f"cluster start {startup:.1f} s and grading processes' start not counted: `course worker`s outlive runs, "
          "while the local pool starts its processes in every run)")
    print(f"ratio cluster/local: {cluster_seconds / pool_seconds:.2f}x (target <= 1.15x)")
    print(f"measured: {per_submission:.2f} s grading per submission on a worker, {client_cost * 1000:.0f} ms client work "
          f"per submission (pack, install, one gradebook transaction), {overhead * 1000:.1f} ms scheduler overhead per task")
    cohort = 70_000
    print(f"projection for {cohort} submissions (10,000 students x 7 notebooks), {args.workers} grading processes per machine:")
    for machines in (1, 2, 4, 8, 16, 32, 64, 128):
        grading = cohort * per_submission / (machines * args.workers)
        serial = cohort * (client_cost + overhead)  # the client and the scheduler do not scale out
        hours = max(grading, serial) / 3600
        bound = "client/scheduler-bound" if serial > grading else "grading-bound"
        print(f"  {machines:4d} machine(s): {hours:7.2f} h  ({bound})")


if __name__ == "__main__":
    main()
