"""Excel import (library and CLI) of a code outside the provisional RAA list: imported, with
a warning at its sheet, row and column, and exported as the code; an unknown RAB code and a
malformed RAA code stay errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from spbe_arch.cli import app
from spbe_arch.importers.xlsx import WorkbookProblems, build_workbook, import_workbook
from spbe_arch.model import get_entity
from spbe_arch.repository import Repository, open_repository

from .conftest import INSTANSI, load_fixture, put

Make = Callable[..., Path]
APLIKASI = {"Kode": "A.01", "Nama": "Aplikasi kependudukan", "Pemilik (kode OPD)": "DISDUKCAPIL",
            "Jenis Aplikasi": "Aplikasi Umum", "Mendukung Layanan (kode Layanan)": "L.01"}


def _with_raa(code: str) -> Callable[[Workbook], None]:
    def edit(wb: Workbook) -> None:
        put(wb, "Aplikasi", 2, {**APLIKASI, "Kode RAA": code})
    return edit


def test_a_code_outside_the_provisional_list_is_imported_with_a_warning(
        repo: Repository, filled_workbook: Make) -> None:
    report = import_workbook(repo, filled_workbook(_with_raa("RAA.07")), instansi=INSTANSI)
    assert report.applied
    [warning] = [w for w in report.warnings if w.sheet == "Aplikasi"]
    assert (warning.row, warning.column, warning.warning) == (2, "Kode RAA", True)
    assert warning.message("id").startswith("Sheet Aplikasi, baris 2, kolom Kode RAA: kode"
                                            " 'RAA.07' tidak ada dalam daftar")
    assert "sementara" in warning.message("id") and "provisional" in warning.message("en")
    assert {"sheet": "Aplikasi", "baris": 2, "kolom": "Kode RAA", "nilai": "RAA.07",
            "pesan": warning.message_id, "peringatan": True} in report.to_json()["peringatan"]
    # the rules' own warning about it is listed among the validation notes
    assert any("RAA" in n.message("id") and "sementara" in n.message("id")
               for n in report.validation_notes)
    stored = get_entity(repo, "aplikasi", "A.01", instansi=INSTANSI)
    assert stored is not None and stored["klasifikasiRAA"] == "RAA.07"


def test_lenient_spelling_of_a_code_outside_the_list(repo: Repository,
                                                     filled_workbook: Make) -> None:
    report = import_workbook(repo, filled_workbook(_with_raa("raa .07")), instansi=INSTANSI)
    messages = [w.message("en") for w in report.warnings if w.sheet == "Aplikasi"]
    assert len(messages) == 2
    assert "taken as 'RAA.07'" in messages[0] and "provisional" in messages[1]
    stored = get_entity(repo, "aplikasi", "A.01", instansi=INSTANSI)
    assert stored is not None and stored["klasifikasiRAA"] == "RAA.07"


@pytest.mark.parametrize(("sheet", "values", "said"), [
    ("Proses Bisnis", {"Kode RAB": "RAB.09.03.99"},
     "kolom Kode RAB: 'RAB.09.03.99' tidak ada dalam"),
    ("Aplikasi", {**APLIKASI, "Kode RAA": "RAA.07 tambahan"},
     "kolom Kode RAA: 'RAA.07 tambahan' bukan kode RAA yang sah")])
def test_unknown_official_and_malformed_codes_stay_errors(
        repo: Repository, filled_workbook: Make, sheet: str, values: dict[str, str],
        said: str) -> None:
    before = repo.export(None, "nquads")

    def edit(wb: Workbook) -> None:
        put(wb, sheet, 2, values)

    with pytest.raises(WorkbookProblems) as info:
        import_workbook(repo, filled_workbook(edit), instansi=INSTANSI)
    assert any(said in p.message("id") for p in info.value.problems), info.value.message("id")
    assert repo.export(None, "nquads") == before


def test_export_then_import_keeps_the_code(repo: Repository, filled_workbook: Make,
                                           tmp_path: Path) -> None:
    import_workbook(repo, filled_workbook(_with_raa("RAA.07")), instansi=INSTANSI)
    exported = tmp_path / "ekspor.xlsx"
    build_workbook(repo, exported, instansi=INSTANSI)
    cell = next(row[4] for row in load_workbook(exported)["Aplikasi"].iter_rows(values_only=True)
                if row[0] == "A.01")
    assert str(cell).startswith("RAA.07")  # the code, not the concept's IRI
    before = repo.export(None, "nquads")
    again = import_workbook(repo, exported, instansi=INSTANSI)
    assert again.changes.is_empty() and repo.export(None, "nquads") == before
    assert [w.column for w in again.warnings if w.sheet == "Aplikasi"] == ["Kode RAA"]


def test_the_cli_import_prints_the_warning(tmp_path: Path, filled_workbook: Make) -> None:
    store = f"oxigraph:{tmp_path / 'store'}"
    with open_repository(store) as on_disk:
        load_fixture(on_disk)
    result = CliRunner().invoke(app, ["--store", store, "excel", "import",
                                      str(filled_workbook(_with_raa("RAA.07")))])
    assert result.exit_code == 0, result.output
    assert ("Peringatan: Sheet Aplikasi, baris 2, kolom Kode RAA: kode 'RAA.07' tidak ada"
            " dalam daftar") in result.output
    with open_repository(store) as on_disk:
        stored = get_entity(on_disk, "aplikasi", "A.01", instansi=INSTANSI)
    assert stored is not None and stored["klasifikasiRAA"] == "RAA.07"
