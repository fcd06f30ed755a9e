"""`/sparql`: the SPARQL 1.1 Protocol endpoint (query, update, service description).

Queries run in the query engine's worker processes under `settings.query_timeout_s` and
`settings.result_limit`; updates need the admin role, their effect is computed in a worker
under `settings.update_timeout_s`, and they are recorded in the audit trail (the triples
added and removed, and the text) in the same transaction. The union of all named graphs
is the default graph of a query unless the request names a dataset
(`default-graph-uri`/`named-graph-uri`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse, Response
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef

from spbe_arch.access import PermissionDeniedError, Principal, require_admin, require_read
from spbe_arch.api.bodies import read_body
from spbe_arch.api.deps import get_principal, request_lang
from spbe_arch.api.negotiation import choose_graph_format, negotiate
from spbe_arch.api.query_engine import (
    QueryEngine,
    QueryJob,
    refuses_service,
    service_not_allowed,
)
from spbe_arch.api.sparql_protocol import (
    FORM,
    SPARQL_QUERY,
    SPARQL_UPDATE,
    ProtocolError,
    ProtocolRequest,
    UpdateSyntaxTask,
    apply_using,
    check_update_syntax,
    has_dataset_clause,
    normalize_update,
    read_request,
    uses_load,
    with_base,
)
from spbe_arch.errors import InputError, SpbeError, StoreUnavailableError
from spbe_arch.repository import Repository
from spbe_arch.settings import Settings
from spbe_arch.sparql_update import (
    UpdateEffectTask,
    commit_update,
    has_operations,
    mentions_triple_terms,
    reserved_graph_refusal,
)

router = APIRouter(tags=["SPARQL 1.1 Protocol"])

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
RDFLIB_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt",
                  "application/rdf+xml": "xml", "application/ld+json": "json-ld"}

_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": False,
        "content": {
            FORM: {"schema": {"type": "object", "properties": {
                "query": {"type": "string"}, "update": {"type": "string"},
                "default-graph-uri": {"type": "string"}, "named-graph-uri": {"type": "string"},
                "using-graph-uri": {"type": "string"},
                "using-named-graph-uri": {"type": "string"}}}},
            SPARQL_QUERY: {"schema": {"type": "string"}},
            SPARQL_UPDATE: {"schema": {"type": "string"}},
        },
    },
}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "Hasil kueri (SPARQL Results JSON/XML/CSV/TSV atau RDF)",
          "content": {"application/sparql-results+json": {}, "application/sparql-results+xml": {},
                      "text/csv": {}, "text/tab-separated-values": {}, "text/turtle": {},
                      "application/n-triples": {}, "application/rdf+xml": {},
                      "application/ld+json": {}}},
    400: {"description": "Permintaan salah (sintaks, parameter ganda, hasil terlalu besar)"},
    401: {"description": "Perlu token API"},
    403: {"description": "Peran token tidak cukup (update perlu admin)"},
    406: {"description": "Tidak ada format hasil yang cocok dengan Accept"},
    415: {"description": "Content-Type tidak didukung"},
    503: {"description": "Kueri melewati batas waktu"},
}

def endpoint_iri(request: Request) -> str:
    return str(request.url).split("?", 1)[0]


def service_description(request: Request, repository: Repository,
                        settings: Settings) -> Graph:
    """The SPARQL 1.1 Service Description of this endpoint, with its named graphs."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    service = BNode()
    endpoint = URIRef(endpoint_iri(request))
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, endpoint))
    for language in (SD.SPARQL11Query, SD.SPARQL11Update):
        graph.add((service, SD.supportedLanguage, language))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    if settings.sparql_service:
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                 "SPARQL_Results_TSV", "Turtle", "N-Triples", "RDF_XML", "JSON-LD"):
        graph.add((service, SD.resultFormat, FORMATS[name]))
    dataset = BNode()
    default = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    for name in repository.graph_names():
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, name))
    graph.add((service, URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
               Literal("spbe-arch SPARQL endpoint")))
    return graph


async def _handle(request: Request, principal: Principal) -> Response:
    app_state = request.app.state
    settings: Settings = app_state.settings
    repository: Repository = app_state.repository
    body = await read_body(request, settings) if request.method == "POST" else b""
    protocol = read_request(request.method, request.url.query,
                            request.headers.get("content-type"), body)
    if protocol.operation == "description":
        require_read(principal)
        offer = choose_graph_format(request.headers.get("accept"), protocol.format_values)
        if offer is None:
            offer = choose_graph_format(None)
            assert offer is not None
        graph = await run_in_threadpool(service_description, request, repository,
                                         settings)
        data = graph.serialize(format=RDFLIB_FORMATS[offer.serializer], encoding="utf-8")
        return Response(data, media_type=offer.media_type)
    if protocol.operation == "query":
        require_read(principal)
        return await _query(request, protocol, settings, app_state.query_engine)
    require_admin(principal, "SPARQL Update", "SPARQL Update")
    await run_in_threadpool(_update, request, protocol, repository, principal,
                            app_state.write_lock, app_state.query_engine, settings)
    # the same choice as for the error messages: ?lang= or Accept-Language
    lang_en = request_lang(request) == "en"
    return PlainTextResponse("Update applied.\n" if lang_en else "Update berhasil diterapkan.\n")


