"""`spbe-arch update` as an architect writes it: files ending in `;` or a comment, syntax
errors that must point into the user's own text, and the audit trail it may not rewrite."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from spbe_arch import iris
from spbe_arch.repository import open_repository

from .conftest import Invoke

PROVENANCE = str(iris.provenance_graph())
GRAPH = str(iris.instansi_graph("3574"))


def dump(store: str) -> bytes:
    with open_repository(store, read_only=True) as repository:
        return repository.export(None, "nquads")


def values(store: str, subject: str) -> set[str]:
    with open_repository(store, read_only=True) as repository:
        result = repository.select(f"SELECT ?o WHERE {{ <{subject}> <urn:p> ?o }}")
        return {str(row["o"]) for row in result}


@pytest.fixture
def ready(cli: Invoke, store: str) -> str:
    result = cli("--store", store, "update",
                 f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <urn:s> <urn:p> "awal" }} }}')
    assert result.exit_code == 0, result.output
    return store


@pytest.mark.parametrize("ending", [" ;", " ;\n", " # tambah nama singkat", "\n# akhir\n",
                                    " ; # selesai"])
def test_an_update_ending_in_a_semicolon_or_a_comment_is_applied(cli: Invoke, ready: str,
                                                                 tmp_path: Path,
                                                                 ending: str) -> None:
    """Both are valid SPARQL; the audit record used to be glued on after them, so the
    request became a syntax error that pointed at text the user never wrote."""
    text = f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <urn:s> <urn:p> "baru" }} }}{ending}'
    file = tmp_path / "perbaikan.ru"
    file.write_text(text, encoding="utf-8")
    result = cli("--store", ready, "update", str(file))
    assert result.exit_code == 0, result.output
    assert values(ready, "urn:s") == {"awal", "baru"}


def test_a_syntax_error_names_the_file_line_and_column_of_the_users_text(
        cli: Invoke, ready: str, tmp_path: Path) -> None:
    file = tmp_path / "perbaikan.ru"
    file.write_text('PREFIX ex: <urn:ex:>\nINSERT DATA {\n  <urn:s> <urn:p> "x" .\n'
                    '  <urn:s> "p" "y" .\n}\n', encoding="utf-8")
    before = dump(ready)
    result = cli("--store", ready, "update", str(file))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{file}, baris 4, kolom 11: kesalahan sintaks SPARQL Update")
    english = cli("--lang", "en", "--store", ready, "update", str(file))
    assert english.stderr.startswith(f"{file}, line 4, column 11: SPARQL Update syntax error")
    assert dump(ready) == before


def test_a_syntax_error_of_update_text_is_one_readable_line(cli: Invoke, ready: str) -> None:
    """Oxigraph lists the characters it expected as Rust ranges over several lines."""
    result = cli("--store", ready, "update", 'INSERT DATA { <urn:a> <urn:b> "x" ')
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("baris 1, kolom ")
    assert "\\u{" not in result.stderr and "..=" not in result.stderr


@pytest.mark.parametrize("update", [
    f"DROP GRAPH <{PROVENANCE}>",
    f"CLEAR GRAPH <{PROVENANCE}>",
    f'INSERT DATA {{ GRAPH <{PROVENANCE}> {{ <urn:palsu> <urn:p> "catatan palsu" }} }}',
    "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
    "DELETE { GRAPH ?g { ?a ?p ?o } } WHERE { GRAPH ?g { ?a a prov:Activity ; ?p ?o } }",
])
def test_an_update_that_rewrites_the_audit_trail_is_refused(cli: Invoke, ready: str,
                                                            update: str) -> None:
    """As through the SPARQL endpoint: the audit trail is written by records only."""
    before = dump(ready)
    result = cli("--store", ready, "update", update)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "jejak audit" in result.stderr
    english = cli("--lang", "en", "--store", ready, "update", update)
    assert english.exit_code == 2 and "audit trail" in english.stderr
    assert dump(ready) == before


def test_drop_all_empties_the_audit_trail_with_everything_and_records_itself(
        cli: Invoke, ready: str) -> None:
    result = cli("--store", ready, "update", "DROP ALL")
    assert result.exit_code == 0, result.output
    with open_repository(ready, read_only=True) as repository:
        assert [str(g) for g in repository.graph_names()] == [PROVENANCE]
        labels = repository.select(
            "SELECT ?l WHERE { ?a a <http://www.w3.org/ns/prov#Activity> ;"
            " <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    assert [str(row["l"]) for row in labels] == ["SPARQL Update (CLI)"]


def test_the_record_lists_the_triples_the_update_changed(cli: Invoke, ready: str) -> None:
    """As the SPARQL endpoint does: what was added and removed, not only the text."""
    result = cli("--store", ready, "update",
                 f'DELETE {{ GRAPH <{GRAPH}> {{ <urn:s> <urn:p> ?o }} }}'
                 f' INSERT {{ GRAPH <{GRAPH}> {{ <urn:s> <urn:p> "ganti" }} }}'
                 f' WHERE {{ GRAPH <{GRAPH}> {{ <urn:s> <urn:p> ?o }} }}')
    assert result.exit_code == 0, result.output
    activity = result.stdout.strip().rstrip(".").split()[-1]
    with open_repository(ready, read_only=True) as repository:
        record = repository.select(
            "SELECT ?added ?removed ?used WHERE { ?a"
            " <https://w3id.org/spbe-arch/ontology#tripelDitambah> ?added ;"
            " <https://w3id.org/spbe-arch/ontology#tripelDihapus> ?removed ;"
            " <http://www.w3.org/ns/prov#used> ?used }",
            {"a": URIRef(activity)})
    assert len(record) == 1
    assert str(record.rows[0]["added"]) == f'<urn:s> <urn:p> "ganti" <{GRAPH}> .'
    assert str(record.rows[0]["removed"]) == f'<urn:s> <urn:p> "awal" <{GRAPH}> .'
    assert str(record.rows[0]["used"]) == "urn:s"


@pytest.mark.parametrize("text", ["   ", "# hanya komentar", "PREFIX ex: <urn:ex:>\n"])
def test_an_empty_update_is_refused_plainly(cli: Invoke, ready: str, text: str) -> None:
    """It was "syntax error at 3:6: expected VERSION", in the audit record appended to it."""
    before = dump(ready)
    result = cli("--store", ready, "update", text)
    assert result.exit_code == 2
    assert result.stderr.strip() == ("teks update kosong: tidak ada operasi di dalamnya;"
                                     " tidak ada yang diubah")
    assert dump(ready) == before


def test_a_load_that_cannot_fetch_its_document_does_not_blame_the_store(
        cli: Invoke, ready: str) -> None:
    """It said "cannot write to the store", sending the user to check a healthy disk."""
    before = dump(ready)
    result = cli("--store", ready, "update", "LOAD <http://127.0.0.1:9/tidak-ada.ttl>")
    assert result.exit_code == 2
    assert result.stderr.startswith("LOAD gagal, tidak ada yang diubah: ")
    assert "tidak dapat ditulisi" not in result.stderr
    assert dump(ready) == before
