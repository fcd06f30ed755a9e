"""`/sop/…`: derive SOPs from BPMN models, read and edit them, get their documents.

Same service functions as `spbe-arch sop`. Reading needs read access; deriving needs an
editor token for the proses bisnis' OPD (or admin); editing an SOP needs an editor token
for the SOP's OPD (or admin). Writes run under the app's write lock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from spbe_arch.access import Principal, require_opd_write
from spbe_arch.api.bodies import LimitedBodyRoute
from spbe_arch.api.deps import (
    InstansiQuery,
    LangDep,
    PrincipalDep,
    ReaderDep,
    RepositoryDep,
    SettingsDep,
    WriteLockDep,
)
from spbe_arch.api.downloads import content_disposition, document_download
from spbe_arch.api.writes import derive_sop_as
from spbe_arch.errors import InputError
from spbe_arch.repository import Repository
from spbe_arch.sop import (
    export_sop_bpmn,
    list_sops,
    load_sop,
    render_sop,
    set_sop_fields,
    set_step_fields,
)
from spbe_arch.sop.document import SopDocument

router = APIRouter(prefix="/sop", tags=["SOP"], route_class=LimitedBodyRoute)


class SopNotFoundError(InputError):
    http_status = 404


class DeriveBody(BaseModel):
    proses: str = Field(description="Kode proses bisnis")
    model: str | None = Field(None, description="Nama model BPMN (bawaan: terbaru)")
    pool: str | None = Field(None, description="Pool bila model memiliki beberapa")
    kode: str | None = Field(None, description="Kode SOP (bawaan: otomatis)")
    instansi: str | None = Field(None, description="Kode wilayah")


class IdentityBody(BaseModel):
    """Identity fields; a field left out is not changed, an empty value removes it."""

    nama: str | None = None
    nomor: str | None = None
    tanggal_pembuatan: str | None = Field(None, description="2026-12-04 atau 4 Desember 2026")
    tanggal_revisi: str | None = None
    tanggal_efektif: str | None = None
    disahkan_jabatan: str | None = None
    disahkan_nama: str | None = None
    disahkan_nip: str | None = Field(None, description="18 angka")
    dasar_hukum: list[str] | None = None
    kualifikasi_pelaksana: list[str] | None = None
    keterkaitan: list[str] | None = None
    peralatan: list[str] | None = None
    peringatan: list[str] | None = None
    pencatatan: list[str] | None = None
    status: str | None = Field(None, description="draft atau ditetapkan")


class StepBody(BaseModel):
    nama: str | None = Field(None, description="Teks kegiatan")
    kelengkapan: str | None = None
    waktu: str | None = None
    output: str | None = None
    keterangan: str | None = None


def _load(repository: Repository, kode: str, instansi: str) -> SopDocument:
    try:
        return load_sop(repository, kode, instansi)
    except InputError as exc:
        raise SopNotFoundError(exc.message_id, exc.message_en) from None


def _edit(repository: Repository, principal: Principal, lock: Any, kode: str,
          kode_wilayah: str, values: dict[str, Any],
          write: Callable[[dict[str, Any]], object]) -> dict[str, object]:
    """An edit of an SOP by someone who may edit it (under the write lock); the SOP after."""
    if not principal.authenticated:
        require_opd_write(principal, [], f"mengubah SOP {kode}", f"changing SOP {kode}")
    # the owner is read under the lock: checked before it, a write in between could move
    # the SOP to another OPD and this edit would land there
    with lock:
        _may_edit(principal, _load(repository, kode, kode_wilayah))
        if values:
            write(values)
    return _load(repository, kode, kode_wilayah).as_dict()


def _may_edit(principal: Principal, document: SopDocument) -> None:
    owner = [document.pemilik] if document.pemilik is not None else []
    require_opd_write(principal, owner, f"mengubah SOP {document.kode}",
                      f"changing SOP {document.kode}")


@router.get("", summary="Daftar SOP instansi")
def sops(repository: RepositoryDep, settings: SettingsDep, _: ReaderDep,
         instansi: InstansiQuery = None) -> list[dict[str, object]]:
    """SOP instansi: kode, nama, status, proses bisnis, asal BPMN, jumlah langkah."""
    return [s.as_dict() for s in list_sops(repository, instansi or settings.instansi)]


@router.post("/derive", summary="Turunkan SOP dari model BPMN proses bisnisnya")
def derive(body: DeriveBody, repository: RepositoryDep, settings: SettingsDep,
           principal: PrincipalDep, lang: LangDep, lock: WriteLockDep) -> dict[str, object]:
    """Turunkan (ulang) SOP proses bisnis dari model BPMN-nya."""
    result = derive_sop_as(principal, repository, lock, proses=body.proses,
                           instansi=body.instansi or settings.instansi, model=body.model,
                           pool=body.pool, kode=body.kode, lang=lang)
    return {"ringkasan": result.summary(lang), "kode": result.kode, "sop": str(result.sop),
            "dibuat": result.created, "berubah": result.changed, "langkah": result.steps,
            "pelaksana": result.pelaksana, "model": str(result.model),
            "peringatan": [n.message(lang) for n in result.notices]}


@router.patch("/{kode:path}/langkah/{nomor}", summary="Ubah satu langkah SOP")
def update_step(kode: str, nomor: int, body: StepBody, repository: RepositoryDep,
                settings: SettingsDep, principal: PrincipalDep, lock: WriteLockDep,
                lang: LangDep, instansi: InstansiQuery = None) -> dict[str, object]:
    """Ubah teks kegiatan, mutu baku (kelengkapan, waktu, output) atau keterangan langkah."""
    kode_wilayah = instansi or settings.instansi
    return _edit(repository, principal, lock, kode, kode_wilayah,
                 body.model_dump(exclude_none=True),
                 lambda values: set_step_fields(repository, kode, nomor, values,
                                                kode_wilayah=kode_wilayah,
                                                agent=principal.name, lang=lang))


@router.get("/{kode:path}/dokumen", summary="Dokumen SOP (format PermenPANRB 35/2012)",
            response_class=Response, responses={200: {"content": {
    "application/pdf": {}, "text/html": {}, "image/svg+xml": {},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}}}})
def document(kode: str, repository: RepositoryDep, settings: SettingsDep, _: ReaderDep,
             format: Annotated[str, Query(description="pdf, html, docx atau svg")] = "pdf",
             halaman: Annotated[int, Query(description="Halaman diagram alir (svg)")] = 1,
             instansi: InstansiQuery = None) -> Response:
    """Dokumen SOP (format PermenPANRB 35/2012, lanskap) sebagai PDF, HTML, DOCX, atau satu
    halaman diagram alir sebagai SVG."""
    kode_wilayah = instansi or settings.instansi
    _load(repository, kode, kode_wilayah)
    rendered = render_sop(repository, kode, format, kode_wilayah=kode_wilayah, page=halaman)
    disposition = "inline" if format in ("pdf", "html", "svg") else "attachment"
    return document_download(rendered.content, rendered.media_type, rendered.file_name,
                             disposition)


@router.get("/{kode:path}/bpmn", summary="SOP sebagai BPMN 2.0 XML", response_class=Response,
            responses={200: {"content": {"application/xml": {}}}})
def bpmn(kode: str, repository: RepositoryDep, settings: SettingsDep, _: ReaderDep,
         instansi: InstansiQuery = None) -> Response:
    """SOP sebagai BPMN 2.0 XML dengan geometri diagram (untuk Bizagi atau bpmn.io)."""
    kode_wilayah = instansi or settings.instansi
    document = _load(repository, kode, kode_wilayah)
    xml = export_sop_bpmn(repository, kode, kode_wilayah=kode_wilayah)
    name = f"sop-{document.kode}.bpmn"
    return Response(xml, media_type="application/xml",
                    headers={"Content-Disposition": content_disposition(name)})


# The bare /{kode:path} routes come last: a code may hold '/' (the code pattern allows it),
# so they would also match the longer paths above.
@router.get("/{kode:path}", summary="Isi satu SOP")
def sop(kode: str, repository: RepositoryDep, settings: SettingsDep, _: ReaderDep,
        instansi: InstansiQuery = None) -> dict[str, object]:
    """Isi SOP: identitas, pelaksana dan langkah (mutu baku, keterangan, tautan)."""
    return _load(repository, kode, instansi or settings.instansi).as_dict()


@router.patch("/{kode:path}", summary="Ubah identitas SOP")
def update(kode: str, body: IdentityBody, repository: RepositoryDep, settings: SettingsDep,
           principal: PrincipalDep, lock: WriteLockDep, lang: LangDep,
           instansi: InstansiQuery = None) -> dict[str, object]:
    """Ubah kolom identitas SOP (nomor, tanggal, pengesah, dasar hukum, ...)."""
    kode_wilayah = instansi or settings.instansi
    return _edit(repository, principal, lock, kode, kode_wilayah,
                 body.model_dump(exclude_none=True),
                 lambda values: set_sop_fields(repository, kode, values,
                                               kode_wilayah=kode_wilayah,
                                               agent=principal.name, lang=lang))
