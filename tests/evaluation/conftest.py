from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import URIRef

from spbe_arch import iris
from spbe_arch.datasets import base_sources
from spbe_arch.repository import LoadSource, Repository, open_repository

FIXTURE = Path(__file__).with_name("fixture.ttl")
KODE = "9999"


@pytest.fixture
def repository() -> Iterator[Repository]:
    """Ontology, references, evaluation frameworks and a small instansi 9999."""
    repo = open_repository("memory:")
    repo.load([*base_sources(), LoadSource(FIXTURE, "turtle", iris.instansi_graph(KODE),
                                           "fixture.ttl")])
    yield repo
    repo.close()


def instansi_graph() -> URIRef:
    return iris.instansi_graph(KODE)
