"""The Excel routes: download template/export, upload with roles, limits and problems."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from spbe_arch import iris
from spbe_arch.access import Role, TokenStore
from spbe_arch.api.app import create_app
from spbe_arch.api.routes.excel import XLSX
from spbe_arch.model import get_entity
from spbe_arch.repository import Repository
from spbe_arch.settings import Settings

from .conftest import INSTANSI


@pytest.fixture
def client(repo: Repository, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    tokens = tmp_path / "tokens.json"
    settings = Settings(store="memory:", tokens_file=str(tokens), instansi=INSTANSI,
                        max_upload_bytes=200_000)
    store = TokenStore(tokens)
    kominfo = iris.element_iri(INSTANSI, "opd", "DISKOMINFO")
    issued = {
        "admin": store.create("admin", Role.admin)[0],
        "kominfo": store.create("kominfo", Role.editor, [str(kominfo)])[0],
        "reader": store.create("pembaca", Role.reader)[0],
    }
    app = create_app(settings, repo, tokens=store)
    with TestClient(app) as http:
        yield http, {k: f"Bearer {v}" for k, v in issued.items()}


def _upload(client: TestClient, path: Path, token: str | None, **params: str) -> object:
    headers = {"Authorization": token} if token else {}
    with path.open("rb") as handle:
        return client.post("/excel/import", params=params, headers=headers,
                           files={"file": (path.name, handle, XLSX)})


def test_template_and_export_download(client: tuple[TestClient, dict[str, str]],
                                      tmp_path: Path) -> None:
    http, _ = client
    response = http.get("/excel/template")
    assert response.status_code == 200 and response.headers["content-type"] == XLSX
    path = tmp_path / "t.xlsx"
    path.write_bytes(response.content)
    assert "Proses Bisnis" in load_workbook(path).sheetnames
    exported = http.get("/excel/export", params={"opd": "DISKOMINFO"})
    assert exported.status_code == 200
    assert "arsitektur-3574-DISKOMINFO.xlsx" in exported.headers["content-disposition"]
    missing = http.get("/excel/template", params={"opd": "TIDAKADA"})
    assert missing.status_code == 404 and "TIDAKADA" in missing.json()["detail"]
    assert http.get("/excel/export", headers={"Authorization": "Bearer salah"}).status_code \
        == 401


def test_upload_needs_a_writing_role_and_respects_opd_scope(
        client: tuple[TestClient, dict[str, str]], repo: Repository,
        filled_workbook: Callable[..., Path]) -> None:
    http, tokens = client
    path = filled_workbook()
    before = repo.export(None, "nquads")
    assert _upload(http, path, None).status_code == 401  # type: ignore[attr-defined]
    assert _upload(http, path, tokens["reader"]).status_code == 403  # type: ignore[attr-defined]
    refused = _upload(http, path, tokens["kominfo"], lang="en")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    body = refused.json()  # type: ignore[attr-defined]
    assert "problems found; nothing was stored" in body["detail"]
    first = body["masalah"][0]
    assert (first["sheet"], first["baris"], first["kolom"]) == (
        "Proses Bisnis", 2, "Pemilik (kode OPD)")
    assert "you may only change data of OPD DISKOMINFO" in first["pesan"]
    assert repo.export(None, "nquads") == before
    dry = _upload(http, path, tokens["admin"], dry_run="true")
    assert dry.status_code == 200 and dry.json()["uji_coba"]  # type: ignore[attr-defined]
    assert repo.export(None, "nquads") == before
    done = _upload(http, path, tokens["admin"])
    assert done.status_code == 200  # type: ignore[attr-defined]
    assert len(done.json()["ditambah"]) == 5  # type: ignore[attr-defined]
    assert get_entity(repo, "sop", "SOP.01", instansi=INSTANSI) is not None


def test_upload_limits_and_wrong_files(client: tuple[TestClient, dict[str, str]],
                                       tmp_path: Path) -> None:
    http, tokens = client
    big = tmp_path / "besar.xlsx"
    big.write_bytes(b"PK" + b"0" * 300_000)
    assert _upload(http, big, tokens["admin"]).status_code == 413  # type: ignore[attr-defined]
    text = tmp_path / "catatan.txt"
    text.write_text("bukan excel")
    assert _upload(http, text, tokens["admin"]).status_code == 415  # type: ignore[attr-defined]
    fake = tmp_path / "palsu.xlsx"
    fake.write_text("Kode;Nama")
    response = _upload(http, fake, tokens["admin"])
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "bukan buku kerja Excel" in response.json()["detail"]  # type: ignore[attr-defined]


def test_upload_with_prune_opd_deletes_rows_left_out(
        client: tuple[TestClient, dict[str, str]], repo: Repository,
        filled_workbook: Callable[..., Path], tmp_path: Path) -> None:
    http, tokens = client
    assert _upload(http, filled_workbook(), tokens["admin"]).status_code == 200  # type: ignore[attr-defined]
    exported = tmp_path / "ekspor.xlsx"
    exported.write_bytes(http.get("/excel/export", params={"opd": "DISKOMINFO"}).content)
    wb = load_workbook(exported)
    wb["Proses Bisnis"].delete_rows(2, wb["Proses Bisnis"].max_row)  # PB.02 left out
    wb.save(exported)
    kept = _upload(http, exported, tokens["kominfo"])
    assert kept.status_code == 200 and kept.json()["dihapus"] == []  # type: ignore[attr-defined]
    pruned = _upload(http, exported, tokens["kominfo"], prune_opd="DISKOMINFO")
    assert pruned.status_code == 200  # type: ignore[attr-defined]
    assert [c["kode"] for c in pruned.json()["dihapus"]] == ["PB.02"]  # type: ignore[attr-defined]
    assert get_entity(repo, "proses-bisnis", "PB.02", instansi=INSTANSI) is None


def test_download_names_are_safe_for_any_code(
        client: tuple[TestClient, dict[str, str]]) -> None:
    http, _ = client
    # a region code is letters, digits, '.', '_', '-' (it goes into IRIs and file names);
    # names outside Latin-1 in general are covered by tests/api/test_downloads.py
    refused = http.get("/excel/template", params={"instansi": "Kota Łódź \"x\""})
    assert refused.status_code == 422 and "instansi" in refused.json()["pesan"]
    response = http.get("/excel/template", params={"instansi": "35.74"})
    assert response.status_code == 200  # an instansi without data: an empty template
    disposition = response.headers["content-disposition"]
    assert disposition.isascii() and "templat-35.74.xlsx" in disposition


FORMULA_TEXTS = {
    "nama": '=HYPERLINK("http://evil.example/","klik")',
    "uraian": "=cmd|' /C calc'!A0",
}
"""Texts an OPD editor may store that a spreadsheet would run as formulas (OWASP)."""


def test_stored_formula_texts_are_exported_as_text_and_read_back_unchanged(
        client: tuple[TestClient, dict[str, str]], repo: Repository, tmp_path: Path) -> None:
    http, token = client
    payloads = [("PB.RUMUS", FORMULA_TEXTS),
                ("PB.PLUS", {"nama": "+1+1 tambah", "uraian": "-2+3 kurang"}),
                ("PB.AT", {"nama": "@SUM(1+1) jumlah", "uraian": "=1+1\n-baris kedua"})]
    for kode, texts in payloads:
        made = http.post("/api/proses-bisnis", headers={"Authorization": token["kominfo"]},
                         json={"kode": kode, "pemilik": "DISKOMINFO", "levelPetaProses": 2,
                               "klasifikasiRAB": "RAB.09.03.01", **texts})
        assert made.status_code == 201, made.text
    exported = http.get("/excel/export", params={"opd": "DISKOMINFO"},
                        headers={"Authorization": token["admin"]})
    path = tmp_path / "ekspor.xlsx"
    path.write_bytes(exported.content)

    ws = load_workbook(path)["Proses Bisnis"]
    headers = {str(c.value).rstrip(" *"): c.column_letter for c in ws[1]}
    rows = {ws[f"A{r}"].value: r for r in range(2, ws.max_row + 1)}
    formulas = [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []  # nothing the spreadsheet would run on opening
    for kode, texts in payloads:
        for name, text in texts.items():
            cell = ws[f"{headers['Nama' if name == 'nama' else 'Uraian']}{rows[kode]}"]
            # the stored text itself (no apostrophe added), marked as text for Excel
            assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    level = ws[f"{headers['Level Peta Proses']}{rows['PB.RUMUS']}"]
    assert (level.value, level.data_type, level.quotePrefix) == (2, "n", False)

    again = _upload(http, path, token["kominfo"])
    assert again.status_code == 200, again.text  # type: ignore[attr-defined]
    for kode, texts in payloads:
        stored = get_entity(repo, "proses-bisnis", kode, instansi=INSTANSI)
        assert stored is not None
        assert {name: stored[name] for name in texts} == texts
