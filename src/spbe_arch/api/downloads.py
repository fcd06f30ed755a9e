"""File downloads shared by the API routes and the web pages."""

from __future__ import annotations

import io
import re
from urllib.parse import quote

from fastapi.responses import Response

from spbe_arch.errors import InputError
from spbe_arch.importers.xlsx import build_workbook
from spbe_arch.repository import Repository

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UnknownOpdError(InputError):
    http_status = 404


def content_disposition(name: str, disposition: str = "attachment") -> str:
    """A Content-Disposition value for any file name: names often carry codes, which may hold
    any character, and a header must be Latin-1 (RFC 6266: an ASCII fallback, and the name
    itself as UTF-8)."""
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    if fallback == name:
        return f'{disposition}; filename="{name}"'
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


DOCUMENT_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:;"
                   " font-src data:; frame-ancestors 'none'")
"""A generated document shown in the browser (a report or SOP in HTML, an SVG diagram)
runs nothing and loads nothing: it is served from the origin of the web UI, whose session
it could otherwise act for, and it is made from OPD editors' data."""


def document_download(content: bytes, media_type: str, file_name: str,
                      disposition: str) -> Response:
    """A generated document (report, SOP), inline or as an attachment, with
    `DOCUMENT_POLICY` and no content sniffing."""
    return Response(content, media_type=media_type, headers={
        "Content-Disposition": content_disposition(file_name, disposition),
        "Content-Security-Policy": DOCUMENT_POLICY,
        "X-Content-Type-Options": "nosniff"})


def workbook_download(repository: Repository, instansi: str, opd: str | None, with_data: bool,
              prefix: str) -> Response:
    buffer = io.BytesIO()
    try:
        build_workbook(repository, buffer, instansi=instansi, opd=opd, with_data=with_data)
    except InputError as exc:
        if opd:
            raise UnknownOpdError(exc.message_id, exc.message_en) from None
        raise
    name = f"{prefix}-{instansi}" + (f"-{opd}" if opd else "") + ".xlsx"
    return Response(buffer.getvalue(), media_type=XLSX,
                    headers={"Content-Disposition": content_disposition(name)})
