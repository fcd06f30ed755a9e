"""Where the repository is opened for writing (the CLI, the server), the audit trail's old
records get their index once (`audit.ensure_index`); a read-only open writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rdflib import RDF
from rdflib.term import Literal, URIRef
from typer.testing import CliRunner

from spbe_arch import audit, iris
from spbe_arch.cli import app as cli_app
from spbe_arch.repository import ChangeSet, Repository, open_repository
from spbe_arch.settings import Settings
from spbe_arch.vocab import SPBE

GRAPH = iris.instansi_graph("9999")
PROVENANCE = iris.provenance_graph()
OPD = URIRef("https://w3id.org/spbe-arch/id/9999/opd/UJI")
RECORDS = 6


def _old_trail(repository: Repository) -> None:
    """Records as a version before the index wrote them: no `spbe:menyebut`, no mark."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    quads = []
    for i in range(RECORDS):
        entity = URIRef(f"https://w3id.org/spbe-arch/id/9999/data/D{i}")
        change = ChangeSet(add=[(entity, RDF.type, SPBE.DataInformasi, GRAPH),
                                (entity, SPBE.pemilik, OPD, GRAPH),
                                (entity, SPBE.nama, Literal(f"data {i}"), GRAPH)])
        quads += [q for q in audit.audit_quads(change, "lama", [entity], f"lama {i}",
                                               when=start + timedelta(minutes=i))
                  if q[1] != SPBE.menyebut]
    repository.apply(ChangeSet(add=quads))


def _unindexed(repository: Repository) -> bool:
    return repository.query(audit._sparql("history_unindexed")) is True


@pytest.fixture
def old_store(tmp_path: Path) -> str:
    store = f"oxigraph:{tmp_path / 'store'}"
    with open_repository(store) as repository:
        _old_trail(repository)
    return store


def _dump(store: str) -> bytes:
    with open_repository(store, read_only=True) as repository:
        return repository.export(None, "nquads")


def _state(store: str) -> tuple[bool, bool, int]:
    with open_repository(store, read_only=True) as repository:
        history = audit.entity_history(repository, str(OPD))
        return audit.index_complete(repository), _unindexed(repository), history.total


def test_a_cli_command_that_writes_indexes_the_trail(old_store: str, tmp_path: Path) -> None:
    assert _state(old_store) == (False, True, RECORDS)
    data = tmp_path / "x.ttl"
    data.write_text(f"<{OPD}> <{SPBE.nama}> \"Uji\" .\n", encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["--store", old_store, "load", "--graph", str(GRAPH),
                                          str(data)])
    assert result.exit_code == 0, result.output
    # the old records and the load's own record, all by the index now
    assert _state(old_store) == (True, False, RECORDS)


@pytest.mark.parametrize("command", [["stats"], ["query", "recent-changes"],
                                     ["dump", "{tmp}/cadangan.nq"]])
def test_a_cli_command_that_only_reads_writes_nothing(old_store: str, tmp_path: Path,
                                                      command: list[str]) -> None:
    before = _dump(old_store)
    args = [part.replace("{tmp}", str(tmp_path)) for part in command]
    result = CliRunner().invoke(cli_app, ["--store", old_store, *args])
    assert result.exit_code == 0, result.output
    assert _dump(old_store) == before
    assert _state(old_store) == (False, True, RECORDS)


def test_the_server_indexes_a_writable_store() -> None:
    from spbe_arch.api.app import create_app

    repository = open_repository("memory:")
    _old_trail(repository)
    app = create_app(Settings(store="memory:"), repository)
    served = app.state.repository
    assert audit.index_complete(served) and not _unindexed(served)
    assert audit.entity_history(served, str(OPD)).total == RECORDS


def test_the_server_on_a_fresh_store_writes_the_mark_alone() -> None:
    from spbe_arch.api.app import create_app

    repository = open_repository("memory:")
    create_app(Settings(store="memory:"), repository)
    assert list(repository.quads()) == [audit.index_mark()]


def test_the_server_over_a_read_only_store_writes_nothing(
        old_store: str, caplog: pytest.LogCaptureFixture) -> None:
    from spbe_arch.api.app import create_app

    before = _dump(old_store)
    with open_repository(old_store, read_only=True) as repository, \
            caplog.at_level("WARNING", logger="spbe_arch.audit"):
        app = create_app(Settings(store=old_store), repository)
        # the history of the old records by their text, as before
        assert audit.entity_history(app.state.repository, str(OPD)).total == RECORDS
        app.state.shutdown()
    assert caplog.text == ""  # not even a failed write: none was tried
    assert _dump(old_store) == before


def test_a_restore_of_an_older_dump_is_indexed_at_once(old_store: str, tmp_path: Path) -> None:
    """The CLI indexed the store it opened, then the restore brought back records without
    the index (and no mark): the history searched their text until the next command."""
    dump = tmp_path / "lama.nq"
    dump.write_bytes(_dump(old_store))
    result = CliRunner().invoke(cli_app, ["--store", old_store, "restore", str(dump), "--yes"])
    assert result.exit_code == 0, result.output
    assert _state(old_store) == (True, False, RECORDS)
