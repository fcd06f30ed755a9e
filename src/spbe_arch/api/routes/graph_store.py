"""`/rdf-graph-store`: the SPARQL 1.1 Graph Store HTTP Protocol.

A graph is named indirectly (`/rdf-graph-store?graph=IRI`, or `?default` for the store's
default graph) or directly (`/rdf-graph-store/some/path` names the graph whose IRI is that
URL). GET and HEAD need read access; PUT, POST and DELETE need the admin role and are
recorded in the audit trail with the exact triples added and removed. A POST to the
endpoint itself creates a new graph and answers 201 with its IRI in `Location`.

Note: `?default` is the store's own default graph. SPARQL queries see the union of all
graphs as their default graph; the Graph Store Protocol addresses graphs one by one.
"""

from __future__ import annotations

import codecs
import json
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from rdflib.term import BNode, URIRef

from spbe_arch import iris
from spbe_arch.access import PermissionDeniedError, Principal, require_admin, require_read
from spbe_arch.api.bodies import multipart_parts, read_body
from spbe_arch.api.deps import get_principal
from spbe_arch.api.negotiation import choose_graph_format
from spbe_arch.api.query_engine import NotAcceptableError
from spbe_arch.api.routes.sparql import method_not_allowed
from spbe_arch.api.sparql_protocol import ProtocolError, media_type_of, parse_pairs
from spbe_arch.api.sparql_results import keep_carriage_returns
from spbe_arch.audit import apply_audited, audit_quads
from spbe_arch.errors import InputError, SpbeError
from spbe_arch.repository import ChangeSet, Quad, Repository
from spbe_arch.repository.base import SUFFIX_FORMATS, rdfxml_unwritable_predicate
from spbe_arch.repository.guards import check_rdf_input
from spbe_arch.repository.oxigraph import changeset_to_update, syntax_error
from spbe_arch.repository.terms import to_rdflib
from spbe_arch.settings import Settings

router = APIRouter(tags=["Graph Store Protocol"])

PATH = "/rdf-graph-store"
UPLOAD_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "text/n3": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
_SUFFIX_MEDIA = {"turtle": "text/turtle", "ntriples": "application/n-triples",
                 "rdfxml": "application/rdf+xml", "jsonld": "application/ld+json"}
EXPORT_NAMES = {"text/turtle": "turtle", "application/n-triples": "ntriples",
                "application/rdf+xml": "rdfxml", "application/ld+json": "jsonld"}
MAX_AUDIT_ENTITIES = 500
"""A bulk write records the graph, and each changed subject only up to this many."""

_GRAPH_DOC: dict[str, Any] = {
    "requestBody": {"content": {m: {"schema": {"type": "string"}} for m in UPLOAD_FORMATS}},
}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "Isi graf (Turtle, N-Triples, RDF/XML, JSON-LD)"},
    201: {"description": "Graf baru dibuat"},
    204: {"description": "Graf diubah"},
    400: {"description": "Permintaan atau isi RDF salah"},
    401: {"description": "Perlu token API"},
    403: {"description": "Perlu peran admin"},
    404: {"description": "Graf tidak ada"},
    406: {"description": "Tidak ada format RDF yang cocok dengan Accept"},
    415: {"description": "Format RDF tidak didukung"},
    503: {"description": "Penyimpanan tidak tersedia"},
}


class GraphNotFoundError(InputError):
    http_status = 404


def _target(request: Request, path: str | None) -> tuple[bool, URIRef | None]:
    """(a graph was named, its IRI — None for the default graph)."""
    pairs = parse_pairs(request.url.query, "parameter URL", "URL parameters")
    graphs = [v for k, v in pairs if k == "graph"]
    default = any(k == "default" for k, _ in pairs)
    if path:
        if graphs or default:
            raise ProtocolError("graf disebut lewat path sekaligus lewat parameter graph/default",
                                "the graph is named both by the path and by graph/default")
        # the URL as sent (percent-encoded), which is a valid IRI whatever the path holds
        raw = request.scope.get("raw_path") or request.url.path.encode()
        iri = f"{request.url.scheme}://{request.url.netloc}{raw.decode('latin-1')}"
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise ProtocolError(f"'{iri}' bukan IRI graf yang sah: {exc}",
                                f"'{iri}' is not a valid graph IRI: {exc}") from exc
        return True, URIRef(iri.split("?", 1)[0])
    if len(graphs) > 1 or (graphs and default):
        raise ProtocolError("sebutkan tepat satu graf: ?graph=IRI atau ?default",
                            "name exactly one graph: ?graph=IRI or ?default")
    if default:
        return True, None
    if not graphs:
        return False, None
    iri = graphs[0]
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise ProtocolError(f"'{iri}' bukan IRI graf yang sah: {exc}",
                            f"'{iri}' is not a valid graph IRI: {exc}") from exc
    if ":" not in iri:
        raise ProtocolError(f"'{iri}' bukan IRI absolut", f"'{iri}' is not an absolute IRI")
    return True, URIRef(iri)


