"""Backups as an administrator checks them: dump, restore, dump again, compare checksums."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Invoke


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
    assert again.read_bytes() == first.read_bytes()
