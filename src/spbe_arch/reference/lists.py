"""Reference code lists: their checks and the files they come in.

A list is a sequence of entries `code, name, level, parent`: the project's JSON lists under
`data/reference/source/` (read by the generator) and the official lists an architect loads
with `spbe-arch reference import` (CSV, Excel or the same JSON). Both go through one
`check_entries`, so a list the generator refuses is refused by the import too, and the other
way round.

Each entry carries where it came from (`RawEntry.place`): the generator names an entry by
its code as it always has; the import names file, row and column (header as written).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spbe_arch.errors import InputError, InputProblems, Location, SpbeError
from spbe_arch.reference.turtle import natural_key


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    level: int
    parent: str | None
    note_id: str | None = None
    note_en: str | None = None


Place = Callable[[str, str | None], Location]
"""Where a problem with one field of an entry is: gets the field (`code`, `name`, `level`,
`parent`) and the entry's code once it is a non-empty text."""


@dataclass(frozen=True)
class RawEntry:
    """One entry as the file holds it, before its checks."""

    code: object
    name: object
    level: object
    """An int, or what the file holds instead; None where the list gives no level."""
    parent: object
    place: Place
    note_id: object = None
    note_en: object = None


def check_entries(raw: Iterable[RawEntry], prefix: str, problems: list[SpbeError], *,
                  derive_levels: bool = False) -> tuple[Entry, ...]:
    """The entries that pass the checks, sorted by code; a problem of each one that does not
    is appended to `problems` (the caller writes nothing while there is one).

    Checks: a code starting with `<prefix>.`, unique; a name; a level >= 1 (with
    `derive_levels`, a missing level is its parent's plus one); no parent at level 1 and a
    parent at any other; the parent in the list, one level up; no loop of parents.
    """
    entries: dict[str, Entry] = {}
    places: dict[str, Place] = {}
    derived: set[str] = set()
    for item in raw:
        code, name, level, parent = item.code, item.name, item.level, item.parent
        shown = code if isinstance(code, str) and code else None

        def loc(field: str, item: RawEntry = item, shown: str | None = shown) -> Location:
            return item.place(field, shown)

        if code is None or code == "":
            problems.append(InputError("kode wajib diisi", "code is required", loc("code")))
            continue
        if not isinstance(code, str) or not code.startswith(prefix + "."):
            problems.append(InputError(f"kode {code!r} harus berupa teks berawalan '{prefix}.'",
                                       f"code {code!r} must be a string starting with"
                                       f" '{prefix}.'", loc("code")))
            continue
        if not isinstance(name, str) or not name.strip():
            problems.append(InputError("nama wajib diisi", "name is required", loc("name")))
            continue
        if parent is not None and not isinstance(parent, str):
            problems.append(InputError("entri level 1 tidak boleh punya induk; entri level lain"
                                       " wajib punya induk (teks)",
                                       "a level-1 entry must have no parent; any other entry"
                                       " needs a parent (string)", loc("parent")))
            continue
        if level is None and derive_levels:
            derived.add(code)
            level = 1 if parent is None else 0  # 0: set from the parent below
        elif isinstance(level, bool) or not isinstance(level, int) or level < 1:
            problems.append(InputError(f"level {level!r} harus bilangan bulat >= 1",
                                       f"level {level!r} must be an integer >= 1", loc("level")))
            continue
        elif (level == 1) != (parent is None):
            problems.append(InputError("entri level 1 tidak boleh punya induk; entri level lain"
                                       " wajib punya induk (teks)",
                                       "a level-1 entry must have no parent; any other entry"
                                       " needs a parent (string)", loc("level")))
            continue
        if code in entries:
            problems.append(InputError("kode ganda", "duplicate code", loc("code")))
            continue
        note_id, note_en = item.note_id, item.note_en
        entries[code] = Entry(code, name, level, parent,
                              note_id if isinstance(note_id, str) else None,
                              note_en if isinstance(note_en, str) else None)
        places[code] = item.place
    _derive_levels(entries, places, derived, problems)
    for entry in entries.values():
        if entry.parent is None or entry.code in derived:
            continue
        place = places[entry.code]
        parent_entry = entries.get(entry.parent)
        if parent_entry is None:
            problems.append(InputError(f"induk {entry.parent} tidak ada dalam berkas",
                                       f"parent {entry.parent} is not in the file",
                                       place("parent", entry.code)))
        elif parent_entry.level != entry.level - 1:
            problems.append(InputError(
                f"induk {entry.parent} berlevel {parent_entry.level}, seharusnya {entry.level - 1}",
                f"parent {entry.parent} has level {parent_entry.level}, expected"
                f" {entry.level - 1}", place("level", entry.code)))
    return tuple(sorted(entries.values(), key=lambda e: natural_key(e.code)))


