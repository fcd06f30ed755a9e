"""Every page answers 200 over the demo repository and over an empty one, in Indonesian and
English, loads nothing from outside the server and labels every form control."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from tests.web.helpers import Web, foreign_urls, make, text_of, unlabelled

from spbe_arch.model import TOP_LEVEL_KINDS, list_entities
from spbe_arch.queries import list_queries
from spbe_arch.repository import open_repository

SCHEMES = ("RAB", "RAL", "RAD", "RAA", "RAI", "RAK")


def common_urls() -> list[str]:
    urls = ["/ui", "/ui?lang=en", "/ui?kerangka=permenpanrb-8-2026&tahun=2025", "/ui/masuk",
            "/ui/referensi?skema=RAB&hanya=belum", "/ui/sparql", "/ui/validasi", "/ui/impor",
            "/ui/proses", "/ui/laporan", "/ui/e/proses-bisnis?q=a&sort=-nama&opd=DISKOMINFO",
            "/ui/e/proses-bisnis/baru/isi"]
    urls += [f"/ui/e/{kind}" for kind in TOP_LEVEL_KINDS]
    urls += [f"/ui/referensi?skema={scheme}" for scheme in SCHEMES]
    urls += [f"/ui/sparql?kueri={q.name}" for q in list_queries()]
    return urls


def demo_urls(web: Web) -> list[str]:
    urls = ["/ui/e/opd/DISKOMINFO", "/ui/bpmn/pengaduan-masyarakat",
            "/ui/sop/DISKOMINFO-01.02.SOP.02", "/ui/validasi?opd=DISKOMINFO&tingkat=Violation",
            "/ui/e/proses-bisnis?hal=2", "/ui/e/proses-bisnis?status=AsIs"]
    for kind in TOP_LEVEL_KINDS:
        first = list_entities(web.repository, kind, instansi="3574", limit=1).items[0]
        code = quote(str(first["kode"]), safe="")
        urls.append(f"/ui/e/{kind}/{code}" if kind != "sop" else f"/ui/sop/{code}")
        if kind != "sop":
            urls.append(f"/ui/e/{kind}/{code}/ubah")
    return urls


@pytest.fixture(scope="module")
def empty_web() -> Iterator[Web]:
    web = make(open_repository("memory:"))
    yield web
    web.close()


def _check_pages(web: Web, urls: list[str]) -> None:
    session = web.session("admin")
    problems = []
    for url in urls:
        response = session.get(url)
        if response.status_code != 200:
            problems.append(f"{url}: HTTP {response.status_code} {text_of(response.text)[:300]}")
            continue
        assert response.headers["content-type"].startswith("text/html"), url
        if foreign := foreign_urls(response.text):
            problems.append(f"{url}: loads from outside the server: {foreign}")
        if missing := unlabelled(response.text):
            problems.append(f"{url}: form controls without a label: {missing}")
    assert not problems, "\n".join(problems)


def test_every_page_answers_for_the_demo(demo_web: Web) -> None:
    _check_pages(demo_web, common_urls() + demo_urls(demo_web))


def test_every_page_answers_for_an_empty_repository(empty_web: Web) -> None:
    _check_pages(empty_web, common_urls())


def test_every_page_answers_anonymously_with_anonymous_reading(demo_web: Web) -> None:
    session = demo_web.session()
    for url in ["/ui", "/ui/e/layanan/LYN-04", "/ui/referensi", "/ui/validasi", "/ui/proses",
                "/ui/sop/DISKOMINFO-01.02.SOP.02", "/ui/laporan", "/ui/sparql"]:
        response = session.get(url)
        assert response.status_code == 200, url
        assert 'action="/ui/keluar"' not in response.text  # not signed in
        assert 'href="/ui/e/layanan/LYN-04/ubah"' not in response.text


def test_root_goes_to_the_dashboard(demo_web: Web) -> None:
    response = demo_web.session().get("/", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/ui"


def test_english_switch_is_remembered(demo_web: Web) -> None:
    session = demo_web.session()
    indonesian = text_of(session.get("/ui/validasi").text)
    assert "Validasi arsitektur" in indonesian and "Dasbor" in indonesian
    english = session.get("/ui/validasi?lang=en")
    assert 'lang="en"' in english.text
    assert "Architecture validation" in text_of(english.text)
    assert "spbe_lang=en" in english.headers.get("set-cookie", "")
    again = text_of(session.get("/ui/e/layanan").text)  # no ?lang: the cookie decides
    assert "Dashboard" in again and "Dasbor" not in again
    back = text_of(session.get("/ui/e/layanan?lang=id").text)
    assert "Dasbor" in back


def test_unknown_things_are_404_pages(demo_web: Web) -> None:
    session = demo_web.session()
    for url in ["/ui/e/proses-bisnis/TIDAK-ADA", "/ui/e/bukan-jenis", "/ui/sop/TIDAK-ADA",
                "/ui/bpmn/tidak-ada"]:
        response = session.get(url)
        assert response.status_code == 404, url
        assert response.headers["content-type"].startswith("text/html")
        # the heading says what happened, as the title does
        assert "<h1>Tidak ditemukan</h1>" in response.text, url
        assert "<title>Tidak ditemukan (404) — spbe-arch</title>" in response.text
    response = session.get("/ui/bpmn/%E6%BC%A2%E5%AD%97")  # no model name at all
    assert response.status_code == 404 and "--model" not in response.text
    assert "model BPMN &#39;漢字&#39; tidak ditemukan" in response.text
    response = session.get("/ui/sparql?kueri=tidak-ada")
    assert response.status_code == 404
    response = session.get("/ui/tidak/ada")
    assert response.status_code == 404 and "halaman /ui/tidak/ada tidak ada" in response.text
    response = session.get("/ui?tahun=bukan-angka")
    assert response.status_code == 422 and "nilai parameter tidak sah: tahun" in response.text
    assert "<h1>Terjadi masalah</h1>" in response.text
    english = session.get("/ui/e/proses-bisnis/TIDAK-ADA?lang=en")
    assert english.status_code == 404 and "<h1>Not found</h1>" in english.text


def test_the_reference_tree_keeps_links_out_of_its_toggles(demo_web: Web) -> None:
    """A <summary> is announced as a button: a link inside it would be a control inside a
    control. A code with narrower codes and elements of its own (RAK.02 in the demo) shows
    their links after its toggle, which is open so they show as a leaf's do."""
    session = demo_web.session()
    for scheme in SCHEMES:
        page = session.get(f"/ui/referensi?skema={scheme}").text
        toggles = re.findall(r"<summary>(.*?)</summary>", page, re.S)
        assert toggles, scheme
        nested = [t for t in toggles if re.search(r"<(a|button|input|select|textarea)\b", t)]
        assert not nested, (scheme, nested)
    page = session.get("/ui/referensi?skema=RAK").text
    branch = re.search(r'<details open>\s*<summary>\s*<span class="concept" id="RAK.02">.*?'
                       r'</summary>\s*<p class="mapped">(.*?)</p>', page, re.S)
    assert branch is not None
    assert re.findall(r">(KAM-\d+)</a>", branch.group(1)) == ["KAM-02", "KAM-07"]


