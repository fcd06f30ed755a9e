"""The rules in shapes/: well documented, and each one finds the fault planted for it."""

from __future__ import annotations

from collections import defaultdict

import pytest
from rdflib.namespace import RDFS
from rdflib.term import Literal, URIRef
from tests.validation.faults import FAULTS, Builder

from spbe_arch.repository import Repository
from spbe_arch.validation import validate
from spbe_arch.validation.shapes import ShapesGraph
from spbe_arch.vocab import SH

SHAPES_NS = "https://w3id.org/spbe-arch/shapes#"


def ours(shapes: ShapesGraph) -> list[URIRef]:
    return sorted(n for n in shapes.shapes
                  if isinstance(n, URIRef) and str(n).startswith(SHAPES_NS))


def test_every_shape_is_documented(shapes: ShapesGraph) -> None:
    problems = []
    for node in ours(shapes):
        g = shapes.graph
        labels = {m.language for m in g.objects(node, RDFS.label) if isinstance(m, Literal)}
        messages = {m.language for m in g.objects(node, SH.message) if isinstance(m, Literal)}
        comments = {m.language: str(m) for m in g.objects(node, RDFS.comment)
                    if isinstance(m, Literal)}
        shape = shapes.shapes[node]
        has_constraints = (node, SH.property, None) not in g or (node, SH.sparql, None) in g
        if {"id", "en"} - labels:
            problems.append(f"{node}: rdfs:label @id and @en")
        if {"id", "en"} - set(comments):
            problems.append(f"{node}: rdfs:comment @id and @en")
        elif not ("Sumber:" in comments["id"] and "Source:" in comments["en"]
                  and "Tujuan:" in comments["id"] and "Purpose:" in comments["en"]):
            problems.append(f"{node}: comment must say Tujuan/Sumber (Purpose/Source)")
        if has_constraints:
            if {"id", "en"} - messages:
                problems.append(f"{node}: sh:message @id and @en")
            if (node, SH.severity, None) not in g:
                problems.append(f"{node}: sh:severity")
            if shape.severity not in (SH.Violation, SH.Warning, SH.Info):
                problems.append(f"{node}: severity {shape.severity}")
    assert not problems, "\n".join(problems)


def test_regulations_are_cited_only_where_verified(shapes: ShapesGraph) -> None:
    """A comment naming a regulation as the source says VERIFIED or explains it is practice."""
    for node in ours(shapes):
        for comment in shapes.graph.objects(node, RDFS.comment):
            text = str(comment)
            source = text.split("Sumber:", 1)[-1] if "Sumber:" in text else \
                text.split("Source:", 1)[-1]
            # an UNSURE fact is never the whole basis: the comment says what is verified,
            # or that the rule is practice / provisional
            assert "UNSURE" not in source or any(
                word in source for word in ("VERIFIED", "praktik", "practice", "sementara",
                                            "provisional")), (node, text)


def test_every_rule_has_a_fault(shapes: ShapesGraph) -> None:
    missing = [str(n) for n in ours(shapes) if str(n)[len(SHAPES_NS):] not in FAULTS]
    assert not missing


@pytest.fixture(scope="module")
def fault_results(faults_repository: Repository) -> dict[str, set[str]]:
    report = validate(faults_repository)
    found: dict[str, set[str]] = defaultdict(set)
    for result in report.results:
        found[result.shape_name()].add(str(result.focus_node))
    return found


@pytest.mark.parametrize("rule", sorted(FAULTS))
def test_rule_finds_its_fault(rule: str, shapes: ShapesGraph, fault_builder: Builder,
                              fault_results: dict[str, set[str]]) -> None:
    node = URIRef(SHAPES_NS + rule)
    shape = shapes.shapes[node]
    # a node shape that only groups property shapes reports through them
    names = {rule}
    if not shape.is_property and (node, SH.sparql, None) not in shapes.graph:
        names |= {str(p)[len(SHAPES_NS):] for p in shapes.graph.objects(node, SH.property)}
    focus = set().union(*(fault_results.get(n, set()) for n in names))
    planted = {str(e) for e in next(v for k, v in fault_builder.faults.items()
                                    if k == rule or rule in getattr(FAULTS[k], "rules", ()))}
    assert focus, f"{rule} found nothing"
    assert planted & focus, f"{rule} did not report the planted elements {planted}"


def test_plain_literal_in_list(faults_repository: Repository) -> None:
    """sh:in over plain literals (validitasData): exact text matches, case, trailing space and
    language tags do not (ARCHITECTURE hazard: mixed parsers made this report false
    violations)."""
    report = validate(faults_repository)
    found = {str(r.value) for r in report.results
             if r.shape_name() == "Data-validitas" and r.source_constraint_component
             == SH.InConstraintComponent}
    assert found == {"harian", "Bulanan", "Tahunan "}
    clean_values = [r for r in report.results if r.shape_name() == "Data-validitas"
                    and str(r.value) == "Tahunan"]
    assert clean_values == []


def test_every_rule_is_in_the_docs(shapes: ShapesGraph) -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "validation.md").read_text("utf-8")
    missing = [str(n)[len(SHAPES_NS):] for n in ours(shapes)
               if f"`{str(n)[len(SHAPES_NS):]}`" not in doc]
    assert not missing, f"rules missing from docs/validation.md: {missing}"
