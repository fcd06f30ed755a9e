"""Where an error is: the place named the way the user knows it."""

from __future__ import annotations

from spbe_arch.errors import InputError, Location


def test_a_command_line_option_is_named_as_an_option_not_a_column() -> None:
    error = InputError("tidak ada proses 'X'", "there is no process 'X'",
                       Location(field="--proses"))
    assert error.message("id") == "opsi --proses: tidak ada proses 'X'"
    assert error.message("en") == "option --proses: there is no process 'X'"


def test_a_workbook_place_names_sheet_row_and_column() -> None:
    where = Location(file="isi.xlsx", sheet="Proses Bisnis", row=4, field="Kode RAB")
    assert where.describe("id") == "isi.xlsx, Sheet Proses Bisnis, baris 4, kolom Kode RAB"
    assert where.describe("en") == "isi.xlsx, Sheet Proses Bisnis, row 4, column Kode RAB"
