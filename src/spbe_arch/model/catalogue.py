"""The catalogue of entity kinds: which fields each kind has and which predicate holds each.

This module hard-codes only what no data file says: the field -> predicate mapping, the
field order, the value kind (string, enum, reference …) and whether a field holds a list.
Everything users read — labels, help texts, the allowed enumerated values, which fields the
rules require — is derived at run time from the ontology and the SHACL shapes (see
`spbe_arch.model.metadata`), so the ontology and the shapes stay the single source of truth.

Field names (the JSON keys of the REST API and the keys of the dicts this package returns)
are the **local names of the ontology predicates** (`kode`, `nama`, `pemilik`,
`klasifikasiRAB`, `merealisasikan` …). That way a JSON object of the API is also valid
JSON-LD under the ontology's context, and nobody has to learn a second set of names.
The nested lists of an SOP keep the same rule (`memilikiPelaksana`, `memilikiLangkah`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rdflib.term import URIRef

from spbe_arch.vocab import SPBE

FieldKind = Literal["string", "text", "integer", "date", "enum", "ref", "reference-code",
                    "nested"]

REFERENCE_SCHEMES = ("RAB", "RAL", "RAD", "RAA", "RAI", "RAK")


@dataclass(frozen=True)
class Field:
    """One attribute of an entity kind.

    Labels, help texts, allowed values and `required` are looked up in the ontology and the
    shapes when asked for (properties below), never stored here.
    """

    name: str
    predicate: URIRef
    kind: FieldKind = "string"
    many: bool = False
    enum_class: URIRef | None = None
    """For `enum`: the ontology class whose individuals are the allowed values."""
    ref_kind: str | None = None
    """For `ref`: the entity kind the value is a code of (e.g. "opd")."""
    scheme: str | None = None
    """For `reference-code`: the reference architecture (RAB, RAL, RAD, RAA, RAI, RAK)."""
    nested_kind: str | None = None
    """For `nested`: the kind of the owned sub-records (SOP pelaksana and langkah)."""
    identity: bool = False
    """The code that identifies the entity (`kode`; `urutan` for SOP steps)."""

    # --- derived from the ontology and the shapes -----------------------------------------
    def label(self, lang: str = "id") -> str:
        from spbe_arch.model.metadata import metadata

        return metadata().label(self.predicate, lang) or self.name

    def help(self, lang: str = "id") -> str:
        from spbe_arch.model.metadata import metadata

        return metadata().definition(self.predicate, lang)

    @property
    def label_id(self) -> str:
        return self.label("id")

    @property
    def label_en(self) -> str:
        return self.label("en")

    @property
    def help_id(self) -> str:
        return self.help("id")

    @property
    def help_en(self) -> str:
        return self.help("en")

    def required_for(self, kind: EntityKind) -> bool:
        """Whether the shapes require this field (sh:minCount >= 1 with Violation severity)."""
        from spbe_arch.model.metadata import metadata

        if self.identity:
            return True
        return metadata().is_required(kind.rdf_class, self.predicate)

    def choices(self, kind: EntityKind) -> list[str]:
        """Allowed literal values of a string field (`sh:in` in the shapes), in order."""
        from spbe_arch.model.metadata import metadata

        return metadata().literal_choices(kind.rdf_class, self.predicate)


@dataclass(frozen=True)
class EntityKind:
    name: str
    """The kind's name in URLs and the CLI (`proses-bisnis`)."""
    rdf_class: URIRef
    iri_kind: str | None
    """The kind segment of `iris.element_iri`; None for records nested in another entity."""
    fields: tuple[Field, ...]
    owner_field: str | None = None
    """The field linking the entity to its OPD (`pemilik`, `unitPelaksana`, `waliData`)."""
    reference_field: str | None = None
    """The field holding its national reference classification."""
    status_field: str | None = None
    nested_in: str | None = None
    """For nested kinds: the parent kind (`sop`)."""

    def label(self, lang: str = "id") -> str:
        from spbe_arch.model.metadata import metadata

        return metadata().label(self.rdf_class, lang) or self.name

    @property
    def label_id(self) -> str:
        return self.label("id")

    @property
    def label_en(self) -> str:
        return self.label("en")

    def help(self, lang: str = "id") -> str:
        from spbe_arch.model.metadata import metadata

        return metadata().definition(self.rdf_class, lang)

    def field(self, name: str) -> Field:
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        raise KeyError(f"{self.name} has no field {name!r}")

    def has_field(self, name: str) -> bool:
        return any(f.name == name for f in self.fields)

    @property
    def identity_field(self) -> Field:
        return next(f for f in self.fields if f.identity)

    @property
    def predicates(self) -> frozenset[URIRef]:
        return frozenset(f.predicate for f in self.fields if f.kind != "nested")

    @property
    def top_level(self) -> bool:
        return self.nested_in is None


