"""Everything a document says about one instansi, read from the repository in one go.

`gather_architecture(repository, "3574")` runs a handful of whole-instansi queries
(`reports/sparql/*.rq`) and builds plain Python objects with the look-ups the templates
need (who owns what, what realises what, which reference code an element uses and whether
it is valid). Reports share one `ArchitectureData` per render, so a template never causes a
query per row.

Hierarchies (process maps, reference sectors) come from the explicit links
(`spbe:subProsesDari`, `skos:broader`), never from codes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from rdflib.term import URIRef

from spbe_arch import iris
from spbe_arch.reports.queries import Term, select_rows, select_terms
from spbe_arch.repository import Repository
from spbe_arch.vocab import SPBE

ONTOLOGY = str(SPBE._NS)


@dataclass(frozen=True)
class Domain:
    """One of the six domains of an Arsitektur SPBE, as the documents present it."""

    kind: str
    rdf_class: str
    prefix: str
    """The national reference its elements are classified by (RAB, RAL, …)."""
    title: str
    """Chapter title (Indonesian; translated by the templates)."""
    short: str
    list_title: str
    owner_label: str
    expected_level: int | None = None
    """The reference level a classification must have (RAB and RAL: level 3)."""
    leaf: bool = False
    """The classification must be a leaf code (RAD: level 3, or level 2 without children)."""


DOMAINS: tuple[Domain, ...] = (
    Domain("proses-bisnis", str(SPBE.ProsesBisnis), "RAB", "Arsitektur Proses Bisnis",
           "Proses Bisnis", "Daftar Lengkap Proses Bisnis", "OPD", expected_level=3),
    Domain("layanan", str(SPBE.Layanan), "RAL", "Arsitektur Layanan", "Layanan",
           "Daftar Lengkap Layanan", "OPD", expected_level=3),
    Domain("data", str(SPBE.DataInformasi), "RAD", "Arsitektur Data dan Informasi",
           "Data dan Informasi", "Daftar Lengkap Data dan Informasi", "OPD", leaf=True),
    Domain("aplikasi", str(SPBE.Aplikasi), "RAA", "Arsitektur Aplikasi", "Aplikasi",
           "Daftar Lengkap Aplikasi", "OPD"),
    Domain("infrastruktur", str(SPBE.Infrastruktur), "RAI", "Arsitektur Infrastruktur SPBE",
           "Infrastruktur", "Daftar Lengkap Infrastruktur", "OPD"),
    Domain("keamanan", str(SPBE.Keamanan), "RAK", "Arsitektur Keamanan SPBE", "Keamanan",
           "Daftar Lengkap Keamanan", "OPD"),
)
DOMAIN_BY_KIND = {d.kind: d for d in DOMAINS}
DOMAIN_BY_CLASS = {d.rdf_class: d for d in DOMAINS}


def local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def label_of(iri: str, lang: str = "id") -> str:
    """The ontology's label of an enumerated value (`spbe:TatapMuka` -> "Tatap muka")."""
    from spbe_arch.model.metadata import metadata

    found = metadata().label(URIRef(iri), lang)
    if found:
        return found
    return local_name(iri)


@dataclass
class Opd:
    iri: str
    kode: str
    nama: str
    singkatan: str = ""
    jenis: str = ""
    """IRI of its JenisPerangkatDaerah, '' when not recorded."""
    induk: str = ""

    @property
    def short(self) -> str:
        return self.singkatan or self.kode or self.nama


@dataclass
class Element:
    iri: str
    kind: str
    kode: str
    nama: str
    uraian: str = ""
    opd: str = ""
    klasifikasi: str = ""
    attrs: dict[str, list[str]] = field(default_factory=dict)
    """Other properties by local name (`statusProses`, `merealisasikan` …) -> values."""

    def values(self, name: str) -> list[str]:
        return self.attrs.get(name, [])

    def value(self, name: str) -> str:
        found = self.attrs.get(name)
        return found[0] if found else ""


@dataclass
class Concept:
    iri: str
    code: str
    name: str
    level: int | None
    broader: str
    prefix: str
    scheme_name: str
    version: str
    provisional: bool = False
    """The scheme is a provisional list (codes not verified against an official source)."""


@dataclass
class Sop:
    iri: str
    kode: str
    nama: str
    opd: str = ""
    proses: str = ""
    nomor: str = ""
    tanggal_pembuatan: str = ""
    tanggal_revisi: str = ""
    tanggal_efektif: str = ""
    status: str = ""
    area: str = ""

    @property
    def ditetapkan(self) -> bool:
        return self.status == str(SPBE.Ditetapkan)


