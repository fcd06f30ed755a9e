"""From a report's data to a finished document in HTML, PDF, DOCX or Markdown.

One Jinja2 template per report produces HTML; everything else derives from that HTML, so
an instansi that overrides one template changes all four formats alike:

1. the template renders HTML (`_()` translates, `diagram()` leaves a slot for a figure);
2. the HTML is checked for mismatched tags (a broken template gives a clear error naming
   the template, instead of a silently repaired document) and parsed;
3. chapters (`h1`–`h3`), tables (`caption`) and figures (`figcaption`) are numbered, and
   the table of contents (`<nav class="toc">`) and lists of tables and figures are filled;
4. the tree is written out: HTML with the SVG diagrams inline and CSS embedded (one file,
   no external resource), PDF by WeasyPrint from that HTML (network access refused), DOCX
   by walking the tree (`docx_writer`), Markdown likewise (`markdown_writer`).

Numbering rules for template authors (docs/reports.md): an `h1` with class `appendix`
becomes "Lampiran A"; class `no-number` leaves a heading unnumbered, `no-toc` keeps it out of
the table of contents; anything inside `.cover` is neither numbered nor listed.
"""

from __future__ import annotations

import base64
import datetime as dt
import mimetypes
import os
import re
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape as html_escape
from pathlib import Path
from typing import Any

import jinja2
import lxml.html
from lxml import etree
from markupsafe import Markup

from spbe_arch.errors import InputError, Location
from spbe_arch.reports.diagrams import Diagram
from spbe_arch.reports.i18n import LANGS, format_date, format_number, translate
from spbe_arch.reports.registry import ReportParams, ReportSpec

BUILTIN_TEMPLATES = Path(__file__).with_name("templates")

FORMATS = ("html", "pdf", "docx", "md")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
}
EXTENSIONS = {"html": "html", "pdf": "pdf", "docx": "docx", "md": "md"}

_SLOT = re.compile(r'<div class="diagram-slot" data-diagram="(d\d+)"></div>')


# --- Jinja2 environment ----------------------------------------------------------------------

@jinja2.pass_context
def _translate(context: jinja2.runtime.Context, text: str) -> str:
    return translate(str(text), context.get("lang", "id"))


@jinja2.pass_context
def _date(context: jinja2.runtime.Context, value: Any) -> str:
    return format_date(value, context.get("lang", "id"))


@jinja2.pass_context
def _number(context: jinja2.runtime.Context, value: Any) -> str:
    return format_number(value, context.get("lang", "id"))


@jinja2.pass_context
def _label(context: jinja2.runtime.Context, value: Any) -> str:
    from spbe_arch.reports.model import label_of

    return label_of(str(value), context.get("lang", "id")) if value else ""


@jinja2.pass_context
def _diagram(context: jinja2.runtime.Context, diagram: Diagram) -> Markup:
    state: RenderState = context["render_state"]
    return Markup(f'<div class="diagram-slot" data-diagram="{state.add(diagram)}"></div>')


@jinja2.pass_context
def _embed(context: jinja2.runtime.Context, name: str) -> str:
    """A `data:` URI of a file in the template folders (logos, fonts) — keeps HTML and PDF
    self-contained."""
    state: RenderState = context["render_state"]
    for folder in state.template_dirs:
        path = (folder / name).resolve()
        if path.is_file() and folder.resolve() in path.parents:
            media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return f"data:{media};base64,{base64.b64encode(path.read_bytes()).decode()}"
    raise InputError(f"berkas '{name}' tidak ada di folder templat",
                     f"file '{name}' is not in the template folders")


@lru_cache(maxsize=16)
def environment(template_dirs: tuple[Path, ...]) -> jinja2.Environment:
    """The Jinja2 environment searching `template_dirs` in order, then the built-in
    templates; `builtin/NAME` always means the built-in template (to extend it)."""
    builtin = jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES))
    loaders: list[jinja2.BaseLoader] = [
        jinja2.PrefixLoader({"builtin": builtin}),
        *[jinja2.FileSystemLoader(str(d)) for d in template_dirs],
        builtin,
    ]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "j2"),
                                            default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(_=_translate, diagram=_diagram, embed=_embed)
    env.filters.update(tanggal=_date, angka=_number, label=_label)
    return env


# --- one render --------------------------------------------------------------------------------

