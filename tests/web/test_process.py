"""Proses dan SOP: BPMN models, deriving, the SOP page's identity form and documents."""

from __future__ import annotations

import html
import re

from tests.web.helpers import Web, text_of

from spbe_arch.sop import load_sop

SOP = "DISKOMINFO-01.02.SOP.02"  # derived from pengaduan-masyarakat.bpmn by the fixture


def test_overview_lists_models_and_sops_and_offers_derive_to_the_right_editor(
        demo_web: Web) -> None:
    editor = demo_web.session("editor").get("/ui/proses").text
    assert "Pengelolaan Pengaduan Masyarakat" in editor
    assert 'value="DISKOMINFO-01.02"' in editor  # the derive form of the linked process
    other = demo_web.session("editor_b").get("/ui/proses").text
    assert 'name="proses" value="DISKOMINFO-01.02"' not in other
    assert f'href="/ui/sop/{SOP}"' in other


def test_sop_page_shows_flowchart_pages_diagram_and_documents(demo_web: Web) -> None:
    session = demo_web.session()
    page = session.get(f"/ui/sop/{SOP}").text
    pages = re.findall(r'<img src="(/ui/sop/[^"]+format=svg[^"]*)"', page)
    assert pages
    svg = session.get(pages[0].replace("&amp;", "&"))
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert 'data-bpmn-url="/ui/bpmn/pengaduan-masyarakat/xml"' in page
    assert 'id="form-identitas"' not in page  # anonymous: read only
    for fmt, media in (("pdf", "application/pdf"), ("docx", "wordprocessingml"),
                       ("html", "text/html")):
        document = session.get(f"/ui/sop/{SOP}/dokumen?format={fmt}")
        assert document.status_code == 200 and media in document.headers["content-type"]
    exported = session.get(f"/ui/sop/{SOP}/bpmn")
    assert exported.text.startswith("<?xml") and "attachment" in exported.headers[
        "content-disposition"]


def _derive_the_sample_sop(web: Web) -> None:
    """The sample complaint model imported for DISKOMINFO-01.02 and its SOP derived."""
    from tests.web.helpers import SAMPLE_BPMN

    from spbe_arch.importers.bpmn.service import import_bpmn_file
    from spbe_arch.sop import derive_sop

    import_bpmn_file(web.repository, SAMPLE_BPMN / "pengaduan-masyarakat.bpmn",
                     kode_wilayah="3574", proses="DISKOMINFO-01.02", agent="uji")
    derive_sop(web.repository, proses="DISKOMINFO-01.02", kode_wilayah="3574", agent="uji")


def test_identity_form_checks_values_and_saves_only_what_changed(fresh_demo_web: Web) -> None:
    web = fresh_demo_web
    _derive_the_sample_sop(web)
    session = web.session("editor")
    form = session.get(f"/ui/sop/{SOP}").text
    assert 'id="form-identitas"' in form
    values = dict(re.findall(r'<input id="s-(\w+)" name="\w+" type="(?:text|date)" value="([^"]*)"',
                             form))
    bad = session.post(f"/ui/sop/{SOP}", {**values, "status": "draft", "disahkan_nip": "123"})
    assert bad.status_code == 422
    assert re.search(r'<p class="error" id="err-disahkan_nip">NIP &#39;123&#39; harus terdiri'
                     r" dari 18 angka", bad.text)
    assert load_sop(web.repository, SOP, "3574").disahkan_nip == ""
    good = session.post(f"/ui/sop/{SOP}", {
        **values, "status": "ditetapkan", "nomor": "800/12/425.110/2026",
        "tanggal_efektif": "2026-02-01", "disahkan_nip": "197001011990031001",
        # a set SOP names its approver (SOPDitetapkanShape; the form refuses it otherwise)
        "disahkan_jabatan": "Kepala Dinas Komunikasi dan Informatika",
        "disahkan_nama": "Rahmat Hidayat",
        "dasar_hukum": "UU 25/2009\n\nPerpres 76/2013\n"}, follow_redirects=False)
    assert good.status_code == 303
    document = load_sop(web.repository, SOP, "3574")
    assert document.nomor == "800/12/425.110/2026"
    assert document.status == "Ditetapkan"
    assert document.tanggal_efektif is not None and document.tanggal_efektif.isoformat() \
        == "2026-02-01"
    assert sorted(document.dasar_hukum) == ["Perpres 76/2013", "UU 25/2009"]
    shown = text_of(session.get(good.headers["location"]).text)
    assert "Identitas SOP disimpan." in shown
    assert web.session("editor_b").post(f"/ui/sop/{SOP}", {"nama": "x"}).status_code == 403


