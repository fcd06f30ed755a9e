from __future__ import annotations

import pytest
from rdflib import Graph

from spbe_arch import datasets


@pytest.fixture(scope="session")
def core_ontology() -> Graph:
    """spbe.ttl alone: the file that declares the SPBE terms."""
    graph = Graph()
    graph.parse(datasets.project_root() / "ontology" / "spbe.ttl", format="turtle")
    return graph


@pytest.fixture(scope="session")
def ontology() -> Graph:
    """Every ontology/*.ttl (spbe.ttl, alignments.ttl and the sibling vocabularies)."""
    graph = Graph()
    for path in datasets.ontology_files():
        graph.parse(path, format="turtle")
    return graph
