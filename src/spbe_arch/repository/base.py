"""The repository API every other part of the product uses.

A `Repository` is a set of named graphs behind one of three interchangeable backends
(embedded Oxigraph on disk, in-memory Oxigraph, a remote SPARQL 1.1 endpoint). Nothing
outside `spbe_arch.repository` may assume which one it is talking to.

Conventions:
- Terms crossing this API are rdflib terms (`URIRef`, `Literal`, `BNode`).
- Queries see the **union of all named graphs** as their default graph unless
  `default_graph_uris` is given. The embedded store does this itself; the remote backend
  checks whether the engine does it (Oxigraph server `--union-default-graph`, Fuseki
  `tdb2:unionDefaultGraph true`) and otherwise names the dataset in each request, so it
  does not depend on the engine's configuration (see `remote.py`).
- The product keeps all data in named graphs. The store's unnamed default graph is
  reachable through `graph(None)` and `export(None, …)` but engines differ about it
  (Virtuoso has none), so nothing should rely on it.
- Every write is all-or-nothing: a `ChangeSet` or a multi-file `load` is applied in one
  transaction, or not at all; a process killed in the middle of a load leaves the store as
  it was before (docs/performance.md says how the embedded bulk path keeps this promise).
- Literals typed xsd:string come back as plain rdflib literals (RDF 1.1: the same thing).
"""

from __future__ import annotations

import abc
import contextlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal as TypingLiteral

from rdflib import Graph
from rdflib.term import BNode, Literal, Node, URIRef

from spbe_arch.errors import InputError

Quad = tuple[Node, Node, Node, URIRef | None]

LoadRecord = Callable[[int], Sequence[Quad]]
"""Given the number of quads a load stores, the quads that describe that load (its audit
record): written in the load's own transaction, after the sources, and never replaced."""
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
    """Target graph for triple formats. Quad formats name their own graphs; what they leave
    outside any graph goes here too (None: the store's default graph, as a restore wants)."""
    name: str = "<data>"
    """What error messages call this input (usually the file name)."""
    reserved: Callable[[str], tuple[str, str] | None] | None = None
    """What a graph is (Indonesian, English) that this input may not write, None for the
    others (`iris.reserved_graph` for a user's file: the audit trail, stored validation
    reports): a quad in one of them refuses the whole load, naming the file and the graph."""


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
        """Every non-empty named graph, sorted (engine-internal graphs are never listed)."""

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
    def load(self, sources: Sequence[LoadSource], *, replace: bool = False,
             record: LoadRecord | None = None) -> int:
        """Parse every source first, then store all of them in one transaction.

        A syntax error in any source raises `InputError` naming the file, line and column,
        and nothing is stored. With `replace`, each target graph is emptied first (in the
        same transaction). `record` adds the load's audit record to that transaction (a
        load is recorded exactly when it happened). Returns the number of quads stored
        from the sources.
        """

    @abc.abstractmethod
    def clear(self, graph: URIRef | None = None) -> None:
        """Empty one graph, or (None) the whole repository."""

    # --- export, dump, restore --------------------------------------------------------------
    @abc.abstractmethod
    def export(self, graph: URIRef | None, fmt: str) -> bytes:
        """Serialize one graph or, with graph None, the whole repository (quad formats:
        `nquads`, `trig`); one graph in a quad format carries its graph name."""

    def memory_copy(self, graphs: Sequence[URIRef]) -> Repository:
        """A new in-memory repository holding these named graphs of this one (scratch space,
        e.g. for validating a change before it is written)."""
        from spbe_arch.repository import open_repository

        copy = open_repository("memory:")
        copy.load([LoadSource(self.export(g, "ntriples"), "ntriples", g, str(g))
                   for g in graphs])
        return copy

    def dump(self, path: Path, fmt: TypingLiteral["nquads", "trig"] = "nquads") -> int:
        data = self.export(None, fmt)
        path.write_bytes(data)
        return data.count(b"\n")

    def restore(self, path: Path, fmt: str | None = None, *,
                record: LoadRecord | None = None) -> int:
        """Replace the whole repository by a dump, atomically where the backend allows;
        `record`, as for `load`, is written after the dump's content (whose own audit trail
        it replaces), in the same transaction."""
        fmt = fmt or format_for_path(path)
        return self.load([LoadSource(path, fmt, None, str(path))], replace=True, record=record)

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the store (files, connections)."""

    def __enter__(self) -> Repository:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if exc_type is None:
            self.close()
            return
        # the error in flight says what went wrong; closing after it often fails the same
        # way (a full disk fails the write, then the flush) and must not replace it
        with contextlib.suppress(Exception):
            self.close()


SPARQL_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n\r]*)
      | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                  |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
      | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
      | (?P<var>[?$]\w+)
      | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
      | (?P<pname>[A-Za-z_][\w.\-]*:(?:[\w.:%\-]|\\[_~.\-!$&'()*+,;=/?\#@%])*
                 |:(?:[\w.:%\-]|\\[_~.\-!$&'()*+,;=/?\#@%])*)
      | (?P<word>[A-Za-z_]\w*)
      | (?P<open>\{) | (?P<close>\}) | (?P<semi>;)""",
    re.VERBOSE,
)
"""The one reading of SPARQL text every check uses (parameter binding and dataset detection
here; the SERVICE refusal, the update analysis and the crash diagnosis above the core).
Read as Oxigraph reads SPARQL, since what these tokens hide is hidden from every check
made on them (a `SERVICE`, a `WHERE`): a comment ends at a carriage return as at a line
feed (read to the next line feed, it hid what followed a bare CR), a prefixed name takes
SPARQL's escapes (`ex:a\\'`, PN_LOCAL_ESC: read otherwise, `\\'` opened a string) and an
IRI its `\\u` escapes."""
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANGUAGE = re.compile(r"^[A-Za-z]+(?:-[A-Za-z0-9]+)*$")
_BNODE_LABEL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
          "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f\x85\u2028\u2029]')
