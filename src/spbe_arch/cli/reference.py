"""`spbe-arch reference …`: the national reference lists in the repository — which are
official and which provisional (`list`), and replacing a provisional RAA/RAI/RAK list with
the official one (`import`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
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
    t,
)
from spbe_arch.errors import InputError, Location
from spbe_arch.reference.replace import (
    ConceptChange,
    ReplacementPlan,
    read_official_list,
    replace_list,
)
from spbe_arch.reference.schemes import describe_schemes

OPTIONS = {"skema": "--scheme", "instansi": "--instansi"}
"""The service's fields and the options that give them."""
SHOWN_ROWS = 200


@contextmanager
def cli_words() -> Iterator[None]:
    """A refusal naming a field of the service names the option instead."""
    try:
        yield
    except InputError as exc:
        field = exc.location.field if exc.location else None
        if field not in OPTIONS:
            raise
        raise InputError(exc.message_id, exc.message_en,
                         Location(field=OPTIONS[field])) from exc


reference_app = typer.Typer(
    help="Referensi arsitektur nasional (RAB, RAL, RAD, RAA, RAI, RAK): lihat daftar yang"
         " dimuat dan ganti daftar sementara dengan daftar resmi. (The national reference"
         " architectures: show the loaded lists and replace a provisional list with the"
         " official one.)",
    no_args_is_help=True,
)


@reference_app.command("list")
def list_(
    instansi: InstansiOption = None,
    output: Annotated[TableOrJson, typer.Option(
        "--format", help="Keluaran: table atau json. (Output format.)")] = TableOrJson.table,
) -> None:
    """Skema referensi versi yang berlaku: jumlah konsep per level, resmi atau sementara, dan
    sumbernya. (The reference schemes of the version in force: concepts per level, official
    or provisional, and their source.)"""
    with cli_words(), repository(read_only=True) as repo:
        view = describe_schemes(repo, instansi_code(instansi))
    if output is TableOrJson.json:
        typer.echo(json.dumps(view.to_json(), ensure_ascii=False, indent=2))
        return
    typer.echo(t(f"Versi referensi yang berlaku: {view.version.name}",
                 f"Reference version in force: {view.version.name}"))
    table = Table()
    table.add_column(t("Skema", "Scheme"), no_wrap=True)
    table.add_column(t("Nama", "Name"))
    table.add_column(t("Konsep", "Concepts"), justify="right", no_wrap=True)
    table.add_column(t("Per level", "Per level"), no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column(t("Sumber", "Source"))
    for scheme in view.schemes:
        table.add_row(scheme.prefix, t(scheme.label_id, scheme.label_en or scheme.label_id),
                      str(scheme.concepts),
                      " / ".join(str(n) for n in scheme.levels.values()) or "-",
                      t("sementara", "provisional") if scheme.provisional
                      else t("resmi", "official"),
                      ", ".join(scheme.sources) or "-")
    out_console().print(table)


@reference_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(
        metavar="BERKAS", help="Daftar kode: .csv atau .xlsx (kolom kode, nama, induk; level"
                               " dan keterangan boleh) atau .json format proyek. (The code"
                               " list: CSV or Excel with columns kode, nama, induk and"
                               " optional level, keterangan; or the project's JSON.)",
        show_default=False)],
    scheme: Annotated[str, typer.Option(
        "--scheme", metavar="RAA|RAI|RAK", show_default=False,
        help="Skema yang diganti: RAA, RAI atau RAK. (The scheme replaced.)")],
    source: Annotated[str | None, typer.Option(
        "--source", metavar="TEKS-ATAU-URL",
        help="Sumber resmi daftar, mis. nama peraturan atau URL; bawaan nama berkas. (The"
             " list's official source, e.g. a regulation's name or a URL; default the file"
             " name.)")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Periksa dan tampilkan rencananya tanpa menyimpan. (Check and show"
                          " the plan without saving.)")] = False,
    agent: Annotated[str | None, typer.Option(
        "--agent", help="Nama yang dicatat di riwayat; bawaan pengguna sistem. (Name recorded"
                        " in the history; default the system user.)")] = None,
    instansi: InstansiOption = None,
    output: Annotated[TableOrJson, typer.Option(
        "--format", help="Keluaran: table atau json. (Output format.)")] = TableOrJson.table,
) -> None:
    """Ganti daftar sementara RAA, RAI atau RAK dengan daftar resmi. (Replace the
    provisional RAA, RAI or RAK list with the official one.)

    Dengan perintah ini Anda menyatakan bahwa berkas itu daftar resmi: skemanya ditandai
    resmi (spbe:provisional false) dengan sumber, pemuat, berkas dan waktunya. Konsep lama
    skema itu diganti konsep daftar baru pada versi referensi yang berlaku; elemen yang
    kodenya tidak ada di daftar baru ditampilkan (setelahnya mendapat peringatan validasi).
    Setiap masalah berkas disebut dengan baris dan kolomnya dan tidak ada yang disimpan.
    RAB, RAL dan RAD tidak dapat diganti. (You state that the file is the official list:
    the scheme is marked official with its source, who loaded it, the file and the time.
    The scheme's old concepts are replaced in the reference version in force; elements
    whose code is not in the new list are shown, they get a validation warning afterwards.
    Every problem of the file is named with its row and column and nothing is stored. RAB,
    RAL and RAD cannot be replaced.)
    """
    with cli_words():
        # before the store is opened: a wrong file is refused without touching it
        official = read_official_list(file, scheme)
        # a dry run only reads: it works beside a running server
        with repository(read_only=dry_run) as repo:
            plan = replace_list(repo, official, agent=agent or agent_name(), source=source,
                                instansi=instansi_code(instansi), dry_run=dry_run)
    if output is TableOrJson.json:
        typer.echo(json.dumps(plan.to_json(), ensure_ascii=False, indent=2))
        return
    _print_plan(plan)


