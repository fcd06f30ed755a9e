from __future__ import annotations

import csv
from pathlib import Path

import pytest

from spbe_arch import datasets


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return datasets.sample_dir()


@pytest.fixture(scope="session")
def opd_rows(sample_dir: Path) -> list[dict[str, str]]:
    text = (sample_dir / "source" / "opd.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter=";"))
