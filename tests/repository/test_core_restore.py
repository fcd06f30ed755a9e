"""dump -> restore -> dump on the embedded store gives the same bytes, blank nodes included.

Administrators compare backups by checksum; the shapes graph alone holds hundreds of blank
nodes (SHACL lists), and a restore that relabels them changes every one of those lines.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from spbe_arch.errors import InputError
from spbe_arch.repository import LoadSource, Repository
from spbe_arch.repository.oxigraph import OxigraphRepository

DATA = b"""<urn:s> <urn:p> _:list <urn:g:1> .
_:list <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "satu" <urn:g:1> .
_:list <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:tail <urn:g:1> .
_:tail <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "dua\\nbaris" <urn:g:1> .
_:self <urn:p> _:self <urn:g:2> .
<urn:s> <urn:q> "teks"@id <urn:g:2> .
"""


@pytest.fixture(params=["memory", "oxigraph", "oxigraph-bulk"])
def embedded(request: pytest.FixtureRequest, tmp_path: Path) -> Repository:
    path = None if request.param == "memory" else tmp_path / "store"
    threshold = 0 if request.param == "oxigraph-bulk" else 4 * 1024 * 1024
    repository = OxigraphRepository(path, bulk_threshold_bytes=threshold)
    repository.load([LoadSource(DATA, "nquads", None, "data.nq")])
    return repository


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_dump_restore_dump_is_byte_identical(embedded: Repository, tmp_path: Path,
                                             fmt: str) -> None:
    first = tmp_path / f"first.{fmt}"
    embedded.dump(first, fmt)  # type: ignore[arg-type]
    embedded.load([LoadSource(b"<urn:x> <urn:y> _:z .\n", "ntriples", None, "extra")])
    assert embedded.restore(first, fmt) == 6
    second = tmp_path / f"second.{fmt}"
    embedded.dump(second, fmt)  # type: ignore[arg-type]
    assert second.read_bytes() == first.read_bytes()
    embedded.close()


def test_a_dump_with_a_literal_over_the_readers_limit_is_restored(embedded: Repository,
                                                                  tmp_path: Path) -> None:
    """The store takes literals of any length (an update, the audit record of a large one
    that holds its text), but Oxigraph's N-Quads reader stops at lines of 16 MB: such a
    dump was written without complaint and could never be restored."""
    assert isinstance(embedded, OxigraphRepository)
    text = 'baris\n"kutip" \\ ünï 𝔘\t\r' + "A" * (17 * 1024 * 1024)
    embedded.store.extend([
        ox.Quad(ox.BlankNode("lampiran"), ox.NamedNode("urn:isi"),
                ox.Literal(text, language="id"), ox.NamedNode("urn:g:1")),
        ox.Quad(ox.NamedNode("urn:doc"), ox.NamedNode("urn:isi"), ox.Literal(text),
                ox.NamedNode("urn:g:2"))])
    first = tmp_path / "first.nq"
    embedded.dump(first, "nquads")
    embedded.clear()
    assert embedded.restore(first, "nquads") == 8
    second = tmp_path / "second.nq"
    embedded.dump(second, "nquads")
    assert second.read_bytes() == first.read_bytes()
    embedded.close()


def test_a_syntax_error_after_a_long_line_keeps_its_line_number(embedded: Repository,
                                                                tmp_path: Path) -> None:
    dump = tmp_path / "rusak.nq"
    dump.write_bytes(b'<urn:a> <urn:b> "' + b"A" * (9 * 1024 * 1024) + b'" <urn:g> .\n'
                     b'<urn:a> <urn:b> "ok" <urn:g> .\n<urn:a> <urn:b\n')
    with pytest.raises(InputError) as raised:
        embedded.restore(dump, "nquads")
    assert raised.value.location is not None and raised.value.location.line == 3
    assert len(list(embedded.quads())) == 6  # as before
    embedded.close()
