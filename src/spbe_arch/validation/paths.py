"""SHACL property paths as SPARQL property paths (and as stable text for comparisons)."""

from __future__ import annotations

from rdflib import Graph
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import BNode, Node, URIRef

from spbe_arch.vocab import SH


class UnsupportedPath(ValueError):
    """A SHACL path node that is not a well-formed path expression."""


def sparql_path(graph: Graph, path: Node, _depth: int = 0, _inverse: bool = False) -> str:
    """SPARQL 1.1 property-path text for a SHACL path in `graph`.

    The structure is read in pySHACL's order (a list first, then inverse, alternative, the
    repetitions), so a path node carrying several structures means what it means to pySHACL.
    pySHACL walks a sequence inside `sh:inversePath` in its written order (not reversed);
    such paths are left to pySHACL rather than given a different meaning here.
    """
    if isinstance(path, URIRef):
        return f"<{path}>"
    if not isinstance(path, BNode) or _depth > 10:
        raise UnsupportedPath(f"not a path: {path!r}")
    if (path, RDF.first, None) in graph:
        members = list(Collection(graph, path))
        if len(members) < 2:
            if _depth == 0 or not members:
                raise UnsupportedPath("a sequence path needs at least two members")
            return sparql_path(graph, members[0], _depth + 1, _inverse)
        if _inverse:
            raise UnsupportedPath("a sequence inside sh:inversePath")
        return "(" + "/".join(sparql_path(graph, m, _depth + 1, _inverse) for m in members) + ")"
    if (path, SH.inversePath, None) in graph:
        inner = sparql_path(graph, _one(graph, path, SH.inversePath), _depth + 1, not _inverse)
        return f"^({inner})"
    if (path, SH.alternativePath, None) in graph:
        members = list(Collection(graph, _one(graph, path, SH.alternativePath)))
        if len(members) < 2:
            raise UnsupportedPath("sh:alternativePath needs at least two members")
        return "(" + "|".join(sparql_path(graph, m, _depth + 1, _inverse) for m in members) + ")"
    for predicate, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"),
                              (SH.zeroOrOnePath, "?")):
        if (path, predicate, None) in graph:
            inner = sparql_path(graph, _one(graph, path, predicate), _depth + 1, _inverse)
            return f"({inner}){suffix}"
    raise UnsupportedPath(f"unknown SHACL path structure at {path!r}")


def _one(graph: Graph, node: Node, predicate: URIRef) -> Node:
    values = list(graph.objects(node, predicate))
    if len(values) != 1:
        raise UnsupportedPath(f"{predicate} must have exactly one value")
    return values[0]


def path_key(graph: Graph, path: Node | None) -> str | None:
    """A comparable text for a result path (blank-node paths compare by structure)."""
    if path is None:
        return None
    try:
        return sparql_path(graph, path)
    except UnsupportedPath:
        return f"?{path}"


def copy_path(source: Graph, path: Node, target: Graph, _depth: int = 0) -> Node:
    """Copy the SHACL path structure at `path` into `target` as a tree; return its node.

    Only the structure the path means is copied (in pySHACL's order: list, inverse,
    alternative, repetitions), with a fresh blank node per occurrence, as result paths are
    written in SHACL reports.
    """
    if not isinstance(path, BNode) or _depth > 20:
        return path
    node = BNode()
    if (path, RDF.first, None) in source:
        items = [copy_path(source, m, target, _depth + 1) for m in Collection(source, path)]
        Collection(target, node, items)
        return node
    for predicate in (SH.inversePath, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath,
                      SH.zeroOrOnePath):
        value = source.value(path, predicate)
        if value is not None:
            target.add((node, predicate, copy_path(source, value, target, _depth + 1)))
            return node
    for other, value in source.predicate_objects(path):
        target.add((node, other, copy_path(source, value, target, _depth + 1)))
    return node
