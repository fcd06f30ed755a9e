"""Derivation rules on small hand-written models, and on every MIWG/Bizagi fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from spbe_arch.errors import InputError
from spbe_arch.importers.bpmn.reader import read_bpmn
from spbe_arch.repository import Repository
from spbe_arch.sop.derive import decision_answer, derive_steps
from spbe_arch.sop.document import load_sop
from spbe_arch.sop.process import ModelView

from .conftest import KODE, derive_body

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bpmn"
FIXTURE_FILES = sorted([*FIXTURES.glob("bizagi/*.bpmn"), *FIXTURES.glob("miwg-reference/*.bpmn")])


def table(repository: Repository, kode: str) -> list[tuple[str, str, str]]:
    document = load_sop(repository, kode, KODE)
    actor = {p.iri: p.nama for p in document.pelaksana}
    return [(s.simbol, actor.get(s.pelaksana, "?"), s.nama)  # type: ignore[arg-type]
            for s in document.langkah]


@pytest.mark.parametrize(("label", "answer"), [
    ("Ya", True), ("Tidak", False), ("ya, lengkap", True), ("Tidak memenuhi syarat", False),
    ("Memenuhi syarat", True), ("Belum lengkap", False), ("Disetujui", True),
    ("Ditolak", False), ("Approved", True), ("Rejected", False), ("Standard", None), ("", None),
])
def test_decision_answers(label: str, answer: bool | None) -> None:
    assert decision_answer(label) is answer


SIMPLE = """
<bpmn:collaboration id="c"><bpmn:participant id="pool" name="Bagian Umum" processRef="p"/>
</bpmn:collaboration>
<bpmn:process id="p" name="Surat Masuk">
  <bpmn:startEvent id="s"/>
  <bpmn:task id="a" name="Menerima surat">
    <bpmn:documentation>Surat diterima di meja.
kelengkapan = Surat masuk
WAKTU: 5 menit
Output: Lembar disposisi</bpmn:documentation>
  </bpmn:task>
  <bpmn:exclusiveGateway id="g" name="Perlu disposisi?" default="f4"/>
  <bpmn:task id="b" name="Mendisposisi surat"/>
  <bpmn:task id="c2" name="Mengarsipkan surat"/>
  <bpmn:endEvent id="e"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
  <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="g"/>
  <bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="b" name="perlu"/>
  <bpmn:sequenceFlow id="f4" sourceRef="g" targetRef="c2" name="lainnya"/>
  <bpmn:sequenceFlow id="f5" sourceRef="b" targetRef="c2"/>
  <bpmn:sequenceFlow id="f6" sourceRef="c2" targetRef="e"/>
