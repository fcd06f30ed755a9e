"""Writing the workbook: an empty template, a template prefilled for one OPD, or an export.

All three have the same layout (`layout.py`), so export -> edit -> import is a loop. The
workbook is written with openpyxl's write-only mode (rows stream out; memory stays bounded
by the records read from the repository).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from rdflib.term import URIRef

from spbe_arch.errors import InputError
from spbe_arch.importers.xlsx.layout import (
    CLASSIFICATION_LEVELS,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    PARENT_COLUMN,
    SHEET_TITLES,
    Column,
    SheetLayout,
    layouts,
    printable,
)
from spbe_arch.model import KINDS, Field, get_entity, iter_entities, local_name, metadata
from spbe_arch.model.service import ReferenceConcept, enum_choices, reference_concepts
from spbe_arch.model.values import enum_display
from spbe_arch.repository import Repository

REFERENCE_SEPARATOR = " — "
MIN_VALIDATED_ROWS = 1000
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
OPTIONAL_FILL = PatternFill("solid", fgColor="EDEDED")
HEADER_FONT = Font(bold=True)

Progress = Callable[[str, int, int | None], None]


@dataclass
class WorkbookSummary:
    rows: dict[str, int] = field(default_factory=dict)
    """Sheet title -> data rows written."""


def classification_targets(concepts: dict[str, ReferenceConcept],
                           scheme: str) -> list[ReferenceConcept]:
    """The concepts an element may be classified by, for the drop-down list."""
    rule = CLASSIFICATION_LEVELS.get(scheme, "leaf")
    parents = {c.broader for c in concepts.values() if c.broader}

    def allowed(concept: ReferenceConcept) -> bool:
        leaf = concept.iri not in parents
        if rule == "level3":
            return concept.level == 3
        if rule == "level3-or-leaf":
            return concept.level == 3 or (leaf and (concept.level or 0) < 3)
        return leaf

    return sorted((c for c in concepts.values() if allowed(c)), key=lambda c: c.code)


def reference_display(concept: ReferenceConcept) -> str:
    return f"{concept.code}{REFERENCE_SEPARATOR}{concept.name}" if concept.name else concept.code


def _records(repository: Repository, instansi: str, opd: str | None,
             progress: Progress | None) -> dict[str, list[dict[str, Any]]]:
    """The entities to prefill, per kind (only those of `opd` when given)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name in SHEET_TITLES:
        kind = KINDS[name]
        if not kind.top_level:
            continue
        items = list(iter_entities(repository, name, instansi=instansi, opd=opd))
        out[name] = items
        if progress:
            progress(SHEET_TITLES[name], len(items), len(items))
    return out


def _opd_codes(repository: Repository, instansi: str) -> list[str]:
    return sorted(r["kode"] for r in iter_entities(repository, "opd", instansi=instansi))


class _Lists:
    """The hidden sheet of drop-down values; each list is one column."""

    def __init__(self) -> None:
        self.columns: list[tuple[str, list[str]]] = []
        self._index: dict[str, str] = {}

    def add(self, key: str, title: str, values: Sequence[str]) -> str | None:
        """Register a list; returns the range formula (None for an empty list)."""
        if key in self._index:
            return self._index[key]
        if not values:
            return None
        self.columns.append((title, list(values)))
        letter = get_column_letter(len(self.columns))
        formula = f"={quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
        self._index[key] = formula
        return formula


def _cell_value(column: Column, value: Any, concepts: dict[str, dict[str, ReferenceConcept]],
                ) -> Any:
    f = column.field
    values = value if isinstance(value, list) else ([] if value is None else [value])
    shown: list[Any] = []
    for item in values:
        if f.kind == "enum":
            shown.append(_enum_label(f, str(item)))
        elif f.kind == "reference-code":
            assert f.scheme is not None
            concept = concepts.get(f.scheme, {}).get(str(item))
            shown.append(reference_display(concept) if concept else str(item))
        elif f.kind == "date":
            try:
                shown.append(dt.date.fromisoformat(str(item)))
            except ValueError:
                shown.append(str(item))
        else:
            shown.append(item)
    if not shown:
        return None
    if column.many:
        separator = "\n" if f.kind == "text" else "; "
        return printable(separator.join(str(v) for v in shown))
    return printable(shown[0]) if isinstance(shown[0], str) else shown[0]


def _enum_label(f: Field, local: str) -> str:
    return _enum_labels(f.enum_class).get(local, local)  # type: ignore[arg-type]


@lru_cache(maxsize=64)
def _enum_labels(enum_class: URIRef) -> dict[str, str]:
    # cached per export: enum_choices reads the ontology metadata, too slow per cell
    return {local_name(v): enum_display(v) for v in metadata().enum_values(enum_class)}


