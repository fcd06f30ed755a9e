"""Incremental validation: after a change, re-validate only the focus nodes it can affect.

`IncrementalValidator` keeps the results of a full run per compiled check and per top-level
focus node. For a change it finds the affected focus nodes with the reverse queries of
`spbe_arch.validation.dependencies` (removed triples on the store before the change, added
triples after it), re-runs only those checks for only those focus nodes, and splices the
answers in. Shapes validated by pySHACL (the fast path cannot run them) are re-run whole.

`validate_change` answers "which results would this change add?" without writing: it applies
the change to an in-memory copy of the graphs the change touches (the instansi graph, its BPMN
graphs, and every shared graph such as the ontology and the reference versions).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib.namespace import RDFS
from rdflib.term import BNode, Node, URIRef

from spbe_arch import iris
from spbe_arch.repository import ChangeSet, Quad, Repository, SelectResult
from spbe_arch.validation.analysis_cache import analyse_all
from spbe_arch.validation.compiler import CompiledCheck
from spbe_arch.validation.dependencies import (
    CheckDependencies,
    Match,
    Pattern,
    ReverseQuery,
    Trigger,
    TriplePattern,
    ValuesPattern,
    analyse,
    anchored_path,
    match,
    merged,
    path_text,
    reverse_query,
    term_text,
)
from spbe_arch.validation.engine import Scope, Validator, class_closures, run_check
from spbe_arch.validation.engine import data_graph as rdflib_data_graph
from spbe_arch.validation.reference import run_pyshacl
from spbe_arch.validation.report import ValidationReport, ValidationResult, sort_results
from spbe_arch.validation.service import (
    annotate_opd,
    data_graphs,
    load_validation_shapes,
    quiet_rdflib,
    validator_for,
)

Triple = tuple[Node, Node, Node]

_analysis_lock = threading.Lock()
_analyses: dict[int, dict[str, CheckDependencies]] = {}


def dependencies(validator: Validator) -> dict[str, CheckDependencies]:
    """Dependency analysis of every fast-path check (parsed once per validator)."""
    with _analysis_lock:
        found = _analyses.get(id(validator))
        if found is None:
            # the parts' own queries: a shared query's dependencies are theirs together
            texts = {check.key: sorted({part.standalone or check.sparql for part in check.parts})
                     for check in validator.fast_checks}
            queries = [(text, check.root_var) for check in validator.fast_checks
                       for text in texts[check.key]]
            analyses = iter(analyse_all(queries, analyse))
            found = {}
            for check in validator.fast_checks:
                analysed = [next(analyses) for _ in texts[check.key]]
                combined = CheckDependencies(analysed[0].root,
                                             [t for a in analysed for t in a.triggers])
                combined.index()
                found[check.key] = combined
            _analyses[id(validator)] = found
        return found


_indexes: dict[int, tuple[dict[URIRef, list[tuple[str, CheckDependencies, Trigger]]],
                          list[tuple[str, CheckDependencies, Trigger]]]] = {}


def _triggers(validator: Validator
              ) -> tuple[dict[URIRef, list[tuple[str, CheckDependencies, Trigger]]],
                         list[tuple[str, CheckDependencies, Trigger]]]:
    """Every check's triggers by the predicate they match, and those matching any predicate
    (one lookup per changed triple instead of one per check)."""
    deps = dependencies(validator)
    with _analysis_lock:
        found = _indexes.get(id(validator))
        if found is None:
            by_predicate: dict[URIRef, list[tuple[str, CheckDependencies, Trigger]]] = {}
            for key, dep in deps.items():
                for predicate, triggers in dep.by_predicate.items():
                    by_predicate.setdefault(predicate, []).extend(
                        (key, dep, trigger) for trigger in triggers)
            found = (by_predicate, [(key, dep, trigger) for key, dep in deps.items()
                                    for trigger in dep.any_predicate])
            _indexes[id(validator)] = found
        return found


@dataclass
class Affected:
    roots: dict[str, set[Node]] = field(default_factory=dict)
    everything: set[str] = field(default_factory=set)
    data_changed: bool = False

    def add(self, key: str, root: Node) -> None:
        self.roots.setdefault(key, set()).add(root)

    def merge(self, other: Affected) -> None:
        for key, roots in other.roots.items():
            self.roots.setdefault(key, set()).update(roots)
        self.everything |= other.everything
        self.data_changed = self.data_changed or other.data_changed


def affected_by(repository: Repository, validator: Validator, graphs: Sequence[URIRef],
                triples: Iterable[Triple]) -> Affected:
    """The focus nodes (per check) whose results the given triples can change, evaluated on
    the repository as it is now (call it with removed triples before a change, with added
    triples after it)."""
    deps = dependencies(validator)
    by_predicate, any_predicate = _triggers(validator)
    affected = Affected()
    reverse: dict[object, tuple[list[ReverseQuery], set[str]]] = {}
    matches: list[tuple[str, CheckDependencies, Match, Trigger]] = []
    for s, p, o in triples:
        affected.data_changed = True
        if not isinstance(p, URIRef):
            continue
        for key, dep, trigger in (*by_predicate.get(p, ()), *any_predicate):
            for m in match(trigger, s, p, o):
                matches.append((key, dep, m, trigger))
    # Ground patterns left by splitting a path (e.g. `<Layanan> rdfs:subClassOf* <SOP>` after
    # a new `rdf:type` triple) are decided first, in one query: most are false and drop
    # their match without a reverse query.
    ground = sorted({pattern for _, _, m, _ in matches for pattern in m.patterns
                     if isinstance(pattern, TriplePattern) and not pattern.vars()}, key=str)
    true_ground = _true_patterns(repository, ground)
    walks: dict[TriplePattern, ValuesPattern | None] = {}
    for key, dep, m, trigger in matches:
        if key in affected.everything:
            continue
        if any(not pattern.vars() and pattern not in true_ground for pattern in m.patterns):
            continue
        walked = _walked(repository, Match(m.bindings, [p for p in m.patterns if p.vars()]),
                         walks)
        if walked is None:
            continue  # a path from the changed node leads nowhere: nothing affected
        m = walked
        if dep.root in m.bindings and not m.patterns and not trigger.narrowed:
            affected.add(key, m.bindings[dep.root])
            continue
        query = reverse_query(dep.root, m, trigger.context)
        if query is None:
            affected.everything.add(key)
            continue
        queries, keys = reverse.setdefault(query.shape, ([], set()))
        queries.append(query)
        keys.add(key)
    if reverse:
        # one query per shape: the checks sharing one get each other's focus nodes, which
        # only re-checks a node more (its results before and after the change net out)
        bodies = {merged(queries).text(): keys for queries, keys in reverse.values()}
        _run_reverse(repository, graphs, bodies, deps, affected)
    return affected


WALK_LIMIT = 1000
"""A path walked from a changed node with more answers than this stays in the reverse query."""


def _walked(repository: Repository, m: Match,
            walks: dict[TriplePattern, ValuesPattern | None]) -> Match | None:
    """The match with each property path that starts at a node (`?awal path* <langkah>`,
    left by splitting a path at the changed triple) replaced by its answers, read first in a
    query of its own; None when one has no answer.

    Inside the reverse query Oxigraph joined such a path after the other patterns, walking it
    from every node they bound (`?awal spbe:urutan 1`: the first step of every SOP, 40 ms at
    50k); walked alone from its node it takes ~0.1 ms, and VALUES are joined by index seeks.
    """
    patterns: list[Pattern] = []
    for pattern in m.patterns:
        if not isinstance(pattern, TriplePattern) or not anchored_path(pattern):
            patterns.append(pattern)
            continue
        if pattern not in walks:
            variables = sorted(pattern.vars(), key=str)
            answer = repository.query(
                f"SELECT DISTINCT {' '.join('?' + str(v) for v in variables)} WHERE {{"
                f" {term_text(pattern.s)} {path_text(pattern.p)} {term_text(pattern.o)} . }}"
                f" LIMIT {WALK_LIMIT + 1}")
            assert isinstance(answer, SelectResult)
            if len(answer.rows) > WALK_LIMIT:
                walks[pattern] = None
            else:
                walks[pattern] = ValuesPattern(tuple(
                    tuple((v, row[str(v)]) for v in variables) for row in answer.rows))
        values = walks[pattern]
        if values is None:
            patterns.append(pattern)
        elif not values.rows:
            return None
        else:
            patterns.append(values)
    return Match(m.bindings, patterns)


def _true_patterns(repository: Repository, patterns: list[TriplePattern]
                   ) -> set[TriplePattern]:
    found: set[TriplePattern] = set()
    for start in range(0, len(patterns), 100):
        batch = patterns[start:start + 100]
        branches = [f"{{ {term_text(p.s)} {path_text(p.p)} {term_text(p.o)} ."
                    f" BIND({i} AS ?spbe_i) }}" for i, p in enumerate(batch)]
        answer = repository.query("SELECT DISTINCT ?spbe_i WHERE { "
                                  + " UNION ".join(branches) + " }")
        assert isinstance(answer, SelectResult)
        found |= {batch[int(str(row["spbe_i"]))] for row in answer.rows}
    return found


def _run_reverse(repository: Repository, graphs: Sequence[URIRef], bodies: dict[str, set[str]],
                 deps: dict[str, CheckDependencies], affected: Affected) -> None:
    items = sorted(bodies.items())
    for start in range(0, len(items), 50):
        branches = []
        owners: dict[str, set[str]] = {}
        for i, (query, keys) in enumerate(items[start:start + 50]):
            root = next(iter(deps[k].root for k in keys))
            tag = f"q{i}"
            owners[tag] = keys
            inner = query.split("WHERE {", 1)[1].rsplit("}", 1)[0]
            branches.append(f"{{ {{ SELECT DISTINCT ?{root} WHERE {{ {inner} }} }}"
                            f" BIND(?{root} AS ?spbe_focus) BIND(\"{tag}\" AS ?spbe_tag) }}")
        text = ("SELECT DISTINCT ?spbe_tag ?spbe_focus WHERE {\n" + "\nUNION\n".join(branches)
                + "\n}")
        answer = repository.query(text)
        assert isinstance(answer, SelectResult)
        for row in answer.rows:
            for key in owners[str(row["spbe_tag"])]:
                affected.add(key, row["spbe_focus"])


def change_triples(repository: Repository, changes: ChangeSet, graphs: Sequence[URIRef]
                   ) -> tuple[list[Triple], list[Triple]]:
    """(removed, added) triples of a change, whatever graph they are in (the data graph is the
    union). Graphs being cleared count as removed in full (read before the change)."""
    removed = [(s, p, o) for s, p, o, _ in changes.remove]
    for graph in changes.clear_graphs:
        removed += [(s, p, o) for s, p, o, _ in repository.quads(graph)]
    added = [(s, p, o) for s, p, o, _ in changes.add]
    return removed, added


@dataclass
class Pending:
    changes: ChangeSet
    affected: Affected
    full: bool


@dataclass
class Update:
    """What one change did to the report: the results it added and removed (as multisets:
    a result validated again unchanged is in neither), and how much was re-validated."""

    added: list[ValidationResult]
    removed: list[ValidationResult]
    checks: int = 0
    """Compiled checks re-run."""
    focus: int = 0
    """Focus nodes re-validated (checks re-run for all their focus nodes not counted)."""
    full: bool = False
    """Everything was validated again (subclass changes, SPARQL Update text)."""


def _net(added: list[ValidationResult], removed: list[ValidationResult]) -> Update:
    plus = Counter(r.key() for r in added)
    minus = Counter(r.key() for r in removed)
    common = plus & minus
    keep_plus, keep_minus = Counter(common), Counter(common)
    net_added, net_removed = [], []
    for result in added:
        if keep_plus[result.key()] > 0:
            keep_plus[result.key()] -= 1
        else:
            net_added.append(result)
    for result in removed:
        if keep_minus[result.key()] > 0:
            keep_minus[result.key()] -= 1
        else:
            net_removed.append(result)
    return Update(sort_results(net_added), sort_results(net_removed))


class IncrementalValidator:
    """The validation report of a repository, kept current change by change."""

    def __init__(self, repository: Repository, *, shapes_dir: Path | None = None,
                 extra_shapes: Sequence[Path] = (), engine: str = "auto") -> None:
        self.repository = repository
        with quiet_rdflib():
            shapes = load_validation_shapes(repository, shapes_dir=shapes_dir,
                                            extra_shapes=extra_shapes)
            self.validator = validator_for(shapes, engine)
            dependencies(self.validator)
            self._full()

    def _full(self) -> None:
        self.graphs = data_graphs(self.repository)
        self.closures = class_closures(self.repository, self.validator.fast_checks)
        self.leaf_classes = frozenset(c for c, s in self.closures.items() if len(s) == 1)
        outcome = self.validator.run(self.repository,
                                     Scope(self.graphs, leaf_classes=self.leaf_classes,
                                           closures=self.closures))
        self.results: dict[str, dict[Node, list[ValidationResult]]] = {}
        for check_outcome in outcome.outcomes:
            per_root = self.results.setdefault(check_outcome.check.key, {})
            for result, root in zip(check_outcome.results, check_outcome.roots, strict=True):
                per_root.setdefault(root, []).append(result)
        self.fallback = [r for rs in outcome.fallback.values() for r in rs]
        self.last_stats: dict[str, float] = {}

    @property
    def checks(self) -> dict[str, CompiledCheck]:
        return {c.key: c for c in self.validator.fast_checks}

    def report(self) -> ValidationReport:
        results = [r for per_root in self.results.values() for rs in per_root.values() for r in rs]
        results += self.fallback
        return ValidationReport(sort_results(results), self.validator.engines(),
                                self.validator.unsupported())

    # --- change ------------------------------------------------------------------------------
    def prepare(self, changes: ChangeSet) -> Pending:
        """Call before the change is applied (removed triples are looked at as they are)."""
        if changes.updates or _touches_subclasses(changes):
            # SPARQL Update text cannot be analysed triple by triple, and a subclass change
            # changes which nodes are instances of which class: validate everything again
            return Pending(changes, Affected(), True)
        with quiet_rdflib():
            removed, _ = change_triples(self.repository, changes, self.graphs)
            affected = affected_by(self.repository, self.validator, self.graphs, removed)
        return Pending(changes, affected, False)

    def commit(self, pending: Pending) -> Update:
        """Call after the change was applied; returns what it did to the report (the whole
        report: `report()`)."""
        with quiet_rdflib():
            if pending.full:
                old = [r for rs in self.results.values() for r_list in rs.values()
                       for r in r_list] + self.fallback
                self._full()
                new = [r for rs in self.results.values() for r_list in rs.values()
                       for r in r_list] + self.fallback
                update = _net(new, old)
                update.full = True
                update.checks = len(self.validator.fast_checks)
                return update
            self.graphs = data_graphs(self.repository)
            _, added = change_triples(self.repository, pending.changes, self.graphs)
            affected = pending.affected
            affected.merge(affected_by(self.repository, self.validator, self.graphs, added))
            scope = Scope(self.graphs, leaf_classes=self.leaf_classes, closures=self.closures)
            checks = self.checks
            new_results: list[ValidationResult] = []
            old_results: list[ValidationResult] = []
            for key in affected.everything:
                outcome = run_check(self.repository, checks[key], scope)
                old_results += [r for rs in self.results.get(key, {}).values() for r in rs]
                self.results[key] = {}
                for result, root in zip(outcome.results, outcome.roots, strict=True):
                    self.results[key].setdefault(root, []).append(result)
                new_results += outcome.results
            for key, roots in affected.roots.items():
                if key in affected.everything or not roots:
                    continue
                per_root = self.results.setdefault(key, {})
                for root in roots:
                    old_results += per_root.pop(root, [])
                outcome = run_check(self.repository, checks[key], scope, sorted(roots, key=str))
                for result, root in zip(outcome.results, outcome.roots, strict=True):
                    per_root.setdefault(root, []).append(result)
                new_results += outcome.results
            if affected.data_changed and any(p.unsupported for p in self.validator.plans):
                data = rdflib_data_graph(self.repository, self.graphs)
                old_results += self.fallback
                self.fallback = run_pyshacl(
                    data, self.validator.shapes,
                    [p.shape.node for p in self.validator.plans if p.unsupported])
                new_results += self.fallback
            update = _net(new_results, old_results)
            update.checks = len(affected.roots.keys() | affected.everything)
            update.focus = sum(len(r) for k, r in affected.roots.items()
                               if k not in affected.everything)
            self.last_stats = {"checks": float(update.checks), "focus": float(update.focus)}
        return update

    def apply(self, changes: ChangeSet) -> Update:
        """Apply the change to the repository and validate again what it can affect; returns
        what it did to the report (the whole report: `report()`)."""
        pending = self.prepare(changes)
        self.repository.apply(changes)
        return self.commit(pending)


def _touches_subclasses(changes: ChangeSet) -> bool:
    return any(p == RDFS.subClassOf for _, p, _, _ in [*changes.add, *changes.remove]) \
        or bool(changes.clear_graphs)


# --- validate_change -------------------------------------------------------------------------

def _graphs_for_change(repository: Repository, changes: ChangeSet) -> list[URIRef]:
    graphs = data_graphs(repository)
    touched = {g for _, _, _, g in [*changes.add, *changes.remove] if g is not None}
    touched |= set(changes.clear_graphs)
    instansi_prefix = f"{iris.BASE}graph/instansi/"
    bpmn_prefix = f"{iris.BASE}graph/bpmn/"
    # the audit trail and stored reports grow with every write and describe no element
    skipped = (str(iris.provenance_graph()), f"{iris.BASE}graph/validation/")
    kodes = {str(g)[len(instansi_prefix):].split("/")[0] for g in touched
             if str(g).startswith(instansi_prefix)}
    kodes |= {str(g)[len(bpmn_prefix):].split("/")[0] for g in touched
              if str(g).startswith(bpmn_prefix)}
    chosen = []
    for graph in graphs:
        text = str(graph)
        if changes.updates:
            # SPARQL Update text may touch any graph
            if not text.startswith(skipped):
                chosen.append(graph)
        elif text.startswith(instansi_prefix):
            if text[len(instansi_prefix):].split("/")[0] in kodes:
                chosen.append(graph)
        elif text.startswith(bpmn_prefix):
            if text[len(bpmn_prefix):].split("/")[0] in kodes:
                chosen.append(graph)
        elif not text.startswith(skipped):
            chosen.append(graph)
    return chosen


LARGE_CHANGE_TRIPLES = 2000
"""A change of more triples than this (added and removed) is checked by running every check
on the copy of its graphs before and after it, instead of working out the focus nodes it
can affect: that analysis costs per changed triple (an SOP of 500 steps, ~5,000 triples:
9.2 s), every check on an instansi's graph well under a second (bench/sop_write.py)."""


