"""Focus-node prefilters: which focus nodes a full run must validate with a check's query.

Some constraint queries cost far more when run for every focus node than the question they
answer needs. A prefilter answers a cheaper, conservative question for all focus nodes at
once: the focus nodes that *may* have a result (a superset). The check's own compiled query
then runs for just those nodes (as in an incremental run), so the results are the query's
own — a prefilter can only make a full run skip nodes that have no result.

A prefilter is attached to a SHACL-SPARQL constraint only when the constraint's text is,
word for word (whitespace aside), the one it was written for: a changed rule runs its own
query over every focus node again.

**sh:maxCount** on a one-predicate path: a full run asks once per (predicate, count) which
subjects have more values than that (one scan of the predicate, grouped; shared by every
shape with that path: `spbe:nama` has three); the check's query then runs for those only,
normally none. At 5M triples the 59 maxCount checks took 17.5 s of CPU. Likewise
**sh:class** on a one-predicate path asks which subjects have a value without an `rdf:type`
triple of the class.

The SOP flowchart rules of shapes/sop.ttl ("every step reachable from the first step",
"every step leads to the last step") walk `(langkahBerikutnya|jikaYa|jikaTidak)*` from
every SOP's first / to its last step; Oxigraph evaluates that path at about 40 µs per step
reached (5M triples: 25 s CPU for both rules). Here the steps, their urutan and the
flowchart edges are read once (two queries, tab-separated results read as text: the terms
are compared as their serialised form) and every SOP is walked in Python.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files

from rdflib.namespace import RDF
from rdflib.term import Node, URIRef

from spbe_arch.repository import Repository, SelectResult

_SPARQL = files("spbe_arch.validation") / "sparql"
_STEPS_QUERY = (_SPARQL / "sop_steps.rq").read_text(encoding="utf-8")
_EDGES_QUERY = (_SPARQL / "sop_flow_edges.rq").read_text(encoding="utf-8")
_TSV = "text/tab-separated-values"
_CANONICAL_INTEGER = re.compile(r"0|-?[1-9][0-9]*")
"""How Oxigraph writes an xsd:integer in TSV (it stores integers canonically)."""
_PLAIN_IRI = re.compile(r"<([^<>\"{}|^`\\\x00-\x20]*)>")

Prefilter = Callable[[Repository, "RunCache"], "list[Node] | None"]
"""Returns the focus nodes that may have results, or None when it cannot tell."""


@dataclass
class RunCache:
    """Data read once per full run and shared by the prefilters (checks run in threads)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    flow: SopFlow | None = None
    subjects: dict[tuple[str, ...], list[Node] | None] = field(default_factory=dict)
    """What the one-predicate prefilters read (see `_subjects`)."""
    subject_locks: dict[tuple[str, ...], threading.Lock] = field(default_factory=dict)


MAX_SUSPECTS = 20_000
"""Above this many candidate focus nodes a prefilter gives up (None): the check's own query
over every focus node is then cheaper than that many nodes in VALUES batches."""


def _subjects(repository: Repository, cache: RunCache, key: tuple[str, ...], query: str
              ) -> list[Node] | None:
    """The `?s` of `query`, read once per run and key (each key under its own lock, so
    other keys are read alongside); None when one is a blank node (it cannot be named in
    VALUES) or there are more than MAX_SUSPECTS."""
    with cache.lock:
        lock = cache.subject_locks.setdefault(key, threading.Lock())
    with lock:
        if key not in cache.subjects:
            answer = repository.query(query)
            if not isinstance(answer, SelectResult):
                raise TypeError("a prefilter query did not return solutions")
            subjects = [row["s"] for row in answer.rows]
            usable = (len(subjects) <= MAX_SUSPECTS
                      and all(isinstance(s, URIRef) for s in subjects))
            cache.subjects[key] = subjects if usable else None
        return cache.subjects[key]


