"""Diagrams drawn locally: a laid-out set of boxes and connectors, written as SVG (HTML, PDF,
Markdown) or PNG (DOCX, which cannot take SVG everywhere).

Two diagrams exist:
- `process_hierarchy`: the process map of an OPD as an indented tree (`spbe:subProsesDari`).
- `chain`: process -> layanan -> aplikasi -> data, one column each, connectors between.

Both stay readable at any repository size: each has a node limit and says how many nodes
it left out, in the diagram itself and in `Diagram.omitted`. Layout and text measurement use
the same font metrics for both outputs, so SVG and PNG look alike.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

FONT_FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif"
FONT_SIZE = 11.0
LINE_HEIGHT = 14.0

COLOURS = {
    # kind -> (fill, stroke)
    "proses-bisnis": ("#e8f0fb", "#2f5d9e"),
    "layanan": ("#e9f6ec", "#2e7d43"),
    "aplikasi": ("#fff3e0", "#b26a00"),
    "data": ("#f3e8f8", "#7b3f98"),
    "more": ("#f4f4f4", "#8a8a8a"),
}


@cache
def _font(size: float) -> Any:
    """A TrueType font for measuring and drawing (DejaVu Sans when installed)."""
    from PIL import ImageFont

    for name in ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                 "Verdana.ttf", "Arial.ttf"):
        try:
            return ImageFont.truetype(name, round(size))
        except OSError:
            continue
    return ImageFont.load_default(size=round(size))


@cache
def _advance(char: str, size: float) -> float:
    return float(_font(size).getlength(char))


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """Width of `text` in the drawing font: the sum of the characters' advances (kerning is
    ignored; boxes keep a margin), cached per character so thousands of labels stay cheap."""
    return sum(_advance(char, size) for char in text)


def wrap(text: str, width: float, max_lines: int = 3, size: float = FONT_SIZE) -> list[str]:
    """Break `text` into lines no wider than `width`; an ellipsis marks cut text."""
    if text_width(text, size) <= width:
        return [text]
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if text_width(candidate, size) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    lines = [_fit(line, width, size) for line in lines]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _fit(lines[-1] + " …", width, size, force_ellipsis=True)
    return lines or [""]


def _fit(line: str, width: float, size: float, force_ellipsis: bool = False) -> str:
    if text_width(line, size) <= width and not force_ellipsis:
        return line
    base = line.removesuffix(" …")
    while base and text_width(base + "…", size) > width:
        base = base[:-1]
    return base.rstrip() + "…"


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float
    lines: list[str]
    kind: str
    bold_first: bool = True
    tooltip: str = ""


@dataclass
class Connector:
    points: list[tuple[float, float]]
    curved: bool = False
    """True: a cubic curve from the first to the last point (points 2-3 are the controls)."""


@dataclass
class Diagram:
    """A finished layout. `title` is the figure's text alternative."""

    title: str
    width: float
    height: float
    boxes: list[Box] = field(default_factory=list)
    connectors: list[Connector] = field(default_factory=list)
    headings: list[tuple[float, float, str]] = field(default_factory=list)
    omitted: int = 0
    """Nodes left out because of the node limit."""

    @property
    def empty(self) -> bool:
        return not self.boxes

    # --- SVG --------------------------------------------------------------------------------
    def svg(self) -> str:
        w, h = round(self.width), round(self.height)
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram" role="img" '
            f'width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
            f'font-family="{FONT_FAMILY}" font-size="{FONT_SIZE:g}">',
            f"<title>{escape(self.title)}</title>",
        ]
        for connector in self.connectors:
            out.append(f'<path d="{_path(connector)}" fill="none" stroke="#7a7a7a" '
                       f'stroke-width="1"/>')
        for x, y, text in self.headings:
            out.append(f'<text x="{x:.1f}" y="{y:.1f}" font-weight="bold" '
                       f'font-size="{FONT_SIZE + 1:g}">{escape(text)}</text>')
        for box in self.boxes:
            fill, stroke = COLOURS.get(box.kind, COLOURS["more"])
            dash = ' stroke-dasharray="3 2"' if box.kind == "more" else ""
            out.append(f'<g><rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" '
                       f'height="{box.h:.1f}" rx="4" fill="{fill}" stroke="{stroke}"{dash}/>')
            if box.tooltip:
                out.append(f"<title>{escape(box.tooltip)}</title>")
            for index, line in enumerate(box.lines):
                weight = ' font-weight="bold"' if index == 0 and box.bold_first else ""
                ty = box.y + 6 + LINE_HEIGHT * (index + 1) - 3
                out.append(f'<text x="{box.x + 6:.1f}" y="{ty:.1f}"{weight}>'
                           f"{escape(line)}</text>")
            out.append("</g>")
        out.append("</svg>")
        return "".join(out)

    # --- PNG --------------------------------------------------------------------------------
    def jpeg(self, scale: float = 1.5, quality: int = 90) -> bytes:
        """The diagram as JPEG (for the PDF: WeasyPrint embeds a JPEG as it is, while it
        decodes and re-compresses every PNG)."""
        buffer = io.BytesIO()
        self._image(scale).save(buffer, format="JPEG", quality=quality, subsampling=0)
        return buffer.getvalue()

    def png(self, scale: float = 2.0, *, palette: bool = True) -> bytes:
        """The diagram as PNG. `palette`: a 64-colour palette, small files (DOCX); without
        it plain RGB, quickly compressed."""
        from PIL import Image

        image = self._image(scale)
        buffer = io.BytesIO()
        if palette:
            # 64 colours keep the antialiased text; three times smaller and faster to
            # compress than RGB (dozens of figures go into one DOCX)
            reduced = image.quantize(colors=64, method=Image.Quantize.FASTOCTREE)
            reduced.save(buffer, format="PNG", compress_level=6)
        else:
            image.save(buffer, format="PNG", compress_level=1)
        return buffer.getvalue()

    def _image(self, scale: float) -> Any:
        from PIL import Image, ImageDraw

        size = (max(1, round(self.width * scale)), max(1, round(self.height * scale)))
        image = Image.new("RGB", size, "white")
        draw = ImageDraw.Draw(image)
        font = _font(FONT_SIZE * scale)
        bold = _bold_font(FONT_SIZE * scale)

        def s(value: float) -> float:
            return value * scale

        for connector in self.connectors:
            points = _polyline(connector)
            draw.line([(s(x), s(y)) for x, y in points], fill="#7a7a7a",
                      width=max(1, round(scale)))
        for x, y, text in self.headings:
            heading_font = _bold_font((FONT_SIZE + 1) * scale)
            draw.text((s(x), s(y)), text, fill="black", font=heading_font, anchor="ls")
        for box in self.boxes:
            fill, stroke = COLOURS.get(box.kind, COLOURS["more"])
            draw.rounded_rectangle([s(box.x), s(box.y), s(box.x + box.w), s(box.y + box.h)],
                                   radius=s(4), fill=fill, outline=stroke,
                                   width=max(1, round(scale)))
            for index, line in enumerate(box.lines):
                ty = box.y + 6 + LINE_HEIGHT * (index + 1) - 3
                use = bold if index == 0 and box.bold_first else font
                draw.text((s(box.x + 6), s(ty)), line, fill="black", font=use, anchor="ls")
        return image


