"""The one settings object (environment variables `SPBE_*`)."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SPBE_", extra="ignore")

    store: str = "oxigraph:./spbe-data"
    """`oxigraph:PATH` (default), `memory:` or `sparql:QUERY_URL`."""
    update_url: str | None = None
    """SPARQL Update endpoint of a remote store (default: `/update` beside the query URL)."""
    graph_store_url: str | None = None
    """Graph Store Protocol endpoint of a remote store (default: `/store` beside the query URL)."""
    store_user: str | None = None
    store_password: str | None = None
    store_auth: str = "basic"
    """`basic` or `digest`, for a remote store that protects writes."""
    store_system_graphs: str = ""
    """Extra engine-internal graph IRIs (or IRI prefixes), comma-separated, that a remote
    store holds but the repository never lists, dumps or clears (Virtuoso's are known)."""
    lang: str = "id"
    instansi: str = "3574"
    """Default instansi (kode wilayah) for commands that work on one."""
    query_timeout_s: float = 30.0
    result_limit: int = 100_000
    anonymous_read: bool | None = None
    """None: on when bound to loopback, off otherwise."""
    cors_origins: str | None = None
    """Origins whose pages may call the service, comma-separated (`*`: any; empty: none).
    None: any while anonymous reading is off, none while it is on (api.app.cors_origins)."""
    sparql_service: bool = False
    """Allow SERVICE (federated queries) at /sparql and on the web SPARQL page. Off by
    default: the server would fetch whatever URL a reader names, intranet addresses
    included, and hand back the answer."""
    tokens_file: str | None = None
    """API token file (hashes only); default `<store path>.tokens.json` (see access/tokens.py)."""
    update_timeout_s: float = 60.0
    """Time limit of a SPARQL Update's evaluation (in a worker process; nothing is written
    when it fires)."""
    update_audit_max_quads: int = 1_000_000
    """A SPARQL Update changing more quads than this is recorded by its text, not triple by
    triple."""
    query_workers: int = 0
    """Worker processes that run /sparql queries under the time limit; 0 = one per CPU core."""
    reports_dir: str = "./laporan"
    report_templates: str | None = None
    """An instansi's report template folder (overrides/adds templates; docs/reports.md)."""
    max_upload_bytes: int = 20 * 1024 * 1024


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