def more_values_than(predicate: str, count: int) -> Prefilter:
    """The focus nodes that may have more than `count` values of `predicate` (a sh:maxCount
    check of that path): the subjects with more than `count` solutions of `?s <p> ?v` in the
    union graph — every node with more than `count` distinct values is one of them."""
    query = (f"SELECT ?s WHERE {{ ?s {URIRef(predicate).n3()} ?v }} GROUP BY ?s"
             f" HAVING (COUNT(*) > {count})")

    def prefilter(repository: Repository, cache: RunCache) -> list[Node] | None:
        return _subjects(repository, cache, ("maxCount", predicate, str(count)), query)

    return prefilter


def values_not_typed(predicate: str, cls: str) -> Prefilter:
    """The focus nodes that may have a value of `predicate` that is not a SHACL instance of
    `cls` (a sh:class check of that path): the subjects with a value lacking an `rdf:type
    <cls>` triple. A value that is not an instance has no such triple, so every node with
    a result is among them (an instance of a subclass only is a needless candidate).
    Hash anti-join: at 5M triples 0.4 s where the check's own query takes 1.9 s."""
    query = (f"SELECT DISTINCT ?s WHERE {{ {{ SELECT ?s ?v WHERE {{"
             f" ?s {URIRef(predicate).n3()} ?v }} }}"
             f" MINUS {{ SELECT ?v WHERE {{ ?v {RDF.type.n3()} {URIRef(cls).n3()} }} }} }}")

    def prefilter(repository: Repository, cache: RunCache) -> list[Node] | None:
        return _subjects(repository, cache, ("class", predicate, cls), query)

    return prefilter


@dataclass
class SopFlow:
    steps: dict[str, list[str]]
    """SOP -> its steps (as serialised terms)."""
    numbers: dict[str, list[str]]
    """Step -> its urutan values (serialised)."""
    successors: dict[str, list[str]]
    predecessors: dict[str, list[str]]


def _rows(repository: Repository, query: str) -> list[list[str]]:
    _, body = repository.query_serialized(query, _TSV)
    lines = body.decode("utf-8").split("\n")[1:]
    # TSV escapes tabs and line breaks inside literals, so a line is one row
    return [line.split("\t") for line in lines if line]


def sop_flow(repository: Repository, cache: RunCache) -> SopFlow:
    with cache.lock:
        if cache.flow is None:
            steps: dict[str, list[str]] = {}
            numbers: dict[str, list[str]] = {}
            for row in _rows(repository, _STEPS_QUERY):
                sop, step = row[0], row[1]
                steps.setdefault(sop, []).append(step)
                nomor = row[2] if len(row) > 2 else ""
                if nomor:
                    numbers.setdefault(step, []).append(nomor)
            successors: dict[str, list[str]] = {}
            predecessors: dict[str, list[str]] = {}
            for row in _rows(repository, _EDGES_QUERY):
                successors.setdefault(row[0], []).append(row[1])
                predecessors.setdefault(row[1], []).append(row[0])
            cache.flow = SopFlow(steps, numbers, successors, predecessors)
        return cache.flow


def _closure(starts: set[str], edges: dict[str, list[str]]) -> set[str]:
    """Every node on a path of zero or more edges from `starts`."""
    seen = set(starts)
    stack = list(starts)
    while stack:
        for nxt in edges.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def _integers(flow: SopFlow, steps: list[str]) -> dict[str, list[int]] | None:
    """The urutan of each step as integers; None if one is not a canonical xsd:integer
    (then SPARQL's comparison rules apply: the SOP is left to the query)."""
    out: dict[str, list[int]] = {}
    for step in steps:
        values = flow.numbers.get(step, [])
        if any(not _CANONICAL_INTEGER.fullmatch(v) for v in values):
            return None
        out[step] = [int(v) for v in values]
    return out


