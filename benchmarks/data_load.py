"""How long `course.data.load` takes per dataset, against plain `pandas.read_csv` of the same file.

Target (foundation issue): every load under 0.2 s on the 2-core machine. `load` reads the file as text
and converts each column by the schema, so it costs more than a bare read_csv; the ratio shows how much.
Usage: .venv/bin/python benchmarks/data_load.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time

import pandas as pd

from course import data

TARGET_SECONDS = 0.2


def best_of(repeat: int, action) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data.load(data.catalog()["name"].iloc[0])  # import and cache warm-up
    print(f"{'dataset':32} {'load (s)':>9} {'read_csv (s)':>13} {'ratio':>6}")
    loads = []
    for name in data.catalog()["name"]:
        path = data.data_dir() / data._resource(name)["path"]
        delimiter = data._resource(name).get("dialect", {}).get("delimiter", ",")
        ours = best_of(args.repeat, lambda: data.load(name))
        plain = best_of(args.repeat, lambda: pd.read_csv(path, sep=delimiter))
        loads.append(ours)
        print(f"{name:32} {ours:9.3f} {plain:13.3f} {ours / plain:6.1f}")
    verdict = "meets" if max(loads) < TARGET_SECONDS else "MISSES"
    print(f"\nslowest load {max(loads):.3f} s: {verdict} the {TARGET_SECONDS} s target; "
          f"median {statistics.median(loads):.3f} s")


if __name__ == "__main__":
    main()
