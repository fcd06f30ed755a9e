"""The FastAPI application factory.

Each feature contributes an `APIRouter` named `router` in `spbe_arch.api.routes.<name>`;
the app includes every module listed in `ROUTE_MODULES`. The repository, settings, token
store and query engine live on `app.state` and reach routes through the `Annotated`
dependencies in `api.deps`.

Errors: every `SpbeError` becomes a 4xx answer with its message (Indonesian, or English
with `?lang=en` / `Accept-Language: en`): plain text on the SPARQL and Graph Store
endpoints, where SPARQL tools show the body as it is, JSON `{"detail": …}` elsewhere.
"""

from __future__ import annotations

import importlib
import logging
import threading
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException

from spbe_arch import audit
from spbe_arch.access import (
    AuthenticationError,
    PermissionDeniedError,
    TokenStore,
    anonymous_read_enabled,
    loopback_names_only,
)
from spbe_arch.api.browser_guard import LoopbackHostOnly, SecurityHeaders
from spbe_arch.api.deps import request_lang
from spbe_arch.api.guard import GuardedRepository
from spbe_arch.api.head_requests import HeadAsGet
from spbe_arch.api.openapi_errors import declare_error_responses
from spbe_arch.api.query_engine import (
    ForkingQueryEngine,
    InProcessQueryEngine,
    NotAcceptableError,
    QueryEngine,
    QueryTimeoutError,
    RepositoryQueryEngine,
    ResultTooLargeError,
    fork_available,
)
from spbe_arch.api.request_errors import request_validation_error
from spbe_arch.errors import (
    ConfigurationError,
    InputProblems,
    SpbeError,
    StoreUnavailableError,
)
from spbe_arch.repository import Repository, open_repository
from spbe_arch.settings import Settings, get_settings
from spbe_arch.web.context import PREFIX as WEB_PREFIX

ROUTE_MODULES = (
    "sparql",
    "graph_store",
    # before `resources`: its generic /api/{kind}/{code:path} would take /api/instansi/…
    "instansi",
    "reference",  # likewise /api/referensi
    "resources",
    "validation",
    "queries",
    "history",
    "reports",
    "bpmn",
    "sop",
    "evaluation",
    "excel",
    "openapi_ui",
    "web",
)
PLAIN_TEXT_PATHS = ("/sparql", "/rdf-graph-store")

_STATUS: tuple[tuple[type[SpbeError], int], ...] = (
    (AuthenticationError, 401),
    (PermissionDeniedError, 403),
    (NotAcceptableError, 406),
    (QueryTimeoutError, 503),
    (ResultTooLargeError, 400),
    (StoreUnavailableError, 503),
    (InputProblems, 422),
    (ConfigurationError, 500),
)


def status_for(exc: SpbeError) -> int:
    """The HTTP status of an error: its own `http_status`/`status` if it has one."""
    for attribute in ("http_status", "status"):
        value = getattr(exc, attribute, None)
        if isinstance(value, int) and 400 <= value < 600:
            return value
    for kind, status in _STATUS:
        if isinstance(exc, kind):
            return status
    if type(exc).__name__ in ("UnknownQueryError", "NotFoundError", "UnknownEntityError"):
        return 404
    return 400


def error_response(request: Request, exc: SpbeError,
                   headers: dict[str, str] | None = None) -> Response:
    lang = request_lang(request)
    status = status_for(exc)
    headers = dict(headers or {})
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="spbe-arch"'
    if status == 503:
        headers["Retry-After"] = "5"
    if request.url.path.startswith(PLAIN_TEXT_PATHS):
        return PlainTextResponse(exc.message(lang) + "\n", status, headers=headers)
    body: dict[str, object] = {"detail": exc.message(lang)}
    problems = getattr(exc, "problems", None)
    if problems:
        body["problems"] = [p.message(lang) for p in problems if isinstance(p, SpbeError)]
    extra = getattr(exc, "extra", None)
    if isinstance(extra, dict):
        body.update(extra)
    return JSONResponse(body, status, headers=headers)


class RoutingError(SpbeError):
    """No route has the address (404), or the route does not take the method (405)."""

    def __init__(self, status: int, message_id: str, message_en: str) -> None:
        super().__init__(message_id, message_en)
        self.http_status = status