def _derive_levels(entries: dict[str, Entry], places: dict[str, Place], derived: set[str],
                   problems: list[SpbeError]) -> None:
    """Set the level of each entry in `derived` from its chain of parents (in place); a
    missing parent or a loop of parents is a problem, reported once."""
    failed: set[str] = set()
    for code in sorted(derived, key=natural_key):
        chain: list[str] = []
        current: str | None = code
        while (current is not None and current in derived and current not in failed
               and entries[current].level == 0 and current not in chain):
            chain.append(current)
            current = entries[current].parent
        if current in chain:
            assert current is not None
            loop = " → ".join([*chain[chain.index(current):], current])
            problems.append(InputError(f"induk melingkar: {loop}", f"parents form a loop: {loop}",
                                       places[current]("parent", current)))
        elif current is not None and current not in entries:
            problems.append(InputError(f"induk {current} tidak ada dalam berkas",
                                       f"parent {current} is not in the file",
                                       places[chain[-1]]("parent", chain[-1])))
        elif current is None or current not in failed:
            base = entries[current].level if current is not None else 0
            for offset, member in enumerate(reversed(chain), start=1):
                entry = entries[member]
                entries[member] = Entry(entry.code, entry.name, base + offset, entry.parent,
                                        entry.note_id, entry.note_en)
            continue
        # level 0 stays on these entries: never written, since a problem stands
        failed.update(chain)