def test_static_assets_and_vendored_libraries_are_served(demo_web: Web) -> None:
    session = demo_web.session()
    for path, kind in [("app.css", "text/css"), ("app.js", "javascript"),
                       ("sparql.js", "javascript"), ("bpmn-view.js", "javascript"),
                       ("vendor/htmx/htmx.min.js", "javascript"),
                       ("vendor/codemirror/codemirror.js", "javascript"),
                       ("vendor/codemirror/codemirror.css", "text/css"),
                       ("vendor/codemirror/mode/sparql/sparql.js", "javascript"),
                       ("vendor/bpmn-js/bpmn-navigated-viewer.production.min.js", "javascript"),
                       ("vendor/bpmn-js/assets/bpmn-js.css", "text/css"),
                       ("vendor/bpmn-js/assets/bpmn-font/font/bpmn.woff2", "font")]:
        response = session.get(f"/ui/static/{path}")
        assert response.status_code == 200, path
        assert kind in response.headers["content-type"], (path, response.headers)
    for library in ("htmx", "codemirror", "bpmn-js", "swagger-ui"):
        assert session.get(f"/ui/static/vendor/{library}/LICENSE").status_code == 200


def test_every_page_names_an_icon_and_favicon_ico_answers(demo_web: Web) -> None:
    # browsers ask for /favicon.ico wherever a page names no icon (JSON and RDF answers)
    session = demo_web.session()
    page = session.get("/ui")
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page.text)
    assert icon is not None
    named = session.get(icon.group(1))
    fallback = session.get("/favicon.ico")
    for response in (named, fallback):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("image/svg+xml")
        assert response.content.startswith(b"<svg")
    assert named.content == fallback.content


