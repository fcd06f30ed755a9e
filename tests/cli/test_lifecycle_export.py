"""`spbe-arch export` of one graph and loading the file back, in every format."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from spbe_arch.repository import open_repository
from spbe_arch.repository.base import RDF_FORMATS

from .conftest import Invoke

GRAPH = "https://w3id.org/spbe-arch/graph/instansi/3574"
ODD = (
    '@prefix ex: <urn:ex:> .\n'
    'ex:a ex:p """baris satu\nbaris dua\r\nbaris tiga"""@id ;\n'
    '  ex:q "tab\\there \\"kutip\\""@en-US ;\n'
    '  ex:r "42"^^<http://www.w3.org/2001/XMLSchema#integer> ;\n'
    '  ex:s [ ex:t "kosong" ; ex:u [ ex:v "dalam" ] ] ;\n'
    '  ex:x "ünïcödé 𝔘 日本" ;\n'
    f'  ex:y "{"panjang " * 20000}" .\n'
    '_:b1 ex:self _:b1 .\n'
)


def graph_of(store: str, name: str) -> Graph:
    with open_repository(store, read_only=True) as repository:
        return repository.graph(URIRef(name))


@pytest.fixture
def odd(cli: Invoke, store: str, tmp_path: Path) -> str:
    file = tmp_path / "odd.ttl"
    file.write_text(ODD, encoding="utf-8")
    result = cli("--store", store, "load", str(file))
    assert result.exit_code == 0, result.output
    return store


@pytest.mark.parametrize("fmt", list(RDF_FORMATS))
def test_one_graph_exported_and_loaded_back_is_the_same_graph(cli: Invoke, odd: str,
                                                              tmp_path: Path,
                                                              fmt: str) -> None:
    """In TriG and N-Quads the export names its graph, so the file loads back into it
    (it wrote the triples outside any graph, and they were loaded into the store's
    unnamed default graph)."""
    original = graph_of(odd, GRAPH)
    assert len(original) == 10
    out = tmp_path / f"export.{fmt}"
    exported = cli("--store", odd, "export", "--graph", GRAPH, "--format", fmt,
                   "--out", str(out))
    assert exported.exit_code == 0, exported.output
    assert cli("--store", odd, "update", f"DROP GRAPH <{GRAPH}>").exit_code == 0
    loaded = cli("--store", odd, "load", "--graph", "urn:graph:lain", "--format", fmt, str(out))
    assert loaded.exit_code == 0, loaded.output
    back = GRAPH if fmt in ("trig", "nquads") else "urn:graph:lain"
    assert isomorphic(graph_of(odd, back), original)
    if fmt in ("trig", "nquads"):
        assert f"<{GRAPH}>".encode() in out.read_bytes()


@pytest.mark.parametrize("predicate", ["https://contoh.go.id/123", "https://contoh.go.id/p/",
                                       "urn:isbn:0-395"])
def test_rdfxml_refuses_a_predicate_it_cannot_write(cli: Invoke, store: str, tmp_path: Path,
                                                    predicate: str) -> None:
    """Oxigraph wrote `<oxprefix:>` for it: a file that no XML reader (nor spbe-arch load)
    accepts, with exit code 0."""
    file = tmp_path / "data.nt"
    file.write_text(f'<urn:a> <{predicate}> "v" .\n<urn:a> <urn:ex:baik> "w" .\n',
                    encoding="utf-8")
    assert cli("--store", store, "load", "--graph", GRAPH, str(file)).exit_code == 0
    out = tmp_path / "data.rdf"
    result = cli("--store", store, "export", "--graph", GRAPH, "--out", str(out))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"opsi --format: predikat <{predicate}> tidak dapat")
    assert not out.exists()
