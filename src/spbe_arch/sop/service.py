"""SOP services that write: derive an SOP from a BPMN model, and edit its fields.

Data follow the SOP conventions of the project (docs/bpmn-sop.md): the SOP lives in the
instansi graph as `…/id/<kode>/sop/<KODE>`, with `spbe:kode`, `spbe:nama`, `spbe:instansi`,
`spbe:pemilik` (the proses bisnis' OPD), `spbe:statusSOP`, `spbe:untukProsesBisnis`,
`spbe:diturunkanDari` the model; actors (`iris.sop_pelaksana_iri`) and steps
(`iris.sop_step_iri`, `spbe:urutan` from 1) hang off it. Every write goes through
`apply_audited`, one change set per call.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from rdflib import RDF, XSD
from rdflib.term import Literal, Node, URIRef

from spbe_arch import iris
from spbe_arch.audit import apply_audited
from spbe_arch.errors import InputError, Location
from spbe_arch.importers.bpmn.notices import Notice
from spbe_arch.importers.bpmn.service import find_model, find_proses
from spbe_arch.importers.bpmn.service import query_text as bpmn_query
from spbe_arch.repository import ChangeSet, Quad, Repository
from spbe_arch.settings import get_settings
from spbe_arch.sop.derive import MUTU_FIELDS, Derivation, DerivedStep, derive_steps
from spbe_arch.sop.document import find_sop, parse_tanggal, printable, query_text
from spbe_arch.sop.process import ModelView, ProcessView
from spbe_arch.vocab import PROV, SPBE

_Triple = tuple[Node, Node, Node]

SIMBOL_IRI = {"Terminator": SPBE.Terminator, "Kegiatan": SPBE.Kegiatan,
              "Keputusan": SPBE.Keputusan, "PenghubungHalaman": SPBE.PenghubungHalaman}

# identity fields: name used by the CLI/API -> (property, several values allowed)
IDENTITY_FIELDS: dict[str, tuple[URIRef, bool]] = {
    "nama": (SPBE.nama, False),
    "nomor": (SPBE.nomorSOP, False),
    "tanggal_pembuatan": (SPBE.tanggalPembuatan, False),
    "tanggal_revisi": (SPBE.tanggalRevisi, False),
    "tanggal_efektif": (SPBE.tanggalEfektif, False),
    "disahkan_jabatan": (SPBE.disahkanOlehJabatan, False),
    "disahkan_nama": (SPBE.disahkanOlehNama, False),
    "disahkan_nip": (SPBE.disahkanOlehNIP, False),
    "dasar_hukum": (SPBE.dasarHukum, True),
    "kualifikasi_pelaksana": (SPBE.kualifikasiPelaksana, True),
    "keterkaitan": (SPBE.keterkaitan, True),
    "peralatan": (SPBE.peralatanPerlengkapan, True),
    "peringatan": (SPBE.peringatan, True),
    "pencatatan": (SPBE.pencatatanPendataan, True),
    "status": (SPBE.statusSOP, False),
}
_DATE_FIELDS = {"tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif"}
# kept when an SOP is derived again (set by people, not by the model)
_KEPT_ON_DERIVE = {prop for name, (prop, _) in IDENTITY_FIELDS.items() if name != "status"} | {
    SPBE.sopTerkait, SPBE.areaManajemen, SPBE.kode}
STEP_FIELDS: dict[str, URIRef] = {
    "nama": SPBE.nama, "kelengkapan": SPBE.kelengkapan, "waktu": SPBE.waktu,
    "output": SPBE.output, "keterangan": SPBE.keterangan,
}


@dataclass
class DeriveResult:
    sop: URIRef
    kode: str
    nama: str
    created: bool
    model: URIRef
    process: str
    pelaksana: list[str]
    steps: int
    activity: URIRef | None
    notices: list[Notice] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.activity is not None

    def summary(self, lang: str = "id") -> str:
        if not self.changed:
            if lang == "en":
                return (f"SOP {self.kode} ({self.nama}) is already up to date with process"
                        f" '{self.process}': {self.steps} steps; nothing changed")
            return (f"SOP {self.kode} ({self.nama}) sudah sesuai dengan proses '{self.process}':"
                    f" {self.steps} langkah; tidak ada perubahan")
        if lang == "en":
            verb = "created" if self.created else "derived again"
            return (f"SOP {self.kode} ({self.nama}) {verb} from process '{self.process}':"
                    f" {self.steps} steps, {len(self.pelaksana)} actors")
        verb = "dibuat" if self.created else "diturunkan ulang"
        return (f"SOP {self.kode} ({self.nama}) {verb} dari proses '{self.process}':"
                f" {self.steps} langkah, {len(self.pelaksana)} pelaksana")


def _note_lost_mutu(old_rows: Mapping[Node, Mapping[Node, Sequence[Node]]],
                    quads: Sequence[Quad], notices: list[Notice]) -> None:
    """Say so when mutu baku of the old steps finds no step of the new derivation (a model
    redrawn with new element ids and reworded activities): the values are gone from the SOP
    and must be entered again, which nobody should learn from the printed document."""
    fields = [STEP_FIELDS[name] for name in ("kelengkapan", "waktu", "output")]
    kept = {(p, str(o)) for _, p, o, _ in quads if p in fields}
    lost = [row for row in old_rows.values() if SPBE.LangkahSOP in row.get(RDF.type, [])
            and any((p, str(v)) not in kept for p in fields for v in row.get(p, []))]
    if lost:
        numbers = ", ".join(sorted((str(v) for row in lost for v in row.get(SPBE.urutan, [])),
                                   key=lambda n: (len(n), n)))
        notices.append(Notice(
            f"mutu baku (kelengkapan, waktu, output) langkah lama {numbers} tidak menemukan"
            " langkahnya di model ini (digambar ulang?) sehingga tidak terbawa; isi lagi",
            f"the quality standards (requirements, time, output) of old step(s) {numbers}"
            " found no step of this model (redrawn?) and were not carried over; enter them"
            " again"))


Procedure = list[tuple[int, str, str, str, int | None, int | None, int | None]]
"""An SOP's steps as approval sees them: number, kegiatan, symbol, pelaksana, and the
numbers of the next step and of the yes/no branches."""


def _procedure_of_rows(rows: Mapping[Node, Mapping[Node, Sequence[Node]]]) -> Procedure:
    def one(row: Mapping[Node, Sequence[Node]], prop: Node) -> Node | None:
        return next(iter(row.get(prop, [])), None)

    def number(node: Node | None) -> int | None:
        value = one(rows.get(node, {}), SPBE.urutan) if node is not None else None
        return int(value) if isinstance(value, Literal) else None

    steps: Procedure = []
    for step, row in rows.items():
        if SPBE.LangkahSOP not in row.get(RDF.type, []):
            continue
        actor = one(row, SPBE.dilaksanakanOleh)
        steps.append((number(step) or 0, " ".join(str(v) for v in row.get(SPBE.nama, [])),
                      str(one(row, SPBE.jenisSimbol)),
                      str(one(rows.get(actor, {}), SPBE.nama)) if actor is not None else "",
                      number(one(row, SPBE.langkahBerikutnya)), number(one(row, SPBE.jikaYa)),
                      number(one(row, SPBE.jikaTidak))))
    return sorted(steps, key=str)


def _procedure_of_derivation(derivation: Derivation) -> Procedure:
    numbers = {step.key: step.number for step in derivation.steps}
    steps: Procedure = [
        (step.number, step.nama, str(SIMBOL_IRI[step.simbol]), step.pelaksana,
         numbers.get(step.next or ""), numbers.get(step.ya or ""),
         numbers.get(step.tidak or "")) for step in derivation.steps]
    return sorted(steps, key=str)


def _keep_the_rules(repository: Repository, changes: ChangeSet, lang: str) -> None:
    # imported here: the validation engine (pySHACL) is heavy, and the command line imports
    # this module at start (tests/cli/test_startup.py)
    from spbe_arch.validation.write_check import refuse_violations

    refuse_violations(repository, changes, lang)


def _diff(old: list[Quad], new: list[Quad]) -> ChangeSet:
    """Only what really changes, so an unchanged write leaves no audit record."""
    before, after = set(old), set(new)
    return ChangeSet(add=[q for q in dict.fromkeys(new) if q not in before],
                     remove=[q for q in dict.fromkeys(old) if q not in after])


def _owned_quads(repository: Repository, sop: URIRef) -> list[Quad]:
    quads: list[Quad] = []
    for row in repository.select(query_text("sop_owned"), {"sop": sop}):
        graph = row["g"]
        quads.append((row["s"], row["p"], row["o"], graph if isinstance(graph, URIRef) else None))
    return quads


def choose_process(view: ModelView, pool: str | None) -> tuple[ProcessView, list[Notice]]:
    """The process to derive from: the one named by `pool`, else the largest real pool."""
    candidates = [p for p in view.processes if p.nodes and not (p.main_participant and
                                                                 p.activity_count == 0)]
    if not candidates:
        raise InputError("model BPMN tidak memuat proses yang berisi langkah",
                         "the BPMN model contains no process with steps")
    if pool:
        wanted = pool.strip().lower()
        for process in candidates:
            labels = {process.label().lower(), process.name.lower(),
                      str(process.iri).rsplit("/", 1)[-1].lower()}
            if wanted in labels:
                return process, []
        choices = ", ".join(f"'{p.label()}'" for p in candidates)
        raise InputError(f"pool '{pool}' tidak ada dalam model; pilihan: {choices}",
                         f"pool '{pool}' is not in the model; choices: {choices}",
                         Location(field="--pool"))
    chosen = max(candidates, key=lambda p: (p.activity_count, len(p.nodes)))
    notices = []
    others = [p for p in candidates if p is not chosen and p.activity_count]
    if others:
        names = ", ".join(f"'{p.label()}'" for p in others)
        notices.append(Notice(
            f"model memiliki beberapa pool; SOP diturunkan dari '{chosen.label()}' (lainnya:"
            f" {names}; pilih dengan --pool)",
            f"the model has several pools; the SOP is derived from '{chosen.label()}' (others:"
            f" {names}; choose with --pool)"))
    return chosen, notices


def _default_kode(repository: Repository, proses_kode: str, kode_wilayah: str) -> str:
    number = 1
    while True:
        kode = f"{proses_kode}.SOP.{number:02d}"
        try:
            find_sop(repository, kode, kode_wilayah)
        except InputError:
            return kode
        number += 1


def derive_sop(repository: Repository, *, proses: str, kode_wilayah: str | None = None,
               model: str | None = None, pool: str | None = None, kode: str | None = None,
               agent: str = "anonim", today: date | None = None,
               lang: str = "id",
               may_replace: Callable[[URIRef | None], None] | None = None) -> DeriveResult:
    """Derive (or derive again) the SOP of proses bisnis `proses` from its BPMN model.

    `may_replace`, when given, is called with the owner (OPD) of the SOP the derivation
    would replace, before anything is written: an interface raises there when its caller
    may not change that SOP (whichever way it was chosen: `kode`, or the SOP derived from
    the same model before, which an admin may have given to another OPD).

    A second derivation replaces the steps and actors but keeps the identity fields set by
    people, and keeps a step's hand-entered kelengkapan/waktu/output (and keterangan, when
    the derivation adds no remark of its own) while the model still says nothing about them.
    An SOP that stays `ditetapkan` (its steps kept their names) must keep the architecture
    rules: a derivation that would add a Violation to it raises `RuleViolationError` (its
    messages in `lang`) and writes nothing.
    """
    kode_wilayah = kode_wilayah or get_settings().instansi
    proses_info = find_proses(repository, proses, kode_wilayah)
    if model:
        info = find_model(repository, model, kode_wilayah)
        model_iri, graph = info.model, info.graph
    else:
        rows = repository.select(bpmn_query("models_for_proses"), {"proses": proses_info.iri})
        if not rows.rows:
            raise InputError(
                f"belum ada model BPMN yang merinci proses bisnis '{proses}'; impor dulu dengan"
                f" `spbe-arch bpmn import BERKAS --proses {proses}`",
                f"no BPMN model details proses bisnis '{proses}' yet; import one first with"
                f" `spbe-arch bpmn import FILE --proses {proses}`",
                Location(field="--proses"))
        model_iri, graph = rows.rows[0]["model"], rows.rows[0]["graph"]  # type: ignore[assignment]
    notices: list[Notice] = []
    view = ModelView(repository.graph(graph), model_iri)
    process, chosen_notices = choose_process(view, pool)
    notices += chosen_notices
    derivation = derive_steps(process)
    notices += derivation.notices
    if not derivation.steps:
        raise InputError(
            f"proses '{process.label()}' tidak menghasilkan langkah SOP",
            f"process '{process.label()}' yields no SOP steps")

    existing = repository.select(query_text("sops_for_proses"), {"proses": proses_info.iri}).rows
    if kode is None:
        derived = [r for r in existing if r.get("model") == model_iri]
        kode = str(derived[0]["kode"]) if derived else _default_kode(
            repository, proses_info.kode, kode_wilayah)
    sop = iris.element_iri(kode_wilayah, "sop", kode)
    try:
        found, sop_graph = find_sop(repository, kode, kode_wilayah)
        sop = found
        created = False
    except InputError:
        sop_graph = iris.instansi_graph(kode_wilayah)
        created = True
    old = _owned_quads(repository, sop) if not created else []
    if may_replace is not None and not created:
        owner = next((o for s, p, o, _ in old if s == sop and p == SPBE.pemilik), None)
        may_replace(owner if isinstance(owner, URIRef) else None)
    if not created and not any(p == SPBE.diturunkanDari for _, p, _, _ in old) and any(
            p == SPBE.memilikiLangkah for _, p, _, _ in old):
        raise InputError(
            f"SOP '{kode}' sudah ada dan langkahnya tidak berasal dari model BPMN; pilih kode lain"
            " dengan --kode agar langkah yang ditulis tangan tidak tertimpa",
            f"SOP '{kode}' exists and its steps were not derived from a BPMN model; choose"
            " another code with --kode so hand-written steps are not overwritten",
            Location(field="--kode"))
    quads = _sop_quads(sop, sop_graph, kode, kode_wilayah, proses_info.iri,
                       proses_info.pemilik, model_iri, process, derivation, old, today, notices)
    if proses_info.pemilik is None:
        notices.append(Notice(
            f"proses bisnis '{proses}' tidak memiliki pemilik (spbe:pemilik); SOP tanpa unit",
            f"proses bisnis '{proses}' has no owner (spbe:pemilik); the SOP has no unit"))
    changes = _diff(old, quads)
    if (sop, SPBE.statusSOP, SPBE.Ditetapkan, sop_graph) in quads:
        # a set SOP is derived again without going back to Draft, so it must still keep the
        # rules (a redrawn model with new element ids loses the hand-entered mutu baku); a
        # draft is not checked: a new draft's mutu baku is filled in after derivation
        _keep_the_rules(repository, changes, lang)
    label = f"Turunkan SOP {kode} dari model BPMN {str(model_iri).rsplit('/', 1)[-1]}"
    activity = apply_audited(repository, changes, agent=agent,
                             entities=[sop, model_iri, proses_info.iri], label=label)
    nama = next((str(o) for s, p, o, _ in quads if s == sop and p == SPBE.nama), kode)
    return DeriveResult(sop, kode, nama, created, model_iri, process.label(),
                        derivation.pelaksana, len(derivation.steps), activity, notices)


def _sop_quads(sop: URIRef, graph: URIRef, kode: str, kode_wilayah: str, proses: URIRef,
               pemilik: URIRef | None, model: URIRef, process: ProcessView,
               derivation: Derivation, old: list[Quad], today: date | None,
               notices: list[Notice]) -> list[Quad]:
    kept = [(s, p, o) for s, p, o, _ in old if s == sop and p in _KEPT_ON_DERIVE]
    triples = [*kept, *_identity_triples(sop, kode, kode_wilayah, proses, pemilik, model,
                                         process, {p for _, p, _ in kept}, today)]
    old_rows = _old_rows(sop, old)
    actors, actor_triples = _actor_triples(sop, derivation.pelaksana)
    triples += actor_triples
    triples += _step_triples(sop, derivation, actors, *_hand_entered(old_rows))
    quads: list[Quad] = [(s, p, o, graph) for s, p, o in triples]
    _note_lost_mutu(old_rows, quads, notices)
    status = _status_after(sop, old, old_rows, derivation, notices)
    quads.append((sop, SPBE.statusSOP, status, graph))
    return list(dict.fromkeys(quads))


def _identity_triples(sop: URIRef, kode: str, kode_wilayah: str, proses: URIRef,
                      pemilik: URIRef | None, model: URIRef, process: ProcessView,
                      kept_props: set[Node], today: date | None) -> list[_Triple]:
    """The SOP's own triples that the derivation sets (kode, nama and the creation date
    only when people have not set them)."""
    triples: list[_Triple] = [(sop, RDF.type, SPBE.SOP)]
    if SPBE.kode not in kept_props:
        triples.append((sop, SPBE.kode, Literal(kode)))
    if SPBE.nama not in kept_props:
        triples.append((sop, SPBE.nama, Literal(process.name or process.label())))
    triples.append((sop, SPBE.instansi, iris.instansi_iri(kode_wilayah)))
    if pemilik is not None:
        triples.append((sop, SPBE.pemilik, pemilik))
    triples += [(sop, SPBE.untukProsesBisnis, proses), (sop, SPBE.diturunkanDari, model)]
    if SPBE.tanggalPembuatan not in kept_props:
        triples.append((sop, SPBE.tanggalPembuatan,
                        Literal((today or date.today()).isoformat(), datatype=XSD.date)))
    return triples


def _old_rows(sop: URIRef, old: list[Quad]) -> dict[Node, dict[Node, list[Node]]]:
    """The old steps and pelaksana: subject -> predicate -> objects."""
    old_rows: dict[Node, dict[Node, list[Node]]] = {}
    for s, p, o, _ in old:
        if s != sop:
            old_rows.setdefault(s, {}).setdefault(p, []).append(o)
    return old_rows


_HandEntered = dict[Node, Node]
"""A step's hand-entered mutu baku and keterangan: predicate -> value."""