def test_deriving_and_saving_an_sop_whose_code_needs_escaping_lands_on_its_page(
        fresh_demo_web: Web) -> None:
    """A process code may hold characters that mean something in a URL ('#', '?', '%',
    '/', spaces): the redirect after deriving or saving must still reach the SOP's page."""
    from urllib.parse import quote

    from tests.web.helpers import SAMPLE_BPMN, process_with_model

    web = fresh_demo_web
    session = web.session("editor")
    code = "DISKOMINFO-09 #1?a=50%/b"
    process_with_model(web, session, code, SAMPLE_BPMN / "pengaduan-masyarakat.bpmn",
                       name="Proses dengan kode aneh")
    derived = session.post("/ui/proses/turunkan", {"proses": code}, follow_redirects=False)
    assert derived.status_code == 303
    location = derived.headers["location"]
    assert location.startswith(f"/ui/sop/{quote(code, safe='')}.SOP.")
    sop_page = session.get(location)
    assert sop_page.status_code == 200
    assert "SOP diturunkan dari model BPMN." in text_of(sop_page.text)
    sop_code = load_sop(web.repository, f"{code}.SOP.01", "3574").kode
    values = dict(re.findall(r'<input id="s-(\w+)" name="\w+" type="(?:text|date)"'
                             r' value="([^"]*)"', sop_page.text))
    saved = session.post(location.split("?")[0], {**values, "nomor": "800/1/2026",
                                                  "status": "draft"}, follow_redirects=False)
    assert saved.status_code == 303, text_of(saved.text)
    assert saved.headers["location"] == f"/ui/sop/{quote(sop_code, safe='')}?pesan=disimpan"
    assert "Identitas SOP disimpan." in text_of(session.get(saved.headers["location"]).text)


def test_problems_of_the_identity_form_name_the_field_by_its_label(fresh_demo_web: Web) -> None:
    web = fresh_demo_web
    _derive_the_sample_sop(web)
    session = web.session("editor")
    values = dict(re.findall(r'<input id="s-(\w+)" name="\w+" type="(?:text|date)"'
                             r' value="([^"]*)"', session.get(f"/ui/sop/{SOP}").text))
    bad = session.post(f"/ui/sop/{SOP}", {**values, "disahkan_nip": "123", "status": "draft"})
    assert bad.status_code == 422
    assert '<a href="#s-disahkan_nip">NIP pengesah</a>' in bad.text
    # the refusal's title says so, as the sign-in and element forms do (WCAG 2.4.2)
    assert _title(bad.text) == f"Kesalahan: SOP {SOP} — spbe-arch"
    assert _title(session.get(f"/ui/sop/{SOP}").text) == f"SOP {SOP} — spbe-arch"
    assert ">disahkan_nip<" not in bad.text
    session.get("/ui?lang=en")
    english = session.post(f"/ui/sop/{SOP}", {**values, "disahkan_nip": "123",
                                              "status": "draft"})
    assert '<a href="#s-disahkan_nip">Approver' in english.text
    assert _title(english.text) == f"Error: SOP {SOP} — spbe-arch"