def _rows(sheet: SheetLayout, records: list[dict[str, Any]],
          ) -> Iterable[dict[str, Any]]:
    if sheet.kind.name != "sop-langkah":
        yield from records
        return
    for sop in records:
        for step in sop.get("memilikiLangkah") or []:
            yield {PARENT_COLUMN: sop["kode"], **step}


def build_workbook(repository: Repository, out: Path | IO[bytes], *, instansi: str,
                   opd: str | None = None, with_data: bool = True,
                   progress: Progress | None = None) -> WorkbookSummary:
    """Write the workbook: headers with notes, drop-downs, instructions, and (with_data) the
    entities of the instansi (of one OPD with `opd`)."""
    if opd is not None and get_entity(repository, "opd", opd, instansi=instansi) is None:
        raise InputError(f"OPD dengan kode '{opd}' tidak ada di instansi {instansi}",
                         f"there is no OPD with code '{opd}' in instansi {instansi}")
    _enum_labels.cache_clear()  # the ontology may have changed since the last workbook
    concepts = reference_concepts(repository, instansi)
    records = _records(repository, instansi, opd, progress) if with_data else {}
    records["sop-langkah"] = records.get("sop", [])
    lists = _Lists()
    opd_list = lists.add("opd", "Kode OPD", _opd_codes(repository, instansi))

    wb = Workbook(write_only=True)
    _instructions(wb.create_sheet(INSTRUCTIONS_SHEET), instansi, opd)
    summary = WorkbookSummary()
    for sheet in layouts():
        ws = wb.create_sheet(sheet.title)
        ws.freeze_panes = "B2"
        rows = list(_rows(sheet, records.get(sheet.kind.name, [])))
        last_row = max(MIN_VALIDATED_ROWS, len(rows) + MIN_VALIDATED_ROWS)
        header: list[WriteOnlyCell] = []
        for index, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(index)
            ws.column_dimensions[letter].width = max(14, min(48, len(column.header) + 4))
            if column.field.name.endswith("NIP"):
                # Text format: an 18-digit NIP typed as a number keeps only 15 digits
                ws.column_dimensions[letter].number_format = "@"
            cell = WriteOnlyCell(ws, value=column.header + (" *" if column.required else ""))
            cell.font = HEADER_FONT
            cell.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            note = Comment(column.note(sheet.kind), "spbe-arch")
            note.width, note.height = 360, 220
            cell.comment = note
            header.append(cell)
            validation = _validation(sheet, column, lists, opd_list, concepts)
            if validation is not None:
                validation.add(f"{letter}2:{letter}{last_row}")
                ws.data_validations.append(validation)
        ws.append(header)
        for row in rows:
            values: list[Any] = []
            for column in sheet.columns:
                value = _cell_value(column, row.get(column.key), concepts)
                if isinstance(value, dt.date):
                    date_cell = WriteOnlyCell(ws, value=value)
                    date_cell.number_format = "yyyy-mm-dd"
                    values.append(date_cell)
                else:
                    values.append(_safe_value(ws, value))
            ws.append(values)
        summary.rows[sheet.title] = len(rows)
    _write_lists(wb, lists)
    wb.save(out)
    return summary


def _validation(sheet: SheetLayout, column: Column, lists: _Lists, opd_list: str | None,
                concepts: dict[str, dict[str, ReferenceConcept]]) -> DataValidation | None:
    f = column.field
    formula: str | None = None
    strict = not column.many
    if column.key == PARENT_COLUMN:
        formula, strict = _sheet_range("sop"), False
    elif f.kind == "enum":
        assert f.enum_class is not None
        formula = lists.add(str(f.enum_class), column.header,
                            [label for _, label in enum_choices(f)])
    elif f.kind == "reference-code":
        assert f.scheme is not None
        formula = lists.add(f"ref:{f.scheme}", f"Kode {f.scheme}",
                            [reference_display(c) for c in
                             classification_targets(concepts.get(f.scheme, {}), f.scheme)])
    elif f.kind == "ref" and f.ref_kind == "opd":
        formula = opd_list
    elif f.kind == "ref" and f.ref_kind in SHEET_TITLES and KINDS[f.ref_kind].top_level:
        # existing codes are in that sheet's Kode column; others may exist in the repository
        formula, strict = _sheet_range(f.ref_kind), False
    elif f.kind in ("string", "text") and f.choices(sheet.kind):
        formula = lists.add(f"choices:{sheet.kind.name}:{f.name}", column.header,
                            f.choices(sheet.kind))
    elif f.kind == "date":
        return DataValidation(type="date", operator="greaterThan", formula1="1",
                              allow_blank=True, showErrorMessage=True, errorStyle="stop",
                              errorTitle="Tanggal", error="Isi dengan tanggal (bukan teks).")
    elif f.kind == "integer" and f.ref_kind is None:
        return DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                              allow_blank=True, showErrorMessage=True, errorStyle="stop",
                              errorTitle="Bilangan", error="Isi dengan bilangan bulat.")
    if formula is None:
        return None
    return DataValidation(type="list", formula1=formula, allow_blank=True,
                          showErrorMessage=strict, errorStyle="warning",
                          errorTitle="Nilai di luar daftar",
                          error="Nilai ini tidak ada di daftar pilihan; periksa kembali.")


