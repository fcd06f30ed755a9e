"""Benchmark: saving an SOP with many steps through the REST API's write path.

`python -m bench.sop_write [--steps 10,40,100,200,500] [--repeat 3]`

Over the Kota Probolinggo demo (in memory), an admin creates an SOP of N steps (a chain
start → activities → end, complete mutu baku) with `write_entity` — what `POST /api/sop`
runs: the SHACL check of the change first (`validate_change`), then the write — and then
changes the time of every step (`PATCH`). Before the fix of session 8 the check of a new
flowchart grew with the cube of its steps (100 steps: 12.6 s, 500: more than 10 minutes)
while holding the write lock.

Baseline in the same run, as a ratio: a full validation of the same repository with the
SOP in it (`validate`), what the check would cost without the incremental engine.
"""

from __future__ import annotations

import argparse
import threading
import time
from typing import Any

from bench.common import machine, print_table
from spbe_arch import datasets
from spbe_arch.access import Principal, Role
from spbe_arch.api.writes import write_entity
from spbe_arch.model import KINDS, get_entity
from spbe_arch.repository import Repository, open_repository
from spbe_arch.validation import validate

INSTANSI = "3574"
TEMPLATE = "DISKOMINFO-01.01.SOP.01"


def sop_record(template: dict[str, Any], steps: int, code: str) -> dict[str, Any]:
    record = {k: v for k, v in template.items() if k != "@id"}
    record["kode"] = code
    actor = template["memilikiLangkah"][1]["dilaksanakanOleh"]
    record["memilikiLangkah"] = [{
        "urutan": n, "nama": f"Langkah {n}", "dilaksanakanOleh": actor,
        "jenisSimbol": "Terminator" if n in (1, steps) else "Kegiatan",
        **({} if n in (1, steps) else {"kelengkapan": "Berkas", "waktu": "5 menit",
                                       "output": "Hasil"}),
        "langkahBerikutnya": n + 1 if n < steps else None} for n in range(1, steps + 1)]
    return record


def timed(action: Any, *args: Any) -> float:
    start = time.perf_counter()
    action(*args)
    return time.perf_counter() - start


def run(sizes: list[int], repeat: int) -> None:
    repository: Repository = open_repository("memory:")
    datasets.load_demo(repository)
    admin = Principal(name="bench", role=Role.admin)
    lock = threading.Lock()
    template = get_entity(repository, KINDS["sop"], TEMPLATE, instansi=INSTANSI)
    assert template is not None
    sop = KINDS["sop"]
    # one write first: shapes compiled and caches warm, as in a running server
    write_entity(repository, admin, lock, sop, INSTANSI, None,
                 sop_record(template, 5, "BENCH.SOP.00"), "POST")
    rows = []
    for steps in sizes:
        creates, patches = [], []
        for attempt in range(repeat):
            code = f"BENCH.SOP.{steps}.{attempt}"
            record = sop_record(template, steps, code)
            creates.append(timed(write_entity, repository, admin, lock, sop, INSTANSI, None,
                                 record, "POST"))
            stored = get_entity(repository, sop, code, instansi=INSTANSI)
            assert stored is not None
            changed = [{**s, "waktu": "7 menit"} if s.get("waktu") else s
                       for s in stored["memilikiLangkah"]]
            patches.append(timed(write_entity, repository, admin, lock, sop, INSTANSI, code,
                                 {"memilikiLangkah": changed}, "PATCH"))
        full = timed(lambda: validate(repository, instansi=INSTANSI))
        create, patch = sorted(creates)[len(creates) // 2], sorted(patches)[len(patches) // 2]
        rows.append([steps, f"{create:.2f}", f"{patch:.2f}", f"{full:.2f}",
                     f"{create / full:.2f}"])
    print(f"machine: {machine()}")
    print_table("SOP write (median of --repeat), demo Kota Probolinggo in memory",
                ["steps", "create s", "patch every step's waktu s", "full validation s",
                 "create / full validation"], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", default="10,40,100,200,500",
                        help="comma-separated SOP sizes")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    run([int(n) for n in args.steps.split(",")], args.repeat)


if __name__ == "__main__":
    main()
