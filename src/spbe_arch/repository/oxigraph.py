"""Embedded Oxigraph backend: on disk (`oxigraph:PATH`) or in memory (`memory:`)."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Literal, Node, URIRef

from spbe_arch.errors import InputError, Location, StoreUnavailableError
from spbe_arch.repository.base import (
    QUAD_FORMATS,
    ChangeSet,
    LoadSource,
    Quad,
    QueryResult,
    Repository,
    RepositoryStats,
    SelectResult,
    bind_values,
)
from spbe_arch.repository.terms import graph_to_oxigraph, to_rdflib

RDF_FORMAT = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
RESULTS_MEDIA = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_MEDIA = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
STAGING_PREFIX = "urn:spbe-arch:staging:"
"""Graphs a replacing load writes first; a crash leaves only these, which `open` removes."""

_QUERY_FORM = re.compile(
    r"^(?:\s*(?:#[^\n]*\n|PREFIX\s+\S*:\s*<[^>]*>|BASE\s+<[^>]*>))*\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)",
    re.IGNORECASE,
)


def query_form(sparql: str) -> str:
    match = _QUERY_FORM.match(sparql)
    return match.group(1).upper() if match else "SELECT"


def syntax_error(exc: Exception, name: str) -> InputError:
    """An InputError with line/column from a pyoxigraph SyntaxError message."""
    text = str(exc)
    line = column = None
    # pyoxigraph reports positions as "line 3 column 5" or "at line 3 column 5 …"
    match = re.search(r"line (\d+)(?:,? (?:between )?columns? (\d+))?", text)
    if match:
        line = int(match.group(1))
        column = int(match.group(2)) if match.group(2) else None
    else:
        match = re.search(r"(\d+):(\d+)", text)
        if match:
            line, column = int(match.group(1)), int(match.group(2))
    return InputError(
        f"kesalahan sintaks RDF: {text}",
        f"RDF syntax error: {text}",
        Location(file=name, line=line, column=column),
    )


class OxigraphRepository(Repository):
    """Oxigraph in this process. `path=None` keeps everything in memory."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self.description = f"oxigraph:{path}" if path is not None else "memory:"
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreUnavailableError(
                    f"penyimpanan {path} sedang dipakai proses lain (misalnya server"
                    " `spbe-arch serve`); hentikan proses itu atau kirim perubahan lewat server",
                    f"the store {path} is in use by another process (e.g. a running"
                    " `spbe-arch serve`); stop it or send the change through the server",
                ) from exc
            raise StoreUnavailableError(
                f"penyimpanan {path} tidak dapat dibuka: {exc}",
                f"cannot open the store {path}: {exc}",
            ) from exc
        if not read_only:
            self._drop_staging_graphs()

    @property
    def store(self) -> ox.Store:
        """The underlying pyoxigraph store (benchmarks and backend tests only)."""
        return self._store

    # --- reading ----------------------------------------------------------------------------
    def _run(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None,
        default_graph_uris: Sequence[str] | None,
        named_graph_uris: Sequence[str] | None,
    ) -> object:
        kwargs: dict[str, object] = {}
        if default_graph_uris:
            kwargs["default_graph"] = [ox.NamedNode(u) for u in default_graph_uris]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graph_uris:
            kwargs["named_graphs"] = [ox.NamedNode(u) for u in named_graph_uris]
        if bindings:
            # Oxigraph's own substitutions require the variable in the projection, which
            # parameters (filters) often are not; a VALUES block is engine-neutral.
            sparql = bind_values(sparql, bindings)
        try:
            return self._store.query(sparql, **kwargs)  # type: ignore[arg-type]
        except SyntaxError as exc:
            raise InputError(f"kesalahan sintaks SPARQL: {exc}",
                             f"SPARQL syntax error: {exc}") from exc

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        timeout_s: float | None = None,
    ) -> QueryResult:
        result = self._run(sparql, bindings, default_graph_uris, named_graph_uris)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            deadline = time.monotonic() + timeout_s if timeout_s else None
            rows: list[dict[str, Node]] = []
            for i, solution in enumerate(result):
                rows.append({
                    name: to_rdflib(solution[name])
                    for name in variables if solution[name] is not None
                })
                if deadline is not None and i % 1000 == 0 and time.monotonic() > deadline:
                    raise TimeoutError(f"query exceeded {timeout_s} s")
            return SelectResult(variables, rows)
        graph = Graph()
        for triple in result:  # type: ignore[attr-defined]
            graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate),
                       to_rdflib(triple.object)))
        return graph

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
        form = query_form(sparql)
        result = self._run(sparql, None, default_graph_uris, named_graph_uris)
        if isinstance(result, ox.QueryBoolean | ox.QuerySolutions):
            fmt = RESULTS_MEDIA.get(media_type)
            if fmt is None:
                raise InputError(f"format hasil {media_type} tidak didukung",
                                 f"result format {media_type} is not supported")
            return ("ASK" if isinstance(result, ox.QueryBoolean) else form,
                    result.serialize(format=fmt))
        rdf_fmt = GRAPH_MEDIA.get(media_type)
        if rdf_fmt is None:
            raise InputError(f"format RDF {media_type} tidak didukung",
                             f"RDF format {media_type} is not supported")
        return form, result.serialize(format=rdf_fmt)  # type: ignore[attr-defined]

    def graph_names(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self._store.named_graphs()
                      if isinstance(g, ox.NamedNode) and not g.value.startswith(STAGING_PREFIX))

    def graph(self, name: URIRef | None) -> Graph:
        graph = Graph()
        for quad in self._store.quads_for_pattern(None, None, None, graph_to_oxigraph(name)):
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return graph

    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]:
        pattern = None if graph is None else graph_to_oxigraph(graph)
        for quad in self._store.quads_for_pattern(None, None, None, pattern):
            g = quad.graph_name
            if isinstance(g, ox.NamedNode) and g.value.startswith(STAGING_PREFIX):
                continue
            yield (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object),
                   URIRef(g.value) if isinstance(g, ox.NamedNode) else None)

    def stats(self) -> RepositoryStats:
        per_graph: dict[str, int] = {}
        for row in self._store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        ):
            graph_name = row["g"].value  # type: ignore[union-attr,index]
            if not graph_name.startswith(STAGING_PREFIX):
                per_graph[graph_name] = int(row["n"].value)  # type: ignore[union-attr,index]
        default = self._store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        for row in default:  # type: ignore[union-attr]
            n = int(row["n"].value)  # type: ignore[union-attr,index]
            if n:
                per_graph[""] = n
        per_class: dict[str, int] = {}
        for row in self._store.query(
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
            use_default_graph_as_union=True,
        ):
            per_class[row["c"].value] = int(row["n"].value)  # type: ignore[union-attr,index]
        return RepositoryStats(per_graph, per_class)

    # --- writing ----------------------------------------------------------------------------
    def update(self, sparql: str, *, using_graph_uris: Sequence[str] | None = None,
               using_named_graph_uris: Sequence[str] | None = None) -> None:
        if using_graph_uris or using_named_graph_uris:
            sparql = _add_using(sparql, using_graph_uris or [], using_named_graph_uris or [])
        try:
            self._store.update(sparql)
        except SyntaxError as exc:
            raise InputError(f"kesalahan sintaks SPARQL Update: {exc}",
                             f"SPARQL Update syntax error: {exc}") from exc

    def apply(self, changes: ChangeSet) -> None:
        if changes.is_empty():
            return
        # One SPARQL Update request is one Oxigraph transaction: all of it or nothing.
        self._store.update(changeset_to_update(changes))

    def _parse(self, source: LoadSource) -> list[ox.Quad]:
        fmt = RDF_FORMAT.get(source.format)
        if fmt is None:
            raise InputError(f"format RDF '{source.format}' tidak dikenal",
                             f"unknown RDF format '{source.format}'",
                             Location(file=source.name))
        target = graph_to_oxigraph(source.graph)
        try:
            if isinstance(source.data, Path):
                parsed = ox.parse(path=str(source.data), format=fmt, rename_blank_nodes=True)
            else:
                parsed = ox.parse(input=source.data, format=fmt, rename_blank_nodes=True)
            if source.format in QUAD_FORMATS:
                return list(parsed)
            return [ox.Quad(q.subject, q.predicate, q.object, target) for q in parsed]
        except SyntaxError as exc:
            raise syntax_error(exc, source.name) from exc
        except OSError as exc:
            raise InputError(f"berkas tidak dapat dibaca: {exc}", f"cannot read file: {exc}",
                             Location(file=source.name)) from exc

    def load(self, sources: Sequence[LoadSource], *, replace: bool = False) -> int:
        parsed = [self._parse(source) for source in sources]  # every file parses, or none loads
        quads = [quad for batch in parsed for quad in batch]
        if not replace:
            self._store.extend(quads)
            return len(quads)
        targets = {q.graph_name for q in quads}
        if any(s.graph is not None for s in sources):
            targets |= {graph_to_oxigraph(s.graph) for s in sources}
        if any(s.graph is None and s.format in QUAD_FORMATS for s in sources) and all(
            s.graph is None for s in sources
        ) and all(s.format in QUAD_FORMATS for s in sources):
            # restoring a whole-repository dump: everything is replaced
            targets = set(self._store.named_graphs()) | {ox.DefaultGraph()}
        # Stage into private graphs (one transaction), then swap in with one update
        # (another transaction). A crash in between leaves the old data untouched.
        run = uuid.uuid4().hex
        staging = {t: ox.NamedNode(f"{STAGING_PREFIX}{run}:{i}") for i, t in enumerate(targets)}
        self._store.extend(ox.Quad(q.subject, q.predicate, q.object, staging[q.graph_name])
                           for q in quads)
        operations = []
        for target, stage in staging.items():
            target_text = "DEFAULT" if isinstance(target, ox.DefaultGraph) else f"<{target.value}>"
            operations.append(f"DROP SILENT {'GRAPH ' if target_text != 'DEFAULT' else ''}"
                              f"{target_text}")
            operations.append(f"ADD SILENT <{stage.value}> TO {target_text}")
            operations.append(f"DROP SILENT GRAPH <{stage.value}>")
        self._store.update(" ;\n".join(operations))
        return len(quads)

    def clear(self, graph: URIRef | None = None) -> None:
        if graph is None:
            self._store.clear()
        else:
            self._store.remove_graph(ox.NamedNode(str(graph)))

    def _drop_staging_graphs(self) -> None:
        for graph in list(self._store.named_graphs()):
            if isinstance(graph, ox.NamedNode) and graph.value.startswith(STAGING_PREFIX):
                self._store.remove_graph(graph)

    # --- export -----------------------------------------------------------------------------
    def export(self, graph: URIRef | None, fmt: str) -> bytes:
        rdf_fmt = RDF_FORMAT[fmt]
        if graph is None and fmt in QUAD_FORMATS:
            quads = [q for q in self._store
                     if not (isinstance(q.graph_name, ox.NamedNode)
                             and q.graph_name.value.startswith(STAGING_PREFIX))]
            return ox.serialize(sorted(quads, key=str), format=rdf_fmt) or b""
        if graph is None:
            data = self._store.dump(format=rdf_fmt, from_graph=ox.DefaultGraph())
        else:
            data = self._store.dump(format=rdf_fmt, from_graph=ox.NamedNode(str(graph)))
        return data or b""

    def close(self) -> None:
        if self.path is not None and not self.read_only:
            self._store.flush()


