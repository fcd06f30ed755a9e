"""What `spbe-arch demo` prints under its report step (the CLI prints `details` as given)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spbe_arch.reports.demo import DemoReportsResult

FILES = [Path("laporan") / name for name in (
    "arsitektur-3574.html", "arsitektur-3574.pdf", "opd-3574-DISKOMINFO.pdf",
    "register-sop-3574.md")]


@pytest.mark.parametrize(("lang", "folder_line"), [("id", "folder dokumen: laporan/"),
                                                   ("en", "documents folder: laporan/")])
def test_report_step_says_the_folder_is_a_folder(lang: str, folder_line: str) -> None:
    """The folder the documents went to was a bare line `laporan` above the file names, which
    read like a file or a stray word."""
    for result in (DemoReportsResult(FILES), DemoReportsResult(FILES, unchanged=True)):
        lines = result.details(lang)
        assert "laporan" not in lines
        assert lines == [folder_line, str(Path("laporan/arsitektur-3574.html")),
                         str(Path("laporan/arsitektur-3574.pdf"))]


def test_report_step_names_failed_reports_after_the_files() -> None:
    result = DemoReportsResult(FILES[:1], problems=[("opd", "gagal", "failed")])
    assert result.details("en") == ["documents folder: laporan/",
                                    str(Path("laporan/arsitektur-3574.html")), "opd: failed"]
