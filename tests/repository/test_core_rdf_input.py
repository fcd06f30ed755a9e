"""RDF files as they come from Windows editors and other tools, on every backend."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.term import URIRef

from spbe_arch.errors import InputError
from spbe_arch.repository import LoadSource, Repository

GRAPH = URIRef("https://w3id.org/spbe-arch/graph/instansi/3574")
BOM = b"\xef\xbb\xbf"
TURTLE = b'@prefix ex: <urn:ex:> .\r\nex:a ex:p "satu" .\r\n'
DOCUMENTS = {
    "turtle": TURTLE,
    "trig": b'<urn:ex:a> <urn:ex:p> "satu" .\n',
    "ntriples": b'<urn:ex:a> <urn:ex:p> "satu" .\n',
    "nquads": b'<urn:ex:a> <urn:ex:p> "satu" .\n',
}


@pytest.mark.parametrize("fmt", list(DOCUMENTS))
@pytest.mark.parametrize("as_file", [True, False], ids=["file", "bytes"])
def test_a_byte_order_mark_is_not_part_of_the_document(repository: Repository,
                                                       tmp_path: Path, fmt: str,
                                                       as_file: bool) -> None:
    """Notepad saves "UTF-8" with a BOM; Oxigraph refused line 1 of such a Turtle file."""
    data = BOM + DOCUMENTS[fmt]
    source: bytes | Path = data
    if as_file:
        source = tmp_path / f"data.{fmt}"
        source.write_bytes(data)
    assert repository.load([LoadSource(source, fmt, GRAPH, f"data.{fmt}")]) == 1


def error(repository: Repository, data: bytes, fmt: str = "turtle") -> InputError:
    with pytest.raises(InputError) as raised:
        repository.load([LoadSource(data, fmt, GRAPH, "opd.ttl")])
    return raised.value


def test_the_position_is_said_once(repository: Repository) -> None:
    message = error(repository, b'<urn:a> <urn:b> "c" .\n<urn:a> <urn:b> "unterminated .\n'
                    ).message("en")
    assert message.startswith("opd.ttl, line 2, column 17: RDF syntax error: ")
    assert "Parser error" not in message and "(opd.ttl, line" not in message


def test_latin_1_bytes_say_to_save_as_utf_8(repository: Repository) -> None:
    raised = error(repository, '<urn:a> <urn:b> "café" .\n'.encode("latin-1"))
    assert "simpan ulang dengan pengodean UTF-8" in raised.message("id")
    assert "save it again with UTF-8" in raised.message("en")


def test_a_relative_iri_says_to_write_it_in_full_or_add_a_base(repository: Repository) -> None:
    raised = error(repository, b'<opd/DISKOMINFO> <urn:p> "x" .\n')
    assert "IRI relatif tanpa @base" in raised.message("id")


def test_json_ld_in_a_ttl_file_is_recognised(repository: Repository) -> None:
    raised = error(repository, b'{"@id": "urn:a", "urn:p": "v"}')
    assert raised.message("id").endswith("isi berkas tampaknya JSON-LD: beri akhiran .jsonld")
    assert raised.message("en").endswith("the file looks like JSON-LD: give it the suffix .jsonld")


def test_an_item_over_the_readers_limit_is_an_input_error(repository: Repository,
                                                          tmp_path: Path) -> None:
    """A 17 MB literal (a document pasted into a description): Oxigraph's parsers stop at
    16 MB with a MemoryError, which ended `spbe-arch load` in a traceback."""
    file = tmp_path / "lampiran.ttl"
    file.write_bytes(b'<urn:doc> <urn:isi> "' + b"A" * (17 * 1024 * 1024) + b'" .\n')
    with pytest.raises(InputError) as raised:
        repository.load([LoadSource(file, "turtle", GRAPH, "lampiran.ttl")])
    assert raised.value.message("en").startswith("lampiran.ttl: one item of this file")
    assert "16 MB" in raised.value.message("id")
    assert repository.graph_names() == []


def test_a_remote_json_ld_context_says_to_copy_it_in(repository: Repository) -> None:
    """Files made with schema.org and similar name their context by URL; nothing is
    fetched while loading, and the engine's own words did not say what to do."""
    raised = error(repository, b'{"@context": "https://schema.org/", "@id": "urn:a",'
                               b' "name": "x"}', "jsonld")
    assert raised.message("id").endswith("salin isi konteks itu ke dalam berkas")
    assert raised.message("en").endswith("copy that context into the file")
