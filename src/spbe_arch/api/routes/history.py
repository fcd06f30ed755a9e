"""`GET /history`: the audit trail, newest first — of one entity (`?entity=IRI`, with the
triples each change added and removed), or of the whole repository (the feed of recent
changes, with the entities each one touched), both filterable by agent (`?agen=`).

Reads the provenance graph: a page of the rows of the named query `history` or
`recent-changes` (src/spbe_arch/queries/, the queries `spbe-arch query …` runs), read with
`audit.entity_history` and `audit.change_feed` without reading every record whole.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from spbe_arch.api.deps import ReaderDep, RepositoryDep, SettingsDep
from spbe_arch.api.query_engine import query_timeout_error
from spbe_arch.audit import ChangeFeed, change_feed, entity_history

router = APIRouter(tags=["Jejak audit"])


class Change(BaseModel):
    perubahan: str
    """IRI of the recorded activity (spbe:Perubahan, prov:Activity)."""
    waktu: str
    agen: str | None
    keterangan: str | None
    entitas: list[str] | None = None
    """The entities the change names (prov:used); in the feed of recent changes."""
    ditambah: list[str] | None = None
    """Triples added, in N-Triples (with their graph); in the history of one entity."""
    dihapus: list[str] | None = None


class History(BaseModel):
    entity: str | None
    """None: every change (the feed of recent changes)."""
    total: int
    items: list[Change]


def _lines(text: object) -> list[str]:
    # N-Quads lines end at "\n" only: str.splitlines() also breaks at U+0085 and U+2028,
    # which a literal holds unescaped, and cut such a triple in pieces
    if text is None:
        return []
    return [line.rstrip("\r") for line in str(text).split("\n") if line.strip()]


async def _read(read: Callable[[], ChangeFeed], timeout_s: float) -> ChangeFeed:
    """One page of the trail, read in the thread pool; past the query time limit, the 503
    every query past it gets (the store's TimeoutError was a 500)."""
    try:
        return await run_in_threadpool(read)
    except TimeoutError:
        raise query_timeout_error(timeout_s) from None


@router.get("/history", summary="Riwayat perubahan sebuah entitas, atau semua perubahan"
                                " terbaru (jejak audit)")
async def history(
    _: ReaderDep,
    repository: RepositoryDep,
    settings: SettingsDep,
    entity: Annotated[str | None, Query(
        description="IRI entitas, mis. https://w3id.org/spbe-arch/id/3574/opd/DISKOMINFO;"
                    " tanpa parameter ini: semua perubahan terbaru")] = None,
    agen: Annotated[str | None, Query(description="Hanya perubahan oleh agen (nama token)"
                                      " ini", max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> History:
    # a name pasted with a space or line break around it is the name (as with every
    # parameter of a named query, see NamedQuery.bindings), not an agent with no changes
    agen = (agen or "").strip() or None
    timeout_s = settings.query_timeout_s
    if entity is None:
        feed = await _read(lambda: change_feed(repository, agent=agen, limit=limit,
                                               offset=offset, timeout_s=timeout_s), timeout_s)
        items = [Change(perubahan=str(row["perubahan"]), waktu=str(row["waktu"]),
                        agen=str(row["nama_agen"]) if "nama_agen" in row else None,
                        keterangan=str(row["keterangan"]) if "keterangan" in row else None,
                        entitas=_lines(row.get("entitas")))
                 for row in feed.rows]
        return History(entity=None, total=feed.total, items=items)
    page = await _read(lambda: entity_history(repository, entity, agent=agen, limit=limit,
                                              offset=offset, timeout_s=timeout_s), timeout_s)
    items = [
        Change(
            perubahan=str(row["perubahan"]),
            waktu=str(row["waktu"]),
            agen=str(row["agen"]) if "agen" in row else None,
            keterangan=str(row["keterangan"]) if "keterangan" in row else None,
            ditambah=_lines(row.get("ditambah")),
            dihapus=_lines(row.get("dihapus")),
        )
        for row in page.rows
    ]
    return History(entity=entity, total=page.total, items=items)
