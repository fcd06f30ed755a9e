"""Editing through the forms: the API's checks (values, OPD scope, SHACL via validate_change),
problems shown next to their fields, nothing written on a refusal, the audit trail."""

from __future__ import annotations

import re

import pytest
from tests.web.helpers import Web, text_of

from spbe_arch.model import get_entity


def errors_of(html: str) -> dict[str, list[str]]:
    """Field name -> the error texts shown under it."""
    found: dict[str, list[str]] = {}
    for name, texts in re.findall(r'<p class="error" id="err-([\w-]+)">(.*?)</p>', html):
        found.setdefault(name, []).extend(texts.split("<br>"))
    return found


def form_values(web: Web, kind: str, code: str) -> dict[str, object]:
    """The edit form as a browser would send it unchanged."""
    record = get_entity(web.repository, kind, code, instansi="3574")
    assert record is not None
    return {k: v for k, v in record.items()
            if k not in ("@id", "kode") and v not in (None, [])}


def test_bad_values_are_shown_next_to_their_fields_and_nothing_is_written(
        fresh_demo_web: Web) -> None:
    web = fresh_demo_web
    session = web.session("editor")
    before = get_entity(web.repository, "proses-bisnis", "DISKOMINFO-01.03", instansi="3574")
    data = {**form_values(web, "proses-bisnis", "DISKOMINFO-01.03"),
            "klasifikasiRAB": "RAB.99.99", "merealisasikan": ["LYN-04", "TIDAK-ADA"],
            "levelPetaProses": "satu"}
    response = session.post("/ui/e/proses-bisnis/DISKOMINFO-01.03/ubah", data)
    assert response.status_code == 422
    errors = errors_of(response.text)
    assert "tidak ada dalam" in errors["klasifikasiRAB"][0]
    assert "TIDAK-ADA" in errors["merealisasikan"][0]
    assert "bukan bilangan bulat" in errors["levelPetaProses"][0]
    assert 'aria-invalid="true"' in response.text
    # what the user typed is kept in the form
    assert 'value="RAB.99.99"' in response.text
    assert get_entity(web.repository, "proses-bisnis", "DISKOMINFO-01.03",
                      instansi="3574") == before


@pytest.mark.slow
def test_a_rule_violation_is_refused_and_a_fix_is_saved_with_its_audit_record(
        fresh_demo_web: Web) -> None:
    web = fresh_demo_web
    session = web.session("editor")
    url = "/ui/e/proses-bisnis/DISKOMINFO-01.03/ubah"
    data = form_values(web, "proses-bisnis", "DISKOMINFO-01.03")
    # removing the RAB code breaks a rule (sh:Violation): refused, shown at the field
    response = session.post(url, {**data, "klasifikasiRAB": ""})
    assert response.status_code == 422
    assert "melanggar aturan arsitektur" in text_of(response.text)
    assert "kode RAB" in errors_of(response.text)["klasifikasiRAB"][0]
    assert get_entity(web.repository, "proses-bisnis", "DISKOMINFO-01.03",
                      instansi="3574")["klasifikasiRAB"] == "RAB.09.04.02"
    # the process without a RAB code (a finding of the demo) is fixed through the form
    fixed = {**form_values(web, "proses-bisnis", "DISKOMINFO-01.04"),
             "klasifikasiRAB": "RAB.05.02.03", "uraian": "Layanan panggilan darurat 112"}
    response = session.post("/ui/e/proses-bisnis/DISKOMINFO-01.04/ubah", fixed,
                            follow_redirects=False)
    assert response.status_code == 303, text_of(response.text)[:500]
    assert response.headers["location"] == "/ui/e/proses-bisnis/DISKOMINFO-01.04?pesan=disimpan"
    record = get_entity(web.repository, "proses-bisnis", "DISKOMINFO-01.04", instansi="3574")
    assert record["klasifikasiRAB"] == "RAB.05.02.03"
    assert record["uraian"] == "Layanan panggilan darurat 112"
    detail = text_of(session.get(response.headers["location"]).text)
    assert "Perubahan disimpan." in detail
    assert "editor-diskominfo" in detail  # the audit trail names who changed it
    assert "REST PATCH proses-bisnis DISKOMINFO-01.04" in detail


