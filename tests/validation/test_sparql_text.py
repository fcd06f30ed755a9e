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


def test_multi_pattern_not_exists_becomes_anchored_minus_in_full_runs() -> None:
    from spbe_arch.validation.sparql_text import hash_joined, without_full_run_only

    text = build("SELECT $this WHERE { $this ex:p ?x . "
                 "FILTER NOT EXISTS { ?y ex:q $this . ?y ex:r ?x } }")
    full = hash_joined(text)
    assert "NOT EXISTS" not in full
    assert "MINUS {" in full
    assert full.count("?f ex:p ?x") >= 2  # anchored by the copied top-level triples
    # a run on a few focus nodes evaluates the NOT EXISTS per row instead
    few = without_full_run_only(text)
    assert "FILTER NOT EXISTS { ?y ex:q ?f . FILTER EXISTS { ?y ex:r ?x . } }" in few
    assert "MINUS" not in few


def test_nested_not_exists_puts_joined_patterns_first_and_class_tests_last() -> None:
    from spbe_arch.validation.sparql_text import without_full_run_only

    text = build("SELECT $this WHERE { $this ex:p ?x . FILTER NOT EXISTS "
                 "{ ?s a ex:SOP ; ex:owner $this . ?k ex:z ?w . ?s ex:k ?k FILTER (?w > 1) } }")
    few = without_full_run_only(text)
    assert ("FILTER NOT EXISTS { ?s ex:owner ?f . FILTER EXISTS { ?s ex:k ?k . FILTER EXISTS"
            " { ?k ex:z ?w . FILTER EXISTS { ?s a ex:SOP . FILTER (?w > 1) } } } }") in few


def test_optional_with_unbound_test_is_a_not_exists_on_few_focus_nodes() -> None:
    from spbe_arch.validation.sparql_text import hash_joined, without_full_run_only

    text = build("SELECT $this ?v WHERE { $this ex:p ?v . ?v ex:in ?s . "
                 "OPTIONAL { ?v ex:level 3 ; ex:scheme ?k . ?k ex:version ?m "
                 "FILTER (?m = ?s) } FILTER (!BOUND(?m)) }")
    few = without_full_run_only(text)
    assert "OPTIONAL" not in few and "BOUND" not in few
    assert ("FILTER NOT EXISTS { ?v ex:level 3 . FILTER EXISTS { ?v ex:scheme ?k . FILTER"
            " EXISTS { ?k ex:version ?m . FILTER (?m = ?s) } } }") in few
    full = hash_joined(text)
    assert "NOT EXISTS" not in full and "OPTIONAL" in full and "!BOUND(?m)" in full


@pytest.mark.parametrize("select", [
    # ?m is used elsewhere (projected)
    "SELECT $this ?m WHERE { $this ex:p ?v . OPTIONAL { ?v ex:q ?m } FILTER (!BOUND(?m)) }",
    # the filter inside reads ?s, bound only after the OPTIONAL
    "SELECT $this WHERE { $this ex:p ?v . OPTIONAL { ?v ex:q ?m FILTER (?m = ?s) } "
    "?v ex:in ?s . FILTER (!BOUND(?m)) }",
    # ?m bound only by a nested OPTIONAL, not by P itself
    "SELECT $this WHERE { $this ex:p ?v . OPTIONAL { ?v ex:q ?k OPTIONAL { ?k ex:r ?m } } "
    "FILTER (!BOUND(?m)) }",
    # a shared variable that may be unbound on the left
    "SELECT $this WHERE { $this ex:p ?v . OPTIONAL { $this ex:o ?o } "
    "OPTIONAL { ?v ex:q ?o . ?o ex:r ?m } FILTER (!BOUND(?m)) }",
    # more than the unbound test in the filter
    "SELECT $this WHERE { $this ex:p ?v . OPTIONAL { ?v ex:q ?m } "
    "FILTER (!BOUND(?m) || ?v = ex:a) }",
])
def test_optional_negations_that_are_kept(select: str) -> None:
    from spbe_arch.validation.sparql_text import without_full_run_only

    few = without_full_run_only(build(select))
    assert "OPTIONAL" in few and "BOUND" in few


def test_single_pattern_not_exists_is_kept() -> None:
    from spbe_arch.validation.sparql_text import hash_joined

    text = build("SELECT $this WHERE { $this ex:p ?x . FILTER NOT EXISTS { ?x ex:q ?z } }")
    assert "NOT EXISTS" in text and "\n  MINUS" not in text  # runs on a few focus nodes
    full = hash_joined(text)  # runs on every focus node: a hash anti-join
    assert "NOT EXISTS" not in full and "MINUS { ?x ex:q ?z . }" in full


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


# --- hash joins in full runs ------------------------------------------------------------------

HASH_DATA = """
<urn:a> a <urn:C> ; <urn:ex:p> <urn:b>, <urn:c> ; <urn:ex:n> 1 ; <urn:ex:s> "x y . z" .
<urn:b> <urn:ex:q> <urn:c> ; <urn:ex:next> <urn:c> ;
    <urn:ex:n> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .
<urn:c> <urn:ex:q> <urn:a> ; <urn:ex:n> 2 .
<urn:d> a <urn:C> ; <urn:ex:p> <urn:a> ; <urn:ex:s> "x"@en .
<urn:e> a <urn:C> .
"""

