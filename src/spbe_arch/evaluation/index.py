"""The evaluation index: weighted means per aspect, domain and total, with the predicate.

Arithmetic is decimal so that boundary values (exactly 2.6, exactly 4.2) land on the
predicate the table says, not one below through binary rounding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from spbe_arch.errors import InputError
from spbe_arch.evaluation.framework import Framework, Group

TWO_PLACES = Decimal("0.01")


@dataclass
class GroupIndex:
    number: int
    name_id: str
    name_en: str
    index: Decimal
    weight: Decimal
    weight_provisional: bool = False


@dataclass
class IndexResult:
    framework: str
    total: Decimal
    predicate_id: str
    predicate_en: str
    aspects: list[GroupIndex]
    domains: list[GroupIndex]
    levels: dict[int, int]
    missing: list[int] = field(default_factory=list)
    provisional_reasons: list[str] = field(default_factory=list)
    provisional_reasons_en: list[str] = field(default_factory=list)

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_reasons)

    def reasons(self, lang: str = "id") -> list[str]:
        """Why the figures are provisional, in the reader's language."""
        return self.provisional_reasons_en if lang == "en" else self.provisional_reasons

    def to_json(self) -> dict[str, object]:
        def group(g: GroupIndex) -> dict[str, object]:
            return {"number": g.number, "name": g.name_id, "name_en": g.name_en,
                    "index": float(g.index), "weight": float(g.weight),
                    "weight_provisional": g.weight_provisional}

        return {
            "framework": self.framework,
            "index": float(self.total),
            "predicate": self.predicate_id,
            "predicate_en": self.predicate_en,
            "aspects": [group(a) for a in self.aspects],
            "domains": [group(d) for d in self.domains],
            "levels": {str(k): v for k, v in sorted(self.levels.items())},
            "missing_indicators": self.missing,
            "provisional": self.provisional,
            "provisional_reasons": self.provisional_reasons,
            "provisional_reasons_en": self.provisional_reasons_en,
        }


def _weighted(framework: Framework, group: Group, levels: Mapping[int, int]) -> GroupIndex:
    weight = sum((framework.indicators[n].weight for n in group.indicators), Decimal(0))
    total = sum((framework.indicators[n].weight * levels.get(n, 0) for n in group.indicators),
                Decimal(0))
    index = (total / weight) if weight else Decimal(0)
    return GroupIndex(group.number, group.name_id, group.name_en, index, weight,
                      framework.group_weight_provisional(group))


def compute_index(framework: Framework, levels: Mapping[int, int]) -> IndexResult:
    """Index = Σ(bobot × tingkat) / Σ bobot, over all indicators of the framework.

    An indicator without a level counts as 0 and is listed in `missing`, so an incomplete
    self-assessment can never look better than it is.
    """
    for number, level in levels.items():
        if number not in framework.indicators:
            raise InputError(f"indikator {number} tidak ada dalam kerangka {framework.code}",
                             f"indicator {number} is not in framework {framework.code}")
        if not 1 <= level <= 5:
            raise InputError(f"tingkat indikator {number} harus 1–5, bukan {level}",
                             f"the level of indicator {number} must be 1–5, not {level}")
    everything = Group(0, "Total", "Total", sorted(framework.indicators),
                       weight_provisional_declared=False)
    exact = _weighted(framework, everything, levels).index
    # The index is published with two decimals and the predicate read from that figure.
    total = exact.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    predicate = framework.predicate_for(total)
    reasons: list[tuple[str, str]] = []
    if framework.provisional:
        reasons.append(("kerangka evaluasi ini belum terverifikasi (PROVISIONAL)",
                        "this evaluation framework is not verified (PROVISIONAL)"))
    if framework.any_weight_provisional:
        reasons.append(("bobot per indikator belum terverifikasi dari sumber resmi",
                        "the per-indicator weights are not verified from an official source"))
    groups = [*framework.aspects.values(), *framework.domains.values()]
    if any(framework.group_weight_provisional(g) for g in groups):
        reasons.append(("bobot aspek/domain bertanda * tidak terverifikasi tersendiri;"
                        " angkanya jumlah bobot indikator",
                        "aspect/domain weights marked * are not verified on their own; they"
                        " are sums of the indicator weights"))
    if framework.formula_provisional:
        reasons.append(("rumus indeks (rerata tertimbang) belum terverifikasi dari sumber resmi",
                        "the index formula (weighted mean) is not verified from an official"
                        " source"))
    return IndexResult(
        framework=framework.code,
        total=total,
        predicate_id=predicate.name_id, predicate_en=predicate.name_en,
        aspects=[_rounded(_weighted(framework, g, levels))
                 for _, g in sorted(framework.aspects.items())],
        domains=[_rounded(_weighted(framework, g, levels))
                 for _, g in sorted(framework.domains.items())],
        levels=dict(levels),
        missing=sorted(set(framework.indicators) - set(levels)),
        provisional_reasons=[text_id for text_id, _ in reasons],
        provisional_reasons_en=[text_en for _, text_en in reasons],
    )


def _rounded(group: GroupIndex) -> GroupIndex:
    group.index = group.index.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    return group


def what_if(framework: Framework, base: Mapping[int, int],
            changes: Mapping[int, int]) -> tuple[IndexResult, IndexResult]:
    """The index now and the index if `changes` (indicator -> level) were reached."""
    after = {**base, **changes}
    return compute_index(framework, base), compute_index(framework, after)
