"""The error answers of every operation in the OpenAPI document, declared in one place.

Every refusal of the service is a 4xx (or a 503 while the store cannot answer) with the
body `app.error_response` writes: JSON `{"detail": "<kalimat>", …}` (`problems`,
`validation`, `masalah` beside it for some), plain text on `/sparql` and
`/rdf-graph-store`, and for a request FastAPI refuses itself (422) its list of errors
with a `pesan` line (`api.request_errors`). Routes declared only their success and a few
errors, so clients (and Schemathesis' status-code check) met codes the document did not
name. `declare_error_responses` adds, to each operation, the codes it can answer and the
body of each:

- 400 and 422: the operation takes parameters or a body (a value the service cannot
  read; FastAPI's own refusal, or records the model or the rules refuse);
- 401: it reads the token (any operation of the repository); 403: it writes, or its
  route says so (a role or OPD scope it checks);
- 404: the address holds a value (a code, a name) — and whatever the route adds;
- 413: it reads a body (under `SPBE_MAX_UPLOAD_BYTES`); 415: that body is not JSON or a
  form, so its media type is checked;
- 503: it reads the store (unavailable, or a query past its time limit).

A route declares in its own `responses=` what these rules cannot see (409, 412, 406, a
404 for a filter value); a description it gives is kept, and the body schema added.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from spbe_arch.api.bodies import LimitedBodyRoute
from spbe_arch.api.deps import get_principal, get_query_engine, get_reader, get_repository

ERROR = "PesanKesalahan"
INVALID = "KesalahanPermintaan"
DESCRIPTIONS: dict[int, str] = {
    400: "Permintaan tidak dapat dibaca: parameter, isi atau nilai yang salah; `detail`"
         " menyebut penyebabnya (bad request)",
    401: "Perlu token API, atau token tidak dikenal / kedaluwarsa (authentication needed)",
    403: "Peran atau cakupan OPD token tidak mencukupi untuk tindakan ini (forbidden)",
    404: "Tidak ada: alamat, kode, atau nilai filter yang disebut tidak ada (not found)",
    406: "Tidak ada format jawaban yang cocok dengan Accept (not acceptable)",
    409: "Sudah ada (conflict)",
    412: "If-Match / If-None-Match tidak terpenuhi (precondition failed)",
    413: "Isi permintaan melebihi batas unggahan SPBE_MAX_UPLOAD_BYTES (content too large)",
    415: "Content-Type isi permintaan tidak didukung (unsupported media type)",
    422: "Parameter atau isi tidak sah (daftar FastAPI dengan `pesan`), atau rekaman /"
         " perubahan ditolak model atau aturan arsitektur (unprocessable content)",
    503: "Penyimpanan tidak tersedia atau kueri melewati batas waktu; ulangi setelah"
         " Retry-After (service unavailable)",
}
PLAIN_TEXT_PATHS = ("/sparql", "/rdf-graph-store")
_WRITES = {"POST", "PUT", "PATCH", "DELETE"}

SCHEMAS: dict[str, dict[str, Any]] = {
    ERROR: {
        "type": "object",
        "title": "Pesan kesalahan",
        "description": "Satu kalimat yang menyebut penyebabnya (bahasa Indonesia; Inggris"
                       " dengan `?lang=en` atau `Accept-Language: en`)",
        "properties": {
            "detail": {"type": "string"},
            "problems": {"type": "array", "items": {"type": "string"},
                         "description": "Setiap masalah rekaman yang ditolak"},
            "validation": {"type": "object",
                           "description": "Laporan validasi SHACL perubahan yang ditolak"},
            "masalah": {"type": "array", "items": {"type": "object"},
                        "description": "Masalah buku kerja: sheet, baris, kolom, nilai"},
        },
        "required": ["detail"],
    },
    INVALID: {
        "type": "object",
        "title": "Permintaan tidak sah",
        "description": "Penolakan FastAPI sendiri, dengan `msg` dalam bahasa permintaan dan"
                       " `pesan` yang menyebut setiap nilai yang ditolak",
        "properties": {
            "detail": {"type": "array", "items": {
                "type": "object",
                "properties": {"type": {"type": "string"},
                               "loc": {"type": "array",
                                       "items": {"anyOf": [{"type": "string"},
                                                           {"type": "integer"}]}},
                               "msg": {"type": "string"}},
                "required": ["type", "loc", "msg"]}},
            "pesan": {"type": "string"},
        },
        "required": ["detail", "pesan"],
    },
}


def _calls(dependant: Dependant) -> set[Callable[..., Any]]:
    found: set[Callable[..., Any]] = set()
    stack = [dependant]
    while stack:
        current = stack.pop()
        if current.call is not None:
            found.add(current.call)
        stack.extend(current.dependencies)
    return found


def _statuses(route: APIRoute, method: str, operation: dict[str, Any]) -> set[int]:
    calls = _calls(route.dependant)
    has_body = "requestBody" in operation
    has_input = has_body or bool(operation.get("parameters"))
    codes: set[int] = set()
    if has_input:
        codes |= {400, 422}
    if calls & {get_principal, get_reader}:
        codes.add(401)
        # the caller itself, not a reader's check of it: the route decides by role / scope
        direct = {d.call for d in route.dependant.dependencies}
        if get_principal in direct and method in _WRITES:
            codes.add(403)
    if calls & {get_repository, get_query_engine}:
        codes.add(503)
    if any(p.get("in") == "path" for p in operation.get("parameters", [])):
        codes.add(404)
    if has_body or (isinstance(route, LimitedBodyRoute) and method in ("POST", "PUT", "PATCH")):
        codes.add(413)
        media = set(operation.get("requestBody", {}).get("content", {}))
        if media - {"application/json", "multipart/form-data",
                    "application/x-www-form-urlencoded"}:
            codes.add(415)
    return codes


def _body(path: str, status: int) -> dict[str, Any]:
    if path.startswith(PLAIN_TEXT_PATHS):
        return {"text/plain": {"schema": {"type": "string"}}}
    error = {"$ref": f"#/components/schemas/{ERROR}"}
    if status == 422:
        return {"application/json": {"schema": {"anyOf": [
            {"$ref": f"#/components/schemas/{INVALID}"}, error]}}}
    return {"application/json": {"schema": error}}


def api_routes(routes: Sequence[BaseRoute]) -> Iterator[tuple[str, APIRoute]]:
    """(path as the document names it, route) of every documented route. FastAPI ≥ 0.16x
    keeps an included router as one entry of `app.routes` and walks it with
    `iter_route_contexts`; earlier versions copied its routes into `app.routes`."""
    iterate = getattr(routing, "iter_route_contexts", None)
    if iterate is None:
        for route in routes:
            if isinstance(route, APIRoute) and route.include_in_schema:
                yield route.path_format, route
        return
    for context in iterate(routes):
        route = context.original_route
        if isinstance(route, APIRoute) and getattr(context, "include_in_schema", True):
            yield str(getattr(context, "path_format", None) or route.path_format), route


def add_error_responses(document: dict[str, Any], routes: Sequence[BaseRoute]) -> None:
    """Declare the error answers of every operation of `routes` in `document` (in place;
    running it again changes nothing)."""
    paths = document.get("paths", {})
    for path, route in api_routes(routes):
        item = paths.get(path)
        if item is None:
            continue
        for method in sorted(route.methods or ()):
            operation = item.get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            declared = {int(code) for code in responses if code.isdigit()}
            for status in sorted(_statuses(route, method, operation)
                                 | {c for c in declared if c >= 400}):
                response = responses.setdefault(str(status), {})
                if status == 422 and response.get("description") == "Validation Error":
                    del response["description"]  # FastAPI's, in English
                response.setdefault("description", DESCRIPTIONS.get(status, str(status)))
                response["content"] = _body(path, status)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in SCHEMAS.items():
        schemas.setdefault(name, schema)
    # FastAPI's own 422 schemas, which no operation refers to any more
    for name in ("HTTPValidationError", "ValidationError"):
        if f"#/components/schemas/{name}" not in str(document.get("paths")):
            schemas.pop(name, None)


def declare_error_responses(app: FastAPI) -> None:
    """Wrap `app.openapi` so that its document declares the error answers (module
    docstring). Installed before the routes' own hooks (the REST resources' expansion
    into one path per kind copies the generic operations with what is added here)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        document = build()  # cached by FastAPI: the additions are made once
        add_error_responses(document, app.routes)
        return document

    app.openapi = openapi  # type: ignore[method-assign]
