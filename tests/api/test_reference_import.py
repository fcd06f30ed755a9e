"""`/api/referensi`: the reference schemes, and replacing a provisional RAA/RAI/RAK list with
the official one by upload (`reference.replace`, as `spbe-arch reference import`)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook
from rdflib import SKOS
from tests.reference.official_lists import OFFICIAL_RAA

from spbe_arch import iris
from spbe_arch.datasets import load_demo
from spbe_arch.reference.schemes import describe_schemes
from spbe_arch.repository import Repository, open_repository

VERSION = "Perpres 132/2022"
SCHEME = iris.reference_scheme_iri(VERSION, "RAA")


@pytest.fixture
def demo_service(make_service: Any) -> Any:
    repository = open_repository("memory:")
    load_demo(repository)
    return make_service(repository)


def dump(repository: Repository) -> str:
    return repository.export(None, "nquads")


def put_list(service: Any, role: str | None, name: str, data: bytes, scheme: str = "RAA",
             **params: Any) -> Any:
    form = {"sumber": params.pop("sumber")} if "sumber" in params else {}
    return service.client.put(f"/api/referensi/{scheme}", params=params, data=form,
                              headers=service.auth(role),
                              files={"file": (name, data, "application/octet-stream")})


def raa_codes(repository: Repository) -> set[str]:
    graph = repository.graph(iris.reference_graph(VERSION))
    return {str(graph.value(c, SKOS.notation)) for c in graph.subjects(SKOS.inScheme, SCHEME)}


def workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_get_shows_the_schemes_as_reference_list_does(demo_service: Any) -> None:
    response = demo_service.client.get("/api/referensi", headers=demo_service.auth("reader"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body == describe_schemes(demo_service.repository, "3574").to_json()
    by_prefix = {s["skema"]: s for s in body["skema"]}
    assert list(by_prefix) == ["RAB", "RAL", "RAD", "RAA", "RAI", "RAK"]
    assert by_prefix["RAA"]["sementara"] and not by_prefix["RAB"]["sementara"]


def test_reading_the_schemes_follows_the_read_setting(make_service: Any) -> None:
    repository = open_repository("memory:")
    load_demo(repository)
    off_loopback = make_service(repository, host="0.0.0.0")
    assert off_loopback.client.get("/api/referensi").status_code == 401
    assert off_loopback.client.get("/api/referensi",
                                   headers=off_loopback.auth("reader")).status_code == 200


def test_a_csv_list_replaces_the_provisional_raa_audited_as_the_token(
        demo_service: Any) -> None:
    response = put_list(demo_service, "admin", "raa-resmi.csv", OFFICIAL_RAA.encode(),
                        sumber="https://example.go.id/raa.pdf")
    assert response.status_code == 200, response.text
    plan = response.json()
    assert plan["uji_coba"] is False and plan["tidak_berubah"] is False
    assert [c["kode"] for c in plan["ditambah"]] == ["RAA.02.02.01"]
    assert [c["kode"] for c in plan["dihapus"]] == ["RAA.02.01"]
    assert plan["diganti_nama"] == [{
        "kode": "RAA.01.02", "nama": "Aplikasi Umum Administrasi Pemerintahan (resmi)",
        "nama_lama": "Aplikasi Umum Administrasi Pemerintahan"}]
    affected = {e["kode"]: e for e in plan["elemen_terdampak"]}
    assert affected["APL-16"]["kode_referensi"] == "RAA.02.01"
    assert plan["sumber"] == "https://example.go.id/raa.pdf" and plan["berkas"] == "raa-resmi.csv"
    assert raa_codes(demo_service.repository) == {
        "RAA.01", "RAA.01.01", "RAA.01.02", "RAA.02", "RAA.02.02", "RAA.02.02.01"}
    listed = demo_service.client.get("/api/referensi").json()
    raa = next(s for s in listed["skema"] if s["skema"] == "RAA")
    assert raa["sementara"] is False and raa["sumber"] == ["https://example.go.id/raa.pdf"]
    # the audit record names the token's holder, not the server's user
    history = demo_service.client.get("/history", params={"entity": str(SCHEME)}).json()
    assert [c["agen"] for c in history["items"]] == ["admin-uji"]
    assert plan["riwayat"] == history["items"][0]["perubahan"]
    # the same list again writes nothing
    before = dump(demo_service.repository)
    again = put_list(demo_service, "admin", "raa-resmi.csv", OFFICIAL_RAA.encode(),
                     sumber="https://example.go.id/raa.pdf")
    assert again.status_code == 200 and again.json()["tidak_berubah"] is True
    assert again.json()["riwayat"] is None
    assert dump(demo_service.repository) == before


def test_an_xlsx_list_is_taken_too(demo_service: Any) -> None:
    rows = [["kode", "nama", "induk"], ["RAA.01", "Aplikasi Umum", None],
            ["RAA.01.01", "Aplikasi Umum Layanan Publik", "RAA.01"],
            ["RAA.03", "Aplikasi Baru", None]]
    response = put_list(demo_service, "admin", "raa.xlsx", workbook(rows))
    assert response.status_code == 200, response.text
    assert response.json()["sumber"] == "raa.xlsx"  # without a source: the file's name
    assert raa_codes(demo_service.repository) == {"RAA.01", "RAA.01.01", "RAA.03"}


def test_a_dry_run_writes_nothing(demo_service: Any) -> None:
    before = dump(demo_service.repository)
    response = put_list(demo_service, "admin", "raa.csv", OFFICIAL_RAA.encode(),
                        dry_run="true")
    assert response.status_code == 200, response.text
    plan = response.json()
    assert plan["uji_coba"] is True and plan["riwayat"] is None
    assert [c["kode"] for c in plan["ditambah"]] == ["RAA.02.02.01"]
    assert dump(demo_service.repository) == before


def test_every_problem_of_the_list_is_named_and_nothing_is_written(demo_service: Any) -> None:
    before = dump(demo_service.repository)
    bad = "kode;nama;induk\nRAA.01;Aplikasi Umum;\nRAA.01.01;;RAA.01\nRAA.02.01;Khusus;RAA.02\n"
    response = put_list(demo_service, "admin", "raa.csv", bad.encode())
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["detail"] == "2 masalah ditemukan; tidak ada yang disimpan"
    assert [(p["berkas"], p["baris"], p["kolom"]) for p in body["masalah"]] == [
        ("raa.csv", 3, "nama"), ("raa.csv", 4, "induk")]
    assert body["masalah"][1]["pesan"] == "induk RAA.02 tidak ada dalam berkas"
    assert body["masalah"][1]["letak"] == "raa.csv, baris 4, kolom induk"
    english = put_list(demo_service, "admin", "raa.csv", bad.encode(), lang="en").json()
    assert english["masalah"][1]["letak"] == "raa.csv, row 4, column induk"
    assert english["masalah"][1]["pesan"] == "parent RAA.02 is not in the file"
    # a workbook cell holding a formula: its row and column number
    formula = workbook([["kode", "nama", "induk"], ["RAA.01", "=\"Aplikasi\"", None]])
    response = put_list(demo_service, "admin", "raa.xlsx", formula)
    assert response.status_code == 422, response.text
    assert [(p["sheet"], p["baris"], p["kolom"]) for p in response.json()["masalah"]] == [
        ("Sheet", 2, "2")]
    assert dump(demo_service.repository) == before


@pytest.mark.parametrize("scheme", ["RAB", "ral", "RAD"])
def test_the_verified_lists_are_refused_with_the_services_words(demo_service: Any,
                                                                scheme: str) -> None:
    before = dump(demo_service.repository)
    data = f"kode;nama;induk\n{scheme.upper()}.01;X;\n".encode()
    response = put_list(demo_service, "admin", "daftar.csv", data, scheme=scheme)
    assert response.status_code == 422, response.text
    assert response.json()["detail"].startswith(
        f"bagian alamat 'skema': {scheme.upper()} adalah daftar resmi yang sudah diverifikasi")
    assert dump(demo_service.repository) == before


def test_an_unknown_scheme_is_refused(demo_service: Any) -> None:
    response = put_list(demo_service, "admin", "x.csv", b"kode;nama;induk\n", scheme="XYZ",
                        lang="en")
    assert response.status_code == 422
    assert "unknown scheme 'XYZ'" in response.json()["detail"]


@pytest.mark.parametrize("role,status", [(None, 401), ("reader", 403), ("editor", 403),
                                         ("editor_b", 403)])
def test_only_an_admin_replaces_a_list(demo_service: Any, role: str | None,
                                       status: int) -> None:
    before = dump(demo_service.repository)
    response = put_list(demo_service, role, "raa.csv", OFFICIAL_RAA.encode())
    assert response.status_code == status, response.text
    assert dump(demo_service.repository) == before


def test_other_kinds_of_file_and_files_past_the_limit_are_refused(make_service: Any) -> None:
    repository = open_repository("memory:")
    load_demo(repository)
    service = make_service(repository, max_upload_bytes=200)
    before = dump(service.repository)
    response = put_list(service, "admin", "raa.txt", b"kode;nama;induk\n")
    assert response.status_code == 415
    assert response.json()["detail"] == "'raa.txt' bukan daftar kode .csv, .xlsx atau .json"
    response = put_list(service, "admin", "raa.csv", OFFICIAL_RAA.encode())
    assert response.status_code == 413, response.text
    assert dump(service.repository) == before


def test_a_repository_without_the_reference_is_409(service: Any) -> None:
    assert service.client.get("/api/referensi").status_code == 409
    response = put_list(service, "admin", "raa.csv", OFFICIAL_RAA.encode())
    assert response.status_code == 409, response.text
    assert "spbe-arch init" in response.json()["detail"]


def test_the_routes_are_in_the_openapi_document(service: Any) -> None:
    document = service.client.get("/openapi.json").json()
    get = document["paths"]["/api/referensi"]["get"]
    assert get["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SchemesOut"}
    put = document["paths"]["/api/referensi/{skema}"]["put"]
    assert put["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PlanOut"}
    assert {"403", "409", "413", "415", "422"} <= set(put["responses"])
    assert "multipart/form-data" in put["requestBody"]["content"]
    plan = document["components"]["schemas"]["PlanOut"]["properties"]
    assert {"ditambah", "dihapus", "diganti_nama", "dipindah", "elemen_terdampak",
            "uji_coba", "riwayat"} <= set(plan)
