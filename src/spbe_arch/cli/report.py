"""`spbe-arch report`: documents from the repository (see docs/reports.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from spbe_arch.cli.common import repository, settings, state
from spbe_arch.errors import InputError, Location


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report(
        name: str = typer.Argument(
            None, metavar="NAMA",
            help="Nama laporan; daftarnya: --list. (Report name; see --list.)"),
        instansi: str = typer.Option(
            None, "--instansi",
            help="Kode wilayah instansi; bawaan SPBE_INSTANSI. (Instansi region code;"
                 " default SPBE_INSTANSI.)"),
        opd: str = typer.Option(
            None, "--opd",
            help="Kode OPD; wajib untuk laporan opd. (OPD code; required by the opd report.)"),
        fmt: str = typer.Option(
            None, "--format", "-f",
            help="html, pdf, docx atau md; bawaan html, dengan --all semua format. (Format;"
                 " default html, with --all every format.)"),
        out: str = typer.Option(
            None, "--out", "-o",
            help="Berkas keluaran ('-' = stdout); dengan --all: folder. Bawaan: folder"
                 " SPBE_REPORTS_DIR. (Output file, '-' for stdout; with --all a folder;"
                 " default the SPBE_REPORTS_DIR folder.)"),
        lang: str = typer.Option(
            None, "--lang", help="Bahasa dokumen: id atau en. (Document language.)"),
        templates: Path = typer.Option(
            None, "--templates",
            help="Folder templat instansi, menimpa/menambah templat. (Instansi template"
                 " folder: overrides or adds templates.)"),
        list_: bool = typer.Option(
            False, "--list", help="Tampilkan daftar laporan. (List the reports.)"),
        all_: bool = typer.Option(
            False, "--all",
            help="Tulis semua laporan dalam semua format ke --out. (Write every report in"
                 " every format to --out.)"),
        jobs: int = typer.Option(
            None, "--jobs", "-j", metavar="N",
            help="Dengan --all: jumlah proses yang menyusun PDF bersamaan; bawaan satu per"
                 " CPU, paling banyak 4. (With --all: how many processes build PDFs at once;"
                 " default one per CPU, at most 4.)"),
    ) -> None:
        """Buat dokumen dari repositori (Dokumen Arsitektur SPBE, profil OPD, validasi, …).

        (Generate documents from the repository.)"""
        from spbe_arch import reports

        language = lang or state.lang
        if templates is None and settings().report_templates:
            templates = Path(str(settings().report_templates))
        if list_:
            for spec in reports.available_reports(templates):
                opd_note = {"required": "  [--opd wajib]" if language == "id" else
                            "  [--opd required]",
                            "optional": "  [--opd opsional]" if language == "id" else
                            "  [--opd optional]", "none": ""}[spec.opd]
                typer.echo(f"{spec.name:<24} {spec.title(language)}{opd_note}")
                if spec.description(language):
                    typer.echo(f"{'':<24} {spec.description(language)}")
            return
        kode = instansi or settings().instansi
        if jobs is not None and jobs < 1:
            # checked here rather than by typer's min=1, whose help shows "[x>=1]"
            raise InputError(f"jumlah proses harus 1 atau lebih, bukan {jobs}",
                             f"the number of processes must be 1 or more, not {jobs}",
                             Location(field="--jobs"))
        if all_:
            target = Path(out or settings().reports_dir)
            with repository(read_only=True) as repo:
                written = reports.write_all_reports(
                    repo, target, kode, formats=[fmt] if fmt else reports.FORMATS,
                    lang=language, template_dir=templates, jobs=jobs)
            for path in written:
                typer.echo(str(path))
            for stem, problem in written.problems:
                typer.echo(f"{stem}: {problem.message(language)}", err=True)
            if written.problems:
                raise typer.Exit(2)
            return
        if not name:
            raise InputError("sebutkan nama laporan, atau gunakan --list",
                             "name a report, or use --list")
        with repository(read_only=True) as repo:
            rendered = reports.render(repo, name, fmt or "html", instansi=kode, opd=opd,
                                      lang=language, template_dir=templates)
        if out == "-":
            if rendered.format in ("pdf", "docx") and sys.stdout.isatty():
                raise InputError(f"format {rendered.format} biner; tulis ke berkas dengan --out",
                                 f"format {rendered.format} is binary; write it to a file"
                                 " with --out")
            sys.stdout.buffer.write(rendered.content)
            sys.stdout.buffer.flush()
            return
        path = Path(out) if out else Path(settings().reports_dir) / rendered.filename
        if path.is_dir():
            path = path / rendered.filename
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a file where a folder should be, no permission, …
            reason = exc.strerror or type(exc).__name__
            raise InputError(f"tidak dapat membuat folder '{path.parent}': {reason}",
                             f"cannot create the folder '{path.parent}': {reason}") from exc
        reports.write_file(path, rendered.content)  # whole or not at all
        typer.echo(str(path))
