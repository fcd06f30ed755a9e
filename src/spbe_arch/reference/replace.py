"""Replacing a provisional reference list (RAA, RAI, RAK) with the official one.

The project ships RAA, RAI and RAK as provisional lists (upper levels only, codes assigned
by spbe-arch). When the official list exists, an architect loads it into their repository
with `spbe-arch reference import`: the scheme's concepts in the reference graph of the
version in force become the list's (same IRIs as the generator mints), the scheme names its
source and who loaded it, and it is marked `spbe:provisional false`. RAB, RAL and RAD are
verified copies of the official lists: a new Perpres means a new reference version (a new
source folder), never an edit of these.

The list is read and checked first (every problem with file, row and column; nothing
written while there is one); the plan says which concepts are added, removed, renamed or
moved and which elements' codes are no longer in the list (they get the rule's Warning
`Elemen-klasifikasiRA?-dikenal`, shapes/referensi.ttl); then one change set with its audit
record is applied in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pyoxigraph as ox
from rdflib import SKOS
from rdflib.term import Literal, Node, URIRef

from spbe_arch import iris
from spbe_arch.audit import apply_audited
from spbe_arch.errors import InputError, Location
from spbe_arch.reference.generate import concept_block, provisional_version_note
from spbe_arch.reference.lists import Entry, read_list
from spbe_arch.reference.schemes import (
    ReferenceVersion,
    SchemeView,
    scheme_views,
    sparql,
    version_in_force,
)
from spbe_arch.reference.turtle import natural_key
from spbe_arch.repository import ChangeSet, Quad, Repository
from spbe_arch.vocab import DCT, SPBE

REPLACEABLE = ("RAA", "RAI", "RAK")
"""The provisional lists of Perpres 132/2022 that an official list may replace."""
VERIFIED = ("RAB", "RAL", "RAD")
CLASSIFYING = {"RAA": (SPBE.klasifikasiRAA, "aplikasi"),
               "RAI": (SPBE.klasifikasiRAI, "infrastruktur"),
               "RAK": (SPBE.klasifikasiRAK, "keamanan")}
"""Scheme → the predicate classifying elements with it and the kind of those elements."""
SCHEME_FIELDS = (DCT.source, SKOS.editorialNote, SPBE.provisional, SPBE.daftarDiimpor,
                 SKOS.hasTopConcept)
"""What the replacement rewrites on the scheme itself; its labels and version stay.
`spbe:daftarDiimpor true` is what `spbe-arch init` and `demo` recognise an imported list by,
to keep it rather than reload the shipped one (`reference.imported`)."""
_URL = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class ConceptChange:
    code: str
    name: str
    old_name: str = ""
    """For a renamed concept: its name before."""
    old_parent: str = ""
    parent: str = ""


@dataclass(frozen=True)
class AffectedElement:
    """An element whose code is not in the new list."""

    kind: str
    kode: str
    nama: str
    opd: str
    kode_wilayah: str
    code: str
    """The reference code it is classified with."""
    known_before: bool
    """The code was in the list replaced (False: the element had the Warning already)."""

    def to_json(self) -> dict[str, Any]:
        return {"jenis": self.kind, "kode": self.kode, "nama": self.nama, "opd": self.opd,
                "kode_wilayah": self.kode_wilayah, "kode_referensi": self.code,
                "dikenal_sebelumnya": self.known_before}


@dataclass
class ReplacementPlan:
    """What replacing a scheme's list does; `changes` is what would be written."""

    scheme: str
    version: ReferenceVersion
    file: str
    source: str
    concepts: int
    was_provisional: bool
    added: list[ConceptChange] = field(default_factory=list)
    removed: list[ConceptChange] = field(default_factory=list)
    renamed: list[ConceptChange] = field(default_factory=list)
    moved: list[ConceptChange] = field(default_factory=list)
    affected: list[AffectedElement] = field(default_factory=list)
    changes: ChangeSet = field(default_factory=ChangeSet)
    activity: URIRef | None = None
    """The audit record once written; None for a dry run or when nothing changed."""
    dry_run: bool = False

    @property
    def unchanged(self) -> bool:
        return self.changes.is_empty()

    def to_json(self) -> dict[str, Any]:
        def concepts(items: list[ConceptChange]) -> list[dict[str, str]]:
            return [{k: v for k, v in (("kode", c.code), ("nama", c.name),
                                       ("nama_lama", c.old_name), ("induk_lama", c.old_parent),
                                       ("induk", c.parent)) if v} for c in items]

        return {"skema": self.scheme, "versi": self.version.name, "berkas": self.file,
                "sumber": self.source, "konsep": self.concepts,
                "sebelumnya_sementara": self.was_provisional,
                "ditambah": concepts(self.added), "dihapus": concepts(self.removed),
                "diganti_nama": concepts(self.renamed), "dipindah": concepts(self.moved),
                "elemen_terdampak": [e.to_json() for e in self.affected],
                "uji_coba": self.dry_run, "tidak_berubah": self.unchanged,
                "riwayat": str(self.activity) if self.activity else None}


