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

Two admins changing the body at once must not overwrite each other unseen, so the body and
each period have a strong ETag (`entity_tag` of their JSON, the one representation there is)
and the writes take `If-Match` / `If-None-Match` as the REST resources do (412, nothing
written). The web page's forms carry the same tags (`InstansiPrecondition`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from rdflib.term import URIRef

from spbe_arch import iris
from spbe_arch.access import Principal, require_admin
from spbe_arch.api.bodies import LimitedBodyRoute
from spbe_arch.api.deps import (
    LangDep,
    PrincipalDep,
    ReaderDep,
    RepositoryDep,
    WriteLockDep,
)
from spbe_arch.api.writes import PreconditionFailedError, entity_tag, entity_tags, none_match
from spbe_arch.errors import InputError
from spbe_arch.model.instansi import (
    SERVER_REFERENCE_STEP,
    InstansiNotRecordedError,
    InstansiView,
    PeriodeView,
    ReferenceNotLoadedError,
    check_periode_input,
    describe_instansi,
    find_instansi,
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
IfNoneMatchGet = Annotated[str | None, Header(
    description="ETag yang sudah dimiliki: 304 tanpa isi bila masih sama")]
IfMatchBody = Annotated[str | None, Header(
    description="ETag instansi saat dibaca (GET /api/instansi/{kode_wilayah}): simpan hanya"
                " bila belum berubah sejak itu (412 bila sudah); `*`: hanya bila instansi"
                " sudah tercatat")]
IfNoneMatchBody = Annotated[str | None, Header(
    description="`*`: hanya mencatat instansi baru, 412 bila sudah tercatat")]
IfMatchPeriod = Annotated[str | None, Header(
    description="ETag periode (GET …/periode/{periode}) atau ETag instansi saat dibaca: simpan"
                " hanya bila belum berubah sejak itu (412 bila sudah); `*`: hanya bila periode"
                " sudah tercatat")]


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


class ReferenceMissingError(InputError):
    """The request is fine, the server's repository is not: its base data (the national
    reference a new period is recorded under) was never loaded. 409, the state of the
    repository, which the admin has the operator fix, not the request."""

    http_status = 409




def instansi_tag(view: InstansiView) -> str:
    """The strong ETag of the body's state: of its JSON, which every answer about it is."""
    return entity_tag(view.to_json())


def periode_tag(period: PeriodeView) -> str:
    return entity_tag(period.to_json())


@dataclass(frozen=True)
class InstansiPrecondition:
    """The conditional headers of a write to the body or one of its periods (RFC 9110 §13),
    checked under the write lock against the body as it is then: `PreconditionFailedError`
    (412) when they do not hold."""

    if_match: str | None = None
    if_none_match: str | None = None

    def check_body(self, view: InstansiView | None, kode: str) -> None:
        """For recording or renaming body `kode` (`view`: as recorded, None if not yet)."""
        current = instansi_tag(view) if view is not None else None
        if self.if_match is not None:
            if current is None:
                raise PreconditionFailedError(
                    f"instansi {kode} belum tercatat, padahal If-Match meminta instansi yang"
                    " sudah tercatat; tidak ada yang disimpan",
                    f"instansi {kode} is not recorded yet, while If-Match asks for a recorded"
                    " one; nothing was stored")
            # strong comparison: a weak tag never matches a write's precondition
            if not {"*", current} & set(entity_tags(self.if_match)):
                raise _changed(kode)
        if current is not None and none_match(self.if_none_match, current):
            raise PreconditionFailedError(
                f"instansi {kode} sudah tercatat (If-None-Match); tidak ada yang disimpan",
                f"instansi {kode} is already recorded (If-None-Match); nothing was stored")

    def check_period(self, view: InstansiView, period: PeriodeView | None, years: str
                     ) -> None:
        """For changing (or recording) period `years` of the recorded body `view`
        (`period`: as recorded, None if not yet). The body's tag holds too: a client that
        read the whole body, periods included, knows the period's state as well."""
        if self.if_match is None:
            return
        tags = set(entity_tags(self.if_match))
        if instansi_tag(view) in tags:
            return
        if period is not None and {"*", periode_tag(period)} & tags:
            return
        if period is None and "*" in tags:
            raise PreconditionFailedError(
                f"instansi {view.kode} belum punya periode {years}, padahal If-Match: *"
                " meminta periode yang sudah tercatat; tidak ada yang disimpan",
                f"instansi {view.kode} has no period {years} yet, while If-Match: * asks for"
                " a recorded one; nothing was stored")
        raise _changed(view.kode, years)


def _changed(kode: str, years: str | None = None) -> PreconditionFailedError:
    what_id = f"periode {years} instansi {kode}" if years else f"instansi {kode}"
    what_en = f"period {years} of instansi {kode}" if years else f"instansi {kode}"
    return PreconditionFailedError(
        f"{what_id} sudah berubah sejak Anda membacanya: If-Match tidak cocok; ambil lagi"
        f" (GET /api/instansi/{kode}), lalu ulangi perubahan; tidak ada yang disimpan",
        f"{what_en} has changed since you read it: If-Match does not match; fetch it again"
        f" (GET /api/instansi/{kode}), then redo the change; nothing was stored")


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
    national reference, the command that loads it. An unknown body is 404, a store without
    the reference 409, anything else 422."""
    field = exc.location.field if exc.location else None
    place = _PATH if field in in_path else _PLACES.get(field or "")
    text_id, text_en = exc.message_id, exc.message_en
    kind: type[InputError] = (InstansiNotFoundError if field == "kode_wilayah"
                              else InstansiValueError)
    if isinstance(exc, InstansiNotRecordedError) and not exc.missing:
        text_id += f"; catat dulu dengan PUT /api/instansi/{exc.kode} (nama dan periode)"
        text_en += f"; record it first with PUT /api/instansi/{exc.kode} (nama and periode)"
    elif isinstance(exc, ReferenceNotLoadedError):
        text_id += f"; {SERVER_REFERENCE_STEP[0]}"
        text_en += f"; {SERVER_REFERENCE_STEP[1]}"
        kind = ReferenceMissingError
    if place is not None:
        text_id, text_en = f"{place[0]} '{field}': {text_id}", f"{place[1]} '{field}': {text_en}"
    return kind(text_id, text_en)


def _describe(repository: Repository, kode: str) -> InstansiView:
    try:
        return describe_instansi(repository, kode)
    except InputError as exc:
        raise _for_request(exc) from None


def _found(repository: Repository, kode: str) -> InstansiView | None:
    try:
        return find_instansi(repository, kode)
    except InputError as exc:
        raise _for_request(exc) from None


def _period(view: InstansiView, years: str) -> PeriodeView | None:
    return next((p for p in view.periode if p.years == years), None)


def _period_at(view: InstansiView, iri: URIRef) -> PeriodeView | None:
    return next((p for p in view.periode if p.iri == iri), None)


def _tagged(content: dict[str, Any], tag: str, if_none_match: str | None) -> Response:
    if none_match(if_none_match, tag):
        return Response(status_code=304, headers={"ETag": tag})
    return JSONResponse(content, headers={"ETag": tag})


_NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Tidak berubah sejak ETag yang disebut If-None-Match (not modified)"}}


@router.get("/{kode_wilayah}", summary="Instansi, namanya dan periode arsitekturnya",
            response_model=InstansiOut, responses=_NOT_MODIFIED)
def instansi_get(kode_wilayah: KodeWilayah, repository: RepositoryDep, _: ReaderDep,
                 if_none_match: IfNoneMatchGet = None) -> Response:
    """Kode wilayah, nama, dan setiap periode arsitektur: tahun, status, nomor dan tanggal
    regulasi, versi referensi (seperti `spbe-arch instansi show --format json`). `ETag`
    jawabannya dipakai `If-Match` saat mengubah instansi atau periodenya."""
    view = _describe(repository, kode_wilayah)
    return _tagged(view.to_json(), instansi_tag(view), if_none_match)


@router.get("/{kode_wilayah}/periode/{periode}", summary="Satu periode arsitektur instansi",
            response_model=PeriodeOut, responses=_NOT_MODIFIED)
def periode_get(kode_wilayah: KodeWilayah, periode: Periode, repository: RepositoryDep,
                _: ReaderDep, if_none_match: IfNoneMatchGet = None) -> Response:
    """Tahun, status, nomor dan tanggal regulasi, versi referensi satu periode; `ETag`
    jawabannya dipakai `If-Match` saat mengubahnya."""
    view = _describe(repository, kode_wilayah)
    found = _period(view, periode)
    if found is None:
        known = ", ".join(p.years for p in view.periode) or "-"
        raise InstansiNotFoundError(
            f"bagian alamat 'periode': instansi {view.kode} tidak punya periode {periode};"
            f" periode yang ada: {known}",
            f"path segment 'periode': instansi {view.kode} has no period {periode}; known"
            f" periods: {known}")
    return _tagged(found.to_json(), periode_tag(found), if_none_match)


@router.put("/{kode_wilayah}", summary="Catat instansi atau ubah namanya (admin)",
            response_model=InstansiOut,
            responses={201: {"description": "Instansi baru dicatat",
                             "model": InstansiOut},
                       403: {"description": "Hanya admin"},
                       409: {"description": "Referensi nasional belum dimuat di repositori"
                                            " server (`spbe-arch init`)"},
                       412: {"description": "If-Match / If-None-Match tidak terpenuhi"
                                            " (instansi sudah berubah, belum atau sudah"
                                            " tercatat)"}})
def instansi_put(request: Request, kode_wilayah: KodeWilayah, body: InstansiBody,
                 repository: RepositoryDep, principal: AdminDep, lock: WriteLockDep,
                 lang: LangDep, if_match: IfMatchBody = None,
                 if_none_match: IfNoneMatchBody = None) -> Response:
    """Catat instansi (nama dan periode pertamanya, sebagai draf dengan referensi Perpres
    132/2022) atau ganti namanya; periode yang diberikan untuk instansi yang ada dicatat di
    samping periodenya. Seperti `spbe-arch init --instansi … --nama … --periode …`.
    Dengan `If-Match: <ETag>` hanya bila instansi belum berubah sejak dibaca."""
    precondition = InstansiPrecondition(if_match, if_none_match)
    with lock:
        if if_match is not None or if_none_match is not None:
            precondition.check_body(_found(repository, kode_wilayah), kode_wilayah)
        try:
            done = record_instansi(repository, kode_wilayah, body.nama, body.periode,
                                   agent=principal.name, lang=lang)
        except InputError as exc:
            raise _for_request(exc) from None
        view = describe_instansi(repository, kode_wilayah)
    headers = {"ETag": instansi_tag(view)}
    if done.created:
        headers["Location"] = str(request.url_for("instansi_get", kode_wilayah=view.kode))
    return JSONResponse(view.to_json(), status_code=201 if done.created else 200,
                        headers=headers)


@router.patch("/{kode_wilayah}/periode/{periode}",
              summary="Catat periode arsitektur atau ubah status dan regulasinya (admin)",
              response_model=PeriodeOut,
              responses={201: {"description": "Periode baru dicatat", "model": PeriodeOut},
                         403: {"description": "Hanya admin"},
                         409: {"description": "Referensi nasional belum dimuat di repositori"
                                              " server (`spbe-arch init`)"},
                         412: {"description": "If-Match tidak cocok (instansi atau periodenya"
                                              " sudah berubah)"}})
def periode_patch(request: Request, kode_wilayah: KodeWilayah, periode: Periode,
                  body: PeriodeBody, repository: RepositoryDep, principal: AdminDep,
                  lock: WriteLockDep, lang: LangDep, if_match: IfMatchPeriod = None
                  ) -> Response:
    """Periode yang belum ada dicatat sebagai draf dengan referensi Perpres 132/2022; untuk
    periode yang ada hanya isian yang diberikan yang berubah. Seperti `spbe-arch instansi
    periode TAHUN-TAHUN --status … --nomor-regulasi … --tanggal-regulasi …`. Dengan
    `If-Match: <ETag>` (periode atau instansi) hanya bila belum berubah sejak dibaca."""
    try:
        # before the store is read, as the command line does; here the years are the
        # address's
        given = check_periode_input(kode_wilayah, periode, status=body.status,
                                    nomor_regulasi=body.nomor_regulasi,
                                    tanggal_regulasi=body.tanggal_regulasi)
    except InputError as exc:
        raise _for_request(exc, in_path={"periode"}) from None
    years = f"{given.start}-{given.end}"
    with lock:
        if if_match is not None:
            # a body not recorded is 404 whatever the condition, as without it
            view = _describe(repository, kode_wilayah)
            InstansiPrecondition(if_match).check_period(
                view, _period_at(view, iris.element_iri(given.kode, "periode", years)), years)
        try:
            done = set_periode(repository, kode_wilayah, periode, status=body.status,
                               nomor_regulasi=body.nomor_regulasi,
                               tanggal_regulasi=body.tanggal_regulasi, agent=principal.name,
                               lang=lang)
        except InputError as exc:
            raise _for_request(exc, in_path={"periode"}) from None
        view = describe_instansi(repository, kode_wilayah)
    found = next(p for p in view.periode if p.iri == done.iri)
    headers = {"ETag": periode_tag(found)}
    if done.created:
        headers["Location"] = str(request.url_for("periode_get", kode_wilayah=view.kode,
                                                  periode=found.years))
    return JSONResponse(found.to_json(), status_code=201 if done.created else 200,
                        headers=headers)