def load_json(path: Path, shown: str) -> Any:
    """The JSON document in `path`; `InputError` naming `shown` (and the line) otherwise."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("berkas tidak ditemukan", "file not found",
                         Location(file=shown)) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(f"JSON tidak sah: {exc}", f"invalid JSON: {exc}",
                         Location(file=shown, line=line)) from None


def json_entries(data: list[Any], place: Callable[[int, str, str | None], Location],
                 problems: list[SpbeError]) -> Iterator[RawEntry]:
    """The entries of a JSON list (`{"code", "name", "level"[, "parent"][, "note_id",
    "note_en"]}`); an item that is no object is a problem. `place` gets the entry's number
    (from 1), the field and its code."""
    for index, raw in enumerate(data, start=1):
        if not isinstance(raw, dict):
            problems.append(InputError("entri harus berupa objek JSON",
                                       "entry must be a JSON object", place(index, "", None)))
            continue

        def where(field: str, code: str | None, index: int = index) -> Location:
            return place(index, field, code)

        yield RawEntry(raw.get("code"), raw.get("name"), raw.get("level"), raw.get("parent"),
                       where, raw.get("note_id"), raw.get("note_en"))


# --- the files an official list comes in ---------------------------------------------------

COLUMNS = {
    "kode": "code", "code": "code",
    "nama": "name", "name": "name",
    "induk": "parent", "kode induk": "parent", "parent": "parent", "parent code": "parent",
    "level": "level", "tingkat": "level",
    "keterangan": "note", "catatan": "note", "description": "note", "note": "note",
}
"""Column header (lower case, single spaces) → field; Indonesian first, English accepted."""
REQUIRED_COLUMNS = ("code", "name", "parent")
HEADER_OF = {"code": "kode", "name": "nama", "parent": "induk", "level": "level",
             "note": "keterangan"}
LIST_SUFFIXES = (".csv", ".xlsx", ".json")


def read_list(path: Path, prefix: str, *, shown: str | None = None) -> tuple[Entry, ...]:
    """The checked entries of a code list file (`.csv`, `.xlsx` or the project's `.json`);
    `InputProblems` naming file, row and column of every problem, `InputError` for a file
    that cannot be read at all."""
    name = shown or path.name
    suffix = path.suffix.lower()
    if suffix not in LIST_SUFFIXES:
        raise InputError(f"jenis berkas '{path.suffix or '(tanpa akhiran)'}' tidak dikenal;"
                         " gunakan .csv, .xlsx atau .json",
                         f"unknown file type '{path.suffix or '(no suffix)'}'; use .csv,"
                         " .xlsx or .json", Location(file=name))
    if not path.is_file():
        raise InputError("berkas tidak ditemukan", "file not found", Location(file=name))
    problems: list[SpbeError] = []
    if suffix == ".json":
        data = load_json(path, name)
        if not isinstance(data, list):
            raise InputError("isi berkas harus berupa array JSON",
                             "the file must hold a JSON array", Location(file=name))

        def json_place(index: int, field: str, code: str | None) -> Location:
            element = f"entri #{index}" + (f" ({code})" if code else "")
            return Location(file=name, field=field or None, element=element)

        entries = check_entries(json_entries(data, json_place, problems), prefix, problems)
    else:
        sheet, rows = _csv_rows(path, name) if suffix == ".csv" else _xlsx_rows(path, name)
        entries = check_entries(_table_entries(rows, name, sheet, problems), prefix, problems,
                                derive_levels=True)
        # in the order of the rows, as whoever fixes the file reads it
        problems.sort(key=lambda p: p.location.row or 0 if p.location else 0)
    if problems:
        raise InputProblems(problems)
    if not entries:
        raise InputError("daftar kosong: tidak ada satu entri pun", "the list holds no entry",
                         Location(file=name))
    return entries


def _table_entries(rows: Iterator[tuple[int, list[Any]]], name: str, sheet: str | None,
                   problems: list[SpbeError]) -> Iterator[RawEntry]:
    """The entries of a table whose first non-empty row holds the headers."""
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    for number, cells in rows:
        texts = [_cell_text(c) for c in cells]
        if not any(texts):
            continue
        if not columns:
            if not _read_headers(texts, number, name, sheet, columns, headers, problems):
                return
            continue
        values = {f: (texts[i] if i < len(texts) else "") for f, i in columns.items()}
        level: object = values.get("level") or None
        if isinstance(level, str):
            level = int(level) if level.isdigit() else level

        def place(field: str, code: str | None, number: int = number) -> Location:
            return Location(file=name, sheet=sheet, row=number,
                            field=headers.get(field, HEADER_OF.get(field, field)))

        yield RawEntry(values["code"] or None, values["name"], level,
                       values["parent"] or None, place, values.get("note") or None)
    if not columns:
        problems.append(InputError("tidak ada baris judul (kode, nama, induk)",
                                   "no header row (kode, nama, induk)",
                                   Location(file=name, sheet=sheet)))


def _read_headers(texts: list[str], number: int, name: str, sheet: str | None,
                  columns: dict[str, int], headers: dict[str, str],
                  problems: list[SpbeError]) -> bool:
    ok = True
    for index, text in enumerate(texts):
        if not text:
            continue
        field = COLUMNS.get(" ".join(text.lower().split()))
        where = Location(file=name, sheet=sheet, row=number, field=text)
        if field is None:
            problems.append(InputError(
                f"judul kolom '{text}' tidak dikenal; kolom yang diterima: kode, nama, induk,"
                " level, keterangan (atau code, name, parent, level, description)",
                f"unknown column header '{text}'; accepted columns: kode, nama, induk, level,"
                " keterangan (or code, name, parent, level, description)", where))
            ok = False
        elif field in columns:
            problems.append(InputError(f"kolom '{text}' muncul lebih dari sekali",
                                       f"column '{text}' occurs more than once", where))
            ok = False
        else:
            columns[field] = index
            headers[field] = text
    for field in REQUIRED_COLUMNS:
        if field not in columns:
            problems.append(InputError(
                f"kolom '{HEADER_OF[field]}' tidak ada di baris judul",
                f"column '{HEADER_OF[field]}' is missing from the header row",
                Location(file=name, sheet=sheet, row=number, field=HEADER_OF[field])))
            ok = False
    return ok


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(path: Path, name: str) -> tuple[None, Iterator[tuple[int, list[Any]]]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError("berkas bukan teks UTF-8; simpan ulang sebagai 'CSV UTF-8'",
                         "the file is not UTF-8 text; save it again as 'CSV UTF-8'",
                         Location(file=name, line=line)) from None
    first = text.split("\n", 1)[0]
    # Excel writes ';' where the decimal separator is ',' (Indonesian settings)
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise InputError(f"CSV tidak sah: {exc}", f"invalid CSV: {exc}",
                         Location(file=name)) from None
    return None, iter(list(enumerate(rows, start=1)))


def _xlsx_rows(path: Path, name: str) -> tuple[str, Iterator[tuple[int, list[Any]]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a file that is no workbook
        raise InputError(f"berkas tidak dapat dibaca sebagai buku kerja Excel .xlsx ({exc})",
                         f"the file cannot be read as an Excel .xlsx workbook ({exc})",
                         Location(file=name)) from None
    try:
        sheet = workbook.worksheets[0]
        rows: list[tuple[int, list[Any]]] = []
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            values = []
            for cell in cells:
                if getattr(cell, "data_type", None) == "f":
                    # the stored value would be the cached result, or nothing
                    raise InputProblems([InputError(
                        "rumus tidak diterima; salin lalu tempel sebagai nilai",
                        "formulas are not accepted; copy and paste as values",
                        Location(file=name, sheet=sheet.title, row=number,
                                 column=getattr(cell, "column", None)))])
                values.append(cell.value)
            rows.append((number, values))
        return sheet.title, iter(rows)
    finally:
        workbook.close()
