"""`GET /history?entity=IRI`: the audit trail of one entity, newest first.

Reads the provenance graph with the named query `history` (src/spbe_arch/queries/
history.rq), the same query `spbe-arch query history entity=…` runs.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from spbe_arch.api.deps import ReaderDep, RepositoryDep, SettingsDep
from spbe_arch.queries import run_query

router = APIRouter(tags=["Jejak audit"])


class Change(BaseModel):
    perubahan: str
    """IRI of the recorded activity (spbe:Perubahan, prov:Activity)."""
    waktu: str
    agen: str | None
    keterangan: str | None
    ditambah: list[str]
    """Triples added, in N-Triples (with their graph)."""
    dihapus: list[str]


class History(BaseModel):
    entity: str
    total: int
    items: list[Change]


def _lines(text: object) -> list[str]:
    return [line for line in str(text).splitlines() if line.strip()] if text is not None else []


@router.get("/history", summary="Riwayat perubahan sebuah entitas (jejak audit)")
async def history(
    _: ReaderDep,
    repository: RepositoryDep,
    settings: SettingsDep,
    entity: Annotated[str, Query(
        description="IRI entitas, mis. https://w3id.org/spbe-arch/id/3574/opd/DISKOMINFO")],
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> History:
    result = await run_in_threadpool(run_query, repository, "history", {"entity": entity},
                                     timeout_s=settings.query_timeout_s)
    rows = result.rows
    items = [
        Change(
            perubahan=str(row["perubahan"]),
            waktu=str(row["waktu"]),
            agen=str(row["agen"]) if "agen" in row else None,
            keterangan=str(row["keterangan"]) if "keterangan" in row else None,
            ditambah=_lines(row.get("ditambah")),
            dihapus=_lines(row.get("dihapus")),
        )
        for row in rows[offset:offset + limit]
    ]
    return History(entity=entity, total=len(rows), items=items)
