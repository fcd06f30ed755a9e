"""Graph Store uploads whose parsing would cost far more than their size."""

from __future__ import annotations

from tests.repository.repo_helpers import laughs

GSP = "/rdf-graph-store"
G = "http://example.org/unggahan"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


# what Protégé writes: one entity per namespace, used in every IRI
PROTEGE = f'''<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
    <!ENTITY owl "http://www.w3.org/2002/07/owl#" >
    <!ENTITY xsd "http://www.w3.org/2001/XMLSchema#" >
    <!ENTITY rdf "{RDF}" >
    <!ENTITY spbe "https://w3id.org/spbe-arch/ontology#" >
]>
<rdf:RDF xmlns:rdf="&rdf;" xmlns:owl="&owl;" xmlns:spbe="&spbe;">
    <owl:Class rdf:about="&spbe;ProsesBisnis"/>
    <owl:DatatypeProperty rdf:about="&spbe;level">
        <rdf:type rdf:resource="&owl;FunctionalProperty"/>
    </owl:DatatypeProperty>
    <rdf:Description rdf:about="&spbe;contoh">
        <spbe:level rdf:datatype="&xsd;integer">2</spbe:level>
    </rdf:Description>
</rdf:RDF>
'''.encode()


def _put(service, body: bytes):
    return service.client.put(GSP, params={"graph": G}, content=body, headers={
        "content-type": "application/rdf+xml", **service.auth("admin")})


def test_an_exponential_entity_expansion_is_refused_before_parsing(service) -> None:
    before = service.repository.export(None, "nquads")
    # 8 levels: a 500-byte upload that Oxigraph turned into a 1 GB literal in 97 s
    response = _put(service, laughs(8))
    assert response.status_code == 413
    assert "entitas XML" in response.text
    assert service.repository.export(None, "nquads") == before


def test_protege_style_namespace_entities_are_accepted(service) -> None:
    assert _put(service, PROTEGE).status_code == 201
    turtle = service.client.get(GSP, params={"graph": G},
                                headers={"accept": "application/n-triples"}).text
    assert "<https://w3id.org/spbe-arch/ontology#level>" in turtle
    assert '"2"^^<http://www.w3.org/2001/XMLSchema#integer>' in turtle


def test_jsonld_with_a_context_url_is_refused_with_what_to_do(service) -> None:
    # what GET /api/{kind}/{kode} answers as JSON-LD: the context by URL
    body = (b'{"@context": "http://www.example/context.jsonld",'
            b' "@id": "http://example.org/s", "kode": "X"}')
    response = service.client.put(GSP, params={"graph": G}, content=body, headers={
        "content-type": "application/ld+json", **service.auth("admin")})
    assert response.status_code == 400
    assert "@context lewat URL" in response.text
    assert "LoadDocumentCallback" not in response.text


def test_an_rdfxml_syntax_error_names_its_line(service) -> None:
    body = (f'<rdf:RDF xmlns:rdf="{RDF}">\n<rdf:Description rdf:about="http://e/s">\n'
            "</rdf:RDF>\n").encode()
    response = _put(service, body)
    assert response.status_code == 400
    assert "baris 3" in response.text


def test_an_unsupported_part_of_a_multipart_upload_is_named(service) -> None:
    files = {"satu": ("satu.ttl", b"<http://e/a> <http://e/p> <http://e/o> .", "text/turtle"),
             "dua": ("catatan.docx", b"PK\x03\x04", "application/octet-stream")}
    before = service.repository.export(None, "nquads")
    response = service.client.post(GSP, params={"graph": G}, files=files,
                                   headers=service.auth("admin"))
    assert response.status_code == 415
    assert response.text.startswith("catatan.docx: format RDF")
    assert service.repository.export(None, "nquads") == before
