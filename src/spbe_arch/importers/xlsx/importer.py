"""Importing a filled workbook: read, check, plan, validate, then commit all of it or nothing.

Every problem — unreadable cell, unknown code, a row of an OPD the editor may not change,
a SHACL violation — is reported with sheet, row, column and value, and nothing is written
unless there is none. Re-importing the same workbook plans an empty change set.
"""

from __future__ import annotations

import gc
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib.term import Node, URIRef

from spbe_arch.access.policy import OpdWrite, opd_write_refusal
from spbe_arch.audit import apply_audited
from spbe_arch.errors import InputProblems, Location, SpbeError
from spbe_arch.importers.xlsx.layout import (
    PARENT_COLUMN,
    SHEET_TITLES,
    SheetLayout,
    layout_for,
    layouts,
)
from spbe_arch.importers.xlsx.reader import SheetProblem, WorkbookData, read_workbook
from spbe_arch.model import KINDS, EntityChangeSet, FieldProblem, plan_changes
from spbe_arch.model.service import RepositoryResolver, iter_entities
from spbe_arch.model.values import display_value
from spbe_arch.repository import Repository

Progress = Callable[[str, int, int | None], None]
_STEP_FIELD = re.compile(r"^memilikiLangkah\[(\d+)\]\.(\w+)$")


class WorkbookProblems(InputProblems):
    """The workbook cannot be imported; `problems` are `SheetProblem`s, sorted."""


@dataclass
class ImportReport:
    file: str
    rows: int
    changes: EntityChangeSet
    warnings: list[SheetProblem] = field(default_factory=list)
    validation_notes: list[SheetProblem] = field(default_factory=list)
    """SHACL results below Violation (warnings, infos): reported, not blocking."""
    dry_run: bool = False
    activity: URIRef | None = None

    @property
    def applied(self) -> bool:
        return self.activity is not None

    def to_json(self, lang: str = "id") -> dict[str, Any]:
        return {
            "berkas": self.file,
            "baris": self.rows,
            "uji_coba": self.dry_run,
            "disimpan": self.applied,
            "aktivitas": str(self.activity) if self.activity else None,
            "ringkasan": self.changes.summary(lang),
            "ditambah": [_change_json(c) for c in self.changes.added],
            "diubah": [_change_json(c) for c in self.changes.changed],
            "dihapus": [_change_json(c) for c in self.changes.removed],
            "tripel_ditambah": len(self.changes.add),
            "tripel_dihapus": len(self.changes.remove),
            "peringatan": [w.to_json(lang) for w in self.warnings],
            "catatan_validasi": [n.to_json(lang) for n in self.validation_notes],
        }


def _change_json(change: Any) -> dict[str, Any]:
    return {"jenis": change.kind, "kode": change.code, "iri": str(change.iri),
            "kolom": change.fields}


@dataclass
class _Locator:
    """Where each record came from, to turn model problems into sheet/row/column."""

    data: WorkbookData
    steps: dict[tuple[str, int], int] = field(default_factory=dict)
    """(SOP code, step number) -> row of the Langkah SOP sheet."""

    def row(self, kind: str, index: int) -> int | None:
        sheet = self.data.sheets.get(kind)
        return sheet.rows[index] if sheet and 0 <= index < len(sheet.rows) else None

    def problem(self, p: FieldProblem) -> SheetProblem:
        kind = p.kind.name
        layout = layout_for(kind)
        match = _STEP_FIELD.match(p.field)
        if match and kind == "sop":
            number, name = int(match.group(1)), match.group(2)
            steps = layout_for("sop-langkah")
            row = self.steps.get((p.code or "", number))
            header = _header(steps, name)
            return SheetProblem(steps.title, row, header, p.value, p.message_id, p.message_en,
                                warning=p.warning)
        if p.field == "memilikiLangkah" and kind == "sop":
            steps = layout_for("sop-langkah")
            number = p.value if isinstance(p.value, int) else -1
            return SheetProblem(steps.title, self.steps.get((p.code or "", number)),
                                _header(steps, "urutan"), p.value, p.message_id,
                                p.message_en, warning=p.warning)
        return SheetProblem(layout.title, self.row(kind, p.index), _header(layout, p.field),
                            p.value, p.message_id, p.message_en, warning=p.warning)


