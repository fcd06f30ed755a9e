"""Recording the government body itself: its region code, name and architecture period.

A new body's repository needs these before anything else (`validate`, the documents and
the REST API ask for a known instansi). Recording them used to mean writing RDF by hand
from the sample's `instansi.ttl`; `spbe-arch init --instansi … --nama … --periode …` calls
`record_instansi` instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import RDF, XSD
from rdflib.term import Literal, URIRef

from spbe_arch import iris
from spbe_arch.audit import apply_audited
from spbe_arch.errors import InputError, Location
from spbe_arch.model.service import sparql
from spbe_arch.model.values import DEFAULT_REFERENCE_VERSION
from spbe_arch.repository import ChangeSet, Quad, Repository
from spbe_arch.validation.write_check import refuse_violations
from spbe_arch.vocab import SPBE

KODE_WILAYAH = re.compile(r"^[0-9]{2}([0-9]{2})?$")
"""Kemendagri region code: 2 digits (province) or 4 (regency/city), as the shapes say."""
PERIOD = re.compile(r"^\s*([0-9]{4})\s*[-–/]\s*([0-9]{4})\s*$")


@dataclass(frozen=True)
class InstansiRecorded:
    """What `record_instansi` did."""

    iri: URIRef
    periode: URIRef | None
    created: bool
    """The body was not recorded before."""
    activity: URIRef | None
    """The audit record of the change; None when nothing changed."""


def parse_period(text: str) -> tuple[int, int]:
    """`2025-2029` (also `2025–2029`, `2025/2029`) as (start, end)."""
    match = PERIOD.match(text)
    if not match or int(match[1]) > int(match[2]):
        raise InputError(
            f"periode '{text}' tidak dapat dibaca: tulis tahun mulai dan tahun selesai,"
            " mis. 2025-2029",
            f"period '{text}' cannot be read: write the start and end year, e.g. 2025-2029",
            Location(field="--periode"))
    return int(match[1]), int(match[2])


def check_instansi_input(kode_wilayah: str, periode: str | None
                         ) -> tuple[str, tuple[int, int] | None]:
    """The region code (trimmed) and the period's years, or `InputError` for either: what
    can be checked without the store."""
    kode = kode_wilayah.strip()
    if not KODE_WILAYAH.match(kode):
        raise InputError(
            f"kode wilayah '{kode_wilayah}' tidak sah: 2 angka (provinsi) atau 4 angka"
            " (kabupaten/kota), mis. 3574",
            f"region code '{kode_wilayah}' is not valid: 2 digits (province) or 4 digits"
            " (regency/city), e.g. 3574", Location(field="--instansi"))
    return kode, parse_period(periode) if periode is not None else None


def record_instansi(repository: Repository, kode_wilayah: str, nama: str | None = None,
                    periode: str | None = None, *, agent: str,
                    lang: str = "id") -> InstansiRecorded:
    """Record (or update) instansi `kode_wilayah`: its name, and an architecture period
    (`2025-2029`) in force with the national reference version, as a draft.

    A new instansi needs both; for a recorded one, a name replaces the old and a new period
    is added beside the ones it has (an existing period is left as it is). All or nothing,
    audited, and checked against the architecture rules like every write.
    """
    kode, years = check_instansi_input(kode_wilayah, periode)
    name = " ".join((nama or "").split()) or None
    instansi = iris.instansi_iri(kode)
    graph = iris.instansi_graph(kode)
    rows = repository.select(sparql("instansi_record"), {"instansi": instansi, "graph": graph})
    created = not rows
    old_names = {n for r in rows if isinstance(n := r.get("nama"), Literal)}
    periods = {p for r in rows if isinstance(p := r.get("periode"), URIRef)}
    if created and (name is None or years is None):
        raise InputError(
            f"instansi {kode} belum tercatat: sebutkan namanya (--nama) dan periode"
            " arsitekturnya (--periode, mis. 2025-2029)",
            f"instansi {kode} is not recorded yet: give its name (--nama) and architecture"
            " period (--periode, e.g. 2025-2029)", Location(field="--nama" if name is None
                                                            else "--periode"))
    add: list[Quad] = []
    remove: list[Quad] = []
    if created:
        add += [(instansi, RDF.type, SPBE.Instansi, graph),
                (instansi, RDF.type, SPBE.PemerintahDaerah, graph),
                (instansi, SPBE.kodeWilayah, Literal(kode), graph)]
    if name is not None and {Literal(name)} != old_names:
        remove += [(instansi, SPBE.nama, old, graph) for old in old_names]
        add.append((instansi, SPBE.nama, Literal(name), graph))
    period_iri: URIRef | None = None
    if years is not None:
        start, end = years
        period_iri = iris.element_iri(kode, "periode", f"{start}-{end}")
        if period_iri not in periods:
            add += _period_quads(repository, period_iri, name or _shown(old_names), start, end,
                                 graph)
            add.append((instansi, SPBE.periode, period_iri, graph))
    changes = ChangeSet(add=add, remove=remove)
    refuse_violations(repository, changes, lang)
    activity = apply_audited(
        repository, changes, agent=agent, entities=[instansi, *([period_iri] if period_iri
                                                                  else [])],
        label=f"{'Catat' if created else 'Ubah'} instansi {kode}") if add or remove else None
    return InstansiRecorded(instansi, period_iri, created, activity)


def _shown(names: set[Literal]) -> str:
    return str(sorted(names)[0]) if names else ""


def _period_quads(repository: Repository, period: URIRef, name: str, start: int, end: int,
                  graph: URIRef) -> list[Quad]:
    version = iris.reference_version_iri(DEFAULT_REFERENCE_VERSION)
    if not repository.ask(sparql("reference_version_recorded"), {"version": version}):
        raise InputError(
            f"referensi nasional {DEFAULT_REFERENCE_VERSION} belum dimuat; jalankan"
            " `spbe-arch init` tanpa opsi dulu",
            f"the national reference {DEFAULT_REFERENCE_VERSION} is not loaded; run"
            " `spbe-arch init` without options first")
    # "Pemerintah Kota Probolinggo" → "Arsitektur SPBE Kota Probolinggo 2025-2029"
    body = re.sub(r"^Pemerintah\s+", "", name, flags=re.IGNORECASE)
    return [(period, RDF.type, SPBE.PeriodeArsitektur, graph),
            (period, SPBE.nama, Literal(f"Arsitektur SPBE {body} {start}-{end}".strip()),
             graph),
            (period, SPBE.statusDokumen, SPBE.Draft, graph),
            (period, SPBE.tahunMulai, Literal(str(start), datatype=XSD.gYear), graph),
            (period, SPBE.tahunSelesai, Literal(str(end), datatype=XSD.gYear), graph),
            (period, SPBE.versiReferensi, version, graph)]
