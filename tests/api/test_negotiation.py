"""Content negotiation as real clients do it (ea-anchors.md §5.2)."""

from __future__ import annotations

import pytest

from spbe_arch.api.negotiation import choose_graph_format, negotiate

SPARQLWRAPPER_JSON = ("application/sparql-results+json,application/json,text/javascript,"
                      "application/javascript")
RDFLIB_XML = "application/sparql-results+xml, application/rdf+xml"
YASGUI_SELECT = "application/sparql-results+json,*/*;q=0.9"
YASGUI_CONSTRUCT = "application/n-triples,*/*;q=0.9"


@pytest.mark.parametrize(("accept", "solutions", "graph"), [
    (None, "application/sparql-results+json", "text/turtle"),
    ("*/*", "application/sparql-results+json", "text/turtle"),
    (SPARQLWRAPPER_JSON, "application/sparql-results+json", "application/json"),
    (RDFLIB_XML, "application/sparql-results+xml", "application/rdf+xml"),
    (YASGUI_SELECT, "application/sparql-results+json", "text/turtle"),
    (YASGUI_CONSTRUCT, "application/sparql-results+json", "application/n-triples"),
    ("text/csv", "text/csv", None),
    ("text/tab-separated-values;q=1, text/csv;q=0.5", "text/tab-separated-values", None),
    ("text/turtle", None, "text/turtle"),
    ("this is not a media type", "application/sparql-results+json", "text/turtle"),
])
def test_accept_headers(accept: str | None, solutions: str | None, graph: str | None) -> None:
    chosen = negotiate(accept)
    assert (chosen.solutions.media_type if chosen.solutions else None) == solutions
    assert (chosen.graph.media_type if chosen.graph else None) == graph


def test_csv_is_not_offered_for_ask() -> None:
    assert negotiate("text/csv").boolean is None
    assert negotiate("application/sparql-results+xml").boolean is not None


@pytest.mark.parametrize(("values", "solutions", "graph"), [
    (["json"], "application/sparql-results+json", "application/ld+json"),
    (["xml"], "application/sparql-results+xml", "application/rdf+xml"),
    (["csv"], "text/csv", "text/turtle"),
    (["turtle"], "application/sparql-results+xml", "text/turtle"),
    (["no-such-format"], "application/sparql-results+xml", "text/turtle"),
])
def test_format_parameters_win_over_accept_or_are_ignored(
        values: list[str], solutions: str, graph: str) -> None:
    chosen = negotiate("application/sparql-results+xml, text/turtle", values)
    assert chosen.solutions is not None and chosen.solutions.media_type == solutions
    assert chosen.graph is not None and chosen.graph.media_type == graph


def test_graph_formats_for_graph_store() -> None:
    offer = choose_graph_format("text/turtle; charset=utf-8")
    assert offer is not None and offer.media_type == "text/turtle"
    assert choose_graph_format("image/png") is None
