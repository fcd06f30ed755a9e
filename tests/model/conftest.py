"""Fixtures for the model tests: a memory repository holding a small reference and OPDs."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.term import URIRef

from spbe_arch import iris
from spbe_arch.repository import LoadSource, Repository, open_repository

FIXTURE = Path(__file__).with_name("fixture.ttl")
REFERENCE_GRAPH = URIRef("https://w3id.org/spbe-arch/graph/reference/perpres-132-2022")


def load_fixture(repository: Repository) -> None:
    """Reference concepts into the reference graph, the rest into the instansi graph."""
    repository.load([LoadSource(FIXTURE, "turtle", iris.instansi_graph("3574"), FIXTURE.name)])


@pytest.fixture
def repo() -> Repository:
    repository = open_repository("memory:")
    load_fixture(repository)
    return repository
