"""`LoadSource.protected_graphs`: a file that writes one of them is refused whole, on every
backend and on both embedded paths (the bulk path checks while it streams)."""

from __future__ import annotations

import pytest
from rdflib.term import URIRef

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
                                    protected_graphs=frozenset({AUDIT}))], replace=True)
    assert raised.value.message("en").startswith(f"b.nq: this file writes to the graph {AUDIT}")
    assert sorted(repository.quads()) == before


def test_a_triple_file_aimed_at_a_protected_graph_loads_nothing(repository: Repository
                                                                ) -> None:
    with pytest.raises(InputError):
        repository.load([LoadSource(b'<urn:x> <urn:p> "palsu" .\n', "ntriples", URIRef(AUDIT),
                                    "c.nt", protected_graphs=frozenset({AUDIT}))])
    assert list(repository.quads()) == []