async def _query(request: Request, protocol: ProtocolRequest, settings: Settings,
                 engine: QueryEngine) -> Response:
    formats = negotiate(request.headers.get("accept"), protocol.format_values)
    job = QueryJob(
        sparql=protocol.text,
        base_iri=endpoint_iri(request),
        default_graphs=tuple(protocol.default_graphs) if protocol.has_dataset else None,
        named_graphs=tuple(protocol.named_graphs) if protocol.has_dataset else None,
        formats=formats,
        result_limit=settings.result_limit,
        allow_service=settings.sparql_service,
    )
    outcome = await engine.execute_async(job, settings.query_timeout_s)
    return Response(outcome.body, media_type=outcome.media_type,
                    headers={"Vary": "Accept"})


def _update(request: Request, protocol: ProtocolRequest, repository: Repository,
            principal: Principal, write_lock: Any, engine: QueryEngine,
            settings: Settings) -> None:
    text = normalize_update(protocol.text)
    base = endpoint_iri(request)
    if (protocol.using_graphs or protocol.using_named_graphs) and has_dataset_clause(text):
        raise ProtocolError(
            "using-graph-uri/using-named-graph-uri tidak boleh dipakai bersama USING atau"
            " WITH di dalam update",
            "using-graph-uri/using-named-graph-uri cannot be combined with USING or WITH in"
            " the update",
        )
    if refuses_service(text, settings.sparql_service):
        raise service_not_allowed()  # before the syntax check, which evaluates the update
    # in a worker, under the time limit, when it could crash the parser or run away
    # (SyntaxCheck); a remote store's engine has a worker of its own for that
    kind, message = engine.run_task(SyntaxCheck(UpdateSyntaxTask(text, base)),
                                    settings.update_timeout_s)
    if kind == "unsupported":
        check_update_syntax(text, base)
    elif kind == "syntax":
        raise ProtocolError(f"kesalahan sintaks SPARQL Update: {message}",
                            f"SPARQL Update syntax error: {message}")
    if not has_operations(text):
        # nothing to do, and nothing to record: run with its record appended, the empty
        # request became "; INSERT DATA …", a syntax error on a line the user never wrote
        return
    text = with_base(apply_using(text, protocol.using_graphs, protocol.using_named_graphs),
                     base)
    with write_lock:
        # what the update will change, worked out in a worker process under the time limit
        # (a runaway WHERE is killed there, before anything is written); the same lock
        # keeps the store as the worker saw it until the commit
        effect = engine.run_task(
            UpdateEffectTask(text, settings.update_audit_max_quads), settings.update_timeout_s)
        if effect[0] == "syntax":
            raise ProtocolError(f"kesalahan sintaks SPARQL Update: {effect[1]}",
                                f"SPARQL Update syntax error: {effect[1]}")
        if effect[0] == "triple_term" or (effect[0] != "ok" and mentions_triple_terms(text)):
            # not worked out (a remote store): the text decides, or the remote store would
            # hold terms every later read of that graph fails on
            term = f" {effect[1]}" if effect[0] == "triple_term" else ""
            raise ProtocolError(
                f"SPARQL Update ini menulis triple term RDF 1.2{term}, yang tidak disimpan"
                " repositori ini; tidak ada yang diubah. Nyatakan hal tentang sebuah tripel"
                " dengan reifikasi biasa (rdf:Statement)",
                f"this SPARQL Update writes the RDF 1.2 triple term{term}, which this"
                " repository does not hold; nothing was changed. State things about a"
                " triple with plain reification (rdf:Statement)")
        if (effect[0] == "unsupported" and engine.hard_time_limit
                and "where" in text.lower()):
            # its WHERE was not evaluated under the time limit, and the commit below would
            # evaluate it in the server's process with none
            raise ProtocolError(
                "SPARQL Update ini tidak dapat diuraikan untuk dihitung perubahannya dalam"
                f" batas waktu ({effect[1]}); tidak ada yang diubah. Tulis ulang pola WHERE"
                " atau pecah update menjadi beberapa permintaan",
                "this SPARQL Update cannot be taken apart to work out its changes within"
                f" the time limit ({effect[1]}); nothing was changed. Rewrite its WHERE"
                " patterns or split it into several requests")
        refusal = reserved_graph_refusal(text, effect)
        if refusal is not None:
            raise PermissionDeniedError(*refusal)
        try:
            commit_update(repository, text, effect, agent=principal.name)
        except SyntaxError as exc:
            raise ProtocolError(f"kesalahan sintaks SPARQL Update: {exc}",
                                f"SPARQL Update syntax error: {exc}") from exc
        except (OSError, StoreUnavailableError) as exc:
            if not uses_load(text):
                raise
            # LOAD of a document that cannot be fetched or read: the request's fault. The
            # store wraps Oxigraph's OSError as "cannot write to the store", which is not
            # what happened: the reason is the OSError's own text
            cause = exc.__cause__ if isinstance(exc.__cause__, OSError) else exc
            reason_id = reason_en = str(cause)
            if isinstance(cause, SpbeError):
                reason_id, reason_en = cause.message("id"), cause.message("en")
            raise InputError(f"LOAD gagal, tidak ada yang diubah: {reason_id}",
                             f"LOAD failed, nothing was changed: {reason_en}") from exc


