"""pySHACL: the reference semantics, and the engine for shapes the fast path cannot compile.

Data and shapes reach pySHACL as the same rdflib terms the fast path sees (converted from
Oxigraph by `spbe_arch.repository.terms.to_rdflib`), never re-parsed by rdflib's own parsers:
mixing parsers makes plain literals differ and `sh:in` report false violations.
"""

from __future__ import annotations

import logging
import threading
import warnings
from collections.abc import Iterable
from typing import Any

from rdflib import Graph
from rdflib.namespace import RDF, RDFS
from rdflib.term import Literal, Node, URIRef

from spbe_arch.validation.paths import path_key
from spbe_arch.validation.report import ValidationResult
from spbe_arch.validation.shapes import ShapeError, ShapeNode, ShapesGraph
from spbe_arch.vocab import SH

TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
                     SH.target)

_local = threading.local()
_installed = False


def _install_query_cache() -> None:
    """Memoise rdflib's SPARQL parse + algebra translation while pySHACL runs.

    pySHACL runs a SPARQL constraint once per focus node and rdflib parses the same text each
    time (7–37 ms, ~96 % of pySHACL's time on SPARQL constraints). The translated query is a
    pure function of (text, base, namespaces) and rdflib does not change it when evaluating,
    so reusing it does not change any answer. Active only inside `run_pyshacl`'s thread.
    """
    global _installed
    if _installed:
        return
    from rdflib.plugins.sparql import processor

    module: Any = processor
    original_parse = module.parseQuery
    original_translate = module.translateQuery

    def parse(text: Any) -> Any:
        cache = getattr(_local, "cache", None)
        if cache is None or not isinstance(text, str):
            return original_parse(text)
        key = ("parse", text)
        if key not in cache:
            cache[key] = _Parsed(text, original_parse(text))
        return cache[key]

    def translate(parsed: Any, base: Any = None, init_ns: Any = None) -> Any:
        cache = getattr(_local, "cache", None)
        if cache is None or not isinstance(parsed, _Parsed):
            return original_translate(parsed.tree if isinstance(parsed, _Parsed) else parsed,
                                      base, init_ns)
        key = ("translate", parsed.text, base, tuple(sorted((init_ns or {}).items())))
        if key not in cache:
            cache[key] = original_translate(parsed.tree, base, init_ns)
        return cache[key]

    module.parseQuery = parse
    module.translateQuery = translate
    _installed = True


class _Parsed:
    def __init__(self, text: str, tree: Any) -> None:
        self.text = text
        self.tree = tree


def restricted_shapes_graph(shapes: ShapesGraph, keep: Iterable[ShapeNode]) -> Graph:
    """A copy of the shapes graph in which only the shapes in `keep` have targets.

    pySHACL validates every targeted shape; removing the other shapes' targets makes it
    validate exactly the requested top-level shapes (with everything they reference).
    """
    keep = set(keep)
    graph = Graph()
    for prefix, namespace in shapes.graph.namespaces():
        graph.bind(prefix, namespace, override=True)
    implicit_types = set(shapes.graph.subjects(RDFS.subClassOf, RDFS.Class)) | {RDFS.Class}
    for s, p, o in shapes.graph:
        if s in shapes.shapes and s not in keep:
            if p in TARGET_PREDICATES:
                continue
            if p == RDF.type and o in implicit_types:
                continue
        graph.add((s, p, o))
    return graph


def run_pyshacl(data: Graph, shapes: ShapesGraph,
                only: Iterable[ShapeNode] | None = None, *,
                memoise: bool = True) -> list[ValidationResult]:
    """Validate `data` with pySHACL and return its results (all shapes, or only `only`).

    `memoise=False` runs stock pySHACL (the benchmark's baseline)."""
    import pyshacl

    shapes_graph = shapes.graph if only is None else restricted_shapes_graph(shapes, only)
    _install_query_cache()
    _local.cache = {} if memoise else None
    logger = logging.getLogger("pyshacl")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _, results_graph, _ = pyshacl.validate(
                data, shacl_graph=shapes_graph, inference="none", advanced=False,
                abort_on_first=False, allow_infos=True, allow_warnings=True, meta_shacl=False,
                debug=False, do_owl_imports=False,
            )
    except Exception as exc:  # pySHACL signals bad shapes with many exception types
        raise ShapeError(f"pySHACL tidak dapat menjalankan bentuk SHACL: {exc}",
                         f"pySHACL cannot run the SHACL shapes: {exc}") from exc
    finally:
        logger.setLevel(level)
        _local.cache = None
    if not isinstance(results_graph, Graph):
        # pySHACL returns a ValidationFailure instead of a report for ill-formed constraints
        raise ShapeError(f"bentuk SHACL tidak sah: {results_graph}",
                         f"ill-formed SHACL shapes: {results_graph}")
    return results_from_graph(results_graph, shapes)


def results_from_graph(graph: Graph, shapes: ShapesGraph | None = None) -> list[ValidationResult]:
    """The results of a SHACL validation report graph (pySHACL's or a manifest's)."""
    results = []
    # only the report's own results: nested ones (sh:detail) are not results of the report
    reports = list(graph.subjects(RDF.type, SH.ValidationReport))
    top = [r for report in reports for r in graph.objects(report, SH.result)]
    for r in top if reports else graph.subjects(RDF.type, SH.ValidationResult):
        source_shape: Node = graph.value(r, SH.sourceShape)  # type: ignore[assignment]
        path = graph.value(r, SH.resultPath)
        messages = [m for m in graph.objects(r, SH.resultMessage) if isinstance(m, Literal)]
        if shapes is not None and isinstance(source_shape, URIRef):
            shape = shapes.shape(source_shape)
            if shape is not None:
                # prefer the shapes' own bilingual messages over pySHACL's generated text
                messages = shape.messages or messages
        results.append(ValidationResult(
            focus_node=graph.value(r, SH.focusNode),  # type: ignore[arg-type]
            result_path=path,
            value=graph.value(r, SH.value),
            source_shape=source_shape,
            source_constraint_component=graph.value(r, SH.sourceConstraintComponent),  # type: ignore[arg-type]
            severity=graph.value(r, SH.resultSeverity),  # type: ignore[arg-type]
            messages=sorted(messages, key=str),
            source_constraint=graph.value(r, SH.sourceConstraint),
            path_text=path_key(graph, path),
        ))
    return results
