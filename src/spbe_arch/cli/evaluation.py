"""`spbe-arch evaluation …`: how will we score, and which OPDs have set their SOPs."""

from __future__ import annotations

import json
from datetime import date

import typer
from rich.console import Console
from rich.table import Table

from spbe_arch.cli.common import TableOrJson, agent_name, repository, settings, state
from spbe_arch.errors import InputError
from spbe_arch.evaluation import (
    DEFAULT_FRAMEWORK,
    Assessment,
    Evidence,
    IndexResult,
    evaluation_index,
    evaluation_status,
    evaluation_whatif,
    list_frameworks,
    load_framework,
    record_assessment,
    sop_coverage,
)
from spbe_arch.model import require_known_instansi
from spbe_arch.repository import Repository

PROVISIONAL_MARK = "*"


evaluation_app = typer.Typer(
    help="Kesiapan evaluasi SPBE: status indikator, indeks, simulasi, cakupan SOP per OPD."
    " (Evaluation readiness: indicators, index, what-if, SOP coverage per OPD.)",
    no_args_is_help=True,
)

InstansiOption = typer.Option(None, "--instansi",
                              help="Kode wilayah instansi; bawaan SPBE_INSTANSI. (Instansi"
                                   " region code; default SPBE_INSTANSI.)")
YearOption = typer.Option(date.today().year, "--tahun",
                          help="Tahun evaluasi. (Evaluation year.)")
FrameworkOption = typer.Option(DEFAULT_FRAMEWORK, "--kerangka",
                               help="Kode kerangka evaluasi; lihat `evaluation frameworks`."
                                    " (Evaluation framework code; see `evaluation"
                                    " frameworks`.)")
FormatOption = typer.Option(TableOrJson.table, "--format",
                            help="Keluaran: table atau json. (Output format.)")


def _console() -> Console:
    return Console(width=140)


