"""Every kind of bad workbook gets a precise message, and nothing is written."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from spbe_arch.errors import InputError
from spbe_arch.importers.xlsx import SheetProblem, WorkbookProblems, import_workbook
from spbe_arch.repository import Repository

from .conftest import DATA, INSTANSI, put

Make = Callable[..., Path]


def _dump(repo: Repository) -> bytes:
    return repo.export(None, "nquads")


def _problems(repo: Repository, path: Path, **options: object) -> list[SheetProblem]:
    before = _dump(repo)
    with pytest.raises(WorkbookProblems) as info:
        import_workbook(repo, path, instansi=INSTANSI, **options)  # type: ignore[arg-type]
    assert _dump(repo) == before
    assert info.value.message("id").startswith(f"{path.name}: ")  # the heading names the file
    problems = info.value.problems
    assert problems and all(isinstance(p, SheetProblem) for p in problems)
    return problems  # type: ignore[return-value]


def _refused(repo: Repository, source: Path | bytes, name: str = "x.xlsx") -> str:
    before = _dump(repo)
    with pytest.raises(InputError) as info:
        import_workbook(repo, source, instansi=INSTANSI, name=name)
    assert not isinstance(info.value, WorkbookProblems)
    assert _dump(repo) == before
    return info.value.message("id") + "\n" + info.value.message("en")


def test_wrong_file_type(repo: Repository, tmp_path: Path) -> None:
    csv = tmp_path / "data.csv"
    csv.write_text("Kode,Nama\nPB.01,Proses\n")
    assert "bukan berkas .xlsx (akhiran '.csv')" in _refused(repo, csv)
    bare = tmp_path / "passwd"
    bare.write_text("root:x:0:0\n")
    refused = _refused(repo, bare)
    assert "bukan berkas .xlsx (tanpa akhiran)" in refused and "(no suffix)" in refused
    disguised = tmp_path / "data.xlsx"
    disguised.write_text("Kode,Nama\nPB.01,Proses\n")
    assert "teks/CSV" in _refused(repo, disguised)
    assert "PDF" in _refused(repo, b"%PDF-1.7\n...", "laporan.xlsx")
    other_zip = tmp_path / "dokumen.xlsx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "bukan buku kerja Excel" in _refused(repo, other_zip)


def test_password_protected_workbook(repo: Repository) -> None:
    message = _refused(repo, DATA / "encrypted.xlsx")
    assert "dilindungi kata sandi" in message and "password-protected" in message


def test_corrupt_workbook(repo: Repository, filled_workbook: Make, tmp_path: Path) -> None:
    data = filled_workbook().read_bytes()
    truncated = tmp_path / "rusak.xlsx"
    truncated.write_bytes(data[: len(data) // 2])
    assert "rusak" in _refused(repo, truncated)
    # a structurally valid archive whose workbook part is garbage
    broken = tmp_path / "rusak2.xlsx"
    with zipfile.ZipFile(tmp_path / "isi.xlsx") as source, zipfile.ZipFile(broken, "w") as out:
        for item in source.infolist():
            payload = source.read(item.filename)
            out.writestr(item, b"<not xml" if item.filename == "xl/workbook.xml" else payload)
    assert "rusak" in _refused(repo, broken)


def test_missing_sheet(repo: Repository, filled_workbook: Make) -> None:
    def drop(wb: Workbook) -> None:
        del wb["Layanan"]

    [problem] = _problems(repo, filled_workbook(drop))
    assert problem.sheet == "Layanan" and "tidak ada di berkas" in problem.message("id")
    assert "Proses Bisnis" in problem.message("id")  # lists the sheets that are there


def test_renamed_column(repo: Repository, filled_workbook: Make) -> None:
    def rename(wb: Workbook) -> None:
        wb["Proses Bisnis"]["E1"] = "RAB"

    problems = _problems(repo, filled_workbook(rename))
    by_column = {p.column: p for p in problems}
    assert set(by_column) == {"RAB", "Kode RAB"}
    assert by_column["RAB"].row == 1 and "tidak dikenal" in by_column["RAB"].message("id")
    assert "Sheet Proses Bisnis, baris 1, kolom Kode RAB: kolom 'Kode RAB' tidak ada" in \
        by_column["Kode RAB"].message("id")


def test_merged_cells(repo: Repository, filled_workbook: Make) -> None:
    def merge(wb: Workbook) -> None:
        wb["Layanan"].merge_cells("B2:C2")

    [problem] = _problems(repo, filled_workbook(merge))
    assert (problem.sheet, problem.row, problem.column) == ("Layanan", 2, "B")
    assert "B2:C2" in problem.message("id") and "merged" in problem.message("en")


def test_formula_instead_of_value(repo: Repository, filled_workbook: Make) -> None:
    def formula(wb: Workbook) -> None:
        put(wb, "Proses Bisnis", 3, {"Nama": '=CONCATENATE("Layanan ", "Informasi")'})

    [problem] = _problems(repo, filled_workbook(formula))
    assert (problem.sheet, problem.row, problem.column) == ("Proses Bisnis", 3, "Nama")
    assert "rumus" in problem.message("id") and "formula" in problem.message("en")


def test_date_as_text(repo: Repository, filled_workbook: Make) -> None:
    def text_date(wb: Workbook) -> None:
        put(wb, "SOP", 2, {"Tanggal Pembuatan": "05/01/2024"})

    [problem] = _problems(repo, filled_workbook(text_date))
    assert (problem.sheet, problem.row, problem.column) == ("SOP", 2, "Tanggal Pembuatan")
    assert problem.message("id") == ("Sheet SOP, baris 2, kolom Tanggal Pembuatan: tanggal"
                                     " ditulis sebagai teks ('05/01/2024'); isi sebagai tanggal"
                                     " Excel (format sel Tanggal)")


def test_codes_with_spaces_or_lower_case_are_normalised_with_warnings(
        repo: Repository, filled_workbook: Make) -> None:
    import_workbook(repo, filled_workbook(), instansi=INSTANSI)
    before = _dump(repo)

    def sloppy(wb: Workbook) -> None:
        put(wb, "Proses Bisnis", 3, {"Kode": " pb.02 ", "Pemilik (kode OPD)": "diskominfo",
                                     "Kode RAB": "rab.09.03.01"})

    path = filled_workbook(sloppy)
    report = import_workbook(repo, path, instansi=INSTANSI, dry_run=True)
    assert report.changes.is_empty()  # the same data once the codes are normalised
    located = {(w.sheet, w.row, w.column) for w in report.warnings}
    assert located == {("Proses Bisnis", 3, "Kode"), ("Proses Bisnis", 3, "Pemilik (kode OPD)"),
                       ("Proses Bisnis", 3, "Kode RAB")}
    assert all(w.warning for w in report.warnings)
    assert _dump(repo) == before


def test_unknown_lower_case_reference_code_is_still_an_error(repo: Repository,
                                                            filled_workbook: Make) -> None:
    def unknown(wb: Workbook) -> None:
        put(wb, "Proses Bisnis", 2, {"Kode RAB": "RAB.09.03.99"})
        put(wb, "Layanan", 2, {"Metode Layanan": "Daring"})

    problems = _problems(repo, filled_workbook(unknown))
    messages = [p.message("id") for p in problems]
    assert messages[0] == ("Sheet Proses Bisnis, baris 2, kolom Kode RAB: 'RAB.09.03.99' tidak"
                           " ada dalam Referensi Arsitektur Proses Bisnis")
    assert messages[1].startswith("Sheet Layanan, baris 2, kolom Metode Layanan: 'Daring' bukan")
    assert "is not in" in problems[0].message("en")


def test_duplicate_codes_within_the_file(repo: Repository, filled_workbook: Make) -> None:
    def duplicate(wb: Workbook) -> None:
        put(wb, "Proses Bisnis", 4, {"Kode": "PB.01", "Nama": "Lagi",
                                     "Pemilik (kode OPD)": "DISDUKCAPIL"})
        put(wb, "Langkah SOP", 6, {"Kode SOP": "SOP.01", "No": 2, "Kegiatan": "Dobel"})

    problems = _problems(repo, filled_workbook(duplicate))
    located = [(p.sheet, p.row, p.column) for p in problems]
    assert located == [("Proses Bisnis", 4, "Kode"), ("Langkah SOP", 6, "No")]
    assert "PB.01" in problems[0].message("id") and "baris 3" in problems[1].message("id")


def test_opd_editor_cannot_import_rows_of_another_opd(repo: Repository,
                                                      filled_workbook: Make) -> None:
    problems = _problems(repo, filled_workbook(), editor_opds={"DISKOMINFO"})
    located = {(p.sheet, p.row, p.column) for p in problems}
    assert ("Proses Bisnis", 2, "Pemilik (kode OPD)") in located
    assert ("Proses Bisnis", 3, "Pemilik (kode OPD)") not in located  # DISKOMINFO's own row
    assert ("Layanan", 2, "Unit Pelaksana (kode OPD)") in located
    assert ("SOP", 2, "Pemilik (kode OPD)") in located
    assert "DISDUKCAPIL" in problems[0].message("id")
    assert "you may only change data of OPD DISKOMINFO" in problems[0].message("en")


def test_opd_editor_cannot_take_over_another_opds_entity(repo: Repository,
                                                         filled_workbook: Make) -> None:
    import_workbook(repo, filled_workbook(), instansi=INSTANSI)

    def steal(wb: Workbook) -> None:
        for sheet in ("Layanan", "Data", "SOP"):
            wb[sheet].delete_rows(2, 1)
        wb["Langkah SOP"].delete_rows(2, 4)
        put(wb, "Proses Bisnis", 2, {"Pemilik (kode OPD)": "DISKOMINFO",
                                     "Merealisasikan (kode Layanan)": None,
                                     "Menghasilkan Data (kode Data)": None})

    problems = _problems(repo, filled_workbook(steal), editor_opds={"DISKOMINFO"})
    [problem] = problems
    assert (problem.sheet, problem.row) == ("Proses Bisnis", 2)
    assert "DISDUKCAPIL" in problem.message("id")


def test_required_values_and_unknown_links(repo: Repository, filled_workbook: Make) -> None:
    def gaps(wb: Workbook) -> None:
        put(wb, "Langkah SOP", 3, {"No": None})
        put(wb, "Langkah SOP", 4, {"Kode SOP": "SOP.77"})
        put(wb, "SOP", 2, {"Nomor SOP": dt.datetime(2024, 3, 1)})

    problems = _problems(repo, filled_workbook(gaps))
    located = [(p.sheet, p.row, p.column) for p in problems]
    assert located == [("SOP", 2, "Nomor SOP"), ("Langkah SOP", 3, "No"),
                       ("Langkah SOP", 4, "Kode SOP")]


def test_empty_file_is_called_empty(repo: Repository, tmp_path: Path) -> None:
    empty = tmp_path / "kosong.xlsx"
    empty.write_bytes(b"")
    message = _refused(repo, empty, "kosong.xlsx")
    assert "'kosong.xlsx' kosong (0 byte)" in message and "teks/CSV" not in message


def test_a_nip_typed_as_a_number_is_refused(repo: Repository, filled_workbook: Make) -> None:
    """Excel keeps 15 significant digits: an 18-digit NIP typed as a number was stored as
    '197809252003121984' (neither what was typed nor what Excel shows) without a word."""
    def nip_number(wb: Workbook) -> None:
        put(wb, "SOP", 2, {"Disahkan Oleh (NIP)": 1.97809252003122e17})

    [problem] = _problems(repo, filled_workbook(nip_number))
    assert (problem.sheet, problem.row, problem.column) == ("SOP", 2, "Disahkan Oleh (NIP)")
    assert "angka 197809252003122000 lebih dari 15 digit" in problem.message("id")
    assert "more than 15 digits" in problem.message("en")


def test_the_template_formats_the_nip_column_as_text(repo: Repository, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from spbe_arch.importers.xlsx import build_workbook

    path = tmp_path / "templat.xlsx"
    build_workbook(repo, path, instansi=INSTANSI, with_data=False)
    ws = load_workbook(path)["SOP"]
    letter = next(c.column_letter for c in ws[1] if str(c.value).startswith("Disahkan Oleh (NIP)"))
    assert ws.column_dimensions[letter].number_format == "@"


def test_step_numbers_stored_as_text_are_numbers(repo: Repository,
                                                filled_workbook: Make) -> None:
    """'3' in No (Excel's number stored as text) and '3' in Jika Ya: before, Jika Ya 3
    'did not exist in this SOP' although step 3 was right there."""
    def as_text(wb: Workbook) -> None:
        put(wb, "Langkah SOP", 4, {"No": "3"})
        put(wb, "Langkah SOP", 3, {"Jika Tidak (No)": " 4 "})

    report = import_workbook(repo, filled_workbook(as_text), instansi=INSTANSI)
    assert report.applied
    from spbe_arch.sop.document import load_sop

    decision = load_sop(repo, "SOP.01", INSTANSI).langkah[1]
    assert (decision.ya, decision.tidak) == (3, 4)


def test_hidden_rows_and_sheets_are_imported_with_a_warning(repo: Repository,
                                                            filled_workbook: Make) -> None:
    """Hiding (or filtering out) a row does not take it out of the import; the clerk is
    told so instead of finding the 'removed' row in the repository."""
    def hide(wb: Workbook) -> None:
        wb["Proses Bisnis"].row_dimensions[3].hidden = True
        wb["Layanan"].sheet_state = "hidden"

    report = import_workbook(repo, filled_workbook(hide), instansi=INSTANSI, dry_run=True)
    messages = [w.message("id") for w in report.warnings]
    assert ("Sheet Proses Bisnis, baris 3: 1 baris tersembunyi (atau tersaring) tetap diimpor:"
            " baris 3; hapus barisnya bila tidak ingin diimpor") in messages
    assert any("sheet 'Layanan' disembunyikan" in m for m in messages)
    assert {c.code for c in report.changes.added} >= {"PB.02", "L.01"}


def test_excel_escapes_and_control_characters_do_not_reach_the_repository(
        repo: Repository, filled_workbook: Make) -> None:
    """Excel writes a carriage return as `_x000D_`, which openpyxl leaves in the text: the
    uraian was stored (and printed) as 'Satu_x000D_'."""
    def pasted(wb: Workbook) -> None:
        put(wb, "Proses Bisnis", 2, {"Uraian": "Satu_x000D_\nDua_x000B_Tiga_x0007_"})

    import_workbook(repo, filled_workbook(pasted), instansi=INSTANSI)
    uraian = {str(q[2]) for q in repo.quads() if str(q[1]).endswith("#uraian")}
    assert "Satu\nDua\nTiga" in uraian


def test_export_survives_a_control_character_stored_by_another_path(
        repo: Repository, filled_workbook: Make, tmp_path: Path) -> None:
    """A value with a vertical tab (stored through the API) made `excel export` fail with
    openpyxl's IllegalCharacterError."""
    from openpyxl import load_workbook
    from rdflib import Literal

    from spbe_arch import iris
    from spbe_arch.importers.xlsx import build_workbook
    from spbe_arch.repository import ChangeSet
    from spbe_arch.vocab import SPBE

    import_workbook(repo, filled_workbook(), instansi=INSTANSI)
    proses = iris.element_iri(INSTANSI, "proses-bisnis", "PB.02")
    repo.apply(ChangeSet(add=[(proses, SPBE.uraian, Literal("Satu\x0bDua\x07"),
                               iris.instansi_graph(INSTANSI))]))
    out = tmp_path / "ekspor.xlsx"
    build_workbook(repo, out, instansi=INSTANSI)
    rows = list(load_workbook(out)["Proses Bisnis"].iter_rows(values_only=True))
    assert any("Satu\nDua" in row for row in rows)


def test_export_survives_a_control_character_in_a_reference_label(tmp_path: Path) -> None:
    """A reference concept whose label holds a control character (written through the Graph
    Store or SPARQL Update, which do not look at labels) made the template and the export
    answer 500: the choices sheet took the label as it was. Found by Schemathesis."""
    from openpyxl import load_workbook
    from rdflib import Literal, URIRef
    from tests.api.conftest import architecture_repository

    from spbe_arch.importers.xlsx import build_workbook
    from spbe_arch.repository import ChangeSet

    repository = architecture_repository()
    source = "https://w3id.org/spbe-arch/ref/perpres-132-2022/RAB.01.01.01"
    copy = URIRef("https://w3id.org/spbe-arch/ref/perpres-132-2022/RAB.01.01.77")
    quads = []
    for row in repository.select(f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ <{source}> ?p ?o }} }}"
                                 ).rows:
        value = row["o"]
        if isinstance(value, Literal) and str(row["p"]).endswith("prefLabel"):
            value = Literal("Label\x02rusak", lang=value.language)
        elif isinstance(value, Literal) and str(row["p"]).endswith("notation"):
            value = Literal("RAB.01.01.77", datatype=value.datatype)
        quads.append((copy, row["p"], value, row["g"]))
    repository.apply(ChangeSet(add=quads))
    out = tmp_path / "templat.xlsx"
    build_workbook(repository, out, instansi="3574", with_data=True)
    cells = [c for row in load_workbook(out)["Daftar"].iter_rows(values_only=True)
             for c in row if isinstance(c, str)]
    assert any("Labelrusak" in c for c in cells)
