"""The W3C SHACL test suite, run from its manifests, on the fast path and on pySHACL.

Every `sht:Validate` case of tests/fixtures/w3c-shacl/ (core and SPARQL) is run by
`spbe_arch.validation` (fast path, with pySHACL for shapes it cannot compile) and compared
with the manifest's expected report the suite's way (isomorphic result graphs over focus
node, path, value, source shape, component, severity); the fast-path results are also
compared with pySHACL's. Cases pySHACL itself fails are expected to fail identically.
"""

from __future__ import annotations

import pytest
from rdflib.namespace import RDF
from rdflib.term import URIRef
from tests.validation.w3c import (
    Case,
    cases,
    comparison_graph,
    comparison_graph_by_text,
    comparison_graph_from_report,
    ntriples,
    same_results,
)

from spbe_arch.repository import LoadSource, open_repository
from spbe_arch.validation.engine import Scope, Validator
from spbe_arch.validation.reference import run_pyshacl
from spbe_arch.validation.shapes import ShapeError, load_shapes, parse_rdf_file
from spbe_arch.vocab import SH

CASES = cases()
REFERENCE_FAILS = {
    # pySHACL, the reference, does not pass these; the fast path must do what pySHACL does
    "property/uniqueLang-002": "pySHACL reports the results that the suite does not expect",
    "node/prefixes-001": "pySHACL cannot resolve the prefixes (error)",
    "pre-binding/shapesGraph-001": "pySHACL does not support $shapesGraph (error)",
}
GRAPH = URIRef("urn:test:data")


def run(case: Case) -> tuple[Validator, list[object], Exception | None]:
    repository = open_repository("memory:")
    repository.load([LoadSource(ntriples(case.data), "ntriples", GRAPH, str(case.data))])
    shapes = load_shapes([case.shapes])
    validator = Validator(shapes)
    try:
        outcome = validator.run(repository, Scope([GRAPH]))
    except ShapeError as exc:
        return validator, [], exc
    return validator, list(outcome.report.results), None


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case) -> None:
    validator, results, error = run(case)
    shapes = validator.shapes
    # the reference, on the same terms (both parse with Oxigraph)
    try:
        reference = run_pyshacl(parse_rdf_file(case.data), shapes)
        reference_error: Exception | None = None
    except ShapeError as exc:
        reference, reference_error = [], exc
    assert (error is None) == (reference_error is None), (error, reference_error)
    if error is not None:
        assert case.expected is None or case.id in REFERENCE_FAILS
        return
    assert same_results(comparison_graph_by_text(results),  # type: ignore[arg-type]
                        comparison_graph_by_text(reference)), "fast path differs from pySHACL"
    actual = comparison_graph(results, shapes.graph)  # type: ignore[arg-type]
    if case.id in REFERENCE_FAILS:
        assert case.expected is None or not same_results(actual, case.expected)
        return
    assert case.expected is not None, "the suite expects a failure here"
    assert same_results(actual, case.expected), "fast path differs from the suite"


@pytest.mark.slow
def test_components_of_our_shapes_are_covered_on_the_fast_path() -> None:
    """Every constraint component the project's shapes use is exercised by W3C cases that
    run entirely on the fast path and pass."""
    from spbe_arch.validation.service import load_validation_shapes, validator_for

    ours = {k for c in validator_for(load_validation_shapes()).fast_checks for k in c.components}
    covered: set[URIRef] = set()
    for case in CASES:
        if case.expected is None or case.id in REFERENCE_FAILS:
            continue
        validator, results, error = run(case)
        if error is not None or validator.unsupported():
            continue
        if same_results(comparison_graph(results, validator.shapes.graph),  # type: ignore[arg-type]
                        case.expected):
            covered |= {k for c in validator.fast_checks for k in c.components}
            expected_components = set(case.expected.objects(None, SH.sourceConstraintComponent))
            covered |= {c for c in expected_components if isinstance(c, URIRef)}
    missing = ours - covered
    assert not missing, f"components without a passing fast-path W3C case: {missing}"


def test_manifests_are_read() -> None:
    assert len(CASES) > 100
    assert any(c.expected is None for c in CASES)
    graph = parse_rdf_file(CASES[0].manifest)
    assert (None, RDF.type, None) in graph
    assert comparison_graph_from_report  # the expected side is built from the manifests
