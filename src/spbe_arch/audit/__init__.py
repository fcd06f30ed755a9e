"""The audit trail: every write records who, when, which entities and which triples.

A write goes through `apply_audited`, which adds a PROV-O activity describing the change to
the same change set, or through `Repository.load` with a `load_record`; either way the
change and its record are committed in one transaction (a failed write leaves neither).
Records live in the provenance graph and nowhere else, queryable by SPARQL (the named
queries `history` and `recent-changes`), and a page at a time with `entity_history` and
`change_feed` (`GET /history`).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD
from rdflib.term import Literal, Node, URIRef

from spbe_arch import iris
from spbe_arch.errors import SpbeError
from spbe_arch.queries import get_query
from spbe_arch.repository import ChangeSet, LoadRecord, Quad, Repository, SelectResult
from spbe_arch.repository.base import changeset_to_update, fill_line, term_text
from spbe_arch.vocab import BASE, PROV, SPBE

ANONYMOUS = "anonim"

_log = logging.getLogger(__name__)


def _agent_name(agent: str) -> str:
    return agent.strip() or ANONYMOUS


def agent_iri(agent: str, base: str = BASE) -> URIRef:
    """The PROV agent for a user or token name (`anonim` when nobody signed in).

    One name, one agent: the name is percent-encoded, not slugged. Token names may hold
    capitals, dots, underscores and @, and a slug made `editor.kominfo`, `Editor-Kominfo`
    and `editor-kominfo` one agent with three labels, so the trail showed each one's
    changes under any of the names. A name that is a slug already (`editor-diskominfo`,
    `cli-root`) encodes to itself, so its agent is the one earlier records name."""
    return URIRef(f"{base}agent/{quote(_agent_name(agent), safe='')}")


def _nt(term: Node) -> str:
    """A term in N-Triples syntax (rdflib's `n3()` writes multi-line literals as Turtle
    long strings, which N-Triples/N-Quads readers reject)."""
    if isinstance(term, Literal):
        text = (str(term).replace("\\", "\\\\").replace('"', '\\"')
                .replace("\n", "\\n").replace("\r", "\\r"))
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype is not None and str(term.datatype) != str(XSD.string):
            return f'"{text}"^^<{term.datatype}>'
        return f'"{text}"'
    return term.n3()


RECORD_CHUNK_CHARS = 1_000_000
"""Largest N-Quads text of one `spbe:tripelDitambah`/`tripelDihapus` value. A change of
230,000 triples is ~45 MB of text: as one literal it becomes one line of a dump, and
Oxigraph's N-Quads parser refuses lines over 16 MB, so such a dump could not be restored."""


def _ntriples(quads: Iterable[Quad], chunk_chars: int | None = None) -> list[str]:
    """The quads as N-Quads text, one per line, sorted (stable for diffs and parsing), cut
    at line ends into pieces of at most `chunk_chars` (one line may be longer on its own)."""
    lines = []
    for s, p, o, g in quads:
        graph = f" {_nt(g)}" if g is not None else ""  # (a blank node graph name: _:x)
        lines.append(f"{_nt(s)} {_nt(p)} {_nt(o)}{graph} .")
    lines.sort()
    chunk_chars = chunk_chars or RECORD_CHUNK_CHARS
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        if current and size + len(line) + 1 > chunk_chars:
            chunks.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    if current:
        chunks.append("\n".join(current))
    return chunks


_IRI_IN_TEXT = re.compile(r'<([A-Za-z][A-Za-z0-9+.\-]*:[^\s<>"{}|^`\\]*)>')
"""`<IRI>` in text, the IRI as the `iri` parameters of the named queries take it
(`queries.QueryParam.convert`): the text search of the history matches exactly these."""


def _iris_in_text(text: str, found: set[URIRef]) -> None:
    for match in _IRI_IN_TEXT.finditer(text):
        iri = match.group(1)
        try:
            ox.NamedNode(iri)  # an IRI the store refuses could not be written in the index
        except ValueError:
            continue
        found.add(URIRef(iri))


def mentioned_iris(changes: ChangeSet, entities: Iterable[URIRef],
                   text: str | None = None) -> set[URIRef]:
    """Every IRI whose history shows this change: what `prov:used` names, and each IRI the
    recorded text of the change writes as `<IRI>` — subjects, predicates, IRI objects,
    datatypes and graph names of the triples added and removed, an `<IRI>` inside one of
    their literals, and one in the SPARQL Update `text`. The same set the text search of
    `history_keys_text.rq` finds a record by, so the index changes no history."""
    found: set[URIRef] = set(entities)
    for quads in (changes.add, changes.remove):
        for s, p, o, g in quads:
            for term in (s, p, o, g):
                if isinstance(term, URIRef):
                    found.add(term)
            if isinstance(o, Literal):
                if o.datatype is not None and str(o.datatype) != str(XSD.string):
                    found.add(o.datatype)
                if "<" in o:
                    _iris_in_text(_nt(o), found)
    if text and "<" in text:
        _iris_in_text(text, found)
    return found