def check_scheme(prefix: str) -> str:
    """`prefix` upper-cased if its list may be replaced; `InputError` on field `skema`
    otherwise, saying why RAB/RAL/RAD may not."""
    scheme = prefix.strip().upper()
    if scheme in VERIFIED:
        raise InputError(
            f"{scheme} adalah daftar resmi yang sudah diverifikasi (salinan daftar Perpres"
            " 132/2022) dan tidak diganti di sini; daftar dari Perpres baru adalah versi"
            " referensi baru (folder sumber baru, lihat docs/ontology.md)",
            f"{scheme} is the verified official list (a copy of the Perpres 132/2022 list) and"
            " is not replaced here; a list from a new Perpres is a new reference version (a"
            " new source folder, see docs/ontology.md)", Location(field="skema"))
    if scheme not in REPLACEABLE:
        raise InputError(f"skema '{prefix}' tidak dikenal; yang dapat diganti: RAA, RAI, RAK",
                         f"unknown scheme '{prefix}'; the ones that can be replaced: RAA, RAI,"
                         " RAK", Location(field="skema"))
    return scheme


def source_term(source: str | None, file: str) -> Node:
    """`dct:source` of an imported list: a URL as an IRI, other text (a regulation's name)
    as text; without one, the file's name."""
    text = " ".join((source or "").split())
    if not text:
        return Literal(file)
    if _URL.match(text):
        try:
            ox.NamedNode(text)  # an IRI the store would refuse stays text
        except ValueError:
            return Literal(text)
        return URIRef(text)
    return Literal(text)


@dataclass(frozen=True)
class OfficialList:
    """A code list read from a file and checked, for the scheme it is to replace."""

    scheme: str
    file: str
    entries: tuple[Entry, ...]


def read_official_list(path: Path, scheme: str, *, file_name: str | None = None) -> OfficialList:
    """Check `scheme` (RAA, RAI, RAK) and read the list in `path` (`.csv`, `.xlsx`,
    `.json`); every problem names file, row and column. Needs no repository, so a wrong
    file is refused before the store is opened."""
    prefix = check_scheme(scheme)
    shown = file_name or path.name
    return OfficialList(prefix, shown, read_list(path, prefix, shown=shown))


def replace_list(repository: Repository, official: OfficialList, *, agent: str,
                 source: str | None = None, instansi: str | None = None,
                 dry_run: bool = False, lock: AbstractContextManager[Any] | None = None,
                 now: Callable[[], datetime] | None = None) -> ReplacementPlan:
    """Replace the list of `official.scheme` in the reference version in force for
    `instansi` by `official`, which the caller states is the official list. Returns the
    plan; unless `dry_run`, it is applied with its audit record in one transaction under
    `lock` (the server's write lock), and a replacement that changes nothing writes
    nothing."""
    prefix = official.scheme
    with lock if lock is not None and not dry_run else nullcontext():
        plan = plan_replacement(repository, prefix, official.entries, file=official.file,
                                source=source, agent=agent, instansi=instansi,
                                when=(now or (lambda: datetime.now(UTC)))())
        plan.dry_run = dry_run
        if not dry_run and not plan.unchanged:
            plan.activity = apply_audited(
                repository, plan.changes, agent=agent,
                entities=[iris.reference_scheme_iri(plan.version.name, prefix),
                          plan.version.iri],
                label=f"Ganti daftar {prefix} ({plan.version.name}) dengan daftar resmi dari"
                      f" {official.file}")
    return plan