def _header(layout: SheetLayout, key: str) -> str | None:
    for column in layout.columns:
        if column.key == key:
            return column.header
    return key or None


def _sort(problems: Iterable[SheetProblem]) -> list[SheetProblem]:
    order = {layout.title: i for i, layout in enumerate(layouts())}
    columns = {layout.title: {c.header: i for i, c in enumerate(layout.columns)}
               for layout in layouts()}
    return sorted(problems, key=lambda p: (order.get(p.sheet or "", -1), p.row or 0,
                                           columns.get(p.sheet or "", {}).get(p.column or "",
                                                                              99)))


def _records(data: WorkbookData, locator: _Locator, resolver: RepositoryResolver,
             ) -> tuple[dict[str, list[dict[str, Any]]], list[SheetProblem],
                        list[SheetProblem]]:
    """The model records per kind (SOP steps folded into their SOP), identity checks, and
    codes differing from stored ones only by case normalised (with a warning)."""
    problems: list[SheetProblem] = []
    warnings: list[SheetProblem] = []
    upserts: dict[str, list[dict[str, Any]]] = {}
    for name, sheet in data.sheets.items():
        kind = KINDS[name]
        if not kind.top_level:
            continue
        stored = resolver.stored_codes(kind)
        folded: dict[str, list[str]] = defaultdict(list)
        for stored_code in stored:
            folded[stored_code.casefold()].append(stored_code)
        records = []
        for record, row in zip(sheet.records, sheet.rows, strict=True):
            code = record.get("kode")
            if isinstance(code, str) and code not in stored:
                candidates = folded.get(code.casefold(), [])
                if len(candidates) == 1:
                    warnings.append(SheetProblem(
                        sheet.layout.title, row, "Kode", code,
                        f"kode '{code}' disamakan dengan kode yang sudah ada '{candidates[0]}'",
                        f"code '{code}' taken as the existing code '{candidates[0]}'",
                        warning=True))
                    record = {**record, "kode": candidates[0]}
            records.append(record)
        upserts[name] = records
        _check_identity(sheet.layout, records, sheet.rows, problems)

    steps_sheet = data.sheets.get("sop-langkah")
    if steps_sheet is not None and "sop" in upserts:
        by_code = {str(r.get("kode")): r for r in upserts["sop"] if r.get("kode")}
        by_folded = {c.casefold(): c for c in by_code}
        layout = steps_sheet.layout
        _check_identity(layout, steps_sheet.records, steps_sheet.rows, problems)
        for sop in upserts["sop"]:
            sop["memilikiLangkah"] = []
        for record, row in zip(steps_sheet.records, steps_sheet.rows, strict=True):
            parent = record.get(PARENT_COLUMN)
            if parent is None:
                continue
            parent = str(parent)
            if parent not in by_code and parent.casefold() in by_folded:
                warnings.append(SheetProblem(
                    layout.title, row, _header(layout, PARENT_COLUMN), parent,
                    f"kode SOP '{parent}' disamakan dengan '{by_folded[parent.casefold()]}'",
                    f"SOP code '{parent}' taken as '{by_folded[parent.casefold()]}'",
                    warning=True))
                parent = by_folded[parent.casefold()]
            parent_record = by_code.get(parent)
            if parent_record is None:
                problems.append(SheetProblem(
                    layout.title, row, _header(layout, PARENT_COLUMN), parent,
                    f"SOP dengan kode '{parent}' tidak ada di sheet SOP; langkah hanya dapat"
                    " diimpor bersama SOP-nya",
                    f"there is no SOP with code '{parent}' in the SOP sheet; steps can only be"
                    " imported together with their SOP"))
                continue
            step = {k: v for k, v in record.items() if k != PARENT_COLUMN}
            number = step.get("urutan")
            if not isinstance(number, int):
                continue  # reported (required, or not a number); the rest is still checked
            key = (parent, number)
            if key in locator.steps:
                problems.append(SheetProblem(
                    layout.title, row, _header(layout, "urutan"), number,
                    f"langkah nomor {number} untuk SOP '{parent}' sudah ada di baris"
                    f" {locator.steps[key]}",
                    f"step number {number} of SOP '{parent}' is already on row"
                    f" {locator.steps[key]}"))
                continue
            locator.steps[key] = row
            parent_record["memilikiLangkah"].append(step)
    return upserts, problems, warnings