def _hand_entered(old_rows: Mapping[Node, Mapping[Node, Sequence[Node]]],
                  ) -> tuple[dict[Node, _HandEntered],
                             dict[tuple[str, Node | None], _HandEntered | None]]:
    """Previous hand-entered values of the old steps: by the BPMN element a step came from,
    and by (kegiatan, symbol) for the steps without one (None when steps share them)."""
    previous: dict[Node, _HandEntered] = {}
    # a step rewritten through the workbook import has lost its BPMN link: it is recognised
    # by its kegiatan and symbol instead, when no other step shares them
    by_text: dict[tuple[str, Node | None], _HandEntered | None] = {}
    for row in old_rows.values():
        if SPBE.LangkahSOP not in row.get(RDF.type, []):
            continue
        key = (" ".join(str(v) for v in row.get(SPBE.nama, [])),
               next(iter(row.get(SPBE.jenisSimbol, [])), None))
        values = {p: v[0] for p, v in row.items() if p in (
            SPBE.kelengkapan, SPBE.waktu, SPBE.output, SPBE.keterangan)}
        for source in row.get(PROV.wasDerivedFrom, []):
            previous[source] = values
        if not row.get(PROV.wasDerivedFrom):
            by_text[key] = None if key in by_text else values
    return previous, by_text


