"""RDF 1.2 triple terms (`<<( s p o )>>`, and the `<< s p o >>` reifier that stands for
one) are parsed by Oxigraph 0.5 but are not terms the repository holds (its model, REST
API, validation and exports work on rdflib terms). A Graph Store upload or a SPARQL
Update carrying one answered 500 Internal Server Error; a WHERE that bound one gave a
syntax error at a line the user never wrote."""

from __future__ import annotations

import pytest

GSP = "/rdf-graph-store"
G = "http://example.org/gsp/star"


@pytest.mark.parametrize(("content_type", "body"), [
    ("text/turtle", b'<< <http://a> <http://b> <http://c> >> <http://d> "rdf-star" .'),
    ("text/turtle", b"<http://x> <http://d> <<( <http://a> <http://b> <http://c> )>> ."),
    ("application/n-triples",
     b"<http://x> <http://d> <<( <http://a> <http://b> <http://c> )>> ."),
])
def test_a_graph_store_upload_with_a_triple_term_is_refused(
        service, content_type: str, body: bytes) -> None:
    before = service.repository.export(None, "nquads")
    response = service.client.put(GSP, params={"graph": G}, content=body, headers={
        "content-type": content_type, "accept-language": "en", **service.auth("admin")})
    assert response.status_code == 400, response.text
    assert "triple term" in response.text and "<http://a> <http://b> <http://c>" in response.text
    assert service.repository.export(None, "nquads") == before


@pytest.mark.parametrize("update", [
    "INSERT DATA { <x:a> <x:b> <<( <x:a> <x:b> <x:c> )>> }",
    "INSERT DATA { GRAPH <x:g> { << <x:a> <x:b> <x:c> >> <x:d> 1 } }",
    "INSERT { <x:a> <x:b> ?t } WHERE { BIND(<<( <x:a> <x:b> <x:c> )>> AS ?t) }",
])
def test_an_update_writing_a_triple_term_is_refused(service, update: str) -> None:
    before = service.repository.export(None, "nquads")
    response = service.client.post("/sparql", content=update.encode(), headers={
        "content-type": "application/sparql-update", **service.auth("admin")})
    assert response.status_code == 400, response.text
    assert "triple term" in response.text and "tidak ada yang diubah" in response.text
    assert service.repository.export(None, "nquads") == before


def test_an_update_that_only_reads_a_triple_term_still_runs(service) -> None:
    response = service.client.post("/sparql", content=(
        b"INSERT { <x:a> <x:b> 1 } WHERE { BIND(<<( <x:a> <x:b> <x:c> )>> AS ?t)"
        b" FILTER(isTRIPLE(?t)) }"), headers={
        "content-type": "application/sparql-update", **service.auth("admin")})
    assert response.status_code == 200, response.text
