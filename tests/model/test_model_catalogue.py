"""The catalogue agrees with the ontology, and metadata is read from it at run time."""

from __future__ import annotations

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from spbe_arch.model import KINDS, TOP_LEVEL_KINDS, get_kind, metadata, use_metadata
from spbe_arch.model.service import enum_choices
from spbe_arch.vocab import SH, SPBE


def test_every_predicate_and_class_is_declared_in_the_ontology() -> None:
    graph = metadata().graph
    for kind in KINDS.values():
        assert (kind.rdf_class, None, None) in graph, kind.rdf_class
        for field in kind.fields:
            assert (field.predicate, None, None) in graph, field.predicate
            assert field.name == str(field.predicate).split("#")[1]


def test_labels_and_help_come_from_the_ontology() -> None:
    pb = get_kind("proses-bisnis")
    graph = metadata().graph
    label_id = {str(o) for o in graph.objects(SPBE.klasifikasiRAB, RDFS.label)
                if o.language == "id"}  # type: ignore[attr-defined]
    assert pb.field("klasifikasiRAB").label_id in label_id
    assert pb.field("klasifikasiRAB").label_en != pb.field("klasifikasiRAB").label_id
    assert pb.field("klasifikasiRAB").help_id
    assert pb.label("en") != pb.label("id")


def test_enumerations_are_the_ontology_individuals() -> None:
    metode = get_kind("layanan").field("metodeLayanan")
    values = {v for v, _ in enum_choices(metode)}
    expected = {str(s).split("#")[1] for s in metadata().graph.subjects(RDF.type,
                                                                        SPBE.MetodeLayanan)}
    assert values == expected and "TatapMuka" in values


def test_required_and_choices_follow_the_shapes() -> None:
    graph = Graph()
    shape = URIRef("urn:test:LayananShape")
    prop = URIRef("urn:test:tujuan")
    prop2 = URIRef("urn:test:metode")
    graph.add((shape, SH.targetClass, SPBE.Layanan))
    graph.add((shape, SH.property, prop))
    graph.add((prop, SH.path, SPBE.tujuan))
    graph.add((prop, SH.minCount, Literal(1)))
    graph.add((shape, SH.property, prop2))
    graph.add((prop2, SH.path, SPBE.metodeLayanan))
    graph.add((prop2, SH.minCount, Literal(1)))
    graph.add((prop2, SH.severity, SH.Warning))
    with use_metadata(graph):
        layanan = get_kind("layanan")
        assert layanan.field("tujuan").required_for(layanan)
        assert not layanan.field("metodeLayanan").required_for(layanan)  # only a warning
        assert layanan.field("kode").required_for(layanan)  # identity


def test_unknown_kind_is_a_user_error() -> None:
    import pytest

    from spbe_arch.errors import InputError

    with pytest.raises(InputError) as info:
        get_kind("probis")
    assert "probis" in info.value.message("id") and "proses-bisnis" in info.value.message("en")
    assert "sop-langkah" not in TOP_LEVEL_KINDS
