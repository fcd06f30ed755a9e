"""A rendered report as an editable Word document (python-docx).

The numbered HTML tree is walked once: headings become Word's own "Heading 1–3" (so Word's
navigation pane and table of contents work), `<nav class="toc">` becomes a real TOC field
(Word refreshes it when the document opens; the entries computed here are its initial
text), tables get the "Table Grid" style with a repeating header row, diagrams are PNG
pictures with a "Caption" paragraph. Tables are written as WordprocessingML directly, one
XML fragment per table, because cell-by-cell python-docx calls take seconds on 5,000 rows.
"""

from __future__ import annotations

import base64
import io
import re
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.shape import CT_Inline
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.text.paragraph import Paragraph

from spbe_arch.reports.i18n import translate

if TYPE_CHECKING:
    from spbe_arch.reports.rendering import Document

PAGE_WIDTH = Cm(21.0)
PAGE_HEIGHT = Cm(29.7)
MARGIN_LEFT = Cm(2.0)
MARGIN_RIGHT = Cm(1.8)
MARGIN_TOP = Cm(2.2)
MARGIN_BOTTOM = Cm(2.2)
TEXT_WIDTH_TWIPS = int((PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / 635)  # EMU -> twips
MAX_PICTURE_HEIGHT = Cm(21.0)
TABLE_STYLE = "Table Grid"
CELL_STYLE = "Isi Tabel"
CORE_PROPERTY_LIMIT = 255  # characters python-docx accepts for a core property
SKIP = {"style", "script", "title", "head", "meta", "colgroup", "col"}
BLOCKS = {"section", "div", "article", "main", "header", "footer", "aside", "body", "figure",
          "nav"}
_WIDTH = re.compile(r"width\s*:\s*([\d.]+)%")


def _classes(element: Any) -> set[str]:
    return set((element.get("class") or "").split())


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


class _Writer:
    def __init__(self, document: Document) -> None:
        self.source = document
        self.doc = docx.Document()
        self.lang = document.lang
        self.first_chapter = True
        self.style_ids: dict[str, str] = {}
        self.shape_id = 1000
        self.body = self.doc.element.body
        self._setup()

    # --- paragraphs -----------------------------------------------------------------------------
    def add_paragraph(self, text: str = "", style: str | None = None) -> Any:
        """A new paragraph at the end of the body.

        python-docx's `add_paragraph` searches the body for `w:sectPr` and the styles part for
        the style on every call, seconds on a long document; the final `w:sectPr` is known
        and style ids are cached here."""
        p = OxmlElement("w:p")
        self.body.insert(len(self.body) - 1, p)
        paragraph = Paragraph(p, self.doc._body)
        if style:
            if style not in self.style_ids:
                self.style_ids[style] = self.doc.styles[style].style_id
            paragraph._p.get_or_add_pPr().style = self.style_ids[style]
        if text:
            paragraph.add_run(text)
        return paragraph

    # --- page and styles ----------------------------------------------------------------------
    def _setup(self) -> None:
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(10)
        if CELL_STYLE not in [s.name for s in styles]:
            cell = styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
            cell.base_style = normal
            cell.font.size = Pt(8)
            cell.paragraph_format.space_after = Pt(0)
            cell.paragraph_format.space_before = Pt(0)
        self.cell_style_id = styles[CELL_STYLE].style_id
        self.table_style_id = styles[TABLE_STYLE].style_id
        # page number in the footer (a PAGE field)
        footer = section.footer.paragraphs[0]
        footer.alignment = 1
        self._field(footer, "PAGE", "1")
        core = self.doc.core_properties
        # OOXML core properties hold at most 255 characters; an OPD with a very long name
        # would otherwise make python-docx refuse the whole document
        title = " ".join(self.source.title.split())
        core.title = title if len(title) <= CORE_PROPERTY_LIMIT else (
            title[:CORE_PROPERTY_LIMIT - 1].rstrip() + "…")
        core.author = "spbe-arch"
        core.language = "id-ID" if self.lang == "id" else "en-GB"

    # --- fields ---------------------------------------------------------------------------------
    @staticmethod
    def _fld_char(run: Any, kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    def _field(self, paragraph: Any, instruction: str, shown: str) -> None:
        self._fld_char(paragraph.add_run(), "begin")
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = f" {instruction} "
        paragraph.add_run()._r.append(instr)
        self._fld_char(paragraph.add_run(), "separate")
        paragraph.add_run(shown)
        self._fld_char(paragraph.add_run(), "end")

    def toc(self, nav: Any) -> None:
        """A Word TOC field over Heading 1–3, its initial text the computed entries."""
        entries = [(li.get("class") or "", _text(li)) for li in nav.iter("li")]
        first = self.add_paragraph()
        self._fld_char(first.add_run(), "begin")
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = ' TOC \\o "1-3" \\h \\z \\u '
        first.add_run()._r.append(instr)
        self._fld_char(first.add_run(), "separate")
        paragraph = first
        for index, (css, text) in enumerate(entries):
            if index:
                paragraph = self.add_paragraph()
            level = int(css[-1]) if css[-1:].isdigit() else 1
            paragraph.paragraph_format.left_indent = Cm(0.6 * max(0, level - 1))
            paragraph.paragraph_format.space_after = Pt(1)
            run = paragraph.add_run(text)
            run.bold = level == 1
        if not entries:
            first.add_run(translate("Tidak ada", self.lang))
        self._fld_char(paragraph.add_run(), "end")
        # ask Word to refresh fields (page numbers of the TOC) when the file opens
        settings = self.doc.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)

    # --- walking --------------------------------------------------------------------------------
    def block(self, element: Any) -> None:
        if element.text and element.text.strip() and element.tag in BLOCKS:
            self.add_paragraph(element.text.strip())
        for child in element:
            if not isinstance(child.tag, str):
                continue
            self.node(child)
            if child.tail and child.tail.strip() and element.tag in BLOCKS:
                self.add_paragraph(child.tail.strip())

    def node(self, element: Any) -> None:
        tag = element.tag
        classes = _classes(element)
        if tag in SKIP:
            return
        if "cover" in classes:
            self.cover(element)
        elif "register" in classes:
            self.register(element)
        elif "diagram-slot" in classes:
            self.picture(element.get("data-diagram"))
        elif tag == "nav":
            if "toc" in classes:
                self.toc(element)
            else:
                for li in element.iter("li"):
                    self.add_paragraph(_text(li)).paragraph_format.space_after = Pt(1)
                for p in element.iter("p"):
                    self.paragraph(p)
        elif tag in ("h1", "h2", "h3", "h4"):
            self.heading(element, int(tag[1]), classes)
        elif tag == "p":
            self.paragraph(element)
        elif tag in ("ul", "ol"):
            self.listing(element, tag == "ol", 1)
        elif tag == "table":
            self.table(element)
        elif tag == "figcaption":
            self.add_paragraph(_text(element), style="Caption")
        elif tag == "img":
            self.image(element)
        elif tag in BLOCKS:
            self.block(element)
        else:
            paragraph = self.add_paragraph()
            self.inline(paragraph, element)

    def register(self, element: Any) -> None:
        """A long list written one line per element (see `Table.register_above`): one XML
        fragment for all its paragraphs, as for tables."""
        parts = []
        for child in element:
            if not isinstance(child.tag, str):
                continue
            classes = _classes(child)
            if "caption" in classes:
                paragraph = self.add_paragraph(style="Caption")
                paragraph.paragraph_format.keep_with_next = True
                self.inline(paragraph, child)
                continue
            if "register-legend" in classes:
                paragraph = self.add_paragraph(style=CELL_STYLE)
                self.inline(paragraph, child, italic=True)
                continue
            parts.append(f'<w:p><w:pPr><w:pStyle w:val="{self.cell_style_id}"/></w:pPr>'
                         f"{self._runs(child)}</w:p>")
        if parts:
            fragment = parse_xml(f"<w:body {nsdecls('w')}>{''.join(parts)}</w:body>")
            for paragraph in list(fragment):
                self.body.insert(len(self.body) - 1, paragraph)

    def heading(self, element: Any, level: int, classes: set[str]) -> None:
        text = _text(element)
        if "no-toc" in classes:
            # front-matter titles ("Daftar Isi") must not list themselves in the TOC
            paragraph = self.add_paragraph(text, style="TOC Heading")
        else:
            paragraph = self.add_paragraph(text, f"Heading {min(level, 3)}")
        if level == 1 and not self.first_chapter:
            paragraph.paragraph_format.page_break_before = True
        if level == 1:
            self.first_chapter = False

    def paragraph(self, element: Any) -> None:
        classes = _classes(element)
        paragraph = self.add_paragraph(style="Intense Quote" if "notice" in classes else None)
        self.inline(paragraph, element, italic="note" in classes or "empty" in classes)

    def inline(self, paragraph: Any, element: Any, *, bold: bool = False, italic: bool = False,
               small: bool = False) -> None:
        def add(text: str | None, b: bool, i: bool, s: bool) -> None:
            if not text:
                return
            run = paragraph.add_run(re.sub(r"\s+", " ", text))
            run.bold = b or None
            run.italic = i or None
            if s:
                run.font.size = Pt(8)

        add(element.text, bold, italic, small)
        for child in element:
            if not isinstance(child.tag, str):
                add(child.tail, bold, italic, small)
                continue
            if child.tag == "br":
                paragraph.add_run().add_break(WD_BREAK.LINE)
            elif "diagram-slot" in _classes(child) or child.tag in ("ul", "ol"):
                pass  # nested lists are written by `listing` after the item's own text
            else:
                self.inline(paragraph, child, bold=bold or child.tag in ("strong", "b", "th"),
                            italic=italic or child.tag in ("em", "i"),
                            small=small or child.tag == "small")
            add(child.tail, bold, italic, small)

    def listing(self, element: Any, ordered: bool, depth: int) -> None:
        base = "List Number" if ordered else "List Bullet"
        style = base if depth == 1 else f"{base} {min(depth, 3)}"
        for item in element:
            if not isinstance(item.tag, str) or item.tag != "li":
                continue
            paragraph = self.add_paragraph(style=style)
            nested = [c for c in item if isinstance(c.tag, str) and c.tag in ("ul", "ol")]
            self.inline(paragraph, item)
            for sub in nested:
                self.listing(sub, sub.tag == "ol", depth + 1)

    def cover(self, element: Any) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            classes = _classes(child)
            if child.tag == "h1":
                self.add_paragraph(_text(child), style="Title")
            elif "kicker" in classes:
                self.add_paragraph(_text(child), style="Subtitle")
            elif "instansi" in classes:
                run = self.add_paragraph().add_run(_text(child))
                run.font.size = Pt(16)
                run.bold = True
            elif child.tag == "table":
                self.table(child, styled=False)
            elif "generated" in classes:
                run = self.add_paragraph().add_run(_text(child))
                run.font.size = Pt(9)
                run.font.color.rgb = RGBColor(0x4B, 0x55, 0x63)
            else:
                self.node(child)
        self.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # --- pictures -----------------------------------------------------------------------------
    def _add_picture(self, data: bytes, width_px: float, height_px: float) -> None:
        width = Emu(int(PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT))
        if width_px and height_px:
            natural = Emu(int(width_px * 9525))  # 96 dpi
            width = Emu(min(int(width), int(natural)))
            height = Emu(int(width * height_px / width_px))
            if height > MAX_PICTURE_HEIGHT:
                width = Emu(int(width * MAX_PICTURE_HEIGHT / height))
        paragraph = self.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        self._picture_run(paragraph, data, width)

    def _picture_run(self, paragraph: Any, data: bytes, width: int | None) -> None:
        """An inline picture; python-docx's `add_picture` scans the whole document for the
        largest id on every call, so shape ids are counted here instead."""
        rid, image = self.doc.part.get_or_add_image(io.BytesIO(data))
        cx, cy = image.scaled_dimensions(width, None)
        self.shape_id += 1
        inline = CT_Inline.new_pic_inline(self.shape_id, rid, image.filename, cx, cy)
        paragraph.add_run()._r.add_drawing(inline)

    def picture(self, key: str | None) -> None:
        diagram = self.source.diagrams.get(key or "")
        if diagram is None:
            return
        self._add_picture(diagram.png(1.5), diagram.width, diagram.height)

    def image(self, element: Any) -> None:
        source = element.get("src") or ""
        match = re.match(r"data:image/(png|jpeg|jpg|gif);base64,(.*)", source, re.DOTALL)
        if match is None:
            alt = element.get("alt")
            if alt:
                self.add_paragraph(alt)
            return
        data = base64.b64decode(match.group(2))
        self._picture_run(self.add_paragraph(), data,
                          Cm(4) if "logo" in _classes(element) else None)

    # --- tables ---------------------------------------------------------------------------------
    def _runs(self, element: Any, bold: bool = False) -> str:
        """WordprocessingML runs for a cell's inline content."""
        out: list[str] = []

        def run(text: str | None, b: bool, i: bool, s: bool) -> None:
            if not text:
                return
            text = re.sub(r"\s+", " ", text)
            props = ("<w:b/>" if b else "") + ("<w:i/>" if i else "") + (
                '<w:color w:val="4B5563"/><w:sz w:val="14"/>' if s else "")
            rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
            out.append(f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>')

        def walk(node: Any, b: bool, i: bool, s: bool) -> None:
            run(node.text, b, i, s)
            for child in node:
                if isinstance(child.tag, str):
                    if child.tag == "br":
                        out.append("<w:r><w:br/></w:r>")
                    else:
                        walk(child, b or child.tag in ("strong", "b"),
                             i or child.tag in ("em", "i"), s or child.tag == "small")
                run(child.tail, b, i, s)

        walk(element, bold, False, False)
        return "".join(out)

    def table(self, element: Any, *, styled: bool = True) -> None:
        caption = element.find("caption")
        if caption is not None:
            paragraph = self.add_paragraph(style="Caption")
            paragraph.paragraph_format.keep_with_next = True
            self.inline(paragraph, caption)
        rows: list[tuple[str, Any]] = []
        for part in element:
            if not isinstance(part.tag, str):
                continue
            if part.tag in ("thead", "tbody", "tfoot"):
                rows += [(part.tag, tr) for tr in part if isinstance(tr.tag, str)
                         and tr.tag == "tr"]
            elif part.tag == "tr":
                rows.append(("tbody", part))
        if not rows:
            return
        columns = max(sum(int(c.get("colspan") or 1) for c in tr if isinstance(c.tag, str))
                      for _, tr in rows)
        widths = [float(m.group(1)) for col in element.iter("col")
                  if (m := _WIDTH.search(col.get("style") or ""))]
        if len(widths) != columns:
            widths = [100.0 / columns] * columns
        total = sum(widths) or 1.0
        twips = [max(300, int(TEXT_WIDTH_TWIPS * w / total)) for w in widths]
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
        style = (f'<w:tblStyle w:val="{self.table_style_id}"/>' if styled else "")
        parts = [
            f"<w:tbl {nsdecls('w')}><w:tblPr>{style}"
            f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0"'
            ' w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>"
        ]
        cell_ppr = f'<w:pPr><w:pStyle w:val="{self.cell_style_id}"/></w:pPr>'
        numeric_ppr = (f'<w:pPr><w:pStyle w:val="{self.cell_style_id}"/>'
                       '<w:jc w:val="right"/></w:pPr>')
        for section, tr in rows:
            header = section == "thead"
            footer = section == "tfoot"
            tr_pr = "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" if header \
                else "<w:trPr><w:cantSplit/></w:trPr>"
            cells = []
            index = 0
            for cell in tr:
                if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                    continue
                span = int(cell.get("colspan") or 1)
                width = sum(twips[index:index + span])
                index += span
                shade = '<w:shd w:val="clear" w:color="auto" w:fill="E6EDF7"/>' if header \
                    else ('<w:shd w:val="clear" w:color="auto" w:fill="F3F4F6"/>' if footer
                          else "")
                span_xml = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
                ppr = numeric_ppr if "num" in _classes(cell) else cell_ppr
                bold = header or footer or cell.tag == "th"
                cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span_xml}'
                             f"{shade}</w:tcPr><w:p>{ppr}{self._runs(cell, bold)}</w:p></w:tc>")
            parts.append(f"<w:tr>{tr_pr}{''.join(cells)}</w:tr>")
        parts.append("</w:tbl>")
        table = parse_xml("".join(parts))
        self.body.insert(len(self.body) - 1, table)  # before the final sectPr
        # a paragraph after each table keeps two tables from merging in Word
        self.add_paragraph().paragraph_format.space_after = Pt(2)


def write_docx(document: Document) -> bytes:
    writer = _Writer(document)
    body = document.tree.find("body")
    if body is not None:
        writer.block(body)
    buffer = io.BytesIO()
    writer.doc.save(buffer)
    return buffer.getvalue()
