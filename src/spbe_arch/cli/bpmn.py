"""`spbe-arch bpmn …`: import BPMN 2.0 models (Bizagi and others), list, history, export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from spbe_arch.cli.common import (
    InstansiOption,
    agent_name,
    instansi_code,
    repository,
    state,
    t,
    working,
)
from spbe_arch.errors import InputError, Location
from spbe_arch.importers.bpmn.service import (
    find_model,
    import_bpmn_file,
    list_models,
    model_history,
    model_version_graph,
)
from spbe_arch.importers.bpmn.writer import write_bpmn

bpmn_app = typer.Typer(
    help="Model proses BPMN 2.0 (Bizagi, bpmn.io, ...): impor, daftar, riwayat, ekspor."
         " (BPMN 2.0 process models: import, list, history, export.)",
    no_args_is_help=True,
)




@bpmn_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(
        metavar="BERKAS", help="Berkas .bpmn (BPMN 2.0 XML). (A .bpmn file.)")],
    proses: Annotated[str | None, typer.Option(
        "--proses", metavar="KODE",
        help="Kode proses bisnis yang dirinci model ini. (Code of the proses bisnis it details.)",
    )] = None,
    model: Annotated[str | None, typer.Option(
        "--model", metavar="NAMA",
        help="Nama model; bawaan: nama berkas. Impor ulang dengan nama sama mengganti versi"
             " lama (riwayat tetap tersimpan). (Model name; default: the file name.)",
    )] = None,
    instansi: InstansiOption = None,
) -> None:
    """Impor model BPMN 2.0 ke graf bernama sendiri. (Import a BPMN 2.0 model.)

    Berkas dibaca dengan aman (tanpa DTD/entitas) dan utuh: bila ada masalah, pesan menyebut
    baris penyebabnya dan tidak ada yang disimpan. (Read safely and all-or-nothing.)
    """
    if not file.is_file():
        raise InputError(f"berkas tidak ditemukan: {file}", f"file not found: {file}",
                         Location(file=str(file)))
    with repository() as repo, working(t("Mengimpor model BPMN", "Importing the BPMN model")):
        result = import_bpmn_file(repo, file, kode_wilayah=instansi_code(instansi), proses=proses,
                                  model=model, agent=agent_name())
    typer.echo(result.summary(state.lang))
    counts = ", ".join(f"{name} {count}" for name, count in sorted(result.counts.items())
                       if name in ("Process", "Participant", "Lane", "Task", "UserTask",
                                   "SequenceFlow", "ExclusiveGateway", "StartEvent", "EndEvent"))
    if counts:
        typer.echo(counts)
    for notice in result.notices:
        typer.echo(t("peringatan: ", "warning: ") + notice.message(state.lang), err=True)


@bpmn_app.command("list")
def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON. (JSON output.)")] = False,
) -> None:
    """Daftar model BPMN yang tersimpan. (List the stored BPMN models.)"""
    with repository(read_only=True) as repo:
        models = list_models(repo)
    if as_json:
        typer.echo(json.dumps([m.as_dict() for m in models], ensure_ascii=False, indent=2))
        return
    if not models:
        typer.echo(t("Belum ada model BPMN.", "No BPMN models yet."))
    for m in models:
        slug = str(m.model).rsplit("/", 1)[-1]
        proses = m.proses_kode or "-"
        typer.echo(f"{slug}\t{t('versi', 'version')} {m.version}\t{proses}\t{m.file_name}\t"
                   f"{m.imported_at}")


@bpmn_app.command("history")
def history_command(
    model: Annotated[str, typer.Argument(metavar="MODEL", help="Nama model. (Model name.)")],
    instansi: InstansiOption = None,
) -> None:
    """Riwayat versi sebuah model. (Version history of a model.)"""
    with repository(read_only=True) as repo:
        versions = model_history(repo, model, instansi_code(instansi))
    for v in versions:
        typer.echo(f"{t('versi', 'version')} {v.number}\t{v.imported_at}\t{v.agent or '-'}\t"
                   f"{v.file_name}\t{v.sha256[:12]}")


@bpmn_app.command("export")
def export_command(
    model: Annotated[str, typer.Argument(metavar="MODEL", help="Nama model. (Model name.)")],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="BERKAS",
        help="Tulis ke berkas; bawaan: keluaran standar. (Write to a file; default: stdout.)",
    )] = None,
    version: Annotated[int | None, typer.Option(
        "--versi", metavar="N",
        help="Ekspor versi lama dari riwayat. (Export an earlier version from the history.)",
    )] = None,
    instansi: InstansiOption = None,
) -> None:
    """Ekspor model yang diimpor kembali ke BPMN 2.0 XML dengan geometri diagram.
    (Export an imported model back to BPMN 2.0 XML with its diagram geometry.)"""
    kode = instansi_code(instansi)
    with repository(read_only=True) as repo:
        info = find_model(repo, model, kode)
        graph = (model_version_graph(repo, model, version, kode) if version is not None
                 else repo.graph(info.graph))
    xml = write_bpmn(graph, info.model)
    if out is None:
        typer.echo(xml.decode("utf-8"), nl=False)
    else:
        out.write_bytes(xml)
        typer.echo(t(f"Model {model} ditulis ke {out}", f"Model {model} written to {out}"))


def register(app: typer.Typer) -> None:
    app.add_typer(bpmn_app, name="bpmn")
