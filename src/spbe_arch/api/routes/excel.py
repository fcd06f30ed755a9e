"""`/excel/…`: download the template or an export, upload a filled workbook.

The routes call the same service functions as `spbe-arch excel`. Reading needs read
access; an upload needs an editor token (its OPDs scope the rows it may contain) or an
admin token. An upload is refused above `settings.max_upload_bytes` (413); a workbook with
problems gets 422 with every problem (sheet, row, column, value, message) and nothing is
written. The import runs under the app's write lock, so nothing changes between its
checks and its commit.
"""

from __future__ import annotations

import io
import re
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, UploadFile
from fastapi.responses import JSONResponse, Response

from spbe_arch.access import PermissionDeniedError, Principal, Role
from spbe_arch.access.policy import AuthenticationError
from spbe_arch.api.deps import (
    LangDep,
    PrincipalDep,
    ReaderDep,
    RepositoryDep,
    SettingsDep,
    WriteLockDep,
)
from spbe_arch.errors import InputError, SpbeError
from spbe_arch.importers.xlsx import WorkbookProblems, build_workbook, import_workbook
from spbe_arch.importers.xlsx.reader import SheetProblem
from spbe_arch.model import KINDS
from spbe_arch.model.service import RepositoryResolver
from spbe_arch.repository import Repository

router = APIRouter(prefix="/excel", tags=["excel"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Instansi = Annotated[str | None, Query(description="Kode wilayah (bawaan: SPBE_INSTANSI)")]
Opd = Annotated[str | None, Query(description="Kode OPD: hanya data OPD ini")]


class UploadTooLargeError(InputError):
    http_status = 413


class NotXlsxError(InputError):
    http_status = 415


class UnknownOpdError(InputError):
    http_status = 404


def _workbook(repository: Repository, instansi: str, opd: str | None, with_data: bool,
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


@router.get("/template", response_class=Response, responses={200: {"content": {XLSX: {}}}})
def template(repository: RepositoryDep, settings: SettingsDep, _: ReaderDep,
             instansi: Instansi = None, opd: Opd = None) -> Response:
    """Templat Excel; dengan `opd`, terisi data OPD itu."""
    return _workbook(repository, instansi or settings.instansi, opd, opd is not None,
                     "templat")


@router.get("/export", response_class=Response, responses={200: {"content": {XLSX: {}}}})
def export(repository: RepositoryDep, settings: SettingsDep, _: ReaderDep,
           instansi: Instansi = None, opd: Opd = None) -> Response:
    """Ekspor repositori ke Excel (tata letak sama dengan templat)."""
    return _workbook(repository, instansi or settings.instansi, opd, True, "arsitektur")


def _editor_scope(principal: Principal, repository: Repository,
                  instansi: str) -> set[str] | None:
    """None for an admin; the editor's OPD codes; refuses everyone else."""
    if not principal.authenticated:
        raise AuthenticationError("impor Excel memerlukan token API",
                                  "an Excel import needs an API token")
    if principal.is_admin:
        return None
    if principal.role is not Role.editor:
        raise PermissionDeniedError(
            f"impor Excel memerlukan peran editor atau admin; token '{principal.name}'"
            f" berperan {principal.role}",
            f"an Excel import needs the editor or admin role; token '{principal.name}' has"
            f" the role {principal.role}")
    # tokens name OPDs by IRI (or code); the importer works with codes
    stored = RepositoryResolver(repository, instansi).stored_codes(KINDS["opd"])
    by_iri = {str(iri): code for code, iri in stored.items()}
    return {by_iri.get(o, o) for o in principal.opds}


@router.post("/import")
def import_(repository: RepositoryDep, settings: SettingsDep, principal: PrincipalDep,
            lang: LangDep, lock: WriteLockDep, file: UploadFile, instansi: Instansi = None,
            dry_run: bool = False,
            prune_opd: Annotated[list[str] | None, Query(
                description="Hapus elemen OPD ini (proses bisnis, layanan, data, aplikasi,"
                            " infrastruktur, keamanan, SOP) yang tidak ada di buku kerja"
                            " (boleh diulang)")] = None,
            ) -> JSONResponse:
    """Unggah buku kerja yang sudah diisi: ringkasan yang ditambah/diubah/dihapus, atau 422
    dengan setiap masalah (sheet, baris, kolom, nilai) dan tidak ada yang disimpan."""
    instansi = instansi or settings.instansi
    scope = _editor_scope(principal, repository, instansi)
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
