"""Ready for evaluation season: frameworks, self-assessments, evidence, index, SOP coverage.

The interfaces (CLI `spbe-arch evaluation …`, API `/evaluation/…`, the dashboard and the
"Laporan Kesiapan Evaluasi SPBE") call the functions below and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from spbe_arch.evaluation.assessment import (
    Assessment,
    Evidence,
    levels_for,
    list_assessments,
    record_assessment,
)
from spbe_arch.evaluation.coverage import OpdCoverage, sop_coverage
from spbe_arch.evaluation.evidence import Suggestion, suggest_all
from spbe_arch.evaluation.framework import (
    DEFAULT_FRAMEWORK,
    Framework,
    list_frameworks,
    load_framework,
)
from spbe_arch.evaluation.index import IndexResult, compute_index, what_if
from spbe_arch.repository import Repository


@dataclass
class IndicatorStatus:
    number: int
    name: str
    aspect: int
    weight: str
    weight_provisional: bool
    assessed_level: int | None
    assessed_level_name: str
    assessment_status: str | None
    suggestion: Suggestion | None

    def to_json(self) -> dict[str, object]:
        return {
            "indikator": self.number, "nama": self.name, "aspek": self.aspect,
            "bobot": self.weight, "bobot_provisional": self.weight_provisional,
            "tingkat_penilaian_mandiri": self.assessed_level,
            "nama_tingkat": self.assessed_level_name,
            "status_penilaian": self.assessment_status,
            "saran": self.suggestion.to_json() if self.suggestion else None,
        }


def evaluation_status(repository: Repository, kode_wilayah: str, year: int,
                      framework_code: str = DEFAULT_FRAMEWORK) -> list[IndicatorStatus]:
    """Every indicator: its weight (with provisional mark), the self-assessed level for the
    year and the level the repository suggests, with reasons."""
    framework = load_framework(repository, framework_code)
    assessed = {a.indicator: a for a in list_assessments(
        repository, kode_wilayah, framework=framework_code, year=year)}
    suggestions = suggest_all(repository, kode_wilayah, framework)
    rows = []
    for number, indicator in sorted(framework.indicators.items()):
        item = assessed.get(number)
        rows.append(IndicatorStatus(
            number=number, name=indicator.short_name, aspect=indicator.aspect,
            weight=str(indicator.weight), weight_provisional=indicator.weight_provisional,
            assessed_level=item.level if item else None,
            assessed_level_name=framework.level_name(number, item.level) if item else "",
            assessment_status=item.status if item else None,
            suggestion=suggestions.get(number)))
    return rows


def evaluation_index(repository: Repository, kode_wilayah: str, year: int,
                     framework_code: str = DEFAULT_FRAMEWORK) -> IndexResult:
    """The index from the self-assessment levels recorded for `year`."""
    framework = load_framework(repository, framework_code)
    return compute_index(framework, levels_for(repository, kode_wilayah, framework_code, year))


def evaluation_whatif(repository: Repository, kode_wilayah: str, year: int,
                      changes: Mapping[int, int], framework_code: str = DEFAULT_FRAMEWORK,
                      *, base: str = "penilaian") -> tuple[IndexResult, IndexResult]:
    """"If these indicators reach these levels, the index becomes …".

    `base` is `penilaian` (the recorded self-assessment) or `saran` (the suggested levels,
    where the repository backs one; self-assessed levels elsewhere).
    """
    framework = load_framework(repository, framework_code)
    levels = levels_for(repository, kode_wilayah, framework_code, year)
    if base == "saran":
        for number, suggestion in suggest_all(repository, kode_wilayah, framework).items():
            if suggestion.level is not None:
                levels[number] = suggestion.level
    return what_if(framework, levels, changes)


__all__ = [
    "DEFAULT_FRAMEWORK",
    "Assessment",
    "Evidence",
    "Framework",
    "IndexResult",
    "IndicatorStatus",
    "OpdCoverage",
    "Suggestion",
    "compute_index",
    "evaluation_index",
    "evaluation_status",
    "evaluation_whatif",
    "list_assessments",
    "list_frameworks",
    "load_framework",
    "record_assessment",
    "sop_coverage",
    "suggest_all",
    "what_if",
]