def _require_target(named: bool) -> None:
    if not named:
        raise ProtocolError("sebutkan graf: ?graph=IRI atau ?default",
                            "name a graph: ?graph=IRI or ?default")


def _exists(repository: Repository, graph: URIRef | None) -> bool:
    return graph is None or graph in set(repository.graph_names())


def _graph_quads(repository: Repository, graph: URIRef | None) -> set[Quad]:
    """The quads of one graph; None is the default graph (`Repository.quads(None)` is every
    quad of the store: taken for the default graph, a PUT or DELETE of it removed the
    named graphs too)."""
    if graph is None:
        return {(s, p, o, None) for s, p, o in repository.graph(None)}
    return set(repository.quads(graph))


def _label(graph: URIRef | None) -> str:
    return "graf bawaan (default)" if graph is None else f"<{graph}>"


_TEXT_FORMATS = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.JSON_LD)
"""Formats that are UTF-8 text; RDF/XML declares its own encoding inside."""


def _as_utf8(data: bytes, charset: str | None, name: str) -> bytes:
    """A text upload as UTF-8 without a byte-order mark: Oxigraph reads only that, and
    took Notepad's "UTF-8 with BOM" for a syntax error (`\ufeff is not a valid subject`)
    and a declared charset=windows-1252 for broken UTF-8."""
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        try:
            codecs.lookup(charset)
        except LookupError:
            raise ProtocolError(
                f"{name}: charset {charset} tidak dikenal; kirim RDF dalam UTF-8",
                f"{name}: unknown charset {charset}; send the RDF as UTF-8", 415) from None
        try:
            data = data.decode(charset).encode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProtocolError(
                f"{name}: byte {exc.start + 1} bukan teks {charset} yang sah (charset yang"
                " disebut Content-Type)",
                f"{name}: byte {exc.start + 1} is not valid {charset} text (the charset"
                " the Content-Type names)") from None
    return data.removeprefix(codecs.BOM_UTF8)


def _unmapped_keys(data: bytes, limit: int = 5) -> list[str]:
    """Up to `limit` plain-term keys of a JSON document outside its `@context`s (walked
    without recursion: the document may be ~1000 levels deep)."""
    try:
        stack: list[object] = [json.loads(data)]
    except ValueError:
        return []
    keys: list[str] = []
    while stack and len(keys) < limit:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key == "@context":
                    continue
                # an IRI (or compact IRI) key is not dropped for want of a context
                if not key.startswith("@") and ":" not in key and key not in keys:
                    keys.append(key)
                stack.append(value)
    return sorted(keys[:limit])


