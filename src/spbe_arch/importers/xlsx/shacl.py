"""The SHACL check of an import, with results located in the workbook."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spbe_arch.importers.xlsx.reader import SheetProblem
from spbe_arch.model import EntityChangeSet
from spbe_arch.repository import Repository

if TYPE_CHECKING:
    from spbe_arch.importers.xlsx.importer import _Locator


def check_change(repository: Repository, changes: EntityChangeSet, locator: _Locator,
                 ) -> tuple[list[SheetProblem], list[str]]:
    """Violations (blocking, located by sheet/row/column) and other results (notes)."""
    try:
        from spbe_arch.validation import validate_change  # noqa: F401
    except ImportError:
        return [], ["validasi SHACL belum tersedia di instalasi ini; hanya pemeriksaan nilai"
                    " yang dijalankan"]
    raise NotImplementedError
