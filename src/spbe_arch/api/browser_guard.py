"""What every answer tells a browser, and which addresses a loopback server answers.

`SecurityHeaders`: every answer gets `X-Content-Type-Options: nosniff`, no framing and a
Referrer-Policy; one without a Content-Security-Policy of its own (JSON, RDF, SPARQL
results, plain-text errors, static files) gets one that runs nothing. The web UI's pages,
its generated documents and `/docs` set their own (`web.context`, `api.downloads`,
`routes.openapi_ui`). Without
`nosniff`, a browser runs a same-origin `<script src>` whatever its type, so an answer that
echoes user text (a SPARQL error quoting the query, a literal in a result) would be a script
the pages' `script-src 'self'` lets in.

`LoopbackHostOnly`: anonymous reading is on by default for a loopback bind, on the grounds
that only the user's own machine reaches it. DNS rebinding breaks that: a web site whose
name is made to resolve to 127.0.0.1 becomes same-origin with the server in the user's
browser and could read the whole repository (data classified Tertutup included). Such a
request still names the site in its `Host` header, so a loopback server whose anonymous
reading comes from that default answers only requests addressed to a loopback name.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spbe_arch.access import is_loopback
from spbe_arch.errors import SpbeError

NO_CONTENT_POLICY = "default-src 'none'; frame-ancestors 'none'"
"""For answers that are data, not pages: if a browser ever shows one as a document, it
runs, loads and frames nothing."""

HEADERS: tuple[tuple[str, str], ...] = (
    ("X-Content-Type-Options", "nosniff"),
    # frame-ancestors for current browsers, X-Frame-Options for the ones before it
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Content-Security-Policy", NO_CONTENT_POLICY),
)


class SecurityHeaders:
    """Adds `HEADERS` to every answer that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS:
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)


class MisdirectedRequestError(SpbeError):
    """A request to a loopback server that names another host (HTTP 400)."""

    http_status = 400


def host_name(host_header: str) -> str:
    """The name or address of a `Host` header, without port, brackets or trailing dot."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    if host.count(":") == 1:
        host = host.partition(":")[0]
    return host.rstrip(".")


def is_loopback_name(host_header: str) -> bool:
    """`localhost`, a name under `.localhost` (RFC 6761: always the loopback) or a loopback
    address."""
    name = host_name(host_header)
    return name.endswith(".localhost") or is_loopback(name)


Refuse = Callable[[Request, SpbeError], Response]


class LoopbackHostOnly:
    """Refuses (400) a request whose `Host` is not a loopback name; see the module text.
    `refuse` draws the answer (the app's `error_response`, in the request's language)."""

    def __init__(self, app: ASGIApp, refuse: Refuse) -> None:
        self.app = app
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = Headers(scope=scope).get("host")
        # a request without Host (HTTP/1.0 tools) names no other site: nothing to refuse
        if host is None or is_loopback_name(host):
            await self.app(scope, receive, send)
            return
        shown = host[:100]
        response = self.refuse(Request(scope), MisdirectedRequestError(
            f"server ini terikat ke loopback dan hanya melayani alamat localhost/127.0.0.1,"
            f" bukan '{shown}'; di balik reverse proxy, tetapkan SPBE_ANONYMOUS_READ (false:"
            " perlu token; true: baca anonim untuk siapa pun yang menjangkau proxy)",
            f"this server is bound to the loopback and answers only localhost/127.0.0.1,"
            f" not '{shown}'; behind a reverse proxy, set SPBE_ANONYMOUS_READ (false: a token"
            " is needed; true: anonymous reading for anyone who reaches the proxy)"))
        await response(scope, receive, send)