def parse_graph(data: bytes, media: str, graph: URIRef | None, name: str,
                charset: str | None = None) -> list[Quad]:
    """One uploaded graph as quads in `graph` (also used by the web import page), its
    bytes in `charset` (UTF-8 when not given)."""
    fmt = UPLOAD_FORMATS.get(media)
    if fmt is None:
        # named, since in a multipart upload it is one part of several
        raise ProtocolError(
            f"{name}: format RDF '{media or 'tanpa Content-Type'}' tidak didukung untuk satu"
            f" graf; pakai {', '.join(sorted(UPLOAD_FORMATS))}",
            f"{name}: RDF format '{media or 'none'}' is not supported for one graph; use"
            f" {', '.join(sorted(UPLOAD_FORMATS))}",
            415,
        )
    if fmt in _TEXT_FORMATS:
        data = _as_utf8(data, charset, name)
    try:
        check_rdf_input(data, {ox.RdfFormat.JSON_LD: "jsonld",
                               ox.RdfFormat.RDF_XML: "rdfxml"}.get(fmt, ""), name)
    except InputError as exc:
        raise ProtocolError(exc.message("id"), exc.message("en"),
                            getattr(exc, "http_status", 400)) from None
    try:
        triples = list(ox.parse(input=data, format=fmt,
                                base_iri=str(graph) if graph else None,
                                rename_blank_nodes=True))
    except SyntaxError as exc:
        if "LoadDocumentCallback" in str(exc):
            # the server fetches nothing a client names; the product's own REST JSON-LD
            # refers to /context.jsonld by URL, so this is the usual way to meet it
            raise ProtocolError(
                f"{name}: JSON-LD ini merujuk @context lewat URL; server tidak mengambil"
                " konteks dari jaringan. Sertakan isi konteksnya di dalam dokumen (mis. isi"
                " /context.jsonld sebagai nilai @context) atau kirim Turtle",
                f"{name}: this JSON-LD refers to its @context by URL; the server fetches no"
                " context from the network. Put the context itself in the document (e.g."
                " the content of /context.jsonld as the @context value) or send Turtle",
            ) from exc
        # RDF/XML errors carry no position; syntax_error finds one with an XML parser
        raise syntax_error(exc, name, data, "rdfxml" if fmt == ox.RdfFormat.RDF_XML
                           else None) from exc
    if not triples and fmt == ox.RdfFormat.JSON_LD:
        ignored = _unmapped_keys(data)
        if ignored:
            # the usual case is plain JSON sent as JSON-LD: as a PUT it emptied the graph
            keys = ", ".join(f"'{key}'" for key in ignored)
            raise ProtocolError(
                f"{name}: dokumen JSON-LD ini tidak menghasilkan satu tripel pun; kunci {keys}"
                " diabaikan karena tidak dipetakan ke IRI oleh @context. Tidak ada yang"
                " diubah; tambahkan @context atau pakai IRI lengkap sebagai kunci",
                f"{name}: this JSON-LD document yields no triple; the keys {keys} are"
                " ignored since no @context maps them to IRIs. Nothing was changed; add an"
                " @context or use full IRIs as keys")
    for triple in triples:
        # Oxigraph 0.5 reads RDF 1.2; `<< s p o >>` is a reifier of one (rdf:reifies)
        term = triple.object
        if isinstance(term, ox.Triple):
            raise ProtocolError(
                f"{name}: triple term RDF 1.2 <<( {term} )>> tidak disimpan repositori ini;"
                " tidak ada yang diubah. Nyatakan hal tentang sebuah tripel dengan reifikasi"
                " biasa (rdf:Statement)",
                f"{name}: the RDF 1.2 triple term <<( {term} )>> is not held by this"
                " repository; nothing was changed. State things about a triple with plain"
                " reification (rdf:Statement)")
    return [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object), graph)
            for t in triples]




def _parse_request(content_type: str | None, body: bytes, graph: URIRef | None) -> list[Quad]:
    media, params = media_type_of(content_type)
    if media == "multipart/form-data":
        quads: list[Quad] = []
        for part_type, filename, data in multipart_parts(content_type or "", body):
            part_media, part_params = media_type_of(part_type)
            if part_media in ("", "application/octet-stream") and filename:
                suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
                part_media = _SUFFIX_MEDIA.get(SUFFIX_FORMATS.get(suffix, ""), part_media)
            quads += parse_graph(data, part_media, graph, filename or "multipart",
                                 part_params.get("charset"))
        return quads
    try:
        return parse_graph(body, media, graph, BODY_ID, params.get("charset"))
    except SpbeError as exc:
        english = exc.message("en")
        if english.startswith(BODY_ID):
            # the one name given to parse_graph is Indonesian: "isi permintaan, line 1, …"
            exc.message_id, exc.message_en = exc.message("id"), BODY_EN + english[len(BODY_ID):]
            exc.location = None
        raise


BODY_ID, BODY_EN = "isi permintaan", "request body"


def _entities(graph: URIRef | None, quads: Iterable[Quad]) -> list[URIRef]:
    subjects = sorted({q[0] for q in quads if isinstance(q[0], URIRef)})
    chosen = subjects if len(subjects) <= MAX_AUDIT_ENTITIES else []
    return [graph, *chosen] if graph is not None else chosen


@dataclass(frozen=True)
class GraphWrite:
    """What `write_graph` did."""

    existed: bool
    """The graph existed before."""
    added: int
    """Triples it did not hold before."""


