"""The whole chain on the three sample models: expected steps, actors, branches, mutu baku,
and SOP data written exactly to the project's SOP conventions."""

from __future__ import annotations

import pytest
from rdflib import RDF, Literal, URIRef

from spbe_arch import iris
from spbe_arch.importers.bpmn.service import model_iri
from spbe_arch.repository import Repository
from spbe_arch.sop.document import SopDocument, load_sop
from spbe_arch.sop.service import DeriveResult
from spbe_arch.validation import validate
from spbe_arch.vocab import SPBE

from .conftest import KODE

Derived = tuple[Repository, dict[str, DeriveResult]]


def rows(document: SopDocument) -> list[tuple[int, str, str, str]]:
    actor = {p.iri: p.nama for p in document.pelaksana}
    return [(s.urutan, s.simbol, actor[s.pelaksana], s.nama)  # type: ignore[index]
            for s in document.langkah]


def test_akta_kelahiran(derived: Derived) -> None:
    repository, results = derived
    result = results["DISPENDUKCAPIL-02.01"]
    assert result.kode == "DISPENDUKCAPIL-02.01.SOP.02" and result.created
    document = load_sop(repository, result.kode, KODE)
    assert [p.nama for p in document.pelaksana] == [
        "Pemohon", "Petugas Loket Pelayanan", "Operator SIAK",
        "Kepala Bidang Pelayanan Pencatatan Sipil"]
    assert rows(document) == [
        (1, "Terminator", "Pemohon", "Mulai"),
        (2, "Kegiatan", "Pemohon", "Mengisi formulir F-2.01 dan menyerahkan berkas persyaratan"),
        (3, "Kegiatan", "Petugas Loket Pelayanan", "Memeriksa kelengkapan dan keabsahan berkas"),
        (4, "Keputusan", "Petugas Loket Pelayanan", "Berkas lengkap dan sah?"),
        (5, "Kegiatan", "Petugas Loket Pelayanan",
         "Mengembalikan berkas kepada pemohon untuk dilengkapi"),
        (6, "Kegiatan", "Operator SIAK", "Menginput data kelahiran ke SIAK dan mencetak draf akta"),
        (7, "Kegiatan", "Kepala Bidang Pelayanan Pencatatan Sipil",
         "Memeriksa dan menandatangani akta kelahiran secara elektronik"),
        (8, "Kegiatan", "Petugas Loket Pelayanan",
         "Mencetak dan menyerahkan akta kelahiran kepada pemohon"),
        (9, "Terminator", "Pemohon", "Selesai"),
    ]
    step = {s.urutan: s for s in document.langkah}
    assert (step[4].ya, step[4].tidak, step[4].next) == (6, 5, None)
    assert step[4].output == "Keputusan kelengkapan berkas"
    assert step[5].next == 2  # the loop back to the applicant
    assert "kembali ke langkah 2" in step[5].keterangan
    assert step[5].keterangan.startswith("Pemohon melengkapi berkas lalu mengajukan kembali")
    assert [step[n].next for n in (1, 2, 3, 6, 7, 8)] == [2, 3, 4, 7, 8, 9]
    assert step[9].next is None and step[9].ya is None and step[9].tidak is None
    assert (step[2].waktu, step[2].output) == ("10 menit", "Berkas permohonan")
    assert step[2].kelengkapan.startswith("Formulir F-2.01; surat keterangan kelahiran")
    # the Bizagi property Waktu (15 menit) wins over the documentation line (20 menit)
    assert (step[6].waktu, step[6].kelengkapan) == ("15 menit", "Berkas terverifikasi")
    # no Output line: the data object the task writes becomes the output
    assert step[8].output == "Akta Kelahiran"
    assert not result.notices


def test_permohonan_informasi_publik_merges_branches(derived: Derived) -> None:
    repository, results = derived
    document = load_sop(repository, results["DISKOMINFO-01.01"].kode, KODE)
    assert [r[1:] for r in rows(document)][3:8] == [
        ("Kegiatan", "PPID Pelaksana", "Menelaah permohonan dan ketersediaan informasi"),
        ("Keputusan", "PPID Pelaksana", "Informasi dikuasai dan terbuka?"),
        ("Kegiatan", "PPID Pelaksana", "Menyiapkan salinan informasi yang diminta"),
        ("Kegiatan", "PPID Utama", "Menerbitkan surat pemberitahuan tertulis atau penolakan"),
        ("Kegiatan", "Petugas Layanan Informasi", "Menyampaikan jawaban kepada pemohon"),
    ]
    step = {s.urutan: s for s in document.langkah}
    assert (step[5].ya, step[5].tidak) == (6, 7)
    assert step[6].next == step[7].next == 8  # the merging gateway is not a row
    assert step[7].waktu == "3 hari kerja"
    assert len(document.langkah) == 9


