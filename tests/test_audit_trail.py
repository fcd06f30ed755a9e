"""The audit trail's queries read the provenance graph only, and the feed pages correctly."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from rdflib import RDF, RDFS, XSD
from rdflib.term import Literal, URIRef

from spbe_arch import audit, iris
from spbe_arch.evaluation.coverage import sops_set_since
from spbe_arch.queries import run_query
from spbe_arch.repository import ChangeSet, Repository, open_repository
from spbe_arch.vocab import PROV, SPBE

GRAPH = iris.instansi_graph("9999")
SOP = URIRef("https://w3id.org/spbe-arch/id/9999/sop/SOP.UJI.01")
OPD = URIRef("https://w3id.org/spbe-arch/id/9999/opd/UJI")


@pytest.fixture
def repository() -> Iterator[Repository]:
    repo = open_repository("memory:")
    yield repo
    repo.close()


def _set_sop(repository: Repository, agent: str, when: datetime) -> None:
    changes = ChangeSet(add=[(SOP, SPBE.statusSOP, SPBE.Ditetapkan, GRAPH)])
    repository.apply(ChangeSet(add=[*changes.add, *audit.audit_quads(
        changes, agent, [SOP], "SOP ditetapkan", when=when)]))


def _fake_record(repository: Repository, graph: URIRef) -> URIRef:
    """What an admin can write with SPARQL Update or the Graph Store into an ordinary
    graph: a record in the trail's shape, claiming somebody set the SOP."""
    fake = URIRef("https://w3id.org/spbe-arch/perubahan/palsu")
    agent = URIRef("https://w3id.org/spbe-arch/agent/kepala-dinas")
    text = f"<{SOP}> <{SPBE.statusSOP}> <{SPBE.Ditetapkan}> <{GRAPH}> ."
    repository.apply(ChangeSet(add=[
        (fake, RDF.type, SPBE.Perubahan, graph),
        (fake, RDF.type, PROV.Activity, graph),
        (fake, RDFS.label, Literal("REST PATCH sop SOP.UJI.01"), graph),
        (fake, PROV.wasAssociatedWith, agent, graph),
        (agent, RDFS.label, Literal("kepala-dinas"), graph),
        (fake, PROV.endedAtTime, Literal("2030-01-01T00:00:00+00:00", datatype=XSD.dateTime),
         graph),
        (fake, PROV.used, SOP, graph),
        (fake, SPBE.tripelDitambah, Literal(text), graph),
    ]))
    return fake


def test_a_record_outside_the_provenance_graph_is_no_record(repository: Repository) -> None:
    _set_sop(repository, "editor-uji", datetime(2026, 3, 1, 9, tzinfo=UTC))
    fake = _fake_record(repository, GRAPH)

    history = run_query(repository, "history", {"entity": str(SOP)}).rows
    assert [str(r["agen"]) for r in history] == ["editor-uji"]
    feed = run_query(repository, "recent-changes").rows
    assert [str(r["nama_agen"]) for r in feed] == ["editor-uji"]
    assert fake not in {r["perubahan"] for r in audit.change_feed(repository).rows}
    assert audit.change_feed(repository).total == 1
    assert run_query(repository, "recent-changes", {"agen": "kepala-dinas"}).rows == []
    # the evaluation's "set since" reads the trail too: the fake date (2030) is after
    # the real one, so only the fake record would count
    assert sops_set_since(repository, date(2029, 1, 1)) == set()
    assert sops_set_since(repository, date(2026, 1, 1)) == {SOP}