</bpmn:process>
"""


def test_no_lanes_pool_is_the_actor_and_unclear_branches_warn(
        model_repository: Repository) -> None:
    result = derive_body(model_repository, SIMPLE)
    assert result.pelaksana == ["Bagian Umum"]
    assert table(model_repository, result.kode) == [
        ("Terminator", "Bagian Umum", "Mulai"),
        ("Kegiatan", "Bagian Umum", "Menerima surat"),
        ("Keputusan", "Bagian Umum", "Perlu disposisi?"),
        ("Kegiatan", "Bagian Umum", "Mendisposisi surat"),
        ("Kegiatan", "Bagian Umum", "Mengarsipkan surat"),
        ("Terminator", "Bagian Umum", "Selesai"),
    ]
    document = load_sop(model_repository, result.kode, KODE)
    decision = document.langkah[2]
    # neither 'perlu' nor 'lainnya' says yes/no: the default flow is taken as Tidak
    assert (decision.ya, decision.tidak) == (4, 5)
    messages = [n.message("en") for n in result.notices]
    assert any("cannot tell the Ya/Tidak branches" in m for m in messages)
    assert any("no lanes" in m for m in messages)
    step = document.langkah[1]
    assert (step.kelengkapan, step.waktu, step.output) == ("Surat masuk", "5 menit",
                                                           "Lembar disposisi")


LANES = """
<bpmn:process id="p" name="Izin">
  <bpmn:laneSet id="ls">
    <bpmn:lane id="l1" name="Loket">
      <bpmn:flowNodeRef>s</bpmn:flowNodeRef><bpmn:flowNodeRef>a</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>e</bpmn:flowNodeRef>
    </bpmn:lane>
    <bpmn:lane id="l2" name="Bidang Perizinan">
      <bpmn:flowNodeRef>sub</bpmn:flowNodeRef><bpmn:flowNodeRef>g</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>x1</bpmn:flowNodeRef><bpmn:flowNodeRef>x2</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>x3</bpmn:flowNodeRef><bpmn:flowNodeRef>col</bpmn:flowNodeRef>
      <bpmn:childLaneSet id="cls">
        <bpmn:lane id="l3" name="Kepala Bidang"><bpmn:flowNodeRef>col</bpmn:flowNodeRef>
        </bpmn:lane>
      </bpmn:childLaneSet>
    </bpmn:lane>
  </bpmn:laneSet>
  <bpmn:startEvent id="s" name="Permohonan masuk"/>
  <bpmn:task id="a" name="Menerima berkas">
    <bpmn:extensionElements><bizagi:BizagiExtensions><bizagi:BizagiProperties>
      <bizagi:BizagiProperty name="Waktu" value="3 menit"/>
      <bizagi:BizagiProperty name="Kelengkapan" value="KTP"/>
    </bizagi:BizagiProperties></bizagi:BizagiExtensions></bpmn:extensionElements>
    <bpmn:documentation>Waktu: 30 menit</bpmn:documentation>
  </bpmn:task>
  <bpmn:subProcess id="sub" name="Verifikasi">
    <bpmn:startEvent id="ss"/>
    <bpmn:userTask id="v1" name="Cek teknis"/>
    <bpmn:userTask id="v2" name="Cek administrasi"/>
    <bpmn:endEvent id="se"/>
    <bpmn:sequenceFlow id="sf1" sourceRef="ss" targetRef="v1"/>
    <bpmn:sequenceFlow id="sf2" sourceRef="v1" targetRef="v2"/>
    <bpmn:sequenceFlow id="sf3" sourceRef="v2" targetRef="se"/>
  </bpmn:subProcess>
  <bpmn:exclusiveGateway id="g" name="Jenis izin?"/>
  <bpmn:task id="x1" name="Izin A"/>
  <bpmn:task id="x2" name="Izin B"/>
  <bpmn:task id="x3" name="Izin C"/>
  <bpmn:subProcess id="col" name="Penandatanganan"><bpmn:task id="inner" name="Paraf"/>
  </bpmn:subProcess>
  <bpmn:endEvent id="e" name="Izin terbit"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
  <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="sub"/>
  <bpmn:sequenceFlow id="f3" sourceRef="sub" targetRef="g"/>
  <bpmn:sequenceFlow id="f4" sourceRef="g" targetRef="x1" name="Izin A"/>
  <bpmn:sequenceFlow id="f5" sourceRef="g" targetRef="x2" name="Izin B"/>
  <bpmn:sequenceFlow id="f6" sourceRef="g" targetRef="x3" name="Izin C"/>
  <bpmn:sequenceFlow id="f7" sourceRef="x1" targetRef="col"/>
  <bpmn:sequenceFlow id="f8" sourceRef="x2" targetRef="col"/>
  <bpmn:sequenceFlow id="f9" sourceRef="x3" targetRef="col"/>
  <bpmn:sequenceFlow id="f10" sourceRef="col" targetRef="e"/>
</bpmn:process>
<bpmndi:BPMNDiagram xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
    xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="d">
  <bpmndi:BPMNPlane id="pl" bpmnElement="p">
    <bpmndi:BPMNShape id="col_di" bpmnElement="col" isExpanded="false">
      <dc:Bounds x="10" y="10" width="100" height="80"/>
    </bpmndi:BPMNShape>
  </bpmndi:BPMNPlane>