def test_a_browser_s_crlf_lines_do_not_count_as_a_change(fresh_demo_web: Web) -> None:
    """Browsers send textarea lines with CRLF: an untouched list field must not be rewritten
    (nor named in the audit record) when another field is saved."""
    from tests.web.helpers import SAMPLE_BPMN

    from spbe_arch.importers.bpmn.service import import_bpmn_file
    from spbe_arch.queries import run_query
    from spbe_arch.sop import derive_sop, set_sop_fields

    web = fresh_demo_web
    import_bpmn_file(web.repository, SAMPLE_BPMN / "pengaduan-masyarakat.bpmn",
                     kode_wilayah="3574", proses="DISKOMINFO-01.02", agent="uji")
    derive_sop(web.repository, proses="DISKOMINFO-01.02", kode_wilayah="3574", agent="uji")
    set_sop_fields(web.repository, SOP, {"dasar_hukum": ["Perpres 76/2013", "UU 25/2009"]},
                   kode_wilayah="3574", agent="uji")
    session = web.session("editor")
    page = session.get(f"/ui/sop/{SOP}").text
    values = dict(re.findall(r'<input id="s-(\w+)" name="\w+" type="(?:text|date)"'
                             r' value="([^"]*)"', page))
    shown = re.search(r'<textarea id="s-dasar_hukum"[^>]*>([^<]*)</textarea>', page)
    assert shown is not None and "\n" in shown.group(1)
    saved = session.post(f"/ui/sop/{SOP}", {
        **values, "status": "draft", "nomor": "800/9/2026",
        "dasar_hukum": shown.group(1).replace("\n", "\r\n")}, follow_redirects=False)
    assert saved.status_code == 303
    sop_iri = str(load_sop(web.repository, SOP, "3574").iri)
    latest = run_query(web.repository, "history", {"entity": sop_iri}).rows[0]
    assert str(latest["keterangan"]).endswith(": nomor"), latest


def _title(page: str) -> str:
    found = re.search(r"<title>([^<]*)</title>", page)
    assert found is not None
    return html.unescape(found.group(1))


def _steps_form(page: str) -> dict[str, str]:
    return {key: html.unescape(value) for key, value in re.findall(
        r'<textarea id="(langkah-\d+-\w+)" name="[^"]+"[^>]*>([^<]*)</textarea>', page)}


def _etag(page: str) -> str:
    found = re.search(r'<form method="post" action="[^"]+/langkah" id="form-langkah">\s*'
                      r'<input type="hidden" name="csrf_token" value="[^"]*">\s*'
                      r'<input type="hidden" name="etag" value="([^"]*)">', page)
    assert found is not None
    return html.unescape(found.group(1))


def _changes_of(web: Web, sop_iri: str) -> int:
    from spbe_arch.queries import run_query

    return len(run_query(web.repository, "history", {"entity": sop_iri}).rows)