_SURROGATE = re.compile("[\ud800-\udfff]")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _bad_term(term: object, why_id: str, why_en: str) -> InputError:
    shown = str(term)
    shown = shown if len(shown) <= 80 else shown[:77] + "..."
    return InputError(f"term RDF tidak sah ({why_id}): {shown!r}",
                      f"invalid RDF term ({why_en}): {shown!r}")


def iri_text(iri: str) -> str:
    """`<iri>`, refusing anything that could end the IRI early (no SPARQL injection)."""
    if not iri or _IRI_FORBIDDEN.search(iri):
        raise _bad_term(iri, "IRI berisi spasi atau karakter terlarang",
                        "IRI contains a space or a forbidden character")
    return f"<{iri}>"


def _escape(text: str) -> str:
    if not _NEEDS_ESCAPE.search(text):
        return text
    return _NEEDS_ESCAPE.sub(
        lambda m: _ECHAR.get(m.group(0), f"\\u{ord(m.group(0)):04X}"), text)


def term_text(term: Node) -> str:
    """One RDF term as N-Triples / SPARQL text, safe to put into a query or update.

    Plain literals and xsd:string are written the same way (RDF 1.1 makes them one thing;
    engines such as Virtuoso would otherwise store two different literals). Whatever the
    input, the result is exactly one term: quotes, braces and newlines are escaped, IRIs
    and language tags with forbidden characters are refused.
    """
    if isinstance(term, URIRef):
        return iri_text(str(term))
    if isinstance(term, Literal):
        if _SURROGATE.search(str(term)):
            raise _bad_term(term, "teks berisi karakter Unicode yang tidak sah",
                            "text holds an invalid Unicode character (lone surrogate)")
        text = f'"{_escape(str(term))}"'
        if term.language:
            if not _LANGUAGE.match(term.language):
                raise _bad_term(term.language, "tag bahasa", "language tag")
            return f"{text}@{term.language}"
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return f"{text}^^{iri_text(str(term.datatype))}"
        return text
    if isinstance(term, BNode):
        if not _BNODE_LABEL.match(str(term)):
            raise _bad_term(term, "label simpul kosong", "blank node label")
        return f"_:{term}"
    raise _bad_term(term, "jenis term tidak didukung", "unsupported kind of term")


def bind_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """Pre-bind variables by a `VALUES` block at the start of the outermost WHERE group.

    Terms are written by `term_text`, so user input can only ever become one RDF term,
    never query text. The query must use the `WHERE` keyword.
    """
    if not bindings:
        return sparql
    names = list(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise InputError(f"nama parameter tidak sah: {name!r}",
                             f"invalid parameter name: {name!r}")
        if isinstance(bindings[name], BNode):
            raise InputError(f"parameter {name} tidak boleh berupa simpul kosong (blank node)",
                             f"parameter {name} cannot be a blank node")
    row = " ".join(term_text(bindings[name]) for name in names)
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }} "
    seen_where = False
    for match in SPARQL_TOKEN.finditer(sparql):
        if _is_keyword(match, "WHERE"):
            seen_where = True
        elif match.lastgroup == "open" and seen_where:
            return sparql[: match.end()] + block + sparql[match.end():]
    raise InputError("kueri berparameter harus memakai klausa WHERE { … } yang eksplisit",
                     "a parameterised query needs an explicit WHERE { … } clause")


