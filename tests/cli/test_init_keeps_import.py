"""Re-running `spbe-arch init` (the upgrade step of the guide) after `spbe-arch reference
import` keeps the imported list and says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.conftest import Invoke

RAA = """kode,nama,induk
RAA.01,Aplikasi Umum,
RAA.01.01,Aplikasi Umum Layanan Publik,RAA.01
RAA.09,Aplikasi Resmi Baru,
"""


@pytest.mark.parametrize(("lang", "said"), [
    ("id", "daftar RAA resmi yang diimpor (Perpres 132/2022) dipertahankan"),
    ("en", "the imported official RAA list (Perpres 132/2022) was kept")])
def test_init_after_an_import_keeps_the_list(cli: Invoke, store: str, tmp_path: Path,
                                             lang: str, said: str) -> None:
    assert cli("--store", store, "init").exit_code == 0
    path = tmp_path / "raa.csv"
    path.write_text(RAA, encoding="utf-8")
    imported = cli("--store", store, "reference", "import", str(path), "--scheme", "RAA",
                   "--source", "https://example.go.id/raa")
    assert imported.exit_code == 0, imported.output
    again = cli("--store", store, "--lang", lang, "init")
    assert again.exit_code == 0, again.output
    assert said in again.stdout
    listed = json.loads(cli("--store", store, "reference", "list", "--format", "json").stdout)
    raa = next(s for s in listed["skema"] if s["skema"] == "RAA")
    assert raa["sementara"] is False and raa["konsep"] == 3
    assert raa["sumber"] == ["https://example.go.id/raa"]
    rai = next(s for s in listed["skema"] if s["skema"] == "RAI")
    assert rai["sementara"] is True


def test_init_says_nothing_of_the_kind_without_an_import(cli: Invoke, store: str) -> None:
    result = cli("--store", store, "init")
    assert result.exit_code == 0 and "diimpor" not in result.stdout
