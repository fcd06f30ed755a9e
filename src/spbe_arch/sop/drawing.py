"""A tiny vector drawing model with two outputs: SVG (HTML, PDF) and PNG (DOCX).

The SOP flowchart is laid out once as shapes in millimetres; the same shapes are written
as SVG text for the HTML and PDF documents and painted with Pillow for the Word document,
so both show exactly the same drawing without a converter or a browser. Text is measured
with the DejaVu Sans font the documents name, when it is installed (Debian
fonts-dejavu-core), else estimated.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from PIL import Image, ImageDraw, ImageFont

FONT_FAMILY = "DejaVu Sans, Arial, Helvetica, sans-serif"
_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu",
              "/usr/local/share/fonts", "/Library/Fonts", "C:/Windows/Fonts")
_FONT_FILES = {False: ("DejaVuSans.ttf",), True: ("DejaVuSans-Bold.ttf",)}
Point = tuple[float, float]


@cache
def font_path(bold: bool = False) -> Path | None:
    for directory in _FONT_DIRS:
        for name in _FONT_FILES[bold]:
            candidate = Path(directory) / name
            if candidate.is_file():
                return candidate
    return None


@cache
def _measuring_font(bold: bool) -> ImageFont.FreeTypeFont | None:
    path = font_path(bold)
    return ImageFont.truetype(str(path), 100) if path else None


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of `text` at font size `size` (same unit as size)."""
    font = _measuring_font(bold)
    if font is None:
        return len(text) * size * (0.62 if bold else 0.56)
    return float(font.getlength(text)) * size / 100


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap to `width`; words longer than a line are split."""
    lines: list[str] = []
    for paragraph in (text or "").splitlines() or [""]:
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, size, bold) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            while text_width(word, size, bold) > width and len(word) > 1:
                cut = len(word)
                while cut > 1 and text_width(word[:cut], size, bold) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
    while lines and not lines[-1]:
        lines.pop()
    return lines


@dataclass
class Shape:
    stroke: str = "#000000"
    fill: str | None = None
    stroke_width: float = 0.25
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class Rect(Shape):
    x: float = 0
    y: float = 0
    w: float = 0
    h: float = 0
    rx: float = 0


@dataclass
class Polygon(Shape):
    points: list[Point] = field(default_factory=list)


@dataclass
class Polyline(Shape):
    points: list[Point] = field(default_factory=list)


@dataclass
class Text(Shape):
    x: float = 0
    y: float = 0
    """Baseline."""
    text: str = ""
    size: float = 2.5
    anchor: str = "start"
    bold: bool = False


@dataclass
class Group:
    items: list[Rect | Polygon | Polyline | Text | Group] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)


Item = Rect | Polygon | Polyline | Text | Group


@dataclass
class Drawing:
    width: float
    height: float
    items: list[Item] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)

    def add(self, item: Item) -> Item:
        self.items.append(item)
        return item


# --- SVG ----------------------------------------------------------------------------------

def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _attrs(attrs: dict[str, str]) -> str:
    return "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())


def _style(shape: Shape) -> str:
    fill = shape.fill or "none"
    return f' fill="{fill}" stroke="{shape.stroke}" stroke-width="{_n(shape.stroke_width)}"'


def _svg_item(item: Item, out: list[str]) -> None:
    if isinstance(item, Group):
        out.append(f"<g{_attrs(item.attrs)}>")
        for child in item.items:
            _svg_item(child, out)
        out.append("</g>")
    elif isinstance(item, Rect):
        rx = f' rx="{_n(item.rx)}" ry="{_n(item.rx)}"' if item.rx else ""
        out.append(f'<rect x="{_n(item.x)}" y="{_n(item.y)}" width="{_n(item.w)}"'
                   f' height="{_n(item.h)}"{rx}{_style(item)}{_attrs(item.attrs)}/>')
    elif isinstance(item, Polygon):
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in item.points)
        out.append(f'<polygon points="{points}"{_style(item)}{_attrs(item.attrs)}/>')
    elif isinstance(item, Polyline):
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in item.points)
        out.append(f'<polyline points="{points}" fill="none" stroke="{item.stroke}"'
                   f' stroke-width="{_n(item.stroke_width)}" stroke-linejoin="round"'
                   f'{_attrs(item.attrs)}/>')
    else:
        weight = ' font-weight="bold"' if item.bold else ""
        out.append(f'<text x="{_n(item.x)}" y="{_n(item.y)}" font-size="{_n(item.size)}"'
                   f' text-anchor="{item.anchor}"{weight} fill="{item.stroke}"'
                   f'{_attrs(item.attrs)}>{escape(item.text)}</text>')


def to_svg(drawing: Drawing, *, width: str | None = None) -> str:
    """SVG text; user units are millimetres. `width` overrides the printed width (CSS)."""
    shown_width = width or f"{_n(drawing.width)}mm"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1"'
           f' viewBox="0 0 {_n(drawing.width)} {_n(drawing.height)}" width="{shown_width}"'
           f' font-family={quoteattr(FONT_FAMILY)}{_attrs(drawing.attrs)}>']
    for item in drawing.items:
        _svg_item(item, out)
    out.append("</svg>")
    return "\n".join(out)


# --- PNG ----------------------------------------------------------------------------------

@cache
def _font(size_px: int, bold: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = font_path(bold)
    if path is not None:
        return ImageFont.truetype(str(path), size_px)
    return ImageFont.load_default(size_px)


def to_png(drawing: Drawing, dpi: int = 200) -> bytes:
    """The drawing painted at `dpi` on white, as PNG bytes."""
    scale = dpi / 25.4
    image = Image.new("RGB", (max(1, round(drawing.width * scale)),
                              max(1, round(drawing.height * scale))), "white")
    canvas = ImageDraw.Draw(image)

    def px(point: Point) -> tuple[float, float]:
        return (point[0] * scale, point[1] * scale)

    def line_width(shape: Shape) -> int:
        return max(1, round(shape.stroke_width * scale))

    def paint(item: Item) -> None:
        if isinstance(item, Group):
            for child in item.items:
                paint(child)
        elif isinstance(item, Rect):
            box = (item.x * scale, item.y * scale, (item.x + item.w) * scale,
                   (item.y + item.h) * scale)
            if item.rx:
                canvas.rounded_rectangle(box, radius=item.rx * scale, fill=item.fill,
                                         outline=item.stroke, width=line_width(item))
            else:
                canvas.rectangle(box, fill=item.fill, outline=item.stroke,
                                 width=line_width(item))
        elif isinstance(item, Polygon):
            canvas.polygon([px(p) for p in item.points], fill=item.fill, outline=item.stroke,
                           width=line_width(item))
        elif isinstance(item, Polyline):
            canvas.line([px(p) for p in item.points], fill=item.stroke, width=line_width(item),
                        joint="curve")
        else:
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[item.anchor]
            canvas.text(px((item.x, item.y)), item.text, fill=item.stroke, anchor=anchor,
                        font=_font(max(1, round(item.size * scale)), item.bold))

    for item in drawing.items:
        paint(item)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi))
    return buffer.getvalue()
