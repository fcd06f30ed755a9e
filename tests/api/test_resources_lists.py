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
        page = client.get("/api/layanan", params={"q": odd})
        assert page.status_code == 200, page.text
        assert page.json()["total"] == 0
        # no reference code holds one: a code that is not there (a 404 naming it)
        unknown = client.get("/api/layanan", params={"ref": odd})
        assert unknown.status_code == 404, unknown.text
        assert unknown.json()["detail"].startswith(f"parameter 'ref': kode '{odd}' tidak ada")


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


def test_a_mistyped_reference_code_or_instansi_is_refused_not_an_empty_list(
        arch_service: Any) -> None:
    """`?ref=` and `?instansi=` naming nothing answered an empty page, as if there were no
    such entities, where a mistyped `?opd=` was 404."""
    client = arch_service.client
    typo = client.get("/api/proses-bisnis", params={"ref": "RAB.99.99"})
    assert typo.status_code == 404
    assert typo.json()["detail"] == (
        "parameter 'ref': kode 'RAB.99.99' tidak ada dalam Referensi Arsitektur Proses Bisnis"
        " (RAB), referensi yang mengklasifikasikan Proses Bisnis")
    # a code of another reference: not one this kind is classified by
    assert client.get("/api/proses-bisnis", params={"ref": "RAL.01"}).status_code == 404
    assert client.get("/api/proses-bisnis", params={"ref": "RAB.09"}).json()["total"] > 0
    # a known code no entity is classified by is an empty page
    known = client.get("/api/layanan", params={"ref": "RAL.01"})
    assert known.status_code == 200 and known.json()["total"] == 0, known.text
    nowhere = client.get("/api/layanan", params={"instansi": "3547"})
    assert nowhere.status_code == 404
    assert nowhere.json()["detail"] == (
        "parameter 'instansi': instansi dengan kode wilayah '3547' tidak ada di repositori;"
        " kode yang ada: 3574")
    english = client.get("/api/layanan", params={"instansi": "3547", "lang": "en"})
    assert english.json()["detail"].startswith("parameter 'instansi': there is no instansi")
    # a kind no reference classifies: the parameter is named
    opd = client.get("/api/opd", params={"ref": "RAB.09"})
    assert opd.status_code == 400
    assert opd.json()["detail"].startswith("parameter 'ref': Perangkat Daerah tidak")


def test_a_filter_of_only_white_space_is_no_filter(arch_service: Any) -> None:
    """`?opd=%20` was 404 (no OPD ' ') while `?opd=` was no filter: both are an empty form
    field."""
    client = arch_service.client
    everything = client.get("/api/proses-bisnis").json()["total"]
    for parameter in ("opd", "ref", "q", "status", "sort"):
        for blank in ("", " ", "\t\n"):
            page = client.get("/api/proses-bisnis", params={parameter: blank})
            assert page.status_code == 200, (parameter, blank, page.text)
            assert page.json()["total"] == everything
    # a value with spaces around it is the value (pasted from a spreadsheet cell)
    padded = client.get("/api/proses-bisnis", params={"opd": " DISKOMINFO\n"}).json()
    assert 0 < padded["total"] < everything
