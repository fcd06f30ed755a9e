"""Compiling SHACL shapes to SPARQL SELECT queries (the fast path).

Every (top-level shape, nested property shape, constraint) becomes one `CompiledCheck`: a
SELECT over the whole data graph whose rows are the validation results pySHACL would report
(or, for constraints that need a Python decision, a superset that `refine` narrows down).

Query forms are chosen for Oxigraph's planner (see ARCHITECTURE "Known hazards"):
- negation is an anchored MINUS (`MINUS { <focus> <value pattern> … }`), never a
  multi-pattern FILTER NOT EXISTS, and never an un-anchored MINUS that would enumerate
  every pair of nodes;
- focus nodes come from one DISTINCT sub-select whose first element is a comment placeholder
  that the engine replaces by `VALUES ?root { … }` to validate only some focus nodes
  (incremental validation, batches).

A shape that uses anything not handled here raises `Unsupported`; the engine then validates
that top-level shape with pySHACL (never skips it).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import BNode, Literal, Node, URIRef

from spbe_arch.validation import checks
from spbe_arch.validation.paths import UnsupportedPath, sparql_path
from spbe_arch.validation.prefilter import (
    Prefilter,
    more_values_than,
    prefilter_for,
    values_not_typed,
)
from spbe_arch.validation.shapes import Shape, ShapesGraph
from spbe_arch.validation.sparql_text import (
    HASH_JOIN_MARK,
    INTERNAL_PREFIX,
    SparqlTextError,
    build_constraint_query,
    hash_join_line,
    hash_joined,
    substitute_path,
    without_full_run_only,
)
from spbe_arch.vocab import SH, SPBE

FOCUS_PLACEHOLDER = "#spbe:focus-values\n"
"""Replaced by `VALUES ?<root> { … }` (or nothing) when a check runs."""

RDF_TYPE_SUBCLASS = f"<{RDF.type}>/<{RDFS.subClassOf}>*"

SUPPORTED_PARAMETERS: dict[URIRef, URIRef] = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
    SH["and"]: SH.AndConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH.xone: SH.XoneConstraintComponent,
    SH.closed: SH.ClosedConstraintComponent,
    SH.qualifiedValueShape: SH.QualifiedValueShapeConstraintComponent,
    SH.sparql: SH.SPARQLConstraintComponent,
}
"""Constraint parameters the fast path compiles, and the component each one belongs to."""

UNSUPPORTED_PARAMETERS = {
    SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals, SH.uniqueLang, SH.languageIn,
    SH.expression, SH.js, SH.rule, SH.target,
}
"""Parameters pySHACL evaluates that the fast path leaves to pySHACL."""

IGNORED = {SH.ignoredProperties, SH.flags, SH.qualifiedMinCount, SH.qualifiedMaxCount,
           SH.qualifiedValueShapesDisjoint, SH.property}


class Unsupported(Exception):
    """The fast path cannot compile this shape exactly; pySHACL validates it."""


@dataclass
class CheckPart:
    """One constraint's results within a compiled query (several may share one query)."""

    shape: Shape
    component: URIRef
    value_var: str | None
    flag_var: str | None = None
    """Rows are this part's candidates where this variable is true (shared queries)."""
    focus_level: bool = False
    """One result per focus node and no value (minCount, hasValue)."""
    path_var: str | None = None
    default_path: Node | None = None
    value_default_focus: bool = False
    """A SPARQL constraint on a node shape reports the focus as value when ?value is unbound."""
    refine: checks.Refine | None = None
    source_constraint: Node | None = None
    messages: list[Literal] = field(default_factory=list)
    extra_vars: list[str] = field(default_factory=list)
    standalone: str = ""
    """This constraint's own query (the same results): what dependency analysis reads — in
    a shared query the value pattern is OPTIONAL, which would hide that the values are
    joined to the focus node."""


@dataclass
class CompiledCheck:
    """One SPARQL query and the constraint results it yields."""

    key: str
    top: Shape
    sparql: str
    root_var: str
    focus_var: str
    parts: list[CheckPart]
    full_sparql: str | None = None
    """The same query written for runs on every focus node, where it differs (see
    `Compiler._merged`)."""
    prefilter: Prefilter | None = None
    """Full runs ask it which focus nodes may have results and run the query for those
    only (see `prefilter`)."""

    @property
    def components(self) -> set[URIRef]:
        return {part.component for part in self.parts}

    def query(self, focus: list[Node] | None = None, focus_filter: str = "",
              leaf_classes: frozenset[str] = frozenset(),
              closures: dict[str, tuple[str, ...]] | None = None) -> str:
        """The query text, validating only `focus` (top-level focus nodes) if given.

        `focus_filter` is a FILTER added to the focus sub-select (e.g. graph membership).
        `leaf_classes`: classes without subclasses in the data graph; for them the SHACL
        instance test `rdf:type/rdfs:subClassOf*` is the same as `rdf:type`, which Oxigraph
        evaluates several times faster (measured 0.72 s against 0.19 s at 500k triples).
        """
        values = ""
        if focus is not None:
            values = f"VALUES ?{self.root_var} {{ {' '.join(term_n3(n) for n in focus)} }}\n"
        source = self.full_sparql if focus is None and self.full_sparql else self.sparql
        if focus is not None:
            source = without_full_run_only(source)
        text = source.replace(FOCUS_PLACEHOLDER, values + focus_filter)
        if focus is None:
            text = hash_joined(text)
        for cls in leaf_classes:
            text = text.replace(f"{RDF_TYPE_SUBCLASS} <{cls}>", f"<{RDF.type}> <{cls}>")
        for cls, subclasses in (closures or {}).items():
            if len(subclasses) < 2:
                continue
            # focus patterns of a class with subclasses: one rdf:type lookup per class is
            # much faster than Oxigraph walking the path from every rdf:type triple
            pattern = re.compile(r"\?(\w+) " + re.escape(f"{RDF_TYPE_SUBCLASS} <{cls}>") + r" \.")
            text = pattern.sub(lambda m, subs=subclasses: " UNION ".join(  # type: ignore[misc]
                f"{{ ?{m.group(1)} <{RDF.type}> <{c}> }}" for c in subs), text)
        return text

    def instance_classes(self) -> set[str]:
        """Classes this check tests SHACL instances of."""
        return set(re.findall(re.escape(RDF_TYPE_SUBCLASS) + r" <([^>]*)>", self.sparql))


