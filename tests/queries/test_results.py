"""CSV, TSV and JSON output of SELECT results follows the W3C result formats."""

from __future__ import annotations

import csv
import io
import json

from rdflib import XSD, BNode, Literal, URIRef

from spbe_arch.queries.results import ask_to_json, compact, to_csv, to_json, to_tsv
from spbe_arch.repository import SelectResult

RESULT = SelectResult(
    ["s", "label", "n"],
    [
        {"s": URIRef("https://w3id.org/spbe-arch/id/3574/opd/DISKOMINFO"),
         "label": Literal('Dinas "Kominfo", Kota', lang="id"),
         "n": Literal(3, datatype=XSD.integer)},
        {"s": BNode("b0"), "label": Literal("baris\nkedua")},
    ],
)


def test_csv_quotes_and_leaves_unbound_empty() -> None:
    text = to_csv(RESULT)
    assert text.startswith("s,label,n\r\n")
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[1] == ["https://w3id.org/spbe-arch/id/3574/opd/DISKOMINFO",
                         'Dinas "Kominfo", Kota', "3"]
    assert parsed[2] == ["_:b0", "baris\nkedua", ""]


def test_tsv_uses_rdf_term_syntax() -> None:
    lines = to_tsv(RESULT).splitlines()
    assert lines[0] == "?s\t?label\t?n"
    assert lines[1].split("\t") == [
        "<https://w3id.org/spbe-arch/id/3574/opd/DISKOMINFO>",
        '"Dinas \\"Kominfo\\", Kota"@id',
        '"3"^^<http://www.w3.org/2001/XMLSchema#integer>',
    ]
    assert lines[2].split("\t") == ["_:b0", '"baris\\nkedua"', ""]


def test_json_is_sparql_results_json() -> None:
    document = json.loads(to_json(RESULT))
    assert document["head"]["vars"] == ["s", "label", "n"]
    first, second = document["results"]["bindings"]
    assert first["label"] == {"type": "literal", "value": 'Dinas "Kominfo", Kota',
                              "xml:lang": "id"}
    assert first["n"]["datatype"] == str(XSD.integer)
    assert second["s"] == {"type": "bnode", "value": "b0"}
    assert "n" not in second
    assert json.loads(ask_to_json(True)) == {"head": {}, "boolean": True}


def test_compact_uses_project_prefixes() -> None:
    assert compact(URIRef("https://w3id.org/spbe-arch/ontology#Elektronik")) == "spbe:Elektronik"
    assert compact(URIRef("https://w3id.org/spbe-arch/id/3574/opd/X")) == "id:3574/opd/X"
    assert compact(URIRef("https://example.org/x")) == "https://example.org/x"
    assert compact(None) == ""
