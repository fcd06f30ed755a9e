"""The authorisation matrix: every role against every kind of write.

Roles: anonymous, reader, editor of DISKOMINFO (`editor`), editor of DISDUKCAPIL
(`editor_b`), admin. A refused write must leave the store byte-identical.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

Write = Callable[[Any, dict[str, str]], Any]
ROLES = (None, "reader", "editor", "editor_b", "admin")
NEW_PROCESS = {"kode": "DISKOMINFO.99", "nama": "Pengelolaan jaringan intra pemerintah",
               "pemilik": "DISKOMINFO", "klasifikasiRAB": "RAB.01.01.01",
               "jenisProses": "ProsesPendukung", "statusProses": "Baru"}


def sparql_update(s: Any, h: dict[str, str]) -> Any:
    return s.client.post("/sparql", content=b"INSERT DATA { GRAPH <http://example.org/x>"
                         b" { <http://example.org/a> <http://example.org/p> 1 } }",
                         headers={"content-type": "application/sparql-update", **h})


def gsp_put(s: Any, h: dict[str, str]) -> Any:
    return s.client.put("/rdf-graph-store", params={"graph": "http://example.org/x"},
                        content=b"<http://example.org/a> <http://example.org/p> 1 .",
                        headers={"content-type": "text/turtle", **h})


def gsp_post(s: Any, h: dict[str, str]) -> Any:
    return s.client.post("/rdf-graph-store", params={"graph": "http://example.org/x"},
                         content=b"<http://example.org/a> <http://example.org/p> 2 .",
                         headers={"content-type": "text/turtle", **h})


def gsp_delete_instansi_graph(s: Any, h: dict[str, str]) -> Any:
    return s.client.delete("/rdf-graph-store", headers=h, params={
        "graph": "https://w3id.org/spbe-arch/graph/instansi/3574"})


def rest_create_own(s: Any, h: dict[str, str]) -> Any:
    return s.client.post("/api/proses-bisnis", json=NEW_PROCESS, headers=h)


def rest_patch_own(s: Any, h: dict[str, str]) -> Any:
    return s.client.patch("/api/proses-bisnis/DISKOMINFO.01",
                          json={"nama": "Pengelolaan pusat data pemerintah"}, headers=h)


def rest_replace_own(s: Any, h: dict[str, str]) -> Any:
    record = {**NEW_PROCESS, "kode": "DISKOMINFO.01", "nama": "Pusat data"}
    return s.client.put("/api/proses-bisnis/DISKOMINFO.01", json=record, headers=h)


def rest_delete_own(s: Any, h: dict[str, str]) -> Any:
    return s.client.delete("/api/proses-bisnis/DISKOMINFO.01", headers=h)


def rest_move_to_other_opd(s: Any, h: dict[str, str]) -> Any:
    return s.client.patch("/api/proses-bisnis/DISKOMINFO.01",
                          json={"pemilik": "DISDUKCAPIL"}, headers=h)


def rest_create_in_other_opd(s: Any, h: dict[str, str]) -> Any:
    return s.client.post("/api/proses-bisnis",
                         json={**NEW_PROCESS, "kode": "DISDUKCAPIL.99",
                               "pemilik": "DISDUKCAPIL"}, headers=h)


def rest_patch_other_opd(s: Any, h: dict[str, str]) -> Any:
    return s.client.patch("/api/proses-bisnis/DISDUKCAPIL.01", json={"nama": "Akta"},
                          headers=h)


def rest_create_opd(s: Any, h: dict[str, str]) -> Any:
    return s.client.post("/api/opd", json={"kode": "BAPPEDA", "nama": "Bappeda",
                                           "jenisOPD": "Badan"}, headers=h)


def rest_patch_own_opd_record(s: Any, h: dict[str, str]) -> Any:
    return s.client.patch("/api/opd/DISKOMINFO", json={"singkatan": "Kominfo"}, headers=h)


def rest_reparent_own_opd(s: Any, h: dict[str, str]) -> Any:
    # placing an OPD under another changes the other's organisation (its lists take in the
    # new unit): the parent's OPD is touched too
    return s.client.patch("/api/opd/DISKOMINFO", json={"indukOPD": "DISDUKCAPIL"}, headers=h)


def rest_delete_opd(s: Any, h: dict[str, str]) -> Any:
    return s.client.delete("/api/opd/SETDA", headers=h)


# role -> expected status; anything not listed for a role is refused (401 anonymous, 403)
ALLOWED: dict[str, tuple[Write, dict[str, int]]] = {
    "sparql_update": (sparql_update, {"admin": 200}),
    "gsp_put": (gsp_put, {"admin": 201}),
    "gsp_post": (gsp_post, {"admin": 201}),
    "gsp_delete": (gsp_delete_instansi_graph, {"admin": 204}),
    "rest_create_own": (rest_create_own, {"editor": 201, "admin": 201}),
    "rest_patch_own": (rest_patch_own, {"editor": 200, "admin": 200}),
    "rest_replace_own": (rest_replace_own, {"editor": 200, "admin": 200}),
    "rest_delete_own": (rest_delete_own, {"editor": 204, "admin": 204}),
    "rest_move_to_other_opd": (rest_move_to_other_opd, {"admin": 200}),
    "rest_create_in_other_opd": (rest_create_in_other_opd, {"editor_b": 201, "admin": 201}),
    "rest_patch_other_opd": (rest_patch_other_opd, {"editor_b": 200, "admin": 200}),
    "rest_create_opd": (rest_create_opd, {"admin": 201}),
    "rest_patch_own_opd_record": (rest_patch_own_opd_record, {"editor": 200, "admin": 200}),
    "rest_reparent_own_opd": (rest_reparent_own_opd, {"admin": 200}),
    "rest_delete_opd": (rest_delete_opd, {"admin": 204}),
}


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
@pytest.mark.parametrize("write", list(ALLOWED))
def test_matrix(arch_service: Any, write: str, role: str | None) -> None:
    action, allowed = ALLOWED[write]
    before = arch_service.repository.export(None, "nquads")
    response = action(arch_service, arch_service.auth(role))
    expected = allowed.get(role or "", 401 if role is None else 403)
    assert response.status_code == expected, response.text
    if expected >= 400:
        assert arch_service.repository.export(None, "nquads") == before
        assert response.json()["detail"] if write.startswith("rest") else response.text
    else:
        assert arch_service.repository.export(None, "nquads") != before


def test_a_revoked_token_is_refused_at_once(arch_service: Any) -> None:
    tokens = arch_service.client.app.state.tokens
    token, _ = tokens.create("sementara", "admin")
    headers = {"Authorization": f"Bearer {token}"}
    assert sparql_update(arch_service, headers).status_code == 200
    tokens.revoke("sementara")
    assert sparql_update(arch_service, headers).status_code == 401