</bpmndi:BPMNDiagram>
"""


def test_lanes_subprocesses_and_multiway_decisions(model_repository: Repository) -> None:
    result = derive_body(model_repository, LANES)
    rows = table(model_repository, result.kode)
    assert rows == [
        ("Terminator", "Loket", "Permohonan masuk"),
        ("Kegiatan", "Loket", "Menerima berkas"),
        # the expanded sub-process is inlined: its tasks inherit its lane
        ("Kegiatan", "Bidang Perizinan", "Cek teknis"),
        ("Kegiatan", "Bidang Perizinan", "Cek administrasi"),
        ("Keputusan", "Bidang Perizinan", "Jenis izin? (Izin A?)"),
        ("Keputusan", "Bidang Perizinan", "Izin B?"),
        ("Kegiatan", "Bidang Perizinan", "Izin A"),
        ("Kegiatan", "Bidang Perizinan", "Izin B"),
        ("Kegiatan", "Bidang Perizinan", "Izin C"),
        # collapsed in the diagram: one row, in the nested (leaf) lane
        ("Kegiatan", "Kepala Bidang", "Penandatanganan"),
        ("Terminator", "Loket", "Izin terbit"),
    ]
    document = load_sop(model_repository, result.kode, KODE)
    step = {s.urutan: s for s in document.langkah}
    assert (step[5].ya, step[5].tidak) == (7, 6)
    assert (step[6].ya, step[6].tidak) == (8, 9)
    assert step[7].next == step[8].next == step[9].next == 10
    assert "Paraf" in step[10].keterangan
    # Bizagi properties come before documentation lines
    assert (step[2].waktu, step[2].kelengkapan) == ("3 menit", "KTP")
    assert any("3 branches" in n.message("en") for n in result.notices)


BOUNDARY = """
<bpmn:process id="p" name="Tagihan">
  <bpmn:startEvent id="s"/>
  <bpmn:task id="a" name="Menerbitkan tagihan"/>
  <bpmn:boundaryEvent id="b" name="Lewat 7 hari" attachedToRef="a">
    <bpmn:timerEventDefinition id="td"/>
  </bpmn:boundaryEvent>
  <bpmn:task id="r" name="Mengirim pengingat"/>
  <bpmn:intermediateCatchEvent id="w" name="Menunggu pembayaran">
    <bpmn:messageEventDefinition id="md"/>
  </bpmn:intermediateCatchEvent>
  <bpmn:endEvent id="e"/>
  <bpmn:endEvent id="e2" name="Pengingat terkirim"/>
  <bpmn:task id="lonely" name="Tugas lepas"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
  <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="w"/>
  <bpmn:sequenceFlow id="f3" sourceRef="w" targetRef="e"/>
  <bpmn:sequenceFlow id="f4" sourceRef="b" targetRef="r"/>
  <bpmn:sequenceFlow id="f5" sourceRef="r" targetRef="e2"/>
