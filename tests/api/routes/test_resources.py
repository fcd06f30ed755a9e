"""REST resources: lists with filters, one entity as JSON(-LD) or Turtle, writes checked
against the rules and recorded in the audit trail."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from rdflib import Graph, Literal, URIRef

NEW = {"kode": "DISKOMINFO.02", "nama": "Pengelolaan jaringan intra pemerintah",
       "pemilik": "DISKOMINFO", "klasifikasiRAB": "RAB.01.01.01",
       "jenisProses": "ProsesPendukung", "statusProses": "Baru"}
SOP = {"kode": "SOP.DISDUKCAPIL.01", "nama": "Penerbitan akta kelahiran",
       "pemilik": "DISDUKCAPIL", "untukProsesBisnis": "DISDUKCAPIL.01", "statusSOP": "Draft",
       "memilikiLangkah": [
           {"nama": "Mulai", "jenisSimbol": "Terminator", "dilaksanakanOleh": "Pemohon"},
           {"nama": "Periksa berkas", "jenisSimbol": "Kegiatan",
            "dilaksanakanOleh": "Petugas Loket", "kelengkapan": "KK, KTP",
            "waktu": "10 menit", "output": "Berkas lengkap"},
           {"nama": "Selesai", "jenisSimbol": "Terminator", "dilaksanakanOleh": "Pemohon"}]}


def _codes(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["kode"] for item in response.json()["items"]]


@pytest.mark.parametrize(("params", "codes"), [
    ({}, ["DISDUKCAPIL.01", "DISKOMINFO.01"]),
    ({"opd": "DISDUKCAPIL"}, ["DISDUKCAPIL.01"]),
    ({"ref": "RAB.09"}, ["DISDUKCAPIL.01"]),
    ({"q": "pusat data"}, ["DISKOMINFO.01"]),
    ({"status": "AsIs", "sort": "-kode"}, ["DISKOMINFO.01", "DISDUKCAPIL.01"]),
    ({"limit": 1, "offset": 1}, ["DISKOMINFO.01"]),
])
def test_list_filters(arch_service: Any, params: dict[str, Any], codes: list[str]) -> None:
    response = arch_service.client.get("/api/proses-bisnis", params=params)
    assert _codes(response) == codes
    assert response.json()["total"] == (2 if set(params) <= {"limit", "offset"} else len(codes))


@pytest.mark.parametrize("params", [{"sort": "tidakAda"}, {"status": "Entah"},
                                    {"limit": 0}, {"offset": -1}])
def test_bad_list_parameters_are_4xx(arch_service: Any, params: dict[str, Any]) -> None:
    response = arch_service.client.get("/api/proses-bisnis", params=params)
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]


def test_get_as_json_ld_and_turtle(arch_service: Any) -> None:
    response = arch_service.client.get("/api/layanan/DISDUKCAPIL.L01")
    assert response.status_code == 200
    body = response.json()
    assert body["@context"] == {"@vocab": "https://w3id.org/spbe-arch/ontology#"}
    assert body["unitPelaksana"] == "DISDUKCAPIL" and body["metodeLayanan"] == "Hybrid"
    expanded = Graph().parse(data=response.text, format="json-ld")
    assert (URIRef(body["@id"]), URIRef("https://w3id.org/spbe-arch/ontology#nama"),
            Literal("Layanan akta kelahiran")) in expanded
    turtle = arch_service.client.get("/api/layanan/DISDUKCAPIL.L01",
                                     headers={"accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.content, format="turtle")
    assert (URIRef(body["@id"]), None, None) in graph
    missing = arch_service.client.get("/api/layanan/TIDAK.ADA")
    assert missing.status_code == 404


@pytest.mark.slow
def test_create_replace_patch_delete_with_audit(arch_service: Any) -> None:
    client, admin = arch_service.client, arch_service.auth("editor")
    created = client.post("/api/proses-bisnis", json=NEW, headers=admin)
    assert created.status_code == 201, created.text
    assert created.headers["location"].endswith("/api/proses-bisnis/DISKOMINFO.02")
    assert client.post("/api/proses-bisnis", json=NEW, headers=admin).status_code == 409
    replaced = client.put("/api/proses-bisnis/DISKOMINFO.02",
                          json={**NEW, "nama": "Jaringan intra"}, headers=admin)
    assert replaced.status_code == 200 and replaced.json()["nama"] == "Jaringan intra"
    patched = client.patch("/api/proses-bisnis/DISKOMINFO.02", json={"statusProses": "AsIs"},
                           headers=admin)
    assert patched.status_code == 200
    assert patched.json()["statusProses"] == "AsIs" and patched.json()["nama"] == "Jaringan intra"
    assert client.delete("/api/proses-bisnis/DISKOMINFO.02", headers=admin).status_code == 204
    assert client.get("/api/proses-bisnis/DISKOMINFO.02").status_code == 404
    history = client.get("/history", params={"entity": created.json()["@id"]}).json()
    assert [i["keterangan"].split()[1] for i in history["items"]] == [
        "DELETE", "PATCH", "PUT", "POST"]
    assert {i["agen"] for i in history["items"]} == {"editor-diskominfo"}
    assert any('"Jaringan intra"' in line for line in history["items"][2]["ditambah"])


def test_a_write_breaking_a_rule_is_refused_with_the_results(arch_service: Any) -> None:
    before = arch_service.repository.export(None, "nquads")
    record = {k: v for k, v in NEW.items() if k != "klasifikasiRAB"}
    response = arch_service.client.post("/api/proses-bisnis", json=record,
                                        headers=arch_service.auth("admin"))
    assert response.status_code == 422, response.text
    results = response.json()["validation"]["results"]
    assert any(r["resultPath"].endswith("klasifikasiRAB") for r in results)
    assert arch_service.repository.export(None, "nquads") == before
    english = arch_service.client.post("/api/proses-bisnis", json=record, headers={
        **arch_service.auth("admin"), "accept-language": "en"})
    message = next(r["message"] for r in english.json()["validation"]["results"]
                   if r["resultPath"].endswith("klasifikasiRAB"))
    assert "RAB code" in message and "kode RAB" not in message
    assert "refused because it breaks" in english.json()["detail"]


@pytest.mark.parametrize("record", [
    {**NEW, "jenisProses": "BukanJenis"},
    {**NEW, "pemilik": "OPD.TIDAK.ADA"},
    {**NEW, "levelPetaProses": "satu"},
    # found by Schemathesis once the schema named the fields: an object was stored as its
    # Python text, a nested list too
    {**NEW, "nama": {"teks": "Pengelolaan"}},
    {**NEW, "merealisasikan": [["LYN.01"]]},
    {**SOP, "memilikiLangkah": [{"nama": {"a": 1}, "jenisSimbol": "Kegiatan"}]},
])
def test_bad_records_are_refused_with_their_problems(arch_service: Any,
                                                     record: dict[str, Any]) -> None:
    before = arch_service.repository.export(None, "nquads")
    kind = "sop" if "statusSOP" in record else "proses-bisnis"
    response = arch_service.client.post(f"/api/{kind}", json=record,
                                        headers=arch_service.auth("admin"))
    assert response.status_code == 422
    assert response.json()["problems"]
    assert arch_service.repository.export(None, "nquads") == before


def test_text_that_is_not_valid_unicode_is_refused_by_field(arch_service: Any) -> None:
    # JSON can escape a lone surrogate; no RDF store can write it
    before = arch_service.repository.export(None, "nquads")
    body = json.dumps({**NEW, "uraian": "x"}).replace('"x"', '"a\\ud8b7b"')
    response = arch_service.client.post(
        "/api/proses-bisnis", content=body,
        headers={"content-type": "application/json", **arch_service.auth("admin")})
    assert response.status_code == 422, response.text
    (problem,) = response.json()["problems"]
    assert "uraian" in problem and "surrogate" in problem
    assert arch_service.repository.export(None, "nquads") == before


def test_a_code_outside_latin_1_gets_a_quoted_location(arch_service: Any) -> None:
    # the Location header of a created entity: url_for does not quote, headers are Latin-1
    code = "DISKOMINFO.ĞIRIŞ.񷆈"
    response = arch_service.client.put(f"/api/proses-bisnis/{quote(code, safe='')}",
                                       json={k: v for k, v in NEW.items() if k != "kode"},
                                       headers=arch_service.auth("admin"))
    assert response.status_code == 201, response.text
    location = response.headers["location"]
    assert location.isascii() and quote(code, safe="") in location
    fetched = arch_service.client.get(location)
    assert fetched.status_code == 200 and fetched.json()["kode"] == code


def test_code_in_body_must_match_the_url(arch_service: Any) -> None:
    response = arch_service.client.put("/api/proses-bisnis/DISKOMINFO.01", json=NEW,
                                       headers=arch_service.auth("admin"))
    assert response.status_code == 400


@pytest.mark.slow
def test_sop_with_its_steps(arch_service: Any) -> None:
    response = arch_service.client.put(f"/api/sop/{SOP['kode']}", json=SOP,
                                       headers=arch_service.auth("admin"))
    assert response.status_code == 201, response.text
    stored = arch_service.client.get(f"/api/sop/{SOP['kode']}").json()
    assert stored["memilikiPelaksana"] == ["Pemohon", "Petugas Loket"]
    assert [s["nama"] for s in stored["memilikiLangkah"]] == ["Mulai", "Periksa berkas",
                                                               "Selesai"]
    assert stored["memilikiLangkah"][1]["waktu"] == "10 menit"


LAYANAN = {"kode": "DISKOMINFO.L02", "nama": "Layanan informasi publik",
           "unitPelaksana": "DISKOMINFO", "metodeLayanan": "Hybrid",
           "jenisLayanan": "LayananPublik", "klasifikasiRAL": "RAL.01.43.03",
           "targetLayanan": ["Masyarakat"],
           "tujuan": "Memberikan informasi publik kepada masyarakat"}
REALISED_BY = "https://w3id.org/spbe-arch/shapes#LayananDirealisasikanShape"


def test_a_new_layanan_comes_with_the_process_that_realises_it(arch_service: Any) -> None:
    # alone, a new layanan breaks a rule (no proses bisnis realises it), and a proses
    # bisnis cannot name a layanan that does not exist yet: `@reverse` writes both at once
    client, admin = arch_service.client, arch_service.auth("admin")
    before = arch_service.repository.export(None, "nquads")
    alone = client.post("/api/layanan", json=LAYANAN, headers=admin)
    assert alone.status_code == 422
    assert any(r["sourceShape"] == REALISED_BY
               for r in alone.json()["validation"]["results"])
    assert arch_service.repository.export(None, "nquads") == before

    # as JSON-LD writes it (a node object; a plain code works too, see below)
    linked = client.post("/api/layanan", headers=admin, json={
        **LAYANAN, "@reverse": {"merealisasikan": [{"kode": "DISKOMINFO.01"}]}})
    assert linked.status_code == 201, linked.text
    process = client.get("/api/proses-bisnis/DISKOMINFO.01").json()
    assert "DISKOMINFO.L02" in process["merealisasikan"]
    history = client.get("/history", params={"entity": process["@id"]})
    assert history.status_code == 200 and "DISKOMINFO.L02" in history.text


@pytest.mark.parametrize(("reverse", "status"), [
    ({"merealisasikan": ["TIDAK.ADA"]}, 422),      # no such proses bisnis
    ({"bukanTautan": ["DISKOMINFO.01"]}, 422),     # no such link to a layanan
    (["DISKOMINFO.01"], 422),                      # not an object
])
def test_bad_reverse_links_are_refused(arch_service: Any, reverse: Any, status: int) -> None:
    before = arch_service.repository.export(None, "nquads")
    response = arch_service.client.post("/api/layanan", json={**LAYANAN, "@reverse": reverse},
                                        headers=arch_service.auth("admin"))
    assert response.status_code == status, response.text
    assert response.json()["problems"]
    assert arch_service.repository.export(None, "nquads") == before


def test_a_reverse_link_from_another_opds_process_needs_its_scope(arch_service: Any) -> None:
    # the editor of DISDUKCAPIL may create a layanan of DISDUKCAPIL, but not make
    # DISKOMINFO's process realise it
    before = arch_service.repository.export(None, "nquads")
    record = {**LAYANAN, "kode": "DISDUKCAPIL.L02", "unitPelaksana": "DISDUKCAPIL",
              "@reverse": {"merealisasikan": ["DISKOMINFO.01"]}}
    refused = arch_service.client.post("/api/layanan", json=record,
                                       headers=arch_service.auth("editor_b"))
    assert refused.status_code == 403, refused.text
    assert arch_service.repository.export(None, "nquads") == before
    own = arch_service.client.post(
        "/api/layanan", json={**record, "@reverse": {"merealisasikan": ["DISDUKCAPIL.01"]}},
        headers=arch_service.auth("editor_b"))
    assert own.status_code == 201, own.text


MUTU = {"kelengkapan": "KTP", "waktu": "5 menit", "output": "Berkas"}


@pytest.mark.slow
def test_codes_with_a_slash_are_reachable_by_their_address(arch_service: Any) -> None:
    # the code pattern allows '/'; the router decodes %2F before matching, so a one-segment
    # {code} made such an element impossible to read, change or delete once created
    client, admin = arch_service.client, arch_service.auth("admin")
    opd = {"kode": "BAG/UMUM", "nama": "Bagian Umum", "jenisOPD": "Bagian"}
    created = client.post("/api/opd", json=opd, headers=admin)
    assert created.status_code == 201, created.text
    assert created.headers["location"].endswith("/api/opd/BAG%2FUMUM")
    assert client.get(created.headers["location"]).json()["kode"] == "BAG/UMUM"
    assert client.patch("/api/opd/BAG%2FUMUM", json={"nama": "Bagian Umum Setda"},
                        headers=admin).status_code == 200
    sop = {"nama": "Surat masuk", "pemilik": "DISDUKCAPIL",
           "untukProsesBisnis": "DISDUKCAPIL.01", "statusSOP": "Draft",
           "memilikiLangkah": [
               {"nama": "Mulai", "jenisSimbol": "Terminator", "dilaksanakanOleh": "Pemohon",
                **MUTU},
               {"nama": "Catat", "jenisSimbol": "Kegiatan", "dilaksanakanOleh": "Petugas",
                **MUTU},
               {"nama": "Selesai", "jenisSimbol": "Terminator", "dilaksanakanOleh": "Pemohon",
                **MUTU}]}
    path = quote("SOP/DISDUKCAPIL/01", safe="")
    assert client.put(f"/api/sop/{path}", json=sop, headers=admin).status_code == 201
    for url in (f"/sop/{path}", f"/sop/{path}/bpmn", f"/sop/{path}/dokumen?format=html",
                "/ui/e/opd/BAG%2FUMUM", "/ui/e/opd/BAG%2FUMUM/ubah", "/ui/e/opd/baru/isi",
                f"/ui/sop/{path}", f"/ui/sop/{path}/bpmn"):
        response = client.get(url, headers=admin)
        assert response.status_code == 200, (url, response.text[:300])
    assert client.get(f"/sop/{path}").json()["kode"] == "SOP/DISDUKCAPIL/01"
    assert "BAG/UMUM" in client.get("/ui/e/opd/BAG%2FUMUM").text
    step = client.patch(f"/sop/{path}/langkah/2", json={"waktu": "10 menit"}, headers=admin)
    assert step.status_code == 200, step.text
    assert client.delete("/api/opd/BAG%2FUMUM", headers=admin).status_code == 204
    assert client.get("/api/opd/BAG%2FUMUM").status_code == 404


def test_conditional_writes_stop_a_lost_update(arch_service: Any) -> None:
    """Two people edit the same proses bisnis: the second save, made on what the first one
    changed in the meantime, is refused (412) instead of silently overwriting it."""
    client, editor = arch_service.client, arch_service.auth("editor")
    path = "/api/proses-bisnis/DISKOMINFO.02"
    created = client.post("/api/proses-bisnis", json=NEW, headers=editor)
    tag = created.headers["etag"]
    read = client.get(path)
    assert read.headers["etag"] == tag
    # the Turtle representation is of the same state: its tag may be used to write JSON
    assert client.get(path, headers={"accept": "text/turtle"}).headers["etag"] == tag
    assert client.get(path, headers={"if-none-match": tag}).status_code == 304
    assert client.get(path, headers={"if-none-match": f"W/{tag}"}).status_code == 304

    first = client.patch(path, json={"nama": "Jaringan intra"},
                         headers={**editor, "if-match": tag})
    assert first.status_code == 200, first.text
    assert first.headers["etag"] != tag
    before = arch_service.repository.export(None, "nquads")
    for method, body in (("PATCH", {"uraian": "Perubahan kedua"}),
                         ("PUT", {**NEW, "nama": "Nama lama"}), ("DELETE", None)):
        stale = client.request(method, path, json=body, headers={**editor, "if-match": tag})
        assert stale.status_code == 412, (method, stale.text)
        assert "If-Match" in stale.json()["detail"]
    assert arch_service.repository.export(None, "nquads") == before
    assert client.get(path).json()["nama"] == "Jaringan intra"
    # a weak tag never satisfies If-Match; a list with the current one does
    weak = client.patch(path, json={"uraian": "x"},
                        headers={**editor, "if-match": f"W/{first.headers['etag']}"})
    assert weak.status_code == 412
    listed = client.patch(path, json={"uraian": "Jaringan antar perangkat daerah"}, headers={
        **editor, "if-match": f'"lama", {first.headers["etag"]}'})
    assert listed.status_code == 200, listed.text
    assert client.delete(path, headers={**editor, "if-match": "*"}).status_code == 204
    assert client.delete(path, headers={**editor, "if-match": "*"}).status_code == 412


def test_put_with_if_none_match_only_creates(arch_service: Any) -> None:
    client, editor = arch_service.client, arch_service.auth("editor")
    path = "/api/proses-bisnis/DISKOMINFO.02"
    only_create = {**editor, "if-none-match": "*"}
    assert client.put(path, json=NEW, headers=only_create).status_code == 201
    again = client.put(path, json={**NEW, "nama": "Lain"}, headers=only_create)
    assert again.status_code == 412
    assert client.get(path).json()["nama"] == NEW["nama"]


def _expand(client: Any, response: Any) -> Graph:
    """A JSON-LD answer parsed with the context it references, fetched from the server."""
    document = response.json()
    context_url = document["@context"]
    assert context_url.endswith("/context.jsonld")
    context = client.get(context_url)
    assert context.status_code == 200
    assert context.headers["content-type"].startswith("application/ld+json")
    document["@context"] = context.json()["@context"]
    return Graph().parse(data=json.dumps(document), format="json-ld")


@pytest.mark.parametrize("path", ["/api/opd/DISKOMINFO", "/api/proses-bisnis/DISDUKCAPIL.01",
                                  "/api/layanan/DISDUKCAPIL.L01", "/api/data/DISDUKCAPIL.D01",
                                  "/api/aplikasi/DISKOMINFO.A01",
                                  "/api/sop/SOP.DISDUKCAPIL.01"])
def test_json_ld_is_the_same_graph_as_turtle(arch_service: Any, path: str) -> None:
    """`Accept: application/ld+json` is real JSON-LD: links are IRIs, enumerations
    individuals, dates typed — not the codes and strings of the plain JSON record."""
    from rdflib.compare import isomorphic

    client = arch_service.client
    created = client.put("/api/sop/SOP.DISDUKCAPIL.01", json=SOP,
                         headers=arch_service.auth("admin"))
    assert created.status_code in (200, 201), created.text
    answer = client.get(path, headers={"accept": "application/ld+json"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/ld+json")
    turtle = Graph().parse(data=client.get(path, headers={"accept": "text/turtle"}).content,
                           format="turtle")
    assert len(turtle) > 3
    assert isomorphic(_expand(client, answer), turtle)


def test_json_ld_links_are_iris(arch_service: Any) -> None:
    document = arch_service.client.get("/api/layanan/DISDUKCAPIL.L01",
                                       headers={"accept": "application/ld+json"}).json()
    assert document["type"] == "Layanan"
    assert document["unitPelaksana"] == "https://w3id.org/spbe-arch/id/3574/opd/DISDUKCAPIL"
    assert document["metodeLayanan"] == "Hybrid"  # an individual of the ontology, by name
    # the plain JSON record keeps codes, for clients that are not RDF tools
    plain = arch_service.client.get("/api/layanan/DISDUKCAPIL.L01").json()
    assert plain["unitPelaksana"] == "DISDUKCAPIL"
