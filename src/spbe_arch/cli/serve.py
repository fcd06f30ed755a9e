"""`spbe-arch serve`: the HTTP service (SPARQL endpoint, Graph Store, REST API, web UI).

`serve(settings, repository, host, port)` is also what `spbe-arch demo` ends with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from spbe_arch.access import (
    TokenStore,
    anonymous_read_enabled,
    is_loopback,
    loopback_names_only,
)
from spbe_arch.cli.common import repository as open_cli_repository
from spbe_arch.cli.common import settings as cli_settings
from spbe_arch.cli.common import state, t
from spbe_arch.repository import Repository
from spbe_arch.settings import Settings

if TYPE_CHECKING:
    import uvicorn

# uvicorn and the app (FastAPI) are imported when serving: every other command starts
# faster without them

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _echo(text: str) -> None:
    typer.echo(text, err=True)


def banner(settings: Settings, host: str, port: int, tokens: TokenStore) -> list[str]:
    """What the server tells its user when it starts."""
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{port}"
    anonymous = anonymous_read_enabled(settings, host)
    lines = [
        t(f"spbe-arch melayani {settings.store} di {url}",
          f"spbe-arch serving {settings.store} at {url}"),
        f"  SPARQL:       {url}/sparql",
        f"  Graph Store:  {url}/rdf-graph-store",
        f"  OpenAPI:      {url}/docs",
        t(f"  Baca anonim:  {'aktif' if anonymous else 'mati (perlu token reader)'}",
          f"  Anonymous read: {'on' if anonymous else 'off (a reader token is needed)'}"),
        t(f"  Batas kueri:  {settings.query_timeout_s:g} detik, {settings.result_limit} baris",
          f"  Query limits: {settings.query_timeout_s:g} s, {settings.result_limit} rows"),
    ]
    if loopback_names_only(settings, host):
        # say so before someone puts a reverse proxy in front and gets 400 for its host name
        lines.append(t("  Hanya melayani nama host localhost/127.0.0.1; di balik reverse proxy"
                       " tetapkan SPBE_ANONYMOUS_READ",
                       "  Answers only the host names localhost/127.0.0.1; behind a reverse"
                       " proxy set SPBE_ANONYMOUS_READ"))
    if not any(r.active for r in tokens.records()):
        lines.append(t("  Belum ada token: perubahan lewat API memerlukan token, buat dengan"
                       " `spbe-arch token create NAMA --role admin`",
                       "  No tokens yet: changes through the API need one; create it with"
                       " `spbe-arch token create NAME --role admin`"))
    if not is_loopback(host) and anonymous:
        lines.append(t("  PERINGATAN: baca anonim aktif pada alamat yang dapat dijangkau"
                       " jaringan (SPBE_ANONYMOUS_READ=true)",
                       "  WARNING: anonymous reading is on for an address reachable from the"
                       " network (SPBE_ANONYMOUS_READ=true)"))
    return lines


KEEP_ALIVE_S = 15
"""Seconds an idle keep-alive connection stays open. Longer than the 5 s after which httpx
(and other pooling clients) stop reusing an idle connection: with uvicorn's default of the
same 5 s, a client could send a request on a connection the server was closing at that very
moment (about one request in 20,000 failed so under load)."""


def server_config(app: Any, host: str, port: int, *, log_level: str = "info",
                  **options: Any) -> uvicorn.Config:
    """How `spbe-arch serve` runs uvicorn (the benchmarks and tests serve the same way)."""
    import uvicorn

    return uvicorn.Config(app, host=host, port=port, log_level=log_level, workers=1,
                          lifespan="on", timeout_graceful_shutdown=5,
                          timeout_keep_alive=KEEP_ALIVE_S, **options)


def serve(settings: Settings, repository: Repository, host: str = DEFAULT_HOST,
          port: int = DEFAULT_PORT, *, log_level: str = "info",
          trusted_proxies: list[str] | None = None) -> None:
    """Serve `repository` over HTTP until interrupted (Ctrl-C). `trusted_proxies`: the
    addresses whose X-Forwarded-Proto/-For headers are believed (uvicorn's own default,
    127.0.0.1, when None)."""
    import uvicorn

    from spbe_arch.api import create_app

    tokens = TokenStore.for_settings(settings)
    app = create_app(settings, repository, host=host, tokens=tokens)
    for line in banner(settings, host, port, tokens):
        _echo(line)
    options: dict[str, Any] = {}
    if trusted_proxies:
        # behind a reverse proxy that ends TLS, the scheme it forwards decides whether the
        # web UI's cookies are `__Host-` and Secure: only a proxy named here may say so
        options["forwarded_allow_ips"] = ",".join(trusted_proxies)
        _echo(t(f"  Proxy tepercaya: {', '.join(trusted_proxies)}",
                f"  Trusted proxies: {', '.join(trusted_proxies)}"))
    uvicorn.Server(server_config(app, host, port, log_level=log_level, **options)).run()


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_command(
        host: Annotated[str, typer.Option(
            "--host", envvar="SPBE_HOST",
            help="Alamat yang didengar; bawaan 127.0.0.1, 0.0.0.0 untuk semua antarmuka."
                 " (Address to listen on; default 127.0.0.1, 0.0.0.0 for every interface.)"
        )] = DEFAULT_HOST,
        port: Annotated[int, typer.Option(
            "--port", envvar="SPBE_PORT",
            help="Port TCP; bawaan 8000. (TCP port; default 8000.)")] = DEFAULT_PORT,
        log_level: Annotated[str, typer.Option(
            "--log-level", help="Tingkat log uvicorn: critical, error, warning, info, debug."
                                " (uvicorn log level.)"
        )] = "info",
        trusted_proxy: Annotated[list[str] | None, typer.Option(
            "--trusted-proxy", envvar="SPBE_TRUSTED_PROXIES",
            help="Alamat reverse proxy yang header X-Forwarded-Proto/-For-nya dipercaya"
                 " (boleh berulang; bawaan 127.0.0.1 dan ::1; * untuk semua)."
                 " (Address of a reverse proxy whose X-Forwarded-Proto/-For headers are"
                 " believed; repeatable; default 127.0.0.1 and ::1; * for any.)")] = None,
    ) -> None:
        """Jalankan layanan HTTP: SPARQL, Graph Store Protocol, REST API dan antarmuka web.
        (Serve over HTTP: SPARQL, Graph Store Protocol, REST API and the web UI.)"""
        settings = cli_settings()
        if state.store:
            settings = settings.model_copy(update={"store": state.store})
        serve(settings, open_cli_repository(), host, port, log_level=log_level,
              trusted_proxies=trusted_proxy)