def write_graph(repository: Repository, lock: threading.Lock, principal: Principal,
                method: str, graph: URIRef | None, new: list[Quad] | None, *,
                merge: bool) -> GraphWrite:
    """Replace (PUT), merge (POST) or delete (new=None) a graph."""
    with lock:
        existed = _exists(repository, graph)
        if new is None and not existed:
            raise GraphNotFoundError(f"graf {_label(graph)} tidak ada",
                                     f"the graph {_label(graph)} does not exist")
        old = _graph_quads(repository, graph) if existed else set()
        incoming = list(dict.fromkeys(new or []))
        added = [q for q in incoming if q not in old]
        if merge:
            removed: list[Quad] = []
        else:
            wanted = set(incoming)
            removed = sorted((q for q in old if q not in wanted), key=str)
        label = f"Graph Store {method} {_label(graph)}"
        entities = _entities(graph, [*added, *removed])
        # every triple is recorded, however many: audit.audit_quads cuts a large record
        # into several values of whole lines, each small enough for the RDF parsers
        if not any(isinstance(term, BNode) for q in removed for term in q[:3]):
            apply_audited(repository, ChangeSet(add=added, remove=removed),
                          agent=principal.name, entities=entities, label=label)
            return GraphWrite(existed, len(added))
        record = audit_quads(ChangeSet(add=added, remove=removed), principal.name,
                             entities, label)
        # DELETE DATA cannot name blank nodes: empty the graph and write back what stays,
        # with the audit record listing exactly what was removed and added
        clear = "CLEAR SILENT DEFAULT" if graph is None else f"CLEAR SILENT GRAPH <{graph}>"
        gone = set(removed)
        keep = [q for q in old if q not in gone] + added
        updates = [clear, changeset_to_update(ChangeSet(add=[*keep, *record]))]
        repository.apply(ChangeSet(updates=updates))
        return GraphWrite(existed, len(added))


async def _get(request: Request, path: str | None, head: bool) -> Response:
    require_read(get_principal(request))
    repository: Repository = request.app.state.repository
    named, graph = _target(request, path)
    _require_target(named)
    offer = choose_graph_format(request.headers.get("accept"))
    if offer is None:
        formats = ", ".join(EXPORT_NAMES)
        raise NotAcceptableError(
            f"header Accept tidak memuat format graf yang tersedia ({formats})",
            f"the Accept header names no available graph format ({formats})")

    def export() -> bytes:
        if not _exists(repository, graph):
            raise GraphNotFoundError(f"graf {_label(graph)} tidak ada",
                                     f"the graph {_label(graph)} does not exist")
        if offer.serializer == "application/rdf+xml" and graph is not None:
            predicate = rdfxml_unwritable_predicate(repository, graph)
            if predicate is not None:
                # Oxigraph would write `<oxprefix:>`: a 200 no XML reader accepts
                raise NotAcceptableError(
                    f"predikat <{predicate}> tidak dapat ditulis dalam RDF/XML (IRI-nya"
                    " tidak berakhir dengan nama); minta text/turtle, application/n-triples"
                    " atau application/ld+json",
                    f"the predicate <{predicate}> cannot be written in RDF/XML (its IRI"
                    " does not end in a name); ask for text/turtle, application/n-triples"
                    " or application/ld+json")
        data = repository.export(graph, EXPORT_NAMES[offer.serializer])
        if offer.serializer == "application/rdf+xml":
            data = keep_carriage_returns(data)
        return data

    data = await run_in_threadpool(export)
    if head:
        return Response(None, 200, media_type=offer.media_type,
                        headers={"Content-Length": str(len(data))})
    return Response(data, media_type=offer.media_type)


async def _change(request: Request, path: str | None, method: str) -> Response:
    principal = get_principal(request)
    require_admin(principal, f"Graph Store {method}", f"Graph Store {method}")
    settings: Settings = request.app.state.settings
    repository: Repository = request.app.state.repository
    lock: threading.Lock = request.app.state.write_lock
    named, graph = _target(request, path)
    reserved = iris.reserved_graph(str(graph)) if graph is not None else None
    if reserved is not None:
        raise PermissionDeniedError(
            f"{reserved[0]} ({graph}) tidak dapat diubah lewat Graph Store Protocol karena"
            " hanya ditulis oleh spbe-arch sendiri",
            f"{reserved[1]} ({graph}) cannot be changed through the Graph Store Protocol,"
            " as only spbe-arch itself writes it")
    headers: dict[str, str] = {}
    if method == "DELETE":
        _require_target(named)
        await run_in_threadpool(write_graph, repository, lock, principal, method, graph, None,
                                merge=False)
        return Response(status_code=204)
    if not named:
        if method != "POST":
            _require_target(named)
        # POST to the store itself: a new graph, named after this endpoint
        graph = URIRef(f"{str(request.url).split('?', 1)[0].rstrip('/')}/{uuid.uuid4().hex}")
        headers["Location"] = str(graph)
    body = await read_body(request, settings)
    quads = await run_in_threadpool(_parse_request, request.headers.get("content-type"),
                                    body, graph)
    if not quads and "Location" in headers:
        # a graph exists while it holds triples: a Location would name a graph that GET
        # answers 404 for
        raise ProtocolError(
            "isi permintaan tidak memuat satu tripel pun; tidak ada graf baru yang dibuat",
            "the request body holds no triple; no new graph was created")
    written = await run_in_threadpool(write_graph, repository, lock, principal, method, graph,
                                      quads, merge=method == "POST")
    if "Location" in headers or (not written.existed and written.added):
        return Response(status_code=201, headers=headers)
    # no triples for a graph that does not exist created nothing (GET stays 404): not 201
    return Response(status_code=204)


