"""The web UI in a real browser: Debian's chromium driven by Playwright (never a downloaded
browser), against `spbe-arch serve` on 127.0.0.1 over an Oxigraph store with the demo.

- the journey of an OPD editor: sign in, import a Bizagi model, derive and open its SOP,
  run validation, fix a finding in the form, validate again, download the Dokumen
  Arsitektur PDF — screenshots in test-artifacts/web/;
- the edit form used with the keyboard alone;
- in both, no request leaves the server (every request is checked, foreign ones aborted).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.web.browser import (
    ARTIFACTS,
    Server,
    Traffic,
    chromium,
    open_page,
    serving,
    sign_in,
)
from tests.web.helpers import OPD_A, SAMPLE_BPMN

from spbe_arch.access import TokenStore
from spbe_arch.datasets import load_demo
from spbe_arch.repository import open_repository

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LONG = 240_000
"""ms: saving a form (SHACL check of the change) and rendering the PDF take a while."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("web-browser")
    store = folder / "store"
    repository = open_repository(f"oxigraph:{store}")
    load_demo(repository)
    repository.close()
    tokens_file = folder / "tokens.json"
    token = TokenStore(tokens_file).create("editor-diskominfo", "editor", [OPD_A])[0]
    with serving(folder, store, tokens_file, token, "--log-level", "info") as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def assert_stayed_home(traffic: Traffic) -> None:
    assert traffic.seen, "the browser made no request at all"
    assert not traffic.foreign, f"requests that would leave the server: {traffic.foreign}"
    assert all(traffic.local(url) for url in traffic.seen), traffic.seen
    assert not traffic.console, f"errors in the browser console: {traffic.console}"


def test_editor_journey(browser: Any, server: Server) -> None:
    from playwright.sync_api import expect

    traffic = Traffic(server.origin)
    page = open_page(browser, server, traffic)
    page.goto(server.origin + "/")
    expect(page.locator("h1")).to_contain_text("Dasbor")
    shot(page, "01-dasbor-anonim")

    # sign in as the editor of DISKOMINFO
    page.get_by_role("link", name="Masuk").click()
    page.fill("#token", server.token)
    page.click("main form.stack button[type=submit]")
    expect(page.locator(".account .who")).to_contain_text("editor-diskominfo · editor (DISKOMINFO)")

    # import a Bizagi model of a DISKOMINFO process: preview first, then save
    page.click("nav.main >> text=Impor")
    page.set_input_files("#berkas", str(SAMPLE_BPMN / "pengaduan-masyarakat.bpmn"))
    page.fill("#proses", "DISKOMINFO-01.02")
    page.click("#pratinjau")
    expect(page.locator("article.card")).to_contain_text("siap disimpan")
    expect(page.locator("article.card")).to_contain_text("Model baru pengaduan-masyarakat")
    shot(page, "02-impor-pratinjau")
    page.click("#simpan-0")
    expect(page.locator(".notice.ok")).to_contain_text("versi 1 diimpor")
    shot(page, "03-impor-tersimpan")

    # derive its SOP and open it: flowchart pages, the BPMN diagram in bpmn-js
    page.click("#turunkan-sop")
    expect(page.locator("h1")).to_contain_text("SOP DISKOMINFO-01.02.SOP.02")
    expect(page.locator(".notice.ok")).to_contain_text("SOP diturunkan dari model BPMN")
    page.wait_for_function("() => { const i = [...document.querySelectorAll('.flowchart img')];"
                           " return i.length > 0 && i.every(x => x.complete"
                           " && x.naturalWidth > 0); }")
    page.wait_for_selector(".bpmn-canvas[data-loaded=true]")
    assert page.locator(".bpmn-canvas .djs-element").count() > 10
    expect(page.locator(".bpmn-canvas")).to_contain_text("Menindaklanjuti pengaduan")
    shot(page, "04-sop")

    # run validation: the process without a RAB code is a finding of DISKOMINFO
    page.click("nav.main >> text=Validasi")
    page.click("#jalankan-validasi")
    expect(page.locator(".notice.ok")).to_contain_text("Validasi selesai")
    page.select_option("#f-opd", "DISKOMINFO")
    page.select_option("#f-tingkat", "Violation")
    page.click("form.filters button[type=submit]")
    finding = page.locator("#tabel-temuan tbody tr", has_text="DISKOMINFO-01.04")
    expect(finding).to_have_count(1)
    expect(finding).to_contain_text("Cara memperbaiki")
    shot(page, "05-validasi")

    # fix it in the form
    finding.get_by_role("link", name="Perbaiki").click()
    expect(page.locator("h1")).to_contain_text("DISKOMINFO-01.04")
    page.fill("#f-klasifikasiRAB", "RAB.05.02.03")
    page.keyboard.press("Tab")  # leave the field: its suggestion list (datalist) closes
    shot(page, "06-form-perbaikan")
    page.click("#simpan")
    expect(page.locator(".notice.ok")).to_contain_text("Perubahan disimpan", timeout=LONG)
    expect(page.locator("main")).to_contain_text("Perlindungan, Pengayoman dan Pelayanan")

    # validate again: the finding is gone
    page.click("nav.main >> text=Validasi")
    page.click("#jalankan-validasi")
    expect(page.locator(".notice.ok")).to_contain_text("Validasi selesai")
    page.select_option("#f-opd", "DISKOMINFO")
    page.select_option("#f-tingkat", "Violation")
    page.click("form.filters button[type=submit]")
    expect(page.locator("#tabel-temuan tbody tr", has_text="DISKOMINFO-01.04")).to_have_count(0)
    expect(page.locator("#tabel-temuan tbody tr")).not_to_have_count(0)  # others remain
    shot(page, "07-validasi-ulang")

    # the Dokumen Arsitektur as PDF
    page.click("nav.main >> text=Laporan")
    with page.expect_download(timeout=LONG) as download_info:
        page.click("#lap-arsitektur-pdf")
    download = download_info.value
    pdf = ARTIFACTS / "dokumen-arsitektur.pdf"
    download.save_as(str(pdf))
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert download.suggested_filename.endswith(".pdf")
    shot(page, "08-laporan")

    page.click("nav.main >> text=Dasbor")
    expect(page.locator("h1")).to_contain_text("Dasbor")
    shot(page, "09-dasbor-editor")
    assert_stayed_home(traffic)
    assert not traffic.failed, traffic.failed
    page.context.close()