def _check_identity(layout: SheetLayout, records: list[dict[str, Any]], rows: list[int],
                    problems: list[SheetProblem]) -> None:
    """The columns that say which entity a row is (Kode; Kode SOP and No) are always needed."""
    keys = [c for c in layout.columns if c.field.identity or c.key == PARENT_COLUMN]
    for record, row in zip(records, rows, strict=True):
        for column in keys:
            if record.get(column.key) in (None, "", []):
                problems.append(SheetProblem(layout.title, row, column.header, None,
                                             "wajib diisi", "is required"))


def _check_required(data: WorkbookData, upserts: dict[str, list[dict[str, Any]]],
                    changes: EntityChangeSet, locator: _Locator,
                    ) -> tuple[list[SheetProblem], list[SheetProblem]]:
    """Required columns (from the shapes) left empty: an error for a row that adds an entity
    or empties the value; only a warning for a gap that is already in the repository, so
    that export -> import of a repository with gaps stays a no-op."""
    problems: list[SheetProblem] = []
    warnings: list[SheetProblem] = []
    changed = {(c.kind, c.index): c for c in changes.entity_changes if c.index is not None}
    for name, records in upserts.items():
        layout = layout_for(name)
        required = [c for c in layout.columns if c.required and not c.field.identity]
        for index, record in enumerate(records):
            change = changed.get((name, index))
            row = locator.row(name, index)
            for column in required:
                if record.get(column.key) not in (None, "", []):
                    continue
                blocking = change is not None and (change.action == "add"
                                                   or column.key in change.fields)
                (problems if blocking else warnings).append(SheetProblem(
                    layout.title, row, column.header, None,
                    "wajib diisi" if blocking else "wajib diisi; masih kosong seperti yang"
                    " tersimpan di repositori",
                    "is required" if blocking else "is required; still empty, as stored in the"
                    " repository", warning=not blocking))
        if name != "sop" or "sop-langkah" not in data.sheets:
            continue
        steps = layout_for("sop-langkah")
        step_required = [c for c in steps.columns if c.required and not c.field.identity
                         and c.key != PARENT_COLUMN]
        for index, record in enumerate(records):
            change = changed.get((name, index))
            for step in record.get("memilikiLangkah") or []:
                row = locator.steps.get((str(record.get("kode")), step.get("urutan", -1)))
                for column in step_required:
                    if step.get(column.key) not in (None, "", []):
                        continue
                    blocking = change is not None and (change.action == "add"
                                                       or "memilikiLangkah" in change.fields)
                    (problems if blocking else warnings).append(SheetProblem(
                        steps.title, row, column.header, None,
                        "wajib diisi" if blocking else "wajib diisi; masih kosong seperti"
                        " yang tersimpan di repositori",
                        "is required" if blocking else "is required; still empty, as stored"
                        " in the repository", warning=not blocking))
    return problems, warnings


def _scope_problems(upserts: dict[str, list[dict[str, Any]]], locator: _Locator,
                    editor_opds: set[str], resolver: RepositoryResolver) -> list[SheetProblem]:
    """Rows outside the editor's OPDs (before planning)."""
    problems: list[SheetProblem] = []
    scope = {c.casefold() for c in editor_opds}
    shown = ", ".join(sorted(editor_opds))
    for name, records in upserts.items():
        kind = KINDS[name]
        layout = layout_for(name)
        if name == "opd":
            continue  # by what the rows change, once planned (_opd_rows_out_of_scope)
        assert kind.owner_field is not None
        column = kind.owner_field
        for index, record in enumerate(records):
            owner = record.get(column)
            if not (isinstance(owner, str) and owner.casefold() in scope):
                value = display_value(owner)
                problems.append(_not_yours(layout.title, locator.row(name, index),
                                           _header(layout, column), value, shown))
    return problems


def _not_yours(sheet: str, row: int | None, column: str | None, value: str | None,
               shown: str) -> SheetProblem:
    return SheetProblem(
        sheet, row, column, value,
        f"baris ini milik OPD '{value or '-'}'; Anda hanya berwenang mengubah data OPD {shown}",
        f"this row belongs to OPD '{value or '-'}'; you may only change data of OPD {shown}")


