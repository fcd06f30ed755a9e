"""Fixtures every test area may use. Keep this small: area fixtures live in tests/<area>/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from spbe_arch.repository import Repository, open_repository


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A browser test module starts one server and one chromium for all its tests
    (module-scoped fixtures): its tests go to one xdist worker (`--dist loadgroup` in
    scripts/test), or each worker would start its own and run the module's audit again."""
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


@pytest.fixture
def memory_repository() -> Iterator[Repository]:
    """An empty in-memory repository, private to the test."""
    repository = open_repository("memory:")
    yield repository
    repository.close()


@pytest.fixture(scope="session")
def demo_repository() -> Iterator[Repository]:
    """Ontology, shapes, references and the Kota Probolinggo sample in memory (read-only use:
    it is shared by every test of the session)."""
    from spbe_arch.datasets import load_demo

    repository = open_repository("memory:")
    load_demo(repository)
    yield repository
    repository.close()