def _actor_triples(sop: URIRef, pelaksana: Sequence[str],
                   ) -> tuple[dict[str, URIRef], list[_Triple]]:
    """The pelaksana's IRIs by name, and their triples (a name whose IRI another one already
    has is left out)."""
    actors: dict[str, URIRef] = {}
    triples: list[_Triple] = []
    for number, name in enumerate(pelaksana, start=1):
        actor = iris.sop_pelaksana_iri(sop, name)
        if name in actors or actor in actors.values():
            continue
        actors[name] = actor
        triples += [(sop, SPBE.memilikiPelaksana, actor), (actor, RDF.type, SPBE.PelaksanaSOP),
                    (actor, SPBE.nama, Literal(name)),
                    (actor, SPBE.urutan, Literal(number, datatype=XSD.integer))]
    return actors, triples


def _step_triples(sop: URIRef, derivation: Derivation, actors: Mapping[str, URIRef],
                  previous: Mapping[Node, _HandEntered],
                  by_text: Mapping[tuple[str, Node | None], _HandEntered | None],
                  ) -> list[_Triple]:
    """The derived steps' triples, carrying over what people entered for the same step."""
    new_keys = [(s.nama, SIMBOL_IRI[s.simbol]) for s in derivation.steps]
    step_iri = {step.key: iris.sop_step_iri(sop, step.number) for step in derivation.steps}
    triples: list[_Triple] = []
    for step in derivation.steps:
        iri = step_iri[step.key]
        triples += [(sop, SPBE.memilikiLangkah, iri), (iri, RDF.type, SPBE.LangkahSOP),
                    (iri, SPBE.urutan, Literal(step.number, datatype=XSD.integer)),
                    (iri, SPBE.nama, Literal(step.nama)),
                    (iri, SPBE.jenisSimbol, SIMBOL_IRI[step.simbol]),
                    (iri, SPBE.dilaksanakanOleh, actors[step.pelaksana])]
        if step.source is not None:
            triples.append((iri, PROV.wasDerivedFrom, step.source))
        before = previous.get(step.source, {}) if step.source is not None else {}
        key = (step.nama, SIMBOL_IRI[step.simbol])
        if not before and new_keys.count(key) == 1:
            before = by_text.get(key) or {}
        triples += [(iri, prop, Literal(value)) for prop, value in _mutu(step, before)]
        for attr, prop in (("next", SPBE.langkahBerikutnya), ("ya", SPBE.jikaYa),
                           ("tidak", SPBE.jikaTidak)):
            target = getattr(step, attr)
            if target:
                triples.append((iri, prop, step_iri[target]))
    return triples


