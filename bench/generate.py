"""Deterministic generator of synthetic SPBE repositories (benchmark data, not real data).

`python -m bench.generate --size 500k --format nquads --out bench/out/spbe-500k.nq`

Each synthetic pemda (kode wilayah `0001`, `0002`, … — province code 00 does not exist, so
no code can be mistaken for a real region) gets its own graph `…/graph/instansi/<kode>` with
an architecture period and ~35 OPD; each OPD has proses bisnis (level 1 and level-2
sub-processes), layanan, data, aplikasi and SOPs with pelaksana and steps (PermenPANRB
35/2012 shape: terminators, activities, one decision). Everything follows the data
conventions of the project brief (IRIs from `spbe_arch.iris`, terms from `spbe_arch.vocab`,
plain string literals, enumerations as IRIs).

Classification uses the real reference concepts when `data/reference/perpres-132-2022/`
exists (committed by the ontology work); otherwise it falls back to IRIs of the same shape
(`…/ref/perpres-132-2022/RAB.xx.xx.xx`) whose labels say they are synthetic. The reference
graph is written into the output too, so reference queries have something to join.

A few defects are planted at fixed rates so the named queries find something: layanan that no
process realises, processes without an SOP, and processes classified with a RAB code that does
not exist in the reference (`RAB.99.99.xx`).

The output is a pure function of (size, seed): the same arguments give byte-identical files,
and the pemda of a smaller size are a prefix of those of a larger one.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from rdflib.namespace import RDF, SKOS, XSD

from bench.common import OUT_DIR, parse_size, size_label
from spbe_arch import iris
from spbe_arch.vocab import SPBE

REFERENCE_VERSION = "Perpres 132/2022"
REFERENCE_SLUG = "perpres-132-2022"
PROJECT_ROOT = Path(__file__).resolve().parents[1]

WORDS_PROSES = ["Perencanaan", "Pengelolaan", "Pelayanan", "Pengawasan", "Pembinaan",
                "Penyusunan", "Evaluasi", "Pendataan", "Verifikasi", "Penerbitan",
                "Fasilitasi", "Koordinasi", "Monitoring", "Pelaporan", "Sosialisasi"]
WORDS_OBJEK = ["Perizinan Usaha", "Data Kependudukan", "Anggaran Daerah", "Aset Daerah",
               "Kesehatan Masyarakat", "Pendidikan Dasar", "Infrastruktur Jalan",
               "Lingkungan Hidup", "Pengaduan Masyarakat", "Kepegawaian", "Arsip Daerah",
               "Pajak Daerah", "Bantuan Sosial", "Pasar Rakyat", "Air Bersih",
               "Transportasi Umum", "Kebudayaan", "Pariwisata", "Ketertiban Umum",
               "Statistik Sektoral"]
OPD_KINDS = [("Dinas", SPBE.Dinas), ("Badan", SPBE.Badan), ("Bagian", SPBE.Bagian),
             ("Kecamatan", SPBE.Kecamatan), ("UPT", SPBE.UPT)]
JABATAN = ["Kepala Dinas", "Sekretaris", "Kepala Bidang", "Kepala Seksi", "Staf Pelaksana",
           "Analis Kebijakan", "Pranata Komputer"]


def _iri(value: object) -> str:
    return f"<{value}>"


def _lit(text: str) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r"))
    return f'"{escaped}"'


def _typed(text: str, datatype: object) -> str:
    return f'{_lit(text)}^^<{datatype}>'


def _lang(text: str, lang: str) -> str:
    return f"{_lit(text)}@{lang}"


A = _iri(RDF.type)
P_NAMES = (
    "kode", "nama", "uraian", "instansi", "pemilik", "unitPelaksana", "waliData", "kodeWilayah",
    "periode", "tahunMulai", "tahunSelesai", "statusDokumen", "versiReferensi", "jenisOPD",
    "singkatan", "klasifikasiRAB", "klasifikasiRAL", "klasifikasiRAD", "subProsesDari",
    "levelPetaProses", "jenisProses", "statusProses", "merealisasikan", "menghasilkanData",
    "jenisLayanan", "targetLayanan", "metodeLayanan", "tujuan", "menggunakanData", "sifatData",
    "jenisData", "validitasData", "mendukungLayanan", "jenisAplikasi", "untukProsesBisnis",
    "nomorSOP", "tanggalPembuatan", "tanggalEfektif", "disahkanOlehJabatan", "dasarHukum",
    "peringatan", "statusSOP", "memilikiPelaksana", "memilikiLangkah", "urutan", "jenisSimbol",
    "dilaksanakanOleh", "kelengkapan", "waktu", "output", "keterangan", "langkahBerikutnya",
    "jikaYa", "jikaTidak", "level", "jenisReferensi",
)
P = {name: _iri(SPBE[name]) for name in P_NAMES}
C_NAMES = (
    "PemerintahDaerah", "PeriodeArsitektur", "PerangkatDaerah", "ProsesBisnis", "Layanan",
    "DataInformasi", "Aplikasi", "SOP", "PelaksanaSOP", "LangkahSOP", "Draft", "Ditetapkan",
    "ProsesUtama", "ProsesPendukung", "AsIs", "LayananPublik", "LayananAdministrasiPemerintahan",
    "Masyarakat", "ASN", "Elektronik", "Hybrid", "TatapMuka", "Terbuka", "Terbatas",
    "DataStatistik", "DataLainnya", "AplikasiUmum", "AplikasiKhusus", "Terminator", "Kegiatan",
    "Keputusan", "VersiReferensi",
)
C = {name: _iri(SPBE[name]) for name in C_NAMES}


@dataclass
class Reference:
    """Reference concepts to classify with, and the triples of the reference graph."""

    concepts: dict[str, list[str]]
    """'RAB' | 'RAL' | 'RAD' -> concept IRIs (the most specific level) to classify with."""
    lines: list[str] = field(default_factory=list)
    """N-Triples lines of the reference graph (without graph term)."""
    synthetic: bool = False


def load_reference() -> Reference:
    """The committed reference concepts, or synthetic ones of the same IRI shape."""
    directory = PROJECT_ROOT / "data" / "reference" / REFERENCE_SLUG
    files = sorted(directory.glob("*.ttl")) if directory.is_dir() else []
    if files:
        return _reference_from_files(files)
    return _synthetic_reference()


def _reference_from_files(files: list[Path]) -> Reference:
    import pyoxigraph as ox

    store = ox.Store()
    for path in files:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    concepts: dict[str, list[str]] = {}
    query = f"""
        PREFIX skos: <{SKOS}>
        SELECT ?c ?code WHERE {{
          ?c a skos:Concept ; skos:notation ?code .
          FILTER NOT EXISTS {{ ?narrower skos:broader ?c }}
        }} ORDER BY ?code"""
    for row in store.query(query):  # type: ignore[union-attr]
        code = row["code"].value  # type: ignore[index,union-attr]
        prefix = code.split(".", 1)[0]
        concepts.setdefault(prefix, []).append(row["c"].value)  # type: ignore[index,union-attr]
    lines = sorted(str(q.triple) + " ." for q in store)
    return Reference(concepts, lines)


def _concept_lines(code: str, level: int, parent: str | None, scheme: str) -> list[str]:
    node = _iri(iris.reference_concept_iri(REFERENCE_VERSION, code))
    lines = [
        f"{node} {A} {_iri(SKOS.Concept)} .",
        f"{node} {_iri(SKOS.notation)} {_lit(code)} .",
        f"{node} {_iri(SKOS.prefLabel)} {_lang(f'Konsep sintetis {code}', 'id')} .",
        f"{node} {_iri(SKOS.inScheme)} {scheme} .",
        f"{node} {P['level']} {_typed(str(level), XSD.integer)} .",
    ]
    if parent is not None:
        parent_iri = iris.reference_concept_iri(REFERENCE_VERSION, parent)
        lines.append(f"{node} {_iri(SKOS.broader)} {_iri(parent_iri)} .")
    return lines


def _synthetic_reference() -> Reference:
    concepts: dict[str, list[str]] = {}
    lines: list[str] = []
    version = iris.reference_version_iri(REFERENCE_VERSION)
    lines.append(f"{_iri(version)} {A} {C['VersiReferensi']} .")
    for prefix in ("RAB", "RAL", "RAD"):
        scheme = _iri(iris.reference_scheme_iri(REFERENCE_VERSION, prefix))
        lines += [f"{scheme} {A} {_iri(SKOS.ConceptScheme)} .",
                  f"{scheme} {P['jenisReferensi']} {_lit(prefix)} .",
                  f"{scheme} {P['versiReferensi']} {_iri(version)} ."]
        for a in range(1, 10):
            sector = f"{prefix}.{a:02d}"
            lines += _concept_lines(sector, 1, None, scheme)
            for b in range(1, 6):
                group = f"{sector}.{b:02d}"
                lines += _concept_lines(group, 2, sector, scheme)
                for c in range(1, 7):
                    code = f"{group}.{c:02d}"
                    lines += _concept_lines(code, 3, group, scheme)
                    concepts.setdefault(prefix, []).append(
                        str(iris.reference_concept_iri(REFERENCE_VERSION, code)))
    return Reference(concepts, lines, synthetic=True)


def kode_wilayah(index: int) -> str:
    """Synthetic kode wilayah: province code 00 does not exist."""
    return f"{index + 1:04d}"


def pemda_triples(index: int, reference: Reference, seed: int = 132) -> Iterator[str]:
    """The N-Triples lines of one synthetic pemda (deterministic in index and seed)."""
    rng = random.Random(f"{seed}:{index}")
    kode = kode_wilayah(index)
    instansi = _iri(iris.instansi_iri(kode))
    periode = _iri(iris.element_iri(kode, "periode", "2025-2029"))
    version = _iri(iris.reference_version_iri(REFERENCE_VERSION))
    yield f"{instansi} {A} {C['PemerintahDaerah']} ."
    yield f"{instansi} {P['kodeWilayah']} {_lit(kode)} ."
    yield f"{instansi} {P['nama']} {_lit(f'Pemerintah Daerah Sintetis {kode}')} ."
    yield f"{instansi} {P['periode']} {periode} ."
    yield f"{periode} {A} {C['PeriodeArsitektur']} ."
    yield f"{periode} {P['tahunMulai']} {_typed('2025', XSD.gYear)} ."
    yield f"{periode} {P['tahunSelesai']} {_typed('2029', XSD.gYear)} ."
    yield f"{periode} {P['statusDokumen']} {C['Draft']} ."
    yield f"{periode} {P['versiReferensi']} {version} ."

    rab, ral, rad = (reference.concepts.get(k, []) for k in ("RAB", "RAL", "RAD"))
    n_opd = rng.randint(32, 38)
    for o in range(1, n_opd + 1):
        kind_name, kind = OPD_KINDS[o % len(OPD_KINDS)]
        opd_code = f"OPD{o:02d}"
        opd = _iri(iris.element_iri(kode, "opd", opd_code))
        subject = rng.choice(WORDS_OBJEK)
        yield f"{opd} {A} {C['PerangkatDaerah']} ."
        yield f"{opd} {P['kode']} {_lit(opd_code)} ."
        yield f"{opd} {P['nama']} {_lit(f'{kind_name} {subject} {o}')} ."
        yield f"{opd} {P['singkatan']} {_lit(f'{kind_name[:3].upper()}{o}')} ."
        yield f"{opd} {P['instansi']} {instansi} ."
        yield f"{opd} {P['jenisOPD']} {_iri(kind)} ."

        def element(kind_slug: str, code: str, cls: str, name: str, owner_property: str,
                    _opd: str = opd) -> tuple[str, list[str]]:
            node = _iri(iris.element_iri(kode, kind_slug, code))
            return node, [f"{node} {A} {C[cls]} .",
                          f"{node} {P['kode']} {_lit(code)} .",
                          f"{node} {P['nama']} {_lit(name)} .",
                          f"{node} {P['instansi']} {instansi} .",
                          f"{node} {P[owner_property]} {_opd} ."]

        data_nodes: list[str] = []
        for d in range(1, rng.randint(3, 5) + 1):
            node, lines = element("data", f"{opd_code}.DT.{d:02d}", "DataInformasi",
                                  f"Data {rng.choice(WORDS_OBJEK)} {o}.{d}", "waliData")
            yield from lines
            if rad:
                yield f"{node} {P['klasifikasiRAD']} {_iri(rng.choice(rad))} ."
            yield f"{node} {P['sifatData']} {C[rng.choice(['Terbuka', 'Terbatas'])]} ."
            yield f"{node} {P['jenisData']} {C[rng.choice(['DataStatistik', 'DataLainnya'])]} ."
            validity = rng.choice(["Harian", "Bulanan", "Tahunan"])
            yield f"{node} {P['validitasData']} {_lit(validity)} ."
            data_nodes.append(node)

        layanan_nodes: list[str] = []
        for s in range(1, rng.randint(2, 4) + 1):
            node, lines = element("layanan", f"{opd_code}.LY.{s:02d}", "Layanan",
                                  f"Layanan {rng.choice(WORDS_OBJEK)} {o}.{s}", "unitPelaksana")
            yield from lines
            if ral:
                yield f"{node} {P['klasifikasiRAL']} {_iri(rng.choice(ral))} ."
            kind_l = rng.choice(["LayananPublik", "LayananAdministrasiPemerintahan"])
            yield f"{node} {P['jenisLayanan']} {C[kind_l]} ."
            yield f"{node} {P['targetLayanan']} {C[rng.choice(['Masyarakat', 'ASN'])]} ."
            method = rng.choice(["Elektronik", "Hybrid", "TatapMuka"])
            yield f"{node} {P['metodeLayanan']} {C[method]} ."
            yield f"{node} {P['tujuan']} {_lit('Memberikan layanan yang cepat dan terukur')} ."
            yield f"{node} {P['menggunakanData']} {rng.choice(data_nodes)} ."
            layanan_nodes.append(node)

        # a planted defect: roughly one layanan in ten is realised by no process
        realisable = [n for n in layanan_nodes if rng.random() > 0.1] or layanan_nodes[:1]
        leaf_processes: list[str] = []
        for p in range(1, rng.randint(3, 5) + 1):
            code = f"{opd_code}.PB.{p:02d}"
            name = f"{rng.choice(WORDS_PROSES)} {rng.choice(WORDS_OBJEK)}"
            node, lines = element("proses-bisnis", code, "ProsesBisnis", name, "pemilik")
            yield from lines
            yield f"{node} {P['levelPetaProses']} {_typed('1', XSD.integer)} ."
            if rab and rng.random() > 0.02:
                yield f"{node} {P['klasifikasiRAB']} {_iri(rng.choice(rab))} ."
            else:
                # a planted defect: a RAB code that the reference does not contain
                missing = iris.reference_concept_iri(REFERENCE_VERSION, f"RAB.99.99.{p:02d}")
                yield f"{node} {P['klasifikasiRAB']} {_iri(missing)} ."
            yield f"{node} {P['jenisProses']} {C[rng.choice(['ProsesUtama', 'ProsesPendukung'])]} ."
            yield f"{node} {P['statusProses']} {C['AsIs']} ."
            yield f"{node} {P['uraian']} {_lit(f'Proses {name.lower()} pada {opd_code}')} ."
            yield f"{node} {P['merealisasikan']} {realisable[(p - 1) % len(realisable)]} ."
            yield f"{node} {P['menghasilkanData']} {rng.choice(data_nodes)} ."
            children = rng.randint(0, 2)
            for c in range(1, children + 1):
                child, lines = element("proses-bisnis", f"{code}.{c:02d}", "ProsesBisnis",
                                       f"{name} tahap {c}", "pemilik")
                yield from lines
                yield f"{child} {P['levelPetaProses']} {_typed('2', XSD.integer)} ."
                yield f"{child} {P['subProsesDari']} {node} ."
                yield f"{child} {P['jenisProses']} {C['ProsesPendukung']} ."
                leaf_processes.append(child)
            if not children:
                leaf_processes.append(node)

        for a in range(1, rng.randint(1, 3) + 1):
            node, lines = element("aplikasi", f"{opd_code}.AP.{a:02d}", "Aplikasi",
                                  f"Sistem Informasi {rng.choice(WORDS_OBJEK)} {o}.{a}",
                                  "pemilik")
            yield from lines
            kind_a = rng.choice(["AplikasiUmum", "AplikasiKhusus"])
            yield f"{node} {P['jenisAplikasi']} {C[kind_a]} ."
            yield f"{node} {P['mendukungLayanan']} {rng.choice(layanan_nodes)} ."
            yield f"{node} {P['menggunakanData']} {rng.choice(data_nodes)} ."

        # SOPs for about three quarters of the leaf processes (the rest is a planted gap)
        for number, process in enumerate(leaf_processes, start=1):
            if rng.random() > 0.75:
                continue
            code = f"{opd_code}.SOP.{number:02d}"
            sop_ref = iris.element_iri(kode, "sop", code)
            node, lines = element("sop", code, "SOP",
                                  f"SOP {rng.choice(WORDS_PROSES)} {o}.{number}", "pemilik")
            yield from lines
            yield f"{node} {P['untukProsesBisnis']} {process} ."
            yield f"{node} {P['nomorSOP']} {_lit(f'{number:03d}/{opd_code}/{kode}/2025')} ."
            yield f"{node} {P['tanggalPembuatan']} {_typed('2025-01-15', XSD.date)} ."
            yield f"{node} {P['statusSOP']} {C[rng.choice(['Draft', 'Ditetapkan'])]} ."
            yield f"{node} {P['disahkanOlehJabatan']} {_lit(f'Kepala {kind_name}')} ."
            yield f"{node} {P['dasarHukum']} {_lit('Peraturan Presiden Nomor 132 Tahun 2022')} ."
            actors = []
            for r, jabatan in enumerate(rng.sample(JABATAN, 3), start=1):
                actor = _iri(iris.sop_pelaksana_iri(sop_ref, jabatan))
                yield f"{node} {P['memilikiPelaksana']} {actor} ."
                yield f"{actor} {A} {C['PelaksanaSOP']} ."
                yield f"{actor} {P['nama']} {_lit(jabatan)} ."
                yield f"{actor} {P['urutan']} {_typed(str(r), XSD.integer)} ."
                actors.append(actor)
            n_steps = rng.randint(5, 8)
            decision_at = rng.randint(2, n_steps - 2)
            steps = [_iri(iris.sop_step_iri(sop_ref, n)) for n in range(1, n_steps + 1)]
            for n, step in enumerate(steps, start=1):
                symbol = ("Terminator" if n in (1, n_steps)
                          else "Keputusan" if n == decision_at else "Kegiatan")
                yield f"{node} {P['memilikiLangkah']} {step} ."
                yield f"{step} {A} {C['LangkahSOP']} ."
                yield f"{step} {P['urutan']} {_typed(str(n), XSD.integer)} ."
                yield f"{step} {P['nama']} {_lit(f'Langkah {n}: {rng.choice(WORDS_PROSES)}')} ."
                yield f"{step} {P['jenisSimbol']} {C[symbol]} ."
                yield f"{step} {P['dilaksanakanOleh']} {actors[n % len(actors)]} ."
                yield f"{step} {P['waktu']} {_lit(f'{rng.choice([5, 10, 15, 30, 60])} menit')} ."
                yield f"{step} {P['output']} {_lit('Dokumen')} ."
                if symbol == "Keputusan":
                    yield f"{step} {P['jikaYa']} {steps[n]} ."
                    yield f"{step} {P['jikaTidak']} {steps[n - 2]} ."
                elif n < n_steps:
                    yield f"{step} {P['langkahBerikutnya']} {steps[n]} ."


def generate(target_triples: int, out: TextIO, fmt: str = "nquads",
             seed: int = 132) -> dict[str, int]:
    """Write a synthetic repository of about `target_triples` triples; returns counts."""
    reference = load_reference()
    written = 0
    pemda = 0
    ref_graph = _iri(iris.reference_graph(REFERENCE_VERSION))

    def emit(graph: str, lines: list[str]) -> None:
        if fmt == "nquads":
            out.writelines(f"{line[:-2]} {graph} .\n" for line in lines)
        else:
            out.write(f"{graph} {{\n")
            out.writelines(f"  {line}\n" for line in lines)
            out.write("}\n")

    emit(ref_graph, reference.lines)
    written += len(reference.lines)
    while written < target_triples:
        lines = list(pemda_triples(pemda, reference, seed))
        emit(_iri(iris.instansi_graph(kode_wilayah(pemda))), lines)
        written += len(lines)
        pemda += 1
    return {"triples": written, "pemda": pemda, "reference_triples": len(reference.lines),
            "synthetic_reference": int(reference.synthetic)}


def dataset(target_triples: int, fmt: str = "nquads", seed: int = 132) -> Path:
    """The cached dataset file for a size (generated on first use under bench/out/)."""
    suffix = ".nq" if fmt == "nquads" else ".trig"
    path = OUT_DIR / f"spbe-{size_label(target_triples)}-s{seed}{suffix}"
    if not path.exists():
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(path.suffix + ".part")
        with partial.open("w", encoding="utf-8") as handle:
            generate(target_triples, handle, fmt, seed)
        partial.rename(path)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--size", type=parse_size, default=parse_size("50k"))
    parser.add_argument("--format", choices=["nquads", "trig"], default="nquads")
    parser.add_argument("--seed", type=int, default=132)
    parser.add_argument("--out", type=Path, help="output file (default: standard output)")
    args = parser.parse_args(argv)
    if args.out is None:
        counts = generate(args.size, sys.stdout, args.format, args.seed)
    else:
        with args.out.open("w", encoding="utf-8") as handle:
            counts = generate(args.size, handle, args.format, args.seed)
    print(f"{counts['triples']} triples, {counts['pemda']} pemda"
          f" (reference: {counts['reference_triples']} triples"
          f"{', synthetic' if counts['synthetic_reference'] else ''})", file=sys.stderr)


if __name__ == "__main__":
    main()
