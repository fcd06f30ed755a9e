"""Deleting by leaving rows out: only with `prune_opds` (`--prune-opd`), only those OPDs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from spbe_arch.importers.xlsx import WorkbookProblems, build_workbook, import_workbook
from spbe_arch.model import list_entities
from spbe_arch.repository import Repository

from .conftest import INSTANSI


def _codes(repo: Repository, kind: str) -> set[str]:
    return {r["kode"] for r in list_entities(repo, kind, instansi=INSTANSI).items}


def _drop_rows(wb: Workbook, sheet: str, column: str, values: set[object]) -> None:
    ws = wb[sheet]
    index = next(c.column for c in ws[1] if str(c.value).rstrip(" *") == column)
    for row in range(ws.max_row, 1, -1):
        if ws.cell(row=row, column=index).value in values:
            ws.delete_rows(row)


@pytest.fixture
def imported(repo: Repository, filled_workbook: Callable[..., Path]) -> Repository:
    import_workbook(repo, filled_workbook(), instansi=INSTANSI)
    assert _codes(repo, "proses-bisnis") == {"PB.01", "PB.02"}
    return repo


def _export_without(repo: Repository, tmp_path: Path, drops: list[tuple[str, str, set[object]]],
                    ) -> Path:
    path = tmp_path / "ekspor.xlsx"
    build_workbook(repo, path, instansi=INSTANSI, with_data=True)
    wb = load_workbook(path)
    for sheet, column, values in drops:
        _drop_rows(wb, sheet, column, values)
    edited = tmp_path / "tanpa-baris.xlsx"
    wb.save(edited)
    return edited


def test_rows_left_out_are_deleted_only_for_the_pruned_opds(imported: Repository,
                                                            tmp_path: Path) -> None:
    repo = imported
    path = _export_without(repo, tmp_path, [("Proses Bisnis", "Kode", {"PB.02"}),
                                            ("Layanan", "Kode", {"L.01"})])
    before = repo.export(None, "nquads")
    # without the option nothing is ever deleted
    assert import_workbook(repo, path, instansi=INSTANSI).changes.is_empty()
    # a dry run shows the deletion and writes nothing
    report = import_workbook(repo, path, instansi=INSTANSI, dry_run=True,
                             prune_opds=["DISKOMINFO"])
    assert [(c.kind, c.code) for c in report.changes.removed] == [("proses-bisnis", "PB.02")]
    assert report.to_json()["dihapus"][0]["kode"] == "PB.02"
    assert repo.export(None, "nquads") == before
    report = import_workbook(repo, path, instansi=INSTANSI, prune_opds=["diskominfo"])
    assert report.applied
    # L.01 (DISDUKCAPIL) was left out too, but DISDUKCAPIL was not pruned
    assert _codes(repo, "proses-bisnis") == {"PB.01"}
    assert _codes(repo, "layanan") == {"L.01"}
    # the workbook now matches the repository: a second import changes nothing
    assert import_workbook(repo, path, instansi=INSTANSI,
                           prune_opds=["DISKOMINFO"]).changes.is_empty()


def test_an_entity_still_referred_to_is_not_deleted_and_is_named(imported: Repository,
                                                                 tmp_path: Path) -> None:
    repo = imported
    before = repo.export(None, "nquads")
    path = _export_without(repo, tmp_path, [("Proses Bisnis", "Kode", {"PB.01"})])
    with pytest.raises(WorkbookProblems) as caught:
        import_workbook(repo, path, instansi=INSTANSI, prune_opds=["DISDUKCAPIL"])
    [problem] = caught.value.problems
    assert (problem.sheet, problem.row, problem.column, problem.value) == (
        "Proses Bisnis", None, "Kode", "PB.01")
    assert "akan dihapus" in problem.message("id") and "SOP.01" in problem.message("id")
    assert "would be deleted" in problem.message("en")
    assert repo.export(None, "nquads") == before
    # the process and its SOP (with its steps) left out together: the SOP no longer blocks,
    # but the layanan and data the process realised and produced would be left without one
    # (SHACL violations), reported at their rows
    path = _export_without(repo, tmp_path, [("Proses Bisnis", "Kode", {"PB.01"}),
                                            ("SOP", "Kode", {"SOP.01"}),
                                            ("Langkah SOP", "Kode SOP", {"SOP.01"})])
    with pytest.raises(WorkbookProblems) as caught:
        import_workbook(repo, path, instansi=INSTANSI, prune_opds=["DISDUKCAPIL"])
    assert sorted((p.sheet, p.row) for p in caught.value.problems) == [("Data", 2),
                                                                        ("Layanan", 2)]
    assert repo.export(None, "nquads") == before
    # with the layanan and data gone as well, all four are deleted
    path = _export_without(repo, tmp_path, [("Proses Bisnis", "Kode", {"PB.01"}),
                                            ("SOP", "Kode", {"SOP.01"}),
                                            ("Langkah SOP", "Kode SOP", {"SOP.01"}),
                                            ("Layanan", "Kode", {"L.01"}),
                                            ("Data", "Kode", {"D.01"})])
    report = import_workbook(repo, path, instansi=INSTANSI, prune_opds=["DISDUKCAPIL"])
    assert sorted(c.code for c in report.changes.removed) == ["D.01", "L.01", "PB.01",
                                                              "SOP.01"]
    assert _codes(repo, "sop") == set() and _codes(repo, "proses-bisnis") == {"PB.02"}
    assert not repo.ask("ASK { ?s ?p ?o FILTER(CONTAINS(STR(?s), '/sop/SOP.01')) }")


def test_pruning_needs_a_known_opd_within_the_editors_scope(imported: Repository,
                                                            tmp_path: Path) -> None:
    repo = imported
    before = repo.export(None, "nquads")
    path = _export_without(repo, tmp_path, [])
    with pytest.raises(WorkbookProblems) as caught:
        import_workbook(repo, path, instansi=INSTANSI, prune_opds=["TIDAKADA"])
    assert "akan dihapus (--prune-opd) tidak ada: 'TIDAKADA'" in caught.value.problems[0].message(
        "id")
    wb = load_workbook(path)
    _drop_rows(wb, "Proses Bisnis", "Kode", {"PB.01"})  # leave only DISKOMINFO's rows
    for sheet in ("Layanan", "Data", "SOP", "Langkah SOP"):
        wb[sheet].delete_rows(2, wb[sheet].max_row)
    _drop_rows(wb, "OPD", "Kode", {"DISDUKCAPIL", "SETDA"})
    only_kominfo = tmp_path / "kominfo.xlsx"
    wb.save(only_kominfo)
    with pytest.raises(WorkbookProblems) as caught:
        import_workbook(repo, only_kominfo, instansi=INSTANSI, editor_opds=["DISKOMINFO"],
                        prune_opds=["DISDUKCAPIL"])
    assert any("tidak berwenang menghapus data OPD 'DISDUKCAPIL'" in p.message("id")
               for p in caught.value.problems)
    assert repo.export(None, "nquads") == before
