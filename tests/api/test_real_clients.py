"""Real SPARQL clients against a running server (uvicorn on a free loopback port).

SPARQLWrapper (GET and POST, JSON and XML), rdflib's SPARQLStore and SPARQLUpdateStore
(whose default is XML), and plain httpx.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import GET, JSON, POST, POSTDIRECTLY, URLENCODED, XML, SPARQLWrapper

from spbe_arch.access import TokenStore
from spbe_arch.api import create_app
from spbe_arch.cli.serve import KEEP_ALIVE_S
from spbe_arch.repository import open_repository
from spbe_arch.settings import Settings

pytestmark = pytest.mark.slow

G = "http://example.org/klien"


@dataclass
class Server:
    url: str
    admin: str
    reader: str


@pytest.fixture(scope="module")
def server(serve_app: Callable[[Any], str]) -> Server:
    settings = Settings(store="memory:", anonymous_read=False)
    tokens = TokenStore(None)
    admin = tokens.create("admin-klien", "admin")[0]
    reader = tokens.create("pembaca-klien", "reader")[0]
    app = create_app(settings, open_repository("memory:"), host="127.0.0.1", tokens=tokens)
    url = serve_app(app)
    httpx.post(f"{url}/sparql", headers={"Authorization": f"Bearer {admin}",
                                         "Content-Type": "application/sparql-update"},
               content=f'INSERT DATA {{ GRAPH <{G}> {{ <http://example.org/a>'
                       f' <http://example.org/nama> "Dinas Kominfo"@id .'
                       f' <http://example.org/a> <http://example.org/nilai> 7 }} }}')
    return Server(url, admin, reader)


def _wrapper(server: Server, method: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{server.url}/sparql")
    client.addCustomHttpHeader("Authorization", f"Bearer {server.reader}")
    client.setMethod(method)
    client.setReturnFormat(fmt)
    return client


SELECT = f"SELECT ?o WHERE {{ GRAPH <{G}> {{ <http://example.org/a> ?p ?o }} }} ORDER BY ?o"


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_json(server: Server, method: str) -> None:
    client = _wrapper(server, method, JSON)
    client.setQuery(SELECT)
    result = client.query().convert()
    values = sorted(b["o"]["value"] for b in result["results"]["bindings"])  # type: ignore[index]
    assert values == ["7", "Dinas Kominfo"]


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_xml(server: Server, method: str) -> None:
    client = _wrapper(server, method, XML)
    client.setQuery(SELECT)
    document = client.query().convert()
    literals = sorted(node.firstChild.data  # type: ignore[union-attr]
                      for node in document.getElementsByTagName("literal"))  # type: ignore[union-attr]
    assert literals == ["7", "Dinas Kominfo"]


def test_sparqlwrapper_post_directly_and_ask(server: Server) -> None:
    client = _wrapper(server, POST, JSON)
    client.setRequestMethod(POSTDIRECTLY)
    client.setQuery(f"ASK {{ GRAPH <{G}> {{ ?s ?p 7 }} }}")
    assert client.query().convert()["boolean"] is True  # type: ignore[index]


def test_sparqlwrapper_construct_turtle(server: Server) -> None:
    client = _wrapper(server, GET, "turtle")
    client.setQuery(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}")
    data = client.query().convert()
    assert len(Graph().parse(data=data, format="turtle")) == 2


def test_sparqlwrapper_update(server: Server) -> None:
    client = SPARQLWrapper(f"{server.url}/sparql")
    client.addCustomHttpHeader("Authorization", f"Bearer {server.admin}")
    client.setMethod(POST)
    client.setRequestMethod(URLENCODED)
    client.setQuery(f"INSERT DATA {{ GRAPH <{G}-update> {{ <http://example.org/x>"
                    f" <http://example.org/p> \"y\" }} }}")
    assert client.query().response.status == 200
    check = _wrapper(server, GET, JSON)
    check.setQuery(f"ASK {{ GRAPH <{G}-update> {{ ?s ?p \"y\" }} }}")
    assert check.query().convert()["boolean"] is True  # type: ignore[index]


def test_sparqlwrapper_reader_cannot_update(server: Server) -> None:
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = _wrapper(server, POST, JSON)
    client.setQuery("CLEAR ALL")
    with pytest.raises((SPARQLWrapperException, Exception)) as caught:
        client.query()
    assert "403" in str(caught.value) or "Forbidden" in str(caught.value)


def _auth(token: str) -> dict[str, object]:
    return {"headers": {"Authorization": f"Bearer {token}"}}


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore(server: Server, method: str) -> None:
    store = SPARQLStore(f"{server.url}/sparql", method=method, **_auth(server.reader))
    graph = Graph(store, identifier=URIRef(G))
    # rdflib sends the graph as default-graph-uri: the query reads it as its default graph
    rows = list(graph.query("SELECT ?o WHERE { <http://example.org/a> ?p ?o }"))
    assert sorted(str(r[0]) for r in rows) == ["7", "Dinas Kominfo"]  # type: ignore[index]
    assert (URIRef("http://example.org/a"), URIRef("http://example.org/nilai"),
            Literal(7)) in graph


def test_rdflib_sparqlupdatestore(server: Server) -> None:
    store = SPARQLUpdateStore(f"{server.url}/sparql", f"{server.url}/sparql",
                              **_auth(server.admin))
    graph = Graph(store, identifier=URIRef(f"{G}-rdflib"))
    triple = (URIRef("http://example.org/b"), URIRef("http://example.org/nama"),
              Literal("Bappeda"))
    graph.add(triple)
    assert triple in graph
    graph.remove(triple)
    assert triple not in graph


def test_plain_httpx(server: Server) -> None:
    with httpx.Client(base_url=server.url, headers=_auth(server.reader)["headers"]) as client:
        response = client.get("/sparql", params={"query": SELECT},
                              headers={"Accept": "text/csv"})
        assert response.status_code == 200
        assert response.text.splitlines()[0] == "o"
        described = client.get("/sparql", headers={"Accept": "text/turtle"})
        assert described.status_code == 200 and "sd:Service" in described.text
        graph = client.get("/rdf-graph-store", params={"graph": G},
                           headers={"Accept": "application/n-triples"})
        assert graph.status_code == 200 and len(graph.text.splitlines()) == 2
        anonymous = httpx.get(f"{server.url}/sparql", params={"query": "ASK {}"})
        assert anonymous.status_code == 401


def test_an_idle_connection_outlives_a_pooling_clients_expiry(server: Server) -> None:
    """httpx stops reusing an idle connection after 5 s; the server keeps it open longer,
    so a pooled connection is never closed by the server just as the client reuses it."""
    from urllib.parse import urlsplit

    assert KEEP_ALIVE_S > 5
    address = urlsplit(server.url)
    request = (f"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: {address.netloc}\r\n"
               f"Authorization: Bearer {server.reader}\r\n"
               "Accept: application/sparql-results+json\r\n\r\n").encode()
    with socket.create_connection((address.hostname, address.port), timeout=10) as conn:
        for _ in range(2):
            conn.sendall(request)
            answer = b""
            while b'"boolean"' not in answer:
                chunk = conn.recv(65536)
                assert chunk, "the server closed the connection"
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 200")
            time.sleep(6)  # idle past httpx's keep-alive expiry (and uvicorn's default)