async def routing_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404 / 405 (an address no route has, a method the route does not
    take) as every other refusal of the service: a sentence naming the address, in the
    request's language, `Allow` kept. Its English `{"detail": "Not Found"}` read as if the
    service spoke English only and named nothing. The web UI (`/ui`) has its own pages
    and keeps Starlette's answers for what they leave (its static files)."""
    assert isinstance(exc, HTTPException)
    path = request.url.path
    if exc.status_code not in (404, 405) or path == WEB_PREFIX \
            or path.startswith(WEB_PREFIX + "/"):
        return await http_exception_handler(request, exc)
    # as sent (percent-encoded): a control character in the path stays visible
    raw = request.scope.get("raw_path") or path.encode()
    shown = raw.decode("latin-1")
    if exc.status_code == 404:
        error = RoutingError(
            404, f"tidak ada alamat '{shown}' di layanan ini; alamat API tercantum di /docs",
            f"there is no address '{shown}' on this service; the API's addresses are listed"
            " at /docs")
    else:
        allowed = (exc.headers or {}).get("Allow", "")
        error = RoutingError(
            405, f"'{shown}' tidak menerima metode {request.method}; pakai {allowed}",
            f"'{shown}' does not take the method {request.method}; use {allowed}")
    return error_response(request, error, dict(exc.headers or {}))


def make_query_engine(repository: GuardedRepository, settings: Settings) -> QueryEngine:
    from spbe_arch.repository.oxigraph import OxigraphRepository

    inner = repository.inner
    if isinstance(inner, OxigraphRepository):
        if fork_available():
            return ForkingQueryEngine(inner.store, repository, settings.query_workers)
        return InProcessQueryEngine(inner.store, repository)
    return RepositoryQueryEngine(repository)


def cors_origins(settings: Settings, anonymous_read: bool) -> list[str]:
    """The origins whose web pages may call the service (`SPBE_CORS_ORIGINS`).

    By default any origin while every read needs a token: a page can only send one the
    user gave it (in YASGUI's settings). None while anonymous reading is on (the loopback
    demo, by default): then any web site the user opens could read the whole repository,
    data classified Tertutup included, through the user's browser from a server on the
    user's own machine or network. A value set by the operator is taken as it is."""
    if settings.cors_origins is None:
        return [] if anonymous_read else ["*"]
    return [o.strip() for o in settings.cors_origins.split(",") if o.strip()]


def create_app(settings: Settings | None = None, repository: Repository | None = None, *,
               host: str | None = None, tokens: TokenStore | None = None) -> FastAPI:
    """The service over `repository` (default: the store named by the settings).

    `host` is the address the server binds to; it decides whether anonymous reading is
    on when `settings.anonymous_read` is not set (None = in-process use, treated as
    loopback).
    """
    settings = settings or get_settings()
    # rdflib logs a whole traceback for every ill-typed literal it converts ("x"^^xsd:integer
    # written through the Graph Store or SPARQL Update): findings of validation, not server
    # errors, and any writer could flood the log with them
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    base = repository or open_repository(settings.store, settings)
    audit.index_on_open(base)  # history by the index alone (a read-only store: skipped)
    guarded = base if isinstance(base, GuardedRepository) else GuardedRepository(base)
    engine = make_query_engine(guarded, settings)
    closed = threading.Event()

    def shutdown() -> None:
        if not closed.is_set():
            closed.set()
            engine.close()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        shutdown()

    app = FastAPI(
        title="spbe-arch",
        description=(
            "Repositori arsitektur SPBE — SPARQL 1.1 Protocol (`/sparql`), Graph Store"
            " Protocol (`/rdf-graph-store`) dan REST API. Token API: header"
            " `Authorization: Bearer <token>` (buat dengan `spbe-arch token create`)."
        ),
        version="0.1.0",
        lifespan=lifespan,
        # /docs with Swagger UI from the package (routes.openapi_ui); no /redoc (CDN only)
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.repository = guarded
    app.state.tokens = tokens or TokenStore.for_settings(settings)
    app.state.host = host
    app.state.anonymous_read = anonymous_read_enabled(settings, host)
    app.state.query_engine = engine
    app.state.write_lock = threading.Lock()
    app.state.shutdown = shutdown
    # workers end with the app (or at interpreter exit), even without a lifespan run
    weakref.finalize(app, shutdown)

    app.add_exception_handler(RequestValidationError, request_validation_error)
    app.add_exception_handler(HTTPException, routing_error)

    @app.exception_handler(SpbeError)
    async def _spbe_error(request: Request, exc: SpbeError) -> Response:
        return error_response(request, exc)

    app.add_middleware(HeadAsGet)
    origins = cors_origins(settings, app.state.anonymous_read)
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["Location", "Content-Type", "Retry-After", "ETag", "Link",
                            "X-Total-Count"],
            max_age=600,
        )
    if loopback_names_only(settings, host):
        app.add_middleware(LoopbackHostOnly, refuse=error_response)
    app.add_middleware(SecurityHeaders)  # outermost: refusals and CORS answers get it too

    # before the routes' own hooks, which build on the generic operations it completes
    declare_error_responses(app)
    for name in ROUTE_MODULES:
        module = importlib.import_module(f"spbe_arch.api.routes.{name}")
        setup = getattr(module, "setup", None)
        if setup is not None:
            setup(app)
        else:
            app.include_router(module.router)
    return app
