"""What a hostile web page can make a user's browser do with the service: frame it, run one
of its answers as a script, reach it by DNS rebinding, or write with the web session's
cookie through the API."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from spbe_arch.access import TokenStore
from spbe_arch.api import create_app
from spbe_arch.api.browser_guard import NO_CONTENT_POLICY
from spbe_arch.datasets import load_demo
from spbe_arch.repository import open_repository
from spbe_arch.settings import Settings

ServiceFactory = Any  # tests/api/conftest.py: make_service

DATA_ANSWERS = [
    "/openapi.json",
    "/api/opd",
    "/sparql?query=ASK%7B%7D",
    "/sparql?query=%3Cscript%3Ealert(1)%3C/script%3E",  # 400, plain text quoting the query
    "/rdf-graph-store?default",
    "/ui/static/app.js",
    "/ui/static/no-such-file.js",
    "/favicon.ico",
    "/no-such-address",
]


@pytest.mark.parametrize("url", DATA_ANSWERS)
def test_data_answers_are_never_sniffed_framed_or_run(make_service: ServiceFactory,
                                                       url: str) -> None:
    answer = make_service().client.get(url)
    assert answer.headers["x-content-type-options"] == "nosniff", url
    assert answer.headers["x-frame-options"] == "DENY", url
    assert answer.headers["content-security-policy"] == NO_CONTENT_POLICY, url
    assert answer.headers["referrer-policy"] == "same-origin", url


def test_pages_keep_their_own_policy_and_are_not_framed(make_service: ServiceFactory) -> None:
    client = make_service().client
    for url in ("/ui", "/ui/masuk", "/ui/no-such-page", "/docs"):
        answer = client.get(url)
        policy = answer.headers["content-security-policy"]
        assert policy != NO_CONTENT_POLICY and "frame-ancestors 'none'" in policy, url
        assert answer.headers["x-frame-options"] == "DENY", url
        assert answer.headers["x-content-type-options"] == "nosniff", url


def test_docs_page_runs_its_own_start_up_script_and_no_other(
        make_service: ServiceFactory) -> None:
    page = make_service().client.get("/docs")
    policy = page.headers["content-security-policy"]
    inline = re.findall(r"<script>(.*?)</script>", page.text, flags=re.S)
    assert len(inline) == 1 and "SwaggerUIBundle(" in inline[0]
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'", f"'sha256-{digest}'"]
    assert "unsafe-inline" not in script_src and "frame-ancestors 'none'" in policy


# --- DNS rebinding -------------------------------------------------------------------------

@pytest.fixture
def loopback_app() -> Iterator[Any]:
    """The app as `spbe-arch serve` makes it on 127.0.0.1 (anonymous reading by default)."""
    repository = open_repository("memory:")
    load_demo(repository)
    app = create_app(Settings(store="memory:"), repository, host="127.0.0.1",
                     tokens=TokenStore(None))
    yield app
    app.state.shutdown()


@pytest.mark.parametrize("base", ["http://127.0.0.1:8000", "http://localhost:8000",
                                  "http://[::1]:8000", "http://arsitektur.localhost",
                                  "http://LOCALHOST.:8000"])
def test_a_loopback_server_answers_its_own_addresses(loopback_app: Any, base: str) -> None:
    with TestClient(loopback_app, base_url=base) as client:
        answer = client.get("/api/opd")
        assert answer.status_code == 200, answer.text
        assert answer.json()["items"]
        assert client.get("/ui").status_code == 200


@pytest.mark.parametrize("base", ["http://rebound.example:8000", "http://127.0.0.1.nip.io",
                                  "http://localhost.example.com:8000"])
def test_a_rebound_site_cannot_read_through_a_loopback_server(loopback_app: Any,
                                                               base: str) -> None:
    """A site whose name now resolves to 127.0.0.1 is same-origin with the server in the
    browser; its requests still name the site."""
    with TestClient(loopback_app, base_url=base) as client:
        api = client.get("/api/opd")
        assert api.status_code == 400
        host = base.removeprefix("http://")
        assert f"'{host}'" in api.json()["detail"] and "SPBE_ANONYMOUS_READ" in \
            api.json()["detail"]
        assert "DISKOMINFO" not in api.text
        sparql = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 5"},
                            headers={"accept-language": "en"})
        assert sparql.status_code == 400 and "text/plain" in sparql.headers["content-type"]
        assert sparql.text.startswith("this server is bound to the loopback")
        page = client.get("/ui/e/opd")
        assert page.status_code == 400 and "DISKOMINFO" not in page.text
        assert page.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("host, anonymous", [(None, None), ("127.0.0.1", True),
                                             ("127.0.0.1", False), ("0.0.0.0", None)])
def test_the_host_is_not_checked_where_no_default_anonymous_reading_is(
        host: str | None, anonymous: bool | None) -> None:
    """In-process use, an operator's explicit choice (behind a reverse proxy that passes
    its own Host) and a network bind (tokens needed) keep every Host."""
    app = create_app(Settings(store="memory:", anonymous_read=anonymous),
                     open_repository("memory:"), host=host, tokens=TokenStore(None))
    try:
        with TestClient(app, base_url="http://arsitektur.example") as client:
            expected = 401 if app.state.anonymous_read is False else 200
            assert client.get("/api/opd").status_code == expected
    finally:
        app.state.shutdown()


# --- the web session's cookie does not write through the API ------------------------------

def test_a_signed_in_browser_cannot_be_made_to_write_through_the_api(
        make_service: ServiceFactory) -> None:
    """A foreign page's plain HTML form (urlencoded, no custom header) posted with the
    admin's web session cookies: the API and the protocols take only a bearer token."""
    service = make_service(anonymous_read=False)
    client = service.client
    client.get("/ui/masuk")
    signed_in = client.post("/ui/masuk", data={
        "csrf_token": client.cookies["spbe_csrf"], "token": service.tokens["admin"],
        "next": "/ui"}, follow_redirects=False)
    assert signed_in.status_code == 303 and client.cookies.get("spbe_session")
    service.repository.update(
        "INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> <urn:x:o> } }")
    foreign = {"origin": "https://evil.example"}

    for url, form in (("/sparql", {"update": "DROP ALL"}),
                      ("/validation/run", {}),
                      ("/api/opd", {"kode": "X", "nama": "X"})):
        answer = client.post(url, data=form, headers=foreign)
        assert answer.status_code in (401, 415, 422), (url, answer.status_code)
        assert answer.status_code != 200
    assert client.delete("/rdf-graph-store?graph=urn:x:g", headers=foreign).status_code == 401
    assert service.repository.ask("ASK { GRAPH <urn:x:g> { <urn:x:s> ?p ?o } }")
    # the same update with the token (what YASGUI or curl send) still works
    done = client.post("/sparql", data={"update": "DROP GRAPH <urn:x:g>"},
                       headers={"authorization": f"Bearer {service.tokens['admin']}"})
    assert done.status_code == 200, done.text
    assert not service.repository.ask("ASK { GRAPH <urn:x:g> { ?s ?p ?o } }")
