"""`spbe-arch excel template|import|export`: the workbooks OPDs fill in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import TaskID
from rich.table import Table

from spbe_arch.cli.common import (
    InstansiOption,
    agent_name,
    err_console,
    instansi_code,
    out_console,
    progress,
    repository,
    state,
)

if TYPE_CHECKING:  # the importer (openpyxl) is loaded by the excel commands only
    from spbe_arch.importers.xlsx import ImportReport

excel_app = typer.Typer(
    help="Templat, impor dan ekspor Excel arsitektur SPBE. (Excel template, import and export.)",
    no_args_is_help=True,
)

LangOption = Annotated[str | None, typer.Option(
    "--lang", help="Bahasa pesan: id atau en; menimpa opsi global --lang. (Message language;"
                   " overrides the global --lang.)")]


def _lang(value: str | None) -> str:
    if value is not None:
        state.lang = "en" if value == "en" else "id"
    return state.lang


def _tr(text_id: str, text_en: str) -> str:
    return text_en if state.lang == "en" else text_id


class _Bar:
    """Progress callback -> a rich progress bar per sheet/stage."""

    def __init__(self, bar: Any) -> None:
        self.bar = bar
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        task = self.tasks.get(stage)
        if task is None:
            task = self.bar.add_task(stage, total=total)
            self.tasks[stage] = task
        self.bar.update(task, completed=done, total=total)


@excel_app.command("template")
def template(
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="Berkas .xlsx yang ditulis. (The .xlsx file written.)")] = Path(
        "templat-arsitektur-spbe.xlsx"),
    opd: Annotated[str | None, typer.Option(
        "--opd", help="Isi templat dengan data OPD ini (kode OPD). (Prefill with this OPD's"
                      " data; an OPD code.)")] = None,
    instansi: InstansiOption = None,
    lang: LangOption = None,
) -> None:
    """Buat templat Excel (satu sheet per jenis elemen, dengan petunjuk dan daftar pilihan).
    (Make the Excel template: one sheet per element kind, with instructions and choice
    lists.)"""
    from spbe_arch.importers.xlsx import build_workbook

    _lang(lang)
    with repository(read_only=True) as repo, progress() as bar:
        summary = build_workbook(repo, out, instansi=instansi_code(instansi), opd=opd,
                                 with_data=opd is not None, progress=_Bar(bar))
    rows = sum(summary.rows.values())
    err_console().print(_tr(f"Templat ditulis ke {out} ({rows} baris terisi).",
                            f"Template written to {out} ({rows} rows prefilled)."))


@excel_app.command("export")
def export(
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="Berkas .xlsx yang ditulis. (The .xlsx file written.)")] = Path(
        "arsitektur-spbe.xlsx"),
    opd: Annotated[str | None, typer.Option(
        "--opd", help="Hanya data OPD ini. (Only this OPD's data.)")] = None,
    instansi: InstansiOption = None,
    lang: LangOption = None,
) -> None:
    """Ekspor repositori ke Excel dengan tata letak templat (ekspor → sunting → impor).
    (Export the repository to Excel in the template's layout: export, edit, import.)"""
    from spbe_arch.importers.xlsx import build_workbook

    _lang(lang)
    with repository(read_only=True) as repo, progress() as bar:
        summary = build_workbook(repo, out, instansi=instansi_code(instansi), opd=opd,
                                 with_data=True, progress=_Bar(bar))
    parts = ", ".join(f"{sheet} {n}" for sheet, n in summary.rows.items())
    err_console().print(_tr(f"Diekspor ke {out}: {parts}.", f"Exported to {out}: {parts}."))


@excel_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(
        metavar="BERKAS", help="Buku kerja .xlsx yang sudah diisi. (The filled-in .xlsx"
                               " workbook.)", exists=False)],
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Periksa dan tampilkan perubahan tanpa menyimpan. (Check and show"
                          " the changes without saving.)")] = False,
    opd_editor: Annotated[list[str] | None, typer.Option(
        "--opd-editor", help="Batasi impor pada OPD ini (boleh diulang): baris OPD lain"
                             " ditolak. (Limit the import to this OPD, repeatable: rows of"
                             " other OPDs are refused.)")] = None,
    prune_opd: Annotated[list[str] | None, typer.Option(
        "--prune-opd", help="Hapus elemen OPD ini (proses bisnis, layanan, data, aplikasi,"
                            " infrastruktur, keamanan, SOP) yang tidak ada di buku kerja (boleh"
                            " diulang). Tanpa opsi ini tidak ada yang dihapus. (Delete this"
                            " OPD's elements missing from the workbook, repeatable; without it"
                            " nothing is deleted.)")] = None,
    instansi: InstansiOption = None,
    lang: LangOption = None,
    output: Annotated[str, typer.Option(
        "--format", help="table atau json. (Output format.)")] = "table",
    agent: Annotated[str | None, typer.Option(
        "--agent", help="Nama yang dicatat di riwayat; bawaan pengguna sistem. (Name recorded"
                        " in the history; default the system user.)")] = None,
) -> None:
    """Impor buku kerja: tampilkan yang ditambah/diubah/dihapus, validasi, simpan semua atau
    tidak sama sekali. (Import a workbook: show what is added, changed and deleted, validate,
    save all or nothing.)"""
    from spbe_arch.importers.xlsx import import_workbook

    lang_code = _lang(lang)
    # a dry run only reads: it works beside a running server
    with repository(read_only=dry_run) as repo, progress() as bar:
        report = import_workbook(repo, file, instansi=instansi_code(instansi),
                                 name=file.name, dry_run=dry_run, editor_opds=opd_editor,
                                 agent=agent or agent_name("excel"),
                                 progress=_Bar(bar), prune_opds=prune_opd)
    if output == "json":
        out_console().print_json(json.dumps(report.to_json(lang_code), ensure_ascii=False))
        return
    _print_report(report)


def _print_report(report: ImportReport) -> None:
    console = out_console()
    changes = report.changes
    table = Table(title=_tr(f"Impor {report.file}: {report.rows} baris",
                            f"Import {report.file}: {report.rows} rows"))
    table.add_column(_tr("Perubahan", "Change"))
    table.add_column(_tr("Jenis", "Kind"))
    table.add_column(_tr("Kode", "Code"))
    table.add_column(_tr("Kolom berubah", "Changed columns"))
    shown = 0
    for label, items in ((_tr("ditambah", "added"), changes.added),
                         (_tr("diubah", "changed"), changes.changed),
                         (_tr("dihapus", "removed"), changes.removed)):
        for change in items:
            if shown < 200:
                table.add_row(label, change.kind, change.code, ", ".join(change.fields))
            shown += 1
    if shown:
        console.print(table)
    if shown > 200:
        console.print(_tr(f"… dan {shown - 200} perubahan lain", f"… and {shown - 200} more"))
    for warning in report.warnings:
        console.print(_tr("Peringatan: ", "Warning: ") + warning.message(state.lang))
    for note in report.validation_notes:
        console.print(_tr("Validasi: ", "Validation: ") + note.message(state.lang))
    console.print(changes.summary(state.lang))
    if report.dry_run:
        console.print(_tr("Uji coba (--dry-run): tidak ada yang disimpan.",
                          "Dry run (--dry-run): nothing was stored."))
    elif report.applied:
        console.print(_tr(f"Disimpan; riwayat: {report.activity}",
                          f"Stored; history: {report.activity}"))
    else:
        console.print(_tr("Tidak ada perubahan.", "Nothing changed."))


def register(app: typer.Typer) -> None:
    app.add_typer(excel_app, name="excel")
