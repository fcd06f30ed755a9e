"""Reading the W3C SHACL test suite manifests and comparing result sets the suite's way."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF
from rdflib.term import BNode, Literal, Node, URIRef

from spbe_arch.validation.paths import copy_path
from spbe_arch.validation.report import ValidationResult
from spbe_arch.validation.shapes import parse_rdf_file
from spbe_arch.vocab import SH

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"
SUITE = Path(__file__).resolve().parents[1] / "fixtures" / "w3c-shacl" / "tests"
COMPARED = (SH.focusNode, SH.resultPath, SH.value, SH.sourceShape, SH.sourceConstraintComponent,
            SH.resultSeverity)


@dataclass
class Case:
    name: str
    manifest: Path
    data: Path
    shapes: Path
    expected: Graph | None
    """A report graph with only the compared properties; None when an error is expected."""

    @property
    def id(self) -> str:
        return f"{self.manifest.parent.name}/{self.name}"


def _file(uri: Node) -> Path:
    text = str(uri)
    assert text.startswith("file://"), text
    return Path(text[len("file://"):].split("#")[0])


def cases(manifest: Path = SUITE / "manifest.ttl") -> list[Case]:
    graph = parse_rdf_file(manifest)
    found: list[Case] = []
    for _, _, included in graph.triples((None, URIRef(MF + "include"), None)):
        found += cases(_file(included))
    for entries in graph.objects(None, URIRef(MF + "entries")):
        for entry in Collection(graph, entries):
            if (entry, RDF.type, URIRef(SHT + "Validate")) not in graph:
                continue
            action = graph.value(entry, URIRef(MF + "action"))
            data = graph.value(action, URIRef(SHT + "dataGraph"))
            shapes = graph.value(action, URIRef(SHT + "shapesGraph"))
            result = graph.value(entry, URIRef(MF + "result"))
            expected = None
            if result is not None and result != URIRef(SHT + "Failure"):
                expected = comparison_graph_from_report(graph, result)
            name = str(entry).rsplit("/", 1)[-1]
            found.append(Case(name, manifest, _file(data), _file(shapes), expected))
    return found


def comparison_graph_from_report(graph: Graph, report: Node) -> Graph:
    out = Graph()
    for result in graph.objects(report, SH.result):
        node = BNode()
        for predicate in COMPARED:
            for value in graph.objects(result, predicate):
                if predicate == SH.resultPath:
                    value = copy_path(graph, value, out)
                out.add((node, predicate, value))
    return out


def comparison_graph(results: list[ValidationResult], shapes: Graph) -> Graph:
    out = Graph()
    for result in results:
        node = BNode()
        out.add((node, SH.focusNode, result.focus_node))
        out.add((node, SH.sourceShape, result.source_shape))
        out.add((node, SH.sourceConstraintComponent, result.source_constraint_component))
        out.add((node, SH.resultSeverity, result.severity))
        if result.value is not None:
            out.add((node, SH.value, result.value))
        if result.result_path is not None:
            out.add((node, SH.resultPath, copy_path(shapes, result.result_path, out)))
    return out


def comparison_graph_by_text(results: list[ValidationResult]) -> Graph:
    """Like `comparison_graph`, with each result path as its SPARQL text (so results whose
    blank-node paths live in different graphs compare)."""
    out = Graph()
    for result in results:
        node = BNode()
        out.add((node, SH.focusNode, result.focus_node))
        out.add((node, SH.sourceShape, result.source_shape))
        out.add((node, SH.sourceConstraintComponent, result.source_constraint_component))
        out.add((node, SH.resultSeverity, result.severity))
        if result.value is not None:
            out.add((node, SH.value, result.value))
        if result.path_text is not None:
            out.add((node, SH.resultPath, Literal(result.path_text)))
    return out


def same_results(actual: Graph, expected: Graph) -> bool:
    return len(actual) == len(expected) and isomorphic(actual, expected)


def ntriples(path: Path) -> bytes:
    """The file as N-Triples with relative IRIs resolved against the file (the repository
    loader has no base IRI)."""
    import pyoxigraph as ox

    quads = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
    return ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads],
                        format=ox.RdfFormat.N_TRIPLES) or b""
