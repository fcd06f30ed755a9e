"""`/api/instansi/{kode_wilayah}`: the government body itself and its architecture periods.

The same service functions as `spbe-arch init --instansi` and `spbe-arch instansi`
(`model.instansi`): `GET` answers what `instansi show --format json` prints; `PUT` records
the body or renames it (with an optional first period, as `init`); `PATCH …/periode/
{tahun_mulai}-{tahun_selesai}` records a period or changes its status and regulation (only
the fields given, as `instansi periode`).

Reading follows the read setting; writing needs an admin token: the body belongs to no OPD
(`Bagian Organisasi` keeps it for the whole pemda). Writes run under the app's write lock,
are checked against the architecture rules (a new Violation: 422 with the findings, nothing
written) and audited (`GET /history?entity=<iri>`).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from spbe_arch.access import Principal, require_admin
from spbe_arch.api.bodies import LimitedBodyRoute
from spbe_arch.api.deps import (
    LangDep,
    PrincipalDep,
    ReaderDep,
    RepositoryDep,
    WriteLockDep,
)
from spbe_arch.errors import InputError
from spbe_arch.model.instansi import (
    InstansiNotRecordedError,
    InstansiView,
    PeriodeView,
    ReferenceNotLoadedError,
    check_periode_input,
    describe_instansi,
    record_instansi,
    set_periode,
)
from spbe_arch.repository import Repository

router = APIRouter(prefix="/api/instansi", tags=["REST: instansi"],
                   route_class=LimitedBodyRoute)

KodeWilayah = Annotated[str, Path(
    description="Kode wilayah Kemendagri: 2 angka (provinsi) atau 4 angka (kabupaten/kota),"
                " mis. 3574", pattern=r"^[0-9]{2}([0-9]{2})?$", examples=["3574"])]
Periode = Annotated[str, Path(
    description="Tahun mulai dan tahun selesai periode arsitektur, mis. 2025-2029",
    pattern=r"^[0-9]{4}-[0-9]{4}$", examples=["2025-2029"])]


class PeriodeOut(BaseModel):
    """An architecture period as recorded; a field the graph holds several values of (the
    rules allow one) lists them separated by commas."""

    periode: str = Field(description="2025-2029")
    iri: str
    nama: str | None = None
    tahun_mulai: int | str | None = None
    tahun_selesai: int | str | None = None
    status: str | None = Field(None, description="Draft atau Ditetapkan")
    nomor_regulasi: str | None = None
    tanggal_regulasi: str | None = Field(None, description="YYYY-MM-DD")
    versi_referensi: str | None = Field(None, description="Nama versi referensi nasional")


class InstansiOut(BaseModel):
    kode: str
    iri: str
    nama: str | None = None
    periode: list[PeriodeOut]


class InstansiBody(BaseModel):
    """What `PUT` takes: the name, and for a body not yet recorded its first period."""

    model_config = ConfigDict(extra="forbid")

    nama: str = Field(min_length=1, max_length=500,
                      description="Nama instansi, mis. Pemerintah Kota Probolinggo")
    periode: str | None = Field(
        None, max_length=20,
        description="Periode arsitektur, mis. 2025-2029 (wajib untuk instansi baru; untuk"
                    " instansi yang ada, periode baru dicatat sebagai draf di sampingnya)")


class PeriodeBody(BaseModel):
    """What `PATCH` takes: only the fields given change; an empty text removes the
    regulation's number or date."""

    model_config = ConfigDict(extra="forbid")

    status: str | None = Field(None, max_length=20, description="draft atau ditetapkan",
                               examples=["ditetapkan"])
    nomor_regulasi: str | None = Field(
        None, max_length=500, description="Nomor regulasi penetapan, mis. Peraturan Wali Kota"
                                          " Probolinggo Nomor 12 Tahun 2026; kosong menghapusnya")
    tanggal_regulasi: str | None = Field(
        None, max_length=100, description="Tanggal regulasi, mis. 2026-12-04 atau 4 Desember"
                                          " 2026; kosong menghapusnya")


class InstansiNotFoundError(InputError):
    http_status = 404


class InstansiValueError(InputError):
    """A value of the request the service refuses (a period it cannot read, an unknown
    status): 422, as FastAPI answers a value outside its pattern."""

    http_status = 422


def get_admin(principal: PrincipalDep) -> Principal:
    """The caller, who must hold an admin token: refused before the body is read, so a
    caller without rights hears 401/403 whatever it sent."""
    require_admin(principal, "mengubah instansi dan periode arsitekturnya",
                  "changing the government body and its architecture periods")
    return principal


AdminDep = Annotated[Principal, Depends(get_admin)]

_BODY, _PATH = ("isi permintaan", "request body"), ("bagian alamat", "path segment")
_PLACES = {"kode_wilayah": _PATH, "nama": _BODY, "periode": _BODY, "status": _BODY,
           "nomor_regulasi": _BODY, "tanggal_regulasi": _BODY}
"""Where the service's fields are in a request (its names are the request's), in the words
FastAPI's own refusals use (`isi permintaan 'periode'`). A route whose address holds a
field the table puts in the body says so (`in_path`)."""


