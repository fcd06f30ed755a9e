"""Jinja2 templates of the pages, and the route class that turns errors into pages.

Templates live in `web/templates/*.html.j2` and extend `base.html.j2`. Every template gets
`page` (the `context.Page`), `_` (translate an Indonesian text into the page's language)
and the helpers below. Autoescaping is on; SVG charts are passed in as `Markup`.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from functools import cache
from typing import Any
from urllib.parse import quote, unquote

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from spbe_arch import iris
from spbe_arch.access import AuthenticationError, Principal
from spbe_arch.errors import InputError, SpbeError
from spbe_arch.web.context import (
    PREFIX,
    Page,
    SignInRequiredError,
    build_page,
    open_page,
    request_path,
    sign_in_url,
)
from spbe_arch.web.i18n import translate

NAV: tuple[tuple[str, str], ...] = (
    ("", "Dasbor"),
    ("/instansi", "Instansi"),
    ("/e/opd", "OPD"),
    ("/e/proses-bisnis", "Proses bisnis"),
    ("/e/layanan", "Layanan"),
    ("/e/data", "Data"),
    ("/e/aplikasi", "Aplikasi"),
    ("/referensi", "Referensi"),
    ("/sparql", "SPARQL"),
    ("/validasi", "Validasi"),
    ("/impor", "Impor"),
    ("/proses", "Proses dan SOP"),
    ("/laporan", "Laporan"),
)
SEVERITY_LABELS = {"Violation": "Pelanggaran", "Warning": "Peringatan", "Info": "Informasi"}


def element_path(iri: str) -> str | None:
    """The UI page of an element IRI minted by `iris.element_iri`, or None."""
    base = f"{iris.BASE}id/"
    if not iri.startswith(base):
        return None
    parts = iri[len(base):].split("/")
    if len(parts) != 3 or parts[1] not in iris.ELEMENT_KINDS or parts[1] == "periode":
        return None
    return entity_path(parts[1], unquote(parts[2]))


def entity_path(kind: str, code: str) -> str:
    if kind == "sop":
        return f"{PREFIX}/sop/{quote(code, safe='')}"
    return f"{PREFIX}/e/{kind}/{quote(code, safe='')}"


def format_number(value: Any, digits: int = 0, lang: str = "id") -> str:
    """Numbers as people in Indonesia write them (1.234,5) or in English (1,234.5)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    text = f"{number:,.{digits}f}"
    if lang == "en":
        return text
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("spbe_arch.web", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(NAV=NAV, PREFIX=PREFIX, SEVERITY_LABELS=SEVERITY_LABELS,
                       element_path=element_path, entity_path=entity_path)
    env.filters["urlpart"] = lambda value: quote(str(value), safe="")
    return env


def render_template(name: str, page: Page, **values: Any) -> str:
    def _(text: str, **fill: Any) -> str:
        return translate(text, page.lang, **fill)

    def number(value: Any, digits: int = 0) -> str:
        return format_number(value, digits, page.lang)

    template = environment().get_template(name)
    return template.render(page=page, _=_, number=number, Markup=Markup, **values)


def error_page(request: Request, exc: SpbeError, status: int) -> Response:
    page = getattr(request.state, "page", None)
    if page is None:
        try:
            page = open_page(request)
        except SpbeError:
            # the caller cannot be identified (the token file is damaged, which is often the
            # very error shown): the page is drawn for nobody in particular, not as JSON
            page = build_page(request, Principal.anonymous(False))
    return page.render("error.html.j2", status=status, error=exc.message(page.lang),
                       details=exc.details(page.lang), status_code=status)


class WebRoute(APIRoute):
    """A page route: a `SpbeError` becomes an HTML error page with the API's status code;
    a page that needs sign-in sends the browser to the sign-in page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            from spbe_arch.api.app import status_for

            try:
                return await original(request)
            except AuthenticationError:
                # not signed in (or anonymous reading is off): pages send the browser to
                # the sign-in page and back; a form post says what to do
                if request.method == "GET":
                    return RedirectResponse(sign_in_url(request_path(request)),
                                            status_code=303)
                return error_page(request, SignInRequiredError(
                    "tindakan ini memerlukan masuk dengan token API (menu Masuk)",
                    "this action needs you to sign in with an API token (Sign in)"), 401)
            except SpbeError as exc:
                return error_page(request, exc, status_for(exc))
            except RequestValidationError as exc:
                names = ", ".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors())
                return error_page(request, InputError(
                    f"nilai parameter tidak sah: {names}", f"invalid parameter value: {names}"),
                    422)

        return handler


def fragment(html: str) -> HTMLResponse:
    return HTMLResponse(html)