_XML_LOCAL_NAME = re.compile(r"[^\W\d][\w.\-]*$")


def rdfxml_unwritable_predicate(repository: Repository, graph: URIRef) -> str | None:
    """A predicate of `graph` that RDF/XML cannot write, if there is one. RDF/XML writes a
    predicate as an XML element, so its IRI must end in a name (a letter or `_`, then
    letters, digits, `_ - .`); Oxigraph writes `<oxprefix:>` for one that does not, a file
    no XML reader accepts. Every export in RDF/XML (CLI, Graph Store) asks first."""
    result = repository.select("SELECT DISTINCT ?p WHERE { GRAPH ?g { ?s ?p ?o } }",
                               {"g": graph})
    for row in result:
        predicate = str(row["p"])
        if not _XML_LOCAL_NAME.search(predicate):
            return predicate
    return None


def fill_line(template: str, marker: str, text: str) -> str:
    """A query template (a `.rq` file) with its line consisting of `marker` (a comment such
    as `#FILTERS`, so the file stays valid SPARQL) replaced by `text`."""
    lines = template.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == marker:
            lines[i] = text
            return "\n".join(lines)
    raise ValueError(f"marker {marker} missing from query template")


def has_dataset_clause(sparql: str) -> bool:
    """Whether a query names its own dataset (FROM / FROM NAMED) before its WHERE."""
    for match in SPARQL_TOKEN.finditer(sparql):
        if _is_keyword(match, "FROM"):
            return True
        if _is_keyword(match, "WHERE") or match.lastgroup == "open":
            return False
    return False


def _is_keyword(match: re.Match[str], word: str) -> bool:
    return match.lastgroup == "word" and match.group(0).upper() == word


_HEAD_NOISE = re.compile(r"<[^<>\s]*>|#[^\n\r]*")
_PREFIX_DECL = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>", re.IGNORECASE)
_FROM_CLAUSE = re.compile(
    r"(?<![?$:\w])FROM\s+(NAMED\s+)?(<[^<>\s]*>|[A-Za-z][\w.-]*:[\w.-]*|:[\w.-]*)",
    re.IGNORECASE)


def dataset_clauses(sparql: str) -> tuple[list[str], list[str]]:
    """The IRIs of a query's `FROM` and `FROM NAMED` clauses (prefixed names expanded).

    Engines that make the default graph the union of all graphs (Oxigraph with
    use_default_graph_as_union, the Oxigraph server with --union-default-graph) ignore FROM;
    handing these to the protocol dataset keeps the query's own dataset.
    """
    head = sparql
    for match in SPARQL_TOKEN.finditer(sparql):
        if match.lastgroup == "open" or _is_keyword(match, "WHERE"):
            head = sparql[:match.start()]
            break
    # comments out, IRIs kept (an IRI may contain '#')
    head = _HEAD_NOISE.sub(lambda m: m.group(0) if m.group(0).startswith("<") else " ", head)
    prefixes = {m.group(1) or "": m.group(2) for m in _PREFIX_DECL.finditer(head)}
    default: list[str] = []
    named: list[str] = []
    for match in _FROM_CLAUSE.finditer(head):
        term = match.group(2)
        if term.startswith("<"):
            iri = term[1:-1]
        else:
            prefix, _, local = term.partition(":")
            if prefix not in prefixes:
                raise InputError(f"prefiks '{prefix}:' pada FROM tidak dideklarasikan",
                                 f"prefix '{prefix}:' used in FROM is not declared")
            iri = prefixes[prefix] + local
        (named if match.group(1) else default).append(iri)
    return default, named


_QUERY_FORM = re.compile(
    r"^(?:\s*(?:#[^\n\r]*(?:[\n\r]|$)|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>))*\s*"
    r"(SELECT|ASK|CONSTRUCT|DESCRIBE)",
    re.IGNORECASE,
)


def query_form(sparql: str) -> str:
    """"SELECT", "ASK", "CONSTRUCT" or "DESCRIBE" (SELECT when it cannot be told)."""
    match = _QUERY_FORM.match(sparql)
    return match.group(1).upper() if match else "SELECT"


DataRow = tuple[str | None, str, tuple[str, ...]]
"""(graph IRI or None for the default graph, `s p o .` text, blank node labels in it)."""


def _connected_groups(rows: Sequence[DataRow]) -> list[list[DataRow]]:
    """Rows that share blank nodes, kept together (in input order)."""
    parent: dict[str, str] = {}

    def find(label: str) -> str:
        while parent.setdefault(label, label) != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    for _, _, labels in rows:
        for other in labels[1:]:
            parent[find(other)] = find(labels[0])
    groups: dict[object, list[DataRow]] = {}
    for index, row in enumerate(rows):
        key: object = find(row[2][0]) if row[2] else index
        groups.setdefault(key, []).append(row)
    return list(groups.values())


