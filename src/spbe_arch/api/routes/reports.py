"""`/reports`: the report catalogue and the documents themselves (see docs/reports.md).

`GET /reports` lists the reports; `GET /reports/{name}?format=html|pdf|docx|md&instansi=…
&opd=…&lang=…` renders one. The instansi's template folder, when the server has one
(`SPBE_REPORT_TEMPLATES`), applies here as in the CLI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel

from spbe_arch.api.deps import InstansiQuery, LangDep, ReaderDep, RepositoryDep, SettingsDep
from spbe_arch.api.downloads import document_download
from spbe_arch.reports import FORMATS, available_reports, render
from spbe_arch.settings import Settings

router = APIRouter(prefix="/reports", tags=["Laporan"])


class ReportInfo(BaseModel):
    name: str
    title: str
    description: str
    opd: str
    """"none", "optional" or "required": whether the report takes `opd`."""
    formats: list[str]
    url: str


def _template_dir(settings: Settings) -> Path | None:
    folder = getattr(settings, "report_templates", None)
    return Path(folder) if folder else None


@router.get("", response_model=list[ReportInfo], summary="Daftar laporan yang dapat dibuat")
def list_reports(_: ReaderDep, settings: SettingsDep, lang: LangDep) -> list[ReportInfo]:
    """Daftar laporan yang dapat dibuat, dengan format yang didukung."""
    return [ReportInfo(name=spec.name, title=spec.title(lang), description=spec.description(lang),
                       opd=spec.opd, formats=list(FORMATS), url=f"/reports/{spec.name}")
            for spec in available_reports(_template_dir(settings))]


@router.get(
    "/{name}",
    summary="Buat satu laporan dalam format yang diminta",
    responses={200: {"content": {"text/html": {}, "application/pdf": {},
                                 "application/vnd.openxmlformats-officedocument"
                                 ".wordprocessingml.document": {},
                                 "text/markdown": {}},
                     "description": "Dokumen laporan"}},
    response_class=Response,
)
def get_report(
    name: str,
    _: ReaderDep,
    repository: RepositoryDep,
    settings: SettingsDep,
    lang: LangDep,
    format: Annotated[str, Query(description="html, pdf, docx atau md")] = "html",
    instansi: InstansiQuery = None,
    opd: Annotated[str | None, Query(description="Kode OPD (wajib untuk laporan opd)")] = None,
) -> Response:
    """Satu laporan dalam format yang diminta (HTML ditampilkan; PDF/DOCX/MD diunduh)."""
    rendered = render(repository, name, format, instansi=instansi or settings.instansi,
                      opd=opd, lang=lang, template_dir=_template_dir(settings))
    disposition = "inline" if format == "html" else "attachment"
    return document_download(rendered.content, rendered.media_type, rendered.filename,
                             disposition)
