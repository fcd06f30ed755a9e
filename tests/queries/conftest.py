"""A small repository with known answers (fixture.trig) for the named-query tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from spbe_arch import datasets, iris
from spbe_arch.repository import LoadSource, Repository, open_repository

FIXTURE = Path(__file__).with_name("fixture.trig")


@pytest.fixture(scope="session")
def fixture_repository() -> Iterator[Repository]:
    """fixture.trig plus the project's ontology (labels of enumerations). Read-only use."""
    repository = open_repository("memory:")
    sources = [LoadSource(FIXTURE, "trig", None, FIXTURE.name)]
    sources += [LoadSource(path, "turtle", iris.ontology_graph(), path.name)
                for path in datasets.ontology_files()]
    repository.load(sources)
    yield repository
    repository.close()
