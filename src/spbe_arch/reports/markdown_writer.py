"""A rendered report as Markdown (CommonMark with GitHub-style pipe tables).

Headings keep their numbers, tables become pipe tables under a bold caption, diagrams are
embedded as `data:` SVG images (the file stays self-contained), the table of contents is a
nested list.
"""

from __future__ import annotations

import base64
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spbe_arch.reports.rendering import Document

SKIP = {"style", "script", "title", "head", "meta", "colgroup", "col"}


def _classes(element: Any) -> set[str]:
    return set((element.get("class") or "").split())


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _escape(text: str) -> str:
    # characters that would start Markdown syntax inside running text
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)


class _Writer:
    def __init__(self, document: Document) -> None:
        self.source = document
        self.out: list[str] = []

    def emit(self, text: str) -> None:
        self.out.append(text.rstrip() + "\n\n")

    def inline(self, element: Any, *, in_table: bool = False) -> str:
        parts: list[str] = []

        def add(text: str | None) -> None:
            if text:
                parts.append(_escape(_squash(text)))

        add(element.text)
        for child in element:
            if not isinstance(child.tag, str):
                add(child.tail)
                continue
            if child.tag == "br":
                parts.append("<br>" if in_table else "  \n")
            elif "diagram-slot" in _classes(child) or child.tag in ("ul", "ol"):
                pass
            else:
                inner = self.inline(child, in_table=in_table).strip()
                if inner and child.tag in ("strong", "b"):
                    inner = f"**{inner}**"
                elif inner and child.tag in ("em", "i", "small"):
                    inner = f"*{inner}*"
                elif inner and child.tag == "code":
                    inner = f"`{inner}`"
                if inner:
                    parts.append(inner)
            add(child.tail)
        return "".join(parts).strip()

    def block(self, element: Any) -> None:
        if element.text and element.text.strip():
            self.emit(_escape(_squash(element.text.strip())))
        for child in element:
            if isinstance(child.tag, str):
                self.node(child)
            if child.tail and child.tail.strip():
                self.emit(_escape(_squash(child.tail.strip())))

    def node(self, element: Any) -> None:
        tag = element.tag
        classes = _classes(element)
        if tag in SKIP:
            return
        if "cover" in classes:
            self.cover(element)
        elif "register" in classes:
            lines = []
            for child in element:
                if not isinstance(child.tag, str):
                    continue
                text = self.inline(child)
                if "caption" in _classes(child):
                    self.emit(f"**{text}**")
                elif "register-legend" in _classes(child):
                    self.emit(f"*{text}*")
                else:
                    lines.append(f"- {text}")
            self.emit("\n".join(lines))
        elif "diagram-slot" in classes:
            self.picture(element.get("data-diagram"))
        elif tag in ("h1", "h2", "h3", "h4"):
            self.emit("#" * int(tag[1]) + " " + self.inline(element))
        elif tag == "p":
            text = self.inline(element)
            if text:
                self.emit(f"*{text}*" if classes & {"note", "empty"} else
                          f"> {text}" if "notice" in classes else text)
        elif tag in ("ul", "ol"):
            self.emit(self.listing(element, tag == "ol", 0))
        elif tag == "nav":
            items = element.findall(".//li")
            if items:
                lines = []
                for li in items:
                    css = li.get("class") or ""
                    level = int(css[-1]) if css[-1:].isdigit() else 1
                    lines.append("  " * max(0, level - 1) + "- " + self.inline(li))
                self.emit("\n".join(lines))
            else:
                self.block(element)
        elif tag == "table":
            self.table(element)
        elif tag == "figcaption":
            self.emit(f"*{self.inline(element)}*")
        elif tag == "img":
            source = element.get("src") or ""
            if source.startswith("data:"):
                self.emit(f"![{_escape(element.get('alt') or '')}]({source})")
        else:
            self.block(element)

    def listing(self, element: Any, ordered: bool, depth: int) -> str:
        lines = []
        number = 0
        for item in element:
            if not isinstance(item.tag, str) or item.tag != "li":
                continue
            number += 1
            marker = f"{number}." if ordered else "-"
            lines.append("   " * depth + f"{marker} {self.inline(item)}")
            for sub in item:
                if isinstance(sub.tag, str) and sub.tag in ("ul", "ol"):
                    lines.append(self.listing(sub, sub.tag == "ol", depth + 1))
        return "\n".join(lines)

    def cover(self, element: Any) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "h1":
                self.emit("# " + self.inline(child))
            elif child.tag == "table":
                lines = []
                for tr in child.iter("tr"):
                    cells = [self.inline(c) for c in tr if isinstance(c.tag, str)]
                    if len(cells) >= 2:
                        lines.append(f"- **{cells[0]}:** {cells[1]}")
                self.emit("\n".join(lines))
            else:
                self.node(child)
        self.emit("---")

    def picture(self, key: str | None) -> None:
        diagram = self.source.diagrams.get(key or "")
        if diagram is None:
            return
        data = base64.b64encode(diagram.svg().encode("utf-8")).decode("ascii")
        self.emit(f"![{_escape(diagram.title)}](data:image/svg+xml;base64,{data})")

    def table(self, element: Any) -> None:
        caption = element.find("caption")
        if caption is not None:
            self.emit(f"**{self.inline(caption)}**")
        rows: list[tuple[bool, list[str], list[bool]]] = []
        for tr in element.iter("tr"):
            cells, numeric = [], []
            header = tr.getparent() is not None and tr.getparent().tag == "thead"
            for cell in tr:
                if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                    continue
                text = self.inline(cell, in_table=True) or " "
                span = int(cell.get("colspan") or 1)
                cells += [text] + [" "] * (span - 1)
                numeric += ["num" in _classes(cell)] * span
            rows.append((header, cells, numeric))
        if not rows:
            return
        width = max(len(cells) for _, cells, _ in rows)
        head = next((r for r in rows if r[0]), None)
        body = [r for r in rows if r is not head]
        header_cells = (head[1] if head else [" "] * width) + [" "] * width
        header_cells = header_cells[:width]
        align_source = body[0][2] if body else [False] * width
        align = ["---:" if i < len(align_source) and align_source[i] else "---"
                 for i in range(width)]
        lines = ["| " + " | ".join(header_cells) + " |", "| " + " | ".join(align) + " |"]
        for _, cells, _ in body:
            cells = (cells + [" "] * width)[:width]
            lines.append("| " + " | ".join(cells) + " |")
        self.emit("\n".join(lines))


def write_markdown(document: Document) -> str:
    writer = _Writer(document)
    body = document.tree.find("body")
    if body is not None:
        writer.block(body)
    return "".join(writer.out).rstrip() + "\n"
