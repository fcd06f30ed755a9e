"""YASGUI, the SPARQL editor architects use, against a running server, in a real browser.

The YASGUI bundle (`tests/fixtures/yasgui/`, unchanged from npm) runs in Debian's Chromium
on a page of another origin (another loopback port, served by the test itself), as when an
architect opens a local copy of YASGUI: every request is cross-origin, so CORS (preflight
for the `Authorization` header) is part of what is tested. Anonymous reading is off, so
YASGUI sends the token in the header configured in its settings. (Both origins are on
loopback: Chromium refuses a page from a public address that is not a secure context any
request to loopback, whatever the server answers.)

- a SELECT: YASGUI's default request (POST form, `application/sparql-results+json,*/*`)
  and its result table;
- an update with the graphs chosen in YASGUI: the dataset arrives under YASGUI's own
  argument names (`using-graph-uri ` with a trailing space) and is applied.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qsl, quote

import httpx
import pytest

from spbe_arch.access import TokenStore
from spbe_arch.api import create_app
from spbe_arch.repository import open_repository
from spbe_arch.settings import Settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

YASGUI = Path(__file__).resolve().parents[1] / "fixtures" / "yasgui"
CHROMIUM = Path("/usr/bin/chromium")
G = "http://example.org/yasgui"
COPY = "http://example.org/yasgui-salinan"

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>YASGUI</title>
<link rel="stylesheet" href="/yasgui.min.css"><script src="/yasgui.min.js"></script></head>
<body><div id="yasgui"></div>
<script>
  const asked = new URLSearchParams(location.search);
  window.yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: {endpoint: asked.get("endpoint"),
                    headers: {Authorization: "Bearer " + asked.get("token")}},
    copyEndpointOnNewTab: false,
    persistenceId: null,
  });
</script></body></html>"""


@dataclass
class Server:
    url: str
    admin: str
    page_origin: str
    """Where the YASGUI page is served: another origin than the endpoint's."""


@dataclass
class Traffic:
    sparql: list[dict[str, Any]] = field(default_factory=list)
    """The requests to /sparql: method, headers, form fields."""
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def server(serve_app: Callable[[Any], str]) -> Iterator[Server]:
    settings = Settings(store="memory:", anonymous_read=False, cors_origins="*")
    tokens = TokenStore(None)
    admin = tokens.create("admin-yasgui", "admin")[0]
    app = create_app(settings, open_repository("memory:"), host="127.0.0.1", tokens=tokens)
    url = serve_app(app)
    answer = httpx.post(f"{url}/sparql", headers={"Authorization": f"Bearer {admin}",
                                                  "Content-Type": "application/sparql-update"},
                        content=f'INSERT DATA {{ GRAPH <{G}> {{ <http://example.org/opd>'
                                f' <http://example.org/nama> "Dinas Kominfo" .'
                                f' <http://example.org/opd> <http://example.org/kode>'
                                f' "DISKOMINFO" }} }}')
    assert answer.status_code == 200, answer.text
    pages = ThreadingHTTPServer(("127.0.0.1", 0), _PageHandler)
    threading.Thread(target=pages.serve_forever, daemon=True).start()
    yield Server(url, admin, f"http://127.0.0.1:{pages.server_address[1]}")
    pages.shutdown()


class _PageHandler(BaseHTTPRequestHandler):
    """The YASGUI page and its two files; nothing else."""

    FILES: ClassVar[dict[str, str]] = {"/yasgui.min.js": "text/javascript",
                                       "/yasgui.min.css": "text/css"}

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/":
            body, kind = PAGE.encode(), "text/html; charset=utf-8"
        elif path in self.FILES:
            body, kind = (YASGUI / path[1:]).read_bytes(), self.FILES[path]
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing (/usr/bin/chromium): run scripts/test, which"
                    " installs the packages of scripts/apt-packages.txt.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
        yield launched
        launched.close()


def _open_yasgui(browser: Any, server: Server, traffic: Traffic) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith((server.page_origin + "/", server.url + "/")):
            request_route.continue_()
        else:  # YASGUI's prefix lookup (prefix.cc): nothing leaves the machine
            traffic.foreign.append(url)
            request_route.abort()

    def seen(request: Any) -> None:
        if request.url.startswith(server.url + "/sparql"):
            form = dict(parse_qsl(request.post_data or "", keep_blank_values=True))
            traffic.sparql.append({"method": request.method, "headers": request.headers,
                                   "form": form})

    context.route("**/*", route)
    page = context.new_page()
    page.on("request", seen)
    page.on("pageerror", lambda error: traffic.errors.append(str(error)))
    page.set_default_timeout(30_000)
    page.goto(f"{server.page_origin}/?endpoint={quote(server.url + '/sparql')}"
              f"&token={quote(server.admin)}")
    page.wait_for_function("window.yasgui && window.yasgui.getTab()")
    return page


def _run(page: Any, server: Server, query: str) -> Any:
    """Type `query` into YASGUI's editor and press its run button; the HTTP answer."""
    page.evaluate("text => window.yasgui.getTab().setQuery(text)", query)
    with page.expect_response(lambda r: r.url == server.url + "/sparql"
                              and r.request.method == "POST") as answer:
        page.click(".yasqe_queryButton")
    return answer.value


def test_yasgui_runs_a_select_and_shows_the_table(browser: Any, server: Server) -> None:
    from playwright.sync_api import expect

    traffic = Traffic()
    page = _open_yasgui(browser, server, traffic)
    response = _run(page, server, f"SELECT ?kode ?nama WHERE {{ GRAPH <{G}> {{"
                                  " ?opd <http://example.org/kode> ?kode ;"
                                  " <http://example.org/nama> ?nama } }")
    assert response.status == 200
    assert response.headers["access-control-allow-origin"] in ("*", server.page_origin)
    table = page.locator(".yasr table")
    expect(table).to_contain_text("DISKOMINFO")
    expect(table).to_contain_text("Dinas Kominfo")
    (request,) = traffic.sparql
    assert request["headers"]["accept"].startswith("application/sparql-results+json")
    assert request["headers"]["authorization"] == f"Bearer {server.admin}"
    assert request["form"]["query"].startswith("SELECT")
    assert not traffic.errors, traffic.errors
    page.context.close()


def test_yasgui_update_on_the_graphs_chosen_in_its_settings(browser: Any,
                                                             server: Server) -> None:
    traffic = Traffic()
    page = _open_yasgui(browser, server, traffic)
    # the dataset as YASGUI's settings dialog stores it (its update branch sends the
    # named graphs under both argument names)
    page.evaluate("graph => window.yasgui.getTab().setRequestConfig("
                  "{namedGraphs: [graph], defaultGraphs: [graph]})", G)
    response = _run(page, server, f"INSERT {{ GRAPH <{COPY}> {{ ?s ?p ?o }} }}"
                                  " WHERE { ?s ?p ?o }")
    assert response.status == 200, response.text()
    (request,) = traffic.sparql
    assert "update" in request["form"]
    assert request["form"]["using-graph-uri "] == G  # YASGUI's name, trailing space
    assert request["form"]["using-named-graph-uri "] == G
    # the WHERE read graph G: its two triples were copied (on the update's own default
    # graph, which is empty, it would have copied nothing)
    check = httpx.get(f"{server.url}/sparql", params={
        "query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{COPY}> {{ ?s ?p ?o }} }}"},
        headers={"Authorization": f"Bearer {server.admin}",
                 "Accept": "application/sparql-results+json"})
    assert json.loads(check.text)["results"]["bindings"][0]["n"]["value"] == "2"
    assert not traffic.errors, traffic.errors
    page.context.close()
