"""`spbe-arch token create|list|revoke`: the API tokens of this store.

The token is printed once, on stdout, when it is created; only its SHA-256 hash is kept
(see `spbe_arch.access.tokens`). A running server picks up changes without a restart.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from spbe_arch import iris
from spbe_arch.access import Role, TokenStore
from spbe_arch.cli.common import out_console, state, t
from spbe_arch.cli.common import settings as cli_settings
from spbe_arch.settings import Settings


def _settings() -> Settings:
    settings = cli_settings()
    if state.store:
        settings = settings.model_copy(update={"store": state.store})
    return settings


def _store() -> TokenStore:
    settings = _settings()
    store = TokenStore.for_settings(settings)
    if store.path is None:
        from spbe_arch.errors import ConfigurationError

        raise ConfigurationError(
            "penyimpanan memory: tidak menyimpan token; pakai --store oxigraph:PATH atau"
            " SPBE_TOKENS_FILE",
            "a memory: store keeps no tokens; use --store oxigraph:PATH or SPBE_TOKENS_FILE",
        )
    return store


def opd_iri(value: str, instansi: str, base: str) -> str:
    """An OPD given as a code (`DISKOMINFO`) or as its full IRI."""
    if value.startswith(("http://", "https://")):
        return value
    return str(iris.element_iri(instansi, "opd", value, base))


def register(app: typer.Typer) -> None:
    token_app = typer.Typer(help="Kelola token API (reader, editor per OPD, admin).",
                            no_args_is_help=True)
    app.add_typer(token_app, name="token")

    @token_app.command("create")
    def create(
        name: Annotated[str, typer.Argument(help="Nama token, mis. nama orang atau aplikasi.")],
        role: Annotated[Role, typer.Option("--role", help="reader, editor atau admin.")] = (
            Role.reader),
        opd: Annotated[list[str] | None, typer.Option(
            "--opd", help="OPD yang boleh diubah editor (kode atau IRI); boleh berulang.")
        ] = None,
        instansi: Annotated[str | None, typer.Option(
            "--instansi", help="Kode wilayah instansi OPD (bawaan: SPBE_INSTANSI).")] = None,
    ) -> None:
        """Buat token baru; token dicetak sekali saja."""
        settings = _settings()
        opds = [opd_iri(o, instansi or settings.instansi, settings.base_iri) for o in opd or []]
        token, record = _store().create(name, role, opds)
        typer.echo(token)
        typer.echo(t(f"token '{record.name}' ({record.role}) dibuat; simpan sekarang, token"
                     " tidak dapat ditampilkan lagi",
                     f"token '{record.name}' ({record.role}) created; keep it now, it cannot"
                     " be shown again"), err=True)

    @token_app.command("list")
    def list_tokens(
        all_tokens: Annotated[bool, typer.Option("--all", help="Termasuk token yang dicabut.")
                              ] = False,
    ) -> None:
        """Daftar token (tanpa rahasianya)."""
        records = [r for r in _store().records() if all_tokens or r.active]
        table = Table(t("nama", "name"), t("peran", "role"), "OPD", t("awal token", "starts"),
                      t("dibuat", "created"), t("dicabut", "revoked"))
        for record in records:
            table.add_row(record.name, record.role.value,
                          ", ".join(o.rsplit("/", 1)[-1] for o in record.opds) or "-",
                          record.hint + "…", record.created, record.revoked or "-")
        out_console().print(table)
        if not records:
            typer.echo(t("belum ada token", "no tokens yet"), err=True)

    @token_app.command("revoke")
    def revoke(name: Annotated[str, typer.Argument(help="Nama token yang dicabut.")]) -> None:
        """Cabut token; permintaan dengan token itu langsung ditolak."""
        record = _store().revoke(name)
        typer.echo(t(f"token '{record.name}' dicabut", f"token '{record.name}' revoked"),
                   err=True)
