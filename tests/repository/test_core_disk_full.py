"""A full disk (or a store directory that became read-only) during a write.

RocksDB reports it as an `OSError` from the write and again from the flush when the store
is closed; the second one replaced the clear message of the first with a traceback.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef
from typer.testing import CliRunner

from spbe_arch.cli import app
from spbe_arch.errors import StoreUnavailableError
from spbe_arch.repository import LoadSource, open_repository
from spbe_arch.repository.oxigraph import OxigraphRepository

GRAPH = URIRef("urn:graph:g")
FULL = "IO error: No space left on device: While appending to file: 000021.log"


class FullDisk:
    """A store whose writes and flushes fail as on a full disk; reads pass through."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        if name in ("extend", "bulk_extend", "update", "flush", "backup", "clear"):
            def fail(*args: object, **kwargs: object) -> None:
                raise OSError(FULL)
            return fail
        return getattr(self._store, name)


def test_a_write_on_a_full_disk_raises_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with pytest.raises(StoreUnavailableError) as raised, OxigraphRepository(path) as repository:
        repository._store = FullDisk(repository.store)  # type: ignore[assignment]
        repository.load([LoadSource(b"<urn:a> <urn:b> <urn:c> .\n", "ntriples", None)])
    assert "nothing was changed" in raised.value.message("en")
    del raised  # its traceback holds the frames of the write, and so the store's lock
    gc.collect()
    with open_repository(f"oxigraph:{path}") as again:  # the lock was released
        assert again.graph_names() == []


def test_a_flush_that_fails_on_close_is_a_store_error(tmp_path: Path) -> None:
    repository = OxigraphRepository(tmp_path / "store")
    repository._store = FullDisk(repository.store)  # type: ignore[assignment]
    with pytest.raises(StoreUnavailableError) as raised:
        repository.close()
    assert "No space left on device" in raised.value.message("en")


def test_the_cli_says_it_in_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    opened = OxigraphRepository._open_read_write

    def full(self: OxigraphRepository, path: Path) -> Any:
        return FullDisk(opened(self, path))

    monkeypatch.setattr(OxigraphRepository, "_open_read_write", full)
    data = tmp_path / "opd.ttl"
    data.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["--store", f"oxigraph:{tmp_path / 'store'}", "load",
                                      str(data)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert "tidak dapat ditulisi" in lines[0] and "tidak ada yang diubah" in lines[0]


class FullAfterCheckpoint(FullDisk):
    """The checkpoint fits, the load does not (and neither does putting things back)."""

    def __getattr__(self, name: str) -> Any:
        if name == "backup":
            return self._store.backup
        return super().__getattr__(name)


def test_a_bulk_load_that_cannot_be_undone_yet_is_undone_on_the_next_open(
        tmp_path: Path) -> None:
    path = tmp_path / "store"
    with OxigraphRepository(path) as repository:
        repository.load([LoadSource(b'<urn:a> <urn:p> "lama" .\n', "ntriples", GRAPH)])
    orphan = path / "bulk-123456789.sst"
    bulk = OxigraphRepository(path, bulk_threshold_bytes=0)
    with pytest.raises(StoreUnavailableError) as raised, bulk as repository:
        repository._store = FullAfterCheckpoint(repository.store)  # type: ignore[assignment]
        orphan.write_bytes(b"x" * 1000)  # what the failed bulk loader leaves
        repository.load([LoadSource(b'<urn:a> <urn:p> "baru" .\n', "ntriples", GRAPH)],
                        replace=True)
    message = raised.value.message("id")
    assert "belum dapat dibatalkan" in message and "dibuka lagi untuk menulis" in message
    assert not orphan.exists()
    del raised
    gc.collect()
    with open_repository(f"oxigraph:{path}", read_only=True) as reader:  # the checkpoint
        assert {str(o) for _, _, o, _ in reader.quads(GRAPH)} == {"lama"}
    with open_repository(f"oxigraph:{path}") as writer:  # puts the graph back
        assert {str(o) for _, _, o, _ in writer.quads(GRAPH)} == {"lama"}
    assert not (path / "spbe-load").exists()