def test_opening_a_form_post_address_again_goes_back_to_its_page(demo_web: Web) -> None:
    """After a preview or a save the address bar shows the form's POST address; opening it
    again (a GET) leads to the page of that form, not to 'this page does not exist'."""
    session = demo_web.session("editor")
    for posted, page in [("/ui/impor/pratinjau", "/ui/impor"), ("/ui/impor/simpan", "/ui/impor"),
                         ("/ui/proses/turunkan", "/ui/proses"),
                         ("/ui/validasi/jalankan", "/ui/validasi"),
                         ("/ui/sparql/unduh", "/ui/sparql"), ("/ui/keluar", "/ui")]:
        response = session.get(posted, follow_redirects=False)
        assert response.status_code == 303, posted
        assert response.headers["location"] == page
    assert session.get("/ui/impor/lainnya").status_code == 404


def test_language_switch_and_sign_in_lead_back_to_an_element_with_an_odd_code(
        fresh_demo_web: Web) -> None:
    """The EN/ID links and the sign-in's way back keep the page's address percent-encoded:
    a code holding '%', '?', '#' or '/' otherwise leads to another page or a 404."""
    import html

    web = fresh_demo_web
    editor = web.session("editor")
    code = "DISKOMINFO-50/a?b#c d%"  # (no %XX: the test client decodes paths twice)
    made = editor.post("/ui/e/proses-bisnis/baru/isi", {
        "kode": code, "nama": "Kode aneh", "pemilik": "DISKOMINFO",
        "klasifikasiRAB": "RAB.09.03.02"}, follow_redirects=False)
    assert made.status_code == 303, text_of(made.text)
    address = made.headers["location"].split("?")[0]
    page = editor.get(address)
    assert page.status_code == 200 and "Kode aneh" in page.text
    english = re.search(r'<a href="([^"]+)" hreflang="en"', page.text)
    assert english is not None
    switched = editor.get(html.unescape(english.group(1)))
    assert switched.status_code == 200, html.unescape(english.group(1))
    assert 'lang="en"' in switched.text and "Kode aneh" in switched.text
    visitor = web.session()
    sign_in = re.search(r'<a href="(/ui/masuk\?next=[^"]+)"', visitor.get(address).text)
    assert sign_in is not None
    back = re.search(r'name="next" value="([^"]+)"',
                     visitor.get(html.unescape(sign_in.group(1))).text)
    assert back is not None and html.unescape(back.group(1)) == address


def test_page_addresses_keep_the_percent_encoding_the_browser_sent() -> None:
    """A code holding a literal '%2F' has the address …%252F; the decoded path would say
    '%2F', which the server reads as '/' (the live server's EN link led to a 404)."""
    from starlette.requests import Request

    from spbe_arch.web.context import Page, request_path

    raw = b"/ui/e/proses-bisnis/DISKOMINFO-13%252F"
    request = Request({"type": "http", "method": "GET", "scheme": "http",
                       "server": ("testserver", 80), "root_path": "",
                       "path": "/ui/e/proses-bisnis/DISKOMINFO-13%2F", "raw_path": raw,
                       "query_string": b"pesan=disimpan", "headers": []})
    assert request_path(request) == raw.decode() + "?pesan=disimpan"
    page = Page(request, None, None, None, "id", "x" * 43)  # type: ignore[arg-type]
    assert page.lang_url("en") == raw.decode() + "?pesan=disimpan&lang=en"
    assert page.path == raw.decode() + "?pesan=disimpan"


def test_provisional_reference_lists_say_so(demo_web: Web) -> None:
    """RAA, RAI and RAK codes are spbe-arch's own provisional lists (riset domain §2.6): their
    pages must not pass them off as the Perpres 132/2022 codes, as RAB's may."""
    session = demo_web.session()
    notice = "bersifat sementara: nama diambil dari sumber sekunder"
    for scheme, provisional in [("RAB", False), ("RAL", False), ("RAD", False),
                                ("RAA", True), ("RAI", True), ("RAK", True)]:
        page = session.get(f"/ui/referensi?skema={scheme}").text
        assert (f"Daftar kode {scheme} ini {notice}" in page) is provisional, scheme
    english = session.get("/ui/referensi?skema=RAI&lang=en").text
    assert "This RAI code list is provisional" in english
    assert "Provisional lists, not from an official source yet: RAA, RAI, RAK." in english