@dataclass
class RenderState:
    template_dirs: tuple[Path, ...]
    diagrams: dict[str, Diagram] = field(default_factory=dict)

    def add(self, diagram: Diagram) -> str:
        key = f"d{len(self.diagrams) + 1}"
        self.diagrams[key] = diagram
        return key


@dataclass
class Document:
    """A rendered and numbered report, ready to be written in any format."""

    spec: ReportSpec
    params: ReportParams
    title: str
    tree: Any  # lxml.html.HtmlElement (the <html> element)
    diagrams: dict[str, Diagram]
    generated: dt.date

    @property
    def lang(self) -> str:
        return self.params.lang

    def file_stem(self) -> str:
        stem = f"{self.spec.name}-{self.params.instansi}"
        if self.params.opd:
            stem += "-" + re.sub(r"[^A-Za-z0-9._-]+", "-", self.params.opd)
        return stem


def generation_date() -> dt.date:
    """Today, or `SOURCE_DATE_EPOCH` when set (reproducible documents)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def template_dirs_for(spec: ReportSpec, template_dir: Path | None) -> tuple[Path, ...]:
    dirs = []
    if template_dir is not None:
        if not template_dir.is_dir():
            raise InputError(f"folder templat '{template_dir}' tidak ditemukan",
                             f"template folder '{template_dir}' not found")
        dirs.append(template_dir)
    if spec.template_dir is not None:
        dirs.append(spec.template_dir)
    return tuple(dirs)


def render_document(repository: Any, spec: ReportSpec, params: ReportParams,
                    template_dir: Path | None = None) -> Document:
    """Gather the report's data, render its template and number the result."""
    if params.lang not in LANGS:
        raise InputError(f"bahasa '{params.lang}' tidak didukung; gunakan id atau en",
                         f"language '{params.lang}' is not supported; use id or en")
    dirs = template_dirs_for(spec, template_dir)
    env = environment(dirs)
    state = RenderState(dirs)
    generated = generation_date()
    context = dict(spec.gather(repository, params))
    title = context.pop("title", None) or spec.title(params.lang)
    context.update(
        lang=params.lang, title=title, report=spec, params=params, generated=generated,
        render_state=state,
    )
    try:
        template = env.get_template(spec.template)
        html = template.render(context)
    except jinja2.TemplateNotFound as exc:
        raise InputError(f"templat '{exc.name}' tidak ditemukan",
                         f"template '{exc.name}' not found") from None
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"kesalahan sintaks templat: {exc.message}",
                         f"template syntax error: {exc.message}",
                         Location(file=exc.filename or exc.name, line=exc.lineno)) from None
    except jinja2.UndefinedError as exc:
        where = _template_location(exc)
        raise InputError(f"templat memakai nilai yang tidak ada: {exc.message}",
                         f"the template uses a value that does not exist: {exc.message}",
                         where) from None
    tree = parse_html(html, spec.template)
    number_document(tree, params.lang)
    return Document(spec, params, title, tree, state.diagrams, generated)


def _template_location(exc: BaseException) -> Location | None:
    """The template file and line of an error raised while rendering: Jinja2 rewrites the
    traceback so that template frames carry the template's file name and line."""
    tb = exc.__traceback__
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".html", ".jinja", ".jinja2")):
            found = Location(file=filename, line=tb.tb_lineno)
        tb = tb.tb_next
    return found


# --- HTML checks and parsing -------------------------------------------------------------------

_STRUCTURE_ERRORS = ("mismatch", "Unexpected end tag", "Unexpected end-tag", "not closed")


def parse_html(html: str, template_name: str = "<html>") -> Any:
    """Parse rendered HTML; mismatched or stray end tags are an error naming the template and
    line (the parser would otherwise quietly repair them into a different document)."""
    parser = lxml.html.HTMLParser(recover=True, remove_blank_text=False)
    root = lxml.html.document_fromstring(html, parser=parser)
    problems = [e for e in parser.error_log
                if any(marker in e.message for marker in _STRUCTURE_ERRORS)]
    if problems:
        first = problems[0]
        lines = html.splitlines()
        snippet = lines[first.line - 1].strip()[:120] if 0 < first.line <= len(lines) else ""
        raise InputError(
            f"HTML hasil templat {template_name} tidak seimbang: {first.message.strip()}"
            f" (baris {first.line} keluaran: {snippet})",
            f"the HTML from template {template_name} is unbalanced: {first.message.strip()}"
            f" (output line {first.line}: {snippet})",
        )
    return root