def test_fields_of_an_edit_form_are_prefilled_and_labelled(demo_web: Web) -> None:
    page = demo_web.session("editor").get("/ui/e/layanan/LYN-04/ubah").text
    record = get_entity(demo_web.repository, "layanan", "LYN-04", instansi="3574")
    assert record is not None
    assert f'value="{record["nama"]}"' in page
    assert re.search(r'<option value="DISKOMINFO" selected>', page)
    for code in record["menggunakanData"]:
        assert re.search(rf'<option value="{re.escape(code)}" selected>', page)
    for name in ("nama", "uraian", "unitPelaksana", "klasifikasiRAL", "metodeLayanan"):
        assert f'<label for="f-{name}"' in page
    # an editor can only hand the service to their own OPDs
    owner = re.search(r'<select\s+id="f-unitPelaksana".*?</select>', page, re.S)
    assert owner is not None
    assert re.findall(r'<option value="([^"]+)"', owner.group(0)) == ["DISKOMINFO"]


@pytest.mark.slow
def test_an_editor_creates_an_element_of_their_opd(fresh_demo_web: Web) -> None:
    session = fresh_demo_web.session("editor")
    form = session.get("/ui/e/aplikasi/baru/isi")
    assert form.status_code == 200
    response = session.post("/ui/e/aplikasi/baru/isi", {
        "kode": "APL-BARU", "nama": "Aplikasi Uji Coba", "pemilik": "DISKOMINFO",
        "jenisAplikasi": "AplikasiKhusus", "mendukungLayanan": ["LYN-04"]},
        follow_redirects=False)
    assert response.status_code == 303, text_of(response.text)[:800]
    assert response.headers["location"] == "/ui/e/aplikasi/APL-BARU?pesan=dibuat"
    created = get_entity(fresh_demo_web.repository, "aplikasi", "APL-BARU", instansi="3574")
    assert created is not None and created["mendukungLayanan"] == ["LYN-04"]
    taken = session.post("/ui/e/aplikasi/baru/isi", {"kode": "APL-BARU", "nama": "Lagi",
                                                      "pemilik": "DISKOMINFO"})
    assert taken.status_code == 422
    assert "sudah ada" in text_of(taken.text)
    elsewhere = session.post("/ui/e/aplikasi/baru/isi", {"kode": "APL-LAIN", "nama": "Lain",
                                                          "pemilik": "DISPENDUKCAPIL"})
    assert elsewhere.status_code == 403
    assert get_entity(fresh_demo_web.repository, "aplikasi", "APL-LAIN",
                      instansi="3574") is None


@pytest.mark.slow
def test_a_new_layanan_is_created_with_the_process_that_realises_it(
        fresh_demo_web: Web) -> None:
    # alone a new layanan breaks the rule that a proses bisnis realises it; the form for a
    # new layanan lets the editor pick that proses bisnis (only their OPD's are offered)
    session = fresh_demo_web.session("editor")
    form = session.get("/ui/e/layanan/baru/isi")
    assert form.status_code == 200
    offered = re.findall(r'<option value="([^"]+)"',
                         form.text.split('name="balik-merealisasikan"', 1)[1].split(
                             "</select>", 1)[0])
    assert "DISKOMINFO-01.01" in offered
    assert offered and all(code.startswith("DISKOMINFO") for code in offered)
    record = {"kode": "LYN-BARU", "nama": "Layanan uji coba", "unitPelaksana": "DISKOMINFO",
              "klasifikasiRAL": "RAL.01.43.03", "jenisLayanan": "LayananPublik",
              "metodeLayanan": "Elektronik", "targetLayanan": ["Masyarakat"],
              "tujuan": "Menguji pembuatan layanan dari formulir"}
    alone = session.post("/ui/e/layanan/baru/isi", record)
    assert alone.status_code == 422
    assert "belum direalisasikan" in text_of(alone.text)
    assert get_entity(fresh_demo_web.repository, "layanan", "LYN-BARU",
                      instansi="3574") is None
    saved = session.post("/ui/e/layanan/baru/isi",
                         {**record, "balik-merealisasikan": ["DISKOMINFO-01.01"]},
                         follow_redirects=False)
    assert saved.status_code == 303, text_of(saved.text)[:800]
    process = get_entity(fresh_demo_web.repository, "proses-bisnis", "DISKOMINFO-01.01",
                         instansi="3574")
    assert process is not None and "LYN-BARU" in process["merealisasikan"]


