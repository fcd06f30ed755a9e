"""The SOP AP flowchart table (PermenPANRB 35/2012), laid out page by page.

Columns: No | Kegiatan | one column per pelaksana | Mutu Baku (Kelengkapan, Waktu, Output) |
Keterangan. Each step is one row; its symbol (terminator capsule, process box, decision
diamond, off-page pentagon) stands in its pelaksana's column. Arrows run only inside the
pelaksana columns: straight down to the next row, or out of a symbol's side into a
vertical channel beside the column edge (where no symbol is) and into the target's side.
A flow that crosses a page break ends in an off-page connector at the bottom of the page
and starts again from a connector at the top of the target's page, both labelled with the
target step's number. Decisions label their branches Ya / Tidak.

Everything is in millimetres on a landscape A4 content area (277 x 190 mm); when many
pelaksana columns make the table wider, the drawing grows and is scaled down to the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spbe_arch.sop.document import Langkah, SopDocument
from spbe_arch.sop.drawing import Drawing, Group, Item, Point, Polygon, Polyline, Rect, Text, wrap

PAGE_WIDTH = 277.0
PAGE_HEIGHT = 188.0
SIZE = 2.4  # body text (mm)
LINE = 3.0
PAD = 1.2
CAPTION = 6.0
BAND = 11.0  # off-page connector band
HEADER_FILL = "#e8e8e8"
SYMBOL_FILL = "#ffffff"


@dataclass
class Column:
    kind: str
    x: float
    w: float
    label: str
    index: int = -1

    @property
    def center(self) -> float:
        return self.x + self.w / 2

    @property
    def right(self) -> float:
        return self.x + self.w


@dataclass
class Box:
    cx: float
    cy: float
    w: float
    h: float

    @property
    def top(self) -> Point:
        return (self.cx, self.cy - self.h / 2)

    @property
    def bottom(self) -> Point:
        return (self.cx, self.cy + self.h / 2)

    def side(self, side: str) -> Point:
        return (self.cx + self.w / 2, self.cy) if side == "right" else (self.cx - self.w / 2,
                                                                          self.cy)


@dataclass
class PlacedStep:
    step: Langkah
    page: int
    row: int
    """Row index on its page."""
    y: float
    h: float
    column: int
    box: Box
    lines: dict[str, list[str]]
    part: int = 0
    """0 for the step's own row; 1, 2, … for rows continuing a text too long for one page
    (no symbol, no arrows: only the rest of the text)."""


@dataclass
class FlowchartLayout:
    pages: list[Drawing]
    steps: list[PlacedStep]
    columns: list[Column]
    width: float
    height: float

    def placed(self, number: int) -> PlacedStep:
        for placed in self.steps:
            if placed.step.urutan == number:
                return placed
        raise KeyError(number)


def _columns(document: SopDocument, page_width: float) -> tuple[list[Column], float]:
    n = max(1, len(document.pelaksana))
    widths = {"no": 8.0, "kegiatan": 52.0, "kelengkapan": 30.0, "waktu": 17.0, "output": 28.0,
              "keterangan": 30.0}
    available = page_width - sum(widths.values())
    actor = min(32.0, max(18.0, available / n))
    extra = available - actor * n
    if extra > 0:
        widths["kegiatan"] += extra * 0.5
        widths["keterangan"] += extra * 0.25
        widths["kelengkapan"] += extra * 0.25
    columns: list[Column] = []
    x = 0.0

    def add(kind: str, w: float, label: str, index: int = -1) -> None:
        nonlocal x
        columns.append(Column(kind, x, w, label, index))
        x += w

    add("no", widths["no"], "No")
    add("kegiatan", widths["kegiatan"], "Kegiatan")
    names = [p.nama for p in document.pelaksana] or ["Pelaksana"]
    for index, name in enumerate(names):
        add("pelaksana", actor, name, index)
    add("kelengkapan", widths["kelengkapan"], "Kelengkapan")
    add("waktu", widths["waktu"], "Waktu")
    add("output", widths["output"], "Output")
    add("keterangan", widths["keterangan"], "Keterangan")
    return columns, x


def _symbol_size(simbol: str, actor_width: float) -> tuple[float, float]:
    base = min(actor_width - 5, 22.0)
    if simbol == "Terminator":
        return base, 6.5
    if simbol == "Keputusan":
        return min(actor_width - 4, 16.0), 11.0
    if simbol == "PenghubungHalaman":
        return 7.0, 7.5
    return base, 7.5


def _symbol(simbol: str, box: Box, label: str = "") -> list[Item]:
    x, y, w, h = box.cx - box.w / 2, box.cy - box.h / 2, box.w, box.h
    items: list[Item] = []
    if simbol == "Terminator":
        items.append(Rect(x=x, y=y, w=w, h=h, rx=h / 2, fill=SYMBOL_FILL, stroke_width=0.35))
    elif simbol == "Keputusan":
        items.append(Polygon(points=[(box.cx, y), (x + w, box.cy), (box.cx, y + h), (x, box.cy)],
                             fill=SYMBOL_FILL, stroke_width=0.35))
    elif simbol == "PenghubungHalaman":
        items.append(Polygon(points=[(x, y), (x + w, y), (x + w, y + h - 2.5), (box.cx, y + h),
                                     (x, y + h - 2.5)], fill=SYMBOL_FILL, stroke_width=0.35))
    else:
        items.append(Rect(x=x, y=y, w=w, h=h, fill=SYMBOL_FILL, stroke_width=0.35))
    if label:
        items.append(Text(x=box.cx, y=box.cy + 0.2 if simbol != "PenghubungHalaman"
                          else box.cy - 0.2, text=label, size=2.3, anchor="middle", bold=True))
    return items


def _arrow(points: list[Point]) -> list[Item]:
    clean: list[Point] = []
    for point in points:
        if not clean or abs(point[0] - clean[-1][0]) > 1e-6 or abs(point[1] - clean[-1][1]) > 1e-6:
            clean.append(point)
    if len(clean) < 2:
        return []
    (x1, y1), (x2, y2) = clean[-2], clean[-1]
    length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1e-6)
    dx, dy = (x2 - x1) / length, (y2 - y1) / length
    head, half = 1.6, 0.75
    base = (x2 - dx * head, y2 - dy * head)
    tip = [(x2, y2), (base[0] - dy * half, base[1] + dx * half),
           (base[0] + dy * half, base[1] - dx * half)]
    line = [*clean[:-1], base]
    return [Group([Polyline(points=line, stroke_width=0.3),
                   Polygon(points=tip, fill="#000000", stroke_width=0.1)], {"class": "panah"})]


_Measured = tuple[Langkah, dict[str, list[str]], int, float, float, float, int]
"""step, wrapped lines per column, pelaksana column, symbol w/h, row height, part"""


@dataclass
class _Page:
    steps: list[PlacedStep] = field(default_factory=list)
    top_band: bool = False
    bottom_band: bool = False
    header: float = 0.0


class _Layout:
    def __init__(self, document: SopDocument, page_width: float, page_height: float) -> None:
        self.doc = document
        self.columns, self.width = _columns(document, page_width)
        self.factor = max(1.0, self.width / page_width)
        self.height = page_height * self.factor
        self.actors = [c for c in self.columns if c.kind == "pelaksana"]
        self.by_kind = {c.kind: c for c in self.columns if c.kind != "pelaksana"}
        names = [wrap(c.label, c.w - 2, SIZE, bold=True) for c in self.actors]
        self.header2 = max(6.0, max((len(n) for n in names), default=1) * LINE + 2)
        self.header1 = 6.0
        self.header = self.header1 + self.header2

    def row_lines(self, step: Langkah) -> dict[str, list[str]]:
        lines = {"kegiatan": wrap(step.nama, self.by_kind["kegiatan"].w - 2 * PAD, SIZE)}
        for kind in ("kelengkapan", "waktu", "output", "keterangan"):
            lines[kind] = wrap(getattr(step, kind), self.by_kind[kind].w - 2 * PAD, SIZE)
        return lines

    def paginate(self) -> list[_Page]:
        measured = []
        for step in self.doc.langkah:
            lines = self.row_lines(step)
            column = self.doc.column_of(step) if self.doc.pelaksana else 0
            w, h = _symbol_size(step.simbol, self.actors[column].w)
            text_h = max(len(v) for v in lines.values()) * LINE + 2 * PAD
            measured.append((step, lines, column, w, h, max(text_h, h + 7.0), 0))
        body = self.height - CAPTION - self.header
        if sum(m[5] for m in measured) <= body:
            pages = [_Page()]
            capacity = [body]
        else:
            pages, capacity = [], []
            measured = [piece for m in measured for piece in self.split(m, body - 2 * BAND)]
        index = 0
        if not pages:
            while index < len(measured):
                page = _Page(top_band=bool(pages), bottom_band=True)
                room = body - BAND - (BAND if page.top_band else 0)
                used, start = 0.0, index
                while index < len(measured) and (used + measured[index][5] <= room
                                                 or index == start):
                    used += measured[index][5]
                    index += 1
                pages.append(page)
                capacity.append(room)
                page.steps = [self._place(m, len(pages) - 1, i - start)
                              for i, m in enumerate(measured[start:index], start=start)]
        else:
            pages[0].steps = [self._place(m, 0, i) for i, m in enumerate(measured)]
        return pages

    @staticmethod
    def split(measured: _Measured, room: float) -> list[_Measured]:
        """A row taller than a page (pages of text in one cell) as pieces that each fit: the
        first keeps the symbol, the others carry the rest of the text, marked as its
        continuation. Before, such a row ran off the bottom of its page and the text there
        was lost."""
        step, lines, column, w, h, row_h, _ = measured
        if row_h <= room:
            return [measured]
        per_piece = max(1, int((room - 2 * PAD) // LINE) - 1)
        longest = max(len(v) for v in lines.values())
        pieces: list[_Measured] = []
        for part, start in enumerate(range(0, longest, per_piece)):
            chunk = {kind: v[start:start + per_piece] for kind, v in lines.items()}
            if part:
                chunk["kegiatan"] = [f"(lanjutan langkah {step.urutan})", *chunk["kegiatan"]]
            height = max(len(v) for v in chunk.values()) * LINE + 2 * PAD
            pieces.append((step, chunk, column, w, h, max(height, h + 7.0) if not part
                           else height, part))
        return pieces

    @staticmethod
    def position(pages: list[_Page]) -> None:
        for page in pages:
            y = CAPTION + page.header + (BAND if page.top_band else 0)
            for placed in page.steps:
                placed.y = y
                placed.box.cy = y + placed.h / 2
                y += placed.h

    def _place(self, measured: _Measured, page: int, row: int) -> PlacedStep:
        step, lines, column, w, h, row_h, part = measured
        box = Box(self.actors[column].center, 0.0, w, h)
        return PlacedStep(step, page, row, 0.0, row_h, column, box, lines, part)

    # --- drawing ------------------------------------------------------------------------------
    def grid(self, drawing: Drawing, page: _Page, number: int, total: int) -> None:
        top = CAPTION
        caption = f"{self.doc.nama} — Diagram Alir" + (f" (halaman {number} dari {total})"
                                                        if total > 1 else "")
        drawing.add(Text(x=0, y=4.2, text=caption, size=2.8, bold=True))
        bottom = self.height if page.bottom_band or page.steps else top + self.header
        if page.steps:
            last = page.steps[-1]
            bottom = last.y + last.h + (BAND if page.bottom_band else 0)
        left, right = 0.0, self.width
        header = Group(attrs={"class": "kepala-tabel"})
        actors_x, actors_w = self.actors[0].x, sum(c.w for c in self.actors)
        mutu = [self.by_kind[k] for k in ("kelengkapan", "waktu", "output")]
        cells = [
            (self.by_kind["no"].x, top, self.by_kind["no"].w, self.header, "No"),
            (self.by_kind["kegiatan"].x, top, self.by_kind["kegiatan"].w, self.header, "Kegiatan"),
            (actors_x, top, actors_w, self.header1, "Pelaksana"),
            (mutu[0].x, top, sum(c.w for c in mutu), self.header1, "Mutu Baku"),
            (self.by_kind["keterangan"].x, top, self.by_kind["keterangan"].w, self.header,
             "Keterangan"),
        ] + [(c.x, top + self.header1, c.w, self.header2, c.label) for c in mutu]
        for x, y, w, h, label in cells:
            header.items.append(Rect(x=x, y=y, w=w, h=h, fill=HEADER_FILL, stroke_width=0.25))
            header.items.append(Text(x=x + w / 2, y=y + h / 2 + SIZE * 0.35, text=label,
                                     size=SIZE, anchor="middle", bold=True))
        for column in self.actors:
            y = top + self.header1
            header.items.append(Rect(x=column.x, y=y, w=column.w, h=self.header2, fill=HEADER_FILL,
                                     stroke_width=0.25, attrs={
                                         "class": "kolom-pelaksana",
                                         "data-kolom": str(column.index),
                                         "data-nama": column.label}))
            lines = wrap(column.label, column.w - 2, SIZE, bold=True)
            first = y + (self.header2 - len(lines) * LINE) / 2 + LINE * 0.78
            for i, text in enumerate(lines):
                header.items.append(Text(x=column.center, y=first + i * LINE, text=text,
                                         size=SIZE, anchor="middle", bold=True))
        drawing.add(header)
        body = Group(attrs={"class": "isi-tabel"})
        table_top = top + self.header
        body.items.append(Rect(x=left, y=top, w=right - left, h=bottom - top, stroke_width=0.35))
        for column in self.columns[1:]:
            body.items.append(Polyline(points=[(column.x, table_top), (column.x, bottom)],
                                       stroke_width=0.2))
        band_top = table_top
        if page.top_band:
            band_top += BAND
            body.items.append(Polyline(points=[(left, band_top), (right, band_top)],
                                       stroke_width=0.2))
        for placed in page.steps:
            y2 = placed.y + placed.h
            body.items.append(Polyline(points=[(left, y2), (right, y2)], stroke_width=0.2))
            number_column = self.by_kind["no"]
            if not placed.part:
                body.items.append(Text(x=number_column.center, y=placed.y + PAD + LINE * 0.78,
                                       text=str(placed.step.urutan), size=SIZE,
                                       anchor="middle"))
            for kind, lines in placed.lines.items():
                column = self.by_kind[kind]
                for i, text in enumerate(lines):
                    body.items.append(Text(x=column.x + PAD,
                                           y=placed.y + PAD + LINE * 0.78 + i * LINE,
                                           text=text, size=SIZE))
        drawing.add(body)

    def slot_x(self, column: int, slot: int) -> float:
        """x of the n-th off-page connector in a column (centre first, then alternating)."""
        actor = self.actors[column]
        offsets = (0.0, 8.5, -8.5, 17.0, -17.0)
        x = actor.center + offsets[slot % len(offsets)]
        return min(max(x, actor.x + 4), actor.right - 4)

    def channel(self, page_channels: dict[tuple[int, str], int], column: int, side: str) -> float:
        actor = self.actors[column]
        used = page_channels.get((column, side), 0)
        page_channels[(column, side)] = used + 1
        room = max(1.0, (actor.w - 16.0) / 2)
        offset = 1.6 + min(used * 0.9, room)
        return actor.right - offset if side == "right" else actor.x + offset

    def route(self, a: Box, a_row: int, a_col: int, b: Box, b_row: int, b_col: int,
              exit_side: str, channels: dict[tuple[int, str], int],
              row_bottom: float) -> tuple[list[Point], Point]:
        """Points of an arrow from box a to box b, and where its label goes."""
        if exit_side == "bottom":
            start = a.bottom
            if abs(a.cx - b.cx) < 1e-6:
                return [start, b.top], start
            corridor = (start[1] + row_bottom) / 2
            return [start, (a.cx, corridor), (b.cx, corridor), b.top], start
        start = a.side(exit_side)
        x = self.channel(channels, a_col, exit_side)
        end = b.side("right") if x >= b.cx else b.side("left")
        return [start, (x, start[1]), (x, end[1]), end], start

    def exits(self, placed: PlacedStep, targets: list[tuple[int, str]],
              rows: dict[int, PlacedStep]) -> list[tuple[int, str, str]]:
        """(target, label, exit side) for each way out of a step."""
        out: list[tuple[int, str, str]] = []
        bottom_free = True
        sides = ["right", "left"]
        for number, label in targets:
            target = rows.get(number)
            adjacent = (target is not None and target.page == placed.page
                        and target.row == placed.row + 1)
            if adjacent and bottom_free:
                out.append((number, label, "bottom"))
                bottom_free = False
                continue
            if target is not None and target.column < placed.column and "left" in sides:
                side = "left"
            else:
                side = sides[0] if sides else "right"
            if side in sides and placed.step.simbol == "Keputusan":
                sides.remove(side)
            out.append((number, label, side))
        return out

    def draw(self) -> FlowchartLayout:
        pages = self.paginate()
        rows = {p.step.urutan: p for page in pages for p in page.steps if not p.part}
        drawings = []
        incoming: dict[int, list[tuple[int, int]]] = {}  # page -> [(target, source)]
        outgoing_edges: dict[int, list[tuple[PlacedStep, int, str, str]]] = {}
        for page_number, page in enumerate(pages):
            for placed in (p for p in page.steps if not p.part):
                step = placed.step
                targets = [(t, lab) for t, lab in ((step.next, ""), (step.ya, "Ya"),
                                                   (step.tidak, "Tidak")) if t is not None]
                for number, label, side in self.exits(placed, targets, rows):
                    if number not in rows:
                        continue
                    outgoing_edges.setdefault(page_number, []).append(
                        (placed, number, label, side))
                    if rows[number].page != page_number:
                        incoming.setdefault(rows[number].page, []).append(
                            (number, step.urutan))
        # bands were reserved while paginating; keep only those an arrow really uses
        for page_number, page in enumerate(pages):
            page.header = self.header
            page.top_band = page_number in incoming
            page.bottom_band = any(rows[number].page != page_number
                                   for _, number, _, _ in outgoing_edges.get(page_number, []))
        self.position(pages)
        for page_number, page in enumerate(pages):
            drawing = Drawing(self.width, self.height,
                              attrs={"class": "diagram-alir-sop",
                                     "data-halaman": str(page_number + 1)})
            self.grid(drawing, page, page_number + 1, len(pages))
            channels: dict[tuple[int, str], int] = {}
            arrows = Group(attrs={"class": "alur"})
            connectors = Group(attrs={"class": "penghubung"})
            bottom_slots: dict[int, int] = {}
            last = page.steps[-1] if page.steps else None
            band_y = (last.y + last.h + BAND / 2) if last else 0.0
            for placed, number, label, side in outgoing_edges.get(page_number, []):
                target = rows[number]
                row_bottom = placed.y + placed.h
                if target.page == page_number:
                    points, anchor = self.route(placed.box, placed.row, placed.column, target.box,
                                                target.row, target.column, side, channels,
                                                row_bottom)
                else:
                    slot = bottom_slots.get(placed.column, 0)
                    bottom_slots[placed.column] = slot + 1
                    box = Box(self.slot_x(placed.column, slot), band_y, 7.0, 7.5)
                    connectors.items.append(Group(
                        _symbol("PenghubungHalaman", box, str(number)),
                        {"class": "penghubung-halaman", "data-ke": str(number),
                         "data-arah": "keluar"}))
                    straight = (last is not None and placed.row == last.row
                                and abs(box.cx - placed.box.cx) < 1e-6 and side != "left"
                                and not (placed.step.simbol == "Keputusan" and side != "right"))
                    exit_side = "bottom" if straight else ("right" if side == "bottom" else side)
                    points, anchor = self.route(placed.box, placed.row, placed.column, box,
                                                placed.row + 1, placed.column, exit_side,
                                                channels, row_bottom)
                arrows.items.extend(_arrow(points))
                if label:
                    arrows.items.append(self._label(label, anchor, side))
            top_slots: dict[int, int] = {}
            for number, _source in incoming.get(page_number, []):
                target = rows[number]
                slot = top_slots.get(target.column, 0)
                top_slots[target.column] = slot + 1
                y = CAPTION + self.header + BAND / 2
                box = Box(self.slot_x(target.column, slot), y, 7.0, 7.5)
                connectors.items.append(Group(
                    _symbol("PenghubungHalaman", box, str(number)),
                    {"class": "penghubung-halaman", "data-ke": str(number),
                     "data-arah": "masuk"}))
                first = page.steps[0]
                if target.row == 0 and abs(box.cx - target.box.cx) < 1e-6:
                    points = [box.bottom, target.box.top]
                else:
                    points, _ = self.route(box, -1, target.column, target.box, target.row,
                                           target.column, "right", channels, first.y)
                arrows.items.extend(_arrow(points))
            drawing.add(arrows)
            symbols = Group(attrs={"class": "simbol-langkah"})
            for placed in (p for p in page.steps if not p.part):
                symbols.items.append(Group(_symbol(placed.step.simbol, placed.box), {
                    "class": "simbol", "data-langkah": str(placed.step.urutan),
                    "data-simbol": placed.step.simbol, "data-kolom": str(placed.column)}))
            drawing.add(symbols)
            drawing.add(connectors)
            drawings.append(drawing)
        return FlowchartLayout(drawings, [p for page in pages for p in page.steps if not p.part],
                               self.columns, self.width, self.height)

    @staticmethod
    def _label(label: str, anchor: Point, side: str) -> Text:
        x, y = anchor
        if side == "bottom":
            return Text(x=x + 1.0, y=y + 2.6, text=label, size=2.2, bold=True)
        if side == "left":
            return Text(x=x - 0.8, y=y - 1.0, text=label, size=2.2, anchor="end", bold=True)
        return Text(x=x + 0.8, y=y - 1.0, text=label, size=2.2, bold=True)


def layout_flowchart(document: SopDocument, page_width: float = PAGE_WIDTH,
                     page_height: float = PAGE_HEIGHT) -> FlowchartLayout:
    """The flowchart pages of `document` (one `Drawing` per page)."""
    return _Layout(document, page_width, page_height).draw()
