"""Recording the government body itself: its region code, name and architecture period.

A new body's repository needs these before anything else (`validate`, the documents and
the REST API ask for a known instansi). Recording them used to mean writing RDF by hand
from the sample's `instansi.ttl`; the command line (`init --instansi`), the REST API
(`PUT /api/instansi/{kode}`) and the web page call `record_instansi` instead.

The refusals name the input by its field (`Location.field`: `kode_wilayah`, `nama`,
`periode`, `status`, `nomor_regulasi`, `tanggal_regulasi`, as the REST request and the web
form call them; `kode_wilayah` rather than `instansi`, since it holds the body's region
code, not the body) and never by how one interface spells it: each interface maps the field to
its own words (an option, a part of the request, a form control). Where the user has to do
something else first, the error is of its own class (`InstansiNotRecordedError`,
`ReferenceNotLoadedError`) and the interface adds its own way of doing it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rdflib import RDF, XSD
from rdflib.term import Literal, Node, URIRef

from spbe_arch import iris
from spbe_arch.audit import apply_audited
from spbe_arch.errors import InputError, Location
from spbe_arch.model.service import require_known_instansi, sparql
from spbe_arch.model.values import DEFAULT_REFERENCE_VERSION
from spbe_arch.repository import ChangeSet, Quad, Repository
from spbe_arch.sop.document import parse_tanggal
from spbe_arch.vocab import SPBE

KODE_WILAYAH = re.compile(r"^[0-9]{2}([0-9]{2})?$")
"""Kemendagri region code: 2 digits (province) or 4 (regency/city), as the shapes say."""
PERIOD = re.compile(r"^\s*([0-9]{4})\s*[-–/]\s*([0-9]{4})\s*$")
FIRST_YEAR, LAST_YEAR = 1900, 2999


class InstansiNotRecordedError(InputError):
    """Body `kode` is not recorded yet. `missing` lists the fields recording it still needs
    (`nama`, `periode`) when the refused call was the recording itself; empty when the call
    needs a recorded body. The message says neither how to record it: that is the
    interface's (a command, a request, a form)."""

    def __init__(self, kode: str, message_id: str, message_en: str,
                 location: Location | None = None, missing: tuple[str, ...] = ()) -> None:
        super().__init__(message_id, message_en, location)
        self.kode = kode
        self.missing = missing


class ReferenceNotLoadedError(InputError):
    """The national reference version a new period is recorded under is not in the store:
    its base data was never loaded, which only whoever runs the store can do."""

    def __init__(self, version: str, message_id: str, message_en: str) -> None:
        super().__init__(message_id, message_en)
        self.version = version


REFERENCE_STEP = ("jalankan `spbe-arch init` tanpa opsi dulu",
                  "run `spbe-arch init` without options first")
"""What fixes a `ReferenceNotLoadedError` (Indonesian, English), as the command line says
it; one wording for every interface."""
SERVER_REFERENCE_STEP = (f"{REFERENCE_STEP[0]} di server", f"{REFERENCE_STEP[1]} on the server")
"""The same for a request to the server (API, web), whose operator runs the command."""


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
    """`2025-2029` (also `2025–2029`, `2025/2029`) as (start, end); `InputError` on the
    field `periode` otherwise."""
    match = PERIOD.match(text)
    # four digits alone let `0001-0005` through, which is no xsd:gYear the rules accept
    if not match or int(match[1]) > int(match[2]) or not (
            int(match[1]) >= FIRST_YEAR and int(match[2]) <= LAST_YEAR):
        raise InputError(
            f"periode '{text}' tidak dapat dibaca: tulis tahun mulai dan tahun selesai"
            f" ({FIRST_YEAR}–{LAST_YEAR}), mis. 2025-2029",
            f"period '{text}' cannot be read: write the start and end year"
            f" ({FIRST_YEAR}–{LAST_YEAR}), e.g. 2025-2029",
            Location(field="periode"))
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
            " (regency/city), e.g. 3574", Location(field="kode_wilayah"))
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
    record = _record(repository, kode)
    created = record is None
    old_names, periods = record or (set(), set())
    if created and (name is None or years is None):
        missing = tuple(f for f, value in (("nama", name), ("periode", years)) if value is None)
        raise InstansiNotRecordedError(
            kode, f"instansi {kode} belum tercatat: sebutkan namanya dan periode arsitekturnya"
                  " (mis. 2025-2029)",
            f"instansi {kode} is not recorded yet: give its name and architecture period"
            " (e.g. 2025-2029)", Location(field=missing[0]), missing)
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
    activity = _commit(repository, ChangeSet(add=add, remove=remove), agent=agent,
                       entities=[instansi, *([period_iri] if period_iri else [])],
                       label=f"{'Catat' if created else 'Ubah'} instansi {kode}", lang=lang)
    return InstansiRecorded(instansi, period_iri, created, activity)


