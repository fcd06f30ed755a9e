"""Incremental validation equals full re-validation, whatever the edit (property-based)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.paths import InvPath, MulPath, SequencePath
from rdflib.term import Literal, URIRef
from tests.validation.conftest import keys, repository_with
from tests.validation.faults import all_faults, clean

from spbe_arch import iris
from spbe_arch.repository import ChangeSet, Repository
from spbe_arch.validation import IncrementalValidator, validate, validate_change
from spbe_arch.validation.dependencies import split_path
from spbe_arch.vocab import SPBE

GRAPH = iris.instansi_graph("9902")
LITERALS = [Literal("X"), Literal(""), Literal("Harian"), Literal(1), Literal(2),
            Literal("2025-02-30", datatype=XSD.date), Literal("ab", lang="id")]
EXTRA_PREDICATES = [RDF.type, SPBE.kode, SPBE.urutan, SPBE.langkahBerikutnya, SPBE.jikaYa,
                    SPBE.subProsesDari, SPBE.merealisasikan, SPBE.pemilik, SPBE.instansi,
                    SPBE.klasifikasiRAB, SPBE.validitasData]


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[Repository, IncrementalValidator]]:
    repository = repository_with(clean(), all_faults())
    yield repository, IncrementalValidator(repository)
    repository.close()


def quads(repository: Repository) -> list[tuple[object, object, object, object]]:
    return sorted(repository.quads(GRAPH), key=str)  # type: ignore[arg-type]


OPERATION = st.tuples(st.sampled_from(["remove", "add", "rewire", "literal"]),
                      st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 10_000))
EDITS = st.lists(OPERATION, min_size=1, max_size=4)
"""Edits as indices, resolved against the data when the example runs (so the strategy does
not depend on the repository's state)."""


def resolve(operations: list[tuple[str, int, int, int]],
            existing: list[tuple[object, object, object, object]]) -> ChangeSet:
    changes = ChangeSet()
    present = set(existing)
    subjects = sorted({q[0] for q in existing}, key=str)
    objects = sorted({q[2] for q in existing}, key=str)
    for kind, i, j, k in operations:
        if kind == "remove":
            quad = existing[i % len(existing)]
        elif kind == "add":
            _, p, o, _ = existing[i % len(existing)]
            quad = (subjects[j % len(subjects)], p, o, GRAPH)
        elif kind == "rewire":
            quad = (subjects[i % len(subjects)], EXTRA_PREDICATES[j % len(EXTRA_PREDICATES)],
                    objects[k % len(objects)], GRAPH)
        else:
            quad = (subjects[i % len(subjects)], EXTRA_PREDICATES[j % len(EXTRA_PREDICATES)],
                    LITERALS[k % len(LITERALS)], GRAPH)
        target = changes.remove if kind == "remove" else changes.add
        fresh = quad not in changes.remove and quad not in changes.add
        if fresh and (kind == "remove") == (quad in present):
            target.append(quad)  # type: ignore[arg-type]
    return changes


def inverse(changes: ChangeSet) -> ChangeSet:
    return ChangeSet(add=list(changes.remove), remove=list(changes.add))


def added_by_full_validation(repository: Repository, changes: ChangeSet) -> Counter[Any]:
    """The results a full re-validation finds after `changes` and not before (the change is
    written, validated and taken back)."""
    before = validate(repository)
    repository.apply(changes)
    try:
        after = validate(repository)
    finally:
        repository.apply(inverse(changes))
    return keys(after.results) - keys(before.results)


@pytest.mark.slow
@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(operations=EDITS)
def test_incremental_equals_full(live: tuple[Repository, IncrementalValidator],
                                 operations: list[tuple[str, int, int, int]]) -> None:
    repository, incremental = live
    changes = resolve(operations, quads(repository))
    before = keys(incremental.report().results)
    try:
        update = incremental.apply(changes)
        after = keys(validate(repository).results)
        assert keys(incremental.report().results) == after
        # the update names exactly what changed in the report
        assert keys(update.added) == after - before
        assert keys(update.removed) == before - after
    finally:
        # back to the starting state (also incrementally), so every example starts alike
        incremental.apply(inverse(changes))
    assert keys(incremental.report().results) == keys(validate(repository).results)


def test_subclass_change_revalidates_everything(live: tuple[Repository, IncrementalValidator]
                                                ) -> None:
    repository, incremental = live
    # Layanan becomes a subclass of SOP: every layanan is now also an SOP (with faults)
    changes = ChangeSet(add=[(SPBE.Layanan, RDFS.subClassOf, SPBE.SOP, GRAPH)])
    update = incremental.apply(changes)
    assert update.full and update.added
    assert keys(incremental.report().results) == keys(validate(repository).results)
    incremental.apply(ChangeSet(remove=changes.add))
    assert keys(incremental.report().results) == keys(validate(repository).results)


@pytest.mark.slow
@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(operations=EDITS)
def test_validate_change_is_what_the_change_adds(
        live: tuple[Repository, IncrementalValidator],
        operations: list[tuple[str, int, int, int]]) -> None:
    repository, _ = live
    changes = resolve(operations, quads(repository))
    size = sum(repository.stats().triples_per_graph.values())
    added = validate_change(repository, changes)
    assert sum(repository.stats().triples_per_graph.values()) == size  # nothing written
    assert keys(added.results) == added_by_full_validation(repository, changes)
    assert added.conforms == (not any(r.severity_name == "Violation" for r in added.results))


@pytest.mark.parametrize("form", ["quads", "overlapping", "update text"])
def test_validate_change_forms(live: tuple[Repository, IncrementalValidator], form: str) -> None:
    """The copy is taken back quad by quad after the after-state is read, or copied again
    when the change is SPARQL Update text: either way the same answer as validating twice."""
    from spbe_arch.repository.base import changeset_to_update

    repository, _ = live
    existing = quads(repository)
    step_links = [q for q in existing if q[1] == SPBE.langkahBerikutnya]
    codes = [q for q in existing if q[1] == SPBE.kode]
    quad_change = ChangeSet(remove=[step_links[0], codes[0]],  # type: ignore[list-item]
                            add=[(codes[0][0], SPBE.kode, Literal("BARU"), GRAPH)])  # type: ignore[list-item]
    if form == "quads":
        changes = quad_change
    elif form == "overlapping":  # a quad both removed and added stays
        changes = ChangeSet(remove=[*quad_change.remove, codes[1]],  # type: ignore[list-item]
                            add=[*quad_change.add, codes[1]])  # type: ignore[list-item]
    else:
        changes = ChangeSet(updates=[changeset_to_update(quad_change)])
    added = validate_change(repository, changes)
    assert added.results
    assert keys(added.results) == added_by_full_validation(repository, quad_change)


def test_validate_change_refuses_a_new_violation(clean_repository: Repository) -> None:
    sop = iris.element_iri("9901", "sop", "DINA-01.SOP.01")
    changes = ChangeSet(remove=[(sop, SPBE.nomorSOP, Literal("800/DINA-01.SOP.01/2025"),
                                 iris.instansi_graph("9901"))])
    report = validate_change(clean_repository, changes)
    assert not report.conforms
    assert {r.shape_name() for r in report.results} == {"SOPDitetapkanShape"}
    harmless = ChangeSet(add=[(sop, SPBE.keterangan, Literal("catatan"),
                               iris.instansi_graph("9901"))])
    assert validate_change(clean_repository, harmless).results == []


def test_split_path_finds_each_step() -> None:
    a, b, c = URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:c")
    x, y = URIRef("urn:x"), URIRef("urn:y")
    path = SequencePath(RDF.type, MulPath(RDFS.subClassOf, "*"))
    assert split_path(path, x, RDF.type, y) == [(None, MulPath(RDFS.subClassOf, "*"), x, y)]
    inverse = InvPath(a)
    assert split_path(inverse, x, a, y) == [(None, None, y, x)]
    assert split_path(SequencePath(a, b, c), x, b, y)[0][2:] == (x, y)
    assert split_path(a, x, b, y) == []


@pytest.mark.slow
def test_step_links_removed_and_restored(live: tuple[Repository, IncrementalValidator],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """SOP flowchart edits: the reverse queries walk the step paths from the changed step
    first (`incremental._walked`); the result still equals a full re-validation."""
    from spbe_arch.validation import incremental as module
    from spbe_arch.validation.dependencies import ValuesPattern

    walked: list[bool] = []
    original = module._walked

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        found = original(*args, **kwargs)
        walked.append(found is not None and any(isinstance(p, ValuesPattern)
                                                for p in found.patterns))
        return found

    monkeypatch.setattr(module, "_walked", spy)
    repository, incremental = live
    links = [q for q in quads(repository)
             if q[1] in (SPBE.langkahBerikutnya, SPBE.jikaYa, SPBE.jikaTidak)]
    assert len(links) >= 6
    for link in links[::max(1, len(links) // 6)][:6]:
        change = ChangeSet(remove=[link])  # type: ignore[list-item]
        before = keys(incremental.report().results)
        update = incremental.apply(change)
        after = keys(validate(repository).results)
        assert keys(incremental.report().results) == after
        assert keys(update.added) == after - before and keys(update.removed) == before - after
        incremental.apply(inverse(change))
        assert keys(incremental.report().results) == before
    assert any(walked)


def test_a_filter_exists_narrows_what_a_changed_triple_affects() -> None:
    """`FILTER NOT EXISTS { ?e spbe:instansi $this FILTER EXISTS { ?e a spbe:Aplikasi } }`
    ("domain filled in"): a new element of another class leaves that check's focus alone;
    an element of the class is found."""
    from spbe_arch.validation.dependencies import analyse
    from spbe_arch.validation.incremental import affected_by, dependencies
    from spbe_arch.validation.service import load_validation_shapes, validator_for

    repository = repository_with(clean())
    try:
        validator = validator_for(load_validation_shapes(repository))
        dependencies(validator)
        instansi = iris.instansi_iri("9901")  # the clean instansi
        graph = iris.instansi_graph("9901")
        keys_ = {c.key for c in validator.fast_checks
                 if "DomainTerisiShape" in c.key and "spbe:Aplikasi" in c.sparql}
        assert len(keys_) == 1
        (key,) = keys_
        new = URIRef("https://example.org/baru")
        layanan = [(new, RDF.type, SPBE.Layanan), (new, SPBE.instansi, instansi)]
        aplikasi = [(new, RDF.type, SPBE.Aplikasi), (new, SPBE.instansi, instansi)]
        repository.apply(ChangeSet(add=[(*t, graph) for t in layanan]))  # type: ignore[misc]
        graphs = [graph]
        assert key not in affected_by(repository, validator, graphs, layanan).roots
        repository.apply(ChangeSet(remove=[(*t, graph) for t in layanan],  # type: ignore[misc]
                                   add=[(*t, graph) for t in aplikasi]))  # type: ignore[misc]
        assert affected_by(repository, validator, graphs, aplikasi).roots[key] == {instansi}
        # existential variables of two EXISTS are not joined by their common name
        deps = analyse("SELECT ?this WHERE { ?this <urn:p> ?x ."
                       " FILTER EXISTS { ?x <urn:q> ?y } FILTER EXISTS { ?this <urn:r> ?y } }",
                       "this")
        (trigger,) = [t for t in deps.triggers if str(t.pattern.p) == "urn:p"]
        ys = {str(t.o) for t in trigger.context if str(t.p) in ("urn:q", "urn:r")}
        assert len(ys) == 2 and "y" not in ys
    finally:
        repository.close()


def test_existential_variables_of_two_exists_are_independent() -> None:
    """A rule with two EXISTS using the same unbound name: adding the triple that makes
    it fire is found incrementally (joining the two ?y would miss it)."""
    from pathlib import Path
    from tempfile import TemporaryDirectory

    shapes = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:Rule a sh:NodeShape ; sh:targetClass ex:T ; sh:severity sh:Warning ;
    sh:message "x" ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:select \"\"\"
        SELECT $this ?value WHERE { $this <https://example.org/p> ?value .
            FILTER EXISTS { ?value <https://example.org/q> ?y }
            FILTER EXISTS { $this <https://example.org/r> ?y } }\"\"\" ] .
"""
    ex = "https://example.org/"
    node, value = URIRef(ex + "n"), URIRef(ex + "v")
    with TemporaryDirectory() as folder:
        path = Path(folder) / "rule.ttl"
        path.write_text(shapes, encoding="utf-8")
        repository = repository_with(clean())
        try:
            repository.apply(ChangeSet(add=[
                (node, RDF.type, URIRef(ex + "T"), GRAPH),
                (value, URIRef(ex + "q"), Literal("y1"), GRAPH),
                (node, URIRef(ex + "r"), Literal("y2"), GRAPH)]))
            incremental = IncrementalValidator(repository, extra_shapes=[path])
            assert not [r for r in incremental.report().results if r.focus_node == node]
            incremental.apply(ChangeSet(add=[(node, URIRef(ex + "p"), value, GRAPH)]))
            fired = [r for r in incremental.report().results if r.focus_node == node]
            assert len(fired) == 1
            full = validate(repository, extra_shapes=[path])
            assert keys(incremental.report().results) == keys(full.results)
        finally:
            repository.close()


@pytest.mark.parametrize("large", [False, True], ids=["focus-nodes", "every-check"])
def test_a_long_flowchart_change_is_checked_exactly_with_linear_reverse_queries(
        clean_repository: Repository, monkeypatch: pytest.MonkeyPatch, large: bool) -> None:
    """Sixty steps put into an SOP's flowchart, one of them unreachable: the change adds what a
    full re-validation finds, and the reverse queries hold rows in proportion to the steps
    (each changed step's walk joined with every other step's made them grow with the square,
    and the queries with the cube: a 100-step SOP took 12 s to save, 500 steps minutes).
    Past `LARGE_CHANGE_TRIPLES` every check runs on the copy instead, with the same answer."""
    from spbe_arch.validation import incremental as module

    if large:
        monkeypatch.setattr(module, "LARGE_CHANGE_TRIPLES", 100)

    repository = clean_repository
    graph = iris.instansi_graph("9901")
    sop = iris.element_iri("9901", "sop", "DINA-01.SOP.01")
    fourth, last = iris.sop_step_iri(sop, 4), iris.sop_step_iri(sop, 5)
    actor = iris.sop_pelaksana_iri(sop, "Petugas")
    count = 60
    new = [iris.sop_step_iri(sop, 100 + n) for n in range(count)]
    add = [(fourth, SPBE.langkahBerikutnya, new[0], graph)]
    for n, step in enumerate(new):
        add += [(step, RDF.type, SPBE.LangkahSOP, graph), (sop, SPBE.memilikiLangkah, step, graph),
                (step, SPBE.urutan, Literal(100 + n), graph),
                (step, SPBE.nama, Literal(f"Langkah baru {n}"), graph),
                (step, SPBE.jenisSimbol, SPBE.Kegiatan, graph),
                (step, SPBE.dilaksanakanOleh, actor, graph)]
        for field in (SPBE.kelengkapan, SPBE.waktu, SPBE.output):
            add.append((step, field, Literal("isi"), graph))
        if n + 1 < count - 1:  # the last new step is linked from nowhere
            add.append((step, SPBE.langkahBerikutnya, new[n + 1], graph))
    add.append((new[count - 2], SPBE.langkahBerikutnya, last, graph))
    changes = ChangeSet(add=add, remove=[(fourth, SPBE.langkahBerikutnya, last, graph)])

    rows: list[int] = []
    original = module._run_reverse

    def spy(repository, graphs, bodies, deps, affected):  # type: ignore[no-untyped-def]
        rows.extend(text.count("(<") for text in bodies)
        return original(repository, graphs, bodies, deps, affected)

    monkeypatch.setattr(module, "_run_reverse", spy)
    added = validate_change(repository, changes)
    assert keys(added.results) == added_by_full_validation(repository, changes)
    assert any(new[-1] in (r.focus_node, r.value) for r in added.results), added.results
    if large:
        assert rows == []  # no reverse query at all
    else:
        assert 0 < sum(rows) < 20 * count, rows
