"""Test data and comparisons shared by the repository tests (imported by name)."""

from __future__ import annotations

from itertools import pairwise

import pyoxigraph as ox
from rdflib import Graph
from rdflib.compare import IsomorphicGraph, to_isomorphic
from rdflib.namespace import RDF, XSD
from rdflib.term import BNode, Literal, Node, URIRef

from spbe_arch.repository import Repository
from spbe_arch.repository.terms import to_oxigraph

EX = "http://example.org/spbe-test/"
G1 = URIRef(EX + "graph/satu")
G2 = URIRef(EX + "graph/dua")
G3 = URIRef(EX + "graph/tiga")
SPBE = "https://w3id.org/spbe-arch/ontology#"

Triple = tuple[Node, Node, Node]


def ex(name: str) -> URIRef:
    return URIRef(EX + name)


def spbe(name: str) -> URIRef:
    return URIRef(SPBE + name)


def sample_triples(tag: str = "a") -> list[Triple]:
    """A small architecture fragment with every kind of term the product stores."""
    opd = ex(f"opd/{tag}")
    proses = ex(f"proses/{tag}")
    step = BNode()
    return [
        (opd, RDF.type, spbe("PerangkatDaerah")),
        (opd, spbe("kode"), Literal(f"OPD-{tag}")),
        (opd, spbe("nama"), Literal("Dinas Komunikasi & Informatika — Kota Probolinggo")),
        (proses, RDF.type, spbe("ProsesBisnis")),
        (proses, spbe("kode"), Literal(f"PB.{tag}.01")),
        (proses, spbe("nama"), Literal('Pelayanan "Izin" {Usaha}\nbaris kedua\\akhir')),
        (proses, spbe("pemilik"), opd),
        (proses, spbe("levelPetaProses"), Literal("1", datatype=XSD.integer)),
        (proses, spbe("tanggal"), Literal("2025-01-15", datatype=XSD.date)),
        (proses, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
         Literal("Layanan perizinan", lang="id")),
        (proses, spbe("memilikiLangkah"), step),
        (step, spbe("urutan"), Literal("1", datatype=XSD.integer)),
        (step, spbe("nama"), Literal("Terima berkas ñ 中文")),
    ]


def graph_of(triples: list[Triple]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def serialize(triples: list[Triple], fmt: str, graph: URIRef | None = None) -> bytes:
    """Triples in one of the six formats (quad formats put them into `graph`)."""
    formats = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
               "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML,
               "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
    if fmt in ("trig", "nquads"):
        target = ox.NamedNode(str(graph)) if graph is not None else ox.DefaultGraph()
        quads = [ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), target)  # type: ignore[arg-type]
                 for s, p, o in triples]
        return ox.serialize(quads, format=formats[fmt]) or b""
    return ox.serialize([ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
                         for s, p, o in triples], format=formats[fmt]) or b""


def snapshot(repository: Repository) -> dict[str, IsomorphicGraph]:
    """Every named graph, canonical (blank nodes compared by structure)."""
    graphs: dict[str, Graph] = {}
    for s, p, o, g in repository.quads():
        if g is None:
            continue
        graphs.setdefault(str(g), Graph()).add((s, p, o))
    return {name: to_isomorphic(graph) for name, graph in graphs.items()}


def same_graph(a: Graph, b: Graph) -> bool:
    return to_isomorphic(a) == to_isomorphic(b)


RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def laughs(levels: int) -> bytes:
    """Each entity ten of the previous one: `levels` levels make 10**(levels+1) bytes."""
    names = [chr(ord("a") + i) for i in range(levels + 1)]
    declarations = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {name} "{("&" + previous + ";") * 10}">'
        for previous, name in pairwise(names))
    return (f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [{declarations}]>'
            f'<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:x="http://example.org/">'
            f'<rdf:Description rdf:about="http://example.org/s">'
            f"<x:p>&{names[-1]};</x:p></rdf:Description></rdf:RDF>").encode()
