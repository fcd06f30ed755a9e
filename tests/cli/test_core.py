"""The core commands, run in-process on memory: and temporary embedded stores."""

from __future__ import annotations

import csv
import io
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
import typer.main
from typer.testing import CliRunner

from spbe_arch import iris
from spbe_arch.cli import app
from spbe_arch.cli.core import RdfFormat
from spbe_arch.errors import SpbeError
from spbe_arch.repository import open_repository
from spbe_arch.repository.base import RDF_FORMATS

from .conftest import Invoke, SetEnv, restore_record_apart

GOOD = """@prefix spbe: <https://w3id.org/spbe-arch/ontology#> .
<https://w3id.org/spbe-arch/id/3574> spbe:kodeWilayah "3574" .
<https://w3id.org/spbe-arch/id/3574/opd/DISKOMINFO> a spbe:PerangkatDaerah ;
    spbe:kode "DISKOMINFO" ; spbe:nama "Dinas Komunikasi dan Informatika" ;
    spbe:instansi <https://w3id.org/spbe-arch/id/3574> .
<https://w3id.org/spbe-arch/id/3574/opd/BAPPEDA> a spbe:PerangkatDaerah ;
    spbe:kode "BAPPEDA" ; spbe:nama "Badan Perencanaan" ;
    spbe:instansi <https://w3id.org/spbe-arch/id/3574> .
"""
OPD = "https://w3id.org/spbe-arch/id/3574/opd/"
INSTANSI_GRAPH = str(iris.instansi_graph("3574"))


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


PROVENANCE = str(iris.provenance_graph())


def triples(store: str) -> int:
    """Triples of the data graphs (not the audit trail, which every load adds to)."""
    return sum(graph_sizes(store).values())


def graph_sizes(store: str) -> dict[str, int]:
    """Triples per data graph; opened and dropped here because an embedded store stays
    locked while any reference to it lives."""
    with open_repository(store) as repository:
        return {str(name): len(repository.graph(name)) for name in repository.graph_names()
                if str(name) != PROVENANCE}


def one_sentence(text: str) -> bool:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return len(lines) == 1 and "Traceback" not in text


@pytest.fixture
def loaded(cli: Invoke, store: str, tmp_path: Path) -> str:
    result = cli("--store", store, "load", write(tmp_path / "opd.ttl", GOOD))
    assert result.exit_code == 0, result.output
    return store


# --- help and errors ------------------------------------------------------------------------

def test_help_explains_every_command_in_both_languages(cli: Invoke) -> None:
    result = cli("--help")
    assert result.exit_code == 0
    for command in ("init", "load", "export", "query", "update", "stats", "dump", "restore",
                    "demo"):
        assert command in result.stdout
        sub = cli(command, "--help")
        assert sub.exit_code == 0, command
        text = " ".join(sub.stdout.split())
        assert "(" in text and ")" in text  # Indonesian first, English in parentheses
    assert "Muat berkas RDF" in cli("load", "--help").stdout


def test_help_paragraphs_flow_without_stray_line_breaks(cli: Invoke) -> None:
    # rendered at 80 columns, the line break of the source docstring after "dan" left
    # "pesan" on a line of its own
    text = CliRunner().invoke(app, ["load", "--help"], env={"COLUMNS": "80"}).stdout
    assert "tidak ada yang dimuat dan pesan menyebut" in " ".join(text.split())
    lines = [line.strip() for line in text.splitlines()]
    assert "pesan" not in lines and "malformed" not in lines
    root = typer.main.get_command(app)

    def helps(command: Any, path: str) -> Iterator[tuple[str, str]]:
        yield path, command.help or ""
        for name, sub in getattr(command, "commands", {}).items():
            yield from helps(sub, f"{path} {name}")

    for path, help_text in helps(root, "spbe-arch"):
        for paragraph in help_text.split("\n\n"):
            assert "\n" not in paragraph, path


def test_unknown_store_setting_is_one_sentence_and_exit_2(cli: Invoke) -> None:
    result = cli("--store", "mongo:localhost", "stats")
    assert result.exit_code == 2
    assert one_sentence(result.stderr)
    assert "mongo:localhost" in result.stderr and "oxigraph:PATH" in result.stderr
    english = cli("--lang", "en", "--store", "mongo:localhost", "stats")
    assert "unknown store setting" in english.stderr


