"""`spbe-arch load` of files that would write the audit trail, and other odd loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from spbe_arch import iris
from spbe_arch.repository import open_repository

from .conftest import Invoke, SetEnv

PROVENANCE = str(iris.provenance_graph())


def dump(store: str) -> bytes:
    with open_repository(store, read_only=True) as repository:
        return repository.export(None, "nquads")


@pytest.fixture
def ready(cli: Invoke, store: str, tmp_path: Path) -> str:
    file = tmp_path / "awal.ttl"
    file.write_text('<urn:s> <urn:p> "awal" .\n', encoding="utf-8")
    assert cli("--store", store, "load", str(file)).exit_code == 0  # records the load
    return store


def test_a_file_is_not_loaded_into_the_audit_trail(cli: Invoke, ready: str,
                                                   tmp_path: Path) -> None:
    """With --replace it emptied the audit trail; without, it added forged records."""
    file = tmp_path / "palsu.ttl"
    file.write_text('<urn:palsu> <urn:p> "catatan palsu" .\n', encoding="utf-8")
    before = dump(ready)
    for extra in ([], ["--replace"]):
        result = cli("--store", ready, "load", "--graph", PROVENANCE, *extra, str(file))
        assert result.exit_code == 2
        assert result.stderr.startswith("opsi --graph: graf ")
        assert "jejak audit" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    english = cli("--lang", "en", "--store", ready, "load", "--graph", PROVENANCE, str(file))
    assert english.stderr.startswith("option --graph: the graph ")
    assert dump(ready) == before


@pytest.mark.parametrize("suffix", [".nq", ".trig"])
def test_a_quad_file_writing_the_audit_trail_is_refused_whole(cli: Invoke, ready: str,
                                                              tmp_path: Path,
                                                              suffix: str) -> None:
    good = tmp_path / "opd.ttl"
    good.write_text('<urn:s> <urn:p> "baru" .\n', encoding="utf-8")
    forged = tmp_path / f"campuran{suffix}"
    if suffix == ".nq":
        forged.write_text(f'<urn:x> <urn:p> "data" <urn:g> .\n'
                          f'<urn:palsu> <urn:p> "catatan palsu" <{PROVENANCE}> .\n',
                          encoding="utf-8")
    else:
        forged.write_text(f'<urn:g> {{ <urn:x> <urn:p> "data" }}\n'
                          f'<{PROVENANCE}> {{ <urn:palsu> <urn:p> "catatan palsu" }}\n',
                          encoding="utf-8")
    before = dump(ready)
    result = cli("--store", ready, "load", str(good), str(forged))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"{forged}: berkas ini menulis ke graf {PROVENANCE}")
    assert "spbe-arch restore" in result.stderr
    assert dump(ready) == before


def test_the_english_summary_counts_in_singular_and_plural(cli: Invoke, store: str,
                                                           tmp_path: Path) -> None:
    one = tmp_path / "satu.ttl"
    one.write_text('<urn:s> <urn:p> "x" .\n', encoding="utf-8")
    result = cli("--lang", "en", "--store", store, "load", str(one))
    assert result.stdout.startswith("1 triple from 1 file loaded into graph ")
    result = cli("--lang", "en", "--store", store, "load", str(one), str(one))
    assert result.stdout.startswith("2 triples from 2 files loaded into graph ")


def test_an_empty_spbe_instansi_is_refused_before_loading(cli: Invoke, store: str,
                                                          tmp_path: Path, spbe_env: SetEnv
                                                          ) -> None:
    """`export SPBE_INSTANSI=` loaded into the graph …/graph/instansi/ without a word."""
    file = tmp_path / "opd.ttl"
    file.write_text('<urn:s> <urn:p> "x" .\n', encoding="utf-8")
    spbe_env(SPBE_INSTANSI=" ")
    result = cli("--store", store, "load", str(file))
    with_graph = cli("--store", store, "load", "--graph", "urn:graph:x", str(file))
    assert result.exit_code == 2
    assert result.stderr.startswith("SPBE_INSTANSI kosong")
    assert with_graph.exit_code == 0, with_graph.output


def test_a_file_is_not_loaded_into_a_validation_report_graph(cli: Invoke, ready: str,
                                                             tmp_path: Path) -> None:
    """GET /validation shows the report graph with the newest name: one loaded by hand
    under …/graph/validation/ would stand as the repository's latest report."""
    report = f"{iris.BASE}graph/validation/3574/99991231T000000000000Z"
    file = tmp_path / "laporan.ttl"
    file.write_text('<urn:laporan> <urn:p> "conforms" .\n', encoding="utf-8")
    quads = tmp_path / "laporan.nq"
    quads.write_text(f'<urn:laporan> <urn:p> "conforms" <{report}> .\n', encoding="utf-8")
    before = dump(ready)
    result = cli("--store", ready, "load", "--graph", report, str(file))
    assert result.exit_code == 2 and "laporan validasi tersimpan" in result.stderr
    result = cli("--store", ready, "load", str(quads))
    assert result.exit_code == 2 and "laporan validasi tersimpan" in result.stderr
    assert dump(ready) == before