@dataclass
class Period:
    iri: str
    nama: str = ""
    tahun_mulai: str = ""
    tahun_selesai: str = ""
    status: str = ""
    nomor_regulasi: str = ""
    tanggal_regulasi: str = ""
    tanggal_reviu: str = ""
    versi: str = ""
    versi_nama: str = ""

    @property
    def years(self) -> str:
        if self.tahun_mulai and self.tahun_selesai:
            return f"{self.tahun_mulai[:4]}–{self.tahun_selesai[:4]}"
        return self.nama or self.tahun_mulai[:4] or local_name(self.iri)


@dataclass
class InstansiInfo:
    iri: str
    kode_wilayah: str
    nama: str = ""
    jenis: str = ""
    periods: list[Period] = field(default_factory=list)

    @property
    def recorded(self) -> bool:
        return bool(self.nama)

    @property
    def period(self) -> Period | None:
        """The newest architecture period (the one the documents describe)."""
        return self.periods[0] if self.periods else None

    @property
    def display_name(self) -> str:
        return self.nama or f"Instansi {self.kode_wilayah}"


class ClassificationCheck:
    """Why an element's reference code is not valid (Indonesian reason keys), or OK."""

    MISSING = "tidak ada kode referensi"
    UNKNOWN = "kode tidak ada di referensi yang berlaku"
    WRONG_SCHEME = "kode bukan dari referensi"
    WRONG_LEVEL = "kode bukan level 3"
    NOT_LEAF = "kode bukan kode daun"
    NOT_LOADED = "referensi belum dimuat"


