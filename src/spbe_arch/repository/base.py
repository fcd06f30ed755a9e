"""The repository API every other part of the product uses.

A `Repository` is a set of named graphs behind one of three interchangeable backends
(embedded Oxigraph on disk, in-memory Oxigraph, a remote SPARQL 1.1 endpoint). Nothing
outside `spbe_arch.repository` may assume which one it is talking to.

Conventions:
- Terms crossing this API are rdflib terms (`URIRef`, `Literal`, `BNode`).
- Queries see the **union of all named graphs** as their default graph unless
  `default_graph_uris` is given (remote engines must be configured that way; see
  docs/architecture.md).
- Every write is all-or-nothing: a `ChangeSet` or a multi-file `load` is applied in one
  transaction, or not at all.
"""

from __future__ import annotations

import abc
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal as TypingLiteral

from rdflib import Graph
from rdflib.term import BNode, Literal, Node, URIRef

Quad = tuple[Node, Node, Node, URIRef | None]
"""(subject, predicate, object, graph); graph None = the store's default graph."""

RDF_FORMATS: dict[str, str] = {
    # name -> media type; names are what the CLI accepts and what file suffixes map to
    "turtle": "text/turtle",
    "trig": "application/trig",
    "ntriples": "application/n-triples",
    "nquads": "application/n-quads",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
SUFFIX_FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nt": "ntriples",
    ".nq": "nquads",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".rdf": "rdfxml",
    ".owl": "rdfxml",
    ".xml": "rdfxml",
}
QUAD_FORMATS = frozenset({"trig", "nquads"})


def format_for_path(path: Path | str) -> str:
    """The RDF format name for a file name, by suffix (`.ttl` -> `turtle`)."""
    suffix = Path(path).suffix.lower()
    try:
        return SUFFIX_FORMATS[suffix]
    except KeyError:
        from spbe_arch.errors import InputError

        raise InputError(
            f"format berkas '{path}' tidak dikenali dari akhirannya ({suffix or 'tanpa akhiran'});"
            f" gunakan salah satu dari {', '.join(sorted(SUFFIX_FORMATS))}",
            f"cannot tell the RDF format of '{path}' from its suffix"
            f" ({suffix or 'none'}); use one of {', '.join(sorted(SUFFIX_FORMATS))}",
        ) from None


@dataclass
class SelectResult:
    """The solutions of a SELECT query; an unbound variable is absent from its row."""

    variables: list[str]
    rows: list[dict[str, Node]]

    def __iter__(self) -> Iterator[dict[str, Node]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[Node | None]:
        return [row.get(name) for row in self.rows]


QueryResult = SelectResult | bool | Graph


@dataclass
class LoadSource:
    """One input of a `load`: a file path or in-memory data, in a known format."""

    data: bytes | Path
    format: str
    graph: URIRef | None = None
    """Target graph for triple formats; ignored for quad formats (they name their graphs)."""
    name: str = "<data>"
    """What error messages call this input (usually the file name)."""


@dataclass
class ChangeSet:
    """An all-or-nothing batch of changes, built up and then given to `Repository.apply`.

    Removals are applied before additions; `updates` (SPARQL Update strings) run last,
    all in the same transaction.
    """

    add: list[Quad] = field(default_factory=list)
    remove: list[Quad] = field(default_factory=list)
    clear_graphs: list[URIRef] = field(default_factory=list)
    updates: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.add or self.remove or self.clear_graphs or self.updates)


@dataclass
class RepositoryStats:
    triples_per_graph: dict[str, int]
    entities_per_class: dict[str, int]

    @property
    def total_triples(self) -> int:
        return sum(self.triples_per_graph.values())