def test_the_steps_mutu_baku_are_filled_in_on_the_sop_page(fresh_demo_web: Web) -> None:
    """OPD staff fill in what a Bizagi model does not hold (kelengkapan, waktu, output) on
    the SOP page; saved as one audited change, the derived steps keep their BPMN links."""
    web = fresh_demo_web
    _derive_the_sample_sop(web)
    before = load_sop(web.repository, SOP, "3574")
    step = next(s for s in before.langkah if s.simbol == "Kegiatan")
    assert step.source is not None and step.waktu != "10 menit"
    session = web.session("editor")
    page = session.get(f"/ui/sop/{SOP}").text
    fields = _steps_form(page)
    assert len(fields) == 4 * len(before.langkah)
    assert 'aria-label="Waktu langkah 2"' in page
    n = step.urutan
    saved = session.post(f"/ui/sop/{SOP}/langkah", {
        **fields, "etag": _etag(page), f"langkah-{n}-kelengkapan": "Formulir pengaduan",
        f"langkah-{n}-waktu": " 10   menit ", f"langkah-{n}-output": "Nomor tiket"},
        follow_redirects=False)
    assert saved.status_code == 303, text_of(saved.text)
    assert saved.headers["location"] == f"/ui/sop/{SOP}?pesan=langkah-disimpan"
    assert "Langkah SOP disimpan." in text_of(session.get(saved.headers["location"]).text)
    after = load_sop(web.repository, SOP, "3574")
    filled = next(s for s in after.langkah if s.urutan == n)
    assert (filled.kelengkapan, filled.waktu, filled.output) == (
        "Formulir pengaduan", "10 menit", "Nomor tiket")
    assert [s.source for s in after.langkah] == [s.source for s in before.langkah]
    assert [(s.nama, s.next, s.ya, s.tidak) for s in after.langkah] == [
        (s.nama, s.next, s.ya, s.tidak) for s in before.langkah]
    changes = _changes_of(web, str(after.iri))
    # the same form sent again changes nothing and records nothing
    page = session.get(f"/ui/sop/{SOP}").text
    again = session.post(f"/ui/sop/{SOP}/langkah", {**_steps_form(page), "etag": _etag(page)},
                         follow_redirects=False)
    assert again.headers["location"] == f"/ui/sop/{SOP}?pesan=langkah-sama"
    assert _changes_of(web, str(after.iri)) == changes


def test_steps_form_refusals_keep_the_input_and_write_nothing(fresh_demo_web: Web) -> None:
    from spbe_arch.sop.service import set_step_fields

    web = fresh_demo_web
    _derive_the_sample_sop(web)
    n = next(s.urutan for s in load_sop(web.repository, SOP, "3574").langkah
             if s.simbol == "Kegiatan")
    set_step_fields(web.repository, SOP, n, {"kelengkapan": "KTP", "waktu": "5 menit",
                                             "output": "Tiket"}, kode_wilayah="3574",
                    agent="uji")
    session = web.session("editor")
    page = session.get(f"/ui/sop/{SOP}").text
    fields, etag = _steps_form(page), _etag(page)
    # emptying a complete step's waktu would break the mutu baku rule: refused, named
    broken = session.post(f"/ui/sop/{SOP}/langkah", {**fields, "etag": etag,
                                                     f"langkah-{n}-waktu": ""})
    assert broken.status_code == 422
    assert f"Langkah {n}: Mutu baku langkah (kelengkapan, waktu, output) belum lengkap." \
        in text_of(broken.text)
    assert _title(broken.text) == f"Kesalahan: SOP {SOP} — spbe-arch"
    assert load_sop(web.repository, SOP, "3574").langkah[n - 1].waktu == "5 menit"
    # somebody else saved in between: refused with this user's input kept
    set_step_fields(web.repository, SOP, n, {"output": "Tiket LAPOR"}, kode_wilayah="3574",
                    agent="orang-lain")
    late = session.post(f"/ui/sop/{SOP}/langkah", {**fields, "etag": etag,
                                                   f"langkah-{n}-waktu": "7 menit"})
    assert late.status_code == 409
    assert "diubah orang lain" in text_of(late.text)
    assert _steps_form(late.text)[f"langkah-{n}-waktu"] == "7 menit"
    assert _title(late.text).startswith("Kesalahan: ")
    assert load_sop(web.repository, SOP, "3574").langkah[n - 1].output == "Tiket LAPOR"
    # saving again from that answer replaces the other change knowingly
    retry = session.post(f"/ui/sop/{SOP}/langkah", {**_steps_form(late.text),
                                                    "etag": _etag(late.text)},
                         follow_redirects=False)
    assert retry.status_code == 303
    assert load_sop(web.repository, SOP, "3574").langkah[n - 1].waktu == "7 menit"


