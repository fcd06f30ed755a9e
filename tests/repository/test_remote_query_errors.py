"""A query sent to a remote store is the user's text with the endpoint as its BASE: the
BASE line put in front of it shifted the line of every syntax error the engine reported
("error at 2:25" for a one-line query)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sparql_servers import Server

from spbe_arch.repository import open_repository
from spbe_arch.settings import Settings


@pytest.fixture
def client(oxigraph_server: Server):  # type: ignore[no-untyped-def]
    from spbe_arch.api import create_app

    settings = Settings(store=f"sparql:{oxigraph_server.query_url}",
                        update_url=oxigraph_server.update_url,
                        graph_store_url=oxigraph_server.graph_store_url)
    app = create_app(settings, open_repository(settings.store, settings))
    with TestClient(app, base_url="http://www.example") as test_client:
        yield test_client


@pytest.mark.parametrize(("query", "position"), [
    ("SELECT * WHERE { ?s ?p }", "1:25"),
    # a relative IRI needs the endpoint as BASE: the line is still the user's
    ("SELECT * WHERE {\n  <relatif> ?p }", "2:16"),
    ("PREFIX ex: <http://example.org/>\nSELECT * WHERE { ex:a ?p }", "2:26"),
])
def test_a_syntax_error_points_into_the_users_text(client, query: str,  # type: ignore[no-untyped-def]
                                                   position: str) -> None:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert f"error at {position}:" in response.text, response.text


def test_a_relative_iri_still_resolves_against_the_endpoint(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/sparql", params={"query": "SELECT ?x WHERE { BIND(<relatif> AS ?x) }"},
                          headers={"accept": "text/csv"})
    assert response.status_code == 200
    assert "http://www.example/relatif" in response.text
