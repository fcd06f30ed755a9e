"""`/history`: the audit trail of one entity, and the feed of every recent change."""

from __future__ import annotations

from typing import Any

PROCESS = {"kode": "DISKOMINFO.02", "nama": "Pengelolaan jaringan intra pemerintah",
           "pemilik": "DISKOMINFO", "klasifikasiRAB": "RAB.01.01.01",
           "jenisProses": "ProsesPendukung", "statusProses": "Baru"}
C = "https://w3id.org/spbe-arch/id/3574/"


def test_the_feed_lists_every_change_newest_first(arch_service: Any) -> None:
    client = arch_service.client
    assert client.get("/history").json() == {"entity": None, "total": 0, "items": []}
    editor, other = arch_service.auth("editor"), arch_service.auth("editor_b")
    assert client.post("/api/proses-bisnis", json=PROCESS, headers=editor).status_code == 201
    assert client.patch("/api/proses-bisnis/DISDUKCAPIL.01", json={"uraian": "Akta lahir"},
                        headers=other).status_code == 200
    assert client.patch("/api/proses-bisnis/DISKOMINFO.02", json={"nama": "Jaringan intra"},
                        headers=editor).status_code == 200

    feed = client.get("/history").json()
    assert feed["entity"] is None and feed["total"] == 3
    assert [(i["agen"], i["keterangan"], i["entitas"]) for i in feed["items"]] == [
        ("editor-diskominfo", "REST PATCH proses-bisnis DISKOMINFO.02",
         [C + "proses-bisnis/DISKOMINFO.02"]),
        ("editor-disdukcapil", "REST PATCH proses-bisnis DISDUKCAPIL.01",
         [C + "proses-bisnis/DISDUKCAPIL.01"]),
        ("editor-diskominfo", "REST POST proses-bisnis DISKOMINFO.02",
         [C + "proses-bisnis/DISKOMINFO.02"])]
    # the feed names what changed; the triples are in the entity's own history
    assert all(i["ditambah"] is None and i["dihapus"] is None for i in feed["items"])
    times = [i["waktu"] for i in feed["items"]]
    assert times == sorted(times, reverse=True)

    by_agent = client.get("/history", params={"agen": "editor-disdukcapil"}).json()
    assert [i["keterangan"] for i in by_agent["items"]] == [
        "REST PATCH proses-bisnis DISDUKCAPIL.01"]
    page = client.get("/history", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == 3 and [i["perubahan"] for i in page["items"]] == [
        feed["items"][1]["perubahan"]]


def test_one_entitys_history_filtered_by_agent(arch_service: Any) -> None:
    client, editor = arch_service.client, arch_service.auth("editor")
    client.post("/api/proses-bisnis", json=PROCESS, headers=editor)
    client.patch("/api/proses-bisnis/DISKOMINFO.02", json={"nama": "Jaringan intra"},
                 headers=arch_service.auth("admin"))
    entity = C + "proses-bisnis/DISKOMINFO.02"
    whole = client.get("/history", params={"entity": entity}).json()
    assert [i["agen"] for i in whole["items"]] == ["admin-uji", "editor-diskominfo"]
    assert whole["items"][0]["ditambah"] and whole["items"][0]["entitas"] is None
    mine = client.get("/history", params={"entity": entity, "agen": "editor-diskominfo"})
    assert [i["keterangan"] for i in mine.json()["items"]] == [
        "REST POST proses-bisnis DISKOMINFO.02"]


def test_the_history_needs_read_access(make_service: Any) -> None:
    service = make_service(anonymous_read=False)
    assert service.client.get("/history").status_code == 401
    assert service.client.get("/history", headers=service.auth("reader")).status_code == 200


def test_a_change_record_written_into_another_graph_is_not_in_the_trail(
        arch_service: Any) -> None:
    """An admin may write any triples into an ordinary graph (SPARQL Update, Graph Store),
    also ones shaped like an audit record; the trail is the provenance graph alone."""
    client, admin = arch_service.client, arch_service.auth("admin")
    entity = C + "proses-bisnis/DISDUKCAPIL.01"
    fake = """PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT DATA { GRAPH <https://w3id.org/spbe-arch/graph/instansi/3574> {
  <https://w3id.org/spbe-arch/perubahan/palsu> a spbe:Perubahan ;
    rdfs:label "REST DELETE proses-bisnis DISDUKCAPIL.01" ;
    prov:wasAssociatedWith <https://w3id.org/spbe-arch/agent/editor-disdukcapil> ;
    prov:endedAtTime "2030-01-01T00:00:00+00:00"^^<http://www.w3.org/2001/XMLSchema#dateTime> ;
    prov:used <ENTITY> .
  <https://w3id.org/spbe-arch/agent/editor-disdukcapil> rdfs:label "editor-disdukcapil" .
} }""".replace("ENTITY", entity)
    answer = client.post("/sparql", data={"update": fake}, headers=admin)
    assert answer.status_code in (200, 204), answer.text

    feed = client.get("/history").json()
    # the update itself is recorded, by its real author, and nothing else
    assert feed["total"] == 1 and [i["agen"] for i in feed["items"]] == ["admin-uji"]
    assert client.get("/history", params={"agen": "editor-disdukcapil"}).json() == {
        "entity": None, "total": 0, "items": []}
    history = client.get("/history", params={"entity": entity}).json()
    assert [i["agen"] for i in history["items"]] == ["admin-uji"]
    assert all("palsu" not in i["perubahan"] for i in history["items"])


def test_paging_the_feed_at_its_edges(arch_service: Any) -> None:
    client, editor = arch_service.client, arch_service.auth("editor")
    for name in ("Satu", "Dua", "Tiga"):
        assert client.patch("/api/proses-bisnis/DISKOMINFO.01", json={"uraian": name},
                            headers=editor).status_code == 200
    whole = client.get("/history").json()["items"]
    assert len(whole) == 3
    for params, expected in [({"limit": 2}, whole[:2]), ({"offset": 2}, whole[2:]),
                             ({"offset": 3}, []), ({"offset": 10_000, "limit": 1}, [])]:
        page = client.get("/history", params=params).json()
        assert page["total"] == 3 and page["items"] == expected, params
    for bad in ({"limit": 0}, {"limit": 10_001}, {"offset": -1}, {"limit": "banyak"}):
        assert client.get("/history", params=bad).status_code == 422, bad


def test_an_agent_name_is_read_without_surrounding_space(arch_service: Any) -> None:
    client, editor = arch_service.client, arch_service.auth("editor")
    assert client.patch("/api/proses-bisnis/DISKOMINFO.01", json={"uraian": "Baru"},
                        headers=editor).status_code == 200
    entity = C + "proses-bisnis/DISKOMINFO.01"
    for params in ({"agen": " editor-diskominfo\n"},
                   {"agen": "editor-diskominfo ", "entity": entity}):
        assert client.get("/history", params=params).json()["total"] == 1, params
    assert client.get("/history", params={"agen": "  "}).json()["total"] == 1


def test_the_trail_past_the_query_time_limit_is_503(make_service: Any) -> None:
    # the store's TimeoutError reached the client as a 500
    from rdflib import Literal, URIRef

    from spbe_arch.audit import apply_audited
    from spbe_arch.repository import ChangeSet, open_repository

    repository = open_repository("memory:")
    for i in range(3):
        subject = URIRef(f"urn:contoh:{i}")
        apply_audited(repository, ChangeSet(add=[(subject, URIRef("urn:contoh:p"), Literal(i),
                                                  URIRef("urn:contoh:g"))]),
                      agent="uji", entities=[subject], label="uji")
    service = make_service(repository, query_timeout_s=1e-9)
    for params in ({}, {"entity": "urn:contoh:1"}):
        response = service.client.get("/history", params=params)
        assert response.status_code == 503, response.text
        assert "batas waktu" in response.json()["detail"]


def test_a_literal_with_a_unicode_line_separator_stays_one_triple(arch_service: Any) -> None:
    # the recorded N-Quads were split as Python splits lines, at U+0085 / U+2028 too: one
    # triple came back as three pieces, none of them N-Quads
    client = arch_service.client
    text = "baris satu\u2028baris dua\u0085tiga"
    assert client.patch("/api/proses-bisnis/DISKOMINFO.01", json={"uraian": text},
                        headers=arch_service.auth("admin")).status_code == 200
    change = client.get("/history", params={"entity": C + "proses-bisnis/DISKOMINFO.01"}
                        ).json()["items"][0]
    assert change["ditambah"] == [
        f'<{C}proses-bisnis/DISKOMINFO.01> <https://w3id.org/spbe-arch/ontology#uraian>'
        f' "{text}" <https://w3id.org/spbe-arch/graph/instansi/3574> .']