@dataclass
class ArchitectureData:
    kode_wilayah: str
    instansi: InstansiInfo
    opds: list[Opd]
    elements: dict[str, list[Element]]
    sops: list[Sop]
    concepts: dict[str, Concept]
    """Concepts of the reference version in force (every version when none is recorded)."""
    all_concept_iris: set[str]

    # --- look-ups ---------------------------------------------------------------------------
    @cached_property
    def opd_by_iri(self) -> dict[str, Opd]:
        return {o.iri: o for o in self.opds}

    @cached_property
    def by_iri(self) -> dict[str, Element]:
        return {e.iri: e for items in self.elements.values() for e in items}

    @cached_property
    def sop_by_iri(self) -> dict[str, Sop]:
        return {s.iri: s for s in self.sops}

    def opd_short(self, iri: str) -> str:
        opd = self.opd_by_iri.get(iri)
        if opd is not None:
            return opd.short
        return local_name(iri) if iri else ""

    def opd_name(self, iri: str) -> str:
        opd = self.opd_by_iri.get(iri)
        return opd.nama if opd is not None else (local_name(iri) if iri else "")

    def code_of(self, iri: str) -> str:
        """The code of an element, SOP or OPD (its IRI's last segment if not recorded)."""
        for table in (self.by_iri, self.sop_by_iri, self.opd_by_iri):
            found = table.get(iri)
            if found is not None and found.kode:
                return found.kode
        return local_name(iri)

    def codes(self, iris_: Iterable[str]) -> list[str]:
        return sorted(self.code_of(i) for i in iris_)

    def count(self, kind: str) -> int:
        return len(self.elements.get(kind, []))

    @property
    def total_elements(self) -> int:
        return sum(len(v) for v in self.elements.values())

    @property
    def empty(self) -> bool:
        return not self.opds and not self.total_elements and not self.sops

    # --- relations --------------------------------------------------------------------------
    def inverse(self, kind: str, name: str) -> dict[str, list[str]]:
        """target IRI -> the IRIs of elements of `kind` linking to it with property `name`."""
        return self._inverse(kind, name)

    def _inverse(self, kind: str, name: str) -> dict[str, list[str]]:
        key = (kind, name)
        cache = self.__dict__.setdefault("_inverse_cache", {})
        if key not in cache:
            table: dict[str, list[str]] = defaultdict(list)
            for element in self.elements.get(kind, []):
                for target in element.values(name):
                    table[target].append(element.iri)
            cache[key] = dict(table)
        result: dict[str, list[str]] = cache[key]
        return result

    def pairs(self, kind: str, name: str) -> list[tuple[str, str]]:
        """(source, target) for every link `name` from an element of `kind`, by code."""
        out = []
        for element in self.elements.get(kind, []):
            for target in element.values(name):
                out.append((element.iri, target))
        return out

    @cached_property
    def children(self) -> dict[str, list[str]]:
        """process IRI -> its direct sub-processes (from `spbe:subProsesDari`), by code."""
        return {parent: sorted(kids, key=self.code_of)
                for parent, kids in self.inverse("proses-bisnis", "subProsesDari").items()}

    @cached_property
    def sops_by_process(self) -> dict[str, list[Sop]]:
        table: dict[str, list[Sop]] = defaultdict(list)
        for sop in self.sops:
            if sop.proses:
                table[sop.proses].append(sop)
        return dict(table)

    def owned_by(self, opd_iri: str) -> dict[str, list[Element]]:
        return {kind: [e for e in items if e.opd == opd_iri]
                for kind, items in self.elements.items()}

    # --- reference classification -----------------------------------------------------------
    @cached_property
    def concepts_by_prefix(self) -> dict[str, list[Concept]]:
        table: dict[str, list[Concept]] = defaultdict(list)
        for concept in self.concepts.values():
            table[concept.prefix].append(concept)
        for items in table.values():
            items.sort(key=lambda c: c.code)
        return dict(table)

    @cached_property
    def narrower(self) -> dict[str, list[str]]:
        table: dict[str, list[str]] = defaultdict(list)
        for concept in self.concepts.values():
            if concept.broader:
                table[concept.broader].append(concept.iri)
        return dict(table)

    def reference_loaded(self, prefix: str) -> bool:
        return bool(self.concepts_by_prefix.get(prefix))

    def ancestor(self, concept_iri: str, level: int) -> Concept | None:
        """The ancestor of a concept at `level` (1 = sector), following skos:broader."""
        seen: set[str] = set()
        current = self.concepts.get(concept_iri)
        while current is not None and current.iri not in seen:
            seen.add(current.iri)
            if current.level == level:
                return current
            if current.level is not None and current.level < level:
                return None
            current = self.concepts.get(current.broader) if current.broader else None
        return None

    def classification_problem(self, element: Element) -> str | None:
        """None when the element's reference code is valid, else the reason (a key of
        `ClassificationCheck`)."""
        domain = DOMAIN_BY_KIND[element.kind]
        if not element.klasifikasi:
            return ClassificationCheck.MISSING
        if not self.reference_loaded(domain.prefix):
            return ClassificationCheck.NOT_LOADED
        concept = self.concepts.get(element.klasifikasi)
        if concept is None:
            return ClassificationCheck.UNKNOWN
        if concept.prefix != domain.prefix:
            return ClassificationCheck.WRONG_SCHEME
        if domain.expected_level is not None and concept.level != domain.expected_level:
            return ClassificationCheck.WRONG_LEVEL
        if domain.leaf and self.narrower.get(concept.iri):
            return ClassificationCheck.NOT_LEAF
        return None

    def concept(self, iri: str) -> Concept | None:
        return self.concepts.get(iri)

    # --- what is missing --------------------------------------------------------------------
    def missing(self) -> list[str]:
        """What the repository lacks for a complete document (Indonesian keys)."""
        out = []
        if not self.instansi.recorded:
            out.append("data instansi (nama, jenis pemerintahan)")
        if self.instansi.period is None:
            out.append("periode arsitektur (tahun, status, regulasi, versi referensi)")
        if not self.concepts:
            out.append("referensi arsitektur nasional (RAB, RAL, RAD, …) belum dimuat")
        if not self.opds:
            out.append("perangkat daerah (OPD)")
        for domain in DOMAINS:
            if not self.elements.get(domain.kind):
                out.append(domain.short)
        if not self.sops:
            out.append("SOP")
        return out


# --- gathering ------------------------------------------------------------------------------

def _first_by_language(values: list[tuple[str, str]]) -> str:
    """Prefer an Indonesian or untagged label."""
    for text, lang in values:
        if lang in ("", "id"):
            return text
    return values[0][0] if values else ""


