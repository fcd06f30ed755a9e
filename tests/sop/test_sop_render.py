"""SOP documents: the flowchart SVG (one symbol per step, in its pelaksana's column, arrows,
Ya/Tidak, off-page connectors across pages), the PDF (rendered to PNG: not blank, symbols
visible), HTML (self-contained) and DOCX (identity table and flowchart pictures)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from lxml import etree
from PIL import Image
from rdflib import URIRef

from spbe_arch.repository import Repository
from spbe_arch.sop.document import Langkah, Pelaksana, SopDocument, load_sop
from spbe_arch.sop.drawing import to_png, to_svg
from spbe_arch.sop.layout import layout_flowchart
from spbe_arch.sop.render import render_docx, render_html, render_sop
from spbe_arch.sop.service import DeriveResult

from .conftest import KODE

SVG = "{http://www.w3.org/2000/svg}"
Derived = tuple[Repository, dict[str, DeriveResult]]


def symbol_columns(svg: str) -> tuple[dict[int, tuple[str, float, int]], dict[int, tuple[float,
                                                                                         float]]]:
    """step -> (symbol kind, centre x, column) and column -> (x from, x to), from the SVG."""
    root = etree.fromstring(svg.encode("utf-8"))
    columns = {}
    for rect in root.iter(f"{SVG}rect"):
        if rect.get("class") == "kolom-pelaksana":
            x, w = float(rect.get("x")), float(rect.get("width"))  # type: ignore[arg-type]
            columns[int(rect.get("data-kolom"))] = (x, x + w)  # type: ignore[arg-type]
    symbols = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "simbol":
            continue
        shape = group[0]
        if shape.tag == f"{SVG}rect":
            centre = float(shape.get("x")) + float(shape.get("width")) / 2  # type: ignore[arg-type]
        else:
            xs = [float(p.split(",")[0]) for p in shape.get("points").split()]  # type: ignore[union-attr]
            centre = (min(xs) + max(xs)) / 2
        number = int(group.get("data-langkah"))  # type: ignore[arg-type]
        assert number not in symbols, f"step {number} drawn twice"
        symbols[number] = (group.get("data-simbol"), centre, int(group.get("data-kolom")))  # type: ignore[arg-type]
    return symbols, columns


def expected_shape(kind: str) -> str:
    return {"Terminator": "rect", "Kegiatan": "rect", "Keputusan": "polygon",
            "PenghubungHalaman": "polygon"}[kind]


@pytest.mark.parametrize("proses", ["DISPENDUKCAPIL-02.01", "DISKOMINFO-01.01",
                                    "DISKOMINFO-01.02"])
def test_svg_has_one_symbol_per_step_in_its_column(proses: str, derived: Derived) -> None:
    repository, results = derived
    document = load_sop(repository, results[proses].kode, KODE)
    layout = layout_flowchart(document)
    seen: dict[int, tuple[str, float, int]] = {}
    for page in layout.pages:
        svg = to_svg(page)
        symbols, columns = symbol_columns(svg)
        assert len(columns) == len(document.pelaksana)
        for number, (kind, centre, column) in symbols.items():
            assert number not in seen, f"step {number} on two pages"
            seen[number] = (kind, centre, column)
            low, high = columns[column]
            assert low < centre < high
        root = etree.fromstring(svg.encode("utf-8"))
        for group in root.iter(f"{SVG}g"):
            if group.get("class") == "simbol":
                kind = group.get("data-simbol") or ""
                assert group[0].tag == f"{SVG}{expected_shape(kind)}"
                if kind == "Terminator":
                    assert float(group[0].get("rx")) > 0  # type: ignore[arg-type]
    assert sorted(seen) == [s.urutan for s in document.langkah]
    for step in document.langkah:
        kind, _, column = seen[step.urutan]
        assert kind == step.simbol
        assert document.pelaksana[column].iri == step.pelaksana
    text = "".join(to_svg(p) for p in layout.pages)
    decisions = sum(1 for s in document.langkah if s.simbol == "Keputusan")
    assert text.count(">Ya</text>") == decisions and text.count(">Tidak</text>") == decisions
    arrows = text.count('class="panah"')
    links = sum(len([t for t in (s.next, s.ya, s.tidak) if t]) for s in document.langkah)
    connectors = text.count('data-arah="keluar"')
    assert arrows == links + connectors  # every link drawn; a page break adds a second half


def long_sop(steps: int = 40) -> SopDocument:
    actors = [Pelaksana(URIRef(f"urn:p{i}"), f"Pelaksana {i}", i) for i in range(1, 4)]
    rows = []
    for n in range(1, steps + 1):
        kind = "Terminator" if n in (1, steps) else ("Keputusan" if n % 9 == 0 else "Kegiatan")
        rows.append(Langkah(URIRef(f"urn:s{n}"), n, f"Kegiatan nomor {n} " * (1 + n % 3), kind,
                            actors[n % 3].iri, waktu="5 menit",
                            next=None if kind == "Keputusan" or n == steps else n + 1,
                            ya=n + 1 if kind == "Keputusan" else None,
                            tidak=2 if kind == "Keputusan" else None))
    return SopDocument(URIRef("urn:sop"), URIRef("urn:g"), "X.SOP.01", "SOP Panjang", "Draft",
                       "Pemerintah Kota Contoh", "Dinas Contoh", pelaksana=actors,
                       langkah=rows)


def test_long_sop_breaks_across_pages_with_connectors() -> None:
    document = long_sop()
    layout = layout_flowchart(document)
    assert len(layout.pages) >= 3
    placed = {p.step.urutan: p for p in layout.steps}
    for number, p in placed.items():
        assert p.y + p.h <= layout.height + 1e-6, f"step {number} runs off the page"
    outgoing: list[int] = []
    incoming: list[int] = []
    for page in layout.pages:
        root = etree.fromstring(to_svg(page).encode("utf-8"))
        for group in root.iter(f"{SVG}g"):
            if group.get("class") == "penghubung-halaman":
                target = int(group.get("data-ke"))  # type: ignore[arg-type]
                (outgoing if group.get("data-arah") == "keluar" else incoming).append(target)
                assert group[0].tag == f"{SVG}polygon" and len(group[0].get("points").split()) == 5  # type: ignore[union-attr]
                assert group[1].text == str(target)
    crossing = [(s.urutan, t) for s in document.langkah for t in (s.next, s.ya, s.tidak)
                if t and placed[t].page != placed[s.urutan].page]
    assert crossing
    assert sorted(outgoing) == sorted(incoming) == sorted(t for _, t in crossing)
    assert "halaman 1 dari" in to_svg(layout.pages[0])


def test_a_row_taller_than_a_page_continues_on_the_next_pages() -> None:
    """A keterangan of pages of text: before, its row ran off the bottom of the page and the
    rest of the text was cut away; now every line is drawn inside a page, on rows marked
    "(lanjutan langkah N)", and the step keeps one symbol and its arrows."""
    document = long_sop(6)
    words = [f"kata{i:04d}" for i in range(1500)]
    document.langkah[2].keterangan = " ".join(words)
    layout = layout_flowchart(document)
    drawn: list[str] = []
    symbols: list[int] = []
    for page in layout.pages:
        root = etree.fromstring(to_svg(page).encode("utf-8"))
        for text in root.iter(f"{SVG}text"):
            assert float(text.get("y")) <= layout.height, f"{text.text!r} below the page"  # type: ignore[arg-type]
            drawn += (text.text or "").split()
        symbols += [int(g.get("data-langkah")) for g in root.iter(f"{SVG}g")  # type: ignore[arg-type]
                    if g.get("class") == "simbol"]
    assert [w for w in drawn if w.startswith("kata")] == words
    assert "(lanjutan" in drawn and "3)" in drawn
    assert sorted(symbols) == [1, 2, 3, 4, 5, 6]
    assert [p.step.urutan for p in layout.steps] == [1, 2, 3, 4, 5, 6]


def test_png_is_painted() -> None:
    document = long_sop(8)
    png = to_png(layout_flowchart(document).pages[0], dpi=60)
    image = Image.open(io.BytesIO(png))
    assert dark_pixels(image) > 0.01 * image.width * image.height


def test_html_is_self_contained(derived: Derived) -> None:
    repository, results = derived
    document = load_sop(repository, results["DISKOMINFO-01.02"].kode, KODE)
    html = render_html(document)
    assert "<svg" in html and "PEMERINTAH KOTA PROBOLINGGO" in html.upper()
    assert "Dinas Komunikasi dan Informatika" in html
    for attribute in re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', html):
        assert not attribute.startswith(("http:", "https:", "//")), attribute
    assert "<script" not in html and "@import" not in html and "url(" not in html
    for label in ("Nomor SOP", "Tanggal Pembuatan", "Tanggal Revisi", "Tanggal Efektif",
                  "Disahkan oleh", "Nama SOP", "Dasar Hukum", "Kualifikasi Pelaksana",
                  "Keterkaitan", "Peralatan/Perlengkapan", "Peringatan",
                  "Pencatatan dan Pendataan"):
        assert label in html
    assert "size: A4 landscape" in html


def test_docx_has_identity_table_and_flowchart_pictures(derived: Derived) -> None:
    repository, results = derived
    document = load_sop(repository, results["DISKOMINFO-01.02"].kode, KODE)
    pages = len(layout_flowchart(document).pages)
    word = Document(io.BytesIO(render_docx(document, dpi=60)))
    section = word.sections[0]
    assert section.page_width > section.page_height  # landscape
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert "Nomor SOP" in cells and "Dasar Hukum" in cells and "Nama SOP" in cells
    assert any("PENGELOLAAN PENGADUAN MASYARAKAT" in c for c in cells)
    assert len(word.inline_shapes) == pages


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils (pdftoppm)")
def test_pdf_pages_show_the_symbols(derived: Derived, tmp_path: Path) -> None:
    repository, results = derived
    kode = results["DISKOMINFO-01.02"].kode
    rendered = render_sop(repository, kode, "pdf", kode_wilayah=KODE)
    assert rendered.media_type == "application/pdf" and rendered.content.startswith(b"%PDF")
    pdf = tmp_path / "sop.pdf"
    pdf.write_bytes(rendered.content)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "hal")],
                   check=True, timeout=120)
    pngs = sorted(tmp_path.glob("hal-*.png"))
    document = load_sop(repository, kode, KODE)
    layout = layout_flowchart(document)
    assert len(pngs) == 1 + len(layout.pages)  # identity sheet + flowchart pages
    flow = Image.open(pngs[1]).convert("L")
    assert dark_pixels(flow) > 0.005 * flow.width * flow.height, "flowchart page is blank"
    # the first step's terminator is drawn where the layout put it: the page has 10 mm
    # margins and the flowchart is scaled to the 277 mm content width
    first = layout.steps[0].box
    factor = 277 / layout.width

    def px(x_mm: float, y_mm: float) -> tuple[int, int]:
        return (round((10 + x_mm * factor) * flow.width / 297),
                round((10 + y_mm * factor) * flow.height / 210))

    left, top = px(first.cx - first.w / 2, first.cy - first.h / 2)
    right, bottom = px(first.cx + first.w / 2, first.cy + first.h / 2)
    outline = flow.crop((left - 2, top - 2, right + 3, bottom + 3))
    assert dark_pixels(outline, 160) > 10, "no symbol where step 1 should be"
    inside = flow.crop((left + 4, top + 3, right - 4, bottom - 3))
    assert dark_pixels(inside, 160) < 0.2 * inside.width * inside.height  # a hollow capsule


def dark_pixels(image: Image.Image, below: int = 128) -> int:
    return sum(image.convert("L").histogram()[:below])


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
def test_a_long_unbroken_word_stays_inside_the_identity_sheet(tmp_path: Path) -> None:
    """A URL or a name without spaces in a field: before, the table grew to fit it, the
    other column shrank to nothing, and headings and text ran off the right of the page."""
    from spbe_arch.sop.render import render_pdf

    document = long_sop(4)
    document.peringatan = ["https://jdih.probolinggokota.go.id/" + "x" * 600]
    document.pencatatan = ["Register permohonan"]
    pdf = tmp_path / "sop.pdf"
    pdf.write_bytes(render_pdf(document))
    subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf),
                    str(tmp_path / "hal.html")], check=True, timeout=120)
    root = etree.parse(str(tmp_path / "hal.html"), etree.HTMLParser())
    page = root.find(".//page")
    assert page is not None
    width = float(page.get("width"))  # type: ignore[arg-type]
    words = [(w.text or "", float(w.get("xmax"))) for w in root.iter("word")]  # type: ignore[arg-type]
    assert all(xmax <= width - 20 for _, xmax in words), max(words, key=lambda w: w[1])
    text = " ".join(t for t, _ in words)
    assert "Pencatatan dan Pendataan" in text and "Register permohonan" in text


def test_the_pdf_fetches_nothing_outside_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint's default fetcher loads any URL a document names: the SOP PDF was made
    with it (the reports already refused all but data: URLs)."""
    import http.server
    import threading

    from spbe_arch.sop import render

    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/jejak.png"
    real = render.render_html
    monkeypatch.setattr(render, "render_html", lambda document, layout=None: real(
        document, layout).replace("</body>", f'<img src="{url}"></body>'))
    try:
        pdf = render.render_pdf(long_sop())
    finally:
        server.shutdown()
    assert pdf.startswith(b"%PDF")
    assert hits == []
