"""docs/ontology.md (generated part) and docs/ontology.svg are current and complete."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from rdflib import OWL, RDF

from spbe_arch.reference import docs
from spbe_arch.vocab import SPBE

SVG = "{http://www.w3.org/2000/svg}"


def test_docs_are_current() -> None:
    stale = docs.stale(docs.outputs())
    assert stale == [], "run `python -m spbe_arch.reference.docs`"
    assert docs.main(["--check"]) == 0


def test_markdown_tables_cover_every_term() -> None:
    graph = docs.load_ontology()
    text = (docs.docs_dir() / "ontology.md").read_text(encoding="utf-8")
    assert "](ontology.svg)" in text
    generated = text.split(docs.BEGIN, 1)[1]
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in graph.subjects(RDF.type, kind):
            if str(term).startswith(str(SPBE._NS)):
                assert f"`{docs.qname(term)}`" in generated, term
    for name in ("Draft", "Ditetapkan", "Keputusan", "ManajemenRisiko"):
        assert f"`{name}`" in generated


def test_svg_shows_the_classes_and_relations() -> None:
    graph = docs.load_ontology()
    root = ET.fromstring((docs.docs_dir() / "ontology.svg").read_text(encoding="utf-8"))
    texts = {t.text for t in root.iter(f"{SVG}text")}
    boxes, edges = docs.diagram_model(graph)
    assert {"ProsesBisnis", "Layanan", "DataInformasi", "Aplikasi", "SOP", "LangkahSOP",
            "PerangkatDaerah", "PeriodeArsitektur"} <= set(boxes) <= texts
    drawn = {label for t in texts if t for label in t.split(", ")}
    for edge in edges:
        assert set(edge.labels) <= drawn, edge
    assert {"merealisasikan", "menghasilkanData", "pemilik", "untukProsesBisnis",
            "mendukungLayanan", "jikaYa"} <= drawn
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == sum(1 for e in edges if e.source != e.target)
