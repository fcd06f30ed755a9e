"""`spbe-arch bpmn …` and `spbe-arch sop …` end to end on an embedded store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from spbe_arch.cli import app
from spbe_arch.datasets import load_demo
from spbe_arch.repository import open_repository

from .conftest import SAMPLES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bpmn"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    store = f"oxigraph:{tmp_path_factory.mktemp('sop-cli') / 'store'}"
    with open_repository(store) as repository:
        load_demo(repository)
    return store


def run(store: str, *args: str) -> Result:
    return CliRunner().invoke(app, ["--store", store, *args], catch_exceptions=False)


@pytest.mark.slow
def test_import_derive_render_export(store: str, tmp_path: Path) -> None:
    model = str(SAMPLES / "penerbitan-akta-kelahiran.bpmn")
    result = run(store, "bpmn", "import", model, "--proses", "DISPENDUKCAPIL-02.01")
    assert result.exit_code == 0, result.output
    assert "penerbitan-akta-kelahiran versi 1" in result.stdout
    again = run(store, "--lang", "en", "bpmn", "import", model)
    assert again.exit_code == 0 and "nothing changed" in again.stdout

    derived = run(store, "sop", "derive", "--proses", "DISPENDUKCAPIL-02.01")
    assert derived.exit_code == 0, derived.output
    assert "DISPENDUKCAPIL-02.01.SOP.02" in derived.stdout and "9 langkah" in derived.stdout
    kode = "DISPENDUKCAPIL-02.01.SOP.02"

    assert run(store, "sop", "set", kode, "--nomor", "470/5/2026", "--dasar-hukum", "UU A",
               "--dasar-hukum", "UU B", "--tanggal-efektif", "2026-12-04").exit_code == 0
    assert run(store, "sop", "set-langkah", kode, "3", "--waktu", "12 menit").exit_code == 0
    shown = json.loads(run(store, "sop", "show", kode).stdout)
    assert shown["nomor"] == "470/5/2026" and shown["dasar_hukum"] == ["UU A", "UU B"]
    assert shown["langkah"][2]["waktu"] == "12 menit"
    listed = run(store, "sop", "list", "--json")
    assert any(s["kode"] == kode and s["dari_bpmn"] for s in json.loads(listed.stdout))

    html = tmp_path / "sop.html"
    rendered = run(store, "sop", "render", kode, "--format", "html", "--out", str(html))
    assert rendered.exit_code == 0 and "4 Desember 2026" in html.read_text(encoding="utf-8")
    docx_dir = tmp_path / "dokumen"
    docx_dir.mkdir()
    assert run(store, "sop", "render", kode, "-f", "docx", "-o", str(docx_dir)).exit_code == 0
    assert (docx_dir / f"sop-{kode}.docx").stat().st_size > 1000
    svg = run(store, "sop", "render", kode, "-f", "svg", "-o", str(tmp_path / "hal.svg"))
    assert svg.exit_code == 0 and "<svg" in (tmp_path / "hal.svg").read_text(encoding="utf-8")

    exported = run(store, "sop", "export-bpmn", kode)
    assert exported.exit_code == 0 and "bpmndi:BPMNDiagram" in exported.stdout
    model_xml = tmp_path / "model.bpmn"
    assert run(store, "bpmn", "export", "penerbitan-akta-kelahiran", "-o",
               str(model_xml)).exit_code == 0
    assert b"BizagiProperty" in model_xml.read_bytes()
    history = run(store, "bpmn", "history", "penerbitan-akta-kelahiran")
    assert history.exit_code == 0 and "versi 1" in history.stdout
    assert "DISPENDUKCAPIL-02.01" in run(store, "bpmn", "list").stdout


@pytest.mark.parametrize(("args", "words"), [
    (["bpmn", "import", str(FIXTURES / "hostile" / "billion-laughs.bpmn")], "DTD"),
    (["bpmn", "import", str(FIXTURES / "hostile" / "malformed.bpmn")], "baris 6"),
    (["bpmn", "import", "/tidak/ada.bpmn"], "tidak ditemukan"),
    (["bpmn", "import", str(SAMPLES / "pengaduan-masyarakat.bpmn"), "--proses", "X.99"],
     "X.99"),
    (["sop", "derive", "--proses", "DISKOMINFO-04.02"], "bpmn import"),
    (["sop", "render", "TIDAK.ADA", "-f", "pdf"], "TIDAK.ADA"),
    (["sop", "set", "DISPENDUKCAPIL-02.01.SOP.01", "--disahkan-nip", "12"], "18 angka"),
    (["bpmn", "history", "tidak-ada"], "tidak ditemukan"),
])
def test_errors_are_one_sentence_and_exit_2(store: str, args: list[str], words: str) -> None:
    result = CliRunner().invoke(app, ["--store", store, *args])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in result.output
