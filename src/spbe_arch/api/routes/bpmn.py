"""`/bpmn/…`: upload BPMN 2.0 models, list them, their history, export them again.

Same service functions as `spbe-arch bpmn`. Reading needs read access. An upload linked to
a proses bisnis needs an editor token for that process's OPD (or admin); an upload linked
to no process belongs to no OPD, so only an admin may make it. Uploads above
`settings.max_upload_bytes` get 413; a malformed, hostile or non-BPMN file gets 400 with
the line that caused it, and nothing is stored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Query, UploadFile
from fastapi.responses import JSONResponse, Response

from spbe_arch.api.bodies import LimitedUploadRoute
from spbe_arch.api.deps import (
    KODE_WILAYAH,
    InstansiQuery,
    LangDep,
    PrincipalDep,
    ReaderDep,
    RepositoryDep,
    SettingsDep,
    WriteLockDep,
)
from spbe_arch.api.downloads import content_disposition
from spbe_arch.api.writes import check_bpmn_import
from spbe_arch.errors import InputError
from spbe_arch.importers.bpmn.service import (
    find_model,
    import_bpmn,
    list_models,
    model_history,
    model_version_graph,
)
from spbe_arch.importers.bpmn.writer import write_bpmn

router = APIRouter(prefix="/bpmn", tags=["BPMN"], route_class=LimitedUploadRoute)
BPMN_XML = "application/xml"


class UploadTooLargeError(InputError):
    http_status = 413


class ModelNotFoundError(InputError):
    http_status = 404


@router.post("/import", status_code=201,
             summary="Impor model BPMN 2.0 (mis. ekspor Bizagi) untuk satu proses bisnis")
def import_model(repository: RepositoryDep, settings: SettingsDep, principal: PrincipalDep,
                 lang: LangDep, lock: WriteLockDep, file: UploadFile,
                 proses: Annotated[str | None, Form(description="Kode proses bisnis")] = None,
                 model: Annotated[str | None, Form(description="Nama model")] = None,
                 instansi: Annotated[str | None, Form(description="Kode wilayah",
                                                      pattern=KODE_WILAYAH)] = None,
                 ) -> JSONResponse:
    """Unggah berkas .bpmn (BPMN 2.0 XML, mis. ekspor Bizagi) dan simpan sebagai model."""
    kode_wilayah = instansi or settings.instansi
    # without `proses`, a new version of a stored model keeps the process of the previous
    # one (the importer does so): that process's OPD decides, as if its code were given
    check_bpmn_import(principal, repository, proses=proses,
                      model=model or Path(file.filename or "").stem, instansi=kode_wilayah)
    data = file.file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        limit = f"{settings.max_upload_bytes / 1024 / 1024:g}"
        raise UploadTooLargeError(f"berkas lebih besar dari batas {limit} MB",
                                  f"the file is larger than the {limit} MB limit")
    with lock:
        result = import_bpmn(repository, data, file_name=file.filename or "model.bpmn",
                             kode_wilayah=kode_wilayah, proses=proses, model=model,
                             agent=principal.name, max_bytes=settings.max_upload_bytes)
    return JSONResponse(status_code=200 if result.unchanged else 201, content={
        "ringkasan": result.summary(lang),
        "model": str(result.model), "graf": str(result.graph), "nama": result.slug,
        "versi": result.version, "versi_sebelumnya": result.previous_version,
        "sha256": result.sha256, "tripel": result.triples, "tidak_berubah": result.unchanged,
        "proses": str(result.proses) if result.proses else None,
        "jumlah_elemen": dict(sorted(result.counts.items())),
        "peringatan": [n.message(lang) for n in result.notices],
    })


@router.get("/models", summary="Daftar model BPMN yang tersimpan")
def models(repository: RepositoryDep, _: ReaderDep) -> list[dict[str, object]]:
    """Model BPMN yang tersimpan (versi terkini) dan proses bisnis yang dirincinya."""
    return [m.as_dict() for m in list_models(repository)]


@router.get("/models/{model}/history", summary="Riwayat versi sebuah model BPMN")
def history(model: str, repository: RepositoryDep, settings: SettingsDep, _: ReaderDep,
            instansi: InstansiQuery = None) -> list[dict[str, object]]:
    """Riwayat versi sebuah model (terlama dahulu)."""
    try:
        versions = model_history(repository, model, instansi or settings.instansi)
    except InputError as exc:
        raise ModelNotFoundError(exc.message_id, exc.message_en) from None
    return [v.as_dict() for v in versions]


@router.get("/models/{model}/export", summary="Ekspor model sebagai BPMN 2.0 XML",
            response_class=Response,
            responses={200: {"content": {BPMN_XML: {}}}})
def export(model: str, repository: RepositoryDep, settings: SettingsDep, _: ReaderDep,
           instansi: InstansiQuery = None,
           versi: Annotated[int | None, Query(description="Versi lama dari riwayat")] = None,
           ) -> Response:
    """Model sebagai BPMN 2.0 XML dengan geometri diagram (terkini, atau `versi` lama)."""
    kode = instansi or settings.instansi
    try:
        info = find_model(repository, model, kode)
        graph = (model_version_graph(repository, model, versi, kode) if versi is not None
                 else repository.graph(info.graph))
    except InputError as exc:
        raise ModelNotFoundError(exc.message_id, exc.message_en) from None
    name = f"{info.model.rsplit('/', 1)[-1]}" + (f"-versi-{versi}" if versi else "") + ".bpmn"
    return Response(write_bpmn(graph, info.model), media_type=BPMN_XML,
                    headers={"Content-Disposition": content_disposition(name)})
