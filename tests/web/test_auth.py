"""Sign-in with an API token, the cookie, CSRF protection and the API's roles on pages."""

from __future__ import annotations

from tests.web.conftest import WebFactory
from tests.web.helpers import Web, text_of

from spbe_arch.datasets import load_demo
from spbe_arch.model import get_entity
from spbe_arch.repository import open_repository


def test_sign_in_sets_an_httponly_strict_cookie_and_sign_out_removes_it(demo_web: Web) -> None:
    session = demo_web.session()
    csrf = session.csrf()
    response = session.client.post("/ui/masuk", data={
        "csrf_token": csrf, "token": demo_web.tokens["editor"], "next": "/ui/referensi"},
        follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/referensi"
    cookie = response.headers["set-cookie"]
    assert "spbe_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert demo_web.tokens["editor"] not in cookie
    page = session.get("/ui")
    assert "editor-diskominfo" in page.text and "(DISKOMINFO)" in page.text
    session.post("/ui/keluar")
    assert not session.client.cookies.get("spbe_session")
    assert "editor-diskominfo" not in session.get("/ui").text


def test_a_wrong_token_is_refused_with_a_message(demo_web: Web) -> None:
    session = demo_web.session()
    response = session.post("/ui/masuk", {"token": "spbe_salah", "next": "/ui"})
    assert response.status_code == 401
    assert "Token tidak dikenal atau sudah dicabut" in text_of(response.text)
    assert "spbe_session" not in response.headers.get("set-cookie", "")


def test_an_expired_token_is_told_so_at_sign_in(make_web) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime, timedelta

    from spbe_arch.repository import open_repository

    web = make_web(open_repository("memory:"))
    assert web.store is not None
    token, record = web.store.create("magang", "reader",
                                     expires=datetime.now(UTC) + timedelta(hours=1))
    record.expires = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()  # an hour later
    response = web.session().post("/ui/masuk", {"token": token, "next": "/ui"})
    assert response.status_code == 401
    assert "sudah kedaluwarsa" in text_of(response.text)


def test_sign_in_never_redirects_to_another_site(demo_web: Web) -> None:
    session = demo_web.session()
    for target in ("https://contoh.example/", "//contoh.example/x", "javascript:alert(1)"):
        response = session.post("/ui/masuk", {"token": demo_web.tokens["reader"],
                                              "next": target}, follow_redirects=False)
        assert response.headers["location"] == "/ui", target


def test_posts_need_the_form_token_and_the_own_origin(demo_web: Web) -> None:
    session = demo_web.session("editor")
    url = "/ui/validasi/jalankan"
    missing = session.client.post(url, data={})
    assert missing.status_code == 403
    assert "formulir ini kedaluwarsa" in text_of(missing.text)
    wrong = session.client.post(url, data={"csrf_token": "x" * 43})
    assert wrong.status_code == 403
    foreign = session.client.post(url, data={"csrf_token": session.csrf()},
                                  headers={"Origin": "https://penyerang.example"})
    assert foreign.status_code == 403
    # the sign-in form is protected too (no login CSRF)
    assert session.client.post("/ui/masuk", data={"token": "x"}).status_code == 403


def test_the_form_token_is_accepted_from_the_own_origin_and_as_htmx_header(
        demo_web: Web) -> None:
    session = demo_web.session("reader")
    query = "ASK { ?s ?p ?o }"
    own = session.client.post("/ui/sparql", data={"csrf_token": session.csrf(), "query": query},
                              headers={"Origin": "http://testserver", "HX-Request": "true"})
    assert own.status_code == 200 and "ya (true)" in own.text
    header = session.client.post("/ui/sparql", data={"query": query},
                                 headers={"X-CSRF-Token": session.csrf(), "HX-Request": "true"})
    assert header.status_code == 200 and "ya (true)" in header.text


def test_edit_buttons_follow_the_editors_opds(demo_web: Web) -> None:
    editor = demo_web.session("editor")
    own = editor.get("/ui/e/layanan/LYN-04")  # DISKOMINFO
    assert 'href="/ui/e/layanan/LYN-04/ubah"' in own.text
    other = editor.get("/ui/e/layanan/LYN-01")  # DISPENDUKCAPIL
    assert 'href="/ui/e/layanan/LYN-01/ubah"' not in other.text
    assert editor.get("/ui/e/layanan/LYN-01/ubah").status_code == 403
    own_sop = editor.get("/ui/sop/DISKOMINFO-01.02.SOP.02")
    assert 'id="form-identitas"' in own_sop.text
    other_sop = editor.get("/ui/sop/DISPENDUKCAPIL-02.01.SOP.01")
    assert 'id="form-identitas"' not in other_sop.text
    reader = demo_web.session("reader")
    assert 'href="/ui/e/layanan/LYN-04/ubah"' not in reader.get("/ui/e/layanan/LYN-04").text
    assert "jalankan-validasi" not in reader.get("/ui/validasi").text
    assert "jalankan-validasi" in editor.get("/ui/validasi").text
    admin = demo_web.session("admin")
    assert 'href="/ui/e/layanan/LYN-01/ubah"' in admin.get("/ui/e/layanan/LYN-01").text


def test_writes_outside_the_scope_are_refused_and_change_nothing(demo_web: Web) -> None:
    before = get_entity(demo_web.repository, "layanan", "LYN-01", instansi="3574")
    editor = demo_web.session("editor")
    response = editor.post("/ui/e/layanan/LYN-01/ubah", {"nama": "Diubah tanpa hak"})
    assert response.status_code == 403
    assert "tidak berwenang atas OPD DISPENDUKCAPIL" in text_of(response.text)
    reader = demo_web.session("reader")
    assert reader.post("/ui/e/layanan/LYN-04/ubah", {"nama": "x"}).status_code == 403
    assert reader.post("/ui/validasi/jalankan").status_code == 403
    assert reader.post("/ui/sop/DISKOMINFO-01.02.SOP.02", {"nama": "x"}).status_code == 403
    anonymous = demo_web.session()
    response = anonymous.post("/ui/e/layanan/LYN-04/ubah", {"nama": "x"})
    assert response.status_code == 401
    assert "memerlukan masuk dengan token API" in text_of(response.text)
    assert get_entity(demo_web.repository, "layanan", "LYN-01", instansi="3574") == before


def test_without_anonymous_reading_pages_ask_to_sign_in(make_web: WebFactory) -> None:
    repository = open_repository("memory:")
    load_demo(repository)
    web = make_web(repository, host="0.0.0.0")  # a network bind: anonymous reading off
    session = web.session()
    response = session.get("/ui/e/layanan?q=akta", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/masuk?next=%2Fui%2Fe%2Flayanan%3Fq%3Dakta"
    sign_in = session.get(response.headers["location"])
    assert sign_in.status_code == 200
    assert "tidak mengizinkan baca anonim" in text_of(sign_in.text)
    assert session.get("/ui/static/app.css").status_code == 200  # assets stay public
    done = session.post("/ui/masuk", {"token": web.tokens["reader"],
                                      "next": "/ui/e/layanan?q=akta"})
    assert done.status_code == 200
    assert "Penerbitan Akta Kelahiran" in done.text


def test_a_revoked_token_signs_the_browser_out(make_web: WebFactory) -> None:
    web = make_web()
    session = web.session("editor")
    assert "editor-diskominfo" in session.get("/ui").text
    assert web.store is not None
    web.store.revoke("editor-diskominfo")
    response = session.get("/ui")
    assert response.status_code == 200
    assert "Token Anda tidak berlaku lagi" in text_of(response.text)
    assert 'spbe_session=""' in response.headers.get("set-cookie", "")


def test_a_damaged_token_file_is_not_described_on_the_sign_in_page(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from spbe_arch.access import TokenStore
    from spbe_arch.api import create_app
    from spbe_arch.settings import Settings

    path = tmp_path / "rahasia" / "spbe-data.tokens.json"
    store = TokenStore(path)
    token, _ = store.create("kepala-dinas", "admin")
    app = create_app(Settings(store="memory:"), open_repository("memory:"), tokens=store)
    web = Web(app, app.state.repository, {"admin": token}, store)
    try:
        session = web.session("admin")  # signed in before the file is damaged
        data = json.loads(path.read_text())
        data["tokens"][0]["role"] = "superadmin"
        path.write_text(json.dumps(data) + " ")  # another size: the store reads it again
        signed_in = session.get("/ui")
        signing_in = web.session().post("/ui/masuk", {"token": token, "next": "/ui"})
        for response in (signing_in, signed_in):
            assert response.status_code == 500
            # a page, as every other error of the web UI (the signed-in one was JSON)
            assert response.headers["content-type"].startswith("text/html"), response.text
            # anyone could learn where the server keeps its files, and the tokens' names
            for secret in ("rahasia", "tokens.json", "kepala-dinas", "superadmin"):
                assert secret not in response.text, secret
            assert "berkas token" in text_of(response.text)
    finally:
        web.close()


def test_signing_in_and_out_renews_the_form_token(make_web: WebFactory) -> None:
    web = make_web()
    session = web.session()
    planted = session.csrf()  # e.g. set by a sibling subdomain before the user signs in
    session.sign_in("editor")
    after_sign_in = session.client.cookies.get("spbe_csrf")
    assert after_sign_in and after_sign_in != planted
    # a form forged with the planted value no longer matches the browser's cookie
    forged = session.client.post("/ui/validasi/jalankan", data={"csrf_token": planted})
    assert forged.status_code == 403
    assert session.post("/ui/keluar", follow_redirects=False).status_code == 303
    after_sign_out = session.client.cookies.get("spbe_csrf")
    assert after_sign_out and after_sign_out not in (planted, after_sign_in)
