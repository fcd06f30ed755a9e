"""The fast path gives exactly pySHACL's results (focus node, path, value, shape, component,
severity — as multisets) on the demo repository and on the repository with a fault for every
rule; and nothing on the clean instansi."""

from __future__ import annotations

import pytest
from tests.validation.conftest import keys

from spbe_arch.repository import Repository
from spbe_arch.validation import validate
from spbe_arch.validation.engine import data_graph
from spbe_arch.validation.reference import run_pyshacl
from spbe_arch.validation.service import data_graphs
from spbe_arch.validation.shapes import ShapesGraph


def reference(repository: Repository, shapes: ShapesGraph) -> list[object]:
    return run_pyshacl(data_graph(repository, data_graphs(repository)), shapes)  # type: ignore[return-value]


def test_every_shape_runs_on_the_fast_path(demo_repository: Repository) -> None:
    report = validate(demo_repository)
    assert report.unsupported == {}
    assert set(report.engines.values()) == {"fast"}
    assert len(report.engines) > 40


def test_clean_instansi_conforms_to_every_rule(clean_repository: Repository) -> None:
    report = validate(clean_repository)
    assert report.results == [], [(r.shape_name(), str(r.focus_node)) for r in report.results]
    assert report.conforms


@pytest.mark.slow
def test_faults_identical_to_pyshacl(faults_repository: Repository, shapes: ShapesGraph) -> None:
    fast = validate(faults_repository, engine="fast")
    assert len(fast.results) > 150
    assert keys(fast.results) == keys(reference(faults_repository, shapes))  # type: ignore[arg-type]


@pytest.mark.slow
def test_demo_identical_to_pyshacl(demo_repository: Repository, shapes: ShapesGraph) -> None:
    fast = validate(demo_repository, engine="fast")
    assert len(fast.results) > 50
    assert keys(fast.results) == keys(reference(demo_repository, shapes))  # type: ignore[arg-type]


def test_engine_pyshacl_is_the_same_as_fast(clean_repository: Repository) -> None:
    # the pySHACL engine through the same service function (small repository: quick)
    assert validate(clean_repository, engine="pyshacl").results == []
    report = validate(clean_repository, engine="pyshacl")
    assert set(report.engines.values()) == {"pyshacl"}


@pytest.mark.slow
def test_runs_on_focus_nodes_equal_the_full_run(faults_repository: Repository) -> None:
    """Every check written for a few focus nodes (incremental runs: per-row NOT EXISTS
    instead of MINUS or OPTIONAL/!BOUND) gives, on all its focus nodes, what its full-run
    form gives: checked on the repository with a fault for every rule."""
    from spbe_arch.repository import SelectResult
    from spbe_arch.validation.engine import Scope, class_closures, run_check
    from spbe_arch.validation.service import load_validation_shapes, validator_for

    validator = validator_for(load_validation_shapes(faults_repository))
    closures = class_closures(faults_repository, validator.fast_checks)
    scope = Scope(data_graphs(faults_repository), closures=closures, leaf_classes=frozenset(
        c for c, subs in closures.items() if len(subs) == 1))
    answer = faults_repository.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER isIRI(?s) }")
    assert isinstance(answer, SelectResult)
    nodes = sorted((row["s"] for row in answer.rows), key=str)
    compared = 0
    for check in validator.fast_checks:
        full = run_check(faults_repository, check, scope)
        focused = run_check(faults_repository, check, scope, nodes)
        assert keys(focused.results) == keys(full.results), check.key
        compared += bool(full.results)
    assert compared > 40  # most checks have results on this repository
