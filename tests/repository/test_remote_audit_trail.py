"""With a remote store the effect of an update is not worked out beforehand, so whether
it changes the audit trail is read from its text. That test was "the provenance IRI in
angle brackets appears": a prefixed name, a BASE, `DROP NAMED` or a variable graph in a
template erased or extended the audit trail unhindered."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from rdflib import URIRef
from sparql_servers import Server

from spbe_arch import iris
from spbe_arch.access import TokenStore
from spbe_arch.api import create_app
from spbe_arch.repository import Repository, open_repository
from spbe_arch.settings import Settings
from spbe_arch.sparql_update import reserved_graph_refusal, written_graphs

PROV = str(iris.provenance_graph())
P = "PREFIX p: <https://w3id.org/spbe-arch/graph/>\n"
UNKNOWN = ("unsupported", "remote store")

REFUSED = [
    P + "DROP GRAPH p:provenance",
    "BASE <https://w3id.org/spbe-arch/graph/>\nDROP GRAPH <provenance>",
    "DROP NAMED",
    "CLEAR SILENT NAMED",
    "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }",
    "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
    "INSERT { GRAPH ?g { <http://x> <http://y> 1 } } WHERE { GRAPH ?g { } }",
    P + "INSERT DATA { GRAPH p:provenance { <http://x> <http://y> 1 } }",
    P + "WITH p:provenance DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    P + "MOVE <http://ex/g> TO p:provenance",
    P + "MOVE GRAPH p:provenance TO <http://ex/g>",
    P + "COPY DEFAULT TO GRAPH p:provenance",
    P + "LOAD <http://ex/doc.ttl> INTO GRAPH p:provenance",
    "INSERT DATA { GRAPH <https://w3id.org/spbe-arch/graph/\\u0070rovenance> { <x:a> <x:b> 1 } }",
    f"INSERT DATA {{ <x:a> <x:b> 1 }} ; INSERT DATA {{ GRAPH <{PROV}> {{ <x:a> <x:b> 1 }} }}",
]
ALLOWED = [
    "INSERT DATA { GRAPH <http://ex/g> { <http://x> <http://y> 1 } }",
    "DROP ALL",
    "CLEAR ALL",
    "DROP SILENT GRAPH <http://ex/g>",
    # reading the audit trail, or every graph, changes none of it
    P + "INSERT { GRAPH <http://ex/g> { ?a <http://ex/dicatat> true } }"
        " WHERE { GRAPH p:provenance { ?a ?p ?o } }",
    "INSERT { GRAPH <http://ex/g> { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }",
    P + "ADD p:provenance TO <http://ex/salinan>",
    P + "INSERT { <x:a> <x:b> ?o } USING p:provenance WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("update", REFUSED)
def test_an_update_that_may_change_the_audit_trail_is_recognised(update: str) -> None:
    assert reserved_graph_refusal(update, UNKNOWN) is not None


@pytest.mark.parametrize("update", ALLOWED)
def test_an_update_that_leaves_it_alone_is_not(update: str) -> None:
    assert reserved_graph_refusal(update, UNKNOWN) is None


def test_the_graphs_written_are_resolved() -> None:
    written, unknown = written_graphs(
        P + "INSERT DATA { GRAPH p:a { <x:s> <x:p> 1 } } ;\n"
        "BASE <http://ex/>\nCOPY <b> TO <c> ; MOVE <d> TO DEFAULT")
    assert written == {"https://w3id.org/spbe-arch/graph/a", "http://ex/c", "http://ex/d"}
    assert not unknown


def _endpoint(server: Server) -> tuple[Repository, TestClient, dict[str, str]]:
    """An emptied repository on the Oxigraph server, an app over it, and an admin's
    headers for an update."""
    settings = Settings(store=f"sparql:{server.query_url}", update_url=server.update_url,
                        graph_store_url=server.graph_store_url)
    repository = open_repository(settings.store, settings)
    repository.clear()
    tokens = TokenStore(None)
    admin = {"Authorization": "Bearer " + tokens.create("admin-uji", "admin")[0],
             "content-type": "application/sparql-update"}
    app = create_app(settings, repository, tokens=tokens)
    return repository, TestClient(app, base_url="http://www.example"), admin


def test_through_the_endpoint_on_an_oxigraph_server(oxigraph_server: Server) -> None:
    repository, client, admin = _endpoint(oxigraph_server)
    with client:
        assert client.post("/sparql", content=ALLOWED[0].encode(),
                           headers=admin).status_code == 200
        trail = repository.export(URIRef(PROV), "nquads")
        assert trail
        for update in REFUSED[:8]:
            response = client.post("/sparql", content=update.encode(), headers=admin)
            assert response.status_code == 403, update
            assert "jejak audit" in response.text
            assert "harus menyebut setiap graf yang diubahnya dengan IRI" in response.text
        assert repository.export(URIRef(PROV), "nquads") == trail
        assert client.post("/sparql", content=b"DROP ALL", headers=admin).status_code == 200
    repository.clear()


@pytest.mark.parametrize("update", [
    "INSERT DATA { <x:a> <x:b> <<( <x:a> <x:b> <x:c> )>> }",
    "INSERT DATA { GRAPH <x:g> { << <x:a> <x:b> <x:c> >> <x:d> 1 } }",
    "INSERT { <x:a> <x:b> ?t } WHERE { BIND(TRIPLE(<x:a>, <x:b>, <x:c>) AS ?t) }",
])
def test_a_triple_term_is_not_written_to_a_remote_store(oxigraph_server: Server,
                                                       update: str) -> None:
    """The Oxigraph server stored it, and every later read of that graph failed on a term
    the repository does not hold ("unsupported term type 'triple'")."""
    repository, client, admin = _endpoint(oxigraph_server)
    with client:
        response = client.post("/sparql", content=update.encode(), headers=admin)
        assert response.status_code == 400, response.text
        assert "triple term" in response.text
        # the text of a literal or IRI is not one
        assert client.post("/sparql", content=(
            b'INSERT DATA { GRAPH <x:g> { <x:a> <x:b> "<<( triple )>>" } }'),
            headers=admin).status_code == 200
    # a stored triple term would fail this export ("unsupported term type 'triple'")
    assert b"<<( <x:a>" not in repository.export(None, "nquads")
    repository.clear()
