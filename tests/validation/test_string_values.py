"""String constraints (sh:datatype xsd:string, sh:minLength, sh:maxLength, sh:pattern) on
every kind of value node, fast path against pySHACL.

The compiled tests read a value once or twice rather than four or five times (Oxigraph reads
a long string out of the store for every function applied to it), by taking a shortcut for
xsd:string literals; the other kinds of value must still get pySHACL's answer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.validation.conftest import keys

from spbe_arch.repository import LoadSource, open_repository
from spbe_arch.validation.engine import Scope, Validator
from spbe_arch.validation.reference import run_pyshacl
from spbe_arch.validation.shapes import load_shapes, parse_rdf_file
from spbe_arch.vocab import SH

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ;
    sh:property [ sh:path ex:p ; sh:datatype xsd:string ; sh:minLength 3 ; sh:maxLength 8 ] ;
    sh:property [ sh:path ex:p ; sh:pattern "^[A-Za-z0-9][A-Za-z0-9._/-]*$" ] ;
    sh:property [ sh:path ex:p ; sh:pattern "^ab" ; sh:flags "i" ] ;
    sh:property [ sh:path ex:p ; sh:minLength 2 ] .
"""

VALUES = [
    '"abc"', '"ab"', '""', '"abcdefghij"', '"ABc.d/e-f"', '"a b"', '"äbc"', '"abçd"',
    '"abc"@id', '"ab"@en', '"abcdefghijk"@en',
    '"abc"^^xsd:string', '"12"^^xsd:integer', '"123456789"^^xsd:integer',
    '"2024-01-02"^^xsd:date', '"2024-02-30"^^xsd:date', '"satu"^^xsd:integer',
    '"true"^^xsd:boolean', '"abc"^^ex:custom', '"x"^^ex:custom',
    '"1.50"^^xsd:decimal', '"abc\\ndef"', '"Abx"',
    "ex:abc", "ex:a", "<http://example.org/a%20b>", "_:b1", "_:b2",
]


def _data() -> str:
    lines = ["@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
             "@prefix ex: <http://example.org/> ."]
    for index, value in enumerate(VALUES):
        lines.append(f"ex:s{index} ex:p {value} .")
    # several values on one focus node: each value is judged on its own
    lines.append('ex:many ex:p "abc", "x", ex:iri, "abcd"@en, "9"^^xsd:integer .')
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("engine_form", ["full", "focus"])
def test_string_constraints_match_pyshacl_on_every_kind_of_value(
        tmp_path: Path, engine_form: str) -> None:
    shapes_file = tmp_path / "shapes.ttl"
    shapes_file.write_text(SHAPES, encoding="utf-8")
    data_file = tmp_path / "data.ttl"
    data_file.write_text(_data(), encoding="utf-8")
    graph = "urn:test:data"
    repository = open_repository("memory:")
    repository.load([LoadSource(data_file, "turtle", graph, str(data_file))])  # type: ignore[arg-type]
    shapes = load_shapes([shapes_file])
    validator = Validator(shapes, engine="fast")
    scope = Scope([graph])  # type: ignore[list-item]
    if engine_form == "focus":
        focus = list(parse_rdf_file(data_file).subjects(unique=True))
        scope = Scope([graph], focus={p.shape.label(): focus  # type: ignore[list-item]
                                      for p in validator.plans})
    fast = validator.run(repository, scope).report.results
    # the data as the repository holds it (Oxigraph writes typed literals canonically)
    reference = run_pyshacl(parse_rdf_file(data_file), shapes)
    assert len(fast) > 30
    assert {r.source_constraint_component for r in fast} >= {
        SH.DatatypeConstraintComponent, SH.MinLengthConstraintComponent,
        SH.MaxLengthConstraintComponent, SH.PatternConstraintComponent}
    assert keys(fast) == keys(reference)  # type: ignore[arg-type]
