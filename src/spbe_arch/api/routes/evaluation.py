"""`/evaluation/…`: readiness for the SPBE evaluation, as JSON (also the dashboard's data)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from spbe_arch import iris
from spbe_arch.access import Principal, require_admin, require_opd_write
from spbe_arch.api.bodies import LimitedBodyRoute
from spbe_arch.api.deps import (
    InstansiQuery,
    PrincipalDep,
    ReaderDep,
    RepositoryDep,
    SettingsDep,
    WriteLockDep,
    require_instansi,
)
from spbe_arch.evaluation import (
    DEFAULT_FRAMEWORK,
    Assessment,
    Evidence,
    evaluation_index,
    evaluation_status,
    evaluation_whatif,
    list_assessments,
    list_frameworks,
    load_framework,
    record_assessment,
    sop_coverage,
)

router = APIRouter(prefix="/evaluation", tags=["Evaluasi SPBE"],
                   route_class=LimitedBodyRoute)

Year = Annotated[int | None, Query(alias="tahun", description="Tahun evaluasi")]
FrameworkCode = Annotated[str, Query(alias="kerangka", description="Kode kerangka evaluasi")]


class WhatIfRequest(BaseModel):
    changes: dict[int, Annotated[int, Field(ge=1, le=5)]] = Field(
        description="indikator -> tingkat yang ingin dicapai", examples=[{"11": 4, "14": 3}])
    base: str = Field("penilaian", pattern="^(penilaian|saran)$")


def _year(value: int | None) -> int:
    return value or date.today().year


class EvidenceIn(BaseModel):
    url: str | None = None
    berkas: str | None = None
    artefak: str | None = Field(None, description="IRI elemen repositori")
    judul: str | None = None


class AssessmentIn(BaseModel):
    indikator: int
    tingkat: int = Field(ge=1, le=5)
    tahun: int
    justifikasi: str = ""
    status: str = Field("draft", pattern="^(draft|diajukan|diverifikasi)$")
    opd: str | None = Field(None, description="Kode OPD penanggung jawab")
    bukti_dukung: list[EvidenceIn] = Field(default_factory=list)


def known_instansi(repository: RepositoryDep, settings: SettingsDep,
                   instansi: InstansiQuery = None) -> str:
    """The instansi asked for (default: the server's), which the repository must know: a
    mistyped code would otherwise answer a complete-looking empty evaluation."""
    kode = instansi or settings.instansi
    require_instansi(repository, kode, instansi)
    return kode


KnownInstansi = Annotated[str, Depends(known_instansi)]
UNKNOWN_INSTANSI: dict[int | str, dict[str, Any]] = {
    404: {"description": "Instansi tidak ada di repositori (unknown instansi)"}}


@router.get("/frameworks", summary="Daftar kerangka evaluasi")
def frameworks(_: ReaderDep, repository: RepositoryDep) -> list[dict[str, object]]:
    """Kerangka evaluasi yang tersedia, dengan tanda provisional."""
    return list_frameworks(repository)


@router.get("/status", responses=UNKNOWN_INSTANSI, summary="Status setiap indikator evaluasi")
def status(_: ReaderDep, repository: RepositoryDep,
           kode: KnownInstansi, year: Year = None,
           framework: FrameworkCode = DEFAULT_FRAMEWORK) -> list[dict[str, object]]:
    """Setiap indikator: bobot (tanda provisional), penilaian mandiri, dan saran beralasan."""
    rows = evaluation_status(repository, kode, _year(year), framework)
    return [row.to_json() for row in rows]


@router.get("/index", responses=UNKNOWN_INSTANSI, summary="Indeks dari penilaian mandiri")
def index(_: ReaderDep, repository: RepositoryDep,
          kode: KnownInstansi, year: Year = None,
          framework: FrameworkCode = DEFAULT_FRAMEWORK) -> dict[str, object]:
    """Indeks per aspek, domain dan total dari penilaian mandiri, dengan predikat."""
    return evaluation_index(repository, kode, _year(year), framework).to_json()


@router.post("/whatif", responses=UNKNOWN_INSTANSI,
             summary="Simulasi: indeks bila indikator mencapai tingkat tertentu")
def whatif(body: WhatIfRequest, _: ReaderDep, repository: RepositoryDep,
           kode: KnownInstansi, year: Year = None,
           framework: FrameworkCode = DEFAULT_FRAMEWORK) -> dict[str, object]:
    """Jika indikator-indikator ini mencapai tingkat itu, indeks menjadi …"""
    before, after = evaluation_whatif(repository, kode, _year(year), body.changes, framework,
                                      base=body.base)
    return {"sebelum": before.to_json(), "sesudah": after.to_json()}


@router.get("/sop-coverage", responses=UNKNOWN_INSTANSI, summary="Cakupan SOP per OPD")
def coverage(_: ReaderDep, repository: RepositoryDep,
             kode: KnownInstansi,
             since: Annotated[date | None, Query(alias="sejak")] = None) -> list[dict[str, object]]:
    """Cakupan SOP per OPD, yang paling tertinggal lebih dulu."""
    return [row.to_json() for row in sop_coverage(repository, kode, since)]


@router.get("/assessments", responses=UNKNOWN_INSTANSI, summary="Daftar penilaian mandiri")
def assessments(_: ReaderDep, repository: RepositoryDep,
                kode: KnownInstansi, year: Year = None,
                framework: FrameworkCode = DEFAULT_FRAMEWORK) -> list[dict[str, object]]:
    """Penilaian mandiri yang tercatat (semua tahun, atau satu tahun dengan `tahun`)."""
    return [a.to_json() for a in list_assessments(
        repository, kode, framework=framework, year=year)]


@router.post("/assessments", status_code=201, responses=UNKNOWN_INSTANSI,
             summary="Catat penilaian mandiri satu indikator")
def record(body: AssessmentIn, principal: PrincipalDep, repository: RepositoryDep,
           settings: SettingsDep, lock: WriteLockDep, instansi: InstansiQuery = None,
           framework: FrameworkCode = DEFAULT_FRAMEWORK) -> dict[str, object]:
    """Catat penilaian mandiri satu indikator (editor OPD penanggung jawab, atau admin)."""
    kode = instansi or settings.instansi
    what = ("mencatat penilaian mandiri", "recording a self-assessment")
    _may_assess(principal, kode, body.opd, what)
    known_instansi(repository, settings, kode)  # after the access check: it names the codes
    assessment = Assessment(
        framework, body.indikator, body.tahun, body.tingkat, body.justifikasi, body.status,
        body.opd, [Evidence(e.url, e.berkas, e.artefak, e.judul) for e in body.bukti_dukung])
    with lock:
        # one assessment per indicator and year: recording one replaces the stored one, so
        # its OPD must be the caller's too (the OPD in the body alone let an editor
        # overwrite another OPD's assessment, or an admin's)
        stored = next((a for a in list_assessments(repository, kode, framework=framework,
                                                   year=body.tahun)
                       if a.indicator == body.indikator), None)
        if stored is not None:
            _may_assess(principal, kode, stored.opd, what)
        iri = record_assessment(repository, load_framework(repository, framework), kode,
                                assessment, agent=principal.name)
    return {"iri": str(iri), **assessment.to_json()}


def _may_assess(principal: Principal, kode: str, opd: str | None,
                what: tuple[str, str]) -> None:
    """An assessment of an OPD is its editors' (or an admin's); one of no OPD an admin's."""
    if opd:
        require_opd_write(principal, [iris.element_iri(kode, "opd", opd)], *what)
    else:
        require_admin(principal, *what)
