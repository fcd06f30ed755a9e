"""`spbe-arch reference list` and `spbe-arch reference import` on an on-disk store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.conftest import Invoke

from spbe_arch.datasets import load_demo
from spbe_arch.repository import open_repository

RAA = """kode,nama,induk
RAA.01,Aplikasi Umum,
RAA.01.01,Aplikasi Umum Layanan Publik,RAA.01
RAA.01.02,Aplikasi Umum Administrasi Pemerintahan,RAA.01
RAA.02,Aplikasi Khusus,
RAA.02.02,Aplikasi Khusus Fungsi Tertentu,RAA.02
"""


@pytest.fixture
def demo_store(tmp_path: Path) -> str:
    store = f"oxigraph:{tmp_path / 'store'}"
    repository = open_repository(store)
    load_demo(repository)
    repository.close()
    return store


def _dump(cli: Invoke, store: str, path: Path) -> bytes:
    result = cli("--store", store, "dump", str(path))
    assert result.exit_code == 0, result.output
    return path.read_bytes()


def test_list_says_which_lists_are_provisional(cli: Invoke, demo_store: str) -> None:
    result = cli("--store", demo_store, "reference", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    assert view["versi"] == "Perpres 132/2022"
    status = {s["skema"]: (s["sementara"], s["konsep"]) for s in view["skema"]}
    assert status == {"RAB": (False, 358), "RAL": (False, 357), "RAD": (False, 364),
                      "RAA": (True, 6), "RAI": (True, 10), "RAK": (True, 6)}
    table = cli("--store", demo_store, "--lang", "en", "reference", "list")
    assert table.exit_code == 0 and "provisional" in table.stdout and "official" in table.stdout


def test_import_replaces_raa_and_validate_warns(cli: Invoke, demo_store: str,
                                                tmp_path: Path) -> None:
    path = tmp_path / "raa.csv"
    path.write_text(RAA, encoding="utf-8")
    result = cli("--store", demo_store, "reference", "import", str(path), "--scheme", "RAA",
                 "--source", "Surat Edaran (contoh)", "--agent", "sari", "--format", "json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["riwayat"] and plan["sebelumnya_sementara"] is True
    affected = {e["kode"] for e in plan["elemen_terdampak"]}
    assert "APL-16" in affected and "APL-02" not in affected
    listed = json.loads(cli("--store", demo_store, "reference", "list", "--format",
                            "json").stdout)
    raa = next(s for s in listed["skema"] if s["skema"] == "RAA")
    assert raa["sementara"] is False and raa["sumber"] == ["Surat Edaran (contoh)"]
    history = cli("--store", demo_store, "query", "recent-changes", "--format", "json")
    assert "Ganti daftar RAA" in history.stdout and "sari" in history.stdout
    report = cli("--store", demo_store, "validate", "--instansi", "3574", "--format", "json",
                 "--severity", "warning")
    found = [r for r in json.loads(report.stdout)["results"]
             if r["sourceShape"].endswith("Elemen-klasifikasiRAA-dikenal")]
    # exactly the elements the plan listed get the Warning
    assert {r["focusNode"].rsplit("/", 1)[-1] for r in found} == affected
    again = cli("--store", demo_store, "reference", "import", str(path), "--scheme", "RAA",
                "--source", "Surat Edaran (contoh)")
    assert again.exit_code == 0 and "Tidak ada perubahan" in again.stdout


def test_a_dry_run_shows_the_plan_and_writes_nothing(cli: Invoke, demo_store: str,
                                                     tmp_path: Path) -> None:
    path = tmp_path / "raa.csv"
    path.write_text(RAA, encoding="utf-8")
    before = _dump(cli, demo_store, tmp_path / "a.nq")
    result = cli("--store", demo_store, "reference", "import", str(path), "--scheme", "RAA",
                 "--dry-run")
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.replace("│", " ").split()) for line in result.stdout.splitlines()]
    assert "dihapus RAA.02.01 Aplikasi Khusus Misi Tertentu induk RAA.02" in lines
    assert "3574 BAG-HUKUM APL-16 JDIH Kota Probolinggo RAA.02.01" in lines
    assert "Uji coba (--dry-run): tidak ada yang disimpan." in lines
    assert _dump(cli, demo_store, tmp_path / "b.nq") == before


@pytest.mark.parametrize(("args", "words"), [
    (["--scheme", "RAB"], "opsi --scheme: RAB adalah daftar resmi yang sudah diverifikasi"),
    (["--scheme", "RAX"], "opsi --scheme: skema 'RAX' tidak dikenal"),
])
def test_the_verified_lists_are_refused(cli: Invoke, demo_store: str, tmp_path: Path,
                                        args: list[str], words: str) -> None:
    path = tmp_path / "rab.csv"
    path.write_text("kode,nama,induk\nRAB.01,X,\n", encoding="utf-8")
    before = _dump(cli, demo_store, tmp_path / "a.nq")
    result = cli("--store", demo_store, "reference", "import", str(path), *args)
    assert result.exit_code == 2
    assert words in " ".join(result.stderr.split())
    assert _dump(cli, demo_store, tmp_path / "b.nq") == before


def test_a_bad_file_names_row_and_column_in_either_language(cli: Invoke, demo_store: str,
                                                            tmp_path: Path) -> None:
    path = tmp_path / "raa.csv"
    path.write_text("kode;nama;induk\nRAA.01;Umum;\nRAA.01.01;;RAA.01\nRAA.02.01;X;RAA.02\n",
                    encoding="utf-8")
    before = _dump(cli, demo_store, tmp_path / "a.nq")
    result = cli("--store", demo_store, "reference", "import", str(path), "--scheme", "RAA")
    assert result.exit_code == 2
    assert "2 masalah ditemukan; tidak ada yang disimpan" in result.stderr
    assert "raa.csv, baris 3, kolom nama: nama wajib diisi" in result.stderr
    assert "raa.csv, baris 4, kolom induk: induk RAA.02 tidak ada dalam berkas" in result.stderr
    english = cli("--store", demo_store, "--lang", "en", "reference", "import", str(path),
                  "--scheme", "RAA")
    assert "raa.csv, row 4, column induk: parent RAA.02 is not in the file" in english.stderr
    assert _dump(cli, demo_store, tmp_path / "b.nq") == before
