"""How the repository reads a query's text before running it: where parameters are bound
(`bind_values`) and whether the query names its own dataset (`has_dataset_clause`,
`dataset_clauses`). The text is only scanned, so strings, IRIs and comments must be
recognised as the SPARQL grammar has them."""

from __future__ import annotations

from rdflib import Literal

from spbe_arch.repository.base import (
    bind_values,
    dataset_clauses,
    has_dataset_clause,
    query_form,
)

BLOCK = 'VALUES (?o) { ("v") }'


def test_parameters_are_bound_in_the_outermost_where_group() -> None:
    bound = bind_values('SELECT * WHERE { ?s ?p "{" }', {"o": Literal("v")})
    assert bound.startswith("SELECT * WHERE { " + BLOCK)


def test_a_quote_escaped_in_a_prefixed_name_opens_no_string() -> None:
    # `ex:a\'` is a legal prefixed name; read as the start of a string it hid the WHERE
    query = "PREFIX ex: <http://example.org/>\nSELECT * WHERE { ?s ex:a\\' ?o }"
    bound = bind_values(query, {"o": Literal("v")})
    assert bound.endswith("WHERE { " + BLOCK + "  ?s ex:a\\' ?o }")
    assert has_dataset_clause(
        "PREFIX ex: <http://example.org/>\nSELECT * FROM ex:g\\' WHERE { ?s ?p ?o }")


def test_a_comment_ends_at_a_carriage_return() -> None:
    # as in SPARQL (and Oxigraph): the group after "# …\r" is outside the comment
    bound = bind_values("SELECT * WHERE # groups follow\r{ ?s ?p ?o }", {"o": Literal("v")})
    assert bound.endswith("\r{ " + BLOCK + "  ?s ?p ?o }")
    assert dataset_clauses("SELECT * # note\rFROM <urn:g> WHERE { ?s ?p ?o }") == (["urn:g"], [])
    assert query_form("# a note\rASK { ?s ?p ?o }") == "ASK"


def test_a_literal_is_one_line_of_query_text_whatever_line_breaks_it_holds() -> None:
    """str.splitlines also breaks at U+0085, U+2028 and U+2029: a bound literal holding one
    was cut in two by any code reading the query text line by line. They are written as
    \\u escapes, which SPARQL reads back as the same characters."""
    import pyoxigraph as ox

    from spbe_arch.repository.base import term_text

    value = "a\x85b\u2028c\u2029d\ne"
    text = term_text(Literal(value))
    assert len(text.splitlines()) == 1
    store = ox.Store()
    [row] = list(store.query(f"SELECT ?v WHERE {{ BIND({text} AS ?v) }}"))
    assert row["v"].value == value
