"""`/api/referensi`: the national reference schemes, and replacing a provisional RAA, RAI or
RAK list with the official one.

The same service functions as `spbe-arch reference list` and `reference import`
(`reference.schemes.describe_schemes`, `reference.replace`): `GET` answers what `reference
list --format json` prints; `PUT /api/referensi/{skema}` takes the official list as a
multipart upload (`file`: `.csv`, `.xlsx` or the project's `.json`; `sumber`: its official
source) and answers the plan (concepts added, removed, renamed, moved; the elements whose
code leaves the list), stored unless `dry_run`.

Reading follows the read setting; replacing a list needs an admin token: a reference list
belongs to no OPD, and the architects of Bagian Organisasi load it for the whole pemda. An
upload above `settings.max_upload_bytes` is 413, another kind of file 415; a list with
problems is 422 with every problem (file, sheet, row, column) and nothing is written. The
replacement runs under the app's write lock and is one audited change set naming the
token's holder. The upload is read by `api.reference_upload`, which the web page
`/ui/referensi` uses too, so both refuse a file in the same words.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from spbe_arch.access import Principal, require_admin
from spbe_arch.api.bodies import LimitedUploadRoute
from spbe_arch.api.deps import (
    InstansiQuery,
    LangDep,
    PrincipalDep,
    ReaderDep,
    RepositoryDep,
    SettingsDep,
    WriteLockDep,
    require_instansi,
)
from spbe_arch.api.reference_upload import (
    NotAListFileError,
    UploadTooLargeError,
    official_list_from_upload,
    repository_lacks,
)
from spbe_arch.errors import InputError, InputProblems, Location, SpbeError
from spbe_arch.reference.replace import (
    check_scheme,
    replace_list,
)
from spbe_arch.reference.schemes import ReferenceNotLoadedError, describe_schemes
from spbe_arch.repository import Repository
from spbe_arch.settings import Settings

router = APIRouter(prefix="/api/referensi", tags=["REST: referensi"],
                   route_class=LimitedUploadRoute)


# --- what the routes answer ------------------------------------------------------------------

class Texts(BaseModel):
    id: str = ""
    en: str = ""


class SchemeOut(BaseModel):
    skema: str = Field(description="Awalan skema: RAB, RAL, RAD, RAA, RAI, RAK")
    iri: str
    nama: Texts
    sementara: bool = Field(description="true: daftar sementara (belum dari sumber resmi)")
    sumber: list[str] = Field(description="dct:source skema: URL atau nama peraturan")
    catatan: Texts
    konsep: int = Field(description="Jumlah konsep")
    per_level: dict[str, int] = Field(description="Jumlah konsep per level (\"0\": tanpa"
                                                  " level)")


class SchemesOut(BaseModel):
    versi: str = Field(description="Nama versi referensi yang berlaku, mis. Perpres 132/2022")
    iri: str
    graph: str
    skema: list[SchemeOut]


class ConceptChangeOut(BaseModel):
    kode: str
    nama: str
    nama_lama: str | None = Field(None, description="Diganti nama: nama sebelumnya")
    induk_lama: str | None = Field(None, description="Dipindah atau dihapus: induk"
                                                     " sebelumnya")
    induk: str | None = Field(None, description="Ditambah atau dipindah: induknya")


class AffectedElementOut(BaseModel):
    jenis: str = Field(description="aplikasi, infrastruktur atau keamanan")
    kode: str
    nama: str
    opd: str
    kode_wilayah: str
    kode_referensi: str = Field(description="Kode yang tidak ada lagi di daftar baru")
    dikenal_sebelumnya: bool = Field(description="false: kodenya sudah tidak dikenal"
                                                 " sebelum penggantian")


class PlanOut(BaseModel):
    """What replacing the list does (`uji_coba`: a dry run, nothing stored)."""

    skema: str
    versi: str
    berkas: str
    sumber: str
    konsep: int = Field(description="Jumlah konsep daftar baru")
    sebelumnya_sementara: bool
    ditambah: list[ConceptChangeOut]
    dihapus: list[ConceptChangeOut]
    diganti_nama: list[ConceptChangeOut]
    dipindah: list[ConceptChangeOut]
    elemen_terdampak: list[AffectedElementOut] = Field(
        description="Elemen yang kodenya tidak ada di daftar baru (setelah penggantian:"
                    " Peringatan Elemen-klasifikasiRA?-dikenal)")
    uji_coba: bool
    tidak_berubah: bool = Field(description="true: daftar ini sudah dimuat; tidak ada yang"
                                            " ditulis")
    riwayat: str | None = Field(None, description="IRI catatan audit; null untuk uji coba"
                                                  " atau bila tidak ada yang berubah")


# --- errors ----------------------------------------------------------------------------------

class ValueRefusedError(InputError):
    """A value of the request the service refuses (a scheme that cannot be replaced: RAB,
    RAL, RAD or an unknown one): 422, as FastAPI answers a value outside its pattern."""

    http_status = 422


def problem_places(exc: SpbeError, lang: str) -> list[dict[str, Any]]:
    """Each problem of a refused list: file, sheet, row (or line), column (the header as
    written, or its number), element, the place in words and the message."""
    problems = exc.problems if isinstance(exc, InputProblems) else [exc]
    found = []
    for problem in problems:
        where = problem.location or Location()
        column = where.field or (str(where.column) if where.column is not None else None)
        found.append({"berkas": where.file, "sheet": where.sheet,
                      "baris": where.row if where.row is not None else where.line,
                      "kolom": column, "elemen": where.element,
                      "letak": where.describe(lang),
                      "pesan": problem.message_en if lang == "en" else problem.message_id})
    return found


def scheme_in_request(exc: InputError) -> InputError:
    """The service's refusal of a scheme, naming the address part that gave it."""
    return ValueRefusedError(f"bagian alamat 'skema': {exc.message_id}",
                              f"path segment 'skema': {exc.message_en}")