def audit_quads(changes: ChangeSet, agent: str, entities: Iterable[URIRef], label: str,
                when: datetime | None = None, base: str = BASE,
                update_text: str | None = None) -> list[Quad]:
    """The provenance quads describing one change set (`update_text`: the SPARQL Update
    that made it, recorded as the record's `rdfs:comment`)."""
    # every record in UTC: xsd:dateTime values with and without a zone cannot be ordered
    # when less than 14 hours apart, so one naive time would scramble the trail's order
    when = (when or datetime.now(UTC)).astimezone(UTC)
    graph = iris.provenance_graph(base)
    activity = URIRef(f"{base}perubahan/{when.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}")
    agent = _agent_name(agent)
    who = agent_iri(agent, base)
    quads: list[Quad] = [
        (activity, RDF.type, SPBE.Perubahan, graph),
        (activity, RDF.type, PROV.Activity, graph),
        (activity, RDFS.label, Literal(label), graph),
        (activity, PROV.wasAssociatedWith, who, graph),
        (activity, PROV.endedAtTime, Literal(when.isoformat(), datatype=XSD.dateTime), graph),
        (who, RDF.type, PROV.Agent, graph),
        (who, RDFS.label, Literal(agent), graph),
    ]
    used = sorted(set(entities))
    for entity in used:
        quads.append((activity, PROV.used, entity, graph))
    # a large change is recorded in several values, each a block of whole lines
    for chunk in _ntriples(changes.add):
        quads.append((activity, SPBE.tripelDitambah, Literal(chunk), graph))
    for chunk in _ntriples(changes.remove):
        quads.append((activity, SPBE.tripelDihapus, Literal(chunk), graph))
    if update_text:
        quads.append((activity, RDFS.comment, Literal(update_text), graph))
    # The index an entity's history looks records up by (history_page.rq). It is never
    # larger than the recorded text (each IRI in it is written there at least once), so a
    # change of any size gets one. A change naming no IRI (DROP ALL, a load of quad files)
    # mentions itself, so that every record written since the index exists has one and
    # only older records are searched by their text (history_unindexed.rq) until
    # ensure_index gives them theirs.
    quads += _index_quads(activity, mentioned_iris(changes, used, update_text), graph)
    return quads


def _index_quads(activity: URIRef, mentioned: set[URIRef], graph: URIRef) -> list[Quad]:
    """A record's index: what it mentions, or the record itself when it mentions nothing
    (so that a record without an index is always one written before the index existed)."""
    return [(activity, SPBE.menyebut, iri, graph) for iri in sorted(mentioned or {activity})]


def apply_audited(repository: Repository, changes: ChangeSet, *, agent: str,
                  entities: Iterable[Node], label: str,
                  recorded: ChangeSet | None = None,
                  update_text: str | None = None) -> URIRef | None:
    """Apply `changes` and their audit record in one transaction; returns the activity IRI.

    Changes that run SPARQL Update strings record the update text (`rdfs:comment`) and
    the triples of `recorded` — what those updates add and remove, computed beforehand
    (`spbe_arch.sparql_update`); without it, only the text. `update_text` is recorded the
    same way for a change that is the computed effect of an update. An empty change set
    writes nothing and returns None.
    """
    if changes.is_empty():
        return None
    described = changes if recorded is None else recorded
    text = "\n;\n".join(changes.updates) if changes.updates else update_text
    record = audit_quads(described, agent, [e for e in entities if isinstance(e, URIRef)],
                         label, update_text=text)
    if changes.updates:
        # DROP ALL / CLEAR ALL (the only updates that may touch the trail) also take the
        # mark of a wholly indexed trail (`ensure_index`); this record, written after them,
        # is indexed, so a mark that held before holds after
        if index_complete(repository):
            record.append(index_mark())
        # after the updates, in the same request: an update such as DROP ALL must not
        # erase the record of itself
        combined = ChangeSet(add=list(changes.add), remove=list(changes.remove),
                             clear_graphs=list(changes.clear_graphs),
                             updates=[*changes.updates,
                                      changeset_to_update(ChangeSet(add=record))])
    else:
        combined = ChangeSet(add=[*changes.add, *record], remove=list(changes.remove),
                             clear_graphs=list(changes.clear_graphs))
    repository.apply(combined)
    activity_iri = record[0][0]
    assert isinstance(activity_iri, URIRef)
    return activity_iri


