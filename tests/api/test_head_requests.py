"""HEAD answers like GET without the body, on every GET route."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from tests.api.conftest import architecture_repository

from spbe_arch.api import create_app
from spbe_arch.settings import Settings

PATHS = ["/api/opd", "/api/opd/DISKOMINFO", "/api/opd/TIDAKADA", "/sparql",
         "/queries/processes-per-opd", "/history", "/docs", "/openapi.json", "/"]


@pytest.mark.parametrize("path", PATHS)
def test_head_is_get_without_the_body(arch_service: Any, path: str) -> None:
    got = arch_service.client.get(path)
    head = arch_service.client.head(path)
    assert head.status_code == got.status_code != 405
    assert head.content == b""
    for name in ("content-type", "content-length", "etag"):
        assert head.headers.get(name) == got.headers.get(name), name


def test_routes_with_their_own_head_keep_it(arch_service: Any) -> None:
    # the Graph Store Protocol's HEAD: 404 for a graph that does not exist, as GET
    missing = arch_service.client.head("/rdf-graph-store", params={"graph": "http://x.example/g"})
    assert missing.status_code == 404


def test_a_method_no_route_has_is_still_refused(arch_service: Any) -> None:
    assert arch_service.client.request("PUT", "/history").status_code == 405


def test_head_over_http(serve_app: Any) -> None:
    base = serve_app(create_app(Settings(store="memory:"), architecture_repository()))
    with httpx.Client(base_url=base) as client:
        head = client.head("/api/opd")
        assert head.status_code == 200
        assert int(head.headers["content-length"]) == len(client.get("/api/opd").content)
        # the connection is still usable after a HEAD (no stray body on it)
        assert client.get("/api/opd/DISKOMINFO").status_code == 200