def _instansi(repository: Repository, settings: Settings, asked: str | None) -> str:
    kode = asked or settings.instansi
    if asked:
        require_instansi(repository, kode, asked)
    return kode


# --- routes ----------------------------------------------------------------------------------

@router.get("", summary="Skema referensi versi yang berlaku: resmi atau sementara",
            response_model=SchemesOut,
            response_description="Versi referensi yang berlaku dan skemanya",
            responses={404: {"description": "Instansi yang disebut `instansi` tidak ada"},
                       409: {"description": "Referensi nasional belum dimuat di repositori"
                                            " server (`spbe-arch init`)"}})
def schemes(repository: RepositoryDep, settings: SettingsDep, _: ReaderDep,
            instansi: InstansiQuery = None) -> JSONResponse:
    """Versi referensi yang berlaku bagi instansi dan setiap skemanya (RAB, RAL, RAD, RAA,
    RAI, RAK): nama, jumlah konsep per level, resmi atau sementara, sumbernya (seperti
    `spbe-arch reference list --format json`)."""
    kode = _instansi(repository, settings, instansi)
    try:
        view = describe_schemes(repository, kode)
    except ReferenceNotLoadedError as exc:
        raise repository_lacks(exc) from None
    except InputError as exc:
        raise ValueRefusedError(f"parameter 'instansi': {exc.message_id}",
                                 f"parameter 'instansi': {exc.message_en}") from None
    return JSONResponse(view.to_json())


def get_admin(principal: PrincipalDep) -> Principal:
    """The caller, who must hold an admin token: refused before the upload is read."""
    require_admin(principal, "mengganti daftar referensi", "replacing a reference list")
    return principal


AdminDep = Annotated[Principal, Depends(get_admin)]
Skema = Annotated[str, Path(
    description="Skema yang diganti: RAA, RAI atau RAK (RAB, RAL, RAD adalah daftar resmi"
                " yang sudah diverifikasi dan ditolak)", max_length=10, examples=["RAA"])]


@router.put("/{skema}", summary="Ganti daftar sementara RAA, RAI atau RAK dengan daftar"
                                " resmi (admin)",
            response_model=PlanOut,
            response_description="Rencana penggantian: uji coba (`uji_coba`), sudah disimpan"
                                 " (`riwayat`), atau tidak ada yang berubah (`tidak_berubah`)",
            responses={403: {"description": "Hanya admin"},
                       409: {"description": "Referensi nasional atau skemanya belum dimuat di"
                                            " repositori server (`spbe-arch init`)"},
                       415: {"description": "Berkas bukan daftar .csv, .xlsx atau .json"},
                       422: {"description": "Skema yang tidak dapat diganti (RAB, RAL, RAD),"
                                            " atau daftar dengan masalah: `masalah` menyebut"
                                            " berkas, baris, kolom setiap masalah; tidak ada"
                                            " yang disimpan"}})
def replace(skema: Skema, repository: RepositoryDep, settings: SettingsDep,
            principal: AdminDep, lang: LangDep, lock: WriteLockDep, file: UploadFile,
            sumber: Annotated[str | None, Form(
                max_length=2000, description="Sumber resmi daftar: nama peraturan atau URL"
                                             " (bawaan: nama berkas)")] = None,
            instansi: InstansiQuery = None, dry_run: bool = False) -> JSONResponse:
    """Unggah daftar resmi (`file`: .csv atau .xlsx dengan kolom kode, nama, induk, boleh
    level dan keterangan; atau .json format proyek). Dengan ini Anda menyatakan berkas itu
    daftar resmi: konsep skema pada versi referensi yang berlaku diganti, skemanya ditandai
    resmi dengan sumber, pemuat (pemilik token), berkas dan waktunya, dalam satu perubahan
    yang tercatat di riwayat. Jawabannya rencana penggantian; `dry_run=true` hanya
    memeriksa. Seperti `spbe-arch reference import BERKAS --scheme … [--dry-run]`."""
    kode = _instansi(repository, settings, instansi)
    try:
        check_scheme(skema)
    except InputError as exc:
        raise scheme_in_request(exc) from None
    data = file.file.read(settings.max_upload_bytes + 1)
    try:
        official = official_list_from_upload(data, file.filename or "daftar", skema, settings)
    except (UploadTooLargeError, NotAListFileError):
        raise
    except InputError as exc:  # a file that cannot be read at all: one problem
        return _problems(exc, lang)
    except InputProblems as exc:
        return _problems(exc, lang)
    try:
        plan = replace_list(repository, official, agent=principal.name, source=sumber,
                            instansi=kode, dry_run=dry_run, lock=lock)
    except ReferenceNotLoadedError as exc:
        raise repository_lacks(exc) from None
    except InputError as exc:
        field = exc.location.field if exc.location is not None else None
        if field == "skema":
            raise repository_lacks(exc) from None  # the scheme is not in the repository
        if field == "instansi":  # several versions, and no period of the body chooses
            raise ValueRefusedError(f"parameter 'instansi': {exc.message_id}",
                                    f"parameter 'instansi': {exc.message_en}") from None
        raise
    return JSONResponse(plan.to_json())


def _problems(exc: SpbeError, lang: str) -> JSONResponse:
    """422 for a list that cannot be taken: how many problems (nothing was stored) and
    each one's place, as `/excel/import` answers a workbook's."""
    places = problem_places(exc, lang)
    head = InputProblems([exc] if not isinstance(exc, InputProblems) else exc.problems)
    return JSONResponse(status_code=422, content={"detail": SpbeError.message(head, lang),
                                                  "masalah": places})