def test_unreachable_endpoint_is_one_sentence_and_exit_2(cli: Invoke) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/sparql"
    for command in (["stats"], ["query", "ASK WHERE { ?s ?p ?o }"]):
        result = cli("--store", f"sparql:{url}", *command)
        assert result.exit_code == 2, result.output
        assert one_sentence(result.stderr) and url in result.stderr


def test_unknown_language_is_refused(cli: Invoke) -> None:
    result = cli("--lang", "fr", "stats")
    assert result.exit_code == 2 and "--lang" in result.output


def test_debug_lets_the_error_through(cli: Invoke) -> None:
    result = cli("--debug", "--store", "mongo:localhost", "stats")
    assert isinstance(result.exception, SpbeError)


def test_store_in_use_is_reported_plainly(cli: Invoke, store: str) -> None:
    holder = open_repository(store)  # e.g. a running `spbe-arch serve`
    try:
        result = cli("--store", store, "update", "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    finally:
        holder.close()
        del holder
    assert result.exit_code == 2
    assert one_sentence(result.stderr)
    assert "dipakai proses lain" in result.stderr


def test_wrong_setting_value_is_one_sentence(cli: Invoke, spbe_env: SetEnv) -> None:
    spbe_env(SPBE_QUERY_TIMEOUT_S="lama")
    result = cli("--store", "memory:", "query", "ASK WHERE { ?s ?p ?o }")
    assert result.exit_code == 2
    assert "SPBE_QUERY_TIMEOUT_S" in result.stderr and one_sentence(result.stderr)


# --- init / load ----------------------------------------------------------------------------

def test_init_loads_ontology_and_references_and_is_rerunnable(cli: Invoke, store: str) -> None:
    first = cli("--store", store, "init")
    assert first.exit_code == 0, first.output
    assert "graph/ontology" in first.stdout and "graph/reference/" in first.stdout
    count = triples(store)
    assert cli("--store", store, "init").exit_code == 0
    assert triples(store) == count > 1000
    # each a write on record, by the system user, naming the graphs it replaced
    changes = cli("--store", store, "query", "recent-changes", "--format", "json")
    assert changes.exit_code == 0, changes.output
    rows = json.loads(changes.stdout)["results"]["bindings"]
    loads = [r for r in rows if r["keterangan"]["value"].startswith("Muat data dasar")]
    assert len(loads) == 2
    assert all(r["nama_agen"]["value"].startswith("cli-") for r in loads)
    assert all("graph/ontology" in r["entitas"]["value"] for r in loads)


def test_load_goes_to_the_instansi_graph_by_default(cli: Invoke, loaded: str) -> None:
    assert graph_sizes(loaded) == {INSTANSI_GRAPH: 9}


def test_load_graph_option_and_replace(cli: Invoke, store: str, tmp_path: Path) -> None:
    path = write(tmp_path / "opd.ttl", GOOD)
    other = write(tmp_path / "one.nt", "<urn:a> <urn:b> <urn:c> .\n")
    assert cli("--store", store, "load", path, "--graph", "urn:g:1").exit_code == 0
    assert cli("--store", store, "load", other, "--graph", "urn:g:1").exit_code == 0
    assert graph_sizes(store) == {"urn:g:1": 10}
    replaced = cli("--store", store, "load", other, "--graph", "<urn:g:1>", "--replace")
    assert replaced.exit_code == 0 and "menggantikan" in replaced.stdout
    assert graph_sizes(store) == {"urn:g:1": 1}


def test_a_load_is_recorded_in_the_audit_trail(cli: Invoke, store: str, tmp_path: Path
                                               ) -> None:
    path = write(tmp_path / "opd.ttl", GOOD)
    assert cli("--store", store, "load", path, "--graph", "urn:g:1").exit_code == 0
    feed = cli("--store", store, "query", "recent-changes", "--format", "json")
    rows = json.loads(feed.stdout)["results"]["bindings"]
    assert len(rows) == 1
    assert rows[0]["keterangan"]["value"] == "Muat lewat CLI opd.ttl -> urn:g:1 (9 tripel)"
    assert rows[0]["nama_agen"]["value"].startswith("cli")
    assert rows[0]["entitas"]["value"] == "urn:g:1"
    # a failed load records nothing
    write(tmp_path / "bad.ttl", "<urn:s> <urn:p> .\n")
    assert cli("--store", store, "load", str(tmp_path / "bad.ttl")).exit_code == 2
    again = cli("--store", store, "query", "recent-changes", "--format", "json")
    assert len(json.loads(again.stdout)["results"]["bindings"]) == 1


def test_malformed_third_of_five_files_loads_nothing(cli: Invoke, loaded: str,
                                                     tmp_path: Path) -> None:
    before = triples(loaded)
    files = [write(tmp_path / f"f{i}.ttl", f"<urn:s{i}> <urn:p> <urn:o{i}> .\n")
             for i in range(5)]
    write(tmp_path / "f2.ttl", "<urn:s> <urn:p> <urn:o> .\n\n<urn:s> <urn:p> \"unterminated .\n")
    result = cli("--store", loaded, "load", *files)
    assert result.exit_code == 2
    assert one_sentence(result.stderr)
    assert "f2.ttl" in result.stderr and "baris 3" in result.stderr
    assert "kolom" in result.stderr
    assert triples(loaded) == before


def test_load_rejects_missing_file_bad_graph_and_unknown_suffix(cli: Invoke, store: str,
                                                                tmp_path: Path) -> None:
    missing = cli("--store", store, "load", str(tmp_path / "nope.ttl"))
    assert missing.exit_code == 2 and "nope.ttl" in missing.stderr
    folder = cli("--store", store, "load", str(tmp_path))
    assert folder.exit_code == 2 and "folder" in folder.stderr
    good = write(tmp_path / "g.ttl", GOOD)
    bad_graph = cli("--store", store, "load", good, "--graph", "not an iri")
    assert bad_graph.exit_code == 2 and "IRI" in bad_graph.stderr
    odd = write(tmp_path / "data.csv", "a,b\n")
    suffix = cli("--store", store, "load", odd)
    assert suffix.exit_code == 2 and ".csv" in suffix.stderr
    assert cli("--store", store, "load", odd, "--format", "ntriples").exit_code == 2


# --- export ---------------------------------------------------------------------------------

def test_export_formats(cli: Invoke, loaded: str, tmp_path: Path) -> None:
    assert {f.value for f in RdfFormat} == set(RDF_FORMATS)
    turtle = cli("--store", loaded, "export", "--graph", INSTANSI_GRAPH)
    assert turtle.exit_code == 0 and "DISKOMINFO" in turtle.stdout
    out = tmp_path / "all.nq"
    whole = cli("--store", loaded, "export", "--out", str(out))
    assert whole.exit_code == 0
    assert out.read_text().count(f"<{INSTANSI_GRAPH}> .\n") == 9
    jsonld = cli("--store", loaded, "export", "-g", INSTANSI_GRAPH, "-f", "jsonld")
    assert json.loads(jsonld.stdout)
    trig = cli("--store", loaded, "export").stdout  # whole repository: TriG by default
    quads = list(pyoxigraph.parse(trig.encode(), format=pyoxigraph.RdfFormat.TRIG))
    data = [q for q in quads if q.graph_name.value != PROVENANCE]
    assert {q.graph_name.value for q in data} == {INSTANSI_GRAPH} and len(data) == 9


def test_export_errors(cli: Invoke, loaded: str) -> None:
    whole_as_turtle = cli("--store", loaded, "export", "--format", "turtle")
    assert whole_as_turtle.exit_code == 2 and "--graph" in whole_as_turtle.stderr
    unknown = cli("--store", loaded, "export", "--graph", "urn:none")
    assert unknown.exit_code == 2 and "urn:none" in unknown.stderr


# --- query ----------------------------------------------------------------------------------

def test_query_list_shows_every_named_query(cli: Invoke) -> None:
    from spbe_arch.queries import list_queries

    result = cli("query", "--list")
    assert result.exit_code == 0
    for named in list_queries():
        assert named.name in result.stdout


def test_named_query_with_param_as_csv(cli: Invoke, loaded: str) -> None:
    result = cli("--store", loaded, "query", "opd-without-layanan", "--format", "csv")
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert sorted(r["kode_opd"] for r in table) == ["BAPPEDA", "DISKOMINFO"]
    filtered = cli("--store", loaded, "query", "opd-without-layanan", "-p", "kode_wilayah=0000",
                   "-f", "csv")
    assert filtered.stdout.strip() == "kode_wilayah,kode_opd,nama_opd,opd"


def test_query_formats(cli: Invoke, loaded: str) -> None:
    sparql = ("PREFIX spbe: <https://w3id.org/spbe-arch/ontology#> "
              "SELECT ?kode WHERE { ?o spbe:kode ?kode } ORDER BY ?kode")
    as_json = json.loads(cli("--store", loaded, "query", sparql, "-f", "json").stdout)
    assert [b["kode"]["value"] for b in as_json["results"]["bindings"]] == [
        "BAPPEDA", "DISKOMINFO"]
    tsv = cli("--store", loaded, "query", sparql, "-f", "tsv").stdout.splitlines()
    assert tsv == ["?kode", '"BAPPEDA"', '"DISKOMINFO"']
    table = cli("--store", loaded, "query", sparql)
    assert table.exit_code == 0 and "BAPPEDA" in table.stdout and "2 baris" in table.stderr
    ask = cli("--store", loaded, "query", "ASK WHERE { ?s ?p ?o }")
    assert ask.stdout.strip() == "true"
    construct = cli("--store", loaded, "query",
                    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?o = \"BAPPEDA\") }")
    assert construct.exit_code == 0 and "spbe:kode" in construct.stdout
    no_csv = cli("--store", loaded, "query", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                 "-f", "csv")
    assert no_csv.exit_code == 2


def test_query_from_file_with_and_without_header(cli: Invoke, loaded: str,
                                                 tmp_path: Path) -> None:
    plain = write(tmp_path / "q.rq", "PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>\n"
                  "SELECT ?nama WHERE { ?o spbe:kode ?kode ; spbe:nama ?nama }")
    result = cli("--store", loaded, "query", plain, "-p", "kode=BAPPEDA", "-f", "csv")
    assert result.stdout.splitlines() == ["nama", "Badan Perencanaan"]
    typed = write(tmp_path / "typed.rq",
                  "#+ param: o | iri | required | OPD | OPD\n"
                  "PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>\n"
                  "SELECT ?kode WHERE { ?o spbe:kode ?kode }")
    by_iri = cli("--store", loaded, "query", typed, "-p", f"o={OPD}DISKOMINFO", "-f", "csv")
    assert by_iri.stdout.splitlines() == ["kode", "DISKOMINFO"]
    missing = cli("--store", loaded, "query", typed)
    assert missing.exit_code == 2 and "o=" in missing.stderr
    absent = cli("--store", loaded, "query", str(tmp_path / "absent.rq"))
    assert absent.exit_code == 2 and "absent.rq" in absent.stderr


def test_query_errors_are_plain(cli: Invoke, loaded: str) -> None:
    unknown = cli("--store", loaded, "query", "proses-tanpa-sop")
    assert unknown.exit_code == 2 and "query --list" in unknown.stderr
    assert one_sentence(unknown.stderr)
    missing = cli("--store", loaded, "query", "sop-steps")
    assert missing.exit_code == 2 and "kode_sop" in missing.stderr
    unknown_param = cli("--store", loaded, "query", "sop-steps", "-p", "kode_sop=A", "-p",
                        "warna=merah")
    assert unknown_param.exit_code == 2 and "warna" in unknown_param.stderr
    malformed = cli("--store", loaded, "query", "sop-steps", "-p", "kode_sop")
    assert malformed.exit_code == 2 and "NAMA=NILAI" in malformed.stderr
    bad_int = cli("--store", loaded, "query", "rab-coverage-per-sector", "-p", "level=satu")
    assert bad_int.exit_code == 2 and "level" in bad_int.stderr
    syntax = cli("--store", loaded, "query", "SELECT * WHERE { ?s ?p }")
    assert syntax.exit_code == 2 and one_sentence(syntax.stderr)
    nothing = cli("--store", loaded, "query")
    assert nothing.exit_code == 2
    long_text = "SELECT ?s WHERE { ?s ?p \"" + "a" * 300 + "\" }"
    assert cli("--store", loaded, "query", long_text, "-f", "csv").stdout.strip() == "s"
    long_update = cli("--store", loaded, "update", "DELETE DATA { <urn:x> <urn:y> \""
                      + "a" * 300 + "\" }")
    assert long_update.exit_code == 0, long_update.output


# --- update / stats -------------------------------------------------------------------------

def test_update_is_applied_and_audited(cli: Invoke, loaded: str, tmp_path: Path) -> None:
    text = (f"PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>\n"
            f"INSERT DATA {{ GRAPH <{INSTANSI_GRAPH}> {{ <{OPD}BAPPEDA> spbe:singkatan"
            f" \"Bappeda\" }} }}")
    result = cli("--store", loaded, "update", write(tmp_path / "u.ru", text))
    assert result.exit_code == 0, result.output
    history = cli("--store", loaded, "query", "history", "-p", f"entity={OPD}BAPPEDA",
                  "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(history.stdout)))
    assert len(rows) == 1 and rows[0]["keterangan"] == "SPARQL Update (CLI)"
    assert rows[0]["agen"].startswith("cli")


def test_failed_update_changes_nothing(cli: Invoke, loaded: str) -> None:
    before = triples(loaded)
    result = cli("--store", loaded, "update", "INSERT DATA { <urn:a> <urn:b> }")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("baris 1, kolom 31: kesalahan sintaks SPARQL Update")
    assert triples(loaded) == before


def test_stats(cli: Invoke, loaded: str) -> None:
    data = json.loads(cli("--store", loaded, "stats", "--format", "json").stdout)
    assert data["triples_per_graph"][INSTANSI_GRAPH] == 9
    assert set(data["triples_per_graph"]) == {INSTANSI_GRAPH, PROVENANCE}
    assert data["entities_per_class"]["https://w3id.org/spbe-arch/ontology#PerangkatDaerah"] == 2
    table = cli("--store", loaded, "stats")
    assert table.exit_code == 0 and "spbe:PerangkatDaerah" in table.stdout


# --- dump / restore -------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".nq", ".trig"])
def test_dump_and_restore_round_trip(cli: Invoke, loaded: str, tmp_path: Path,
                                     suffix: str) -> None:
    first = tmp_path / f"dump{suffix}"
    assert cli("--store", loaded, "dump", str(first)).exit_code == 0
    assert cli("--store", loaded, "update", "INSERT DATA { <urn:x> <urn:y> <urn:z> }"
               ).exit_code == 0
    restored = cli("--store", loaded, "restore", str(first), "--yes")
    assert restored.exit_code == 0, restored.output
    again = tmp_path / f"again{suffix}"
    assert cli("--store", loaded, "dump", str(again)).exit_code == 0
    rest, labels = restore_record_apart(first, again)
    assert len(labels) == 1  # the restore is recorded: who, when, from which file
    if suffix == ".nq":
        assert rest == first.read_bytes()
    assert triples(loaded) == 9


def test_restore_asks_and_refuses_bad_files(cli: Invoke, loaded: str, tmp_path: Path) -> None:
    dump = tmp_path / "d.nq"
    assert cli("--store", loaded, "dump", str(dump)).exit_code == 0
    declined = cli("--store", loaded, "restore", str(dump), input="n\n")
    assert declined.exit_code == 1 and "Dibatalkan; repositori tidak diubah" in declined.stderr
    unanswered = cli("--store", loaded, "restore", str(dump), input="")  # e.g. run from cron
    assert unanswered.exit_code == 1 and "Dibatalkan" in unanswered.stderr
    assert "Aborted" not in unanswered.output
    broken = write(tmp_path / "broken.nq", "<urn:a> <urn:b> <urn:c> <urn:g> .\n<urn:a> <urn:b\n")
    result = cli("--store", loaded, "restore", broken, "--yes")
    assert result.exit_code == 2 and "broken.nq" in result.stderr
    not_a_dump = cli("--store", loaded, "restore", write(tmp_path / "x.ttl", GOOD), "--yes")
    assert not_a_dump.exit_code == 2
    assert triples(loaded) == 9
