"""The ontology declares exactly the terms of `spbe_arch.vocab.SPBE`, each documented."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.term import BNode

from spbe_arch.vocab import CPSV, DCT, ORG, PROV, SPBE

NS = str(SPBE._NS)
VOCAB_TERMS = sorted(SPBE.__annotations__)
DECLARATION_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual}
# Generic properties used on many kinds of resource: documented without rdfs:domain.
NO_DOMAIN = {"nama", "uraian", "keterangan", "provisional"}


def _langs(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str]:
    return {o.language for o in graph.objects(subject, predicate)
            if isinstance(o, Literal) and o.language and str(o).strip()}


@pytest.mark.parametrize("name", VOCAB_TERMS)
def test_vocab_term_declared_with_labels_and_definitions(core_ontology: Graph, name: str) -> None:
    term = SPBE[name]
    types = set(core_ontology.objects(term, RDF.type))
    assert types & DECLARATION_TYPES, f"{name} is not declared in ontology/spbe.ttl"
    assert {"id", "en"} <= _langs(core_ontology, term, RDFS.label), f"{name}: label @id/@en"
    assert {"id", "en"} <= _langs(core_ontology, term, SKOS.definition), (
        f"{name}: skos:definition @id/@en")


def test_every_spbe_term_in_ontology_is_in_vocab(ontology: Graph) -> None:
    declared = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(NS)}
    mentioned = {o for o in ontology.objects() if isinstance(o, URIRef) and str(o).startswith(NS)}
    unknown = sorted(str(t)[len(NS):] for t in declared | mentioned
                     if str(t)[len(NS):] not in SPBE.__annotations__)
    assert not unknown, f"terms in ontology/ but not in vocab.SPBE: {unknown}"


def test_properties_have_domain_and_range(core_ontology: Graph) -> None:
    problems = []
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in core_ontology.subjects(RDF.type, kind):
            name = str(prop)[len(NS):]
            if core_ontology.value(prop, RDFS.range) is None:
                problems.append(f"{name}: no rdfs:range")
            if name not in NO_DOMAIN and core_ontology.value(prop, RDFS.domain) is None:
                problems.append(f"{name}: no rdfs:domain")
    assert not problems


def test_object_property_ranges_are_classes(core_ontology: Graph) -> None:
    for prop in core_ontology.subjects(RDF.type, OWL.ObjectProperty):
        rng = core_ontology.value(prop, RDFS.range)
        assert rng is not None
        if str(rng).startswith(NS):
            assert (rng, RDF.type, OWL.Class) in core_ontology, f"{prop} range {rng}"


def test_union_domains_list_declared_classes(core_ontology: Graph) -> None:
    for prop, domain in core_ontology.subject_objects(RDFS.domain):
        if isinstance(domain, BNode):
            members = list(core_ontology.items(core_ontology.value(domain, OWL.unionOf)))
            assert len(members) >= 2, f"{prop}: empty union domain"
            for member in members:
                assert str(member).startswith(str(SKOS)) or (member, RDF.type, OWL.Class) in \
                    core_ontology, f"{prop}: {member} not a declared class"


def test_enumerations_are_concept_schemes(core_ontology: Graph) -> None:
    individuals = set(core_ontology.subjects(RDF.type, OWL.NamedIndividual))
    assert len(individuals) > 50
    notations: dict[URIRef, set[str]] = {}
    for individual in individuals:
        classes = {c for c in core_ontology.objects(individual, RDF.type)
                   if c not in (OWL.NamedIndividual, SKOS.Concept)}
        assert len(classes) == 1, individual
        (cls,) = classes
        assert (individual, RDF.type, SKOS.Concept) in core_ontology
        assert (cls, RDF.type, SKOS.ConceptScheme) in core_ontology
        assert (individual, SKOS.inScheme, cls) in core_ontology
        assert (individual, SKOS.topConceptOf, cls) in core_ontology
        assert (cls, SKOS.hasTopConcept, individual) in core_ontology
        assert {"id", "en"} <= _langs(core_ontology, individual, SKOS.prefLabel)
        notation = core_ontology.value(individual, SKOS.notation)
        assert notation is not None, individual
        assert str(notation) not in notations.setdefault(cls, set()), f"duplicate {notation}"
        notations[cls].add(str(notation))
    # each scheme lists only its own members
    for cls in core_ontology.subjects(RDF.type, SKOS.ConceptScheme):
        for top in core_ontology.objects(cls, SKOS.hasTopConcept):
            assert (top, RDF.type, cls) in core_ontology


@pytest.mark.parametrize(("subject", "predicate", "obj"), [
    (SPBE.PerangkatDaerah, RDFS.subClassOf, ORG.OrganizationalUnit),
    (SPBE.Instansi, RDFS.subClassOf, ORG.FormalOrganization),
    (SPBE.indukOPD, RDFS.subPropertyOf, ORG.subOrganizationOf),
    (SPBE.Layanan, RDFS.subClassOf, CPSV.PublicService),
    (SPBE.Perubahan, RDFS.subClassOf, PROV.Activity),
    (SPBE.diturunkanDari, RDFS.subPropertyOf, PROV.wasDerivedFrom),
    (SPBE.nama, RDFS.subPropertyOf, RDFS.label),
    (SPBE.uraian, RDFS.subPropertyOf, DCT.description),
    (SPBE.PemerintahDaerah, RDFS.subClassOf, SPBE.Instansi),
    (SPBE.ProsesBisnis, RDFS.subClassOf, SPBE.ElemenArsitektur),
])
def test_alignment(ontology: Graph, subject: URIRef, predicate: URIRef, obj: URIRef) -> None:
    assert (subject, predicate, obj) in ontology


def test_six_domain_classes_are_architecture_elements(core_ontology: Graph) -> None:
    subclasses = set(core_ontology.subjects(RDFS.subClassOf, SPBE.ElemenArsitektur))
    assert subclasses == {SPBE.ProsesBisnis, SPBE.Layanan, SPBE.DataInformasi, SPBE.Aplikasi,
                          SPBE.Infrastruktur, SPBE.Keamanan}


def test_ontology_header(core_ontology: Graph) -> None:
    header = URIRef(NS.rstrip("#"))
    assert (header, RDF.type, OWL.Ontology) in core_ontology
    assert core_ontology.value(header, OWL.versionInfo) is not None
