"""/rdf-graph-store beyond the W3C cases: audit of exact triples, blank nodes, errors,
access, and nothing half-written."""

from __future__ import annotations

import logging

import pytest
from rdflib import Graph, URIRef

GSP = "/rdf-graph-store"
G = "http://example.org/gsp"
TURTLE = {"content-type": "text/turtle"}
DOC_1 = b'<http://example.org/a> <http://example.org/p> "satu", "dua" .'
DOC_2 = b'<http://example.org/a> <http://example.org/p> "dua", "tiga" .'


def _put(service, body: bytes, role: str = "admin", graph: str = G, **headers: str):
    return service.client.put(GSP, params={"graph": graph}, content=body,
                              headers={**TURTLE, **headers, **service.auth(role)})


def _history(service, entity: str) -> list[dict]:
    response = service.client.get("/history", params={"entity": entity})
    assert response.status_code == 200
    return response.json()["items"]


def test_put_records_exactly_what_changed(service) -> None:
    assert _put(service, DOC_1).status_code == 201
    assert _put(service, DOC_2).status_code == 204
    items = _history(service, G)
    assert len(items) == 2
    latest = items[0]
    assert latest["agen"] == "admin-uji"
    assert latest["ditambah"] == [f'<http://example.org/a> <http://example.org/p> "tiga" <{G}> .']
    assert latest["dihapus"] == [f'<http://example.org/a> <http://example.org/p> "satu" <{G}> .']
    # the entity whose triples changed finds the record too
    assert len(_history(service, "http://example.org/a")) == 2


def test_post_merges_and_delete_removes(service) -> None:
    _put(service, DOC_1)
    response = service.client.post(GSP, params={"graph": G}, content=DOC_2,
                                   headers={**TURTLE, **service.auth("admin")})
    assert response.status_code == 204
    assert len(service.repository.graph(URIRef(G))) == 3
    assert service.client.delete(GSP, params={"graph": G},
                                 headers=service.auth("admin")).status_code == 204
    assert service.client.get(GSP, params={"graph": G}).status_code == 404
    assert _history(service, G)[0]["dihapus"]


def test_graphs_with_blank_nodes_can_be_replaced_and_deleted(service) -> None:
    with_bnodes = (b'<http://example.org/a> <http://example.org/kartu>'
                   b' [ <http://example.org/n> "x" ] .')
    assert _put(service, with_bnodes).status_code == 201
    assert _put(service, DOC_1).status_code == 204
    assert len(service.repository.graph(URIRef(G))) == 2
    assert _put(service, with_bnodes).status_code == 204
    assert service.client.delete(GSP, params={"graph": G},
                                 headers=service.auth("admin")).status_code == 204
    assert URIRef(G) not in service.repository.graph_names()
    removed = _history(service, G)[0]["dihapus"]
    assert len(removed) == 2 and any("_:" in line for line in removed)


def test_default_graph(service) -> None:
    response = service.client.put(GSP, params={"default": ""}, content=DOC_1,
                                  headers={**TURTLE, **service.auth("admin")})
    assert response.status_code in (200, 201, 204)
    got = service.client.get(GSP, params={"default": ""}, headers={"accept": "text/turtle"})
    assert len(Graph().parse(data=got.content, format="turtle")) == 2


@pytest.mark.parametrize("with_blank_node", [False, True])
def test_replacing_or_deleting_the_default_graph_leaves_the_named_graphs(
        service, with_blank_node: bool) -> None:
    # the default graph's quads were read as every quad of the store: without a blank node
    # anywhere a PUT of the default graph removed the named graphs, with one the audit
    # record listed the whole store as removed
    extra = b' <http://example.org/b> <http://example.org/p> [] .' if with_blank_node else b""
    assert _put(service, DOC_1 + extra).status_code == 201
    named = service.repository.export(URIRef(G), "ntriples")
    default = {**TURTLE, **service.auth("admin")}
    assert service.client.put(GSP, params={"default": ""}, content=DOC_2,
                              headers=default).status_code in (200, 201, 204)
    assert service.repository.export(URIRef(G), "ntriples") == named
    replaced = _history(service, "http://example.org/a")[0]
    assert replaced["dihapus"] == []  # the default graph held nothing before
    assert len(replaced["ditambah"]) == 2
    assert service.client.delete(GSP, params={"default": ""},
                                 headers=service.auth("admin")).status_code == 204
    assert service.repository.export(URIRef(G), "ntriples") == named
    deleted = _history(service, "http://example.org/a")[0]
    assert sorted(deleted["dihapus"]) == sorted(replaced["ditambah"])
    assert len(service.repository.graph(None)) == 0


