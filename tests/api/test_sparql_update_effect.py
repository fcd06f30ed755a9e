"""`sparql_update.compute_effect` against Oxigraph running the same update (differential).

For every update: the effect computed on a store, applied quad by quad to that store, must
give the same store as Oxigraph running the update on an identical copy (blank nodes the
update creates compared up to renaming, every other quad exactly); and each removed quad
was present, each added one absent.
"""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from spbe_arch.repository.terms import to_rdflib
from spbe_arch.sparql_update import (
    EffectTooLargeError,
    UnsupportedUpdateError,
    compute_effect,
    operations,
)

BASE_DATA = """
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:p 1 ; ex:name "Alice" ; ex:knows ex:b , _:anon .
ex:b ex:p 2 ; ex:name "Bob"@en ; ex:knows ex:a .
_:anon ex:name "Anonim" ; ex:p 3 .
ex:c ex:p "3"^^xsd:decimal .
ex:g1 { ex:a ex:q "x" . ex:b ex:q "y" . _:n1 ex:q "z" ; ex:r _:n2 . _:n2 ex:q "w" . }
ex:g2 { ex:a ex:q "x" . ex:c ex:q "v" . ex:c ex:name "Carol\\nline" . }
ex:g3 { ex:s ex:t ex:o . }
"""
P = "PREFIX ex: <http://example.org/>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"

CASES_FILE = Path(__file__).with_name("update_cases.ru")


def _cases() -> dict[str, str]:
    cases: dict[str, str] = {}
    name = ""
    for line in CASES_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            name = line[4:].strip()
            cases[name] = P
        elif name:
            cases[name] += line + "\n"
    return cases


CASES = _cases()


def _base_store() -> ox.Store:
    store = ox.Store()
    store.load(BASE_DATA.encode(), ox.RdfFormat.TRIG)
    return store


def _copy(store: ox.Store) -> ox.Store:
    copy = ox.Store()
    for name in store.named_graphs():
        copy.add_graph(name)
    copy.extend(list(store))
    return copy


def _as_graph(quads: list[ox.Quad]) -> Graph:
    """Quads as one rdflib graph (the graph name folded into the predicate), for comparison
    up to blank node renaming."""
    graph = Graph()
    for q in quads:
        name = "" if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        graph.add((to_rdflib(q.subject), URIRef(f"{q.predicate.value}--{name}"),
                   to_rdflib(q.object)))
    return graph


def assert_same_store(expected: ox.Store, actual: ox.Store, known_bnodes: set[str]) -> None:
    def fixed(store: ox.Store) -> set[str]:
        # quads whose blank nodes (if any) existed before the update: exactly equal
        return {str(q) for q in store
                if not any(isinstance(t, ox.BlankNode) and t.value not in known_bnodes
                           for t in (q.subject, q.object, q.graph_name))}

    assert fixed(actual) == fixed(expected)
    assert len(actual) == len(expected)
    assert isomorphic(_as_graph(list(actual)), _as_graph(list(expected)))


def check_update(update: str, base: ox.Store | None = None) -> None:
    base = base or _base_store()
    known = {t.value for q in base for t in (q.subject, q.object, q.graph_name)
             if isinstance(t, ox.BlankNode)}
    computed = _copy(base)
    effect = compute_effect(computed, update, max_quads=100_000)
    direct = _copy(base)
    direct.update(update)
    for quad in effect.removed:
        assert quad in computed, f"removed but absent: {quad}"
        computed.remove(quad)
    for quad in effect.added:
        assert quad not in computed, f"added but present: {quad}"
        computed.add(quad)
    assert_same_store(direct, computed, known)


@pytest.mark.parametrize("name", sorted(CASES))
def test_effect_matches_oxigraph(name: str) -> None:
    check_update(CASES[name])


def test_effect_is_not_trivial() -> None:
    # guards against a comparison that always passes: a wrong effect is noticed
    base = _base_store()
    effect = compute_effect(_copy(base), CASES["delete where"], max_quads=1000)
    assert len(effect.removed) == 4 and not effect.added
    computed = _copy(base)
    direct = _copy(base)
    direct.update(CASES["delete where"])
    for quad in effect.removed[1:]:
        computed.remove(quad)
    with pytest.raises(AssertionError):
        assert_same_store(direct, computed, set())


def test_small_update_on_big_store_does_not_copy() -> None:
    store = ox.Store()
    predicate = ox.NamedNode("http://example.org/p")
    store.extend(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), predicate,
                         ox.Literal(str(i)), ox.DefaultGraph()) for i in range(50_000))
    update = P + ("DELETE { ?s ex:p ?o } INSERT { ?s ex:p 'changed' }"
                  " WHERE { ?s ex:p ?o FILTER(?s = ex:s7) }")
    # a limit far below the store's size: only what the update touches counts
    effect = compute_effect(store, update, max_quads=10)
    assert [str(q.object) for q in effect.removed] == ['"7"']
    assert [str(q.object) for q in effect.added] == ['"changed"']


