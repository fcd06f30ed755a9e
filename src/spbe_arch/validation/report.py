"""Validation results and reports: Python objects, RDF (`sh:ValidationReport`) and JSON.

`conforms` follows the product's exit-code contract: a report conforms when it has no result
of severity `sh:Violation` (warnings and infos are reported but do not fail a run — pySHACL's
`allow_warnings`). The RDF form states the same in `sh:conforms`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rdflib import Graph
from rdflib.namespace import RDF, XSD
from rdflib.term import BNode, Literal, Node, URIRef

from spbe_arch import iris
from spbe_arch.validation.paths import copy_path, path_key
from spbe_arch.validation.shapes import pick_message
from spbe_arch.vocab import DCT, PROV, SH, SPBE

SEVERITIES: tuple[URIRef, ...] = (SH.Violation, SH.Warning, SH.Info)
SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
SEVERITY_RANK = {SH.Violation: 3, SH.Warning: 2, SH.Info: 1}

REPORT_NS = "https://w3id.org/spbe-arch/validasi#"
"""Terms the report uses beyond SHACL (engine per shape, filters), `spbev:`."""


def severity_rank(severity: Node | None) -> int:
    return SEVERITY_RANK.get(severity, 0) if isinstance(severity, URIRef) else 0


def severity_from_name(name: str) -> URIRef:
    for iri, label in SEVERITY_NAMES.items():
        if label.lower() == name.lower():
            return iri
    raise ValueError(name)


_GENERIC = {
    SH.ClassConstraintComponent: ("Nilai bukan anggota kelas yang diharuskan",
                                  "Value is not an instance of the required class"),
    SH.DatatypeConstraintComponent: ("Nilai tidak bertipe data yang diharuskan",
                                     "Value does not have the required datatype"),
    SH.NodeKindConstraintComponent: ("Jenis simpul nilai tidak sesuai",
                                     "Value is not of the required node kind"),
    SH.MinCountConstraintComponent: ("Nilai wajib diisi (terlalu sedikit nilai)",
                                     "Too few values (a value is required)"),
    SH.MaxCountConstraintComponent: ("Terlalu banyak nilai", "Too many values"),
    SH.InConstraintComponent: ("Nilai tidak termasuk pilihan yang diizinkan",
                               "Value is not one of the allowed values"),
    SH.HasValueConstraintComponent: ("Nilai yang diharuskan tidak ada",
                                     "The required value is missing"),
    SH.PatternConstraintComponent: ("Nilai tidak sesuai pola", "Value does not match the pattern"),
    SH.MinLengthConstraintComponent: ("Nilai terlalu pendek", "Value is too short"),
    SH.MaxLengthConstraintComponent: ("Nilai terlalu panjang", "Value is too long"),
    SH.SPARQLConstraintComponent: ("Aturan SPARQL dilanggar", "SPARQL rule violated"),
}


@dataclass
class ValidationResult:
    focus_node: Node
    result_path: Node | None
    value: Node | None
    source_shape: Node
    source_constraint_component: URIRef
    severity: URIRef
    messages: list[Literal] = field(default_factory=list)
    source_constraint: Node | None = None
    path_text: str | None = None
    """The result path as SPARQL path text (comparable across graphs for blank-node paths)."""
    opd: str | None = None
    """Kode of the OPD the focus node belongs to, where known."""
    bindings: dict[str, Node] = field(default_factory=dict)
    """Other variables of a SPARQL constraint's row (used in message templates)."""

    def key(self) -> tuple[str | None, str | None, str | None, str | None, str, str]:
        """The identity of a result: what the differential tests compare between engines."""
        return (_term_key(self.focus_node), self.path_text, _term_key(self.value),
                _term_key(self.source_shape), str(self.source_constraint_component),
                str(self.severity))

    def message(self, lang: str = "id") -> str:
        text = pick_message(self.messages, lang)
        if text is None:
            generic = _GENERIC.get(self.source_constraint_component)
            name = str(self.source_constraint_component).rsplit("#", 1)[-1]
            text = (generic[1] if lang == "en" else generic[0]) if generic else name
        return _fill_template(text, self)

    @property
    def severity_name(self) -> str:
        return SEVERITY_NAMES.get(self.severity, str(self.severity))

    def shape_name(self) -> str:
        shape = self.source_shape
        if isinstance(shape, URIRef):
            text = str(shape)
            return re.split(r"[#/]", text)[-1] or text
        return f"_:{shape}"

    def to_json(self, lang: str = "id") -> dict[str, Any]:
        return {
            "focusNode": _json_term(self.focus_node),
            "resultPath": self.path_text if isinstance(self.result_path, BNode)
            else _json_term(self.result_path),
            "value": _json_term(self.value),
            "sourceShape": _json_term(self.source_shape),
            "sourceConstraintComponent": str(self.source_constraint_component),
            "severity": str(self.severity),
            "message": self.message(lang),
        }


