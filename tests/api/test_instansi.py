"""`/api/instansi/{kode_wilayah}`: the government body and its architecture periods over REST
(reading, admin-only writes, refusals that name the field, the rules, the audit trail)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.api.conftest import Service, ServiceFactory

from spbe_arch import datasets, iris
from spbe_arch.repository import LoadSource, Repository, open_repository

KAB = "3513"
NAMA = "Pemerintah Kabupaten Probolinggo"
BODY = str(iris.instansi_iri(KAB))
PERIOD = str(iris.element_iri(KAB, "periode", "2025-2029"))
UJI = "https://w3id.org/spbe-arch/ref/uji-2030"
# A body whose period 2025-2029 is under a reference version of its own ("uji-2030") and
# whose process is classified with a code only that version has: a new period, which the
# service records under Perpres 132/2022, makes that code one the version in force lacks.
OTHER_VERSION = f"""
@prefix spbe: <https://w3id.org/spbe-arch/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{UJI}> a spbe:VersiReferensi ; spbe:nama "Referensi uji 2030" .
<{UJI}/RAB> a skos:ConceptScheme ; spbe:jenisReferensi "RAB" ; spbe:versiReferensi <{UJI}> .
<{UJI}/RAB.99.01.01> a skos:Concept ; skos:inScheme <{UJI}/RAB> ; spbe:level 3 ;
    skos:notation "RAB.99.01.01" ; skos:prefLabel "Proses uji"@id .
"""
OTHER_BODY = f"""
@prefix spbe: <https://w3id.org/spbe-arch/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{BODY}> a spbe:Instansi , spbe:PemerintahDaerah ; spbe:kodeWilayah "{KAB}" ;
    spbe:nama "{NAMA}" ; spbe:periode <{PERIOD}> .
<{PERIOD}> a spbe:PeriodeArsitektur ; spbe:nama "Arsitektur SPBE uji 2025-2029" ;
    spbe:tahunMulai "2025"^^xsd:gYear ; spbe:tahunSelesai "2029"^^xsd:gYear ;
    spbe:statusDokumen spbe:Draft ; spbe:versiReferensi <{UJI}> .
<{iris.element_iri(KAB, "opd", "SETDA")}> a spbe:PerangkatDaerah ; spbe:kode "SETDA" ;
    spbe:nama "Sekretariat Daerah" ; spbe:instansi <{BODY}> .
<{iris.element_iri(KAB, "proses-bisnis", "SETDA.01")}> a spbe:ProsesBisnis ;
    spbe:kode "SETDA.01" ; spbe:nama "Proses uji" ; spbe:instansi <{BODY}> ;
    spbe:pemilik <{iris.element_iri(KAB, "opd", "SETDA")}> ;
    spbe:klasifikasiRAB <{UJI}/RAB.99.01.01> ; spbe:jenisProses spbe:ProsesUtama ;
    spbe:statusProses spbe:AsIs .
