"""Which focus nodes a changed triple can affect: dependency analysis of compiled checks.

Each compiled check is parsed into SPARQL algebra (rdflib). For every triple pattern `tp` in
it we keep its *context*: the patterns that every solution using `tp` must also match —
the other triples of its basic graph pattern and the mandatory patterns of every enclosing
group on the way up (left side of an OPTIONAL or MINUS it sits in, the group an EXISTS filters,
the siblings of a join; never the other branch of a UNION or the optional side of a join).

When a triple `t` is added or removed, a check's result for focus node `f` can only change if
some evaluation uses `t` as a match of some `tp` in a solution joined to `?root = f`. Every
such solution also matches `tp`'s context, so the focus nodes to re-validate are found by the
*reverse query* `SELECT ?root WHERE { tp bound to t . context }`, evaluated on the graph that
contains `t` (before a removal, after an addition). The reverse query only drops conditions
(filters, negations, binds, aggregates are left out), so it can only find more focus nodes,
never fewer: re-validating those gives exactly the full re-validation's result. A context not
connected to `?root` means "every focus node of the check".

Variables of sub-SELECTs that are not projected are renamed per scope, so equal names in
different scopes do not join.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rdflib.namespace import RDF
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, Path, SequencePath
from rdflib.plugins.sparql.algebra import translateGroupGraphPattern, translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import BNode, Literal, Node, URIRef, Variable

Term = Node  # URIRef | Literal | Variable (blank nodes in patterns become variables)


@dataclass(frozen=True)
class TriplePattern:
    s: Term
    p: Term | Path
    o: Term

    def vars(self) -> set[Variable]:
        return {t for t in (self.s, self.p, self.o) if isinstance(t, Variable)}


@dataclass(frozen=True)
class ValuesPattern:
    rows: tuple[tuple[tuple[Variable, Node], ...], ...]

    def vars(self) -> set[Variable]:
        return {v for row in self.rows for v, _ in row}


Pattern = TriplePattern | ValuesPattern


@dataclass
class Trigger:
    pattern: TriplePattern
    context: list[Pattern]
    narrowed: bool = False
    """The context holds patterns of a `FILTER EXISTS` (see `_Analyzer._required_exists`):
    a match binding the focus node still has to be checked against them."""


@dataclass
class CheckDependencies:
    root: Variable
    triggers: list[Trigger] = field(default_factory=list)
    by_predicate: dict[URIRef, list[Trigger]] = field(default_factory=dict)
    any_predicate: list[Trigger] = field(default_factory=list)

    def index(self) -> None:
        for trigger in self.triggers:
            predicates = predicates_of(trigger.pattern.p)
            if predicates is None:
                self.any_predicate.append(trigger)
            else:
                for predicate in predicates:
                    self.by_predicate.setdefault(predicate, []).append(trigger)


def predicates_of(p: Term | Path) -> set[URIRef] | None:
    """The predicates a pattern's predicate position can match; None = any."""
    if isinstance(p, URIRef):
        return {p}
    if isinstance(p, Variable | NegatedPath):
        return None
    if isinstance(p, InvPath):
        return predicates_of(p.arg)
    if isinstance(p, MulPath):
        return predicates_of(p.path)
    if isinstance(p, SequencePath | AlternativePath):
        found: set[URIRef] = set()
        for arg in p.args:
            sub = predicates_of(arg)
            if sub is None:
                return None
            found |= sub
        return found
    return None


# --- analysis --------------------------------------------------------------------------------

