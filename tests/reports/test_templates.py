"""An instansi's own template folder: overriding a built-in template, adding a report, and
clear errors for a broken template."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import lxml.html
import pytest
from tests.reports.conftest import UJI
from tests.reports.htmlcheck import external_urls, unbalanced_tags

from spbe_arch.errors import InputError
from spbe_arch.reports import available_reports, render_report
from spbe_arch.repository import Repository

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "templat-laporan"


def test_example_override_changes_the_document(uji_repository: Repository) -> None:
    html = render_report(uji_repository, "arsitektur", "html", instansi=UJI,
                         template_dir=EXAMPLE).decode("utf-8")
    assert unbalanced_tags(html) == [] and external_urls(html) == []
    tree = lxml.html.document_fromstring(html)
    headings = [" ".join(h.text_content().split()) for h in tree.xpath("//h1")]
    # the added approval sheet comes before the table of contents, unnumbered
    assert headings.index("Lembar Pengesahan") < headings.index("Daftar Isi")
    # the rest of the built-in document is unchanged and still numbered
    assert "2 Arsitektur Proses Bisnis" in headings
    assert "Peraturan Wali Kota Uji Nomor 7 Tahun 2025" in html
    assert "#7a1f1f" in html
    builtin = render_report(uji_repository, "arsitektur", "html", instansi=UJI).decode("utf-8")
    assert "Lembar Pengesahan" not in builtin


def test_example_override_reaches_every_format(uji_repository: Repository) -> None:
    word = docx.Document(io.BytesIO(render_report(uji_repository, "arsitektur", "docx",
                                                  instansi=UJI, template_dir=EXAMPLE)))
    assert any(p.text == "Lembar Pengesahan" for p in word.paragraphs)
    markdown = render_report(uji_repository, "arsitektur", "md", instansi=UJI,
                             template_dir=EXAMPLE).decode("utf-8")
    assert "Lembar Pengesahan" in markdown


def test_example_adds_a_report(uji_repository: Repository) -> None:
    names = [spec.name for spec in available_reports(EXAMPLE)]
    assert "ringkasan-eksekutif" in names
    assert "ringkasan-eksekutif" not in [spec.name for spec in available_reports()]
    for fmt in ("html", "md", "docx"):
        data = render_report(uji_repository, "ringkasan-eksekutif", fmt, instansi=UJI,
                             template_dir=EXAMPLE)
        assert data
    html = render_report(uji_repository, "ringkasan-eksekutif", "html", instansi=UJI,
                         template_dir=EXAMPLE).decode("utf-8")
    assert "Ringkasan Eksekutif Arsitektur SPBE" in html
    assert re.search(r"Gambar 1\.1\.", html)


def test_unknown_report_without_the_folder(uji_repository: Repository) -> None:
    with pytest.raises(InputError, match="tidak dikenal"):
        render_report(uji_repository, "ringkasan-eksekutif", "html", instansi=UJI)


def test_broken_template_names_the_template(uji_repository: Repository,
                                            tmp_path: Path) -> None:
    (tmp_path / "register-sop.html.j2").write_text(
        '{% extends "builtin/register-sop.html.j2" %}\n'
        "{% block content %}<section><div><p>tidak ditutup</section>{% endblock %}\n",
        encoding="utf-8")
    with pytest.raises(InputError) as caught:
        render_report(uji_repository, "register-sop", "html", instansi=UJI,
                      template_dir=tmp_path)
    assert "register-sop.html.j2" in caught.value.message()
    assert "tidak seimbang" in caught.value.message()


def test_unknown_value_names_template_and_line(uji_repository: Repository,
                                               tmp_path: Path) -> None:
    (tmp_path / "register-sop.html.j2").write_text(
        '{% extends "builtin/register-sop.html.j2" %}\n'
        "{% block content %}\n<p>{{ data.tidak_ada }}</p>\n{% endblock %}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        render_report(uji_repository, "register-sop", "html", instansi=UJI,
                      template_dir=tmp_path)
    message = caught.value.message()
    assert "register-sop.html.j2" in message and "baris 3" in message


def test_syntax_error_names_template_and_line(uji_repository: Repository,
                                              tmp_path: Path) -> None:
    (tmp_path / "register-sop.html.j2").write_text("<p>\n{% if %}</p>\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        render_report(uji_repository, "register-sop", "html", instansi=UJI,
                      template_dir=tmp_path)
    assert "baris 2" in caught.value.message()


def test_embed_keeps_files_inside_the_folder(uji_repository: Repository,
                                             tmp_path: Path) -> None:
    folder = tmp_path / "templat"
    folder.mkdir()
    (folder / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>',
                                     encoding="utf-8")
    (tmp_path / "rahasia.txt").write_text("x", encoding="utf-8")
    (folder / "register-sop.html.j2").write_text(
        '{% extends "builtin/register-sop.html.j2" %}\n'
        '{% block kicker %}<img class="logo" alt="logo" src="{{ embed("logo.svg") }}">'
        "{% endblock %}\n", encoding="utf-8")
    html = render_report(uji_repository, "register-sop", "html", instansi=UJI,
                         template_dir=folder).decode("utf-8")
    assert 'src="data:image/svg+xml;base64,' in html
    (folder / "register-sop.html.j2").write_text(
        '{% extends "builtin/register-sop.html.j2" %}\n'
        '{% block kicker %}{{ embed("../rahasia.txt") }}{% endblock %}\n', encoding="utf-8")
    with pytest.raises(InputError, match="tidak ada di folder templat"):
        render_report(uji_repository, "register-sop", "html", instansi=UJI,
                      template_dir=folder)


def test_missing_template_folder_is_an_error(uji_repository: Repository,
                                             tmp_path: Path) -> None:
    with pytest.raises(InputError, match="tidak ditemukan"):
        render_report(uji_repository, "validasi", "html", instansi=UJI,
                      template_dir=tmp_path / "tidak-ada")