@pytest.mark.parametrize(("body", "content_type", "status", "needle"), [
    (b"<http://example.org/a> <http://example.org/p> .", "text/turtle", 400, "1"),
    (b'{"@id": ', "application/ld+json", 400, ""),
    (DOC_1, "application/x-unknown", 415, "text/turtle"),
    (DOC_1, "application/n-quads", 415, ""),
])
def test_bad_uploads_change_nothing(service, body: bytes, content_type: str, status: int,
                                    needle: str) -> None:
    _put(service, DOC_1)
    before = service.repository.export(None, "nquads")
    response = service.client.put(GSP, params={"graph": G}, content=body,
                                  headers={"content-type": content_type,
                                           **service.auth("admin")})
    assert response.status_code == status, response.text
    assert needle in response.text
    assert service.repository.export(None, "nquads") == before


@pytest.mark.parametrize(("params", "status"), [
    ({}, 400), ({"graph": "relative/iri"}, 400), ({"graph": G, "default": ""}, 400),
])
def test_bad_graph_names(service, params: dict, status: int) -> None:
    assert service.client.get(GSP, params=params).status_code == status


def test_missing_graph(service) -> None:
    assert service.client.get(GSP, params={"graph": G}).status_code == 404
    assert service.client.head(GSP, params={"graph": G}).status_code == 404
    assert service.client.delete(GSP, params={"graph": G},
                                 headers=service.auth("admin")).status_code == 404


@pytest.mark.parametrize(("role", "status"), [(None, 401), ("reader", 403), ("editor", 403)])
def test_writes_need_admin(service, role: str | None, status: int) -> None:
    _put(service, DOC_1)
    before = service.repository.export(None, "nquads")
    headers = {**TURTLE, **(service.auth(role) if role else {})}
    for method in ("PUT", "POST"):
        response = service.client.request(method, GSP, params={"graph": G}, content=DOC_2,
                                          headers=headers)
        assert response.status_code == status
    response = service.client.request("DELETE", GSP, params={"graph": G},
                                      headers=service.auth(role) if role else {})
    assert response.status_code == status
    assert service.repository.export(None, "nquads") == before


def test_content_negotiation_on_get(service) -> None:
    _put(service, DOC_1)
    for accept, fmt in {"text/turtle": "turtle", "application/n-triples": "nt",
                        "application/rdf+xml": "xml", "application/ld+json": "json-ld"}.items():
        response = service.client.get(GSP, params={"graph": G}, headers={"accept": accept})
        assert response.headers["content-type"].startswith(accept)
        assert len(Graph().parse(data=response.content, format=fmt)) == 2
    assert service.client.get(GSP, params={"graph": G},
                              headers={"accept": "image/png"}).status_code == 406


def test_rdfxml_of_a_predicate_it_cannot_write_is_406(service) -> None:
    # Oxigraph wrote `<oxprefix:>` for a predicate ending in digits: a 200 no XML reader
    # accepts; the other formats still serve the graph
    _put(service, b'<http://example.org/a> <https://contoh.go.id/123> "v" .')
    response = service.client.get(GSP, params={"graph": G},
                                  headers={"accept": "application/rdf+xml"})
    assert response.status_code == 406
    assert "<https://contoh.go.id/123>" in response.text
    turtle = service.client.get(GSP, params={"graph": G}, headers={"accept": "text/turtle"})
    assert turtle.status_code == 200
    assert len(Graph().parse(data=turtle.content, format="turtle")) == 1


def test_the_audit_trail_cannot_be_rewritten_through_the_graph_store(service) -> None:
    provenance = "https://w3id.org/spbe-arch/graph/provenance"
    _put(service, DOC_1)
    before = service.repository.export(None, "nquads")
    for method in ("PUT", "POST", "DELETE"):
        response = service.client.request(method, GSP, params={"graph": provenance},
                                          content=DOC_2, headers={**TURTLE,
                                                                  **service.auth("admin")})
        assert response.status_code == 403
    assert service.repository.export(None, "nquads") == before
    assert service.client.get(GSP, params={"graph": provenance}).status_code == 200


def test_a_stored_validation_report_cannot_be_written_through_the_graph_store(service
                                                                               ) -> None:
    """GET /validation shows the report graph with the newest name: a PUT of one named
    after a far future time stood as the latest report, and a DELETE of the newest real
    one brought an older report back."""
    from spbe_arch.validation.service import latest_report

    reports = "https://w3id.org/spbe-arch/graph/validation/3574/"
    _put(service, DOC_1)
    before = service.repository.export(None, "nquads")
    for method in ("PUT", "POST", "DELETE"):
        response = service.client.request(
            method, GSP, params={"graph": reports + "99991231T000000000000Z"},
            content=DOC_2, headers={**TURTLE, **service.auth("admin")})
        assert response.status_code == 403, method
        assert "laporan validasi tersimpan" in response.text
    assert service.repository.export(None, "nquads") == before
    assert latest_report(service.repository, "3574") is None


