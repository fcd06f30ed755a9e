"""ontology/context.jsonld is generated from the ontology and round-trips with rdflib."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from spbe_arch import iris
from spbe_arch.reference import context
from spbe_arch.repository import Repository
from spbe_arch.vocab import SPBE

SOP = "https://w3id.org/spbe-arch/id/3574/sop/DISKOMINFO-01.01.SOP.01"


@pytest.fixture(scope="module")
def ctx() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(context.context_path().read_text(encoding="utf-8"))
    return data["@context"]


def test_committed_context_is_current() -> None:
    assert context.context_path().read_text(encoding="utf-8") == context.render()
    assert context.main(["--check"]) == 0


def test_every_vocab_term_has_a_compact_name(ctx: dict[str, Any]) -> None:
    missing = [name for name in SPBE.__annotations__ if name not in ctx]
    assert missing == []
    assert ctx["@vocab"] == str(SPBE._NS)
    assert set(SPBE.__annotations__) >= context.MULTI_VALUED


def test_compact_document_expands_to_the_conventions(ctx: dict[str, Any]) -> None:
    doc = {
        "@context": ctx,
        "id": SOP, "type": "SOP", "kode": "X.SOP.01", "nama": "Contoh",
        "statusSOP": "Ditetapkan", "tanggalEfektif": "2024-07-01",
        "dasarHukum": ["A", "B"],
        "pemilik": str(iris.element_iri("3574", "opd", "DISKOMINFO")),
        "memilikiLangkah": [{"id": f"{SOP}/langkah/1", "type": "LangkahSOP", "urutan": 1,
                             "jenisSimbol": "Terminator"}],
    }
    graph = Graph().parse(data=json.dumps(doc), format="json-ld")
    sop = URIRef(SOP)
    assert (sop, RDF.type, SPBE.SOP) in graph
    assert (sop, SPBE.statusSOP, SPBE.Ditetapkan) in graph  # enumeration -> IRI, not string
    assert (sop, SPBE.nama, Literal("Contoh")) in graph  # plain literal, no language tag
    assert (sop, SPBE.tanggalEfektif, Literal("2024-07-01", datatype=XSD.date)) in graph
    assert set(graph.objects(sop, SPBE.dasarHukum)) == {Literal("A"), Literal("B")}
    step = URIRef(f"{SOP}/langkah/1")
    assert (step, SPBE.jenisSimbol, SPBE.Terminator) in graph
    assert (step, SPBE.urutan, Literal(1)) in graph


def test_sample_entity_compacts_and_round_trips(demo_repository: Repository,
                                                ctx: dict[str, Any]) -> None:
    graph = demo_repository.construct(
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . FILTER (?s = ?sop || STRSTARTS(STR(?s), "
        "CONCAT(STR(?sop), '/'))) }", {"sop": URIRef(SOP)})
    assert len(graph) > 50
    text = graph.serialize(format="json-ld", context=ctx, auto_compact=True)
    compact = json.loads(text)
    nodes = {node["id"]: node for node in compact["@graph"]}
    sop = nodes[SOP]
    assert sop["type"] == "SOP"
    assert sop["statusSOP"] == "Ditetapkan"
    assert sop["pemilik"] == str(iris.element_iri("3574", "opd", "DISKOMINFO"))
    assert isinstance(sop["memilikiLangkah"], list) and len(sop["memilikiLangkah"]) == 11
    decision = next(n for n in nodes.values() if n.get("jenisSimbol") == "Keputusan")
    assert {"jikaYa", "jikaTidak"} <= set(decision)
    assert isomorphic(Graph().parse(data=text, format="json-ld"), graph)

