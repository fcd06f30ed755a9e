"""Fixtures of the validation tests: the shapes, and repositories with known content.

- `clean_repository`: a small synthetic instansi (9901) that satisfies every rule;
- `faults_repository`: that instansi plus one (9902) with a fault for every rule and a third
  (9903) without period, name or most domains (`tests/validation/faults.py`);
- `demo_repository` (tests/conftest.py): Kota Probolinggo.
All three hold the ontology, the shapes and the reference versions, as `load_demo` loads them.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator

import pytest
from tests.validation.faults import Builder, all_faults, clean

from spbe_arch import datasets, iris
from spbe_arch.repository import LoadSource, Repository, open_repository
from spbe_arch.validation.report import ValidationResult
from spbe_arch.validation.service import load_validation_shapes
from spbe_arch.validation.shapes import ShapesGraph


@pytest.fixture(autouse=True, scope="session")
def _quiet_rdflib() -> None:
    # ill-typed literals are planted on purpose; rdflib logs a traceback for each
    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)


def repository_with(*builders: Builder) -> Repository:
    repository = open_repository("memory:")
    sources = datasets.base_sources()
    for builder in builders:
        sources.append(LoadSource(builder.graph.serialize(format="nt", encoding="utf-8"),
                                  "ntriples", iris.instansi_graph(builder.kode), builder.kode))
    repository.load(sources)
    return repository


@pytest.fixture(scope="session")
def shapes() -> ShapesGraph:
    return load_validation_shapes()


@pytest.fixture(scope="session")
def clean_repository() -> Iterator[Repository]:
    repository = repository_with(clean())
    yield repository
    repository.close()


@pytest.fixture(scope="session")
def fault_builder() -> Builder:
    return all_faults()


@pytest.fixture(scope="session")
def faults_repository(fault_builder: Builder) -> Iterator[Repository]:
    repository = repository_with(clean(), fault_builder)
    yield repository
    repository.close()


def keys(results: list[ValidationResult]) -> Counter[tuple[object, ...]]:
    """The multiset of result identities (focus, path, value, shape, component, severity)."""
    return Counter(r.key() for r in results)


@pytest.fixture
def cli():  # type: ignore[no-untyped-def]
    """`cli("--store", s, "validate", …)` runs the app in-process (click's Result)."""
    from typer.testing import CliRunner

    from spbe_arch.cli import app

    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), catch_exceptions=True)

    return invoke