"""


def base_repository() -> Repository:
    """Ontology, shapes and the national reference, no body yet."""
    repository = open_repository("memory:")
    repository.load(datasets.base_sources())
    return repository


@pytest.fixture
def service(make_service: ServiceFactory) -> Service:
    return make_service(base_repository())


@pytest.fixture
def recorded(service: Service) -> Service:
    """Body 3513 recorded through the API, with its draft period 2025-2029."""
    made = service.client.put(f"/api/instansi/{KAB}", headers=service.auth("admin"),
                              json={"nama": NAMA, "periode": "2025-2029"})
    assert made.status_code == 201, made.text
    return service


def dump(service: Service) -> bytes:
    return service.repository.export(None, "nquads")


def history(service: Service, entity: str) -> list[dict[str, Any]]:
    answer = service.client.get("/history", params={"entity": entity},
                                headers=service.auth("reader"))
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


def test_an_admin_records_renames_and_enacts_the_body(service: Service) -> None:
    admin = service.auth("admin")
    made = service.client.put(f"/api/instansi/{KAB}", headers=admin,
                              json={"nama": NAMA, "periode": "2025-2029"})
    assert made.status_code == 201, made.text
    assert made.headers["location"].endswith(f"/api/instansi/{KAB}")
    assert made.json() == service.client.get(f"/api/instansi/{KAB}",
                                             headers=service.auth("reader")).json()
    assert made.json()["nama"] == NAMA
    assert [(p["periode"], p["status"], p["versi_referensi"]) for p in made.json()["periode"]] \
        == [("2025-2029", "Draft", "Perpres 132/2022")]
    # a new name replaces the old one; the same request again changes nothing, not even
    # the audit trail
    renamed = service.client.put(f"/api/instansi/{KAB}", headers=admin,
                                 json={"nama": "Pemerintah Kab. Probolinggo"})
    assert renamed.status_code == 200 and renamed.json()["nama"] == "Pemerintah Kab. Probolinggo"
    before, trail = dump(service), history(service, BODY)
    again = service.client.put(f"/api/instansi/{KAB}", headers=admin,
                               json={"nama": " Pemerintah Kab.  Probolinggo "})
    assert again.status_code == 200 and dump(service) == before
    assert history(service, BODY) == trail
    # the period enacted: status, regulation number and date (written as people write it)
    enacted = service.client.patch(
        f"/api/instansi/{KAB}/periode/2025-2029", headers=admin,
        json={"status": "ditetapkan", "nomor_regulasi": "Peraturan Bupati Probolinggo Nomor 12"
              " Tahun 2026", "tanggal_regulasi": "4 Desember 2026"})
    assert enacted.status_code == 200, enacted.text
    assert {k: enacted.json()[k] for k in ("status", "nomor_regulasi", "tanggal_regulasi")} == {
        "status": "Ditetapkan", "nomor_regulasi": "Peraturan Bupati Probolinggo Nomor 12 Tahun"
        " 2026", "tanggal_regulasi": "2026-12-04"}
    assert service.client.get(f"/api/instansi/{KAB}/periode/2025-2029").json() == enacted.json()
    # only the fields given change; "" removes the number
    cleared = service.client.patch(f"/api/instansi/{KAB}/periode/2025-2029", headers=admin,
                                   json={"nomor_regulasi": ""})
    assert (cleared.json()["status"], cleared.json()["nomor_regulasi"],
            cleared.json()["tanggal_regulasi"]) == ("Ditetapkan", None, "2026-12-04")
    # a period not yet recorded is created (201, with its address)
    added = service.client.patch(f"/api/instansi/{KAB}/periode/2030-2034", headers=admin,
                                 json={})
    assert added.status_code == 201, added.text
    assert added.headers["location"].endswith(f"/api/instansi/{KAB}/periode/2030-2034")
    assert added.json()["status"] == "Draft"
    # every change is in the audit trail, made by the admin's token
    trail = history(service, BODY)
    assert [item["keterangan"] for item in trail] == [
        f"Catat periode 2030-2034 instansi {KAB}",
        f"Ubah periode 2025-2029 instansi {KAB}: nomor regulasi",
        f"Ubah periode 2025-2029 instansi {KAB}: status, nomor regulasi, tanggal regulasi",
        f"Ubah instansi {KAB}", f"Catat instansi {KAB}"]
    assert {item["agen"] for item in trail} == {"admin-uji"}
    assert len(history(service, PERIOD)) == 3


def _put(s: Service, h: dict[str, str]) -> Any:
    return s.client.put(f"/api/instansi/{KAB}", headers=h, json={"nama": "Diambil alih"})


def _patch(s: Service, h: dict[str, str]) -> Any:
    return s.client.patch(f"/api/instansi/{KAB}/periode/2025-2029", headers=h,
                          json={"status": "ditetapkan"})


def _put_bad_body(s: Service, h: dict[str, str]) -> Any:
    # refused for the role before the body is read: a caller without rights learns nothing
    return s.client.put(f"/api/instansi/{KAB}", headers=h, json={"nama": 1, "x": 2})


@pytest.mark.parametrize("write", [_put, _patch, _put_bad_body], ids=lambda w: w.__name__)
@pytest.mark.parametrize(("role", "status"), [(None, 401), ("reader", 403), ("editor", 403),
                                              ("editor_b", 403)])
def test_only_an_admin_writes(recorded: Service, write: Callable[[Service, dict[str, str]], Any],
                              role: str | None, status: int) -> None:
    before = dump(recorded)
    refused = write(recorded, recorded.auth(role))
    assert refused.status_code == status, refused.text
    assert "admin" in refused.json()["detail"] or "token API" in refused.json()["detail"]
    assert dump(recorded) == before


def test_reading_follows_the_read_setting(make_service: ServiceFactory) -> None:
    closed = make_service(base_repository(), anonymous_read=False)
    closed.client.put(f"/api/instansi/{KAB}", headers=closed.auth("admin"),
                      json={"nama": NAMA, "periode": "2025-2029"})
    assert closed.client.get(f"/api/instansi/{KAB}").status_code == 401
    assert closed.client.get(f"/api/instansi/{KAB}/periode/2025-2029").status_code == 401
    assert closed.client.get(f"/api/instansi/{KAB}",
                             headers=closed.auth("reader")).json()["nama"] == NAMA


@pytest.mark.parametrize(("method", "path", "body", "words"), [
    ("PATCH", f"/api/instansi/{KAB}/periode/2029-2025", {"status": "draft"},
     "bagian alamat 'periode': periode '2029-2025' tidak dapat dibaca"),
    ("PATCH", f"/api/instansi/{KAB}/periode/2025", {}, "bagian alamat 'periode'"),
    ("PATCH", f"/api/instansi/{KAB}/periode/2025-2029", {"status": "final"},
     "isi permintaan 'status': status 'final' tidak dikenal"),
    ("PATCH", f"/api/instansi/{KAB}/periode/2025-2029", {"tanggal_regulasi": "31 Juni 2026"},
     "isi permintaan 'tanggal_regulasi': tanggal regulasi '31 Juni 2026' tidak dapat dibaca"),
    ("PATCH", f"/api/instansi/{KAB}/periode/2025-2029", {"nomorRegulasi": "12"},
     "isi permintaan 'nomorRegulasi': tidak dikenal"),
    ("PUT", "/api/instansi/3574", {"nama": "Pemerintah Kota Probolinggo"},
     "isi permintaan 'periode': instansi 3574 belum tercatat: sebutkan namanya dan periode"
     " arsitekturnya (mis. 2025-2029)"),
    ("PUT", "/api/instansi/3574", {"nama": " "}, "isi permintaan 'nama': instansi 3574 belum"
                                                 " tercatat"),
    ("PUT", "/api/instansi/3574", {"nama": "Kota", "periode": "2025-29"},
     "isi permintaan 'periode': periode '2025-29' tidak dapat dibaca"),
    ("PUT", "/api/instansi/35.74", {"nama": "Kota", "periode": "2025-2029"},
     "bagian alamat 'kode_wilayah': tidak sesuai pola"),
    ("PUT", f"/api/instansi/{KAB}", {"periode": "2025-2029"}, "isi permintaan 'nama': wajib"),
])
def test_bad_input_is_refused_naming_the_field(recorded: Service, method: str, path: str,
                                               body: dict[str, Any], words: str) -> None:
    before = dump(recorded)
    refused = recorded.client.request(method, path, json=body, headers=recorded.auth("admin"))
    assert refused.status_code == 422, refused.text
    answer = refused.json()
    assert words in (answer.get("pesan") or answer["detail"])
    assert dump(recorded) == before


@pytest.mark.parametrize(("method", "body"), [("GET", None), ("PATCH", {"status": "draft"})])
@pytest.mark.parametrize(("lang", "words"), [
    ("id", f"bagian alamat 'kode_wilayah': instansi {KAB} belum tercatat; catat dulu dengan"
           f" PUT /api/instansi/{KAB} (nama dan periode)"),
    ("en", f"path segment 'kode_wilayah': instansi {KAB} is not recorded yet; record it first"
           f" with PUT /api/instansi/{KAB} (nama and periode)"),
])
def test_a_body_not_recorded_is_recorded_with_put(service: Service, method: str,
                                                  body: dict[str, str] | None, lang: str,
                                                  words: str) -> None:
    path = f"/api/instansi/{KAB}" if method == "GET" else f"/api/instansi/{KAB}/periode/2025-2029"
    answer = service.client.request(method, f"{path}?lang={lang}", json=body,
                                    headers=service.auth("admin"))
    assert answer.status_code == 404, answer.text
    assert answer.json()["detail"] == words  # the request's way, not the command line's


def test_a_store_without_the_reference_names_its_operator(make_service: ServiceFactory
                                                          ) -> None:
    service = make_service(open_repository("memory:"))
    refused = service.client.put(f"/api/instansi/{KAB}", headers=service.auth("admin"),
                                 json={"nama": NAMA, "periode": "2025-2029"})
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"] == ("referensi nasional Perpres 132/2022 belum dimuat di"
                                        " repositori; pengelola server memuatnya dengan"
                                        " `spbe-arch init`")


def test_messages_follow_the_request_language(recorded: Service) -> None:
    refused = recorded.client.patch(f"/api/instansi/{KAB}/periode/2025-2029?lang=en",
                                    headers=recorded.auth("admin"), json={"status": "final"})
    assert refused.json()["detail"] == ("request body 'status': unknown status 'final': choose"
                                        " draft or ditetapkan")


def test_an_unknown_body_or_period_is_not_found(recorded: Service) -> None:
    before = dump(recorded)
    for answer in (recorded.client.get("/api/instansi/3547"),
                   recorded.client.patch("/api/instansi/3547/periode/2025-2029", json={},
                                         headers=recorded.auth("admin"))):
        assert answer.status_code == 404, answer.text
        assert answer.json()["detail"] == ("bagian alamat 'kode_wilayah': instansi dengan kode"
                                           f" wilayah '3547' tidak ada di repositori; kode yang"
                                           f" ada: {KAB}")
    missing = recorded.client.get(f"/api/instansi/{KAB}/periode/2030-2034")
    assert missing.status_code == 404
    assert missing.json()["detail"] == (f"bagian alamat 'periode': instansi {KAB} tidak punya"
                                        " periode 2030-2034; periode yang ada: 2025-2029")
    assert dump(recorded) == before


def test_a_change_breaking_a_rule_is_refused_and_nothing_is_written(
        make_service: ServiceFactory, tmp_path: Path) -> None:
    repository = base_repository()
    version, body = tmp_path / "versi.ttl", tmp_path / "instansi.ttl"
    version.write_text(OTHER_VERSION, encoding="utf-8")
    body.write_text(OTHER_BODY, encoding="utf-8")
    repository.load([LoadSource(version, "turtle", iris.reference_graph("uji-2030")),
                     LoadSource(body, "turtle", iris.instansi_graph(KAB))])
    service = make_service(repository)
    before = dump(service)
    refused = service.client.patch(f"/api/instansi/{KAB}/periode/2030-2034",
                                   headers=service.auth("admin"), json={})
    assert refused.status_code == 422, refused.text
    answer = refused.json()
    assert "melanggar aturan arsitektur" in answer["detail"]
    results = answer["validation"]["results"]
    process = str(iris.element_iri(KAB, "proses-bisnis", "SETDA.01"))
    assert {r["focusNode"] for r in results} == {process}
    assert any("versi referensi yang berlaku" in r["message"] for r in results)
    assert dump(service) == before
    assert history(service, BODY) == []
    # the period that breaks nothing is still theirs to change
    enacted = service.client.patch(f"/api/instansi/{KAB}/periode/2025-2029",
                                   headers=service.auth("admin"), json={"status": "ditetapkan"})
    assert enacted.status_code == 200 and enacted.json()["versi_referensi"] == (
        "Referensi uji 2030")


def test_the_routes_are_in_the_openapi_document(service: Service) -> None:
    document = service.client.get("/openapi.json").json()
    body, period = (document["paths"]["/api/instansi/{kode_wilayah}"],
                    document["paths"]["/api/instansi/{kode_wilayah}/periode/{periode}"])
    assert set(body) == {"get", "put"} and set(period) == {"get", "patch"}
    for operation, codes in ((body["put"], {"200", "201", "401", "403", "422"}),
                             (period["patch"], {"200", "201", "401", "403", "404", "422"}),
                             (body["get"], {"200", "401", "404"})):
        assert codes <= set(operation["responses"]), operation["responses"].keys()
    schemas = document["components"]["schemas"]
    assert set(schemas["PeriodeBody"]["properties"]) == {"status", "nomor_regulasi",
                                                          "tanggal_regulasi"}
    assert schemas["InstansiBody"]["required"] == ["nama"]
