"""The audit trail's entity index (`spbe:menyebut`): every writer records it, it finds what
the text search found, and a trail written before it existed still shows its history."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rdflib import RDF, XSD
from rdflib.term import Literal, URIRef

from spbe_arch import audit, iris
from spbe_arch.queries import run_query
from spbe_arch.repository import ChangeSet, LoadSource, Repository, open_repository
from spbe_arch.vocab import SPBE

GRAPH = iris.instansi_graph("9999")
PROVENANCE = iris.provenance_graph()
OPD = URIRef("https://w3id.org/spbe-arch/id/9999/opd/UJI")
LINK = URIRef("https://contoh.go.id/peraturan/1")


@pytest.fixture
def repository() -> Iterator[Repository]:
    repo = open_repository("memory:")
    yield repo
    repo.close()


def _entity(i: int) -> URIRef:
    return URIRef(f"https://w3id.org/spbe-arch/id/9999/data/D{i:02d}")


def _change(i: int) -> ChangeSet:
    entity = _entity(i)
    return ChangeSet(
        add=[(entity, RDF.type, SPBE.DataInformasi, GRAPH),
             (entity, SPBE.nama, Literal(f"data {i} lihat <{LINK}>"), GRAPH),
             (entity, SPBE.tanggalEfektif, Literal("2026-01-01", datatype=XSD.date), GRAPH),
             (entity, SPBE.pemilik, OPD, GRAPH)],
        remove=[(entity, SPBE.nama, Literal(f"lama {i}"), GRAPH)] if i % 2 else [])


def _mentions(repository: Repository, record: URIRef) -> set[URIRef]:
    rows = repository.query(
        "SELECT ?m WHERE { GRAPH ?g { ?r <https://w3id.org/spbe-arch/ontology#menyebut> ?m } }",
        {"g": PROVENANCE, "r": record}).rows
    return {row["m"] for row in rows}  # type: ignore[misc]


def _without_index(repository: Repository) -> None:
    """The trail as an older version wrote it: the same records, no `spbe:menyebut`."""
    repository.update(f"DELETE WHERE {{ GRAPH <{PROVENANCE}> {{ ?r <{SPBE.menyebut}> ?m }} }}")


def test_the_index_lists_every_iri_the_records_text_writes() -> None:
    change = _change(1)
    record = audit.audit_quads(change, "uji", [OPD], "uji",
                               update_text="INSERT DATA { <urn:x> <urn:p> 1 } # not <a b>")
    mentioned = {o for _, p, o, _ in record if p == SPBE.menyebut}
    assert mentioned == {_entity(1), RDF.type, SPBE.DataInformasi, SPBE.nama, LINK,
                         SPBE.tanggalEfektif, XSD.date, SPBE.pemilik, OPD, GRAPH,
                         URIRef("urn:x"), URIRef("urn:p")}


def test_a_change_naming_no_iri_mentions_itself() -> None:
    record = audit.audit_quads(ChangeSet(), "uji", [], "DROP ALL", update_text="DROP ALL")
    activity = record[0][0]
    assert [o for _, p, o, _ in record if p == SPBE.menyebut] == [activity]


def _history(repository: Repository, entity: str) -> list[dict[str, str]]:
    page = audit.entity_history(repository, entity, limit=1000)
    return [{k: str(v) for k, v in row.items()} for row in page.rows]


def _named(repository: Repository, entity: str) -> list[dict[str, str]]:
    rows = run_query(repository, "history", {"entity": entity}).rows
    return [{k: str(v) for k, v in row.items()} for row in rows]


ENTITIES = [str(OPD), str(_entity(3)), str(GRAPH), "spbe:nama", str(LINK), "urn:lain",
            str(XSD.date), "https://w3id.org/spbe-arch/id/9999/data/TIDAK-ADA"]


def _trail(repository: Repository, start: datetime) -> None:
    quads = []
    for i in range(12):
        quads += audit.audit_quads(_change(i), f"agen-{i % 3}", [_entity(i)] if i % 4 else [],
                                   f"perubahan {i}", when=start + timedelta(minutes=i // 2))
    repository.apply(ChangeSet(add=quads))
    audit.apply_audited(repository, ChangeSet(updates=[
        "INSERT DATA { GRAPH <urn:g> { <urn:lain> <urn:p> 1 } }"]),
        agent="agen-2", entities=[], label="SPARQL Update")


def test_the_index_finds_what_the_text_search_found(repository: Repository) -> None:
    _trail(repository, datetime(2026, 1, 1, tzinfo=UTC))
    indexed = {entity: _history(repository, entity) for entity in ENTITIES}
    assert [len(indexed[e]) for e in ENTITIES] == [12, 1, 12, 12, 12, 1, 12, 0]
    _without_index(repository)
    assert repository.query(audit._sparql("history_unindexed")) is True
    for entity in ENTITIES:
        assert _history(repository, entity) == indexed[entity], entity
        assert _named(repository, entity) == indexed[entity], entity


def test_a_trail_written_before_the_index_shows_its_whole_history(
        repository: Repository) -> None:
    """Older records have no index; records written since have one. The history holds both,
    in the order of time, whether read a page at a time or by the named query."""
    _trail(repository, datetime(2025, 1, 1, tzinfo=UTC))
    _without_index(repository)
    _trail(repository, datetime(2026, 1, 1, tzinfo=UTC))
    for entity in ENTITIES:
        whole = _named(repository, entity)
        assert len(whole) == [24, 2, 24, 24, 24, 2, 24, 0][ENTITIES.index(entity)]
        assert _history(repository, entity) == whole
        for limit, offset in [(1, 0), (5, 10), (10, 20)]:
            page = audit.entity_history(repository, entity, limit=limit, offset=offset)
            assert page.total == len(whole)
            assert [{k: str(v) for k, v in r.items()} for r in page.rows] == \
                whole[offset:offset + limit]


def test_a_fully_indexed_trail_is_not_searched_by_text(repository: Repository,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _trail(repository, datetime(2026, 1, 1, tzinfo=UTC))
    audit.apply_audited(repository, ChangeSet(updates=["DROP SILENT GRAPH <urn:kosong>"]),
                        agent="agen-1", entities=[], label="SPARQL Update")
    assert repository.query(audit._sparql("history_unindexed")) is False
    read: list[str] = []
    original = audit._sparql

    def spy(name: str) -> str:
        read.append(name)
        return original(name)

    monkeypatch.setattr(audit, "_sparql", spy)
    assert len(audit.entity_history(repository, str(OPD)).rows) == 12
    assert "history_page" in read and "history_keys_text" not in read


def test_a_load_record_is_indexed_in_the_loads_transaction(repository: Repository) -> None:
    data = f"<{_entity(1)}> <{SPBE.nama}> \"x\" .".encode()
    record = audit.load_record(agent="uji", entities=[GRAPH], label=lambda n: f"muat {n}")
    repository.load([LoadSource(data, "ntriples", GRAPH, "uji.nt")], record=record)
    rows = run_query(repository, "recent-changes").rows
    assert len(rows) == 1
    assert _mentions(repository, rows[0]["perubahan"]) == {GRAPH}  # type: ignore[arg-type]
    assert len(_history(repository, str(GRAPH))) == 1
    assert repository.query(audit._sparql("history_unindexed")) is False


def test_a_recorded_sparql_update_is_indexed(repository: Repository) -> None:
    from spbe_arch.sparql_update import UpdateEffectTask, commit_update

    update = f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <{_entity(5)}> <{SPBE.nama}> \"y\" }} }}"
    effect = UpdateEffectTask(update, 1000).run(repository.store)  # type: ignore[attr-defined]
    activity = commit_update(repository, update, effect, agent="admin")
    assert activity is not None
    assert {_entity(5), SPBE.nama, GRAPH} <= _mentions(repository, activity)
    assert [r["perubahan"] for r in audit.entity_history(repository, str(_entity(5))).rows] \
        == [activity]


def test_the_index_is_in_the_provenance_graph_only(repository: Repository) -> None:
    activity = audit.apply_audited(repository, _change(2), agent="uji", entities=[OPD],
                                   label="uji")
    assert activity is not None
    assert OPD in _mentions(repository, activity)
    elsewhere = repository.query(
        "ASK WHERE { GRAPH ?g { ?r ?p ?o } FILTER(?g != ?prov) }",
        {"r": activity, "p": SPBE.menyebut, "prov": PROVENANCE})
    assert elsewhere is False


# --- ensure_index: the records written before the index get theirs, once ------------------

def _index(repository: Repository) -> set[tuple[str, str]]:
    rows = repository.query(
        "SELECT ?r ?m WHERE { GRAPH ?g { ?r <https://w3id.org/spbe-arch/ontology#menyebut> ?m } }",
        {"g": PROVENANCE}).rows
    return {(str(row["r"]), str(row["m"])) for row in rows}


def _dump(repository: Repository) -> bytes:
    return repository.export(None, "nquads")


def test_ensure_index_gives_old_records_the_index_their_writer_gave(
        repository: Repository) -> None:
    _trail(repository, datetime(2026, 1, 1, tzinfo=UTC))
    audit.apply_audited(repository, ChangeSet(updates=["DROP SILENT GRAPH <urn:kosong>"]),
                        agent="agen-1", entities=[], label="SPARQL Update")
    written = _index(repository)
    _without_index(repository)
    by_text = {entity: _history(repository, entity) for entity in ENTITIES}
    named = {entity: _named(repository, entity) for entity in ENTITIES}
    assert not audit.index_complete(repository)

    assert audit.ensure_index(repository) == 14
    assert _index(repository) == written  # the self-mention of DROP SILENT included
    assert audit.index_complete(repository)
    assert repository.query(audit._sparql("history_unindexed")) is False
    for entity in ENTITIES:
        assert _history(repository, entity) == by_text[entity], entity
        assert _named(repository, entity) == named[entity], entity


def test_ensure_index_is_idempotent(repository: Repository) -> None:
    _trail(repository, datetime(2026, 1, 1, tzinfo=UTC))
    _without_index(repository)
    assert audit.ensure_index(repository) == 13
    before = _dump(repository)
    assert audit.ensure_index(repository) == 0
    assert _dump(repository) == before


def test_ensure_index_marks_a_fresh_store(repository: Repository) -> None:
    assert not audit.index_complete(repository)
    assert audit.ensure_index(repository) == 0
    assert audit.index_complete(repository)
    assert list(repository.quads()) == [audit.index_mark()]
    assert audit.ensure_index(repository) == 0
    assert list(repository.quads()) == [audit.index_mark()]


def test_a_failure_inside_ensure_index_leaves_the_store_as_it_was(
        repository: Repository, monkeypatch: pytest.MonkeyPatch) -> None:
    _trail(repository, datetime(2026, 1, 1, tzinfo=UTC))
    _without_index(repository)
    before = _dump(repository)
    real = audit.mentioned_iris
    calls: list[int] = []

    def failing(*args: object, **kwargs: object) -> set[URIRef]:
        calls.append(1)
        if len(calls) == 13:  # the last record: the others' index is computed by then
            raise RuntimeError("injected")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(audit, "mentioned_iris", failing)
    with pytest.raises(RuntimeError, match="injected"):
        audit.ensure_index(repository)
    assert _dump(repository) == before
    monkeypatch.setattr(audit, "mentioned_iris", real)
    assert audit.ensure_index(repository) == 13


def test_a_store_the_index_cannot_be_written_to_still_opens(
        repository: Repository, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """`index_on_open` (the CLI, the server) logs a failed write and goes on: the history
    then searches the text of the old records, as before."""
    from spbe_arch.errors import StoreUnavailableError

    _trail(repository, datetime(2026, 1, 1, tzinfo=UTC))
    _without_index(repository)
    by_text = {entity: _history(repository, entity) for entity in ENTITIES}
    before = _dump(repository)

    def refuse(_: ChangeSet) -> None:
        raise StoreUnavailableError("tidak bisa ditulis (uji)", "cannot be written (test)")

    monkeypatch.setattr(repository, "apply", refuse)
    with caplog.at_level("WARNING", logger="spbe_arch.audit"):
        assert audit.index_on_open(repository) is None
    assert "cannot be written (test)" in caplog.text and "memory:" in caplog.text
    assert _dump(repository) == before
    for entity in ENTITIES:
        assert _history(repository, entity) == by_text[entity], entity


def test_a_failed_write_of_the_index_changes_nothing_on_disk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many old records: the index goes through the bulk loader; failing half-way, the
    store is put back as it was."""
    from spbe_arch.repository.oxigraph import OxigraphRepository

    repository = OxigraphRepository(tmp_path / "store", bulk_apply_quads=20)
    try:
        _trail(repository, datetime(2026, 1, 1, tzinfo=UTC))
        _without_index(repository)
        before = _dump(repository)
        store = repository.store

        class HalfWrite:
            """The store, whose first bulk write stops after 30 quads (the repository's
            own undo, the second, goes through)."""

            failed = False

            def __getattr__(self, name: str) -> object:
                return getattr(store, name)

            def bulk_extend(self, quads: Iterable[object]) -> None:
                if self.failed:
                    store.bulk_extend(quads)
                    return
                self.failed = True
                store.extend(list(quads)[:30])
                raise OSError("disk full (injected)")

        monkeypatch.setattr(repository, "_store", HalfWrite())
        with pytest.raises(Exception, match="injected"):
            audit.ensure_index(repository)
        monkeypatch.setattr(repository, "_store", store)
        assert _dump(repository) == before
        assert audit.ensure_index(repository) == 13
        assert audit.index_complete(repository)
    finally:
        repository.close()