def _f(name: str, kind: FieldKind = "string", **options: object) -> Field:
    predicate = getattr(SPBE, name)
    return Field(name, predicate, kind, **options)  # type: ignore[arg-type]


def _common(owner: str | None, reference: str | None) -> list[Field]:
    fields = [_f("kode", identity=True), _f("nama"), _f("uraian", "text")]
    if owner:
        fields.append(_f(owner, "ref", ref_kind="opd"))
    if reference:
        fields.append(_f(f"klasifikasi{reference}", "reference-code", scheme=reference))
    return fields


_KIND_LIST: list[EntityKind] = [
    EntityKind(
        "opd", SPBE.PerangkatDaerah, "opd",
        (
            _f("kode", identity=True), _f("nama"), _f("singkatan"),
            _f("jenisOPD", "enum", enum_class=SPBE.JenisPerangkatDaerah),
            _f("indukOPD", "ref", ref_kind="opd"),
            _f("uraian", "text"),
        ),
    ),
    EntityKind(
        "proses-bisnis", SPBE.ProsesBisnis, "proses-bisnis",
        (
            *_common("pemilik", "RAB"),
            _f("jenisProses", "enum", enum_class=SPBE.JenisProses),
            _f("statusProses", "enum", enum_class=SPBE.StatusProses),
            _f("levelPetaProses", "integer"),
            _f("subProsesDari", "ref", ref_kind="proses-bisnis"),
            _f("merealisasikan", "ref", many=True, ref_kind="layanan"),
            _f("menghasilkanData", "ref", many=True, ref_kind="data"),
        ),
        owner_field="pemilik", reference_field="klasifikasiRAB", status_field="statusProses",
    ),
    EntityKind(
        "layanan", SPBE.Layanan, "layanan",
        (
            *_common("unitPelaksana", "RAL"),
            _f("jenisLayanan", "enum", enum_class=SPBE.JenisLayanan),
            _f("tujuan", "text"),
            _f("targetLayanan", "enum", many=True, enum_class=SPBE.TargetLayanan),
            _f("metodeLayanan", "enum", enum_class=SPBE.MetodeLayanan),
            _f("menggunakanData", "ref", many=True, ref_kind="data"),
        ),
        owner_field="unitPelaksana", reference_field="klasifikasiRAL",
    ),
    EntityKind(
        "data", SPBE.DataInformasi, "data",
        (
            *_common("waliData", "RAD"),
            _f("sifatData", "enum", enum_class=SPBE.SifatData),
            _f("jenisData", "enum", enum_class=SPBE.JenisData),
            _f("validitasData"),
        ),
        owner_field="waliData", reference_field="klasifikasiRAD",
    ),
    EntityKind(
        "aplikasi", SPBE.Aplikasi, "aplikasi",
        (
            *_common("pemilik", "RAA"),
            _f("jenisAplikasi", "enum", enum_class=SPBE.JenisAplikasi),
            _f("mendukungLayanan", "ref", many=True, ref_kind="layanan"),
            _f("menggunakanData", "ref", many=True, ref_kind="data"),
        ),
        owner_field="pemilik", reference_field="klasifikasiRAA",
    ),
    EntityKind(
        "infrastruktur", SPBE.Infrastruktur, "infrastruktur",
        (
            *_common("pemilik", "RAI"),
            _f("jenisInfrastruktur", "enum", enum_class=SPBE.JenisInfrastruktur),
        ),
        owner_field="pemilik", reference_field="klasifikasiRAI",
    ),
    EntityKind(
        "keamanan", SPBE.Keamanan, "keamanan",
        (
            *_common("pemilik", "RAK"),
            _f("jenisKeamanan", "enum", enum_class=SPBE.JenisKeamanan),
        ),
        owner_field="pemilik", reference_field="klasifikasiRAK",
    ),
    EntityKind(
        "sop", SPBE.SOP, "sop",
        (
            _f("kode", identity=True), _f("nama"),
            _f("pemilik", "ref", ref_kind="opd"),
            _f("untukProsesBisnis", "ref", ref_kind="proses-bisnis"),
            _f("nomorSOP"),
            _f("tanggalPembuatan", "date"), _f("tanggalRevisi", "date"),
            _f("tanggalEfektif", "date"),
            _f("disahkanOlehJabatan"), _f("disahkanOlehNama"), _f("disahkanOlehNIP"),
            _f("statusSOP", "enum", enum_class=SPBE.StatusDokumen),
            _f("areaManajemen", "enum", enum_class=SPBE.AreaManajemenSPBE),
            _f("dasarHukum", "text", many=True),
            _f("kualifikasiPelaksana", "text", many=True),
            _f("keterkaitan", "text", many=True),
            _f("sopTerkait", "ref", many=True, ref_kind="sop"),
            _f("peralatanPerlengkapan", "text", many=True),
            _f("peringatan", "text"),
            _f("pencatatanPendataan", "text", many=True),
            _f("memilikiPelaksana", "nested", many=True, nested_kind="sop-pelaksana"),
            _f("memilikiLangkah", "nested", many=True, nested_kind="sop-langkah"),
        ),
        owner_field="pemilik", status_field="statusSOP",
    ),
    EntityKind(
        "sop-pelaksana", SPBE.PelaksanaSOP, None,
        (_f("nama", identity=True), _f("urutan", "integer")),
        nested_in="sop",
    ),
    EntityKind(
        "sop-langkah", SPBE.LangkahSOP, None,
        (
            _f("urutan", "integer", identity=True),
            _f("nama", "text"),
            _f("jenisSimbol", "enum", enum_class=SPBE.JenisSimbol),
            # the value is the pelaksana's name as listed in the SOP's memilikiPelaksana
            _f("dilaksanakanOleh", "ref", ref_kind="sop-pelaksana"),
            _f("kelengkapan", "text"), _f("waktu"), _f("output", "text"),
            _f("keterangan", "text"),
            # step numbers (urutan) of the successors
            _f("langkahBerikutnya", "ref", ref_kind="sop-langkah"),
            _f("jikaYa", "ref", ref_kind="sop-langkah"),
            _f("jikaTidak", "ref", ref_kind="sop-langkah"),
        ),
        nested_in="sop",
    ),
]

