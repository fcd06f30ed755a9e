"""`spbe-arch token create|list|revoke`: the API tokens of this store.

The token is printed once, on stdout, when it is created; only its SHA-256 hash is kept
(see `spbe_arch.access.tokens`). A running server picks up changes without a restart.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

import typer
from rich.table import Table

from spbe_arch import iris
from spbe_arch.access import Role, TokenStore
from spbe_arch.access.tokens import check_scope
from spbe_arch.cli.common import out_console, state, t
from spbe_arch.cli.common import repository as cli_repository
from spbe_arch.cli.common import settings as cli_settings
from spbe_arch.errors import InputError, Location, SpbeError
from spbe_arch.model import stored_opds
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


def opd_iri(value: str, instansi: str) -> str:
    """An OPD given as a code (`DISKOMINFO`) or as its full IRI."""
    if value.startswith(("http://", "https://")):
        return value
    return str(iris.element_iri(instansi, "opd", value))


def expiry(text: str) -> datetime:
    """`90d` (that many days from now) or `2027-06-30` (valid through that day, UTC)."""
    value = text.strip().lower()
    try:
        if value.endswith("d") and value[:-1].isdigit() and int(value[:-1]) > 0:
            return datetime.now(UTC) + timedelta(days=int(value[:-1]))
        last_day = date.fromisoformat(value)
    except ValueError:
        last_day = None
    if last_day is None:
        raise InputError(
            f"masa berlaku '{text}' tidak dikenal: tulis jumlah hari (mis. 90d) atau tanggal"
            " terakhir (mis. 2027-06-30)",
            f"unknown validity '{text}': give a number of days (e.g. 90d) or a last date"
            " (e.g. 2027-06-30)", Location(field="--expires"))
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=UTC)


def _check_opds(opds: list[str]) -> None:
    """Refuse OPDs the repository does not have: a mistyped code makes an editor token that
    can change nothing, and its holder only ever sees 403."""
    try:
        repo = cli_repository(read_only=True)
    except SpbeError as exc:
        # e.g. a remote store that is down: the token file does not need the store
        typer.echo(t(f"peringatan: OPD tidak dapat diperiksa ({exc.message('id')})",
                     f"warning: the OPDs could not be checked ({exc.message('en')})"),
                   err=True)
        return
    with repo:
        known = stored_opds(repo)
    unknown = [o for o in opds if o not in known]
    if unknown:
        names = ", ".join(o.rsplit("/", 1)[-1] for o in unknown)
        codes = ", ".join(sorted(o.rsplit("/", 1)[-1] for o in known)) or "-"
        raise InputError(
            f"OPD {names} tidak ada di repositori (OPD yang ada: {codes}); periksa kodenya,"
            " atau pakai --force untuk OPD yang baru akan diimpor",
            f"OPD {names} is not in the repository (known OPDs: {codes}); check the code,"
            " or use --force for an OPD that will be imported later")


def register(app: typer.Typer) -> None:
    token_app = typer.Typer(help="Kelola token API (reader, editor per OPD, admin)."
                                 " (Manage API tokens: reader, editor per OPD, admin.)",
                            no_args_is_help=True)
    app.add_typer(token_app, name="token")

    @token_app.command("create")
    def create(
        name: Annotated[str, typer.Argument(
            metavar="NAMA", help="Nama token, mis. nama orang atau aplikasi. (Token name,"
                                 " e.g. a person's or an application's.)")],
        role: Annotated[Role, typer.Option(
            "--role", help="reader, editor atau admin. (Role.)")] = Role.reader,
        opd: Annotated[list[str] | None, typer.Option(
            "--opd", help="OPD yang boleh diubah editor (kode atau IRI); boleh berulang. (An"
                          " OPD the editor may change, code or IRI; repeatable.)")
        ] = None,
        instansi: Annotated[str | None, typer.Option(
            "--instansi", help="Kode wilayah instansi OPD; bawaan SPBE_INSTANSI. (Region code"
                               " of the OPDs' instansi; default SPBE_INSTANSI.)")] = None,
        force: Annotated[bool, typer.Option(
            "--force", help="Buat juga untuk OPD yang belum ada di repositori (mis. yang"
                            " baru akan diimpor). (Also for OPDs not in the repository"
                            " yet.)")] = False,
        expires: Annotated[str | None, typer.Option(
            "--expires", metavar="HARI|TANGGAL",
            help="Masa berlaku: jumlah hari (90d) atau tanggal terakhir (2027-06-30);"
                 " bawaan: sampai dicabut. (Validity: days or last date.)")] = None,
    ) -> None:
        """Buat token baru; token dicetak sekali saja. (Create a token; it is printed only
        once.)"""
        settings = _settings()
        until = expiry(expires) if expires else None
        opds = [opd_iri(o, instansi or settings.instansi) for o in opd or []]
        tokens = _store()  # before the OPD check: a memory: store is refused first
        # before the OPD check too: an admin given --opd hears that, not "unknown OPD"
        check_scope(role, opds)
        if opds and not force:
            _check_opds(opds)
        token, record = tokens.create(name, role, opds, expires=until)
        typer.echo(token)
        typer.echo(t(f"token '{record.name}' ({record.role}) dibuat; simpan sekarang, token"
                     " tidak dapat ditampilkan lagi",
                     f"token '{record.name}' ({record.role}) created; keep it now, it cannot"
                     " be shown again"), err=True)
        if record.expires:
            typer.echo(t(f"berlaku hingga {record.expires}", f"valid until {record.expires}"),
                       err=True)

    @token_app.command("list")
    def list_tokens(
        all_tokens: Annotated[bool, typer.Option(
            "--all", help="Termasuk token yang dicabut. (Include revoked tokens.)")] = False,
    ) -> None:
        """Daftar token (tanpa rahasianya). (List the tokens, without their secrets.)"""
        records = [r for r in _store().records() if all_tokens or r.active]
        if not records:
            typer.echo(t("belum ada token; buat dengan `spbe-arch token create NAMA --role"
                         " reader|editor|admin`",
                         "no tokens yet; create one with `spbe-arch token create NAME --role"
                         " reader|editor|admin`"), err=True)
            return
        table = Table(t("nama", "name"), t("peran", "role"), "OPD", t("awal token", "starts"),
                      t("dibuat", "created"), t("berlaku hingga", "expires"),
                      t("dicabut", "revoked"))
        for record in records:
            until = record.expires or "-"
            if record.expired:
                until += t(" (kedaluwarsa)", " (expired)")
            table.add_row(record.name, record.role.value,
                          ", ".join(o.rsplit("/", 1)[-1] for o in record.opds) or "-",
                          record.hint + "…", record.created, until, record.revoked or "-")
        out_console().print(table)

    @token_app.command("revoke")
    def revoke(name: Annotated[str, typer.Argument(
            metavar="NAMA", help="Nama token yang dicabut. (Name of the token to revoke.)")]
               ) -> None:
        """Cabut token; permintaan dengan token itu langsung ditolak. (Revoke a token;
        requests with it are refused at once.)"""
        record = _store().revoke(name)
        typer.echo(t(f"token '{record.name}' dicabut", f"token '{record.name}' revoked"),
                   err=True)
