"""`spbe-arch instansi …`: the government body's own record and its architecture periods.

`init --instansi` records a body and a draft period; once the architecture is enacted (a
Peraturan Wali Kota / Bupati), `instansi periode` sets the period's status and regulation
without hand-written RDF.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from spbe_arch.cli.common import (
    InstansiOption,
    TableOrJson,
    agent_name,
    instansi_code,
    out_console,
    repository,
    state,
    t,
)
from spbe_arch.errors import InputError, Location
from spbe_arch.model.instansi import (
    REFERENCE_STEP,
    InstansiNotRecordedError,
    ReferenceNotLoadedError,
    check_periode_input,
    describe_instansi,
    field_names,
    set_periode,
)
from spbe_arch.sop.document import tanggal_indonesia

OPTIONS = {"kode_wilayah": "--instansi", "nama": "--nama", "periode": "--periode",
           "status": "--status", "nomor_regulasi": "--nomor-regulasi",
           "tanggal_regulasi": "--tanggal-regulasi"}
"""The service's fields (`model.instansi`) and the options of `init` and `instansi …` that
give them."""


def cli_error(error: InputError, arguments: Mapping[str, str] | None = None) -> InputError:
    """`error` of `model.instansi` as the command line says it: its field as the option
    (`opsi --periode: …`) or as the command's argument (`arguments`: field → metavar), and
    for a body not recorded or a store without the base data, the command that fixes it."""
    field = error.location.field if error.location else None
    text_id, text_en = error.message_id, error.message_en
    if isinstance(error, InstansiNotRecordedError):
        command = f"`spbe-arch init --instansi {error.kode} --nama … --periode …`"
        text_id += f"; catat dengan {command}"
        text_en += f"; record it with {command}"
    elif isinstance(error, ReferenceNotLoadedError):
        text_id += f"; {REFERENCE_STEP[0]}"
        text_en += f"; {REFERENCE_STEP[1]}"
    location, argument = error.location, (arguments or {}).get(field or "")
    if argument is not None:
        # Location has no words for an argument: said here as the usage errors say it
        text_id, text_en = f"argumen {argument}: {text_id}", f"argument {argument}: {text_en}"
        location = None
    elif field in OPTIONS:
        location = Location(field=OPTIONS[field])
    if (text_id, text_en, location) == (error.message_id, error.message_en, error.location):
        return error
    return InputError(text_id, text_en, location)


@contextmanager
def cli_words(arguments: Mapping[str, str] | None = None) -> Iterator[None]:
    """Refusals of the service calls inside, in the command line's words (`cli_error`)."""
    try:
        yield
    except InputError as exc:
        said = cli_error(exc, arguments)
        if said is exc:
            raise
        raise said from exc


instansi_app = typer.Typer(
    help="Instansi dan periode arsitekturnya: lihat, catat, tetapkan. (The government body"
         " and its architecture periods: show, record, enact.)",
    no_args_is_help=True,
)


@instansi_app.command("show")
def show(
    instansi: InstansiOption = None,
    output: Annotated[TableOrJson, typer.Option(
        "--format", help="Keluaran: table atau json. (Output format.)")] = TableOrJson.table,
) -> None:
    """Kode, nama dan setiap periode arsitektur instansi: tahun, status, nomor dan tanggal
    regulasi, versi referensi. (The body's code, name and each architecture period: years,
    status, regulation number and date, reference version.)"""
    with cli_words(), repository(read_only=True) as repo:
        view = describe_instansi(repo, instansi_code(instansi))
    if output is TableOrJson.json:
        typer.echo(json.dumps(view.to_json(), ensure_ascii=False, indent=2))
        return
    english = state.lang == "en"
    typer.echo(f"Instansi {view.kode}: {', '.join(view.nama) or '-'}")
    table = Table()
    # short values kept whole on a narrow terminal; the regulation's long title wraps
    table.add_column("Periode" if not english else "Period", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Nomor regulasi" if not english else "Regulation number")
    table.add_column("Tanggal regulasi" if not english else "Regulation date", no_wrap=True)
    table.add_column("Referensi" if not english else "Reference", no_wrap=True)
    for period in view.periode:
        table.add_row(period.years, ", ".join(period.status) or "-",
                      ", ".join(period.nomor_regulasi) or "-",
                      ", ".join(_date(d) for d in period.tanggal_regulasi) or "-",
                      ", ".join(period.versi_referensi) or "-")
    out_console().print(table)


def _date(text: str) -> str:
    """`4 Desember 2026` as the documents write it (ISO in English); a stored value that is
    not a date is shown as it is."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    return day.isoformat() if state.lang == "en" else tanggal_indonesia(day)


@instansi_app.command("periode")
def periode(
    tahun: Annotated[str, typer.Argument(
        metavar="TAHUN-TAHUN", help="Periode arsitektur, mis. 2025-2029. (Architecture"
                                    " period, e.g. 2025-2029.)", show_default=False)],
    instansi: InstansiOption = None,
    status: Annotated[str | None, typer.Option(
        "--status", help="draft atau ditetapkan. (Document status: draft or ditetapkan.)",
    )] = None,
    nomor_regulasi: Annotated[str | None, typer.Option(
        "--nomor-regulasi", metavar="TEKS",
        help="Nomor regulasi penetapan, mis. 'Peraturan Bupati Nomor 12 Tahun 2026'; kosong"
             " menghapusnya. (Number of the enacting regulation; empty removes it.)",
    )] = None,
    tanggal_regulasi: Annotated[str | None, typer.Option(
        "--tanggal-regulasi", metavar="TANGGAL",
        help="Tanggal regulasi, mis. 2026-12-04 atau '4 Desember 2026'; kosong menghapusnya."
             " (Date of the regulation; empty removes it.)",
    )] = None,
) -> None:
    """Catat periode arsitektur atau ubah status dan regulasinya. (Record an architecture
    period or change its status and regulation.)

    Periode yang belum ada dicatat sebagai draf dengan referensi Perpres 132/2022; untuk
    periode yang ada hanya isian yang diberikan yang berubah. Diperiksa terhadap aturan
    arsitektur dan dicatat di jejak audit; tanpa perubahan tidak ada yang ditulis.
    (A new period is recorded as a draft under Perpres 132/2022; for an existing one only
    the given fields change. Checked against the architecture rules and audited; nothing is
    written when nothing changes.)
    """
    kode = instansi_code(instansi)
    with cli_words({"periode": "TAHUN-TAHUN"}):
        # before the store is opened: a typo is reported without touching it
        given = check_periode_input(kode, tahun, status=status, nomor_regulasi=nomor_regulasi,
                                    tanggal_regulasi=tanggal_regulasi)
        with repository() as repo:
            done = set_periode(repo, kode, tahun, status=status,
                               nomor_regulasi=nomor_regulasi,
                               tanggal_regulasi=tanggal_regulasi, agent=agent_name(),
                               lang=state.lang)
    years, kode = f"{given.start}-{given.end}", given.kode
    if done.created:
        typer.echo(t(f"Periode {years} instansi {kode} dicatat.",
                     f"Period {years} of instansi {kode} recorded."))
    elif done.activity is not None:
        typer.echo(t(f"Periode {years} instansi {kode} diperbarui: {field_names(done.changed)}.",
                     f"Period {years} of instansi {kode} updated:"
                     f" {field_names(done.changed, 'en')}."))
    else:
        typer.echo(t(f"Periode {years} instansi {kode} tidak berubah.",
                     f"Period {years} of instansi {kode} unchanged."))


def register(app: typer.Typer) -> None:
    app.add_typer(instansi_app, name="instansi")
