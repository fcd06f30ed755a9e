"""What the ontology and the shapes say about the catalogue's fields, read at run time.

Labels and definitions (`rdfs:label` / `skos:prefLabel`, `skos:definition` / `rdfs:comment`
in `@id` and `@en`), enumerations (the individuals of an enumeration class), which fields are
required (a property shape with `sh:minCount >= 1` and Violation severity targeting the
class or one of its superclasses) and allowed literal values (`sh:in`). Read from the
project's `ontology/*.ttl` and `shapes/*.ttl` — the same files every repository is loaded
from — parsed once and re-read when a file changes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, Graph
from rdflib.collection import Collection
from rdflib.term import Literal, Node, URIRef

from spbe_arch.vocab import SH


class Metadata:
    """Look-ups over one graph holding the ontology and the shapes."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._labels: dict[tuple[URIRef, str], str] = {}
        self._definitions: dict[tuple[URIRef, str], str] = {}
        for predicate, table in ((SKOS.prefLabel, self._labels), (RDFS.label, self._labels),
                                 (SKOS.definition, self._definitions),
                                 (RDFS.comment, self._definitions)):
            for subject, value in graph.subject_objects(predicate):
                if isinstance(subject, URIRef) and isinstance(value, Literal):
                    lang = value.language or ""
                    table.setdefault((subject, lang), str(value))
        self._superclasses: dict[URIRef, set[URIRef]] = {}
        self._required: set[tuple[URIRef, URIRef]] = set()
        self._in: dict[tuple[URIRef, URIRef], list[Node]] = {}
        self._in_by_predicate: dict[URIRef, list[Node]] = {}
        self._read_shapes()

    # --- labels -----------------------------------------------------------------------------
    def label(self, term: URIRef, lang: str = "id") -> str | None:
        for key in (lang, "id" if lang != "id" else "en", ""):
            value = self._labels.get((term, key))
            if value:
                return value
        return None

    def notation(self, term: URIRef) -> str | None:
        value = self.graph.value(term, SKOS.notation)
        return str(value) if value is not None else None

    def definition(self, term: URIRef, lang: str = "id") -> str:
        for key in (lang, ""):
            value = self._definitions.get((term, key))
            if value:
                return value
        return ""

    # --- classes and enumerations -----------------------------------------------------------
    def superclasses(self, cls: URIRef) -> set[URIRef]:
        """The class and all its (transitive) superclasses."""
        cached = self._superclasses.get(cls)
        if cached is None:
            cached = {c for c in self.graph.transitive_objects(cls, RDFS.subClassOf)
                      if isinstance(c, URIRef)}
            cached.add(cls)
            self._superclasses[cls] = cached
        return cached

    def enum_values(self, enum_class: URIRef) -> list[URIRef]:
        """The individuals of an enumeration class, in the order a shape's sh:in lists them
        (else by Indonesian label)."""
        members = {s for s in self.graph.subjects(RDF.type, enum_class) if isinstance(s, URIRef)}
        one_of = self.graph.value(enum_class, OWL.oneOf)
        if one_of is not None:
            members.update(v for v in Collection(self.graph, one_of) if isinstance(v, URIRef))
        for listed in self._in_by_predicate.values():
            if members and set(listed) == members:
                return [v for v in listed if isinstance(v, URIRef)]
        return sorted(members, key=lambda v: (self.label(v) or str(v)).lower())

    # --- shapes -----------------------------------------------------------------------------
    def _read_shapes(self) -> None:
        g = self.graph
        for node_shape in set(g.subjects(SH.property, None)):
            targets = {t for t in g.objects(node_shape, SH.targetClass) if isinstance(t, URIRef)}
            is_class = (node_shape, RDF.type, RDFS.Class) in g or (
                node_shape, RDF.type, OWL.Class) in g
            if isinstance(node_shape, URIRef) and is_class:
                targets.add(node_shape)
            shape_severity = g.value(node_shape, SH.severity)
            for prop in g.objects(node_shape, SH.property):
                path = g.value(prop, SH.path)
                if not isinstance(path, URIRef):
                    continue
                severity = g.value(prop, SH.severity) or shape_severity or SH.Violation
                min_count = g.value(prop, SH.minCount)
                in_list = g.value(prop, SH["in"])
                values = list(Collection(g, in_list)) if in_list is not None else None
                if values is not None:
                    self._in_by_predicate.setdefault(path, values)
                for target in targets:
                    if (isinstance(min_count, Literal) and _as_int(min_count) >= 1
                            and severity == SH.Violation):
                        self._required.add((target, path))
                    if values is not None:
                        self._in[(target, path)] = values

    def is_required(self, cls: URIRef, predicate: URIRef) -> bool:
        return any((c, predicate) in self._required for c in self.superclasses(cls))

    def literal_choices(self, cls: URIRef, predicate: URIRef) -> list[str]:
        for c in self.superclasses(cls):
            values = self._in.get((c, predicate))
            if values is not None:
                return [str(v) for v in values if isinstance(v, Literal)]
        return []


def _as_int(value: Literal) -> int:
    try:
        return int(value.toPython())
    except (TypeError, ValueError):
        return 0


# --- the cached instance ----------------------------------------------------------------------

_lock = threading.Lock()
_cache: tuple[tuple[tuple[str, float], ...], Metadata] | None = None
_checked_at = 0.0
_override: Metadata | None = None
RECHECK_SECONDS = 2.0
"""How often the files' modification times are looked at (bulk imports call metadata()
for every value)."""


def _source_files() -> list[Path]:
    from spbe_arch import datasets
    from spbe_arch.errors import ConfigurationError

    try:
        return [*datasets.ontology_files(), *datasets.shape_files()]
    except ConfigurationError:
        return []


def metadata() -> Metadata:
    """The metadata of the project's ontology and shapes (re-read when a file changed)."""
    global _cache, _checked_at
    if _override is not None:
        return _override
    now = time.monotonic()
    if _cache is not None and now - _checked_at < RECHECK_SECONDS:
        return _cache[1]
    _checked_at = now
    files = _source_files()
    key = tuple((str(p), p.stat().st_mtime) for p in files)
    with _lock:
        if _cache is None or _cache[0] != key:
            graph = Graph()
            for path in files:
                graph.parse(path, format="turtle")
            _cache = (key, Metadata(graph))
        return _cache[1]


@contextmanager
def use_metadata(graph: Graph) -> Iterator[Metadata]:
    """Use `graph` (ontology + shapes) instead of the project files, e.g. in tests."""
    global _override
    previous = _override
    _override = Metadata(graph)
    try:
        yield _override
    finally:
        _override = previous
