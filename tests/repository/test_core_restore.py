"""dump -> restore -> dump on the embedded store gives the same bytes, blank nodes included.

Administrators compare backups by checksum; the shapes graph alone holds hundreds of blank
nodes (SHACL lists), and a restore that relabels them changes every one of those lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

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
