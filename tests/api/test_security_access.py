"""Access control as an attacker sees it: what refused requests tell, and CORS."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from spbe_arch.access import TokenStore
from spbe_arch.api import create_app
from spbe_arch.repository import open_repository
from spbe_arch.settings import Settings


@pytest.mark.parametrize("path", ["/api/opd", "/sparql?query=ASK%7B%7D",
                                  "/rdf-graph-store?default"])
def test_a_made_up_token_learns_nothing_about_a_damaged_token_file(tmp_path: Path,
                                                                   path: str) -> None:
    tokens_file = tmp_path / "rahasia" / "spbe-data.tokens.json"
    store = TokenStore(tokens_file)
    store.create("kepala-dinas", "admin")
    data = json.loads(tokens_file.read_text())
    data["tokens"][0]["expires"] = "akhir tahun"
    tokens_file.write_text(json.dumps(data))
    app = create_app(Settings(store="memory:"), open_repository("memory:"), host="0.0.0.0",
                     tokens=store)
    with TestClient(app) as client:
        response = client.get(path, headers={"Authorization": "Bearer spbe_tebakan",
                                             "Accept-Language": "en"})
    assert response.status_code == 500
    for secret in ("rahasia", "tokens.json", "kepala-dinas", "akhir tahun", "Traceback"):
        assert secret not in response.text, secret
    assert "token file" in response.text


@pytest.mark.parametrize("origins", ["*", "https://yasgui.example"])
def test_cors_never_allows_credentials(make_service: Any, origins: str) -> None:
    """Tokens travel in the Authorization header, never in a cookie the API reads, so a
    browser tool needs no credentialed CORS; allowing it beside a reflected or `*` origin
    would let any site read what the visitor's browser may read."""
    service = make_service(cors_origins=origins)
    preflight = service.client.options("/api/proses-bisnis/DISKOMINFO.01", headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "authorization, content-type, if-match"})
    assert preflight.status_code == 200
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
    assert "PUT" in preflight.headers["access-control-allow-methods"]
    assert "DELETE" in preflight.headers["access-control-allow-methods"]
    for origin in ("https://yasgui.example", "https://penyerang.example"):
        answer = service.client.get("/api/opd", headers={
            "Origin": origin, "Cookie": "spbe_session=x; spbe_csrf=y"})
        assert "access-control-allow-credentials" not in answer.headers
        assert answer.headers.get("access-control-allow-origin") in (None, "*", origins)
    assert "access-control-allow-credentials" not in preflight.headers


def test_cors_refuses_a_preflight_from_an_origin_not_listed(make_service: Any) -> None:
    service = make_service(cors_origins="https://yasgui.example")
    preflight = service.client.options("/rdf-graph-store", headers={
        "Origin": "https://penyerang.example", "Access-Control-Request-Method": "DELETE",
        "Access-Control-Request-Headers": "authorization"})
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