def _print_plan(plan: ReplacementPlan) -> None:
    console = out_console()
    console.print(t(f"Skema {plan.scheme} ({plan.version.name}) dari {plan.file}:"
                    f" {plan.concepts} konsep; sumber: {plan.source}.",
                    f"Scheme {plan.scheme} ({plan.version.name}) from {plan.file}:"
                    f" {plan.concepts} concepts; source: {plan.source}."))
    changes = Table(title=t("Perubahan konsep", "Concept changes"))
    changes.add_column(t("Perubahan", "Change"), no_wrap=True)
    changes.add_column(t("Kode", "Code"), no_wrap=True)
    changes.add_column(t("Nama", "Name"))
    changes.add_column(t("Sebelumnya", "Before"))
    groups: list[tuple[str, list[ConceptChange]]] = [
        (t("ditambah", "added"), plan.added), (t("dihapus", "removed"), plan.removed),
        (t("diganti nama", "renamed"), plan.renamed), (t("dipindah", "moved"), plan.moved)]
    rows = [(label, c) for label, items in groups for c in items]
    for label, change in rows[:SHOWN_ROWS]:
        before = change.old_name or (t(f"induk {change.old_parent}", f"parent"
                                       f" {change.old_parent}") if change.old_parent else "")
        changes.add_row(label, change.code, change.name, before)
    if rows:
        console.print(changes)
    if len(rows) > SHOWN_ROWS:
        console.print(t(f"… dan {len(rows) - SHOWN_ROWS} perubahan lain",
                        f"… and {len(rows) - SHOWN_ROWS} more"))
    if plan.affected:
        elements = Table(title=t(
            f"Elemen yang kodenya tidak ada di daftar baru: {len(plan.affected)} (peringatan"
            f" Elemen-klasifikasi{plan.scheme}-dikenal setelah penggantian)",
            f"Elements whose code is not in the new list: {len(plan.affected)} (warning"
            f" Elemen-klasifikasi{plan.scheme}-dikenal after the replacement)"))
        for header in ("Instansi", "OPD", t("Elemen", "Element"), t("Nama", "Name"),
                       t(f"Kode {plan.scheme}", f"{plan.scheme} code"), t("Catatan", "Note")):
            elements.add_column(header)
        for element in plan.affected[:SHOWN_ROWS]:
            elements.add_row(element.kode_wilayah or "-", element.opd or "-", element.kode,
                             element.nama, element.code,
                             "" if element.known_before else
                             t("sudah tidak dikenal sebelumnya", "already unknown before"))
        console.print(elements)
        if len(plan.affected) > SHOWN_ROWS:
            console.print(t(f"… dan {len(plan.affected) - SHOWN_ROWS} elemen lain",
                            f"… and {len(plan.affected) - SHOWN_ROWS} more elements"))
    console.print(t(f"{len(plan.added)} ditambah, {len(plan.removed)} dihapus,"
                    f" {len(plan.renamed)} diganti nama, {len(plan.moved)} dipindah;"
                    f" {len(plan.affected)} elemen terdampak.",
                    f"{len(plan.added)} added, {len(plan.removed)} removed,"
                    f" {len(plan.renamed)} renamed, {len(plan.moved)} moved;"
                    f" {len(plan.affected)} elements affected."))
    if plan.dry_run:
        console.print(t("Uji coba (--dry-run): tidak ada yang disimpan.",
                        "Dry run (--dry-run): nothing was stored."))
    elif plan.activity is not None:
        console.print(t(f"Disimpan; skema {plan.scheme} kini daftar resmi. Riwayat:"
                        f" {plan.activity}",
                        f"Stored; scheme {plan.scheme} is now the official list. History:"
                        f" {plan.activity}"))
    else:
        console.print(t("Tidak ada perubahan: daftar ini sudah dimuat.",
                        "Nothing changed: this list is loaded already."))


def register(app: typer.Typer) -> None:
    app.add_typer(reference_app, name="reference")