def _opd_rows_out_of_scope(changes: EntityChangeSet, locator: _Locator,
                           editor_opds: set[str], resolver: RepositoryResolver
                           ) -> list[SheetProblem]:
    """The OPD rows an editor may not write, by the rule the REST API follows too
    (`access.policy.opd_write_needs`). A row that changes nothing is no write of its OPD:
    the workbook of one OPD lists its sub-units (whose parent it is) as they are. Until
    session 10 a row passed when its code *or* its parent was in scope, so an editor could
    rename another OPD, move it under its own, or create OPDs."""
    shown = ", ".join(sorted(editor_opds))
    layout = layout_for("opd")
    code_of: dict[Node, str] = {
        iri: code for code, iri in resolver.stored_codes(KINDS["opd"]).items()}
    parent = KINDS["opd"].field("indukOPD").predicate

    def parents(quads: Iterable[tuple[Node, Node, Node, Any]], iri: URIRef) -> frozenset[str]:
        return frozenset(code_of.get(o, str(o)) for s, p, o, _ in quads
                         if s == iri and p == parent)

    writes: list[tuple[int | None, OpdWrite]] = [
        (locator.row("opd", c.index) if c.index is not None else None,
         OpdWrite(c.code, c.action, parents(changes.remove, c.iri), parents(changes.add, c.iri)))
        for c in changes.entity_changes if c.kind == "opd"]
    sheet = locator.data.sheets.get("opd")
    if sheet is not None:
        planned = {c.index for c in changes.entity_changes if c.kind == "opd"}
        writes += [(row, OpdWrite(str(record.get("kode")), "change", changed=False))
                   for index, (record, row) in enumerate(zip(sheet.records, sheet.rows,
                                                             strict=True))
                   if index not in planned]
    problems: list[SheetProblem] = []
    for row, write in writes:
        refusal = opd_write_refusal(write, editor_opds)
        if refusal is None:
            continue
        if refusal.reason == "admin":
            # the workbook never deletes an OPD (--prune-opd leaves OPDs alone): a creation
            assert write.action == "add"
            problems.append(SheetProblem(
                layout.title, row, _header(layout, "kode"), write.code,
                f"OPD '{write.code}' belum ada; membuat OPD hanya boleh dilakukan admin",
                f"OPD '{write.code}' does not exist yet; only an admin may create an OPD"))
        elif refusal.reason == "opd":
            problems.append(_not_yours(layout.title, row, _header(layout, "kode"),
                                       write.code, shown))
        else:
            names = ", ".join(refusal.outside)
            problems.append(SheetProblem(
                layout.title, row, _header(layout, "indukOPD"), names,
                f"memindahkan OPD '{write.code}' ke bawah OPD lain atau keluar darinya"
                f" memerlukan wewenang atas OPD induknya juga ({names}); Anda hanya"
                f" berwenang atas OPD {shown}",
                f"moving OPD '{write.code}' under another OPD or out of one needs"
                f" rights over the parent OPD too ({names}); you may only change data"
                f" of OPD {shown}"))
    return problems


def _pruned(repository: Repository, instansi: str, upserts: dict[str, list[dict[str, Any]]],
            prune_opds: set[str], editor_opds: set[str] | None,
            resolver: RepositoryResolver) -> tuple[dict[str, list[str]], list[SheetProblem]]:
    """Codes to delete per kind: stored entities of `prune_opds` missing from the workbook."""
    problems: list[SheetProblem] = []
    known = resolver.stored_codes(KINDS["opd"])
    wanted: set[str] = set()
    for code in sorted(prune_opds):
        stored = next((k for k in known if k.casefold() == code.casefold()), None)
        if stored is None:
            problems.append(SheetProblem(
                None, None, None, code,
                f"OPD yang datanya akan dihapus (--prune-opd) tidak ada: '{code}'",
                f"the OPD whose data would be deleted (--prune-opd) does not exist: '{code}'"))
        elif editor_opds is not None and stored.casefold() not in {
                c.casefold() for c in editor_opds}:
            problems.append(SheetProblem(
                None, None, None, code,
                f"Anda tidak berwenang menghapus data OPD '{stored}' (--prune-opd)",
                f"you may not delete data of OPD '{stored}' (--prune-opd)"))
        else:
            wanted.add(stored)
    deletes: dict[str, list[str]] = {}
    for name, records in upserts.items():
        if name == "opd":
            continue  # an OPD is removed on its own, never because a sheet left it out
        listed = {str(r.get("kode")) for r in records if r.get("kode")}
        stored_codes = {str(e["kode"]) for opd in sorted(wanted)
                        for e in iter_entities(repository, name, instansi=instansi, opd=opd)}
        missing = sorted(stored_codes - listed)
        if missing:
            deletes[name] = missing
    return deletes, problems


