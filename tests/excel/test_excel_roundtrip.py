"""Template -> fill -> import -> entities; re-import and export -> import change nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from spbe_arch.importers.xlsx import (
    WorkbookProblems,
    build_workbook,
    import_workbook,
    layouts,
)
from spbe_arch.model import get_entity, list_entities, metadata, reference_concepts
from spbe_arch.repository import Repository
from spbe_arch.validation import validate
from spbe_arch.vocab import SH

from .conftest import INSTANSI, put


def _dump(repo: Repository) -> bytes:
    return repo.export(None, "nquads")


def test_template_is_generated_from_the_catalogue(repo: Repository, tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    build_workbook(repo, path, instansi=INSTANSI, with_data=False)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Petunjuk", *(s.title for s in layouts()), "Daftar"]
    assert wb["Daftar"].sheet_state == "hidden"
    ws = wb["Proses Bisnis"]
    headers = [c.value for c in ws[1]]
    assert headers[0] == "Kode *" and "Kode RAB" in headers[4]
    assert ws.max_row == 1  # no data in an empty template
    # every header explains itself; the note text comes from the ontology definition
    assert all(c.comment is not None and len(c.comment.text) > 20 for c in ws[1])
    assert "pemilik" in ws["D1"].comment.text.lower() or "OPD" in ws["D1"].comment.text
    # drop-downs: RAB level 3 "code — name", OPD codes, enumerations
    lists = {str(c.value): [r.value for r in col[1:] if r.value]
             for col in wb["Daftar"].iter_cols() for c in col[:1]}
    rab = reference_concepts(repo, INSTANSI)["RAB"]
    level3 = sorted(f"{c.code} — {c.name}" for c in rab.values() if c.level == 3)
    assert lists["Kode RAB"] == level3 and len(level3) > 300
    assert "RAB.09.01.07 — Kependudukan dan Pencatatan Sipil" in lists["Kode RAB"]
    assert lists["Kode OPD"] == ["DISDUKCAPIL", "DISKOMINFO", "SETDA"]
    assert "Tatap Muka" in lists["Metode Layanan"]
    formulas = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1
                for dv in ws.data_validations.dataValidation}
    assert formulas["E"].startswith("='Daftar'!$") and formulas["D"].startswith("='Daftar'!$")
    sop_steps = [str(c.value).rstrip(" *") for c in wb["Langkah SOP"][1]]
    assert sop_steps[:4] == ["Kode SOP", "No", "Kegiatan", "Jenis Simbol"]
    # the required mark follows the shapes (sh:minCount >= 1, Violation)
    for layout in layouts():
        marks = [str(c.value).endswith(" *") for c in wb[layout.title][1]]
        assert marks == [c.required for c in layout.columns]
        for column in layout.columns:
            if not column.field.identity and column.key != "kodeSOP":
                assert column.required == metadata().is_required(layout.kind.rdf_class,
                                                                  column.field.predicate)


def test_fill_import_and_the_entities_are_there(repo: Repository,
                                                 filled_workbook: Callable[..., Path]) -> None:
    report = import_workbook(repo, filled_workbook(), instansi=INSTANSI)
    assert report.applied and report.rows == 9
    assert {(c.kind, c.code) for c in report.changes.added} == {
        ("layanan", "L.01"), ("data", "D.01"), ("proses-bisnis", "PB.01"),
        ("proses-bisnis", "PB.02"), ("sop", "SOP.01")}
    pb = get_entity(repo, "proses-bisnis", "PB.01", instansi=INSTANSI)
    assert pb is not None and pb["klasifikasiRAB"] == "RAB.09.01.07"
    assert pb["merealisasikan"] == ["L.01"] and pb["jenisProses"] == "ProsesUtama"
    layanan = get_entity(repo, "layanan", "L.01", instansi=INSTANSI)
    assert layanan is not None and layanan["targetLayanan"] == ["Masyarakat", "PelakuUsaha"]
    sop = get_entity(repo, "sop", "SOP.01", instansi=INSTANSI)
    assert sop is not None and sop["tanggalPembuatan"] == "2024-01-05"
    assert sop["dasarHukum"] == ["Perpres 96/2018", "UU 23/2006"]
    assert sop["memilikiPelaksana"] == ["Pemohon", "Petugas Loket", "Kepala Dinas"]
    steps = sop["memilikiLangkah"]
    assert [s["langkahBerikutnya"] for s in steps] == [2, None, 4, None]
    assert (steps[1]["jikaYa"], steps[1]["jikaTidak"]) == (3, 4)
    # and they validate: no Violation on anything the workbook brought in
    imported = {str(c.iri) for c in report.changes.added}
    results = validate(repo, instansi=INSTANSI).results
    assert results  # the validator ran (the instansi has warnings, e.g. OPDs without SOP)
    assert not [r for r in results if r.severity == SH.Violation
                and str(r.focus_node).split("/langkah/")[0] in imported]


def test_a_rule_violation_is_refused_at_its_cell(repo: Repository,
                                                  filled_workbook: Callable[..., Path]) -> None:
    def short_name(wb: Workbook) -> None:
        put(wb, "Proses Bisnis", 3, {"Nama": "PI"})
        put(wb, "Langkah SOP", 4, {"Output": None})

    before = repo.export(None, "nquads")
    with pytest.raises(WorkbookProblems) as info:
        import_workbook(repo, filled_workbook(short_name), instansi=INSTANSI)
    located = {(p.sheet, p.row, p.column) for p in info.value.problems}
    assert ("Proses Bisnis", 3, "Nama") in located
    assert ("Langkah SOP", 4, "Output") in located
    assert any("minimal 3 karakter" in p.message("id") for p in info.value.problems)
    assert repo.export(None, "nquads") == before


def test_reimport_and_export_import_change_nothing(repo: Repository, tmp_path: Path,
                                                   filled_workbook: Callable[..., Path]) -> None:
    path = filled_workbook()
    import_workbook(repo, path, instansi=INSTANSI)
    before = _dump(repo)
    again = import_workbook(repo, path, instansi=INSTANSI)
    assert again.changes.is_empty() and not again.applied and again.changes.unchanged == 5
    exported = tmp_path / "export.xlsx"
    build_workbook(repo, exported, instansi=INSTANSI)
    loop = import_workbook(repo, exported, instansi=INSTANSI)
    assert loop.changes.is_empty() and loop.changes.unchanged == 8  # + the 3 OPDs
    assert _dump(repo) == before
    # and an edit in the export is exactly one change
    wb = load_workbook(exported)
    ws = wb["Layanan"]
    put(wb, "Layanan", 2, {"Metode Layanan": "Elektronik"})
    assert ws["A2"].value == "L.01"
    wb.save(exported)
    edit = import_workbook(repo, exported, instansi=INSTANSI, dry_run=True)
    assert [(c.code, c.fields) for c in edit.changes.changed] == [("L.01", ["metodeLayanan"])]
    assert _dump(repo) == before  # dry run


def test_template_for_one_opd_is_prefilled_with_its_data(
        repo: Repository, tmp_path: Path, filled_workbook: Callable[..., Path]) -> None:
    import_workbook(repo, filled_workbook(), instansi=INSTANSI)
    path = tmp_path / "kominfo.xlsx"
    summary = build_workbook(repo, path, instansi=INSTANSI, opd="DISKOMINFO")
    assert summary.rows["Proses Bisnis"] == 1 and summary.rows["Layanan"] == 0
    wb = load_workbook(path)
    assert wb["Proses Bisnis"]["A2"].value == "PB.02"
    assert wb["OPD"]["A2"].value == "DISKOMINFO" and wb["OPD"].max_row == 2
    # the prefilled workbook imports as a no-op too
    assert import_workbook(repo, path, instansi=INSTANSI).changes.is_empty()
    assert list_entities(repo, "proses-bisnis", instansi=INSTANSI).total == 2
