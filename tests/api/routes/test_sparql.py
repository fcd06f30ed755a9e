"""/sparql beyond the W3C cases: client quirks, errors, limits, access, audit, CORS."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from rdflib import Graph, URIRef

from spbe_arch.repository import Repository

UPDATE = "application/sparql-update"
INSERT = ('PREFIX ex: <http://example.org/>\n'
          'INSERT DATA { GRAPH ex:g { ex:a ex:p "satu" . ex:b ex:p "dua" } }')


def _dump(repository: Repository) -> bytes:
    return repository.export(None, "nquads")


def _insert(service, role: str = "admin", text: str = INSERT):
    return service.client.post("/sparql", content=text.encode(),
                               headers={"content-type": UPDATE, **service.auth(role)})


class _RemoteEndpoint:
    """A web server on loopback standing for a place the server can reach and its caller
    cannot (an intranet service, a document to LOAD); it records every request it gets."""

    def __init__(self, body: bytes, content_type: str) -> None:
        import http.server
        import threading

        requests: list[str] = []
        self.requests = requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._answer()

            def do_POST(self) -> None:
                self._answer()

            def _answer(self) -> None:
                requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.url = f"{self.base}/sparql"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_select_in_every_result_format(service) -> None:
    assert _insert(service).status_code == 200
    query = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?o"
    expected = {"application/sparql-results+json": b'"dua"',
                "application/sparql-results+xml": b"<literal>dua</literal>",
                "text/csv": b"http://example.org/b,dua",
                "text/tab-separated-values": b'<http://example.org/b>\t"dua"'}
    for accept, needle in expected.items():
        response = service.client.get("/sparql", params={"query": query},
                                      headers={"accept": accept})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(accept)
        assert needle in response.content


def test_construct_in_every_rdf_format(service) -> None:
    _insert(service)
    query = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <http://example.org/g> { ?s ?p ?o } }"
    for accept, fmt in {"text/turtle": "turtle", "application/n-triples": "nt",
                        "application/rdf+xml": "xml", "application/ld+json": "json-ld"}.items():
        response = service.client.post("/sparql", data={"query": query},
                                       headers={"accept": accept})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(accept)
        assert len(Graph().parse(data=response.content, format=fmt)) == 2


@pytest.mark.parametrize("params", [
    {"format": "json"}, {"output": "json"}, {"results": "json"},
    {"format": "json", "output": "json", "results": "json"},
    {"format": "no-such-format"}, {"output": "html"},
])
def test_client_format_parameters_are_understood_or_ignored(
        service, params: dict[str, str]) -> None:
    response = service.client.get("/sparql", params={"query": "ASK {}", **params},
                                  headers={"accept": "application/sparql-results+xml"})
    assert response.status_code == 200
    if params.get("format") == "json" or "json" in params.values():
        assert json.loads(response.content)["boolean"] is True
    else:
        assert b"<boolean>true</boolean>" in response.content


@pytest.mark.parametrize(("method", "kwargs", "status"), [
    ("GET", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400),
    ("GET", {"params": {"update": "CLEAR ALL"}}, 405),
    ("GET", {"params": {"query": "SELECT * WHERE { ?s ?p }"}}, 400),
    ("GET", {"params": {"query": "ASK {}", "default-graph-uri": "not an iri"}}, 400),
    ("GET", {"params": {"query": "   "}}, 400),
    ("PUT", {"content": b"ASK {}", "headers": {"content-type": "application/sparql-query"}},
     405),
    ("POST", {"content": b"ASK {}", "headers": {"content-type": "text/plain"}}, 415),
    ("POST", {"content": b"ASK {}"}, 415),
    ("POST", {"content": b"\xff\xfeA\x00", "headers": {"content-type": "application/sparql-query"}},
     400),
    ("POST", {"content": b"query=%FF", "headers": {
        "content-type": "application/x-www-form-urlencoded"}}, 400),
    ("POST", {"content": b"query=ASK%7B%7D&update=CLEAR%20ALL", "headers": {
        "content-type": "application/x-www-form-urlencoded"}}, 400),
    ("POST", {"content": b"ASK {}", "headers": {
        "content-type": "application/sparql-query; charset=ISO-8859-1"}}, 415),
])
def test_malformed_requests_get_4xx_with_a_message(
        service, method: str, kwargs: dict, status: int) -> None:
    response = service.client.request(method, "/sparql", **kwargs)
    assert response.status_code == status, response.text
    assert response.text.strip()


def test_the_parser_message_is_passed_on(service) -> None:
    response = service.client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }",
                                                     "lang": "en"})
    assert response.status_code == 400
    assert response.text.startswith("SPARQL syntax error: error at 1:")


def test_update_syntax_error_reports_the_users_line(service) -> None:
    response = _insert(service, text="PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a }")
    assert response.status_code == 400
    assert "2:" in response.text


def test_body_size_limit(make_service) -> None:
    service = make_service(max_upload_bytes=1000)
    response = service.client.post("/sparql", content=b"ASK {}" + b" " * 2000,
                                   headers={"content-type": "application/sparql-query"})
    assert response.status_code == 413


def test_service_description(service, make_service) -> None:
    _insert(service)
    response = service.client.get("/sparql", headers={"accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, URIRef(sd + "endpoint"), URIRef("http://www.example/sparql")) in graph
    assert (None, URIRef(sd + "name"), URIRef("http://example.org/g")) in graph
    federated = URIRef(sd + "BasicFederatedQuery")
    assert (None, URIRef(sd + "feature"), federated) not in graph  # SERVICE is off
    allowed = make_service(sparql_service=True).client.get(
        "/sparql", headers={"accept": "text/turtle"})
    assert (None, URIRef(sd + "feature"), federated) in Graph().parse(
        data=allowed.content, format="turtle")


def test_result_size_limit(make_service) -> None:
    service = make_service(result_limit=1)
    _insert(service)
    response = service.client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }",
                                                     "lang": "en"})
    assert response.status_code == 400
    assert "limit of 1" in response.text
    ok = service.client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 1"})
    assert ok.status_code == 200


@pytest.mark.slow
def test_time_limit_over_http(make_service) -> None:
    service = make_service(query_timeout_s=1.0)
    values = " ".join(f"<http://example.org/s{i}>" for i in range(1500))
    _insert(service, text="INSERT { GRAPH <http://example.org/g> { ?s <http://example.org/p> 1 } }"
                          f" WHERE {{ VALUES ?s {{ {values} }} }}")
    response = service.client.get("/sparql", params={
        "query": "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"})
    assert response.status_code == 503
    assert response.headers.get("retry-after")
    again = service.client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert again.status_code == 200


def test_anonymous_read_is_off_on_a_network_address(make_service) -> None:
    service = make_service(host="0.0.0.0")
    response = service.client.get("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    ok = service.client.get("/sparql", params={"query": "ASK {}"}, headers=service.auth("reader"))
    assert ok.status_code == 200


def test_anonymous_read_setting_wins(make_service) -> None:
    on = make_service(host="0.0.0.0", anonymous_read=True)
    assert on.client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
    off = make_service(host="127.0.0.1", anonymous_read=False)
    assert off.client.get("/sparql", params={"query": "ASK {}"}).status_code == 401


@pytest.mark.parametrize("header", ["Bearer spbe_wrong", "Basic dXNlcjpwYXNz", "Bearer"])
def test_bad_credentials_are_refused_not_ignored(service, header: str) -> None:
    response = service.client.get("/sparql", params={"query": "ASK {}"},
                                  headers={"authorization": header})
    assert response.status_code == 401


@pytest.mark.parametrize(("role", "status"), [(None, 401), ("reader", 403), ("editor", 403),
                                              ("admin", 200)])
def test_update_needs_admin(service, role: str | None, status: int) -> None:
    before = _dump(service.repository)
    response = _insert(service, role) if role else service.client.post(
        "/sparql", content=INSERT.encode(), headers={"content-type": UPDATE})
    assert response.status_code == status
    if status != 200:
        assert _dump(service.repository) == before


def test_update_is_audited_and_visible_in_history(service) -> None:
    # the record holds the update text; history finds the entity by its full IRI in it
    full = ("INSERT DATA { GRAPH <http://example.org/g> {"
            " <http://example.org/c> <http://example.org/p> 3 } }")
    assert _insert(service, text=full).status_code == 200
    response = service.client.get("/history", params={"entity": "http://example.org/c"})
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 1
    assert items[0]["agen"] == "admin-uji"
    assert items[0]["keterangan"] == "SPARQL Update"


def test_update_records_the_triples_it_added_and_removed(service) -> None:
    _insert(service)
    update = ("PREFIX ex: <http://example.org/>\n"
              "DELETE { GRAPH ex:g { ?s ex:p \"dua\" } } INSERT { GRAPH ex:g { ?s ex:p \"DUA\" ."
              " ?s ex:q [ ex:r 1 ] } } WHERE { GRAPH ex:g { ?s ex:p \"dua\" } }")
    assert _insert(service, text=update).status_code == 200
    item = service.client.get("/history", params={"entity": "http://example.org/b"}).json()[
        "items"][0]
    g = "<http://example.org/g>"
    assert item["dihapus"] == [f'<http://example.org/b> <http://example.org/p> "dua" {g} .']
    added = sorted(item["ditambah"])
    assert len(added) == 3
    assert f'<http://example.org/b> <http://example.org/p> "DUA" {g} .' in added
    assert any(line.startswith("<http://example.org/b> <http://example.org/q> _:")
               for line in added)
    # the record lists exactly what changed in the store
    stored = {line for line in service.repository.export(URIRef("http://example.org/g"),
                                                         "ntriples").decode().splitlines()}
    assert '<http://example.org/b> <http://example.org/p> "DUA" .' in stored
    assert '<http://example.org/b> <http://example.org/p> "dua" .' not in stored
    # prov:used names the changed subject, so history finds it by prov:used as well
    used = service.repository.select(
        "PREFIX prov: <http://www.w3.org/ns/prov#> SELECT ?e WHERE { ?a prov:used ?e }").rows
    assert {str(r["e"]) for r in used} >= {"http://example.org/b"}


def test_load_fetches_the_document_once(service) -> None:
    document = _RemoteEndpoint(b"<http://example.org/m> <http://example.org/p> 7 .",
                               "text/turtle")
    try:
        response = _insert(service, text=f"LOAD <{document.base}/doc.nt> INTO GRAPH"
                                         " <http://example.org/m>")
        assert response.status_code == 200, response.text
    finally:
        document.close()
    assert document.requests == ["/doc.nt"]
    rows = service.repository.select(
        "SELECT ?o WHERE { GRAPH <http://example.org/m> { ?s ?p ?o } }").rows
    assert [str(r["o"]) for r in rows] == ["7"]
    item = service.client.get("/history", params={"entity": "http://example.org/m"}).json()[
        "items"][0]
    assert item["ditambah"] == [
        "<http://example.org/m> <http://example.org/p> "
        '"7"^^<http://www.w3.org/2001/XMLSchema#integer> <http://example.org/m> .']


def test_graph_management_and_blank_nodes_run_the_update_text(service) -> None:
    import pyoxigraph as ox

    # CREATE GRAPH makes an empty named graph: no triple says so, the text must run
    assert _insert(service, text="CREATE GRAPH <http://example.org/leer>").status_code == 200
    store = service.repository.inner.store
    assert ox.NamedNode("http://example.org/leer") in set(store.named_graphs())
    # a blank node the update creates is written by Oxigraph running the text
    update = ("PREFIX ex: <http://example.org/>\n"
              "INSERT DATA { GRAPH ex:g { ex:k ex:q [ ex:r 1 ] } }")
    assert _insert(service, text=update).status_code == 200
    rows = service.repository.select(
        "PREFIX ex: <http://example.org/> SELECT ?v WHERE { ex:k ex:q [ ex:r ?v ] }").rows
    assert [str(r["v"]) for r in rows] == ["1"]


def test_update_of_prefixed_names_is_found_by_history(service) -> None:
    # the triples are recorded with full IRIs, whatever the update text wrote
    assert _insert(service).status_code == 200
    items = service.client.get("/history", params={"entity": "http://example.org/a"}).json()[
        "items"]
    assert len(items) == 1
    assert items[0]["ditambah"] == [
        '<http://example.org/a> <http://example.org/p> "satu" <http://example.org/g> .',
        '<http://example.org/b> <http://example.org/p> "dua" <http://example.org/g> .']


def test_update_too_large_to_list_records_text_and_says_so(make_service) -> None:
    service = make_service(update_audit_max_quads=1)
    full = ("INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a>"
            " <http://example.org/p> 1, 2 } }")
    assert _insert(service, text=full).status_code == 200
    item = service.client.get("/history", params={"entity": "http://example.org/a"}).json()[
        "items"][0]
    assert "lebih dari 1 tripel" in item["keterangan"]
    assert item["ditambah"] == [] and item["dihapus"] == []
    assert len(service.repository.graph(URIRef("http://example.org/g"))) == 2


def test_update_time_limit_writes_nothing(make_service) -> None:
    service = make_service(update_timeout_s=1.0)
    values = " ".join(f"<http://example.org/s{i}>" for i in range(1500))
    filled = _insert(service, text="INSERT { GRAPH <http://example.org/g> {"
                                   " ?s <http://example.org/p> 1 } }"
                                   f" WHERE {{ VALUES ?s {{ {values} }} }}")
    assert filled.status_code == 200
    before = _dump(service.repository)
    response = _insert(service, text="INSERT { <http://example.org/n> <http://example.org/p> ?n }"
                                     " WHERE { SELECT (COUNT(*) AS ?n)"
                                     " WHERE { GRAPH ?x { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } } }")
    assert response.status_code == 503
    assert "batas waktu" in response.text
    assert _dump(service.repository) == before
    # the server goes on working
    assert _insert(service).status_code == 200


def test_drop_all_keeps_its_own_audit_record(service) -> None:
    _insert(service)
    assert _insert(service, text="DROP ALL").status_code == 200
    rows = service.repository.select(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?c WHERE"
        " { ?a rdfs:comment ?c }").rows
    assert [r for r in rows if "DROP ALL" in str(r["c"])]


def test_the_audit_trail_cannot_be_rewritten_through_sparql_update(service) -> None:
    """The Graph Store refused it; SPARQL Update let an admin forge or erase records."""
    provenance = "https://w3id.org/spbe-arch/graph/provenance"
    _insert(service)
    before = _dump(service.repository)
    forged = ("PREFIX spbe: <https://w3id.org/spbe-arch/ontology#> INSERT DATA { GRAPH"
              f" <{provenance}> {{ <http://example.org/palsu> a spbe:Perubahan }} }}")
    erased = ("PREFIX prov: <http://www.w3.org/ns/prov#> DELETE WHERE { GRAPH"
              f" <{provenance}> {{ ?a prov:wasAssociatedWith ?agent }} }}")
    for text in (forged, erased, f"DROP GRAPH <{provenance}>", f"CLEAR GRAPH <{provenance}>",
                 f"COPY <http://example.org/kosong> TO <{provenance}>"):
        response = _insert(service, text=text)
        assert response.status_code == 403, (text, response.text)
        assert "jejak audit" in response.text
    assert _dump(service.repository) == before
    # writes elsewhere go on, and are recorded there
    assert _insert(service, text=INSERT.replace("satu", "lima")).status_code == 200
    assert _dump(service.repository) != before


def test_a_stored_validation_report_cannot_be_written_through_sparql_update(service
                                                                             ) -> None:
    """A report graph put in by hand would stand as the latest report (GET /validation
    takes the newest graph name); removing the newest real one would bring an older back."""
    from rdflib import URIRef

    from spbe_arch.repository import LoadSource

    stored = "https://w3id.org/spbe-arch/graph/validation/3574/20261201T000000000000Z"
    report = "https://w3id.org/spbe-arch/graph/validation/3574/99991231T000000000000Z"
    _insert(service)
    # as the validator stores one (validation.service.store_report)
    service.repository.load([LoadSource(
        f"<{stored}> <http://www.w3.org/ns/shacl#conforms> \"false\" .".encode(), "ntriples",
        URIRef(stored), "laporan")])
    before = _dump(service.repository)
    forged = ("PREFIX sh: <http://www.w3.org/ns/shacl#> INSERT DATA { GRAPH"
              f" <{report}> {{ <{report}> a sh:ValidationReport ; sh:conforms true }} }}")
    for text in (forged, f"DROP GRAPH <{stored}>",
                 f"DELETE WHERE {{ GRAPH <{stored}> {{ ?s ?p ?o }} }}",
                 f"COPY <http://example.org/g> TO <{report}>"):
        response = _insert(service, text=text)
        assert response.status_code == 403, (text, response.text)
        assert "laporan validasi tersimpan" in response.text, text
        assert "/graph/validation/3574/" in response.text, text
    assert _dump(service.repository) == before


def test_a_failing_update_leaves_the_store_byte_identical(service) -> None:
    _insert(service)
    before = _dump(service.repository)
    # valid syntax, fails while running (the document cannot be fetched)
    response = _insert(service, text=INSERT.replace("satu", "tiga") +
                       " ;\nLOAD <http://invalid.example/nothing.ttl>")
    assert 400 <= response.status_code < 500
    assert _dump(service.repository) == before


def test_an_update_failing_in_a_later_operation_writes_nothing(service) -> None:
    _insert(service)
    before = _dump(service.repository)
    # the first operation would change the store; the second fails (no such graph)
    response = _insert(service, text=INSERT.replace("satu", "empat") +
                       " ;\nDROP GRAPH <http://example.org/tidak-ada>")
    assert response.status_code == 400
    assert _dump(service.repository) == before


def test_using_graph_uri_conflicts_with_with(service) -> None:
    response = service.client.post(
        "/sparql", params={"using-graph-uri": "http://example.org/g"},
        content=b"WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        headers={"content-type": UPDATE, **service.auth("admin")})
    assert response.status_code == 400


def test_yasgui_update_dataset_names_with_a_trailing_space_are_understood(service) -> None:
    # what Yasqe sends for an update with a chosen graph: a form, `update=`, and the
    # argument name `using-graph-uri ` (trailing space, encoded as `+`)
    _insert(service)
    update = ("PREFIX ex: <http://example.org/>\n"
              "INSERT { GRAPH ex:copy { ?s ex:p ?o } } WHERE { ?s ex:p ?o }")
    form = urlencode({"update": update, "using-graph-uri ": "http://example.org/g"})
    assert "using-graph-uri+=" in form
    response = service.client.post(
        "/sparql", content=form.encode(),
        headers={"content-type": "application/x-www-form-urlencoded",
                 "accept": "text/plain,*/*;q=0.9", **service.auth("admin")})
    assert response.status_code == 200, response.text
    # the WHERE read graph g; ignored, the argument would leave the update's default
    # graph (empty here) as its dataset, and nothing would be copied
    assert len(service.repository.graph(URIRef("http://example.org/copy"))) == 2


def test_using_graph_uri_applies_to_every_operation(service) -> None:
    _insert(service)
    update = ("PREFIX ex: <http://example.org/>\n"
              "INSERT { GRAPH ex:copy { ?s ex:p ?o } } WHERE { ?s ex:p ?o } ;\n"
              "DELETE WHERE { ?s ex:p \"dua\" }")
    response = service.client.post("/sparql", params={"using-graph-uri": "http://example.org/g"},
                                    content=update.encode(),
                                    headers={"content-type": UPDATE, **service.auth("admin")})
    assert response.status_code == 200, response.text
    copied = service.repository.graph(URIRef("http://example.org/copy"))
    assert len(copied) == 2
    # DELETE WHERE read the protocol dataset, so it matched; it deletes from the default graph
    # (a template without GRAPH), where nothing is: both graphs keep their triples
    assert len(service.repository.graph(URIRef("http://example.org/g"))) == 2


def test_cors_preflight_for_browser_tools(make_service) -> None:
    # the default while every read needs a token (a server bound to the network)
    service = make_service(anonymous_read=False)
    response = service.client.options("/sparql", headers={
        "origin": "https://yasgui.example", "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] in ("*", "https://yasgui.example")
    assert "authorization" in response.headers["access-control-allow-headers"].lower()
    simple = service.client.get("/sparql", params={"query": "ASK {}"},
                                headers={"origin": "https://yasgui.example"})
    assert "access-control-allow-origin" in simple.headers


def test_cors_can_be_switched_off(make_service) -> None:
    service = make_service(cors_origins="")
    response = service.client.get("/sparql", params={"query": "ASK {}"},
                                  headers={"origin": "https://yasgui.example"})
    assert "access-control-allow-origin" not in response.headers


def test_cors_origin_list(make_service) -> None:
    service = make_service(cors_origins="https://a.example, https://b.example")
    allowed = service.client.get("/sparql", params={"query": "ASK {}"},
                                 headers={"origin": "https://b.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://b.example"
    other = service.client.get("/sparql", params={"query": "ASK {}"},
                               headers={"origin": "https://c.example"})
    assert "access-control-allow-origin" not in other.headers


def test_protocol_dataset_overrides_the_union_default_graph(service) -> None:
    _insert(service)
    union = service.client.get("/sparql", params={"query": "ASK { ?s ?p \"satu\" }"})
    assert json.loads(union.content)["boolean"] is True
    other = service.client.get("/sparql", params={
        "query": "ASK { ?s ?p \"satu\" }", "default-graph-uri": "http://example.org/other"})
    assert json.loads(other.content)["boolean"] is False


@pytest.fixture
def remote_endpoint():
    endpoint = _RemoteEndpoint(json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": [
        {"s": {"type": "literal", "value": "RAHASIA-INTRANET"}}]}}).encode(),
        "application/sparql-results+json")
    yield endpoint
    endpoint.close()


def test_service_is_refused_by_default_and_nothing_is_fetched(
        service, remote_endpoint) -> None:
    query = f"SELECT ?s WHERE {{ SERVICE <{remote_endpoint.url}> {{ ?s ?p ?o }} }}"
    for response in (service.client.get("/sparql", params={"query": query}),
                     service.client.post("/sparql", data={"query": query.replace(
                         "SERVICE", "service SILENT")}, headers=service.auth("reader"))):
        assert response.status_code == 403, response.text
        assert "SPBE_SPARQL_SERVICE" in response.text
        assert "RAHASIA" not in response.text
    english = service.client.get("/sparql", params={"query": query},
                                 headers={"accept-language": "en"})
    assert "is not allowed" in english.text
    # in an update too (admin only), where even the syntax check would have run the WHERE
    before = _dump(service.repository)
    update = ("INSERT { GRAPH <http://example.org/g> { ?s ?s ?s } } WHERE "
              f"{{ SERVICE <{remote_endpoint.url}> {{ ?s ?p ?o }} }}")
    response = _insert(service, text=update)
    assert response.status_code == 403, response.text
    assert _dump(service.repository) == before
    assert remote_endpoint.requests == []


def test_service_is_answered_when_the_setting_allows_it(make_service, remote_endpoint) -> None:
    service = make_service(sparql_service=True)
    query = f"SELECT ?s WHERE {{ SERVICE <{remote_endpoint.url}> {{ ?s ?p ?o }} }}"
    response = service.client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    assert "RAHASIA-INTRANET" in response.text
    assert remote_endpoint.requests


@pytest.mark.parametrize("query", [
    "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
    "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:p ?o } LIMIT 1",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:SERVICE ?o } LIMIT 1",
    'SELECT * WHERE { ?s ?p "SERVICE <http://example.org/>" } LIMIT 1',
    "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o } LIMIT 1",
    "# SERVICE <http://example.org/sparql> { }\nSELECT * WHERE { ?s ?p ?o } LIMIT 1",
])
def test_the_word_service_elsewhere_is_not_refused(service, query: str) -> None:
    response = service.client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text


def test_a_query_file_saved_with_a_byte_order_mark_is_read(service) -> None:
    # Notepad saves UTF-8 with a BOM; `curl --data-binary @kueri.rq` sends it on
    bom = b"\xef\xbb\xbf"
    query = service.client.post("/sparql", content=bom + b"ASK { }",
                                headers={"content-type": "application/sparql-query"})
    assert query.status_code == 200
    assert query.json()["boolean"] is True
    update = _insert(service, text=bom.decode("utf-8") + INSERT)
    assert update.status_code == 200
    ask = service.client.get("/sparql", params={
        "query": 'ASK { GRAPH <http://example.org/g> { ?s ?p "satu" } }'})
    assert ask.json()["boolean"] is True


def test_the_update_confirmation_follows_accept_language(service) -> None:
    assert _insert(service).text == "Update berhasil diterapkan.\n"
    english = service.client.post("/sparql", content=INSERT.encode(), headers={
        "content-type": UPDATE, "accept-language": "en-US,en;q=0.9", **service.auth("admin")})
    assert english.status_code == 200
    assert english.text == "Update applied.\n"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_another_method_names_the_methods_the_endpoint_takes(service, method: str) -> None:
    response = service.client.request(method, "/sparql", content=b"ASK {}")
    assert response.status_code == 405
    # not "Allow: GET", which told a client that updates by POST were refused too
    assert response.headers["allow"] == "GET, HEAD, POST"
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == f"/sparql tidak menerima {method}; pakai GET, HEAD, POST\n"
    english = service.client.request(method, "/sparql", headers={"accept-language": "en"})
    assert english.text == f"/sparql does not take {method}; use GET, HEAD, POST\n"


def test_no_cors_by_default_while_anonymous_reading_is_on(make_service) -> None:
    """With `*` and anonymous reading (the loopback demo), any web site the user opened
    could read the whole repository, data classified Tertutup included, through the
    user's browser."""
    open_demo = make_service()  # in process: as a loopback bind, anonymous reading on
    answer = open_demo.client.get("/sparql", params={"query": "ASK {}"},
                                  headers={"origin": "https://penyerang.example"})
    assert answer.status_code == 200
    assert "access-control-allow-origin" not in answer.headers
    preflight = open_demo.client.options("/sparql", headers={
        "origin": "https://penyerang.example", "access-control-request-method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers
    # the operator's own choice stands
    chosen = make_service(cors_origins="https://yasgui.triply.cc")
    answer = chosen.client.get("/sparql", params={"query": "ASK {}"},
                               headers={"origin": "https://yasgui.triply.cc"})
    assert answer.headers["access-control-allow-origin"] == "https://yasgui.triply.cc"


def test_options_names_the_methods_and_preflight_still_works(make_service) -> None:
    service = make_service(cors_origins="*")
    plain = service.client.options("/sparql")
    assert plain.status_code == 204
    assert plain.headers["allow"] == "GET, HEAD, POST"
    preflight = service.client.options("/sparql", headers={
        "origin": "http://yasgui.example", "access-control-request-method": "POST",
        "access-control-request-headers": "authorization"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"


def test_a_load_that_cannot_fetch_says_why_not_that_the_store_is_unwritable(service) -> None:
    response = _insert(service, text="LOAD <http://127.0.0.1:1/dokumen.ttl>")
    assert response.status_code == 400
    assert response.text.startswith("LOAD gagal, tidak ada yang diubah: ")
    assert "port 1" in response.text  # Oxigraph's reason
    assert "cannot write to the store" not in response.text
    assert "tidak dapat ditulisi" not in response.text


def test_construct_as_rdf_xml_keeps_a_literals_carriage_return(service) -> None:
    """SPARQLWrapper asks CONSTRUCT results as RDF/XML by default and reads them with
    rdflib, whose XML parser turns a raw CR into a line feed."""
    text = ('INSERT DATA { GRAPH <http://example.org/g> {'
            ' <http://example.org/a> <http://example.org/p> "baris\\r\\nbaru"@id } }')
    assert _insert(service, text=text).status_code == 200
    response = service.client.get("/sparql", params={
        "query": "CONSTRUCT WHERE { ?s <http://example.org/p> ?o }"},
        headers={"accept": "application/rdf+xml"})
    assert response.status_code == 200
    [value] = list(Graph().parse(data=response.content, format="xml").objects())
    assert str(value) == "baris\r\nbaru"
    store = service.client.get("/rdf-graph-store", params={"graph": "http://example.org/g"},
                               headers={"accept": "application/rdf+xml"})
    [value] = list(Graph().parse(data=store.content, format="xml").objects())
    assert str(value) == "baris\r\nbaru"