def test_only_the_sop_s_own_opd_may_edit_its_steps(fresh_demo_web: Web) -> None:
    web = fresh_demo_web
    _derive_the_sample_sop(web)
    assert 'id="form-langkah"' not in web.session().get(f"/ui/sop/{SOP}").text
    other = web.session("editor_b")
    assert 'id="form-langkah"' not in other.get(f"/ui/sop/{SOP}").text
    before = load_sop(web.repository, SOP, "3574").langkah[1].waktu
    refused = other.post(f"/ui/sop/{SOP}/langkah", {"langkah-2-waktu": "1 menit"})
    assert refused.status_code == 403
    assert load_sop(web.repository, SOP, "3574").langkah[1].waktu == before != "1 menit"


def test_identity_form_refuses_to_overwrite_a_change_made_since_it_was_opened(
        fresh_demo_web: Web) -> None:
    from spbe_arch.sop import set_sop_fields

    web = fresh_demo_web
    _derive_the_sample_sop(web)
    session = web.session("editor")
    page = session.get(f"/ui/sop/{SOP}").text
    values = dict(re.findall(r'<input id="s-(\w+)" name="\w+" type="(?:text|date)"'
                             r' value="([^"]*)"', page))
    etag = html.unescape(re.search(r'id="form-identitas">\s*<input type="hidden"'
                                   r' name="csrf_token" value="[^"]*">\s*<input type="hidden"'
                                   r' name="etag" value="([^"]*)"', page).group(1))  # type: ignore[union-attr]
    set_sop_fields(web.repository, SOP, {"nomor": "800/1/2026"}, kode_wilayah="3574",
                   agent="orang-lain")
    late = session.post(f"/ui/sop/{SOP}", {**values, "etag": etag, "status": "draft",
                                            "nama": "Nama baru"})
    assert late.status_code == 409
    assert "diubah orang lain" in text_of(late.text)
    assert 'value="Nama baru"' in late.text  # the user's input is kept
    assert _title(late.text).startswith("Kesalahan: ")
    document = load_sop(web.repository, SOP, "3574")
    assert document.nomor == "800/1/2026" and document.nama != "Nama baru"
    again = re.search(r'name="etag" value="([^"]*)"', late.text)
    assert again is not None and html.unescape(again.group(1)) != etag
    saved = session.post(f"/ui/sop/{SOP}", {**values, "etag": html.unescape(again.group(1)),
                                             "status": "draft", "nama": "Nama baru"},
                         follow_redirects=False)
    assert saved.status_code == 303
    assert load_sop(web.repository, SOP, "3574").nama == "Nama baru"


def test_deriving_in_the_browser_shows_the_derivations_notes_once_and_to_its_author(
        fresh_demo_web: Web) -> None:
    from tests.web.helpers import SAMPLE_BPMN

    from spbe_arch.importers.bpmn.service import import_bpmn_file

    web = fresh_demo_web
    import_bpmn_file(web.repository, SAMPLE_BPMN / "pengaduan-masyarakat.bpmn",
                     kode_wilayah="3574", proses="DISKOMINFO-01.02", agent="uji")
    session = web.session("editor")
    derived = session.post("/ui/proses/turunkan", {"proses": "DISKOMINFO-01.02"},
                           follow_redirects=False)
    assert derived.status_code == 303
    location = derived.headers["location"]
    assert "&catatan=" in location
    # someone else following the same address sees the SOP, not the author's notes
    other = text_of(web.session("editor_b").get(location).text)
    assert "Catatan penurunan SOP" not in other
    page = session.get(location).text
    shown = text_of(page)
    assert "Catatan penurunan SOP" in shown
    # the sample model has parallel branches: the SOP writes them one after the other
    assert "cabang paralel" in shown and 'role="status" id="catatan-penurunan"' in page
    assert "Catatan penurunan SOP" not in text_of(session.get(location).text)  # once
    english = web.session("editor")
    english.get("/ui?lang=en")
    again = english.post("/ui/proses/turunkan", {"proses": "DISKOMINFO-01.02"},
                         follow_redirects=False)
    assert "catatan=" in again.headers["location"]  # nothing changed, the notes still stand
    assert "parallel branch" in text_of(english.get(again.headers["location"]).text)
