"""Remote backend: any SPARQL 1.1 Query + Update + Graph Store Protocol endpoint.

`sparql:QUERY_URL` with `SPBE_UPDATE_URL` and `SPBE_GRAPH_STORE_URL` (default: `update` and
`store` beside the query URL, the Oxigraph server's layout) and optional HTTP basic/digest
credentials (`SPBE_STORE_USER`, `SPBE_STORE_PASSWORD`, `SPBE_STORE_AUTH`). Only the standard
protocols are spoken, so the Oxigraph server, Apache Jena Fuseki, GraphDB and Virtuoso all
work; docs/performance.md and docs/architecture.md list the settings for each.

How the semantics of the embedded backend are kept:

- **Union default graph.** Queries must see the union of the repository's named graphs.
  The backend checks once whether the engine already does that (Oxigraph server
  `--union-default-graph`, Fuseki `tdb2:unionDefaultGraph true`) by asking for one triple of
  a named graph in the default graph. If it does not, or if the store holds engine-internal
  graphs that a union would leak (Virtuoso's `virtrdf#` etc.), every query names its
  dataset instead: `default-graph-uri` and `named-graph-uri` = every repository graph. That
  works on any engine; it costs one extra request per query and is slower on some engines.
- **Engine-internal graphs** (Virtuoso's system graphs, plus `SPBE_STORE_SYSTEM_GRAPHS`)
  are never listed, exported, dumped, counted or cleared.
- **Loads** are parsed locally first (pyoxigraph: errors carry file, line and column; if any
  source is malformed nothing is sent), then sent as ONE request: a Graph Store Protocol
  PUT (replace) or POST (merge) when everything goes into one graph, otherwise one SPARQL
  Update request (`DROP SILENT GRAPH …; INSERT DATA …`).
- **Change sets** are one SPARQL Update request. Oxigraph and Jena run a request as one
  transaction, so a change set is all-or-nothing there.
- **Virtuoso** (recognised by its `Server` header) is different, measured with 7.2.5:
  it commits each operation of an update request on its own (a request whose *later*
  operation fails at run time keeps its earlier operations; a syntax error anywhere still
  rejects the whole request), one `INSERT DATA` of more than ~1000 triples overflows its
  SPARQL-to-SQL compiler, and a request of several such operations takes seconds to
  minutes. So with Virtuoso: a multi-graph load is one GSP request per graph, and a
  change set larger than `VIRTUOSO_MAX_PER_OPERATION` triples is sent as one request per
  operation. Nothing is lost by that, since Virtuoso gives no atomicity across operations
  anyway — but a failure half-way leaves the earlier graphs/operations written.
- The store's unnamed default graph is not part of the repository here: whole-repository
  operations (quads, dump, restore, clear, stats) work on named graphs only — Virtuoso has
  no unnamed default graph at all. The product keeps everything in named graphs.
- Blank nodes keep their identity within one response only (a protocol limit).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from typing import Literal as TypingLiteral
from urllib.parse import urljoin

import httpx
import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import BNode, Literal, Node, URIRef

from spbe_arch.errors import ConfigurationError, InputError, StoreUnavailableError
from spbe_arch.repository.base import (
    QUAD_FORMATS,
    ChangeSet,
    LoadRecord,
    LoadSource,
    Quad,
    QueryResult,
    Repository,
    RepositoryStats,
    SelectResult,
    bind_values,
    changeset_operations,
    changeset_to_update,
    check_result_limit,
    dataset_clauses,
    format_for_path,
    has_dataset_clause,
    iri_text,
    query_form,
)
from spbe_arch.repository.oxigraph import (
    RDF_FORMAT,
    _add_using,
    check_sources,
    insert_operations,
    oxigraph_quads,
    parse_source,
)
from spbe_arch.repository.terms import XSD_STRING, to_rdflib
from spbe_arch.settings import Settings

VIRTUOSO_SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/",  # virtrdf# (quad maps) and other OpenLink schemas
    "http://www.w3.org/ns/ldp#",
    "http://localhost:8890/sparql",  # the service description (Debian's default DefaultHost)
    "http://localhost:8890/DAV/",
    "http://localuriqaserver/sparql",  # the service description without URIQA DefaultHost
)
"""Graphs a fresh Virtuoso holds for itself; the repository never touches them."""

EMPTY_DATASET = "urn:spbe-arch:empty-dataset"
"""Named as the only graph of a dataset when the repository has no graph at all."""

RESULTS_JSON = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
VIRTUOSO_MAX_PER_OPERATION = 500
WRITE_TIMEOUT_S = 3600.0
_BNODE_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def _beside(query_url: str, name: str) -> str:
    return urljoin(query_url, name)


class RemoteRepository(Repository):
    """A repository on a SPARQL 1.1 Query/Update/Graph Store Protocol endpoint."""

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        *,
        user: str | None = None,
        password: str | None = None,
        auth: str = "basic",
        timeout_s: float = 30.0,
        system_graphs: Sequence[str] = (),
        max_per_operation: int | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not query_url.startswith(("http://", "https://")):
            raise ConfigurationError(
                f"alamat kueri SPARQL '{query_url}' harus diawali http:// atau https://",
                f"the SPARQL query URL '{query_url}' must start with http:// or https://",
            )
        self.query_url = query_url
        self.update_url = update_url or _beside(query_url, "update")
        self.graph_store_url = graph_store_url or _beside(query_url, "store")
        self.description = f"sparql:{query_url}"
        self.timeout_s = timeout_s
        self.max_per_operation = max_per_operation
        """Triples per INSERT/DELETE DATA operation; None: the engine's default (no split,
        except on Virtuoso)."""
        self.engine = ""
        """The `Server` header of the endpoint's last answer (e.g. `Virtuoso/07.20.3229`)."""
        self.system_graphs = tuple(VIRTUOSO_SYSTEM_GRAPHS) + tuple(g for g in system_graphs if g)
        self._union_by_engine: bool | None = None
        http_auth: httpx.Auth | None = None
        if user is not None:
            if auth == "basic":
                http_auth = httpx.BasicAuth(user, password or "")
            elif auth == "digest":
                http_auth = httpx.DigestAuth(user, password or "")
            else:
                raise ConfigurationError(
                    f"SPBE_STORE_AUTH '{auth}' tidak dikenal; gunakan basic atau digest",
                    f"unknown SPBE_STORE_AUTH '{auth}'; use basic or digest",
                )
        self._client = httpx.Client(auth=http_auth, follow_redirects=True, transport=transport,
                                    timeout=httpx.Timeout(timeout_s, connect=10.0),
                                    headers={"User-Agent": "spbe-arch"})

    @classmethod
    def from_settings(cls, query_url: str, settings: Settings) -> RemoteRepository:
        extra = [g.strip() for g in settings.store_system_graphs.split(",") if g.strip()]
        return cls(query_url, settings.update_url, settings.graph_store_url,
                   user=settings.store_user, password=settings.store_password,
                   auth=settings.store_auth, timeout_s=settings.query_timeout_s,
                   system_graphs=extra)

    # --- HTTP -------------------------------------------------------------------------------
    def _send(self, method: str, url: str, *, write: bool = False,
              timeout_s: float | None = None, **kwargs: Any) -> httpx.Response:
        timeout = httpx.Timeout(WRITE_TIMEOUT_S if write else (timeout_s or self.timeout_s),
                                connect=10.0)
        try:
            response = self._client.request(method, url, timeout=timeout, **kwargs)
        except httpx.TimeoutException as exc:
            if not write and not isinstance(exc, httpx.ConnectTimeout):
                raise TimeoutError(f"query exceeded {timeout.read} s") from exc
            raise StoreUnavailableError(
                f"penyimpanan SPARQL di {url} tidak menjawab dalam batas waktu"
                f"{'; perubahan mungkin sudah atau belum diterapkan' if write else ''}",
                f"the SPARQL store at {url} did not answer in time"
                f"{'; the change may or may not have been applied' if write else ''}",
            ) from exc
        except httpx.HTTPError as exc:
            raise StoreUnavailableError(
                f"penyimpanan SPARQL di {url} tidak dapat dihubungi ({exc}); periksa"
                " SPBE_STORE dan apakah servernya berjalan",
                f"cannot reach the SPARQL store at {url} ({exc}); check SPBE_STORE and"
                " whether the server is running",
            ) from exc
        self.engine = response.headers.get("Server", self.engine)
        if response.status_code >= 400:
            raise _http_error(url, response)
        limit = response.headers.get("X-SPARQL-MaxRows")
        if limit:
            raise StoreUnavailableError(
                f"penyimpanan SPARQL memotong hasil pada {limit} baris (batas server, mis."
                " ResultSetMaxRows di virtuoso.ini); naikkan batas itu",
                f"the SPARQL store cut the result at {limit} rows (a server limit such as"
                " ResultSetMaxRows in virtuoso.ini); raise that limit",
            )
        return response

    def _post_query(self, sparql: str, accept: str, dataset: Mapping[str, list[str]],
                    timeout_s: float | None = None) -> httpx.Response:
        data: dict[str, str | list[str]] = {"query": sparql, **dataset}
        return self._send("POST", self.query_url, data=data, headers={"Accept": accept},
                          timeout_s=timeout_s)

    def _post_update(self, sparql: str) -> None:
        self._send("POST", self.update_url, write=True, content=sparql.encode("utf-8"),
                   headers={"Content-Type": "application/sparql-update; charset=UTF-8"})

    def _select_raw(self, sparql: str, dataset: Mapping[str, list[str]] | None = None
                    ) -> tuple[list[str], list[dict[str, Any]]]:
        response = self._post_query(sparql, RESULTS_JSON, dataset or {})
        document = _json(response)
        return document.get("head", {}).get("vars", []), document["results"]["bindings"]

    # --- graphs and the union default graph -------------------------------------------------
    def _is_system(self, graph: str) -> bool:
        return graph.startswith(self.system_graphs)

    def _all_graphs(self) -> list[str]:
        # GROUP BY, not DISTINCT: Virtuoso 7.2 takes seconds for DISTINCT ?g on a small store
        _, rows = self._select_raw("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return [row["g"]["value"] for row in rows if "g" in row]

    def _repository_graphs(self) -> list[str]:
        return sorted(g for g in self._all_graphs() if not self._is_system(g))

    def _engine_gives_union(self) -> bool:
        """Whether the engine's default graph is exactly the union of the repository graphs."""
        if self._union_by_engine is not None:
            return self._union_by_engine
        if any(self._is_system(g) for g in self._all_graphs()):
            self._union_by_engine = False
            return False
        _, rows = self._select_raw(
            "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s) && !isBlank(?o)) }"
            " LIMIT 1")
        if not rows:
            return False  # nothing to tell by yet; ask again once there is data
        row = rows[0]
        triple = " ".join(_json_term_text(row[v]) for v in ("s", "p", "o"))
        answer = _json(self._post_query(f"ASK {{ {triple} }}", RESULTS_JSON, {}))
        self._union_by_engine = bool(answer.get("boolean"))
        return self._union_by_engine

    def _dataset(self, sparql: str, default_graph_uris: Sequence[str] | None,
                 named_graph_uris: Sequence[str] | None) -> dict[str, list[str]]:
        if default_graph_uris or named_graph_uris:
            return {"default-graph-uri": list(default_graph_uris or ()),
                    "named-graph-uri": list(named_graph_uris or ())}
        if has_dataset_clause(sparql):
            # the same dataset again, in the protocol: engines that give the union as default
            # graph (Oxigraph server --union-default-graph) ignore FROM otherwise
            default, named = dataset_clauses(sparql)
            return {"default-graph-uri": default, "named-graph-uri": named}
        if self._engine_gives_union():
            return {}
        graphs = self._repository_graphs() or [EMPTY_DATASET]
        return {"default-graph-uri": graphs, "named-graph-uri": graphs}

    def graph_names(self) -> list[URIRef]:
        return [URIRef(g) for g in self._repository_graphs()]

    # --- reading ----------------------------------------------------------------------------
    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        timeout_s: float | None = None,
    ) -> QueryResult:
        if bindings:
            sparql = bind_values(sparql, bindings)
        form = query_form(sparql)
        accept = GRAPH_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else RESULTS_JSON
        dataset = self._dataset(sparql, default_graph_uris, named_graph_uris)
        response = self._post_query(sparql, accept, dataset, timeout_s)
        media = _media_type(response)
        if media in ("application/sparql-results+json", "application/json"):
            document = _json(response)
            if "boolean" in document:
                return bool(document["boolean"])
            variables = list(document.get("head", {}).get("vars", []))
            rows = [{name: _rdflib_term(value) for name, value in binding.items()}
                    for binding in document["results"]["bindings"]]
            return SelectResult(variables, rows)
        if media == "application/sparql-results+xml":
            parsed = ox.parse_query_results(input=response.content,
                                            format=ox.QueryResultsFormat.XML)
            if isinstance(parsed, ox.QueryBoolean):
                return bool(parsed)
            names = [v.value for v in parsed.variables]
            return SelectResult(names, [
                {n: to_rdflib(s[n]) for n in names if s[n] is not None} for s in parsed])
        graph = Graph()
        for triple in _parse_rdf(response):
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
        dataset = self._dataset(sparql, default_graph_uris, named_graph_uris)
        response = self._post_query(sparql, media_type, dataset, timeout_s)
        answered = _media_type(response)
        if answered != media_type.split(";")[0].strip().lower():
            raise InputError(
                f"penyimpanan SPARQL tidak dapat menjawab dalam format {media_type}"
                f" (menjawab {answered})",
                f"the SPARQL store cannot answer in {media_type} (it answered {answered})",
            )
        check_result_limit(media_type, response.content, max_results)
        return form, response.content

    def _quad_rows(self, graph: URIRef | None) -> Iterator[tuple[ox.Quad, str]]:
        if graph is not None:
            sparql = f"SELECT ?s ?p ?o WHERE {{ GRAPH {iri_text(str(graph))} {{ ?s ?p ?o }} }}"
        else:
            sparql = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        _, rows = self._select_raw(sparql)
        for row in rows:
            name = str(graph) if graph is not None else row["g"]["value"]
            if graph is None and self._is_system(name):
                continue
            yield ox.Quad(_ox_term(row["s"]), _ox_term(row["p"]),  # type: ignore[arg-type]
                          _ox_term(row["o"]), ox.NamedNode(name)), name

    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]:
        for quad, name in self._quad_rows(graph):
            yield (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object),
                   URIRef(name))

    def _default_graph_triples(self) -> list[ox.Triple]:
        response = self._send("GET", self.graph_store_url, params={"default": ""},
                              headers={"Accept": GRAPH_ACCEPT})
        return list(_parse_rdf(response))

    def graph(self, name: URIRef | None) -> Graph:
        graph = Graph()
        if name is None:
            for triple in self._default_graph_triples():
                graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate),
                           to_rdflib(triple.object)))
            return graph
        for s, p, o, _ in self.quads(name):
            graph.add((s, p, o))
        return graph

    def stats(self) -> RepositoryStats:
        _, rows = self._select_raw(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        per_graph = {row["g"]["value"]: int(row["n"]["value"]) for row in rows
                     if not self._is_system(row["g"]["value"])}
        exclude = " && ".join(f"!STRSTARTS(STR(?g), {json.dumps(g)})"
                              for g in self.system_graphs)
        _, rows = self._select_raw(
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c }"
            f" FILTER({exclude or 'true'}) }} GROUP BY ?c")
        per_class = {row["c"]["value"]: int(row["n"]["value"]) for row in rows if "c" in row}
        return RepositoryStats(per_graph, per_class)

    # --- writing ----------------------------------------------------------------------------
    def update(self, sparql: str, *, using_graph_uris: Sequence[str] | None = None,
               using_named_graph_uris: Sequence[str] | None = None) -> None:
        if using_graph_uris or using_named_graph_uris:
            sparql = _add_using(sparql, using_graph_uris or [], using_named_graph_uris or [])
        self._post_update(sparql)

    @property
    def is_virtuoso(self) -> bool:
        if not self.engine:
            self._select_raw("SELECT * WHERE { ?s ?p ?o } LIMIT 0")  # learn the Server header
        return self.engine.lower().startswith("virtuoso")

    def _chunk_size(self) -> int | None:
        if self.max_per_operation is not None:
            return self.max_per_operation
        return VIRTUOSO_MAX_PER_OPERATION if self.is_virtuoso else None

    def apply(self, changes: ChangeSet) -> None:
        if changes.is_empty():
            return
        size = self._chunk_size()
        if (self.is_virtuoso and size is not None
                and len(changes.add) + len(changes.remove) > size):
            # see the module docstring: one operation per request on Virtuoso
            for operation in changeset_operations(changes, size):
                self._post_update(operation)
            return
        self._post_update(changeset_to_update(changes, size))

    def load(self, sources: Sequence[LoadSource], *, replace: bool = False,
             record: LoadRecord | None = None) -> int:
        return self._load(sources, replace=replace, whole=False, record=record)

    def restore(self, path: Path, fmt: str | None = None, *,
                record: LoadRecord | None = None) -> int:
        """Replace every repository graph by those of a dump (one request; on Virtuoso one
        per graph)."""
        fmt = fmt or format_for_path(path)
        return self._load([LoadSource(path, fmt, None, str(path))], replace=True, whole=True,
                          record=record)

    def _load(self, sources: Sequence[LoadSource], *, replace: bool, whole: bool,
              record: LoadRecord | None = None) -> int:
        check_sources(sources)
        # parse everything before sending anything: a malformed 3rd file stops it all here
        quads = [quad for source in sources for quad in parse_source(source)]
        by_graph: dict[str | None, list[ox.Quad]] = {}
        for source in sources:
            if source.format not in QUAD_FORMATS and replace:
                by_graph.setdefault(None if source.graph is None else str(source.graph), [])
        for quad in quads:
            graph = quad.graph_name
            by_graph.setdefault(graph.value if isinstance(graph, ox.NamedNode) else None,
                                []).append(quad)
        if not whole and len(by_graph) == 1 and record is None:
            (graph_name, graph_quads), = by_graph.items()
            self._graph_store_write(graph_name, graph_quads, replace=replace)
            return len(quads)
        if self.is_virtuoso:
            count = self._load_per_graph(by_graph, replace=replace, whole=whole)
            if record is not None:  # one request per graph on Virtuoso: never one transaction
                self.apply(ChangeSet(add=list(record(count))))
            return count
        operations: list[str] = []
        if whole:
            operations += [f"DROP SILENT GRAPH {iri_text(g)}" for g in self._repository_graphs()]
        elif replace:
            operations += [f"DROP SILENT GRAPH {iri_text(g)}" if g is not None else
                           "DROP SILENT DEFAULT" for g in by_graph]
        recorded = list(oxigraph_quads(record(len(quads)))) if record is not None else []
        # after the drops, in the same request: a record is never replaced
        operations += insert_operations([*quads, *recorded], self._chunk_size())
        if operations:
            self._post_update(" ;\n".join(operations))
        return len(quads)

    def _load_per_graph(self, by_graph: dict[str | None, list[ox.Quad]], *, replace: bool,
                        whole: bool) -> int:
        if whole:
            stale = [g for g in self._repository_graphs() if g not in by_graph]
            if stale:
                self._post_update(" ;\n".join(f"DROP SILENT GRAPH {iri_text(g)}" for g in stale))
        for graph, graph_quads in by_graph.items():
            self._graph_store_write(graph, graph_quads, replace=replace or whole)
        return sum(len(q) for q in by_graph.values())

    def _graph_store_write(self, graph: str | None, quads: list[ox.Quad], *,
                           replace: bool) -> None:
        params = {"default": ""} if graph is None else {"graph": graph}
        if not quads:
            if replace:
                self._post_update("DROP SILENT DEFAULT" if graph is None
                                  else f"DROP SILENT GRAPH {iri_text(graph)}")
            return
        # N-Triples is a subset of Turtle, and text/turtle is what every GSP server takes
        body = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES) or b""
        self._send("PUT" if replace else "POST", self.graph_store_url, write=True,
                   params=params, content=body,
                   headers={"Content-Type": "text/turtle; charset=utf-8"})

    def clear(self, graph: URIRef | None = None) -> None:
        graphs = [str(graph)] if graph is not None else self._repository_graphs()
        if graphs:
            self._post_update(" ;\n".join(f"DROP SILENT GRAPH {iri_text(g)}" for g in graphs))

    # --- export -----------------------------------------------------------------------------
    def export(self, graph: URIRef | None, fmt: str) -> bytes:
        if fmt not in RDF_FORMAT:
            raise InputError(f"format RDF '{fmt}' tidak dikenal; gunakan {', '.join(RDF_FORMAT)}",
                             f"unknown RDF format '{fmt}'; use {', '.join(RDF_FORMAT)}")
        rdf_format = RDF_FORMAT[fmt]
        if graph is None and fmt in QUAD_FORMATS:
            return ox.serialize([q for q, _ in self._quad_rows(None)], format=rdf_format) or b""
        if graph is None:
            return ox.serialize(self._default_graph_triples(), format=rdf_format) or b""
        if fmt in QUAD_FORMATS:  # with its name, so that the file loads back into the graph
            return ox.serialize([q for q, _ in self._quad_rows(graph)],
                                format=rdf_format) or b""
        triples = [q.triple for q, _ in self._quad_rows(graph)]
        return ox.serialize(triples, format=rdf_format) or b""

    def dump(self, path: Path, fmt: TypingLiteral["nquads", "trig"] = "nquads") -> int:
        if fmt not in QUAD_FORMATS:
            raise InputError(f"dump memerlukan format quad (nquads/trig), bukan {fmt}",
                             f"a dump needs a quad format (nquads/trig), not {fmt}")
        quads = [q for q, _ in self._quad_rows(None)]
        with path.open("wb") as handle:
            ox.serialize(quads, handle, format=RDF_FORMAT[fmt])
        return len(quads)

    def close(self) -> None:
        self._client.close()


