"""Replacing a provisional reference list (RAA, RAI, RAK) with the official one:
`reference.replace` on the demo repository."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from rdflib import RDF, SKOS, Literal, URIRef
from tests.reference.official_lists import OFFICIAL_RAA

from spbe_arch import iris
from spbe_arch.datasets import load_demo
from spbe_arch.errors import InputError, InputProblems
from spbe_arch.reference.replace import read_official_list, replace_list
from spbe_arch.reference.schemes import describe_schemes
from spbe_arch.repository import Repository, open_repository
from spbe_arch.validation import validate
from spbe_arch.vocab import DCT, PROV, SPBE

VERSION = "Perpres 132/2022"
GRAPH = iris.reference_graph(VERSION)
WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def repository() -> Iterator[Repository]:
    repository = open_repository("memory:")
    load_demo(repository)
    yield repository
    repository.close()


def _dump(repository: Repository, path: Path) -> bytes:
    repository.dump(path)
    return path.read_bytes()


def _concept(code: str) -> URIRef:
    return iris.reference_concept_iri(VERSION, code)


def _scheme_codes(repository: Repository, prefix: str) -> set[str]:
    graph = repository.graph(GRAPH)
    scheme = iris.reference_scheme_iri(VERSION, prefix)
    return {str(graph.value(c, SKOS.notation)) for c in graph.subjects(SKOS.inScheme, scheme)}


def test_a_csv_list_replaces_the_provisional_raa(repository: Repository,
                                                 tmp_path: Path) -> None:
    path = tmp_path / "raa-resmi.csv"
    path.write_text(OFFICIAL_RAA, encoding="utf-8")
    plan = replace_list(repository, read_official_list(path, "raa"), agent="sari",
                        source="https://example.go.id/raa.pdf", instansi="3574",
                        now=lambda: WHEN)
    assert plan.activity is not None
    assert [c.code for c in plan.added] == ["RAA.02.02.01"]
    assert [c.code for c in plan.removed] == ["RAA.02.01"]
    assert [(c.code, c.old_name) for c in plan.renamed] == [
        ("RAA.01.02", "Aplikasi Umum Administrasi Pemerintahan")]
    graph = repository.graph(GRAPH)
    scheme = iris.reference_scheme_iri(VERSION, "RAA")
    assert _scheme_codes(repository, "RAA") == {"RAA.01", "RAA.01.01", "RAA.01.02", "RAA.02",
                                                "RAA.02.02", "RAA.02.02.01"}
    assert (_concept("RAA.02.01"), None, None) not in graph
    new = _concept("RAA.02.02.01")
    assert (new, RDF.type, SKOS.Concept) in graph
    assert graph.value(new, SPBE.level) == Literal(3)
    assert graph.value(new, SKOS.broader) == _concept("RAA.02.02")
    assert graph.value(_concept("RAA.01.02"), SKOS.note) == Literal("dipakai semua instansi",
                                                                    lang="id")
    # an official list: nothing of it is provisional any more
    assert graph.value(scheme, SPBE.provisional) == Literal(False)
    assert not [c for c in graph.subjects(SKOS.inScheme, scheme)
                if (c, SPBE.provisional, None) in graph or (c, SKOS.editorialNote, None) in graph]
    assert graph.value(scheme, DCT.source) == URIRef("https://example.go.id/raa.pdf")
    notes = {str(n) for n in graph.objects(scheme, SKOS.editorialNote)}
    loaded = "dimuat oleh sari dari berkas 'raa-resmi.csv' pada 2026-03-02 09:30 UTC"
    assert len(notes) == 2 and any(loaded in n for n in notes), notes
    assert set(graph.objects(scheme, SKOS.hasTopConcept)) == {_concept("RAA.01"),
                                                              _concept("RAA.02")}
    # the version no longer calls RAA provisional
    version_notes = {str(n) for n in graph.objects(iris.reference_version_iri(VERSION),
                                                   SKOS.editorialNote)}
    assert "Skema RAI, RAK bersifat sementara (lihat catatan skema)." in version_notes
    # the audit record: who, which scheme, the triples
    provenance = repository.graph(iris.provenance_graph())
    assert (plan.activity, PROV.used, scheme) in provenance
    assert "Ganti daftar RAA" in str(provenance.value(plan.activity, URIRef(
        "http://www.w3.org/2000/01/rdf-schema#label")))
    agent = provenance.value(plan.activity, PROV.wasAssociatedWith)
    assert str(provenance.value(agent, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
               ) == "sari"
    overview = {s.prefix: s for s in describe_schemes(repository, "3574").schemes}
    assert not overview["RAA"].provisional and overview["RAI"].provisional
    assert overview["RAA"].levels == {1: 2, 2: 3, 3: 1}


def test_validation_warns_about_a_code_that_disappeared(repository: Repository,
                                                        tmp_path: Path) -> None:
    def unknown_raa() -> set[str]:
        return {str(r.focus_node) for r in validate(repository, instansi="3574").results
                if str(r.source_shape).endswith("Elemen-klasifikasiRAA-dikenal")}

    jdih = str(iris.element_iri("3574", "aplikasi", "APL-16"))
    assert jdih not in unknown_raa()
    path = tmp_path / "raa.csv"
    path.write_text(OFFICIAL_RAA, encoding="utf-8")
    plan = replace_list(repository, read_official_list(path, "RAA"), agent="uji",
                        instansi="3574")
    affected = {(e.opd, e.kode, e.code, e.known_before) for e in plan.affected}
    assert ("BAG-HUKUM", "APL-16", "RAA.02.01", True) in affected
    assert all(e.code == "RAA.02.01" for e in plan.affected)
    assert jdih in unknown_raa()
    assert str(iris.element_iri("3574", "aplikasi", "APL-02")) not in unknown_raa()


def test_an_xlsx_list_with_levels_replaces_rai(repository: Repository,
                                               tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "RAI resmi"
    sheet.append(["Code", "Name", "Parent", "Level", "Description"])
    sheet.append(["RAI.01", "Fasilitas Komputasi", None, 1, None])
    sheet.append(["RAI.01.01", "Pusat Data Nasional", "RAI.01", 2, "PDN"])
    sheet.append([None, None, None, None, None])  # an empty row is no entry
    sheet.append(["RAI.02", "Jaringan Intra", None, 1, None])
    path = tmp_path / "rai.xlsx"
    book.save(path)
    plan = replace_list(repository, read_official_list(path, "RAI"), agent="uji",
                        source="Keputusan Menteri PANRB (contoh)", instansi="3574")
    assert plan.activity is not None and plan.concepts == 3
    assert _scheme_codes(repository, "RAI") == {"RAI.01", "RAI.01.01", "RAI.02"}
    graph = repository.graph(GRAPH)
    scheme = iris.reference_scheme_iri(VERSION, "RAI")
    assert graph.value(scheme, DCT.source) == Literal("Keputusan Menteri PANRB (contoh)")
    assert graph.value(_concept("RAI.01.01"), SKOS.note) == Literal("PDN", lang="id")
    # infrastructure classified with a dropped RAI code is listed by OPD and code
    assert plan.affected and all(e.kind == "infrastruktur" and e.opd for e in plan.affected)


def test_a_json_list_in_the_project_format_replaces_rak(repository: Repository,
                                                        tmp_path: Path) -> None:
    path = tmp_path / "rak.json"
    path.write_text(json.dumps([
        {"code": "RAK.01", "name": "Standar Keamanan", "level": 1},
        {"code": "RAK.01.01", "name": "Kebijakan Keamanan", "level": 2, "parent": "RAK.01",
         "note_id": "catatan", "note_en": "note"},
    ]), encoding="utf-8")
    plan = replace_list(repository, read_official_list(path, "RAK"), agent="uji",
                        instansi="3574")
    assert plan.activity is not None
    assert _scheme_codes(repository, "RAK") == {"RAK.01", "RAK.01.01"}
    graph = repository.graph(GRAPH)
    assert set(graph.objects(_concept("RAK.01.01"), SKOS.note)) == {
        Literal("catatan", lang="id"), Literal("note", lang="en")}
    assert {str(n) for n in graph.objects(iris.reference_version_iri(VERSION),
                                          SKOS.editorialNote)} == {
        "Skema RAA, RAI bersifat sementara (lihat catatan skema).",
        "Schemes RAA, RAI are provisional (see the scheme notes)."}


def test_the_same_list_again_writes_nothing(repository: Repository, tmp_path: Path) -> None:
    path = tmp_path / "raa.csv"
    path.write_text(OFFICIAL_RAA, encoding="utf-8")
    official = read_official_list(path, "RAA")
    replace_list(repository, official, agent="uji", instansi="3574", now=lambda: WHEN)
    before = _dump(repository, tmp_path / "a.nq")
    again = replace_list(repository, official, agent="uji", instansi="3574")
    assert again.unchanged and again.activity is None
    assert _dump(repository, tmp_path / "b.nq") == before


def test_a_dry_run_plans_and_writes_nothing(repository: Repository, tmp_path: Path) -> None:
    path = tmp_path / "raa.csv"
    path.write_text(OFFICIAL_RAA, encoding="utf-8")
    before = _dump(repository, tmp_path / "a.nq")
    plan = replace_list(repository, read_official_list(path, "RAA"), agent="uji",
                        instansi="3574", dry_run=True)
    assert plan.dry_run and plan.activity is None and not plan.unchanged
    assert [c.code for c in plan.removed] == ["RAA.02.01"]
    assert any(e.kode == "APL-16" for e in plan.affected)
    assert _dump(repository, tmp_path / "b.nq") == before


@pytest.mark.parametrize("scheme", ["RAB", "ral", "RAD"])
def test_the_verified_lists_are_refused(tmp_path: Path, scheme: str) -> None:
    path = tmp_path / "rab.csv"
    path.write_text("kode,nama,induk\nRAB.01,X,\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        read_official_list(path, scheme)
    assert "daftar resmi yang sudah diverifikasi" in refused.value.message("id")
    assert "a new Perpres is a new reference version" in refused.value.message("en")


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("dup.csv", "kode,nama,induk\nRAA.01,A,\nRAA.01,B,\n",
     ["dup.csv, baris 3, kolom kode: kode ganda"]),
    ("noname.csv", "kode,nama,induk\nRAA.01,A,\nRAA.01.01, ,RAA.01\n",
     ["noname.csv, baris 3, kolom nama: nama wajib diisi"]),
    ("orphan.csv", "kode,nama,induk\nRAA.01,A,\nRAA.02.01,B,RAA.02\n",
     ["orphan.csv, baris 3, kolom induk: induk RAA.02 tidak ada dalam berkas"]),
    ("prefix.csv", "kode,nama,induk\nRAA.01,A,\nRAI.01,B,\n",
     ["prefix.csv, baris 3, kolom kode: kode 'RAI.01' harus berupa teks berawalan 'RAA.'"]),
    ("level.csv", "kode;nama;induk;level\nRAA.01;A;;1\nRAA.01.01;B;RAA.01;3\n",
     ["level.csv, baris 3, kolom level: induk RAA.01 berlevel 1, seharusnya 2"]),
    ("badlevel.csv", "kode,nama,induk,level\nRAA.01,A,,satu\n",
     ["badlevel.csv, baris 2, kolom level: level 'satu' harus bilangan bulat >= 1"]),
    ("loop.csv", "kode,nama,induk\nRAA.01,A,RAA.02\nRAA.02,B,RAA.01\n",
     ["loop.csv, baris 2, kolom induk: induk melingkar: RAA.01 → RAA.02 → RAA.01"]),
    ("header.csv", "kode,nama\nRAA.01,A\n",
     ["header.csv, baris 1, kolom induk: kolom 'induk' tidak ada di baris judul"]),
    ("unknown.csv", "kode,nama,induk,No\nRAA.01,A,,1\n",
     ["unknown.csv, baris 1, kolom No: judul kolom 'No' tidak dikenal"]),
    ("bad.json", '[{"code": "RAA.01", "name": "A", "level": 1}, {"code": "RAA.02", "level": 1}]',
     ["bad.json, kolom name, entri #2 (RAA.02): nama wajib diisi"]),
])
def test_each_bad_list_names_file_row_and_column_and_writes_nothing(
        repository: Repository, tmp_path: Path, name: str, text: str,
        expected: list[str]) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    before = _dump(repository, tmp_path / "a.nq")
    with pytest.raises(InputProblems) as refused:
        replace_list(repository, read_official_list(path, "RAA"), agent="uji",
                     instansi="3574")
    messages = [p.message("id") for p in refused.value.problems]
    for words in expected:
        assert any(m.startswith(words) for m in messages), messages
    assert refused.value.problems[0].message("en") != messages[0]  # English is there too
    assert _dump(repository, tmp_path / "b.nq") == before


def test_a_file_that_is_no_list_is_refused(tmp_path: Path) -> None:
    odd = tmp_path / "raa.txt"
    odd.write_text("x", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        read_official_list(odd, "RAA")
    assert refused.value.message().startswith("raa.txt: jenis berkas '.txt' tidak dikenal")
    fake = tmp_path / "raa.xlsx"
    fake.write_text("kode,nama,induk\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        read_official_list(fake, "RAA")
    assert refused.value.message().startswith("raa.xlsx: berkas tidak dapat dibaca sebagai")
    latin = tmp_path / "raa.csv"
    latin.write_bytes("kode,nama,induk\nRAA.01,Bagian Umum,\nRAA.02,Caf\xe9,\n".encode("latin-1"))
    with pytest.raises(InputError) as refused:
        read_official_list(latin, "RAA")
    assert refused.value.message() == ("raa.csv, baris 3: berkas bukan teks UTF-8; simpan ulang"
                                       " sebagai 'CSV UTF-8'")


def test_the_reference_page_and_the_documents_follow_the_data(repository: Repository,
                                                               tmp_path: Path) -> None:
    from tests.web.helpers import make

    from spbe_arch.reports.model import gather_architecture

    path = tmp_path / "raa.csv"
    path.write_text(OFFICIAL_RAA, encoding="utf-8")
    replace_list(repository, read_official_list(path, "RAA"), agent="uji", instansi="3574")
    web = make(repository)
    try:
        session = web.session()
        page = session.get("/ui/referensi?skema=RAA").text
        assert "RAA.02.02.01" in page and "Aplikasi Khusus Kepegawaian" in page
        assert "Daftar kode RAA ini bersifat sementara" not in page
        assert "Daftar sementara, belum dari sumber resmi: RAI, RAK." in page
        assert "Daftar kode RAI ini bersifat sementara" in session.get(
            "/ui/referensi?skema=RAI").text
    finally:
        web.close()
    # the Dokumen Arsitektur's notice reads the same flag
    data = gather_architecture(repository, "3574")
    assert not any(c.provisional for c in data.concepts_by_prefix["RAA"])
    assert all(c.provisional for c in data.concepts_by_prefix["RAK"])