def test_pengaduan_masyarakat(derived: Derived) -> None:
    repository, results = derived
    result = results["DISKOMINFO-01.02"]
    document = load_sop(repository, result.kode, KODE)
    table = rows(document)
    assert [p.nama for p in document.pelaksana] == [
        "Masyarakat", "Admin Pengelola Pengaduan", "Penghubung OPD Terkait"]
    step = {s.urutan: s for s in document.langkah}
    # "Memenuhi syarat" / "Tidak memenuhi syarat" tell Ya from Tidak
    assert table[3][1:] == ("Keputusan", "Admin Pengelola Pengaduan", "Laporan memenuhi syarat?")
    assert (step[4].kelengkapan, step[4].waktu, step[4].output) == (
        "Laporan terverifikasi", "1 hari kerja", "Status laporan")
    assert step[4].ya == 6 and step[4].tidak == 5
    # the second end event ("Laporan diarsipkan") joins the one final terminator
    assert table[4][3] == "Mengarsipkan laporan dan memberi tahu pelapor"
    assert step[5].next == 13 and "berakhir: Laporan diarsipkan" in step[5].keterangan
    assert any("2 end events" in n.message("en") for n in result.notices)
    # the link event pair becomes two off-page connectors
    assert [(r[1], r[2]) for r in table[6:8]] == [
        ("PenghubungHalaman", "Admin Pengelola Pengaduan"),
        ("PenghubungHalaman", "Penghubung OPD Terkait")]
    assert step[7].next == 8 and step[8].next == 9
    # parallel branches: written one after the other, explained in keterangan and a notice
    assert {step[9].nama, step[10].nama} == {"Memantau penyelesaian tindak lanjut",
                                             "Menindaklanjuti pengaduan"}
    assert step[9].next == 10 and step[10].next == 11
    assert "bersamaan dengan langkah 10" in step[9].keterangan
    assert "bersamaan dengan langkah 9" in step[10].keterangan
    assert any("paralel" in n.message("id") and "9, 10" in n.message("id")
               for n in result.notices)
    assert table[-1][1:] == ("Terminator", "Masyarakat", "Selesai")
    assert [s.urutan for s in document.langkah if s.simbol == "Terminator"] == [1, 13]


@pytest.mark.slow
def test_derived_sops_pass_the_sop_rules(derived: Derived) -> None:
    """The project's SHACL rules (shapes/sop.ttl) find nothing wrong with the derived SOPs."""
    repository, results = derived
    report = validate(repository, instansi=KODE)
    sops = [str(iris.element_iri(KODE, "sop", r.kode)) for r in results.values()]
    found = [r for r in report.results if str(r.focus_node).startswith(tuple(sops))]
    assert not found, [(str(r.focus_node), r.path_text, [str(m) for m in r.messages])
                       for r in found]


def test_sop_data_follow_the_conventions(derived: Derived) -> None:
    repository, results = derived
    for proses_kode, result in results.items():
        sop = iris.element_iri(KODE, "sop", result.kode)
        proses = iris.element_iri(KODE, "proses-bisnis", proses_kode)
        content = repository.graph(iris.instansi_graph(KODE))
        triples = set(content.triples((sop, None, None)))
        values = {p: {o for _, q, o in triples if q == p} for _, p, _ in triples}
        assert values[RDF.type] == {SPBE.SOP}
        assert values[SPBE.kode] == {Literal(result.kode)}
        assert len(values[SPBE.nama]) == 1
        assert next(iter(values[SPBE.nama])).datatype is None  # plain literal
        assert values[SPBE.instansi] == {iris.instansi_iri(KODE)}
        owner = content.value(proses, SPBE.pemilik)
        assert owner is not None and values[SPBE.pemilik] == {owner}
        assert values[SPBE.statusSOP] == {SPBE.Draft}
        assert values[SPBE.untukProsesBisnis] == {proses}
        model = next(iter(values[SPBE.diturunkanDari]))
        assert isinstance(model, URIRef) and model == model_iri(KODE, model.rsplit("/", 1)[-1])
        assert repository.ask(
            "ASK WHERE { ?m a ?cls ; ?merinci ?p }",
            {"m": model, "cls": SPBE.ModelBPMN, "merinci": SPBE.merinci, "p": proses})
        steps = sorted(values[SPBE.memilikiLangkah], key=str)
        actors = values[SPBE.memilikiPelaksana]
        assert {iris.sop_step_iri(sop, n) for n in range(1, len(steps) + 1)} == set(steps)
        actor_numbers = sorted(int(content.value(a, SPBE.urutan))  # type: ignore[arg-type]
                               for a in actors)
        assert actor_numbers == list(range(1, len(actors) + 1))
        for actor in actors:
            assert (actor, RDF.type, SPBE.PelaksanaSOP) in content
        for step in steps:
            number = int(content.value(step, SPBE.urutan))  # type: ignore[arg-type]
            assert step == iris.sop_step_iri(sop, number)
            assert (step, RDF.type, SPBE.LangkahSOP) in content
            assert content.value(step, SPBE.nama) is not None
            assert content.value(step, SPBE.dilaksanakanOleh) in actors
            symbol = content.value(step, SPBE.jenisSimbol)
            assert symbol in (SPBE.Terminator, SPBE.Kegiatan, SPBE.Keputusan,
                              SPBE.PenghubungHalaman)
            nexts = set(content.objects(step, SPBE.langkahBerikutnya))
            yes, no = set(content.objects(step, SPBE.jikaYa)), set(content.objects(step,
                                                                                   SPBE.jikaTidak))
            if symbol == SPBE.Keputusan:
                assert not nexts and len(yes) == 1 and len(no) == 1
            else:
                assert not yes and not no and len(nexts) <= 1
            for target in nexts | yes | no:
                assert target in steps
        last = iris.sop_step_iri(sop, len(steps))
        assert content.value(last, SPBE.jenisSimbol) == SPBE.Terminator
        assert content.value(last, SPBE.langkahBerikutnya) is None
