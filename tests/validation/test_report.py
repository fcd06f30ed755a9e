"""Reports as RDF, stored as named graphs with their time; latest report and trend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from rdflib.namespace import RDF
from tests.validation.conftest import keys, repository_with
from tests.validation.faults import all_faults, clean

from spbe_arch import iris
from spbe_arch.repository import Repository
from spbe_arch.validation import latest_report, report_history, store_report, validate
from spbe_arch.validation.report import ValidationReport
from spbe_arch.vocab import SH


def test_report_graph_round_trip(faults_repository: Repository) -> None:
    report = validate(faults_repository)
    graph = report.to_graph()
    node = next(graph.subjects(RDF.type, SH.ValidationReport))
    assert str(graph.value(node, SH.conforms)) == "false"
    assert len(list(graph.objects(node, SH.result))) == len(report.results)
    again = ValidationReport.from_graph(graph, node)
    assert keys(again.results) == keys(report.results)
    assert again.counts() == report.counts()
    # blank-node result paths are copied with their structure
    inverse = [r for r in again.results if r.path_text and r.path_text.startswith("^")]
    assert inverse and all(r.result_path is not None for r in inverse)
    # messages in both languages travel along
    assert all(r.message("en") and r.message("id") for r in again.results)


def test_store_latest_and_history() -> None:
    repository = repository_with(clean(), all_faults())
    try:
        assert latest_report(repository, "9902") is None
        first = validate(repository, instansi="9902")
        first.generated = datetime.now(UTC) - timedelta(days=1)
        graph = store_report(repository, first, "9902")
        assert str(graph).startswith(f"{iris.BASE}graph/validation/9902/")
        second = validate(repository, instansi="9902")
        store_report(repository, second, "9902")
        latest = latest_report(repository, "9902")
        assert latest is not None and latest.generated == second.generated
        assert keys(latest.results) == keys(second.results)
        history = report_history(repository, "9902")
        assert [h["Violation"] for h in history] == [first.counts()["Violation"],
                                                    second.counts()["Violation"]]
        assert history[0]["generated"] < history[1]["generated"]
        assert report_history(repository, "9901") == []
        # stored reports are not architecture data: validating again finds the same
        assert keys(validate(repository, instansi="9902").results) == keys(second.results)
    finally:
        repository.close()


def test_counts_and_filters(faults_repository: Repository) -> None:
    report = validate(faults_repository, instansi="9902")
    counts = report.counts()
    assert counts["Violation"] > 0 and counts["Warning"] > 0
    assert report.violations == counts["Violation"]
    only = report.filtered(SH.Violation)
    assert {r.severity for r in only.results} == {SH.Violation}
    assert not report.conforms
    kmnx = validate(faults_repository, instansi="9902", opd="KMNX")
    assert kmnx.results and all(r.opd == "KMNX" for r in kmnx.results)


def test_messages_fill_templates(faults_repository: Repository) -> None:
    report = validate(faults_repository, instansi="9902")
    duplicate = [r for r in report.results if r.shape_name() == "KodeUnikShape"]
    assert duplicate and "UNIK-01" in duplicate[0].message("id")
    assert "{?" not in duplicate[0].message("en")


def test_opd_of_results_same_by_batches_and_in_one_query(
        faults_repository: Repository, monkeypatch: pytest.MonkeyPatch) -> None:
    from spbe_arch.validation import service

    by_batches = validate(faults_repository)
    monkeypatch.setattr(service, "OPD_ALL_THRESHOLD", 1)
    in_one_query = validate(faults_repository)
    opd = sorted((str(r.key()), r.opd or "") for r in by_batches.results)
    assert opd == sorted((str(r.key()), r.opd or "") for r in in_one_query.results)
    assert sum(1 for _, kode in opd if kode) > len(opd) // 2  # most results have an OPD


def test_a_report_stored_when_changed_is_in_the_audit_trail() -> None:
    # the demo stores its report through store_if_changed, which wrote no audit record
    from spbe_arch.audit import change_feed
    from spbe_arch.validation import store_if_changed

    repository = repository_with(clean(), all_faults())
    try:
        report = validate(repository, instansi="9902")
        graph = store_if_changed(repository, report, "9902", agent="demo")
        assert graph is not None
        feed = change_feed(repository)
        assert feed.total == 1
        record = feed.rows[0]
        assert str(record["nama_agen"]) == "demo"
        assert str(graph) in str(record["entitas"])
        assert str(record["keterangan"]).startswith("Laporan validasi disimpan: ")
        # the same results again: nothing stored, nothing recorded
        assert store_if_changed(repository, validate(repository, instansi="9902"), "9902",
                                agent="demo") is None
        assert change_feed(repository).total == 1
    finally:
        repository.close()
