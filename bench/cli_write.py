"""Benchmark: one command-line write, as an architect's script runs it again and again.

`python -m bench.cli_write [--repeat 5]`

Over the Kota Probolinggo demo in an embedded store, `spbe-arch sop set-langkah` changes one
step's time, each run a new process (what a shell loop does). Every write checks the SHACL
rules of the change first; that check needs the dependency analysis of the ~200 compiled
rule queries, which the process parses unless it finds the analysis in the user's cache
(`validation.analysis_cache`, session 13).

Rows, in the same run: the write with an empty cache folder each time (what every write
cost before the cache), the write with the cache from an earlier run, and a read
(`spbe-arch sop show`) as the floor of starting a process and opening the store.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import load_average, machine, measure, print_table, ratio
from spbe_arch import datasets
from spbe_arch.repository import open_repository

SOP = "BAG-HUKUM-01.01.SOP.01"


def run(store: Path, cache: Path, *args: str) -> None:
    env = {**os.environ, "SPBE_STORE": f"oxigraph:{store}", "XDG_CACHE_HOME": str(cache)}
    subprocess.run([sys.executable, "-m", "spbe_arch", *args], env=env, check=True,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5,
                        help="processes per row; the median is reported (default 5)")
    args = parser.parse_args()
    print(f"machine: {machine()}; load average before: {load_average()}")
    with tempfile.TemporaryDirectory(prefix="spbe-bench-cli-") as folder:
        work = Path(folder)
        store = work / "store"
        with open_repository(f"oxigraph:{store}") as repository:
            datasets.load_demo(repository)
        minutes = iter(range(1, 10_000))

        def write(cache: Path) -> None:
            run(store, cache, "sop", "set-langkah", SOP, "3", "--waktu",
                f"{next(minutes)} menit")

        fresh = iter(range(10_000))
        cold = measure(lambda: write(work / f"empty-{next(fresh)}"), args.repeat)
        warm_cache = work / "warm"
        write(warm_cache)  # fills it
        warm = measure(lambda: write(warm_cache), args.repeat)
        read = measure(lambda: run(store, warm_cache, "sop", "show", SOP), args.repeat)
    rows = [
        ["write, empty analysis cache (before)", f"{cold.median:.2f}", "1.00"],
        ["write, analysis from the cache", f"{warm.median:.2f}",
         f"{ratio(warm.median, cold.median):.2f}"],
        ["read (sop show): process and store floor", f"{read.median:.2f}",
         f"{ratio(read.median, cold.median):.2f}"],
    ]
    print_table(f"spbe-arch sop set-langkah on the demo, median of {args.repeat} processes",
                ["command", "seconds", "ratio to the write before"], rows)


if __name__ == "__main__":
    main()