def _commit(repository: Repository, changes: ChangeSet, *, agent: str, entities: list[Node],
            label: str, lang: str) -> URIRef | None:
    """Check `changes` against the architecture rules and apply them with their audit
    record; nothing at all (no audit record either) when they change nothing."""
    if changes.is_empty():
        return None
    # imported here: the validation engine (pySHACL) is heavy, and the command line imports
    # this module at start (`spbe-arch instansi`; tests/cli/test_startup.py)
    from spbe_arch.validation.write_check import refuse_violations

    refuse_violations(repository, changes, lang)
    return apply_audited(repository, changes, agent=agent, entities=entities, label=label)


def _record(repository: Repository, kode: str) -> tuple[set[Literal], set[URIRef]] | None:
    """The names and periods of body `kode` as recorded in its graph; None if it is not."""
    rows = repository.select(sparql("instansi_record"), {"instansi": iris.instansi_iri(kode),
                                                          "graph": iris.instansi_graph(kode)})
    if not rows:
        return None
    return ({n for r in rows if isinstance(n := r.get("nama"), Literal)},
            {p for r in rows if isinstance(p := r.get("periode"), URIRef)})


def _shown(names: set[Literal]) -> str:
    return str(sorted(names)[0]) if names else ""


def _period_quads(repository: Repository, period: URIRef, name: str, start: int, end: int,
                  graph: URIRef) -> list[Quad]:
    version = iris.reference_version_iri(DEFAULT_REFERENCE_VERSION)
    if not repository.ask(sparql("reference_version_recorded"), {"version": version}):
        raise ReferenceNotLoadedError(
            DEFAULT_REFERENCE_VERSION,
            f"referensi nasional {DEFAULT_REFERENCE_VERSION} belum dimuat di repositori",
            f"the national reference {DEFAULT_REFERENCE_VERSION} is not loaded in the"
            " repository")
    # "Pemerintah Kota Probolinggo" → "Arsitektur SPBE Kota Probolinggo 2025-2029"
    body = re.sub(r"^Pemerintah\s+", "", name, flags=re.IGNORECASE)
    return [(period, RDF.type, SPBE.PeriodeArsitektur, graph),
            (period, SPBE.nama, Literal(f"Arsitektur SPBE {body} {start}-{end}".strip()),
             graph),
            (period, SPBE.statusDokumen, SPBE.Draft, graph),
            (period, SPBE.tahunMulai, Literal(str(start), datatype=XSD.gYear), graph),
            (period, SPBE.tahunSelesai, Literal(str(end), datatype=XSD.gYear), graph),
            (period, SPBE.versiReferensi, version, graph)]


# --- the body and its periods: shown, and changed once the architecture is enacted ----------

STATUS = {"draft": SPBE.Draft, "ditetapkan": SPBE.Ditetapkan}
"""The status values accepted and the document statuses the rules allow
(shapes/struktur.ttl)."""

_PERIOD_FIELDS = {"status": SPBE.statusDokumen, "nomor_regulasi": SPBE.nomorRegulasi,
                  "tanggal_regulasi": SPBE.tanggalRegulasi}
_FIELD_NAMES = {"status": ("status", "status"),
                "nomor_regulasi": ("nomor regulasi", "regulation number"),
                "tanggal_regulasi": ("tanggal regulasi", "regulation date")}


@dataclass(frozen=True)
class PeriodeView:
    """One architecture period as recorded. Each field lists every value the graph holds:
    the rules want one (at most one for the regulation), but hand-written RDF may hold more,
    and showing only one would hide what `validate` complains about."""

    iri: URIRef
    nama: list[str] = field(default_factory=list)
    tahun_mulai: list[str] = field(default_factory=list)
    tahun_selesai: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    nomor_regulasi: list[str] = field(default_factory=list)
    tanggal_regulasi: list[str] = field(default_factory=list)
    """ISO dates (`2026-12-04`) as stored."""
    versi_referensi: list[str] = field(default_factory=list)
    """The version's name (`Perpres 132/2022`), else its IRI."""

    @property
    def years(self) -> str:
        """`2025-2029`, or the period's code when its years are not recorded."""
        if self.tahun_mulai and self.tahun_selesai:
            return f"{', '.join(self.tahun_mulai)}-{', '.join(self.tahun_selesai)}"
        return iris.shown(self.iri).rsplit("/", 1)[-1]

    def to_json(self) -> dict[str, Any]:
        def one(values: list[str]) -> str | None:
            return ", ".join(values) or None

        def year(values: list[str]) -> int | str | None:
            return int(values[0]) if len(values) == 1 and values[0].isdigit() else one(values)

        return {"periode": self.years, "iri": str(self.iri), "nama": one(self.nama),
                "tahun_mulai": year(self.tahun_mulai),
                "tahun_selesai": year(self.tahun_selesai), "status": one(self.status),
                "nomor_regulasi": one(self.nomor_regulasi),
                "tanggal_regulasi": one(self.tanggal_regulasi),
                "versi_referensi": one(self.versi_referensi)}


