"""Reading request bodies with the size limit (`settings.max_upload_bytes`), and the route
class that reads a JSON body that way before FastAPI parses it."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import APIRoute

from spbe_arch.errors import InputError
from spbe_arch.settings import Settings


class BodyTooLargeError(InputError):
    http_status = 413


FORM_OVERHEAD_BYTES = 1024 * 1024
"""What a multipart upload may hold besides its file (boundaries, part headers, the text
fields beside it), so a file at the limit gets its route's own message, not this one."""


async def read_body(request: Request, settings: Settings, limit: int | None = None) -> bytes:
    """The whole body, refused (413) as soon as it passes the limit (`limit`, by default
    `settings.max_upload_bytes`) — also when the client sends no Content-Length."""
    limit = settings.max_upload_bytes if limit is None else limit
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> BodyTooLargeError:
    return BodyTooLargeError(f"isi permintaan melebihi batas {limit} byte",
                             f"the request body exceeds the limit of {limit} bytes")


def multipart_parts(content_type: str, body: bytes) -> list[tuple[str, str, bytes]]:
    """(content type, file name, content) of each part of a multipart body."""
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    if not message.is_multipart():
        raise InputError("isi multipart tidak dapat diurai (boundary hilang atau salah)",
                         "cannot read the multipart body (missing or wrong boundary)")
    parts: list[tuple[str, str, bytes]] = []
    for part in message.walk():
        if part is message or part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        declared = part.get("Content-Type")
        parts.append((str(declared) if declared else "", part.get_filename() or "", data))
    return parts


class LimitedBodyRoute(APIRoute):
    """A route whose request body is read under `settings.max_upload_bytes` (413 past it),
    and whose JSON body, when it is not JSON FastAPI can take, is refused with the 422 of
    any invalid JSON (`json_invalid`, in the request's language).

    FastAPI reads and parses a JSON body before any dependency runs, the token check
    included: without the limit, anyone could make the server hold a body of any size.
    FastAPI's own parse answers a body that is not UTF-8, or nested too deep for Python's
    parser, with an English 400 that names nothing ("There was an error parsing the
    body"), and takes `NaN` / `Infinity` (not JSON) as numbers that were stored as the
    text "nan"."""

    overhead_bytes = 0
    """Allowed above `settings.max_upload_bytes` (the multipart wrapping of an upload)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def limited(request: Request) -> Response:
            if request.method in ("POST", "PUT", "PATCH"):
                # Starlette keeps the body (and the JSON) it has read; FastAPI's own read
                # then reuses them
                settings = request.app.state.settings
                body = await read_body(request, settings,
                                       settings.max_upload_bytes + self.overhead_bytes)
                request._body = body
                if body and _is_json(request.headers.get("content-type")):
                    parsed = parse_json(body)
                    if parsed is not _UNPARSED:
                        request._json = parsed
            return await handler(request)

        return limited


class LimitedUploadRoute(LimitedBodyRoute):
    """A route taking a multipart upload (a file and a few fields), read under the upload
    limit plus `FORM_OVERHEAD_BYTES` before FastAPI parses the form. FastAPI parses a form
    before any dependency runs, the token check included, and Starlette spools its files
    to disk whatever their size: anyone could fill the server's disk with one request."""

    overhead_bytes = FORM_OVERHEAD_BYTES


_UNPARSED = object()


def _is_json(content_type: str | None) -> bool:
    # the test FastAPI makes before it parses a body as JSON
    if not content_type:
        return False
    message = Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json"))


class _NotJson(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _NotJson(name)


def parse_json(body: bytes) -> Any:
    """The JSON value of `body`; `_UNPARSED` when its syntax is wrong (FastAPI's own parse
    then answers that with the position); a `RequestValidationError` (422, a `json_invalid…`
    type that `api.request_errors` words in Indonesian) for what FastAPI would take wrongly
    or answer with an unexplained 400."""
    try:
        return json.loads(body, parse_constant=_refuse_constant)
    except json.JSONDecodeError:
        return _UNPARSED
    except UnicodeDecodeError as error:
        ctx: dict[str, Any] = {"byte": f"0x{body[error.start]:02x}", "offset": error.start}
        kind, message = "json_invalid_utf8", (f"not valid JSON: not UTF-8 (byte {ctx['byte']}"
                                              f" at offset {error.start})")
    except _NotJson as error:
        ctx = {"value": str(error)}
        kind, message = "json_invalid_constant", (f"not valid JSON: {error} is not a JSON"
                                                  " value (JSON has no NaN or Infinity)")
    except RecursionError:
        ctx = {}
        kind, message = "json_too_deep", "nested too deep to be read"
    raise RequestValidationError([{"type": kind, "loc": ("body",), "msg": message,
                                   "input": {}, "ctx": ctx}])