class _Analyzer:
    def __init__(self) -> None:
        self._scopes = itertools.count(1)
        self.triggers: list[Trigger] = []
        self.required: set[Pattern] = set()

    def term(self, node: Any, rename: dict[Variable, Variable]) -> Any:
        if isinstance(node, Variable):
            return rename.get(node, node)
        if isinstance(node, BNode):
            # a blank node in a query pattern is a variable local to the query
            return rename.get(Variable(f"bnode_{node}"), Variable(f"bnode_{node}"))
        return node  # IRIs, literals and paths (paths hold IRIs only)

    def mandatory(self, node: Any, rename: dict[Variable, Variable]) -> list[Pattern]:
        """Patterns every solution of `node` matches."""
        if not isinstance(node, CompValue):
            return []
        name = node.name
        if name == "BGP":
            return [TriplePattern(self.term(s, rename), self.term(p, rename), self.term(o, rename))
                    for s, p, o in node.triples]
        if name == "Join":
            return self.mandatory(node.p1, rename) + self.mandatory(node.p2, rename)
        if name in ("LeftJoin", "Minus"):
            return self.mandatory(node.p1, rename)
        if name == "values":
            return [ValuesPattern(tuple(
                tuple((self.term(v, rename), t) for v, t in row.items()) for row in node.res))]
        if name == "Project":
            return self.mandatory(node.p, self._scope(node, rename))
        if name in ("Filter", "Extend", "Distinct", "Reduced", "Slice", "OrderBy", "ToMultiSet",
                    "Group", "AggregateJoin", "Graph"):
            return self.mandatory(node.p, rename)
        return []  # Union and anything unknown: nothing is certain

    def _scope(self, project: CompValue, rename: dict[Variable, Variable]
               ) -> dict[Variable, Variable]:
        visible = set(project.PV)
        scope = next(self._scopes)
        inner = dict(rename)
        for var in project._vars:
            if var not in visible:
                inner[var] = Variable(f"{var}_s{scope}")
        return inner

    def walk(self, node: Any, context: list[Pattern], rename: dict[Variable, Variable]) -> None:
        if isinstance(node, CompValue) and node.name == "GroupGraphPatternSub":
            node = translateGroupGraphPattern(node)
        if not isinstance(node, CompValue):
            return
        name = node.name
        if name == "BGP":
            patterns = self.mandatory(node, rename)
            for i, pattern in enumerate(patterns):
                assert isinstance(pattern, TriplePattern)
                self.triggers.append(Trigger(pattern, context + patterns[:i] + patterns[i + 1:],
                                             any(p in self.required for p in context)))
            return
        if name == "Join":
            self.walk(node.p1, context + self.mandatory(node.p2, rename), rename)
            self.walk(node.p2, context + self.mandatory(node.p1, rename), rename)
        elif name in ("LeftJoin", "Minus"):
            self.walk(node.p1, context, rename)
            self.walk(node.p2, context + self.mandatory(node.p1, rename), rename)
            if name == "LeftJoin":
                self._expression(node.expr, context + self.mandatory(node.p1, rename)
                                 + self.mandatory(node.p2, rename), rename)
        elif name == "Union":
            self.walk(node.p1, context, rename)
            self.walk(node.p2, context, rename)
        elif name == "Filter" or name == "Extend":
            required = self._required_exists(node, rename) if name == "Filter" else []
            self.walk(node.p, context + required, rename)
            self._expression(node.expr, context + self.mandatory(node.p, rename), rename)
        elif name == "Project":
            self.walk(node.p, context, self._scope(node, rename))
        elif name in ("Distinct", "Reduced", "Slice", "OrderBy", "ToMultiSet", "Group",
                      "AggregateJoin", "Graph", "SelectQuery"):
            self.walk(node.p, context, rename)
        elif name == "values":
            return
        else:
            for value in node.values():
                self.walk(value, context, rename)

    def _required_exists(self, node: CompValue, rename: dict[Variable, Variable]
                         ) -> list[Pattern]:
        """The patterns of each `EXISTS { P }` that is a conjunct of a filter: every solution
        of the filtered group matches them too (a triple that only adds solutions failing
        the filter changes nothing). Variables the group does not certainly bind are given
        names of their own: inside the EXISTS they are existential, and joining them with
        another pattern's variable of the same name would ask for more than the query does.
        """
        conjuncts = [node.expr]
        found: list[Pattern] = []
        bound = {v for pattern in self.mandatory(node.p, rename) for v in pattern.vars()}
        while conjuncts:
            expr = conjuncts.pop()
            if not isinstance(expr, CompValue):
                continue
            if expr.name == "ConditionalAndExpression":
                conjuncts.append(expr.expr)
                conjuncts.extend(expr.other or [])
            elif expr.name == "Builtin_EXISTS":
                graph = expr.graph
                if isinstance(graph, CompValue) and graph.name == "GroupGraphPatternSub":
                    graph = translateGroupGraphPattern(graph)
                local = {v: Variable(f"{v}_e{next(self._scopes)}")
                         for pattern in self.mandatory(graph, rename) for v in pattern.vars()
                         if v not in bound}
                found += [_renamed(pattern, local) for pattern in self.mandatory(graph, rename)]
        self.required.update(found)
        return found

    def _expression(self, expr: Any, context: list[Pattern], rename: dict[Variable, Variable]
                    ) -> None:
        """EXISTS / NOT EXISTS patterns inside an expression, evaluated per solution."""
        if isinstance(expr, CompValue):
            if expr.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
                self.walk(expr.graph, context, rename)
                return
            for value in expr.values():
                self._expression(value, context, rename)
        elif isinstance(expr, list | tuple):
            for value in expr:
                self._expression(value, context, rename)


