"""The "Laporan Kesiapan Evaluasi SPBE", registered in the report catalogue.

Rendered by the report machinery in every format (HTML, PDF, DOCX, Markdown) like the
built-in reports: `spbe-arch report kesiapan-evaluasi`, `GET /reports/kesiapan-evaluasi`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from spbe_arch.errors import InputError
from spbe_arch.evaluation import (
    evaluation_index,
    evaluation_status,
    evaluation_whatif,
    list_assessments,
)
from spbe_arch.evaluation.coverage import sop_coverage
from spbe_arch.evaluation.framework import DEFAULT_FRAMEWORK, list_frameworks, load_framework
from spbe_arch.evaluation.index import IndexResult
from spbe_arch.reports.i18n import format_date, format_number
from spbe_arch.reports.registry import ReportParams, ReportSpec, register_report
from spbe_arch.reports.tables import Table
from spbe_arch.repository import Repository

TEMPLATES = Path(__file__).with_name("templates")

TEXT = {
    "Indeks dari penilaian mandiri": "Index from the self-assessment",
    "Simulasi: indeks bila tingkat saran tercapai": "Simulation: index if the suggested levels"
    " are reached",
    "Aspek": "Aspect", "Domain": "Domain", "Indeks": "Index", "Bobot": "Weight",
    "Indikator": "Indicator", "No": "No", "Penilaian mandiri": "Self-assessed",
    "Saran": "Suggested", "Alasan saran": "Reasons for the suggestion",
    "Cakupan SOP per OPD": "SOP coverage per OPD", "OPD": "OPD", "Proses": "Processes",
    "Proses ber-SOP ditetapkan": "Processes with a set SOP", "SOP draf": "Draft SOPs",
    "SOP ditetapkan": "Set SOPs", "Cakupan %": "Coverage %",
    "Tanggal efektif terakhir": "Latest effective date",
    "Belum ada penilaian mandiri untuk tahun ini.": "No self-assessment for this year yet.",
    "Belum ada OPD di repositori.": "No OPD in the repository yet.",
    "Total": "Total",
}


def _t(text: str, lang: str) -> str:
    return TEXT.get(text, text) if lang == "en" else text


def _decimal(value: object, lang: str) -> str:
    text = f"{float(str(value)):.2f}"
    return text if lang == "en" else text.replace(".", ",")


def _weight(value: Decimal, lang: str) -> str:
    """A weight exactly as the framework states it (`2,75`, not `2,8`), Indonesian decimal
    comma unless English."""
    text = format(value.normalize(), "f")
    return text if lang == "en" else text.replace(".", ",")


def _mark(provisional: bool) -> str:
    return "*" if provisional else ""


def _index_tables(result: IndexResult, lang: str, prefix: str, caption: str) -> list[Table]:
    aspects = Table(f"{prefix}-aspek", f"{caption} — {_t('Aspek', lang)}",
                    [_t("Aspek", lang), _t("Bobot", lang), _t("Indeks", lang)],
                    numeric={1, 2}, widths=[62, 14, 24])
    for aspect in result.aspects:
        name = aspect.name_en if lang == "en" else aspect.name_id
        aspects.rows.append([f"{aspect.number}. {name}",
                             _weight(aspect.weight, lang) + _mark(aspect.weight_provisional),
                             _decimal(aspect.index, lang)])
    domains = Table(f"{prefix}-domain", f"{caption} — {_t('Domain', lang)}",
                    [_t("Domain", lang), _t("Bobot", lang), _t("Indeks", lang)],
                    numeric={1, 2}, widths=[62, 14, 24])
    for domain in result.domains:
        name = domain.name_en if lang == "en" else domain.name_id
        domains.rows.append([f"{domain.number}. {name}",
                             _weight(domain.weight, lang) + _mark(domain.weight_provisional),
                             _decimal(domain.index, lang)])
    predicate = result.predicate_en if lang == "en" else result.predicate_id
    total_weight = sum((d.weight for d in result.domains), Decimal(0))
    domains.footer = [_t("Total", lang), _weight(total_weight, lang),
                      f"{_decimal(result.total, lang)} ({predicate})"]
    return [aspects, domains]


def _report_year(repository: Repository, kode_wilayah: str) -> int:
    """The newest year with a self-assessment, not after this year; this year without one.

    In January the leaders still want last year's self-assessment, not an empty new year."""
    today = date.today().year
    years = [a.year for a in list_assessments(repository, kode_wilayah,
                                              framework=DEFAULT_FRAMEWORK) if a.year <= today]
    return max(years, default=today)


