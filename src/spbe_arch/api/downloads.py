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
    # codes come from the request: RFC 6266 form, so any character is safe in the header
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    return Response(buffer.getvalue(), media_type=XLSX,
                    headers={"Content-Disposition": disposition})