def test_changes_early_on_the_day_asked_for_count(repository: Repository) -> None:
    """The trail's times are in UTC; a date has no time zone, and XSD leaves a comparison
    between the two undetermined within 14 hours, so such a change was left out."""
    _set_sop(repository, "editor-uji", datetime(2026, 3, 1, 5, 30, tzinfo=UTC))
    assert sops_set_since(repository, date(2026, 3, 1)) == {SOP}
    assert sops_set_since(repository, date(2026, 3, 2)) == set()
    # a moment with a time zone is compared as it is
    assert sops_set_since(repository, datetime(2026, 3, 1, 5, 31, tzinfo=UTC)) == set()
    assert sops_set_since(repository, datetime(2026, 3, 1, 12, 0,
                                               tzinfo=UTC) - timedelta(hours=7)) == {SOP}


def _records(repository: Repository, count: int) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    quads = []
    for i in range(count):
        entity = URIRef(f"https://w3id.org/spbe-arch/id/9999/data/D{i:02d}")
        changes = ChangeSet(add=[(entity, SPBE.nama, Literal(f"data {i}"), GRAPH)])
        used = [entity, OPD] if i % 3 else []  # some records name no entity
        # two records share each time: the order falls back on the record's IRI
        quads += audit.audit_quads(changes, f"agen-{i % 3}", used, f"perubahan {i}",
                                   when=start + timedelta(minutes=i // 2))
    repository.apply(ChangeSet(add=quads))


def _named(repository: Repository, agent: str | None) -> list[dict[str, str]]:
    rows = run_query(repository, "recent-changes", {"agen": agent} if agent else {}).rows
    return [{k: str(v) for k, v in row.items()} for row in rows]


@pytest.mark.parametrize("agent", [None, "agen-1", "tak-ada"])
def test_every_page_of_the_feed_is_a_slice_of_the_named_query(repository: Repository,
                                                             agent: str | None) -> None:
    _records(repository, 23)
    whole = _named(repository, agent)
    assert len(whole) == {None: 23, "agen-1": 8, "tak-ada": 0}[agent]
    for limit, offset in [(100, 0), (1, 0), (5, 5), (7, 21), (10, 22), (10, 23), (3, 500)]:
        page = audit.change_feed(repository, agent=agent, limit=limit, offset=offset)
        assert page.total == len(whole)
        assert [{k: str(v) for k, v in row.items()} for row in page.rows] == \
            whole[offset:offset + limit], (limit, offset)


def test_the_feed_refuses_a_page_that_cannot_be(repository: Repository) -> None:
    with pytest.raises(ValueError):
        audit.change_feed(repository, limit=0)
    with pytest.raises(ValueError):
        audit.change_feed(repository, offset=-1)


@pytest.mark.parametrize("names", [("editor.kominfo", "editor-kominfo"),
                                   ("Sari", "sari"), ("sari@kominfo", "sari-kominfo"),
                                   ("kabag_organisasi", "kabag-organisasi")])
def test_two_names_are_two_agents(repository: Repository, names: tuple[str, str]) -> None:
    """Token names may hold capitals, dots, underscores and @: agents named by a slug of
    the name were one agent for two tokens, and each change was shown under either name."""
    first, second = names
    _set_sop(repository, first, datetime(2026, 3, 1, 9, tzinfo=UTC))
    _set_sop(repository, second, datetime(2026, 3, 1, 10, tzinfo=UTC))
    assert audit.agent_iri(first) != audit.agent_iri(second)
    feed = run_query(repository, "recent-changes").rows
    assert [str(r["nama_agen"]) for r in feed] == [second, first]
    for name in names:
        mine = run_query(repository, "recent-changes", {"agen": name}).rows
        assert [str(r["nama_agen"]) for r in mine] == [name]


def test_an_agents_iri_is_unchanged_where_its_name_is_already_a_slug() -> None:
    """Records written before keep naming the same agent."""
    base = "https://w3id.org/spbe-arch/agent/"
    assert audit.agent_iri("editor-diskominfo") == URIRef(base + "editor-diskominfo")
    assert audit.agent_iri("cli-root") == URIRef(base + "cli-root")
    assert audit.agent_iri("") == URIRef(base + "anonim")
    assert audit.agent_iri("Kepala Bidang/TI") == URIRef(base + "Kepala%20Bidang%2FTI")


def test_every_record_is_timed_in_utc(repository: Repository) -> None:
    wib = timezone(timedelta(hours=7))
    _set_sop(repository, "editor-uji", datetime(2026, 3, 1, 9, 0, tzinfo=wib))
    _set_sop(repository, "editor-lain", datetime(2026, 3, 1, 3, 30, tzinfo=UTC))
    feed = run_query(repository, "recent-changes").rows
    assert [(str(r["waktu"]), str(r["nama_agen"])) for r in feed] == [
        ("2026-03-01T03:30:00+00:00", "editor-lain"), ("2026-03-01T02:00:00+00:00", "editor-uji")]
    record = audit.audit_quads(ChangeSet(), "uji", [], "uji")
    times = [o for _, p, o, _ in record if p == PROV.endedAtTime]
    assert len(times) == 1 and str(times[0]).endswith("+00:00")


def _named_history(repository: Repository, entity: str,
                   agent: str | None) -> list[dict[str, str]]:
    rows = run_query(repository, "history", {"entity": entity}).rows
    return [{k: str(v) for k, v in row.items()} for row in rows
            if not agent or str(row.get("agen")) == agent]


@pytest.mark.parametrize("entity", [
    str(OPD),  # named by prov:used in some records, in no triple
    "https://w3id.org/spbe-arch/id/9999/data/D04",  # a subject of one record's triples
    str(GRAPH),  # in every record's triples (their graph)
    "spbe:nama",  # a predicate, written as a prefixed name
    "urn:lain",  # only in an update's text
    "https://w3id.org/spbe-arch/id/9999/data/TIDAK-ADA",
])
@pytest.mark.parametrize("agent", [None, "agen-2"])
def test_every_page_of_an_entitys_history_is_a_slice_of_the_named_query(
        repository: Repository, entity: str, agent: str | None) -> None:
    _records(repository, 23)
    audit.apply_audited(repository, ChangeSet(updates=[
        "INSERT DATA { GRAPH <urn:g> { <urn:lain> <urn:p> 1 } }"]),
        agent="agen-2", entities=[], label="SPARQL Update")
    whole = _named_history(repository, entity, agent)
    expected = {str(OPD): (15, 7), str(GRAPH): (23, 7), "spbe:nama": (23, 7),
                "urn:lain": (1, 1), "https://w3id.org/spbe-arch/id/9999/data/D04": (1, 0)}
    assert len(whole) == expected.get(entity, (0, 0))[1 if agent else 0]
    for limit, offset in [(100, 0), (1, 0), (4, 3), (10, 20), (5, len(whole)), (3, 500)]:
        page = audit.entity_history(repository, entity, agent=agent, limit=limit,
                                    offset=offset)
        assert page.total == len(whole)
        assert [{k: str(v) for k, v in row.items()} for row in page.rows] == \
            whole[offset:offset + limit], (limit, offset)


def test_a_literal_holding_a_line_separator_sets_no_sop(repository: Repository) -> None:
    """The recorded N-Triples text was cut with str.splitlines, which also cuts at U+2028,
    and each piece searched for the status words: a description anyone may edit, holding
    those words, then counted as a triple setting an SOP to ditetapkan."""
    other = URIRef("https://w3id.org/spbe-arch/id/9999/sop/SOP.LAIN.01")
    text = f"uraian\u2028<{other}> <{SPBE.statusSOP}> <{SPBE.Ditetapkan}> ."
    changes = ChangeSet(add=[(OPD, SPBE.uraian, Literal(text), GRAPH)])
    repository.apply(ChangeSet(add=[*changes.add, *audit.audit_quads(
        changes, "editor-uji", [OPD], "REST PATCH opd UJI",
        when=datetime(2026, 3, 1, 9, tzinfo=UTC))]))
    assert sops_set_since(repository, date(2026, 1, 1)) == set()