GraphParam = Annotated[str | None, Query(description="IRI graf (identifikasi tidak langsung)")]
DefaultParam = Annotated[str | None, Query(description="Ada = graf bawaan (default)")]


@router.get(PATH, responses=_RESPONSES, summary="Ambil satu graf")
async def gsp_get(request: Request, graph: GraphParam = None,
                  default: DefaultParam = None) -> Response:
    return await _get(request, None, head=False)


@router.head(PATH, responses=_RESPONSES, summary="Periksa keberadaan satu graf")
async def gsp_head(request: Request, graph: GraphParam = None,
                   default: DefaultParam = None) -> Response:
    return await _get(request, None, head=True)


@router.put(PATH, responses=_RESPONSES, openapi_extra=_GRAPH_DOC,
            summary="Ganti isi satu graf (admin)")
async def gsp_put(request: Request, graph: GraphParam = None,
                  default: DefaultParam = None) -> Response:
    return await _change(request, None, "PUT")


@router.post(PATH, responses=_RESPONSES, openapi_extra=_GRAPH_DOC,
             summary="Tambahkan ke satu graf, atau buat graf baru tanpa ?graph (admin)")
async def gsp_post(request: Request, graph: GraphParam = None,
                   default: DefaultParam = None) -> Response:
    return await _change(request, None, "POST")


@router.delete(PATH, responses=_RESPONSES, summary="Hapus satu graf (admin)")
async def gsp_delete(request: Request, graph: GraphParam = None,
                     default: DefaultParam = None) -> Response:
    return await _change(request, None, "DELETE")


@router.get(PATH + "/{path:path}", responses=_RESPONSES,
            summary="Ambil graf yang IRI-nya adalah URL ini")
async def gsp_get_direct(request: Request, path: str) -> Response:
    return await _get(request, path, head=False)


@router.head(PATH + "/{path:path}", responses=_RESPONSES, include_in_schema=False)
async def gsp_head_direct(request: Request, path: str) -> Response:
    return await _get(request, path, head=True)


@router.put(PATH + "/{path:path}", responses=_RESPONSES, openapi_extra=_GRAPH_DOC,
            summary="Ganti graf yang IRI-nya adalah URL ini (admin)")
async def gsp_put_direct(request: Request, path: str) -> Response:
    return await _change(request, path, "PUT")


@router.post(PATH + "/{path:path}", responses=_RESPONSES, openapi_extra=_GRAPH_DOC,
             summary="Tambahkan ke graf yang IRI-nya adalah URL ini (admin)")
async def gsp_post_direct(request: Request, path: str) -> Response:
    return await _change(request, path, "POST")


@router.delete(PATH + "/{path:path}", responses=_RESPONSES,
               summary="Hapus graf yang IRI-nya adalah URL ini (admin)")
async def gsp_delete_direct(request: Request, path: str) -> Response:
    return await _change(request, path, "DELETE")


GRAPH_STORE_METHODS = "GET, HEAD, PUT, POST, DELETE"


@router.api_route(PATH, methods=["PATCH", "OPTIONS"], include_in_schema=False)
async def gsp_other_method(request: Request) -> Response:
    return method_not_allowed(request, PATH, GRAPH_STORE_METHODS)


@router.api_route(PATH + "/{path:path}", methods=["PATCH", "OPTIONS"],
                  include_in_schema=False)
async def gsp_other_method_direct(request: Request, path: str) -> Response:
    return method_not_allowed(request, PATH, GRAPH_STORE_METHODS)
