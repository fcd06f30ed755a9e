"""The two ways the import asks which SHACL results a change adds agree."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from spbe_arch.importers.xlsx import import_workbook, importer
from spbe_arch.importers.xlsx.shacl import new_results
from spbe_arch.model import EntityChangeSet
from spbe_arch.repository import Repository
from spbe_arch.vocab import SH

from .conftest import INSTANSI, put


def test_bulk_and_incremental_validation_find_the_same_new_results(
        repo: Repository, filled_workbook: Callable[..., Path],
        monkeypatch: object) -> None:
    def flawed(wb: Workbook) -> None:
        put(wb, "Proses Bisnis", 3, {"Nama": "PI"})  # Violation: name too short
        put(wb, "Layanan", 2, {"Tujuan": "pendek"})  # Warning: purpose too short
        put(wb, "Langkah SOP", 4, {"Output": None})  # Violation: mutu baku incomplete

    planned: list[EntityChangeSet] = []

    def capture(repository: Repository, changes: EntityChangeSet, *args: object) -> tuple[
            list[object], list[object]]:
        planned.append(changes)
        return [], []

    monkeypatch.setattr(importer, "_validate", capture)  # type: ignore[attr-defined]
    import_workbook(repo, filled_workbook(flawed), instansi=INSTANSI, dry_run=True)
    [changes] = planned
    incremental = sorted(map(str, (r.key() for r in new_results(repo, changes, INSTANSI,
                                                               bulk=False))))
    bulk_results = new_results(repo, changes, INSTANSI, bulk=True)
    bulk = sorted(map(str, (r.key() for r in bulk_results)))
    assert incremental == bulk
    severities = {str(r.severity) for r in bulk_results}
    assert str(SH.Violation) in severities and str(SH.Warning) in severities