@dataclass(frozen=True)
class InstansiView:
    """What `spbe-arch instansi show` prints: the body and each of its periods."""

    kode: str
    iri: URIRef
    nama: list[str]
    periode: list[PeriodeView]

    def to_json(self) -> dict[str, Any]:
        return {"kode": self.kode, "iri": str(self.iri), "nama": ", ".join(self.nama) or None,
                "periode": [p.to_json() for p in self.periode]}


@dataclass(frozen=True)
class PeriodeSet:
    """What `set_periode` did."""

    iri: URIRef
    years: str
    """`2025-2029`, however the input wrote them (`2025 – 2029`)."""
    created: bool
    """The period was not recorded before (it is now, as a draft unless `status` said)."""
    changed: list[str]
    """The fields given whose value changed (`status`, `nomor_regulasi`, …)."""
    activity: URIRef | None
    """The audit record of the change; None when nothing changed."""


@dataclass(frozen=True)
class PeriodeInput:
    """`instansi periode`'s input, checked without the store."""

    kode: str
    start: int
    end: int
    values: dict[str, Node | None]
    """Field name → its new value (None: remove it); only the fields given."""


def check_periode_input(kode_wilayah: str, periode: str, *, status: str | None = None,
                        nomor_regulasi: str | None = None,
                        tanggal_regulasi: str | None = None) -> PeriodeInput:
    """Everything `set_periode` can check before it opens the store: the region code, the
    years, the status and the date; `InputError` naming the field otherwise."""
    kode, _ = check_instansi_input(kode_wilayah, None)
    start, end = parse_period(periode)
    values: dict[str, Node | None] = {}
    if status is not None:
        chosen = STATUS.get(status.strip().lower())
        if chosen is None:  # the status is required: "" cannot remove it
            raise InputError(
                f"status '{status}' tidak dikenal: pilih draft atau ditetapkan",
                f"unknown status '{status}': choose draft or ditetapkan",
                Location(field="status"))
        values["status"] = chosen
    if nomor_regulasi is not None:
        nomor = " ".join(nomor_regulasi.split())
        values["nomor_regulasi"] = Literal(nomor) if nomor else None
    if tanggal_regulasi is not None:
        if tanggal_regulasi.strip():
            try:
                day = parse_tanggal(tanggal_regulasi, "tanggal regulasi")
            except InputError as exc:
                exc.location = Location(field="tanggal_regulasi")
                raise
            values["tanggal_regulasi"] = Literal(day.isoformat(), datatype=XSD.date)
        else:
            values["tanggal_regulasi"] = None
    return PeriodeInput(kode, start, end, values)


def describe_instansi(repository: Repository, kode_wilayah: str) -> InstansiView:
    """The recorded body `kode_wilayah`, its name and its periods (oldest first)."""
    kode, _ = check_instansi_input(kode_wilayah, None)
    names, _periods = _recorded(repository, kode)
    return _view(repository, kode, names)


def find_instansi(repository: Repository, kode_wilayah: str) -> InstansiView | None:
    """The body as `describe_instansi` shows it, or None while it is not recorded: what a
    conditional write compares with. A code the repository does not know yet is no error
    here, since recording it is how a body starts."""
    kode, _ = check_instansi_input(kode_wilayah, None)
    record = _record(repository, kode)
    return None if record is None else _view(repository, kode, record[0])


