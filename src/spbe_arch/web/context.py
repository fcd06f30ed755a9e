"""Who is asking, in which language, and with which form token: the context of one page.

Sign-in: the API token is checked once against the same `TokenStore` as the API's Bearer
header and opens a server-side session (`access.sessions`); the browser keeps only the
session's random id, in the cookie `__Host-spbe_session` over HTTPS (Secure, Path=/, no
Domain: no sibling subdomain can set or overwrite it) or `spbe_session` over plain HTTP,
both HttpOnly and SameSite=Strict. The token behind a session is looked up again on every
request, so a revoked or expired token ends its sessions at once and pages follow the API's
roles. A cookie of the old kind (`spbe_token`, the token itself) signs nobody in: it is
deleted when seen.

CSRF (a cookie authenticates, so a foreign site must not be able to post forms with it):
1. every cookie is SameSite=Strict, so browsers do not send it on cross-site requests;
2. double-submit token: the cookie `spbe_csrf` holds a random value that every form repeats
   in the hidden field `csrf_token` (htmx sends it as the header `X-CSRF-Token`); a POST
   whose value does not match is refused (HTTP 403);
3. a POST carrying an `Origin` header (all current browsers send one) must come from this
   server's own origin.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar
from urllib.parse import quote, urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

from spbe_arch import iris
from spbe_arch.access import (
    Principal,
    Role,
    SessionTable,
    TokenStore,
    session_principal,
    token_file_checked,
)
from spbe_arch.access.policy import AuthenticationError
from spbe_arch.access.sessions import SESSION_HOURS
from spbe_arch.api.bodies import FORM_OVERHEAD_BYTES, read_body
from spbe_arch.errors import InputError, SpbeError
from spbe_arch.repository import Repository
from spbe_arch.settings import Settings
from spbe_arch.web.i18n import translate

PREFIX = "/ui"
SESSION_COOKIE = "spbe_session"
SECURE_SESSION_COOKIE = "__Host-spbe_session"
OLD_TOKEN_COOKIE = "spbe_token"
CSRF_COOKIE = "spbe_csrf"
SECURE_CSRF_COOKIE = "__Host-spbe_csrf"
LANG_COOKIE = "spbe_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SIGN_IN_HOURS = SESSION_HOURS
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
    " img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none';"
    " base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
"""Pages load scripts, styles, fonts and data from this server only: the browser itself
refuses anything else (no CDN can sneak in). Inline styles are allowed for bpmn-js and the
htmx indicator; inline scripts are not (the pages have none)."""


class SignInRequiredError(AuthenticationError):
    """A page needs a signed-in user (anonymous reading is off): go to the sign-in page."""


class FormTokenError(SpbeError):
    """A POST without the page's form token, or from another origin (HTTP 403)."""

    http_status = 403


def _lang_of(request: Request, settings: Settings) -> tuple[str, bool]:
    """(language, whether it was chosen in this request and must be remembered)."""
    asked = request.query_params.get("lang")
    if asked in ("id", "en"):
        return asked, request.cookies.get(LANG_COOKIE) != asked
    remembered = request.cookies.get(LANG_COOKIE)
    if remembered in ("id", "en"):
        return remembered, False
    return ("en" if settings.lang == "en" else "id"), False


def csrf_cookie_name(request: Request) -> str:
    """The form token's cookie for this request's scheme: over HTTPS `__Host-`, so that a
    sibling subdomain cannot plant a form token of its choosing (the double-submit check
    compares the form's value with this cookie)."""
    return SECURE_CSRF_COOKIE if request.url.scheme == "https" else CSRF_COOKIE


def session_cookie_name(request: Request) -> str:
    """The sign-in cookie's name for this request's scheme. Only that one is read: over
    HTTPS a plain `spbe_session` could have been planted by a sibling subdomain (signing the
    browser in as someone else), which the `__Host-` prefix rules out."""
    return SECURE_SESSION_COOKIE if request.url.scheme == "https" else SESSION_COOKIE


_state_lock = threading.Lock()
T = TypeVar("T")


def app_state(request: Request, name: str, make: Callable[[], T]) -> T:
    """`app.state.<name>`, made by `make` on first use: what the web UI keeps in the
    server's memory (sessions, notes for the next page) needs no change to the app's set-up,
    and a test may put its own there first."""
    state = request.app.state
    value: T | None = getattr(state, name, None)
    if value is None:
        with _state_lock:
            value = getattr(state, name, None)
            if value is None:
                value = make()
                setattr(state, name, value)
    return value


def web_sessions(request: Request) -> SessionTable:
    """The app's session table (a test may put one with a short lifetime in
    `app.state.web_sessions`)."""
    return app_state(request, "web_sessions", SessionTable)


