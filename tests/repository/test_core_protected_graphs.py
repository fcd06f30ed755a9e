"""`LoadSource.reserved`: a file that writes a reserved graph is refused whole, on every
backend and on both embedded paths (the bulk path checks while it streams)."""

from __future__ import annotations

import pytest
from rdflib.term import URIRef

from spbe_arch import iris
from spbe_arch.errors import InputError
from spbe_arch.repository import LoadSource, Repository

AUDIT = "https://w3id.org/spbe-arch/graph/provenance"
GRAPH = URIRef("urn:graph:data")


def test_a_quad_file_writing_a_protected_graph_loads_nothing(repository: Repository) -> None:
    repository.load([LoadSource(b'<urn:s> <urn:p> "awal" .\n', "ntriples", GRAPH, "awal")])
    before = sorted(repository.quads())
    forged = (b'<urn:s> <urn:p> "baru" <urn:graph:data> .\n'
              b'<urn:x> <urn:p> "palsu" <' + AUDIT.encode() + b'> .\n')
    with pytest.raises(InputError) as raised:
        repository.load([LoadSource(b'<urn:t> <urn:p> "lain" .\n', "ntriples", GRAPH, "a.nt"),
                         LoadSource(forged, "nquads", GRAPH, "b.nq",
                                    reserved=iris.reserved_graph)], replace=True)
    assert raised.value.message("en").startswith(f"b.nq: this file writes to the graph {AUDIT}")
    assert sorted(repository.quads()) == before


def test_a_triple_file_aimed_at_a_protected_graph_loads_nothing(repository: Repository
                                                                ) -> None:
    with pytest.raises(InputError):
        repository.load([LoadSource(b'<urn:x> <urn:p> "palsu" .\n', "ntriples", URIRef(AUDIT),
                                    "c.nt", reserved=iris.reserved_graph)])
    assert list(repository.quads()) == []


def test_a_file_writing_a_validation_report_graph_loads_nothing(repository: Repository
                                                                ) -> None:
    # a report graph named after a far future time would be "the latest report" for ever
    forged = (b'<urn:x> <urn:p> "palsu" <https://w3id.org/spbe-arch/graph/validation/3574/'
              b'99991231T000000000000Z> .\n')
    with pytest.raises(InputError) as raised:
        repository.load([LoadSource(forged, "nquads", GRAPH, "d.nq",
                                    reserved=iris.reserved_graph)])
    assert "a stored validation report" in raised.value.message("en")
    assert "laporan validasi tersimpan" in raised.value.message("id")
    assert list(repository.quads()) == []
