"""Per-value decisions: what SPARQL lets through as fine is fine for pySHACL too."""

from __future__ import annotations

import re

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.term import Literal, URIRef

from spbe_arch.validation import checks

PRINTABLE = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=12)


@settings(max_examples=300)
@given(data=st.data())
def test_safe_lexical_forms_are_well_typed_for_rdflib(data: st.DataObject) -> None:
    for datatype, pattern in checks.SAFE_LEXICAL.items():
        lexical = data.draw(st.from_regex(pattern, fullmatch=True))
        assert not checks.datatype_violation(datatype)(Literal(lexical, datatype=datatype))


def test_datatype_decisions_match_pyshacl_on_edge_cases() -> None:
    date = URIRef("http://www.w3.org/2001/XMLSchema#date")
    integer = URIRef("http://www.w3.org/2001/XMLSchema#integer")
    assert checks.datatype_violation(date)(Literal("2024-02-30", datatype=date))
    assert not checks.datatype_violation(date)(Literal("2024-02-29", datatype=date))
    assert checks.datatype_violation(integer)(Literal("satu", datatype=integer))
    assert checks.datatype_violation(integer)(Literal("1"))  # a string is not an integer


SAFE_PATTERNS = st.sampled_from([
    r"^[A-Za-z0-9][A-Za-z0-9._/-]*$", r"^[0-9]{2}([0-9]{2})?$", r"^[0-9]{8} ?[0-9]{6}$",
    r"a.c", r"(ab|cd)+", r"^\d{3}\.x$", r"[^a-z]", r"^x{2,}y?$",
])
STORE = ox.Store()


@settings(max_examples=300)
@given(pattern=SAFE_PATTERNS, text=PRINTABLE, ignore_case=st.booleans())
def test_safe_regexes_agree_with_sparql_on_printable_ascii(pattern: str, text: str,
                                                           ignore_case: bool) -> None:
    assert checks.regex_is_safe(pattern)
    flags = "i" if ignore_case else ""
    query = (f"SELECT (REGEX({Literal(text).n3()}, {Literal(pattern).n3()}, \"{flags}\") AS ?m)"
             " WHERE {}")
    sparql = str(next(iter(STORE.query(query)))["m"].value) == "true"
    python = re.search(pattern, text, re.I if ignore_case else 0) is not None
    assert sparql == python


def test_unsafe_regex_constructs_are_decided_in_python() -> None:
    for pattern in (r"\w+", r"\s", r"(?i)x", r"(a)\1", r"é", r"[[:alpha:]]", "a{"):
        assert not checks.regex_is_safe(pattern), pattern
