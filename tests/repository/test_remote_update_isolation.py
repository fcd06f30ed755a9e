"""With a remote store, the syntax check of a SPARQL Update ran in the server's own
process with no time limit: an update nested thousands deep ended the server (SIGSEGV in
Oxigraph's recursive parser), and a short one whose `WHERE` has 10^10 solutions kept it
computing for good. Now both are refused the way the embedded store refuses them, and
nothing reaches the remote store.

The requests run against an app in a child process, so that a regression fails the test
instead of ending (or hanging) the test run."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import httpx
import pytest
from sparql_servers import Server

from spbe_arch.api.query_engine import fork_available

pytestmark = pytest.mark.skipif(not fork_available(), reason="query workers need fork()")

DEEP = 30_000
DEEP_UPDATE = "INSERT { <x:a> <x:b> <x:c> } WHERE " + "{" * DEEP + "?s ?p ?o" + "}" * DEEP
VALUES_BOMB = ("INSERT { <x:a> <x:b> <x:c> } WHERE { "
               + " ".join(f"VALUES ?v{i} {{ 1 2 3 4 5 6 7 8 9 10 }}" for i in range(10))
               + " }")

_CHILD = textwrap.dedent("""
    import json, sys
    from fastapi.testclient import TestClient
    from spbe_arch.access import TokenStore
    from spbe_arch.api import create_app
    from spbe_arch.repository import open_repository
    from spbe_arch.settings import Settings

    given = json.load(sys.stdin)
    settings = Settings(**given["settings"])
    repository = open_repository(settings.store, settings)
    tokens = TokenStore(None)
    admin = tokens.create("admin-uji", "admin")[0]
    app = create_app(settings, repository, tokens=tokens)
    # after create_app, which marks the audit trail as indexed (audit.index_on_open)
    before = repository.export(None, "nquads")
    answers = []
    with TestClient(app, base_url="http://www.example") as client:
        for update in given["updates"]:
            response = client.post("/sparql", content=update.encode(), headers={
                "content-type": "application/sparql-update", "accept-language": "en",
                "Authorization": "Bearer " + admin})
            answers.append([response.status_code, response.text])
        unchanged = repository.export(None, "nquads") == before
        good = client.post("/sparql", content=b"INSERT DATA { <x:s> <x:p> 1 }", headers={
            "content-type": "application/sparql-update", "Authorization": "Bearer " + admin})
        alive = client.get("/sparql", params={"query": "ASK { <x:s> <x:p> 1 }"}).json()
    print(json.dumps({"answers": answers, "good": good.status_code,
                      "alive": alive["boolean"], "unchanged": unchanged}))
""")


def _run(server: Server, *updates: str) -> dict[str, object]:
    settings = {"store": f"sparql:{server.query_url}", "update_url": server.update_url,
                "graph_store_url": server.graph_store_url, "update_timeout_s": 2}
    done = subprocess.run([sys.executable, "-c", _CHILD],
                          input=json.dumps({"settings": settings, "updates": updates}),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, (
        f"the server process died (exit {done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.fixture
def server(oxigraph_server: Server) -> Iterator[Server]:
    """The session's server, empty before and after (its default graph too, which the
    repository's own clear() leaves alone and other tests read through the union)."""
    def empty() -> None:
        httpx.post(oxigraph_server.update_url, content=b"CLEAR ALL",
                   headers={"content-type": "application/sparql-update"}).raise_for_status()

    empty()
    yield oxigraph_server
    empty()


def test_a_deeply_nested_update_is_refused_and_the_server_lives(server: Server) -> None:
    result = _run(server, DEEP_UPDATE)
    [(status, text)] = result["answers"]  # type: ignore[misc]
    assert status == 400
    assert "nested too deeply" in text and "nothing was changed" in text
    assert result["unchanged"] is True
    assert result["good"] == 200 and result["alive"] is True


def test_a_runaway_update_is_stopped_by_the_time_limit(server: Server) -> None:
    result = _run(server, VALUES_BOMB)
    [(status, text)] = result["answers"]  # type: ignore[misc]
    assert status == 503
    assert "time limit of 2 s" in text and "nothing was changed" in text
    assert result["unchanged"] is True
    assert result["good"] == 200 and result["alive"] is True
