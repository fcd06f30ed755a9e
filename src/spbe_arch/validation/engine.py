"""Running compiled shapes on a repository, and pySHACL for the shapes they cannot cover."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Graph
from rdflib.term import Node, URIRef

from spbe_arch.errors import InputError
from spbe_arch.repository import Repository, SelectResult
from spbe_arch.validation.compiler import CheckPart, CompiledCheck, Compiler, ShapePlan
from spbe_arch.validation.paths import path_key
from spbe_arch.validation.prefilter import RunCache
from spbe_arch.validation.reference import run_pyshacl
from spbe_arch.validation.report import ValidationReport, ValidationResult, sort_results
from spbe_arch.validation.shapes import Shape, ShapesGraph

ENGINES = ("auto", "fast", "pyshacl")
FOCUS_BATCH = 2000
"""At most this many focus nodes go into one VALUES block."""
WORKERS = max(1, min(4, os.cpu_count() or 1))
"""Checks run at the same time: Oxigraph evaluates a query without holding the GIL, and the
checks are independent (read-only queries on one store)."""


@dataclass
class Scope:
    """What a validation run looks at.

    `data_graphs`: the named graphs whose union is the SHACL data graph (every graph of the
    repository: queries run on its union graph).
    `focus_graph`: only results whose focus node has a triple in this graph are kept
    (the instansi filter). `focus`: only these focus nodes are validated (incremental runs).
    """

    data_graphs: list[URIRef]
    focus_graph: URIRef | None = None
    focus: dict[str, list[Node]] | None = None
    """Top-level shape label -> focus nodes to validate; shapes missing are skipped."""
    leaf_classes: frozenset[str] = frozenset()
    """Classes without subclasses in the data (see `CompiledCheck.query`)."""
    closures: dict[str, tuple[str, ...]] | None = None
    """Each tested class with its subclasses in the data (see `CompiledCheck.query`)."""
    cache: RunCache = field(default_factory=RunCache)
    """Data the prefilters of a full run read once (see `prefilter`)."""


@dataclass
class CheckOutcome:
    check: CompiledCheck
    results: list[ValidationResult]
    roots: list[Node]
    """The top-level focus node of each result (same order)."""
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    """CPU time of the thread that ran the check (the query runs in it)."""


@dataclass
class RunOutcome:
    report: ValidationReport
    outcomes: list[CheckOutcome] = field(default_factory=list)
    fallback: dict[str, list[ValidationResult]] = field(default_factory=dict)


class Validator:
    """Compiled shapes, ready to run on any repository."""

    def __init__(self, shapes: ShapesGraph, engine: str = "auto") -> None:
        if engine not in ENGINES:
            raise InputError(
                f"mesin validasi '{engine}' tidak dikenal; gunakan {', '.join(ENGINES)}",
                f"unknown validation engine '{engine}'; use {', '.join(ENGINES)}")
        self.shapes = shapes
        self.engine = engine
        compiler = Compiler(shapes)
        self.plans: list[ShapePlan] = [compiler.plan(s) for s in shapes.top_level()
                                       if not s.deactivated]
        if engine == "pyshacl":
            for plan in self.plans:
                plan.unsupported = plan.unsupported or "engine=pyshacl"
        if engine == "fast":
            missing = [p for p in self.plans if p.unsupported]
            if missing:
                details = "; ".join(f"{p.shape.label()}: {p.unsupported}" for p in missing)
                raise InputError(f"bentuk berikut tidak dapat dijalankan jalur cepat: {details}",
                                 f"these shapes cannot run on the fast path: {details}")

    @property
    def fast_checks(self) -> list[CompiledCheck]:
        return [c for p in self.plans if not p.unsupported for c in p.checks]

    def engines(self) -> dict[str, str]:
        return {p.shape.label(): ("pyshacl" if p.unsupported else "fast") for p in self.plans}

    def unsupported(self) -> dict[str, str]:
        return {p.shape.label(): p.unsupported for p in self.plans if p.unsupported}

    # --- running -------------------------------------------------------------------------
    def run(self, repository: Repository, scope: Scope, sort: bool = True) -> RunOutcome:
        """Validate; `sort=False` leaves the report's results unsorted (for a caller that
        sorts them after adding what the order depends on, such as the OPD)."""
        started = time.perf_counter()
        outcomes: list[CheckOutcome] = []
        if scope.closures is None:
            scope.closures = class_closures(repository, self.fast_checks)
            scope.leaf_classes = frozenset(c for c, subs in scope.closures.items()
                                           if len(subs) == 1)
        tasks: list[tuple[CompiledCheck, Sequence[Node] | None]] = []
        for plan in self.plans:
            if plan.unsupported:
                continue
            focus = None
            if scope.focus is not None:
                if plan.shape.label() not in scope.focus:
                    continue
                focus = scope.focus[plan.shape.label()]
                if not focus:
                    continue
            tasks += [(check, focus) for check in plan.checks]
        if WORKERS > 1 and len(tasks) > 1:
            with ThreadPoolExecutor(WORKERS) as pool:
                outcomes = list(pool.map(lambda task: run_check(repository, task[0], scope,
                                                                task[1]), tasks))
        else:
            outcomes = [run_check(repository, check, scope, focus) for check, focus in tasks]
        fast_seconds = time.perf_counter() - started
        fallback: dict[str, list[ValidationResult]] = {}
        fallback_plans = [p for p in self.plans if p.unsupported
                          and (scope.focus is None or p.shape.label() in scope.focus)]
        if fallback_plans:
            data = data_graph(repository, scope.data_graphs)
            results = run_pyshacl(data, self.shapes, [p.shape.node for p in fallback_plans])
            labels: dict[Node, str] = {p.shape.node: p.shape.label() for p in fallback_plans}
            owners = _owning_top_shapes(self.shapes, [p.shape for p in fallback_plans])
            for result in results:
                owner = owners.get(result.source_shape)
                label = labels.get(owner, "") if owner is not None else ""
                fallback.setdefault(label, []).append(result)
            if scope.focus is not None:
                for label, kept in list(fallback.items()):
                    wanted = set(scope.focus.get(label, []))
                    fallback[label] = [r for r in kept if r.focus_node in wanted]
        results = [r for o in outcomes for r in o.results]
        results += [r for rs in fallback.values() for r in rs]
        if scope.focus_graph is not None:
            members = subjects_in_graph(repository, scope.focus_graph)
            results = [r for r in results if r.focus_node in members]
            for outcome in outcomes:
                pairs = [(result, root) for result, root
                         in zip(outcome.results, outcome.roots, strict=True)
                         if result.focus_node in members]
                outcome.results = [result for result, _ in pairs]
                outcome.roots = [root for _, root in pairs]
        report = ValidationReport(sort_results(results) if sort else results, self.engines(),
                                  self.unsupported())
        report.timings = {"fast_s": fast_seconds,
                          "total_s": time.perf_counter() - started}
        return RunOutcome(report, outcomes, fallback)


def _owning_top_shapes(shapes: ShapesGraph, tops: Sequence[Shape]) -> dict[Node, Node]:
    """Source shape -> the top-level shape whose validation reports it (sh:property chains)."""
    from spbe_arch.vocab import SH

    owner: dict[Node, Node] = {}
    for top in tops:
        stack: list[Node] = [top.node]
        while stack:
            node = stack.pop()
            if node in owner:
                continue
            owner[node] = top.node
            stack.extend(shapes.graph.objects(node, SH.property))
    return owner


def run_check(repository: Repository, check: CompiledCheck, scope: Scope,
              focus: Sequence[Node] | None = None) -> CheckOutcome:
    started = time.perf_counter()
    cpu_started = time.thread_time()
    results: list[ValidationResult] = []
    roots: list[Node] = []
    batches: Iterable[list[Node] | None]
    if focus is None and check.prefilter is not None:
        # the query's own answer for the focus nodes that may have results; the others
        # have none (prefilter.py)
        focus = check.prefilter(repository, scope.cache)
    if focus is None:
        batches = [None]
    else:
        focus = list(focus)
        batches = [focus[i:i + FOCUS_BATCH] for i in range(0, len(focus), FOCUS_BATCH)]
    for batch in batches:
        focus_filter = ""
        if scope.focus_graph is not None and check.root_var == check.focus_var:
            focus_filter = (f"FILTER EXISTS {{ GRAPH <{scope.focus_graph}> {{ ?{check.root_var}"
                            f" ?spbe_gp ?spbe_go }} }}\n")
        text = check.query(batch, focus_filter, scope.leaf_classes, scope.closures)
        # The data graph is the repository's union graph, as for every query (an explicit
        # list of default graphs makes Oxigraph 5-15x slower, measured at 500k triples).
        answer = repository.query(text)
        if not isinstance(answer, SelectResult):
            raise TypeError("compiled check did not return solutions")
        seen: set[tuple[int, Node, Node]] = set()
        for row in answer.rows:
            root = row[check.root_var]
            for index, part in enumerate(check.parts):
                if part.flag_var is not None and str(row.get(part.flag_var, "")) != "true":
                    continue
                if part.focus_level:
                    # a shared query has a row per value: one result per focus node
                    marker = (index, root, row[check.focus_var])
                    if marker in seen:
                        continue
                    seen.add(marker)
                result = result_from_row(check, part, row)
                if result is not None:
                    results.append(result)
                    roots.append(root)
    return CheckOutcome(check, results, roots, time.perf_counter() - started,
                        time.thread_time() - cpu_started)


_path_key = lru_cache(maxsize=4096)(path_key)
"""Result paths repeat (one per property shape): their text is computed once."""


def result_from_row(check: CompiledCheck, part: CheckPart, row: dict[str, Node]
                    ) -> ValidationResult | None:
    focus = row[check.focus_var]
    value = row.get(part.value_var) if part.value_var else None
    if value is None and part.value_default_focus:
        value = focus
    if part.refine is not None and (value is None or not part.refine(value)):
        return None
    path = row.get(part.path_var) if part.path_var else None
    if path is None:
        path = part.default_path
    return ValidationResult(
        focus_node=focus,
        result_path=path,
        value=value,
        source_shape=part.shape.node,
        source_constraint_component=part.component,
        severity=part.shape.severity,  # type: ignore[arg-type]
        messages=part.messages,
        source_constraint=part.source_constraint,
        path_text=_path_key(part.shape.graph, path) if path is not None else None,
        bindings={v: row[v] for v in part.extra_vars if v in row},
    )


def class_closures(repository: Repository, checks: Iterable[CompiledCheck]
                   ) -> dict[str, tuple[str, ...]]:
    """Each class the checks test instances of, with its subclasses in the data graph."""
    classes = sorted({c for check in checks for c in check.instance_classes()})
    if not classes:
        return {}
    values = " ".join(f"<{c}>" for c in classes)
    answer = repository.query(
        "SELECT ?c ?sub WHERE { VALUES ?c { " + values + " }"
        " ?sub <http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?c }")
    assert isinstance(answer, SelectResult)
    found: dict[str, set[str]] = {c: {c} for c in classes}
    for row in answer.rows:
        if isinstance(row.get("sub"), URIRef):
            found[str(row["c"])].add(str(row["sub"]))
    return {c: tuple(sorted(subs)) for c, subs in found.items()}


def leaf_classes(repository: Repository, checks: Iterable[CompiledCheck]) -> frozenset[str]:
    """The classes the checks test instances of that have no subclass in the data graph."""
    return frozenset(c for c, subs in class_closures(repository, checks).items() if len(subs) == 1)


def data_graph(repository: Repository, graphs: Sequence[URIRef]) -> Graph:
    """The union of `graphs` as one rdflib Graph (for pySHACL)."""
    graph = Graph()
    for name in graphs:
        for s, p, o, _ in repository.quads(name):
            graph.add((s, p, o))
    return graph


def subjects_in_graph(repository: Repository, graph: URIRef) -> set[Node]:
    answer = repository.query(f"SELECT DISTINCT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert isinstance(answer, SelectResult)
    return {row["s"] for row in answer.rows}