def _mutu(step: DerivedStep, before: Mapping[Node, Node]) -> list[tuple[URIRef, str]]:
    """A step's mutu baku and keterangan: the model's, else what people entered before."""
    mutu: dict[str, str | None] = {f: getattr(step, f) for f in MUTU_FIELDS}
    mutu["keterangan"] = step.full_keterangan()
    values: list[tuple[URIRef, str]] = []
    for name in MUTU_FIELDS:
        prop = STEP_FIELDS[name]
        value = mutu[name]
        if not value and prop in before:
            value = str(before[prop])
        if value:
            values.append((prop, value))
    return values


def _status_after(sop: URIRef, old: list[Quad],
                  old_rows: Mapping[Node, Mapping[Node, Sequence[Node]]],
                  derivation: Derivation, notices: list[Notice]) -> URIRef:
    """Ditetapkan stays only while the steps stay the same; otherwise Draft (with a notice
    when that undoes a Ditetapkan)."""
    status_before = [o for s, p, o, _ in old if s == sop and p == SPBE.statusSOP]
    same_steps = _procedure_of_rows(old_rows) == _procedure_of_derivation(derivation)
    if SPBE.Ditetapkan in status_before and same_steps:
        return SPBE.Ditetapkan
    if SPBE.Ditetapkan in status_before:
        notices.append(Notice(
            "langkah SOP (kegiatan, pelaksana atau alurnya) berubah sehingga statusnya"
            " kembali menjadi Draft; tetapkan ulang setelah ditinjau",
            "the SOP's steps (activities, actors or flow) changed, so its status is back"
            " to Draft; set it again after review"))
    return SPBE.Draft