@dataclass(frozen=True)
class Caller:
    """Who a request's cookies sign in, and what to do with the sign-in cookie."""

    principal: Principal
    token_invalid: bool = False
    """The session's token was revoked or expired: say so, and drop the cookie."""
    drop_session: bool = False
    """The cookie names no open session (signed out, expired, server restarted): drop it
    without a word; the sign-in page follows where reading needs it."""


def web_principal(request: Request) -> Caller:
    tokens: TokenStore = request.app.state.tokens
    anonymous_read: bool = request.app.state.anonymous_read
    anonymous = Principal.anonymous(anonymous_read)
    session_id = request.cookies.get(session_cookie_name(request))
    if not session_id:
        return Caller(anonymous)
    try:
        with token_file_checked():
            principal = session_principal(tokens, web_sessions(request), session_id)
    except AuthenticationError:
        return Caller(anonymous, token_invalid=True)
    if principal is None:
        return Caller(anonymous, drop_session=True)
    return Caller(principal)


@dataclass
class Page:
    """Everything a page handler needs, built once per request."""

    request: Request
    repository: Repository
    settings: Settings
    principal: Principal
    lang: str
    csrf: str
    remember_lang: bool = False
    new_csrf: bool = False
    token_invalid: bool = False
    session_id: str | None = None
    """The sign-in cookie's value as sent (sign-out ends that session)."""
    new_session: str | None = None
    """A session opened by this request: its id goes into the cookie."""
    drop_session: bool = False

    # --- identity ------------------------------------------------------------------------
    @property
    def instansi(self) -> str:
        return self.settings.instansi

    @property
    def instansi_label(self) -> str:
        """The instansi's name as recorded (cached until the repository changes)."""
        from spbe_arch.reports.queries import select_rows

        if not self.principal.can_read():
            return ""  # nothing about the repository before sign-in when reading needs it
        generation = getattr(self.repository, "generation", None)
        state = self.request.app.state
        cache: dict[tuple[str, object], str] | None = getattr(state, "web_instansi_names",
                                                              None)
        if cache is None:
            cache = state.web_instansi_names = {}
        key = (self.instansi, generation)
        if key not in cache or generation is None:
            names = [r["nama"] for r in select_rows(self.repository, "instansi", self.instansi)
                     if r.get("nama")]
            cache.clear()
            cache[key] = names[0] if names else f"Instansi {self.instansi}"
        return cache[key]

    def opd_iri(self, code: str) -> str:
        return str(iris.element_iri(self.instansi, "opd", code))

    def can_write_opd(self, code: str | None) -> bool:
        """Whether the caller may change elements owned by OPD `code` (same rule as the API)."""
        if not code:
            return self.principal.is_admin
        return self.principal.can_write_opds([self.opd_iri(code)])

    @property
    def can_write_any(self) -> bool:
        return self.principal.is_admin or (self.principal.role is Role.editor
                                           and bool(self.principal.opds))

    @property
    def editor_opd_codes(self) -> list[str]:
        prefix = str(iris.element_iri(self.instansi, "opd", "x"))[:-1]
        return sorted(o[len(prefix):] for o in self.principal.opds if o.startswith(prefix))

    # --- text ----------------------------------------------------------------------------
    def t(self, text: str, **values: Any) -> str:
        return translate(text, self.lang, **values)

    def message(self, error: SpbeError) -> str:
        return error.message(self.lang)

    # --- URLs ----------------------------------------------------------------------------
    @property
    def path(self) -> str:
        """This page's address as the browser asked for it (percent-encoding kept)."""
        return request_path(self.request)

    def url(self, path: str = "", **params: Any) -> str:
        clean = {k: v for k, v in params.items() if v not in (None, "", [])}
        query = f"?{urlencode(clean, doseq=True)}" if clean else ""
        return f"{PREFIX}{path}{query}"

    def lang_url(self, lang: str) -> str:
        params = [(k, v) for k, v in self.request.query_params.multi_items() if k != "lang"]
        params.append(("lang", lang))
        return f"{raw_path(self.request)}?{urlencode(params)}"

    # --- responses -----------------------------------------------------------------------
    def finish(self, response: Response) -> Response:
        secure = self.request.url.scheme == "https"
        if self.new_csrf:
            response.set_cookie(csrf_cookie_name(self.request), self.csrf, httponly=True,
                                samesite="strict", secure=secure, path="/")
        if self.remember_lang:
            response.set_cookie(LANG_COOKIE, self.lang, max_age=365 * 24 * 3600,
                                samesite="strict", secure=secure, path="/")
        session_cookie = session_cookie_name(self.request)
        if self.new_session is not None:
            response.set_cookie(session_cookie, self.new_session,
                                max_age=SIGN_IN_HOURS * 3600, httponly=True,
                                samesite="strict", secure=secure, path="/")
        elif self.token_invalid or self.drop_session:
            response.delete_cookie(session_cookie, path="/", secure=secure, httponly=True,
                                   samesite="strict")
        if OLD_TOKEN_COOKIE in self.request.cookies:
            response.delete_cookie(OLD_TOKEN_COOKIE, path="/", secure=secure, httponly=True,
                                   samesite="strict")
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    def render(self, template: str, status: int = 200, **values: Any) -> Response:
        from spbe_arch.web.rendering import render_template

        html = render_template(template, self, **values)
        return self.finish(HTMLResponse(html, status_code=status))

    def redirect(self, url: str) -> Response:
        return self.finish(RedirectResponse(url, status_code=303))


