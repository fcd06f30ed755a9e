"""`/api/{kind}`: REST resources for OPD, proses bisnis, layanan, data, aplikasi,
infrastruktur, keamanan and SOP (with its pelaksana and langkah).

- `GET /api/{kind}`: a page, filtered by OPD, reference code (including narrower codes),
  text and status, sorted by any single-valued field (`-field` descending);
- `GET /api/{kind}/{kode}`: one entity, as a JSON record (keys are the ontology's local
  names, links and enumerations by code) or, by content negotiation, as JSON-LD under the
  ontology's context (`/context.jsonld`) or Turtle / N-Triples / RDF/XML;
- `POST /api/{kind}` creates, `PUT /api/{kind}/{kode}` creates or replaces, `PATCH`
  changes the fields given, `DELETE` deletes (`?force=true` also removes links to it).

Writes need an editor token whose OPD scope covers the entity's OPD (before and after the
change) or an admin token; OPD records themselves are created and deleted by admins. A
write that would add a SHACL Violation gets 422 with the validation results, and nothing
is written. Every write is recorded in the audit trail (`GET /history?entity=…`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Body, FastAPI, Header, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from rdflib import Graph

from spbe_arch.access import Principal, require_opd_write
from spbe_arch.api.bodies import LimitedBodyRoute
from spbe_arch.api.deps import (
    InstansiQuery,
    PrincipalDep,
    ReaderDep,
    RepositoryDep,
    SettingsDep,
    UnknownFilterValueError,
    request_lang,
    require_instansi,
)
from spbe_arch.api.negotiation import Offer, choose
from spbe_arch.api.resource_schemas import expand_resource_paths
from spbe_arch.api.writes import (
    Precondition,
    entity_not_found,
    entity_tag,
    none_match,
    write_action,
    write_entity,
)
from spbe_arch.errors import InputError
from spbe_arch.model import (
    KINDS,
    TOP_LEVEL_KINDS,
    EntityKind,
    RepositoryResolver,
    get_entity,
    get_kind,
    list_entities,
    reference_code_in_use,
    reference_concepts,
)
from spbe_arch.model.service import provisional_schemes, scheme_name
from spbe_arch.model.values import MAX_CODE_LENGTH, FieldProblem, entity_to_graph
from spbe_arch.reference.context import load_context
from spbe_arch.repository import Repository
from spbe_arch.vocab import SPBE

router = APIRouter(prefix="/api", tags=["REST: elemen arsitektur"], route_class=LimitedBodyRoute)


def setup(app: FastAPI) -> None:
    """The routes, and in the OpenAPI document one path and schema family per kind
    (`api.resource_schemas`) in place of the generic `/api/{kind}`."""
    app.include_router(context_router)
    app.include_router(router)
    build = app.openapi

    def openapi() -> dict[str, Any]:
        document = build()  # cached by FastAPI: expanded once
        expand_resource_paths(document)
        return document

    app.openapi = openapi  # type: ignore[method-assign]


WARNINGS_HEADER = "X-Peringatan"
"""Response header of a write that succeeded with warnings: a JSON array of messages."""
WARNINGS_RESPONSE: dict[str, Any] = {"headers": {WARNINGS_HEADER: {
    "description": "Hanya bila ada: peringatan penulisan (mis. kode RAA/RAI/RAK di luar daftar"
                   " sementara) sebagai larik JSON berisi pesan dalam bahasa permintaan",
    "schema": {"type": "string"}}}}

Kind = StrEnum("Kind", {name.replace("-", "_"): name for name in TOP_LEVEL_KINDS})  # type: ignore[misc]
CONTEXT: dict[str, Any] = {"@vocab": str(SPBE)}
"""Record keys are the ontology's local names, so `@vocab` makes a record JSON-LD."""

ENTITY_OFFERS = (
    Offer("application/rdf+xml", "xml"),
    Offer("application/n-triples", "nt"),
    Offer("text/turtle", "turtle"),
    Offer("application/ld+json", "json-ld"),
    Offer("application/json", "json"),
)

context_router = APIRouter(tags=["REST: elemen arsitektur"])


@context_router.get("/context.jsonld", summary="Konteks JSON-LD ontologi SPBE",
                    response_class=JSONResponse)
async def jsonld_context() -> Response:
    return JSONResponse(load_context(), media_type="application/ld+json",
                        headers={"Cache-Control": "public, max-age=86400"})


