"""`/validation`: the latest stored report with its filters, and validating an upload."""

from __future__ import annotations

from typing import Any

import pytest

from spbe_arch.validation import validate
from spbe_arch.validation.service import store_report

SH = "http://www.w3.org/ns/shacl#"
SHAPES = "https://w3id.org/spbe-arch/shapes#"


@pytest.fixture
def reported(arch_service: Any) -> Any:
    """The architecture service with one stored report of instansi 3574."""
    repository = arch_service.repository
    store_report(repository, validate(repository, instansi="3574"), "3574")
    return arch_service


def test_no_stored_report_says_which_command_stores_one(arch_service: Any) -> None:
    response = arch_service.client.get("/validation")
    assert response.status_code == 404
    assert "spbe-arch validate --instansi 3574 --store" in response.json()["detail"]


def test_the_latest_report_whole(reported: Any) -> None:
    body = reported.client.get("/validation").json()
    assert body["conforms"] is False
    assert body["report"].startswith("https://w3id.org/spbe-arch/graph/validation/3574/")
    assert body["total"] == len(body["results"]) == sum(body["counts"].values())
    assert body["counts"]["Violation"] > 0 and body["counts"]["Warning"] > 0
    assert {r["opd"] for r in body["results"]} == {"DISDUKCAPIL", "DISKOMINFO", None}


def test_filters_narrow_the_results_not_the_verdict(reported: Any) -> None:
    whole = reported.client.get("/validation").json()["results"]
    warnings = reported.client.get("/validation", params={"severity": "Warning"}).json()
    assert warnings["results"] == [r for r in whole if r["severity"] == SH + "Warning"]
    assert warnings["counts"] == {"Violation": 0, "Warning": len(warnings["results"]),
                                  "Info": 0}
    # no Violation among the shown results, but the repository still does not conform
    assert warnings["conforms"] is False
    assert warnings["filters"] == {"opd": None, "severity": "Warning", "rule": None}

    by_opd = reported.client.get("/validation", params={"opd": "DISKOMINFO"}).json()
    assert by_opd["results"] == [r for r in whole if r["opd"] == "DISKOMINFO"]
    assert by_opd["results"]

    for rule in ("Layanan-target", SHAPES + "Layanan-target"):
        by_rule = reported.client.get("/validation", params={"rule": rule}).json()
        assert by_rule["results"] == [r for r in whole
                                      if r["sourceShape"] == SHAPES + "Layanan-target"]
        assert len(by_rule["results"]) == 1

    combined = reported.client.get("/validation", params={
        "opd": "DISDUKCAPIL", "severity": "Violation"}).json()
    assert combined["results"] == [r for r in whole if r["opd"] == "DISDUKCAPIL"
                                   and r["severity"] == SH + "Violation"]
    # an empty form field is no filter
    assert reported.client.get("/validation", params={"opd": ""}).json()["results"] == whole


def test_an_unknown_opd_is_not_reported_as_conforming(reported: Any) -> None:
    response = reported.client.get("/validation", params={"opd": "TIDAKADA"})
    assert response.status_code == 404
    assert "'TIDAKADA'" in response.json()["detail"]


