"""REST lists with odd filters: every refusal names the query parameter it is about."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote


def test_an_unknown_status_names_the_parameter_not_a_record(arch_service: Any) -> None:
    # it read "kolom statusProses, proses-bisnis #1: …", as if a record had been sent
    response = arch_service.client.get("/api/proses-bisnis", params={"status": "As Is"})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("parameter 'status': 'As Is' bukan nilai yang diizinkan")
    assert "#1" not in detail
    english = arch_service.client.get("/api/proses-bisnis",
                                      params={"status": "As Is", "lang": "en"})
    assert english.json()["detail"].startswith("parameter 'status': 'As Is' is not an allowed")


def test_a_mistyped_opd_is_refused_not_an_empty_list(arch_service: Any) -> None:
    """`?opd=DISKOMIFO` answered an empty page, which reads as "this OPD has none"."""
    client = arch_service.client
    typo = client.get("/api/proses-bisnis", params={"opd": "DISKOMIFO"})
    assert typo.status_code == 404
    assert typo.json()["detail"] == (
        "parameter 'opd': OPD 'DISKOMIFO' tidak ada di instansi 3574; kode yang ada:"
        " DISDUKCAPIL, DISKOMINFO, SETDA")
    english = client.get("/api/proses-bisnis", params={"opd": "DISKOMIFO", "lang": "en"})
    assert english.json()["detail"].startswith("parameter 'opd': there is no OPD 'DISKOMIFO'")
    # a known OPD without any entity of the kind is an empty page, as before
    empty = client.get("/api/aplikasi", params={"opd": "SETDA"})
    assert empty.status_code == 200 and empty.json()["total"] == 0
    assert client.get("/api/proses-bisnis", params={"opd": "DISKOMINFO"}).json()["total"] > 0


def test_a_value_with_a_unicode_line_separator_is_one_term(arch_service: Any) -> None:
    """NEL (U+0085) and U+2028 in a code or filter answered 400 "kesalahan sintaks SPARQL":
    the bound query was split into lines as Python splits them, cutting the value's literal
    in two. Such a code is simply not there; such a filter matches nothing."""
    client = arch_service.client
    for odd in ("DISKOMINFO\u0085PREFIX", "a\u2028b", "a\u2029b"):
        missing = client.get(f"/api/layanan/{quote(odd, safe='')}")
        assert missing.status_code == 404, missing.text
        for parameter in ("q", "ref"):
            page = client.get("/api/layanan", params={parameter: odd})
            assert page.status_code == 200, page.text
            assert page.json()["total"] == 0


def test_a_list_page_in_rdf_by_content_negotiation(arch_service: Any) -> None:
    """Lists answered JSON whatever was asked: a client asking for Turtle (rdflib,
    Protégé) got JSON without a word. A page in RDF is the union of its entities' own RDF,
    its paging in headers."""
    from rdflib import Graph
    from rdflib.compare import isomorphic

    client = arch_service.client
    listed = client.get("/api/proses-bisnis", params={"limit": 1}).json()
    assert listed["total"] > 1
    turtle = client.get("/api/proses-bisnis", params={"limit": 1},
                        headers={"accept": "text/turtle"})
    assert turtle.status_code == 200
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert turtle.headers["x-total-count"] == str(listed["total"])
    assert turtle.headers["vary"] == "Accept"
    assert 'offset=1>; rel="next"' in turtle.headers["link"]
    assert 'rel="prev"' not in turtle.headers["link"]
    page = Graph().parse(data=turtle.text, format="turtle")
    expected = Graph()
    for item in listed["items"]:
        single = client.get(f"/api/proses-bisnis/{item['kode']}",
                            headers={"accept": "text/turtle"})
        expected.parse(data=single.text, format="turtle")
    assert len(page) > 0 and isomorphic(page, expected)
    jsonld = client.get("/api/proses-bisnis", params={"limit": 1, "offset": 1},
                        headers={"accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert 'offset=0>; rel="prev"' in jsonld.headers["link"]
    # anything else (a browser's */*, an image type) keeps the JSON
    assert client.get("/api/proses-bisnis", headers={"accept": "image/png"}).json()["items"]
