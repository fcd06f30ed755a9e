"""Index and predicate for hand-worked examples, boundaries included."""

from __future__ import annotations

from decimal import Decimal

import pytest

from spbe_arch.errors import InputError
from spbe_arch.evaluation import compute_index, load_framework, what_if
from spbe_arch.evaluation.framework import Framework
from spbe_arch.repository import Repository


@pytest.fixture
def framework(repository: Repository) -> Framework:
    return load_framework(repository, "permenpanrb-59-2020")


def all_at(level: int) -> dict[int, int]:
    return dict.fromkeys(range(1, 48), level)


def test_uniform_levels(framework: Framework) -> None:
    result = compute_index(framework, all_at(3))
    assert result.total == Decimal("3.00")
    assert result.predicate_id == "Baik"
    assert all(a.index == Decimal("3.00") for a in result.aspects)
    assert result.missing == []


def test_exactly_2_6_is_baik_and_just_below_is_cukup(framework: Framework) -> None:
    # all at 2 (Σ = 200) + indicators 32–41 (2.75 each) two levels up (+55)
    # + indicators 11 and 12 (2.5 each) one level up (+5) = 260 / 100 = 2.60
    levels = all_at(2) | dict.fromkeys(range(32, 42), 4) | {11: 3, 12: 3}
    result = compute_index(framework, levels)
    assert result.total == Decimal("2.60")
    assert result.predicate_id == "Baik"
    # one level less on indicator 21 (1.5) -> 258.5 / 100 = 2.585 -> 2.59 -> Cukup
    below = compute_index(framework, levels | {21: 1})
    assert below.total == Decimal("2.59")
    assert below.predicate_id == "Cukup"


def test_exactly_4_2_is_memuaskan(framework: Framework) -> None:
    # all at 4 (400) + eight of indicators 11–20 (2.5 each) one up (+20) = 4.20
    levels = all_at(4) | dict.fromkeys(range(11, 19), 5)
    result = compute_index(framework, levels)
    assert result.total == Decimal("4.20")
    assert result.predicate_id == "Memuaskan"
    # 400 + 18 (42–47 up) + 1.3 (indicator 1 up) = 419.3 -> 4.19 -> Sangat Baik
    lower = compute_index(framework, all_at(4) | dict.fromkeys(range(42, 48), 5) | {1: 5})
    assert lower.total == Decimal("4.19")
    assert lower.predicate_id == "Sangat Baik"


def test_aspect_and_domain_indices(framework: Framework) -> None:
    levels = all_at(1) | dict.fromkeys(range(42, 48), 5)
    result = compute_index(framework, levels)
    assert {a.number: a.index for a in result.aspects}[8] == Decimal("5.00")
    assert {a.number: a.index for a in result.aspects}[7] == Decimal("1.00")
    # Layanan domain = (27.5·1 + 18·5) / 45.5 = 117.5 / 45.5 = 2.582… -> 2.58
    assert {d.number: d.index for d in result.domains}[4] == Decimal("2.58")
    # total = (100 - 18 + 90) / 100 = 1.72 -> Kurang
    assert result.total == Decimal("1.72")
    assert result.predicate_id == "Kurang"


def test_missing_indicators_count_as_zero_and_are_listed(framework: Framework) -> None:
    result = compute_index(framework, {11: 5})
    assert result.total == Decimal("0.13")  # 2.5·5 / 100 = 0.125 -> 0.13
    assert len(result.missing) == 46


def test_provisional_marks_travel_with_the_result(framework: Framework) -> None:
    result = compute_index(framework, all_at(3))
    assert result.provisional
    data = result.to_json()
    assert data["provisional"] is True
    assert any("bobot" in r for r in data["provisional_reasons"])  # type: ignore[union-attr]
    english = data["provisional_reasons_en"]
    assert isinstance(english, list) and len(english) == len(result.provisional_reasons)
    assert any("weights" in r for r in english)
    assert result.reasons("en") == english


def test_invalid_levels_are_refused(framework: Framework) -> None:
    with pytest.raises(InputError):
        compute_index(framework, {11: 6})
    with pytest.raises(InputError):
        compute_index(framework, {99: 3})


def test_what_if(framework: Framework) -> None:
    before, after = what_if(framework, all_at(2), {11: 4, 14: 4})
    assert before.total == Decimal("2.00")
    assert after.total == Decimal("2.10")  # +2·2.5 +2·2.5 = +10 / 100
