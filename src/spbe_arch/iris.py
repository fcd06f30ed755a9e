"""Minting stable, readable IRIs from codes, and the named-graph layout.

Layout (docs/architecture.md): one graph per instansi, one per reference version, the
ontology, the shapes, provenance, and one per stored validation report or imported model.
Hierarchies are never derived from these IRIs: use the explicit links.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from rdflib.term import URIRef

from spbe_arch.vocab import BASE

__all__ = ["BASE"]

ELEMENT_KINDS = {
    "opd": "opd",
    "proses-bisnis": "proses-bisnis",
    "layanan": "layanan",
    "data": "data",
    "aplikasi": "aplikasi",
    "infrastruktur": "infrastruktur",
    "keamanan": "keamanan",
    "sop": "sop",
    "periode": "periode",
}


def _segment(value: str) -> str:
    # Codes are opaque (dots, slashes, spaces may occur); keep them readable but IRI-safe.
    return quote(value.strip(), safe=".-_~")


def slug(text: str) -> str:
    """A lower-case ASCII slug: 'Perpres 132/2022' -> 'perpres-132-2022'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def instansi_iri(kode_wilayah: str, base: str = BASE) -> URIRef:
    return URIRef(f"{base}id/{_segment(kode_wilayah)}")


def element_iri(kode_wilayah: str, kind: str, code: str, base: str = BASE) -> URIRef:
    """`…/id/3574/proses-bisnis/DISKOMINFO.01.02`."""
    if kind not in ELEMENT_KINDS:
        raise ValueError(f"unknown element kind {kind!r}; expected one of {sorted(ELEMENT_KINDS)}")
    return URIRef(f"{base}id/{_segment(kode_wilayah)}/{kind}/{_segment(code)}")


def sop_step_iri(sop: URIRef, number: int) -> URIRef:
    return URIRef(f"{sop}/langkah/{number}")


def sop_pelaksana_iri(sop: URIRef, name: str) -> URIRef:
    return URIRef(f"{sop}/pelaksana/{slug(name)}")


def reference_version_iri(version: str, base: str = BASE) -> URIRef:
    """`…/ref/perpres-132-2022` for version 'Perpres 132/2022'."""
    return URIRef(f"{base}ref/{slug(version)}")


def reference_scheme_iri(version: str, prefix: str, base: str = BASE) -> URIRef:
    return URIRef(f"{reference_version_iri(version, base)}/{prefix}")


def reference_concept_iri(version: str, code: str, base: str = BASE) -> URIRef:
    """`…/ref/perpres-132-2022/RAB.09.03.02`."""
    return URIRef(f"{reference_version_iri(version, base)}/{_segment(code)}")


# --- named graphs -------------------------------------------------------------------------

def ontology_graph(base: str = BASE) -> URIRef:
    return URIRef(f"{base}graph/ontology")


def shapes_graph(base: str = BASE) -> URIRef:
    return URIRef(f"{base}graph/shapes")


def provenance_graph(base: str = BASE) -> URIRef:
    return URIRef(f"{base}graph/provenance")


def instansi_graph(kode_wilayah: str, base: str = BASE) -> URIRef:
    return URIRef(f"{base}graph/instansi/{_segment(kode_wilayah)}")


def reference_graph(version: str, base: str = BASE) -> URIRef:
    return URIRef(f"{base}graph/reference/{slug(version)}")


def validation_graph(kode_wilayah: str, stamp: str, base: str = BASE) -> URIRef:
    return URIRef(f"{base}graph/validation/{_segment(kode_wilayah)}/{_segment(stamp)}")


def reserved_graph(graph: str, base: str = BASE) -> tuple[str, str] | None:
    """What `graph` is (Indonesian, English) when only the product's own services write it,
    else None: the audit trail, written by the records of changes alone, and the stored
    validation reports, written by the validator alone. `GET /validation` and the readiness
    pages show the report graph with the newest name, so a graph put under
    `…/graph/validation/` by hand (a load, SPARQL Update, the Graph Store), or a real report
    taken away, would change what leaders read as the state of the repository."""
    if graph == f"{base}graph/provenance":
        return "jejak audit", "the audit trail"
    if graph.startswith(f"{base}graph/validation/"):
        return "laporan validasi tersimpan", "a stored validation report"
    return None


def bpmn_graph(kode_wilayah: str, model_slug: str, base: str = BASE) -> URIRef:
    return URIRef(f"{base}graph/bpmn/{_segment(kode_wilayah)}/{_segment(model_slug)}")


def evaluation_graph(name: str, base: str = BASE) -> URIRef:
    return URIRef(f"{base}graph/evaluation/{slug(name)}")


_ELEMENT_PATH = re.compile(r"/id/[^/]+/[^/]+/(?P<rest>.+)$")


def shown(term: object, base: str = BASE) -> str:
    """A term as a person reads it in a message: an element by its code (and what follows
    it, `DISKOMINFO-01.02.SOP.01/langkah/3`), a class or property of the ontology by its
    name (`ProsesBisnis`), anything else as it is."""
    text = str(term)
    if text.startswith(f"{base}ontology#"):
        return text[len(base) + len("ontology#"):] or text
    match = _ELEMENT_PATH.search(text) if text.startswith(f"{base}id/") else None
    return unquote(match["rest"]) if match else text

