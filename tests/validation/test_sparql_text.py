"""The set-at-a-time rewrite of SHACL-SPARQL constraints: when it is applied, and when not."""

from __future__ import annotations

import pytest

from spbe_arch.validation.sparql_text import SparqlTextError, build_constraint_query, tokenize

PRELUDE = "{ SELECT DISTINCT ?f WHERE { ?f a <urn:C> } }"


def build(select: str) -> str:
    return build_constraint_query(select, {"ex": "urn:ex:"}, PRELUDE, "f", []).text


def test_this_becomes_the_focus_variable_and_results_are_distinct() -> None:
    text = build("SELECT $this ?value WHERE { $this ex:p ?value . }")
    assert "?f ex:p ?value" in text and "$this" not in text
    assert "SELECT DISTINCT" in text and PRELUDE in text


def test_multi_pattern_not_exists_becomes_anchored_minus() -> None:
    text = build("SELECT $this WHERE { $this ex:p ?x . "
                 "FILTER NOT EXISTS { ?y ex:q $this . ?y ex:r ?x } }")
    assert "NOT EXISTS" not in text
    assert "MINUS {" in text and text.count(PRELUDE) >= 2  # anchored by the focus pattern


def test_single_pattern_not_exists_is_kept() -> None:
    text = build("SELECT $this WHERE { $this ex:p ?x . FILTER NOT EXISTS { ?x ex:q ?z } }")
    assert "NOT EXISTS" in text and "MINUS" not in text


def test_not_exists_sharing_an_optional_variable_is_kept() -> None:
    # ?o may be unbound: MINUS would not mean the same
    text = build("SELECT $this WHERE { $this ex:p ?x . OPTIONAL { $this ex:o ?o } "
                 "FILTER NOT EXISTS { ?x ex:q ?o . ?o ex:r ?z } }")
    assert "NOT EXISTS" in text and "MINUS" not in text


@pytest.mark.parametrize("select", [
    "SELECT $this WHERE { { FILTER ($this = ex:a) } UNION { $this ex:p ?v } }",
    "SELECT $this WHERE { { SELECT ?x WHERE { $this ex:p ?x } } }",
    "SELECT $this WHERE { $this ex:p ?v } LIMIT 1",
    "SELECT (COUNT(?v) AS ?n) WHERE { $this ex:p ?v }",
    "SELECT $this ?failure WHERE { $this ex:p ?v BIND (true AS ?failure) }",
    "SELECT $this ?spbe_x WHERE { $this ex:p ?spbe_x }",
])
def test_queries_left_to_pyshacl(select: str) -> None:
    with pytest.raises(SparqlTextError):
        build(select)


def test_prebinding_checks_accept_safe_forms() -> None:
    # $this bound by the branch's own triple; EXISTS patterns see the focus
    build("SELECT $this WHERE { { $this ex:p ?v . FILTER ($this != ?v) } UNION { $this ex:q ?v } }")
    build("SELECT $this WHERE { $this ex:p ?v . FILTER EXISTS { ?v ex:q $this } }")
    build("SELECT $this ?n WHERE { { SELECT $this (COUNT(?v) AS ?n) WHERE { $this ex:p ?v } "
          "GROUP BY $this } }")


def test_tokenizer_keeps_strings_iris_and_comments_apart() -> None:
    tokens = tokenize('SELECT ?a WHERE { ?a <urn:x#y> "x } # y" . # a comment {\n}')
    assert [t.kind for t in tokens] == ["word", "var", "word", "punct", "var", "iri", "string",
                                        "punct", "punct"]