def _json_ld(graph: Graph, context_url: str) -> bytes:
    """The entity's triples as compact JSON-LD under the ontology's context (the same
    graph as its Turtle: links are IRIs, enumerations individuals, dates typed), with the
    context referenced by URL rather than copied into every answer."""
    compact = json.loads(graph.serialize(format="json-ld", context=load_context()["@context"],
                                         auto_compact=True))
    compact.pop("@context", None)
    return json.dumps({"@context": context_url, **compact}, ensure_ascii=False).encode()


Code = Annotated[str, Path(description="Kode entitas, mis. DISKOMINFO.01",
                           max_length=MAX_CODE_LENGTH)]
Record = Annotated[dict[str, Any], Body(description="Entitas sebagai objek JSON; kunci = nama"
                                                     " lokal properti ontologi (kode, nama …)")]
IfMatch = Annotated[str | None, Header(
    description="ETag entitas saat dibaca: tulis hanya bila belum berubah sejak itu (412 bila"
                " sudah); `*`: entitas harus ada")]
IfNoneMatch = Annotated[str | None, Header(
    description="GET: ETag yang sudah dimiliki (304 bila masih sama); PUT dengan `*`: hanya"
                " membuat, 412 bila sudah ada")]


def _kind(kind: Kind) -> EntityKind:
    return get_kind(kind.value)


def _with_context(record: Mapping[str, Any]) -> dict[str, Any]:
    return {"@context": CONTEXT, **record}


RDF_CONTENT: dict[str, Any] = {
    "content": {"application/json": {}, "application/ld+json": {}, "text/turtle": {},
                "application/n-triples": {}, "application/rdf+xml": {}}}


@router.get("/{kind}", summary="Daftar entitas (filter, halaman, urutan; JSON, atau RDF lewat"
            " Accept)", response_model=None, responses={200: RDF_CONTENT})
