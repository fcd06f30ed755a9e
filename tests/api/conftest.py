"""Fixtures for the service tests: an app over a private in-memory store, with tokens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.served import served

from spbe_arch import datasets, iris
from spbe_arch.access import TokenStore
from spbe_arch.api import create_app
from spbe_arch.repository import LoadSource, Repository, open_repository
from spbe_arch.settings import Settings

FIXTURE = Path(__file__).with_name("fixture.ttl")
OPD_A = str(iris.element_iri("3574", "opd", "DISKOMINFO"))
OPD_B = str(iris.element_iri("3574", "opd", "DISDUKCAPIL"))


@dataclass
class Service:
    """A running app (in process), its store and a token per role."""

    client: TestClient
    repository: Repository
    settings: Settings
    tokens: dict[str, str] = field(default_factory=dict)

    def auth(self, role: str | None) -> dict[str, str]:
        return {} if role is None else {"Authorization": f"Bearer {self.tokens[role]}"}


ServiceFactory = Callable[..., Service]


@pytest.fixture
def make_service() -> Iterator[ServiceFactory]:
    """`make_service(repository=None, host=None, **settings)` -> a started `Service`."""
    clients: list[TestClient] = []

    def factory(repository: Repository | None = None, host: str | None = None,
                **overrides: object) -> Service:
        settings = Settings(**{"store": "memory:", **overrides})  # type: ignore[arg-type]
        repo = repository or open_repository("memory:", settings)
        tokens = TokenStore(None)
        secrets = {
            "admin": tokens.create("admin-uji", "admin")[0],
            "reader": tokens.create("pembaca-uji", "reader")[0],
            "editor": tokens.create("editor-diskominfo", "editor", [OPD_A])[0],
            "editor_b": tokens.create("editor-disdukcapil", "editor", [OPD_B])[0],
        }
        app = create_app(settings, repo, host=host, tokens=tokens)
        client = TestClient(app, base_url="http://www.example")
        client.__enter__()
        clients.append(client)
        return Service(client, app.state.repository, settings, secrets)

    yield factory
    for client in clients:
        client.__exit__(None, None, None)


def architecture_repository() -> Repository:
    """Ontology, shapes, references and the small architecture of `fixture.ttl`."""
    repository = open_repository("memory:")
    repository.load([*datasets.base_sources(),
                     LoadSource(FIXTURE, "turtle", iris.instansi_graph("3574"), FIXTURE.name)])
    return repository


@pytest.fixture
def service(make_service: ServiceFactory) -> Service:
    """An app over an empty store."""
    return make_service()


@pytest.fixture
def arch_repository() -> Repository:
    return architecture_repository()


@pytest.fixture
def arch_service(make_service: ServiceFactory) -> Service:
    """An app over `architecture_repository()`."""
    return make_service(architecture_repository())


@pytest.fixture(scope="module")
def serve_app() -> Iterator[Callable[[Any], str]]:
    """`serve_app(app)` -> the base URL of `app` served as `spbe-arch serve` serves it
    (`tests.served`), until the module's tests are done: for the tests that need real HTTP
    clients."""
    with ExitStack() as running:
        yield lambda app: running.enter_context(served(app))
