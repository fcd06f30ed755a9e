"""How an uploaded graph's bytes become text: a UTF-8 byte-order mark (Notepad's "UTF-8
with BOM") and a declared charset other than UTF-8 were both read as broken Turtle."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

GSP = "/rdf-graph-store"
G = "http://example.org/gsp/encoding"
DOC = ('<http://example.org/a> <http://example.org/nama>'
       ' "Dinas Komunikasi dan Informatika — Müller" .\n')


def _put(service, body: bytes, content_type: str):
    return service.client.put(GSP, params={"graph": G}, content=body,
                              headers={"content-type": content_type, **service.auth("admin")})


def _names(service) -> list[Literal]:
    return list(service.repository.graph(URIRef(G)).objects())


@pytest.mark.parametrize("content_type", ["text/turtle", "application/n-triples",
                                          "text/turtle; charset=utf-8"])
def test_a_byte_order_mark_is_not_part_of_the_document(service, content_type: str) -> None:
    response = _put(service, b"\xef\xbb\xbf" + DOC.encode(), content_type)
    assert response.status_code == 201, response.text
    assert _names(service) == [Literal("Dinas Komunikasi dan Informatika — Müller")]


@pytest.mark.parametrize("charset", ["windows-1252", "utf-16", "ISO-8859-1"])
def test_a_declared_charset_is_honoured(service, charset: str) -> None:
    text = DOC if charset != "ISO-8859-1" else DOC.replace("—", "-")
    response = _put(service, text.encode(charset), f"text/turtle; charset={charset}")
    assert response.status_code == 201, response.text
    assert _names(service) == [Literal(text.split('"')[1])]


def test_an_unknown_charset_is_415_and_changes_nothing(service) -> None:
    before = service.repository.export(None, "nquads")
    response = _put(service, DOC.encode(), "text/turtle; charset=klingon-8")
    assert response.status_code == 415
    assert "klingon-8" in response.text
    assert service.repository.export(None, "nquads") == before


def test_bytes_that_are_not_in_the_declared_charset_are_named(service) -> None:
    before = service.repository.export(None, "nquads")
    headers = {"content-type": "text/turtle; charset=ascii", "accept-language": "en",
               **service.auth("admin")}
    response = service.client.put(GSP, params={"graph": G},
                                  content=b'<x:a> <x:b> "\xff\xfe\xfd" .', headers=headers)
    assert response.status_code == 400
    # 1-based: the byte after `<x:a> <x:b> "`
    assert "ascii" in response.text and "byte 14" in response.text
    assert response.text.startswith("request body: byte 14")
    assert service.repository.export(None, "nquads") == before


@pytest.mark.parametrize(("body", "content_type", "english", "indonesian"), [
    (b"<http://a> <http://b> .", "text/turtle", "request body, line 1, column ",
     "isi permintaan, baris 1, kolom "),
    (b"<http://a> <http://b> <http://c> .", "image/png", "request body: RDF format 'image/png'",
     "isi permintaan: format RDF 'image/png'"),
])
def test_the_request_body_is_named_in_the_requests_language(
        service, body: bytes, content_type: str, english: str, indonesian: str) -> None:
    """The English message began with the Indonesian "isi permintaan"."""
    for lang, start in (("en", english), ("id", indonesian)):
        response = service.client.put(GSP, params={"graph": G}, content=body, headers={
            "content-type": content_type, "accept-language": lang, **service.auth("admin")})
        assert response.status_code in (400, 415)
        assert response.text.startswith(start), response.text
