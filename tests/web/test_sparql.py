"""The SPARQL page: queries through the app's query engine, named queries with parameters,
sortable results, CSV/JSON downloads, read-only."""

from __future__ import annotations

import csv
import html
import io
import json
import re

from tests.web.helpers import Web, text_of

from spbe_arch.queries import PREFIXES, get_query, run_query

APLIKASI = ("PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>\n"
            "SELECT ?a ?nama WHERE { ?a a spbe:Aplikasi ; spbe:nama ?nama } ORDER BY ?a")


def run(session, data: dict[str, str]):  # type: ignore[no-untyped-def]
    return session.post("/ui/sparql", data, headers={"HX-Request": "true"})


def test_the_editor_page_has_prefixes_and_the_library(demo_web: Web) -> None:
    page = demo_web.session().get("/ui/sparql").text
    for name, iri in PREFIXES.items():
        assert f"PREFIX {name}: &lt;{iri}&gt;" in page
    assert "codemirror/mode/sparql/sparql.js" in page
    named = demo_web.session().get("/ui/sparql?kueri=processes-per-opd").text
    query = get_query("processes-per-opd")
    assert f'name="kueri" value="{query.name}"' in named
    for param in query.params:
        assert f'<label for="param-{param.name}"' in named


def test_results_are_a_table_with_links_and_the_same_rows_as_the_engine(demo_web: Web) -> None:
    session = demo_web.session()
    response = run(session, {"query": APLIKASI})
    assert response.status_code == 200
    assert '<table class="sortable"' in response.text
    rows = re.findall(r"<tr><td>", response.text)
    expected = demo_web.repository.select(APLIKASI).rows
    assert len(rows) == len(expected) == 22
    assert 'href="/ui/e/aplikasi/APL-01"' in response.text  # element IRIs link to their page
    assert ">id:3574/aplikasi/APL-01<" in response.text  # shortened with the known prefixes


def test_named_query_parameters_are_bound_like_the_api(demo_web: Web) -> None:
    session = demo_web.session()
    query = get_query("processes-per-opd")
    response = run(session, {"kueri": query.name, "query": query.sparql,
                             "param_kode_opd": "DISKOMINFO"})
    expected = run_query(demo_web.repository, query.name, {"kode_opd": "DISKOMINFO"}).rows
    assert f"{len(expected)} baris" in text_of(response.text)
    assert "DISPENDUKCAPIL" not in response.text
    missing = run(session, {"kueri": "history", "query": get_query("history").sparql})
    assert "memerlukan parameter entity" in text_of(missing.text)


def test_errors_and_updates_are_reported_not_run(demo_web: Web) -> None:
    session = demo_web.session("admin")
    syntax = run(session, {"query": "SELEC * WHERE {}"})
    assert 'class="notice bad"' in syntax.text and "sintaks" in syntax.text
    before = len(list(demo_web.repository.quads()))
    update = run(session, {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
    assert 'class="notice bad"' in update.text
    assert len(list(demo_web.repository.quads())) == before
    assert "tulis kueri SPARQL dulu" in run(session, {"query": "  "}).text


def test_ask_and_construct_results(demo_web: Web) -> None:
    session = demo_web.session()
    ask = run(session, {"query": "ASK { ?s ?p ?o }"})
    assert "ya (true)" in ask.text
    construct = run(session, {"query": "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 2"})
    assert "2 tripel" in text_of(construct.text)


def test_downloads_as_csv_and_json(demo_web: Web) -> None:
    session = demo_web.session()
    as_csv = session.post("/ui/sparql/unduh", {"query": APLIKASI, "format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert 'filename="hasil-kueri.csv"' in as_csv.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(as_csv.text)))
    assert rows[0] == ["a", "nama"] and len(rows) == 23
    as_json = session.post("/ui/sparql/unduh", {"query": APLIKASI, "format": "json"})
    assert len(json.loads(as_json.content)["results"]["bindings"]) == 22
    named = session.post("/ui/sparql/unduh", {"kueri": "processes-per-opd", "query": "",
                                              "param_kode_opd": "DISKOMINFO", "format": "csv"})
    assert 'filename="processes-per-opd.csv"' in named.headers["content-disposition"]
    assert session.post("/ui/sparql/unduh", {"query": APLIKASI,
                                             "format": "exe"}).status_code == 400


def test_a_download_that_fails_keeps_the_query_and_says_why(demo_web: Web) -> None:
    """Download CSV on a query with a mistake: the page comes back with the query as typed
    and the problem, not an error page that loses the query."""
    session = demo_web.session()
    typed = "SELECT ?a WHERE { ?a a <urn:x> ."
    failed = session.post("/ui/sparql/unduh", {"query": typed, "format": "csv"})
    assert failed.status_code == 400
    assert 'id="form-sparql"' in failed.text
    assert f'name="query" class="code" rows="16" spellcheck="false"' \
           f' aria-describedby="query-help">{html.escape(typed, quote=True)}</textarea>' \
           in failed.text
    assert re.search(r'<p class="notice bad" role="alert">kesalahan sintaks SPARQL', failed.text)
    named = session.post("/ui/sparql/unduh", {"kueri": "rab-coverage-per-sector", "query": "",
                                              "param_level": "dua", "format": "csv"})
    assert named.status_code == 400
    assert 'name="kueri" value="rab-coverage-per-sector"' in named.text
    assert 'name="param_level" type="text" value="dua"' in named.text
    assert 'class="notice bad"' in named.text


def test_a_federated_query_follows_the_servers_setting(make_web) -> None:  # type: ignore[no-untyped-def]
    """SERVICE makes the server fetch the URL a query names: refused unless the setting
    allows it, on this page as at /sparql."""
    from spbe_arch.repository import open_repository

    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    closed = make_web(open_repository("memory:")).session("reader")
    refused = run(closed, {"query": query})
    assert 'class="notice bad"' in refused.text and "SPBE_SPARQL_SERVICE" in refused.text
    opened = make_web(open_repository("memory:"), sparql_service=True).session("reader")
    answer = run(opened, {"query": query.replace("SERVICE", "SERVICE SILENT")})
    assert "SPBE_SPARQL_SERVICE" not in answer.text and "notice bad" not in answer.text