def _renamed(pattern: Pattern, names: dict[Variable, Variable]) -> Pattern:
    if isinstance(pattern, ValuesPattern):
        return ValuesPattern(tuple(tuple((names.get(v, v), t) for v, t in row)
                                   for row in pattern.rows))
    def term(t: Any) -> Any:
        return names.get(t, t) if isinstance(t, Variable) else t

    return TriplePattern(term(pattern.s), term(pattern.p), term(pattern.o))


def analyse(query: str, root: str) -> CheckDependencies:
    algebra = translateQuery(parseQuery(query)).algebra
    analyzer = _Analyzer()
    analyzer.walk(algebra, [], {})
    deps = CheckDependencies(Variable(root), analyzer.triggers)
    deps.index()
    return deps


# --- matching a changed triple -----------------------------------------------------------------

@dataclass
class Match:
    """A changed triple matched against a trigger: bindings plus replacement patterns."""

    bindings: dict[Variable, Node]
    patterns: list[Pattern]


def _bind(term: Term, value: Node, bindings: dict[Variable, Node]) -> bool:
    if isinstance(term, Variable):
        if term in bindings and bindings[term] != value:
            return False
        bindings[term] = value
        return True
    return bool(term == value)


def split_path(path: Term | Path, s: Node, p: URIRef, o: Node
               ) -> list[tuple[Path | None, Path | None, Node, Node]]:
    """Ways a path can use the triple (s, p, o) as one step.

    Each answer (prefix, suffix, a, b) means: start `prefix` a, then b `suffix` end (None = the
    empty path: the start is `a`, resp. the end is `b`).
    """
    if isinstance(path, URIRef):
        return [(None, None, s, o)] if path == p else []
    if isinstance(path, InvPath):
        return [(_inv(suffix), _inv(prefix), b, a)
                for prefix, suffix, a, b in split_path(path.arg, s, p, o)]
    if isinstance(path, SequencePath):
        found = []
        args = list(path.args)
        for i, arg in enumerate(args):
            for prefix, suffix, a, b in split_path(arg, s, p, o):
                found.append((_seq([*args[:i], prefix]), _seq([suffix, *args[i + 1:]]), a, b))
        return found
    if isinstance(path, AlternativePath):
        return [split for arg in path.args for split in split_path(arg, s, p, o)]
    if isinstance(path, MulPath):
        star = MulPath(path.path, "*")
        if path.mod == "?":
            return split_path(path.path, s, p, o)
        return [(_seq([star, prefix]), _seq([suffix, star]), a, b)
                for prefix, suffix, a, b in split_path(path.path, s, p, o)]
    if isinstance(path, NegatedPath):
        found = []
        forward = [a for a in path.args if isinstance(a, URIRef)]
        inverse = [a.arg for a in path.args if isinstance(a, InvPath)]
        if p not in forward:
            found.append((None, None, s, o))
        if inverse and p not in inverse:
            found.append((None, None, o, s))
        return found
    return []


def _inv(path: Path | None) -> Path | None:
    return None if path is None else InvPath(path)


def _seq(parts: list[Any]) -> Path | None:
    parts = [part for part in parts if part is not None]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]  # type: ignore[no-any-return]
    return SequencePath(*parts)