@dataclass(frozen=True)
class SyntaxCheck:
    """The syntax check of an update (`UpdateSyntaxTask`), run in a query worker whenever
    it could run away, not only when it could overflow the parser.

    The check runs the update on an empty store, and that evaluates its `WHERE`: ten
    `VALUES` blocks of ten values each (400 bytes) are 10^10 solutions, which kept a
    server thread busy for good. Without the word `WHERE` an update has no pattern to
    evaluate (data blocks, graph management; `LOAD` is not run by the check), so those
    stay in the server's process, with no worker to fork after each write. The test is
    on the bare text, strings and comments included: a tokenizer can be misled (the
    escape in `ex:a\\'` once opened a string for it), a substring cannot, and SPARQL has
    no escapes for keywords."""

    check: UpdateSyntaxTask
    uses_store: ClassVar[bool] = False

    @property
    def update(self) -> str:
        """The text, for the engine's report of a worker that crashed on it."""
        return self.check.update

    @property
    def needs_time_limit(self) -> bool:
        return self.check.needs_time_limit or "where" in self.update.lower()

    def run(self, store: object) -> tuple[str, str | None]:
        return self.check.run(store)


def _parameter(name: str, description: str, *, repeated: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = ({"type": "array", "items": {"type": "string"}} if repeated
                              else {"type": "string"})
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


_DATASET_PARAMS = [
    _parameter("default-graph-uri", "Graf bawaan dataset kueri (boleh berulang)", repeated=True),
    _parameter("named-graph-uri", "Graf bernama dataset kueri (boleh berulang)", repeated=True),
]
_GET_DOC: dict[str, Any] = {"parameters": [
    _parameter("query", "Teks kueri SPARQL 1.1"),
    *_DATASET_PARAMS,
    _parameter("format", "Format hasil (json, xml, csv, tsv, turtle, …); pengganti Accept"),
]}
_POST_DOC: dict[str, Any] = {**_BODY_DOC, "parameters": [
    *_DATASET_PARAMS,
    _parameter("using-graph-uri", "Graf bawaan untuk WHERE update (boleh berulang)",
               repeated=True),
    _parameter("using-named-graph-uri", "Graf bernama untuk WHERE update (boleh berulang)",
               repeated=True),
]}


# The parameters are declared in the OpenAPI document only: the protocol reads the raw
# query string itself (it needs every repetition: two `query` = error), and letting FastAPI
# parse them as well cost ~0.2 ms per request, a third of a selective query.
@router.get("/sparql", responses=_RESPONSES, openapi_extra=_GET_DOC,
            summary="Kueri SPARQL (GET) atau deskripsi layanan tanpa parameter query")
async def sparql_get(request: Request) -> Response:
    return await _handle(request, get_principal(request))


@router.post("/sparql", responses=_RESPONSES, openapi_extra=_POST_DOC,
             summary="Kueri atau SPARQL Update (POST formulir atau langsung)")
async def sparql_post(request: Request) -> Response:
    return await _handle(request, get_principal(request))


SPARQL_METHODS = "GET, HEAD, POST"


# Without these, Starlette answered another method with the Allow header of the first
# /sparql route it found ("Allow: GET", as if updates by POST were not allowed) and an
# English JSON body, where every other refusal of this endpoint is a plain-text sentence.
@router.api_route("/sparql", methods=["PUT", "DELETE", "PATCH", "OPTIONS"],
                  include_in_schema=False)
async def sparql_other_method(request: Request) -> Response:
    return method_not_allowed(request, "/sparql", SPARQL_METHODS)


def method_not_allowed(request: Request, path: str, allowed: str) -> Response:
    """405 with the methods `path` takes (OPTIONS: 204 naming them)."""
    headers = {"Allow": allowed}
    if request.method == "OPTIONS":
        return Response(status_code=204, headers=headers)
    if request_lang(request) == "en":
        text = f"{path} does not take {request.method}; use {allowed}\n"
    else:
        text = f"{path} tidak menerima {request.method}; pakai {allowed}\n"
    return PlainTextResponse(text, 405, headers=headers)