# --- responses ----------------------------------------------------------------------------------

def _media_type(response: httpx.Response) -> str:
    content_type: str = response.headers.get("Content-Type", "")
    return content_type.split(";")[0].strip().lower()


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        document = json.loads(response.content)
    except ValueError as exc:
        raise StoreUnavailableError(
            f"penyimpanan SPARQL di {response.request.url} menjawab sesuatu yang bukan hasil"
            f" SPARQL ({_media_type(response) or 'tanpa jenis'})",
            f"the SPARQL store at {response.request.url} answered something that is not a"
            f" SPARQL result ({_media_type(response) or 'no content type'})",
        ) from exc
    if not isinstance(document, dict):
        raise StoreUnavailableError("jawaban JSON tidak terduga", "unexpected JSON answer")
    return document


def _parse_rdf(response: httpx.Response) -> Iterator[ox.Triple]:
    media = _media_type(response) or "application/n-triples"
    fmt = ox.RdfFormat.from_media_type(media)
    if fmt is None:
        raise StoreUnavailableError(
            f"penyimpanan SPARQL menjawab dengan format RDF yang tidak dikenal ({media})",
            f"the SPARQL store answered in an unknown RDF format ({media})")
    try:
        for quad in ox.parse(input=response.content, format=fmt):
            yield quad.triple
    except SyntaxError as exc:
        raise StoreUnavailableError(f"jawaban RDF dari penyimpanan SPARQL rusak: {exc}",
                                    f"the SPARQL store sent malformed RDF: {exc}") from exc


