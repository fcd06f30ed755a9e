"""The workbook layout: which sheets and columns, derived from the model catalogue.

Sheet names and the few column headers that SOP AP users know by another name ("No",
"Kegiatan", "Pelaksana") are the only texts fixed here; every other header is the
ontology's Indonesian label of the field's predicate, and every note comes from the
ontology definition plus what the shapes say (required, allowed values).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spbe_arch.model import KINDS, EntityKind, Field
from spbe_arch.model.service import enum_choices

SHEET_TITLES: dict[str, str] = {
    "opd": "OPD",
    "proses-bisnis": "Proses Bisnis",
    "layanan": "Layanan",
    "data": "Data",
    "aplikasi": "Aplikasi",
    "infrastruktur": "Infrastruktur",
    "keamanan": "Keamanan",
    "sop": "SOP",
    "sop-langkah": "Langkah SOP",
}
"""Kind -> sheet name, in workbook order (Langkah SOP after SOP: steps belong to an SOP)."""

INSTRUCTIONS_SHEET = "Petunjuk"
LISTS_SHEET = "Daftar"
PARENT_COLUMN = "kodeSOP"
"""Key of the Langkah SOP column naming the SOP a step belongs to."""

# Headers that PermenPANRB 35/2012 users know by these names (the ontology's labels are
# generic: "nama", "urutan", "dilaksanakan oleh").
_HEADER_OVERRIDES: dict[tuple[str, str], str] = {
    ("sop-langkah", "urutan"): "No",
    ("sop-langkah", "nama"): "Kegiatan",
    ("sop-langkah", "dilaksanakanOleh"): "Pelaksana",
    ("sop-langkah", "langkahBerikutnya"): "Langkah Berikutnya (No)",
    ("sop-langkah", "jikaYa"): "Jika Ya (No)",
    ("sop-langkah", "jikaTidak"): "Jika Tidak (No)",
    ("sop", "memilikiPelaksana"): "Pelaksana",
}

# Which reference concepts a classification may use (domain brief §2.2): RAB and RAL at
# level 3; RAD at level 3 or a level-2 concept without children; RAA/RAI/RAK are provisional
# lists, so any concept without children.
CLASSIFICATION_LEVELS: dict[str, str] = {
    "RAB": "level3", "RAL": "level3", "RAD": "level3-or-leaf", "RAA": "leaf", "RAI": "leaf",
    "RAK": "leaf",
}


def heading(text: str) -> str:
    """'nomor SOP' -> 'Nomor SOP': upper-case the first letter of each lower-case word."""
    return re.sub(r"(^|[\s(/-])([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)


@dataclass(frozen=True)
class Column:
    key: str
    """Field name in the kind (or `kodeSOP` for the parent column of Langkah SOP)."""
    field: Field
    header: str
    required: bool

    @property
    def many(self) -> bool:
        return self.field.many

    @property
    def separator_hint(self) -> str:
        return "baris baru (Alt+Enter)" if self.field.kind == "text" else "titik koma (;)"

    def note(self, kind: EntityKind) -> str:
        """The cell note explaining the column (Indonesian)."""
        parts: list[str] = []
        if self.key == PARENT_COLUMN:
            parts.append("Kode SOP (kolom Kode di sheet SOP) yang memiliki langkah ini.")
        else:
            help_text = self.field.help("id")
            if help_text:
                parts.append(help_text)
        parts.append("WAJIB diisi." if self.required else "Boleh dikosongkan.")
        f = self.field
        if self.many:
            parts.append(f"Boleh lebih dari satu nilai; pisahkan dengan {self.separator_hint}.")
        if f.kind == "enum":
            parts.append("Pilihan: " + ", ".join(label for _, label in enum_choices(f)) + ".")
        elif f.kind == "reference-code":
            parts.append(f"Kode {f.scheme} dari daftar pilihan (\"kode — nama\"); cukup"
                         " kodenya saja, misalnya dari Perpres 132/2022.")
        elif f.kind == "ref" and self.key == "dilaksanakanOleh":
            parts.append("Nama pelaksana (jabatan) persis seperti di kolom Pelaksana sheet SOP;"
                         " bila kolom itu kosong, daftar pelaksana diambil dari kolom ini.")
        elif f.kind == "ref" and f.ref_kind == "sop-langkah":
            parts.append("Nomor (kolom No) langkah tujuan dalam SOP yang sama. Bila kosong,"
                         " langkah berlanjut ke langkah berikutnya, kecuali untuk Keputusan"
                         " (isi Jika Ya / Jika Tidak) dan terminator penutup.")
        elif f.kind == "ref" and f.ref_kind:
            parts.append(f"Kode {SHEET_TITLES[f.ref_kind]} (kolom Kode di sheet"
                         f" {SHEET_TITLES[f.ref_kind]}, atau yang sudah ada di repositori).")
        elif f.kind == "date":
            parts.append("Isi sebagai tanggal Excel (mis. 05/01/2024), bukan teks.")
        elif f.kind == "integer":
            parts.append("Bilangan bulat.")
        choices = f.choices(kind)
        if choices:
            parts.append("Pilihan: " + ", ".join(choices) + ".")
        if self.field.identity and self.key == "kode":
            parts.append("Kode adalah kunci: baris dengan kode yang sudah ada memperbarui"
                         " entitas itu.")
        return "\n".join(parts)


@dataclass(frozen=True)
class SheetLayout:
    kind: EntityKind
    title: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _header(kind: EntityKind, f: Field) -> str:
    override = _HEADER_OVERRIDES.get((kind.name, f.name))
    if override:
        return override
    if f.identity and f.name == "kode":
        return "Kode"
    if f.kind == "reference-code":
        return f"Kode {f.scheme}"
    label = heading(f.label("id"))
    if f.kind == "ref" and f.ref_kind in SHEET_TITLES:
        return f"{label} (kode {SHEET_TITLES[f.ref_kind]})"
    return label


def _columns(kind: EntityKind) -> tuple[Column, ...]:
    columns: list[Column] = []
    if kind.name == "sop-langkah":
        parent = KINDS["sop"].identity_field
        columns.append(Column(PARENT_COLUMN, parent, "Kode SOP", True))
    for f in kind.fields:
        if f.name == "memilikiLangkah":
            continue  # its own sheet
        columns.append(Column(f.name, f, _header(kind, f), f.required_for(kind)))
    return tuple(columns)


def layouts() -> tuple[SheetLayout, ...]:
    """Every data sheet of the workbook, in order (recomputed: the shapes may change)."""
    return tuple(SheetLayout(KINDS[name], title, _columns(KINDS[name]))
                 for name, title in SHEET_TITLES.items())


def layout_for(kind: str) -> SheetLayout:
    return next(s for s in layouts() if s.kind.name == kind)


def normalise_header(text: object) -> str:
    """How a header cell is compared: the required mark, case and spacing do not matter."""
    value = re.sub(r"\s+", " ", str(text or "")).strip()
    return value.rstrip("*").strip().casefold()


_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def printable(text: str) -> str:
    """`text` with its line-break characters as '\\n' and no other control character:
    they are invisible in a cell, and openpyxl refuses to write them (IllegalCharacterError),
    which made an export fail on one such value stored by another path."""
    return _CONTROL.sub("", _LINE_BREAKS.sub("\n", text))