def _term_text(term: Node) -> str:
    if isinstance(term, Literal) and term.datatype is None and term.language is None:
        return Literal(str(term)).n3()
    return term.n3()


def changeset_to_update(changes: ChangeSet) -> str:
    """One SPARQL Update request for a change set (used by every backend)."""

    def block(quads: Iterable[Quad]) -> str:
        by_graph: dict[URIRef | None, list[str]] = {}
        for s, p, o, g in quads:
            by_graph.setdefault(g, []).append(f"{_term_text(s)} {_term_text(p)} {_term_text(o)} .")
        parts = []
        for g, lines in by_graph.items():
            body = "\n".join(lines)
            parts.append(body if g is None else f"GRAPH <{g}> {{\n{body}\n}}")
        return "\n".join(parts)

    operations = [f"CLEAR SILENT GRAPH <{g}>" for g in changes.clear_graphs]
    if changes.remove:
        operations.append(f"DELETE DATA {{\n{block(changes.remove)}\n}}")
    if changes.add:
        operations.append(f"INSERT DATA {{\n{block(changes.add)}\n}}")
    operations.extend(changes.updates)
    return " ;\n".join(operations)


def _add_using(sparql: str, using: Sequence[str], using_named: Sequence[str]) -> str:
    """Apply the protocol's using-graph-uri parameters by inserting USING clauses before WHERE."""
    clauses = "".join(f" USING <{u}>" for u in using) + "".join(
        f" USING NAMED <{u}>" for u in using_named)
    return re.sub(r"\bWHERE\b", clauses + " WHERE", sparql, count=1, flags=re.IGNORECASE)