def test_edit_form_with_the_keyboard_alone(browser: Any, server: Server) -> None:
    from playwright.sync_api import expect

    traffic = Traffic(server.origin)
    page = open_page(browser, server, traffic)
    sign_in(page, server)
    page.goto(server.origin + "/ui/e/layanan/LYN-06/ubah")
    # from the top of the page: the skip link first, then straight into the content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "isi"
    visited: list[str] = []
    unlabelled: list[str] = []
    for _ in range(120):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => {
            const e = document.activeElement;
            const named = (e.labels && e.labels.length > 0) || e.getAttribute('aria-label')
                || e.closest('label') || e.tagName === 'A' || e.tagName === 'BUTTON';
            return {id: e.id || e.name || e.tagName, tag: e.tagName, named: !!named,
                    inForm: !!e.closest('#form-elemen')};
        }""")
        if not info["inForm"]:
            continue
        visited.append(info["id"])
        if not info["named"]:
            unlabelled.append(info["id"])
        if info["id"] == "f-uraian":
            page.keyboard.press("Control+A")
            page.keyboard.type("Diubah dengan papan ketik saja.")
        if info["id"] == "simpan":
            break
    assert visited and visited[-1] == "simpan", visited
    expected = ["f-nama", "f-uraian", "f-unitPelaksana", "f-klasifikasiRAL", "f-jenisLayanan",
                "f-tujuan", "targetLayanan", "f-metodeLayanan", "f-menggunakanData", "simpan"]
    positions = [visited.index(name) for name in expected]
    assert positions == sorted(positions), visited
    assert not unlabelled, unlabelled
    shot(page, "10-keyboard-form")
    page.keyboard.press("Enter")
    expect(page.locator(".notice.ok")).to_contain_text("Perubahan disimpan", timeout=LONG)
    expect(page.locator("main")).to_contain_text("Diubah dengan papan ketik saja.")
    assert_stayed_home(traffic)
    page.context.close()


def test_sparql_editor_runs_named_queries_and_sorts_results(browser: Any,
                                                            server: Server) -> None:
    from playwright.sync_api import expect

    traffic = Traffic(server.origin)
    page = open_page(browser, server, traffic)
    page.goto(server.origin + "/ui/sparql?kueri=processes-per-opd")
    editor = page.locator(".CodeMirror")
    expect(editor).to_be_visible()
    expect(page.locator(".CodeMirror .cm-keyword").first).to_be_visible()  # highlighted
    page.fill("#param-kode_opd", "DISKOMINFO")
    page.click("#jalankan")
    table = page.locator("#hasil table.sortable")
    expect(table).to_be_visible()
    codes = table.locator("tbody tr td:nth-child(4)")
    assert codes.count() > 3
    header = table.locator("thead th").nth(3)
    header.locator("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    header.locator("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    shown = codes.all_inner_texts()
    assert shown == sorted(shown, reverse=True)
    assert all(code.startswith("DISKOMINFO") for code in shown)
    shot(page, "11-sparql")
    with page.expect_download() as download_info:
        page.click("button[value=csv]")
    assert download_info.value.suggested_filename == "processes-per-opd.csv"
    assert_stayed_home(traffic)
    page.context.close()


def test_a_refused_sparql_run_says_why_instead_of_doing_nothing(browser: Any,
                                                                server: Server) -> None:
    """htmx swaps nothing for an error answer: the page itself shows the server's message
    (here: the form token is gone, as after the cookie expired)."""
    from playwright.sync_api import expect

    traffic = Traffic(server.origin)
    page = open_page(browser, server, traffic)
    page.goto(server.origin + "/ui/sparql?kueri=processes-per-opd")
    expect(page.locator(".CodeMirror")).to_be_visible()
    page.context.clear_cookies()
    page.click("#jalankan")
    notice = page.locator("#hasil .notice.bad")
    expect(notice).to_be_visible(timeout=LONG)
    assert "403" not in notice.inner_text() and notice.inner_text().strip()
    # the refusal itself is logged by the browser; nothing else may be
    assert all("403" in line for line in traffic.console), traffic.console
    traffic.console.clear()
    assert_stayed_home(traffic)
    page.context.close()


def test_api_docs_page_works_without_internet(browser: Any, server: Server) -> None:
    """`/docs`: Swagger UI from the package renders the schema, takes a token in its
    "Authorize" dialog and runs a request with it ("Try it out")."""
    from playwright.sync_api import expect

    traffic = Traffic(server.origin)
    page = open_page(browser, server, traffic)
    page.goto(server.origin + "/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("spbe-arch")
    assert page.locator(".opblock").count() >= 25  # every operation of the schema
    page.click("button.authorize")
    page.fill(".auth-container input", server.token)
    page.click(".auth-container .modal-btn.authorize")
    page.click(".auth-btn-wrapper .btn-done")
    operation = page.locator(".opblock-get").filter(
        has=page.locator('.opblock-summary-path[data-path="/queries"]'))
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    with page.expect_response(lambda r: r.url.endswith("/queries")) as answer:
        operation.locator("button.execute").click()
    response = answer.value
    assert response.status == 200
    assert response.request.headers["authorization"] == f"Bearer {server.token}"
    expect(operation.locator(".responses-wrapper .live-responses-table")).to_contain_text(
        "processes-per-opd")
    shot(page, "12-api-docs")
    assert_stayed_home(traffic)
    page.context.close()


def test_a_model_without_a_diagram_says_so_in_the_page_language(
        browser: Any, server: Server, tmp_path: Path) -> None:
    """A .bpmn file without diagram interchange (BPMN DI) is imported (its content is what
    SOPs come from), but bpmn-js has nothing to draw: the page says that in Indonesian
    instead of showing bpmn-js's English 'no diagram to display'."""
    from playwright.sync_api import expect

    model = tmp_path / "tanpa-gambar.bpmn"
    model.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"'
        ' targetNamespace="urn:uji">\n  <process id="p" name="Tanpa gambar">\n'
        '    <startEvent id="s"/>\n    <task id="t" name="Periksa berkas"/>\n'
        '    <endEvent id="e"/>\n    <sequenceFlow id="f1" sourceRef="s" targetRef="t"/>\n'
        '    <sequenceFlow id="f2" sourceRef="t" targetRef="e"/>\n  </process>\n'
        '</definitions>\n', encoding="utf-8")
    traffic = Traffic(server.origin)
    page = open_page(browser, server, traffic)
    sign_in(page, server)
    page.goto(server.origin + "/ui/impor")
    page.set_input_files("#berkas", str(model))
    page.fill("#proses", "DISKOMINFO-01.03")
    page.click("#pratinjau")
    page.click("#simpan-0")
    expect(page.locator(".notice.ok")).to_contain_text("versi 1 diimpor")
    page.goto(server.origin + "/ui/bpmn/tanpa-gambar")
    page.wait_for_selector(".bpmn-canvas[data-loaded]")
    status = page.locator("#bpmn-status")
    expect(status).to_contain_text("tidak memuat gambar diagramnya (BPMN DI)")
    assert "no diagram to display" not in (status.text_content() or "")
    assert not traffic.foreign
    page.context.close()
