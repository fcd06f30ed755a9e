"""A remote store's refusal of an update that names a missing (or existing) graph is the
request's fault, as it is with the embedded store: 400 with the engine's reason, IRI
included, not 503 "the store answered an error"."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient
from sparql_servers import Server

from spbe_arch.access import TokenStore
from spbe_arch.api import create_app
from spbe_arch.errors import InputError, StoreUnavailableError
from spbe_arch.repository import Repository, open_repository
from spbe_arch.repository.remote import RemoteRepository
from spbe_arch.settings import Settings

MISSING = "http://example.org/graf/tidak-pernah-ada"


def _remote(server: Server) -> RemoteRepository:
    settings = Settings(store=f"sparql:{server.query_url}", update_url=server.update_url,
                        graph_store_url=server.graph_store_url)
    repository = open_repository(settings.store, settings)
    assert isinstance(repository, RemoteRepository)
    return repository


def _answers(repository: Repository, store: str, update: str) -> list[tuple[int, str]]:
    """The status and text /sparql answers `update` with, in Indonesian and English."""
    tokens = TokenStore(None)
    admin = tokens.create("admin-uji", "admin")[0]
    app = create_app(Settings(store=store), repository, tokens=tokens)
    answers = []
    with TestClient(app, base_url="http://www.example") as client:
        for lang in ("id", "en"):
            response = client.post("/sparql", content=update.encode(), headers={
                "content-type": "application/sparql-update", "accept-language": lang,
                "Authorization": f"Bearer {admin}"})
            answers.append((response.status_code, response.text))
    return answers


@pytest.mark.parametrize("update", [f"DROP GRAPH <{MISSING}>", f"CLEAR GRAPH <{MISSING}>"])
def test_a_missing_graph_is_the_same_400_as_with_the_embedded_store(
        oxigraph_server: Server, update: str) -> None:
    remote = _remote(oxigraph_server)
    remote.clear()
    embedded = _answers(open_repository("memory:"), "memory:", update)
    answers = _answers(remote, f"sparql:{oxigraph_server.query_url}", update)
    assert [status for status, _ in answers] == [status for status, _ in embedded] == [400, 400]
    (_, indonesian), (_, english) = answers
    assert indonesian.startswith("SPARQL Update gagal, tidak ada yang diubah")
    assert english.startswith("SPARQL Update failed, nothing was changed")
    assert f"<{MISSING}>" in indonesian and f"<{MISSING}>" in english


def test_creating_an_existing_graph_is_the_users_error(oxigraph_server: Server) -> None:
    remote = _remote(oxigraph_server)
    remote.clear()
    graph = "http://example.org/graf/ada"
    remote.update(f"CREATE GRAPH <{graph}>")
    with pytest.raises(InputError) as caught:
        remote.update(f"CREATE GRAPH <{graph}>")
    assert f"<{graph}>" in caught.value.message("en")
    assert "already exists" in caught.value.message("en")
    remote.update(f"DROP SILENT GRAPH <{graph}>")


def _answering(status: int, content_type: str, text: str) -> RemoteRepository:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers={"Content-Type": content_type}, text=text)

    return RemoteRepository("http://store.test/query", transport=httpx.MockTransport(handler))


def test_a_plain_text_error_keeps_its_iris() -> None:
    """`<…>` was taken for an HTML tag and cut out: "The graph  does not exist"."""
    repository = _answering(500, "text/plain", "Engine failure near <http://example.org/x>")
    with pytest.raises(StoreUnavailableError) as caught:
        repository.update("CLEAR ALL")
    assert "near <http://example.org/x>" in caught.value.message("en")


def test_an_html_error_page_is_read_without_its_tags() -> None:
    repository = _answering(500, "text/html", "<html><body><h1>Server rusak</h1></body></html>")
    with pytest.raises(StoreUnavailableError) as caught:
        repository.update("CLEAR ALL")
    assert caught.value.message("id").endswith("(HTTP 500): Server rusak")
