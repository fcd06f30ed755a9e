"""Benchmark: importing a 20,000-row Excel workbook (time and peak memory).

    python -m bench.excel [--rows 20000]

Builds an on-disk store holding the demo repository (ontology, shapes, national references,
Kota Probolinggo sample), writes a workbook in the template's layout with `--rows` data rows
spread over the sheets (processes, services, data, applications, SOPs and their steps, all
linked, classified with real reference codes, owned by the demo's OPDs), then measures,
each in a fresh process so that peak memory (max RSS) is the import's own:

- `excel import --dry-run` (read + plan + validate) and the real import (+ commit);
- the re-import of the same workbook (a no-op);
- baselines in the same run: reading every cell of the workbook with openpyxl read-only
  (the floor for any .xlsx import), and loading the same triples as N-Quads straight into
  the store (the floor for the write).

Targets (issue 10): <= 60 s and <= 1 GB for 20,000 rows.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import OUT_DIR, machine, print_table, ratio

INSTANSI = "3574"
SHARES = {"Proses Bisnis": 0.40, "Layanan": 0.20, "Data": 0.15, "Aplikasi": 0.05,
          "SOP": 0.025, "Langkah SOP": 0.175}


def _prepare_store(store_dir: Path) -> None:
    """The demo repository (ontology, shapes, references, Kota Probolinggo) on disk."""
    from spbe_arch.datasets import load_demo
    from spbe_arch.repository import open_repository

    if store_dir.exists():
        shutil.rmtree(store_dir)
    with open_repository(f"oxigraph:{store_dir}") as repo:
        load_demo(repo)


def _opds(store_dir: Path) -> list[str]:
    from spbe_arch.model import iter_entities
    from spbe_arch.repository import open_repository

    with open_repository(f"oxigraph:{store_dir}", read_only=True) as repo:
        return sorted(r["kode"] for r in iter_entities(repo, "opd", instansi=INSTANSI))


def _codes(store_dir: Path) -> dict[str, list[str]]:
    from spbe_arch.importers.xlsx.writer import classification_targets, reference_display
    from spbe_arch.model import reference_concepts
    from spbe_arch.repository import open_repository

    with open_repository(f"oxigraph:{store_dir}", read_only=True) as repo:
        concepts = reference_concepts(repo, INSTANSI)
    return {scheme: [reference_display(c) for c in classification_targets(concepts[scheme],
                                                                           scheme)]
            for scheme in ("RAB", "RAL", "RAD", "RAA") if scheme in concepts}


def write_workbook(path: Path, rows: int, codes: dict[str, list[str]], opds: list[str],
                   seed: int = 10) -> int:
    """A filled workbook in the template layout with `rows` data rows."""
    from openpyxl import Workbook

    from spbe_arch.importers.xlsx.layout import INSTRUCTIONS_SHEET, layouts

    rng = random.Random(seed)
    count = {sheet: int(rows * share) for sheet, share in SHARES.items()}
    count["Proses Bisnis"] += rows - sum(count.values())
    steps_per_sop = max(1, count["Langkah SOP"] // max(1, count["SOP"]))
    count["Langkah SOP"] = steps_per_sop * count["SOP"]
    count["Proses Bisnis"] += rows - sum(count.values())
    wb = Workbook(write_only=True)
    wb.create_sheet(INSTRUCTIONS_SHEET).append(["benchmark"])
    written = 0
    for layout in layouts():
        ws = wb.create_sheet(layout.title)
        ws.append([c.header for c in layout.columns])
        n = count.get(layout.title, 0)
        for i in range(n):
            values = _row(layout.title, i, n, count, opds, codes, rng, steps_per_sop)
            ws.append([values.get(c.key) for c in layout.columns])
            written += 1
    wb.save(path)
    return written


def _row(sheet: str, i: int, n: int, count: dict[str, int], opds: list[str],
         codes: dict[str, list[str]], rng: random.Random, steps_per_sop: int) -> dict[str, Any]:
    opd = opds[i % len(opds)]
    if sheet == "Proses Bisnis":
        row = {"kode": f"PB.{i:05d}", "nama": f"Proses bisnis {i}", "pemilik": opd,
               "uraian": f"Uraian proses {i} untuk pengukuran impor",
               "klasifikasiRAB": rng.choice(codes["RAB"]), "jenisProses": "Proses Utama",
               "statusProses": rng.choice(["As-Is", "Upgrade", "Baru"]),
               "levelPetaProses": 1 if i % 4 == 0 else 2,
               "merealisasikan": f"L.{i % count['Layanan']:05d}",
               "menghasilkanData": f"D.{i % count['Data']:05d}"}
        if i % 4:
            row["subProsesDari"] = f"PB.{i - i % 4:05d}"
        return row
    if sheet == "Layanan":
        return {"kode": f"L.{i:05d}", "nama": f"Layanan {i}", "unitPelaksana": opd,
                "klasifikasiRAL": rng.choice(codes["RAL"]), "jenisLayanan": "Layanan Publik",
                "tujuan": "Memberi layanan yang cepat dan pasti kepada masyarakat",
                "targetLayanan": "Masyarakat; Pelaku Usaha",
                "metodeLayanan": rng.choice(["Elektronik", "Hybrid", "Tatap Muka"]),
                "menggunakanData": f"D.{i % count['Data']:05d}"}
    if sheet == "Data":
        return {"kode": f"D.{i:05d}", "nama": f"Data {i}", "waliData": opd,
                "klasifikasiRAD": rng.choice(codes["RAD"]), "sifatData": "Terbuka",
                "jenisData": "Data Statistik", "validitasData": "Tahunan"}
    if sheet == "Aplikasi":
        row = {"kode": f"A.{i:05d}", "nama": f"Aplikasi {i}", "pemilik": opd,
               "jenisAplikasi": "Aplikasi Khusus",
               "mendukungLayanan": f"L.{i % count['Layanan']:05d}"}
        if codes.get("RAA"):
            row["klasifikasiRAA"] = rng.choice(codes["RAA"])
        return row
    if sheet == "SOP":
        import datetime as dt

        return {"kode": f"SOP.{i:05d}", "nama": f"SOP {i}", "pemilik": opd,
                "untukProsesBisnis": f"PB.{i:05d}", "nomorSOP": f"800/{i}/2025",
                "tanggalPembuatan": dt.datetime(2025, 1, 1 + i % 28), "statusSOP": "Draft",
                "memilikiPelaksana": "Pemohon; Petugas; Kepala Seksi"}
    if sheet == "Langkah SOP":
        sop, number = divmod(i, steps_per_sop)
        last = number == steps_per_sop - 1
        symbol = "Terminator (kapsul)" if number == 0 or last else "Kegiatan (persegi panjang)"
        return {"kodeSOP": f"SOP.{sop:05d}", "urutan": number + 1,
                "nama": f"Langkah {number + 1}", "jenisSimbol": symbol,
                "dilaksanakanOleh": ["Pemohon", "Petugas", "Kepala Seksi"][number % 3],
                "kelengkapan": "Berkas permohonan", "waktu": "15 menit",
                "output": f"Hasil langkah {number + 1}"}
    return {}


# --- measured steps, each run in a child process -------------------------------------------

def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(action: str, workbook: Path, store_dir: Path) -> dict[str, Any]:
    start = time.perf_counter()
    result: dict[str, Any] = {}
    if action in ("import", "dry-run", "import-no-shacl"):
        from spbe_arch.importers.xlsx import import_workbook, importer
        from spbe_arch.repository import open_repository

        if action == "import-no-shacl":
            # breakdown only: the same import with the SHACL stage left out
            importer._validate = lambda *args: ([], [])
        stages: dict[str, float] = {}

        def progress(stage: str, done: int, total: int | None) -> None:
            if stage in ("rencana perubahan", "validasi", "menyimpan") and stage not in stages:
                stages[stage] = time.perf_counter() - start
                print(json.dumps({"stage": stage, "at": stages[stage],
                                  "peak_mb": _peak_mb()}), flush=True)

        with open_repository(f"oxigraph:{store_dir}") as repo:
            report = import_workbook(repo, workbook, instansi=INSTANSI,
                                     dry_run=action == "dry-run", progress=progress)
            result = {"summary": report.changes.summary("en"), "stages": stages,
                      "triples_added": len(report.changes.add),
                      "notes": [n.message("en") for n in report.validation_notes]}
    elif action == "read-cells":
        from openpyxl import load_workbook

        wb = load_workbook(workbook, read_only=True)
        cells = sum(1 for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                    for v in row if v is not None)
        wb.close()
        result = {"cells": cells}
    elif action == "load-nquads":
        from spbe_arch.repository import LoadSource, open_repository

        with open_repository(f"oxigraph:{store_dir}") as repo:
            result = {"quads": repo.load([LoadSource(workbook, "nquads", None, workbook.name)])}
    result.update(seconds=time.perf_counter() - start, peak_mb=_peak_mb())
    return result


def _run_child(action: str, workbook: Path, store_dir: Path,
               cap_s: float | None = None) -> dict[str, Any]:
    """Run one measurement in a fresh process; past `cap_s` it is stopped and what it had
    reached is returned with `capped`."""
    cmd = [sys.executable, "-m", "bench.excel", "--child", action, str(workbook),
           str(store_dir)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False,
                              timeout=cap_s)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        stages = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        return {"capped": cap_s, "stages": {s["stage"]: s["at"] for s in stages},
                "seconds": float("nan"), "peak_mb": max((s["peak_mb"] for s in stages),
                                                       default=float("nan")),
                "summary": f"stopped after {cap_s:.0f} s"}
    if proc.returncode != 0:
        raise SystemExit(f"{action} failed:\n{proc.stdout}\n{proc.stderr}")
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return data


def _copy_store(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--cap", type=float, default=1800.0,
                        help="stop a measurement after this many seconds (default 1800)")
    parser.add_argument("--child", nargs=3, metavar=("ACTION", "WORKBOOK", "STORE"))
    args = parser.parse_args()
    if args.child:
        action, workbook, store = args.child
        print(json.dumps(child(action, Path(workbook), Path(store))))
        return

    work = OUT_DIR / "excel"
    work.mkdir(parents=True, exist_ok=True)
    base = work / "base-store"
    print(f"Machine: {machine()}", flush=True)
    _prepare_store(base)
    workbook = work / f"impor-{args.rows}.xlsx"
    written = write_workbook(workbook, args.rows, _codes(base), _opds(base))
    size_mb = workbook.stat().st_size / 1024 / 1024
    print(f"Workbook: {written} data rows, {size_mb:.1f} MB", flush=True)

    store = work / "store"
    _copy_store(base, store)
    cells = _run_child("read-cells", workbook, store)
    fast = _run_child("import-no-shacl", workbook, store)
    _copy_store(base, store)
    full = _run_child("import", workbook, store, cap_s=args.cap)
    if full.get("capped"):
        _copy_store(base, store)
        _run_child("import-no-shacl", workbook, store)
    again = _run_child("import", workbook, store, cap_s=args.cap)

    # baseline write: the instansi graph after the import, as N-Quads, into an empty store
    from spbe_arch import iris
    from spbe_arch.repository import open_repository

    nquads = work / "added.nq"
    with open_repository(f"oxigraph:{store}", read_only=True) as repo:
        nquads.write_bytes(repo.export(iris.instansi_graph(INSTANSI), "ntriples")
                           .replace(b" .\n", f" <{iris.instansi_graph(INSTANSI)}> .\n".encode()))
    raw_store = work / "raw-store"
    if raw_store.exists():
        shutil.rmtree(raw_store)
    load = _run_child("load-nquads", nquads, raw_store)

    def stage(result: dict[str, Any], name: str, until: str | None) -> float:
        stages = result.get("stages", {})
        begin = stages.get(name, float("nan"))
        end = stages.get(until, result["seconds"]) if until else result["seconds"]
        return float(end - begin)

    read_s = fast["stages"].get("rencana perubahan", float("nan"))
    rows = [
        ["read workbook + check cells", read_s, "", ratio(read_s, cells["seconds"]), ""],
        ["plan (diff against the store)", stage(fast, "rencana perubahan", "validasi"), "",
         "", fast["summary"]],
        ["SHACL check of the change", stage(full, "validasi", "menyimpan"), "", "",
         "capped" if full.get("capped") else ""],
        ["commit (apply_audited)", stage(fast, "menyimpan", None), "", "", ""],
        ["import without SHACL stage (breakdown)", fast["seconds"], fast["peak_mb"],
         ratio(fast["seconds"], cells["seconds"]), fast["summary"]],
        ["import (CLI path: read, plan, SHACL, commit)", full["seconds"], full["peak_mb"],
         ratio(full["seconds"], cells["seconds"]), full["summary"]],
        ["re-import of the same workbook", again["seconds"], again["peak_mb"],
         ratio(again["seconds"], cells["seconds"]), again["summary"]],
        ["baseline: openpyxl read-only, every cell", cells["seconds"], cells["peak_mb"], 1.0,
         f"{cells['cells']} cells"],
        ["baseline: load the instansi graph as N-Quads", load["seconds"], load["peak_mb"],
         ratio(load["seconds"], cells["seconds"]), f"{load['quads']} quads"],
    ]
    print_table(f"Excel import, {written} rows ({size_mb:.1f} MB workbook) into the demo"
                " repository; targets <= 60 s, <= 1024 MB",
                ["step", "seconds", "peak RSS MB", "× cell read", "result"], rows)
    notes = full.get("notes") or []
    if notes:
        print(f"SHACL notes (not blocking): {len(notes)}, e.g.", *notes[:3], sep="\n- ")
    print(f"Verdict: import {full['seconds']:.1f} s (target 60 s), peak {full['peak_mb']:.0f}"
          f" MB (target 1024 MB); without the SHACL stage {fast['seconds']:.1f} s,"
          f" {fast['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
