"""The dashboard's data: one call that gathers what the leaders' page shows.

Nothing is computed here that a service does not already compute: element counts come
from `model.list_entities` (the REST API's list), validation results from the stored
reports (`validation.latest_report`, `report_history`), SOP coverage and the evaluation
index from `spbe_arch.evaluation` (the `/evaluation` API). This module only picks the year
and framework to show and collects the answers, so the page is one function call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from spbe_arch.errors import SpbeError
from spbe_arch.evaluation import (
    DEFAULT_FRAMEWORK,
    IndexResult,
    OpdCoverage,
    evaluation_index,
    evaluation_whatif,
    list_assessments,
    list_frameworks,
    sop_coverage,
)
from spbe_arch.model import KINDS, list_entities
from spbe_arch.repository import Repository
from spbe_arch.validation import ValidationReport, latest_report, report_history

COUNTED_KINDS = ("opd", "proses-bisnis", "layanan", "data", "aplikasi", "infrastruktur",
                 "keamanan", "sop")


@dataclass
class KindCount:
    kind: str
    label_id: str
    label_en: str
    count: int

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_id


@dataclass
class EvaluationView:
    frameworks: list[dict[str, object]]
    framework: str
    year: int
    years: list[int]
    index: IndexResult | None = None
    suggested: IndexResult | None = None
    """The index from the levels the repository suggests (where no self-assessment exists)."""
    trend: list[tuple[int, float]] = field(default_factory=list)
    problem: str = ""


@dataclass
class Dashboard:
    counts: list[KindCount]
    latest: ValidationReport | None
    history: list[dict[str, object]]
    coverage: list[OpdCoverage]
    evaluation: EvaluationView

    @property
    def empty(self) -> bool:
        return not any(c.count for c in self.counts)


def element_counts(repository: Repository, kode_wilayah: str) -> list[KindCount]:
    out = []
    for name in COUNTED_KINDS:
        kind = KINDS[name]
        total = list_entities(repository, kind, instansi=kode_wilayah, limit=0).total
        out.append(KindCount(name, kind.label("id"), kind.label("en"), total))
    return out


def evaluation_view(repository: Repository, kode_wilayah: str, framework: str | None,
                    year: int | None, lang: str = "id") -> EvaluationView:
    frameworks = list_frameworks(repository)
    codes = [str(f["code"]) for f in frameworks]
    chosen = framework if framework in codes else (
        DEFAULT_FRAMEWORK if DEFAULT_FRAMEWORK in codes else (codes[0] if codes else ""))
    view = EvaluationView(frameworks, chosen, year or date.today().year, [])
    if not chosen:
        view.problem = ("no evaluation framework is loaded in the repository (spbe-arch init"
                        " loads them)" if lang == "en" else
                        "belum ada kerangka evaluasi di repositori (dimuat oleh spbe-arch init)")
        return view
    try:
        assessments = list_assessments(repository, kode_wilayah, framework=chosen)
        view.years = sorted({a.year for a in assessments})
        if year is None and view.years:
            view.year = view.years[-1]
        view.index = evaluation_index(repository, kode_wilayah, view.year, chosen)
        if not view.index.levels:
            view.suggested = evaluation_whatif(repository, kode_wilayah, view.year, {}, chosen,
                                               base="saran")[1]
        view.trend = [(y, float(evaluation_index(repository, kode_wilayah, y, chosen).total))
                      for y in view.years]
    except SpbeError as exc:
        view.problem = exc.message(lang)
    return view


def build_dashboard(repository: Repository, kode_wilayah: str, *, framework: str | None = None,
                    year: int | None = None, lang: str = "id") -> Dashboard:
    return Dashboard(
        counts=element_counts(repository, kode_wilayah),
        latest=latest_report(repository, kode_wilayah),
        history=report_history(repository, kode_wilayah, limit=30),
        coverage=sop_coverage(repository, kode_wilayah),
        evaluation=evaluation_view(repository, kode_wilayah, framework, year, lang),
    )