def _is_delete_problem(problem: SpbeError, deletes: dict[str, list[str]]) -> bool:
    return (isinstance(problem, FieldProblem) and problem.code is not None
            and problem.code in deletes.get(problem.kind.name, ()))


def _delete_problem(problem: SpbeError, deletes: dict[str, list[str]]) -> SheetProblem:
    """A planned deletion that cannot be done (still referred to): it has no row."""
    assert isinstance(problem, FieldProblem)
    layout = layout_for(problem.kind.name)
    return SheetProblem(
        layout.title, None, _header(layout, "kode"), problem.code,
        f"'{problem.code}' tidak ada di buku kerja sehingga akan dihapus, tetapi "
        f"{problem.message_id}",
        f"'{problem.code}' is not in the workbook so it would be deleted, but "
        f"{problem.message_en}")


def _moved_out_of_scope(changes: EntityChangeSet, locator: _Locator, editor_opds: set[str],
                        resolver: RepositoryResolver) -> list[SheetProblem]:
    """Existing entities whose stored OPD is outside the editor's scope (the change set
    removes the old owner link when a row moves an entity to another OPD)."""
    stored_opds = resolver.stored_codes(KINDS["opd"])
    allowed = {iri for code, iri in stored_opds.items()
               if code.casefold() in {c.casefold() for c in editor_opds}}
    code_of = {iri: code for code, iri in stored_opds.items()}
    owner_predicates = {KINDS[n].field(KINDS[n].owner_field).predicate: n  # type: ignore[arg-type]
                        for n in KINDS if KINDS[n].top_level and KINDS[n].owner_field}
    by_subject = {c.iri: c for c in changes.entity_changes}
    problems = []
    for s, p, o, _ in changes.remove:
        if p in owner_predicates and isinstance(o, URIRef) and o not in allowed:
            change = by_subject.get(s)  # type: ignore[call-overload]
            if change is None:
                continue
            layout = layout_for(change.kind)
            owner = KINDS[change.kind].owner_field or ""
            problems.append(SheetProblem(
                layout.title, locator.row(change.kind, change.index or 0),
                _header(layout, owner), code_of.get(o, str(o)),
                f"'{change.code}' saat ini milik OPD '{code_of.get(o, o)}', di luar wewenang"
                " Anda; tidak dapat dipindahkan",
                f"'{change.code}' currently belongs to OPD '{code_of.get(o, o)}', outside your"
                " rights; it cannot be moved"))
    return problems


def _validate(repository: Repository, changes: EntityChangeSet, locator: _Locator,
              instansi: str) -> tuple[list[SheetProblem], list[SheetProblem]]:
    """SHACL check of the repository as it would be after the change."""
    from spbe_arch.importers.xlsx.shacl import check_change

    return check_change(repository, changes, locator, instansi)