def load_record(*, agent: str, entities: Iterable[Node],
                label: Callable[[int], str]) -> LoadRecord:
    """The audit record of a load (`spbe-arch load`, a stored validation report), for
    `Repository.load`, which writes it in the load's own transaction. Its triples are many
    and already in a file, so the record names who, when, what, where and how many (`label`
    gets the number of quads stored), not every triple."""
    named = [e for e in entities if isinstance(e, URIRef)]

    def record(count: int) -> list[Quad]:
        return audit_quads(ChangeSet(), agent, named, label(count))

    return record


# --- indexing the records written before the index existed -------------------------------

INDEX_BATCH = 200
"""Records whose text `ensure_index` reads per query: the text is dropped after each batch,
so memory holds one batch of text (a REST write records ~1 KB, a large update up to tens of
MB) and the index quads of the whole trail."""


def index_mark(base: str = BASE) -> Quad:
    """The one triple saying every record of the trail carries its index
    (`spbe:JejakAuditTerindeks`), written by `ensure_index`."""
    graph = iris.provenance_graph(base)
    return (graph, RDF.type, SPBE.JejakAuditTerindeks, graph)


def index_complete(repository: Repository, *, timeout_s: float | None = None) -> bool:
    """Whether the trail carries the mark of `ensure_index`: every record has an index."""
    return repository.query(_sparql("index_mark"), timeout_s=timeout_s) is True


def ensure_index(repository: Repository) -> int:
    """Give every record without an index (written by a version before it) its index, and
    mark the trail as wholly indexed, so that an entity's history is looked up by the index
    alone; returns the number of records indexed.

    With the mark present this is one ASK. Otherwise the records lacking `spbe:menyebut`
    are indexed from their stored text by the rule `audit_quads` applies to an update's
    text (`mentioned_iris`): every `<IRI>` their recorded triples and update text write,
    and their `prov:used` entities, which is exactly what the text search matched, so no
    history changes. The index and the mark are written in one change set (all or
    nothing); on an empty trail the mark alone. Every writer of this version indexes its
    record, so the mark stays true; a restore or DROP ALL that removes it brings the text
    search back until the next call."""
    if index_complete(repository):
        return 0
    missing = _select(repository, _sparql("index_missing"), {}, None).rows
    records = [row["perubahan"] for row in missing if isinstance(row.get("perubahan"), URIRef)]
    graph = iris.provenance_graph()
    # one object per distinct IRI: a trail of 20,000 records has ~160,000 index quads but
    # few distinct IRIs besides the records
    terms: dict[URIRef, URIRef] = {}
    quads: list[Quad] = []
    for start in range(0, len(records), INDEX_BATCH):
        batch = records[start:start + INDEX_BATCH]
        values = " ".join(term_text(record) for record in batch)
        sparql = fill_line(_sparql("index_sources"), "#RECORDS",
                           f"VALUES ?perubahan {{ {values} }}")
        used: dict[Node, list[URIRef]] = {}
        texts: dict[Node, list[str]] = {}
        for row in _select(repository, sparql, {}, None).rows:
            value = row["x"]
            if isinstance(value, URIRef):
                used.setdefault(row["perubahan"], []).append(value)
            elif isinstance(value, Literal):
                texts.setdefault(row["perubahan"], []).append(str(value))
        for record in batch:
            assert isinstance(record, URIRef)
            mentioned = mentioned_iris(ChangeSet(), used.get(record, []),
                                       "\n".join(texts.get(record, [])))
            quads += _index_quads(record, {terms.setdefault(iri, iri) for iri in mentioned},
                                  graph)
    quads.append(index_mark())
    repository.apply(ChangeSet(add=quads))
    return len(records)


def index_on_open(repository: Repository) -> int | None:
    """`ensure_index` for a repository just opened by an interface: nothing on a read-only
    one; a failed write is logged, not raised (the history then searches the text of the
    unindexed records, as before), so a store the index cannot be written to still opens.
    Returns what `ensure_index` returned, None when it did not run or failed."""
    if getattr(repository, "read_only", False):
        return None
    try:
        return ensure_index(repository)
    except (SpbeError, OSError) as exc:
        message = exc.message("en") if isinstance(exc, SpbeError) else str(exc)
        _log.warning("the audit trail's index was not written (%s): %s",
                     repository.description, message)
        return None


# --- the feed of recent changes and an entity's history, one page at a time ---------------
#
# The named queries `recent-changes` and `history` (queries/) give every change at once;
# `GET /history` and the web pages show a page of them. The queries of audit/sparql/ order
# the records by time and agent alone, take the page, and read the rest of the page's
# records only. They read the same patterns as the named queries, so the rows are the same
# (tests/test_audit_trail.py compares them).


