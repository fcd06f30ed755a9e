"""Self-assessment records (*penilaian mandiri*): per year and indicator, the level chosen,
the justification, the evidence (*bukti dukung*), the responsible OPD and the status."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import RDF, RDFS, XSD
from rdflib.term import Literal, Node, URIRef

from spbe_arch import iris
from spbe_arch.audit import apply_audited
from spbe_arch.errors import InputError
from spbe_arch.evaluation.framework import Framework, as_int, sparql
from spbe_arch.repository import ChangeSet, Quad, Repository
from spbe_arch.vocab import BASE, EVAL, SPBE

STATUSES = {"draft": EVAL.Draft, "diajukan": EVAL.Diajukan, "diverifikasi": EVAL.Diverifikasi}


@dataclass
class Evidence:
    url: str | None = None
    file: str | None = None
    artefact: str | None = None
    label: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {"url": self.url, "berkas": self.file, "artefak": self.artefact,
                "judul": self.label}


@dataclass
class Assessment:
    framework: str
    indicator: int
    year: int
    level: int
    justification: str = ""
    status: str = "draft"
    opd: str | None = None
    evidence: list[Evidence] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"framework": self.framework, "indikator": self.indicator, "tahun": self.year,
                "tingkat": self.level, "justifikasi": self.justification,
                "status": self.status, "opd": self.opd,
                "bukti_dukung": [e.to_json() for e in self.evidence]}


def assessment_graph(kode_wilayah: str) -> URIRef:
    return iris.evaluation_graph(f"penilaian-{kode_wilayah}")


def assessment_iri(kode_wilayah: str, framework: str, year: int, indicator: int) -> URIRef:
    return URIRef(f"{BASE}id/{kode_wilayah}/penilaian/{framework}/{year}/{indicator}")


def list_assessments(repository: Repository, kode_wilayah: str, *,
                     framework: str | None = None, year: int | None = None) -> list[Assessment]:
    found: dict[str, Assessment] = {}
    rows = repository.select(sparql("assessments"), {"instansi": iris.instansi_iri(kode_wilayah)})
    for row in rows:
        code = str(row["framework_code"])
        row_year = as_int(row["year"])
        if (framework and code != framework) or (year and row_year != year):
            continue
        key = str(row["assessment"])
        item = found.get(key)
        if item is None:
            item = found[key] = Assessment(
                framework=code, indicator=as_int(row["number"]),
                year=row_year, level=as_int(row["level"]),
                justification=str(row.get("justification", "")),
                status=_status_name(row.get("status")),
                opd=str(row["opd_code"]) if row.get("opd_code") is not None else None)
        if row.get("evidence") is not None:
            evidence = Evidence(
                *(str(row[k]) if row.get(k) is not None else None
                  for k in ("url", "file", "artefact", "evidence_label")))
            if evidence not in item.evidence:
                item.evidence.append(evidence)
    return sorted(found.values(), key=lambda a: (a.framework, a.year, a.indicator))


def _status_name(node: Node | None) -> str:
    for name, iri in STATUSES.items():
        if node == iri:
            return name
    return "draft"


def levels_for(repository: Repository, kode_wilayah: str, framework: str,
               year: int) -> dict[int, int]:
    """The chosen level per indicator for one year (the input of the index)."""
    return {a.indicator: a.level
            for a in list_assessments(repository, kode_wilayah, framework=framework, year=year)}


def record_assessment(repository: Repository, framework: Framework, kode_wilayah: str,
                      assessment: Assessment, *, agent: str) -> URIRef:
    """Store (or replace) the assessment of one indicator in one year, with its audit record."""
    if assessment.indicator not in framework.indicators:
        raise InputError(
            f"indikator {assessment.indicator} tidak ada dalam kerangka {framework.code}",
            f"indicator {assessment.indicator} is not in framework {framework.code}")
    if not 1 <= assessment.level <= 5:
        raise InputError(f"tingkat harus 1–5, bukan {assessment.level}",
                         f"the level must be 1–5, not {assessment.level}")
    if assessment.status not in STATUSES:
        raise InputError(
            f"status '{assessment.status}' tidak dikenal; gunakan {', '.join(STATUSES)}",
            f"unknown status '{assessment.status}'; use {', '.join(STATUSES)}")
    graph = assessment_graph(kode_wilayah)
    subject = assessment_iri(kode_wilayah, framework.code, assessment.year, assessment.indicator)
    indicator_iri = URIRef(f"{framework.iri}/indikator/{assessment.indicator}")
    add: list[Quad] = [
        (subject, RDF.type, EVAL.PenilaianMandiri, graph),
        (subject, SPBE.instansi, iris.instansi_iri(kode_wilayah), graph),
        (subject, EVAL.indikator, indicator_iri, graph),
        (subject, EVAL.tahun, Literal(assessment.year, datatype=XSD.integer), graph),
        (subject, EVAL.tingkatDipilih, Literal(assessment.level, datatype=XSD.integer), graph),
        (subject, EVAL.statusPenilaian, STATUSES[assessment.status], graph),
    ]
    if assessment.justification:
        add.append((subject, EVAL.justifikasi, Literal(assessment.justification), graph))
    if assessment.opd:
        add.append((subject, EVAL.penanggungJawab,
                    iris.element_iri(kode_wilayah, "opd", assessment.opd), graph))
    for i, evidence in enumerate(assessment.evidence, start=1):
        node = URIRef(f"{subject}/bukti/{i}")
        add += [(subject, EVAL.buktiDukung, node, graph), (node, RDF.type, EVAL.BuktiDukung, graph)]
        if evidence.url:
            add.append((node, EVAL.url, Literal(evidence.url, datatype=XSD.anyURI), graph))
        if evidence.file:
            add.append((node, EVAL.berkas, Literal(evidence.file), graph))
        if evidence.artefact:
            add.append((node, EVAL.artefak, URIRef(evidence.artefact), graph))
        if evidence.label:
            add.append((node, RDFS.label, Literal(evidence.label), graph))
    old = [(s, p, o, graph) for s, p, o in _record_triples(repository, subject, graph)]
    old_set, new_set = set(old), set(add)
    changes = ChangeSet(add=[q for q in add if q not in old_set],
                        remove=[q for q in old if q not in new_set])
    apply_audited(repository, changes, agent=agent, entities=[subject],
                  label=f"penilaian mandiri indikator {assessment.indicator} {assessment.year}")
    return subject


def _record_triples(repository: Repository, subject: URIRef,
                    graph: URIRef) -> list[tuple[Node, Node, Node]]:
    existing = repository.graph(graph)
    triples: list[tuple[Node, Node, Node]] = list(existing.triples((subject, None, None)))
    for node in existing.objects(subject, EVAL.buktiDukung):
        triples += list(existing.triples((node, None, None)))
    return triples
