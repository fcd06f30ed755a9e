"""`/excel/…`: download the template or an export, upload a filled workbook.

The routes call the same service functions as `spbe-arch excel`. An upload is refused
above `settings.max_upload_bytes` (413); a workbook with problems gets 422 with every
problem (sheet, row, column, value, message) and nothing is written.
"""

from __future__ import annotations

import io
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from spbe_arch.access import (
    AuthenticationError,
    PermissionDeniedError,
    Principal,
    TokenStore,
    anonymous_read_enabled,
    authenticate,
    require_read,
)
from spbe_arch.api.deps import RepositoryDep, SettingsDep
from spbe_arch.errors import SpbeError
from spbe_arch.importers.xlsx import WorkbookProblems, build_workbook, import_workbook
from spbe_arch.importers.xlsx.reader import SheetProblem
from spbe_arch.model import KINDS
from spbe_arch.model.service import RepositoryResolver
from spbe_arch.repository import Repository
from spbe_arch.settings import Settings

router = APIRouter(prefix="/excel", tags=["excel"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Instansi = Annotated[str | None, Query(description="Kode wilayah (bawaan: SPBE_INSTANSI)")]
Opd = Annotated[str | None, Query(description="Kode OPD: hanya data OPD ini")]
Lang = Annotated[str, Query(pattern="^(id|en)$", description="Bahasa pesan")]
Authorization = Annotated[str | None, Header()]


def _principal(request: Request, settings: Settings, authorization: str | None) -> Principal:
    store = getattr(request.app.state, "excel_tokens", None)
    if store is None:
        store = TokenStore.for_settings(settings)
        request.app.state.excel_tokens = store
    host = getattr(request.app.state, "host", None)
    try:
        return authenticate(store, authorization,
                            anonymous_read=anonymous_read_enabled(settings, host))
    except AuthenticationError as exc:
        raise HTTPException(401, exc.message("id")) from None


def _deny(exc: SpbeError, status: int, lang: str) -> HTTPException:
    return HTTPException(status, exc.message(lang))


def _workbook(repository: Repository, instansi: str, opd: str | None, with_data: bool,
              lang: str, prefix: str) -> Response:
    buffer = io.BytesIO()
    try:
        build_workbook(repository, buffer, instansi=instansi, opd=opd, with_data=with_data)
    except SpbeError as exc:
        raise HTTPException(404 if opd else 400, exc.message(lang)) from None
    name = f"{prefix}-{instansi}" + (f"-{opd}" if opd else "") + ".xlsx"
    return Response(buffer.getvalue(), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/template", response_class=Response,
            responses={200: {"content": {XLSX: {}}}})
def template(request: Request, repository: RepositoryDep, settings: SettingsDep,
             instansi: Instansi = None, opd: Opd = None, lang: Lang = "id",
             authorization: Authorization = None) -> Response:
    """Templat Excel; dengan `opd`, terisi data OPD itu."""
    try:
        require_read(_principal(request, settings, authorization))
    except AuthenticationError as exc:
        raise _deny(exc, 401, lang) from None
    return _workbook(repository, instansi or settings.instansi, opd, opd is not None, lang,
                     "templat")


@router.get("/export", response_class=Response, responses={200: {"content": {XLSX: {}}}})
def export(request: Request, repository: RepositoryDep, settings: SettingsDep,
           instansi: Instansi = None, opd: Opd = None, lang: Lang = "id",
           authorization: Authorization = None) -> Response:
    """Ekspor repositori ke Excel (tata letak sama dengan templat)."""
    try:
        require_read(_principal(request, settings, authorization))
    except AuthenticationError as exc:
        raise _deny(exc, 401, lang) from None
    return _workbook(repository, instansi or settings.instansi, opd, True, lang, "arsitektur")


def _editor_scope(principal: Principal, repository: Repository, instansi: str,
                  lang: str) -> set[str] | None:
    """None for an admin; the editor's OPD codes; refuses other roles."""
    if not principal.authenticated:
        raise HTTPException(401, "impor Excel memerlukan token API" if lang == "id"
                            else "an Excel import needs an API token")
    if principal.is_admin:
        return None
    if principal.role is None or principal.role.value != "editor":
        raise HTTPException(403, "impor Excel memerlukan peran editor atau admin" if lang == "id"
                            else "an Excel import needs the editor or admin role")
    # tokens may name OPDs by code or by IRI; the repository knows both
    stored = RepositoryResolver(repository, instansi).stored_codes(KINDS["opd"])
    by_iri = {str(iri): code for code, iri in stored.items()}
    return {by_iri.get(o, o) for o in principal.opds}


def _problems_json(problems: list[SheetProblem], lang: str) -> list[dict[str, Any]]:
    return [p.to_json(lang) if isinstance(p, SheetProblem) else {"pesan": p.message(lang)}
            for p in problems]


@router.post("/import")
async def import_(request: Request, repository: RepositoryDep, settings: SettingsDep,
                  file: UploadFile, instansi: Instansi = None,
                  dry_run: Annotated[bool, Query(alias="dry_run")] = False,
                  lang: Lang = "id", authorization: Authorization = None) -> JSONResponse:
    """Unggah buku kerja yang sudah diisi: ringkasan perubahan, atau 422 dengan setiap
    masalah (sheet, baris, kolom) dan tidak ada yang disimpan."""
    instansi = instansi or settings.instansi
    principal = _principal(request, settings, authorization)
    scope = _editor_scope(principal, repository, instansi, lang)
    data = await file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        limit = settings.max_upload_bytes // (1024 * 1024)
        raise HTTPException(413, f"berkas lebih besar dari batas {limit} MB" if lang == "id"
                            else f"the file is larger than the {limit} MB limit")
    name = file.filename or "workbook.xlsx"
    if not name.lower().endswith((".xlsx", ".xlsm")):
        raise HTTPException(415, f"'{name}' bukan berkas .xlsx" if lang == "id"
                            else f"'{name}' is not an .xlsx file")
    try:
        report = import_workbook(repository, data, instansi=instansi, name=name,
                                 dry_run=dry_run, editor_opds=scope,
                                 agent=principal.name)
    except WorkbookProblems as exc:
        return JSONResponse(status_code=422, content={
            "pesan": SpbeError.message(exc, lang),
            "masalah": _problems_json(exc.problems, lang)})  # type: ignore[arg-type]
    except PermissionDeniedError as exc:
        raise _deny(exc, 403, lang) from None
    except SpbeError as exc:
        raise _deny(exc, 400, lang) from None
    return JSONResponse(report.to_json(lang))
