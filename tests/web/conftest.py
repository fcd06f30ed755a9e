"""Fixtures for the web UI tests (helpers in `tests/web/helpers.py`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from tests.web.helpers import Web, make, prepared_demo

from spbe_arch.datasets import load_demo
from spbe_arch.repository import Repository, open_repository

WebFactory = Callable[..., Web]


@pytest.fixture
def make_web() -> Iterator[WebFactory]:
    made: list[Web] = []

    def factory(repository: Repository | None = None, host: str | None = None,
                **settings: object) -> Web:
        web = make(repository or open_repository("memory:"), host, **settings)
        made.append(web)
        return web

    yield factory
    for web in made:
        web.close()


@pytest.fixture(scope="module")
def demo_web() -> Iterator[Web]:
    """The prepared demo, shared by the tests of a module: read-only use."""
    web = make(prepared_demo())
    yield web
    web.close()


@pytest.fixture
def fresh_demo_web(make_web: WebFactory) -> Web:
    """A demo repository of its own (for tests that write)."""
    repository = open_repository("memory:")
    load_demo(repository)
    return make_web(repository)