def validate_change(repository: Repository, changes: ChangeSet, *,
                    shapes_dir: Path | None = None, extra_shapes: Sequence[Path] = (),
                    engine: str = "auto", lang: str = "id") -> ValidationReport:
    """The validation results the change would add (results not present before), computed on
    an in-memory copy of the graphs the change touches; the repository is not written.
    `conforms` is False when the change would add a Violation."""
    with quiet_rdflib():
        shapes = load_validation_shapes(repository, shapes_dir=shapes_dir,
                                        extra_shapes=extra_shapes)
        validator = validator_for(shapes, engine)
        graphs = _graphs_for_change(repository, changes)
        scratch = repository.memory_copy(graphs)
        try:
            checks = {c.key: c for c in validator.fast_checks}
            removed, _ = change_triples(scratch, changes, graphs)
            # a large change: every check on the copy, before and after, costs less than
            # working out which focus nodes it touches
            large = len(removed) + len(changes.add) > LARGE_CHANGE_TRIPLES
            affected = Affected(data_changed=True) if large else affected_by(
                scratch, validator, graphs, removed)
            before_closures = class_closures(scratch, checks.values())
            # the change applied to the copy, and taken back once the after-state is read
            undo = _undo(scratch, changes)
            scratch.apply(changes)
            after_graphs = data_graphs(scratch)
            _, added = change_triples(scratch, changes, after_graphs)
            if not large:
                affected.merge(affected_by(scratch, validator, after_graphs, added))
            if large or _touches_subclasses(changes) or changes.updates:
                affected.everything = set(checks)
            after_closures = class_closures(scratch, checks.values())
            after_scope = Scope(after_graphs, closures=after_closures, leaf_classes=frozenset(
                c for c, s in after_closures.items() if len(s) == 1))
            keys = sorted(set(affected.roots) | affected.everything)

            def focus_of(key: str) -> list[Node] | None:
                return None if key in affected.everything else sorted(affected.roots[key],
                                                                      key=str)

            new: list[ValidationResult] = []
            for key in keys:
                new += run_check(scratch, checks[key], after_scope, focus_of(key)).results
            fallback = [p.shape.node for p in validator.plans if p.unsupported]
            if fallback and affected.data_changed:
                new += run_pyshacl(rdflib_data_graph(scratch, after_graphs), shapes, fallback)
            annotate_opd(scratch, new, after_graphs)
            if undo is not None:
                scratch.apply(undo)
            else:
                scratch.close()
                scratch = repository.memory_copy(graphs)
            before_scope = Scope(graphs, closures=before_closures, leaf_classes=frozenset(
                c for c, s in before_closures.items() if len(s) == 1))
            old: list[ValidationResult] = []
            for key in keys:
                old += run_check(scratch, checks[key], before_scope, focus_of(key)).results
            if fallback and affected.data_changed:
                old += run_pyshacl(rdflib_data_graph(scratch, graphs), shapes, fallback)
            report = ValidationReport(_net(new, old).added, validator.engines(),
                                      validator.unsupported(), lang=lang, shapes=shapes)
            report.timings = {"focus": float(sum(len(r) for r in affected.roots.values()))}
            return report
        finally:
            scratch.close()