KINDS: dict[str, EntityKind] = {kind.name: kind for kind in _KIND_LIST}
"""Every entity kind, in the order forms and workbooks show them."""

TOP_LEVEL_KINDS: tuple[str, ...] = tuple(k.name for k in _KIND_LIST if k.top_level)


def get_kind(name: str) -> EntityKind:
    """The kind called `name`; an unknown name is a user error (Indonesian and English)."""
    from spbe_arch.errors import InputError

    try:
        return KINDS[name]
    except KeyError:
        raise InputError(
            f"jenis entitas '{name}' tidak dikenal; gunakan salah satu dari"
            f" {', '.join(TOP_LEVEL_KINDS)}",
            f"unknown entity kind '{name}'; use one of {', '.join(TOP_LEVEL_KINDS)}",
        ) from None


def reverse_links(kind: EntityKind) -> dict[str, tuple[EntityKind, Field]]:
    """Links that other kinds hold to `kind` and that a write of `kind` may add, by field
    name: the many-valued reference fields to `kind` of exactly one other top-level kind
    (for a layanan, `merealisasikan` of a proses bisnis; for data, `menghasilkanData`).

    A new layanan or data set breaks a rule until a proses bisnis links to it, and a proses
    bisnis cannot link to what does not exist yet: a record may therefore name, under the
    JSON-LD key `@reverse`, the entities that link to it (`{"@reverse": {"merealisasikan":
    ["DISKOMINFO-01.01"]}}`), and both are written in one change."""
    found: dict[str, list[tuple[EntityKind, Field]]] = {}
    for other in _KIND_LIST:
        if not other.top_level or other.name == kind.name:
            continue
        for f in other.fields:
            if f.kind == "ref" and f.many and f.ref_kind == kind.name:
                found.setdefault(f.name, []).append((other, f))
    return {name: pairs[0] for name, pairs in found.items() if len(pairs) == 1}


def kind_of_class(rdf_class: URIRef) -> EntityKind | None:
    return next((k for k in _KIND_LIST if k.rdf_class == rdf_class), None)

