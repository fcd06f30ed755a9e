"""A small, deterministic Turtle writer for the project's generated data files.

rdflib's serializer is correct but its layout may change between releases; generated files
are committed and compared byte for byte, so they are written by this module with a fixed
layout: prefixes sorted, subjects in the order given, `a` first, other predicates sorted by
IRI, objects sorted by their Turtle text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import RDF, XSD
from rdflib.term import BNode, Literal, Node, URIRef

# A conservative subset of Turtle's PN_LOCAL: anything else is written as a full <IRI>.
_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that orders 'X.2' before 'X.10' (codes are compared, never interpreted)."""
    return tuple((0, int(part)) if part.isdigit() else (1, part)
                 for part in re.split(r"(\d+)", text) if part)


def escape(text: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


@dataclass
class Block:
    """All statements about one subject."""

    subject: URIRef
    statements: dict[URIRef, list[Node]] = field(default_factory=dict)
    comment: str | None = None

    def add(self, predicate: URIRef, *objects: Node | None) -> Block:
        for obj in objects:
            if obj is not None:
                self.statements.setdefault(predicate, []).append(obj)
        return self


class TurtleDocument:
    """Collects blocks and renders them as Turtle text."""

    def __init__(self, prefixes: Mapping[str, str], header: Iterable[str] = ()) -> None:
        self.prefixes = dict(prefixes)
        self.header = list(header)
        self.blocks: list[Block] = []

    def block(self, subject: URIRef, comment: str | None = None) -> Block:
        new = Block(subject, comment=comment)
        self.blocks.append(new)
        return new

    def term(self, node: Node) -> str:
        if isinstance(node, URIRef):
            if node == RDF.type:
                return "a"
            text = str(node)
            best, chosen = "", f"<{text}>"
            for prefix, namespace in self.prefixes.items():
                if text.startswith(namespace) and len(namespace) > len(best):
                    local = text[len(namespace):]
                    if _LOCAL.match(local):
                        best, chosen = namespace, f"{prefix}:{local}"
            return chosen
        if isinstance(node, Literal):
            return self._literal(node)
        if isinstance(node, BNode):
            raise ValueError("blank nodes are not written by this writer")
        raise TypeError(f"cannot write {node!r}")

    def _literal(self, node: Literal) -> str:
        lexical = str(node)
        if node.language:
            return f'"{escape(lexical)}"@{node.language}'
        datatype = node.datatype
        if datatype is None or datatype == XSD.string:
            return f'"{escape(lexical)}"'
        if datatype == XSD.integer and re.fullmatch(r"[+-]?\d+", lexical):
            return lexical
        if datatype == XSD.boolean and lexical in ("true", "false"):
            return lexical
        return f'"{escape(lexical)}"^^{self.term(datatype)}'

    def render(self) -> str:
        lines = [f"# {line}" if line else "#" for line in self.header]
        if lines:
            lines.append("")
        for prefix in sorted(self.prefixes):
            lines.append(f"@prefix {prefix}: <{self.prefixes[prefix]}> .")
        for block in self.blocks:
            lines.append("")
            if block.comment:
                lines.append(f"# {block.comment}")
            lines.extend(self._render_block(block))
        return "\n".join(lines) + "\n"

    def _render_block(self, block: Block) -> list[str]:
        predicates = sorted(block.statements, key=lambda p: (p != RDF.type, str(p)))
        parts = []
        for predicate in predicates:
            objects = sorted({self.term(o) for o in block.statements[predicate]}, key=natural_key)
            parts.append(f"{self.term(predicate)} {' , '.join(objects)}")
        head = self.term(block.subject)
        if not parts:
            raise ValueError(f"no statements about {block.subject}")
        out = [f"{head} {parts[0]}" + (" ;" if len(parts) > 1 else " .")]
        for i, part in enumerate(parts[1:], start=2):
            out.append(f"    {part}" + (" ;" if i < len(parts) else " ."))
        return out