def match(trigger: Trigger, s: Node, p: URIRef, o: Node) -> list[Match]:
    tp = trigger.pattern
    found: list[Match] = []
    if isinstance(tp.p, URIRef | Variable):
        bindings: dict[Variable, Node] = {}
        if _bind(tp.s, s, bindings) and _bind(tp.p, p, bindings) and _bind(tp.o, o, bindings):
            found.append(Match(bindings, []))
        return found
    for prefix, suffix, a, b in split_path(tp.p, s, p, o):
        bindings = {}
        patterns: list[Pattern] = []
        if prefix is None:
            if not _bind(tp.s, a, bindings):
                continue
        else:
            patterns.append(TriplePattern(tp.s, prefix, a))
        if suffix is None:
            if not _bind(tp.o, b, bindings):
                continue
        else:
            patterns.append(TriplePattern(b, suffix, tp.o))
        found.append(Match(bindings, patterns))
    return found


# --- reverse queries -----------------------------------------------------------------------------

def path_text(path: Term | Path) -> str:
    if isinstance(path, URIRef):
        return f"<{path}>"
    if isinstance(path, Variable):
        return f"?{path}"
    if isinstance(path, InvPath):
        return f"^({path_text(path.arg)})"
    if isinstance(path, SequencePath):
        return "(" + "/".join(path_text(a) for a in path.args) + ")"
    if isinstance(path, AlternativePath):
        return "(" + "|".join(path_text(a) for a in path.args) + ")"
    if isinstance(path, MulPath):
        return f"({path_text(path.path)}){path.mod}"
    if isinstance(path, NegatedPath):
        return "!(" + "|".join(path_text(a) for a in path.args) + ")"
    raise TypeError(f"not a path: {path!r}")


def term_text(term: Node) -> str:
    if isinstance(term, Variable):
        return f"?{term}"
    if isinstance(term, Literal) and term.datatype is None and term.language is None:
        return Literal(str(term)).n3()
    if isinstance(term, BNode):
        raise ValueError("blank node in a reverse query")
    return term.n3()


def _class_test(pattern: TriplePattern) -> bool:
    """`?x rdf:type <C>` or `?x rdf:type/rdfs:subClassOf* <C>`."""
    return isinstance(pattern.o, URIRef) and (pattern.p == RDF.type or (
        isinstance(pattern.p, SequencePath) and pattern.p.args[0] == RDF.type))


def anchored_path(pattern: Pattern) -> bool:
    """A property path (not a class test) with a node at one end."""
    return isinstance(pattern, TriplePattern) and isinstance(pattern.p, Path) \
        and not _class_test(pattern) and (
        isinstance(pattern.s, URIRef) or isinstance(pattern.o, URIRef))


def _walk_order(patterns: list[Pattern], known: set[Variable], root: Variable
                ) -> list[Pattern]:
    """The patterns in the order of a walk from the changed triple back to the root: each
    next pattern joined to what is bound, patterns binding the root as late as possible, and
    class tests last. Oxigraph keeps the written order between patterns it rates alike; a
    reverse query starting at `?root spbe:instansi <I>` read every element of the instansi
    (18 ms at 5M) where starting at the changed element's neighbours reads a few."""
    ordered: list[Pattern] = [p for p in patterns if not isinstance(p, TriplePattern)]
    bound = set(known)
    for pattern in ordered:
        bound |= pattern.vars()
    left = [p for p in patterns if isinstance(p, TriplePattern)]

    def rank(pattern: TriplePattern) -> tuple[int, int, int]:
        variables = pattern.vars()
        joined = not variables or bool(variables & bound)
        class_test = _class_test(pattern)
        # not joined yet: a pattern anchored at a node (`?awal path* <langkah>`) before one
        # with only a literal (`?awal spbe:urutan 1`: the first step of every SOP)
        anchored = not class_test and (isinstance(pattern.s, URIRef)
                                       or isinstance(pattern.o, URIRef))
        return (0 if joined else 1 if anchored else 2, 1 if root in variables else 0,
                1 if class_test else 0)

    while left:
        best = min(left, key=rank)  # min keeps the written order among equals
        left.remove(best)
        ordered.append(best)
        bound |= best.vars()
    return ordered


