"""The web UI's sign-in is a server-side session: the cookie holds a random id, never the API
token, and ending the session on the server ends every copy of the cookie."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from tests.web.conftest import WebFactory
from tests.web.helpers import Web, text_of

from spbe_arch.access import SessionTable, hash_token

SIGNED_IN_AS_EDITOR = "editor-diskominfo"
INVALID_NOTICE = "Token Anda tidak berlaku lagi"


def signed_in_as(client: TestClient, name: str) -> bool:
    return name in client.get("/ui").text


def session_cookie(web: Web, role: str) -> str:
    session = web.session(role)
    value = session.client.cookies.get("spbe_session")
    assert value
    return value


def browser(web: Web, base_url: str = "http://testserver") -> TestClient:
    """Another browser (a client of its own); the fixture closes the app afterwards."""
    return TestClient(web.app, base_url=base_url)


def test_the_cookie_holds_a_session_id_not_the_token(make_web: WebFactory) -> None:
    web = make_web()
    session = web.session()
    response = session.post("/ui/masuk", {"token": web.tokens["editor"], "next": "/ui"},
                            follow_redirects=False)
    assert response.status_code == 303
    header = response.headers["set-cookie"]
    value = session.client.cookies.get("spbe_session")
    assert value and len(value) >= 43
    token = web.tokens["editor"]
    assert token not in header and hash_token(token) not in header
    assert "spbe_token" not in header
    assert signed_in_as(session.client, SIGNED_IN_AS_EDITOR)


def test_the_token_itself_as_a_cookie_signs_nobody_in(make_web: WebFactory) -> None:
    web = make_web()
    token = web.tokens["editor"]
    for name in ("spbe_session", "spbe_token"):
        with browser(web) as client:
            client.cookies.set(name, token)
            assert not signed_in_as(client, SIGNED_IN_AS_EDITOR), name


def test_a_cookie_of_the_old_kind_is_deleted_without_alarm(make_web: WebFactory) -> None:
    web = make_web(host="0.0.0.0")  # reading needs a sign-in: the sign-in page follows
    with browser(web) as client:
        client.cookies.set("spbe_token", web.tokens["editor"], domain="testserver.local")
        response = client.get("/ui", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/ui/masuk")
        sign_in = client.get(response.headers["location"])
        assert sign_in.status_code == 200
        assert 'spbe_token=""' in sign_in.headers.get("set-cookie", "")
        assert INVALID_NOTICE not in text_of(sign_in.text)
        assert not client.cookies.get("spbe_token")


def test_a_copied_cookie_stops_working_after_sign_out(make_web: WebFactory) -> None:
    web = make_web()
    session = web.session("editor")
    copied = session.client.cookies.get("spbe_session")
    assert copied
    with browser(web) as thief:
        thief.cookies.set("spbe_session", copied)
        assert signed_in_as(thief, SIGNED_IN_AS_EDITOR)
        assert session.post("/ui/keluar", follow_redirects=False).status_code == 303
        assert not signed_in_as(session.client, SIGNED_IN_AS_EDITOR)
        response = thief.get("/ui")
        assert SIGNED_IN_AS_EDITOR not in response.text
        # a session that is simply gone is no revoked token: no alarm, just the cookie
        assert INVALID_NOTICE not in text_of(response.text)
        assert 'spbe_session=""' in response.headers.get("set-cookie", "")


def test_signing_in_again_ends_the_earlier_session(make_web: WebFactory) -> None:
    web = make_web()
    session = web.session("editor")
    first = session.client.cookies.get("spbe_session")
    session.sign_in("reader")
    assert session.client.cookies.get("spbe_session") != first
    with browser(web) as other:
        other.cookies.set("spbe_session", str(first))
        assert not signed_in_as(other, SIGNED_IN_AS_EDITOR)


def test_revoking_the_token_ends_its_web_sessions(make_web: WebFactory) -> None:
    web = make_web()
    cookies = [session_cookie(web, "editor") for _ in range(2)]
    table: SessionTable = web.app.state.web_sessions
    assert len(table) == 2
    assert web.store is not None
    web.store.revoke(SIGNED_IN_AS_EDITOR)
    for cookie in cookies:
        with browser(web) as client:
            client.cookies.set("spbe_session", cookie)
            response = client.get("/ui")
            assert SIGNED_IN_AS_EDITOR not in response.text
            assert INVALID_NOTICE in text_of(response.text)
    assert len(table) == 0


def test_the_tokens_expiry_ends_its_web_session(make_web: WebFactory) -> None:
    web = make_web()
    assert web.store is not None
    token, record = web.store.create("magang", "reader",
                                     expires=datetime.now(UTC) + timedelta(hours=1))
    web.tokens["magang"] = token
    session = web.session("magang")
    assert signed_in_as(session.client, "magang")
    record.expires = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()  # an hour later
    assert not signed_in_as(session.client, "magang")


def test_an_expired_session_is_refused(make_web: WebFactory) -> None:
    web = make_web(host="0.0.0.0")
    now = [datetime.now(UTC)]
    web.app.state.web_sessions = SessionTable(timedelta(hours=12), clock=lambda: now[0])
    session = web.session("editor")
    assert signed_in_as(session.client, SIGNED_IN_AS_EDITOR)
    now[0] += timedelta(hours=12, seconds=1)
    response = session.get("/ui", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/ui/masuk")
    sign_in = session.get(response.headers["location"])
    assert INVALID_NOTICE not in text_of(sign_in.text)
    assert not session.client.cookies.get("spbe_session")
    assert len(web.app.state.web_sessions) == 0


def test_the_session_cookie_is_no_api_token(make_web: WebFactory) -> None:
    web = make_web()
    cookie = session_cookie(web, "admin")
    with browser(web) as client:
        for path in ("/api/layanan", "/sparql?query=ASK%20%7B%7D", "/rdf-graph-store?default"):
            response = client.get(path, headers={"Authorization": f"Bearer {cookie}"})
            assert response.status_code == 401, path
        # nor does the cookie itself authenticate the API, SPARQL Update or the Graph Store
        # (an admin's session: any of them would let a write through)
        client.cookies.set("spbe_session", cookie)
        write = client.post("/api/layanan", json={"kode": "X"})
        assert write.status_code == 401
        update = client.post("/sparql", content=b"INSERT DATA { <urn:a> <urn:p> 1 }",
                             headers={"content-type": "application/sparql-update"})
        assert update.status_code == 401
        put = client.put("/rdf-graph-store", params={"graph": "urn:g"},
                         content=b"<urn:a> <urn:p> 1 .", headers={"content-type": "text/turtle"})
        assert put.status_code == 401


def test_over_https_the_cookie_is_host_prefixed_and_secure(make_web: WebFactory) -> None:
    web = make_web()
    with browser(web, "https://testserver") as client:
        shown = client.get("/ui/masuk")
        # the form token's cookie is host-prefixed too: a sibling subdomain cannot plant one
        assert any(c.startswith("__Host-spbe_csrf=") and "Secure" in c and "Path=/" in c
                   and "Domain" not in c for c in shown.headers.get_list("set-cookie"))
        csrf = client.cookies.get("__Host-spbe_csrf")
        assert csrf and client.cookies.get("spbe_csrf") is None
        response = client.post("/ui/masuk", data={
            "csrf_token": csrf, "token": web.tokens["editor"], "next": "/ui"},
            follow_redirects=False)
        assert response.status_code == 303
        cookie = next(c for c in response.headers.get_list("set-cookie")
                      if c.startswith("__Host-spbe_session="))
        attributes = {a.strip().split("=")[0].lower() for a in cookie.split(";")[1:]}
        assert {"secure", "httponly", "path"} <= attributes and "domain" not in attributes
        assert "Path=/;" in cookie + ";"
        assert signed_in_as(client, SIGNED_IN_AS_EDITOR)
        value = client.cookies.get("__Host-spbe_session")
        assert value
        # sign-out ends it and deletes it under the same name
        out = client.post("/ui/keluar",
                          data={"csrf_token": client.cookies.get("__Host-spbe_csrf")},
                          follow_redirects=False)
        assert out.status_code == 303
        assert any(c.startswith('__Host-spbe_session="";') and "Secure" in c
                   for c in out.headers.get_list("set-cookie"))
        assert not signed_in_as(client, SIGNED_IN_AS_EDITOR)


def test_over_https_a_planted_plain_form_token_is_refused(make_web: WebFactory) -> None:
    web = make_web()
    with browser(web, "https://testserver") as client:
        client.get("/ui/masuk")
        # a sibling subdomain can set `spbe_csrf` (not `__Host-…`): with its own value in
        # the form, the double-submit check must still fail
        client.cookies.set("spbe_csrf", "x" * 43)
        refused = client.post("/ui/masuk", data={
            "csrf_token": "x" * 43, "token": web.tokens["editor"], "next": "/ui"},
            follow_redirects=False)
        assert refused.status_code == 403


def test_each_scheme_reads_only_its_own_cookie_name(make_web: WebFactory) -> None:
    web = make_web()
    plain = session_cookie(web, "editor")
    with browser(web, "https://testserver") as client:
        # over HTTPS a cookie without the prefix could come from a sibling subdomain
        client.cookies.set("spbe_session", plain)
        assert not signed_in_as(client, SIGNED_IN_AS_EDITOR)
        client.cookies.clear()
        client.cookies.set("__Host-spbe_session", plain)
        assert signed_in_as(client, SIGNED_IN_AS_EDITOR)


def test_signing_in_over_and_over_keeps_the_table_bounded(make_web: WebFactory) -> None:
    web = make_web()
    web.app.state.web_sessions = table = SessionTable(per_token=3, limit=5)
    others = [session_cookie(web, "reader") for _ in range(4)]
    for _ in range(4):
        with browser(web) as client:
            client.get("/ui/masuk")
            client.post("/ui/masuk", data={"csrf_token": client.cookies.get("spbe_csrf"),
                                           "token": web.tokens["editor"], "next": "/ui"})
    assert len(table) == 5
    assert table.count(hash_token(web.tokens["reader"])) == 2
    assert table.count(hash_token(web.tokens["editor"])) == 3
    with browser(web) as client:
        client.cookies.set("spbe_session", others[0])  # the oldest went first
        assert "pembaca-uji" not in client.get("/ui").text
        client.cookies.set("spbe_session", others[-1])
        assert "pembaca-uji" in client.get("/ui").text
