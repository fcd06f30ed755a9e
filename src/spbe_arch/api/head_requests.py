"""HEAD for every GET route (RFC 9110 §9.3.2: a general-purpose server supports both).

FastAPI routes answer only the methods they declare, so `curl -I`, link checkers and
uptime monitors got 405 on every page and resource. A HEAD request for a path that has a
GET route and no HEAD route of its own (the Graph Store Protocol declares its own) runs
as that GET, and the body is dropped: same status and headers, Content-Length included.
"""

from __future__ import annotations

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD" or _has_own_head(scope):
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        # the server keeps its own scope, still HEAD: it writes no body and keeps the
        # Content-Length the GET answer declared
        await self.app({**scope, "method": "GET"}, receive, without_body)


def _has_own_head(scope: Scope) -> bool:
    router = scope["app"].router
    return any(route.matches(scope)[0] is Match.FULL for route in router.routes)