def plan_replacement(repository: Repository, prefix: str, entries: Iterable[Entry], *,
                     file: str, source: str | None, agent: str, instansi: str | None,
                     when: datetime) -> ReplacementPlan:
    """What replacing `prefix`'s concepts by `entries` changes (nothing is written)."""
    version = version_in_force(repository, instansi)
    schemes = scheme_views(repository, version)
    view = schemes.get(prefix)
    if view is None:
        raise InputError(f"skema {prefix} versi {version.name} belum dimuat di repositori",
                         f"scheme {prefix} of version {version.name} is not loaded in the"
                         " repository", Location(field="skema"))
    entries = tuple(entries)
    graph = version.graph
    old = _old_concepts(repository, view.iri, graph)
    new_quads = _concept_quads(version, view.iri, entries, graph)
    old_quads = {(s, p, o, graph) for s, triples in old.items() for p, o in triples}
    source_node = source_term(source, file)
    scheme_old, scheme_new = _scheme_quads(repository, version, view, entries, source_node,
                                           file, agent, when)
    version_old, version_new = _version_note_quads(repository, version, schemes, prefix)
    # a list imported before the mark existed gets it by importing the same list again
    unchanged_list = old_quads == new_quads and not view.provisional and \
        {q for q in scheme_old if q[1] in (DCT.source, SPBE.daftarDiimpor)} == \
        {q for q in scheme_new if q[1] in (DCT.source, SPBE.daftarDiimpor)}
    changes = ChangeSet() if unchanged_list else ChangeSet(
        add=sorted((new_quads - old_quads) | (scheme_new - scheme_old)
                   | (version_new - version_old), key=str),
        remove=sorted((old_quads - new_quads) | (scheme_old - scheme_new)
                      | (version_old - version_new), key=str))
    plan = ReplacementPlan(prefix, version, file, str(source_node), len(entries),
                           view.provisional, changes=changes)
    _describe_concepts(plan, version, old, entries)
    plan.affected = _affected(repository, version, prefix, old, entries)
    return plan


def _old_concepts(repository: Repository, scheme: URIRef,
                  graph: URIRef) -> dict[URIRef, set[tuple[Node, Node]]]:
    found: dict[URIRef, set[tuple[Node, Node]]] = {}
    for row in repository.select(sparql("scheme_concepts"), {"scheme": scheme, "graph": graph}):
        concept, p, o = row.get("concept"), row.get("p"), row.get("o")
        if isinstance(concept, URIRef) and p is not None and o is not None:
            found.setdefault(concept, set()).add((p, o))
    return found


def _concept_quads(version: ReferenceVersion, scheme: URIRef, entries: Iterable[Entry],
                   graph: URIRef) -> set[Quad]:
    quads: set[Quad] = set()
    for entry in entries:
        block = concept_block(version.name, scheme, entry, None)
        # an official list's own remark on a code (its `keterangan`)
        block.add(SKOS.note, *(Literal(text, lang=lang) for text, lang in
                               ((entry.note_id, "id"), (entry.note_en, "en")) if text))
        for predicate, objects in block.statements.items():
            quads.update((block.subject, predicate, o, graph) for o in objects)
    return quads


def _statements(repository: Repository, subject: URIRef, graph: URIRef) -> set[Quad]:
    return {(subject, row["p"], row["o"], graph)
            for row in repository.select(sparql("subject_statements"), {"s": subject,
                                                                        "graph": graph})
            if row.get("p") is not None and row.get("o") is not None}


def _scheme_quads(repository: Repository, version: ReferenceVersion, view: SchemeView,
                  entries: tuple[Entry, ...], source: Node, file: str, agent: str,
                  when: datetime) -> tuple[set[Quad], set[Quad]]:
    """The scheme's statements that the replacement rewrites, before and after."""
    graph = version.graph
    old = {q for q in _statements(repository, view.iri, graph) if q[1] in SCHEME_FIELDS}
    stamp = when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    shown = source if isinstance(source, URIRef) else f"'{source}'"
    new: set[Quad] = {
        (view.iri, DCT.source, source, graph),
        (view.iri, SPBE.provisional, Literal(False), graph),
        (view.iri, SPBE.daftarDiimpor, Literal(True), graph),
        (view.iri, SKOS.editorialNote, Literal(
            f"Daftar resmi {view.prefix} dimuat oleh {agent} dari berkas '{file}' pada"
            f" {stamp} dengan `spbe-arch reference import`; sumber: {shown}. Pemuat menyatakan"
            " daftar ini daftar resmi.", lang="id"), graph),
        (view.iri, SKOS.editorialNote, Literal(
            f"Official {view.prefix} list loaded by {agent} from file '{file}' on {stamp} with"
            f" `spbe-arch reference import`; source: {shown}. Whoever loaded it states it is"
            " the official list.", lang="en"), graph),
    }
    new |= {(view.iri, SKOS.hasTopConcept,
             iris.reference_concept_iri(version.name, e.code), graph)
            for e in entries if e.parent is None}
    return old, new