</bpmn:process>
"""


def test_boundary_paths_and_unconnected_tasks_are_kept(model_repository: Repository) -> None:
    result = derive_body(model_repository, BOUNDARY)
    rows = [r[2] for r in table(model_repository, result.kode)]
    assert rows == ["Mulai", "Menerbitkan tagihan", "Menunggu pembayaran",
                    "Mengirim pengingat", "Tugas lepas", "Selesai"]
    document = load_sop(model_repository, result.kode, KODE)
    assert "Lewat 7 hari" in document.langkah[3].keterangan
    assert "langkah 2" in document.langkah[3].keterangan
    assert "berakhir: Pengingat terkirim" in document.langkah[3].keterangan
    assert document.langkah[2].next == document.langkah[3].next == 6
    assert "peristiwa antara (message)" in document.langkah[2].keterangan
    messages = " ".join(n.message("en") for n in result.notices)
    assert "boundary event 'Lewat 7 hari'" in messages
    assert "not reached from the start event: 'Tugas lepas'" in messages
    assert "has no way out" in messages


PARALLEL_WITHOUT_JOIN = """
<bpmn:process id="p" name="Paralel tanpa gabung">
  <bpmn:startEvent id="s"/>
  <bpmn:parallelGateway id="pg"/>
  <bpmn:task id="a1" name="Memeriksa berkas"/>
  <bpmn:exclusiveGateway id="g" name="Berkas lengkap?"/>
  <bpmn:task id="a2" name="Mencatat berkas"/>
  <bpmn:endEvent id="e1" name="Berkas dikembalikan"/>
  <bpmn:task id="b1" name="Menyiapkan blanko"/>
  <bpmn:endEvent id="e2" name="Blanko siap"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="pg"/>
  <bpmn:sequenceFlow id="f2" sourceRef="pg" targetRef="a1"/>
  <bpmn:sequenceFlow id="f3" sourceRef="pg" targetRef="b1"/>
  <bpmn:sequenceFlow id="f4" sourceRef="a1" targetRef="g"/>
  <bpmn:sequenceFlow id="f5" sourceRef="g" targetRef="a2" name="Ya"/>
  <bpmn:sequenceFlow id="f6" sourceRef="g" targetRef="e1" name="Tidak"/>
  <bpmn:sequenceFlow id="f7" sourceRef="a2" targetRef="e1"/>
  <bpmn:sequenceFlow id="f8" sourceRef="b1" targetRef="e2"/>
</bpmn:process>
"""


def test_parallel_branches_that_never_meet_continue_into_the_next_branch(
        model_repository: Repository) -> None:
    """Branches ending at their own end events: the first branch's ends lead to the second
    branch (not Ya/Tidak links on kegiatan rows, nor a "next" on the decision), and each
    step keeps only the name of the end it really reached."""
    result = derive_body(model_repository, PARALLEL_WITHOUT_JOIN)
    document = load_sop(model_repository, result.kode, KODE)
    links = [(s.nama, s.next, s.ya, s.tidak) for s in document.langkah]
    assert links == [
        ("Mulai", 2, None, None),
        ("Memeriksa berkas", 3, None, None),
        ("Berkas lengkap?", None, 4, 5),
        ("Mencatat berkas", 5, None, None),
        ("Menyiapkan blanko", 6, None, None),
        ("Selesai", None, None, None),
    ]
    remarks = [s.keterangan for s in document.langkah]
    assert "berakhir: Berkas dikembalikan" in remarks[2]
    assert "Blanko siap" not in remarks[2] + remarks[3]
    assert "berakhir: Blanko siap" in remarks[4]


def test_each_step_keeps_only_the_name_of_its_own_end(model_repository: Repository) -> None:
    body = """
<bpmn:process id="p" name="Dua akhir">
  <bpmn:startEvent id="s"/>
  <bpmn:exclusiveGateway id="g" name="Disetujui?"/>
  <bpmn:task id="a" name="Menerbitkan izin"/>
  <bpmn:task id="b" name="Mengirim penolakan"/>
  <bpmn:endEvent id="e1" name="Izin terbit"/>
  <bpmn:endEvent id="e2" name="Permohonan ditolak"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="g"/>
  <bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="a" name="Ya"/>
  <bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="b" name="Tidak"/>
  <bpmn:sequenceFlow id="f4" sourceRef="a" targetRef="e1"/>
  <bpmn:sequenceFlow id="f5" sourceRef="b" targetRef="e2"/>
</bpmn:process>"""
    result = derive_body(model_repository, body)
    remarks = {s.nama: s.keterangan for s in load_sop(model_repository, result.kode,
                                                      KODE).langkah}
    assert remarks["Menerbitkan izin"] == "berakhir: Izin terbit"
    assert remarks["Mengirim penolakan"] == "berakhir: Permohonan ditolak"


def test_an_end_inside_an_event_sub_process_ends_the_sop(
        model_repository: Repository) -> None:
    """An event sub-process is followed by nothing: its end events end the path like a
    top-level end (before, its decision got neither Ya nor Tidak, and the export of the SOP
    dropped that decision on re-import)."""
    body = """
