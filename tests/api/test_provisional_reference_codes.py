"""REST writes of a code outside the provisional RAA/RAI/RAK lists: accepted, with the
warning in the `X-Peringatan` header; an unknown RAB code and a malformed RAA code are still
refused with 422 and nothing is written."""

from __future__ import annotations

import json
from typing import Any

import pytest

from spbe_arch import iris

APLIKASI = {"kode": "DISKOMINFO.A02", "nama": "Aplikasi kepegawaian daerah",
            "pemilik": "DISKOMINFO", "jenisAplikasi": "AplikasiUmum",
            "klasifikasiRAA": "RAA.07"}


def _dump(service: Any) -> bytes:
    return bytes(service.repository.export(None, "nquads"))


@pytest.mark.parametrize(("lang", "word"), [("id", "sementara"), ("en", "provisional")])
def test_put_accepts_a_code_outside_the_provisional_list_with_a_warning(
        arch_service: Any, lang: str, word: str) -> None:
    client = arch_service.client
    response = client.put(f"/api/aplikasi/{APLIKASI['kode']}", json=APLIKASI,
                          params={"lang": lang}, headers=arch_service.auth("editor"))
    assert response.status_code == 201, response.text
    [warning] = json.loads(response.headers["X-Peringatan"])
    assert "RAA.07" in warning and "klasifikasiRAA" in warning and word in warning
    assert response.json()["klasifikasiRAA"] == "RAA.07"
    stored = client.get(f"/api/aplikasi/{APLIKASI['kode']}").json()
    assert stored["klasifikasiRAA"] == "RAA.07"
    turtle = client.get(f"/api/aplikasi/{APLIKASI['kode']}",
                        headers={"Accept": "application/n-triples"}).text
    assert f"<{iris.reference_concept_iri('Perpres 132/2022', 'RAA.07')}>" in turtle


def test_patch_and_post_carry_the_warning_too(arch_service: Any) -> None:
    client = arch_service.client
    created = client.post("/api/aplikasi", json={**APLIKASI, "klasifikasiRAA": "RAA.02.01"},
                          headers=arch_service.auth("editor"))
    assert created.status_code == 201, created.text
    assert "X-Peringatan" not in created.headers  # a code of the list: nothing to say
    patched = client.patch(f"/api/aplikasi/{APLIKASI['kode']}",
                           json={"klasifikasiRAA": "RAA.02.09"},
                           headers=arch_service.auth("editor"))
    assert patched.status_code == 200, patched.text
    assert "RAA.02.09" in json.loads(patched.headers["X-Peringatan"])[0]
    infra = client.post("/api/infrastruktur", json={
        "kode": "DISKOMINFO.I09", "nama": "Pusat data cadangan", "pemilik": "DISKOMINFO",
        "jenisInfrastruktur": "KomputasiAwan", "klasifikasiRAI": "RAI.09"},
        headers=arch_service.auth("editor"))
    assert infra.status_code == 201, infra.text
    assert "RAI.09" in json.loads(infra.headers["X-Peringatan"])[0]


@pytest.mark.parametrize(("path", "body", "said"), [
    ("/api/proses-bisnis/DISKOMINFO.09",
     {"kode": "DISKOMINFO.09", "nama": "Proses baru", "pemilik": "DISKOMINFO",
      "klasifikasiRAB": "RAB.01.01.99", "jenisProses": "ProsesUtama", "statusProses": "AsIs"},
     "'RAB.01.01.99' is not in"),
    (f"/api/aplikasi/{APLIKASI['kode']}", {**APLIKASI, "klasifikasiRAA": "RAA 07"},
     "'RAA 07' is not a well-formed RAA code"),
    (f"/api/aplikasi/{APLIKASI['kode']}", {**APLIKASI, "klasifikasiRAA": "RAI.01"},
     "starts with 'RAA.'")])
def test_unknown_official_and_malformed_codes_are_still_refused(
        arch_service: Any, path: str, body: dict[str, Any], said: str) -> None:
    before = _dump(arch_service)
    response = arch_service.client.put(path, json=body, params={"lang": "en"},
                                       headers=arch_service.auth("editor"))
    assert response.status_code == 422, response.text
    assert any(said in p for p in response.json()["problems"])
    assert _dump(arch_service) == before


def test_the_header_is_in_the_openapi_document(arch_service: Any) -> None:
    document = arch_service.client.get("/openapi.json").json()
    put = document["paths"]["/api/aplikasi/{code}"]["put"]
    assert "X-Peringatan" in put["responses"]["200"]["headers"]
    assert "X-Peringatan" in put["responses"]["201"]["headers"]
