"""The SHACL check of an import, with results located in the workbook.

`spbe_arch.validation.validate_change` says what the repository would report after the
change; a Violation blocks the import and is placed at the row of its focus node (an
entity, an SOP step or pelaksana) and the column of its path. Warnings and infos are
listed as notes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rdflib.term import Node

from spbe_arch import iris
from spbe_arch.importers.xlsx.layout import SheetLayout, layout_for
from spbe_arch.importers.xlsx.reader import SheetProblem
from spbe_arch.model import EntityChangeSet
from spbe_arch.repository import Repository
from spbe_arch.vocab import SH, SPBE

if TYPE_CHECKING:
    from spbe_arch.importers.xlsx.importer import _Locator


def _places(changes: EntityChangeSet, locator: _Locator,
            ) -> dict[Node, tuple[SheetLayout, int | None]]:
    """Focus node -> (sheet, row) for every entity, SOP step and pelaksana of the change."""
    places: dict[Node, tuple[SheetLayout, int | None]] = {}
    steps = layout_for("sop-langkah")
    for change in changes.entity_changes:
        layout = layout_for(change.kind)
        row = locator.row(change.kind, change.index) if change.index is not None else None
        places[change.iri] = (layout, row)
        if change.kind == "sop":
            for (code, number), step_row in locator.steps.items():
                if code == change.code:
                    places[iris.sop_step_iri(change.iri, number)] = (steps, step_row)
    for s, p, o, _ in changes.add:  # pelaksana (and unplaced steps) sit on their SOP's row
        if p in (SPBE.memilikiPelaksana, SPBE.memilikiLangkah) and s in places \
                and o not in places:
            places[o] = places[s]
    return places


def _column(layout: SheetLayout, path: Node | None) -> str | None:
    for column in layout.columns:
        if path is not None and column.field.predicate == path:
            return column.header
    return None


def check_change(repository: Repository, changes: EntityChangeSet, locator: _Locator,
                 ) -> tuple[list[SheetProblem], list[SheetProblem]]:
    """Violations (blocking, located by sheet/row/column) and other results (notes)."""
    try:
        from spbe_arch.validation import validate_change  # type: ignore[attr-defined]
    except ImportError:
        return [], [SheetProblem(
            None, None, None, None,
            "validasi SHACL atas perubahan (validate_change) belum tersedia di instalasi ini;"
            " hanya pemeriksaan nilai yang dijalankan",
            "SHACL validation of changes (validate_change) is not available in this"
            " installation; only the value checks ran", warning=True)]
    if changes.is_empty():
        return [], []
    report: Any = validate_change(repository, changes)
    places = _places(changes, locator)
    problems: list[SheetProblem] = []
    notes: list[SheetProblem] = []
    for result in getattr(report, "results", []):
        place = places.get(result.focus_node)
        layout, row = place if place else (None, None)
        column = _column(layout, result.result_path) if layout else None
        value = result.value
        message_id, message_en = result.message("id"), result.message("en")
        if place is None:
            # an entity outside the workbook is affected (e.g. loses its last link)
            message_id = f"{result.focus_node}: {message_id}"
            message_en = f"{result.focus_node}: {message_en}"
        problem = SheetProblem(layout.title if layout else None, row, column,
                               None if value is None else str(value), message_id, message_en,
                               warning=result.severity != SH.Violation)
        if result.severity == SH.Violation:
            problems.append(problem)
        else:
            notes.append(problem)
    return problems, notes