def test_an_uploaded_graph_is_validated_and_not_stored(reported: Any) -> None:
    repository = reported.repository
    before = repository.export(None, "nquads")
    upload = (b"@prefix spbe: <https://w3id.org/spbe-arch/ontology#> .\n"
              b"<https://w3id.org/spbe-arch/id/3574/proses-bisnis/X.01> a spbe:ProsesBisnis .\n")
    response = reported.client.post("/validation", content=upload,
                                    headers={"content-type": "text/turtle"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["conforms"] is False
    assert {r["focusNode"] for r in body["results"]} == {
        "https://w3id.org/spbe-arch/id/3574/proses-bisnis/X.01"}
    assert repository.export(None, "nquads") == before


def test_a_broken_upload_names_the_upload_not_the_servers_folder(reported: Any) -> None:
    response = reported.client.post("/validation", content=b"<a> <b> .",
                                    headers={"content-type": "text/turtle"})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("unggahan.ttl, baris 1")
    assert "spbe-validasi" not in detail and "/tmp" not in detail


def test_an_upload_in_an_unsupported_format(reported: Any) -> None:
    response = reported.client.post("/validation", content=b"a,b",
                                    headers={"content-type": "text/csv"})
    assert response.status_code == 415
    assert "text/turtle" in response.json()["detail"]


def test_validation_needs_read_access(make_service: Any) -> None:
    service = make_service(anonymous_read=False)
    assert service.client.get("/validation").status_code == 401
    assert service.client.post("/validation", content=b"",
                               headers={"content-type": "text/turtle"}).status_code == 401
    assert service.client.get("/validation", headers=service.auth("reader")).status_code == 404


def test_running_validation_through_the_server_stores_the_report(arch_service: Any) -> None:
    client = arch_service.client
    assert client.get("/validation").status_code == 404
    assert "POST /validation/run" in client.get("/validation").json()["detail"]
    assert client.post("/validation/run").status_code == 401
    assert client.post("/validation/run", headers=arch_service.auth("reader")).status_code == 403
    assert client.get("/validation").status_code == 404  # nothing stored by the refusals
    ran = client.post("/validation/run", headers=arch_service.auth("editor"))
    assert ran.status_code == 200, ran.text
    body = ran.json()
    assert body["conforms"] is False and body["total"] == len(body["results"]) > 0
    latest = client.get("/validation").json()
    assert latest["report"] == body["report"] and latest["results"] == body["results"]
    again = client.post("/validation/run", headers=arch_service.auth("admin")).json()
    assert again["report"] != body["report"]
    assert client.get("/validation").json()["report"] == again["report"]


def test_storing_a_report_is_in_the_audit_trail(arch_service: Any) -> None:
    ran = arch_service.client.post("/validation/run", headers=arch_service.auth("editor"))
    report = ran.json()["report"]
    feed = arch_service.client.get("/history").json()["items"]
    assert [(i["agen"], i["entitas"]) for i in feed] == [("editor-diskominfo", [report])]
    assert feed[0]["keterangan"].startswith("Laporan validasi disimpan: ")


def test_a_mistyped_instansi_is_404_naming_the_known_ones(arch_service: Any) -> None:
    """`POST /validation/run?instansi=3547` was 400 (the validator's "graph is empty")
    where `/evaluation` and `/api` answer 404 for an instansi the repository lacks."""
    client, admin = arch_service.client, arch_service.auth("admin")
    expected = ("parameter 'instansi': instansi dengan kode wilayah '3547' tidak ada di"
                " repositori; kode yang ada: 3574")
    for response in (client.post("/validation/run", params={"instansi": "3547"},
                                 headers=admin),
                     client.get("/validation", params={"instansi": "3547"}),
                     client.get("/evaluation/status", params={"instansi": "3547"})):
        assert response.status_code == 404, response.text
        assert response.json()["detail"] == expected
    # the check comes after the token's: no token, no list of codes
    assert client.post("/validation/run", params={"instansi": "3547"}).status_code == 401


def test_a_filter_of_only_white_space_is_no_filter(reported: Any) -> None:
    whole = reported.client.get("/validation").json()
    for blank in (" ", "\t"):
        page = reported.client.get("/validation", params={"opd": blank, "rule": blank})
        assert page.status_code == 200, page.text
        assert page.json()["total"] == whole["total"]
        assert page.json()["filters"] == {"opd": None, "severity": None, "rule": None}


def test_results_come_in_pages_with_the_counts_of_every_match(reported: Any) -> None:
    whole = reported.client.get("/validation").json()
    assert whole["matched"] == whole["total"] and whole["limit"] is None
    pages: list[Any] = []
    offset = 0
    while True:
        page = reported.client.get("/validation",
                                   params={"offset": offset, "limit": 2}).json()
        assert len(page["results"]) <= 2 and page["offset"] == offset
        # the counts stay those of every matching result, whatever the page
        assert page["counts"] == whole["counts"] and page["matched"] == whole["total"]
        if not page["results"]:
            break
        pages.extend(page["results"])
        offset += 2
    assert pages == whole["results"] and offset > 2

    warnings = reported.client.get("/validation", params={
        "severity": "Warning", "offset": 1, "limit": 1}).json()
    every_warning = [r for r in whole["results"] if r["severity"] == SH + "Warning"]
    assert warnings["results"] == every_warning[1:2]
    assert warnings["matched"] == len(every_warning) == warnings["counts"]["Warning"]


@pytest.mark.parametrize("params", [{"limit": "0"}, {"offset": "-1"}, {"limit": "x"}])
def test_a_bad_page_is_422_naming_the_parameter(reported: Any, params: dict[str, str]
                                                ) -> None:
    response = reported.client.get("/validation", params=params)
    assert response.status_code == 422
    assert next(iter(params)) in response.text
