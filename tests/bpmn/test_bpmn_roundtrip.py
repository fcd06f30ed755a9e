"""import -> export -> import gives the same model graph, for every fixture."""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from spbe_arch.importers.bpmn.service import import_bpmn, import_bpmn_file
from spbe_arch.importers.bpmn.vocabulary import BP
from spbe_arch.importers.bpmn.writer import write_bpmn
from spbe_arch.repository import Repository
from spbe_arch.vocab import PROV

# what describes the import rather than the model
METADATA = {BP.fileName, BP.sha256, BP.modelVersion, BP.exporter, BP.exporterVersion,
            PROV.generatedAtTime, PROV.wasAttributedTo}


def _structure(graph: Graph) -> Graph:
    out = Graph()
    for s, p, o in graph:
        if p not in METADATA:
            out.add((s, p, o))
    return out


def test_roundtrip_keeps_the_model(fixture_file: Path, memory_repository: Repository) -> None:
    first = import_bpmn_file(memory_repository, fixture_file, kode_wilayah="3574", agent="t")
    before = memory_repository.graph(first.graph)
    xml = write_bpmn(before, first.model)
    root = etree.fromstring(xml)
    assert root.tag == "{http://www.omg.org/spec/BPMN/20100524/MODEL}definitions"
    assert root.get("exporter") == "spbe-arch"
    second = import_bpmn(memory_repository, xml, file_name=fixture_file.name,
                         kode_wilayah="3574", agent="t")
    assert second.version == first.version + 1
    after = memory_repository.graph(second.graph)
    a, b = _structure(before), _structure(after)
    if not isomorphic(a, b):
        _, only_before, only_after = graph_diff(to_isomorphic(a), to_isomorphic(b))
        raise AssertionError(f"lost: {sorted(only_before)[:5]}; new: {sorted(only_after)[:5]}")
