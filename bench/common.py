"""What every benchmark shares: sizes, cached synthetic data, timing, the machine, tables.

A benchmark module is run as `python -m bench.<name> [--size 50k|500k|5m]`; it measures the
product and a baseline in the same run and prints one table with ratios (never a pass/fail
assertion: speed goals are reported, not tested).
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SIZES: dict[str, int] = {"50k": 50_000, "500k": 500_000, "5m": 5_000_000}
"""Named dataset sizes (target triple counts)."""

OUT_DIR = Path(__file__).resolve().parent / "out"
"""Generated data and scratch stores (git-ignored)."""


def parse_size(text: str) -> int:
    """`50k`, `500k`, `5m` or a plain number of triples."""
    key = text.strip().lower()
    if key in SIZES:
        return SIZES[key]
    multiplier = {"k": 1_000, "m": 1_000_000}.get(key[-1:], 1)
    number = key[:-1] if key[-1:] in "km" else key
    try:
        return int(float(number) * multiplier)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"ukuran '{text}' tidak dikenal / unknown size; use 50k, 500k, 5m or a number"
        ) from None


def size_label(triples: int) -> str:
    for label, value in SIZES.items():
        if value == triples:
            return label
    return str(triples)


def argument_parser(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--size", type=parse_size, default=SIZES["50k"],
                        help="dataset size: 50k, 500k, 5m or a number of triples (default 50k)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="timed repetitions per measurement; the median is reported")
    return parser


def machine() -> str:
    """One line describing where the numbers were measured."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len([ln for ln in _read_lines("/proc/cpuinfo") if ln.startswith("processor")])
    memory = ""
    for line in _read_lines("/proc/meminfo"):
        if line.startswith("MemTotal:"):
            memory = f", {int(line.split()[1]) / 1024 / 1024:.0f} GB RAM"
    import pyoxigraph
    import rdflib

    return (f"{cpu}, {cores or '?'} cores{memory}; Python {platform.python_version()},"
            f" pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}")


def load_average() -> str:
    """The 1/5/15-minute load averages: other work on the machine skews every timing."""
    try:
        return " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _read_lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


@dataclass
class Timing:
    """Seconds of each repetition."""

    runs: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def measure(fn: Callable[[], object], repeat: int,
            setup: Callable[[], object] | None = None) -> Timing:
    """Time `fn` `repeat` times (after `setup`, which is not timed)."""
    timing = Timing()
    for _ in range(repeat):
        if setup is not None:
            setup()
        gc.collect()
        start = time.perf_counter()
        fn()
        timing.runs.append(time.perf_counter() - start)
    return timing


def ratio(product: float, baseline: float) -> float:
    return product / baseline if baseline > 0 else float("inf")


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Print (and return) a Markdown table, so the output can go into docs as it is."""

    def cell(value: object) -> str:
        if isinstance(value, float):
            return f"{value:.3f}" if value < 100 else f"{value:.1f}"
        return str(value)

    lines = [f"### {title}", "", "| " + " | ".join(headers) + " |",
             "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    text = "\n".join(lines)
    print(text, flush=True)
    print(flush=True)
    return text
