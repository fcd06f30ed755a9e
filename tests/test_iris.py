"""How IRIs are shown to people in messages (`iris.shown`)."""

from __future__ import annotations

from rdflib import Literal, URIRef

from spbe_arch import iris
from spbe_arch.vocab import SPBE


def test_terms_are_shown_by_the_names_people_use() -> None:
    sop = iris.element_iri("3574", "sop", "DISKOMINFO-01.02.SOP.01")
    assert iris.shown(iris.sop_step_iri(sop, 3)) == "DISKOMINFO-01.02.SOP.01/langkah/3"
    # a code with a slash or a space is shown as it was typed
    assert iris.shown(iris.element_iri("3574", "proses-bisnis", "A/B 1")) == "A/B 1"
    assert iris.shown(SPBE.ProsesBisnis) == "ProsesBisnis"
    # the body itself, other IRIs and literals stay as they are
    assert iris.shown(iris.instansi_iri("3574")) == "https://w3id.org/spbe-arch/id/3574"
    assert iris.shown(URIRef("http://example.org/x/y")) == "http://example.org/x/y"
    assert iris.shown(Literal("DISKOMINFO")) == "DISKOMINFO"