# --- editing ------------------------------------------------------------------------------

_NIP = re.compile(r"\d{18}")


def _identity_value(name: str, text: str) -> Node:
    if name in _DATE_FIELDS:
        return Literal(parse_tanggal(text, name.replace("_", " ")).isoformat(), datatype=XSD.date)
    if name == "disahkan_nip":
        digits = re.sub(r"[\s.]", "", text)
        if not _NIP.fullmatch(digits):
            raise InputError(f"NIP '{text}' harus terdiri dari 18 angka",
                             f"NIP '{text}' must have 18 digits", Location(field="disahkan_nip"))
        return Literal(digits)
    if name == "status":
        key = text.strip().lower()
        if key in ("draft", "draf", "rancangan"):
            return SPBE.Draft
        if key in ("ditetapkan", "disahkan", "final"):
            return SPBE.Ditetapkan
        raise InputError(f"status '{text}' tidak dikenal; gunakan draft atau ditetapkan",
                         f"unknown status '{text}'; use draft or ditetapkan",
                         Location(field="status"))
    return Literal(printable(text).strip())


def set_sop_fields(repository: Repository, kode: str,
                   values: Mapping[str, str | Sequence[str] | None], *,
                   kode_wilayah: str | None = None, agent: str = "anonim",
                   lang: str = "id") -> URIRef | None:
    """Set identity fields of SOP `kode`; a field given replaces all its old values.

    An empty string or empty list removes the field. Unknown field names and unreadable
    values (dates, NIP, status) raise `InputError`, and a change that would add a Violation
    of the architecture rules (say, `ditetapkan` without a pengesah) `RuleViolationError`
    (its messages in `lang`), before anything is written.
    """
    sop, graph = find_sop(repository, kode, kode_wilayah)
    unknown = sorted(set(values) - set(IDENTITY_FIELDS))
    if unknown:
        raise InputError(f"kolom SOP tidak dikenal: {', '.join(unknown)}",
                         f"unknown SOP fields: {', '.join(unknown)}",
                         Location(field=unknown[0]))
    old = _owned_quads(repository, sop)
    add: list[Quad] = []
    remove: list[Quad] = []
    for name, given in values.items():
        if given is None:
            continue
        prop, multiple = IDENTITY_FIELDS[name]
        given_texts = [given] if isinstance(given, str) else list(given)
        texts = [t for t in given_texts if t.strip()]
        if len(texts) > 1 and not multiple:
            raise InputError(f"kolom {name} hanya boleh satu nilai",
                             f"field {name} takes one value", Location(field=name))
        if name in ("nama", "status") and not texts:
            raise InputError(f"kolom {name} tidak boleh dikosongkan",
                             f"field {name} cannot be emptied", Location(field=name))
        remove += [q for q in old if q[0] == sop and q[1] == prop]
        add += [(sop, prop, _identity_value(name, t), graph) for t in texts]
    changes = _diff(remove, add)
    _keep_the_rules(repository, changes, lang)
    return apply_audited(repository, changes, agent=agent, entities=[sop],
                         label=f"Ubah identitas SOP {kode}: {', '.join(sorted(values))}")


