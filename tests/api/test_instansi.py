"""`/api/instansi/{kode_wilayah}`: the government body and its architecture periods over REST
(reading, admin-only writes, refusals that name the field, the rules, the audit trail)."""

from __future__ import annotations

import re
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


BODY_ONLY = f"""
@prefix spbe: <https://w3id.org/spbe-arch/ontology#> .
<{BODY}> a spbe:Instansi ; spbe:kodeWilayah "{KAB}" ; spbe:nama "{NAMA}" .
"""


@pytest.mark.parametrize(("lang", "words"), [
    ("id", "referensi nasional Perpres 132/2022 belum dimuat di repositori; jalankan"
           " `spbe-arch init` tanpa opsi dulu di server"),
    ("en", "the national reference Perpres 132/2022 is not loaded in the repository; run"
           " `spbe-arch init` without options first on the server"),
])
def test_a_store_without_the_reference_is_a_conflict_naming_init(
        make_service: ServiceFactory, tmp_path: Path, lang: str, words: str) -> None:
    # the request is fine, the server's repository is not: 409 (its state), not 422
    body = tmp_path / "instansi.ttl"
    body.write_text(BODY_ONLY, encoding="utf-8")
    repository = open_repository("memory:")
    repository.load([LoadSource(body, "turtle", iris.instansi_graph(KAB))])
    service = make_service(repository)
    before = dump(service)
    for refused in (
            service.client.put(f"/api/instansi/3574?lang={lang}",
                               headers=service.auth("admin"),
                               json={"nama": "Pemerintah Kota Probolinggo",
                                     "periode": "2025-2029"}),
            service.client.patch(f"/api/instansi/{KAB}/periode/2025-2029?lang={lang}",
                                 headers=service.auth("admin"), json={})):
        assert refused.status_code == 409, refused.text
        assert refused.json()["detail"] == words
    assert dump(service) == before


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
    for operation, codes in (
            (body["put"], {"200", "201", "401", "403", "409", "412", "422"}),
            (period["patch"], {"200", "201", "401", "403", "404", "409", "412", "422"}),
            (body["get"], {"200", "304", "401", "404"}),
            (period["get"], {"200", "304", "401", "404"})):
        assert codes <= set(operation["responses"]), operation["responses"].keys()
    # the conditional headers, as the REST resources declare them
    for operation, headers in ((body["get"], {"if-none-match"}),
                               (period["get"], {"if-none-match"}),
                               (body["put"], {"if-match", "if-none-match"}),
                               (period["patch"], {"if-match"})):
        assert {p["name"] for p in operation["parameters"] if p["in"] == "header"} == headers
    schemas = document["components"]["schemas"]
    assert set(schemas["PeriodeBody"]["properties"]) == {"status", "nomor_regulasi",
                                                          "tanggal_regulasi"}
    assert schemas["InstansiBody"]["required"] == ["nama"]


# --- conditional requests: ETag, If-Match, If-None-Match ------------------------------------

def _read(service: Service, path: str = f"/api/instansi/{KAB}") -> tuple[str, dict[str, Any]]:
    answer = service.client.get(path, headers=service.auth("reader"))
    assert answer.status_code == 200, answer.text
    return answer.headers["etag"], answer.json()


def test_the_body_and_its_periods_have_an_etag_and_answer_304(recorded: Service) -> None:
    period_path = f"/api/instansi/{KAB}/periode/2025-2029"
    tag, _ = _read(recorded)
    period_tag, _ = _read(recorded, period_path)
    assert re.fullmatch(r'"[0-9a-f]{32}"', tag) and tag != period_tag
    assert _read(recorded)[0] == tag  # the same state, the same tag
    for path, known in ((f"/api/instansi/{KAB}", tag), (period_path, period_tag)):
        for header in (known, f"W/{known}", f'"other", {known}', "*"):
            cached = recorded.client.get(path, headers={"If-None-Match": header})
            assert cached.status_code == 304, (path, header)
            assert cached.content == b"" and cached.headers["etag"] == known
        assert recorded.client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    # a change makes a new tag for the body and for the period changed
    recorded.client.patch(period_path, headers=recorded.auth("admin"),
                          json={"status": "ditetapkan"})
    assert recorded.client.get(f"/api/instansi/{KAB}",
                               headers={"If-None-Match": tag}).status_code == 200
    assert _read(recorded, period_path)[0] != period_tag


def test_a_rename_with_a_stale_etag_is_refused_and_writes_nothing(recorded: Service) -> None:
    admin = recorded.auth("admin")
    tag, _ = _read(recorded)
    # two admins read the body; the first renames it with the tag it read
    first = recorded.client.put(f"/api/instansi/{KAB}", json={"nama": "Pemerintah Kab. A"},
                                headers={**admin, "If-Match": tag})
    assert first.status_code == 200, first.text
    assert first.headers["etag"] == _read(recorded)[0] != tag
    before, trail = dump(recorded), history(recorded, BODY)
    # the second, with the same (now stale) tag, is refused: the first name stays
    second = recorded.client.put(f"/api/instansi/{KAB}", json={"nama": "Pemerintah Kab. B"},
                                 headers={**admin, "If-Match": tag})
    assert second.status_code == 412, second.text
    assert second.json()["detail"] == (
        f"instansi {KAB} sudah berubah sejak Anda membacanya: If-Match tidak cocok; ambil lagi"
        f" (GET /api/instansi/{KAB}), lalu ulangi perubahan; tidak ada yang disimpan")
    assert dump(recorded) == before and history(recorded, BODY) == trail
    assert _read(recorded)[1]["nama"] == "Pemerintah Kab. A"
    # a weak tag never matches a write's condition, even of the current state
    weak = recorded.client.put(f"/api/instansi/{KAB}", json={"nama": "Pemerintah Kab. B"},
                               headers={**admin, "If-Match": f"W/{first.headers['etag']}"})
    assert weak.status_code == 412
    english = recorded.client.put(f"/api/instansi/{KAB}?lang=en", json={"nama": "B"},
                                  headers={**admin, "If-Match": tag})
    assert english.json()["detail"] == (
        f"instansi {KAB} has changed since you read it: If-Match does not match; fetch it"
        f" again (GET /api/instansi/{KAB}), then redo the change; nothing was stored")
    assert dump(recorded) == before


