"""`spbe-arch validate`: check the architecture rules (SHACL shapes) on the repository or on files.

Exit codes: 0 = no violation, 1 = violations found, 2 = usage or input error.
"""

from __future__ import annotations

import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from xml.sax.saxutils import escape, quoteattr

import typer
from rdflib.namespace import RDFS
from rdflib.term import Literal, URIRef
from rich.table import Table

from spbe_arch.cli.common import (
    agent_name,
    err_console,
    out_console,
    repository,
    state,
    t,
    working,
)
from spbe_arch.errors import InputError

if TYPE_CHECKING:  # the engine (pySHACL, rdflib's SPARQL) is loaded by `validate` only
    from spbe_arch.validation import ValidationReport
    from spbe_arch.validation.report import ValidationResult


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    turtle = "turtle"
    junit = "junit"


class Severity(StrEnum):
    violation = "violation"
    warning = "warning"
    info = "info"


SEVERITY_ID = {"Violation": "Pelanggaran", "Warning": "Peringatan", "Info": "Info"}


def register(app: typer.Typer) -> None:
    app.command("validate")(validate_command)


def validate_command(
    files: Annotated[list[Path] | None, typer.Argument(
        metavar="[FILES]...",
        help="Berkas RDF yang divalidasi tanpa penyimpanan; tanpa berkas, repositori yang"
             " divalidasi. (RDF files to validate without a store; without files, the"
             " repository is validated.)",
    )] = None,
    instansi: Annotated[str | None, typer.Option(
        "--instansi", metavar="KODE",
        help="Hanya hasil untuk instansi dengan kode wilayah ini. (Only this body.)",
    )] = None,
    opd: Annotated[str | None, typer.Option(
        "--opd", metavar="KODE", help="Hanya hasil untuk perangkat daerah ini. (Only this OPD.)",
    )] = None,
    shapes: Annotated[list[Path] | None, typer.Option(
        "--shapes", metavar="DIR",
        help="Folder/berkas aturan tambahan instansi (SHACL), boleh berulang. (Extra shapes.)",
    )] = None,
    output: Annotated[OutputFormat, typer.Option(
        "--format", help="Bentuk keluaran. (Output format.)",
    )] = OutputFormat.table,
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Bahasa pesan: id atau en. (Message language.)",
    )] = None,
    severity: Annotated[Severity, typer.Option(
        "--severity", help="Tingkat terendah yang ditampilkan. (Lowest severity shown.)",
    )] = Severity.info,
    explain: Annotated[bool, typer.Option(
        "--explain", help="Tampilkan mesin yang menjalankan tiap aturan. (Which engine ran"
                          " which shape.)",
    )] = False,
    store: Annotated[bool, typer.Option(
        "--store", help="Simpan laporan sebagai graf di repositori (perlu --instansi). (Store"
                        " the report as a named graph; needs --instansi.)",
    )] = False,
) -> None:
    """Periksa aturan arsitektur (SHACL). (Check the architecture rules.)

    Keluar dengan 0 bila tidak ada pelanggaran, 1 bila ada, 2 bila masukan salah.
    (Exits 0 when there is no violation, 1 when there are, 2 on bad input.)
    """
    from spbe_arch.validation import store_report, validate
    from spbe_arch.validation.report import severity_from_name

    if lang is not None:
        if lang not in ("id", "en"):
            raise InputError(f"bahasa '{lang}' tidak dikenal; gunakan id atau en",
                             f"unknown language '{lang}'; use id or en")
        state.lang = lang
    if store and (files or instansi is None):
        raise InputError("--store memerlukan --instansi dan tidak dapat dipakai dengan berkas",
                         "--store needs --instansi and cannot be used with files")
    extra = list(shapes or [])
    with working(t("Memvalidasi", "Validating")):
        if files:
            report = validate(files, instansi=instansi, opd=opd, extra_shapes=extra,
                              lang=state.lang)
        else:
            with repository(read_only=not store) as repo:  # a server may hold the store
                report = validate(repo, instansi=instansi, opd=opd, extra_shapes=extra,
                                  lang=state.lang)
                if store and instansi is not None:
                    stored = store_report(repo, report, instansi, agent=agent_name())
                    err_console().print(t(f"Laporan disimpan di graf {stored}",
                                          f"Report stored in graph {stored}"))
    conforms = report.conforms
    shown = report.filtered(severity_from_name(severity.value))
    if explain:
        _explain(report)
    if output == OutputFormat.json:
        sys.stdout.write(shown.to_json_text(state.lang) + "\n")
    elif output == OutputFormat.turtle:
        sys.stdout.write(shown.to_graph().serialize(format="turtle"))
    elif output == OutputFormat.junit:
        sys.stdout.write(junit(shown, report.engines, state.lang))
    else:
        _table(shown, report)
    raise typer.Exit(0 if conforms else 1)


# --- output ------------------------------------------------------------------------------------

def rule_label(report: ValidationReport, shape: object, lang: str) -> str:
    graph = report.shapes.graph if report.shapes is not None else None
    if graph is not None and isinstance(shape, URIRef):
        labels = {m.language: str(m) for m in graph.objects(shape, RDFS.label)
                  if isinstance(m, Literal)}
        if labels:
            return labels.get(lang) or labels.get("id") or next(iter(labels.values()))
    text = str(shape)
    return re.split(r"[#/]", text)[-1] or text