def _sheet_range(kind: str) -> str:
    return f"={quote_sheetname(SHEET_TITLES[kind])}!$A$2:$A$50000"


def _printable(value: Any) -> Any:
    return printable(value) if isinstance(value, str) else value


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
"""First characters that make a spreadsheet read a typed text as a formula (OWASP's CSV
injection list; a line break stands in for CR, which `printable` turns into one)."""


def _safe_value(ws: Any, value: Any) -> Any:
    """`value` for a cell, a text from the repository never becoming a formula.

    openpyxl writes any string starting with '=' as a formula, which Excel evaluates on
    opening: an editor's `=HYPERLINK("http://…","klik")` as a process name would be a live
    link (or a DDE command) in the workbook of whoever exports it. Such texts are written as
    text cells with Excel's quote prefix (what typing `'=…` does), not with an apostrophe in
    the value: the cell shows and holds exactly the stored text, editing it keeps it text,
    and the importer reads it back unchanged. Numbers and dates are not text: untouched."""
    value = _printable(value)
    if not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS):
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _write_lists(wb: Workbook, lists: _Lists) -> None:
    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    ws.append([title for title, _ in lists.columns])
    longest = max((len(values) for _, values in lists.columns), default=0)
    for i in range(longest):
        # the choices come from the repository (names, reference labels), where a control
        # character stored by another path would make openpyxl refuse the whole workbook
        ws.append([_safe_value(ws, values[i]) if i < len(values) else None
                   for _, values in lists.columns])


def _instructions(ws: Any, instansi: str, opd: str | None) -> None:
    ws.column_dimensions["A"].width = 110
    title = WriteOnlyCell(ws, value="Petunjuk pengisian templat arsitektur SPBE")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    scope = f"OPD {printable(opd)}" if opd else "semua OPD"
    lines = [
        f"Instansi (kode wilayah): {instansi}; cakupan: {scope}. Dibuat oleh spbe-arch.",
        "",
        "1. Setiap sheet memuat satu jenis elemen arsitektur: "
        + ", ".join(SHEET_TITLES.values()) + ".",
        "2. Baris 1 adalah judul kolom. Jangan mengubah nama sheet atau judul kolom, jangan"
        " menghapus kolom, dan jangan menggabungkan sel (merge).",
        "3. Kolom bertanda * dan berwarna jingga wajib diisi. Arahkan tetikus ke judul kolom"
        " untuk membaca penjelasannya.",
        "4. Kolom Kode adalah kunci: baris dengan kode yang sudah ada memperbarui elemen itu;"
        " kode baru menambah elemen. Setiap kode hanya boleh muncul sekali per sheet.",
        "5. Kode referensi (RAB, RAL, RAD, …) dipilih dari daftar \"kode — nama\"; cukup"
        " kodenya saja. Kode OPD dipilih dari daftar OPD.",
        "6. Kolom yang boleh berisi beberapa nilai: pisahkan kode dengan titik koma (;) dan"
        " teks panjang dengan baris baru (Alt+Enter).",
        "7. Tanggal diisi sebagai tanggal Excel, bukan teks. Isi nilai, bukan rumus (=…):"
        " bila menyalin dari rumus, gunakan Tempel Khusus > Nilai.",
        "8. Langkah SOP: satu baris per langkah; kolom Kode SOP menunjuk SOP di sheet SOP,"
        " kolom No memberi urutan (1, 2, 3, …). Keputusan diisi Jika Ya / Jika Tidak dengan"
        " nomor langkah tujuan. SOP yang ada di sheet SOP diganti seluruh langkahnya oleh"
        " baris di sheet Langkah SOP.",
        "9. Spasi di awal/akhir kode dihapus dan kode yang hanya berbeda huruf besar/kecil"
        " dari kode yang sudah ada disesuaikan, dengan peringatan.",
        "10. Impor: spbe-arch excel import BERKAS.xlsx --dry-run (periksa dahulu), lalu tanpa"
        " --dry-run untuk menyimpan. Bila ada satu saja kesalahan, tidak ada yang disimpan;"
        " setiap kesalahan disebutkan dengan sheet, baris dan kolomnya.",
        "11. Baris yang tidak ada di berkas tidak dihapus dari repositori, kecuali impor"
        " dijalankan dengan --prune-opd KODE (elemen OPD itu yang tidak ada di berkas"
        " dihapus; ditampilkan dulu dengan --dry-run).",
    ]
    for line in lines:
        cell = WriteOnlyCell(ws, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.append([cell])