@dataclass
class ShapePlan:
    shape: Shape
    checks: list[CompiledCheck]
    unsupported: str | None = None


_ONE_PREDICATE = re.compile(r"\?(\w+) \^?<[^<>\s]+> \?(\w+) \.")


def _marked(pattern: str, hash_join: bool = True) -> str:
    """A value pattern `?f <p> ?v .`, marked for `hash_joined` where that rewrite is exact
    (a one-step predicate, so no zero-length path); the mark ends the line."""
    match = _ONE_PREDICATE.fullmatch(pattern)
    if hash_join and match:
        return hash_join_line(pattern[:-2], [match.group(1), match.group(2)])
    return pattern


def _if_string(var: str, on_string: str, otherwise: str) -> str:
    """`otherwise`, written so that an xsd:string value (nearly every value these tests
    see) is read twice rather than four or five times: Oxigraph reads a long string out of
    the store for every function applied to it. `on_string` must equal `otherwise` for an
    xsd:string literal; datatype() fails on IRIs and blank nodes, which then take
    `otherwise` as well."""
    return (f"IF(COALESCE(sameTerm(datatype(?{var}), <{XSD.string}>), false), {on_string},"
            f" {otherwise})")


def term_n3(term: Node) -> str:
    if isinstance(term, Literal) and term.datatype is None and term.language is None:
        return Literal(str(term)).n3()
    if isinstance(term, BNode):
        raise Unsupported("blank node constants cannot be written in a query")
    return term.n3()


@dataclass
class Ctx:
    """How the focus nodes of the shape being compiled are bound.

    `prelude` is a group pattern binding `root` (the top-level focus node) and `focus`;
    every row is a distinct (root, focus) pair.
    """

    prelude: str
    root: str
    focus: str

    def keys(self) -> str:
        """`?root ?focus` (once when they are the same variable)."""
        return f"?{self.root}" if self.root == self.focus else f"?{self.root} ?{self.focus}"