def _version_note_quads(repository: Repository, version: ReferenceVersion,
                        schemes: dict[str, SchemeView],
                        prefix: str) -> tuple[set[Quad], set[Quad]]:
    """The version resource's note naming its provisional schemes, before and after; left
    alone when it is not the generator's note (someone wrote their own)."""
    before = [p for p, s in schemes.items() if s.provisional]
    after = [p for p in before if p != prefix]
    old_note, new_note = provisional_version_note(before), provisional_version_note(after)
    stored = {q for q in _statements(repository, version.iri, version.graph)
              if q[1] == SKOS.editorialNote}
    old: set[Quad] = {(version.iri, SKOS.editorialNote, n, version.graph)
                      for n in old_note or ()}
    if not old or not old <= stored:
        return set(), set()
    return old, {(version.iri, SKOS.editorialNote, n, version.graph) for n in new_note or ()}


def _describe_concepts(plan: ReplacementPlan, version: ReferenceVersion,
                       old: dict[URIRef, set[tuple[Node, Node]]],
                       entries: tuple[Entry, ...]) -> None:
    def value(statements: set[tuple[Node, Node]], predicate: URIRef) -> str:
        for p, o in statements:
            if p == predicate and (not isinstance(o, Literal) or o.language in (None, "id")):
                return str(o)
        return ""

    before: dict[str, tuple[str, str]] = {}
    for concept, statements in old.items():
        code = value(statements, SKOS.notation) or unquote(str(concept).rsplit("/", 1)[-1])
        broader = value(statements, SKOS.broader)
        before[code] = (value(statements, SKOS.prefLabel),
                        unquote(broader.rsplit("/", 1)[-1]) if broader else "")
    after = {e.code: e for e in entries}
    for code in sorted(set(after) - set(before), key=natural_key):
        plan.added.append(ConceptChange(code, after[code].name, parent=after[code].parent or ""))
    for code in sorted(set(before) - set(after), key=natural_key):
        plan.removed.append(ConceptChange(code, before[code][0], old_parent=before[code][1]))
    for code in sorted(set(before) & set(after), key=natural_key):
        entry, (name, parent) = after[code], before[code]
        if entry.name != name:
            plan.renamed.append(ConceptChange(code, entry.name, old_name=name))
        if (entry.parent or "") != parent:
            plan.moved.append(ConceptChange(code, entry.name, old_parent=parent,
                                            parent=entry.parent or ""))


def _affected(repository: Repository, version: ReferenceVersion, prefix: str,
              old: dict[URIRef, set[tuple[Node, Node]]],
              entries: tuple[Entry, ...]) -> list[AffectedElement]:
    """The elements classified with a code of this version's `prefix` scheme that the new
    list does not hold. Codes of other versions are another rule's business."""
    predicate, kind = CLASSIFYING[prefix]
    namespace = f"{version.iri}/"
    new = {iris.reference_concept_iri(version.name, e.code) for e in entries}
    found: dict[tuple[URIRef, URIRef], AffectedElement] = {}
    for row in repository.select(sparql("classified_elements"), {"path": predicate}):
        element, value = row.get("element"), row.get("value")
        if not isinstance(element, URIRef) or not isinstance(value, URIRef) or value in new \
                or not str(value).startswith(namespace) or (element, value) in found:
            continue
        code = unquote(str(value)[len(namespace):])
        found[(element, value)] = AffectedElement(
            kind, str(row.get("kode") or element), str(row.get("nama") or ""),
            str(row.get("opd") or ""), str(row.get("kodeWilayah") or ""), code,
            value in old)
    return sorted(found.values(), key=lambda e: (e.kode_wilayah, e.opd, natural_key(e.kode)))
