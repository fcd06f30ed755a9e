"""`spbe-arch serve` behind a reverse proxy that ends TLS (docs/guide.md, "Behind a reverse
proxy"): the scheme the proxy forwards decides whether the web UI's cookies are `__Host-`
and Secure, and only a proxy the server trusts may say so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from tests.cli.conftest import Invoke, SetEnv
from tests.served import served

from spbe_arch.access import TokenStore
from spbe_arch.api import create_app
from spbe_arch.repository import open_repository
from spbe_arch.settings import Settings


def app() -> Any:
    return create_app(Settings(store="memory:"), open_repository("memory:"),
                      host="127.0.0.1", tokens=TokenStore(None))


def form_token_cookie(base: str) -> str:
    """The Set-Cookie of the sign-in page's form token, asked for as a proxy that ended
    HTTPS would ask for it."""
    response = httpx.get(f"{base}/ui/masuk", headers={
        "x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.7"})
    assert response.status_code == 200
    return next(c for c in response.headers.get_list("set-cookie") if "spbe_csrf=" in c)


def test_a_trusted_proxy_that_ended_https_gets_host_prefixed_secure_cookies() -> None:
    with served(app()) as base:  # uvicorn's default: the proxy on this machine is trusted
        cookie = form_token_cookie(base)
    assert cookie.startswith("__Host-spbe_csrf=") and "Secure" in cookie


def test_an_untrusted_client_cannot_claim_https() -> None:
    with served(app(), forwarded_allow_ips="192.0.2.10") as base:
        cookie = form_token_cookie(base)
    assert cookie.startswith("spbe_csrf=") and "Secure" not in cookie


def test_trusted_proxies_are_passed_to_the_server(
        cli: Invoke, spbe_env: SetEnv, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    seen: list[uvicorn.Config] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, *a, **k: seen.append(self.config))
    spbe_env(SPBE_TOKENS_FILE=str(tmp_path / "tokens.json"))
    result = cli("--store", "memory:", "serve", "--port", "8123",
                 "--trusted-proxy", "10.0.0.5", "--trusted-proxy", "10.0.0.6")
    assert result.exit_code == 0, result.output
    assert [c.forwarded_allow_ips for c in seen] == ["10.0.0.5,10.0.0.6"]
    assert "10.0.0.5, 10.0.0.6" in result.stderr
    seen.clear()
    # without the option the server keeps uvicorn's default (this machine's proxy only)
    assert cli("--store", "memory:", "serve", "--port", "8123").exit_code == 0
    assert [c.forwarded_allow_ips for c in seen] == ["127.0.0.1,::1"]
    seen.clear()
    spbe_env(SPBE_TRUSTED_PROXIES="10.0.0.7 10.0.0.8")
    assert cli("--store", "memory:", "serve", "--port", "8123").exit_code == 0
    assert [c.forwarded_allow_ips for c in seen] == ["10.0.0.7,10.0.0.8"]
