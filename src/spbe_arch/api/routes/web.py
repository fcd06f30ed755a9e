"""The web UI (`/ui`): server-rendered pages over the same services as the API.

`setup(app)` adds the pages (`spbe_arch.web.pages`), serves the bundled CSS, JavaScript and
vendored libraries from the package at `/ui/static` (nothing from a CDN), and sends `/` to
the dashboard. See docs/web.md.
"""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from spbe_arch.web.context import PREFIX
from spbe_arch.web.pages import build_router


def setup(app: FastAPI) -> None:
    static = resources.files("spbe_arch.web") / "static"
    # the assets first: the pages end with a catch-all 404 page for other /ui addresses
    app.mount(f"{PREFIX}/static", StaticFiles(directory=str(static)), name="web-static")
    app.include_router(build_router())

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse(PREFIX, status_code=307)

    # browsers ask for /favicon.ico on every address without a <link rel="icon"> (the JSON
    # and RDF answers): the icon rather than a 404 in the log each time
    icon = (static / "favicon.svg").read_bytes()

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(icon, media_type="image/svg+xml",
                        headers={"Cache-Control": "public, max-age=86400"})