def _view(repository: Repository, kode: str, names: set[Literal]) -> InstansiView:
    instansi, graph = iris.instansi_iri(kode), iris.instansi_graph(kode)
    fields: dict[URIRef, dict[str, set[str]]] = {}
    labels: dict[str, str] = {}
    slots = {SPBE.nama: "nama", SPBE.tahunMulai: "tahun_mulai",
             SPBE.tahunSelesai: "tahun_selesai", SPBE.statusDokumen: "status",
             SPBE.nomorRegulasi: "nomor_regulasi", SPBE.tanggalRegulasi: "tanggal_regulasi",
             SPBE.versiReferensi: "versi_referensi"}
    for row in repository.select(sparql("instansi_periods"),
                                 {"instansi": instansi, "graph": graph}):
        period = row["periode"]
        if not isinstance(period, URIRef):
            continue
        found = fields.setdefault(period, {})
        predicate, value = row.get("p"), row.get("o")
        slot = slots.get(predicate) if isinstance(predicate, URIRef) else None
        if slot is None or value is None:
            continue
        text = iris.shown(value) if slot == "status" else str(value)  # Draft, Ditetapkan
        if slot == "versi_referensi" and isinstance(row.get("label"), Literal):
            labels[text] = str(row["label"])
        found.setdefault(slot, set()).add(text)
    views = []
    for period, found in fields.items():
        listed = {slot: sorted(labels.get(v, v) for v in values) if slot == "versi_referensi"
                  else sorted(values) for slot, values in found.items()}
        views.append(PeriodeView(period, **listed))
    views.sort(key=lambda v: (v.tahun_mulai, v.tahun_selesai, str(v.iri)))
    return InstansiView(kode, instansi, sorted(str(n) for n in names), views)


def set_periode(repository: Repository, kode_wilayah: str, periode: str, *,
                status: str | None = None, nomor_regulasi: str | None = None,
                tanggal_regulasi: str | None = None, agent: str,
                lang: str = "id") -> PeriodeSet:
    """Record architecture period `periode` (`2025-2029`) of a recorded body if it is not
    yet (as `record_instansi` does: a draft under the national reference), and set the
    fields given: the document status (`draft`, `ditetapkan`), the number and date of the
    regulation that enacted it ("" removes either).

    All or nothing, checked against the architecture rules, audited; a call that changes
    nothing writes nothing, not even an audit record.
    """
    given = check_periode_input(kode_wilayah, periode, status=status,
                                nomor_regulasi=nomor_regulasi,
                                tanggal_regulasi=tanggal_regulasi)
    kode, start, end = given.kode, given.start, given.end
    names, periods = _recorded(repository, kode)
    instansi, graph = iris.instansi_iri(kode), iris.instansi_graph(kode)
    period = iris.element_iri(kode, "periode", f"{start}-{end}")
    created = period not in periods
    add: list[Quad] = []
    remove: list[Quad] = []
    current: dict[Node, set[Node]] = {}
    if created:
        add += _period_quads(repository, period, _shown(names), start, end, graph)
        add.append((instansi, SPBE.periode, period, graph))
        for _, predicate, obj, _ in add:
            current.setdefault(predicate, set()).add(obj)
    else:
        for row in repository.select(sparql("instansi_periods"),
                                     {"instansi": instansi, "graph": graph, "periode": period}):
            if row.get("p") is not None and row.get("o") is not None:
                current.setdefault(row["p"], set()).add(row["o"])
    changed = []
    for name, value in given.values.items():
        predicate = _PERIOD_FIELDS[name]
        have = current.get(predicate, set())
        wanted = {value} if value is not None else set()
        if have == wanted:
            continue
        changed.append(name)
        if created:  # the new period's own quads: replace the draft defaults in place
            add = [q for q in add if not (q[0] == period and q[1] == predicate)]
        else:
            remove += [(period, predicate, old, graph) for old in have - wanted]
        add += [(period, predicate, new, graph) for new in wanted - (set() if created
                                                                     else have)]
    years = f"{start}-{end}"
    activity = _commit(
        repository, ChangeSet(add=add, remove=remove), agent=agent, entities=[instansi, period],
        label=(f"Catat periode {years} instansi {kode}" if created else
               f"Ubah periode {years} instansi {kode}: "
               + ", ".join(_FIELD_NAMES[n][0] for n in changed)), lang=lang)
    return PeriodeSet(period, years, created, changed, activity)


def field_names(names: list[str], lang: str = "id") -> str:
    """`status, nomor regulasi` (or the English names) for a message."""
    return ", ".join(_FIELD_NAMES[n][lang == "en"] for n in names)


def _recorded(repository: Repository, kode: str) -> tuple[set[Literal], set[URIRef]]:
    """The names and periods of recorded body `kode`; `InputError` on `kode_wilayah` for an
    unknown code (naming the known ones), `InstansiNotRecordedError` for a body whose record
    is missing."""
    try:
        require_known_instansi(repository, kode)
    except InputError as exc:
        exc.location = Location(field="kode_wilayah")
        raise
    record = _record(repository, kode)
    if record is None:
        raise InstansiNotRecordedError(kode, f"instansi {kode} belum tercatat",
                                       f"instansi {kode} is not recorded yet",
                                       Location(field="kode_wilayah"))
    return record