def _term_key(term: Node | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, BNode):
        return "_:"  # blank nodes have no identity across graphs; compared by structure elsewhere
    if isinstance(term, Literal):
        return term.n3()
    return str(term)


def _json_term(term: Node | None) -> Any:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        return str(term)
    return str(term)


def _fill_template(text: str, result: ValidationResult) -> str:
    values: dict[str, Node | None] = {"this": result.focus_node, "value": result.value,
                                      "path": result.result_path, **result.bindings}

    def repl(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values or values[name] is None:
            return match.group(0)
        return iris.shown(values[name])  # a code or a class name, not an IRI

    return re.sub(r"\{[?$]([A-Za-z0-9_]+)\}", repl, text)


@dataclass
class ValidationReport:
    results: list[ValidationResult]
    engines: dict[str, str] = field(default_factory=dict)
    """Top-level shape -> "fast" or "pyshacl"."""
    unsupported: dict[str, str] = field(default_factory=dict)
    """Top-level shape -> why the fast path could not run it."""
    generated: datetime = field(default_factory=lambda: datetime.now(UTC))
    instansi: str | None = None
    opd: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    iri: URIRef | None = None
    lang: str = "id"
    shapes: Any = field(default=None, repr=False)
    """The ShapesGraph the report was made with (to copy blank-node result paths)."""

    @property
    def stamp(self) -> str:
        return self.generated.isoformat()

    @property
    def created(self) -> datetime:
        return self.generated

    @property
    def conforms(self) -> bool:
        return not any(r.severity == SH.Violation for r in self.results)

    def counts(self) -> dict[str, int]:
        counter = Counter(r.severity_name for r in self.results)
        return {name: counter.get(name, 0) for name in ("Violation", "Warning", "Info")}

    @property
    def violations(self) -> int:
        return self.counts()["Violation"]

    @property
    def warnings(self) -> int:
        return self.counts()["Warning"]

    @property
    def infos(self) -> int:
        return self.counts()["Info"]

    def filtered(self, min_severity: URIRef) -> ValidationReport:
        rank = severity_rank(min_severity)
        kept = [r for r in self.results if severity_rank(r.severity) >= rank]
        return ValidationReport(kept, self.engines, self.unsupported, self.generated,
                                self.instansi, self.opd, self.timings, self.iri, self.lang,
                                self.shapes)

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        lang = lang or self.lang
        return {"conforms": self.conforms, "results": [r.to_json(lang) for r in self.results]}

    def to_json_text(self, lang: str | None = None) -> str:
        return json.dumps(self.to_json(lang), ensure_ascii=False, indent=2)

    def to_graph(self, node: URIRef | BNode | None = None, shapes: Graph | None = None) -> Graph:
        """The report as `sh:ValidationReport` RDF (blank-node result paths copied along)."""
        graph = Graph()
        if shapes is None and self.shapes is not None:
            shapes = self.shapes.graph
        graph.bind("sh", SH)
        graph.bind("spbe", SPBE._NS)
        graph.bind("spbev", REPORT_NS)
        report = node or self.iri or BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(self.conforms)))
        graph.add((report, DCT.created, Literal(self.generated.isoformat(), datatype=XSD.dateTime)))
        graph.add((report, PROV.generatedAtTime,
                   Literal(self.generated.isoformat(), datatype=XSD.dateTime)))
        ns = REPORT_NS
        for name, count in self.counts().items():
            graph.add((report, URIRef(ns + f"jumlah{name}"), Literal(count)))
        if self.instansi:
            graph.add((report, URIRef(ns + "instansi"), Literal(self.instansi)))
        if self.opd:
            graph.add((report, URIRef(ns + "opd"), Literal(self.opd)))
        for shape, engine in sorted(self.engines.items()):
            usage = BNode()
            graph.add((report, URIRef(ns + "mesin"), usage))
            graph.add((usage, SH.sourceShape, URIRef(shape) if not shape.startswith("_:")
                       else Literal(shape)))
            graph.add((usage, URIRef(ns + "namaMesin"), Literal(engine)))
        for result in self.results:
            r = BNode()
            graph.add((report, SH.result, r))
            graph.add((r, RDF.type, SH.ValidationResult))
            graph.add((r, SH.focusNode, result.focus_node))
            graph.add((r, SH.resultSeverity, result.severity))
            graph.add((r, SH.sourceConstraintComponent, result.source_constraint_component))
            graph.add((r, SH.sourceShape, result.source_shape))
            if result.value is not None:
                graph.add((r, SH.value, result.value))
            if result.result_path is not None:
                path = result.result_path
                if isinstance(path, BNode) and shapes is not None:
                    path = copy_path(shapes, path, graph)
                graph.add((r, SH.resultPath, path))
                if result.path_text:
                    graph.add((r, URIRef(ns + "teksPath"), Literal(result.path_text)))
            if result.source_constraint is not None and not isinstance(result.source_constraint,
                                                                         BNode):
                graph.add((r, SH.sourceConstraint, result.source_constraint))
            for lang in ("id", "en"):
                graph.add((r, SH.resultMessage, Literal(result.message(lang), lang=lang)))
            if result.opd:
                graph.add((r, URIRef(ns + "opd"), Literal(result.opd)))
        return graph

    @classmethod
    def from_graph(cls, graph: Graph, node: Node | None = None) -> ValidationReport:
        """Read a report written by `to_graph` (e.g. a stored one) back."""
        ns = REPORT_NS
        if node is None:
            node = next(iter(graph.subjects(RDF.type, SH.ValidationReport)), None)
            if node is None:
                raise ValueError("no sh:ValidationReport in graph")
        results = []
        for r in graph.objects(node, SH.result):
            path = graph.value(r, SH.resultPath)
            path_text_literal = graph.value(r, URIRef(ns + "teksPath"))
            path_text = str(path_text_literal) if path_text_literal is not None \
                else path_key(graph, path)
            opd = graph.value(r, URIRef(ns + "opd"))
            results.append(ValidationResult(
                focus_node=graph.value(r, SH.focusNode),  # type: ignore[arg-type]
                result_path=path,
                value=graph.value(r, SH.value),
                source_shape=graph.value(r, SH.sourceShape),  # type: ignore[arg-type]
                source_constraint_component=graph.value(r, SH.sourceConstraintComponent),  # type: ignore[arg-type]
                severity=graph.value(r, SH.resultSeverity),  # type: ignore[arg-type]
                messages=sorted((m for m in graph.objects(r, SH.resultMessage)
                                 if isinstance(m, Literal)), key=str),
                source_constraint=graph.value(r, SH.sourceConstraint),
                path_text=path_text,
                opd=str(opd) if opd is not None else None,
            ))
        engines = {}
        for usage in graph.objects(node, URIRef(ns + "mesin")):
            shape = graph.value(usage, SH.sourceShape)
            engine = graph.value(usage, URIRef(ns + "namaMesin"))
            if shape is not None and engine is not None:
                engines[str(shape)] = str(engine)
        created = graph.value(node, DCT.created)
        instansi = graph.value(node, URIRef(ns + "instansi"))
        opd = graph.value(node, URIRef(ns + "opd"))
        report = cls(sort_results(results), engines,
                     generated=datetime.fromisoformat(str(created)) if created is not None
                     else datetime.now(UTC),
                     instansi=str(instansi) if instansi is not None else None,
                     opd=str(opd) if opd is not None else None,
                     iri=node if isinstance(node, URIRef) else None)
        return report


def sort_results(results: list[ValidationResult]) -> list[ValidationResult]:
    return sorted(results, key=lambda r: (-severity_rank(r.severity), r.opd or "",
                                          str(r.source_shape), str(r.focus_node),
                                          r.path_text or "", str(r.value)))