def test_put_with_a_star_records_only_or_changes_only(service: Service) -> None:
    admin = service.auth("admin")
    new = {"nama": NAMA, "periode": "2025-2029"}
    empty = dump(service)
    # If-Match: * needs a recorded body
    refused = service.client.put(f"/api/instansi/{KAB}", json=new,
                                 headers={**admin, "If-Match": "*"})
    assert refused.status_code == 412, refused.text
    assert refused.json()["detail"] == (
        f"instansi {KAB} belum tercatat, padahal If-Match meminta instansi yang sudah"
        " tercatat; tidak ada yang disimpan")
    assert dump(service) == empty
    # If-None-Match: * records a new body, and only that
    made = service.client.put(f"/api/instansi/{KAB}", json=new,
                              headers={**admin, "If-None-Match": "*"})
    assert made.status_code == 201, made.text
    assert made.headers["etag"] == _read(service)[0]
    before = dump(service)
    again = service.client.put(f"/api/instansi/{KAB}", json={"nama": "Lain"},
                               headers={**admin, "If-None-Match": "*"})
    assert again.status_code == 412, again.text
    assert again.json()["detail"] == (f"instansi {KAB} sudah tercatat (If-None-Match); tidak"
                                      " ada yang disimpan")
    assert dump(service) == before
    renamed = service.client.put(f"/api/instansi/{KAB}", json={"nama": "Lain"},
                                 headers={**admin, "If-Match": "*"})
    assert renamed.status_code == 200 and renamed.json()["nama"] == "Lain"


def test_a_period_change_with_a_stale_etag_is_refused(recorded: Service) -> None:
    admin = recorded.auth("admin")
    period_path = f"/api/instansi/{KAB}/periode/2025-2029"
    body_tag, _ = _read(recorded)
    period_tag, _ = _read(recorded, period_path)
    # the first admin enacts the period with the period's tag; the answer has the new one
    first = recorded.client.patch(period_path, json={"status": "ditetapkan",
                                                     "nomor_regulasi": "Perbup 12/2026"},
                                  headers={**admin, "If-Match": period_tag})
    assert first.status_code == 200, first.text
    assert first.headers["etag"] == _read(recorded, period_path)[0] != period_tag
    before, trail = dump(recorded), history(recorded, PERIOD)
    # the second, who read the body (or the period) before that, is refused either way
    for stale in (body_tag, period_tag, f'"other", {period_tag}'):
        second = recorded.client.patch(period_path, json={"status": "draft"},
                                       headers={**admin, "If-Match": stale})
        assert second.status_code == 412, second.text
        assert second.json()["detail"] == (
            f"periode 2025-2029 instansi {KAB} sudah berubah sejak Anda membacanya: If-Match"
            f" tidak cocok; ambil lagi (GET /api/instansi/{KAB}), lalu ulangi perubahan; tidak"
            " ada yang disimpan")
    assert dump(recorded) == before and history(recorded, PERIOD) == trail
    assert _read(recorded, period_path)[1]["status"] == "Ditetapkan"
    # the body's current tag holds for its periods: who read the body knows them
    body_now, _ = _read(recorded)
    cleared = recorded.client.patch(period_path, json={"nomor_regulasi": ""},
                                    headers={**admin, "If-Match": body_now})
    assert cleared.status_code == 200 and cleared.json()["nomor_regulasi"] is None
    # a new period: If-Match: * asks for a recorded one; the body's tag lets it be recorded
    star = recorded.client.patch(f"/api/instansi/{KAB}/periode/2030-2034", json={},
                                 headers={**admin, "If-Match": "*"})
    assert star.status_code == 412, star.text
    assert star.json()["detail"] == (
        f"instansi {KAB} belum punya periode 2030-2034, padahal If-Match: * meminta periode"
        " yang sudah tercatat; tidak ada yang disimpan")
    added = recorded.client.patch(f"/api/instansi/{KAB}/periode/2030-2034", json={},
                                  headers={**admin, "If-Match": _read(recorded)[0]})
    assert added.status_code == 201, added.text
    assert added.headers["etag"] == _read(recorded,
                                          f"/api/instansi/{KAB}/periode/2030-2034")[0]
    # another period's tag says nothing about this one
    other = recorded.client.patch(period_path, json={"status": "draft"},
                                  headers={**admin, "If-Match": added.headers["etag"]})
    assert other.status_code == 412


def test_a_condition_on_a_body_not_recorded_is_still_404(service: Service) -> None:
    answer = service.client.patch(f"/api/instansi/{KAB}/periode/2025-2029", json={},
                                  headers={**service.auth("admin"), "If-Match": '"x"'})
    assert answer.status_code == 404, answer.text