def _dump(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _instansi(repo: Repository, value: str | None) -> str:
    """The instansi asked for (default: SPBE_INSTANSI), which the repository must know: a
    mistyped code would otherwise show a complete-looking empty evaluation."""
    kode = value or settings().instansi
    require_known_instansi(repo, kode)
    return kode


@evaluation_app.command("frameworks")
def frameworks(output: TableOrJson = FormatOption) -> None:
    """Daftar kerangka evaluasi yang tersedia. (List evaluation frameworks.)"""
    with repository(read_only=True) as repo:
        items = list_frameworks(repo)
    if output is TableOrJson.json:
        _dump(items)
        return
    table = Table("Kode", "Nama", "Provisional")
    for item in items:
        label = item["label_id" if state.lang != "en" else "label_en"]
        table.add_row(str(item["code"]), str(label),
                      "YA" if item["provisional"] else "")
    _console().print(table)


@evaluation_app.command("status")
def status(instansi: str = InstansiOption, tahun: int = YearOption,
           kerangka: str = FrameworkOption, output: TableOrJson = FormatOption) -> None:
    """Setiap indikator: bobot, tingkat penilaian mandiri, dan tingkat saran dari repositori
    beserta alasannya (bukan nilai resmi). (Each indicator: weight, self-assessed level, and
    the level the repository suggests with its reasons; not an official score.)"""
    with repository(read_only=True) as repo:
        rows = evaluation_status(repo, _instansi(repo, instansi), tahun, kerangka)
    if output is TableOrJson.json:
        _dump([r.to_json() for r in rows])
        return
    english = state.lang == "en"
    table = Table("No", "Indikator" if not english else "Indicator", "Bobot",
                  "Penilaian" if not english else "Self-assessed",
                  "Saran" if not english else "Suggested",
                  "Alasan (saran, bukan nilai resmi)" if not english
                  else "Reasons (suggestion, not an official score)")
    for row in rows:
        suggestion = row.suggestion
        reasons = (suggestion.reasons_en if english else suggestion.reasons) if suggestion else []
        table.add_row(
            str(row.number), row.name,
            _figure(row.weight) + (PROVISIONAL_MARK if row.weight_provisional else ""),
            f"{row.assessed_level} {row.assessed_level_name}" if row.assessed_level else "-",
            str(suggestion.level) if suggestion and suggestion.level else "-",
            "; ".join(reasons))
    _console().print(table)
    typer.echo(f"{PROVISIONAL_MARK} bobot sementara: belum terverifikasi dari sumber resmi"
               if not english else f"{PROVISIONAL_MARK} provisional weight: not verified"
               " from an official source")


def _figure(value: object) -> str:
    """A weight or index as stated (`2.75`), with the decimal comma in Indonesian (`2,75`)
    as the documents write it."""
    text = str(value)
    return text if state.lang == "en" else text.replace(".", ",")


def _print_index(result: IndexResult, title: str) -> None:
    english = state.lang == "en"
    table = Table("Aspek" if not english else "Aspect", "Indeks", title=title)
    for aspect in result.aspects:
        table.add_row(f"{aspect.number}. {aspect.name_en if english else aspect.name_id}",
                      _figure(aspect.index))
    for domain in result.domains:
        table.add_row(f"Domain {domain.number}. {domain.name_en if english else domain.name_id}",
                      _figure(domain.index))
    mark = PROVISIONAL_MARK if result.provisional else ""
    table.add_row("Indeks SPBE" + mark,
                  f"{_figure(result.total)}"
                  f" ({result.predicate_en if english else result.predicate_id})")
    _console().print(table)
    if result.missing:
        typer.echo((f"{len(result.missing)} indicators not assessed (counted as 0): "
                    if english else f"{len(result.missing)} indikator belum dinilai (dihitung 0): ")
                   + ", ".join(map(str, result.missing)))
    for reason in result.reasons(state.lang):
        typer.echo(f"{PROVISIONAL_MARK} {reason}")


@evaluation_app.command("index")
def index(instansi: str = InstansiOption, tahun: int = YearOption,
          kerangka: str = FrameworkOption, output: TableOrJson = FormatOption) -> None:
    """Indeks per aspek, domain dan total dari penilaian mandiri tahun itu, dengan predikat.
    (Index per aspect, per domain and in total from that year's self-assessment, with its
    rating.)"""
    with repository(read_only=True) as repo:
        result = evaluation_index(repo, _instansi(repo, instansi), tahun, kerangka)
    if output is TableOrJson.json:
        _dump(result.to_json())
        return
    _print_index(result, f"Indeks {kerangka} — {tahun}")


def _parse_changes(values: list[str]) -> dict[int, int]:
    changes: dict[int, int] = {}
    for value in values:
        number, sep, level = value.partition("=")
        if not sep or not number.strip().isdigit() or not level.strip().isdigit():
            raise InputError(f"'{value}' bukan bentuk INDIKATOR=TINGKAT (mis. 11=4)",
                             f"'{value}' is not of the form INDICATOR=LEVEL (e.g. 11=4)")
        changes[int(number)] = int(level)
    return changes


@evaluation_app.command("whatif")
def whatif(
    set_: list[str] = typer.Option(..., "--set", help="INDIKATOR=TINGKAT, boleh berulang."
                                   " (INDICATOR=LEVEL; repeatable.)"),
    instansi: str = InstansiOption, tahun: int = YearOption, kerangka: str = FrameworkOption,
    dasar: str = typer.Option("penilaian", "--dasar",
                              help="Titik awal: penilaian (penilaian mandiri) atau saran."
                                   " (Starting point: the self-assessment or the suggested"
                                   " levels.)"),
    output: TableOrJson = FormatOption,
) -> None:
    """Simulasi: jika indikator-indikator ini mencapai tingkat itu, indeks menjadi …
    (What-if: the index if these indicators reached those levels.)"""
    if dasar not in ("penilaian", "saran"):
        raise InputError("--dasar harus 'penilaian' atau 'saran'",
                         "--dasar must be 'penilaian' or 'saran'")
    with repository(read_only=True) as repo:
        before, after = evaluation_whatif(repo, _instansi(repo, instansi), tahun,
                                          _parse_changes(set_), kerangka, base=dasar)
    if output is TableOrJson.json:
        _dump({"sebelum": before.to_json(), "sesudah": after.to_json()})
        return
    _print_index(before, "Sekarang" if state.lang != "en" else "Now")
    _print_index(after, "Jika tercapai" if state.lang != "en" else "If reached")


@evaluation_app.command("sop-coverage")
def sop_coverage_command(
    instansi: str = InstansiOption,
    sejak: str = typer.Option(None, "--sejak", help="Tanggal (YYYY-MM-DD): hitung SOP yang"
                              " ditetapkan sejak tanggal itu (dari jejak audit). (Date: also"
                              " count the SOPs set since then, from the audit trail.)"),
    output: TableOrJson = FormatOption,
) -> None:
    """Cakupan SOP per OPD, yang paling tertinggal di atas. (SOP coverage per OPD.)"""
    since = None
    if sejak:
        try:
            since = date.fromisoformat(sejak)
        except ValueError:
            raise InputError(f"--sejak '{sejak}' bukan tanggal YYYY-MM-DD",
                             f"--sejak '{sejak}' is not a YYYY-MM-DD date") from None
    with repository(read_only=True) as repo:
        rows = sop_coverage(repo, _instansi(repo, instansi), since)
    if output is TableOrJson.json:
        _dump([r.to_json() for r in rows])
        return
    table = Table("OPD", "Proses", "SOP draf", "SOP ditetapkan", "Cakupan %",
                  *(["Baru ditetapkan"] if since else []))
    for row in rows:
        table.add_row(f"{row.code} {row.name}", str(row.processes), str(row.sops_draft),
                      str(row.sops_ditetapkan), str(row.coverage),
                      *([f"+{row.ditetapkan_since}"] if since else []))
    _console().print(table)


@evaluation_app.command("assess")
def assess(
    indikator: int = typer.Option(..., "--indikator",
                                  help="Nomor indikator. (Indicator number.)"),
    tingkat: int = typer.Option(..., "--tingkat",
                                help="Tingkat dipilih (1–5). (Chosen level, 1–5.)"),
    instansi: str = InstansiOption, tahun: int = YearOption, kerangka: str = FrameworkOption,
    justifikasi: str = typer.Option("", "--justifikasi",
                                    help="Alasan tingkat yang dipilih. (Why this level.)"),
    status_: str = typer.Option("draft", "--status", help="draft, diajukan atau diverifikasi."
                                " (Status: draft, diajukan = submitted, diverifikasi = verified.)"),
    opd: str = typer.Option(None, "--opd", help="Kode OPD penanggung jawab. (Code of the"
                            " responsible OPD.)"),
    bukti: list[str] = typer.Option([], "--bukti", help="Bukti dukung: URL, berkas, atau IRI"
                                    " elemen repositori (boleh berulang). (Evidence: a URL, a"
                                    " file or a repository element's IRI; repeatable.)"),
    oleh: str = typer.Option(None, "--oleh", help="Nama pencatat (untuk jejak audit);"
                             " bawaan cli-<pengguna sistem>, seperti perintah lain. (Who"
                             " records it, for the audit trail; default cli-<system user>.)"),
) -> None:
    """Catat penilaian mandiri satu indikator. (Record a self-assessment.)"""
    evidence = []
    for item in bukti:
        if item.startswith(("http://", "https://")) and "/id/" in item:
            evidence.append(Evidence(artefact=item))
        elif item.startswith(("http://", "https://")):
            evidence.append(Evidence(url=item))
        else:
            evidence.append(Evidence(file=item))
    with repository() as repo:
        framework = load_framework(repo, kerangka)
        iri = record_assessment(repo, framework, _instansi(repo, instansi), Assessment(
            kerangka, indikator, tahun, tingkat, justifikasi, status_, opd, evidence),
            agent=oleh or agent_name())
    typer.echo(f"tersimpan: {iri}" if state.lang != "en" else f"stored: {iri}")


def register(app: typer.Typer) -> None:
    app.add_typer(evaluation_app, name="evaluation")