class Compiler:
    def __init__(self, shapes: ShapesGraph) -> None:
        self.shapes = shapes
        self.graph: Graph = shapes.graph
        self._vars = itertools.count(1)

    def var(self, stem: str) -> str:
        return f"{INTERNAL_PREFIX}{stem}{next(self._vars)}"

    # --- public ----------------------------------------------------------------------------
    def plan(self, top: Shape) -> ShapePlan:
        try:
            if top.targets.advanced:
                raise Unsupported("sh:target (SHACL-AF) targets")
            root = self.var("root")
            ctx = Ctx(self._focus_block(top, root), root, root)
            compiled: list[CompiledCheck] = []
            self._compile_shape(top, top, ctx, compiled, [])
            for check in compiled:
                _check_syntax(check.query())
            return ShapePlan(top, compiled)
        except (Unsupported, UnsupportedPath, SparqlTextError) as exc:
            return ShapePlan(top, [], str(exc) or type(exc).__name__)

    # --- focus -----------------------------------------------------------------------------
    def _focus_block(self, shape: Shape, var: str) -> str:
        branches: list[str] = []
        t = shape.targets
        if t.nodes:
            branches.append(f"VALUES ?{var} {{ {' '.join(term_n3(n) for n in t.nodes)} }}")
        for cls in t.classes:
            branches.append(f"?{var} {RDF_TYPE_SUBCLASS} {term_n3(cls)} .")
        for p in t.subjects_of:
            branches.append(f"?{var} {term_n3(p)} ?{self.var('any')} .")
        for p in t.objects_of:
            branches.append(f"?{self.var('any')} {term_n3(p)} ?{var} .")
        union = " UNION ".join(f"{{ {b} }}" for b in branches)
        return f"{{ SELECT DISTINCT ?{var} WHERE {{ {FOCUS_PLACEHOLDER}{union} }} }}"

    # --- shapes ----------------------------------------------------------------------------
    def _compile_shape(self, top: Shape, shape: Shape, ctx: Ctx, out: list[CompiledCheck],
                       stack: list[Node]) -> None:
        if shape.node in stack:
            raise Unsupported("recursive shapes")
        if shape.deactivated:
            return
        stack = [*stack, shape.node]
        for check in self._constraints(top, shape, ctx, tuple(stack)):
            out.append(check)
        for prop in shape.values(SH.property):
            child = self.shapes.shape(prop)
            if child is None or not child.is_property:
                raise Unsupported(f"sh:property {prop} is not a property shape")
            self._compile_shape(top, child, self._value_ctx(shape, ctx), out, stack)

    def _value_ctx(self, shape: Shape, ctx: Ctx) -> Ctx:
        """The context whose focus nodes are the value nodes of `shape` in `ctx`."""
        if not shape.is_property:
            return ctx
        value = self.var("f")
        path = self._path(shape)
        prelude = (f"{{ SELECT DISTINCT ?{ctx.root} ?{value} WHERE {{ {ctx.prelude}\n"
                   f"    ?{ctx.focus} {path} ?{value} . }} }}")
        if ctx.root == ctx.focus:
            prelude = (f"{{ SELECT DISTINCT ?{ctx.root} ?{value} WHERE {{ {ctx.prelude}\n"
                       f"    {_marked(f'?{ctx.root} {path} ?{value} .')}}} }}")
        return Ctx(prelude, ctx.root, value)

    def _path(self, shape: Shape) -> str:
        assert shape.path is not None
        return sparql_path(self.graph, shape.path)

    def _value_pattern(self, shape: Shape, ctx: Ctx, hash_join: bool = True
                       ) -> tuple[str, str]:
        """(pattern, value variable): the value nodes of `shape` for the focus in `ctx`.

        `hash_join`: mark the pattern for `hash_joined` (never inside an EXISTS, which is
        evaluated per row: a sub-SELECT there would enumerate the predicate for every row).
        """
        if not shape.is_property:
            return "", ctx.focus
        value = self.var("v")
        return _marked(f"?{ctx.focus} {self._path(shape)} ?{value} .", hash_join), value

    # --- constraints -----------------------------------------------------------------------
    def _parameters(self, shape: Shape) -> list[URIRef]:
        found: list[URIRef] = []
        custom = self._custom_parameters()
        for predicate in sorted({p for p, _ in self.graph.predicate_objects(shape.node)}, key=str):
            if not isinstance(predicate, URIRef):
                continue
            if predicate in UNSUPPORTED_PARAMETERS or predicate in custom:
                raise Unsupported(f"constraint parameter {predicate}")
            if predicate in SUPPORTED_PARAMETERS:
                found.append(predicate)
        return found

    def _custom_parameters(self) -> set[Node]:
        # any declared sh:parameter (SPARQL-based constraint components) is left to pySHACL
        found: set[Node] = set()
        for parameter in self.graph.objects(None, SH.parameter):
            found.update(self.graph.objects(parameter, SH.path))
        return found

    def _constraints(self, top: Shape, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]
                     ) -> Iterator[CompiledCheck]:
        flagged: list[tuple[URIRef, Pattern]] = []
        for parameter in self._parameters(shape):
            component = SUPPORTED_PARAMETERS[parameter]
            patterns = self._violations(shape, parameter, ctx, False, stack)
            for index, pattern in enumerate(patterns):
                if pattern.flag is not None:
                    flagged.append((component, pattern))
                    continue
                yield CompiledCheck(
                    key=f"{top.label()}|{shape.label()}|{component}|{index}",
                    top=top, sparql=pattern.query(ctx), root_var=ctx.root, focus_var=ctx.focus,
                    parts=[self._part(shape, ctx, component, pattern, None)],
                    prefilter=pattern.prefilter if ctx.root == ctx.focus else None)
        if len(flagged) == 1:
            component, pattern = flagged[0]
            yield CompiledCheck(
                key=f"{top.label()}|{shape.label()}|{component}|0",
                top=top, sparql=pattern.query(ctx), root_var=ctx.root, focus_var=ctx.focus,
                parts=[self._part(shape, ctx, component, pattern, None)],
                prefilter=pattern.prefilter if ctx.root == ctx.focus else None)
        elif flagged:
            yield self._merged(top, shape, ctx, flagged)

    def _part(self, shape: Shape, ctx: Ctx, component: URIRef, pattern: Pattern,
              flag_var: str | None, value_var: str | None = None) -> CheckPart:
        return CheckPart(
            shape=shape, component=pattern.component or component,
            value_var=None if pattern.focus_level else (value_var or pattern.value),
            flag_var=flag_var, focus_level=pattern.focus_level, path_var=pattern.path_var,
            default_path=shape.path if shape.is_property else None,
            value_default_focus=pattern.value_default_focus, refine=pattern.refine,
            source_constraint=pattern.source_constraint,
            messages=[*pattern.messages, *shape.messages], extra_vars=pattern.extra_vars,
            standalone=pattern.query(ctx))

    def _merged(self, top: Shape, shape: Shape, ctx: Ctx,
                flagged: list[tuple[URIRef, Pattern]]) -> CompiledCheck:
        """One query for the value-level constraints of a shape: a single pass over its
        (focus, value) pairs with one boolean per constraint (2-3x less work on Oxigraph
        than one query per constraint)."""
        if shape.is_property:
            value = self.var("v")
            pattern = _marked(f"?{ctx.focus} {self._path(shape)} ?{value} .")
            if any(p.focus_level for _, p in flagged):
                pattern = f"OPTIONAL {{ {pattern} }}"
        else:
            value, pattern = ctx.focus, ""
        binds = []
        full_binds = []
        instance_joins = []
        parts = []
        for component, flagged_pattern in flagged:
            flag_var = self.var("flag")
            assert flagged_pattern.flag is not None
            expression = (flagged_pattern.flag.replace("?spbe_VALUE", f"?{value}")
                          .replace("?spbe_FOCUS", f"?{ctx.focus}"))
            binds.append(f"  BIND(({expression}) AS ?{flag_var})")
            cls = flagged_pattern.instance_of
            if cls is None or (pattern and HASH_JOIN_MARK not in pattern):
                # a value pattern that is not hash-joined (a path) is evaluated per focus
                # row, and an instance join inside it would be too
                full_binds.append(binds[-1])
            else:
                # full runs: the instances of the class once, hash-joined, instead of a
                # NOT EXISTS per value row (Elemen-instansi at 5M: 5.5 s -> see docs)
                instance = self.var("instance")
                instance_joins.append(
                    f"OPTIONAL {{ SELECT DISTINCT ?{value} (true AS ?{instance}) WHERE {{ "
                    f"?{value} {RDF_TYPE_SUBCLASS} {term_n3(cls)} . }} }}")
                full_binds.append(
                    f"  BIND((BOUND(?{value}) && !BOUND(?{instance})) AS ?{flag_var})")
            parts.append(self._part(shape, ctx, component, flagged_pattern, flag_var, value))
        projection = [ctx.root] + ([ctx.focus] if ctx.focus != ctx.root else [])
        if value not in projection:
            projection.append(value)
        projection += [part.flag_var for part in parts if part.flag_var]
        condition = " || ".join(f"COALESCE(?{part.flag_var}, false)" for part in parts)
        head = f"SELECT DISTINCT {' '.join('?' + v for v in projection)} WHERE {{\n"
        tail = f"\n  FILTER({condition})\n}}"
        sparql = f"{head}  {ctx.prelude}\n  {pattern}\n" + "\n".join(binds) + tail
        full_sparql = None
        if instance_joins:
            joins = "\n  ".join(instance_joins)
            if pattern.startswith("OPTIONAL {"):
                # inside the value OPTIONAL: the value is bound there (an unbound value
                # would join every instance)
                full_pattern = pattern[:-1].rstrip() + f"\n  {joins} }}"
            else:
                full_pattern = f"{pattern}\n  {joins}"
            full_sparql = (f"{head}  {ctx.prelude}\n  {full_pattern}\n" + "\n".join(full_binds)
                           + tail)
        return CompiledCheck(key=f"{top.label()}|{shape.label()}|values", top=top,
                             sparql=sparql, root_var=ctx.root, focus_var=ctx.focus, parts=parts,
                             full_sparql=full_sparql)

    def _violations(self, shape: Shape, parameter: URIRef, ctx: Ctx, nested: bool,
                    stack: tuple[Node, ...]) -> list[Pattern]:
        handler = getattr(self, "_c_" + str(parameter).rsplit("#", 1)[1])
        patterns: list[Pattern] = handler(shape, ctx, stack)
        if nested and any(p.refine is not None or not p.pure for p in patterns):
            raise Unsupported(f"{parameter} inside a nested shape needs a Python decision")
        return patterns

    # Each handler returns patterns whose rows (distinct on focus, value) are violations.

    def _valued(self, shape: Shape, ctx: Ctx, condition: Callable[[str], str] | None,
                **options: Any) -> Pattern:
        """A value-level constraint: the values of `shape` for which `condition(var)` holds
        (all values when it is None), as a query body and as a flag for shared queries."""
        vp, v = self._value_pattern(shape, ctx)
        body = f"{ctx.prelude}\n  {vp}\n"
        flag = "BOUND(?spbe_VALUE)"
        if condition is not None:
            body += f"  FILTER({condition(v)})"
            flag += f" && ({condition('spbe_VALUE')})"
        return Pattern(body, value=v, flag=flag, **options)

    def _c_class(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]) -> list[Pattern]:
        # A single-pattern NOT EXISTS is evaluated per row with its variables bound
        # (fast in full and in focus-restricted runs); multi-pattern ones are never used.
        # full runs of a one-predicate path alone in its check: only the subjects with a
        # value lacking an rdf:type of the class (see `_constraints`)
        one_predicate = shape.is_property and isinstance(shape.path, URIRef)
        return [self._valued(shape, ctx, lambda v, c=cls: (  # type: ignore[misc]
                    f"NOT EXISTS {{ ?{v} {RDF_TYPE_SUBCLASS} {term_n3(c)} }}"),
                             instance_of=cls,
                             prefilter=(values_not_typed(str(shape.path), str(cls))
                                        if one_predicate and isinstance(cls, URIRef) else None))
                for cls in shape.values(SH["class"])]

    def _c_datatype(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]) -> list[Pattern]:
        rules = shape.values(SH.datatype)
        if len(rules) != 1:
            raise Unsupported("sh:datatype must have exactly one value")
        rule = rules[0]
        if rule == RDFS.Literal:
            return [self._valued(shape, ctx, lambda v: f"!isLiteral(?{v})")]
        if rule == XSD.string:
            # = !isLiteral(v) || datatype(v) != xsd:string (datatype() fails on IRIs and
            # blank nodes): one read of the value instead of two
            return [self._valued(shape, ctx, lambda v: (
                f"COALESCE(datatype(?{v}) != <{XSD.string}>, true)"))]
        if rule == RDF.langString:
            return [self._valued(shape, ctx, lambda v: f"!isLiteral(?{v}) || lang(?{v}) = \"\"")]
        if not isinstance(rule, URIRef):
            raise Unsupported("sh:datatype must be an IRI")
        safe = checks.SAFE_LEXICAL.get(rule)
        refine = checks.datatype_violation(rule)
        if safe is None:
            # no lexical form is known to be safe: every value is decided in Python
            return [self._valued(shape, ctx, None, refine=refine, pure=False)]
        return [self._valued(shape, ctx, lambda v: (
            f"!(isLiteral(?{v}) && datatype(?{v}) = {term_n3(rule)}"
            f" && REGEX(STR(?{v}), {Literal(safe).n3()}))"), refine=refine, pure=False)]

    def _c_nodeKind(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]) -> list[Pattern]:
        kinds = shape.values(SH.nodeKind)
        if len(kinds) != 1:
            raise Unsupported("sh:nodeKind must have exactly one value")
        test = {
            SH.IRI: "isIRI(?V)", SH.BlankNode: "isBlank(?V)", SH.Literal: "isLiteral(?V)",
            SH.BlankNodeOrIRI: "!isLiteral(?V)", SH.BlankNodeOrLiteral: "!isIRI(?V)",
            SH.IRIOrLiteral: "!isBlank(?V)",
        }.get(kinds[0])  # type: ignore[call-overload]
        if test is None:
            raise Unsupported(f"unknown sh:nodeKind {kinds[0]}")
        return [self._valued(shape, ctx, lambda v: f"!({test.replace('?V', '?' + v)})")]

    def _count(self, shape: Shape, predicate: URIRef) -> int:
        values = shape.values(predicate)
        if len(values) != 1 or not isinstance(values[0], Literal) \
                or values[0].datatype != XSD.integer or int(values[0].value) < 0:
            raise Unsupported(f"{predicate} must be one non-negative xsd:integer")
        return int(values[0].value)

    def _c_minCount(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]) -> list[Pattern]:
        if not shape.is_property:
            raise Unsupported("sh:minCount on a node shape")
        n = self._count(shape, SH.minCount)
        if n == 0:
            return []
        vp, v = self._value_pattern(shape, ctx, hash_join=n != 1)
        if n == 1:
            return [Pattern(f"{ctx.prelude}\n  FILTER NOT EXISTS {{ {vp} }}", value=None,
                            flag="!BOUND(?spbe_VALUE)", focus_level=True)]
        return [Pattern(f"{{ SELECT {ctx.keys()} WHERE {{ {ctx.prelude}\n"
                        f"    OPTIONAL {{ {vp} }} }} GROUP BY {ctx.keys()}"
                        f" HAVING (COUNT(DISTINCT ?{v}) < {n}) }}", value=None)]

    def _c_maxCount(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]) -> list[Pattern]:
        # not shared: as a per-row EXISTS in a shared query it costs more than its own query
        if not shape.is_property:
            raise Unsupported("sh:maxCount on a node shape")
        n = self._count(shape, SH.maxCount)
        vp, v = self._value_pattern(shape, ctx)
        if n == 0:
            return [Pattern(f"{ctx.prelude}\n  {vp}", value=None)]
        # full runs on a one-predicate path: only the subjects with more than n values
        # (used where the focus is the top-level focus, see `_constraints`)
        prefilter = (more_values_than(str(shape.path), n) if isinstance(shape.path, URIRef)
                     else None)
        if n == 1:
            # two distinct value nodes (a self-join is twice as fast as GROUP BY on Oxigraph)
            vp2, v2 = self._value_pattern(shape, ctx)
            return [Pattern(f"{ctx.prelude}\n  {vp}\n  {vp2}\n"
                            f"  FILTER(!sameTerm(?{v}, ?{v2}))", value=None,
                            prefilter=prefilter)]
        return [Pattern(f"{{ SELECT {ctx.keys()} WHERE {{ {ctx.prelude}\n"
                        f"    {vp} }} GROUP BY {ctx.keys()}"
                        f" HAVING (COUNT(DISTINCT ?{v}) > {n}) }}", value=None,
                        prefilter=prefilter)]

    def _c_in(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]) -> list[Pattern]:
        lists = shape.values(SH["in"])
        if len(lists) != 1:
            raise Unsupported("sh:in must have exactly one list")
        members = self.shapes.items(lists[0])
        if not members:
            return [self._valued(shape, ctx, None)]
        return [self._valued(shape, ctx, lambda v: "!(" + " || ".join(
            f"sameTerm(?{v}, {term_n3(m)})" for m in members) + ")")]

    def _c_hasValue(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]) -> list[Pattern]:
        out = []
        for wanted in shape.values(SH.hasValue):
            if not shape.is_property:
                test = f"!sameTerm(?spbe_FOCUS, {term_n3(wanted)})"
                out.append(Pattern(f"{ctx.prelude}\n  FILTER("
                                   f"{test.replace('?spbe_FOCUS', '?' + ctx.focus)})",
                                   value=None, flag=test, focus_level=True))
                continue
            test = f"NOT EXISTS {{ ?spbe_FOCUS {self._path(shape)} {term_n3(wanted)} }}"
            out.append(Pattern(f"{ctx.prelude}\n  FILTER("
                               f"{test.replace('?spbe_FOCUS', '?' + ctx.focus)})",
                               value=None, flag=test, focus_level=True))
        return out

    def _c_pattern(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]) -> list[Pattern]:
        flags_values = shape.values(SH.flags)
        flags = flags_values[0] if flags_values else None
        py_flags = checks.pattern_flags(flags)
        sparql_flags = ("i" if py_flags & 2 else "") + ("m" if py_flags & 8 else "")
        out = []
        for rule in shape.values(SH.pattern):
            if not isinstance(rule, Literal):
                raise Unsupported("sh:pattern must be a literal")
            text = checks.pattern_text(rule)
            refine = checks.pattern_violation(rule, flags)
            if checks.regex_is_safe(text):
                # a printable-ASCII IRI or string literal the REGEX accepts is fine for Python too
                out.append(self._valued(shape, ctx, lambda v, t=text: (  # type: ignore[misc]
                    _if_string(v, f"!REGEX(?{v}, \"^[ -~]*$\")"
                                  f" || !REGEX(?{v}, {Literal(t).n3()}, \"{sparql_flags}\")",
                               f"isBlank(?{v}) || (isLiteral(?{v}) && datatype(?{v}) != "
                               f"<{XSD.string}> && lang(?{v}) = \"\")"
                               f" || !REGEX(STR(?{v}), \"^[ -~]*$\")"
                               f" || !REGEX(STR(?{v}), {Literal(t).n3()}, \"{sparql_flags}\")")),
                    refine=refine, pure=False))
            else:
                out.append(self._valued(shape, ctx, None, refine=refine, pure=False))
        return out

    def _length(self, shape: Shape, ctx: Ctx, predicate: URIRef, op: str,
                make: Callable[[Literal], checks.Refine]) -> list[Pattern]:
        out = []
        for rule in shape.values(predicate):
            if not isinstance(rule, Literal) or not isinstance(rule.value, int):
                raise Unsupported(f"{predicate} must be an integer literal")
            limit = int(rule.value)
            out.append(self._valued(shape, ctx, lambda v, n=limit: (  # type: ignore[misc]
                _if_string(v, f"!(STRLEN(?{v}) {op} {n})",
                           f"isBlank(?{v}) || (isLiteral(?{v}) && datatype(?{v}) != "
                           f"<{XSD.string}> && lang(?{v}) = \"\")"
                           f" || !(STRLEN(STR(?{v})) {op} {n})")),
                refine=make(rule), pure=False))
        return out

    def _c_minLength(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]) -> list[Pattern]:
        return self._length(shape, ctx, SH.minLength, ">=", checks.min_length_violation)

    def _c_maxLength(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]) -> list[Pattern]:
        return self._length(shape, ctx, SH.maxLength, "<=", checks.max_length_violation)

    def _range(self, shape: Shape, ctx: Ctx, predicate: URIRef, op: str,
               accept: Callable[[int], bool]) -> list[Pattern]:
        out = []
        for rule in shape.values(predicate):
            if not isinstance(rule, Literal):
                raise Unsupported(f"{predicate} must be a literal")
            refine = checks.range_violation(rule, accept)
            if rule.datatype in (XSD.integer, XSD.decimal) and not rule.ill_typed:
                safe = checks.SAFE_LEXICAL[rule.datatype]  # type: ignore[index]
                out.append(self._valued(shape, ctx, lambda v, r=rule, x=safe: (  # type: ignore[misc]
                    f"!(isLiteral(?{v}) && datatype(?{v}) = <{r.datatype}> && "
                    f"REGEX(STR(?{v}), {Literal(x).n3()}) && ?{v} {op} {term_n3(r)})"),
                    refine=refine, pure=False))
            else:
                out.append(self._valued(shape, ctx, None, refine=refine, pure=False))
        return out

    def _c_minInclusive(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]) -> list[Pattern]:
        return self._range(shape, ctx, SH.minInclusive, ">=", lambda c: c >= 0)

    def _c_maxInclusive(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]) -> list[Pattern]:
        return self._range(shape, ctx, SH.maxInclusive, "<=", lambda c: c <= 0)

    def _c_minExclusive(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]) -> list[Pattern]:
        return self._range(shape, ctx, SH.minExclusive, ">", lambda c: c > 0)

    def _c_maxExclusive(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]) -> list[Pattern]:
        return self._range(shape, ctx, SH.maxExclusive, "<", lambda c: c < 0)

    # --- shape-based ---------------------------------------------------------------------
    def _fails(self, node: Node, ctx: Ctx, stack: tuple[Node, ...] = ()) -> str:
        """A sub-select projecting `ctx.focus` for each focus node that fails shape `node`.

        "Fails" is pySHACL's notion: validating the node against the shape gives any result
        (of any severity), including results of the shape's property shapes.
        """
        shape = self.shapes.shape(node)
        if shape is None:
            raise Unsupported(f"referenced shape {node} does not exist")
        if node in stack:
            raise Unsupported("recursive shapes")
        branches: list[str] = []
        if not shape.deactivated:
            for pattern in self._nested_patterns(shape, ctx, (*stack, node)):
                branches.append(pattern)
        if not branches:
            return f"{{ SELECT ?{ctx.focus} WHERE {{ FILTER(false) }} }}"
        union = " UNION ".join(f"{{ {b} }}" for b in branches)
        return f"{{ SELECT DISTINCT ?{ctx.focus} WHERE {{ {union} }} }}"

    def _nested_patterns(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]) -> Iterator[str]:
        for parameter in self._parameters(shape):
            for pattern in self._violations(shape, parameter, ctx, True, stack):
                yield pattern.body
        for prop in shape.values(SH.property):
            child = self.shapes.shape(prop)
            if child is None or not child.is_property:
                raise Unsupported(f"sh:property {prop} is not a property shape")
            if prop in stack:
                raise Unsupported("recursive shapes")
            if child.deactivated:
                continue
            yield from self._nested_patterns(child, self._value_ctx(shape, ctx), (*stack, prop))

    def _value_anchor(self, shape: Shape, ctx: Ctx) -> tuple[str, str, Ctx]:
        """(value pattern, value var, context whose focus is that value var)."""
        vp, v = self._value_pattern(shape, ctx)
        return vp, v, Ctx(f"{ctx.prelude}\n  {vp}", ctx.root, v)

    def _c_node(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]) -> list[Pattern]:
        out = []
        for node in shape.values(SH.node):
            vp, v, vctx = self._value_anchor(shape, ctx)
            fails = self._fails(node, vctx, stack)
            out.append(Pattern(f"{ctx.prelude}\n  {vp}\n  {fails}", value=v))
        return out

    def _c_not(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]) -> list[Pattern]:
        out = []
        for node in shape.values(SH["not"]):
            vp, v, vctx = self._value_anchor(shape, ctx)
            fails = self._fails(node, vctx, stack)
            out.append(Pattern(f"{ctx.prelude}\n  {vp}\n  MINUS {{ {fails} }}", value=v))
        return out

    def _list_shapes(self, shape: Shape, predicate: URIRef) -> list[list[Node]]:
        return [self.shapes.items(lst) for lst in shape.values(predicate)]

    def _c_and(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]) -> list[Pattern]:
        out = []
        for members in self._list_shapes(shape, SH["and"]):
            vp, v, vctx = self._value_anchor(shape, ctx)
            union = " UNION ".join(self._fails(m, vctx, stack) for m in members)
            out.append(Pattern(f"{ctx.prelude}\n  {vp}\n  {{ SELECT DISTINCT ?{v} WHERE {{ "
                               f"{union} }} }}", value=v))
        return out

    def _c_or(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]) -> list[Pattern]:
        out = []
        for members in self._list_shapes(shape, SH["or"]):
            vp, v, vctx = self._value_anchor(shape, ctx)
            joined = "\n  ".join(self._fails(m, vctx, stack) for m in members)
            out.append(Pattern(f"{ctx.prelude}\n  {vp}\n  {joined}", value=v))
        return out

    def _c_xone(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]) -> list[Pattern]:
        out = []
        for members in self._list_shapes(shape, SH.xone):
            vp, v, vctx = self._value_anchor(shape, ctx)
            flags = []
            parts = []
            for m in members:
                flag = self.var("x")
                flags.append(flag)
                parts.append(f"OPTIONAL {{ {self._fails(m, vctx, stack)} BIND(1 AS ?{flag}) }}")
            conforming = " + ".join(f"(1 - COALESCE(?{f}, 0))" for f in flags)
            out.append(Pattern(f"{ctx.prelude}\n  {vp}\n  " + "\n  ".join(parts)
                               + f"\n  FILTER(({conforming}) != 1)", value=v))
        return out

    def _c_qualifiedValueShape(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]
                               ) -> list[Pattern]:
        if not shape.is_property:
            raise Unsupported("sh:qualifiedValueShape on a node shape")
        values = shape.values(SH.qualifiedValueShape)
        if len(values) != 1:
            raise Unsupported("more than one sh:qualifiedValueShape")
        qvs = values[0]
        minimum = self._optional_count(shape, SH.qualifiedMinCount)
        maximum = self._optional_count(shape, SH.qualifiedMaxCount)
        disjoint_values = shape.values(SH.qualifiedValueShapesDisjoint)
        disjoint = bool(disjoint_values and isinstance(disjoint_values[0], Literal)
                        and disjoint_values[0].value is True)
        siblings: list[Node] = []
        if disjoint:
            for parent in self.graph.subjects(SH.property, shape.node):
                for sibling_prop in self.graph.objects(parent, SH.property):
                    siblings += [s for s in self.graph.objects(sibling_prop, SH.qualifiedValueShape)
                                 if s != qvs]
            siblings = sorted(set(siblings), key=str)
        vp, v, vctx = self._value_anchor(shape, ctx)
        counted = f"{vp}\n    MINUS {{ {self._fails(qvs, vctx, stack)} }}"
        for sibling in siblings:
            # counted only if it does not conform to any sibling, i.e. fails every sibling
            counted += f"\n    {self._fails(sibling, vctx, stack)}"
        n = self.var("n")
        inner = (f"{{ SELECT {ctx.keys()} (COUNT(DISTINCT ?{v}) AS ?{n}) WHERE {{ "
                 f"{ctx.prelude}\n    OPTIONAL {{ {counted} }} }} GROUP BY {ctx.keys()} }}")
        out = []
        if maximum is not None:
            out.append(Pattern(f"{inner} FILTER(?{n} > {maximum})", value=None,
                               component=SH.QualifiedMaxCountConstraintComponent))
        if minimum is not None:
            out.append(Pattern(f"{inner} FILTER(?{n} < {minimum})", value=None,
                               component=SH.QualifiedMinCountConstraintComponent))
        return out

    def _optional_count(self, shape: Shape, predicate: URIRef) -> int | None:
        if not shape.values(predicate):
            return None
        return self._count(shape, predicate)

    def _c_closed(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]) -> list[Pattern]:
        closed = shape.values(SH.closed)
        if len(closed) != 1 or not isinstance(closed[0], Literal):
            raise Unsupported("sh:closed must be one boolean literal")
        if not bool(closed[0].value):
            return []
        allowed: set[Node] = set()
        for lst in shape.values(SH.ignoredProperties):
            allowed.update(self.shapes.items(lst))
        for prop in shape.values(SH.property):
            child = self.shapes.shape(prop)
            if child is None or not child.is_property:
                raise Unsupported(f"sh:property {prop} is not a property shape")
            if child.path is not None:
                allowed.add(child.path)
        vp, v = self._value_pattern(shape, ctx)
        p, o = self.var("p"), self.var("o")
        tests = [f"!sameTerm(?{p}, {term_n3(a)})" for a in sorted(allowed, key=str)
                 if isinstance(a, URIRef)]
        tests.append(f"!(sameTerm(?{p}, <{RDF.type}>) && sameTerm(?{o}, <{RDFS.Resource}>))")
        return [Pattern(f"{ctx.prelude}\n  {vp}\n  ?{v} ?{p} ?{o} .\n"
                        f"  FILTER({' && '.join(tests)})", value=o, path_var=p)]

    # --- SHACL-SPARQL --------------------------------------------------------------------
    def _c_sparql(self, shape: Shape, ctx: Ctx, stack: tuple[Node, ...]) -> list[Pattern]:
        out = []
        for constraint in shape.values(SH.sparql):
            deactivated = self.graph.value(constraint, SH.deactivated)
            if isinstance(deactivated, Literal) and deactivated.value is True:
                continue
            selects = list(self.graph.objects(constraint, SH.select))
            if len(selects) != 1 or not isinstance(selects[0], Literal):
                raise Unsupported("sh:sparql needs exactly one sh:select literal")
            _pyshacl_accepts(str(selects[0]))
            path_text = self._path(shape) if shape.is_property else None
            text = substitute_path(str(selects[0]), path_text)
            prefixes = self._prefixes(constraint)
            extra = [ctx.root] if ctx.root != ctx.focus else []
            marker = FOCUS_PLACEHOLDER if ctx.root == ctx.focus else None
            rewritten = build_constraint_query(text, prefixes, ctx.prelude, ctx.focus, extra,
                                               marker)
            messages = [m for m in self.graph.objects(constraint, SH.message)
                        if isinstance(m, Literal)]
            projected = rewritten.projected
            prefilter = None
            if prefixes.get("spbe") == str(SPBE) and not shape.is_property:
                prefilter = prefilter_for(str(selects[0]))
            out.append(Pattern(
                rewritten.text, value="value" if "value" in projected else None,
                path_var="path" if "path" in projected else None,
                value_default_focus=not shape.is_property, full_query=True,
                source_constraint=constraint, messages=sorted(messages, key=str),
                extra_vars=[v for v in projected if v not in (ctx.focus, ctx.root)],
                pure=False, prefilter=prefilter))
        return out

    def _prefixes(self, constraint: Node) -> dict[str, str]:
        # pyshacl/helper/sparql_query_helper.py collect_prefixes
        from rdflib.namespace import OWL

        g = self.graph
        result: dict[str, str] = {}
        prefixes_values = list(g.objects(constraint, SH.prefixes))
        if not prefixes_values:
            return result
        ontologies = set(g.subjects(RDF.type, OWL.Ontology))
        global_declares: set[Node] = set()
        for ontology in ontologies:
            global_declares.update(g.objects(ontology, SH.declare))
        for prefixes in prefixes_values:
            declares = set(g.objects(prefixes, SH.declare))
            all_declares = declares if (declares and prefixes in ontologies) \
                else global_declares | declares
            for declaration in all_declares:
                prefix = g.value(declaration, SH.prefix)
                namespace = g.value(declaration, SH.namespace)
                if prefix is None or namespace is None:
                    raise Unsupported("sh:declare without sh:prefix/sh:namespace")
                result[str(prefix)] = str(namespace)
        return result


