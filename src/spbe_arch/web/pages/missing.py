"""Any other address under /ui: a 404 page (included last, after every real page).

The addresses that only take a form's POST (the preview, "Simpan", "Turunkan SOP", …) are
what the address bar shows after sending that form; opening one again (Enter in the address
bar, a bookmark, a new tab) sends a GET, which goes back to the page the form lives on
rather than saying the page the user just saw does not exist.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from spbe_arch.errors import InputError
from spbe_arch.web.context import PREFIX, OpenPageDep
from spbe_arch.web.rendering import WebRoute

router = APIRouter(route_class=WebRoute)

FORM_PAGES = {
    "impor/pratinjau": "/impor",
    "impor/simpan": "/impor",
    "proses/turunkan": "/proses",
    "validasi/jalankan": "/validasi",
    "sparql/unduh": "/sparql",
    "keluar": "",
}
"""POST-only address -> the page whose form posts to it."""


class PageNotFoundError(InputError):
    http_status = 404


@router.get("/{path:path}")
def missing(page: OpenPageDep, path: str) -> Response:
    if path.rstrip("/") in FORM_PAGES:
        return page.redirect(PREFIX + FORM_PAGES[path.rstrip("/")])
    raise PageNotFoundError(f"halaman /ui/{path} tidak ada", f"there is no page /ui/{path}")
