"""Store backends behind one API, chosen by one setting (`SPBE_STORE` / `--store`).

- `oxigraph:PATH` — embedded Oxigraph on disk (default `oxigraph:./spbe-data`)
- `memory:` — in-memory Oxigraph, for tests and throw-away work
- `sparql:QUERY_URL` — any SPARQL 1.1 Query + Update + Graph Store Protocol endpoint
"""

from __future__ import annotations

from pathlib import Path

from spbe_arch.errors import ConfigurationError
from spbe_arch.repository.base import (
    ChangeSet,
    LoadRecord,
    LoadSource,
    Quad,
    QueryResult,
    Repository,
    RepositoryStats,
    SelectResult,
    format_for_path,
)
from spbe_arch.settings import Settings, get_settings


def open_repository(store: str | None = None, settings: Settings | None = None, *,
                    read_only: bool = False) -> Repository:
    """Open the repository named by a store setting (default: `settings.store`)."""
    settings = settings or get_settings()
    store = store or settings.store
    kind, _, rest = store.partition(":")
    if kind == "memory":
        from spbe_arch.repository.oxigraph import OxigraphRepository

        return OxigraphRepository(None)
    if kind == "oxigraph":
        from spbe_arch.repository.oxigraph import OxigraphRepository

        return OxigraphRepository(Path(rest or "./spbe-data"), read_only=read_only)
    if kind == "sparql" and rest:
        from spbe_arch.repository.remote import RemoteRepository

        return RemoteRepository.from_settings(rest, settings)
    raise ConfigurationError(
        f"pengaturan penyimpanan '{store}' tidak dikenal; gunakan oxigraph:PATH, memory:"
        " atau sparql:URL_QUERY",
        f"unknown store setting '{store}'; use oxigraph:PATH, memory: or sparql:QUERY_URL",
    )


__all__ = [
    "ChangeSet",
    "LoadRecord",
    "LoadSource",
    "Quad",
    "QueryResult",
    "Repository",
    "RepositoryStats",
    "SelectResult",
    "format_for_path",
    "open_repository",
]
