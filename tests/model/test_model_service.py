"""Reading, planning and applying entity writes through the model layer."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from rdflib import RDF, XSD, Graph, Literal

from spbe_arch import iris
from spbe_arch.audit import apply_audited
from spbe_arch.errors import InputProblems
from spbe_arch.model import (
    FieldProblem,
    entity_to_graph,
    get_entity,
    list_entities,
    plan_changes,
    plan_delete,
    plan_upsert,
)
from spbe_arch.model.service import BULK_THRESHOLD
from spbe_arch.repository import Repository
from spbe_arch.vocab import SPBE

I = "3574"  # noqa: E741 - short on purpose, used in every call

LAYANAN = {"kode": "L.01", "nama": "Penerbitan Akta Kelahiran", "uraian": "Akta untuk bayi",
           "unitPelaksana": "DISDUKCAPIL", "klasifikasiRAL": "RAL.01.09.02",
           "jenisLayanan": "LayananPublik", "tujuan": "Memberi kepastian hukum kelahiran",
           "targetLayanan": ["Masyarakat", "PelakuUsaha"], "metodeLayanan": "Hybrid",
           "menggunakanData": ["D.01"]}
DATA = {"kode": "D.01", "nama": "Data kelahiran", "uraian": None, "waliData": "DISDUKCAPIL",
        "klasifikasiRAD": "RAD.02.01", "sifatData": "Tertutup", "jenisData": "DataStatistik",
        "validitasData": "Harian"}
PROSES = {"kode": "PB.01", "nama": "Pencatatan kelahiran", "uraian": "Dari berkas ke akta",
          "pemilik": "DISDUKCAPIL", "klasifikasiRAB": "RAB.09.03.02",
          "jenisProses": "ProsesUtama", "statusProses": "AsIs", "levelPetaProses": 1,
          "subProsesDari": None, "merealisasikan": ["L.01"], "menghasilkanData": ["D.01"]}
SOP: dict[str, Any] = {
    "kode": "SOP.01", "nama": "SOP Penerbitan Akta Kelahiran", "pemilik": "DISDUKCAPIL",
    "untukProsesBisnis": "PB.01", "nomorSOP": "800/12/2024", "tanggalPembuatan": "2024-01-05",
    "tanggalRevisi": None, "tanggalEfektif": "2024-02-01", "disahkanOlehJabatan": "Kepala Dinas",
    "disahkanOlehNama": "Budi", "disahkanOlehNIP": "197001011990031001",
    "statusSOP": "Ditetapkan", "areaManajemen": None,
    "dasarHukum": ["Perpres 96/2018", "UU 23/2006"], "kualifikasiPelaksana": ["Memahami adminduk"],
    "keterkaitan": [], "sopTerkait": [], "peralatanPerlengkapan": ["Komputer"],
    "peringatan": "Akta tidak terbit bila berkas kurang", "pencatatanPendataan": [],
    "memilikiPelaksana": ["Pemohon", "Petugas Loket", "Kepala Dinas"],
    "memilikiLangkah": [
        {"urutan": 1, "nama": "Mulai", "jenisSimbol": "Terminator", "dilaksanakanOleh": "Pemohon",
         "kelengkapan": None, "waktu": None, "output": None, "keterangan": None,
         "langkahBerikutnya": 2, "jikaYa": None, "jikaTidak": None},
        {"urutan": 2, "nama": "Periksa berkas", "jenisSimbol": "Keputusan",
         "dilaksanakanOleh": "Petugas Loket", "kelengkapan": "KK, KTP", "waktu": "10 menit",
         "output": "Berkas lengkap", "keterangan": None, "langkahBerikutnya": None,
         "jikaYa": 3, "jikaTidak": 4},
        {"urutan": 3, "nama": "Tandatangani akta", "jenisSimbol": "Kegiatan",
         "dilaksanakanOleh": "Kepala Dinas", "kelengkapan": None, "waktu": "1 hari",
         "output": "Akta", "keterangan": None, "langkahBerikutnya": 4, "jikaYa": None,
         "jikaTidak": None},
        {"urutan": 4, "nama": "Selesai", "jenisSimbol": "Terminator", "dilaksanakanOleh": "Pemohon",
         "kelengkapan": None, "waktu": None, "output": None, "keterangan": None,
         "langkahBerikutnya": None, "jikaYa": None, "jikaTidak": None},
    ],
}
BATCH = {"layanan": [LAYANAN], "data": [DATA], "proses-bisnis": [PROSES], "sop": [SOP]}


def _apply(repo: Repository, changes: Any) -> None:
    apply_audited(repo, changes, agent="test", entities=changes.entities, label="test")


def _dump(repo: Repository) -> bytes:
    return repo.export(None, "nquads")


@pytest.fixture
def filled(repo: Repository) -> Repository:
    _apply(repo, plan_changes(repo, BATCH, instansi=I))
    return repo


def _strip(record: dict[str, Any] | None) -> dict[str, Any]:
    assert record is not None
    return {k: v for k, v in record.items() if k != "@id"}


def test_round_trip_dict_rdf_dict(filled: Repository) -> None:
    assert _strip(get_entity(filled, "layanan", "L.01", instansi=I)) == {
        **LAYANAN, "targetLayanan": sorted(LAYANAN["targetLayanan"])}
    assert _strip(get_entity(filled, "data", "D.01", instansi=I)) == DATA
    assert _strip(get_entity(filled, "proses-bisnis", "PB.01", instansi=I)) == PROSES
    assert _strip(get_entity(filled, "sop", "SOP.01", instansi=I)) == SOP
    assert get_entity(filled, "sop", "SOP.99", instansi=I) is None


def test_stored_triples_follow_the_data_conventions(filled: Repository) -> None:
    graph = filled.graph(iris.instansi_graph(I))
    pb = iris.element_iri(I, "proses-bisnis", "PB.01")
    assert (pb, RDF.type, SPBE.ProsesBisnis) in graph
    assert (pb, SPBE.kode, Literal("PB.01")) in graph
    assert (pb, SPBE.instansi, iris.instansi_iri(I)) in graph
    assert (pb, SPBE.pemilik, iris.element_iri(I, "opd", "DISDUKCAPIL")) in graph
    assert (pb, SPBE.klasifikasiRAB,
            iris.reference_concept_iri("Perpres 132/2022", "RAB.09.03.02")) in graph
    assert (pb, SPBE.statusProses, SPBE.AsIs) in graph
    assert (pb, SPBE.levelPetaProses, Literal(1, datatype=XSD.integer)) in graph
    sop = iris.element_iri(I, "sop", "SOP.01")
    step2 = iris.sop_step_iri(sop, 2)
    assert (step2, SPBE.jikaYa, iris.sop_step_iri(sop, 3)) in graph
    assert (step2, SPBE.dilaksanakanOleh, iris.sop_pelaksana_iri(sop, "Petugas Loket")) in graph
    assert (sop, SPBE.tanggalPembuatan, Literal("2024-01-05", datatype=XSD.date)) in graph
    assert (iris.sop_step_iri(sop, 4), SPBE.langkahBerikutnya, None) not in graph


def test_entity_to_graph_matches_what_is_stored(filled: Repository) -> None:
    triples = entity_to_graph("proses-bisnis", PROSES, I)
    stored = filled.graph(iris.instansi_graph(I))
    assert triples and all(t in stored for t in triples)


def test_reapplying_the_same_data_is_an_empty_change_set(filled: Repository) -> None:
    before = _dump(filled)
    again = plan_changes(filled, BATCH, instansi=I)
    assert again.is_empty() and again.unchanged == 4 and not again.entity_changes
    # what the model reads back is accepted as-is too
    read = {k: [get_entity(filled, k, r["kode"], instansi=I) for r in v] for k, v in BATCH.items()}
    assert plan_changes(filled, read, instansi=I).is_empty()  # type: ignore[arg-type]
    _apply(filled, again)
    assert _dump(filled) == before


def test_diff_removes_and_adds_exactly_the_changed_values(filled: Repository) -> None:
    changed = {**LAYANAN, "metodeLayanan": "Elektronik", "targetLayanan": ["Masyarakat"],
               "uraian": None}
    plan = plan_upsert(filled, "layanan", [changed], instansi=I)
    subject = iris.element_iri(I, "layanan", "L.01")
    graph = iris.instansi_graph(I)
    assert set(plan.add) == {(subject, SPBE.metodeLayanan, SPBE.Elektronik, graph)}
    assert set(plan.remove) == {
        (subject, SPBE.metodeLayanan, SPBE.Hybrid, graph),
        (subject, SPBE.targetLayanan, SPBE.PelakuUsaha, graph),
        (subject, SPBE.uraian, Literal("Akta untuk bayi"), graph),
    }
    [change] = plan.entity_changes
    assert change.action == "change"
    assert set(change.fields) == {"metodeLayanan", "targetLayanan", "uraian"}
    _apply(filled, plan)
    assert get_entity(filled, "layanan", "L.01", instansi=I)["metodeLayanan"] == "Elektronik"  # type: ignore[index]
    assert plan_upsert(filled, "layanan", [changed], instansi=I).is_empty()


def test_partial_update_leaves_other_fields(filled: Repository) -> None:
    plan = plan_upsert(filled, "layanan", [{"kode": "L.01", "nama": "Akta Kelahiran"}],
                       instansi=I, partial=True)
    assert len(plan.add) == 1 and len(plan.remove) == 1
    _apply(filled, plan)
    record = get_entity(filled, "layanan", "L.01", instansi=I)
    assert record is not None and record["nama"] == "Akta Kelahiran"
    assert record["metodeLayanan"] == "Hybrid"


def test_unmanaged_triples_survive_an_upsert(filled: Repository) -> None:
    from rdflib import RDFS

    from spbe_arch.repository import ChangeSet

    subject = iris.element_iri(I, "layanan", "L.01")
    graph = iris.instansi_graph(I)
    filled.apply(ChangeSet(add=[(subject, RDFS.comment, Literal("catatan"), graph)]))
    plan = plan_upsert(filled, "layanan", [{**LAYANAN, "nama": "Baru"}], instansi=I)
    assert all(q[1] != RDFS.comment for q in plan.remove)


def test_sop_steps_changes_are_diffed_per_triple(filled: Repository) -> None:
    sop = copy.deepcopy(SOP)
    sop["memilikiLangkah"][2]["waktu"] = "2 hari"
    plan = plan_upsert(filled, "sop", [sop], instansi=I)
    assert len(plan.add) == 1 and len(plan.remove) == 1
    assert plan.entity_changes[0].fields == ["memilikiLangkah"]
    # dropping a step removes all of its triples and the link to it
    sop["memilikiLangkah"] = sop["memilikiLangkah"][:3]
    sop["memilikiLangkah"][1]["jikaTidak"] = 3
    sop["memilikiLangkah"][2]["langkahBerikutnya"] = None
    plan = plan_upsert(filled, "sop", [sop], instansi=I)
    step4 = iris.sop_step_iri(iris.element_iri(I, "sop", "SOP.01"), 4)
    removed_subjects = {q[0] for q in plan.remove} | {q[2] for q in plan.remove}
    assert step4 in removed_subjects
    _apply(filled, plan)
    graph = filled.graph(iris.instansi_graph(I))
    assert (step4, None, None) not in graph and (None, None, step4) not in graph


def test_sop_defaults_pelaksana_and_sequential_successors(repo: Repository) -> None:
    _apply(repo, plan_changes(repo, {k: v for k, v in BATCH.items() if k != "sop"}, instansi=I))
    sop = {"kode": "SOP.02", "nama": "Sederhana", "pemilik": "DISDUKCAPIL",
           "memilikiLangkah": [
               {"nama": "Mulai", "jenisSimbol": "Terminator", "dilaksanakanOleh": "A"},
               {"nama": "Kerja", "jenisSimbol": "Kegiatan", "dilaksanakanOleh": "B"},
               {"nama": "Selesai", "jenisSimbol": "Terminator", "dilaksanakanOleh": "A"}]}
    _apply(repo, plan_upsert(repo, "sop", [sop], instansi=I))
    record = get_entity(repo, "sop", "SOP.02", instansi=I)
    assert record is not None
    assert record["memilikiPelaksana"] == ["A", "B"]
    assert [s["langkahBerikutnya"] for s in record["memilikiLangkah"]] == [2, 3, None]


def _problems(excinfo: pytest.ExceptionInfo[InputProblems]) -> list[FieldProblem]:
    problems = excinfo.value.problems
    assert all(isinstance(p, FieldProblem) for p in problems)
    return problems  # type: ignore[return-value]


def test_bad_values_are_reported_per_field_and_nothing_is_planned(filled: Repository) -> None:
    bad = {**PROSES, "kode": "PB.02", "pemilik": "DINAS-X", "klasifikasiRAB": "RAB.09.03.99",
           "statusProses": "Lama", "levelPetaProses": "satu", "warna": "merah",
           "merealisasikan": ["L.01", "L.77"]}
    with pytest.raises(InputProblems) as info:
        plan_upsert(filled, "proses-bisnis", [bad], instansi=I)
    by_field = {p.field: p for p in _problems(info)}
    assert set(by_field) == {"pemilik", "klasifikasiRAB", "statusProses", "levelPetaProses",
                             "warna", "merealisasikan"}
    assert by_field["klasifikasiRAB"].message("id").endswith(
        "'RAB.09.03.99' tidak ada dalam Referensi Arsitektur Proses Bisnis")
    assert "DINAS-X" in by_field["pemilik"].message("en")
    assert "L.77" in by_field["merealisasikan"].message("id")
    assert "As-Is" in by_field["statusProses"].message("id")
    assert all(p.index == 0 and p.code == "PB.02" for p in by_field.values())


@pytest.mark.parametrize(("code", "shown"), [
    (True, "bukan true"), (["D.01"], 'bukan ["D.01"]'), ("D" * 201, "paling banyak 200")])
def test_a_code_is_text_short_enough_for_an_address(repo: Repository, code: object,
                                                    shown: str) -> None:
    with pytest.raises(InputProblems) as info:
        plan_upsert(repo, "data", [{**DATA, "kode": code}], instansi=I)
    [problem] = _problems(info)
    assert problem.field == "kode" and shown in problem.message("id")


def test_duplicate_codes_in_a_batch_are_rejected(repo: Repository) -> None:
    with pytest.raises(InputProblems) as info:
        plan_upsert(repo, "data", [DATA, {**DATA, "nama": "lain"}], instansi=I)
    [problem] = _problems(info)
    assert problem.index == 1 and "D.01" in problem.message("id")


def test_bad_dates_and_step_references(repo: Repository) -> None:
    sop = copy.deepcopy(SOP)
    sop["untukProsesBisnis"] = None
    sop["tanggalPembuatan"] = "05/01/2024"
    sop["memilikiLangkah"][1]["jikaTidak"] = 9
    sop["memilikiLangkah"][2]["dilaksanakanOleh"] = "Camat"
    with pytest.raises(InputProblems) as info:
        plan_upsert(repo, "sop", [sop], instansi=I)
    fields = {p.field for p in _problems(info)}
    assert fields == {"tanggalPembuatan", "memilikiLangkah[2].jikaTidak",
                      "memilikiLangkah[3].dilaksanakanOleh"}


def test_lenient_codes_normalise_case_with_a_warning(repo: Repository) -> None:
    record = {**DATA, "waliData": "disdukcapil", "klasifikasiRAD": "rad.02.01"}
    with pytest.raises(InputProblems):
        plan_upsert(repo, "data", [record], instansi=I)
    plan = plan_upsert(repo, "data", [record], instansi=I, lenient_codes=True)
    assert {w.field for w in plan.warnings} == {"waliData", "klasifikasiRAD"}
    _apply(repo, plan)
    stored = get_entity(repo, "data", "D.01", instansi=I)
    assert stored is not None and stored["waliData"] == "DISDUKCAPIL"
    assert stored["klasifikasiRAD"] == "RAD.02.01"


def test_list_filters_sort_and_pages(filled: Repository) -> None:
    extra = [{**PROSES, "kode": f"PB.1{i}", "nama": f"Proses {chr(90 - i)}",
              "pemilik": "DISKOMINFO" if i % 2 else "DISDUKCAPIL",
              "klasifikasiRAB": "RAB.09.03.01", "statusProses": "Baru" if i < 3 else "AsIs",
              "merealisasikan": [], "menghasilkanData": []} for i in range(6)]
    _apply(filled, plan_upsert(filled, "proses-bisnis", extra, instansi=I))
    page = list_entities(filled, "proses-bisnis", instansi=I, limit=3)
    assert page.total == 7 and [r["kode"] for r in page.items] == ["PB.01", "PB.10", "PB.11"]
    page = list_entities(filled, "proses-bisnis", instansi=I, offset=6, limit=3)
    assert [r["kode"] for r in page.items] == ["PB.15"]
    assert list_entities(filled, "proses-bisnis", instansi=I, opd="DISKOMINFO").total == 3
    assert list_entities(filled, "proses-bisnis", instansi=I, status="Baru").total == 3
    assert list_entities(filled, "proses-bisnis", instansi=I, reference_code="RAB.09").total == 7
    assert list_entities(filled, "proses-bisnis", instansi=I,
                         reference_code="RAB.09.03.02").total == 1
    assert [r["kode"] for r in list_entities(filled, "proses-bisnis", instansi=I,
                                              text="KELAHIRAN").items] == ["PB.01"]
    names = [r["nama"] for r in list_entities(filled, "proses-bisnis", instansi=I,
                                              sort="-nama").items]
    assert names == sorted(names, reverse=True)
    assert list_entities(filled, "proses-bisnis", instansi="3500").total == 0
    from spbe_arch.errors import InputError

    with pytest.raises(InputError):
        list_entities(filled, "proses-bisnis", instansi=I, sort="merealisasikan")


def test_delete_refuses_while_referenced_and_removes_everything_when_forced(
        filled: Repository) -> None:
    before = _dump(filled)
    with pytest.raises(InputProblems) as info:
        plan_delete(filled, "layanan", ["L.01"], instansi=I)
    assert "PB.01" in info.value.message("id")
    assert _dump(filled) == before
    plan = plan_delete(filled, "sop", ["SOP.01"], instansi=I)
    assert [c.action for c in plan.entity_changes] == ["remove"]
    _apply(filled, plan)
    graph = filled.graph(iris.instansi_graph(I))
    sop = str(iris.element_iri(I, "sop", "SOP.01"))
    assert not [t for t in graph if any(str(x).startswith(sop) for x in t)]
    forced = plan_delete(filled, "layanan", ["L.01"], instansi=I, force=True)
    # the process losing its link is part of the change (scope checks, audit trail)
    assert [(c.kind, c.code, c.action, c.fields) for c in forced.entity_changes] == [
        ("layanan", "L.01", "remove", []),
        ("proses-bisnis", "PB.01", "change", ["merealisasikan"])]
    _apply(filled, forced)
    assert get_entity(filled, "proses-bisnis", "PB.01", instansi=I)["merealisasikan"] == []  # type: ignore[index]
    with pytest.raises(InputProblems):
        plan_delete(filled, "layanan", ["L.01"], instansi=I)


def test_bulk_path_gives_the_same_plan_as_the_small_one(repo: Repository) -> None:
    records = [{**DATA, "kode": f"D.{i:04d}", "nama": f"Data {i}"}
               for i in range(BULK_THRESHOLD + 5)]
    _apply(repo, plan_upsert(repo, "data", records, instansi=I))
    changed = [{**r, "sifatData": "Terbuka"} for r in records]
    bulk = plan_upsert(repo, "data", changed, instansi=I)
    small = [plan_upsert(repo, "data", changed[i:i + 50], instansi=I)
             for i in range(0, len(changed), 50)]
    assert set(bulk.add) == {q for p in small for q in p.add}
    assert set(bulk.remove) == {q for p in small for q in p.remove}
    assert len(bulk.entity_changes) == len(records)
    page = list_entities(repo, "data", instansi=I, limit=None)
    assert page.total == len(records) == len(page.items)


def test_entity_to_graph_offline(repo: Repository) -> None:
    graph = Graph()
    for triple in entity_to_graph("layanan", LAYANAN, I):
        graph.add(triple)
    subject = iris.element_iri(I, "layanan", "L.01")
    assert (subject, SPBE.targetLayanan, SPBE.PelakuUsaha) in graph
    with pytest.raises(InputProblems):
        entity_to_graph("layanan", {**LAYANAN, "metodeLayanan": "Surat"}, I)


def test_what_the_record_does_not_describe_survives_on_kept_steps(filled: Repository) -> None:
    """A step derived from a BPMN model keeps its link to the model element when the SOP is
    written back as it was read (an Excel export imported again, a REST PUT of what GET
    gave); a step the record drops goes with all of its triples."""
    from rdflib import URIRef

    from spbe_arch.repository import ChangeSet
    from spbe_arch.vocab import PROV

    sop = iris.element_iri(I, "sop", "SOP.01")
    graph = iris.instansi_graph(I)
    derived = [(iris.sop_step_iri(sop, n), PROV.wasDerivedFrom,
                URIRef(f"https://example.org/bpmn#Task_{n}"), graph) for n in (2, 4)]
    filled.apply(ChangeSet(add=derived))
    as_read = _strip(get_entity(filled, "sop", "SOP.01", instansi=I))
    plan = plan_upsert(filled, "sop", [as_read], instansi=I)
    assert plan.is_empty() and plan.unchanged == 1
    shorter = copy.deepcopy(SOP)
    shorter["memilikiLangkah"] = shorter["memilikiLangkah"][:3]
    shorter["memilikiLangkah"][1]["jikaTidak"] = 3
    shorter["memilikiLangkah"][2]["langkahBerikutnya"] = None
    _apply(filled, plan_upsert(filled, "sop", [shorter], instansi=I))
    stored = filled.graph(graph)
    assert derived[0][:3] in stored
    assert (iris.sop_step_iri(sop, 4), None, None) not in stored


def test_the_links_that_block_a_delete_are_named_in_code_order(repo: Repository) -> None:
    # the store returns the referrers in an order of its own, which differs between stores
    # holding the same data; messages and plans must not
    codes = ["PB.09", "PB.01", "PB.05", "PB.03", "PB.07"]
    processes = [{**PROSES, "kode": c, "merealisasikan": [], "menghasilkanData": ["D.01"]}
                 for c in codes]
    _apply(repo, plan_changes(repo, {"data": [DATA], "proses-bisnis": processes},
                              instansi=I))
    with pytest.raises(InputProblems) as info:
        plan_delete(repo, "data", ["D.01"], instansi=I)
    named = [re.search(r"dirujuk oleh '([^']+)'", p.message("id"))[1]  # type: ignore[index]
             for p in _problems(info)]
    assert named == sorted(codes)
    forced = plan_delete(repo, "data", ["D.01"], instansi=I, force=True)
    assert [c.code for c in forced.entity_changes] == ["D.01", *sorted(codes)]
