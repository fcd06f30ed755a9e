"""Impor: previews show changes and problems per file/row before anything is written; saving
imports with the API's functions and roles."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from tests.web.helpers import SAMPLE_BPMN, Web, text_of

from spbe_arch.importers.bpmn.service import list_models
from spbe_arch.model import get_entity

BPMN = SAMPLE_BPMN / "penerbitan-akta-kelahiran.bpmn"


def upload(session, files: list[tuple[str, bytes]], **fields: str):  # type: ignore[no-untyped-def]
    return session.client.post(
        "/ui/impor/pratinjau", data={"csrf_token": session.csrf(), **fields},
        files=[("berkas", (name, data, "application/octet-stream")) for name, data in files])


def key_of(html: str) -> str:
    match = re.search(r'name="kunci" value="([^"]+)"', html)
    assert match, text_of(html)[:800]
    return match.group(1)


def test_bpmn_preview_writes_nothing_then_save_and_derive(fresh_demo_web: Web) -> None:
    web = fresh_demo_web
    session = web.session("editor_b")  # DISPENDUKCAPIL owns DISPENDUKCAPIL-02.01
    quads_before = len(list(web.repository.quads()))
    preview = upload(session, [(BPMN.name, BPMN.read_bytes())], proses="DISPENDUKCAPIL-02.01")
    assert preview.status_code == 200
    text = text_of(preview.text)
    assert "Model baru penerbitan-akta-kelahiran" in text and "siap disimpan" in text
    assert len(list(web.repository.quads())) == quads_before  # a preview writes nothing
    saved = session.post("/ui/impor/simpan", {"kunci": key_of(preview.text), "indeks": "0",
                                             "proses": "DISPENDUKCAPIL-02.01"})
    assert saved.status_code == 200
    assert "versi 1 diimpor" in text_of(saved.text)
    assert [m.proses_kode for m in list_models(web.repository)] == ["DISPENDUKCAPIL-02.01"]
    assert 'id="turunkan-sop"' in saved.text
    derived = session.post("/ui/proses/turunkan", {"proses": "DISPENDUKCAPIL-02.01",
                                                   "model": "penerbitan-akta-kelahiran"},
                           follow_redirects=False)
    assert derived.status_code == 303
    sop_page = session.get(derived.headers["location"])
    assert sop_page.status_code == 200
    assert "SOP diturunkan dari model BPMN." in text_of(sop_page.text)
    assert 'data-bpmn-url="/ui/bpmn/penerbitan-akta-kelahiran/xml"' in sop_page.text
    assert session.get("/ui/bpmn/penerbitan-akta-kelahiran/xml").text.startswith("<?xml")
    # the same file again: nothing to do
    again = upload(session, [(BPMN.name, BPMN.read_bytes())], proses="DISPENDUKCAPIL-02.01")
    assert "sudah tersimpan dengan isi yang sama" in text_of(again.text)
    assert 'name="kunci"' not in again.text


def test_problems_are_listed_per_file_and_nothing_is_written(fresh_demo_web: Web) -> None:
    web = fresh_demo_web
    session = web.session("editor")
    quads_before = len(list(web.repository.quads()))
    broken = b"<?xml version='1.0'?>\n<definitions>\n  <process id='p'>\n</definitions>\n"
    response = upload(session, [("rusak.bpmn", broken), ("catatan.txt", b"halo"),
                                ("model.bpmn", BPMN.read_bytes()),
                                ("data.ttl", b"<a> <b> <c> .")],
                      proses="DISPENDUKCAPIL-02.01")
    text = text_of(response.text)
    assert text.count("tidak dapat diimpor") == 4
    assert "rusak.bpmn" in text and "baris" in text  # the line of the XML error
    assert "jenis berkas tidak dikenal" in text
    assert "tidak berwenang atas OPD DISPENDUKCAPIL" in text  # editor of another OPD
    assert "hanya untuk peran admin" in text  # RDF straight into the graph: admin only
    assert 'name="kunci"' not in response.text
    assert len(list(web.repository.quads())) == quads_before


@pytest.mark.slow
def test_excel_rows_with_problems_are_named_before_anything_is_written(
        fresh_demo_web: Web) -> None:
    web = fresh_demo_web
    session = web.session("editor")
    workbook_bytes = session.get("/ui/impor/templat").content
    exported = web.session("admin").client.get("/excel/export?opd=DISKOMINFO").content
    assert workbook_bytes[:2] == b"PK"
    book = load_workbook(io.BytesIO(exported))
    sheet = next(s for s in book.worksheets if s.title.lower().startswith("layanan"))
    header_row = next(r for r in range(1, 10)
                      if any(str(c.value or "").strip().lower().startswith("nama")
                             for c in sheet[r]))
    name_col = next(c.column for c in sheet[header_row]
                    if str(c.value or "").strip().lower().startswith("nama"))
    first_data = header_row + 1
    while sheet.cell(first_data, 1).value in (None, ""):
        first_data += 1
    sheet.cell(first_data, name_col).value = "Nama layanan baru dari Excel"
    code_cell = sheet.cell(first_data, 1).value
    sheet.cell(first_data + 1, name_col).value = ""  # a required value emptied
    buffer = io.BytesIO()
    book.save(buffer)
    before = get_entity(web.repository, "layanan", str(code_cell), instansi="3574")
    response = upload(session, [("layanan.xlsx", buffer.getvalue())])
    text = text_of(response.text)
    assert "tidak dapat diimpor" in text
    assert f"baris {first_data + 1}" in text
    assert get_entity(web.repository, "layanan", str(code_cell), instansi="3574") == before
    # the same change without the emptied cell previews one changed row, then saves
    sheet.cell(first_data + 1, name_col).value = "Nama pulih"
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(session, [("layanan.xlsx", buffer.getvalue())])
    assert "siap disimpan" in text_of(response.text)
    assert get_entity(web.repository, "layanan", str(code_cell), instansi="3574") == before
    saved = session.post("/ui/impor/simpan", {"kunci": key_of(response.text), "indeks": "0"})
    assert saved.status_code == 200
    after = get_entity(web.repository, "layanan", str(code_cell), instansi="3574")
    assert after is not None and after["nama"] == "Nama layanan baru dari Excel"


def test_excel_rows_left_out_are_deleted_only_when_asked(fresh_demo_web: Web) -> None:
    web = fresh_demo_web
    session = web.session("editor")  # editor of DISKOMINFO
    exported = web.session("admin").client.get("/excel/export?opd=DISKOMINFO").content
    book = load_workbook(io.BytesIO(exported))
    sheet = book["Keamanan"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "KAM-06")
    sheet.delete_rows(row)
    buffer = io.BytesIO()
    book.save(buffer)
    plain = upload(session, [("kominfo.xlsx", buffer.getvalue())])
    assert "KAM-06" not in text_of(plain.text)  # nothing to delete without the option
    refused = upload(session, [("kominfo.xlsx", buffer.getvalue())], hapus_opd="DISPENDUKCAPIL")
    assert "tidak berwenang menghapus data OPD &#39;DISPENDUKCAPIL&#39;" in text_of(refused.text)
    response = upload(session, [("kominfo.xlsx", buffer.getvalue())], hapus_opd="DISKOMINFO")
    text = text_of(response.text)
    assert "hapus Keamanan SPBE KAM-06" in text and "1 dihapus" in text
    assert get_entity(web.repository, "keamanan", "KAM-06", instansi="3574") is not None
    saved = session.post("/ui/impor/simpan", {"kunci": key_of(response.text), "indeks": "0"})
    assert saved.status_code == 200
    assert get_entity(web.repository, "keamanan", "KAM-06", instansi="3574") is None


@pytest.mark.slow
def test_rdf_import_is_previewed_with_its_rule_violations_for_admins(
        fresh_demo_web: Web) -> None:
    web = fresh_demo_web
    admin = web.session("admin")
    turtle = (b"@prefix spbe: <https://w3id.org/spbe-arch/ontology#> .\n"
              b"<https://w3id.org/spbe-arch/id/3574/aplikasi/APL-RDF> a spbe:Aplikasi ;\n"
              b"  spbe:kode \"APL-RDF\" .\n")
    response = upload(admin, [("aplikasi.ttl", turtle)])
    text = text_of(response.text)
    assert "2 tripel baru" in text
    assert "Aplikasi 1" in text
    assert "tidak dapat diimpor" in text  # no nama, no owner: violations of the rules
    assert get_entity(web.repository, "aplikasi", "APL-RDF", instansi="3574") is None
    syntax = upload(admin, [("rusak.ttl", b"<a> <b> .\n")])
    assert "tidak dapat diimpor" in text_of(syntax.text)
    # a complete element as JSON-LD passes the rules and is merged into the instansi graph
    base = "https://w3id.org/spbe-arch/id/3574"
    document = json.dumps({
        "@context": {"spbe": "https://w3id.org/spbe-arch/ontology#"},
        "@id": f"{base}/aplikasi/APL-JSONLD", "@type": "spbe:Aplikasi",
        "spbe:kode": "APL-JSONLD", "spbe:nama": "Aplikasi dari JSON-LD",
        "spbe:instansi": {"@id": base}, "spbe:pemilik": {"@id": f"{base}/opd/DISKOMINFO"},
        "spbe:mendukungLayanan": {"@id": f"{base}/layanan/LYN-04"}}).encode()
    preview = upload(admin, [("aplikasi.jsonld", document)])
    assert "siap disimpan" in text_of(preview.text), text_of(preview.text)[:2000]
    assert get_entity(web.repository, "aplikasi", "APL-JSONLD", instansi="3574") is None
    saved = admin.post("/ui/impor/simpan", {"kunci": key_of(preview.text), "indeks": "0"})
    assert "6 tripel ditambahkan ke graf instansi" in text_of(saved.text)
    created = get_entity(web.repository, "aplikasi", "APL-JSONLD", instansi="3574")
    assert created is not None and created["pemilik"] == "DISKOMINFO"


def test_a_staged_upload_belongs_to_its_browser(fresh_demo_web: Web) -> None:
    web = fresh_demo_web
    owner = web.session("editor_b")
    preview = upload(owner, [(BPMN.name, BPMN.read_bytes())], proses="DISPENDUKCAPIL-02.01")
    key = key_of(preview.text)
    other = web.session("admin")
    stolen = other.post("/ui/impor/simpan", {"kunci": key, "indeks": "0"})
    assert stolen.status_code == 410
    assert list_models(web.repository) == []
    assert other.post("/ui/impor/simpan", {"kunci": "tidak-ada", "indeks": "0"}).status_code \
        == 410


def test_excel_preview_names_kinds_and_fields_by_their_labels(fresh_demo_web: Web) -> None:
    """The table of changes speaks the user's language: 'Layanan' and 'Nama', not the
    internal 'layanan' and 'nama' (nor 'service' and 'nama' in English)."""
    web = fresh_demo_web
    session = web.session("editor")
    exported = web.session("admin").client.get("/excel/export?opd=DISKOMINFO").content
    book = load_workbook(io.BytesIO(exported))
    sheet = book["Layanan"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "LYN-04")
    sheet.cell(row, 2).value = "Nama baru"
    sheet.cell(row, 7).value = "Tujuan baru yang cukup panjang"
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(session, [("kominfo.xlsx", buffer.getvalue())])
    assert re.search(r"<td>ubah</td><td>Layanan</td><td>LYN-04</td><td>nama, tujuan</td>",
                     response.text), text_of(response.text)[:1500]
    session.get("/ui?lang=en")
    english = upload(session, [("kominfo.xlsx", buffer.getvalue())])
    assert re.search(r"<td>change</td><td>Service</td><td>LYN-04</td><td>name, purpose</td>",
                     english.text), text_of(english.text)[:1500]


def test_a_bpmn_file_whose_name_gives_no_model_name_is_asked_to_be_renamed(
        fresh_demo_web: Web) -> None:
    """The page has no '--model' option: the problem tells the user to rename the file."""
    session = fresh_demo_web.session("editor")
    response = upload(session, [("漢字.bpmn", BPMN.read_bytes())], proses="DISKOMINFO-01.02")
    text = text_of(response.text)
    assert "tidak dapat diimpor" in text
    assert "namai ulang berkasnya dengan huruf latin atau angka" in text
    assert "--model" not in text
    assert 'name="kunci"' not in response.text


def test_readers_and_anonymous_visitors_cannot_stage_uploads(demo_web: Web) -> None:
    """Nothing a reader uploads could ever be saved, so nothing is kept on the server's disk
    for them either: the upload is refused before it is staged."""
    staging = getattr(demo_web.app.state, "web_staging", None)
    staged_before = len(list(staging.root.iterdir())) if staging is not None else 0
    for role, status in (("reader", 403), (None, 401)):
        session = demo_web.session(role)
        page = session.get("/ui/impor").text
        assert 'id="form-unggah"' not in page
        assert "Masuk sebagai editor OPD atau admin untuk mengimpor berkas." in page
        response = upload(session, [("model.bpmn", BPMN.read_bytes())])
        assert response.status_code == status, role
        assert 'name="kunci"' not in response.text
        saved = session.post("/ui/impor/simpan", {"kunci": "x", "indeks": "0"})
        assert saved.status_code == status
    staging = getattr(demo_web.app.state, "web_staging", None)
    assert (len(list(staging.root.iterdir())) if staging is not None else 0) == staged_before
    assert 'id="form-unggah"' in demo_web.session("editor").get("/ui/impor").text


def test_a_new_version_of_a_model_keeps_its_process_without_retyping_it(
        fresh_demo_web: Web) -> None:
    """The form says a model without a code keeps the process of its previous version: the
    editor of that process's OPD may then upload the new version without the code, and
    another OPD's editor still may not."""
    from spbe_arch.importers.bpmn.service import import_bpmn_file

    web = fresh_demo_web
    import_bpmn_file(web.repository, BPMN, kode_wilayah="3574", proses="DISPENDUKCAPIL-02.01",
                     agent="uji")
    version_2 = BPMN.read_bytes().replace(b"</definitions>", b"<!-- versi 2 --></definitions>")
    assert version_2 != BPMN.read_bytes()
    owner = web.session("editor_b")  # DISPENDUKCAPIL
    preview = upload(owner, [(BPMN.name, version_2)])
    text = text_of(preview.text)
    assert "siap disimpan" in text and "akan menjadi versi 2" in text, text[:1500]
    assert "Merinci proses bisnis: DISPENDUKCAPIL-02.01" in text
    saved = owner.post("/ui/impor/simpan", {"kunci": key_of(preview.text), "indeks": "0"})
    assert saved.status_code == 200 and "versi 2 diimpor" in text_of(saved.text)
    model = next(m for m in list_models(web.repository) if m.name and m.version == 2)
    assert model.proses_kode == "DISPENDUKCAPIL-02.01"
    other = upload(web.session("editor"), [(BPMN.name, version_2 + b" ")])
    assert "tidak berwenang atas OPD DISPENDUKCAPIL" in text_of(other.text)
    # a new model without a process: the editor is told to fill the code in
    new = upload(owner, [("model-baru.bpmn", BPMN.read_bytes())])
    assert "isi «Kode proses bisnis yang dirinci model BPMN»" in text_of(new.text)
    assert 'name="kunci"' not in new.text


