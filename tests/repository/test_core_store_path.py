"""`--store oxigraph:~/spbe-data`: the shell does not expand `~` after `oxigraph:`."""

from __future__ import annotations

from pathlib import Path

import pytest

from spbe_arch.repository import LoadSource, open_repository


def test_a_tilde_means_the_home_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                       ) -> None:
    """It made a folder literally named `~` in the working directory, and the data was
    not where `ls ~/spbe-data` looked."""
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    with open_repository("oxigraph:~/spbe-data") as repository:
        repository.load([LoadSource(b"<urn:a> <urn:b> <urn:c> .\n", "ntriples", None)])
        assert repository.description == f"oxigraph:{home / 'spbe-data'}"
    assert (home / "spbe-data" / "CURRENT").exists()
    assert not (work / "~").exists()
    with open_repository("oxigraph:~/spbe-data", read_only=True) as reader:
        assert len(list(reader.quads())) == 1
