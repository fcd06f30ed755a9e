"""`spbe-arch query` with a mistake in the query: the message points into the user's text."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Invoke, SetEnv

# the helper that starts an Oxigraph server lives with the repository tests
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "repository"))

BROKEN = "PREFIX ex: <urn:ex:>\nSELECT ?s WHERE {\n  ?s ex:p ?o .\n  ?s \"p\" ?o .\n}\n"


@pytest.fixture(scope="module")
def sparql_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    from sparql_servers import ServerStartError, start_oxigraph

    try:
        server = start_oxigraph(tmp_path_factory.mktemp("oxigraph-server"))
    except ServerStartError as exc:
        pytest.fail(f"the Oxigraph server could not be started: {exc}")
    yield server.settings_env()
    server.stop()


def test_a_query_file_with_a_syntax_error_names_file_line_and_column(
        cli: Invoke, store: str, tmp_path: Path) -> None:
    assert cli("--store", store, "init").exit_code == 0
    file = tmp_path / "opd.rq"
    file.write_text(BROKEN, encoding="utf-8")
    result = cli("--store", store, "query", str(file))
    assert result.exit_code == 2
    assert re.match(rf"{re.escape(str(file))}, baris 4, kolom \d+: kesalahan sintaks SPARQL: ",
                    result.stderr), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    english = cli("--lang", "en", "--store", store, "query", str(file))
    assert re.match(rf"{re.escape(str(file))}, line 4, column \d+: SPARQL syntax error: ",
                    english.stderr), english.stderr


def test_the_position_is_in_the_users_text_when_parameters_are_bound(
        cli: Invoke, store: str) -> None:
    """A parameter is bound by a VALUES block added to the query; the column must still
    be the one the user wrote."""
    assert cli("--store", store, "init").exit_code == 0
    text = "SELECT ?s WHERE { ?s <urn:p> ?x . ?s ?? }"
    result = cli("--store", store, "query", text, "-p", "x=nilai")
    assert result.exit_code == 2
    located = re.match(r"baris 1, kolom (\d+): kesalahan sintaks SPARQL: ", result.stderr)
    assert located, result.stderr
    assert int(located.group(1)) <= len(text) + 1


@pytest.mark.remote
def test_a_sparql_store_reports_the_same_position(cli: Invoke, tmp_path: Path,
                                                   sparql_store: dict[str, str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The server answers only "HTTP 400"; the user still learns where the mistake is."""
    for name, value in sparql_store.items():
        monkeypatch.setenv(name, value)
    file = tmp_path / "opd.rq"
    file.write_text(BROKEN, encoding="utf-8")
    result = cli("query", str(file))
    assert result.exit_code == 2, result.output
    assert re.match(rf"{re.escape(str(file))}, baris 4, kolom \d+: kesalahan sintaks SPARQL: ",
                    result.stderr), result.stderr


def test_a_query_past_the_time_limit_is_one_sentence(cli: Invoke, store: str,
                                                     tmp_path: Path, spbe_env: SetEnv) -> None:
    """It ended in a Python traceback (`TimeoutError`) and exit code 1."""
    rows = "".join(f'<urn:s{i}> <urn:p> "{i}" .\n' for i in range(3000))
    data = tmp_path / "banyak.nt"
    data.write_text(rows, encoding="utf-8")
    assert cli("--store", store, "load", str(data)).exit_code == 0
    spbe_env(SPBE_QUERY_TIMEOUT_S="0.000001")
    result = cli("--store", store, "query", "SELECT ?s ?o WHERE { ?s <urn:p> ?o }")
    english = cli("--lang", "en", "--store", store, "query",
                  "SELECT ?s ?o WHERE { ?s <urn:p> ?o }")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("kueri melewati batas waktu 1e-06 detik")
    assert len(result.stderr.strip().splitlines()) == 1
    assert english.stderr.startswith("the query ran past the time limit")


def test_query_and_update_files_saved_by_notepad_run(cli: Invoke, store: str,
                                                     tmp_path: Path) -> None:
    """A byte order mark and CRLF line ends: "syntax error at 1:10: expected CONSTRUCT"."""
    update = tmp_path / "tambah.ru"
    update.write_bytes(b'\xef\xbb\xbfINSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> "c" } }\r\n')
    result = cli("--store", store, "update", str(update))
    assert result.exit_code == 0, result.output
    query = tmp_path / "lihat.rq"
    query.write_bytes(b"\xef\xbb\xbfSELECT ?o\r\nWHERE { <urn:a> <urn:b> ?o }\r\n")
    result = cli("--store", store, "query", str(query), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["o", "c"]


def test_a_query_file_not_in_utf_8_says_where_and_what_to_do(cli: Invoke, store: str,
                                                             tmp_path: Path) -> None:
    """It printed Python's "'utf-8' codec can't decode byte 0xe9 in position 40"."""
    query = tmp_path / "opd.rq"
    query.write_bytes('SELECT ?s\nWHERE { ?s ?p "Dinas Pendidikan dan Kebudayaan é" }\n'
                      .encode("latin-1"))
    result = cli("--store", store, "query", str(query))
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"{query}, baris 2, kolom 48: berkas tidak tersimpan"
                                     " sebagai UTF-8 (mis. Latin-1/ANSI); simpan ulang dengan"
                                     " pengodean UTF-8")
