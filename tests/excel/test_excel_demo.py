"""On the Kota Probolinggo demo: export -> import is a no-op, gaps stay warnings, an OPD's
prefilled template is accepted from that OPD's editor and refused from another."""

from __future__ import annotations

from pathlib import Path

import pytest

from spbe_arch.datasets import load_demo
from spbe_arch.importers.xlsx import WorkbookProblems, build_workbook, import_workbook
from spbe_arch.model import list_entities
from spbe_arch.repository import Repository, open_repository

from .conftest import INSTANSI


@pytest.fixture(scope="module")
def demo() -> Repository:
    repository = open_repository("memory:")
    load_demo(repository)
    return repository


def test_export_import_of_the_demo_is_a_no_op(demo: Repository, tmp_path: Path) -> None:
    path = tmp_path / "demo.xlsx"
    summary = build_workbook(demo, path, instansi=INSTANSI)
    assert summary.rows["Proses Bisnis"] == list_entities(demo, "proses-bisnis",
                                                          instansi=INSTANSI).total
    before = demo.export(None, "nquads")
    report = import_workbook(demo, path, instansi=INSTANSI)
    assert report.changes.is_empty() and not report.applied
    assert report.changes.unchanged == sum(v for k, v in summary.rows.items()
                                           if k != "Langkah SOP")
    # the sample's deliberate gap (a process without RAB code) is a warning, not an error
    assert any(w.column == "Kode RAB" and w.warning for w in report.warnings)
    assert demo.export(None, "nquads") == before


def test_opd_template_round_trip_and_scope(demo: Repository, tmp_path: Path) -> None:
    path = tmp_path / "diskominfo.xlsx"
    build_workbook(demo, path, instansi=INSTANSI, opd="DISKOMINFO")
    report = import_workbook(demo, path, instansi=INSTANSI, editor_opds={"DISKOMINFO"},
                             dry_run=True)
    assert report.changes.is_empty() and report.rows > 10
    with pytest.raises(WorkbookProblems) as info:
        import_workbook(demo, path, instansi=INSTANSI, editor_opds={"DISDUKCAPIL"})
    assert all("DISDUKCAPIL" in p.message("id") for p in info.value.problems)


def test_an_opd_workbook_lists_its_sub_units_which_its_editor_may_not_change(
        demo: Repository, tmp_path: Path) -> None:
    """DINKESP2KB's workbook lists RSUD (its sub-unit) as it is: accepted unchanged from
    DINKESP2KB's editor. Changing RSUD needs RSUD's scope, as through the REST API (a row
    passed when its parent was in scope)."""
    from openpyxl import load_workbook

    path = tmp_path / "dinkes.xlsx"
    build_workbook(demo, path, instansi=INSTANSI, opd="DINKESP2KB")
    report = import_workbook(demo, path, instansi=INSTANSI, editor_opds={"DINKESP2KB"},
                             dry_run=True)
    assert report.changes.is_empty()
    book = load_workbook(path)
    sheet = book["OPD"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("Kode *")].value == "RSUD")
    row[header.index("Nama *")].value = "RSUD (nama diubah)"
    book.save(path)
    with pytest.raises(WorkbookProblems) as info:
        import_workbook(demo, path, instansi=INSTANSI, editor_opds={"DINKESP2KB"})
    [problem] = info.value.problems
    assert (problem.sheet, problem.value) == ("OPD", "RSUD")
    assert "RSUD" in problem.message("id")
