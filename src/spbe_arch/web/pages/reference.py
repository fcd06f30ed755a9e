"""Referensi: the national reference trees (RAB, RAL, RAD, …) with what the instansi maps
to each code, and which codes nothing covers yet.

The tree follows `skos:broader` (never the codes' shape) and the instansi's elements and
reference concepts come from the reports' whole-instansi view (`gather_architecture`), the
same data the Dokumen Arsitektur and the Laporan Kesesuaian Referensi are written from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from spbe_arch.model import REFERENCE_SCHEMES
from spbe_arch.reports.model import DOMAINS, ArchitectureData, Concept, Element, gather_architecture
from spbe_arch.web.context import PageDep
from spbe_arch.web.rendering import WebRoute

router = APIRouter(route_class=WebRoute)
MAIN_SCHEMES = ("RAB", "RAL", "RAD")


@dataclass
class Node:
    concept: Concept
    elements: list[Element] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    covered_leaves: int = 0
    leaves: int = 0

    @property
    def covered(self) -> bool:
        return bool(self.elements) or self.covered_leaves > 0


def build_tree(data: ArchitectureData, scheme: str) -> list[Node]:
    concepts = data.concepts_by_prefix.get(scheme, [])
    nodes = {c.iri: Node(c) for c in concepts}
    kinds = {d.kind for d in DOMAINS if d.prefix == scheme}
    for kind in kinds:
        for element in data.elements.get(kind, []):
            if element.klasifikasi in nodes:
                nodes[element.klasifikasi].elements.append(element)
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.concept.broader) if node.concept.broader else None
        (parent.children if parent is not None else roots).append(node)

    def settle(node: Node, seen: frozenset[str]) -> None:
        node.children.sort(key=lambda n: n.concept.code)
        node.elements.sort(key=lambda e: e.kode)
        if not node.children:
            node.leaves = 1
            node.covered_leaves = 1 if node.elements else 0
            return
        for child in node.children:
            if child.concept.iri not in seen:
                settle(child, seen | {child.concept.iri})
        node.leaves = sum(c.leaves for c in node.children)
        node.covered_leaves = sum(c.covered_leaves for c in node.children)

    roots.sort(key=lambda n: n.concept.code)
    for root in roots:
        settle(root, frozenset({root.concept.iri}))
    return roots


@router.get("/referensi")
def reference(page: PageDep,
              skema: Annotated[str, Query(max_length=10)] = "RAB",
              hanya: Annotated[str | None, Query(max_length=20)] = None) -> Response:
    scheme = skema.upper() if skema.upper() in REFERENCE_SCHEMES else "RAB"
    data = gather_architecture(page.repository, page.instansi)
    roots = build_tree(data, scheme)
    leaves = sum(r.leaves for r in roots)
    covered = sum(r.covered_leaves for r in roots)
    concepts = data.concepts_by_prefix.get(scheme, [])
    known = {c.iri for c in concepts}
    unclassified = [e for d in DOMAINS if d.prefix == scheme
                    for e in data.elements.get(d.kind, []) if e.klasifikasi not in known]
    # whether a list is provisional is the data's say (`spbe:provisional` of its scheme):
    # an official list loaded with `spbe-arch reference import` is not
    provisional_schemes = [s for s in REFERENCE_SCHEMES
                           if any(c.provisional for c in data.concepts_by_prefix.get(s, []))]
    return page.render("reference.html.j2", scheme=scheme, schemes=REFERENCE_SCHEMES,
                       provisional_schemes=provisional_schemes,
                       main_schemes=MAIN_SCHEMES, roots=roots, leaves=leaves, covered=covered,
                       only_uncovered=hanya == "belum", unclassified=unclassified,
                       loaded=bool(concepts), provisional=any(c.provisional for c in concepts),
                       scheme_name=next((c.scheme_name for c in concepts), scheme))