@cache
def _bold_font(size: float) -> Any:
    from PIL import ImageFont

    for name in ("DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"):
        try:
            return ImageFont.truetype(name, round(size))
        except OSError:
            continue
    return _font(size)


def _path(connector: Connector) -> str:
    points = connector.points
    if connector.curved and len(points) == 4:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points
        return f"M{x0:.1f},{y0:.1f} C{x1:.1f},{y1:.1f} {x2:.1f},{y2:.1f} {x3:.1f},{y3:.1f}"
    head, *rest = points
    return f"M{head[0]:.1f},{head[1]:.1f} " + " ".join(f"L{x:.1f},{y:.1f}" for x, y in rest)


def _polyline(connector: Connector, steps: int = 16) -> list[tuple[float, float]]:
    if not (connector.curved and len(connector.points) == 4):
        return connector.points
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = connector.points
    out = []
    for i in range(steps + 1):
        t = i / steps
        a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t ** 2, t ** 3
        out.append((a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3))
    return out


# --- the two diagrams ------------------------------------------------------------------------

@dataclass(frozen=True)
class Node:
    """A thing to draw: its id (IRI), code and name."""

    id: str
    code: str
    name: str


def _lines(node: Node, box_width: float) -> list[str]:
    return wrap(node.code, box_width - 12, 1) + (wrap(node.name, box_width - 12, 2)
                                                 if node.name else [])


