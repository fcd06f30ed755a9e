"""Reading request bodies with the size limit (`settings.max_upload_bytes`)."""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import HTTP

from fastapi import Request

from spbe_arch.errors import InputError
from spbe_arch.settings import Settings


class BodyTooLargeError(InputError):
    http_status = 413


async def read_body(request: Request, settings: Settings) -> bytes:
    """The whole body, refused (413) as soon as it passes the limit — also when the
    client sends no Content-Length."""
    limit = settings.max_upload_bytes
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