def test_too_large() -> None:
    with pytest.raises(EffectTooLargeError):
        compute_effect(_base_store(), "DROP ALL", max_quads=3)


def test_unsupported_form() -> None:
    with pytest.raises(UnsupportedUpdateError):
        compute_effect(_base_store(), "FROBNICATE GRAPH <http://x>", max_quads=10)


def test_operations_carry_prologue() -> None:
    ops = operations("PREFIX a: <http://a/>\nINSERT DATA { a:x a:y a:z } ;\n"
                     "BASE <http://b/>\nCLEAR GRAPH <g>")
    assert [op.keyword for op in ops] == ["INSERT", "CLEAR"]
    assert ops[0].prologue == "PREFIX a: <http://a/>"
    assert ops[1].prologue == "PREFIX a: <http://a/>\nBASE <http://b/>"


def _random_update(rng: random.Random) -> str:
    graphs = ["ex:g1", "ex:g2", "ex:g3", "ex:g6"]
    preds = ["ex:p", "ex:q", "ex:name", "ex:knows", "ex:r"]
    values = ["ex:a", "ex:b", "ex:c", "1", "2", "'x'", "'z'", "_:fresh"]

    def graph() -> str:
        return rng.choice(graphs)

    def pattern(quads_only: bool = False) -> str:
        core = f"?s {rng.choice(preds)} ?o"
        choices = [core, f"GRAPH {graph()} {{ {core} }}", f"GRAPH ?g {{ {core} }}"]
        if not quads_only:  # DELETE WHERE takes a quad pattern only
            choices.append(f"{core} OPTIONAL {{ ?o ex:p ?v }}")
        return rng.choice(choices)

    def template(delete: bool) -> str:
        subject = rng.choice(["?s", "ex:a", "?o"])
        allowed = [v for v in values if not (delete and v.startswith("_:"))]
        obj = rng.choice([*allowed, "?o", "?v"])
        triple = f"{subject} {rng.choice(preds)} {obj}"
        return rng.choice([triple, f"GRAPH {graph()} {{ {triple} }}", f"GRAPH ?g {{ {triple} }}"])

    def operation() -> str:
        kind = rng.randrange(9)
        if kind == 0:
            data = f"ex:a {rng.choice(preds)} {rng.choice(values)}"
            return f"INSERT DATA {{ GRAPH {graph()} {{ {data} }} {data.replace('_:', '_:d')} }}"
        if kind == 1:
            plain = [v for v in values if not v.startswith("_:")]
            triple = f"ex:a {rng.choice(preds)} {rng.choice(plain)}"
            return f"DELETE DATA {{ GRAPH {graph()} {{ {triple} }} }}"
        if kind == 2:
            return f"DELETE WHERE {{ {pattern(quads_only=True)} }}"
        if kind == 3:
            with_clause = f"WITH {graph()} " if rng.random() < 0.4 else ""
            using = f" USING {graph()}" if rng.random() < 0.3 else ""
            return (f"{with_clause}DELETE {{ {template(True)} }} INSERT {{ {template(False)} }}"
                    f"{using} WHERE {{ {pattern()} }}")
        if kind == 4:
            return f"INSERT {{ {template(False)} }} WHERE {{ {pattern()} }}"
        if kind == 5:
            return f"{rng.choice(['CLEAR', 'DROP'])} SILENT GRAPH {graph()}"
        if kind == 6:
            return f"{rng.choice(['COPY', 'MOVE', 'ADD'])} SILENT {graph()} TO {graph()}"
        if kind == 7:
            return rng.choice(["CLEAR DEFAULT", "DROP NAMED", "CLEAR ALL", "COPY DEFAULT TO ex:g6"])
        return f"DELETE {{ {template(True)} }} WHERE {{ {pattern()} FILTER(isBlank(?s)) }}"

    return P + " ;\n".join(operation() for _ in range(rng.randint(1, 3)))


def test_effect_matches_oxigraph_on_random_updates() -> None:
    rng = random.Random(20261204)
    for _ in range(300):
        update = _random_update(rng)
        try:
            check_update(update)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\nupdate:\n{update}") from exc


def test_only_updates_with_where_or_load_need_a_worker() -> None:
    from spbe_arch.sparql_update import UpdateEffectTask

    def needs(update: str) -> bool:
        return UpdateEffectTask(P + update, 10).needs_time_limit

    assert not needs("INSERT DATA { ex:a ex:b ex:c } ; DELETE DATA { ex:a ex:b ex:d }")
    assert not needs("DROP ALL ; COPY ex:g1 TO ex:g2 ; CREATE GRAPH ex:g9")
    assert needs("INSERT DATA { ex:a ex:b ex:c } ; DELETE WHERE { ?s ?p ?o }")
    assert needs("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert needs("LOAD <http://example.org/doc.ttl>")
