"""REST writes at their edges: what a refused write says and that it leaves the store as it
was; links another entity loses when one it points at is deleted with `?force=true`."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from tests.api.conftest import architecture_repository

LINKED = "DISDUKCAPIL.L01"
"""In fixture.ttl, realised by DISDUKCAPIL.01 (its own OPD) and supported by the
application DISKOMINFO.A01 of another OPD."""


def _dump(service: Any) -> bytes:
    return bytes(service.repository.export(None, "nquads"))


def test_force_delete_needs_the_scope_of_every_entity_losing_a_link(
        arch_service: Any) -> None:
    # the application of DISKOMINFO loses its link to the layanan: an editor of
    # DISDUKCAPIL alone must not change an entity of DISKOMINFO that way
    client = arch_service.client
    before = _dump(arch_service)
    refused = client.delete(f"/api/layanan/{LINKED}", params={"force": "true"},
                            headers=arch_service.auth("editor_b"))
    assert refused.status_code == 403, refused.text
    assert "DISKOMINFO" in refused.json()["detail"]
    assert _dump(arch_service) == before
    assert LINKED in client.get("/api/aplikasi/DISKOMINFO.A01").json()["mendukungLayanan"]


@pytest.mark.slow
def test_force_delete_records_the_entities_losing_a_link(arch_service: Any) -> None:
    client = arch_service.client
    application = client.get("/api/aplikasi/DISKOMINFO.A01").json()
    deleted = client.delete(f"/api/layanan/{LINKED}", params={"force": "true"},
                            headers=arch_service.auth("admin"))
    assert deleted.status_code == 204, deleted.text
    assert client.get("/api/aplikasi/DISKOMINFO.A01").json()["mendukungLayanan"] == []
    latest = client.get("/history", params={"limit": 1}).json()["items"][0]
    assert latest["keterangan"] == f"REST DELETE layanan {LINKED}"
    assert application["@id"] in latest["entitas"]


NEW = {"kode": "DISKOMINFO.02", "nama": "Pengelolaan jaringan intra pemerintah",
       "pemilik": "DISKOMINFO", "klasifikasiRAB": "RAB.01.01.01",
       "jenisProses": "ProsesPendukung", "statusProses": "Baru"}


@pytest.mark.parametrize("code", [True, ["DISKOMINFO.02"], {"kode": "DISKOMINFO.02"}, 1.5])
def test_a_code_that_is_not_text_is_refused_not_stored_as_python_text(
        arch_service: Any, code: object) -> None:
    # `true` was created as the code "True", a list as "['DISKOMINFO.02']"
    before = _dump(arch_service)
    response = arch_service.client.post("/api/proses-bisnis", json={**NEW, "kode": code},
                                        headers=arch_service.auth("admin"))
    assert response.status_code == 422, response.text
    (problem,) = response.json()["problems"]
    assert "kode" in problem and "teks" in problem
    assert _dump(arch_service) == before


def test_a_code_too_long_for_the_address_is_refused(arch_service: Any) -> None:
    # it was created, and then no GET, PUT, PATCH or DELETE could name it (the address
    # takes at most 200 characters)
    before = _dump(arch_service)
    response = arch_service.client.post("/api/proses-bisnis", json={**NEW, "kode": "P" * 201},
                                        headers={**arch_service.auth("admin"),
                                                 "accept-language": "en"})
    assert response.status_code == 422, response.text
    (problem,) = response.json()["problems"]
    assert "kode" in problem and "200" in problem
    assert _dump(arch_service) == before
    longest = arch_service.client.post("/api/proses-bisnis", json={**NEW, "kode": "P" * 200},
                                       headers=arch_service.auth("admin"))
    assert longest.status_code == 201, longest.text
    assert arch_service.client.get(longest.headers["location"]).status_code == 200


@pytest.mark.parametrize("code", ["PB\x0001", "PB\t01", "PB\n01", "PB\x7f01"])
def test_a_code_with_a_control_character_is_refused(arch_service: Any, code: str) -> None:
    # it was stored with only the code-pattern warning, and could not be typed afterwards
    before = _dump(arch_service)
    response = arch_service.client.post("/api/proses-bisnis", json={**NEW, "kode": code},
                                        headers=arch_service.auth("admin"))
    assert response.status_code == 422, response.text
    (problem,) = response.json()["problems"]
    assert "karakter kendali" in problem
    assert _dump(arch_service) == before


def test_a_refused_caller_is_told_the_action_in_words(arch_service: Any) -> None:
    # it said "mengubah proses-bisnis" (the address segment) for a deletion too
    client = arch_service.client
    deleted = client.delete("/api/proses-bisnis/DISKOMINFO.01",
                            headers=arch_service.auth("reader"))
    assert deleted.status_code == 403
    assert deleted.json()["detail"].startswith("menghapus Proses Bisnis memerlukan peran editor")
    created = client.post("/api/layanan", json={"kode": "L.X"}, headers={"accept-language": "en"})
    assert created.status_code == 401
    assert created.json()["detail"].startswith("creating a Service needs an API token")


def test_if_match_star_on_a_missing_entity_says_it_does_not_exist(arch_service: Any) -> None:
    # it said the entity had changed since it was read, which nobody did
    before = _dump(arch_service)
    response = arch_service.client.put(
        "/api/proses-bisnis/DISKOMINFO.09", json={k: v for k, v in NEW.items() if k != "kode"},
        headers={**arch_service.auth("admin"), "if-match": "*"})
    assert response.status_code == 412
    assert response.json()["detail"] == (
        "Proses Bisnis dengan kode 'DISKOMINFO.09' tidak ada, padahal If-Match: * meminta"
        " entitas yang sudah ada; tidak ada yang disimpan")
    assert _dump(arch_service) == before


@pytest.mark.parametrize("padded", ["DISKOMINFO.01 ", " DISKOMINFO.01", "DISKOMINFO.01\u00a0"])
def test_a_padded_code_is_the_code_it_is_stored_as(arch_service: Any, padded: str) -> None:
    # the model strips the spaces; the route looked the padded code up, found nothing and
    # so replaced the existing DISKOMINFO.01 behind a 201 with an empty body (POST), or
    # despite If-None-Match: * (PUT)
    client, admin = arch_service.client, arch_service.auth("admin")
    before = _dump(arch_service)
    posted = client.post("/api/proses-bisnis", json={**NEW, "kode": padded}, headers=admin)
    assert posted.status_code == 409, posted.text
    put = client.put(f"/api/proses-bisnis/{quote(padded, safe='')}",
                     json={k: v for k, v in NEW.items() if k != "kode"},
                     headers={**admin, "if-none-match": "*"})
    assert put.status_code == 412, put.text
    assert _dump(arch_service) == before


def test_a_new_padded_code_is_created_under_its_stripped_code(arch_service: Any) -> None:
    response = arch_service.client.post("/api/proses-bisnis",
                                        json={**NEW, "kode": " DISKOMINFO.05 "},
                                        headers=arch_service.auth("admin"))
    assert response.status_code == 201, response.text
    assert response.json()["kode"] == "DISKOMINFO.05"
    assert response.headers["location"].endswith("/api/proses-bisnis/DISKOMINFO.05")


def test_an_owner_given_as_a_one_element_list_is_that_owner(arch_service: Any) -> None:
    # the model takes one value in a list; the scope check took the list's Python text and
    # refused the editor "over OPD %5B%27DISKOMINFO%27%5D"
    response = arch_service.client.patch("/api/proses-bisnis/DISKOMINFO.01",
                                         json={"pemilik": ["DISKOMINFO"], "uraian": "Baru"},
                                         headers=arch_service.auth("editor"))
    assert response.status_code == 200, response.text
    assert response.json()["pemilik"] == "DISKOMINFO"
    moved = arch_service.client.patch("/api/proses-bisnis/DISKOMINFO.01",
                                      json={"pemilik": [" DISDUKCAPIL"]},
                                      headers=arch_service.auth("editor"))
    assert moved.status_code == 403
    assert moved.json()["detail"].endswith("tidak berwenang atas OPD DISDUKCAPIL")


@pytest.mark.parametrize("role", ["admin", None])
def test_a_body_over_the_upload_limit_is_refused_before_it_is_read(
        make_service: Any, role: str | None) -> None:
    # a REST body of any size was read and parsed (a 60 MB `uraian` was stored), also
    # for an anonymous caller, whose write is refused only after the body is in memory
    service = make_service(architecture_repository(), max_upload_bytes=2000)
    before = _dump(service)
    body = {"kode": "DISKOMINFO.01", "uraian": "x" * 3000}
    for method in ("POST", "PUT", "PATCH"):
        path = "/api/proses-bisnis" + ("" if method == "POST" else "/DISKOMINFO.01")
        response = service.client.request(method, path, json=body, headers=service.auth(role))
        assert response.status_code == 413, response.text
        assert response.json()["detail"] == "isi permintaan melebihi batas 2000 byte"
    assert _dump(service) == before
    small = service.client.patch("/api/proses-bisnis/DISKOMINFO.01", json={"uraian": "pendek"},
                                 headers=service.auth("admin"))
    assert small.status_code == 200, small.text


@pytest.mark.parametrize("code", [".", "..", "A\u0085B"])
def test_a_code_no_address_can_name_is_refused(arch_service: Any, code: str) -> None:
    """`..` was created (201, `Location: …/proses-bisnis/..`, IRI `…/proses-bisnis/..`), but
    clients resolve that address to `/api/`: the entity could not be read or deleted. A C1
    control character (NEL) passed the control-character rule, which knew C0 only."""
    before = _dump(arch_service)
    response = arch_service.client.post("/api/proses-bisnis", json={**NEW, "kode": code},
                                        headers=arch_service.auth("admin"))
    assert response.status_code == 422, response.text
    assert f"proses-bisnis '{code}'" in response.json()["problems"][0]
    assert _dump(arch_service) == before


def test_a_blank_code_in_the_address_is_worded_for_the_address(arch_service: Any) -> None:
    """`DELETE /api/opd/%20` said "kolom 'kode' wajib diisi", as if a body field were
    missing."""
    client, admin = arch_service.client, arch_service.auth("admin")
    for method, path, body in (("DELETE", "/api/opd/%20", None),
                               ("PATCH", "/api/layanan/%09", {"nama": "x"}),
                               ("PUT", "/api/opd/%20%20", {"nama": "x"})):
        response = client.request(method, path, json=body, headers=admin)
        assert response.status_code == 400, (method, path, response.text)
        detail = response.json()["detail"]
        assert detail.startswith("alamat tidak menyebut kode "), detail
        assert "kolom" not in detail
    english = client.delete("/api/opd/%20", headers={**admin, "accept-language": "en"})
    assert english.json()["detail"].startswith("the address names no ")
    assert english.json()["detail"].endswith(
        " code: its code segment (\" \") is empty or only white space")
    # a body without a code still names the field
    missing = client.post("/api/opd", json={"nama": "x"}, headers=admin)
    assert missing.status_code == 400 and "'kode'" in missing.json()["detail"]
