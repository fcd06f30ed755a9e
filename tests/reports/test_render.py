"""Every report renders in every format, for the demo, the small fixture and an empty
repository; the HTML is balanced and self-contained; an empty repository says what is
missing instead of failing."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import docx
import pytest
from tests.reports.conftest import REPORT_NAMES, DocumentFactory
from tests.reports.htmlcheck import external_urls, unbalanced_tags

from spbe_arch.reports import available_reports, render_report
from spbe_arch.reports.rendering import write_format

REPOS = ("uji", "demo", "empty")


def test_catalogue_has_the_five_reports() -> None:
    names = [spec.name for spec in available_reports()]
    assert names[:5] == list(REPORT_NAMES)


@pytest.mark.parametrize("repo", REPOS)
@pytest.mark.parametrize("report", REPORT_NAMES)
def test_html_is_balanced_and_self_contained(documents: DocumentFactory, repo: str,
                                             report: str) -> None:
    document = documents(repo, report)
    html = write_format(document, "html").decode("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert unbalanced_tags(html) == []
    assert external_urls(html) == []
    assert "<link" not in html and "<script" not in html
    assert document.title in html
    # the table of contents was filled from the numbered headings
    toc = re.search(r'<nav class="toc">(.*?)</nav>', html, re.DOTALL)
    assert toc is not None and 'href="#' in toc.group(1)


@pytest.mark.parametrize("repo", REPOS)
@pytest.mark.parametrize("report", REPORT_NAMES)
def test_markdown_and_docx_render(documents: DocumentFactory, repo: str, report: str) -> None:
    document = documents(repo, report)
    markdown = write_format(document, "md").decode("utf-8")
    assert f"# {document.title}" in markdown
    assert re.search(r"^# 1 ", markdown, re.MULTILINE), "numbered chapter missing"
    word = docx.Document(io.BytesIO(write_format(document, "docx")))
    styles = {p.style.name for p in word.paragraphs}
    assert "Heading 1" in styles
    assert "Title" in styles


def test_empty_repository_says_what_is_missing(documents: DocumentFactory) -> None:
    html = write_format(documents("empty", "arsitektur"), "html").decode("utf-8")
    assert "belum ada di repositori" in html
    for missing in ("perangkat daerah (OPD)", "periode arsitektur",
                    "referensi arsitektur nasional"):
        assert missing in html
    profile = write_format(documents("empty", "opd"), "html").decode("utf-8")
    assert "tidak ditemukan di repositori" in profile


def _pdf_pages_not_blank(pdf: bytes, tmp_path: Path, pages: int) -> int:
    """Render the first `pages` pages with pdftoppm; return how many were rendered, failing
    on a blank one."""
    from PIL import Image

    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-l", str(pages), str(source),
                    str(tmp_path / "page")], check=True, timeout=120)
    images = sorted(tmp_path.glob("page*.png"))
    for path in images:
        with Image.open(path) as image:
            grey = image.convert("L")
            dark = sum(grey.histogram()[:200])
            assert dark > 200, f"{path.name} is blank"
    return len(images)


@pytest.mark.slow
@pytest.mark.parametrize("repo", ("demo", "empty"))
def test_every_report_renders_as_pdf(documents: DocumentFactory, repo: str,
                                     tmp_path: Path) -> None:
    for report in REPORT_NAMES:
        pdf = write_format(documents(repo, report), "pdf")
        assert pdf.startswith(b"%PDF-")
        folder = tmp_path / report
        folder.mkdir()
        assert _pdf_pages_not_blank(pdf, folder, 3) >= 2


@pytest.mark.slow
def test_architecture_pdf_pages_are_not_blank(documents: DocumentFactory,
                                              tmp_path: Path) -> None:
    pdf = write_format(documents("uji", "arsitektur"), "pdf")
    assert _pdf_pages_not_blank(pdf, tmp_path, 1000) > 10


def test_render_report_entry_point(uji_repository: object) -> None:
    data = render_report(uji_repository, "register-sop", "md", instansi="9901")  # type: ignore[arg-type]
    text = data.decode("utf-8")
    assert "SOP-PPID-01" in text
    assert "1 Februari 2025" in text  # tanggal efektif in Indonesian


def test_opd_with_a_very_long_name_still_gives_a_word_document() -> None:
    # Word's core properties hold 255 characters; the title must not make the DOCX fail
    from tests.reports.conftest import UJI, uji_sources

    from spbe_arch import iris
    from spbe_arch.repository import open_repository

    repository = open_repository("memory:")
    repository.load(uji_sources())
    name = "Dinas Pemberdayaan Masyarakat, Perempuan & <Anak> \"Terpadu\" " * 6
    opd = f"{iris.instansi_iri(UJI)}/opd/DINKES"
    repository.update(
        "PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>\n"
        f"DELETE {{ GRAPH ?g {{ <{opd}> spbe:nama ?n }} }} "
        f"INSERT {{ GRAPH ?g {{ <{opd}> spbe:nama {json_string(name)} }} }} "
        f"WHERE {{ GRAPH ?g {{ <{opd}> spbe:nama ?n }} }}")
    content = render_report(repository, "opd", "docx", instansi=UJI, opd="DINKES")
    word = docx.Document(io.BytesIO(content))
    title = word.core_properties.title
    assert len(title) <= 255 and title.startswith("Profil OPD Dinas Pemberdayaan")
    assert any("Terpadu" in p.text for p in word.paragraphs)
    repository.close()


def json_string(text: str) -> str:
    import json

    return json.dumps(text)
