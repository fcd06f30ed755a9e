"""`spbe-arch report` and `GET /reports`: thin layers over the same service."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from fastapi.testclient import TestClient
from tests.reports.conftest import UJI, uji_sources
from typer.testing import CliRunner

from spbe_arch.access import TokenStore
from spbe_arch.api import create_app
from spbe_arch.cli import app
from spbe_arch.repository import Repository, open_repository
from spbe_arch.settings import Settings

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "templat-laporan"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("store") / "oxigraph"
    repository = open_repository(f"oxigraph:{path}")
    repository.load(uji_sources())
    repository.close()
    return f"oxigraph:{path}"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_cli_list() -> None:
    code, out, _ = run("report", "--list")
    assert code == 0
    for name in ("arsitektur", "opd", "validasi", "kesesuaian-referensi", "register-sop"):
        assert name in out
    code, out, _ = run("report", "--list", "--templates", str(EXAMPLE))
    assert "ringkasan-eksekutif" in out
    code, out, _ = run("--lang", "en", "report", "--list")
    assert "SOP Register" in out


def test_cli_writes_a_document(store: str, tmp_path: Path) -> None:
    target = tmp_path / "register.docx"
    code, out, _ = run("--store", store, "report", "register-sop", "--instansi", UJI,
                       "--format", "docx", "--out", str(target))
    assert code == 0 and str(target) in out
    word = docx.Document(io.BytesIO(target.read_bytes()))
    assert any(p.style.name == "Heading 1" for p in word.paragraphs)


def test_cli_markdown_to_stdout_in_english(store: str) -> None:
    code, out, _ = run("--store", store, "report", "validasi", "--instansi", UJI,
                       "--format", "md", "--out", "-", "--lang", "en")
    assert code == 0
    assert "# Architecture Validation Report" in out


def test_cli_default_file_name(store: str, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, _ = run("--store", store, "report", "opd", "--instansi", UJI, "--opd", "DINKES")
    assert code == 0
    assert (tmp_path / "laporan" / f"opd-{UJI}-DINKES.html").is_file()


def test_all_reports(store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from spbe_arch import reports
    from spbe_arch.errors import InputError
    from spbe_arch.reports import ReportSpec, registry

    def failing(repository: Repository, params: reports.ReportParams) -> dict[str, object]:
        raise InputError("data laporan uji tidak ada", "no data for the test report")

    registry.reports()  # every report module loaded first, whatever ran before this test
    builtin = {name: spec for name, spec in registry._REPORTS.items()
               if spec.gather.__module__ == "spbe_arch.reports.builtin"}
    monkeypatch.setattr(registry, "_REPORTS", {
        **builtin, "gagal": ReportSpec("gagal", "Gagal", "Fails", failing, "x.html.j2")})
    with open_repository(store, read_only=True) as repository:
        written = reports.write_all_reports(repository, tmp_path / "semua", UJI,
                                            formats=("html", "md"))
    names = {path.name for path in written}
    assert f"arsitektur-{UJI}.html" in names and f"register-sop-{UJI}.md" in names
    assert f"opd-{UJI}-DINKES.html" in names  # one profile per OPD
    assert len(names) == len(written) == 2 * (4 + 6)
    assert all(path.is_file() for path in written)
    assert [(stem, str(error)) for stem, error in written.problems] == [
        (f"gagal-{UJI}", "data laporan uji tidak ada")]


def test_cli_all_reports_names_failures(store: str, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from spbe_arch.errors import InputError
    from spbe_arch.reports import ReportSpec, registry

    def failing(repository: Repository, params: object) -> dict[str, object]:
        raise InputError("data laporan uji tidak ada", "no data for the test report")

    registry.reports()  # loaded first, whatever ran before this test
    monkeypatch.setattr(registry, "_REPORTS", {
        "register-sop": registry._REPORTS["register-sop"],
        "gagal": ReportSpec("gagal", "Gagal", "Fails", failing, "x.html.j2")})
    result = CliRunner().invoke(app, ["--store", store, "report", "--all", "--instansi", UJI,
                                      "--format", "md", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert (tmp_path / f"register-sop-{UJI}.md").is_file()
    assert f"gagal-{UJI}: data laporan uji tidak ada" in result.stderr


def test_all_reports_into_a_folder_that_cannot_be_made(store: str, tmp_path: Path) -> None:
    from spbe_arch.errors import InputError
    from spbe_arch.reports import write_all_reports

    blocker = tmp_path / "laporan.md"
    blocker.write_text("bukan folder")
    with (open_repository(store, read_only=True) as repository,
          pytest.raises(InputError) as caught):
        write_all_reports(repository, blocker / "semua", UJI, formats=("md",))
    assert "tidak dapat menulis ke" in caught.value.message("id")
    assert "cannot write to" in caught.value.message("en")
    result = CliRunner().invoke(app, ["--store", store, "report", "--all", "--instansi", UJI,
                                      "--format", "md", "--out", str(blocker / "semua")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "tidak dapat menulis ke" in result.output + (result.stderr or "")


def test_one_report_under_a_file_is_a_message_not_a_traceback(store: str,
                                                              tmp_path: Path) -> None:
    blocker = tmp_path / "laporan.md"
    blocker.write_text("bukan folder")
    result = CliRunner().invoke(app, ["--store", store, "report", "register-sop", "--instansi",
                                      UJI, "--format", "md", "--out",
                                      str(blocker / "sub" / "register.md")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "tidak dapat membuat folder" in result.output + (result.stderr or "")
    assert blocker.read_text() == "bukan folder"


def test_all_reports_never_leave_a_half_written_file(store: str, tmp_path: Path) -> None:
    from spbe_arch.errors import InputError
    from spbe_arch.reports import write_all_reports

    # a folder where a document should go: that write fails, the folder keeps no stray file
    (tmp_path / f"validasi-{UJI}.md").mkdir()
    with (open_repository(store, read_only=True) as repository,
          pytest.raises(InputError) as caught):
        write_all_reports(repository, tmp_path, UJI, formats=("md",))
    assert f"validasi-{UJI}.md" in caught.value.message("id")
    assert not list(tmp_path.glob(".*.tmp"))


def test_written_documents_follow_the_umask(store: str, tmp_path: Path) -> None:
    import os

    from spbe_arch.reports import write_all_reports

    previous = os.umask(0o022)
    try:
        with open_repository(store, read_only=True) as repository:
            written = write_all_reports(repository, tmp_path, UJI, formats=("md",))
    finally:
        os.umask(previous)
    assert written and all(path.stat().st_mode & 0o777 == 0o644 for path in written)


def test_cli_errors_are_one_sentence(store: str) -> None:
    result = CliRunner().invoke(app, ["--store", store, "report", "opd", "--instansi", UJI])
    assert result.exit_code != 0
    assert "memerlukan kode OPD" in str(result.exception) or "memerlukan kode OPD" in (
        result.stderr or "")


@pytest.fixture(scope="module")
def client(store: str) -> Iterator[TestClient]:
    settings = Settings(store="memory:", instansi=UJI)
    repository: Repository = open_repository("memory:")
    repository.load(uji_sources())
    with TestClient(create_app(settings, repository, tokens=TokenStore(None))) as client:
        yield client
    repository.close()


def test_api_lists_reports(client: TestClient) -> None:
    answer = client.get("/reports")
    assert answer.status_code == 200
    names = [item["name"] for item in answer.json()]
    assert names[:5] == ["arsitektur", "opd", "validasi", "kesesuaian-referensi",
                         "register-sop"]
    assert answer.json()[1]["opd"] == "required"


def test_api_renders_formats(client: TestClient) -> None:
    html = client.get("/reports/register-sop")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    # shown on the web UI's origin, made from editors' data: runs and loads nothing
    assert "default-src 'none'" in html.headers["content-security-policy"]
    assert html.headers["x-content-type-options"] == "nosniff"
    assert "SOP-PPID-01" in html.text
    md = client.get("/reports/opd", params={"format": "md", "opd": "DINKES", "lang": "en"})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert "OPD Profile" in md.text
    assert 'filename="opd-9901-DINKES.md"' in md.headers["content-disposition"]
    word = client.get("/reports/kesesuaian-referensi", params={"format": "docx"})
    assert word.status_code == 200 and word.content[:2] == b"PK"


def test_api_errors(client: TestClient) -> None:
    assert client.get("/reports/tidak-ada").status_code == 404
    bad = client.get("/reports/validasi", params={"format": "odt"})
    assert bad.status_code == 400 and "odt" in bad.json()["detail"]
    missing = client.get("/reports/opd")
    assert missing.status_code == 400 and "OPD" in missing.json()["detail"]
    unknown = client.get("/reports/validasi", params={"instansi": "9109"})
    assert unknown.status_code == 400 and "9109" in unknown.json()["detail"]


def test_unknown_instansi_is_an_error_not_an_empty_document(store: str, tmp_path: Path) -> None:
    # a typo in the kode wilayah must not give a complete-looking document about nothing
    result = CliRunner().invoke(app, ["--store", store, "report", "validasi", "--instansi",
                                      "9109", "--format", "md", "--out",
                                      str(tmp_path / "v.md")])
    assert result.exit_code == 2
    assert f"kode yang ada: {UJI}" in result.output + (result.stderr or "")
    assert not (tmp_path / "v.md").exists()
    result = CliRunner().invoke(app, ["--store", store, "report", "--all", "--instansi", "9109",
                                      "--format", "md", "--out", str(tmp_path / "semua")])
    assert result.exit_code == 2 and not (tmp_path / "semua").exists()
    # the instansi itself still renders
    code, out, _ = run("--store", store, "report", "validasi", "--instansi", UJI,
                       "--format", "md", "--out", "-")
    assert code == 0 and "Laporan Validasi" in out