def test_with_the_mark_the_history_does_not_look_for_unindexed_records(
        repository: Repository, monkeypatch: pytest.MonkeyPatch) -> None:
    _trail(repository, datetime(2026, 1, 1, tzinfo=UTC))
    _without_index(repository)
    audit.ensure_index(repository)
    asked: list[str] = []
    real_query = repository.query

    def spy(sparql: str, *args: object, **kwargs: object) -> object:
        asked.append(sparql)
        return real_query(sparql, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(repository, "query", spy)
    assert len(_history(repository, str(OPD))) == 12
    assert audit._sparql("history_unindexed") not in asked
    assert audit._sparql("history_keys_text") not in asked
    assert any("spbe:menyebut ?entity" in text for text in asked)


def test_a_restored_older_dump_is_searched_by_text_until_indexed(
        repository: Repository, tmp_path: Path) -> None:
    """A restore replaces the mark too: a dump of an older version has none, and its
    records none either, so the history searches their text until the next ensure_index."""
    _trail(repository, datetime(2026, 1, 1, tzinfo=UTC))
    _without_index(repository)
    old_dump = tmp_path / "lama.nq"
    repository.dump(old_dump)
    audit.ensure_index(repository)
    indexed = {entity: _history(repository, entity) for entity in ENTITIES}
    repository.restore(old_dump)
    assert not audit.index_complete(repository)
    for entity in ENTITIES:
        assert _history(repository, entity) == indexed[entity], entity
    assert audit.ensure_index(repository) == 13
    for entity in ENTITIES:
        assert _history(repository, entity) == indexed[entity], entity


def test_drop_all_keeps_the_mark_of_a_wholly_indexed_trail(repository: Repository) -> None:
    """DROP ALL empties the trail, mark included; the update's own record, written after
    it, is indexed, so the mark is written back with it (else every history fell back to
    the unindexed check until the server restarted)."""
    from spbe_arch.sparql_update import UpdateEffectTask, commit_update

    _trail(repository, datetime(2026, 1, 1, tzinfo=UTC))
    audit.ensure_index(repository)
    for update in ("DROP ALL", "CLEAR ALL"):
        effect = UpdateEffectTask(update, 1000).run(repository.store)  # type: ignore[attr-defined]
        activity = commit_update(repository, update, effect, agent="admin")
        assert activity is not None
        assert audit.index_complete(repository), update
    # the record of DROP ALL lists what it removed: the history of what was there shows it
    assert audit.entity_history(repository, str(OPD)).rows[0]["perubahan"] == activity


def test_an_update_on_a_trail_not_wholly_indexed_does_not_mark_it(repository: Repository
                                                                  ) -> None:
    from spbe_arch.sparql_update import UpdateEffectTask, commit_update

    _trail(repository, datetime(2026, 1, 1, tzinfo=UTC))
    _without_index(repository)
    update = f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <{_entity(5)}> <{SPBE.nama}> \"y\" }} }}"
    effect = UpdateEffectTask(update, 1000).run(repository.store)  # type: ignore[attr-defined]
    commit_update(repository, update, effect, agent="admin")
    assert not audit.index_complete(repository)
