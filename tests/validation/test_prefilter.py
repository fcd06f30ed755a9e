"""Forms used only in full runs never change a check's results: with a prefilter
(prefilter.py) a full run equals the check's own query over every focus node (random SOP
flowcharts); the class joins of shared value queries equal their per-row class tests."""

from __future__ import annotations

import dataclasses
import itertools
import random

import pytest

from spbe_arch import datasets, iris
from spbe_arch.repository import LoadSource, Repository, open_repository
from spbe_arch.validation.compiler import CompiledCheck
from spbe_arch.validation.engine import Scope, Validator, class_closures, run_check
from spbe_arch.validation.prefilter import RunCache
from spbe_arch.validation.service import data_graphs, load_validation_shapes, validator_for

SPBE = "https://w3id.org/spbe-arch/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
FLOW_RULES = ("SOPLangkahTerjangkauShape", "SOPLangkahMencapaiAkhirShape")


def _random_flowcharts(seed: int) -> str:
    """N-Triples of SOPs with random steps, urutan and edges: cycles, several first or last
    steps, steps without or with odd urutan, steps shared between SOPs, edges leaving the
    SOP or ending in a literal, a blank-node SOP and an SOP that is not typed."""
    rng = random.Random(seed)
    lines: list[str] = []
    all_steps: list[str] = []
    # no two numerically equal urutan of different datatypes (2 and 2.0): MAX may return
    # either, so the rule itself has no single answer for them
    numbers = [f'"{n}"^^<{XSD}integer>' for n in range(1, 7)] + [
        f'"7"^^<{XSD}int>', f'"2.5"^^<{XSD}decimal>', '"1"', f'"01"^^<{XSD}integer>']
    sops = [f"<https://example.org/sop/{seed}/{i}>" for i in range(14)]
    if seed % 3 == 0:
        sops.append("_:sop")
    for index, sop in enumerate(sops):
        if index != 3:
            lines.append(f"{sop} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{SPBE}SOP> .")
        steps = [f"<https://example.org/sop/{seed}/{index}/s{n}>" for n in range(rng.randint(1, 6))]
        if all_steps and rng.random() < 0.2:
            steps.append(rng.choice(all_steps))
        for position, step in enumerate(steps):
            lines.append(f"{sop} <{SPBE}memilikiLangkah> {step} .")
            roll = rng.random()
            if roll < 0.7:
                lines.append(f'{step} <{SPBE}urutan> "{position + 1}"^^<{XSD}integer> .')
            elif roll < 0.85:
                lines.append(f"{step} <{SPBE}urutan> {rng.choice(numbers)} .")
            elif roll < 0.9:
                lines.append(f"{step} <{SPBE}urutan> {rng.choice(numbers)} .")
                lines.append(f"{step} <{SPBE}urutan> {rng.choice(numbers)} .")
        if rng.random() < 0.5:  # a well-formed chain
            for a, b in itertools.pairwise(steps):
                lines.append(f"{a} <{SPBE}langkahBerikutnya> {b} .")
        all_steps += steps
    predicates = ("langkahBerikutnya", "jikaYa", "jikaTidak")
    for _ in range(len(all_steps)):
        a = rng.choice(all_steps)
        b = rng.choice(all_steps) if rng.random() < 0.9 else '"akhir"'
        lines.append(f"{a} <{SPBE}{rng.choice(predicates)}> {b} .")
    return "\n".join(lines) + "\n"


def _repository(seed: int) -> Repository:
    repository = open_repository("memory:")
    sources = datasets.base_sources()
    sources.append(LoadSource(_random_flowcharts(seed).encode(), "ntriples",
                              iris.instansi_graph("9977"), "flowcharts"))
    repository.load(sources)
    return repository


def _flow_checks(validator: Validator) -> list[CompiledCheck]:
    return [c for c in validator.fast_checks if c.key.split("|")[0].split("#")[-1] in FLOW_RULES]


def _keys(repository: Repository, check: CompiledCheck) -> list[tuple[object, ...]]:
    closures = class_closures(repository, [check])
    scope = Scope(data_graphs(repository), closures=closures,
                  leaf_classes=frozenset(c for c, s in closures.items() if len(s) == 1))
    return sorted((r.key() for r in run_check(repository, check, scope).results), key=str)


def test_the_sop_flow_rules_have_their_prefilter() -> None:
    # fails when the rules' text changes: then write the prefilter again (or drop it)
    checks = _flow_checks(validator_for(load_validation_shapes()))
    assert len(checks) == 2
    assert all(check.prefilter is not None for check in checks)


@pytest.mark.parametrize("seed", range(16))
def test_prefiltered_full_run_equals_the_query_over_every_focus_node(seed: int) -> None:
    repository = _repository(seed)
    try:
        for check in _flow_checks(validator_for(load_validation_shapes(repository))):
            plain = dataclasses.replace(check, prefilter=None)
            assert _keys(repository, check) == _keys(repository, plain), check.key
    finally:
        repository.close()


