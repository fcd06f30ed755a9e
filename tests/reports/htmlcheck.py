"""Checks on generated HTML: every element closed in order, no external resource.

Written for the report tests (no extra dependency): a tokenizer that knows HTML's void
elements and raw-text elements, and reports every start tag without its end tag, every
end tag without its start tag, and every end tag closing the wrong element. The HTML the
reports write closes every non-void element explicitly, so optional end tags are not
allowed here either.
"""

from __future__ import annotations

import re

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
RAW_TEXT = {"script", "style", "textarea", "title"}
_TOKEN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<!DOCTYPE[^>]*>|</\s*([A-Za-z][\w:-]*)\s*>"
    r"|<([A-Za-z][\w:-]*)((?:\s+[^\s/>=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*(/?)>",
    re.DOTALL | re.IGNORECASE,
)


def unbalanced_tags(html: str) -> list[str]:
    """Problems with the nesting of `html` (empty when every element is closed in order)."""
    problems: list[str] = []
    stack: list[tuple[str, int]] = []
    position = 0
    while True:
        match = _TOKEN.search(html, position)
        if match is None:
            break
        position = match.end()
        line = html.count("\n", 0, match.start()) + 1
        end_name, start_name, _attrs, self_closing = match.groups()
        if start_name:
            name = start_name.lower()
            if name in VOID or self_closing:
                continue
            if name in RAW_TEXT:
                close = re.compile(rf"</\s*{name}\s*>", re.IGNORECASE).search(html, position)
                if close is None:
                    problems.append(f"line {line}: <{name}> never closed")
                    break
                position = close.end()
                continue
            stack.append((name, line))
        elif end_name:
            name = end_name.lower()
            if name in VOID:
                problems.append(f"line {line}: end tag for void element </{name}>")
                continue
            if not stack:
                problems.append(f"line {line}: </{name}> without a start tag")
                continue
            open_name, open_line = stack.pop()
            if open_name != name:
                problems.append(f"line {line}: </{name}> closes <{open_name}> opened on line"
                                f" {open_line}")
    problems += [f"line {line}: <{name}> never closed" for name, line in stack]
    return problems


_RESOURCE = re.compile(
    r"""(?:\b(?:src|href|xlink:href|poster|data|action|srcset)\s*=\s*["']?\s*|url\(\s*["']?"""
    r"""|@import\s+["']?)((?:https?:)?//[^"'\s)>]+)""",
    re.IGNORECASE,
)


def external_urls(html: str) -> list[str]:
    """Every URL of another host the HTML would load or link to (src, href, url(), @import)."""
    return [m.group(1) for m in _RESOURCE.finditer(html)]
