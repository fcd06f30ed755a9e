"""Benchmark: every report of the demo in every format (`spbe-arch report --all`, the
demo's report step), PDFs laid out in this process against worker processes.

`python -m bench.reports_all [--repeat 2] [--jobs N] [--formats html,pdf,docx,md]`

The Kota Probolinggo demo (38 documents: 5 reports and one OPD profile per OPD, in four
formats) is written into a scratch folder with `write_all_reports(jobs=1)` — the baseline,
every PDF in this process, as before worker processes — and with `jobs=N` (default: what
`spbe-arch report --all` picks, one per CPU up to 4). Runs alternate baseline and workers
(the machine may be shared, so neither gets a quieter stretch), and the table gives each
run's wall time, the CPU time of this process and of its finished workers, the peak of the
resident size of this process and its workers together (sampled every 0.1 s from /proc:
`ru_maxrss` of children is no use here, a spawned worker inherits its parent's figure), and
the median wall ratio.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from bench.common import load_average, machine, print_table, ratio
from spbe_arch.datasets import load_demo
from spbe_arch.pdf import default_jobs
from spbe_arch.reports import FORMATS, write_all_reports
from spbe_arch.repository import open_repository

DEMO = "3574"


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # those that have ended
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:  # the process has just ended
        pass
    return 0.0


def _tree(pid: int) -> list[int]:
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):  # a worker that has just ended
            pids += [p for c in task.read_text().split() for p in _tree(int(c))]
    return pids


class PeakMemory:
    """The largest sum of resident sizes of this process and its children, sampled."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        own = os.getpid()
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, sum(_rss_mb(p) for p in _tree(own)))

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of each side, alternating (default 2)")
    parser.add_argument("--jobs", type=int, default=default_jobs(),
                        help=f"worker processes of the measured side (default {default_jobs()})")
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help="formats to write (default: all four)")
    args = parser.parse_args()
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]

    print(f"machine: {machine()}")
    print(f"load average before: {load_average()}")
    repository = open_repository("memory:")
    load_demo(repository)
    rows: list[list[object]] = []
    walls: dict[int, list[float]] = {1: [], args.jobs: []}
    scratch = Path(tempfile.mkdtemp(prefix="spbe-reports-all-"))
    try:
        for run in range(args.repeat):
            for jobs in (1, args.jobs):
                out = scratch / f"{run}-{jobs}"
                cpu_own, cpu_children = _cpu()
                start = time.perf_counter()
                with PeakMemory() as memory:
                    written = write_all_reports(repository, out, DEMO, formats=formats,
                                                jobs=jobs)
                wall = time.perf_counter() - start
                own_after, children_after = _cpu()
                if written.problems:
                    raise SystemExit(f"reports failed: {written.problems}")
                walls[jobs].append(wall)
                rows.append([run + 1, jobs, len(written), wall, own_after - cpu_own,
                             children_after - cpu_children, memory.peak])
                shutil.rmtree(out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        repository.close()
    print_table("Every report of the demo (write_all_reports)",
                ["run", "jobs", "files", "wall s", "CPU s (this process)",
                 "CPU s (workers)", "peak MB (process + workers)"],
                rows)
    baseline = statistics.median(walls[1])
    measured = statistics.median(walls[args.jobs])
    print(f"median wall: jobs=1 {baseline:.1f} s, jobs={args.jobs} {measured:.1f} s;"
          f" ratio {ratio(measured, baseline):.2f} (workers / one process)")
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