def _instansi(repository: Repository, kode_wilayah: str) -> InstansiInfo:
    info = InstansiInfo(str(iris.instansi_iri(kode_wilayah)), kode_wilayah)
    periods: dict[str, Period] = {}
    version_names: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in select_terms(repository, "instansi", kode_wilayah):
        def get(name: str, row: dict[str, Term] = row) -> str:
            value = row.get(name)
            return "" if value is None else value.value

        info.nama = info.nama or get("nama")
        if get("type") and (not info.jenis or get("type") == str(SPBE.PemerintahDaerah)):
            info.jenis = get("type")
        period_iri = get("periode")
        if not period_iri:
            continue
        if period_iri not in periods:
            periods[period_iri] = Period(
                period_iri, get("periodeNama"), get("tahunMulai"), get("tahunSelesai"),
                get("status"), get("nomorRegulasi"), get("tanggalRegulasi"),
                get("tanggalReviu"), get("versi"))
        versi_nama = row.get("versiNama")
        if versi_nama is not None and get("versi"):
            version_names[get("versi")].append((versi_nama.value, versi_nama.lang))
    for period in periods.values():
        if period.versi:
            period.versi_nama = (_first_by_language(version_names.get(period.versi, []))
                                 or local_name(period.versi))
    # newest period first (query order is by start year, but rows of one period repeat)
    info.periods = sorted(periods.values(), key=lambda p: (p.tahun_mulai, p.iri), reverse=True)
    return info


def _opds(repository: Repository, kode_wilayah: str) -> list[Opd]:
    found: dict[str, Opd] = {}
    for row in select_rows(repository, "opd", kode_wilayah):
        iri = row["opd"]
        if iri in found:
            continue
        found[iri] = Opd(iri, row.get("kode", ""), row.get("nama", ""), row.get("singkatan", ""),
                         row.get("jenis", ""), row.get("induk", ""))
    return sorted(found.values(), key=lambda o: (o.kode or local_name(o.iri)))


def _elements(repository: Repository, kode_wilayah: str) -> dict[str, list[Element]]:
    found: dict[str, Element] = {}
    for row in select_rows(repository, "elements", kode_wilayah):
        iri = row["e"]
        domain = DOMAIN_BY_CLASS[row["class"]]
        if iri in found:
            # a value recorded twice (two owners, two codes) gives several rows: keep the first
            continue
        found[iri] = Element(iri, domain.kind, row.get("kode", ""), row.get("nama", ""),
                             row.get("uraian", ""), row.get("opd", ""),
                             row.get("klasifikasi", ""))
    for row in select_rows(repository, "attributes", kode_wilayah):
        element = found.get(row["e"])
        if element is None:
            continue
        name = row["p"][len(ONTOLOGY):]
        values = element.attrs.setdefault(name, [])
        if row["o"] not in values:
            values.append(row["o"])
    out: dict[str, list[Element]] = {d.kind: [] for d in DOMAINS}
    for element in found.values():
        out[element.kind].append(element)
    for items in out.values():
        items.sort(key=lambda e: (e.kode or local_name(e.iri)))
    return out


def _sops(repository: Repository, kode_wilayah: str) -> list[Sop]:
    found: dict[str, Sop] = {}
    for row in select_rows(repository, "sop", kode_wilayah):
        iri = row["sop"]
        if iri in found:
            continue
        found[iri] = Sop(iri, row.get("kode", ""), row.get("nama", ""), row.get("opd", ""),
                         row.get("proses", ""), row.get("nomor", ""),
                         row.get("tanggalPembuatan", ""), row.get("tanggalRevisi", ""),
                         row.get("tanggalEfektif", ""), row.get("status", ""),
                         row.get("area", ""))
    return sorted(found.values(), key=lambda s: (s.kode or local_name(s.iri)))


def _concepts(repository: Repository, version: str) -> tuple[dict[str, Concept], set[str]]:
    found: dict[str, Concept] = {}
    every: set[str] = set()
    for row in select_rows(repository, "concepts"):
        iri = row["concept"]
        every.add(iri)
        if version and row.get("version") and row["version"] != version:
            continue
        if iri in found:
            continue
        level = row.get("level")
        found[iri] = Concept(iri, row.get("code", local_name(iri)), row.get("name", ""),
                             int(level) if level and level.lstrip("-").isdigit() else None,
                             row.get("broader", ""), row["prefix"], row.get("schemeName", ""),
                             row.get("version", ""),
                             row.get("provisional", "").lower() in ("true", "1"))
    return found, every


def gather_architecture(repository: Repository, kode_wilayah: str) -> ArchitectureData:
    """Read everything the documents need about one instansi (a fixed number of queries)."""
    instansi = _instansi(repository, kode_wilayah)
    period = instansi.period
    concepts, every = _concepts(repository, period.versi if period else "")
    return ArchitectureData(
        kode_wilayah=kode_wilayah,
        instansi=instansi,
        opds=_opds(repository, kode_wilayah),
        elements=_elements(repository, kode_wilayah),
        sops=_sops(repository, kode_wilayah),
        concepts=concepts,
        all_concept_iris=every,
    )
