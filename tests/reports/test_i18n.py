"""Indonesian dates and numbers; every built-in text has its English version."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from spbe_arch.reports import builtin, findings, model
from spbe_arch.reports.i18n import ENGLISH, format_date, format_number, translate
from spbe_arch.reports.rendering import BUILTIN_TEMPLATES


@pytest.mark.parametrize(("value", "lang", "expected"), [
    ("2026-12-04", "id", "4 Desember 2026"),
    (dt.date(2026, 12, 4), "en", "4 December 2026"),
    (dt.datetime(2025, 2, 1, 10, 30), "id", "1 Februari 2025"),
    ("2025-08-17T08:00:00", "id", "17 Agustus 2025"),
    ("bukan tanggal", "id", "bukan tanggal"),
    (None, "id", ""),
])
def test_dates(value: object, lang: str, expected: str) -> None:
    assert format_date(value, lang) == expected  # type: ignore[arg-type]


def test_numbers() -> None:
    assert format_number(5000) == "5.000"
    assert format_number(85.7) == "85,7"
    assert format_number(5000, "en") == "5,000"


def _literal_keys(text: str, pattern: str) -> set[str]:
    return {m.group(1) for m in re.finditer(pattern, text)}


def test_builtin_texts_have_english() -> None:
    keys: set[str] = set()
    for template in BUILTIN_TEMPLATES.glob("*.j2"):
        keys |= _literal_keys(template.read_text(encoding="utf-8"), r'_\("([^"]+)"\)')
    for module in (builtin, findings, model):
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        keys |= _literal_keys(source, r'\bt\("([^"]+)"\)')
    keys |= {d.title for d in model.DOMAINS} | {d.short for d in model.DOMAINS}
    keys |= {d.list_title for d in model.DOMAINS}
    keys |= {value for name, value in vars(model.ClassificationCheck).items()
             if name.isupper()}
    missing = sorted(k for k in keys if k not in ENGLISH)
    assert missing == []


def test_unknown_text_stays_indonesian() -> None:
    assert translate("Lembar Pengesahan", "en") == "Lembar Pengesahan"
    assert translate("Daftar Isi", "en") == "Table of Contents"


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (1999, 2000, 99.9),   # not a rounded 100 while one is missing
    (1, 2000, 0.1),       # not a rounded 0 while one is there
    (2000, 2000, 100.0), (0, 2000, 0.0), (0, 0, 0.0), (1, 3, 33.3)])
def test_share_percent_never_rounds_to_complete_or_nothing(part: int, whole: int,
                                                           expected: float) -> None:
    from spbe_arch.reports.i18n import share_percent

    assert share_percent(part, whole) == expected
