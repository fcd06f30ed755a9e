"""Repository content is written by OPD editors, Excel workbooks and BPMN files: none of it
may become markup or script in a signed-in architect's browser, and the documents made from
it (reports, SOPs, BPMN XML) run nothing even when opened from the web UI's origin."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from tests.web.helpers import Web, make, prepared_demo
from tests.web.test_pages import common_urls, demo_urls

from spbe_arch.api.downloads import DOCUMENT_POLICY
from spbe_arch.reports import available_reports
from spbe_arch.web.context import CONTENT_SECURITY_POLICY

PAYLOAD = "<img src=x onerror=alert(1)>\"'</textarea></script><svg onload=alert(2)>"
RAW_MARKERS = ("<img src=x", "<svg onload", "</script><svg")
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
SPBE = "https://w3id.org/spbe-arch/ontology#"
BPMN = "https://w3id.org/spbe-arch/bpmn#"
KEPT = ("kode", "kodeWilayah")
"""Codes stay as they are: they name the pages (hostile codes have tests of their own)."""
SOP = "DISKOMINFO-01.02.SOP.02"


def poison(web: Web) -> None:
    """Every text of the architecture, the BPMN model and the stored validation report starts
    with `PAYLOAD`."""
    kept = ", ".join(f"<{SPBE}{name}>" for name in KEPT)
    texts = ", ".join(f"<{BPMN}{n}>" for n in ("name", "documentation")) + \
        ", <http://www.w3.org/ns/shacl#resultMessage>"
    payload = PAYLOAD.replace("\\", "\\\\").replace('"', '\\"')
    web.repository.update(f"""
        DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }}
        INSERT {{ GRAPH ?g {{ ?s ?p ?hostile }} }}
        WHERE {{
          GRAPH ?g {{ ?s ?p ?o
            FILTER(isLiteral(?o) && datatype(?o) = <http://www.w3.org/2001/XMLSchema#string>)
            FILTER((STRSTARTS(STR(?p), "{SPBE}") && ?p NOT IN ({kept}))
                   || ?p IN ({texts})) }}
          FILTER(CONTAINS(STR(?g), "/graph/instansi/") || CONTAINS(STR(?g), "/graph/bpmn/")
                 || CONTAINS(STR(?g), "/graph/validation/"))
          BIND(CONCAT("{payload}", ?o) AS ?hostile)
        }}""")


@pytest.fixture(scope="module")
def hostile_web() -> Iterator[Web]:
    web = make(prepared_demo())
    poison(web)
    yield web
    web.close()


def assert_inert(url: str, body: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in body, f"{url}: {marker!r} reached the answer unescaped"


def test_hostile_texts_are_shown_as_text_on_every_page(hostile_web: Web) -> None:
    session = hostile_web.session("admin")
    shown = 0
    for url in [*common_urls(), *demo_urls(hostile_web)]:
        page = session.get(url)
        assert page.status_code == 200, url
        assert_inert(url, page.text)
        shown += ESCAPED in page.text
    # the hostile texts did reach the pages (as text): the check above looked at them
    assert shown >= 10


def test_hostile_texts_stay_text_in_sparql_results_and_iris_do_not_become_links(
        hostile_web: Web) -> None:
    session = hostile_web.session("admin")
    answer = session.post("/ui/sparql", {"query": f"""
        SELECT ?nama ?link WHERE {{
          ?s <{SPBE}nama> ?nama FILTER(STRSTARTS(?nama, "<img"))
          VALUES ?link {{ <javascript:alert(1)> <data:text/html,x> }}
        }} LIMIT 4"""})
    assert answer.status_code == 200
    assert_inert("/ui/sparql", answer.text)
    assert ESCAPED in answer.text
    assert 'href="javascript:' not in answer.text and 'href="data:' not in answer.text
    assert "javascript:alert(1)" in answer.text  # shown, as text


def test_reports_and_sop_documents_from_hostile_texts_run_nothing(hostile_web: Web) -> None:
    session = hostile_web.session("admin")
    urls = [f"/ui/laporan/{quote(r.name)}?format=html" + ("&opd=DISKOMINFO"
                                                          if r.opd == "required" else "")
            for r in available_reports()]
    urls += [f"/ui/sop/{SOP}/dokumen?format=html", f"/ui/sop/{SOP}/dokumen?format=svg",
             "/ui/bpmn/pengaduan-masyarakat/xml", f"/ui/sop/{SOP}/bpmn"]
    for url in urls:
        document = session.get(url)
        assert document.status_code == 200, (url, document.text[:300])
        assert_inert(url, document.text)
        # opened from the UI's origin, the document still gets the policy that runs and
        # loads nothing, not the pages' (which allows this server's scripts and forms)
        assert document.headers["content-security-policy"] == DOCUMENT_POLICY, url
        assert document.headers["x-content-type-options"] == "nosniff", url
        assert document.headers["content-disposition"].startswith(
            ("inline;", "attachment;")), url
    assert DOCUMENT_POLICY != CONTENT_SECURITY_POLICY