@cache
def _sparql(name: str) -> str:
    """The text of `audit/sparql/<name>.rq`."""
    return (resources.files("spbe_arch.audit") / "sparql" / f"{name}.rq").read_text("utf-8")


@dataclass(frozen=True)
class ChangeFeed:
    """One page of the recorded changes, newest first, and how many there are in all."""

    total: int
    rows: list[dict[str, Node]]
    """The columns of the named query the page is of (`recent-changes`: perubahan, waktu,
    nama_agen, keterangan, entitas; `history`: perubahan, waktu, agen, keterangan,
    ditambah, dihapus); an unbound one is absent."""


def change_feed(repository: Repository, *, agent: str | None = None, limit: int = 100,
                offset: int = 0, timeout_s: float | None = None) -> ChangeFeed:
    """The page `offset`…`offset + limit` of the named query `recent-changes` (optionally
    of one agent's changes), with the number of its rows."""
    _check_page(limit, offset)
    bindings: dict[str, Node] = {"agen": Literal(agent)} if agent else {}
    count = _select(repository, _sparql("feed_count"), bindings, timeout_s)
    total = int(str(count.rows[0].get("total", 0))) if count.rows else 0
    if offset >= total:
        return ChangeFeed(total, [])
    page = _select(repository, f"{_sparql('feed_page')}LIMIT {int(limit)} OFFSET {int(offset)}",
                   bindings, timeout_s).rows
    return ChangeFeed(total, _with_details(repository, page, "feed_details", timeout_s))


def entity_history(repository: Repository, entity: str, *, agent: str | None = None,
                   limit: int = 100, offset: int = 0,
                   timeout_s: float | None = None) -> ChangeFeed:
    """The page `offset`…`offset + limit` of the named query `history` of `entity` (an IRI,
    `<IRI>` or prefixed name, as the named query takes it), optionally of one agent's
    changes only, with the number of such changes."""
    _check_page(limit, offset)
    bindings = get_query("history").bindings({"entity": entity})
    # the index finds every record written since it exists; a trail that also holds older
    # records (not marked by ensure_index: a read-only store, a restored older dump) is
    # searched by text, as the named query `history` does. The mark is one triple: asking
    # for it costs nothing, while asking for unindexed records reads every record.
    if (not index_complete(repository, timeout_s=timeout_s)
            and repository.query(_sparql("history_unindexed"), timeout_s=timeout_s) is True):
        keys = _select(repository, _sparql("history_keys_text"), bindings, timeout_s).rows
        if agent:
            keys = [row for row in keys if "agen" in row and str(row["agen"]) == agent]
        return ChangeFeed(len(keys), _with_details(repository, keys[offset:offset + limit],
                                                   "history_details", timeout_s))
    # by the index, counted and paged in the store: reading every key into Python took
    # 0.7 s for an entity each of 20,000 records mentions (0.1 s so)
    if agent:
        bindings = {**bindings, "agen": Literal(agent)}
    agent_line = _sparql("history_agent") if agent else ""
    count = _select(repository, fill_line(_sparql("history_count"), "#AGENT", agent_line),
                    bindings, timeout_s)
    total = int(str(count.rows[0].get("total", 0))) if count.rows else 0
    if offset >= total:
        return ChangeFeed(total, [])
    page = _select(repository, fill_line(_sparql("history_page"), "#AGENT", agent_line)
                   + f"\nLIMIT {int(limit)} OFFSET {int(offset)}", bindings, timeout_s).rows
    return ChangeFeed(total, _with_details(repository, page, "history_details", timeout_s))


def _check_page(limit: int, offset: int) -> None:
    if limit < 1 or offset < 0:
        raise ValueError("limit must be positive and offset not negative")


def _with_details(repository: Repository, page: list[dict[str, Node]], query: str,
                  timeout_s: float | None) -> list[dict[str, Node]]:
    """The page's rows, each with the columns the query `query` (audit/sparql/) reads for
    the records it names."""
    if not page:
        return []
    records = " ".join(term_text(row["perubahan"]) for row in page)
    sparql = fill_line(_sparql(query), "#RECORDS", f"VALUES ?perubahan {{ {records} }}")
    details = {row["perubahan"]: row for row in _select(repository, sparql, {}, timeout_s).rows}
    return [{**row, **{name: value for name, value in details.get(row["perubahan"], {}).items()
                       if name != "perubahan"}}
            for row in page]


def _select(repository: Repository, sparql: str, bindings: dict[str, Node],
            timeout_s: float | None) -> SelectResult:
    result = repository.query(sparql, bindings, timeout_s=timeout_s)
    assert isinstance(result, SelectResult)
    return result