def _bnode_label(value: str) -> str:
    # Virtuoso names blank nodes `nodeID://b10000`; keep a valid, stable label
    label = value.removeprefix("nodeID://").removeprefix("_:")
    if _BNODE_LABEL.fullmatch(label):
        return label
    return "b" + hashlib.sha1(value.encode("utf-8")).hexdigest()[:20]


def _rdflib_term(value: Mapping[str, str]) -> Node:
    kind = value.get("type")
    text = value.get("value", "")
    if kind == "uri":
        return URIRef(text)
    if kind in ("literal", "typed-literal"):
        language = value.get("xml:lang") or value.get("lang")
        if language:
            return Literal(text, lang=language)
        datatype = value.get("datatype")
        if datatype and datatype != XSD_STRING:
            return Literal(text, datatype=URIRef(datatype))
        return Literal(text)
    if kind == "bnode":
        return BNode(_bnode_label(text))
    raise StoreUnavailableError(f"jenis term '{kind}' dalam hasil SPARQL tidak didukung",
                                f"unsupported term type '{kind}' in a SPARQL result")


def _ox_term(value: Mapping[str, str]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Straight to pyoxigraph (no rdflib in between: it would rewrite lexical forms such
    as "01"^^xsd:integer, and dumps must keep the data as stored)."""
    kind = value.get("type")
    text = value.get("value", "")
    try:
        if kind == "uri":
            return ox.NamedNode(text)
        if kind in ("literal", "typed-literal"):
            language = value.get("xml:lang") or value.get("lang")
            if language:
                return ox.Literal(text, language=language)
            datatype = value.get("datatype")
            if datatype and datatype != XSD_STRING:
                return ox.Literal(text, datatype=ox.NamedNode(datatype))
            return ox.Literal(text)
        if kind == "bnode":
            return ox.BlankNode(_bnode_label(text))
    except ValueError as exc:
        raise StoreUnavailableError(f"term tidak sah dalam hasil SPARQL: {exc}",
                                    f"invalid term in a SPARQL result: {exc}") from exc
    raise StoreUnavailableError(f"jenis term '{kind}' dalam hasil SPARQL tidak didukung",
                                f"unsupported term type '{kind}' in a SPARQL result")


def _json_term_text(value: Mapping[str, str]) -> str:
    from spbe_arch.repository.base import term_text

    return term_text(_rdflib_term(value))


def _http_error(url: str, response: httpx.Response) -> Exception:
    status = response.status_code
    detail = _engine_message(response)
    suffix_id = f": {detail}" if detail else ""
    if status in (401, 403):
        return StoreUnavailableError(
            f"penyimpanan SPARQL di {url} menolak akses (HTTP {status}); periksa"
            " SPBE_STORE_USER, SPBE_STORE_PASSWORD dan SPBE_STORE_AUTH",
            f"the SPARQL store at {url} refused access (HTTP {status}); check"
            " SPBE_STORE_USER, SPBE_STORE_PASSWORD and SPBE_STORE_AUTH",
        )
    if status == 404:
        return StoreUnavailableError(
            f"alamat {url} tidak ditemukan (HTTP 404); periksa SPBE_STORE, SPBE_UPDATE_URL"
            " dan SPBE_GRAPH_STORE_URL",
            f"{url} was not found (HTTP 404); check SPBE_STORE, SPBE_UPDATE_URL and"
            " SPBE_GRAPH_STORE_URL",
        )
    if _GRAPH_EXISTENCE.search(detail):
        # the Oxigraph server and Virtuoso answer 500 for DROP/CLEAR of a graph they lack
        # and CREATE of one they have: the request's fault, as the embedded store says
        # (Virtuoso keeps the operations of the request before the failing one, see
        # docs/storage.md, so "nothing was changed" is said for the Oxigraph server only)
        if detail.startswith("Virtuoso"):
            return InputError(
                f"SPARQL Update gagal: {detail} (Virtuoso menyimpan operasi sebelumnya dalam"
                " permintaan yang sama)",
                f"SPARQL Update failed: {detail} (Virtuoso keeps the operations before it in"
                " the same request)")
        return InputError(f"SPARQL Update gagal, tidak ada yang diubah: {detail}",
                          f"SPARQL Update failed, nothing was changed: {detail}")
    if status == 400:
        return InputError(f"penyimpanan SPARQL menolak permintaan (HTTP 400){suffix_id}",
                          f"the SPARQL store rejected the request (HTTP 400){suffix_id}")
    return StoreUnavailableError(
        f"penyimpanan SPARQL di {url} menjawab galat (HTTP {status}){suffix_id}",
        f"the SPARQL store at {url} answered with an error (HTTP {status}){suffix_id}",
    )


_GRAPH_EXISTENCE = re.compile(
    r"^The graph <[^<>\s]*> (?:does not exist|already exists)$"
    r"|^Virtuoso \w+ Error SPARUL_\w+\(\) failed: graph <[^<>\s]*> has (?:not )?been"
    r" explicitly created before")
"""The engines' message for a graph an update needs absent or present (the Oxigraph server,
Virtuoso), which both answer with HTTP 500."""


def _engine_message(response: httpx.Response) -> str:
    """The first meaningful line of an engine's error page, for the one-sentence message."""
    text = response.text or ""
    if _media_type(response) in ("text/html", "application/xhtml+xml", "application/xml",
                                 "text/xml") or text.lstrip().startswith("<"):
        # markup; a plain-text message keeps its `<IRI>`s, which are what it is about
        text = re.sub(r"<[^>]+>", " ", text)
    for line in text.splitlines():
        line = " ".join(line.split())
        if line and not line.upper().startswith(("<!DOCTYPE", "HTTP/")):
            return line if len(line) <= 300 else line[:297] + "..."
    return ""