def element_label(term: object) -> str:
    """`…/id/3574/proses-bisnis/SETDA-01` → `proses-bisnis/SETDA-01`."""
    text = str(term)
    match = re.search(r"/id/[^/]+/(.+)$", text)
    if match:
        return match.group(1)
    return re.split(r"[#]", text)[-1] if "#" in text else text


def field_label(result: ValidationResult) -> str:
    """The result path as a short name: `spbe:kode` → `kode`, `^(…#x)` → `^x`."""
    if result.result_path is None:
        return ""
    if isinstance(result.result_path, URIRef):
        return re.split(r"[#/]", str(result.result_path))[-1]
    return re.sub(r"<[^>]*[#/]([^>#/]*)>", r"\1", result.path_text or "")


def _value_text(result: ValidationResult) -> str:
    if result.value is None or result.value == result.focus_node:
        return ""
    if isinstance(result.value, URIRef):
        return element_label(result.value)
    return str(result.value)


def _table(shown: ValidationReport, report: ValidationReport) -> None:
    console = out_console()
    lang = state.lang
    groups: dict[str, list[ValidationResult]] = {}
    for result in shown.results:
        groups.setdefault(result.opd or "", []).append(result)
    for opd in sorted(groups, key=lambda k: (k == "", k)):
        title = (f"OPD {opd}" if opd else t("Tanpa OPD (instansi, periode, referensi)",
                                            "No OPD (body, period, reference)"))
        table = Table(title=title, title_justify="left", show_lines=False, expand=False)
        table.add_column(t("Tingkat", "Severity"))
        table.add_column(t("Aturan", "Rule"))
        table.add_column(t("Elemen", "Element"))
        table.add_column(t("Isian", "Field"))
        table.add_column(t("Nilai", "Value"))
        table.add_column(t("Pesan", "Message"))
        ordered = sorted(groups[opd], key=lambda r: (rule_label(report, r.source_shape, lang),
                                                     -_rank(r), str(r.focus_node)))
        for result in ordered:
            name = result.severity_name
            table.add_row(SEVERITY_ID.get(name, name) if lang == "id" else name,
                          rule_label(report, result.source_shape, lang),
                          element_label(result.focus_node),
                          field_label(result),
                          _value_text(result), result.message(lang))
        console.print(table)
    console.print(summary_line(report, shown, lang))


def _rank(result: ValidationResult) -> int:
    from spbe_arch.validation.report import severity_rank

    return severity_rank(result.severity)


def summary_line(report: ValidationReport, shown: ValidationReport, lang: str) -> str:
    counts = report.counts()
    hidden = len(report.results) - len(shown.results)
    if lang == "en":
        verdict = "conforms" if report.conforms else "does not conform"
        text = (f"Summary: {counts['Violation']} violations, {counts['Warning']} warnings,"
                f" {counts['Info']} infos — {verdict}")
        return text + (f" ({hidden} below the chosen severity not shown)" if hidden else "")
    verdict = "sesuai" if report.conforms else "tidak sesuai"
    text = (f"Ringkasan: {counts['Violation']} pelanggaran, {counts['Warning']} peringatan,"
            f" {counts['Info']} info — {verdict}")
    return text + (f" ({hidden} di bawah tingkat yang dipilih tidak ditampilkan)" if hidden
                   else "")


def _explain(report: ValidationReport) -> None:
    console = err_console()
    table = Table(title=t("Mesin per aturan", "Engine per shape"), title_justify="left")
    table.add_column(t("Aturan", "Shape"))
    table.add_column(t("Mesin", "Engine"))
    table.add_column(t("Alasan", "Reason"))
    for shape, engine in sorted(report.engines.items()):
        table.add_row(shape, engine, report.unsupported.get(shape, ""))
    console.print(table)
    timings = ", ".join(f"{k} {v:.2f}" for k, v in report.timings.items())
    if timings:
        console.print(t(f"Waktu (detik): {timings}", f"Time (seconds): {timings}"))


def junit(report: ValidationReport, engines: dict[str, str], lang: str) -> str:
    """JUnit XML: one test case per rule that ran; violations are failures, warnings and
    infos are written to the case's output (CI systems show them without failing)."""
    from spbe_arch.validation.report import SEVERITY_NAMES

    by_shape: dict[str, list[ValidationResult]] = {}
    for result in report.results:
        by_shape.setdefault(str(result.source_shape), []).append(result)
    names = sorted(set(engines) | set(by_shape))
    failures = sum(1 for n in names if any(r.severity_name == "Violation"
                                           for r in by_shape.get(n, [])))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<testsuites><testsuite name="spbe-arch validate" tests="{len(names)}"'
             f' failures="{failures}" errors="0">']
    for name in names:
        results = by_shape.get(name, [])
        lines.append(f"  <testcase classname=\"spbe-arch\" name={quoteattr(name)}>")
        violations = [r for r in results if r.severity_name == "Violation"]
        if violations:
            text = "\n".join(f"{element_label(r.focus_node)}: {r.message(lang)}"
                             for r in violations)
            lines.append(f"    <failure message={quoteattr(violations[0].message(lang))}"
                         f" type=\"sh:Violation\">{escape(text)}</failure>")
        others = [r for r in results if r.severity_name != "Violation"]
        if others:
            text = "\n".join(f"{SEVERITY_NAMES.get(r.severity, r.severity)}"
                             f" {element_label(r.focus_node)}: {r.message(lang)}" for r in others)
            lines.append(f"    <system-out>{escape(text)}</system-out>")
        lines.append("  </testcase>")
    lines.append("</testsuite></testsuites>")
    return "\n".join(lines) + "\n"
