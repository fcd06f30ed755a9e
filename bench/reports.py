"""Benchmark: the Dokumen Arsitektur SPBE in HTML, PDF, DOCX and Markdown.

`python -m bench.reports [--processes 5000] [--repeat 1] [--formats html,pdf,docx,md]`

Two repositories: the Kota Probolinggo demo, and one synthetic instansi with `--processes`
proses bisnis (default 5,000) and the other domains in the demo's proportions (generated
here, deterministic, real reference codes; not real data). For each, the time to gather and
lay out the document (SPARQL + template + numbering) and to write each format, wall clock
and CPU (the machine may be shared), plus the PDF's page count.

Baselines in the same run, as ratios:
- `select`: one SELECT of every process of the instansi through the repository API (the
  least any document listing the processes must do) — HTML total / select;
- `grid`: WeasyPrint on the 5,000-row process list alone laid out as a grid table (what the
  appendix would cost without the register form) — compared with the whole PDF.

Targets (issue 6): HTML <= 3 s and PDF <= 30 s for the 5,000-process instansi.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Literal

from bench.common import machine, print_table, ratio
from spbe_arch import datasets, iris
from spbe_arch.reports import ReportParams, find_report
from spbe_arch.reports.builtin import _T, element_table
from spbe_arch.reports.model import DOMAIN_BY_KIND
from spbe_arch.reports.rendering import BUILTIN_TEMPLATES, Document, render_document, write_format
from spbe_arch.repository import LoadSource, Repository, open_repository

SYNTHETIC = "0500"
S = "https://w3id.org/spbe-arch/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# per proses bisnis, from the demo sample (199 processes: 56 layanan, 34 data, 22 aplikasi,
# 9 infrastruktur, 7 keamanan, 37 SOP)
RATIOS = {"layanan": 56 / 199, "data": 34 / 199, "aplikasi": 22 / 199,
          "infrastruktur": 9 / 199, "keamanan": 7 / 199, "sop": 37 / 199}
OPD_COUNT = 40


@dataclass
class Timed:
    wall: float
    cpu: float


def timed(fn: Callable[[], object]) -> tuple[Timed, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return Timed(time.perf_counter() - wall, time.process_time() - cpu), result


def _codes(repository: Repository, prefix: str, level: int) -> list[str]:
    rows = repository.select(
        "PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?c WHERE { ?s spbe:jenisReferensi ?p . ?c skos:inScheme ?s ; spbe:level ?l }",
        {"p": Literal(prefix), "l": Literal(level)})
    return sorted(str(r["c"]) for r in rows.rows)


def synthetic_instansi(repository: Repository, processes: int, seed: int = 6) -> int:
    """Load one synthetic instansi with `processes` proses bisnis; returns triples loaded."""
    rng = random.Random(seed)
    rab, ral, rad = (_codes(repository, p, 3) for p in ("RAB", "RAL", "RAD"))
    lines: list[str] = []
    inst = f"<{iris.instansi_iri(SYNTHETIC)}>"

    def t(s: str, p: str, o: str) -> None:
        lines.append(f"{s} <{S}{p}> {o} .")

    def lit(text: str) -> str:
        return '"' + text.replace('"', "'") + '"'

    def node(kind: str, code: str, cls: str, name: str, owner_property: str, owner: str) -> str:
        n = f"<{iris.element_iri(SYNTHETIC, kind, code)}>"
        lines.append(f"{n} <{RDF_TYPE}> <{S}{cls}> .")
        t(n, "kode", lit(code))
        t(n, "nama", lit(name))
        t(n, "instansi", inst)
        if owner_property:
            t(n, owner_property, owner)
        return n

    lines.append(f"{inst} <{RDF_TYPE}> <{S}PemerintahDaerah> .")
    t(inst, "nama", lit(f"Pemerintah Daerah Sintetis {SYNTHETIC}"))
    period = f"<{iris.element_iri(SYNTHETIC, 'periode', '2025-2029')}>"
    t(inst, "periode", period)
    lines.append(f"{period} <{RDF_TYPE}> <{S}PeriodeArsitektur> .")
    t(period, "versiReferensi", f"<{iris.reference_version_iri('Perpres 132/2022')}>")
    t(period, "statusDokumen", f"<{S}Draft>")
    per_opd = max(1, processes // OPD_COUNT)
    made = 0
    for o in range(OPD_COUNT):
        code = f"OPD{o:02d}"
        opd = f"<{iris.element_iri(SYNTHETIC, 'opd', code)}>"
        lines.append(f"{opd} <{RDF_TYPE}> <{S}PerangkatDaerah> .")
        t(opd, "kode", lit(code))
        t(opd, "nama", lit(f"Dinas Sintetis {o:02d}"))
        t(opd, "singkatan", lit(f"DS{o:02d}"))
        t(opd, "instansi", inst)
        t(opd, "jenisOPD", f"<{S}Dinas>")
        count = per_opd if o < OPD_COUNT - 1 else processes - made

        def many(kind: str, count: int = count) -> int:
            return max(1, round(count * RATIOS[kind]))

        services = []
        for i in range(many("layanan")):
            n = node("layanan", f"{code}.LY.{i:03d}", "Layanan", f"Layanan sintetis {o}.{i}",
                     "unitPelaksana", opd)
            if ral:
                t(n, "klasifikasiRAL", f"<{rng.choice(ral)}>")
            t(n, "metodeLayanan", f"<{S}{rng.choice(['Elektronik', 'Hybrid', 'TatapMuka'])}>")
            t(n, "targetLayanan", f"<{S}Masyarakat>")
            services.append(n)
        items = []
        for i in range(many("data")):
            n = node("data", f"{code}.DT.{i:03d}", "DataInformasi", f"Data sintetis {o}.{i}",
                     "waliData", opd)
            if rad:
                t(n, "klasifikasiRAD", f"<{rng.choice(rad)}>")
            t(n, "sifatData", f"<{S}Terbuka>")
            items.append(n)
        for i in range(many("aplikasi")):
            n = node("aplikasi", f"{code}.AP.{i:03d}", "Aplikasi", f"Aplikasi sintetis {o}.{i}",
                     "pemilik", opd)
            t(n, "mendukungLayanan", rng.choice(services))
            t(n, "menggunakanData", rng.choice(items))
        for kind, cls in (("infrastruktur", "Infrastruktur"), ("keamanan", "Keamanan")):
            for i in range(many(kind)):
                node(kind, f"{code}.{cls[:3].upper()}.{i:03d}", cls, f"{cls} sintetis {o}.{i}",
                     "pemilik", opd)
        roots: list[str] = []
        process_nodes = []
        for p in range(count):
            n = node("proses-bisnis", f"{code}.PB.{p:04d}", "ProsesBisnis",
                     f"Proses bisnis sintetis {p} pada OPD {o}", "pemilik", opd)
            process_nodes.append(n)
            if rab:
                t(n, "klasifikasiRAB", f"<{rng.choice(rab)}>")
            t(n, "statusProses", f"<{S}AsIs>")
            t(n, "uraian", lit(f"Uraian proses bisnis sintetis {p} pada OPD {o}"))
            if p % 6 and roots:
                t(n, "subProsesDari", roots[-1])
                t(n, "levelPetaProses", '"1"^^<http://www.w3.org/2001/XMLSchema#integer>')
            else:
                roots.append(n)
                t(n, "levelPetaProses", '"0"^^<http://www.w3.org/2001/XMLSchema#integer>')
            if rng.random() < 0.7:
                t(n, "merealisasikan", rng.choice(services))
            if rng.random() < 0.5:
                t(n, "menghasilkanData", rng.choice(items))
        for i in range(many("sop")):
            n = node("sop", f"{code}.SOP.{i:03d}", "SOP", f"SOP sintetis {o}.{i}", "pemilik",
                     opd)
            t(n, "untukProsesBisnis", rng.choice(process_nodes))
            t(n, "statusSOP", f"<{S}{rng.choice(['Draft', 'Ditetapkan'])}>")
        made += count
    data = "\n".join(lines).encode("utf-8")
    return repository.load([LoadSource(data, "ntriples", iris.instansi_graph(SYNTHETIC),
                                       "synthetic")])


def pdf_pages(pdf: bytes) -> int | str:
    """Page count by poppler's `pdfinfo` (WeasyPrint writes pages into object streams)."""
    if shutil.which("pdfinfo") is None:
        return "?"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True,
                              check=False).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    return int(match.group(1)) if match else "?"


