"""`/excel/…`: download the template or an export, upload a filled workbook.

The routes call the same service functions as `spbe-arch excel`. Reading needs read
access; an upload needs an editor token (its OPDs scope the rows it may contain) or an
admin token. An upload is refused above `settings.max_upload_bytes` (413); a workbook with
problems gets 422 with every problem (sheet, row, column, value, message) and nothing is
written. The import runs under the app's write lock, so nothing changes between its
checks and its commit.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, UploadFile
from fastapi.responses import JSONResponse, Response

from spbe_arch.api.bodies import LimitedUploadRoute
from spbe_arch.api.deps import (
    InstansiQuery,
    LangDep,
    PrincipalDep,
    ReaderDep,
    RepositoryDep,
    SettingsDep,
    WriteLockDep,
)
from spbe_arch.api.downloads import XLSX, workbook_download
from spbe_arch.api.writes import import_scope
from spbe_arch.errors import InputError, SpbeError
from spbe_arch.importers.xlsx import WorkbookProblems, import_workbook
from spbe_arch.importers.xlsx.reader import SheetProblem

router = APIRouter(prefix="/excel", tags=["Excel"], route_class=LimitedUploadRoute)

Opd = Annotated[str | None, Query(description="Kode OPD: hanya data OPD ini")]


UNKNOWN_OPD: dict[int | str, dict[str, Any]] = {
    404: {"description": "OPD tidak ada di instansi (unknown OPD)"}}


class UploadTooLargeError(InputError):
    http_status = 413


class NotXlsxError(InputError):
    http_status = 415


@router.get("/template", summary="Unduh templat Excel", response_class=Response,
            responses={200: {"content": {XLSX: {}}}, **UNKNOWN_OPD})
def template(repository: RepositoryDep, settings: SettingsDep, _: ReaderDep,
             instansi: InstansiQuery = None, opd: Opd = None) -> Response:
    """Templat Excel; dengan `opd`, terisi data OPD itu."""
    return workbook_download(repository, instansi or settings.instansi, opd, opd is not None,
                     "templat")


@router.get("/export", summary="Ekspor repositori ke Excel", response_class=Response,
            responses={200: {"content": {XLSX: {}}}, **UNKNOWN_OPD})
def export(repository: RepositoryDep, settings: SettingsDep, _: ReaderDep,
           instansi: InstansiQuery = None, opd: Opd = None) -> Response:
    """Ekspor repositori ke Excel (tata letak sama dengan templat)."""
    return workbook_download(repository, instansi or settings.instansi, opd, True, "arsitektur")


@router.post("/import", summary="Impor buku kerja Excel yang sudah diisi",
             responses={415: {"description": "Berkas bukan buku kerja .xlsx / .xlsm"}})
def import_(repository: RepositoryDep, settings: SettingsDep, principal: PrincipalDep,
            lang: LangDep, lock: WriteLockDep, file: UploadFile, instansi: InstansiQuery = None,
            dry_run: bool = False,
            prune_opd: Annotated[list[str] | None, Query(
                description="Hapus elemen OPD ini (proses bisnis, layanan, data, aplikasi,"
                            " infrastruktur, keamanan, SOP) yang tidak ada di buku kerja"
                            " (boleh diulang)")] = None,
            ) -> JSONResponse:
    """Unggah buku kerja yang sudah diisi: ringkasan yang ditambah/diubah/dihapus, atau 422
    dengan setiap masalah (sheet, baris, kolom, nilai) dan tidak ada yang disimpan."""
    instansi = instansi or settings.instansi
    scope = import_scope(principal, repository, instansi)
    data = file.file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        limit = f"{settings.max_upload_bytes / 1024 / 1024:g}"
        raise UploadTooLargeError(f"berkas lebih besar dari batas {limit} MB",
                                  f"the file is larger than the {limit} MB limit")
    name = file.filename or "workbook.xlsx"
    if not name.lower().endswith((".xlsx", ".xlsm")):
        raise NotXlsxError(f"'{name}' bukan berkas .xlsx; unggah buku kerja dari templat",
                           f"'{name}' is not an .xlsx file; upload a workbook made from the"
                           " template")
    try:
        with lock:
            report = import_workbook(repository, data, instansi=instansi, name=name,
                                     dry_run=dry_run, editor_opds=scope,
                                     agent=principal.name, prune_opds=prune_opd)
    except WorkbookProblems as exc:
        return JSONResponse(status_code=422, content={
            "detail": SpbeError.message(exc, lang),
            "masalah": [p.to_json(lang) if isinstance(p, SheetProblem)
                        else {"pesan": p.message(lang)} for p in exc.problems]})
    return JSONResponse(report.to_json(lang))
