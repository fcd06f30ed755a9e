"""The remote backend: configuration, errors, the union default graph, engine quirks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib.term import BNode, Literal
from repo_helpers import G1, G2, ex, sample_triples, serialize, spbe
from sparql_servers import Server, free_port, start_oxigraph

from conftest import remote_repository
from spbe_arch.errors import ConfigurationError, InputError, StoreUnavailableError
from spbe_arch.repository import ChangeSet, LoadSource, open_repository
from spbe_arch.repository.remote import RemoteRepository
from spbe_arch.settings import Settings

pytestmark = pytest.mark.remote


def one_sentence(error: StoreUnavailableError) -> None:
    for lang in ("id", "en"):
        text = error.message(lang)
        assert text and "\n" not in text and "Traceback" not in text


# --- configuration -----------------------------------------------------------------------------

def test_update_and_graph_store_urls_default_to_the_oxigraph_layout() -> None:
    settings = Settings(store="sparql:http://example.org:7878/query")
    repository = open_repository(settings.store, settings)
    assert isinstance(repository, RemoteRepository)
    assert repository.update_url == "http://example.org:7878/update"
    assert repository.graph_store_url == "http://example.org:7878/store"
    fuseki = RemoteRepository("http://h/ds/query", "http://h/ds/update", "http://h/ds/data")
    assert (fuseki.update_url, fuseki.graph_store_url) == ("http://h/ds/update", "http://h/ds/data")


def test_bad_settings_are_configuration_errors() -> None:
    with pytest.raises(ConfigurationError):
        open_repository("sparql:ftp://example.org/query", Settings())
    with pytest.raises(ConfigurationError):
        RemoteRepository("http://h/query", user="u", password="p", auth="bearer")
    with pytest.raises(ConfigurationError, match="oxigraph:PATH"):
        open_repository("mongodb://localhost", Settings())


# --- unreachable and failing endpoints ------------------------------------------------------

def test_unreachable_endpoint_is_one_clear_sentence() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    repository = RemoteRepository(url)
    with pytest.raises(StoreUnavailableError) as caught:
        repository.graph_names()
    one_sentence(caught.value)
    assert url in caught.value.message("en") and "cannot reach" in caught.value.message("en")
    assert "tidak dapat dihubungi" in caught.value.message("id")
    with pytest.raises(StoreUnavailableError):
        repository.load([LoadSource(serialize(sample_triples(), "turtle"), "turtle", G1, "a.ttl")])


def test_wrong_path_is_reported_with_the_settings_to_check(oxigraph_server: Server) -> None:
    base = oxigraph_server.query_url.rsplit("/", 1)[0]
    repository = RemoteRepository(oxigraph_server.query_url, graph_store_url=f"{base}/tidak-ada")
    with pytest.raises(StoreUnavailableError) as caught:
        repository.load([LoadSource(serialize(sample_triples(), "turtle"), "turtle", G1, "a.ttl")])
    one_sentence(caught.value)
    message = caught.value.message("en")
    assert "404" in message and "SPBE_GRAPH_STORE_URL" in message


@pytest.mark.virtuoso
def test_wrong_password_is_refused_access(virtuoso_server: Server) -> None:
    repository = RemoteRepository(virtuoso_server.query_url, virtuoso_server.update_url,
                                  virtuoso_server.graph_store_url, user="dba",
                                  password="salah", auth="digest")
    with pytest.raises(StoreUnavailableError) as caught:
        repository.apply(ChangeSet(add=[(ex("a"), spbe("nama"), Literal("x"), G1)]))
    one_sentence(caught.value)
    assert "SPBE_STORE_PASSWORD" in caught.value.message("en")
    assert "menolak akses" in caught.value.message("id")


@pytest.mark.virtuoso
def test_dropping_a_missing_graph_is_the_requests_fault_named_by_the_engine(
        virtuoso_server: Server) -> None:
    # Virtuoso answers HTTP 500, which read as "the store is unavailable" (503 at the API)
    repository = remote_repository(virtuoso_server)
    with pytest.raises(InputError) as caught:
        repository.update(f"DROP GRAPH <{ex('tidak-pernah-ada')}>")
    one_sentence(caught.value)
    message = caught.value.message("en")
    assert message.startswith("SPARQL Update failed: ")
    assert "Virtuoso keeps the operations before it" in message
    assert f"graph <{ex('tidak-pernah-ada')}> has not been explicitly created" in message


def test_query_syntax_error_is_the_users_error(oxigraph_server: Server) -> None:
    repository = remote_repository(oxigraph_server)
    with pytest.raises(InputError) as caught:
        repository.select("SELECT ?s WHERE { ?s ")
    assert "HTTP 400" in caught.value.message("en")


def _mock(handler: httpx.MockTransport) -> RemoteRepository:
    return RemoteRepository("http://store.test/query", transport=handler)


def test_a_result_cut_by_the_server_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": "application/sparql-results+json",
                                            "X-SPARQL-MaxRows": "10000"},
                              json={"head": {"vars": ["s"]}, "results": {"bindings": []}})

    with pytest.raises(StoreUnavailableError, match="10000"):
        _mock(httpx.MockTransport(handler)).select("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }")


def test_a_slow_query_raises_timeout_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    repository = _mock(httpx.MockTransport(handler))
    with pytest.raises(TimeoutError):
        repository.query("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }",
                         default_graph_uris=[str(G1)], timeout_s=0.5)


def test_results_in_virtuoso_dialect_are_understood() -> None:
    """typed-literal, xsd:string and `nodeID://` blank nodes, as Virtuoso writes them."""
    body = {"head": {"vars": ["s", "o"]}, "results": {"bindings": [
        {"s": {"type": "bnode", "value": "nodeID://b10000"},
         "o": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#string",
               "value": "teks"}},
        {"s": {"type": "uri", "value": "http://example.org/a"},
         "o": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer",
               "value": "5"}},
        {"s": {"type": "uri", "value": "http://example.org/a"},
         "o": {"type": "literal", "xml:lang": "id", "value": "nama"}}]}}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=body,
                              headers={"Content-Type": "application/sparql-results+json"})

    rows = _mock(httpx.MockTransport(handler)).select(
        "SELECT ?s ?o FROM <http://example.org/g> WHERE { ?s ?p ?o }").rows
    assert rows[0]["s"] == BNode("b10000") and rows[0]["o"] == Literal("teks")
    assert rows[0]["o"].datatype is None  # type: ignore[union-attr]
    assert rows[1]["o"] == Literal(5)
    assert rows[2]["o"] == Literal("nama", lang="id")


# --- the union default graph ----------------------------------------------------------------

@pytest.fixture(scope="module")
def plain_oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """An Oxigraph server WITHOUT --union-default-graph."""
    server = start_oxigraph(tmp_path_factory.mktemp("plain-oxigraph"), union_default_graph=False)
    yield server
    server.stop()


@pytest.mark.parametrize(("server_fixture", "engine_union"), [
    ("oxigraph_server", True),
    ("plain_oxigraph_server", False),
    pytest.param("virtuoso_server", False, marks=pytest.mark.virtuoso),
])
def test_queries_see_the_union_whatever_the_engine_setting(
        request: pytest.FixtureRequest, server_fixture: str, engine_union: bool) -> None:
    repository = remote_repository(request.getfixturevalue(server_fixture))
    repository.clear()
    repository.load([LoadSource(serialize(sample_triples("a"), "turtle"), "turtle", G1, "a.ttl"),
                     LoadSource(serialize(sample_triples("b"), "turtle"), "turtle", G2, "b.ttl")])
    kode = repository.select(
        f"SELECT ?k WHERE {{ ?p a <{spbe('ProsesBisnis')}> ; <{spbe('kode')}> ?k }} ORDER BY ?k")
    assert kode.column("k") == [Literal("PB.a.01"), Literal("PB.b.01")]
    assert repository._union_by_engine is engine_union
    # a query that names its own dataset keeps it
    only_g2 = repository.select(
        f"SELECT ?k FROM <{G2}> WHERE {{ ?p a <{spbe('ProsesBisnis')}> ; <{spbe('kode')}> ?k }}")
    assert only_g2.column("k") == [Literal("PB.b.01")]
    # engine-internal graphs never show
    assert repository.graph_names() == sorted([G1, G2])
    assert set(repository.stats().triples_per_graph) == {str(G1), str(G2)}
    repository.clear()


# --- big requests ------------------------------------------------------------------------------

@pytest.mark.parametrize("server_fixture", [
    "oxigraph_server", pytest.param("virtuoso_server", marks=pytest.mark.virtuoso)])
def test_large_multi_graph_load_is_split_without_breaking_blank_nodes(
        request: pytest.FixtureRequest, server_fixture: str, tmp_path: Path) -> None:
    server = request.getfixturevalue(server_fixture)
    repository = remote_repository(server)
    repository.max_per_operation = 7  # sample fragments have a blank node with 3 triples
    # (the Oxigraph server gets one update of many small operations; Virtuoso one GSP
    # request per graph)
    repository.clear()
    lines = []
    for i in range(400):  # 800 fragments, 10k triples, in one TriG file over two graphs
        for graph in (G1, G2):
            lines.append(serialize(sample_triples(f"{graph.rsplit('/', 1)[1]}{i}"), "trig",
                                   graph))
    data = b"\n".join(lines)
    count = repository.load([LoadSource(data, "trig", None, "besar.trig")], replace=True)
    assert count == 800 * len(sample_triples())
    stats = repository.stats()
    assert stats.triples_per_graph == {str(G1): count // 2, str(G2): count // 2}
    steps = repository.select(
        f"SELECT (COUNT(DISTINCT ?step) AS ?n) WHERE {{ ?p <{spbe('memilikiLangkah')}> ?step ."
        f" ?step <{spbe('nama')}> ?nama ; <{spbe('urutan')}> ?u }}")
    assert int(steps.rows[0]["n"]) == 800  # type: ignore[call-overload]
    # a change set larger than one operation (split; on Virtuoso one request per operation)
    removed = [(ex(f"opd/{G1.rsplit('/', 1)[1]}{i}"), spbe("kode"), Literal(f"OPD-x{i}"), G1)
               for i in range(30)]
    repository.apply(ChangeSet(add=removed))
    assert repository.stats().triples_per_graph[str(G1)] == count // 2 + 30
    repository.apply(ChangeSet(remove=removed))
    assert repository.stats().triples_per_graph[str(G1)] == count // 2
    repository.clear()
