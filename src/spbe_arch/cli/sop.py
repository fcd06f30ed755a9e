"""`spbe-arch sop …`: derive SOPs from BPMN models, edit them, render and export them."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from spbe_arch.cli.common import (
    InstansiOption,
    agent_name,
    instansi_code,
    repository,
    settings,
    state,
    t,
    working,
)
from spbe_arch.sop import (
    derive_sop,
    export_sop_bpmn,
    list_sops,
    load_sop,
    render_sop,
    set_sop_fields,
    set_step_fields,
)

sop_app = typer.Typer(
    help="SOP Administrasi Pemerintahan (PermenPANRB 35/2012): turunkan dari model BPMN, ubah,"
         " cetak, ekspor. (Administrative SOPs: derive from BPMN, edit, render, export.)",
    no_args_is_help=True,
)


class DocumentFormat(StrEnum):
    pdf = "pdf"
    html = "html"
    docx = "docx"
    svg = "svg"


KodeArgument = Annotated[str, typer.Argument(metavar="KODE", help="Kode SOP. (SOP code.)")]


@sop_app.command("derive")
def derive_command(
    proses: Annotated[str, typer.Option(
        "--proses", metavar="KODE", help="Kode proses bisnis. (Proses bisnis code.)")],
    model: Annotated[str | None, typer.Option(
        "--model", metavar="NAMA",
        help="Model BPMN yang dipakai; bawaan: model terbaru yang merinci proses ini."
             " (BPMN model; default: the newest one detailing the process.)")] = None,
    pool: Annotated[str | None, typer.Option(
        "--pool", metavar="NAMA",
        help="Pool/proses dalam model bila ada beberapa. (Pool when the model has several.)",
    )] = None,
    kode: Annotated[str | None, typer.Option(
        "--kode", metavar="KODE",
        help="Kode SOP; bawaan: SOP yang pernah diturunkan dari model ini, atau"
             " <PROSES>.SOP.<nn> berikutnya. (SOP code.)")] = None,
    instansi: InstansiOption = None,
) -> None:
    """Turunkan SOP dari model BPMN sebuah proses bisnis. (Derive an SOP from a BPMN model.)

    Jalur menjadi pelaksana, tugas menjadi kegiatan, gerbang eksklusif menjadi keputusan
    Ya/Tidak; mutu baku dibaca dari properti Bizagi atau baris dokumentasi
    `Kelengkapan:`, `Waktu:`, `Output:`, `Keterangan:`. (Lanes become actors, tasks
    activities, exclusive gateways Ya/Tidak decisions.)
    """
    with repository() as repo, working(t("Menurunkan SOP", "Deriving the SOP")):
        result = derive_sop(repo, proses=proses, kode_wilayah=instansi_code(instansi), model=model,
                            pool=pool, kode=kode, agent=agent_name())
    typer.echo(result.summary(state.lang))
    typer.echo(t("Pelaksana: ", "Actors: ") + ", ".join(result.pelaksana))
    for notice in result.notices:
        typer.echo(t("peringatan: ", "warning: ") + notice.message(state.lang), err=True)


@sop_app.command("list")
def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON. (JSON output.)")] = False,
    instansi: InstansiOption = None,
) -> None:
    """Daftar SOP instansi. (List the instansi's SOPs.)"""
    with repository(read_only=True) as repo:
        sops = list_sops(repo, instansi_code(instansi))
    if as_json:
        typer.echo(json.dumps([s.as_dict() for s in sops], ensure_ascii=False, indent=2))
        return
    for s in sops:
        source = "BPMN" if s.derived else "-"
        typer.echo(f"{s.kode}\t{s.status}\t{s.steps} {t('langkah', 'steps')}\t{source}\t{s.nama}")


@sop_app.command("show")
def show_command(kode: KodeArgument, instansi: InstansiOption = None) -> None:
    """Tampilkan isi SOP sebagai JSON. (Show an SOP as JSON.)"""
    with repository(read_only=True) as repo:
        document = load_sop(repo, kode, instansi_code(instansi))
    typer.echo(json.dumps(document.as_dict(), ensure_ascii=False, indent=2))


@sop_app.command("set")
def set_command(
    kode: KodeArgument,
    nama: Annotated[str | None, typer.Option("--nama", help="Nama SOP. (Name.)")] = None,
    nomor: Annotated[str | None, typer.Option("--nomor", help="Nomor SOP. (Number.)")] = None,
    tanggal_pembuatan: Annotated[str | None, typer.Option(
        "--tanggal-pembuatan", metavar="TANGGAL",
        help="Mis. 2026-12-04 atau '4 Desember 2026'. (Date drawn up.)")] = None,
    tanggal_revisi: Annotated[str | None, typer.Option(
        "--tanggal-revisi", metavar="TANGGAL", help="(Revision date.)")] = None,
    tanggal_efektif: Annotated[str | None, typer.Option(
        "--tanggal-efektif", metavar="TANGGAL", help="(Effective date.)")] = None,
    disahkan_jabatan: Annotated[str | None, typer.Option(
        "--disahkan-jabatan", help="Jabatan pengesah. (Approving position.)")] = None,
    disahkan_nama: Annotated[str | None, typer.Option(
        "--disahkan-nama", help="Nama pengesah. (Approving official.)")] = None,
    disahkan_nip: Annotated[str | None, typer.Option(
        "--disahkan-nip", help="NIP 18 angka. (Civil-service number, 18 digits.)")] = None,
    dasar_hukum: Annotated[list[str] | None, typer.Option(
        "--dasar-hukum", help="Boleh diulang; mengganti semua nilai lama. (Repeatable.)")] = None,
    kualifikasi: Annotated[list[str] | None, typer.Option(
        "--kualifikasi", help="Kualifikasi pelaksana; boleh diulang. (Repeatable.)")] = None,
    keterkaitan: Annotated[list[str] | None, typer.Option(
        "--keterkaitan", help="Boleh diulang. (Related SOPs; repeatable.)")] = None,
    peralatan: Annotated[list[str] | None, typer.Option(
        "--peralatan", help="Peralatan/perlengkapan; boleh diulang. (Repeatable.)")] = None,
    peringatan: Annotated[list[str] | None, typer.Option(
        "--peringatan", help="Boleh diulang. (Warnings; repeatable.)")] = None,
    pencatatan: Annotated[list[str] | None, typer.Option(
        "--pencatatan", help="Pencatatan dan pendataan; boleh diulang. (Repeatable.)")] = None,
    status: Annotated[str | None, typer.Option(
        "--status", help="draft atau ditetapkan. (draft or ditetapkan.)")] = None,
    instansi: InstansiOption = None,
) -> None:
    """Isi kolom identitas SOP; nilai kosong menghapus kolom. (Set SOP identity fields; an
    empty value removes the field.)"""
    values: dict[str, str | list[str] | None] = {
        "nama": nama, "nomor": nomor, "tanggal_pembuatan": tanggal_pembuatan,
        "tanggal_revisi": tanggal_revisi, "tanggal_efektif": tanggal_efektif,
        "disahkan_jabatan": disahkan_jabatan, "disahkan_nama": disahkan_nama,
        "disahkan_nip": disahkan_nip, "dasar_hukum": dasar_hukum,
        "kualifikasi_pelaksana": kualifikasi, "keterkaitan": keterkaitan,
        "peralatan": peralatan, "peringatan": peringatan, "pencatatan": pencatatan,
        "status": status,
    }
    given = {k: v for k, v in values.items() if v is not None}
    if not given:
        typer.echo(t("Tidak ada kolom yang diberikan.", "No field given."), err=True)
        raise typer.Exit(1)
    with repository() as repo:
        activity = set_sop_fields(repo, kode, given, kode_wilayah=instansi_code(instansi),
                                  agent=agent_name(), lang=state.lang)
    typer.echo(t(f"SOP {kode} diperbarui: {', '.join(sorted(given))}",
                 f"SOP {kode} updated: {', '.join(sorted(given))}") if activity else
               t(f"SOP {kode} tidak berubah.", f"SOP {kode} unchanged."))


@sop_app.command("set-langkah")
def set_step_command(
    kode: KodeArgument,
    nomor: Annotated[int, typer.Argument(metavar="NO", help="Nomor langkah. (Step number.)")],
    kegiatan: Annotated[str | None, typer.Option(
        "--kegiatan", help="Teks kegiatan. (Activity text.)")] = None,
    kelengkapan: Annotated[str | None, typer.Option(
        "--kelengkapan", help="Mutu baku kelengkapan. (Requirements.)")] = None,
    waktu: Annotated[str | None, typer.Option(
        "--waktu", help="Mutu baku waktu, mis. '15 menit'. (Time.)")] = None,
    output: Annotated[str | None, typer.Option(
        "--output", help="Mutu baku output. (Output.)")] = None,
    keterangan: Annotated[str | None, typer.Option(
        "--keterangan", help="Keterangan. (Remarks.)")] = None,
    instansi: InstansiOption = None,
) -> None:
    """Isi mutu baku atau keterangan satu langkah; nilai kosong menghapusnya. (Set a step's
    quality standards or remarks; an empty value removes it.)"""
    values = {"nama": kegiatan, "kelengkapan": kelengkapan, "waktu": waktu, "output": output,
              "keterangan": keterangan}
    given = {k: v for k, v in values.items() if v is not None}
    if not given:
        typer.echo(t("Tidak ada kolom yang diberikan.", "No field given."), err=True)
        raise typer.Exit(1)
    with repository() as repo:
        activity = set_step_fields(repo, kode, nomor, given, kode_wilayah=instansi_code(instansi),
                                   agent=agent_name(), lang=state.lang)
    typer.echo(t(f"Langkah {nomor} SOP {kode} diperbarui.", f"Step {nomor} of SOP {kode} updated.")
               if activity else t("Tidak berubah.", "Unchanged."))


@sop_app.command("render")
def render_command(
    kode: KodeArgument,
    fmt: Annotated[DocumentFormat, typer.Option(
        "--format", "-f", help="pdf, html, docx, atau svg (satu halaman diagram alir)."
                               " (Format; svg is one flowchart page.)")] =
    DocumentFormat.pdf,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="BERKAS",
        help="Berkas atau folder tujuan; bawaan: SPBE_REPORTS_DIR. (Output file or folder.)",
    )] = None,
    page: Annotated[int, typer.Option(
        "--halaman", help="Halaman diagram alir untuk --format svg. (Page for svg.)")] = 1,
    instansi: InstansiOption = None,
) -> None:
    """Cetak dokumen SOP (lembar identitas dan diagram alir, lanskap). (Render the SOP
    document: identity sheet and flowchart, landscape.)"""
    with repository(read_only=True) as repo, working(t("Membuat dokumen", "Rendering")):
        document = render_sop(repo, kode, fmt.value, kode_wilayah=instansi_code(instansi),
                              page=page)
    target = out or Path(settings().reports_dir)
    if target.is_dir() or out is None or not target.suffix:
        target.mkdir(parents=True, exist_ok=True)
        target = target / document.file_name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(document.content)
    typer.echo(t(f"Dokumen SOP ditulis ke {target}", f"SOP document written to {target}"))


@sop_app.command("export-bpmn")
def export_bpmn_command(
    kode: KodeArgument,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="BERKAS",
        help="Tulis ke berkas; bawaan: keluaran standar. (Write to a file; default: stdout.)",
    )] = None,
    instansi: InstansiOption = None,
) -> None:
    """Ekspor SOP sebagai BPMN 2.0 XML dengan geometri diagram (dapat dibuka di Bizagi atau
    bpmn.io). (Export the SOP as BPMN 2.0 XML with diagram geometry.)"""
    with repository(read_only=True) as repo:
        xml = export_sop_bpmn(repo, kode, kode_wilayah=instansi_code(instansi))
    if out is None:
        typer.echo(xml.decode("utf-8"), nl=False)
    else:
        out.write_bytes(xml)
        typer.echo(t(f"SOP {kode} ditulis ke {out}", f"SOP {kode} written to {out}"))


def register(app: typer.Typer) -> None:
    app.add_typer(sop_app, name="sop")