class Repository(abc.ABC):
    """A store of named graphs with SPARQL, loading, export and atomic change sets."""

    #: a short description for messages: "oxigraph:./spbe-data", "memory:", "sparql:http://…"
    description: str = ""

    # --- reading ----------------------------------------------------------------------------
    @abc.abstractmethod
    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        timeout_s: float | None = None,
    ) -> QueryResult:
        """Run a SELECT/ASK/CONSTRUCT/DESCRIBE query.

        `bindings` pre-bind variables (names without `?`) safely — user input is never
        pasted into the query text.
        """

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> SelectResult:
        result = self.query(sparql, bindings)
        if not isinstance(result, SelectResult):
            raise TypeError("select() needs a SELECT query")
        return result

    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
        result = self.query(sparql, bindings)
        if not isinstance(result, bool):
            raise TypeError("ask() needs an ASK query")
        return result

    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        result = self.query(sparql, bindings)
        if not isinstance(result, Graph):
            raise TypeError("construct() needs a CONSTRUCT or DESCRIBE query")
        return result

    @abc.abstractmethod
    def query_serialized(
        self,
        sparql: str,
        media_type: str,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        timeout_s: float | None = None,
        max_results: int | None = None,
    ) -> tuple[str, bytes]:
        """Run a query and return (query form, serialized result in `media_type`).

        Query form is "SELECT", "ASK", "CONSTRUCT" or "DESCRIBE". Used by the SPARQL
        endpoint so results stream out in the engine's own serializers.
        """

    @abc.abstractmethod
    def graph_names(self) -> list[URIRef]:
        """Every non-empty named graph."""

    @abc.abstractmethod
    def graph(self, name: URIRef | None) -> Graph:
        """A copy of one named graph (None = the default graph) as an rdflib Graph."""

    @abc.abstractmethod
    def quads(self, graph: URIRef | None = None) -> Iterable[Quad]:
        """All quads, or those of one graph."""

    @abc.abstractmethod
    def stats(self) -> RepositoryStats: ...

    # --- writing ----------------------------------------------------------------------------
    @abc.abstractmethod
    def update(self, sparql: str, *, using_graph_uris: Sequence[str] | None = None,
               using_named_graph_uris: Sequence[str] | None = None) -> None:
        """Run a SPARQL 1.1 Update request (atomic)."""

    @abc.abstractmethod
    def apply(self, changes: ChangeSet) -> None:
        """Apply a change set atomically: all of it or nothing."""

    @abc.abstractmethod
    def load(self, sources: Sequence[LoadSource], *, replace: bool = False) -> int:
        """Parse every source first, then store all of them in one transaction.

        A syntax error in any source raises `InputError` naming the file, line and column,
        and nothing is stored. With `replace`, each target graph is emptied first (in the
        same transaction). Returns the number of quads stored.
        """

    @abc.abstractmethod
    def clear(self, graph: URIRef | None = None) -> None:
        """Empty one graph, or (None) the whole repository."""

    # --- export, dump, restore --------------------------------------------------------------
    @abc.abstractmethod
    def export(self, graph: URIRef | None, fmt: str) -> bytes:
        """Serialize one graph (triple formats) or, with graph None, the whole repository
        (quad formats: `nquads`, `trig`)."""

    def dump(self, path: Path, fmt: TypingLiteral["nquads", "trig"] = "nquads") -> int:
        data = self.export(None, fmt)
        path.write_bytes(data)
        return data.count(b"\n")

    def restore(self, path: Path, fmt: str | None = None) -> int:
        """Replace the whole repository by a dump, atomically where the backend allows."""
        fmt = fmt or format_for_path(path)
        return self.load([LoadSource(path, fmt, None, str(path))], replace=True)

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the store (files, connections)."""

    def __enter__(self) -> Repository:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_TOKEN = re.compile(
    r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|\bWHERE\b|\{',
    re.IGNORECASE,
)


def bind_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """Pre-bind variables by a `VALUES` block at the start of the outermost WHERE group.

    Terms are written with rdflib's N-Triples escaping, so user input can only ever become
    one RDF term, never query text. The query must use the `WHERE` keyword.
    """
    if not bindings:
        return sparql
    names = list(bindings)
    row = " ".join(_term_n3(bindings[name]) for name in names)
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }} "
    seen_where = False
    for match in _TOKEN.finditer(sparql):
        token = match.group(0)
        if token.upper() == "WHERE":
            seen_where = True
        elif token == "{" and seen_where:
            return sparql[: match.end()] + block + sparql[match.end():]
    raise ValueError("a parameterised query needs an explicit WHERE { … } clause")


def _term_n3(term: Node) -> str:
    if isinstance(term, Literal) and term.datatype is None and term.language is None:
        return Literal(str(term)).n3()
    return term.n3()


def literal_or_iri(value: str) -> Node:
    """A binding from text: `<…>` or `http(s)://…` is an IRI, anything else a plain literal."""
    if value.startswith("<") and value.endswith(">"):
        return URIRef(value[1:-1])
    if value.startswith(("http://", "https://", "urn:")):
        return URIRef(value)
    return Literal(value)


__all__ = [
    "QUAD_FORMATS",
    "RDF_FORMATS",
    "SUFFIX_FORMATS",
    "BNode",
    "ChangeSet",
    "LoadSource",
    "Quad",
    "QueryResult",
    "Repository",
    "RepositoryStats",
    "SelectResult",
    "bind_values",
    "format_for_path",
    "literal_or_iri",
]