async def entity_list(
    request: Request,
    _: ReaderDep,
    repository: RepositoryDep,
    settings: SettingsDep,
    kind: Kind,
    instansi: InstansiQuery = None,
    opd: Annotated[str | None, Query(description="Kode OPD pemilik", max_length=200)] = None,
    ref: Annotated[str | None, Query(description="Kode referensi (RAB/RAL/…), termasuk"
                                                 " turunannya", max_length=200)] = None,
    q: Annotated[str | None, Query(description="Cari di kode, nama, uraian",
                                   max_length=500)] = None,
    status: Annotated[str | None, Query(description="Status (proses bisnis, SOP)",
                                        max_length=100)] = None,
    sort: Annotated[str | None, Query(description="Nama kolom; awali '-' untuk menurun",
                                      max_length=100)] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> Response:
    instansi = instansi or settings.instansi
    # a value of only white space is an empty form field: no filter, as `?opd=` is
    opd, ref, q, status, sort = (_filled(v) for v in (opd, ref, q, status, sort))
    if ref is not None and _kind(kind).reference_field is None:
        raise InputError(
            f"parameter 'ref': {_kind(kind).label('id')} tidak diklasifikasikan dengan kode"
            " referensi (RAB, RAL, RAD, RAA, RAI, RAK)",
            f"parameter 'ref': {_kind(kind).label('en')} has no reference classification"
            " (RAB, RAL, RAD, RAA, RAI, RAK)")
    page = await run_in_threadpool(
        list_entities, repository, _kind(kind), instansi=instansi,
        opd=opd, reference_code=ref, text=q, status=status, sort=sort, offset=offset,
        limit=limit)
    if page.total == 0:
        # an empty list for a mistyped code reads as "there are none"
        await run_in_threadpool(_require_known_filters, repository, _kind(kind), instansi,
                                opd, ref, asked=request.query_params.get("instansi"))
    offer = choose(ENTITY_OFFERS, request.headers.get("accept")) or ENTITY_OFFERS[-1]
    if offer.serializer == "json":
        return JSONResponse({"@context": CONTEXT, "items": page.items, "total": page.total,
                             "offset": page.offset, "limit": page.limit},
                            headers={"Vary": "Accept"})
    # the page's entities as one graph (each as its own GET gives it); the paging that the
    # JSON carries in its body goes into headers: the total, and links to the pages around
    graph = _rdf_graph(_kind(kind), page.items, instansi)
    headers = {"Vary": "Accept", "X-Total-Count": str(page.total)}
    links = []
    if offset + limit < page.total:
        following = request.url.include_query_params(offset=offset + limit)
        links.append(f'<{following}>; rel="next"')
    if offset > 0:
        previous = request.url.include_query_params(offset=max(0, offset - limit))
        links.append(f'<{previous}>; rel="prev"')
    if links:
        headers["Link"] = ", ".join(links)
    return _rdf_response(request, graph, offer, headers)


def _rdf_graph(kind: EntityKind, records: Iterable[Mapping[str, Any]], instansi: str) -> Graph:
    graph = Graph()
    graph.bind("spbe", SPBE)
    for record in records:
        for triple in entity_to_graph(kind, record, instansi):
            graph.add(triple)
    return graph


def _rdf_response(request: Request, graph: Graph, offer: Offer,
                  headers: dict[str, str]) -> Response:
    if offer.serializer == "json-ld":
        body = _json_ld(graph, str(request.url_for("jsonld_context")))
        return Response(body, media_type=offer.media_type, headers=headers)
    return Response(graph.serialize(format=offer.serializer, encoding="utf-8"),
                    media_type=offer.media_type, headers=headers)


def _filled(value: str | None) -> str | None:
    return (value.strip() or None) if value is not None else None


def _require_known_filters(repository: Repository, kind: EntityKind, instansi: str,
                           opd: str | None, ref: str | None, *, asked: str | None) -> None:
    """Why a page is empty, when a filter value is the reason: the instansi, OPD or
    reference code it names is not there (a typo), rather than none matching."""
    require_instansi(repository, instansi, asked)
    if opd is not None:
        _require_known_opd(repository, instansi, opd)
    if ref is not None and kind.reference_field is not None:
        _require_known_reference(repository, kind, ref)


def _require_known_reference(repository: Repository, kind: EntityKind, code: str) -> None:
    scheme = kind.field(kind.reference_field or "").scheme or ""
    # every version: the filter matches a code of any version loaded
    concepts = reference_concepts(repository).get(scheme, {})
    if not concepts or code in concepts:
        return
    # A code outside the lists that some element carries (accepted outside a provisional
    # list, or left out of an imported one) is a real code: its empty page is the answer.
    # One that no element carries stays an error even for a provisional list: a typo
    # (RAA.7 for RAA.07) must not read as "there are none".
    if reference_code_in_use(repository, kind, code):
        return
    name = scheme_name(concepts, scheme)
    if scheme in provisional_schemes(repository):
        raise UnknownFilterValueError(
            f"parameter 'ref': kode '{code}' tidak ada dalam {name} ({scheme}), referensi"
            f" yang mengklasifikasikan {kind.label('id')}, dan tidak ada elemen yang"
            " memakainya",
            f"parameter 'ref': there is no code '{code}' in {name} ({scheme}), the reference"
            f" that classifies {kind.label('en')}, and no element carries it")
    raise UnknownFilterValueError(
        f"parameter 'ref': kode '{code}' tidak ada dalam {name} ({scheme}), referensi"
        f" yang mengklasifikasikan {kind.label('id')}",
        f"parameter 'ref': there is no code '{code}' in {name} ({scheme}), the reference"
        f" that classifies {kind.label('en')}")


def _require_known_opd(repository: Repository, instansi: str, code: str) -> None:
    known = sorted(RepositoryResolver(repository, instansi).stored_codes(KINDS["opd"]))
    if code.strip() not in known:
        listed = ", ".join(known[:40]) + (", …" if len(known) > 40 else "")
        raise UnknownFilterValueError(
            f"parameter 'opd': OPD '{code}' tidak ada di instansi {instansi}; kode yang ada:"
            f" {listed or '(belum ada OPD)'}",
            f"parameter 'opd': there is no OPD '{code}' in instansi {instansi}; known codes:"
            f" {listed or '(no OPD yet)'}")


@router.get("/{kind}/{code:path}", summary="Satu entitas (JSON, atau RDF lewat Accept)",
            responses={200: RDF_CONTENT, 304: {
                "description": "Tidak berubah sejak ETag yang disebut If-None-Match; tanpa isi"
                               " (not modified since the ETag named in If-None-Match; no body)",
                "headers": {"ETag": {"description": "ETag entitas (the entity's ETag)",
                                     "schema": {"type": "string"}}}},
                       404: {"description": "Tidak ada"}})
async def entity_get(
    request: Request,
    _: ReaderDep,
    repository: RepositoryDep,
    settings: SettingsDep,
    kind: Kind,
    code: Code,
    instansi: InstansiQuery = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    entity_kind = _kind(kind)
    instansi = instansi or settings.instansi
    record = await run_in_threadpool(get_entity, repository, entity_kind, code,
                                     instansi=instansi)
    if record is None:
        raise entity_not_found(entity_kind, code)
    tag = entity_tag(record)
    headers = {"ETag": tag, "Vary": "Accept"}
    if none_match(if_none_match, tag):
        return Response(status_code=304, headers=headers)
    offer = choose(ENTITY_OFFERS, request.headers.get("accept")) or ENTITY_OFFERS[-1]
    if offer.serializer == "json":
        return JSONResponse(_with_context(record), media_type=offer.media_type,
                            headers=headers)
    return _rdf_response(request, _rdf_graph(entity_kind, [record], instansi), offer,
                         headers)


async def _respond(request: Request, principal: Principal, repository: Repository,
                   instansi: str, kind: Kind, code: str | None, body: Mapping[str, Any] | None,
                   method: str, force: bool = False,
                   precondition: Precondition | None = None) -> Response:
    if not principal.authenticated or principal.role is None or principal.role.value == "reader":
        # fail fast, before any planning: only editors and admins write
        require_opd_write(principal, [], *write_action(_kind(kind), method))
    lang = request_lang(request)
    warnings: list[FieldProblem] = []
    status, after = await run_in_threadpool(
        write_entity, repository, principal, request.app.state.write_lock, _kind(kind), instansi,
        code, body, method, force=force, precondition=precondition, lang=lang,
        warnings=warnings)
    if after is None:
        return Response(status_code=status)
    headers = {"ETag": entity_tag(after)}
    if warnings:
        # a header, not a body key: the body is the entity as GET gives it (and an SOP has
        # a field named `peringatan`); JSON with ASCII escapes, since a header is Latin-1
        headers[WARNINGS_HEADER] = json.dumps([w.message(lang) for w in warnings])
    if status == 201:
        # url_for does not quote path values; a header must be Latin-1
        created = str(after.get("kode") or code or "")
        headers["Location"] = str(request.url_for("entity_get", kind=kind.value,
                                                  code=quote(created, safe="")))
    return JSONResponse(_with_context(after), status_code=status, headers=headers)


@router.post("/{kind}", status_code=201, summary="Buat entitas baru (editor OPD-nya / admin)",
             responses={201: WARNINGS_RESPONSE, 409: {"description": "Kode sudah ada"},
                        422: {"description": "Melanggar aturan (hasil validasi)"}})
async def entity_create(request: Request, principal: PrincipalDep, repository: RepositoryDep,
                        settings: SettingsDep, kind: Kind, record: Record,
                        instansi: InstansiQuery = None) -> Response:
    return await _respond(request, principal, repository, instansi or settings.instansi, kind,
                          None, record, "POST")


@router.put("/{kind}/{code:path}", summary="Ganti (atau buat) entitas (editor OPD-nya / admin)",
            responses={200: WARNINGS_RESPONSE,
                       201: {"description": "Dibuat", **WARNINGS_RESPONSE},
                       412: {"description": "If-Match / If-None-Match tidak terpenuhi"},
                       422: {"description": "Melanggar aturan (hasil validasi)"}})
async def entity_replace(request: Request, principal: PrincipalDep, repository: RepositoryDep,
                         settings: SettingsDep, kind: Kind, code: Code, record: Record,
                         instansi: InstansiQuery = None, if_match: IfMatch = None,
                         if_none_match: IfNoneMatch = None) -> Response:
    return await _respond(request, principal, repository, instansi or settings.instansi, kind,
                          code, record, "PUT",
                          precondition=Precondition(if_match, if_none_match))


@router.patch("/{kind}/{code:path}", summary="Ubah sebagian kolom entitas (editor OPD-nya / admin)",
              responses={200: WARNINGS_RESPONSE, 404: {"description": "Tidak ada"},
                         412: {"description": "If-Match tidak cocok (entitas sudah berubah)"},
                         422: {"description": "Melanggar aturan (hasil validasi)"}})
async def entity_patch(request: Request, principal: PrincipalDep, repository: RepositoryDep,
                       settings: SettingsDep, kind: Kind, code: Code, record: Record,
                       instansi: InstansiQuery = None, if_match: IfMatch = None) -> Response:
    return await _respond(request, principal, repository, instansi or settings.instansi, kind,
                          code, record, "PATCH", precondition=Precondition(if_match))


@router.delete("/{kind}/{code:path}", status_code=204,
               summary="Hapus entitas (editor OPD-nya / admin)",
               responses={404: {"description": "Tidak ada"},
                          412: {"description": "If-Match tidak cocok (entitas sudah berubah)"},
                          422: {"description": "Melanggar aturan (hasil validasi)"}})
async def entity_delete(request: Request, principal: PrincipalDep, repository: RepositoryDep,
                        settings: SettingsDep, kind: Kind, code: Code,
                        instansi: InstansiQuery = None,
                        force: Annotated[bool, Query(
                            description="Hapus juga rujukan entitas lain ke entitas ini")
                        ] = False, if_match: IfMatch = None) -> Response:
    return await _respond(request, principal, repository, instansi or settings.instansi, kind,
                          code, None, "DELETE", force, precondition=Precondition(if_match))

