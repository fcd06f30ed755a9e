"""Reading a filled workbook into records, with every problem located by sheet, row, column.

openpyxl's read-only mode streams the rows, so memory grows with the records kept, not with
the workbook's XML. Files are checked before openpyxl sees them (type, encryption) so a
wrong file gets a sentence, not a traceback. Decisions on doubtful cells (docs/excel.md):

- formulas are rejected (the stored value would silently be the cached result or nothing);
  a text cell marked with Excel's quote prefix (`'=…`) is text, not a formula;
- dates must be Excel dates; a date typed as text is rejected with the value shown;
- merged cells are rejected (their value belongs to one cell only);
- stray spaces around codes are removed, and a code that differs from an existing one only
  by letter case is taken as that one — both with a warning, never silently.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import iterparse

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from spbe_arch.errors import InputError, Location
from spbe_arch.importers.xlsx.layout import (
    PARENT_COLUMN,
    Column,
    SheetLayout,
    layouts,
    normalise_header,
    printable,
)
from spbe_arch.importers.xlsx.writer import REFERENCE_SEPARATOR

Progress = Callable[[str, int, int | None], None]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_INTEGER_TEXT = re.compile(r"^[+-]?\d+$")
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# Excel stores numbers as doubles shown with 15 significant digits: a longer number typed
# into a cell (an 18-digit NIP) has already lost its last digits when the file is saved
_EXCEL_EXACT_DIGITS_LIMIT = 10**15


class SheetProblem(InputError):
    """A problem in one cell (or row, or sheet) of the workbook."""

    def __init__(self, sheet: str | None, row: int | None, column: str | None, value: object,
                 message_id: str, message_en: str, *, warning: bool = False,
                 file: str | None = None) -> None:
        super().__init__(message_id, message_en,
                         Location(file=file, sheet=sheet, row=row, field=column))
        self.sheet = sheet
        self.row = row
        self.column = column
        self.value = value
        self.warning = warning

    def to_json(self, lang: str = "id") -> dict[str, Any]:
        return {"sheet": self.sheet, "baris": self.row, "kolom": self.column,
                "nilai": None if self.value is None else str(self.value),
                "pesan": self.message_en if lang == "en" else self.message_id,
                "peringatan": self.warning}


@dataclass
class SheetRows:
    layout: SheetLayout
    records: list[dict[str, Any]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    """Excel row number of each record."""


@dataclass
class WorkbookData:
    sheets: dict[str, SheetRows] = field(default_factory=dict)
    """Kind name -> rows read."""
    problems: list[SheetProblem] = field(default_factory=list)
    warnings: list[SheetProblem] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return sum(len(s.records) for s in self.sheets.values())


def _check_bytes(head: bytes, data: bytes | None, name: str) -> None:
    """Refuse what is not an .xlsx before openpyxl tries."""
    if head.startswith(_OLE_MAGIC):
        if data is not None and _ENCRYPTION_STREAM in data:
            raise InputError(
                f"'{name}' dilindungi kata sandi (terenkripsi); buka di Excel, hapus kata"
                " sandinya (File > Info > Protect Workbook), simpan, lalu impor lagi",
                f"'{name}' is password-protected (encrypted); open it in Excel, remove the"
                " password (File > Info > Protect Workbook), save and import again")
        raise InputError(
            f"'{name}' berformat Excel lama (.xls) atau dokumen Office lain; simpan ulang"
            " sebagai Buku Kerja Excel (.xlsx)",
            f"'{name}' is an old Excel (.xls) or other Office file; save it again as an"
            " Excel Workbook (.xlsx)")
    if not head:
        raise InputError(f"'{name}' kosong (0 byte)", f"'{name}' is empty (0 bytes)")
    if not head.startswith(b"PK"):
        kind = ("PDF" if head.startswith(b"%PDF") else
                "teks/CSV" if all(32 <= b < 127 or b in (9, 10, 13) for b in head[:256])
                else "tidak dikenal")
        raise InputError(
            f"'{name}' bukan buku kerja Excel .xlsx (isi berkas: {kind}); gunakan templat dari"
            " `spbe-arch excel template`",
            f"'{name}' is not an Excel .xlsx workbook (content: {kind}); use the template from"
            " `spbe-arch excel template`")


@contextmanager
def open_workbook(source: Path | bytes, name: str) -> Iterator[tuple[Any, zipfile.ZipFile]]:
    """The workbook (read-only) and its zip archive, after the file checks."""
    if isinstance(source, Path):
        if source.suffix.lower() not in (".xlsx", ".xlsm"):
            suffix_id = f"akhiran '{source.suffix}'" if source.suffix else "tanpa akhiran"
            suffix_en = f"suffix '{source.suffix}'" if source.suffix else "no suffix"
            raise InputError(
                f"'{name}' bukan berkas .xlsx ({suffix_id}); simpan buku kerja sebagai .xlsx",
                f"'{name}' is not an .xlsx file ({suffix_en}); save the workbook as .xlsx")
        try:
            with source.open("rb") as handle:
                head = handle.read(4096)
        except OSError as exc:
            raise InputError(f"'{name}' tidak dapat dibaca: {exc.strerror}",
                             f"cannot read '{name}': {exc.strerror}") from None
        data = source.read_bytes() if head.startswith(_OLE_MAGIC) else None
        _check_bytes(head, data, name)
        stream: Any = source
    else:
        _check_bytes(source[:4096], source, name)
        stream = io.BytesIO(source)
    try:
        archive = zipfile.ZipFile(stream)
        members = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(f"'{name}' rusak atau tidak lengkap (bukan arsip .xlsx yang utuh: {exc})",
                         f"'{name}' is corrupt or truncated (not a complete .xlsx archive:"
                         f" {exc})") from None
    if "xl/workbook.xml" not in members:
        archive.close()
        raise InputError(f"'{name}' adalah arsip ZIP tetapi bukan buku kerja Excel (.xlsx)",
                         f"'{name}' is a ZIP archive but not an Excel workbook (.xlsx)")
    try:
        workbook = load_workbook(stream, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        archive.close()
        raise InputError(f"'{name}' rusak dan tidak dapat dibaca sebagai .xlsx ({exc})",
                         f"'{name}' is damaged and cannot be read as .xlsx ({exc})") from None
    try:
        yield workbook, archive
    finally:
        workbook.close()
        archive.close()


def _sheet_marks(archive: zipfile.ZipFile, path: str) -> tuple[list[str], set[int]]:
    """The merged ranges and the hidden (or filtered-out) rows of a sheet: read-only
    openpyxl reports neither."""
    ranges: list[str] = []
    hidden: set[int] = set()
    try:
        with archive.open(path.lstrip("/")) as handle:
            for _, element in iterparse(handle):
                if element.tag == f"{_MAIN_NS}mergeCell":
                    ranges.append(element.get("ref", ""))
                elif element.tag == f"{_MAIN_NS}row" and \
                        element.get("hidden") in ("1", "true") and \
                        (element.get("r") or "").isdigit():
                    hidden.add(int(element.get("r", "0")))
                element.clear()
    except KeyError:
        return [], set()
    return ranges, hidden


def _quote_prefixed(cell: Any) -> bool:
    """Whether the cell is marked as text by Excel's quote prefix (typing `'=…`; the export
    writes a stored text starting with '=' that way): its '=' is text, not a formula."""
    style = getattr(cell, "style_array", None)
    return bool(getattr(style, "quotePrefix", 0))


def _plain_text(text: str) -> str:
    """A cell's text as the clerk sees it. Excel writes a carriage return or another control
    character as `_x000D_` (OOXML escape), which openpyxl leaves in the text: 'Satu_x000D_'
    would be stored and printed. Line-break characters become line breaks; other control
    characters (invisible, and refused by the Word and XML writers) are dropped."""
    return printable(_OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text))


def _excel_digits(value: float) -> str:
    """A long number as Excel shows it (15 significant digits)."""
    return str(int(Decimal(f"{value:.15g}")))


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _SheetReader:
    def __init__(self, layout: SheetLayout, data: WorkbookData, name: str) -> None:
        self.layout = layout
        self.data = data
        self.sheet = layout.title
        self.file = name

    def problem(self, row: int | None, column: str | None, value: object, message_id: str,
                message_en: str) -> None:
        self.data.problems.append(SheetProblem(self.sheet, row, column, value, message_id,
                                               message_en))

    def warn(self, row: int | None, column: str | None, value: object, message_id: str,
             message_en: str) -> None:
        self.data.warnings.append(SheetProblem(self.sheet, row, column, value, message_id,
                                               message_en, warning=True))

    def header(self, cells: tuple[Any, ...]) -> dict[int, Column] | None:
        expected = {normalise_header(c.header): c for c in self.layout.columns}
        mapping: dict[int, Column] = {}
        for index, cell in enumerate(cells):
            value = cell.value
            if value is None or str(value).strip() == "":
                continue
            column = expected.get(normalise_header(value))
            letter = get_column_letter(index + 1)
            if column is None:
                self.problem(1, str(value), value,
                             f"judul kolom '{value}' (kolom {letter}) tidak dikenal; jangan"
                             " mengganti nama kolom templat",
                             f"unknown column header '{value}' (column {letter}); do not rename"
                             " the template's columns")
            elif column in mapping.values():
                self.problem(1, column.header, value,
                             f"kolom '{column.header}' muncul lebih dari sekali",
                             f"column '{column.header}' occurs more than once")
            else:
                mapping[index] = column
        missing = [c.header for c in self.layout.columns if c not in mapping.values()]
        for header in missing:
            self.problem(1, header, None,
                         f"kolom '{header}' tidak ada di baris judul (dihapus atau diganti"
                         " namanya?)",
                         f"column '{header}' is missing from the header row (deleted or"
                         " renamed?)")
        return None if missing or len(mapping) != len(expected) else mapping

    def cell(self, row: int, column: Column, cell: Any) -> Any:
        value = cell.value
        if isinstance(value, str):
            value = _plain_text(value)
        if value is None or (isinstance(value, str) and value.strip() == ""):
            return None
        header = column.header
        if getattr(cell, "data_type", None) == "f" or (
                isinstance(value, str) and value.startswith("=") and len(value) > 1
                and not _quote_prefixed(cell)):
            self.problem(row, header, value,
                         f"berisi rumus '{value}'; isi dengan nilainya (Tempel Khusus > Nilai)",
                         f"contains the formula '{value}'; enter its value instead (Paste"
                         " Special > Values)")
            return None
        if getattr(cell, "data_type", None) == "e":
            self.problem(row, header, value, f"berisi galat Excel {value}",
                         f"contains the Excel error {value}")
            return None
        kind = column.field.kind
        if kind == "date":
            if isinstance(value, dt.datetime):
                if value.time() != dt.time(0):
                    self.problem(row, header, value, f"'{value}' berisi jam; isi tanggal saja",
                                 f"'{value}' has a time of day; enter a date only")
                    return None
                return value.date()
            if isinstance(value, dt.date):
                return value
            if isinstance(value, str):
                self.problem(row, header, value,
                             f"tanggal ditulis sebagai teks ('{value}'); isi sebagai tanggal"
                             " Excel (format sel Tanggal)",
                             f"date entered as text ('{value}'); enter it as an Excel date"
                             " (cell format Date)")
            else:
                self.problem(row, header, value,
                             f"'{value}' bukan tanggal; isi sebagai tanggal Excel",
                             f"'{value}' is not a date; enter it as an Excel date")
            return None
        if isinstance(value, dt.datetime | dt.date | dt.time):
            self.problem(row, header, value,
                         f"berisi tanggal/waktu ({value}), padahal kolom ini berisi teks atau"
                         " kode; ubah format sel menjadi Teks",
                         f"contains a date/time ({value}) but the column holds text or codes;"
                         " set the cell format to Text")
            return None
        if kind == "integer":
            if isinstance(value, bool):
                return str(value)
            if isinstance(value, int | float):
                return int(value) if float(value).is_integer() else value
            text = str(value).strip()
            # a number stored as text (Excel's green triangle) is the same number: step
            # links compare numbers, and '2' would not find step 2
            return int(text) if _INTEGER_TEXT.match(text) else text
        if isinstance(value, int | float) and not isinstance(value, bool) and \
                abs(value) >= _EXCEL_EXACT_DIGITS_LIMIT:
            self.problem(row, header, value,
                         f"angka {_excel_digits(value)} lebih dari 15 digit; Excel hanya"
                         " menyimpan 15 digit pertama sehingga digit terakhir sudah hilang"
                         " (misalnya NIP);"
                         " ketik ulang sebagai teks (format sel Teks, atau awali dengan ')",
                         f"the number {_excel_digits(value)} has more than 15 digits; Excel"
                         " keeps only the first 15, so the last digits are already lost (e.g."
                         " a NIP);"
                         " type it again as text (cell format Text, or start with ')")
            return None
        text = _text(value)
        if column.many:
            parts = (text.split("\n") if kind == "text"
                     else re.split(r"[;\n]", text))
            items = [p.strip() for p in parts if p.strip()]
            return [self._code(row, column, p) for p in items] if kind != "text" else items
        if kind in ("string", "text"):
            return text.strip()
        return self._code(row, column, text)

    def _code(self, row: int, column: Column, text: str) -> str:
        original = text
        kind = column.field.kind
        # drop-down entries read "code — name"; only the code counts
        if REFERENCE_SEPARATOR in text:
            text = text.split(REFERENCE_SEPARATOR, 1)[0]
        elif kind == "reference-code":
            text = re.split(r" [-–] ", text, maxsplit=1)[0]
        cleaned = text.replace("\u00a0", " ").strip()
        if cleaned != text and cleaned:
            self.warn(row, column.header, original,
                      f"spasi di awal/akhir '{original}' dihapus",
                      f"leading/trailing spaces removed from '{original}'")
        return cleaned

    def read(self, ws: Any, archive: zipfile.ZipFile, progress: Progress | None) -> SheetRows:
        out = SheetRows(self.layout)
        path = getattr(ws, "_worksheet_path", None)
        hidden_rows: set[int] = set()
        if getattr(ws, "sheet_state", "visible") != "visible":
            self.warn(None, None, None,
                      f"sheet '{self.sheet}' disembunyikan, tetapi isinya tetap diimpor",
                      f"sheet '{self.sheet}' is hidden, but its content is imported")
        if path:
            merged, hidden_rows = _sheet_marks(archive, path)
            for ref in merged:
                min_col, min_row, _, _ = range_boundaries(ref)
                self.problem(min_row, _column_name(self.layout, None, min_col), ref,
                             f"berisi sel gabungan (merge) {ref}; pisahkan sel itu dan isi"
                             " setiap sel", f"contains merged cells {ref}; unmerge them and fill"
                             " every cell")
        rows = ws.iter_rows()
        first = next(rows, None)
        if first is None:
            self.problem(1, None, None, "sheet kosong: baris judul tidak ada",
                         "empty sheet: the header row is missing")
            return out
        mapping = self.header(first)
        total = ws.max_row if isinstance(ws.max_row, int) else None
        if mapping is None:
            return out
        reported_unnamed: set[int] = set()
        imported_hidden: list[int] = []
        for number, cells in enumerate(rows, start=2):
            record: dict[str, Any] = {}
            for index, cell in enumerate(cells):
                column = mapping.get(index)
                if column is None:
                    if cell.value not in (None, "") and index not in reported_unnamed:
                        reported_unnamed.add(index)
                        self.problem(number, get_column_letter(index + 1), cell.value,
                                     "ada isi di kolom tanpa judul",
                                     "there is a value in a column without a header")
                    continue
                value = self.cell(number, column, cell)
                if value is not None and value != []:
                    record[column.key] = value
            if record:
                out.records.append(record)
                out.rows.append(number)
                if number in hidden_rows:
                    imported_hidden.append(number)
            if progress and number % 500 == 0:
                progress(self.sheet, number, total)
        if imported_hidden:
            # hiding a row (or filtering it out) does not take it out of the import
            shown = ", ".join(str(n) for n in imported_hidden[:10]) + (
                " …" if len(imported_hidden) > 10 else "")
            self.warn(imported_hidden[0], None, None,
                      f"{len(imported_hidden)} baris tersembunyi (atau tersaring) tetap diimpor:"
                      f" baris {shown}; hapus barisnya bila tidak ingin diimpor",
                      f"{len(imported_hidden)} hidden (or filtered-out) rows are imported all"
                      f" the same: rows {shown}; delete a row to leave it out")
        if progress:
            progress(self.sheet, total or len(out.rows), total)
        return out


def _column_name(layout: SheetLayout, mapping: dict[int, Column] | None, col: int) -> str:
    if mapping and (col - 1) in mapping:
        return mapping[col - 1].header
    return str(get_column_letter(col))


def read_workbook(source: Path | bytes, *, name: str,
                  progress: Progress | None = None) -> WorkbookData:
    """Every data sheet's records; problems are collected in `WorkbookData.problems`.

    Raises `InputError` straight away for a file that is not a readable .xlsx at all.
    """
    data = WorkbookData()
    with open_workbook(source, name) as (workbook, archive):
        titles = {normalise_header(t): t for t in workbook.sheetnames}
        for layout in layouts():
            actual = titles.get(normalise_header(layout.title))
            if actual is None:
                data.problems.append(SheetProblem(
                    layout.title, None, None, None,
                    f"sheet '{layout.title}' tidak ada di berkas (sheet yang ada:"
                    f" {', '.join(workbook.sheetnames)})",
                    f"sheet '{layout.title}' is missing from the file (sheets present:"
                    f" {', '.join(workbook.sheetnames)})"))
                continue
            reader = _SheetReader(layout, data, name)
            data.sheets[layout.kind.name] = reader.read(workbook[actual], archive, progress)
    return data


__all__ = ["PARENT_COLUMN", "SheetProblem", "SheetRows", "WorkbookData", "read_workbook"]
