"""Reading SHACL shapes into a small model both engines share.

Shapes are parsed with Oxigraph's parser and converted term by term the way the repository
converts its data (`spbe_arch.repository.terms.to_rdflib`), so a plain literal in a shape and
the same plain literal in the data are one term for both engines (ARCHITECTURE hazard: mixing
parsers turns `sh:in` on plain literals into false violations).

Which nodes are shapes, and which of them have targets, follows pySHACL (the reference
engine) exactly: `_build_node_shape_cache` in pyshacl/shapes_graph.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import BNode, Literal, Node, URIRef

from spbe_arch.errors import InputError, Location
from spbe_arch.repository.base import format_for_path
from spbe_arch.repository.oxigraph import RDF_FORMAT, syntax_error
from spbe_arch.repository.terms import to_rdflib
from spbe_arch.vocab import SH

ShapeNode = URIRef | BNode

SHAPE_EXPECTING = (SH.property, SH.node, SH["not"], SH.qualifiedValueShape)
LIST_SHAPE_EXPECTING = (SH["and"], SH["or"], SH.xone)


class ShapeError(InputError):
    """A shapes graph that is not well-formed SHACL."""


@dataclass
class Targets:
    nodes: list[Node] = field(default_factory=list)
    classes: list[Node] = field(default_factory=list)
    subjects_of: list[Node] = field(default_factory=list)
    objects_of: list[Node] = field(default_factory=list)
    advanced: bool = False
    """sh:target (SHACL-AF custom targets) is declared."""

    def is_empty(self) -> bool:
        return not (self.nodes or self.classes or self.subjects_of or self.objects_of)


@dataclass
class Shape:
    node: ShapeNode
    is_property: bool
    path: Node | None
    severity: Node
    deactivated: bool
    targets: Targets
    messages: list[Literal]
    graph: Graph = field(repr=False)

    def values(self, predicate: URIRef) -> list[Node]:
        return sorted(self.graph.objects(self.node, predicate), key=_sort_key)

    def value(self, predicate: URIRef) -> Node | None:
        found = self.values(predicate)
        return found[0] if found else None

    def message(self, lang: str = "id") -> str | None:
        return pick_message(self.messages, lang)

    def label(self) -> str:
        return str(self.node) if isinstance(self.node, URIRef) else f"_:{self.node}"


def _sort_key(node: Node) -> tuple[str, str]:
    return (type(node).__name__, str(node))


def pick_message(messages: Sequence[Literal], lang: str) -> str | None:
    """The message in `lang`, else one without a language, else the Indonesian one, else any."""
    for wanted in (lang, None, "id"):
        for message in messages:
            if isinstance(message, Literal) and message.language == wanted:
                return str(message)
    return str(messages[0]) if messages else None


class ShapesGraph:
    """A parsed shapes graph and the shapes pySHACL would find in it."""

    def __init__(self, graph: Graph, sources: Sequence[str] = ()) -> None:
        self.graph = graph
        self.sources = list(sources)
        self.shapes: dict[ShapeNode, Shape] = {}
        self._discover()

    # --- discovery (mirrors pySHACL) ---------------------------------------------------------
    def _discover(self) -> None:
        g = self.graph
        node_shapes = set(g.subjects(RDF.type, SH.NodeShape))
        prop_shapes = set(g.subjects(RDF.type, SH.PropertyShape))
        for s in node_shapes:
            if (s, SH.path, None) in g:
                raise self._error(s, "NodeShape tidak boleh memiliki sh:path",
                                  "a NodeShape cannot have sh:path")
        for s in prop_shapes:
            if s in node_shapes:
                raise self._error(s, "bentuk tidak boleh sekaligus NodeShape dan PropertyShape",
                                  "a shape cannot be both a NodeShape and a PropertyShape")
        candidates: set[Node] = set(node_shapes) | set(prop_shapes)
        for predicate in (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf,
                          SH.property, SH.node):
            candidates.update(g.subjects(predicate, None))
        for predicate in SHAPE_EXPECTING:
            candidates.update(g.objects(None, predicate))
        for predicate in LIST_SHAPE_EXPECTING:
            for lst in g.objects(None, predicate):
                members = list(Collection(g, lst)) if isinstance(lst, BNode | URIRef) else []
                if not members:
                    raise self._error(lst, f"{predicate} memerlukan daftar RDF yang tidak kosong",
                                      f"{predicate} needs a non-empty RDF list")
                candidates.update(members)
        for s in sorted(candidates, key=_sort_key):
            if not isinstance(s, URIRef | BNode):
                continue
            paths = list(g.objects(s, SH.path))
            if len(paths) > 1:
                raise self._error(s, "bentuk properti memiliki lebih dari satu sh:path",
                                  "a property shape has more than one sh:path")
            if s in prop_shapes and not paths:
                raise self._error(s, "PropertyShape tanpa sh:path",
                                  "a PropertyShape has no sh:path")
            is_property = bool(paths) and s not in node_shapes
            self.shapes[s] = self._make(s, is_property, paths[0] if is_property else None)

    def _make(self, node: ShapeNode, is_property: bool, path: Node | None) -> Shape:
        g = self.graph
        deactivated_values = list(g.objects(node, SH.deactivated))
        if len(deactivated_values) > 1:
            raise self._error(node, "lebih dari satu sh:deactivated",
                              "more than one sh:deactivated")
        deactivated = False
        if deactivated_values:
            value = deactivated_values[0]
            if not isinstance(value, Literal):
                raise self._error(node, "sh:deactivated harus literal",
                                  "sh:deactivated must be a literal")
            deactivated = bool(value.value)
        severities = sorted(g.objects(node, SH.severity), key=_sort_key)
        targets = Targets(
            nodes=sorted(g.objects(node, SH.targetNode), key=_sort_key),
            classes=sorted(g.objects(node, SH.targetClass), key=_sort_key),
            subjects_of=sorted(g.objects(node, SH.targetSubjectsOf), key=_sort_key),
            objects_of=sorted(g.objects(node, SH.targetObjectsOf), key=_sort_key),
            advanced=(node, SH.target, None) in g,
        )
        if self._is_implicit_class(node) and node not in targets.classes:
            targets.classes.append(node)
        messages = [m for m in g.objects(node, SH.message) if isinstance(m, Literal)]
        return Shape(node, is_property, path, severities[0] if severities else SH.Violation,
                     deactivated, targets, sorted(messages, key=_sort_key), g)

    def _is_implicit_class(self, node: Node) -> bool:
        # pySHACL: rdfs:Class or a *direct* subclass of it declared in the shapes graph
        classes = set(self.graph.subjects(RDFS.subClassOf, RDFS.Class)) | {RDFS.Class}
        return any(t in classes for t in self.graph.objects(node, RDF.type))

    def _error(self, node: Node, message_id: str, message_en: str) -> ShapeError:
        where = ", ".join(self.sources) or None
        return ShapeError(f"bentuk SHACL {node} tidak sah: {message_id}",
                          f"SHACL shape {node} is not well-formed: {message_en}",
                          Location(file=where, element=str(node)))

    # --- helpers -----------------------------------------------------------------------------
    def items(self, node: Node) -> list[Node]:
        if not isinstance(node, URIRef | BNode):
            return []
        return list(Collection(self.graph, node))

    def shape(self, node: Node) -> Shape | None:
        return self.shapes.get(node) if isinstance(node, URIRef | BNode) else None

    def top_level(self) -> list[Shape]:
        """Shapes with targets (the only ones that produce results on their own)."""
        return [s for s in self.shapes.values() if not s.targets.is_empty() or s.targets.advanced]


# --- loading ---------------------------------------------------------------------------------

def parse_rdf_file(path: Path, base_iri: str | None = None) -> Graph:
    """Parse one RDF file with Oxigraph into an rdflib Graph (terms as the repository gives
    them)."""
    fmt = format_for_path(path)
    graph = Graph()
    try:
        # Through a store, not straight from the parser: the store writes typed literals in
        # canonical form ("4.0"^^xsd:decimal becomes "4"), and shapes must use the same terms
        # as the data they are compared with.
        store = ox.Store()
        store.extend(ox.parse(path=str(path), format=RDF_FORMAT[fmt], rename_blank_nodes=True,
                              base_iri=base_iri or path.resolve().as_uri()))
        for quad in store:
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    except SyntaxError as exc:
        raise syntax_error(exc, str(path)) from exc
    except OSError as exc:
        raise InputError(f"berkas tidak dapat dibaca: {exc}", f"cannot read file: {exc}",
                         Location(file=str(path))) from exc
    return graph


def shape_paths(entries: Iterable[Path]) -> list[Path]:
    """Files named directly, and the RDF files inside named folders (sorted)."""
    found: list[Path] = []
    for entry in entries:
        if entry.is_dir():
            found += sorted(p for p in entry.iterdir()
                            if p.suffix.lower() in {".ttl", ".nt", ".trig", ".jsonld", ".rdf"})
        elif entry.exists():
            found.append(entry)
        else:
            raise InputError(f"berkas atau folder bentuk '{entry}' tidak ada",
                             f"shapes file or folder '{entry}' does not exist",
                             Location(file=str(entry)))
    return found


def load_shapes(files: Sequence[Path] = (), graphs: Sequence[Graph] = ()) -> ShapesGraph:
    graph = Graph()
    graph.bind("sh", SH)
    for path in files:
        graph += parse_rdf_file(path)
    for extra in graphs:
        graph += extra
    return ShapesGraph(graph, [str(p) for p in files])
