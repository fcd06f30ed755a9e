"""The CLI and the API give the same answers as the service functions."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from spbe_arch import iris
from spbe_arch.api.app import create_app
from spbe_arch.cli import app
from spbe_arch.datasets import base_sources
from spbe_arch.repository import LoadSource, Repository, open_repository
from spbe_arch.settings import Settings

FIXTURE = Path(__file__).with_name("fixture.ttl")
KODE = "9999"


def store_with_fixture(tmp_path: Path) -> str:
    store = f"oxigraph:{tmp_path / 'store'}"
    with open_repository(store) as repo:
        repo.load([*base_sources(), LoadSource(FIXTURE, "turtle", iris.instansi_graph(KODE),
                                               "fixture.ttl")])
    return store


def test_cli_assess_then_index_and_whatif(tmp_path: Path) -> None:
    store = store_with_fixture(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["--store", store, "evaluation", "assess", "--instansi", KODE,
                                 "--tahun", "2026", "--indikator", "11", "--tingkat", "3",
                                 "--bukti", "https://jdih.example/perwali-1-2025.pdf",
                                 "--opd", "DISKOMINFO", "--oleh", "tester"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["--store", store, "evaluation", "index", "--instansi", KODE,
                                 "--tahun", "2026", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["index"] == 0.08  # 2.5 * 3 / 100 = 0.075 -> 0.08, 46 indicators missing
    assert len(data["missing_indicators"]) == 46
    assert data["provisional"] is True
    result = runner.invoke(app, ["--store", store, "evaluation", "whatif", "--instansi", KODE,
                                 "--tahun", "2026", "--set", "11=5", "--format", "json"])
    assert json.loads(result.output)["sesudah"]["index"] == 0.13
    result = runner.invoke(app, ["--store", store, "evaluation", "whatif", "--set", "11"])
    assert result.exit_code == 2


def test_cli_assess_records_the_system_user_as_other_commands_do(tmp_path: Path) -> None:
    from spbe_arch.audit import change_feed
    from spbe_arch.cli.common import agent_name
    from spbe_arch.repository import open_repository

    store = store_with_fixture(tmp_path)
    result = CliRunner().invoke(app, ["--store", store, "evaluation", "assess", "--instansi",
                                      KODE, "--tahun", "2026", "--indikator", "11",
                                      "--tingkat", "2"])
    assert result.exit_code == 0, result.output
    repository = open_repository(store)
    try:
        agents = {str(row["nama_agen"]) for row in change_feed(repository).rows}
    finally:
        repository.close()
    assert agent_name() in agents


def test_cli_status_table_shows_provisional_mark(tmp_path: Path) -> None:
    store = store_with_fixture(tmp_path)
    result = CliRunner().invoke(app, ["--store", store, "evaluation", "status", "--instansi",
                                      KODE, "--tahun", "2026"])
    assert result.exit_code == 0, result.output
    assert "1,3*" in result.output and "bobot sementara" in result.output
    english = CliRunner().invoke(app, ["--store", store, "--lang", "en", "evaluation", "status",
                                       "--instansi", KODE, "--tahun", "2026"])
    assert "1.3*" in english.output and "provisional weight" in english.output


def test_cli_index_in_the_readers_language(tmp_path: Path) -> None:
    store = store_with_fixture(tmp_path)
    runner = CliRunner()
    runner.invoke(app, ["--store", store, "evaluation", "assess", "--instansi", KODE,
                        "--tahun", "2026", "--indikator", "11", "--tingkat", "3",
                        "--bukti", "https://jdih.example/perwali-1-2025.pdf", "--opd",
                        "DISKOMINFO", "--oleh", "tester"])
    indonesian = runner.invoke(app, ["--store", store, "evaluation", "index", "--instansi",
                                     KODE, "--tahun", "2026"])
    assert indonesian.exit_code == 0, indonesian.output
    assert "0,08" in indonesian.output and "0.08" not in indonesian.output
    english = runner.invoke(app, ["--store", store, "--lang", "en", "evaluation", "index",
                                  "--instansi", KODE, "--tahun", "2026"])
    assert "0.08" in english.output
    # the provisional reasons follow the language, like the rest of the table
    reasons = [line for line in english.output.splitlines() if line.startswith("*")]
    assert reasons and not any("belum" in line or "sementara" in line for line in reasons)


def test_cli_sop_coverage_json(tmp_path: Path) -> None:
    store = store_with_fixture(tmp_path)
    result = CliRunner().invoke(app, ["--store", store, "evaluation", "sop-coverage",
                                      "--instansi", KODE, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [r["kode"] for r in json.loads(result.output)] == ["BKPSDM", "DISKOMINFO", "DLH"]


def test_api_matches_service(repository: Repository) -> None:
    client = TestClient(create_app(Settings(store="memory:", instansi=KODE), repository))
    coverage = client.get("/evaluation/sop-coverage").json()
    assert [r["kode"] for r in coverage] == ["BKPSDM", "DISKOMINFO", "DLH"]
    status = client.get("/evaluation/status", params={"tahun": 2026}).json()
    assert len(status) == 47 and status[10]["saran"]["suggested_level"] == 3
    whatif = client.post("/evaluation/whatif", params={"tahun": 2026},
                         json={"changes": {"11": 4}, "base": "saran"}).json()
    assert whatif["sesudah"]["index"] >= whatif["sebelum"]["index"]
    assert client.get("/evaluation/index", params={"kerangka": "nope"}).status_code == 400


def test_api_assessment_needs_the_right_role(repository: Repository, tmp_path: Path) -> None:
    from spbe_arch.access import Role, TokenStore

    settings = Settings(store="memory:", instansi=KODE, tokens_file=str(tmp_path / "tokens.json"))
    application = create_app(settings, repository)
    tokens: TokenStore = application.state.tokens
    editor, _ = tokens.create("editor-bkpsdm", Role.editor,
                           [str(iris.element_iri(KODE, "opd", "BKPSDM"))])
    reader, _ = tokens.create("pembaca", Role.reader, [])
    client = TestClient(application)
    body = {"indikator": 36, "tingkat": 3, "tahun": 2026, "opd": "BKPSDM",
            "justifikasi": "SIMPEG terintegrasi", "bukti_dukung": [{"url": "https://x.example/a"}]}
    assert client.post("/evaluation/assessments", json=body).status_code == 401
    denied = client.post("/evaluation/assessments", json=body,
                         headers={"Authorization": f"Bearer {reader}"})
    assert denied.status_code == 403
    other = client.post("/evaluation/assessments", json={**body, "opd": "DLH"},
                        headers={"Authorization": f"Bearer {editor}"})
    assert other.status_code == 403
    created = client.post("/evaluation/assessments", json=body,
                          headers={"Authorization": f"Bearer {editor}"})
    assert created.status_code == 201, created.text
    listed = client.get("/evaluation/assessments", params={"tahun": 2026},
                        headers={"Authorization": f"Bearer {reader}"}).json()
    assert [(a["indikator"], a["tingkat"], a["opd"]) for a in listed] == [(36, 3, "BKPSDM")]
    assert listed[0]["bukti_dukung"][0]["url"] == "https://x.example/a"


def test_a_mistyped_instansi_is_refused_not_evaluated_empty(repository: Repository,
                                                            tmp_path: Path) -> None:
    """A mistyped code (3547 for 3574) showed a complete-looking evaluation of nothing."""
    store = store_with_fixture(tmp_path)
    runner = CliRunner()
    for command in (["status"], ["index"], ["sop-coverage"], ["whatif", "--set", "11=4"],
                    ["assess", "--indikator", "36", "--tingkat", "3"]):
        result = runner.invoke(app, ["--store", store, "evaluation", command[0], "--instansi",
                                     "1234", *command[1:]])
        assert result.exit_code == 2, (command, result.output)
        assert f"kode wilayah '1234' tidak ada di repositori; kode yang ada: {KODE}" in \
            result.stderr, command
    client = TestClient(create_app(Settings(store="memory:", instansi=KODE), repository))
    for path in ("status", "index", "sop-coverage", "assessments"):
        answer = client.get(f"/evaluation/{path}", params={"instansi": "1234"})
        assert answer.status_code == 404, path
        assert KODE in answer.json()["detail"]
    assert client.post("/evaluation/whatif", params={"instansi": "1234"},
                       json={"changes": {}}).status_code == 404
    assert client.get("/evaluation/index").status_code == 200  # the server's own instansi
