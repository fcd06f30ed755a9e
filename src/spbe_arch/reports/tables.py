"""Tables and matrices prepared for the templates.

Reports hand templates ready-made `Table`s (header texts, rows of cells, an id and a
caption), so every format renders the same rows and a template stays a short loop.
A `Matrix` (rows × columns of a relation) becomes a grid while it is small enough to read,
a list of pairs while the list is short enough, and otherwise defers to a column of the full
lists in the appendices (so a 5,000-process instansi does not get a 5,000 × 900 grid).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Cell:
    """A cell with a main text and an optional smaller note under it."""

    text: str
    note: str = ""

    def __str__(self) -> str:
        return f"{self.text} — {self.note}" if self.note else self.text


CellValue = str | int | Cell


#: the text width of an A4 page in the PDF and Word layouts (≈ 17 cm), in points
TEXT_WIDTH_PT = 482.0
#: header cells: 8 pt bold, plus the cell's padding/margins on both sides (Word: 2 × 5.7 pt)
HEADER_FONT_PT = 8.0
HEADER_PADDING_PT = 12.0


#: a body word up to this long (a code such as RAL.01.43.03 or DISPENDUKCAPIL) is kept whole
#: when the columns allow it; longer words break anyway
KEEP_WHOLE_CHARS = 16


@cache
def _word_width(word: str, bold: bool) -> float:
    """Points a word takes at 8 pt in DejaVu Sans, the font PDF and LibreOffice use (Word's
    Calibri is narrower, so a word that fits here fits there)."""
    from spbe_arch.reports.diagrams import _bold_font, _font

    font = _bold_font(HEADER_FONT_PT * 10) if bold else _font(HEADER_FONT_PT * 10)
    return float(font.getlength(word)) / 10


def _words(text: str) -> list[str]:
    # text may break at spaces and after hyphens ("ber-SOP"), nowhere else
    return [w for w in re.split(r"\s+|(?<=-)", text) if w]


def _cell_text(value: CellValue) -> str:
    return value.text if isinstance(value, Cell) else str(value)


def _fit(shares: list[float], needs: list[float]) -> list[float] | None:
    """Shares raised to their needs, the difference taken from the columns with room to
    spare in proportion to that room; None when the needs cannot all be met."""
    deficit = sum(max(0.0, n - s) for s, n in zip(shares, needs, strict=True))
    room = [max(0.0, s - n) for s, n in zip(shares, needs, strict=True)]
    spare = sum(room)
    if deficit > spare:
        return None
    if not deficit:
        return shares
    return [max(s, n) - (r / spare) * deficit if s > n else n
            for s, n, r in zip(shares, needs, room, strict=True)]


@dataclass
class Table:
    id: str
    caption: str
    columns: list[str]
    rows: list[list[CellValue]] = field(default_factory=list)
    empty: str = ""
    """Text shown instead of the table when it has no rows."""
    widths: list[int] | None = None
    """Relative column widths; given widths make the table lay out in fixed columns (faster
    for long tables in PDF)."""
    css: str = ""
    numeric: set[int] = field(default_factory=set)
    """Column indexes aligned right (counts)."""
    footer: list[CellValue] | None = None
    register_above: int | None = None
    """Above this many rows the list is written as a register (one line per element: code,
    name, then the other columns' values in order, a legend line naming them) instead of a
    grid: the same content at a quarter of the PDF layout time, which is what keeps a
    5,000-process appendix printable."""

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def column_percents(self) -> list[float] | None:
        """The columns' shares of the page (%), each at least as wide as its longest header
        word, so no header breaks inside a word ("Metod|e", "Bobo|t"), and where there is
        room as its longest code-like body word ("DISPENDUKCA|PIL"); the width comes from the
        columns with room to spare. None without `widths`."""
        if not self.widths:
            return None
        total = float(sum(self.widths)) or 1.0
        shares = [w / total for w in self.widths]
        count = len(shares)
        padding = HEADER_PADDING_PT / TEXT_WIDTH_PT
        headers = [max((_word_width(w, True) for w in _words(str(c))), default=0.0)
                   / TEXT_WIDTH_PT + padding for c in self.columns[:count]]
        headers += [0.0] * (count - len(headers))
        bodies = list(headers)
        for row in self.rows:
            for index, value in enumerate(row[:count]):
                for word in _words(_cell_text(value)):
                    if len(word) <= KEEP_WHOLE_CHARS:
                        need = _word_width(word, False) / TEXT_WIDTH_PT + padding
                        bodies[index] = max(bodies[index], need)
        fitted = _fit(shares, bodies) or _fit(shares, headers) or shares
        return [100 * share for share in fitted]

    @property
    def as_register(self) -> bool:
        return self.register_above is not None and len(self.rows) > self.register_above

    def rows_html(self) -> Markup:
        """The `<tr>` rows (built here rather than in Jinja: ten times faster on 5,000 rows)."""
        numeric = [i in self.numeric for i in range(len(self.columns))]
        out = []
        for row in self.rows:
            cells = []
            for index, value in enumerate(row):
                attr = ' class="num"' if index < len(numeric) and numeric[index] else ""
                cells.append(f"<td{attr}>{cell_html(value)}</td>")
            out.append(f"<tr>{''.join(cells)}</tr>")
        return Markup("\n".join(out))

    def register_html(self) -> Markup:
        """The rows as register lines: `<p class="register-row"><b>code</b> name · value ·
        …</p>`, the values in column order ("–" when empty) as the legend line names them."""
        out = []
        for row in self.rows:
            head = f"<b>{cell_html(row[0])}</b>" if row else ""
            rest = [cell_html(v) or "–" for v in row[2:]]
            name = f" {cell_html(row[1])}" if len(row) > 1 else ""
            tail = f" · {' · '.join(rest)}" if rest else ""
            out.append(f'<p class="register-row">{head}{name}{tail}</p>')
        return Markup("\n".join(out))


def cell_html(value: CellValue) -> str:
    if isinstance(value, Cell):
        note = f"<br><small>{escape(value.note)}</small>" if value.note else ""
        return f"{escape(value.text)}{note}"
    return str(escape(value))


@dataclass
class Matrix:
    id: str
    caption: str
    mode: Literal["grid", "list", "appendix", "empty"]
    table: Table | None
    legend: list[tuple[str, str]] = field(default_factory=list)
    pairs: int = 0


GRID_MAX_COLUMNS = 12
GRID_MAX_ROWS = 80
LIST_MAX_PAIRS = 250
CHECK = "✓"


def relation_matrix(
    id: str,
    caption: str,
    rows: Sequence[tuple[str, str, str]],
    columns: Sequence[tuple[str, str, str]],
    pairs: Iterable[tuple[str, str]],
    *,
    row_header: str,
    column_header: str,
    empty: str,
) -> Matrix:
    """A relation between two element lists ((id, code, name) each) as grid, list or note.

    Only rows and columns that take part in at least one pair are shown.
    """
    row_ids = {r[0] for r in rows}
    col_ids = {c[0] for c in columns}
    links = sorted({(a, b) for a, b in pairs if a in row_ids and b in col_ids})
    if not links:
        return Matrix(id, caption, "empty", None)
    used_row_ids = {a for a, _ in links}
    used_col_ids = {b for _, b in links}
    used_rows = [r for r in rows if r[0] in used_row_ids]
    used_cols = [c for c in columns if c[0] in used_col_ids]
    if len(used_cols) <= GRID_MAX_COLUMNS and len(used_rows) <= GRID_MAX_ROWS:
        link_set = set(links)
        table = Table(id, caption, [row_header, *[c[1] for c in used_cols]], css="matrix")
        for row in used_rows:
            table.rows.append([Cell(row[1], row[2]),
                               *[CHECK if (row[0], c[0]) in link_set else "" for c in used_cols]])
        return Matrix(id, caption, "grid", table, [(c[1], c[2]) for c in used_cols], len(links))
    if len(links) <= LIST_MAX_PAIRS:
        names = {r[0]: r for r in rows} | {c[0]: c for c in columns}
        table = Table(id, caption, [row_header, column_header], widths=[1, 1], css="pairs")
        for a, b in links:
            table.rows.append([Cell(names[a][1], names[a][2]), Cell(names[b][1], names[b][2])])
        return Matrix(id, caption, "list", table, pairs=len(links))
    return Matrix(id, caption, "appendix", None, pairs=len(links))


def count_matrix(
    id: str,
    caption: str,
    rows: Sequence[tuple[str, str, str]],
    columns: Sequence[tuple[str, str, str]],
    counts: dict[tuple[str, str], int],
    *,
    row_header: str,
    total_label: str,
    fmt: Callable[[int], str] = str,
) -> Matrix:
    """Counts per (row, column) with row and column totals, e.g. OPD × RAB sector."""
    used_rows = [r for r in rows if any(counts.get((r[0], c[0])) for c in columns)]
    if not used_rows:
        return Matrix(id, caption, "empty", None)
    used_cols = [c for c in columns if any(counts.get((r[0], c[0])) for r in used_rows)]
    table = Table(id, caption, [row_header, *[c[1] for c in used_cols], total_label],
                  css="matrix counts", numeric=set(range(1, len(used_cols) + 2)))
    column_totals = [0] * len(used_cols)
    for row in used_rows:
        values = [counts.get((row[0], c[0]), 0) for c in used_cols]
        for index, value in enumerate(values):
            column_totals[index] += value
        table.rows.append([Cell(row[1], row[2]), *[fmt(v) if v else "" for v in values],
                           fmt(sum(values))])
    table.footer = [total_label, *[fmt(v) for v in column_totals], fmt(sum(column_totals))]
    return Matrix(id, caption, "grid", table, [(c[1], c[2]) for c in used_cols],
                  sum(column_totals))
