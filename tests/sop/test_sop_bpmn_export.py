"""SOP -> BPMN 2.0 XML (with diagram geometry) -> import -> derive gives the same SOP."""

from __future__ import annotations

import pytest
from lxml import etree

from spbe_arch.datasets import load_demo
from spbe_arch.importers.bpmn.service import import_bpmn, import_bpmn_file
from spbe_arch.repository import Repository, open_repository
from spbe_arch.sop.bpmn_export import export_sop_bpmn
from spbe_arch.sop.document import SopDocument, load_sop
from spbe_arch.sop.service import DeriveResult, derive_sop

from .conftest import KODE, derive_body, sample_models

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
Derived = tuple[Repository, dict[str, DeriveResult]]


def signature(document: SopDocument) -> tuple[list[str], list[tuple[object, ...]]]:
    actor = {p.iri: p.nama for p in document.pelaksana}
    return ([p.nama for p in document.pelaksana],
            [(s.urutan, s.nama, s.simbol, actor.get(s.pelaksana), s.kelengkapan, s.waktu,  # type: ignore[arg-type]
              s.output, s.keterangan, s.next, s.ya, s.tidak) for s in document.langkah])


@pytest.mark.parametrize("proses", ["DISPENDUKCAPIL-02.01", "DISKOMINFO-01.01",
                                    "DISKOMINFO-01.02"])
def test_export_has_geometry_and_derives_back_to_the_same_sop(proses: str) -> None:
    repository = open_repository("memory:")
    load_demo(repository)
    model = next(m for m in sample_models() if m.proses == proses)
    import_bpmn_file(repository, model.file, kode_wilayah=KODE, proses=proses, agent="uji")
    kode = derive_sop(repository, proses=proses, kode_wilayah=KODE, kode=model.sop).kode
    xml = export_sop_bpmn(repository, kode, kode_wilayah=KODE)
    root = etree.fromstring(xml)
    assert root.tag == f"{{{MODEL}}}definitions"
    nodes = [e for e in root.iter() if isinstance(e.tag, str) and e.tag.startswith(f"{{{MODEL}}}")
             and e.tag.rsplit("}", 1)[1] in ("task", "startEvent", "endEvent", "exclusiveGateway",
                                             "intermediateThrowEvent", "intermediateCatchEvent",
                                             "lane", "participant")]
    flows = list(root.iter(f"{{{MODEL}}}sequenceFlow"))
    shapes = {s.get("bpmnElement") for s in root.iter(f"{{{BPMNDI}}}BPMNShape")}
    edges = {e.get("bpmnElement") for e in root.iter(f"{{{BPMNDI}}}BPMNEdge")}
    assert {n.get("id") for n in nodes} <= shapes
    assert {f.get("id") for f in flows} == edges
    for shape in root.iter(f"{{{BPMNDI}}}BPMNShape"):
        bounds = shape.find(f"{{{DC}}}Bounds")
        assert bounds is not None and float(bounds.get("width")) > 0  # type: ignore[arg-type]
    for edge in root.iter(f"{{{BPMNDI}}}BPMNEdge"):
        assert len(edge.findall("{http://www.omg.org/spec/DD/20100524/DI}waypoint")) >= 2
    assert {f.get("name") for f in flows} >= {"Ya", "Tidak"}

    # import the exported file as the process's model and derive again
    imported = import_bpmn(repository, xml, file_name=f"ekspor-{kode}.bpmn", kode_wilayah=KODE,
                           proses=proses, agent="uji")
    again = derive_sop(repository, proses=proses, kode_wilayah=KODE, model=imported.slug,
                       kode=f"{kode}.UJI", agent="uji")
    assert not [n for n in again.notices if "paralel" not in n.message("id")]
    assert signature(load_sop(repository, again.kode, KODE)) == signature(
        load_sop(repository, kode, KODE))
    repository.close()


def test_off_page_connectors_become_link_event_pairs(derived: Derived) -> None:
    repository, results = derived
    root = etree.fromstring(export_sop_bpmn(repository, results["DISKOMINFO-01.02"].kode,
                                            kode_wilayah=KODE))
    throws = list(root.iter(f"{{{MODEL}}}intermediateThrowEvent"))
    catches = list(root.iter(f"{{{MODEL}}}intermediateCatchEvent"))
    assert len(throws) == len(catches) == 1
    name = throws[0].find(f"{{{MODEL}}}linkEventDefinition").get("name")  # type: ignore[union-attr]
    assert catches[0].find(f"{{{MODEL}}}linkEventDefinition").get("name") == name  # type: ignore[union-attr]


def test_a_decision_with_both_answers_to_one_step_exports_unique_flow_ids(
        model_repository: Repository) -> None:
    """Ya and Tidak leading to the same step are two flows between the same two elements;
    before, both got the id Alur_<from>_<to> and the exported file could not be imported."""
    body = """
<bpmn:process id="p" name="Paraf">
  <bpmn:startEvent id="s"/>
  <bpmn:exclusiveGateway id="g" name="Perlu paraf?"/>
  <bpmn:task id="t" name="Menandatangani surat"/>
  <bpmn:endEvent id="e"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="g"/>
  <bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="t" name="Ya"/>
  <bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="t" name="Tidak"/>
  <bpmn:sequenceFlow id="f4" sourceRef="t" targetRef="e"/>
</bpmn:process>"""
    first = derive_body(model_repository, body)
    decision = load_sop(model_repository, first.kode, KODE).langkah[1]
    assert decision.ya == decision.tidak == 3
    xml = export_sop_bpmn(model_repository, first.kode, kode_wilayah=KODE)
    ids = [e.get("id") for e in etree.fromstring(xml).iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    imported = import_bpmn(model_repository, xml, file_name="ekspor.bpmn", kode_wilayah=KODE,
                           proses="UJI.01", agent="uji")
    again = derive_sop(model_repository, proses="UJI.01", kode_wilayah=KODE,
                       model=imported.slug, kode="UJI.01.SOP.09", agent="uji")
    assert signature(load_sop(model_repository, again.kode, KODE)) == signature(
        load_sop(model_repository, first.kode, KODE))
