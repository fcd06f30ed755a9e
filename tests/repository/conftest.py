"""Fixtures of the repository tests: one `repository` fixture over every backend.

- `memory` — in-memory Oxigraph
- `oxigraph` — embedded Oxigraph on disk (small loads: the transactional path)
- `oxigraph-bulk` — embedded on disk with the bulk threshold at 0 (every load: bulk path)
- `oxigraph-server` — `oxigraph serve --union-default-graph` on loopback (remote backend)
- `virtuoso` — a private Virtuoso Open Source (remote backend, dataset named per query)

The servers start once per session and stop at its end. If Virtuoso cannot be installed
or started the tests FAIL with the reason; set SPBE_SKIP_VIRTUOSO=1 to skip them instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# --import-mode=importlib puts no test folder on sys.path; the helper modules of this area
# (repo_helpers, sparql_servers) are imported by name, so this folder goes there
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sparql_servers import (
    Server,
    ServerStartError,
    start_oxigraph,
    start_virtuoso,
)

from spbe_arch.repository import Repository, open_repository
from spbe_arch.repository.oxigraph import OxigraphRepository
from spbe_arch.repository.remote import RemoteRepository
from spbe_arch.settings import Settings

BACKENDS = [
    pytest.param("memory", id="memory"),
    pytest.param("oxigraph", id="oxigraph"),
    pytest.param("oxigraph-bulk", id="oxigraph-bulk"),
    pytest.param("oxigraph-server", id="oxigraph-server", marks=pytest.mark.remote),
    pytest.param("virtuoso", id="virtuoso", marks=[pytest.mark.remote, pytest.mark.virtuoso]),
]


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    try:
        server = start_oxigraph(tmp_path_factory.mktemp("oxigraph-server"))
    except ServerStartError as exc:
        pytest.fail(f"the Oxigraph server could not be started: {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if os.environ.get("SPBE_SKIP_VIRTUOSO") == "1":
        pytest.skip("SPBE_SKIP_VIRTUOSO=1: Virtuoso tests skipped on request")
    try:
        server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    except ServerStartError as exc:
        pytest.fail(f"Virtuoso could not be started: {exc}")
    yield server
    server.stop()


def remote_repository(server: Server) -> RemoteRepository:
    settings = Settings(store=f"sparql:{server.query_url}", update_url=server.update_url,
                        graph_store_url=server.graph_store_url, store_user=server.user,
                        store_password=server.password, store_auth=server.auth)
    repository = open_repository(settings.store, settings)
    assert isinstance(repository, RemoteRepository)
    return repository


def make_repository(kind: str, request: pytest.FixtureRequest, path: Path) -> Repository:
    if kind == "memory":
        return open_repository("memory:")
    if kind == "oxigraph":
        return open_repository(f"oxigraph:{path}")
    if kind == "oxigraph-bulk":
        return OxigraphRepository(path, bulk_threshold_bytes=0)
    server = request.getfixturevalue("oxigraph_server" if kind == "oxigraph-server"
                                     else "virtuoso_server")
    repository = remote_repository(server)
    repository.clear()  # the server lives for the session; every test starts empty
    return repository


@pytest.fixture(params=BACKENDS)
def repository(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Repository]:
    repo = make_repository(request.param, request, tmp_path / "store")
    yield repo
    repo.close()


@pytest.fixture
def backend(repository: Repository) -> str:
    """The kind of backend behind `repository` (for the few engine-specific expectations)."""
    if isinstance(repository, RemoteRepository):
        return "virtuoso" if "sparql-auth" in repository.update_url else "oxigraph-server"
    return "embedded"
