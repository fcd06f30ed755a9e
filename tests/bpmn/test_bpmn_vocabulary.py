"""ontology/bpmn.ttl and `BP` list the same terms, each labelled and defined in id and en."""

from __future__ import annotations

from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from spbe_arch.importers.bpmn import mapping
from spbe_arch.importers.bpmn.vocabulary import BP
from spbe_arch.vocab import BPMN

TTL = Path(__file__).resolve().parents[2] / "ontology" / "bpmn.ttl"


def _declared() -> tuple[Graph, set[URIRef]]:
    graph = Graph().parse(TTL)
    terms = {s for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
             for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    return graph, terms


def test_python_and_ontology_list_the_same_terms() -> None:
    _, declared = _declared()
    in_python = {BP[name] for name in BP.__annotations__}
    assert declared == in_python
    assert all(str(term).startswith(str(BPMN)) for term in declared)


def test_every_term_has_labels_and_definitions_in_both_languages() -> None:
    graph, declared = _declared()
    for term in declared:
        for predicate in (RDFS.label, SKOS.definition):
            languages = {o.language for o in graph.objects(term, predicate)}  # type: ignore[attr-defined]
            assert {"id", "en"} <= languages, (term, predicate)


def test_every_mapped_class_and_property_is_declared() -> None:
    _, declared = _declared()
    used = {BP[kind.cls] for kind in mapping.KINDS.values()}
    used |= {BP[prop] for prop, _ in mapping.ATTRIBUTES.values()}
    used |= {BP[prop] for prop in mapping.TEXT_CHILDREN.values()}
    used |= {BP[prop] for prop in mapping.REF_CHILDREN.values()}
    used |= {BP[prop] for prop in mapping.ROLE_CHILDREN.values()}
    used |= {BP[prop] for prop, _ in mapping.FONT_ATTRIBUTES.values()}
    used |= {BP[prop] for prop, _ in mapping.BOUNDS_ATTRIBUTES.values()}
    assert used <= declared