def set_step_fields(repository: Repository, kode: str, number: int,
                    values: Mapping[str, str | None], *, kode_wilayah: str | None = None,
                    agent: str = "anonim", lang: str = "id") -> URIRef | None:
    """Set kegiatan text, mutu baku (kelengkapan, waktu, output) or keterangan of one step;
    refused as `set_sop_fields` is."""
    sop, graph = find_sop(repository, kode, kode_wilayah)
    unknown = sorted(set(values) - set(STEP_FIELDS))
    if unknown:
        raise InputError(f"kolom langkah tidak dikenal: {', '.join(unknown)}",
                         f"unknown step fields: {', '.join(unknown)}", Location(field=unknown[0]))
    step = iris.sop_step_iri(sop, number)
    old = [q for q in _owned_quads(repository, sop) if q[0] == step]
    if not old:
        raise InputError(f"SOP '{kode}' tidak memiliki langkah {number}",
                         f"SOP '{kode}' has no step {number}", Location(field="langkah"))
    add: list[Quad] = []
    remove: list[Quad] = []
    for name, text in values.items():
        if text is None:
            continue
        prop = STEP_FIELDS[name]
        if name == "nama" and not text.strip():
            raise InputError("kegiatan tidak boleh kosong", "the activity text cannot be empty",
                             Location(field="nama"))
        remove += [q for q in old if q[1] == prop]
        text = printable(text)
        if text.strip():
            add.append((step, prop, Literal(text.strip()), graph))
    changes = _diff(remove, add)
    _keep_the_rules(repository, changes, lang)
    return apply_audited(repository, changes, agent=agent, entities=[sop, step],
                         label=f"Ubah langkah {number} SOP {kode}: {', '.join(sorted(values))}")


@dataclass
class SopSummary:
    kode: str
    nama: str
    status: str
    proses: str
    derived: bool
    steps: int

    def as_dict(self) -> dict[str, object]:
        return {"kode": self.kode, "nama": self.nama, "status": self.status,
                "proses": self.proses, "dari_bpmn": self.derived, "langkah": self.steps}


def list_sops(repository: Repository, kode_wilayah: str | None = None) -> list[SopSummary]:
    kode_wilayah = kode_wilayah or get_settings().instansi
    out = []
    for row in repository.select(query_text("list_sops"),
                                 {"instansi": iris.instansi_iri(kode_wilayah)}):
        status = "Ditetapkan" if row.get("status") == SPBE.Ditetapkan else "Draft"
        out.append(SopSummary(str(row["kode"]), str(row.get("nama", row["kode"])), status,
                              str(row.get("prosesKode", "")), "model" in row,
                              int(str(row["langkahCount"]))))
    return out