HASH_QUERIES = [
    # property lists, object lists, `a`, numbers, strings with dots, inverse-free paths
    "SELECT $this ?v WHERE { $this ex:p ?v ; a <urn:C> . ?v ex:q ?w , ?w2 . }",
    "SELECT $this ?v WHERE { $this ex:p ?v . ?v ex:n 2 . }",
    "SELECT $this ?v WHERE { $this ex:s ?v . $this ex:s \"x y . z\" }",
    "SELECT $this ?v WHERE { $this ex:p ?x . ?x ex:next* ?v . ?v ex:n ?n }",
    "SELECT $this ?v WHERE { $this ex:p/ex:q ?v ; ex:n \"2\"^^xsd:integer }",
    "SELECT $this ?v WHERE { $this ex:p ?v . FILTER NOT EXISTS { ?v ex:q ?z . ?z ex:n 2 } }",
    "SELECT $this ?v WHERE { $this ex:p ?v OPTIONAL { ?v ex:n ?n } FILTER (!BOUND(?n)) }",
    "SELECT $this ?v WHERE { { $this ex:p ?v } UNION { ?v ex:q $this } }",
    "SELECT $this ?v WHERE { $this ex:p [ ex:q ?v ] }",
    "SELECT $this ?v WHERE { $this ex:s ?v . FILTER (lang(?v) = \"en\") }",
    # MINUS forms: the focus pattern copied into the MINUS is left out of full runs
    "SELECT $this ?v WHERE { $this ex:p ?v . FILTER NOT EXISTS { $this ex:q ?z . ?z ex:n ?n } }",
    "SELECT $this ?v WHERE { ?v ex:q $this . FILTER NOT EXISTS { ?v ex:p ?z . ?z ex:q $this } }",
    "SELECT $this WHERE { $this a <urn:C> . FILTER NOT EXISTS { $this ex:p ?z . ?z ex:n 2 } }",
    "SELECT $this ?v WHERE { { $this ex:p ?v } UNION { ?v ex:q $this } "
    "FILTER NOT EXISTS { ?v ex:q ?z . ?z ex:n 2 } }",
    # one-pattern NOT EXISTS: a MINUS in full runs
    "SELECT $this ?v WHERE { $this ex:p ?v . FILTER NOT EXISTS { ?v ex:next ?z } }",
    "SELECT $this WHERE { $this a <urn:C> . FILTER NOT EXISTS { $this ex:s ?z } BIND(1 AS ?k) }",
    "SELECT $this ?v WHERE { $this ex:p ?v . FILTER (NOT EXISTS { ?v ex:n 2 }) }",
]


@pytest.mark.parametrize("select", HASH_QUERIES)
def test_hash_joined_query_has_the_same_solutions(select: str) -> None:
    import pyoxigraph as ox

    from spbe_arch.validation.sparql_text import hash_joined

    store = ox.Store()
    store.load(HASH_DATA.encode(), format=ox.RdfFormat.TURTLE)
    text = build_constraint_query(
        select, {"ex": "urn:ex:", "xsd": "http://www.w3.org/2001/XMLSchema#"}, PRELUDE, "f",
        [], "#spbe:focus-values\n").text

    def solutions(query: str) -> list[tuple[str, ...]]:
        answer = store.query(query)
        assert isinstance(answer, ox.QuerySolutions)
        return sorted(tuple(str(s[v]) if s[v] is not None else "-" for v in answer.variables)
                      for s in answer)

    rewritten = hash_joined(text)
    assert solutions(rewritten) == solutions(text)
    assert "#spbe:hash-join" not in rewritten
    assert "#spbe:full-run-drop" not in rewritten
    # the focus pattern is left out of a MINUS exactly when its triples bind the focus
    if "MINUS" in text and "full-run-only" not in text:
        assert ("#spbe:full-run-drop" in text) == ("UNION" not in select), text
    assert "#spbe:full-run-only" not in rewritten
    if "ex:next ?z" in select or "ex:s ?z" in select:
        assert "#spbe:full-run-only MINUS" in text and "NOT EXISTS" not in rewritten
    # a pattern was joined so, except where every pattern has a path, a typed literal or a
    # blank node
    hashed = "SELECT ?" in rewritten.split("WHERE", 1)[1]
    assert hashed == ("[" not in select and "ex:p/ex:q" not in select)


def test_hash_join_marks_only_one_step_patterns_outside_exists() -> None:
    text = build("SELECT $this WHERE { $this ex:p ?x . ?x ex:next* ?y . "
                 "FILTER EXISTS { ?y ex:q ?z . ?z ex:n 1 } }")
    assert "?f ex:p ?x . #spbe:hash-join" in text
    assert "?x ex:next* ?y ." in text and "ex:next* ?y . #spbe" not in text
    assert "?z ex:n 1 . #spbe" not in text  # evaluated per row: stays a plain pattern
