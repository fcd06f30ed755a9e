"""The audit trail (`spbe_arch.audit`): large changes are recorded whole and stay restorable."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.term import Literal, URIRef

from spbe_arch import audit
from spbe_arch.importers.bpmn.service import parse_change_record
from spbe_arch.queries import run_query
from spbe_arch.repository import ChangeSet, open_repository
from spbe_arch.vocab import SPBE

GRAPH = URIRef("https://w3id.org/spbe-arch/graph/instansi/9999")
ENTITY = URIRef("https://w3id.org/spbe-arch/id/9999/opd/UJI")


def _change(n: int) -> ChangeSet:
    return ChangeSet(add=[(URIRef(f"https://w3id.org/spbe-arch/id/9999/data/D{i:05d}"),
                           SPBE.nama, Literal(f"data nomor {i} " + "x" * 40), GRAPH)
                          for i in range(n)]
                     + [(ENTITY, SPBE.kode, Literal("UJI"), GRAPH)])


def test_a_large_change_is_recorded_in_blocks_of_whole_lines(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit, "RECORD_CHUNK_CHARS", 10_000)
    change = _change(2_000)
    record = audit.audit_quads(change, "uji", [ENTITY], "uji")
    blocks = [str(o) for _, p, o, _ in record if p == SPBE.tripelDitambah]
    assert len(blocks) > 10
    assert all(len(block) <= 10_000 for block in blocks)
    assert all(block.endswith(" .") for block in blocks)
    quads = [q for block in blocks for q in parse_change_record(block)]
    assert sorted(quads) == sorted(change.add)


@pytest.mark.slow
def test_a_dump_holding_a_large_audit_record_restores(tmp_path: Path) -> None:
    """One 230,000-triple import used to be one 45 MB literal: one N-Quads line over the
    parser's 16 MB limit, so the dump could not be restored."""
    change = _change(170_000)  # ~19 MB of N-Quads text
    with open_repository(f"oxigraph:{tmp_path / 'store'}") as repository:
        activity = audit.apply_audited(repository, change, agent="uji", entities=[ENTITY],
                                       label="impor besar")
        assert activity is not None
        dump = tmp_path / "dump.nq"
        repository.dump(dump)
        assert max(len(line) for line in dump.read_bytes().splitlines()) < 16 * 1024 * 1024
    with open_repository(f"oxigraph:{tmp_path / 'restored'}") as restored:
        restored.restore(dump)
        rows = run_query(restored, "history", {"entity": ENTITY}).rows
        assert len(rows) == 1
        lines = str(rows[0]["ditambah"]).splitlines()
        assert len(lines) == len(change.add)
