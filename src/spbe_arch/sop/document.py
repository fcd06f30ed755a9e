"""An SOP as stored (identity fields, actors, steps), read back for documents and export."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources

from rdflib import RDF
from rdflib.term import Literal, Node, URIRef

from spbe_arch import iris
from spbe_arch.errors import InputError, Location
from spbe_arch.repository import Repository
from spbe_arch.settings import get_settings
from spbe_arch.vocab import SPBE

BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember")
_SIMBOL: dict[Node, str] = {
    SPBE.Terminator: "Terminator", SPBE.Kegiatan: "Kegiatan", SPBE.Keputusan: "Keputusan",
    SPBE.PenghubungHalaman: "PenghubungHalaman"}


@cache
def query_text(name: str) -> str:
    return (resources.files("spbe_arch.sop") / "sparql" / f"{name}.rq").read_text(
        encoding="utf-8")


def tanggal_indonesia(value: date | None) -> str:
    """`4 Desember 2026`; an empty string for no date."""
    if value is None:
        return ""
    return f"{value.day} {BULAN[value.month - 1]} {value.year}"


def parse_tanggal(text: str, what: str = "tanggal") -> date:
    """A date written as 2026-12-04, 04-12-2026, 04/12/2026 or 4 Desember 2026."""
    text = text.strip()
    try:
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        match = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
        match = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", text)
        if match:
            months = {m.lower(): i for i, m in enumerate(BULAN, start=1)}
            months.update({m.lower()[:3]: i for i, m in enumerate(BULAN, start=1)})
            month = months.get(match[2].lower())
            if month:
                return date(int(match[3]), month, int(match[1]))
    except ValueError:
        pass
    raise InputError(
        f"{what} '{text}' tidak dapat dibaca; tulis seperti 2026-12-04 atau 4 Desember 2026",
        f"{what} '{text}' cannot be read; write it like 2026-12-04 or 4 Desember 2026",
        Location(field=what))


@dataclass
class Pelaksana:
    iri: URIRef
    nama: str
    urutan: int


@dataclass
class Langkah:
    iri: URIRef
    urutan: int
    nama: str
    simbol: str
    pelaksana: URIRef | None
    kelengkapan: str = ""
    waktu: str = ""
    output: str = ""
    keterangan: str = ""
    next: int | None = None
    ya: int | None = None
    tidak: int | None = None
    source: URIRef | None = None


@dataclass
class SopDocument:
    iri: URIRef
    graph: URIRef
    kode: str
    nama: str
    status: str
    instansi: str
    unit: str
    nomor: str = ""
    tanggal_pembuatan: date | None = None
    tanggal_revisi: date | None = None
    tanggal_efektif: date | None = None
    disahkan_jabatan: str = ""
    disahkan_nama: str = ""
    disahkan_nip: str = ""
    dasar_hukum: list[str] = field(default_factory=list)
    kualifikasi_pelaksana: list[str] = field(default_factory=list)
    keterkaitan: list[str] = field(default_factory=list)
    peralatan: list[str] = field(default_factory=list)
    peringatan: list[str] = field(default_factory=list)
    pencatatan: list[str] = field(default_factory=list)
    proses: URIRef | None = None
    proses_kode: str = ""
    proses_nama: str = ""
    model: URIRef | None = None
    model_nama: str = ""
    pemilik: URIRef | None = None
    """The OPD that owns the SOP (whose editors may change it)."""
    pelaksana: list[Pelaksana] = field(default_factory=list)
    langkah: list[Langkah] = field(default_factory=list)

    def column_of(self, step: Langkah) -> int:
        for index, actor in enumerate(self.pelaksana):
            if actor.iri == step.pelaksana:
                return index
        return 0

    def as_dict(self) -> dict[str, object]:
        return {
            "iri": str(self.iri), "kode": self.kode, "nama": self.nama, "status": self.status,
            "instansi": self.instansi, "unit": self.unit, "nomor": self.nomor,
            "tanggal_pembuatan": self.tanggal_pembuatan.isoformat()
            if self.tanggal_pembuatan else None,
            "tanggal_revisi": self.tanggal_revisi.isoformat() if self.tanggal_revisi else None,
            "tanggal_efektif": self.tanggal_efektif.isoformat() if self.tanggal_efektif else None,
            "disahkan_jabatan": self.disahkan_jabatan, "disahkan_nama": self.disahkan_nama,
            "disahkan_nip": self.disahkan_nip, "dasar_hukum": self.dasar_hukum,
            "kualifikasi_pelaksana": self.kualifikasi_pelaksana,
            "keterkaitan": self.keterkaitan, "peralatan": self.peralatan,
            "peringatan": self.peringatan, "pencatatan": self.pencatatan,
            "proses": self.proses_kode or None,
            "model": str(self.model) if self.model else None,
            "pelaksana": [p.nama for p in self.pelaksana],
            "langkah": [{
                "no": s.urutan, "kegiatan": s.nama, "simbol": s.simbol,
                "pelaksana": next((p.nama for p in self.pelaksana if p.iri == s.pelaksana), None),
                "kelengkapan": s.kelengkapan, "waktu": s.waktu, "output": s.output,
                "keterangan": s.keterangan, "berikutnya": s.next, "jika_ya": s.ya,
                "jika_tidak": s.tidak} for s in self.langkah],
        }


def find_sop(repository: Repository, kode: str,
             kode_wilayah: str | None = None) -> tuple[URIRef, URIRef]:
    """(SOP IRI, graph) of the SOP with code `kode`, or an `InputError`."""
    kode_wilayah = kode_wilayah or get_settings().instansi
    rows = repository.select(query_text("find_sop"),
                             {"kode": Literal(kode), "instansi": iris.instansi_iri(kode_wilayah)})
    if not rows.rows:
        raise InputError(f"SOP dengan kode '{kode}' tidak ditemukan pada instansi {kode_wilayah}",
                         f"no SOP with code '{kode}' in instansi {kode_wilayah}",
                         Location(field="kode"))
    sop, graph = rows.rows[0]["sop"], rows.rows[0]["graph"]
    assert isinstance(sop, URIRef) and isinstance(graph, URIRef)
    return sop, graph


_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def printable(text: str) -> str:
    """`text` without control characters, its line breaks as '\\n'. A control character
    (pasted from another program, or sent through the API) made the Word document fail
    ("All strings must be XML compatible") and is invisible everywhere else."""
    return _CONTROL.sub("", _LINE_BREAKS.sub("\n", text))


def _first(values: dict[Node, list[Node]], prop: URIRef) -> Node | None:
    found = values.get(prop)
    return sorted(found, key=str)[0] if found else None


def _date(value: Node | None) -> date | None:
    if isinstance(value, Literal):
        python = value.toPython()
        if isinstance(python, date):
            return python
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            return None
    return None


def _iri(value: Node | None) -> URIRef | None:
    return value if isinstance(value, URIRef) else None


def _int(value: Node | None) -> int | None:
    if isinstance(value, Literal):
        try:
            return int(str(value))
        except ValueError:
            return None
    return None


def _natural(text: str) -> list[tuple[int, int | str]]:
    """Sort key: runs of digits by value, the rest as text (case-insensitive)."""
    return [(0, int(part)) if part.isdigit() else (1, part.casefold())
            for part in re.split(r"(\d+)", text) if part]


def load_sop(repository: Repository, kode: str, kode_wilayah: str | None = None) -> SopDocument:
    """Everything an SOP document needs, read from the repository."""
    sop, graph = find_sop(repository, kode, kode_wilayah)
    props: dict[Node, list[Node]] = {}
    rows: dict[Node, dict[Node, list[Node]]] = {}
    for row in repository.select(query_text("sop_owned"), {"sop": sop}):
        subject, predicate, obj = row["s"], row["p"], row["o"]
        target = props if subject == sop else rows.setdefault(subject, {})
        target.setdefault(predicate, []).append(obj)

    def one(p: URIRef, source: dict[Node, list[Node]] | None = None) -> str:
        values = (source if source is not None else props).get(p, [])
        return printable(str(sorted(values, key=str)[0])) if values else ""

    def many(p: URIRef) -> list[str]:
        # stored as a set: numbered entries ("1. UU …", "2. PP …", "10. Perwali …") come
        # back in their numbers' order, not as text (1, 10, 2)
        return sorted((printable(str(v)) for v in props.get(p, [])), key=_natural)

    context = repository.select(query_text("sop_context"), {"sop": sop}).rows
    ctx = context[0] if context else {}
    status_values = props.get(SPBE.statusSOP, [])
    status = "Ditetapkan" if SPBE.Ditetapkan in status_values else "Draft"
    document = SopDocument(
        iri=sop, graph=graph, kode=kode, nama=one(SPBE.nama) or kode, status=status,
        instansi=printable(str(ctx.get("instansiNama", "")) or str(ctx.get("instansi", ""))),
        unit=printable(str(ctx.get("unitNama", ""))),
        nomor=one(SPBE.nomorSOP),
        tanggal_pembuatan=_date(_first(props, SPBE.tanggalPembuatan)),
        tanggal_revisi=_date(_first(props, SPBE.tanggalRevisi)),
        tanggal_efektif=_date(_first(props, SPBE.tanggalEfektif)),
        disahkan_jabatan=one(SPBE.disahkanOlehJabatan),
        disahkan_nama=one(SPBE.disahkanOlehNama),
        disahkan_nip=one(SPBE.disahkanOlehNIP),
        dasar_hukum=many(SPBE.dasarHukum),
        kualifikasi_pelaksana=many(SPBE.kualifikasiPelaksana),
        keterkaitan=many(SPBE.keterkaitan),
        peralatan=many(SPBE.peralatanPerlengkapan),
        peringatan=many(SPBE.peringatan),
        pencatatan=many(SPBE.pencatatanPendataan),
        proses=_iri(ctx.get("proses")),
        proses_kode=str(ctx.get("prosesKode", "")),
        proses_nama=printable(str(ctx.get("prosesNama", ""))),
        model=_iri(ctx.get("model")),
        model_nama=printable(str(ctx.get("modelNama", ""))),
        pemilik=_iri(ctx.get("unit")),
    )
    number_of: dict[Node, int | None] = {}
    for subject, values in rows.items():
        types = values.get(RDF.type, [])
        if SPBE.LangkahSOP in types:
            number_of[subject] = _int(_first(values, SPBE.urutan))
    for subject, values in rows.items():
        types = values.get(RDF.type, [])
        if SPBE.PelaksanaSOP in types and isinstance(subject, URIRef):
            document.pelaksana.append(Pelaksana(
                subject, one(SPBE.nama, values),
                _int(_first(values, SPBE.urutan)) or 0))
        elif SPBE.LangkahSOP in types and isinstance(subject, URIRef):
            simbol = next((_SIMBOL[v] for v in values.get(SPBE.jenisSimbol, []) if v in _SIMBOL),
                          "Kegiatan")
            actor = _first(values, SPBE.dilaksanakanOleh)

            def link(p: URIRef, values: dict[Node, list[Node]] = values) -> int | None:
                targets = values.get(p, [])
                return number_of.get(targets[0]) if targets else None

            source = next((v for p, vs in values.items() if str(p).endswith("wasDerivedFrom")
                           for v in vs if isinstance(v, URIRef)), None)
            document.langkah.append(Langkah(
                subject, number_of[subject] or 0, one(SPBE.nama, values), simbol,
                actor if isinstance(actor, URIRef) else None,
                one(SPBE.kelengkapan, values), one(SPBE.waktu, values),
                one(SPBE.output, values), one(SPBE.keterangan, values),
                link(SPBE.langkahBerikutnya), link(SPBE.jikaYa), link(SPBE.jikaTidak), source))
    document.pelaksana.sort(key=lambda p: (p.urutan, p.nama))
    document.langkah.sort(key=lambda s: s.urutan)
    return document
