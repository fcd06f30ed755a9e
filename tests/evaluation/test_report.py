"""The Laporan Kesiapan Evaluasi SPBE renders through the report machinery."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from docx import Document

from spbe_arch.evaluation import sop_coverage
from spbe_arch.reports import render_report
from spbe_arch.repository import Repository


def test_listed_in_the_catalogue() -> None:
    from spbe_arch.reports import available_reports

    assert "kesiapan-evaluasi" in [r.name for r in available_reports()]


def test_html_shows_provisional_marks_and_every_opd(demo_repository: Repository) -> None:
    html = render_report(demo_repository, "kesiapan-evaluasi", "html", instansi="3574").decode()
    assert "bersifat sementara" in html
    assert "1,3*" in html
    from spbe_arch.reports.model import gather_architecture

    data = gather_architecture(demo_repository, "3574")
    # every OPD, named as the other documents name it (singkatan), not by its technical code
    for row in sop_coverage(demo_repository, "3574"):
        assert f"{data.opd_short(str(row.opd))} — {row.name}" in html
    assert "BAPPERIDA — " in html and "BAPPEDA — " not in html
    assert "Belum ada penilaian mandiri untuk tahun ini." in html


def test_english_markdown_and_docx(demo_repository: Repository) -> None:
    md = render_report(demo_repository, "kesiapan-evaluasi", "md", instansi="3574",
                       lang="en").decode()
    assert "SOP coverage per OPD" in md
    document = Document(io.BytesIO(render_report(demo_repository, "kesiapan-evaluasi", "docx",
                                                 instansi="3574")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any("Cakupan SOP per OPD" in h for h in headings)


def test_empty_repository_gives_a_document(memory_repository: Repository) -> None:
    from spbe_arch.datasets import base_sources

    memory_repository.load(base_sources())
    html = render_report(memory_repository, "kesiapan-evaluasi", "html", instansi="3574").decode()
    assert "Belum ada OPD di repositori." in html


@pytest.mark.slow
def test_pdf_is_not_blank(demo_repository: Repository, tmp_path: Path) -> None:
    pdf = tmp_path / "kesiapan.pdf"
    pdf.write_bytes(render_report(demo_repository, "kesiapan-evaluasi", "pdf", instansi="3574"))
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "3", "-l", "3", str(pdf),
                    str(tmp_path / "p")], check=True)
    page = next(tmp_path.glob("p-*.png")).read_bytes()
    assert len(page) > 2000  # a blank A4 page at 30 dpi compresses to a few hundred bytes


def test_repository_without_the_framework_gives_a_document(
        memory_repository: Repository) -> None:
    html = render_report(memory_repository, "kesiapan-evaluasi", "html", instansi="3574").decode()
    assert "permenpanrb-59-2020" in html and "tidak ada di repositori" in html


def _record(repository: Repository, levels: dict[int, int], year: int | None = None) -> None:
    from datetime import date

    from spbe_arch.evaluation import Assessment, load_framework, record_assessment

    framework = load_framework(repository, "permenpanrb-59-2020")
    for number, level in levels.items():
        record_assessment(repository, framework, "9999",
                          Assessment("permenpanrb-59-2020", number,
                                     year or date.today().year, level),
                          agent="test")


def test_last_years_self_assessment_is_shown_until_this_year_has_one(
        repository: Repository) -> None:
    from datetime import date

    last_year = date.today().year - 1
    _record(repository, {11: 3, 14: 3}, last_year)
    _record(repository, {11: 5}, last_year + 5)  # a typo far in the future is not "newest"
    md = render_report(repository, "kesiapan-evaluasi", "md", instansi="9999").decode()
    assert f"**Tahun:** {last_year}" in md and "**Indeks:** 0,15 (Kurang)" in md
    _record(repository, {11: 1})
    md = render_report(repository, "kesiapan-evaluasi", "md", instansi="9999").decode()
    assert f"**Tahun:** {last_year + 1}" in md and "**Indeks:** 0,03 (Kurang)" in md


def test_indonesian_figures_use_the_decimal_comma(repository: Repository) -> None:
    # 11 and 14 at level 3: total = (2.5·3 + 2.5·3) / 100 = 0.15
    _record(repository, {11: 3, 14: 3})
    md = render_report(repository, "kesiapan-evaluasi", "md", instansi="9999").decode()
    assert "**Indeks:** 0,15 (Kurang)" in md
    assert "| 2,75\\* |" in md and "| 1,3\\* |" in md
    # aspect 1 and domain 1 weigh 13, a sum of UNSURE indicator weights: marked too
    assert "| 1. Kebijakan Internal terkait Tata Kelola SPBE | 13\\* |" in md
    assert "| 1. Kebijakan Internal SPBE | 13\\* |" in md
    assert "2.75" not in md and "1.3\\*" not in md
    # indicator 14 in the fixture: 3 of 4 processes with an SOP
    assert "75,0% proses memiliki SOP" in md


def test_english_document_says_everything_in_english(repository: Repository) -> None:
    _record(repository, {11: 3})
    md = render_report(repository, "kesiapan-evaluasi", "md", instansi="9999",
                       lang="en").decode()
    assert "**Index:** 0.08 (Poor)" in md
    assert "| 3 Defined |" in md and "Terdefinisi" not in md
    assert "Table 2.1. Indicators**" in md
    assert "| 2.75\\* |" in md
    assert "per-indicator weights are not verified" in md
    assert "belum terverifikasi" not in md
    # service reasons name the metode in English, not the Indonesian enumeration
    assert "services: electronic" in md or "services: hybrid" in md
    assert "elektronik" not in md and "tidak diisi" not in md


def test_an_opd_without_processes_has_no_coverage_figure(repository: Repository) -> None:
    md = render_report(repository, "kesiapan-evaluasi", "md", instansi="9999").decode()
    row = next(line for line in md.splitlines() if "Dinas Lingkungan Hidup" in line)
    assert row.endswith("| 0 | 0 | 0 | 0 | — | — |"), row


def test_word_table_headers_do_not_break_inside_a_word(repository: Repository) -> None:
    # LibreOffice (and Word without Calibri) lays the 8 pt bold headers out in DejaVu Sans:
    # a column narrower than a header word splits it ("Bobo|t", "Cakupa|n")
    from PIL import ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 80)
    margins = 230  # Word's default cell margins, left and right, in twips
    document = Document(io.BytesIO(render_report(repository, "kesiapan-evaluasi", "docx",
                                                 instansi="9999")))
    assert document.tables
    for table in document.tables:
        widths = [col.w.twips for col in table._tbl.tblGrid.gridCol_lst]
        for cell, width in zip(table.rows[0].cells, widths, strict=True):
            for word in cell.text.split():
                needed = font.getlength(word) * 2  # 1/10 pt at size 80 -> twips
                assert needed <= width - margins, (word, width)


def test_other_frameworks_are_named_with_their_provisional_mark(repository: Repository) -> None:
    md = render_report(repository, "kesiapan-evaluasi", "md", instansi="9999").decode()
    assert "Kerangka lain di repositori" in md
    assert "PermenPANRB 8/2026 (PROVISIONAL, belum terverifikasi)" in md
    english = render_report(repository, "kesiapan-evaluasi", "md", instansi="9999",
                            lang="en").decode()
    assert "PermenPANRB 8/2026 (PROVISIONAL, unverified)" in english