def _undo(repository: Repository, changes: ChangeSet) -> ChangeSet | None:
    """What takes `changes` back on `repository` as it is now (the quads it touches, put back
    as they are); None when that cannot be read from the quads (SPARQL Update text, cleared
    graphs, quads without a graph, blank nodes: written anew they are other nodes, and
    SPARQL cannot delete them by label)."""
    quads = [*changes.add, *changes.remove]
    if changes.updates or changes.clear_graphs or any(q[3] is None for q in quads) \
            or any(isinstance(t, BNode) for q in quads for t in q[:3]):
        return None
    touched = list(dict.fromkeys(quads))
    present: list[Quad] = []
    for start in range(0, len(touched), 500):
        batch = touched[start:start + 500]
        rows = " ".join(f"({term_text(s)} {term_text(p)} {term_text(o)} {term_text(g)})"
                        for s, p, o, g in batch if g is not None)
        answer = repository.query("SELECT ?s ?p ?o ?g WHERE { VALUES (?s ?p ?o ?g) { " + rows
                                  + " } GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(answer, SelectResult)
        present += [(row["s"], row["p"], row["o"], row["g"]) for row in answer.rows]  # type: ignore[misc]
    return ChangeSet(add=present, remove=touched)


__all__ = ["IncrementalValidator", "Update", "affected_by", "validate_change"]
