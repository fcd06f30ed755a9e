"""The Instansi page: the body and its architecture periods, read by everyone who may read,
changed by an admin through its forms (the same service as `/api/instansi`)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from tests.api.test_instansi import BODY, KAB, NAMA, OTHER_BODY, OTHER_VERSION, base_repository
from tests.web.conftest import WebFactory
from tests.web.helpers import Web, text_of, unlabelled

from spbe_arch import iris
from spbe_arch.audit import entity_history
from spbe_arch.model.instansi import describe_instansi, record_instansi
from spbe_arch.repository import LoadSource, Repository, open_repository


def recorded_repository() -> Repository:
    repository = base_repository()
    record_instansi(repository, KAB, NAMA, "2025-2029", agent="uji")
    return repository


@pytest.fixture
def web(make_web: WebFactory) -> Web:
    return make_web(recorded_repository(), instansi=KAB)


def dump(web: Web) -> bytes:
    return web.repository.export(None, "nquads")


@pytest.mark.parametrize(("lang", "words"), [
    ("id", ["Instansi dan periode arsitektur", "Kode wilayah 3513", NAMA, "2025-2029",
            "Draft", "Perpres 132/2022"]),
    ("en", ["Government body and architecture periods", "Region code 3513", NAMA, "2025-2029",
            "Draft", "Regulation number"]),
])
def test_the_page_shows_the_body_and_its_periods(web: Web, lang: str,
                                                 words: list[str]) -> None:
    page = web.session().get(f"/ui/instansi?lang={lang}")
    assert page.status_code == 200, page.text
    shown = text_of(page.text)
    for word in words:
        assert word in shown, word
    # in the navigation, marked as the current page
    assert re.search(r'<a href="/ui/instansi" aria-current="page">', page.text)
    # read-only for someone not signed in: no form at all
    assert "<form method=\"post\" action=\"/ui/instansi" not in page.text


@pytest.mark.parametrize("role", ["reader", "editor"])
def test_a_non_admin_has_no_form_and_a_forged_post_is_refused(web: Web, role: str) -> None:
    session = web.session(role)
    page = session.get("/ui/instansi")
    assert 'action="/ui/instansi' not in page.text
    assert "Hanya admin yang dapat mengubah instansi" in text_of(page.text)
    before = dump(web)
    for url, form in (("/ui/instansi", {"nama": "Diambil alih"}),
                      ("/ui/instansi/periode", {"kunci": "2025-2029", "periode": "2025-2029",
                                                "status": "ditetapkan"})):
        refused = session.post(url, form)
        assert refused.status_code == 403, refused.text
        assert "hanya untuk peran admin" in text_of(refused.text)
    anonymous = web.session().post("/ui/instansi", {"nama": "Diambil alih"})
    assert anonymous.status_code == 401
    assert dump(web) == before


def test_a_post_without_the_form_token_is_refused(web: Web) -> None:
    admin = web.session("admin")
    before = dump(web)
    refused = admin.client.post("/ui/instansi", data={"nama": "Tanpa token"})
    assert refused.status_code == 403
    assert dump(web) == before


def test_an_admin_renames_the_body_and_enacts_a_period(web: Web) -> None:
    admin = web.session("admin")
    page = admin.get("/ui/instansi")
    assert 'id="form-instansi"' in page.text and 'id="form-p-2025-2029-"' in page.text
    assert unlabelled(page.text) == []
    renamed = admin.post("/ui/instansi", {"nama": "Pemerintah Kab. Probolinggo"},
                         follow_redirects=False)
    assert renamed.status_code == 303 and renamed.headers["location"] == (
        "/ui/instansi?pesan=disimpan")
    assert describe_instansi(web.repository, KAB).to_json()["nama"] == "Pemerintah Kab. Probolinggo"
    enacted = admin.post("/ui/instansi/periode", {
        "kunci": "2025-2029", "periode": "2025-2029", "status": "ditetapkan",
        "nomor_regulasi": "Peraturan Bupati Probolinggo Nomor 12 Tahun 2026",
        "tanggal_regulasi": "2026-12-04"}, follow_redirects=False)
    assert enacted.status_code == 303, text_of(enacted.text)
    shown = text_of(admin.get(enacted.headers["location"]).text)
    assert "Periode arsitektur disimpan." in shown
    assert ("Periode 2025-2029 diperbarui: status, nomor regulasi, tanggal regulasi."
            in shown)
    assert "4 Desember 2026" in shown and "Ditetapkan" in shown
    period = describe_instansi(web.repository, KAB).periode[0]
    assert (period.status, period.tanggal_regulasi) == (["Ditetapkan"], ["2026-12-04"])
    # the same form sent again changes nothing, and says so
    again = admin.post("/ui/instansi/periode", {
        "kunci": "2025-2029", "periode": "2025-2029", "status": "ditetapkan",
        "nomor_regulasi": "Peraturan Bupati Probolinggo Nomor 12 Tahun 2026",
        "tanggal_regulasi": "2026-12-04"}, follow_redirects=False)
    assert again.headers["location"] == "/ui/instansi?pesan=sama"
    # a new period from its own form; the audit trail names the admin
    added = admin.post("/ui/instansi/periode", {"kunci": "baru", "periode": "2030-2034",
                                                "status": "draft"}, follow_redirects=False)
    assert added.status_code == 303
    assert [p.years for p in describe_instansi(web.repository, KAB).periode] == [
        "2025-2029", "2030-2034"]
    agents = {str(r["agen"]) for r in entity_history(web.repository, BODY, limit=10).rows}
    assert agents == {"uji", "admin-uji"}


@pytest.mark.parametrize(("form", "field_id", "words"), [
    ({"kunci": "baru", "periode": "2034-2030"}, "n-periode",
     "periode '2034-2030' tidak dapat dibaca"),
    ({"kunci": "2025-2029", "periode": "2025-2029", "tanggal_regulasi": "31 Juni 2026"},
     "p-2025-2029-tanggal_regulasi", "tanggal regulasi '31 Juni 2026' tidak dapat dibaca"),
    ({"kunci": "2025-2029", "periode": "2025-2029", "status": "final"},
     "p-2025-2029-status", "status 'final' tidak dikenal"),
])
def test_bad_input_is_shown_at_its_field_and_nothing_is_written(
        web: Web, form: dict[str, str], field_id: str, words: str) -> None:
    admin = web.session("admin")
    before = dump(web)
    refused = admin.post("/ui/instansi/periode", form)
    assert refused.status_code == 422
    assert text_of(refused.text).startswith("Kesalahan: ")
    # the field is marked and names its message
    control = re.search(rf'<[^>]*id="{field_id}"[^>]*>', refused.text)
    assert control is not None and 'aria-invalid="true"' in control[0]
    prefix, name = field_id.rsplit("-", 1)
    message = re.search(rf'<p class="error" id="{prefix}-err-{name}">(.*?)</p>', refused.text,
                        re.S)
    assert message is not None and words in html.unescape(message[1])
    assert dump(web) == before


def test_a_change_breaking_a_rule_is_refused_with_its_findings(make_web: WebFactory,
                                                               tmp_path: Path) -> None:
    repository = base_repository()
    version, body = tmp_path / "versi.ttl", tmp_path / "instansi.ttl"
    version.write_text(OTHER_VERSION, encoding="utf-8")
    body.write_text(OTHER_BODY, encoding="utf-8")
    repository.load([LoadSource(version, "turtle", iris.reference_graph("uji-2030")),
                     LoadSource(body, "turtle", iris.instansi_graph(KAB))])
    web = make_web(repository, instansi=KAB)
    before = dump(web)
    refused = web.session("admin").post("/ui/instansi/periode", {"kunci": "baru",
                                                                 "periode": "2030-2034"})
    assert refused.status_code == 422
    shown = text_of(refused.text)
    assert "melanggar aturan arsitektur" in shown
    # the broken rule is the process's: named, with a link to its page
    assert 'href="/ui/e/proses-bisnis/SETDA.01"' in refused.text
    assert "versi referensi yang berlaku" in shown
    assert dump(web) == before


def test_a_body_not_yet_recorded_is_recorded_from_the_page(make_web: WebFactory) -> None:
    web = make_web(base_repository(), instansi=KAB)
    admin = web.session("admin")
    page = text_of(admin.get("/ui/instansi").text)
    assert f"instansi {KAB} belum tercatat" in page or "tidak ada di repositori" in page
    missing = admin.post("/ui/instansi", {"nama": NAMA})
    assert missing.status_code == 422
    assert re.search(r'id="i-periode"[^>]*aria-invalid="true"', missing.text)
    made = admin.post("/ui/instansi", {"nama": NAMA, "periode": "2025-2029"},
                      follow_redirects=False)
    assert made.status_code == 303
    assert describe_instansi(web.repository, KAB).to_json()["nama"] == NAMA


@pytest.mark.parametrize(("role", "lang", "words"), [
    ("admin", "id", f"instansi {KAB} belum tercatat; catat dulu dengan formulir di bawah"),
    ("admin", "en", f"instansi {KAB} is not recorded yet; record it first with the form below"),
    ("reader", "id", f"instansi {KAB} belum tercatat; admin dapat mencatatnya di halaman ini"),
    (None, "en", f"instansi {KAB} is not recorded yet; an admin can record it on this page"),
])
def test_a_body_not_recorded_says_how_to_record_it_here(make_web: WebFactory, role: str | None,
                                                        lang: str, words: str) -> None:
    web = make_web(base_repository(), instansi=KAB)
    page = web.session(role).get(f"/ui/instansi?lang={lang}")
    assert page.status_code == 200, page.text
    shown = text_of(page.text)
    assert words in shown
    # the page's own way: neither the command line's nor the REST API's
    assert "spbe-arch init" not in shown and "PUT /api" not in shown


def test_the_body_form_shows_the_missing_name_at_its_field(make_web: WebFactory) -> None:
    web = make_web(base_repository(), instansi=KAB)
    refused = web.session("admin").post("/ui/instansi", {"nama": " ", "periode": "2025-2029"})
    assert refused.status_code == 422
    message = re.search(r'<p class="error" id="i-err-nama">(.*?)</p>', refused.text, re.S)
    assert message is not None
    assert html.unescape(message[1]) == (f"instansi {KAB} belum tercatat: sebutkan namanya dan"
                                         " periode arsitekturnya (mis. 2025-2029)")
    assert "--nama" not in refused.text and "&#39;nama&#39;" not in refused.text


@pytest.mark.parametrize(("lang", "words"), [
    ("id", "referensi nasional Perpres 132/2022 belum dimuat di repositori; jalankan"
           " `spbe-arch init` tanpa opsi dulu di server"),
    ("en", "the national reference Perpres 132/2022 is not loaded in the repository; run"
           " `spbe-arch init` without options first on the server"),
])
def test_a_store_without_the_reference_names_init_as_the_api_does(
        make_web: WebFactory, lang: str, words: str) -> None:
    web = make_web(open_repository("memory:"), instansi=KAB)
    before = dump(web)
    refused = web.session("admin").post(f"/ui/instansi?lang={lang}",
                                        {"nama": NAMA, "periode": "2025-2029"})
    assert refused.status_code == 409  # the form is fine, the repository lacks its base data
    assert words in text_of(refused.text)
    assert dump(web) == before


# --- forms made from an older state -----------------------------------------------------------

def etag_of(page: str, form_id: str) -> str:
    """The hidden `etag` of form `form_id` on `page`."""
    form = re.search(rf'<form [^>]*id="{form_id}".*?</form>', page, re.S)
    assert form is not None, form_id
    found = re.search(r'<input type="hidden" name="etag" value="([^"]*)">', form[0])
    assert found is not None, form_id
    return html.unescape(found[1])


STALE = ("Instansi atau periodenya diubah orang lain sejak halaman ini dibuka, jadi isian ini"
         " belum disimpan.")


def test_the_forms_carry_the_state_the_api_tags(web: Web) -> None:
    page = web.session("admin").get("/ui/instansi").text
    api = web.session("reader").client
    body = api.get(f"/api/instansi/{KAB}").headers["etag"]
    period = api.get(f"/api/instansi/{KAB}/periode/2025-2029").headers["etag"]
    assert etag_of(page, "form-instansi") == body
    assert etag_of(page, "form-p-2025-2029-") == period
    assert etag_of(page, "form-periode-baru") == body


def test_a_rename_after_another_admins_change_is_refused_and_kept(web: Web) -> None:
    first, second = web.session("admin"), web.session("admin")
    opened = etag_of(second.get("/ui/instansi").text, "form-instansi")
    tag = etag_of(first.get("/ui/instansi").text, "form-instansi")
    saved = first.post("/ui/instansi", {"nama": "Pemerintah Kab. A", "etag": tag},
                       follow_redirects=False)
    assert saved.status_code == 303, text_of(saved.text)
    before = dump(web)
    refused = second.post("/ui/instansi", {"nama": "Pemerintah Kab. B", "etag": opened})
    assert refused.status_code == 409, text_of(refused.text)
    shown = text_of(refused.text)
    assert STALE in shown and "muat ulang halaman" in shown
    assert dump(web) == before
    assert describe_instansi(web.repository, KAB).nama == ["Pemerintah Kab. A"]
    # the page shows the name now stored, the form what this admin typed, with the state
    # as it is now: saving again (knowingly) replaces the other change
    assert "Pemerintah Kab. A" in shown
    assert re.search(r'id="i-nama"[^>]*value="Pemerintah Kab. B"', refused.text)
    now = etag_of(refused.text, "form-instansi")
    assert now == web.session().client.get(f"/api/instansi/{KAB}").headers["etag"]
    again = second.post("/ui/instansi", {"nama": "Pemerintah Kab. B", "etag": now},
                        follow_redirects=False)
    assert again.status_code == 303
    assert describe_instansi(web.repository, KAB).nama == ["Pemerintah Kab. B"]
    english = second.post("/ui/instansi?lang=en", {"nama": "X", "etag": opened})
    assert english.status_code == 409
    assert ("Someone else changed the body or its periods since this page was opened, so this"
            " form was not saved.") in text_of(english.text)


def test_a_period_form_after_another_admins_change_is_refused(web: Web) -> None:
    first, second = web.session("admin"), web.session("admin")
    stale_page = second.get("/ui/instansi").text
    enacted = first.post("/ui/instansi/periode", {
        "kunci": "2025-2029", "periode": "2025-2029", "status": "ditetapkan",
        "nomor_regulasi": "Perbup 12/2026",
        "etag": etag_of(first.get("/ui/instansi").text, "form-p-2025-2029-")},
        follow_redirects=False)
    assert enacted.status_code == 303, text_of(enacted.text)
    before = dump(web)
    # the other admin's forms were made before: its change to the period, and a new period
    # (the body changed too), write nothing
    for form, form_id in (({"kunci": "2025-2029", "periode": "2025-2029", "status": "draft",
                            "nomor_regulasi": ""}, "form-p-2025-2029-"),
                          ({"kunci": "baru", "periode": "2025-2029", "status": "draft"},
                           "form-periode-baru")):
        refused = second.post("/ui/instansi/periode",
                              {**form, "etag": etag_of(stale_page, form_id)})
        assert refused.status_code == 409, text_of(refused.text)
        assert STALE in text_of(refused.text)
        assert etag_of(refused.text, form_id) != etag_of(stale_page, form_id)
        assert dump(web) == before
    period = describe_instansi(web.repository, KAB).periode[0]
    assert (period.status, period.nomor_regulasi) == (["Ditetapkan"], ["Perbup 12/2026"])


def test_a_body_recorded_meanwhile_is_not_recorded_over(make_web: WebFactory) -> None:
    web = make_web(base_repository(), instansi=KAB)
    first, second = web.session("admin"), web.session("admin")
    # the body is not recorded yet: both forms say so with an empty state
    assert etag_of(second.get("/ui/instansi").text, "form-instansi") == ""
    made = first.post("/ui/instansi", {"nama": NAMA, "periode": "2025-2029", "etag": ""},
                      follow_redirects=False)
    assert made.status_code == 303
    before = dump(web)
    refused = second.post("/ui/instansi", {"nama": "Nama lain", "periode": "2030-2034",
                                           "etag": ""})
    assert refused.status_code == 409, text_of(refused.text)
    assert STALE in text_of(refused.text)
    assert dump(web) == before
