"""Referensi: an admin replaces a provisional RAA/RAI/RAK list with the official one from the
page — "Periksa dulu" shows the plan and writes nothing, the confirmation imports the staged
file; problems are shown at the form's fields with file, row and column."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from openpyxl import Workbook
from tests.web.helpers import Session, Web, text_of

from spbe_arch.repository import Repository

# The demo's APL-16 (JDIH) is classified RAA.02.01, which this list drops.
OFFICIAL_RAA = b"""kode;nama;induk
RAA.01;Aplikasi Umum;
RAA.01.01;Aplikasi Umum Layanan Publik;RAA.01
RAA.01.02;Aplikasi Umum Administrasi Pemerintahan (resmi);RAA.01
RAA.02;Aplikasi Khusus;
RAA.02.02;Aplikasi Khusus Fungsi Tertentu;RAA.02
RAA.02.02.01;Aplikasi Khusus Kepegawaian Resmi;RAA.02.02
"""
FORM = 'id="form-impor-daftar"'
PROVISIONAL_NOTICE = "Daftar kode RAA ini bersifat sementara"


def dump(repository: Repository) -> str:
    return repository.export(None, "nquads")


def send(session: Session, name: str, data: bytes, action: str = "periksa",
         scheme: str = "RAA", source: str = "Perpres 95/2018 Lampiran") -> Any:
    return session.client.post(
        "/ui/referensi/impor", data={"csrf_token": session.csrf(), "skema": scheme,
                                     "sumber": source, "aksi": action},
        files=[("berkas", (name, data, "application/octet-stream"))])


def key_of(html: str) -> str:
    match = re.search(r'name="kunci" value="([^"]+)"', html)
    assert match, text_of(html)[:800]
    return match.group(1)


def control(html: str, control_id: str) -> str:
    match = re.search(rf'<(?:input|select)[^>]*\bid="{control_id}"[^>]*>', html)
    assert match, control_id
    return match.group(0)


def test_only_an_admin_sees_the_form(fresh_demo_web: Web) -> None:
    web = fresh_demo_web
    assert FORM in web.session("admin").get("/ui/referensi?skema=RAA").text
    for role in (None, "reader", "editor"):
        page = web.session(role).get("/ui/referensi?skema=RAA")
        assert page.status_code == 200 and FORM not in page.text, role


def test_the_plan_is_shown_first_then_the_staged_file_is_imported(
        fresh_demo_web: Web) -> None:
    web = fresh_demo_web
    admin = web.session("admin")
    before_page = text_of(admin.get("/ui/referensi?skema=RAA").text)
    assert PROVISIONAL_NOTICE in before_page
    before = dump(web.repository)
    preview = send(admin, "raa-resmi.csv", OFFICIAL_RAA)
    assert preview.status_code == 200, text_of(preview.text)[:800]
    text = text_of(preview.text)
    assert dump(web.repository) == before  # checking writes nothing
    assert "Rencana impor daftar RAA" in text and "Uji coba: belum ada yang disimpan" in text
    assert "1 ditambah, 1 dihapus, 1 diganti nama, 0 dipindah" in text
    assert "Ditambah (1) Kode Nama RAA.02.02.01 Aplikasi Khusus Kepegawaian Resmi" in text
    assert "Dihapus (1) Kode Nama RAA.02.01" in text
    assert ("RAA.01.02 Aplikasi Umum Administrasi Pemerintahan (resmi) Aplikasi Umum"
            " Administrasi Pemerintahan") in text
    assert "BAG-HUKUM APL-16 JDIH Kota Probolinggo RAA.02.01" in text
    assert 'href="/ui/e/aplikasi/APL-16"' in preview.text
    # the confirmation sends the staged file's key, not the file again
    done = admin.post("/ui/referensi/impor/simpan", {"kunci": key_of(preview.text)})
    assert done.status_code == 200, text_of(done.text)[:800]
    assert "Disimpan: skema RAA kini daftar resmi." in text_of(done.text)
    assert dump(web.repository) != before
    after_page = text_of(admin.get("/ui/referensi?skema=RAA").text)
    assert "RAA.02.02.01 Aplikasi Khusus Kepegawaian Resmi" in after_page
    assert PROVISIONAL_NOTICE not in after_page
    assert "belum dari sumber resmi: RAI, RAK." in after_page
    assert "RAA (resmi)" in after_page
    # the same key again: the list is loaded, nothing changes
    unchanged = dump(web.repository)
    again = admin.post("/ui/referensi/impor/simpan", {"kunci": key_of(preview.text)})
    assert "Tidak ada perubahan: daftar ini sudah dimuat." in text_of(again.text)
    # checking it again says so too, and offers nothing to confirm
    checked = send(admin, "raa-resmi.csv", OFFICIAL_RAA)
    assert "Tidak ada perubahan: daftar ini sudah dimuat." in text_of(checked.text)
    assert "Uji coba" not in text_of(checked.text) and 'name="kunci"' not in checked.text
    assert dump(web.repository) == unchanged


def test_impor_imports_an_xlsx_list_at_once_in_english(fresh_demo_web: Web) -> None:
    web = fresh_demo_web
    admin = web.session("admin")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [["kode", "nama", "induk"], ["RAI.01", "Infrastruktur Utama", None],
                ["RAI.01.01", "Pusat Data Resmi", "RAI.01"]]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    admin.get("/ui/referensi?lang=en")
    done = send(admin, "rai.xlsx", buffer.getvalue(), action="impor", scheme="RAI")
    assert done.status_code == 200, text_of(done.text)[:800]
    text = text_of(done.text)
    assert "Stored: scheme RAI is now the official list." in text
    assert 'name="kunci"' not in done.text
    tree = text_of(admin.get("/ui/referensi?skema=RAI").text)
    assert "RAI.01.01 Pusat Data Resmi" in tree
    assert "This RAI code list is provisional" not in tree


def test_problems_are_shown_at_the_file_field_and_nothing_is_written(
        fresh_demo_web: Web) -> None:
    web = fresh_demo_web
    admin = web.session("admin")
    before = dump(web.repository)
    bad = b"kode;nama;induk\nRAA.01;Aplikasi Umum;\nRAA.01.01;;RAA.01\nRAA.02.01;X;RAA.02\n"
    response = send(admin, "raa.csv", bad, source="Perpres X")
    assert response.status_code == 422
    html = response.text
    text = text_of(html)
    assert "Daftar resmi belum diimpor." in text
    assert "<title>Kesalahan: Referensi RAA" in html  # a refused form says so in its title
    assert "raa.csv, baris 3, kolom nama nama wajib diisi" in text
    assert "raa.csv, baris 4, kolom induk induk RAA.02 tidak ada dalam berkas" in text
    file_input = control(html, "ref-berkas")
    assert 'aria-invalid="true"' in file_input
    assert 'aria-describedby="ref-err-berkas ref-help-berkas"' in file_input
    assert 'id="ref-err-berkas"' in html
    assert re.search(r'role="alert"[^>]*id="ref-masalah"', html)
    assert '<a href="#ref-berkas">' in html  # the summary leads to the field
    assert 'value="Perpres X"' in control(html, "ref-sumber")  # what was typed stays
    assert 'name="kunci"' not in html
    assert dump(web.repository) == before


def test_a_verified_list_is_refused_at_the_scheme_field(fresh_demo_web: Web) -> None:
    web = fresh_demo_web
    admin = web.session("admin")
    before = dump(web.repository)
    response = send(admin, "rab.csv", b"kode;nama;induk\nRAB.01;X;\n", scheme="RAB")
    assert response.status_code == 422
    assert 'aria-invalid="true"' in control(response.text, "ref-skema")
    assert "RAB adalah daftar resmi yang sudah diverifikasi" in text_of(response.text)
    assert dump(web.repository) == before


@pytest.mark.parametrize("role,status", [(None, 401), ("reader", 403), ("editor", 403)])
def test_others_cannot_import_or_stage(fresh_demo_web: Web, role: str | None,
                                       status: int) -> None:
    web = fresh_demo_web
    before = dump(web.repository)
    staged_before = getattr(web.app.state, "web_reference_staging", None)
    response = send(web.session(role), "raa.csv", OFFICIAL_RAA, action="impor")
    assert response.status_code == status
    assert dump(web.repository) == before
    assert getattr(web.app.state, "web_reference_staging", None) is staged_before


def test_a_staged_list_belongs_to_its_browser_and_its_page(fresh_demo_web: Web) -> None:
    web = fresh_demo_web
    admin = web.session("admin")
    key = key_of(send(admin, "raa.csv", OFFICIAL_RAA).text)
    before = dump(web.repository)
    other = web.session("admin")
    refused = other.post("/ui/referensi/impor/simpan", {"kunci": key})
    assert refused.status_code == 410
    assert "milik sesi lain" in text_of(refused.text)
    # a key of the import page's own staging area is no list staged here
    workbook_key = key_of(admin.client.post(
        "/ui/impor/pratinjau", data={"csrf_token": admin.csrf()},
        files=[("berkas", ("x.ttl", b"<http://e/a> <http://e/b> <http://e/c> .",
                           "text/turtle"))]).text)
    assert admin.post("/ui/referensi/impor/simpan", {"kunci": workbook_key}).status_code == 410
    assert dump(web.repository) == before


def test_a_form_without_its_token_is_refused(fresh_demo_web: Web) -> None:
    web = fresh_demo_web
    admin = web.session("admin")
    before = dump(web.repository)
    response = admin.client.post("/ui/referensi/impor", data={"skema": "RAA", "aksi": "impor"},
                                 files=[("berkas", ("raa.csv", OFFICIAL_RAA, "text/csv"))])
    assert response.status_code == 403
    assert dump(web.repository) == before
