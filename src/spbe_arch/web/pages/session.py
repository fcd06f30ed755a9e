"""Masuk/Keluar: sign in with an API token (which opens a server-side session whose id the
browser keeps in an HttpOnly cookie; the token itself is never stored in the browser),
sign out (which ends that session on the server)."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from spbe_arch.access import TokenStore, token_file_checked
from spbe_arch.web.context import (
    PREFIX,
    FormDep,
    OpenPageDep,
    Page,
    form_text,
    web_sessions,
)
from spbe_arch.web.rendering import WebRoute

router = APIRouter(route_class=WebRoute)


def _local(next_url: str | None) -> str:
    """Only paths of this server (never `//host` or `https://…`): no open redirect."""
    if next_url and next_url.startswith("/") and not next_url.startswith(("//", "/\\")):
        return next_url
    return PREFIX


@router.get("/masuk")
def sign_in_form(page: OpenPageDep,
                 next: Annotated[str | None, Query(max_length=2000)] = None) -> Response:
    return page.render("signin.html.j2", next_url=_local(next), error="")


@router.post("/masuk")
def sign_in(page: OpenPageDep, form: FormDep) -> Response:
    token = form_text(form, "token")
    next_url = _local(form_text(form, "next"))
    tokens: TokenStore = page.request.app.state.tokens
    with token_file_checked():
        record = tokens.verify(token) if token else None
        known = tokens.find(token) if token and record is None else None
    if record is None:
        if known is not None and known.revoked is None and known.expired:
            error = page.t("Token ini sudah kedaluwarsa. Minta token baru kepada admin.")
        elif token:
            error = page.t("Token tidak dikenal atau sudah dicabut. Periksa lagi token Anda"
                           " (dimulai dengan spbe_).")
        else:
            error = page.t("Isi token API Anda.")
        return page.render("signin.html.j2", status=401, next_url=next_url, error=error)
    sessions = web_sessions(page.request)
    if page.session_id:
        # signing in again (perhaps as someone else) leaves no earlier session behind
        sessions.end(page.session_id)
    page.new_session = sessions.open(record)
    page.token_invalid = False
    _new_form_token(page)
    return page.redirect(next_url)


@router.post("/keluar")
def sign_out(page: OpenPageDep, form: FormDep) -> Response:
    if page.session_id:
        # on the server, so a copy of the cookie taken before stops working too
        web_sessions(page.request).end(page.session_id)
    page.drop_session = True
    _new_form_token(page)
    return page.redirect(PREFIX)


def _new_form_token(page: Page) -> None:
    """A new form token whenever the user changes: a value planted before sign-in (a cookie
    set by a sibling subdomain) no longer authorises forms after it, and the next user of a
    shared browser does not inherit the previous one's form token (nor the uploads staged
    for import under it)."""
    page.csrf = secrets.token_urlsafe(32)
    page.new_csrf = True
