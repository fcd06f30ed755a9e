"""`/evaluation/…`: readiness for the SPBE evaluation, as JSON (also the dashboard's data)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from spbe_arch.api.deps import RepositoryDep, SettingsDep
from spbe_arch.errors import SpbeError
from spbe_arch.evaluation import (
    DEFAULT_FRAMEWORK,
    evaluation_index,
    evaluation_status,
    evaluation_whatif,
    list_frameworks,
    sop_coverage,
)

router = APIRouter(prefix="/evaluation", tags=["evaluasi"])

Instansi = Annotated[str | None, Query(description="Kode wilayah (bawaan: SPBE_INSTANSI)")]
Year = Annotated[int | None, Query(alias="tahun", description="Tahun evaluasi")]
FrameworkCode = Annotated[str, Query(alias="kerangka", description="Kode kerangka evaluasi")]


class WhatIfRequest(BaseModel):
    changes: dict[int, Annotated[int, Field(ge=1, le=5)]] = Field(
        description="indikator -> tingkat yang ingin dicapai", examples=[{"11": 4, "14": 3}])
    base: str = Field("penilaian", pattern="^(penilaian|saran)$")


def _year(value: int | None) -> int:
    return value or date.today().year


def _user_error(exc: SpbeError) -> HTTPException:
    return HTTPException(status_code=400, detail=exc.message("id"))


@router.get("/frameworks")
def frameworks(repository: RepositoryDep) -> list[dict[str, object]]:
    """Kerangka evaluasi yang tersedia, dengan tanda provisional."""
    return list_frameworks(repository)


@router.get("/status")
def status(repository: RepositoryDep, settings: SettingsDep, instansi: Instansi = None,
           year: Year = None,
           framework: FrameworkCode = DEFAULT_FRAMEWORK) -> list[dict[str, object]]:
    """Setiap indikator: bobot (tanda provisional), penilaian mandiri, dan saran beralasan."""
    try:
        rows = evaluation_status(repository, instansi or settings.instansi, _year(year), framework)
    except SpbeError as exc:
        raise _user_error(exc) from exc
    return [row.to_json() for row in rows]


@router.get("/index")
def index(repository: RepositoryDep, settings: SettingsDep, instansi: Instansi = None,
          year: Year = None, framework: FrameworkCode = DEFAULT_FRAMEWORK) -> dict[str, object]:
    """Indeks per aspek, domain dan total dari penilaian mandiri, dengan predikat."""
    try:
        return evaluation_index(repository, instansi or settings.instansi, _year(year),
                                framework).to_json()
    except SpbeError as exc:
        raise _user_error(exc) from exc


@router.post("/whatif")
def whatif(body: WhatIfRequest, repository: RepositoryDep, settings: SettingsDep,
           instansi: Instansi = None, year: Year = None,
           framework: FrameworkCode = DEFAULT_FRAMEWORK) -> dict[str, object]:
    """Jika indikator-indikator ini mencapai tingkat itu, indeks menjadi …"""
    try:
        before, after = evaluation_whatif(repository, instansi or settings.instansi,
                                          _year(year), body.changes, framework, base=body.base)
    except SpbeError as exc:
        raise _user_error(exc) from exc
    return {"sebelum": before.to_json(), "sesudah": after.to_json()}


@router.get("/sop-coverage")
def coverage(repository: RepositoryDep, settings: SettingsDep, instansi: Instansi = None,
             since: Annotated[date | None, Query(alias="sejak")] = None) -> list[dict[str, object]]:
    """Cakupan SOP per OPD, yang paling tertinggal lebih dulu."""
    return [row.to_json() for row in sop_coverage(repository, instansi or settings.instansi,
                                                  since)]