def _box_height(lines: list[str]) -> float:
    return 6 + LINE_HEIGHT * len(lines) + 4


def process_hierarchy(title: str, roots: Sequence[Node], children: Callable[[str], list[Node]],
                      *, max_nodes: int = 60, more_label: str = "… dan {n} proses lainnya",
                      box_width: float = 190.0, indent: float = 18.0,
                      max_height: float = 800.0, max_columns: int = 3) -> Diagram:
    """An indented tree: each process on its own row, sub-processes indented under it.

    Rows flow into up to `max_columns` columns of at most `max_height` (a page), keeping a
    top-level process with its sub-processes in one column where they fit, so a map of fifty
    processes prints at a readable size instead of one column shrunk to fit the page."""
    rows: list[tuple[int, Node]] = []
    seen: set[str] = set()
    total = 0

    def visit(node: Node, depth: int) -> None:
        nonlocal total
        if node.id in seen:  # a cycle in subProsesDari must not hang the document
            return
        seen.add(node.id)
        total += 1
        if len(rows) < max_nodes:
            rows.append((depth, node))
        for child in children(node.id):
            visit(child, depth + 1)

    for root in roots:
        visit(root, 0)
    gap = 8.0
    top = 6.0
    laid = [(depth, node, _lines(node, box_width)) for depth, node in rows]
    heights = [_box_height(lines) + gap for _, _, lines in laid]
    # the height of each top-level group (a root and what follows it up to the next root)
    group_height: dict[int, float] = {}
    start = 0
    for index in range(len(laid) + 1):
        if index == len(laid) or (laid[index][0] == 0 and index > start):
            group_height[start] = sum(heights[start:index])
            start = index
    deepest = max((depth for depth, _ in rows), default=0)
    column_width = box_width + deepest * indent + 24.0
    diagram = Diagram(title, 0, 0)
    parents_at: dict[int, tuple[float, float]] = {}
    column, y, bottom, placed = 0, top, top, 0
    for index, (depth, node, lines) in enumerate(laid):
        height = heights[index]
        starts_group = index in group_height
        needed = group_height[index] if starts_group else height
        if y > top and y + (min(needed, max_height - top) if starts_group else height) \
                > max_height:
            if column + 1 >= max_columns:
                break
            column, y = column + 1, top
            parents_at = {}
        x = 6.0 + column * column_width + depth * indent
        box_h = height - gap
        diagram.boxes.append(Box(x, y, box_width, box_h, lines, "proses-bisnis",
                                 tooltip=f"{node.code} {node.name}"))
        if depth > 0 and depth - 1 in parents_at:
            px, py = parents_at[depth - 1]
            diagram.connectors.append(Connector([(px, py), (px, y + box_h / 2),
                                                 (x, y + box_h / 2)]))
        parents_at[depth] = (x + 12, y + box_h)
        for deeper in [d for d in parents_at if d > depth]:
            del parents_at[deeper]
        y += height
        bottom = max(bottom, y)
        placed += 1
    diagram.omitted = total - placed
    if diagram.omitted:
        text = more_label.format(n=diagram.omitted)
        diagram.boxes.append(Box(6.0 + column * column_width, y, box_width, LINE_HEIGHT + 10,
                                 [text], "more", bold_first=False))
        bottom = max(bottom, y + LINE_HEIGHT + 10 + gap)
    diagram.width = 6.0 + (column + 1) * column_width
    diagram.height = bottom
    return diagram


