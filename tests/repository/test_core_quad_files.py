"""TriG and N-Quads files with triples outside any graph, on every backend.

`spbe-arch load` names a target graph for every file. Triples that a quad file leaves in
its default graph went to the store's unnamed default graph, which the product never
lists (`graph_names`, `export --graph`, validation) and Virtuoso does not have, instead of
that target. A restore names no target: a dump's default graph stays the default graph.
"""

from __future__ import annotations

import pytest
from rdflib.term import URIRef

from spbe_arch.repository import LoadSource, Repository

TARGET = URIRef("https://w3id.org/spbe-arch/graph/instansi/3574")
OTHER = URIRef("urn:graph:other")
TRIG = f"""<urn:s> <urn:p> "di luar graf" .
<{OTHER}> {{ <urn:s> <urn:p> "di graf lain" }}
""".encode()
NQUADS = f"""<urn:s> <urn:p> "di luar graf" .
<urn:s> <urn:p> "di graf lain" <{OTHER}> .
""".encode()


def contents(repository: Repository) -> dict[str, set[str]]:
    return {str(g): {str(o) for _, _, o, _ in repository.quads(g)}
            for g in repository.graph_names()}


@pytest.mark.parametrize(("fmt", "data"), [("trig", TRIG), ("nquads", NQUADS)],
                         ids=["trig", "nquads"])
def test_triples_outside_any_graph_go_to_the_target_graph(repository: Repository, fmt: str,
                                                          data: bytes) -> None:
    count = repository.load([LoadSource(data, fmt, TARGET, f"data.{fmt}")])
    assert count == 2
    assert contents(repository) == {str(TARGET): {"di luar graf"},
                                    str(OTHER): {"di graf lain"}}


@pytest.mark.parametrize(("fmt", "data"), [("trig", TRIG), ("nquads", NQUADS)],
                         ids=["trig", "nquads"])
def test_replace_empties_the_target_graph_they_go_to(repository: Repository, fmt: str,
                                                     data: bytes) -> None:
    repository.load([LoadSource(b'<urn:old> <urn:p> "lama" .\n', "ntriples", TARGET, "old")])
    repository.load([LoadSource(data, fmt, TARGET, f"data.{fmt}")], replace=True)
    assert contents(repository) == {str(TARGET): {"di luar graf"},
                                    str(OTHER): {"di graf lain"}}