def test_the_version_list_of_a_model_shows_the_agents_whole_name(fresh_demo_web: Web) -> None:
    # the page cut the name at its last "/" (as if it were an IRI): "Kepala Bidang/TI" was "TI"
    from spbe_arch.importers.bpmn.service import import_bpmn

    web = fresh_demo_web
    import_bpmn(web.repository, BPMN.read_bytes(), file_name=BPMN.name, kode_wilayah="3574",
                proses="DISPENDUKCAPIL-02.01", agent="Kepala Bidang/TI")
    page = web.session("reader").get("/ui/bpmn/penerbitan-akta-kelahiran")
    assert page.status_code == 200
    assert "Kepala Bidang/TI" in text_of(page.text)


def test_the_staging_folder_goes_with_its_app() -> None:
    # each app (each test, each `serve`) left a /tmp/spbe-web-impor-* folder behind for good
    import gc

    from spbe_arch.web.pages.imports import Staging

    area = Staging()
    key = area.put("editor", [("akta.bpmn", b"<definitions/>")], {})
    root = area.root
    assert (root / key / "0.bin").is_file()
    del area
    gc.collect()
    assert not root.exists()


def test_the_staging_folder_of_a_killed_server_goes_with_the_next_one(tmp_path: Path,
                                                                      monkeypatch) -> None:
    """A server killed outright (kill -9) runs no finalizer: its uploads stayed in /tmp."""
    import subprocess
    import sys
    import tempfile

    from spbe_arch.web.pages.imports import Staging

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    orphan = tmp_path / f"spbe-web-impor-{gone}-abc123"
    (orphan / "kunci").mkdir(parents=True)
    (orphan / "kunci" / "0.bin").write_bytes(b"data OPD")
    alive = tmp_path / f"spbe-web-impor-{os.getppid()}-def456"  # a live server's
    alive.mkdir()
    other = tmp_path / "spbe-web-impor-lain"  # not named after a process
    other.mkdir()
    area = Staging()
    assert not orphan.exists()
    assert alive.is_dir() and other.is_dir()
    assert area.root.parent == tmp_path and area.root.name.startswith(
        f"spbe-web-impor-{os.getpid()}-")