def chain(title: str, columns: Sequence[tuple[str, str, Sequence[Node]]],
          links: Iterable[tuple[str, str]], *, max_per_column: int = 25,
          more_label: str = "… dan {n} lainnya", box_width: float = 190.0,
          column_gap: float = 70.0) -> Diagram:
    """Columns of boxes (kind, heading, nodes) with connectors for `links` (source id,
    target id) between neighbouring columns. Nodes are ordered to keep connectors short;
    a column over the limit keeps its best-connected nodes."""
    link_set = set(links)
    neighbours: dict[str, set[str]] = {}
    for a, b in link_set:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)

    kept: list[list[Node]] = []
    omitted = 0
    for _kind, _heading, nodes in columns:
        ordered = list(nodes)
        if len(ordered) > max_per_column:
            ordered.sort(key=lambda n: (-len(neighbours.get(n.id, ())), n.code))
            omitted += len(ordered) - max_per_column
            ordered = ordered[:max_per_column]
            ordered.sort(key=lambda n: n.code)
        kept.append(ordered)
    # barycentre ordering, one sweep left to right, keeps most connectors from crossing
    for index in range(1, len(kept)):
        position = {n.id: i for i, n in enumerate(kept[index - 1])}

        def barycentre(node: Node, position: dict[str, int] = position) -> tuple[float, str]:
            near = [position[m] for m in neighbours.get(node.id, ()) if m in position]
            return (sum(near) / len(near) if near else float("inf"), node.code)

        kept[index].sort(key=barycentre)

    gap = 8.0
    top = 30.0
    diagram = Diagram(title, 0, 0, omitted=omitted)
    centre: dict[str, tuple[float, float, float]] = {}
    bottom = top
    for index, ((kind, heading, nodes), visible) in enumerate(zip(columns, kept, strict=True)):
        x = 6.0 + index * (box_width + column_gap)
        diagram.headings.append((x, 18.0, heading))
        y = top
        for node in visible:
            lines = _lines(node, box_width)
            box_h = _box_height(lines)
            diagram.boxes.append(Box(x, y, box_width, box_h, lines, kind,
                                     tooltip=f"{node.code} {node.name}"))
            centre[node.id] = (x, x + box_width, y + box_h / 2)
            y += box_h + gap
        hidden = len(nodes) - len(visible)
        if hidden:
            diagram.boxes.append(Box(x, y, box_width, LINE_HEIGHT + 10,
                                     [more_label.format(n=hidden)], "more", bold_first=False))
            y += LINE_HEIGHT + 10 + gap
        if not nodes:
            diagram.boxes.append(Box(x, y, box_width, LINE_HEIGHT + 10, ["—"], "more",
                                     bold_first=False))
            y += LINE_HEIGHT + 10 + gap
        bottom = max(bottom, y)
    column_of = {n.id: i for i, visible in enumerate(kept) for n in visible}
    for a, b in sorted(link_set):
        if a not in centre or b not in centre:
            continue
        if column_of[b] < column_of[a]:
            a, b = b, a
        if column_of[b] - column_of[a] != 1:
            continue
        _, ax, ay = centre[a]
        bx, _, by = centre[b]
        mid = (ax + bx) / 2
        diagram.connectors.append(Connector([(ax, ay), (mid, ay), (mid, by), (bx, by)],
                                            curved=True))
    diagram.width = 6.0 + len(columns) * (box_width + column_gap) - column_gap + 6
    diagram.height = bottom
    return diagram