def build_page(request: Request, principal: Principal | None = None) -> Page:
    """The page for this request, for `principal` (default: the caller, from the cookie)."""
    settings: Settings = request.app.state.settings
    lang, remember = _lang_of(request, settings)
    caller = Caller(principal) if principal is not None else web_principal(request)
    csrf = request.cookies.get(csrf_cookie_name(request)) or ""
    new_csrf = len(csrf) < 32
    if new_csrf:
        csrf = secrets.token_urlsafe(32)
    return Page(request, request.app.state.repository, settings, caller.principal, lang, csrf,
                remember_lang=remember, new_csrf=new_csrf, token_invalid=caller.token_invalid,
                session_id=request.cookies.get(session_cookie_name(request)) or None,
                drop_session=caller.drop_session)


def open_page(request: Request) -> Page:
    """A page anyone may see (the sign-in page)."""
    page = build_page(request)
    request.state.page = page
    return page


def reader_page(request: Request) -> Page:
    """A page that needs read access: without it, the sign-in page is shown instead."""
    page = open_page(request)
    if not page.principal.can_read():
        raise SignInRequiredError("silakan masuk dengan token API untuk membaca repositori",
                                  "please sign in with an API token to read the repository")
    return page


def raw_path(request: Request) -> str:
    """The path as sent, still percent-encoded: `request.url.path` is decoded, so a code
    holding '%2F', '?' or '#' (an element page's address) would no longer lead back to it."""
    raw = request.scope.get("raw_path")
    if isinstance(raw, bytes) and raw:
        return raw.decode("latin-1")
    return quote(request.url.path, safe="/")


def request_path(request: Request) -> str:
    query = request.url.query
    return raw_path(request) + (f"?{query}" if query else "")


def sign_in_url(page_path: str) -> str:
    return f"{PREFIX}/masuk?next={quote(page_path, safe='')}"


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        # no Origin (older browsers, some same-origin form posts): rely on SameSite + token
        return origin is None
    own = f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}"
    return origin.rstrip("/") == own


class FormTooLargeError(InputError):
    """The form parser refused the body (a text field over 1 MB, over 1000 fields)."""

    http_status = 413


FORM_FILES = 5
"""Files of the upload limit's size one form may carry (the import page takes several at
once); the body is refused (413) past that, before Starlette spools its files to disk."""


async def checked_form(request: Request) -> FormData:
    """The POSTed form, after the CSRF checks described in the module docstring."""
    settings = request.app.state.settings
    # kept where Starlette's form parser reads it
    request._body = await read_body(
        request, settings, FORM_FILES * settings.max_upload_bytes + FORM_OVERHEAD_BYTES)
    try:
        form = await request.form()
    except HTTPException:
        # Starlette's own refusal would answer with English JSON instead of a page
        raise FormTooLargeError(
            "formulir ini terlalu besar untuk diterima: satu isian teks paling banyak 1 MB dan"
            " sebuah formulir paling banyak 1.000 isian; persingkat isinya lalu kirim lagi",
            "this form is too large to accept: a text field holds at most 1 MB and a form at"
            " most 1,000 fields; shorten it and send it again") from None
    sent = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    cookie = request.cookies.get(csrf_cookie_name(request)) or ""
    if (not isinstance(sent, str) or not cookie or not hmac.compare_digest(sent, cookie)
            or not _same_origin(request)):
        raise FormTokenError(
            "formulir ini kedaluwarsa atau tidak berasal dari halaman spbe-arch; muat ulang"
            " halaman lalu kirim lagi",
            "this form has expired or did not come from a spbe-arch page; reload the page and"
            " send it again")
    return form


PageDep = Annotated[Page, Depends(reader_page)]
OpenPageDep = Annotated[Page, Depends(open_page)]
FormDep = Annotated[FormData, Depends(checked_form)]


def form_text(form: FormData, name: str) -> str:
    """A field's text, trimmed, with LF line breaks: browsers send a textarea's lines with
    CRLF, which would otherwise end up in the stored text (and differ from the same text
    written through the API or Excel)."""
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def form_list(form: FormData, name: str) -> list[str]:
    return [v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip()]
