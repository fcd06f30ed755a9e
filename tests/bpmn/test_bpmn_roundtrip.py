"""import -> export -> import gives the same model graph, for every fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from rdflib import Graph, URIRef

from spbe_arch.importers.bpmn.reader import read_bpmn
from spbe_arch.importers.bpmn.service import import_bpmn, import_bpmn_file
from spbe_arch.importers.bpmn.vocabulary import BP
from spbe_arch.importers.bpmn.writer import write_bpmn
from spbe_arch.repository import Repository
from spbe_arch.vocab import PROV

from .conftest import FIXTURE_FILES

# what describes the import rather than the model
METADATA = {BP.fileName, BP.sha256, BP.modelVersion, BP.exporter, BP.exporterVersion,
            PROV.generatedAtTime, PROV.wasAttributedTo}
MODEL = URIRef("https://w3id.org/spbe-arch/id/3574/model-bpmn/uji")


def _structure(graph: Graph) -> set[tuple[object, object, object]]:
    # imported models have no blank nodes, so comparing triple sets is exact
    return {(s, p, o) for s, p, o in graph if p not in METADATA}


def _read(data: bytes) -> Graph:
    graph = Graph()
    for triple in read_bpmn(data, file_name="uji.bpmn", model=MODEL, max_bytes=10**8).triples:
        graph.add(triple)
    return graph


def test_roundtrip_keeps_the_model(fixture_file: Path) -> None:
    before = _read(fixture_file.read_bytes())
    xml = write_bpmn(before, MODEL)
    root = etree.fromstring(xml)
    assert root.tag == "{http://www.omg.org/spec/BPMN/20100524/MODEL}definitions"
    assert root.get("exporter") == "spbe-arch"
    a, b = _structure(before), _structure(_read(xml))
    assert a == b, f"lost: {sorted(map(str, a - b))[:5]}; new: {sorted(map(str, b - a))[:5]}"


@pytest.mark.parametrize("path", [p for p in FIXTURE_FILES if "bizagi" in str(p)
                                  or "samples" in str(p)],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_roundtrip_through_the_store(path: Path, memory_repository: Repository) -> None:
    """The same, with both imports stored (the second replaces the first as version 2)."""
    first = import_bpmn_file(memory_repository, path, kode_wilayah="3574", agent="t")
    before = memory_repository.graph(first.graph)
    xml = write_bpmn(before, first.model)
    second = import_bpmn(memory_repository, xml, file_name=path.name, kode_wilayah="3574",
                         agent="t")
    assert second.version == first.version + 1
    a, b = _structure(before), _structure(memory_repository.graph(second.graph))
    assert a == b, f"lost: {sorted(map(str, a - b))[:5]}; new: {sorted(map(str, b - a))[:5]}"