def _as_nodes(keys: list[str]) -> list[Node] | None:
    nodes: list[Node] = []
    for key in keys:
        match = _PLAIN_IRI.fullmatch(key)
        if match is None:
            return None  # a blank node or literal cannot be named in VALUES: run it all
        nodes.append(URIRef(match.group(1)))
    return nodes


def _suspects(repository: Repository, cache: RunCache,
              anchors: Callable[[list[str], dict[str, list[int]]], set[str] | None],
              edges: Callable[[SopFlow], dict[str, list[str]]]) -> list[Node] | None:
    """SOPs where some step is not reached from the anchor steps along `edges` (or whose
    step numbers this walk cannot read, or without anchors at all when `anchors` says None):
    only these can have a result."""
    flow = sop_flow(repository, cache)
    suspects: list[str] = []
    for sop, steps in flow.steps.items():
        numbers = _integers(flow, steps)
        if numbers is None:
            suspects.append(sop)
            continue
        start = anchors(steps, numbers)
        if start is None:
            suspects.append(sop)
            continue
        reached = _closure(start, edges(flow))
        if any(step not in reached for step in steps):
            suspects.append(sop)
    return _as_nodes(suspects)


def _first_steps(steps: list[str], numbers: dict[str, list[int]]) -> set[str] | None:
    return {step for step in steps if 1 in numbers[step]}


def _last_steps(steps: list[str], numbers: dict[str, list[int]]) -> set[str] | None:
    every = [n for step in steps for n in numbers[step]]
    if not every:
        return None
    last = max(every)
    return {step for step in steps if last in numbers[step]}


def unreachable_from_first(repository: Repository, cache: RunCache) -> list[Node] | None:
    """SOPs that may have a step not reachable from a first step (urutan 1)."""
    return _suspects(repository, cache, _first_steps, lambda flow: flow.successors)


def not_reaching_last(repository: Repository, cache: RunCache) -> list[Node] | None:
    """SOPs that may have a step without a path to a last step (the largest urutan)."""
    return _suspects(repository, cache, _last_steps, lambda flow: flow.predecessors)


def _normalised(text: str) -> str:
    return " ".join(text.split())


_BY_TEXT: dict[str, Prefilter] = {}


def register(select_text: str, prefilter: Prefilter) -> None:
    _BY_TEXT[_normalised(select_text)] = prefilter


def prefilter_for(select_text: str) -> Prefilter | None:
    return _BY_TEXT.get(_normalised(select_text))


register("""
            SELECT $this ?value WHERE {
                {
                    SELECT $this ?value (COUNT(?terjangkau) AS ?jalur) WHERE {
                        { $this spbe:memilikiLangkah ?value . }
                        UNION
                        {
                            $this spbe:memilikiLangkah ?awal .
                            ?awal spbe:urutan 1 ;
                                (spbe:langkahBerikutnya|spbe:jikaYa|spbe:jikaTidak)* ?value .
                            BIND (true AS ?terjangkau)
                        }
                    }
                    GROUP BY $this ?value
                }
                FILTER (?jalur = 0)
            }""", unreachable_from_first)

register("""
            SELECT $this ?value WHERE {
                {
                    SELECT $this ?value (COUNT(?mencapaiAkhir) AS ?jalur) WHERE {
                        { $this spbe:memilikiLangkah ?value . }
                        UNION
                        {
                            {
                                SELECT $this (MAX(?nomor) AS ?akhir) WHERE {
                                    $this spbe:memilikiLangkah ?langkah .
                                    ?langkah spbe:urutan ?nomor .
                                }
                                GROUP BY $this
                            }
                            $this spbe:memilikiLangkah ?terakhir .
                            ?terakhir spbe:urutan ?akhir ;
                                ^(spbe:langkahBerikutnya|spbe:jikaYa|spbe:jikaTidak)* ?value .
                            BIND (true AS ?mencapaiAkhir)
                        }
                    }
                    GROUP BY $this ?value
                }
                FILTER (?jalur = 0)
            }""", not_reaching_last)
