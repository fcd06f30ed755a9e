"""Checks on RDF input before Oxigraph parses it: documents built to crash or exhaust the
process that reads them.

- JSON-LD nested some thousands of levels deep: Oxigraph's JSON-LD parser recurses per
  level and overflows the stack, which ends the process (SIGSEGV, nothing to catch). A
  server parsing an upload would die with every request it was serving.
- RDF/XML whose internal XML entities expand without bound ("billion laughs"): a 500-byte
  document became a literal of 1 GB after 97 s, one level more exhausts the memory.

Every parse of user input goes through these (`spbe-arch load`, validation uploads, the
Graph Store, the web import), so one check protects them all.
"""

from __future__ import annotations

import re
from itertools import accumulate

from spbe_arch.errors import InputError, Location

MAX_JSON_DEPTH = 1000
"""Deepest nesting of JSON objects and arrays accepted: far above any real JSON-LD document
(the product's own go 4 deep) and far below where Oxigraph's parser overflows (~5000 on the
main thread)."""

MAX_ENTITY_EXPANSION = 16 * 1024 * 1024
"""Bytes an RDF/XML document may grow by through its XML entities."""


class InputTooLargeError(InputError):
    http_status = 413


_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_A_BRACKET = bytes(b for b in range(256) if b not in b"{}[]")
_OPENERS = frozenset(b"{[")


def json_depth(data: bytes) -> int:
    """The deepest nesting of objects and arrays in a JSON text (brackets inside strings do
    not count); for a malformed text, that of its brackets."""
    brackets = _JSON_STRING.sub(b"", data).translate(None, _NOT_A_BRACKET)
    return max(accumulate(1 if b in _OPENERS else -1 for b in brackets), default=0)


def check_json_nesting(data: bytes, name: str, limit: int = MAX_JSON_DEPTH) -> None:
    if b"{" not in data[:4096] and b"[" not in data[:4096]:
        return  # not JSON at all: the parser says so, with the line
    if json_depth(data) > limit:
        raise InputError(
            f"JSON-LD bersarang terlalu dalam (lebih dari {limit} tingkat objek atau larik);"
            " tidak ada yang ditulis",
            f"the JSON-LD is nested too deeply (more than {limit} levels of objects or"
            " arrays); nothing was written", Location(file=name))


_ENTITY_DECLARATION = re.compile(
    rb"""<!ENTITY\s+(%\s*)?([^\s%;&<>"']+)\s+(?:"([^"]*)"|'([^']*)')""")
_ENTITY_REFERENCE = re.compile(rb"&([^\s;&<>\"'#%]+);")


def check_entity_expansion(data: bytes, name: str,
                           limit: int = MAX_ENTITY_EXPANSION) -> None:
    """Refuse RDF/XML whose internal XML entities would expand it by more than `limit`.

    Entities themselves stay allowed: Protégé and other OWL tools declare one per namespace
    (`<!ENTITY owl "http://www.w3.org/2002/07/owl#">`) and use them in every IRI. So the
    size of the expansion is worked out from the declarations and the references, the way
    the parser would grow the document, before the parser sees it."""
    if b"<!ENTITY" not in data:
        return
    values: dict[bytes, bytes] = {}
    for match in _ENTITY_DECLARATION.finditer(data):
        if match.group(1) is None:  # parameter entities (`%name;`) are not expanded here
            value = match.group(3) if match.group(3) is not None else match.group(4)
            values.setdefault(match.group(2), value)
    sizes: dict[bytes, int] = {}

    def size(entity: bytes, open_: frozenset[bytes]) -> int:
        """Length of the entity's replacement text, references expanded (capped)."""
        if entity in sizes:
            return sizes[entity]
        if entity not in values:
            return len(entity) + 2  # &amp; and the other predefined ones: one character
        if entity in open_:
            return limit + 1  # an entity that contains itself never ends
        total = len(values[entity])
        for reference in _ENTITY_REFERENCE.finditer(values[entity]):
            total += size(reference.group(1), open_ | {entity}) - len(reference.group(0))
            if total > limit:
                break
        sizes[entity] = min(total, limit + 1)
        return sizes[entity]

    growth = 0
    try:
        for reference in _ENTITY_REFERENCE.finditer(data):
            growth += size(reference.group(1), frozenset()) - len(reference.group(0))
            if growth > limit:
                break
    except RecursionError:
        growth = limit + 1
    if growth > limit:
        raise InputTooLargeError(
            f"entitas XML dokumen RDF/XML ini akan membesarkannya lebih dari"
            f" {limit // (1024 * 1024)} MB (entitas yang berisi entitas lain); tidak ada yang"
            " ditulis",
            f"the XML entities of this RDF/XML document would grow it by more than"
            f" {limit // (1024 * 1024)} MB (entities made of other entities); nothing was"
            " written", Location(file=name))


def check_rdf_input(data: bytes, fmt: str, name: str) -> None:
    """The checks that apply to a document of format `fmt` (the repository's format names:
    "jsonld", "rdfxml", …)."""
    if fmt == "jsonld":
        check_json_nesting(data, name)
    elif fmt == "rdfxml":
        check_entity_expansion(data, name)


__all__ = ["MAX_ENTITY_EXPANSION", "MAX_JSON_DEPTH", "InputTooLargeError",
           "check_entity_expansion", "check_json_nesting", "check_rdf_input", "json_depth"]