@dataclass(frozen=True)
class ReverseQuery:
    """`SELECT DISTINCT ?root …` split into its VALUES rows and the rest (`body`, the triple
    patterns in walk order). The reverse queries of many changed triples often differ only in
    their values (every step of a new SOP): joined into one query by `merged`, the engine
    evaluates the patterns once instead of once per step (80 steps: 3.2 s → see
    docs/validation.md)."""

    root: Variable
    variables: tuple[Variable, ...]
    body: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...]
    """One row per combination of the match's bindings and its walked paths; None: UNDEF."""

    @property
    def shape(self) -> tuple[Variable, tuple[Variable, ...], tuple[str, ...]]:
        return self.root, self.variables, self.body

    def text(self) -> str:
        lines: list[str] = []
        if self.variables:
            rows = " ".join("(" + " ".join("UNDEF" if value is None else term_text(value)
                                           for value in row) + ")" for row in self.rows)
            lines.append(f"VALUES ({' '.join('?' + str(v) for v in self.variables)}) "
                         f"{{ {rows} }}")
        lines += self.body
        return f"SELECT DISTINCT ?{self.root} WHERE {{\n  " + "\n  ".join(lines) + "\n}"


def merged(queries: Iterable[ReverseQuery]) -> ReverseQuery:
    """The queries (of one `shape`) as one: the union of their rows."""
    queries = list(queries)
    rows = dict.fromkeys(row for query in queries for row in query.rows)
    return ReverseQuery(queries[0].root, queries[0].variables, queries[0].body, tuple(rows))


def _without_existence_tests(patterns: list[Pattern], keep: set[Variable]) -> list[Pattern]:
    """The patterns without those that only test that some value exists (`?root
    spbe:memilikiLangkah ?l . ?l spbe:urutan ?n`, where ?l and ?n occur nowhere else), and
    without repeats. Such a test can only drop roots, so the reverse query finds the same
    roots or more (re-checking a root more costs a check, its results net out), and it
    multiplied the query's rows: every step of an SOP for every changed step (an SOP of 80
    steps: 3.0 s for this one query; see docs/validation.md)."""
    left = list(dict.fromkeys(patterns))
    pruned = True
    while pruned:
        pruned = False
        uses = Counter(v for pattern in left for v in pattern.vars())
        for pattern in left:
            if not isinstance(pattern, TriplePattern):
                continue
            own = {v for v in pattern.vars() if uses[v] == 1 and v not in keep}
            if own and len(pattern.vars() - own) <= 1:
                left.remove(pattern)
                pruned = True
                break
    return left


def reverse_query(root: Variable, m: Match, context: Iterable[Pattern]) -> ReverseQuery | None:
    """`SELECT DISTINCT ?root …` over the patterns connected to the match; None if `?root` is
    not connected (then every focus node may be affected)."""
    known = set(m.bindings)
    # keep the patterns connected to the bound variables / replacement patterns
    connected: set[Variable] = set(known)
    for pattern in m.patterns:
        connected |= pattern.vars()
    chosen: list[Pattern] = list(m.patterns)
    rest = list(context)
    changed = True
    while changed:
        changed = False
        for candidate in list(rest):
            if candidate.vars() & connected:
                chosen.append(candidate)
                connected |= candidate.vars()
                rest.remove(candidate)
                changed = True
    if root not in connected:
        return None
    chosen = _walk_order(_without_existence_tests(chosen, known | {root}), known, root)
    triples = [p for p in chosen if isinstance(p, TriplePattern)]
    body = [f"{term_text(p.s)} {path_text(p.p)} {term_text(p.o)} ." for p in triples]
    # The bindings and every VALUES pattern (walked paths) as one table: their join, with
    # only the variables the patterns use (or the tables join on). A variable nothing else
    # uses would only repeat rows: (changed step, each step before it) for every step.
    tables = [[dict(m.bindings)]] + [[dict(row) for row in p.rows] for p in chosen
                                     if isinstance(p, ValuesPattern)]
    needed = {root} | {v for p in triples for v in p.vars()}
    for index, table in enumerate(tables):
        others = {v for other in tables[:index] + tables[index + 1:] for row in other
                  for v in row}
        tables[index] = [dict(row) for row in dict.fromkeys(
            tuple((v, row[v]) for v in sorted(row, key=str) if v in needed or v in others)
            for row in table)]
    joined: list[dict[Variable, Node]] = [{}]
    for table in tables:
        joined = [{**row, **values} for row in joined for values in table
                  if all(row[v] == values[v] for v in row.keys() & values.keys())]
    variables = tuple(sorted({v for row in joined for v in row if v in needed}, key=str))
    rows = tuple(dict.fromkeys(tuple(row.get(v) for v in variables) for row in joined))
    return ReverseQuery(root, variables, tuple(body), rows)
