"""Input built to crash or exhaust the parser is refused before Oxigraph reads it, on every
path that parses user input (repository/guards.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from repo_helpers import laughs

from spbe_arch.errors import InputError
from spbe_arch.repository import LoadSource, open_repository
from spbe_arch.repository.guards import (
    InputTooLargeError,
    check_entity_expansion,
    check_json_nesting,
    json_depth,
)


def deep_jsonld(levels: int) -> bytes:
    return ('{"@id": "http://example.org/s", "http://example.org/p": '
            + '{"http://example.org/p": ' * levels + "1" + "}" * levels + "}").encode()


def test_json_depth_counts_brackets_outside_strings() -> None:
    assert json_depth(b"{}") == 1
    assert json_depth(b'{"a": [1, {"b": "}}}{{{[[["}], "c": {}}') == 3
    assert json_depth(b'{"a": "say \\"{[\\" twice"}') == 1
    assert json_depth(deep_jsonld(5000)) == 5001
    assert json_depth(json.dumps({"x": [[[["y"]]]]}).encode()) == 5
    assert json_depth(b"") == 0


def test_json_nested_past_the_limit_is_refused() -> None:
    check_json_nesting(deep_jsonld(999), "ok.jsonld")
    with pytest.raises(InputError) as caught:
        check_json_nesting(deep_jsonld(1000), "dalam.jsonld")
    assert "dalam.jsonld" in caught.value.message("id")
    assert "bersarang terlalu dalam" in caught.value.message("id")


def test_small_nested_entities_pass_and_the_bound_is_on_the_expansion() -> None:
    check_entity_expansion(laughs(3), "x.rdf")  # 10 kB: fine
    with pytest.raises(InputTooLargeError):
        check_entity_expansion(laughs(3), "x.rdf", limit=5000)
    # an entity referring to itself never ends
    looping = b'<!DOCTYPE r [<!ENTITY a "x&b;"><!ENTITY b "&a;">]><r>&a;</r>'
    with pytest.raises(InputTooLargeError):
        check_entity_expansion(looping, "x.rdf")
    # a single entity used very often grows the document linearly, and is counted
    many = b'<!DOCTYPE r [<!ENTITY a "' + b"x" * 1000 + b'">]><r>' + b"&a;" * 6000 + b"</r>"
    with pytest.raises(InputTooLargeError):
        check_entity_expansion(many, "x.rdf", limit=5_000_000)
    check_entity_expansion(many, "x.rdf", limit=7_000_000)


@pytest.mark.parametrize("as_file", [False, True])
def test_a_load_refuses_them_and_stores_nothing(tmp_path: Path, as_file: bool) -> None:
    """`spbe-arch load` and the validation upload parse through `Repository.load`: a
    JSON-LD 10,000 levels deep ended the process (SIGSEGV) before the check."""
    repository = open_repository("memory:")
    for name, data, fmt in (("dalam.jsonld", deep_jsonld(10_000), "jsonld"),
                            ("tawa.rdf", laughs(8), "rdfxml")):
        source: bytes | Path = data
        if as_file:
            source = tmp_path / name
            source.write_bytes(data)
        with pytest.raises(InputError) as caught:
            repository.load([LoadSource(source, fmt, None, name)])
        assert name in caught.value.message("en")
        assert repository.export(None, "nquads") == b""
