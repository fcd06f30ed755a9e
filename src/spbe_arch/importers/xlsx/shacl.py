"""The SHACL check of an import, with results located in the workbook.

The check asks which validation results the change would add. A Violation blocks the import
and is placed at the row of its focus node (an entity, an SOP step or pelaksana) and the
column of its path; warnings and infos are listed as notes.

Two ways to get those results, same answer (tests/excel compares them):

- a small change: `spbe_arch.validation.validate_change` (incremental: re-checks only the
  focus nodes the change can affect);
- a large change (a bulk import): validate the instansi before, validate an in-memory copy
  with the change applied, and keep the results that are new. Measured at 20,000 rows
  (230,000 added triples): ~7 s in total against several minutes for the incremental path,
  whose per-focus-node checks do not pay off when most of the instansi is new
  (docs/performance.md).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from rdflib.term import BNode, Literal, Node

from spbe_arch import iris
from spbe_arch.importers.xlsx.layout import SheetLayout, layout_for
from spbe_arch.importers.xlsx.reader import SheetProblem
from spbe_arch.model import EntityChangeSet
from spbe_arch.repository import ChangeSet, LoadSource, Quad, Repository, open_repository
from spbe_arch.vocab import SH, SPBE

if TYPE_CHECKING:
    from spbe_arch.importers.xlsx.importer import _Locator


def _places(changes: EntityChangeSet, locator: _Locator, instansi: str,
            ) -> dict[Node, tuple[SheetLayout, int | None]]:
    """Focus node -> (sheet, row) for every entity, SOP step and pelaksana of the change,
    and for the unchanged rows of the workbook (a deletion may break an entity it lists)."""
    places: dict[Node, tuple[SheetLayout, int | None]] = {}
    for name, sheet in locator.data.sheets.items():
        if name not in iris.ELEMENT_KINDS:
            continue
        for record, sheet_row in zip(sheet.records, sheet.rows, strict=True):
            code = record.get("kode")
            if isinstance(code, str) and code:
                places[iris.element_iri(instansi, name, code)] = (sheet.layout, sheet_row)
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


LARGE_CHANGE_QUADS = 5_000
"""From this many added + removed quads, validate by difference of two full runs."""


def new_results(repository: Repository, changes: EntityChangeSet, instansi: str,
                *, bulk: bool | None = None) -> list[Any]:
    """The validation results the change would add (the repository is not written)."""
    from spbe_arch.validation import validate, validate_change

    if bulk is None:
        bulk = len(changes.add) + len(changes.remove) >= LARGE_CHANGE_QUADS
    if not bulk:
        return list(validate_change(repository, changes).results)
    before = validate(repository, instansi=instansi).results
    after_repository = _copy_with_change(repository, changes)
    try:
        after = validate(after_repository, instansi=instansi).results
    finally:
        after_repository.close()
    remaining = Counter(r.key() for r in before)
    added = []
    for result in after:
        if remaining[result.key()] > 0:
            remaining[result.key()] -= 1
        else:
            added.append(result)
    return added


def _copy_with_change(repository: Repository, changes: EntityChangeSet) -> Repository:
    """An in-memory copy of the data, ontology, shapes and references, with the change."""
    skip = (str(iris.provenance_graph()), f"{iris.BASE}graph/validation/")
    sources = [LoadSource(repository.export(g, "ntriples"), "ntriples", g, str(g))
               for g in repository.graph_names() if not str(g).startswith(skip)]
    # additions are loaded with the copy (one parse, no SPARQL update of 200k quads)
    sources.append(LoadSource("".join(_nquad(q) for q in changes.add).encode("utf-8"),
                              "nquads", None, "perubahan"))
    copy = open_repository("memory:")
    copy.load(sources)
    if changes.remove:
        copy.apply(ChangeSet(remove=list(changes.remove)))
    return copy


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _term(term: Node) -> str:
    if isinstance(term, Literal):
        text = '"' + str(term).translate(_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None:
            return f"{text}^^<{term.datatype}>"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    return f"<{term}>"


def _nquad(quad: Quad) -> str:
    s, p, o, g = quad
    graph = f" <{g}>" if g is not None else ""
    return f"{_term(s)} {_term(p)} {_term(o)}{graph} .\n"


def check_change(repository: Repository, changes: EntityChangeSet, locator: _Locator,
                 instansi: str) -> tuple[list[SheetProblem], list[SheetProblem]]:
    """Violations (blocking, located by sheet/row/column) and other results (notes)."""
    if changes.is_empty():
        return [], []
    results = new_results(repository, changes, instansi)
    places = _places(changes, locator, instansi)
    problems: list[SheetProblem] = []
    notes: list[SheetProblem] = []
    for result in results:
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