<bpmn:process id="p" name="Pemeriksaan">
  <bpmn:startEvent id="s"/>
  <bpmn:task id="a" name="Memutuskan permohonan"/>
  <bpmn:endEvent id="e" name="Diputuskan"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
  <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="e"/>
  <bpmn:subProcess id="ev" triggeredByEvent="true">
    <bpmn:startEvent id="es" name="Dugaan pemalsuan"/>
    <bpmn:task id="c" name="Memeriksa keaslian"/>
    <bpmn:exclusiveGateway id="g" name="Dokumen palsu?"/>
    <bpmn:endEvent id="x1" name="Pemalsuan dilaporkan"/>
    <bpmn:endEvent id="x2" name="Dokumen asli"/>
    <bpmn:sequenceFlow id="h1" sourceRef="es" targetRef="c"/>
    <bpmn:sequenceFlow id="h2" sourceRef="c" targetRef="g"/>
    <bpmn:sequenceFlow id="h3" sourceRef="g" targetRef="x1" name="Ya"/>
    <bpmn:sequenceFlow id="h4" sourceRef="g" targetRef="x2" name="Tidak"/>
  </bpmn:subProcess>
</bpmn:process>"""
    result = derive_body(model_repository, body)
    document = load_sop(model_repository, result.kode, KODE)
    decision = next(s for s in document.langkah if s.nama == "Dokumen palsu?")
    last = document.langkah[-1].urutan
    assert (decision.ya, decision.tidak) == (last, last)
    assert "berakhir: Pemalsuan dilaporkan" in decision.keterangan
    assert [s.simbol for s in document.langkah].count("Terminator") == 2


def test_a_decision_branch_that_reaches_no_step_is_named(
        model_repository: Repository) -> None:
    body = """
<bpmn:process id="p" name="Cabang buntu">
  <bpmn:startEvent id="s"/>
  <bpmn:exclusiveGateway id="g" name="Berkas lengkap?"/>
  <bpmn:task id="a" name="Memproses berkas"/>
  <bpmn:intermediateThrowEvent id="buntu"/>
  <bpmn:endEvent id="e"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="g"/>
  <bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="a" name="Ya"/>
  <bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="buntu" name="Tidak"/>
  <bpmn:sequenceFlow id="f4" sourceRef="a" targetRef="e"/>
</bpmn:process>"""
    result = derive_body(model_repository, body)
    messages = " ".join(n.message("id") for n in result.notices)
    assert "cabang keputusan 'Berkas lengkap?' menuju 'IntermediateThrowEvent'" in messages


def test_same_lane_name_under_two_parents_is_two_pelaksana(
        model_repository: Repository) -> None:
    """'Kepala Seksi' of two bidang are two people; before, both lanes became one column."""
    body = """
<bpmn:process id="p" name="Dua bidang">
  <bpmn:laneSet id="ls">
    <bpmn:lane id="A" name="Bidang Perizinan"><bpmn:childLaneSet id="ca">
      <bpmn:lane id="A1" name="Kepala Seksi"><bpmn:flowNodeRef>s</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>a</bpmn:flowNodeRef></bpmn:lane></bpmn:childLaneSet></bpmn:lane>
    <bpmn:lane id="B" name="Bidang Pengawasan"><bpmn:childLaneSet id="cb">
      <bpmn:lane id="B1" name="Kepala Seksi"><bpmn:flowNodeRef>b</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>e</bpmn:flowNodeRef></bpmn:lane></bpmn:childLaneSet></bpmn:lane>
  </bpmn:laneSet>
  <bpmn:startEvent id="s"/>
  <bpmn:task id="a" name="Memeriksa izin"/>
  <bpmn:task id="b" name="Mengawasi lapangan"/>
  <bpmn:endEvent id="e"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
  <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="b"/>
  <bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="e"/>
