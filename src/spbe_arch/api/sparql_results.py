"""SPARQL 1.1 result formats (JSON, XML, CSV, TSV) for rows of pyoxigraph terms.

The query workers read solutions one by one so that they can stop at the result-size
limit, which pyoxigraph's own serializers (they consume the whole iterator) cannot do;
these writers then turn the rows into the format the client negotiated. The output is
checked against pyoxigraph's parsers in tests/api/test_sparql_results.py.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = Sequence[Term | None]

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
RESULT_FORMATS = (JSON, XML, CSV, TSV)
BOOLEAN_FORMATS = (JSON, XML)

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


def _json_term(term: Term) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {  # RDF-star, as Oxigraph and Jena write it
        "subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
        "object": _json_term(term.object)}}


_XML_TEXT = {"\r": "&#13;"}
"""An XML parser reads a raw carriage return as a line end (CR LF and CR become LF, XML
1.0 §2.11), so a literal's \r is written as a character reference to reach the client."""


def keep_carriage_returns(xml: bytes) -> bytes:
    """An XML document (RDF/XML from Oxigraph's serializer) with every raw CR written as
    `&#13;`. Oxigraph writes a literal's CR as it is, and conforming XML parsers (rdflib,
    so SPARQLWrapper's default for CONSTRUCT) read it as a line feed. The serializer
    indents with LF and tabs only, so every CR in its output is inside a literal."""
    return xml.replace(b"\r", b"&#13;") if b"\r" in xml else xml


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return (f"<literal xml:lang={quoteattr(term.language)}>"
                    f"{escape(term.value, _XML_TEXT)}</literal>")
        if term.datatype.value != XSD_STRING:
            return (f"<literal datatype={quoteattr(term.datatype.value)}>"
                    f"{escape(term.value, _XML_TEXT)}</literal>")
        return f"<literal>{escape(term.value, _XML_TEXT)}</literal>"
    return (f"<triple><subject>{_xml_term(term.subject)}</subject>"
            f"<predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>")


def _csv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)  # blank node `_:b0`, quoted triple in N-Triples-star syntax


def _tsv_term(term: Term | None) -> str:
    # N-Triples syntax, which pyoxigraph's str() writes with \t and \n escaped
    return "" if term is None else str(term)


def serialize_solutions(variables: Sequence[str], rows: Sequence[Row], media_type: str) -> bytes:
    """A SELECT result in `media_type` (one of `RESULT_FORMATS`)."""
    if media_type == JSON:
        bindings = [{name: _json_term(term) for name, term in zip(variables, row, strict=True)
                     if term is not None} for row in rows]
        return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}},
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if media_type == XML:
        parts = ['<?xml version="1.0" encoding="UTF-8"?>\n',
                 f'<sparql xmlns="{RESULTS_NS}">\n<head>']
        parts += [f"<variable name={quoteattr(name)}/>" for name in variables]
        parts.append("</head>\n<results>\n")
        for row in rows:
            parts.append("<result>")
            parts += [f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
                      for name, term in zip(variables, row, strict=True) if term is not None]
            parts.append("</result>\n")
        parts.append("</results>\n</sparql>\n")
        return "".join(parts).encode("utf-8")
    if media_type == CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_term(term) for term in row] for row in rows)
        return buffer.getvalue().encode("utf-8")
    if media_type == TSV:
        lines = ["\t".join(f"?{name}" for name in variables)]
        lines += ["\t".join(_tsv_term(term) for term in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unsupported result format {media_type}")


def serialize_boolean(value: bool, media_type: str) -> bytes:
    """An ASK result in `media_type` (JSON or XML)."""
    if media_type == JSON:
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if media_type == XML:
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{RESULTS_NS}">'
                f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
                ).encode()
    raise ValueError(f"unsupported boolean result format {media_type}")