def _for_request(exc: InputError, in_path: Collection[str] = ()) -> InputError:
    """The service's `InputError` prefixed with the part of the request its field is in;
    for a body not recorded yet, the request that records it; for a store without the
    national reference, who loads it. An unknown body is 404, anything else 422."""
    field = exc.location.field if exc.location else None
    place = _PATH if field in in_path else _PLACES.get(field or "")
    text_id, text_en = exc.message_id, exc.message_en
    if isinstance(exc, InstansiNotRecordedError) and not exc.missing:
        text_id += f"; catat dulu dengan PUT /api/instansi/{exc.kode} (nama dan periode)"
        text_en += f"; record it first with PUT /api/instansi/{exc.kode} (nama and periode)"
    elif isinstance(exc, ReferenceNotLoadedError):
        text_id += "; pengelola server memuatnya dengan `spbe-arch init`"
        text_en += "; the server's operator loads it with `spbe-arch init`"
    if place is not None:
        text_id, text_en = f"{place[0]} '{field}': {text_id}", f"{place[1]} '{field}': {text_en}"
    kind = InstansiNotFoundError if field == "kode_wilayah" else InstansiValueError
    return kind(text_id, text_en)


def _describe(repository: Repository, kode: str) -> InstansiView:
    try:
        return describe_instansi(repository, kode)
    except InputError as exc:
        raise _for_request(exc) from None


def _period(view: InstansiView, years: str) -> PeriodeView | None:
    return next((p for p in view.periode if p.years == years), None)


@router.get("/{kode_wilayah}", summary="Instansi, namanya dan periode arsitekturnya",
            response_model=InstansiOut)
def instansi_get(kode_wilayah: KodeWilayah, repository: RepositoryDep,
                 _: ReaderDep) -> dict[str, Any]:
    """Kode wilayah, nama, dan setiap periode arsitektur: tahun, status, nomor dan tanggal
    regulasi, versi referensi (seperti `spbe-arch instansi show --format json`)."""
    return _describe(repository, kode_wilayah).to_json()


@router.get("/{kode_wilayah}/periode/{periode}", summary="Satu periode arsitektur instansi",
            response_model=PeriodeOut)
def periode_get(kode_wilayah: KodeWilayah, periode: Periode, repository: RepositoryDep,
                _: ReaderDep) -> dict[str, Any]:
    """Tahun, status, nomor dan tanggal regulasi, versi referensi satu periode."""
    view = _describe(repository, kode_wilayah)
    found = _period(view, periode)
    if found is None:
        known = ", ".join(p.years for p in view.periode) or "-"
        raise InstansiNotFoundError(
            f"bagian alamat 'periode': instansi {view.kode} tidak punya periode {periode};"
            f" periode yang ada: {known}",
            f"path segment 'periode': instansi {view.kode} has no period {periode}; known"
            f" periods: {known}")
    return found.to_json()


@router.put("/{kode_wilayah}", summary="Catat instansi atau ubah namanya (admin)",
            response_model=InstansiOut,
            responses={201: {"description": "Instansi baru dicatat",
                             "model": InstansiOut},
                       403: {"description": "Hanya admin"}})
def instansi_put(request: Request, kode_wilayah: KodeWilayah, body: InstansiBody,
                 repository: RepositoryDep, principal: AdminDep, lock: WriteLockDep,
                 lang: LangDep) -> Response:
    """Catat instansi (nama dan periode pertamanya, sebagai draf dengan referensi Perpres
    132/2022) atau ganti namanya; periode yang diberikan untuk instansi yang ada dicatat di
    samping periodenya. Seperti `spbe-arch init --instansi … --nama … --periode …`."""
    with lock:
        try:
            done = record_instansi(repository, kode_wilayah, body.nama, body.periode,
                                   agent=principal.name, lang=lang)
        except InputError as exc:
            raise _for_request(exc) from None
        view = describe_instansi(repository, kode_wilayah)
    headers = {}
    if done.created:
        headers["Location"] = str(request.url_for("instansi_get", kode_wilayah=view.kode))
    return JSONResponse(view.to_json(), status_code=201 if done.created else 200,
                        headers=headers)


@router.patch("/{kode_wilayah}/periode/{periode}",
              summary="Catat periode arsitektur atau ubah status dan regulasinya (admin)",
              response_model=PeriodeOut,
              responses={201: {"description": "Periode baru dicatat", "model": PeriodeOut},
                         403: {"description": "Hanya admin"}})
def periode_patch(request: Request, kode_wilayah: KodeWilayah, periode: Periode,
                  body: PeriodeBody, repository: RepositoryDep, principal: AdminDep,
                  lock: WriteLockDep, lang: LangDep) -> Response:
    """Periode yang belum ada dicatat sebagai draf dengan referensi Perpres 132/2022; untuk
    periode yang ada hanya isian yang diberikan yang berubah. Seperti `spbe-arch instansi
    periode TAHUN-TAHUN --status … --nomor-regulasi … --tanggal-regulasi …`."""
    try:
        # before the store is read, as the command line does; here the years are the
        # address's
        check_periode_input(kode_wilayah, periode, status=body.status,
                            nomor_regulasi=body.nomor_regulasi,
                            tanggal_regulasi=body.tanggal_regulasi)
    except InputError as exc:
        raise _for_request(exc, in_path={"periode"}) from None
    with lock:
        try:
            done = set_periode(repository, kode_wilayah, periode, status=body.status,
                               nomor_regulasi=body.nomor_regulasi,
                               tanggal_regulasi=body.tanggal_regulasi, agent=principal.name,
                               lang=lang)
        except InputError as exc:
            raise _for_request(exc, in_path={"periode"}) from None
        view = describe_instansi(repository, kode_wilayah)
    found = next(p for p in view.periode if p.iri == done.iri)
    headers = {}
    if done.created:
        headers["Location"] = str(request.url_for("periode_get", kode_wilayah=view.kode,
                                                  periode=found.years))
    return JSONResponse(found.to_json(), status_code=201 if done.created else 200,
                        headers=headers)