@pytest.mark.slow
def test_a_broken_rule_of_another_element_links_to_that_element(fresh_demo_web: Web) -> None:
    """Unlinking a process from its layanan breaks the layanan's rule: the summary names the
    layanan by its code with a link to its page, not by a bare IRI."""
    web = fresh_demo_web
    session = web.session("editor")
    data = form_values(web, "proses-bisnis", "DISKOMINFO-01.01")
    assert "LYN-04" in data["merealisasikan"]
    response = session.post("/ui/e/proses-bisnis/DISKOMINFO-01.01/ubah",
                            {**data, "merealisasikan": []})
    assert response.status_code == 422
    assert re.search(r'<li><a href="/ui/e/layanan/LYN-04">LYN-04</a>: Layanan belum'
                     r' direalisasikan', response.text)
    assert "https://w3id.org/spbe-arch/id/" not in text_of(response.text)


def test_two_problems_of_one_field_share_one_described_error(fresh_demo_web: Web) -> None:
    """Each problem is listed, under one element whose id the field's aria-describedby
    names: two elements with the same id would be invalid and read only once."""
    session = fresh_demo_web.session("editor")
    response = session.post("/ui/e/proses-bisnis/baru/isi", {
        "kode": "DISKOMINFO-88", "nama": "Dua masalah", "pemilik": "DISKOMINFO",
        "klasifikasiRAB": "RAB.09.03.02", "merealisasikan": ["TIDAK-ADA-1", "TIDAK-ADA-2"]})
    assert response.status_code == 422
    assert response.text.count('id="err-merealisasikan"') == 1
    shown = errors_of(response.text)["merealisasikan"]
    assert len(shown) == 2 and "TIDAK-ADA-1" in shown[0] and "TIDAK-ADA-2" in shown[1]
    assert 'aria-describedby="err-merealisasikan help-merealisasikan"' in response.text


def test_a_form_too_large_for_the_parser_gets_a_page_not_english_json(demo_web: Web) -> None:
    session = demo_web.session("editor")
    before = get_entity(demo_web.repository, "proses-bisnis", "DISKOMINFO-01.01",
                        instansi="3574")
    response = session.post("/ui/e/proses-bisnis/DISKOMINFO-01.01/ubah",
                            {"uraian": "kata " * 250_000})  # 1.25 MB in one field
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "formulir ini terlalu besar" in text_of(response.text)
    assert get_entity(demo_web.repository, "proses-bisnis", "DISKOMINFO-01.01",
                      instansi="3574") == before


def test_a_textarea_s_crlf_lines_are_stored_as_plain_newlines(fresh_demo_web: Web) -> None:
    web = fresh_demo_web
    session = web.session("editor")
    data = form_values(web, "proses-bisnis", "DISKOMINFO-01.03")
    response = session.post("/ui/e/proses-bisnis/DISKOMINFO-01.03/ubah",
                            {**data, "uraian": "Baris satu\r\nBaris dua\r\n"},
                            follow_redirects=False)
    assert response.status_code == 303, text_of(response.text)[:500]
    record = get_entity(web.repository, "proses-bisnis", "DISKOMINFO-01.03", instansi="3574")
    assert record["uraian"] == "Baris satu\nBaris dua"


def test_a_stored_value_outside_the_choices_is_kept_by_the_form(fresh_demo_web: Web) -> None:
    """An enumeration value the current vocabulary no longer offers is shown and sent back as
    it is: saving the form to change the name must not drop it silently."""
    web = fresh_demo_web
    record = get_entity(web.repository, "proses-bisnis", "DISKOMINFO-01.03", instansi="3574")
    web.repository.update(
        "PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>\n"
        f"DELETE {{ GRAPH ?g {{ <{record['@id']}> spbe:jenisProses ?o }} }}\n"
        f"INSERT {{ GRAPH ?g {{ <{record['@id']}> spbe:jenisProses spbe:ProsesLama }} }}\n"
        f"WHERE {{ GRAPH ?g {{ <{record['@id']}> spbe:jenisProses ?o }} }}")
    session = web.session("editor")
    form = session.get("/ui/e/proses-bisnis/DISKOMINFO-01.03/ubah").text
    select = re.search(r'<select\s+id="f-jenisProses".*?</select>', form, re.S)
    assert select is not None
    assert re.search(r'<option value="ProsesLama" selected>ProsesLama — nilai tersimpan yang'
                     r' tidak ada dalam pilihan</option>', select.group(0))
    sent = {**form_values(web, "proses-bisnis", "DISKOMINFO-01.03"), "nama": "Nama baru"}
    assert sent["jenisProses"] == "ProsesLama"  # what the browser sends back now
    # the model refuses the old value: said at the field, nothing dropped behind the back
    response = session.post("/ui/e/proses-bisnis/DISKOMINFO-01.03/ubah", sent)
    assert response.status_code == 422
    assert "bukan nilai yang diizinkan" in errors_of(response.text)["jenisProses"][0]
    after = get_entity(web.repository, "proses-bisnis", "DISKOMINFO-01.03", instansi="3574")
    assert after["jenisProses"] == "ProsesLama"
    assert re.search(r'<option value="ProsesLama" selected>', response.text)


