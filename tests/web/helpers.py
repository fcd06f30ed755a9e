"""Helpers of the web UI tests: the app in process over a repository, signed-in clients."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from spbe_arch import iris
from spbe_arch.access import TokenStore
from spbe_arch.api import create_app
from spbe_arch.datasets import load_demo
from spbe_arch.repository import Repository, open_repository
from spbe_arch.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_BPMN = ROOT / "data" / "samples" / "kota-probolinggo" / "bpmn"
OPD_A = str(iris.element_iri("3574", "opd", "DISKOMINFO"))
OPD_B = str(iris.element_iri("3574", "opd", "DISPENDUKCAPIL"))


class Session:
    """One browser: a client with its own cookies (language, form token, sign-in)."""

    def __init__(self, app: FastAPI, role: str | None, tokens: dict[str, str]) -> None:
        self.client = TestClient(app, base_url="http://testserver")
        self.tokens = tokens
        if role is not None:
            self.sign_in(role)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(url, **kwargs)

    def csrf(self) -> str:
        if not self.client.cookies.get("spbe_csrf"):
            self.client.get("/ui/masuk")
        value = self.client.cookies.get("spbe_csrf")
        assert value
        return value

    def sign_in(self, role: str) -> None:
        response = self.client.post("/ui/masuk", data={
            "csrf_token": self.csrf(), "token": self.tokens[role], "next": "/ui"},
            follow_redirects=False)
        assert response.status_code == 303, response.text

    def post(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
        body = {"csrf_token": self.csrf(), **(data or {})}
        return self.client.post(url, data=body, **kwargs)


@dataclass
class Web:
    """The app in process, its repository and a token per role."""

    app: FastAPI
    repository: Repository
    tokens: dict[str, str] = field(default_factory=dict)
    store: TokenStore | None = None
    sessions: list[Session] = field(default_factory=list)

    def session(self, role: str | None = None) -> Session:
        session = Session(self.app, role, self.tokens)
        self.sessions.append(session)
        return session

    def close(self) -> None:
        for session in self.sessions:
            session.client.close()
        self.app.state.shutdown()


def make(repository: Repository, host: str | None = None, **settings: object) -> Web:
    tokens = TokenStore(None)
    secrets = {
        "admin": tokens.create("admin-uji", "admin")[0],
        "reader": tokens.create("pembaca-uji", "reader")[0],
        "editor": tokens.create("editor-diskominfo", "editor", [OPD_A])[0],
        "editor_b": tokens.create("editor-disdukcapil", "editor", [OPD_B])[0],
    }
    app = create_app(Settings(store="memory:", **settings), repository,  # type: ignore[arg-type]
                     host=host, tokens=tokens)
    return Web(app, app.state.repository, secrets, tokens)


def prepared_demo() -> Repository:
    """The demo with a stored validation report, an imported Bizagi model and its SOP, so
    every page has something to show."""
    from spbe_arch.importers.bpmn.service import import_bpmn_file
    from spbe_arch.sop import derive_sop
    from spbe_arch.validation import store_report, validate

    repository = open_repository("memory:")
    load_demo(repository)
    import_bpmn_file(repository, SAMPLE_BPMN / "pengaduan-masyarakat.bpmn", kode_wilayah="3574",
                     proses="DISKOMINFO-01.02", agent="uji")
    derive_sop(repository, proses="DISKOMINFO-01.02", kode_wilayah="3574", agent="uji")
    store_report(repository, validate(repository, instansi="3574"), "3574")
    return repository



def process_with_model(web: Web, session: Session, code: str, model: Path,
                       name: str = "Proses uji") -> None:
    """A new proses bisnis of DISKOMINFO made through the web form (as `session`), with the
    BPMN model `model` imported for it."""
    from spbe_arch.importers.bpmn.service import import_bpmn_file

    made = session.post("/ui/e/proses-bisnis/baru/isi", {
        "kode": code, "nama": name, "pemilik": "DISKOMINFO",
        "klasifikasiRAB": "RAB.09.03.02"}, follow_redirects=False)
    assert made.status_code == 303, text_of(made.text)
    import_bpmn_file(web.repository, model, kode_wilayah="3574", proses=code, agent="uji")


def text_of(html: str) -> str:
    """The visible text of a page, roughly (tags dropped, spaces folded)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


class _Controls(HTMLParser):
    """Form controls, the `for` of labels, and every URL-valued attribute of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str]] = []
        self.label_for: set[str] = set()
        self.urls: list[tuple[str, str, str]] = []
        self._label_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        for name in ("href", "src", "action", "formaction", "data-bpmn-url"):
            if name in values:
                self.urls.append((tag, name, values[name]))
        if tag == "label":
            self._label_depth += 1
            if values.get("for"):
                self.label_for.add(values["for"])
        if tag in ("input", "select", "textarea"):
            if values.get("type") in ("hidden", "submit", "button"):
                return
            values["_tag"] = tag
            values["_wrapped"] = "yes" if self._label_depth else ""
            self.controls.append(values)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._label_depth:
            self._label_depth -= 1


def controls_of(html: str) -> _Controls:
    parser = _Controls()
    parser.feed(html)
    return parser


def unlabelled(html: str) -> list[str]:
    """Form controls no label names (`<label for>`, a wrapping label, or aria-label)."""
    found = controls_of(html)
    return [c.get("name") or c.get("id") or c["_tag"] for c in found.controls
            if not ((c.get("id") and c["id"] in found.label_for) or c["_wrapped"]
                    or c.get("aria-label") or c.get("aria-labelledby"))]


def foreign_urls(html: str) -> list[str]:
    """URLs in attributes that would leave the server (anything not a local path)."""
    found = controls_of(html)
    return [f"<{tag} {name}={url}>" for tag, name, url in found.urls
            if url and not url.startswith(("#", "?")) and (
                not url.startswith("/") or url.startswith("//"))]
