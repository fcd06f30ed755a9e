"""The OpenAPI documentation page (`/docs`): Swagger UI from the package, and the API token
declared in the schema.

FastAPI's own `/docs` loads Swagger UI from a CDN, which a pemda intranet (or a machine
without internet access) cannot reach: the page stays blank. Here the page loads the
vendored `swagger-ui-dist` from `/ui/static/vendor/swagger-ui/` (served by the web UI's
static mount, see `routes.web`). The schema also declares the bearer token that
`api.deps.get_principal` reads, so Swagger UI shows an "Authorize" button and generated
clients know where the token goes; every operation may be called without it (anonymous
reading, when switched on), hence the empty alternative in `security`.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from spbe_arch.web.context import PREFIX

ASSETS = f"{PREFIX}/static/vendor/swagger-ui"
SECURITY_SCHEME = "tokenApi"


def setup(app: FastAPI) -> None:
    app.openapi = _with_token_scheme(app.openapi)  # type: ignore[method-assign]

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} — OpenAPI",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{PREFIX}/static/favicon.svg",
        )
        page.headers["Content-Security-Policy"] = docs_policy(bytes(page.body).decode())
        return page


def docs_policy(html: str) -> str:
    """The page's Content-Security-Policy: scripts from this server plus FastAPI's inline
    start-up script, allowed by its hash (any other inline script, e.g. one slipped into
    the schema's texts, does not run); not framed: the page holds the token typed into
    "Authorize"."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in re.findall(r"<script>(.*?)</script>", html, flags=re.S))
    return (f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline';"
            " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self';"
            " form-action 'self'; frame-ancestors 'none'")


def _with_token_scheme(build: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
    def openapi() -> dict[str, Any]:
        schema = build()  # FastAPI caches it: the additions below are made once
        components = schema.setdefault("components", {})
        components.setdefault("securitySchemes", {})[SECURITY_SCHEME] = {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "Token API dari `spbe-arch token create` (API token from"
                " `spbe-arch token create`): header `Authorization: Bearer <token>`."
                " Tanpa token hanya bisa membaca, bila pembacaan anonim aktif (without a"
                " token, reading only, when anonymous reading is on)."
            ),
        }
        schema["security"] = [{}, {SECURITY_SCHEME: []}]
        return schema

    return openapi
