"""Requests that overflow the stack of Oxigraph's recursive parser.

A query nested a few thousand levels deep (or a chain of thousands of UNION/BIND/
operators), an update of that shape, or a JSON-LD document thousands of objects deep
ends the process that parses it with SIGSEGV: no exception, nothing to catch. In a query
worker that must be a 400 (the same request would end the next worker too), and nothing
of it may be parsed in the server process itself, which would end the service.

The requests that crashed the server before the fix run in a child process, so that a
regression fails this test instead of ending the test run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from spbe_arch.api.query_engine import fork_available
from spbe_arch.api.routes.sparql import SyntaxCheck
from spbe_arch.api.sparql_protocol import ISOLATED_UPDATE_CHARS, UpdateSyntaxTask

pytestmark = pytest.mark.skipif(not fork_available(), reason="query workers need fork()")

DEEP = 30_000
"""Levels of `{` far past what overflows an 8 MB stack (2188 do not, on pyoxigraph 0.5),
so that the test holds on a machine with larger stacks too."""
DEEP_QUERY = "SELECT * WHERE " + "{" * DEEP + "?s ?p ?o" + "}" * DEEP
DEEP_UPDATE = "INSERT { <x:a> <x:b> <x:c> } WHERE " + "{" * DEEP + "?s ?p ?o" + "}" * DEEP
DEEP_DATA = ("INSERT DATA { <x:s> <x:p> " + "[ <x:p> " * 100_000 + "1" + " ]" * 100_000
             + " }")
DEEP_JSONLD = ('{"@id": "http://example.org/s", "http://example.org/p": '
               + '{"http://example.org/p": ' * 10_000 + "1" + "}" * 10_000 + "}")

_CHILD = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, {conftest_dir!r})
    from conftest import architecture_repository
    from fastapi.testclient import TestClient
    from spbe_arch.access import TokenStore
    from spbe_arch.api import create_app
    from spbe_arch.settings import Settings

    given = json.load(sys.stdin)
    requests = given["requests"]
    tokens = TokenStore(None)
    admin = tokens.create("admin-uji", "admin")[0]
    repository = architecture_repository()
    app = create_app(Settings(store="memory:", **given["settings"]), repository,
                     tokens=tokens)
    # after create_app, which marks the audit trail as indexed (audit.index_on_open)
    before = repository.export(None, "nquads")
    answers = []
    with TestClient(app, base_url="http://www.example") as client:
        for method, path, params, content_type, body in requests:
            response = client.request(
                method, path, params=params, content=body.encode(),
                headers={{"content-type": content_type, "accept-language": "en",
                          "Authorization": "Bearer " + admin}})
            answers.append([response.status_code, response.text])
        alive = client.get("/sparql", params={{"query": "ASK {{}}"}}).status_code
    print(json.dumps({{"answers": answers, "alive": alive,
                       "unchanged": repository.export(None, "nquads") == before}}))
""")


def _in_child(*requests: tuple[str, str, dict[str, str], str, str],
              settings: dict[str, object] | None = None,
              timeout_s: float = 300) -> dict[str, object]:
    """Send `requests` (method, path, params, content type, body) to an app over the
    architecture fixture in a child process; its answers, whether it still answers a
    query, and whether the store is unchanged."""
    script = _CHILD.format(conftest_dir=str(Path(__file__).parent))
    given = {"requests": requests, "settings": settings or {}}
    done = subprocess.run([sys.executable, "-c", script], input=json.dumps(given),
                          capture_output=True, text=True, timeout=timeout_s)
    assert done.returncode == 0, (
        f"the server process died (exit {done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_a_query_that_crashes_its_worker_is_a_400_and_the_next_query_works(
        arch_service) -> None:
    client = arch_service.client
    response = client.post("/sparql", content=DEEP_QUERY.encode(),
                           headers={"content-type": "application/sparql-query"})
    # not 503 "try again": the same query would crash the next worker too
    assert response.status_code == 400
    assert "bersarang terlalu dalam" in response.text
    english = client.post("/sparql", content=DEEP_QUERY.encode(),
                          headers={"content-type": "application/sparql-query",
                                   "accept-language": "en"})
    assert english.status_code == 400
    assert "nested too deeply" in english.text
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"]


def test_updates_that_overflow_the_parser_are_refused_and_the_server_lives() -> None:
    result = _in_child(
        ("POST", "/sparql", {}, "application/sparql-update", DEEP_UPDATE),
        ("POST", "/sparql", {}, "application/sparql-update", DEEP_DATA),
    )
    answers = result["answers"]
    assert isinstance(answers, list)
    for status, text in answers:
        assert status == 400
        assert "nothing was changed" in text
    assert result["alive"] == 200
    assert result["unchanged"] is True


