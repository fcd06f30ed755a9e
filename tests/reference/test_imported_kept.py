"""`spbe-arch init` and the demo's load step keep an official list a user imported with
`spbe-arch reference import` (the scheme marked `spbe:daftarDiimpor true`), and still
refresh everything else of the reference graph from the shipped files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import RDF, SKOS, Graph, Literal, URIRef

from spbe_arch import demo, iris
from spbe_arch.datasets import load_demo
from spbe_arch.reference.replace import read_official_list, replace_list
from spbe_arch.repository import ChangeSet, Repository, open_repository
from spbe_arch.settings import get_settings
from spbe_arch.vocab import DCT, SPBE

VERSION = "Perpres 132/2022"
GRAPH = iris.reference_graph(VERSION)
RAA = iris.reference_scheme_iri(VERSION, "RAA")
SOURCE = URIRef("https://example.go.id/raa-resmi.pdf")
OFFICIAL_RAA = """kode;nama;induk
RAA.01;Aplikasi Umum;
RAA.01.01;Aplikasi Umum Layanan Publik;RAA.01
RAA.01.02;Aplikasi Umum Administrasi Pemerintahan (resmi);RAA.01
RAA.02;Aplikasi Khusus;
RAA.02.02;Aplikasi Khusus Fungsi Tertentu;RAA.02
RAA.02.02.01;Aplikasi Khusus Kepegawaian;RAA.02.02
"""
RAB_CONCEPT = iris.reference_concept_iri(VERSION, "RAB.01.01")


@pytest.fixture
def repository(tmp_path: Path) -> Iterator[Repository]:
    repository = open_repository("memory:")
    load_demo(repository)
    path = tmp_path / "raa-resmi.csv"
    path.write_text(OFFICIAL_RAA, encoding="utf-8")
    replace_list(repository, read_official_list(path, "RAA"), agent="sari",
                 source=str(SOURCE), instansi="3574")
    # a concept of a shipped list lost since: the reload must bring it back
    lost = [q for q in repository.quads(GRAPH) if q[0] == RAB_CONCEPT]
    assert lost
    repository.apply(ChangeSet(remove=lost))
    yield repository
    repository.close()


def _raa_codes(graph: Graph) -> set[str]:
    return {str(graph.value(c, SKOS.notation)) for c in graph.subjects(SKOS.inScheme, RAA)}


def _assert_kept_and_refreshed(repository: Repository) -> None:
    graph = repository.graph(GRAPH)
    assert _raa_codes(graph) == {"RAA.01", "RAA.01.01", "RAA.01.02", "RAA.02", "RAA.02.02",
                                 "RAA.02.02.01"}
    assert graph.value(iris.reference_concept_iri(VERSION, "RAA.01.02"), SKOS.prefLabel) == \
        Literal("Aplikasi Umum Administrasi Pemerintahan (resmi)", lang="id")
    assert graph.value(RAA, DCT.source) == SOURCE
    assert graph.value(RAA, SPBE.provisional) == Literal(False)
    assert graph.value(RAA, SPBE.daftarDiimpor) == Literal(True)
    assert any("dimuat oleh sari" in str(n) for n in graph.objects(RAA, SKOS.editorialNote))
    assert not any("SEMENTARA" in str(n) for n in graph.objects(RAA, SKOS.editorialNote))
    # the rest is the shipped data again
    assert (RAB_CONCEPT, RDF.type, SKOS.Concept) in graph
    assert graph.value(RAB_CONCEPT, SKOS.notation) == Literal("RAB.01.01")
    rai = iris.reference_scheme_iri(VERSION, "RAI")
    assert graph.value(rai, SPBE.provisional) == Literal(True)
    assert graph.value(RAA, SKOS.prefLabel, any=True) is not None  # the scheme's labels stay
    notes = {str(n) for n in graph.objects(iris.reference_version_iri(VERSION),
                                           SKOS.editorialNote)}
    assert "Skema RAI, RAK bersifat sementara (lihat catatan skema)." in notes
    assert not any("RAA" in n for n in notes)


def test_init_keeps_the_imported_list_and_refreshes_the_rest(
        repository: Repository) -> None:
    summary = demo.load_base_data(repository, agent="admin")
    _assert_kept_and_refreshed(repository)
    assert summary.kept_lines("id") == [
        "daftar RAA resmi yang diimpor (Perpres 132/2022) dipertahankan; daftar bawaan tidak"
        " dimuat ulang di atasnya"]
    assert "the imported official RAA list (Perpres 132/2022) was kept" in \
        summary.kept_lines("en")[0]
    before = repository.graph(GRAPH)
    demo.load_base_data(repository, agent="admin")  # again: nothing moves
    assert set(repository.graph(GRAPH)) == set(before)


def test_the_demo_load_step_keeps_it_too(repository: Repository) -> None:
    result = demo.load_step(demo.DemoContext(repository, get_settings()))
    _assert_kept_and_refreshed(repository)
    assert result.details("id")[0].startswith("daftar RAA resmi yang diimpor")


def test_a_repository_without_an_import_loads_the_shipped_lists() -> None:
    repository = open_repository("memory:")
    summary = demo.load_base_data(repository, agent="admin")
    assert summary.kept == [] and summary.kept_lines("id") == []
    graph = repository.graph(GRAPH)
    assert graph.value(RAA, SPBE.provisional) == Literal(True)
    assert graph.value(RAA, SPBE.daftarDiimpor) is None


@pytest.mark.parametrize(("lang", "said", "not_said"), [
    ("id", "muat daftar RAA resmi dengan `spbe-arch reference import` bila daftar yang dimuat"
           " masih daftar sementara bawaan", "daftar itu sementara"),
    ("en", "load the official RAA list with `spbe-arch reference import` if the loaded list"
           " is still the provisional one", "that list is provisional")])
def test_the_warning_for_a_code_outside_an_official_list_does_not_call_it_provisional(
        repository: Repository, lang: str, said: str, not_said: str) -> None:
    from spbe_arch.validation import validate

    # the demo's APL-16 keeps RAA.02.01, which the imported list dropped
    found = [r for r in validate(repository, instansi="3574").results
             if str(r.source_shape).endswith("Elemen-klasifikasiRAA-dikenal")]
    assert found
    for result in found:
        assert said in result.message(lang) and not_said not in result.message(lang)