def import_workbook(repository: Repository, source: Path | bytes, *, instansi: str,
                    name: str | None = None, dry_run: bool = False,
                    editor_opds: Iterable[str] | None = None, agent: str = "impor-excel",
                    progress: Progress | None = None,
                    prune_opds: Iterable[str] | None = None) -> ImportReport:
    """Import a workbook in the template's layout; see the module docstring.

    `editor_opds`: when given, every row must belong to one of these OPD codes (an OPD
    editor); None means no restriction (an admin, or the command line).
    `prune_opds`: OPD codes whose elements (every kind with a sheet, except OPDs themselves)
    that are *not* in the workbook are deleted (the workbook is the whole truth for those OPDs).
    Without it nothing is ever deleted. An editor may only prune their own OPDs; an entity
    still referred to by another is not deleted and is reported.
    Raises `WorkbookProblems` (nothing written) or `InputError` for an unreadable file.
    """
    file_name = name or (source.name if isinstance(source, Path) else "workbook.xlsx")
    try:
        report = _prepare(repository, source, file_name, instansi, editor_opds, progress,
                          prune_opds)
    except WorkbookProblems as exc:
        # the heading names the file; each problem below it names sheet, row and column
        exc.location = Location(file=file_name)
        raise
    report.dry_run = dry_run
    # the workbook's rows are gone by now (only the change set is kept): the commit of a
    # large import is the memory peak, so it should not also hold the rows
    gc.collect()
    changes = report.changes
    if not dry_run and not changes.is_empty():
        if progress:
            progress("menyimpan", 0, None)
        report.activity = apply_audited(repository, changes, agent=agent,
                                        entities=changes.entities,
                                        label=f"Impor Excel {file_name}: "
                                              f"{changes.summary('id')}")
    return report


def _prepare(repository: Repository, source: Path | bytes, file_name: str, instansi: str,
             editor_opds: Iterable[str] | None, progress: Progress | None,
             prune_opds: Iterable[str] | None = None) -> ImportReport:
    """Read, check, plan and validate; raises `WorkbookProblems` on any problem."""
    data = read_workbook(source, name=file_name, progress=progress)
    if any(p.row is None or p.row == 1 for p in data.problems):
        # a missing sheet or column: the rows cannot be understood, stop here
        raise WorkbookProblems(_sort(data.problems))  # type: ignore[arg-type]
    locator = _Locator(data)
    resolver = RepositoryResolver(repository, instansi, lenient_codes=True)
    upserts, problems, warnings = _records(data, locator, resolver)
    problems = data.problems + problems
    scope = set(editor_opds) if editor_opds is not None else None
    if scope is not None:
        problems += _scope_problems(upserts, locator, scope, resolver)
    deletes: dict[str, list[str]] = {}
    if prune_opds is not None:
        deletes, prune_problems = _pruned(repository, instansi, upserts, set(prune_opds),
                                          scope, resolver)
        problems += prune_problems
    if progress:
        progress("rencana perubahan", 0, None)
    try:
        changes = plan_changes(repository, upserts, instansi=instansi, lenient_codes=True,
                               deletes=deletes)
    except InputProblems as exc:
        problems += [_delete_problem(p, deletes) if _is_delete_problem(p, deletes)
                     else locator.problem(p) if isinstance(p, FieldProblem) else _general(p)
                     for p in exc.problems]
    if problems:
        raise WorkbookProblems(_unique(_sort(problems)))  # type: ignore[arg-type]
    missing, gaps = _check_required(data, upserts, changes, locator)
    if missing:
        raise WorkbookProblems(_sort(missing))  # type: ignore[arg-type]
    del upserts
    warnings += gaps + [locator.problem(w) for w in changes.warnings]
    if scope is not None:
        moved = (_opd_rows_out_of_scope(changes, locator, scope, resolver)
                 + _moved_out_of_scope(changes, locator, scope, resolver))
        if moved:
            raise WorkbookProblems(_sort(moved))  # type: ignore[arg-type]
    if progress:
        progress("validasi", 0, None)
    violations, notes = _validate(repository, changes, locator, instansi)
    if violations:
        raise WorkbookProblems(_sort(violations))  # type: ignore[arg-type]
    return ImportReport(file_name, data.row_count, changes, _sort(data.warnings + warnings),
                        notes)


def _unique(problems: list[SheetProblem]) -> list[SheetProblem]:
    """One problem per cell: a bad cell is left out of its record, and must not then also be
    reported as missing."""
    seen: set[tuple[str | None, int | None, str | None]] = set()
    out = []
    for problem in problems:
        key = (problem.sheet, problem.row, problem.column)
        if problem.row is not None and problem.column is not None and key in seen:
            continue
        seen.add(key)
        out.append(problem)
    return out


def _general(problem: SpbeError) -> SheetProblem:
    return SheetProblem(None, None, None, None, problem.message("id"), problem.message("en"))


__all__ = ["SHEET_TITLES", "ImportReport", "WorkbookProblems", "import_workbook"]
