"""Small SVG charts drawn on the server: horizontal bars and a line over time.

No chart library and nothing loaded from elsewhere: the SVG is part of the page, prints as
it looks, and every bar can link to the list behind its number. Colours come from CSS
classes (`web/static/app.css`), so the charts follow the page's style. Pages show the same
numbers in a table next to each chart (`<details>`), one click away.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

_ids = itertools.count(1)

LABEL_WIDTH = 190
BAR_WIDTH = 330
VALUE_WIDTH = 80
ROW = 21
BAR = 15


@dataclass
class Bar:
    label: str
    value: float
    href: str | None = None
    tooltip: str | None = None
    css: str = "bar"
    text: str | None = None
    """The value as shown (default: the number itself)."""


def _text(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _fmt(value: float) -> str:
    return f"{value:g}"


def bar_chart(bars: Sequence[Bar], *, title: str, max_value: float | None = None,
              fmt: Callable[[float], str] = _fmt) -> Markup:
    """Horizontal bars, one row per item, labels on the left and values on the right."""
    chart_id = f"grafik-{next(_ids)}"
    top = max((b.value for b in bars), default=0.0)
    scale_max = max_value if max_value is not None else (top or 1.0)
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = max(ROW * len(bars) + 8, ROW)
    # An image's content is hidden from assistive technology, links included (they would
    # still take the focus, unnamed): a chart whose bars link is a group of named links.
    role = "group" if any(bar.href for bar in bars) else "img"
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}"'
        f' height="{height}" role="{role}" aria-labelledby="{chart_id}"'
        ' preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}">{escape(title)}</title>',
        f'<line class="axis" x1="{LABEL_WIDTH}" y1="0" x2="{LABEL_WIDTH}" y2="{height}"/>',
    ]
    for index, bar in enumerate(bars):
        y = 4 + index * ROW
        length = 0.0 if scale_max <= 0 else max(0.0, min(bar.value / scale_max, 1.0)) * BAR_WIDTH
        shown = bar.text if bar.text is not None else fmt(bar.value)
        tooltip = bar.tooltip or f"{bar.label}: {shown}"
        row = [
            f'<g class="row"><title>{escape(tooltip)}</title>',
            f'<text class="label" x="{LABEL_WIDTH - 6}" y="{y + BAR - 3}"'
            f' text-anchor="end">{escape(_text(bar.label, 26))}</text>',
            f'<rect class="{escape(bar.css)}" x="{LABEL_WIDTH}" y="{y}"'
            f' width="{length:.1f}" height="{BAR}" rx="2"/>',
            f'<text class="value" x="{LABEL_WIDTH + length + 5:.1f}" y="{y + BAR - 3}">'
            f"{escape(shown)}</text>",
            "</g>",
        ]
        if bar.href:
            row = [f'<a href="{escape(bar.href)}">', *row, "</a>"]
        parts.extend(row)
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass
class Series:
    name: str
    values: list[float | None]
    css: str = "line"


def line_chart(labels: Sequence[str], series: Sequence[Series], *, title: str,
               fmt: Callable[[float], str] = _fmt) -> Markup:
    """Values over time (one point per label), one polyline per series, with a legend."""
    chart_id = f"grafik-{next(_ids)}"
    width, height = 580, 220
    left, right, top_pad, bottom = 44, 16, 14, 46
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    values = [v for s in series for v in s.values if v is not None]
    top = max(values, default=0.0) or 1.0
    step = plot_w / max(len(labels) - 1, 1)

    def x(index: int) -> float:
        return left + (index * step if len(labels) > 1 else plot_w / 2)

    def y(value: float) -> float:
        return top_pad + plot_h - value / top * plot_h

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}"'
        f' height="{height}" role="img" aria-labelledby="{chart_id}">',
        f'<title id="{chart_id}">{escape(title)}</title>',
        f'<line class="axis" x1="{left}" y1="{top_pad + plot_h}" x2="{width - right}"'
        f' y2="{top_pad + plot_h}"/>',
        f'<line class="axis" x1="{left}" y1="{top_pad}" x2="{left}" y2="{top_pad + plot_h}"/>',
        f'<text class="tick" x="{left - 4}" y="{top_pad + 4}" text-anchor="end">'
        f"{escape(fmt(top))}</text>",
        f'<text class="tick" x="{left - 4}" y="{top_pad + plot_h}" text-anchor="end">0</text>',
    ]
    every = max(1, len(labels) // 6)
    last = len(labels) - 1
    for index, label in enumerate(labels):
        if index % every == 0 or index == last:
            # the first and the last label must not stick out of the drawing
            anchor = "start" if index == 0 and last else "end" if index == last and last \
                else "middle"
            parts.append(f'<text class="tick" x="{x(index):.1f}" y="{top_pad + plot_h + 14}"'
                         f' text-anchor="{anchor}">{escape(_text(label, 16))}</text>')
    for number, line in enumerate(series):
        points = [(x(i), y(v), v, labels[i]) for i, v in enumerate(line.values) if v is not None]
        css = f"{escape(line.css)} series-{number}"
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _, _ in points)
            parts.append(f'<polyline class="{css}" fill="none" points="{path}"/>')
        for px, py, value, label in points:
            parts.append(f'<circle class="{css}" cx="{px:.1f}" cy="{py:.1f}" r="3.5">'
                         f"<title>{escape(line.name)} — {escape(label)}: {escape(fmt(value))}"
                         "</title></circle>")
        legend_x = left + number * 170
        parts.append(f'<rect class="{css} legend" x="{legend_x}" y="{height - 16}" width="12"'
                     f' height="4"/><text class="tick" x="{legend_x + 16}" y="{height - 11}">'
                     f"{escape(line.name)}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))
