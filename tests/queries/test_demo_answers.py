"""The named queries on the Kota Probolinggo demo: their answers equal counts computed
independently in Python from the loaded triples, and they find the sample's documented gaps
(data/samples/kota-probolinggo/README.md, "Deliberate gaps")."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import RDF, SKOS, Graph, URIRef

from spbe_arch import iris
from spbe_arch.queries import list_queries, run_query
from spbe_arch.repository import Repository
from spbe_arch.vocab import SPBE

INSTANSI = iris.instansi_graph("3574")


@pytest.fixture(scope="module")
def data(demo_repository: Repository) -> Graph:
    return demo_repository.graph(INSTANSI)


@pytest.fixture(scope="module")
def reference(demo_repository: Repository) -> Graph:
    graph = Graph()
    for name in demo_repository.graph_names():
        if "/graph/reference/" in str(name):
            graph += demo_repository.graph(name)
    return graph


def codes(repository: Repository, name: str, column: str,
          params: dict[str, str] | None = None) -> list[str]:
    return [str(row[column]) for row in run_query(repository, name, params).rows]


def kode(graph: Graph, node: object) -> str:
    return str(graph.value(node, SPBE.kode))  # type: ignore[arg-type]


def of_class(graph: Graph, cls: URIRef) -> set[URIRef]:
    return {s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef)}


def test_gap_queries_equal_independent_counts(demo_repository: Repository, data: Graph) -> None:
    layanan = of_class(data, SPBE.Layanan)
    realised = set(data.objects(None, SPBE.merealisasikan))
    assert sorted(codes(demo_repository, "layanan-without-process", "kode_layanan")) == sorted(
        kode(data, x) for x in layanan - realised)

    proses = of_class(data, SPBE.ProsesBisnis)
    with_sop = set(data.objects(None, SPBE.untukProsesBisnis))
    assert sorted(codes(demo_repository, "processes-without-sop", "kode_proses")) == sorted(
        kode(data, p) for p in proses - with_sop)
    assert sorted(codes(demo_repository, "processes-without-rab", "kode_proses")) == sorted(
        kode(data, p) for p in proses if data.value(p, SPBE.klasifikasiRAB) is None)

    opds = of_class(data, SPBE.PerangkatDaerah)
    delivering = set(data.objects(None, SPBE.unitPelaksana))
    assert sorted(codes(demo_repository, "opd-without-layanan", "kode_opd")) == sorted(
        kode(data, o) for o in opds - delivering)

    produced = set(data.objects(None, SPBE.menghasilkanData))
    assert sorted(codes(demo_repository, "data-without-producer", "kode_data")) == sorted(
        kode(data, d) for d in of_class(data, SPBE.DataInformasi) - produced)

    supporting = set(data.subjects(SPBE.mendukungLayanan, None))
    assert sorted(codes(demo_repository, "aplikasi-without-layanan", "kode_aplikasi")) == sorted(
        kode(data, a) for a in of_class(data, SPBE.Aplikasi) - supporting)

    covered = {lay for p in with_sop for lay in data.objects(p, SPBE.merealisasikan)}
    assert sorted(codes(demo_repository, "layanan-without-sop", "kode_layanan")) == sorted(
        kode(data, x) for x in layanan - covered)


def test_gap_queries_find_the_documented_gaps(demo_repository: Repository) -> None:
    assert {"LYN-39", "LYN-55"} <= set(
        codes(demo_repository, "layanan-without-process", "kode_layanan"))
    assert "DISKOMINFO-01.04" in codes(demo_repository, "processes-without-rab", "kode_proses")
    assert "APL-21" in codes(demo_repository, "aplikasi-without-layanan", "kode_aplikasi")
    assert "DAT-32" in codes(demo_repository, "data-without-producer", "kode_data")
    no_sop = {str(r["kode_opd"]) for r in run_query(demo_repository, "sop-status-per-opd").rows
              if int(r["jumlah_sop"]) == 0}
    assert {"SETWAN", "BAKESBANGPOL", "KEC-KEDOPOK"} <= no_sop


def test_counts_per_domain_and_opd(demo_repository: Repository, data: Graph) -> None:
    result = {str(r["kelas"]): int(r["jumlah"])
              for r in run_query(demo_repository, "elements-per-domain",
                                 {"kode_wilayah": "3574"}).rows}
    for cls in (SPBE.ProsesBisnis, SPBE.Layanan, SPBE.DataInformasi, SPBE.Aplikasi,
                SPBE.Infrastruktur, SPBE.Keamanan, SPBE.PerangkatDaerah, SPBE.SOP):
        assert result[str(cls)] == len(of_class(data, cls)) > 0, cls

    per_opd = {str(r["kode_opd"]): r for r in run_query(demo_repository, "elements-per-opd").rows}
    owners = Counter(kode(data, data.value(p, SPBE.pemilik))
                     for p in of_class(data, SPBE.ProsesBisnis))
    assert {k: int(r["proses_bisnis"]) for k, r in per_opd.items() if int(r["proses_bisnis"])} \
        == dict(owners)
    assert len(run_query(demo_repository, "processes-per-opd").rows) == sum(owners.values())
    diskominfo = run_query(demo_repository, "processes-per-opd", {"kode_opd": "DISKOMINFO"})
    assert len(diskominfo) == owners["DISKOMINFO"] > 0

    statuses = Counter(str(data.value(s, SPBE.statusSOP)) for s in of_class(data, SPBE.SOP))
    rows = run_query(demo_repository, "sop-status-per-opd").rows
    assert sum(int(r["ditetapkan"]) for r in rows) == statuses[str(SPBE.Ditetapkan)]
    assert sum(int(r["draft"]) for r in rows) == statuses[str(SPBE.Draft)]

    metode = Counter(data.value(lay, SPBE.metodeLayanan) for lay in of_class(data, SPBE.Layanan))
    by_method = {r.get("metode"): int(r["jumlah_layanan"])
                 for r in run_query(demo_repository, "layanan-per-metode").rows}
    assert by_method == dict(metode)


def test_rab_coverage_follows_skos_broader(demo_repository: Repository, data: Graph,
                                          reference: Graph) -> None:
    level = {c: int(v) for c, v in reference.subject_objects(SPBE.level)}

    def ancestors(concept: object) -> set[object]:
        found: set[object] = set()
        todo = list(reference.objects(concept, SKOS.broader))  # type: ignore[arg-type]
        while todo:
            parent = todo.pop()
            if parent not in found:
                found.add(parent)
                todo.extend(reference.objects(parent, SKOS.broader))  # type: ignore[arg-type]
        return found

    functions = [c for c in reference.subjects(RDF.type, SKOS.Concept)
                 if level.get(c) == 3 and str(c).split("/")[-1].startswith("RAB.")]
    in_reference = Counter(a for f in functions for a in ancestors(f) if level.get(a) == 1)
    used = {c for c in data.objects(None, SPBE.klasifikasiRAB) if level.get(c) == 3}
    used_per_sector = Counter(a for f in used for a in ancestors(f) if level.get(a) == 1)

    rows = run_query(demo_repository, "rab-coverage-per-sector",
                     {"level": "1", "kode_wilayah": "3574"}).rows
    assert {r["rab"]: int(r["fungsi_referensi"]) for r in rows} == dict(in_reference)
    assert {r["rab"]: int(r["fungsi_dipakai"]) for r in rows if int(r["fungsi_dipakai"])} \
        == dict(used_per_sector)
    assert len(rows) == 9  # the nine RAB sectors


def test_no_demo_process_has_an_unknown_rab_code(demo_repository: Repository,
                                                 data: Graph, reference: Graph) -> None:
    rab_concepts = {c for c, scheme in reference.subject_objects(SKOS.inScheme)
                    if str(scheme).endswith("/RAB")}
    unknown = [p for p in of_class(data, SPBE.ProsesBisnis)
               if (c := data.value(p, SPBE.klasifikasiRAB)) is not None
               and c not in rab_concepts]
    assert run_query(demo_repository, "processes-with-unknown-rab").rows == []
    assert unknown == []


EMPTY_ON_THE_DEMO = {
    "history": "the demo has no audit records until something is edited",
    "recent-changes": "the demo has no audit records until something is edited",
    "processes-with-unknown-rab": "every sample process uses a code of the reference",
    "opd-without-layanan": "every sample OPD delivers at least one layanan",
}


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_every_query_answers_on_the_demo(name: str, demo_repository: Repository,
                                         data: Graph) -> None:
    sop = next(iter(of_class(data, SPBE.SOP)))
    params = {"sop-steps": {"kode_sop": kode(data, sop)},
              "history": {"entity": str(sop)}}.get(name, {})
    result = run_query(demo_repository, name, params)
    if name in EMPTY_ON_THE_DEMO:
        assert result.rows == [], EMPTY_ON_THE_DEMO[name]
    else:
        assert result.rows, f"{name} finds nothing on the demo"