</bpmn:process>"""
    result = derive_body(model_repository, body)
    assert result.pelaksana == ["Kepala Seksi (Bidang Perizinan)",
                                "Kepala Seksi (Bidang Pengawasan)"]
    rows = table(model_repository, result.kode)
    assert rows[1] == ("Kegiatan", "Kepala Seksi (Bidang Perizinan)", "Memeriksa izin")
    assert rows[2] == ("Kegiatan", "Kepala Seksi (Bidang Pengawasan)", "Mengawasi lapangan")
    assert any("beberapa jalur bernama 'Kepala Seksi'" in n.message("id")
               for n in result.notices)


def test_several_pools_choose_and_pool_option(model_repository: Repository) -> None:
    body = """
<bpmn:collaboration id="c">
  <bpmn:participant id="pa" name="Pemohon" processRef="p1"/>
  <bpmn:participant id="pb" name="Kantor" processRef="p2"/>
</bpmn:collaboration>
<bpmn:process id="p1"><bpmn:task id="t1" name="Mengirim"/></bpmn:process>
<bpmn:process id="p2"><bpmn:startEvent id="s"/><bpmn:task id="t2" name="Menerima"/>
  <bpmn:task id="t3" name="Membalas"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t2"/>
  <bpmn:sequenceFlow id="g" sourceRef="t2" targetRef="t3"/></bpmn:process>"""
    result = derive_body(model_repository, body)
    assert result.process == "Kantor"
    assert any("several pools" in n.message("en") for n in result.notices)
    other = derive_body(model_repository, body, pool="Pemohon", kode="UJI.01.SOP.09")
    assert [r[2] for r in table(model_repository, other.kode)] == ["Mengirim"]
    with pytest.raises(InputError, match="Pemohon"):
        derive_body(model_repository, body, pool="Tidak Ada")


def test_errors_name_the_cause(model_repository: Repository) -> None:
    from spbe_arch.sop.service import derive_sop

    with pytest.raises(InputError) as caught:
        derive_sop(model_repository, proses="UJI.01", kode_wilayah=KODE)
    assert "bpmn import" in caught.value.message("en")
    with pytest.raises(InputError, match=r"TIDAK\.ADA"):
        derive_sop(model_repository, proses="TIDAK.ADA", kode_wilayah=KODE)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_activity_is_dropped(path: Path) -> None:
    """For every fixture, each task of the derived process appears as exactly one step."""
    model = URIRef("urn:uji:model")
    read = read_bpmn(path.read_bytes(), file_name=path.name, model=model, max_bytes=10**8)
    graph = Graph()
    for triple in read.triples:
        graph.add(triple)
    view = ModelView(graph, model)
    process = max(view.processes, key=lambda p: (p.activity_count, len(p.nodes)))
    derivation = derive_steps(process)
    sources = [s.source for s in derivation.steps if s.source is not None]
    expected = {iri for iri, node in process.nodes.items()
                if node.family == "Activity" and not (
                    node.kind in ("SubProcess", "AdHocSubProcess", "Transaction")
                    and node.expanded is not False
                    and any(n.container == iri for n in process.nodes.values()))
                and not any(_inside_collapsed(process, node.container))}
    assert expected <= set(sources)
    assert len([s for s in sources if s in expected]) == len(expected)
    numbers = {s.key: s.number for s in derivation.steps}
    for step in derivation.steps:
        for target in step.targets():
            assert target in numbers
        # only a decision branches, and a decision has no plain "next"
        if step.simbol == "Keputusan":
            assert step.next is None, step.nama
        else:
            assert step.ya is step.tidak is None, step.nama


def _inside_collapsed(process: object, container: URIRef) -> list[bool]:
    from spbe_arch.sop.process import ProcessView

    assert isinstance(process, ProcessView)
    node = process.nodes.get(container)
    found = []
    while node is not None:
        if node.expanded is False:
            found.append(True)
        node = process.nodes.get(node.container)
    return found
