"""Importing BPMN models into the repository, replacing older versions and keeping history.

Layout: the current version of model `<slug>` of instansi `<kode>` lives alone in graph
`…/graph/bpmn/<kode>/<slug>`; its resource `…/id/<kode>/model-bpmn/<slug>` is both a
`bpmn:Definitions` and a `spbe:ModelBPMN`, carries the file name, SHA-256, version number,
import time (`prov:generatedAtTime`), importer (`prov:wasAttributedTo`) and the proses
bisnis it details (`spbe:merinci`).

History: each import adds a `bpmn:ModelVersion` (`<model>/versi/<n>`, `prov:wasRevisionOf`
the previous one) to the provenance graph, and the import runs through `apply_audited`, so
the audit record of version n holds exactly the triples of version n (`spbe:tripelDitambah`)
and the record of version n+1 holds what it removed. Only the current version is in a
model graph, so queries over the union of graphs never see two versions of one model;
`model_version_graph` rebuilds any earlier version from the audit trail. Re-importing a
byte-identical file changes nothing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path

from rdflib import RDF, XSD, Graph
from rdflib.term import Literal, Node, URIRef
from rdflib.util import from_n3

from spbe_arch import iris
from spbe_arch.audit import agent_iri, apply_audited
from spbe_arch.errors import InputError, Location
from spbe_arch.importers.bpmn.notices import Notice
from spbe_arch.importers.bpmn.reader import read_bpmn
from spbe_arch.importers.bpmn.vocabulary import BP
from spbe_arch.importers.bpmn.xmlsafe import check_size
from spbe_arch.repository import ChangeSet, Quad, Repository
from spbe_arch.settings import get_settings
from spbe_arch.vocab import PROV, SPBE


@cache
def query_text(name: str) -> str:
    return (resources.files("spbe_arch.importers.bpmn") / "sparql" / f"{name}.rq").read_text(
        encoding="utf-8")


def model_slug(name: str) -> str:
    slug = iris.slug(name)
    if not slug:
        raise InputError(
            f"nama model '{name}' tidak dapat dijadikan pengenal (perlu huruf Latin atau"
            " angka); beri nama model sendiri (opsi --model, atau kolom 'model' di API)",
            f"model name '{name}' cannot be made into an identifier (it needs Latin letters or"
            " digits); give a model name (the --model option, or the API's 'model' field)")
    return slug


def model_iri(kode_wilayah: str, slug: str) -> URIRef:
    return URIRef(f"{iris.instansi_iri(kode_wilayah)}/model-bpmn/{slug}")


def model_graph(kode_wilayah: str, slug: str) -> URIRef:
    return iris.bpmn_graph(kode_wilayah, slug)


def version_iri(model: URIRef, number: int) -> URIRef:
    return URIRef(f"{model}/versi/{number}")


@dataclass
class ProsesInfo:
    iri: URIRef
    kode: str
    nama: str | None
    pemilik: URIRef | None


def find_proses(repository: Repository, kode: str, kode_wilayah: str) -> ProsesInfo:
    """The proses bisnis with code `kode` in instansi `kode_wilayah`, or an `InputError`."""
    rows = repository.select(query_text("find_proses"),
                             {"kode": Literal(kode), "instansi": iris.instansi_iri(kode_wilayah)})
    if not rows.rows:
        raise InputError(
            f"proses bisnis dengan kode '{kode}' tidak ditemukan pada instansi {kode_wilayah}",
            f"no proses bisnis with code '{kode}' in instansi {kode_wilayah}",
            Location(field="--proses"))
    row = rows.rows[0]
    proses = row["proses"]
    pemilik = row.get("pemilik")
    assert isinstance(proses, URIRef)
    return ProsesInfo(proses, kode, str(row["nama"]) if "nama" in row else None,
                      pemilik if isinstance(pemilik, URIRef) else None)


@dataclass
class ImportResult:
    """What an import did (or, with `unchanged`, why it did nothing)."""

    model: URIRef
    graph: URIRef
    slug: str
    version: int
    sha256: str
    triples: int
    counts: dict[str, int]
    unchanged: bool = False
    previous_version: int | None = None
    proses: URIRef | None = None
    activity: URIRef | None = None
    notices: list[Notice] = field(default_factory=list)

    def summary(self, lang: str = "id") -> str:
        if self.unchanged:
            if lang == "en":
                return (f"model {self.slug} is already stored with the same content (version"
                        f" {self.version}); nothing changed")
            return (f"model {self.slug} sudah tersimpan dengan isi yang sama (versi"
                    f" {self.version}); tidak ada perubahan")
        replaced = ""
        if self.previous_version is not None:
            replaced = (f", menggantikan versi {self.previous_version}" if lang != "en"
                        else f", replacing version {self.previous_version}")
        if lang == "en":
            return (f"model {self.slug} version {self.version} imported into graph {self.graph}:"
                    f" {self.triples} triples{replaced}")
        return (f"model {self.slug} versi {self.version} diimpor ke graf {self.graph}:"
                f" {self.triples} tripel{replaced}")


def _current(repository: Repository, model: URIRef) -> tuple[int, str, URIRef | None] | None:
    rows = repository.select(query_text("current_model"), {"model": model}).rows
    if not rows:
        return None
    row = rows[0]
    proses = row.get("proses")
    return (int(row["number"]), str(row["sha256"]),  # type: ignore[call-overload]
            proses if isinstance(proses, URIRef) else None)


def import_bpmn(repository: Repository, data: bytes, *, file_name: str,
                kode_wilayah: str | None = None, proses: str | None = None,
                model: str | None = None, agent: str = "anonim",
                max_bytes: int | None = None, now: datetime | None = None) -> ImportResult:
    """Import one BPMN 2.0 file (bytes) as model `model` (default: the file name's stem).

    All-or-nothing: any problem raises `InputError`/`InputProblems` and nothing is stored.
    With `proses` (a proses bisnis code) the model is linked `spbe:merinci` to it; without
    it a re-import keeps the link of the version it replaces.
    """
    settings = get_settings()
    kode_wilayah = kode_wilayah or settings.instansi
    max_bytes = max_bytes or settings.max_upload_bytes
    check_size(len(data), max_bytes, file_name)
    slug = model_slug(model or Path(file_name).stem)
    iri = model_iri(kode_wilayah, slug)
    graph = model_graph(kode_wilayah, slug)
    proses_info = find_proses(repository, proses, kode_wilayah) if proses else None
    digest = hashlib.sha256(data).hexdigest()

    result = read_bpmn(data, file_name=Path(file_name).name, model=iri, max_bytes=max_bytes)
    if repository.ask(query_text("other_instansi_only"),
                      {"instansi": iris.instansi_iri(kode_wilayah)}):
        # a mistyped --instansi would otherwise file the model where no list shows it
        result.notices.append(Notice(
            f"instansi {kode_wilayah} belum ada di repositori (ada instansi lain); model"
            " disimpan di bawah kode itu — periksa --instansi",
            f"instansi {kode_wilayah} is not in the repository (others are); the model is"
            " stored under that code — check --instansi"))
    current = _current(repository, iri)
    proses_iri = proses_info.iri if proses_info else (current[2] if current else None)
    if current and current[1] == digest and current[2] == proses_iri:
        return ImportResult(iri, graph, slug, current[0], digest, 0, dict(result.counts),
                            unchanged=True, proses=proses_iri, notices=result.notices)

    number = (current[0] + 1) if current else 1
    if current is None:
        # a model graph can exist without its metadata only if written by hand; replace it too
        previous_versions = repository.select(query_text("model_versions"), {"model": iri}).rows
        if previous_versions:
            number = int(previous_versions[-1]["number"]) + 1  # type: ignore[call-overload]
    when = (now or datetime.now(UTC)).replace(microsecond=0)
    stamp = Literal(when.isoformat(), datatype=XSD.dateTime)
    who = agent_iri(agent)
    name = result.name or Path(file_name).stem

    triples: list[tuple[URIRef, URIRef, Node]] = list(result.triples)
    triples += [
        (iri, RDF.type, SPBE.ModelBPMN),
        (iri, SPBE.nama, Literal(name)),
        (iri, BP.fileName, Literal(Path(file_name).name)),
        (iri, BP.sha256, Literal(digest)),
        (iri, BP.modelVersion, Literal(number, datatype=XSD.integer)),
        (iri, PROV.generatedAtTime, stamp),
        (iri, PROV.wasAttributedTo, who),
    ]
    if proses_iri is not None:
        triples.append((iri, SPBE.merinci, proses_iri))
    version = version_iri(iri, number)
    provenance = iris.provenance_graph()
    record: list[Quad] = [
        (version, RDF.type, BP.ModelVersion, provenance),
        (version, RDF.type, PROV.Entity, provenance),
        (version, PROV.specializationOf, iri, provenance),
        (version, BP.modelVersion, Literal(number, datatype=XSD.integer), provenance),
        (version, BP.fileName, Literal(Path(file_name).name), provenance),
        (version, BP.sha256, Literal(digest), provenance),
        (version, PROV.generatedAtTime, stamp, provenance),
        (version, PROV.wasAttributedTo, who, provenance),
        (version, BP.tripleCount, Literal(len(set(triples)), datatype=XSD.integer), provenance),
    ]
    if number > 1:
        record.append((version, PROV.wasRevisionOf, version_iri(iri, number - 1), provenance))
    changes = ChangeSet(
        add=[(s, p, o, graph) for s, p, o in dict.fromkeys(triples)] + record,
        remove=list(repository.quads(graph)),
    )
    entities: list[Node] = [iri, version]
    if proses_iri is not None:
        entities.append(proses_iri)
    label = f"Impor model BPMN {slug} versi {number} ({Path(file_name).name})"
    activity = apply_audited(repository, changes, agent=agent, entities=entities, label=label)
    return ImportResult(iri, graph, slug, number, digest, len(set(triples)), dict(result.counts),
                        previous_version=current[0] if current else None, proses=proses_iri,
                        activity=activity, notices=result.notices)


def import_bpmn_file(repository: Repository, path: Path, **options: object) -> ImportResult:
    """`import_bpmn` for a file on disk; the size limit is checked before reading it."""
    settings = get_settings()
    max_bytes = options.get("max_bytes") or settings.max_upload_bytes
    assert isinstance(max_bytes, int)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"berkas tidak dapat dibaca: {exc.strerror}",
                         f"cannot read the file: {exc.strerror}",
                         Location(file=str(path))) from None
    check_size(size, max_bytes, str(path))
    options.setdefault("file_name", path.name)
    return import_bpmn(repository, path.read_bytes(), **options)  # type: ignore[arg-type]


# --- reading models back -------------------------------------------------------------------

@dataclass
class ModelInfo:
    model: URIRef
    graph: URIRef
    name: str
    file_name: str
    version: int
    sha256: str
    imported_at: str
    proses: URIRef | None
    proses_kode: str | None

    def as_dict(self) -> dict[str, object]:
        return {"model": str(self.model), "graph": str(self.graph), "nama": self.name,
                "berkas": self.file_name, "versi": self.version, "sha256": self.sha256,
                "waktu_impor": self.imported_at,
                "proses": str(self.proses) if self.proses else None,
                "kode_proses": self.proses_kode}


def list_models(repository: Repository) -> list[ModelInfo]:
    out = []
    for row in repository.select(query_text("list_models")).rows:
        proses = row.get("proses")
        out.append(ModelInfo(
            row["model"], row["graph"],  # type: ignore[arg-type]
            str(row.get("nama", row["fileName"])), str(row["fileName"]),
            int(row["number"]), str(row["sha256"]), str(row["time"]),  # type: ignore[call-overload]
            proses if isinstance(proses, URIRef) else None,
            str(row["prosesKode"]) if "prosesKode" in row else None))
    return out


def find_model(repository: Repository, slug: str, kode_wilayah: str | None = None) -> ModelInfo:
    kode_wilayah = kode_wilayah or get_settings().instansi
    iri = model_iri(kode_wilayah, model_slug(slug))
    for info in list_models(repository):
        if info.model == iri:
            return info
    raise InputError(f"model BPMN '{slug}' tidak ditemukan", f"BPMN model '{slug}' not found",
                     Location(field="model"))


@dataclass
class VersionInfo:
    version: URIRef
    number: int
    sha256: str
    file_name: str
    imported_at: str
    agent: str | None
    triples: int | None

    def as_dict(self) -> dict[str, object]:
        return {"versi": self.number, "iri": str(self.version), "sha256": self.sha256,
                "berkas": self.file_name, "waktu_impor": self.imported_at,
                "oleh": self.agent, "tripel": self.triples}


def model_history(repository: Repository, slug: str,
                  kode_wilayah: str | None = None) -> list[VersionInfo]:
    """Every imported version of a model, oldest first."""
    kode_wilayah = kode_wilayah or get_settings().instansi
    iri = model_iri(kode_wilayah, model_slug(slug))
    rows = repository.select(query_text("model_versions"), {"model": iri}).rows
    if not rows:
        raise InputError(f"model BPMN '{slug}' tidak ditemukan", f"BPMN model '{slug}' not found",
                         Location(field="model"))
    return [VersionInfo(row["version"], int(row["number"]),  # type: ignore[arg-type,call-overload]
                        str(row["sha256"]), str(row["fileName"]), str(row["time"]),
                        str(row.get("agentName")) if row.get("agentName") else None,
                        int(row["triples"]) if "triples" in row else None)  # type: ignore[call-overload]
            for row in rows]


def model_version_graph(repository: Repository, slug: str, number: int,
                        kode_wilayah: str | None = None) -> Graph:
    """The model graph as it was in version `number`, rebuilt from the audit trail."""
    kode_wilayah = kode_wilayah or get_settings().instansi
    slug = model_slug(slug)
    iri = model_iri(kode_wilayah, slug)
    rows = repository.select(query_text("version_record"), {"version": version_iri(iri, number)})
    if not rows.rows:
        raise InputError(f"versi {number} model BPMN '{slug}' tidak ditemukan",
                         f"version {number} of BPMN model '{slug}' not found",
                         Location(field="versi"))
    wanted = model_graph(kode_wilayah, slug)
    graph = Graph()
    # a large record is split over several values (audit.RECORD_CHUNK_CHARS), whole lines each
    record = "\n".join(str(row["added"]) for row in rows.rows)
    for s, p, o, g in parse_change_record(record):
        if g == wanted:
            graph.add((s, p, o))
    return graph


_TERM = re.compile(
    r'<[^>\s]*>|_:[^\s]+'
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""(?:@[A-Za-z0-9-]+|\^\^<[^>\s]*>)?'
    r'|"(?:[^"\\\n]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>\s]*>)?'
    r'|\.(?=\s|$)|\S+')


def parse_change_record(text: str) -> list[Quad]:
    """The quads of an audit record (`spbe:tripelDitambah` / `spbe:tripelDihapus`).

    The record is N-Quads except that literals with line breaks are written as Turtle long
    strings (rdflib's `n3()`), which strict N-Quads parsers refuse; this reads both.
    """
    quads: list[Quad] = []
    terms: list[Node] = []
    for match in _TERM.finditer(text):
        token = match.group(0)
        if token == ".":
            if len(terms) not in (3, 4):
                raise ValueError(f"unreadable audit record near {token!r}")
            graph = terms[3] if len(terms) == 4 else None
            quads.append((terms[0], terms[1], terms[2],
                          graph if isinstance(graph, URIRef) else None))
            terms = []
        else:
            term = from_n3(token)
            if not isinstance(term, Node):
                raise ValueError(f"unreadable term {token!r} in audit record")
            terms.append(term)
    if terms:
        raise ValueError("audit record does not end with '.'")
    return quads


def load_model_graph(repository: Repository, model: URIRef, graph: URIRef) -> Graph:
    """The current content of one model graph (raises when it is empty)."""
    content = repository.graph(graph)
    if len(content) == 0:
        raise InputError(f"graf model {graph} kosong", f"model graph {graph} is empty")
    return content
