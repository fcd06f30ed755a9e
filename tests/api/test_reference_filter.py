"""`GET /api/{kind}?ref=` with a code stored outside the provisional RAA/RAI/RAK lists: the
element is found by its own code (it is stored under the concept IRI minted for the code,
which no loaded concept holds); a code no list holds and no element carries is still 404."""

from __future__ import annotations

from typing import Any

APLIKASI = {"kode": "DISKOMINFO.A02", "nama": "Aplikasi kepegawaian daerah",
            "pemilik": "DISKOMINFO", "jenisAplikasi": "AplikasiUmum",
            "klasifikasiRAA": "RAA.07"}


def _store_outside_the_list(arch_service: Any) -> None:
    response = arch_service.client.put(f"/api/aplikasi/{APLIKASI['kode']}", json=APLIKASI,
                                       headers=arch_service.auth("editor"))
    assert response.status_code == 201, response.text
    assert "X-Peringatan" in response.headers


def test_a_code_outside_the_list_finds_its_elements(arch_service: Any) -> None:
    _store_outside_the_list(arch_service)
    client = arch_service.client
    page = client.get("/api/aplikasi", params={"ref": "RAA.07"})
    assert page.status_code == 200, page.text
    assert [i["kode"] for i in page.json()["items"]] == [APLIKASI["kode"]]
    assert page.json()["total"] == 1
    # the other filters still apply: another OPD has none, which is an answer, not a typo
    other = client.get("/api/aplikasi", params={"ref": "RAA.07", "opd": "SETDA"})
    assert other.status_code == 200, other.text
    assert other.json()["total"] == 0
    # a code of the list still finds its own elements and not this one
    listed = client.get("/api/aplikasi", params={"ref": "RAA.01"}).json()
    assert APLIKASI["kode"] not in [i["kode"] for i in listed["items"]]


def test_a_code_no_list_holds_and_no_element_carries_is_refused(arch_service: Any) -> None:
    _store_outside_the_list(arch_service)
    client = arch_service.client
    typo = client.get("/api/aplikasi", params={"ref": "RAA.7"})
    assert typo.status_code == 404
    assert typo.json()["detail"] == (
        "parameter 'ref': kode 'RAA.7' tidak ada dalam Referensi Arsitektur Aplikasi (RAA),"
        " referensi yang mengklasifikasikan Aplikasi SPBE, dan tidak ada elemen yang memakainya")
    english = client.get("/api/aplikasi", params={"ref": "RAA.77", "lang": "en"})
    assert english.status_code == 404
    assert english.json()["detail"].endswith("and no element carries it")
