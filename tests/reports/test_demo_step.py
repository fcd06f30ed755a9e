"""The demo's documents are written again when the repository, the templates or the code
that renders them change, and left alone otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.reports.conftest import UJI, uji_sources

from spbe_arch.reports import demo
from spbe_arch.repository import open_repository


def test_an_upgrade_of_the_rendering_code_renders_again(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    repository = open_repository("memory:")
    repository.load(uji_sources())
    code = tmp_path / "kode.py"
    code.write_text("VERSION = 1\n")
    monkeypatch.setattr(demo, "code_files", lambda: [code])
    monkeypatch.setattr(demo, "write_all_reports",
                        lambda repo, out, kode: _write_one(out))
    out = tmp_path / "laporan"
    out.mkdir()
    assert not demo.demo_step(repository, out, UJI).unchanged
    assert demo.demo_step(repository, out, UJI).unchanged  # nothing changed: left alone
    code.write_text("VERSION = 2\n")  # a new spbe-arch
    assert not demo.demo_step(repository, out, UJI).unchanged
    repository.close()


def test_the_fingerprint_covers_the_report_code() -> None:
    names = {path.name for path in demo.code_files()}
    assert {"builtin.py", "tables.py", "report.py", "elements.rq"} <= names


def _write_one(out: Path) -> demo.WrittenReports:
    written = demo.WrittenReports()
    path = out / "dokumen.md"
    path.write_text("isi")
    written.append(path)
    return written