def _etag(html_text: str) -> str:
    import html

    found = re.search(r'name="etag" value="([^"]+)"', html_text)
    assert found is not None
    return html.unescape(found.group(1))


def test_two_people_editing_one_element_cannot_silently_undo_each_other(
        fresh_demo_web: Web) -> None:
    """Ani opens the edit form, Budi saves first: Ani's save is refused with her input kept;
    saving again, now knowingly, replaces Budi's change."""
    web = fresh_demo_web
    ani, budi = web.session("editor"), web.session("admin")
    url = "/ui/e/proses-bisnis/DISKOMINFO-01.03/ubah"
    seen_by_ani = _etag(ani.get(url).text)
    data = form_values(web, "proses-bisnis", "DISKOMINFO-01.03")
    first = budi.post(url, {**data, "uraian": "Uraian dari Budi",
                            "etag": _etag(budi.get(url).text)}, follow_redirects=False)
    assert first.status_code == 303
    stale = ani.post(url, {**data, "uraian": "Uraian dari Ani", "etag": seen_by_ani})
    assert stale.status_code == 409
    assert "diubah orang lain" in text_of(stale.text)
    assert "Uraian dari Ani" in stale.text  # her input is kept
    record = get_entity(web.repository, "proses-bisnis", "DISKOMINFO-01.03", instansi="3574")
    assert record is not None and record["uraian"] == "Uraian dari Budi"
    renewed = _etag(stale.text)
    assert renewed != seen_by_ani
    again = ani.post(url, {**data, "uraian": "Uraian dari Ani", "etag": renewed},
                     follow_redirects=False)
    assert again.status_code == 303
    record = get_entity(web.repository, "proses-bisnis", "DISKOMINFO-01.03", instansi="3574")
    assert record is not None and record["uraian"] == "Uraian dari Ani"


def test_rule_messages_of_a_refused_save_follow_the_interface_language(
        fresh_demo_web: Web) -> None:
    session = fresh_demo_web.session("editor")
    data = form_values(fresh_demo_web, "proses-bisnis", "DISKOMINFO-01.03")
    response = session.post("/ui/e/proses-bisnis/DISKOMINFO-01.03/ubah?lang=en",
                            {**data, "klasifikasiRAB": ""})
    assert response.status_code == 422
    errors = errors_of(response.text)["klasifikasiRAB"][0]
    assert "RAB code" in errors and "kode RAB" not in errors


def test_the_change_list_of_an_element_shows_the_agents_whole_name(fresh_demo_web: Web) -> None:
    # the page cut the name at its last "/" (as if it were an IRI): "Kepala Bidang/TI" was "TI"
    from rdflib import Literal

    from spbe_arch import iris
    from spbe_arch.audit import apply_audited
    from spbe_arch.repository import ChangeSet
    from spbe_arch.vocab import SPBE

    web = fresh_demo_web
    process = iris.element_iri("3574", "proses-bisnis", "DISKOMINFO-01.03")
    apply_audited(web.repository, ChangeSet(add=[(
        process, SPBE.uraian, Literal("Dicatat oleh kepala bidang"),
        iris.instansi_graph("3574"))]), agent="Kepala Bidang/TI", entities=[process],
        label="Uraian ditambahkan")
    detail = text_of(web.session("reader").get("/ui/e/proses-bisnis/DISKOMINFO-01.03").text)
    assert "Kepala Bidang/TI" in detail and "Uraian ditambahkan" in detail