def gather_kesiapan(repository: Repository, params: ReportParams) -> dict[str, Any]:
    lang = params.lang
    year = date.today().year
    try:
        framework = load_framework(repository, DEFAULT_FRAMEWORK)
    except InputError as exc:
        # A repository without the framework still gets a document that says what is missing.
        return {"data": params.architecture(repository), "year": year, "framework": None,
                "missing_framework": exc.message(lang)}
    year = _report_year(repository, params.instansi)
    status = evaluation_status(repository, params.instansi, year, DEFAULT_FRAMEWORK)
    index = evaluation_index(repository, params.instansi, year, DEFAULT_FRAMEWORK)
    _, simulated = evaluation_whatif(repository, params.instansi, year, {}, DEFAULT_FRAMEWORK,
                                     base="saran")
    indicators = Table("indikator", "Indicators" if lang == "en" else "Indikator",
                       [_t("No", lang), _t("Indikator", lang), _t("Bobot", lang),
                        _t("Penilaian mandiri", lang), _t("Saran", lang),
                        _t("Alasan saran", lang)],
                       numeric={0, 2}, widths=[5, 25, 9, 12, 9, 40])
    for row in status:
        suggestion = row.suggestion
        reasons = []
        if suggestion:
            reasons = suggestion.reasons_en if lang == "en" else suggestion.reasons
        indicators.rows.append([
            str(row.number), row.name,
            _weight(Decimal(row.weight), lang) + _mark(row.weight_provisional),
            f"{row.assessed_level} {framework.level_name(row.number, row.assessed_level, lang)}"
            if row.assessed_level else "—",
            str(suggestion.level) if suggestion and suggestion.level else "—",
            "; ".join(reasons)])
    coverage = Table("cakupan-sop", _t("Cakupan SOP per OPD", lang),
                     [_t("OPD", lang), _t("Proses", lang), _t("Proses ber-SOP ditetapkan", lang),
                      _t("SOP draf", lang), _t("SOP ditetapkan", lang), _t("Cakupan %", lang),
                      _t("Tanggal efektif terakhir", lang)],
                     numeric={1, 2, 3, 4, 5}, widths=[28, 9, 13, 8, 13, 12, 17],
                     empty=_t("Belum ada OPD di repositori.", lang))
    data = params.architecture(repository)
    for item in sop_coverage(repository, params.instansi):
        # the OPD as the other documents show it (singkatan), not its technical code
        coverage.rows.append([
            f"{data.opd_short(str(item.opd)) or item.code} — {item.name}",
            format_number(item.processes, lang),
            format_number(item.processes_with_sop_ditetapkan, lang),
            format_number(item.sops_draft, lang), format_number(item.sops_ditetapkan, lang),
            # an OPD without processes is not "0 % covered": there is nothing to cover
            format_number(float(item.coverage), lang) if item.processes else "—",
            format_date(item.effective_dates[-1], lang) if item.effective_dates else "—"])
    predicate = index.predicate_en if lang == "en" else index.predicate_id
    return {
        "data": data,
        "year": year,
        "framework": framework,
        "assessed": bool(index.levels),
        "index": index,
        "index_text": f"{_decimal(index.total, lang)} ({predicate})",
        "provisional_reasons": index.reasons(lang),
        # e.g. the Indeks Pemdi of PermenPANRB 8/2026, said to succeed 59/2020 (UNSURE): the
        # leaders should know the repository holds it, with its own provisional mark
        "other_frameworks": [str(f["label_en"] if lang == "en" else f["label_id"])
                             for f in list_frameworks(repository)
                             if f["code"] != DEFAULT_FRAMEWORK],
        "index_tables": _index_tables(index, lang, "indeks",
                                      _t("Indeks dari penilaian mandiri", lang)),
        "simulated": simulated,
        "simulated_tables": _index_tables(simulated, lang, "simulasi",
                                          _t("Simulasi: indeks bila tingkat saran tercapai",
                                             lang)),
        "indicators": indicators,
        "coverage": coverage,
        "no_assessment": _t("Belum ada penilaian mandiri untuk tahun ini.", lang),
        "missing_framework": None,
    }


SPEC = register_report(ReportSpec(
    "kesiapan-evaluasi", "Laporan Kesiapan Evaluasi SPBE", "SPBE Evaluation Readiness Report",
    gather_kesiapan, "kesiapan-evaluasi.html.j2",
    "Indeks dari penilaian mandiri, tingkat saran dari repositori beserta alasannya, dan"
    " cakupan SOP per OPD. Angka bertanda * bersifat sementara.",
    "Index from the self-assessment, levels suggested by the repository with reasons, and"
    " SOP coverage per OPD. Figures marked * are provisional.",
    template_dir=TEMPLATES))
