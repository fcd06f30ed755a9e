"""Every SPBE term used in data/ and shapes/ is declared in the ontology."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, Graph, URIRef

from spbe_arch import datasets
from spbe_arch.vocab import SPBE

NS = str(SPBE._NS)
DECLARED_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual}


def _files() -> list[Path]:
    root = datasets.project_root()
    return sorted((root / "data").rglob("*.ttl")) + sorted((root / "shapes").rglob("*.ttl"))


@pytest.fixture(scope="module")
def declared(ontology: Graph) -> set[str]:
    return {str(s) for t in DECLARED_TYPES for s in ontology.subjects(RDF.type, t)
            if isinstance(s, URIRef)}


def test_there_is_data_to_check() -> None:
    names = {p.parent.name for p in _files()}
    assert {"perpres-132-2022", "kota-probolinggo"} <= names


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_spbe_terms_used_are_declared(path: Path, declared: set[str]) -> None:
    used: dict[str, str] = {}
    for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        # every position: types, predicates, enumerated values, sh:path / sh:class in shapes
        for term, role in ((triple.subject, "subject"), (triple.predicate, "predicate"),
                           (triple.object, "object")):
            if isinstance(term, ox.NamedNode) and term.value.startswith(NS):
                used.setdefault(term.value, role)
    undeclared = sorted(f"{iri[len(NS):]} ({role})" for iri, role in used.items()
                        if iri not in declared)
    assert not undeclared, f"{path.name} uses undeclared SPBE terms: {undeclared}"
