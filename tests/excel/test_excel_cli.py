"""`spbe-arch excel template|import|export` end to end on an on-disk store."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from spbe_arch.cli import app
from spbe_arch.repository import open_repository

from .conftest import load_fixture


def test_cli_template_import_export(tmp_path: Path,
                                    filled_workbook: Callable[..., Path]) -> None:
    runner = CliRunner()
    store = f"oxigraph:{tmp_path / 'store'}"
    base = ["--store", store]
    with open_repository(store) as repo:
        load_fixture(repo)
    template = tmp_path / "templat.xlsx"
    result = runner.invoke(app, [*base, "excel", "template", "--out", str(template)])
    assert result.exit_code == 0, result.output
    assert template.stat().st_size > 5000

    path = filled_workbook()
    with open_repository(store):  # held as a running server holds it: a dry run only reads
        dry = runner.invoke(app, [*base, "excel", "import", str(path), "--dry-run",
                                  "--format", "json"])
    assert dry.exit_code == 0, dry.output
    report = json.loads(dry.output)
    assert report["uji_coba"] and not report["disimpan"] and len(report["ditambah"]) == 5

    done = runner.invoke(app, [*base, "excel", "import", str(path)])
    assert done.exit_code == 0, done.output
    assert "5 ditambah" in done.output
    again = runner.invoke(app, [*base, "--lang", "en", "excel", "import", str(path)])
    assert "0 added, 0 changed, 0 removed, 5 unchanged" in again.output

    exported = tmp_path / "ekspor.xlsx"
    result = runner.invoke(app, [*base, "excel", "export", "--out", str(exported)])
    assert result.exit_code == 0, result.output
    with open_repository(store) as repo:
        before = repo.export(None, "nquads")
    loop = runner.invoke(app, [*base, "excel", "import", str(exported)])
    assert loop.exit_code == 0 and "Tidak ada perubahan" in loop.output
    with open_repository(store) as repo:
        assert repo.export(None, "nquads") == before


def test_cli_reports_problems_with_exit_code_2(tmp_path: Path) -> None:
    bad = tmp_path / "data.xlsx"
    bad.write_text("Kode,Nama")
    proc = subprocess.run([sys.executable, "-m", "spbe_arch", "--store", "memory:", "--lang",
                           "en", "excel", "import", str(bad)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert "is not an Excel .xlsx workbook" in proc.stderr