def _classes(element: Any) -> set[str]:
    return set((element.get("class") or "").split())


def _inside(element: Any, css_class: str) -> bool:
    parent = element.getparent()
    while parent is not None:
        if css_class in _classes(parent):
            return True
        parent = parent.getparent()
    return False


def _prefix(element: Any, label: str, css_class: str) -> None:
    span = lxml.html.Element("span")
    span.set("class", css_class)
    span.text = label
    span.tail = " " + (element.text or "").lstrip()
    element.text = None
    element.insert(0, span)


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


@dataclass
class OutlineEntry:
    level: int
    id: str
    number: str
    text: str


def number_document(root: Any, lang: str = "id") -> dict[str, list[OutlineEntry]]:
    """Number chapters, tables and figures in place and fill the navigation lists."""
    toc: list[OutlineEntry] = []
    tables: list[OutlineEntry] = []
    figures: list[OutlineEntry] = []
    chapter = ""
    chapters = appendices = 0
    sections = [0, 0]
    counts = {"table": 0, "figure": 0}
    used_ids = {str(value) for value in root.xpath("//@id")}

    def unique_id(base: str) -> str:
        candidate, n = base, 1
        while candidate in used_ids:
            n += 1
            candidate = f"{base}-{n}"
        used_ids.add(candidate)
        return candidate

    for element in root.iter("h1", "h2", "h3", "caption", "figcaption", "p"):
        classes = _classes(element)
        if element.tag == "p" and "caption" not in classes:
            continue  # only a register's caption paragraph is numbered
        if _inside(element, "cover"):
            continue
        tag = element.tag
        if tag in ("h1", "h2", "h3"):
            level = int(tag[1])
            number = ""
            if "no-number" not in classes:
                if level == 1:
                    if "appendix" in classes:
                        appendices += 1
                        chapter = string.ascii_uppercase[(appendices - 1) % 26]
                        number = f"{translate('Lampiran', lang)} {chapter}."
                    else:
                        chapters += 1
                        chapter = str(chapters)
                        number = chapter
                    sections = [0, 0]
                    counts = {"table": 0, "figure": 0}
                elif level == 2 and chapter:
                    sections = [sections[0] + 1, 0]
                    number = f"{chapter}.{sections[0]}"
                elif level == 3 and chapter:
                    sections[1] += 1
                    number = f"{chapter}.{sections[0]}.{sections[1]}"
            elif level == 1:
                chapter = ""
                sections = [0, 0]
                counts = {"table": 0, "figure": 0}
            if not element.get("id"):
                element.set("id", unique_id(
                    "bab-" + number.replace(" ", "-").rstrip(".") if number
                    else f"judul-{len(toc) + 1}"))
            text = _text(element)
            if number:
                _prefix(element, number, "number")
            if "no-toc" not in classes:
                toc.append(OutlineEntry(level, element.get("id"), number, text))
            continue
        kind = "figure" if tag == "figcaption" else "table"
        holder = element.getparent()
        if "no-number" in classes or holder is None:
            continue
        counts[kind] += 1
        number = f"{chapter}.{counts[kind]}" if chapter else str(counts[kind])
        word = translate("Tabel" if kind == "table" else "Gambar", lang)
        if not holder.get("id"):
            holder.set("id", unique_id(f"{'tabel' if kind == 'table' else 'gambar'}-"
                                       f"{number.replace('.', '-')}"))
        text = _text(element)
        _prefix(element, f"{word} {number}.", "number")
        (tables if kind == "table" else figures).append(
            OutlineEntry(0, holder.get("id"), f"{word} {number}.", text))
    outline = {"toc": toc, "tables": tables, "figures": figures}
    for nav in root.iter("nav"):
        classes = _classes(nav)
        entries = (toc if "toc" in classes else tables if "list-of-tables" in classes
                   else figures if "list-of-figures" in classes else None)
        if entries is None:
            continue
        for child in list(nav):
            nav.remove(child)
        nav.text = None
        if not entries:
            empty = lxml.html.Element("p")
            empty.set("class", "empty")
            empty.text = translate("Tidak ada", lang)
            nav.append(empty)
            continue
        listing = lxml.html.Element("ul")
        for entry in entries:
            item = lxml.html.Element("li")
            item.set("class", f"toc-level-{entry.level}")
            link = lxml.html.Element("a")
            link.set("href", f"#{entry.id}")
            if entry.number:
                number_span = lxml.html.Element("span")
                number_span.set("class", "toc-number")
                number_span.text = entry.number
                number_span.tail = " " + entry.text
                link.append(number_span)
            else:
                link.text = entry.text
            item.append(link)
            listing.append(item)
        nav.append(listing)
    return outline