def test_an_editor_cannot_take_another_opds_model_by_its_file_name(fresh_demo_web: Web
                                                                    ) -> None:
    """The file's name picks the model: DISKOMINFO's editor uploading a file named like
    DISPENDUKCAPIL's model, for a DISKOMINFO process, replaced that model and took it."""
    web = fresh_demo_web
    owner = web.session("editor_b")
    preview = upload(owner, [(BPMN.name, BPMN.read_bytes())], proses="DISPENDUKCAPIL-02.01")
    saved = owner.post("/ui/impor/simpan", {"kunci": key_of(preview.text), "indeks": "0",
                                           "proses": "DISPENDUKCAPIL-02.01"})
    assert "versi 1 diimpor" in text_of(saved.text)
    before = web.repository.export(None, "nquads")
    other = web.session("editor")
    taken = upload(other, [(BPMN.name, BPMN.read_bytes() + b"\n")], proses="DISKOMINFO-01.02")
    assert "tidak berwenang" in text_of(taken.text)
    assert 'name="kunci"' not in taken.text  # nothing staged to save
    assert web.repository.export(None, "nquads") == before
    assert [m.proses_kode for m in list_models(web.repository)] == ["DISPENDUKCAPIL-02.01"]


def test_an_upload_past_the_forms_limit_is_refused_before_it_is_parsed(
        demo_web: Web, monkeypatch) -> None:
    """Starlette spools a form's files to disk whatever their size; the web's forms are
    read under FORM_FILES uploads' worth first."""
    from starlette.requests import Request

    from spbe_arch.api.bodies import FORM_OVERHEAD_BYTES
    from spbe_arch.web.context import FORM_FILES

    session = demo_web.session("editor")  # signed in (a form) before the spy
    parsed: list[str] = []
    real_form = Request._get_form

    async def spy(self: Request, **kwargs):  # type: ignore[no-untyped-def]
        parsed.append(self.url.path)
        return await real_form(self, **kwargs)

    monkeypatch.setattr(Request, "_get_form", spy)
    monkeypatch.setattr(demo_web.app.state.settings, "max_upload_bytes", 1000)
    huge = b"x" * (FORM_FILES * 1000 + FORM_OVERHEAD_BYTES + 1)
    response = upload(session, [("akta.bpmn", huge)])
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "melebihi batas" in text_of(response.text)
    assert parsed == []
