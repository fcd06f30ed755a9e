"""What the vocabulary tells users (definitions shown in docs/ontology.md and as field help)
names a regulation as the basis only with the research's mark: a list the domain research
could not verify says so (riset domain §1.1, §2.6, §3.2, §9.1)."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import SKOS
from rdflib.term import Literal

from spbe_arch import datasets
from spbe_arch.vocab import SPBE

#: term -> what its definition must no longer present as settled
UNVERIFIED_BASIS = {
    SPBE.JenisPerangkatDaerah: "PP 18/2016",
    SPBE.JenisData: "Satu Data Indonesia",
    SPBE.JenisAplikasi: "nasional",
    SPBE.AreaManajemenSPBE: "Perpres 95/2018",
}
MARKS = {"id": "belum diverifikasi", "en": "not verified"}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    for path in datasets.ontology_files():
        graph.parse(path, format="turtle")
    return graph


def _definitions(graph: Graph, term: object) -> dict[str, str]:
    return {d.language or "": str(d) for d in graph.objects(term, SKOS.definition)
            if isinstance(d, Literal)}


@pytest.mark.parametrize("term", list(UNVERIFIED_BASIS))
def test_unverified_basis_is_marked(ontology: Graph, term: object) -> None:
    definitions = _definitions(ontology, term)
    for lang, mark in MARKS.items():
        assert mark in definitions[lang], (term, lang, definitions[lang])


def test_one_process_per_sop_is_practice_not_the_sop_regulation(ontology: Graph) -> None:
    definitions = _definitions(ontology, SPBE.SOP)
    assert "praktik" in definitions["id"] and "practice" in definitions["en"]