def data_operations(rows: Sequence[DataRow], *, insert: bool,
                    max_per_operation: int | None = None) -> list[str]:
    """`INSERT DATA` / `DELETE DATA` operations for ground quads.

    With `max_per_operation` the rows are split into several operations, never separating
    the rows of one blank node (a label means the same node only within one operation).
    Operations with blank nodes are written `INSERT { … } WHERE {}`: same meaning, and
    Virtuoso refuses blank nodes in INSERT DATA. DELETE DATA cannot hold blank nodes at all
    (SPARQL 1.1); the engine reports that.
    """
    if not rows:
        return []
    if max_per_operation is None:
        chunks = [list(rows)]
    else:
        chunks = []
        current: list[DataRow] = []
        for group in _connected_groups(rows):
            if current and len(current) + len(group) > max_per_operation:
                chunks.append(current)
                current = []
            current.extend(group)
        chunks.append(current)
    operations = []
    for chunk in chunks:
        by_graph: dict[str | None, list[str]] = {}
        for graph, line, _ in chunk:
            by_graph.setdefault(graph, []).append(line)
        body = "\n".join(
            "\n".join(lines) if graph is None else f"GRAPH {graph} {{\n" + "\n".join(lines) + "\n}"
            for graph, lines in by_graph.items())
        if insert and any(labels for _, _, labels in chunk):
            operations.append(f"INSERT {{\n{body}\n}} WHERE {{}}")
        else:
            operations.append(f"{'INSERT' if insert else 'DELETE'} DATA {{\n{body}\n}}")
    return operations


def quad_rows(quads: Iterable[Quad]) -> list[DataRow]:
    rows = []
    for s, p, o, g in quads:
        labels = tuple(str(t) for t in (s, o) if isinstance(t, BNode))
        rows.append((None if g is None else iri_text(str(g)),
                     f"{term_text(s)} {term_text(p)} {term_text(o)} .", labels))
    return rows


def changeset_to_update(changes: ChangeSet, max_per_operation: int | None = None) -> str:
    """One SPARQL Update request for a change set (every backend sends this).

    Order: clear graphs, remove, add, then the update strings — one request, which
    Oxigraph (embedded and server) and Jena run as one transaction. `max_per_operation`
    splits DELETE DATA / INSERT DATA into several operations of at most that many
    triples, for engines that cannot take one huge block (Virtuoso).
    """
    return " ;\n".join(changeset_operations(changes, max_per_operation))


def changeset_operations(changes: ChangeSet, max_per_operation: int | None = None) -> list[str]:
    """The operations of `changeset_to_update`, one string each."""
    operations = [f"CLEAR SILENT GRAPH {iri_text(str(g))}" for g in changes.clear_graphs]
    operations += data_operations(quad_rows(changes.remove), insert=False,
                                  max_per_operation=max_per_operation)
    operations += data_operations(quad_rows(changes.add), insert=True,
                                  max_per_operation=max_per_operation)
    operations.extend(changes.updates)
    return operations


RESULT_LIMIT_MESSAGE = (
    "hasil kueri lebih dari {limit} baris; persempit kueri (misalnya dengan LIMIT)",
    "the query result has more than {limit} rows; narrow the query (e.g. with LIMIT)",
)


def count_serialized(media_type: str, body: bytes) -> int:
    """Solutions (or triples) in a serialized query result, to enforce a result limit."""
    import json

    media = media_type.split(";")[0].strip().lower()
    if media in ("application/sparql-results+json", "application/json"):
        document = json.loads(body)
        return len(document.get("results", {}).get("bindings", [])) if "results" in document else 1
    if media == "application/sparql-results+xml":
        return len(re.findall(rb"<result[\s>]", body))
    if media in ("text/csv", "text/tab-separated-values"):
        import csv
        import io

        delimiter = "," if media == "text/csv" else "\t"
        rows = list(csv.reader(io.StringIO(body.decode("utf-8")), delimiter=delimiter))
        return max(len(rows) - 1, 0)
    import pyoxigraph as ox

    fmt = ox.RdfFormat.from_media_type(media)
    if fmt is None:
        return 0
    return sum(1 for _ in ox.parse(input=body, format=fmt))


def check_result_limit(media_type: str, body: bytes, max_results: int | None) -> None:
    if max_results is not None and count_serialized(media_type, body) > max_results:
        raise InputError(RESULT_LIMIT_MESSAGE[0].format(limit=max_results),
                         RESULT_LIMIT_MESSAGE[1].format(limit=max_results))


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
    "LoadRecord",
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
