"""Any other address under /ui: a 404 page (included last, after every real page)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from spbe_arch.errors import InputError
from spbe_arch.web.context import OpenPageDep
from spbe_arch.web.rendering import WebRoute

router = APIRouter(route_class=WebRoute)


class PageNotFoundError(InputError):
    http_status = 404


@router.get("/{path:path}")
def missing(page: OpenPageDep, path: str) -> Response:
    raise PageNotFoundError(f"halaman /ui/{path} tidak ada", f"there is no page /ui/{path}")