_EMPTY_STORE: ox.Store | None = None


def _check_syntax(query: str) -> None:
    """Run the query on an empty store: a syntax error makes the shape pySHACL's."""
    global _EMPTY_STORE
    if _EMPTY_STORE is None:
        _EMPTY_STORE = ox.Store()
    try:
        _EMPTY_STORE.query(query)
    except SyntaxError as exc:
        raise Unsupported(f"the compiled query is not valid SPARQL for Oxigraph: {exc}") from exc


def _pyshacl_accepts(select: str) -> None:
    """Leave to pySHACL (which reports the error) every query its own checks reject."""
    from pyshacl.errors import ValidationFailure
    from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper

    try:
        check: Any = SPARQLQueryHelper.check_invalid_sparql
        check(SPARQLQueryHelper, select)
    except ValidationFailure as exc:
        raise Unsupported(f"pySHACL rejects this SPARQL constraint: {exc}") from exc


@dataclass
class Pattern:
    """One violation pattern: a group body whose rows are (root, focus[, value][, path])."""

    body: str
    value: str | None
    path_var: str | None = None
    refine: checks.Refine | None = None
    pure: bool = True
    component: URIRef | None = None
    value_default_focus: bool = False
    full_query: bool = False
    source_constraint: Node | None = None
    messages: list[Literal] = field(default_factory=list)
    extra_vars: list[str] = field(default_factory=list)
    prefilter: Prefilter | None = None
    instance_of: Node | None = None
    """A class constraint: the class whose instances the values must be."""
    flag: str | None = None
    """The violation as a boolean over ?spbe_VALUE (the value node, unbound for a focus node
    without values) and ?spbe_FOCUS, for shared queries (see `Compiler._merged`)."""
    focus_level: bool = False

    def query(self, ctx: Ctx) -> str:
        if self.full_query:
            return self.body
        projection = [ctx.root] + ([ctx.focus] if ctx.focus != ctx.root else [])
        if self.value and self.value not in projection:
            projection.append(self.value)
        if self.path_var:
            projection.append(self.path_var)
        return (f"SELECT DISTINCT {' '.join('?' + v for v in projection)} WHERE {{\n"
                f"  {self.body}\n}}")
