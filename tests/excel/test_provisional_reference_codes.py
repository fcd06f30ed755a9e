"""Excel import of a code outside the provisional RAA list: imported, with a warning at its
sheet, row and column; an unknown RAB code and a malformed RAA code stay errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from spbe_arch.importers.xlsx import WorkbookProblems, import_workbook
from spbe_arch.model import get_entity
from spbe_arch.repository import Repository

from .conftest import INSTANSI, put

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