def test_graph_store_refuses_jsonld_nested_deeper_than_the_parser_can_take() -> None:
    result = _in_child(("PUT", "/rdf-graph-store", {"graph": "http://example.org/g"},
                        "application/ld+json", DEEP_JSONLD))
    [(status, text)] = result["answers"]  # type: ignore[misc]
    assert status == 400
    assert "nested too deeply" in text
    assert result["alive"] == 200
    assert result["unchanged"] is True


def test_validation_upload_refuses_jsonld_nested_deeper_than_the_parser_can_take() -> None:
    """POST /validation (open to readers) parsed the upload in the server: exit 139."""
    result = _in_child(("POST", "/validation", {}, "application/ld+json", DEEP_JSONLD))
    [(status, text)] = result["answers"]  # type: ignore[misc]
    assert status == 400, text
    assert "nested too deeply" in text and "unggahan.jsonld" in text
    assert result["alive"] == 200


def test_ordinary_nested_jsonld_is_still_accepted(service) -> None:
    body = {"@id": "http://example.org/s", "http://example.org/p": {
        "http://example.org/p": {"http://example.org/q": "dalam"}}}
    response = service.client.put(
        "/rdf-graph-store", params={"graph": "http://example.org/g"},
        content=json.dumps(body).encode(),
        headers={"content-type": "application/ld+json", **service.auth("admin")})
    assert response.status_code == 201


def test_only_long_or_deep_updates_are_parsed_in_a_worker() -> None:
    base = "http://www.example/sparql"
    # a small update is parsed in place: no worker forked after every write
    assert not UpdateSyntaxTask('INSERT DATA { <x:a> <x:b> "c" }', base).needs_time_limit
    assert UpdateSyntaxTask(DEEP_UPDATE, base).needs_time_limit
    long_data = "INSERT DATA { " + '<x:a> <x:b> "c" . ' * ISOLATED_UPDATE_CHARS + "}"
    assert UpdateSyntaxTask(long_data, base).needs_time_limit
    # short but deep
    assert UpdateSyntaxTask("INSERT DATA { <x:a> <x:b> " + "(" * 100 + "1" + ")" * 100
                            + " }", base).needs_time_limit
    assert UpdateSyntaxTask("INSERT DATA { <x:a> <x:b> ", base).run(None)[0] == "syntax"
    assert UpdateSyntaxTask('INSERT DATA { <x:a> <x:b> "c" }', base).run(None) == ("ok", None)


VALUES_BOMB = ("INSERT { <x:a> <x:b> <x:c> } WHERE { "
               + " ".join(f"VALUES ?v{i} {{ 1 2 3 4 5 6 7 8 9 10 }}" for i in range(10))
               + " }")
"""400 bytes, 10^10 solutions even on an empty store."""


def test_a_short_update_that_runs_away_in_its_syntax_check_is_stopped_in_time() -> None:
    """The syntax check of an update under 2 KB ran it on an empty store in the server's
    own process, with no time limit: this one kept a server thread computing for good."""
    assert len(VALUES_BOMB) < ISOLATED_UPDATE_CHARS
    result = _in_child(("POST", "/sparql", {}, "application/sparql-update", VALUES_BOMB),
                       settings={"update_timeout_s": 2}, timeout_s=120)
    [(status, text)] = result["answers"]  # type: ignore[misc]
    assert status == 503
    assert "time limit of 2 s" in text and "nothing was" in text
    assert result["alive"] == 200
    assert result["unchanged"] is True


def test_only_updates_with_a_pattern_or_a_deep_shape_are_checked_in_a_worker() -> None:
    base = "http://www.example/sparql"
    assert not SyntaxCheck(UpdateSyntaxTask('INSERT DATA { <x:a> <x:b> "c" }', base)
                           ).needs_time_limit
    assert not SyntaxCheck(UpdateSyntaxTask("DROP SILENT GRAPH <x:g>", base)).needs_time_limit
    assert SyntaxCheck(UpdateSyntaxTask(VALUES_BOMB, base)).needs_time_limit
    assert SyntaxCheck(UpdateSyntaxTask("delete where { ?s ?p ?o }", base)).needs_time_limit
    assert SyntaxCheck(UpdateSyntaxTask(DEEP_UPDATE, base)).needs_time_limit
    # a brace escaped in a prefixed name misleads a tokenizer, not the substring test
    tricky = ("PREFIX e: <x:> INSERT DATA { <x:a> <x:b> e:c\\{ } ;"
              " INSERT { <x:a> <x:b> <x:c> } WHERE { }")
    assert SyntaxCheck(UpdateSyntaxTask(tricky, base)).needs_time_limit