# --- output formats ----------------------------------------------------------------------------

PDF_VECTOR_TEXT_LIMIT = 2000
"""Diagrams go into the PDF as SVG (vector, selectable text) while all of them together hold
at most this many lines of text; beyond, as PNG pictures: WeasyPrint lays out each SVG text
element with Pango (milliseconds each), which made a 5,000-process document's forty process
maps cost more than all its tables."""
PDF_MAX_WIDTH_PX = 640.0
PDF_MAX_HEIGHT_PX = 830.0
"""The printable area of an A4 page in CSS px (the margins of report.css), for figures."""


def to_html(document: Document, *, raster: bool = False) -> bytes:
    """One self-contained HTML file: CSS embedded, diagrams inline as SVG.

    With `raster`, diagrams are JPEG `data:` images instead (for a large PDF: WeasyPrint lays
    out every SVG text element with Pango, seconds per figure; it embeds a JPEG as it is)."""
    text = lxml.html.tostring(document.tree, doctype="<!DOCTYPE html>", encoding="unicode",
                              method="html")

    def inline(match: re.Match[str]) -> str:
        diagram = document.diagrams.get(match.group(1))
        if diagram is None:
            return ""
        if not raster:
            return diagram.svg()
        scale = min(1.0, PDF_MAX_WIDTH_PX / max(diagram.width, 1.0),
                    PDF_MAX_HEIGHT_PX / max(diagram.height, 1.0))
        data = base64.b64encode(diagram.jpeg(1.5)).decode("ascii")
        alt = html_escape(diagram.title, quote=True)
        return (f'<img class="diagram" alt="{alt}" src="data:image/jpeg;base64,{data}"'
                f' style="width:{diagram.width * scale:.0f}px;'
                f'height:{diagram.height * scale:.0f}px">')

    return _SLOT.sub(inline, text).encode("utf-8")


def pdf_html(document: Document) -> str:
    """The HTML a PDF is laid out from: large diagrams as pictures (see to_html)."""
    lines = sum(len(box.lines) for d in document.diagrams.values() for box in d.boxes)
    return to_html(document, raster=lines > PDF_VECTOR_TEXT_LIMIT).decode("utf-8")


def to_pdf(document: Document) -> bytes:
    """PDF by WeasyPrint from the HTML; every resource outside the document is refused."""
    from spbe_arch.pdf import html_to_pdf

    return html_to_pdf(pdf_html(document))


def to_docx(document: Document) -> bytes:
    from spbe_arch.reports.docx_writer import write_docx

    return write_docx(document)


def to_markdown(document: Document) -> bytes:
    from spbe_arch.reports.markdown_writer import write_markdown

    return write_markdown(document).encode("utf-8")


WRITERS = {"html": to_html, "pdf": to_pdf, "docx": to_docx, "md": to_markdown}


def check_format(fmt: str) -> str:
    if fmt not in WRITERS:
        raise InputError(
            f"format '{fmt}' tidak didukung; gunakan salah satu dari {', '.join(FORMATS)}",
            f"format '{fmt}' is not supported; use one of {', '.join(FORMATS)}",
        )
    return fmt


def write_format(document: Document, fmt: str) -> bytes:
    return WRITERS[check_format(fmt)](document)


def iter_slots(element: Any) -> Iterator[str]:
    """The diagram keys of the slots inside `element`."""
    for node in element.iter("div"):
        if "diagram-slot" in _classes(node) and node.get("data-diagram"):
            yield node.get("data-diagram")


def element_classes(element: Any) -> set[str]:
    return _classes(element)


def plain_text(element: Any) -> str:
    return _text(element)


def comment_free(nodes: Sequence[Any]) -> list[Any]:
    return [n for n in nodes if isinstance(n.tag, str) and not isinstance(n, etree._Comment)]
