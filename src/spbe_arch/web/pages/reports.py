"""Laporan: every report of the catalogue, in every format, generated on request.

The same `reports.render` as `GET /reports/{name}` (and `spbe-arch report`), with the
instansi's template folder when the server has one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi import Path as PathParam
from fastapi.responses import Response

from spbe_arch.api.downloads import document_download
from spbe_arch.model import list_entities
from spbe_arch.reports import FORMATS, available_reports, render
from spbe_arch.settings import Settings
from spbe_arch.web.context import PageDep
from spbe_arch.web.rendering import WebRoute

router = APIRouter(route_class=WebRoute)
FORMAT_LABELS = {"html": "HTML", "pdf": "PDF", "docx": "DOCX (Word)", "md": "Markdown"}


def template_dir(settings: Settings) -> Path | None:
    folder = getattr(settings, "report_templates", None)
    return Path(folder) if folder else None


@router.get("/laporan")
def reports_page(page: PageDep) -> Response:
    opds = list_entities(page.repository, "opd", instansi=page.instansi, limit=None).items
    return page.render("reports.html.j2", reports=available_reports(template_dir(page.settings)),
                       formats=FORMATS, format_labels=FORMAT_LABELS,
                       opds=[(str(o["kode"]), str(o.get("nama") or "")) for o in opds])


@router.get("/laporan/{name}")
def report_download(page: PageDep, name: Annotated[str, PathParam(max_length=100)],
                    format: Annotated[str, Query(max_length=10)] = "html",
                    opd: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    rendered = render(page.repository, name, format, instansi=page.instansi, opd=opd or None,
                      lang=page.lang, template_dir=template_dir(page.settings))
    disposition = "inline" if format == "html" else "attachment"
    # the report is made from the repository's texts: it runs and loads nothing, not even
    # what the UI's own policy allows from this server
    return page.finish(document_download(rendered.content, rendered.media_type,
                                         rendered.filename, disposition))
