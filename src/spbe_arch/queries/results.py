"""Writing SELECT results as CSV, TSV and JSON (the SPARQL 1.1 result formats), and as text.

The CLI prints named-query results with these; the formats follow the W3C recommendations
("SPARQL 1.1 Query Results CSV and TSV Formats", "SPARQL 1.1 Query Results JSON Format") so
the output opens in spreadsheets and in any SPARQL tool.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rdflib.term import BNode, Literal, Node, URIRef

from spbe_arch.queries import PREFIXES
from spbe_arch.repository import SelectResult

SELECT_FORMATS = ("table", "csv", "tsv", "json")
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")


def plain_text(term: Node | None) -> str:
    """The CSV form of a term: an IRI as itself, a literal as its lexical form."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def compact(term: Node | None) -> str:
    """A short form for people: known namespaces as prefixes (`spbe:Elektronik`)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        # longest namespace first, so `…/ref/` does not hide a more specific prefix
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
            if text.startswith(namespace) and len(text) > len(namespace):
                return f"{prefix}:{text[len(namespace):]}"
        return text
    return plain_text(term)


def to_csv(result: SelectResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([plain_text(row.get(name)) for name in result.variables])
    return buffer.getvalue()


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_term(term: Node | None) -> str:
    """N-Triples syntax on one line (rdflib's n3() would use triple quotes for newlines)."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        text = f'"{str(term).translate(_ESCAPES)}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and str(term.datatype) != str(XSD_STRING):
            return f"{text}^^<{term.datatype}>"
        return text
    return term.n3()


def to_tsv(result: SelectResult) -> str:
    lines = ["\t".join(f"?{name}" for name in result.variables)]
    for row in result.rows:
        lines.append("\t".join(_tsv_term(row.get(name)) for name in result.variables))
    return "\n".join(lines) + "\n"


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    value: dict[str, str] = {"type": "literal", "value": str(term)}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype is not None:
        value["datatype"] = str(term.datatype)
    return value


def to_json(result: SelectResult) -> str:
    document: dict[str, Any] = {
        "head": {"vars": list(result.variables)},
        "results": {"bindings": [
            {name: _json_term(term) for name, term in row.items()} for row in result.rows
        ]},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def ask_to_json(value: bool) -> str:
    return json.dumps({"head": {}, "boolean": value}) + "\n"


def serialize(result: SelectResult, fmt: str) -> str:
    """`csv`, `tsv` or `json` text of a SELECT result."""
    if fmt == "csv":
        return to_csv(result)
    if fmt == "tsv":
        return to_tsv(result)
    if fmt == "json":
        return to_json(result)
    raise ValueError(f"unknown result format {fmt!r}")


__all__ = ["SELECT_FORMATS", "ask_to_json", "compact", "plain_text", "serialize", "to_csv",
           "to_json", "to_tsv"]