def test_prefilter_skips_sops_without_results_and_keeps_the_others() -> None:
    repository = _repository(1)
    try:
        for check in _flow_checks(validator_for(load_validation_shapes(repository))):
            assert check.prefilter is not None
            suspects = check.prefilter(repository, RunCache())
            assert suspects is not None
            plain = dataclasses.replace(check, prefilter=None)
            closures = class_closures(repository, [check])
            scope = Scope(data_graphs(repository), closures=closures)
            with_results = {r.focus_node for r in run_check(repository, plain, scope).results}
            assert with_results <= set(suspects)
            assert len(suspects) < 15  # some SOPs were ruled out
    finally:
        repository.close()


def test_full_run_class_joins_equal_the_per_row_class_tests(faults_repository: Repository
                                                            ) -> None:
    """Shared value queries test classes by joining the class's instances in full runs
    (`CompiledCheck.full_sparql`); the answer equals the per-row NOT EXISTS form."""
    checks = [c for c in validator_for(load_validation_shapes(faults_repository)).fast_checks
              if c.full_sparql]
    assert len(checks) >= 5
    found = 0
    for check in checks:
        plain = dataclasses.replace(check, full_sparql=None)
        assert _keys(faults_repository, check) == _keys(faults_repository, plain), check.key
        found += len(_keys(faults_repository, check))
    assert found > 0  # the planted faults include values of the wrong class


def test_max_count_checks_of_one_predicate_have_a_prefilter() -> None:
    checks = [c for c in validator_for(load_validation_shapes()).fast_checks
              if c.key.endswith("MaxCountConstraintComponent|0")]
    assert len(checks) > 40
    assert all(check.prefilter is not None for check in checks if check.root_var ==
               check.focus_var)


def test_class_checks_of_one_predicate_have_a_prefilter() -> None:
    checks = [c for c in validator_for(load_validation_shapes()).fast_checks
              if c.key.endswith("ClassConstraintComponent|0") and c.root_var == c.focus_var]
    assert len(checks) > 10
    assert all(check.prefilter is not None for check in checks)


@pytest.mark.parametrize("component", ["MaxCount", "ClassConstraint"])
def test_one_predicate_prefilters_keep_every_node_with_a_result(
        faults_repository: Repository, component: str) -> None:
    """With the prefilter a full run gives what the check's query gives over every focus
    node; the planted faults include second values and values of the wrong class."""
    checks = [c for c in validator_for(load_validation_shapes(faults_repository)).fast_checks
              if c.prefilter is not None and component in c.key]
    found = 0
    cache = RunCache()
    for check in checks:
        plain = dataclasses.replace(check, prefilter=None)
        expected = _keys(faults_repository, plain)
        assert _keys(faults_repository, check) == expected, check.key
        suspects = check.prefilter(faults_repository, cache)  # type: ignore[misc]
        assert suspects is not None
        assert {key[0] for key in expected} <= {str(s) for s in suspects}
        found += len(expected)
    assert found > 0


def test_class_prefilter_keeps_literals_untyped_nodes_and_other_classes() -> None:
    from rdflib import RDF, BNode, Literal, URIRef

    from spbe_arch.repository import ChangeSet
    from spbe_arch.validation.prefilter import values_not_typed

    repository = open_repository("memory:")
    p = URIRef("https://example.org/p")
    c = URIRef("https://example.org/C")
    g = URIRef("https://example.org/g")
    a, b, d, e, ok, other = (URIRef(f"https://example.org/{x}") for x in
                             ("a", "b", "d", "e", "ok", "other"))
    repository.apply(ChangeSet(add=[
        (ok, RDF.type, c, g), (other, RDF.type, URIRef("https://example.org/D"), g),
        (a, p, ok, g),                        # fine
        (b, p, Literal("x"), g),              # a literal is no instance
        (d, p, other, g), (d, p, ok, g),      # one of its values is of another class
        (e, p, URIRef("https://example.org/untyped"), g)]))
    found = values_not_typed(str(p), str(c))(repository, RunCache())
    assert found is not None
    assert sorted(map(str, found)) == sorted(map(str, (b, d, e)))
    repository.apply(ChangeSet(add=[(BNode(), p, Literal("y"), g)]))
    assert values_not_typed(str(p), str(c))(repository, RunCache()) is None


def test_max_count_prefilter_counts_more_than_n_and_gives_up_on_blank_nodes() -> None:
    from rdflib import BNode, Literal, URIRef

    from spbe_arch.repository import ChangeSet
    from spbe_arch.validation.prefilter import more_values_than

    repository = open_repository("memory:")
    p = URIRef("https://example.org/p")
    g = URIRef("https://example.org/g")
    a, b, c = (URIRef(f"https://example.org/{x}") for x in "abc")
    repository.apply(ChangeSet(add=[(a, p, Literal(1), g), (a, p, Literal(2), g),
                                    (b, p, Literal(1), g), (c, p, Literal(1), g),
                                    (c, p, Literal(2), g), (c, p, Literal(3), g)]))
    assert sorted(map(str, more_values_than(str(p), 1)(repository, RunCache()) or [])) == [
        str(a), str(c)]
    assert more_values_than(str(p), 2)(repository, RunCache()) == [c]
    repository.apply(ChangeSet(add=[(BNode(), p, Literal(1), g), (BNode("x"), p, Literal(1), g),
                                    (BNode("x"), p, Literal(2), g)]))
    assert more_values_than(str(p), 1)(repository, RunCache()) is None