def grid_baseline(repository: Repository, params: ReportParams) -> Timed:
    """WeasyPrint on the process list alone, as a grid table of every process."""
    import weasyprint

    data = params.architecture(repository)
    table = element_table(data, DOMAIN_BY_KIND["proses-bisnis"], data.elements["proses-bisnis"],
                          _T("id"), id="grid", caption="grid", full=True, compact=True)
    css = (BUILTIN_TEMPLATES / "report.css").read_text(encoding="utf-8")
    html = (f"<html><head><style>{css}</style></head><body><table class='data compact fixed'>"
            f"<tbody>{table.rows_html()}</tbody></table></body></html>")
    timing, _ = timed(lambda: weasyprint.HTML(string=html).write_pdf())
    return timing


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=5000)
    parser.add_argument("--formats", default="html,pdf,docx,md")
    parser.add_argument("--no-demo", action="store_true", help="only the synthetic instansi")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args(argv)
    formats = [f for f in args.formats.split(",") if f]
    print(f"Machine: {machine()}\n", flush=True)

    cases: list[tuple[str, Repository, str]] = []
    if not args.no_demo:
        demo = open_repository("memory:")
        datasets.load_demo(demo)
        cases.append(("demo Kota Probolinggo", demo, "3574"))
    synthetic = open_repository("memory:")
    synthetic.load(datasets.base_sources())
    loaded = synthetic_instansi(synthetic, args.processes)
    cases.append((f"synthetic {args.processes:,} processes ({loaded:,} triples)", synthetic,
                  SYNTHETIC))

    rows: list[list[object]] = []
    spec = find_report("arsitektur")
    for label, repository, instansi in cases:
        params = ReportParams(instansi)
        # validation is measured separately: its time depends on the shapes, not on the
        # document, and a stored report is what `write_all_reports` normally reuses
        validation, _ = timed(lambda p=params, r=repository: p.findings(r))
        rows.append([label, "validation (once per run)", f"{validation.wall:.2f}",
                     f"{validation.cpu:.2f}", "", ""])
        gather, document = timed(lambda p=params, r=repository: render_document(r, spec, p))
        assert isinstance(document, Document)
        rows.append([label, "gather + template + numbering", f"{gather.wall:.2f}",
                     f"{gather.cpu:.2f}", "", ""])
        select, _ = timed(lambda r=repository, k=instansi: r.select(
            "PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>\n"
            "SELECT ?p ?kode ?nama WHERE { ?p a spbe:ProsesBisnis ; spbe:instansi ?i ;"
            " spbe:kode ?kode ; spbe:nama ?nama }", {"i": iris.instansi_iri(k)}))
        for fmt in formats:
            timing, content = timed(lambda f=fmt, d=document: write_format(d, f))
            assert isinstance(content, bytes)
            total_wall = timing.wall + (gather.wall if fmt == "html" else 0)
            note = ""
            if fmt == "html":
                note = (f"HTML total {total_wall:.2f} s = {ratio(total_wall, select.wall):.0f}x"
                        " the process SELECT")
            if fmt == "pdf":
                note = f"{pdf_pages(content)} pages"
                if not args.no_baseline and "synthetic" in label:
                    grid = grid_baseline(repository, params)
                    note += (f"; baseline: the process list alone as a grid table"
                             f" {grid.wall:.1f} s wall / {grid.cpu:.1f} s CPU — whole document"
                             f" = {ratio(timing.cpu, grid.cpu):.2f}x it (CPU)")
            rows.append([label, f"write {fmt}", f"{timing.wall:.2f}", f"{timing.cpu:.2f}",
                         f"{len(content) / 1e6:.1f} MB", note])
    print_table("Dokumen Arsitektur SPBE (seconds)",
                ["repository", "step", "wall s", "CPU s", "size", "notes"], rows)


if __name__ == "__main__":
    main()
