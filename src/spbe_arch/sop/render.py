"""SOP documents: the identity sheet and the flowchart pages, as HTML, PDF and DOCX.

- HTML: one self-contained file (inline CSS, inline SVG, no scripts, fonts or images
  fetched from anywhere), landscape A4 pages when printed.
- PDF: the same HTML through WeasyPrint (needs Pango, see scripts/apt-packages.txt).
- DOCX: python-docx; the identity sheet as a Word table, each flowchart page as a PNG
  picture painted by `drawing.to_png` from the same shapes as the SVG (no converter, no
  browser, no network).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, select_autoescape

from spbe_arch import __version__
from spbe_arch.errors import InputError, Location
from spbe_arch.repository import Repository
from spbe_arch.sop.document import SopDocument, load_sop, tanggal_indonesia
from spbe_arch.sop.drawing import to_png, to_svg
from spbe_arch.sop.layout import FlowchartLayout, layout_flowchart

FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "svg": "image/svg+xml",
}


def format_nip(nip: str) -> str:
    """`197503122001121003` -> `19750312 200112 1 003` (the usual written form)."""
    digits = re.sub(r"\D", "", nip)
    if len(digits) == 18:
        return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
    return nip


def _grid(document: SopDocument) -> list[tuple[tuple[str, list[str]], tuple[str, list[str]]]]:
    return [
        (("Dasar Hukum", document.dasar_hukum),
         ("Kualifikasi Pelaksana", document.kualifikasi_pelaksana)),
        (("Keterkaitan", document.keterkaitan), ("Peralatan/Perlengkapan", document.peralatan)),
        (("Peringatan", document.peringatan),
         ("Pencatatan dan Pendataan", document.pencatatan)),
    ]


def _environment() -> Environment:
    return Environment(loader=PackageLoader("spbe_arch.sop", "templates"),
                       autoescape=select_autoescape(["html", "j2"]), trim_blocks=True,
                       lstrip_blocks=True)


def render_html(document: SopDocument, layout: FlowchartLayout | None = None) -> str:
    layout = layout or layout_flowchart(document)
    pages = [to_svg(page, width="100%") for page in layout.pages]
    template = _environment().get_template("sop.html.j2")
    return template.render(doc=document, pages=pages, grid=_grid(document),
                           tanggal=tanggal_indonesia, nip=format_nip, version=__version__)


def render_pdf(document: SopDocument, layout: FlowchartLayout | None = None) -> bytes:
    try:
        import weasyprint  # noqa: F401 - its system libraries are checked here
    except OSError as exc:  # Pango/cairo libraries missing
        raise InputError(
            "PDF tidak dapat dibuat: pustaka sistem WeasyPrint (Pango) tidak terpasang;"
            " jalankan scripts/install-system-deps atau pilih --format html/docx",
            "cannot make a PDF: WeasyPrint's system libraries (Pango) are missing; run"
            " scripts/install-system-deps or use --format html/docx") from exc
    from spbe_arch.pdf import html_to_pdf

    # offline, as the reports: WeasyPrint's default fetcher would load any URL a document
    # names (an OPD's data reaches the document)
    return html_to_pdf(render_html(document, layout))


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def render_docx(document: SopDocument, layout: FlowchartLayout | None = None,
                dpi: int = 200) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Mm, Pt

    layout = layout or layout_flowchart(document)
    word = Document()
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(10))
    normal = word.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(9)
    normal.paragraph_format.space_after = Pt(0)
    # Word's document properties hold at most 255 characters (python-docx raises beyond)
    word.core_properties.title = _shorten(f"SOP {document.nama}", 255)
    word.core_properties.subject = _shorten(document.kode, 255)

    status = word.add_paragraph()
    status.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    status.add_run(("DRAFT" if document.status == "Draft" else "Ditetapkan")
                   + f" · Kode {document.kode}").bold = document.status == "Draft"

    table = word.add_table(rows=6, cols=3)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    kop = table.cell(0, 0).merge(table.cell(5, 0))
    kop.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = kop.paragraphs[0].add_run((document.instansi or "").upper())
    run.bold, run.font.size = True, Pt(13)
    if document.unit:
        unit = kop.add_paragraph()
        unit.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = unit.add_run(document.unit.upper())
        run.bold, run.font.size = True, Pt(11)
    nip = f"NIP. {format_nip(document.disahkan_nip)}" if document.disahkan_nip else ""
    rows = [
        ("Nomor SOP", [document.nomor]),
        ("Tanggal Pembuatan", [tanggal_indonesia(document.tanggal_pembuatan)]),
        ("Tanggal Revisi", [tanggal_indonesia(document.tanggal_revisi)]),
        ("Tanggal Efektif", [tanggal_indonesia(document.tanggal_efektif)]),
        ("Disahkan oleh", [document.disahkan_jabatan, "", "", document.disahkan_nama, nip]),
        ("Nama SOP", [document.nama.upper()]),
    ]
    for index, (label, lines) in enumerate(rows):
        table.cell(index, 1).paragraphs[0].add_run(label).bold = True
        cell = table.cell(index, 2)
        cell.paragraphs[0].add_run(lines[0]).bold = label in ("Disahkan oleh", "Nama SOP")
        for line in lines[1:]:
            cell.add_paragraph(line)
    for row in table.rows:
        row.cells[0].width, row.cells[1].width, row.cells[2].width = Mm(120), Mm(45), Mm(112)

    word.add_paragraph()
    grid = word.add_table(rows=6, cols=2)
    grid.style = "Table Grid"
    for index, pair in enumerate(_grid(document)):
        for column, (title, items) in enumerate(pair):
            head = grid.cell(index * 2, column).paragraphs[0]
            head.alignment = WD_ALIGN_PARAGRAPH.CENTER
            head.add_run(title).bold = True
            cell = grid.cell(index * 2 + 1, column)
            if items:
                cell.paragraphs[0].add_run(f"1. {items[0]}")
                for number, item in enumerate(items[1:], start=2):
                    cell.add_paragraph(f"{number}. {item}")
            else:
                cell.paragraphs[0].add_run("belum diisi").italic = True
    for row in grid.rows:
        # two equal columns, as in the HTML; without widths Word sizes them by their text
        row.cells[0].width, row.cells[1].width = Mm(138.5), Mm(138.5)

    picture_width = Mm(277)
    for page in layout.pages:
        breaker = word.add_paragraph()
        breaker.add_run().add_break(WD_BREAK.PAGE)
        breaker.paragraph_format.space_after = Pt(0)
        holder = word.add_paragraph()
        holder.paragraph_format.space_after = Pt(0)
        holder.add_run().add_picture(io.BytesIO(to_png(page, dpi)), width=picture_width)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


@dataclass
class RenderedDocument:
    content: bytes
    media_type: str
    file_name: str


def _file_stem(document: SopDocument) -> str:
    return "sop-" + (re.sub(r"[^A-Za-z0-9._-]+", "-", document.kode).strip("-") or "tanpa-kode")


def render_sop(repository: Repository, kode: str, fmt: str = "pdf", *,
               kode_wilayah: str | None = None, page: int = 1) -> RenderedDocument:
    """The SOP `kode` as a `pdf`, `html` or `docx` document, or one flowchart page as `svg`."""
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise InputError(f"format '{fmt}' tidak dikenal; gunakan pdf, html, docx atau svg",
                         f"unknown format '{fmt}'; use pdf, html, docx or svg",
                         Location(field="--format"))
    document = load_sop(repository, kode, kode_wilayah)
    if not document.langkah:
        raise InputError(f"SOP '{kode}' belum memiliki langkah untuk digambar",
                         f"SOP '{kode}' has no steps to draw yet")
    layout = layout_flowchart(document)
    stem = _file_stem(document)
    if fmt == "html":
        content = render_html(document, layout).encode("utf-8")
    elif fmt == "pdf":
        content = render_pdf(document, layout)
    elif fmt == "docx":
        content = render_docx(document, layout)
    else:
        if not 1 <= page <= len(layout.pages):
            raise InputError(f"halaman {page} tidak ada; diagram alir ini {len(layout.pages)}"
                             " halaman", f"page {page} does not exist; this flowchart has"
                             f" {len(layout.pages)} pages", Location(field="--halaman"))
        content = to_svg(layout.pages[page - 1]).encode("utf-8")
        stem = f"{stem}-halaman-{page}" if len(layout.pages) > 1 else stem
    return RenderedDocument(content, FORMATS[fmt], f"{stem}.{fmt}")
