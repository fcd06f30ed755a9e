"""Keeping the lists a user imported when the shipped reference graphs are loaded again.

`spbe-arch init` and `spbe-arch demo` replace each reference graph with the shipped files,
so that an upgrade refreshes them. A scheme whose list was loaded with `spbe-arch reference
import` is marked `spbe:daftarDiimpor true` (`reference.replace`); reloading the shipped
provisional list over it would silently undo the import. For such a scheme the graph is
built from the shipped files with the scheme's concepts and the statements the import
rewrote on the scheme (`replace.SCHEME_FIELDS`) taken from the store instead, and the
version's note naming the provisional schemes no longer names it; everything else comes
from the shipped files. The result is one source per graph, so the caller's load stays one
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, SKOS, Graph
from rdflib.term import Literal, Node, URIRef

from spbe_arch.reference.generate import provisional_version_note
from spbe_arch.reference.replace import SCHEME_FIELDS
from spbe_arch.reference.schemes import SCHEME_ORDER, sparql
from spbe_arch.repository import LoadSource, Repository
from spbe_arch.vocab import SPBE


@dataclass(frozen=True)
class KeptList:
    """An imported list kept in place of the shipped one."""

    prefix: str
    version: str
    """The reference version's name (`Perpres 132/2022`), or the graph when it has none."""
    graph: URIRef

    def line(self, lang: str = "id") -> str:
        if lang == "en":
            return (f"the imported official {self.prefix} list ({self.version}) was kept;"
                    " the shipped list was not reloaded over it")
        return (f"daftar {self.prefix} resmi yang diimpor ({self.version}) dipertahankan;"
                " daftar bawaan tidak dimuat ulang di atasnya")


def keep_imported_lists(repository: Repository, sources: Sequence[LoadSource]
                        ) -> tuple[list[LoadSource], list[KeptList]]:
    """`sources` (the shipped base data, each replacing its graph) with the sources of every
    reference graph that holds an imported list merged into one that keeps that list, and
    the lists kept. Sources of other graphs are returned as they are."""
    imported: dict[URIRef, dict[URIRef, KeptList]] = {}
    for row in repository.select(sparql("imported_schemes")):
        graph, scheme, prefix = row.get("graph"), row.get("scheme"), row.get("prefix")
        if isinstance(graph, URIRef) and isinstance(scheme, URIRef) and prefix is not None:
            imported.setdefault(graph, {})[scheme] = KeptList(
                str(prefix), str(row.get("versionName") or graph), graph)
    if not imported:
        return list(sources), []
    out: list[LoadSource] = []
    kept: list[KeptList] = []
    merged: set[URIRef] = set()
    for source in sources:
        graph = source.graph
        if graph is None or graph not in imported:
            out.append(source)
            continue
        if graph in merged:
            continue
        merged.add(graph)
        group = [s for s in sources if s.graph == graph]
        out.append(_merged_source(repository, graph, group, imported[graph]))
        kept += sorted(imported[graph].values(), key=_scheme_order)
    return out, kept


def _scheme_order(kept: KeptList) -> tuple[int, str]:
    return (SCHEME_ORDER.index(kept.prefix) if kept.prefix in SCHEME_ORDER
            else len(SCHEME_ORDER), kept.prefix)


def _merged_source(repository: Repository, graph: URIRef, group: Sequence[LoadSource],
                   schemes: dict[URIRef, KeptList]) -> LoadSource:
    shipped = Graph()
    for source in group:
        if isinstance(source.data, Path):
            shipped.parse(source.data, format=source.format)
        else:
            shipped.parse(data=source.data, format=source.format)
    provisional = _provisional_prefixes(shipped)
    stored = Graph()
    for s, p, o, _ in repository.quads(graph):
        stored.add((s, p, o))
    for scheme in schemes:
        for concept in set(shipped.subjects(SKOS.inScheme, scheme)):
            shipped.remove((concept, None, None))
        for predicate in SCHEME_FIELDS:
            shipped.remove((scheme, predicate, None))
        for concept in set(stored.subjects(SKOS.inScheme, scheme)):
            for p, o in stored.predicate_objects(concept):
                shipped.add((concept, p, o))
        for predicate in SCHEME_FIELDS:
            for o in stored.objects(scheme, predicate):
                shipped.add((scheme, predicate, o))
    _rewrite_version_note(shipped, provisional, {k.prefix for k in schemes.values()})
    names = ", ".join(s.name for s in group)
    return LoadSource(shipped.serialize(format="nt", encoding="utf-8"), "ntriples", graph,
                      f"{names} (+ {', '.join(k.prefix for k in schemes.values())})")


def _provisional_prefixes(graph: Graph) -> list[str]:
    """The prefixes of the provisional schemes in `graph`, in the order of Perpres 132/2022
    (the generator's order in the version's note)."""
    found: set[str] = set()
    for scheme in graph.subjects(SPBE.provisional, Literal(True)):
        prefix = graph.value(scheme, SPBE.jenisReferensi)
        if (scheme, RDF.type, SKOS.ConceptScheme) in graph and prefix is not None:
            found.add(str(prefix))
    return sorted(found, key=lambda p: (SCHEME_ORDER.index(p) if p in SCHEME_ORDER
                                        else len(SCHEME_ORDER), p))


def _rewrite_version_note(graph: Graph, provisional: list[str], kept: set[str]) -> None:
    """The version resource's note names the shipped provisional schemes (`provisional`);
    a kept imported list is not provisional. A note that is not the generator's is left
    alone, as `reference import` does."""
    before = provisional_version_note(provisional)
    if before is None:
        return
    for version in set(graph.subjects(RDF.type, SPBE.VersiReferensi)):
        notes: set[Node] = set(graph.objects(version, SKOS.editorialNote))
        if not set(before) <= notes:
            continue
        for note in before:
            graph.remove((version, SKOS.editorialNote, note))
        for note in provisional_version_note([p for p in provisional if p not in kept]) or ():
            graph.add((version, SKOS.editorialNote, note))
