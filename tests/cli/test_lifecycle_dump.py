"""Backups as an administrator checks them: dump, restore, dump again, compare checksums."""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import Invoke, restore_record_apart


@pytest.mark.parametrize("suffix", [".nq", ".trig"])
def test_a_restored_repository_dumps_to_the_same_bytes(cli: Invoke, store: str,
                                                       tmp_path: Path, suffix: str) -> None:
    """The shapes graph that `init` loads is full of blank nodes (SHACL lists); a restore
    gave each a new label, so no two backups of the same repository were alike."""
    assert cli("--store", store, "init").exit_code == 0
    first = tmp_path / f"cadangan{suffix}"
    assert cli("--store", store, "dump", str(first)).exit_code == 0
    assert b"_:" in first.read_bytes()
    restored = cli("--store", store, "restore", str(first), "--yes")
    assert restored.exit_code == 0, restored.output
    again = tmp_path / f"lagi{suffix}"
    assert cli("--store", store, "dump", str(again)).exit_code == 0
    # the same bytes, and the record of the restore (which every write gets)
    rest, labels = restore_record_apart(first, again)
    assert len(labels) == 1 and f"cadangan{suffix}" in labels[0]
    if suffix == ".nq":
        assert rest == first.read_bytes()


@pytest.mark.parametrize(("name", "options"), [
    ("cadangan.ttl", []),
    ("cadangan.bak", []),
    ("cadangan-2025-06-30", []),
    ("cadangan.nq", ["--format", "trig"]),
    ("cadangan.trig", ["--format", "nquads"]),
])
def test_a_dump_restore_could_not_read_is_refused(cli: Invoke, store: str, tmp_path: Path,
                                                 name: str, options: list[str]) -> None:
    """restore tells the format by the suffix: N-Quads written to cadangan.ttl or
    cadangan.bak, or TriG to cadangan.nq, was a backup that could not be restored."""
    assert cli("--store", store, "init").exit_code == 0
    target = tmp_path / name
    result = cli("--store", store, "dump", str(target), *options)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(f"{target}: ") and ".nq" in result.stderr
    assert not target.exists()
    english = cli("--lang", "en", "--store", store, "dump", str(target), *options)
    assert english.exit_code == 2 and "restore" in english.stderr


def test_a_dump_with_a_matching_format_option_is_written(cli: Invoke, store: str,
                                                        tmp_path: Path) -> None:
    assert cli("--store", store, "init").exit_code == 0
    result = cli("--store", store, "dump", str(tmp_path / "b.trig"), "--format", "trig")
    assert result.exit_code == 0, result.output
    restored = cli("--store", store, "restore", str(tmp_path / "b.trig"), "--yes")
    assert restored.exit_code == 0, restored.output


def test_a_dump_that_cannot_be_finished_keeps_the_previous_backup(
        cli: Invoke, store: str, tmp_path: Path) -> None:
    """A nightly `dump /cadangan/terakhir.nq` on a disk that fills up overwrote the last good
    backup with half of a new one. A file size limit makes the write fail the same way."""
    assert cli("--store", store, "init").exit_code == 0
    backup = tmp_path / "terakhir.nq"
    assert cli("--store", store, "dump", str(backup)).exit_code == 0
    good = backup.read_bytes()
    assert len(good) > 200_000

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    result = subprocess.run(
        [sys.executable, "-m", "spbe_arch", "--store", store, "dump", str(backup)],
        capture_output=True, text=True, preexec_fn=small_files, timeout=120, check=False)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"{backup}: tidak dapat menulis berkas ini")
    assert "Traceback" not in result.stderr
    assert backup.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("terakhir")] == [
        "terakhir.nq"]


@pytest.mark.parametrize("content", ["", "\n\n", "# cadangan\n",
                                     "@prefix ex: <urn:ex:> .\n"])
def test_restoring_a_dump_with_no_triple_is_refused(cli: Invoke, store: str, tmp_path: Path,
                                                   content: str) -> None:
    """A dump that failed and left an empty file emptied the whole repository when it was
    restored ("0 triples"), after the usual question that does not say so."""
    assert cli("--store", store, "init").exit_code == 0
    before = tmp_path / "sebelum.nq"
    assert cli("--store", store, "dump", str(before)).exit_code == 0
    empty = tmp_path / ("kosong.trig" if content.startswith("@") else "kosong.nq")
    empty.write_text(content, encoding="utf-8")
    result = cli("--store", store, "restore", str(empty), "--yes")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{empty}: cadangan ini tidak berisi satu tripel pun")
    after = tmp_path / "sesudah.nq"
    assert cli("--store", store, "dump", str(after)).exit_code == 0
    assert after.read_bytes() == before.read_bytes()