def test_bulk_writes_record_every_triple(service, monkeypatch) -> None:
    from spbe_arch import audit

    # small record blocks, so that a modest write is recorded in several values
    monkeypatch.setattr(audit, "RECORD_CHUNK_CHARS", 20_000)
    body = "".join(f'<http://example.org/s{i}> <http://example.org/p> "nilai {i}" .\n'
                   for i in range(3000)).encode()
    assert _put(service, body, **{"content-type": "application/n-triples"}).status_code == 201
    blocks = service.repository.select(
        "PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>"
        " SELECT ?t WHERE { ?a spbe:tripelDitambah ?t }").rows
    assert len(blocks) > 5
    assert all(len(str(r["t"])) <= 20_000 for r in blocks)
    record = _history(service, G)[0]
    assert len(record["ditambah"]) == 3000 and record["dihapus"] == []
    assert f'<http://example.org/s2999> <http://example.org/p> "nilai 2999" <{G}> .' in record[
        "ditambah"]
    # replacing it with an empty graph records every removal
    assert _put(service, b"# kosong\n").status_code == 204
    assert len(_history(service, G)[0]["dihapus"]) == 3000
    assert len(service.repository.graph(URIRef(G))) == 0


def test_no_acceptable_format_is_406_in_the_request_language(service) -> None:
    assert _put(service, DOC_1).status_code == 201
    response = service.client.get(GSP, params={"graph": G}, headers={"accept": "text/html"})
    assert response.status_code == 406
    assert response.text.startswith("header Accept tidak memuat format graf")
    assert "text/turtle" in response.text
    english = service.client.get(GSP, params={"graph": G},
                                 headers={"accept": "text/html", "accept-language": "en"})
    assert english.text.startswith("the Accept header names no available graph format")


@pytest.mark.parametrize("path", [GSP, GSP + "/some/graph"])
def test_patch_is_405_with_the_methods_the_graph_store_takes(service, path: str) -> None:
    response = service.client.patch(path, params={"graph": G} if path == GSP else None,
                                    content=DOC_1, headers={**TURTLE, **service.auth("admin")})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, PUT, POST, DELETE"
    assert "tidak menerima PATCH" in response.text


def test_an_ill_typed_literal_is_stored_without_a_traceback_in_the_log(
        service, caplog: pytest.LogCaptureFixture) -> None:
    """rdflib logged a full traceback for each one; a finding of validation, not an error."""
    body = (b'<http://example.org/s> <http://example.org/p>'
            b' "banyak"^^<http://www.w3.org/2001/XMLSchema#integer> .')
    with caplog.at_level(logging.WARNING):
        answer = service.client.put(
            "/rdf-graph-store", params={"graph": "http://example.org/g"}, content=body,
            headers={"content-type": "application/n-triples", **service.auth("admin")})
    assert answer.status_code == 201
    assert not [r for r in caplog.records if r.name.startswith("rdflib")]


@pytest.mark.parametrize("body", [b"", b"# hanya komentar\n", b"@prefix ex: <http://ex/> ."])
@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_no_triples_for_a_missing_graph_creates_nothing_and_says_so(
        service, method: str, body: bytes) -> None:
    """A graph exists while it holds triples: a 0-byte PUT answered 201 Created, and the
    GET that followed answered 404."""
    before = service.repository.export(None, "nquads")
    response = service.client.request(method, GSP, params={"graph": G}, content=body,
                                      headers={**TURTLE, **service.auth("admin")})
    assert response.status_code == 204, response.text
    assert "location" not in response.headers
    assert service.client.get(GSP, params={"graph": G}).status_code == 404
    assert service.client.head(GSP, params={"graph": G}).status_code == 404
    # nothing written, not even an audit record of a write that changed nothing
    assert service.repository.export(None, "nquads") == before


def test_posting_no_triples_to_the_store_itself_is_refused(service) -> None:
    """The store answered 201 with a Location whose GET answered 404."""
    before = service.repository.export(None, "nquads")
    response = service.client.post(GSP, content=b"", headers={**TURTLE,
                                                              **service.auth("admin")})
    assert response.status_code == 400
    assert "location" not in response.headers
    assert "tidak memuat satu tripel pun" in response.text
    english = service.client.post(GSP, content=b"", headers={
        **TURTLE, **service.auth("admin"), "accept-language": "en"})
    assert "holds no triple" in english.text
    assert service.repository.export(None, "nquads") == before


def test_json_without_a_context_does_not_empty_a_graph(service) -> None:
    """Plain JSON sent as JSON-LD yields no triple (a key no @context maps to an IRI is
    dropped): a PUT of it emptied the graph, answering 204 as if it had been replaced."""
    assert _put(service, DOC_1).status_code == 201
    before = service.repository.export(None, "nquads")
    response = service.client.put(GSP, params={"graph": G},
                                  content=b'{"nama": "Dinas Kominfo", "kode": "DISKOMINFO"}',
                                  headers={"content-type": "application/ld+json",
                                           **service.auth("admin")})
    assert response.status_code == 400
    assert "'kode'" in response.text and "'nama'" in response.text and "@context" in response.text
    assert service.repository.export(None, "nquads") == before
    # a document that names nothing stays a way to empty a graph
    emptied = service.client.put(GSP, params={"graph": G}, content=b'{"@graph": []}',
                                 headers={"content-type": "application/ld+json",
                                          **service.auth("admin")})
    assert emptied.status_code == 204
    assert service.client.get(GSP, params={"graph": G}).status_code == 404
