"""The report catalogue is open to other features, and bad requests get clear errors."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from tests.reports.conftest import UJI

from spbe_arch.errors import InputError
from spbe_arch.reports import (
    ReportParams,
    ReportSpec,
    register_report,
    registry,
    render_report,
    reports,
)
from spbe_arch.repository import Repository


@pytest.fixture
def scratch_registry() -> Any:
    """Restore the catalogue after a test that registers reports."""
    saved = dict(registry._REPORTS)
    yield
    registry._REPORTS.clear()
    registry._REPORTS.update(saved)


def test_a_feature_adds_a_report(uji_repository: Repository, tmp_path: Path,
                                 scratch_registry: Any) -> None:
    (tmp_path / "jumlah-opd.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block content %}<section><h1>Jumlah</h1>'
        "<p>OPD: {{ jumlah }}</p></section>{% endblock %}", encoding="utf-8")

    def gather(repository: Repository, params: ReportParams) -> dict[str, Any]:
        data = params.architecture(repository)
        return {"data": data, "jumlah": len(data.opds)}

    register_report(ReportSpec("jumlah-opd", "Jumlah OPD", "Number of OPD", gather,
                               "jumlah-opd.html.j2", template_dir=tmp_path))
    assert "jumlah-opd" in [spec.name for spec in reports()]
    html = render_report(uji_repository, "jumlah-opd", "html", instansi=UJI).decode("utf-8")
    assert "OPD: 6" in html and re.search(r"<span class=\"number\">1</span> Jumlah", html)
    markdown = render_report(uji_repository, "jumlah-opd", "md", instansi=UJI).decode("utf-8")
    assert "OPD: 6" in markdown


def test_names_are_unique_and_kebab_case(scratch_registry: Any) -> None:
    spec = registry.get_report("validasi")
    with pytest.raises(ValueError, match="twice"):
        register_report(ReportSpec("validasi", "x", "x", spec.gather, "x.html.j2"))
    with pytest.raises(ValueError, match="kebab-case"):
        register_report(ReportSpec("Laporan Baru", "x", "x", spec.gather, "x.html.j2"))
    register_report(ReportSpec("validasi", "x", "x", spec.gather, spec.template), replace=True)
    assert registry.get_report("validasi").title_id == "x"


@pytest.mark.parametrize(("name", "options", "expected"), [
    ("tidak-ada", {}, "tidak dikenal"),
    ("arsitektur", {"opd": "DINKES"}, "tidak memakai --opd"),
    ("opd", {}, "memerlukan kode OPD"),
    ("opd", {"opd": "TIDAK-ADA"}, "kode yang ada: BAG-ORG"),
    ("validasi", {"fmt": "odt"}, "format 'odt' tidak didukung"),
    ("validasi", {"lang": "fr"}, "bahasa 'fr' tidak didukung"),
])
def test_bad_requests(uji_repository: Repository, name: str, options: dict[str, str],
                      expected: str) -> None:
    fmt = options.pop("fmt", "html")
    with pytest.raises(InputError) as caught:
        render_report(uji_repository, name, fmt, instansi=UJI, **options)
    assert expected in caught.value.message()
    assert caught.value.message("en") != caught.value.message("id")


def test_opd_code_or_abbreviation(uji_repository: Repository) -> None:
    by_code = render_report(uji_repository, "opd", "md", instansi=UJI, opd="DINKES")
    by_short = render_report(uji_repository, "opd", "md", instansi=UJI, opd="dinkes")
    assert b"Dinas Kesehatan" in by_code
    assert by_code == by_short
