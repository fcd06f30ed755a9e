"""Per-value decisions made in Python, exactly as pySHACL makes them.

Some constraints cannot be decided by SPARQL with the same answer as pySHACL on every term
(XSD well-formedness as rdflib sees it, Python `re` versus XPath regular expressions, rdflib's
literal ordering). For those the compiled query only narrows the values down to candidates —
every value it lets through as "certainly fine" is provably fine — and the final decision on
each candidate is made here with pySHACL's own code, so the outcome cannot differ.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

from pyshacl.constraints.core.string_based_constraints import StringBasedConstraintBase
from pyshacl.constraints.core.value_constraints import DatatypeConstraintComponent
from pyshacl.rdfutil.compare import compare_literal
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import BNode, Literal, Node, URIRef

Refine = Callable[[Node], bool]
"""value node -> True if it violates the constraint."""

SAFE_LEXICAL: dict[URIRef, str] = {
    # lexical forms that rdflib certainly parses to the Python type pySHACL expects
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.decimal: r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    XSD.boolean: r"^(true|false)$",
    XSD.date: r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$",
}
"""Lexical forms a `sh:datatype` check may accept in SPARQL without asking rdflib."""


@contextmanager
def _quiet_rdflib() -> Any:
    # rdflib logs a traceback for every ill-typed literal it meets; those are findings here
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def datatype_violation(rule: Node) -> Refine:
    def check(value: Node) -> bool:
        with _quiet_rdflib():
            return not _datatype_matches(value, rule)

    return check


def _datatype_matches(value: Node, rule: Node) -> bool:
    # pyshacl/constraints/core/value_constraints.py DatatypeConstraintComponent.evaluate
    if not isinstance(value, Literal):
        return False
    datatype = value.datatype
    lang = value.language
    if datatype == rule:
        if getattr(value, "ill_typed", None) is True:
            return False
        return _actual(value, rule)
    if rule == RDFS.Literal:
        return True
    if rule == RDFS.Datatype and datatype:
        return True
    if datatype is None and lang is None and rule == XSD.string:
        return _actual(value, rule)
    if rule == RDF.langString and lang:
        return _actual(value, rule)
    return False


def _actual(value: Literal, rule: Node) -> bool:
    # pySHACL's own check, called without an instance (it does not use `self`)
    check: Any = DatatypeConstraintComponent._assert_actual_datatype
    return bool(check(None, value, rule))


def value_string(value: Node) -> str:
    convert: Any = StringBasedConstraintBase.value_node_to_string
    return str(convert(value))


def pattern_flags(flags: Node | None) -> int:
    # pySHACL honours only "i" and "m"
    result = 0
    if flags is not None:
        text = str(flags.value if isinstance(flags, Literal) else flags).lower()
        if "i" in text:
            result |= re.I
        if "m" in text:
            result |= re.M
    return result


def pattern_text(pattern: Literal) -> str:
    if pattern.value is not None and len(pattern.value) > 1:
        return str(pattern.value)
    return str(pattern)


def pattern_violation(pattern: Literal, flags: Node | None) -> Refine:
    matcher = re.compile(pattern_text(pattern), pattern_flags(flags))

    def check(value: Node) -> bool:
        if isinstance(value, BNode):
            return True
        text = value_string(value)
        return not (matcher.match(text) or matcher.search(text))

    return check


def min_length_violation(rule: Literal) -> Refine:
    minimum = rule.value

    def check(value: Node) -> bool:
        if minimum == 0:
            return False
        if isinstance(value, BNode):
            return True
        return not len(value_string(value)) >= minimum

    return check


def max_length_violation(rule: Literal) -> Refine:
    maximum = rule.value

    def check(value: Node) -> bool:
        if isinstance(value, BNode):
            return True
        return not len(value_string(value)) <= maximum

    return check


def range_violation(rule: Literal, accept: Callable[[int], bool]) -> Refine:
    # pyshacl/constraints/core/value_range_constraints.py (_evaluate_min_rule and friends)
    rule_is_string = isinstance(rule.value, str)

    def check(value: Node) -> bool:
        if not isinstance(value, Literal):
            return True
        value_is_string = isinstance(value.value, str)
        if rule_is_string != value_is_string:
            return True
        try:
            compare: Any = compare_literal
            with _quiet_rdflib():
                return not accept(compare(value, rule))
        except (TypeError, NotImplementedError):
            return True

    return check


# --- safe regular expressions ------------------------------------------------------------------

_SAFE_ESCAPES = set(".-\\/()[]{}+*?^$|d")


def regex_is_safe(pattern: str) -> bool:
    """Whether Python `re` and SPARQL REGEX agree on this pattern for printable-ASCII text.

    Allowed: ASCII literals, `.`, anchors, groups without `(?`, alternation, bracket classes
    of ASCII characters and ranges, quantifiers `* + ? {n} {n,} {n,m}` (also lazy), and the
    escapes `\\d` and backslash-escaped punctuation. Anything else (`\\s`, `\\w`, `\\b`,
    back-references, look-arounds, inline flags, non-ASCII) is decided in Python.
    """
    if any(ord(c) < 0x20 or ord(c) > 0x7E for c in pattern):
        return False
    i = 0
    in_class = False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            if i + 1 >= len(pattern) or pattern[i + 1] not in _SAFE_ESCAPES:
                return False
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
            elif c == "[":
                return False  # nested/character-class subtraction differs between dialects
        elif c == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]":
                return False
        elif c == "(" and pattern[i + 1:i + 2] == "?":
            return False
        elif c == "{":
            match = re.match(r"\{[0-9]+(,[0-9]*)?\}", pattern[i:])
            if not match:
                return False
            i += len(match.group(0))
            continue
        elif c == "}":
            return False
        i += 1
    if in_class:
        return False
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True
