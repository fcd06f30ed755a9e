"""Generate `ontology/context.jsonld`, the JSON-LD context of the SPBE ontology.

    python -m spbe_arch.reference.context          # (re)write ontology/context.jsonld
    python -m spbe_arch.reference.context --check  # exit 1 if it is stale

Every class, property and individual of `spbe.ttl` gets its compact name (the local name,
`@vocab` covers anything new). Object properties are `"@type": "@id"`; those whose range is an
enumeration are `"@type": "@vocab"`, so `{"statusSOP": "Ditetapkan"}` means `spbe:Ditetapkan`.
Datatype properties carry their XSD type except plain strings, which stay plain literals as
the data conventions require. Properties that commonly repeat are `"@container": "@set"` so
that a compacted document always shows them as arrays.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph
from rdflib.term import URIRef

from spbe_arch.datasets import project_root
from spbe_arch.vocab import CPSV, DCT, ORG, PROV, SPBE

NS = str(SPBE._NS)
PREFIXES = {
    "spbe": NS,
    "skos": str(SKOS),
    "dct": str(DCT),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "org": str(ORG),
    "prov": str(PROV),
    "cpsv": str(CPSV),
}
# Repeating values in the data conventions (n:m links and 0..n identity fields of an SOP).
MULTI_VALUED = frozenset({
    "merealisasikan", "menghasilkanData", "menggunakanData", "mendukungLayanan",
    "targetLayanan", "klasifikasiLokal", "dasarHukum", "kualifikasiPelaksana", "keterkaitan",
    "sopTerkait", "peralatanPerlengkapan", "pencatatanPendataan", "memilikiPelaksana",
    "memilikiLangkah", "areaManajemen",
})
# SKOS terms a client needs to read reference concepts through the same context.
SKOS_TERMS: dict[str, Any] = {
    "Concept": "skos:Concept",
    "ConceptScheme": "skos:ConceptScheme",
    "notation": "skos:notation",
    "prefLabel": {"@id": "skos:prefLabel", "@container": "@language"},
    "broader": {"@id": "skos:broader", "@type": "@id"},
    "inScheme": {"@id": "skos:inScheme", "@type": "@id"},
    "topConceptOf": {"@id": "skos:topConceptOf", "@type": "@id"},
    "editorialNote": {"@id": "skos:editorialNote", "@container": "@language"},
}


def context_path() -> Path:
    return project_root() / "ontology" / "context.jsonld"


@lru_cache(maxsize=1)
def load_context() -> dict[str, Any]:
    """The context document as written (`ontology/context.jsonld`), read once."""
    document: dict[str, Any] = json.loads(context_path().read_text(encoding="utf-8"))
    return document


def _local(term: URIRef) -> str:
    return str(term)[len(NS):]


def build_context(ontology: Graph | None = None) -> dict[str, Any]:
    graph = ontology or Graph().parse(project_root() / "ontology" / "spbe.ttl", format="turtle")
    enumerations = {s for s in graph.subjects(RDF.type, SKOS.ConceptScheme)
                    if str(s).startswith(NS)}
    terms: dict[str, Any] = {}
    for kind in (OWL.Class, OWL.NamedIndividual):
        for subject in graph.subjects(RDF.type, kind):
            if isinstance(subject, URIRef) and str(subject).startswith(NS):
                terms[_local(subject)] = f"spbe:{_local(subject)}"
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        if not (isinstance(prop, URIRef) and str(prop).startswith(NS)):
            continue
        name = _local(prop)
        entry: dict[str, Any] = {"@id": f"spbe:{name}"}
        entry["@type"] = "@vocab" if graph.value(prop, RDFS.range) in enumerations else "@id"
        if name in MULTI_VALUED:
            entry["@container"] = "@set"
        terms[name] = entry
    for prop in graph.subjects(RDF.type, OWL.DatatypeProperty):
        if not (isinstance(prop, URIRef) and str(prop).startswith(NS)):
            continue
        name = _local(prop)
        entry = {"@id": f"spbe:{name}"}
        datatype = graph.value(prop, RDFS.range)
        if isinstance(datatype, URIRef) and datatype != XSD.string:
            entry["@type"] = f"xsd:{str(datatype)[len(str(XSD)):]}"
        if name in MULTI_VALUED:
            entry["@container"] = "@set"
        terms[name] = entry if len(entry) > 1 else entry["@id"]
    context: dict[str, Any] = {"@version": 1.1, "@vocab": NS, "id": "@id", "type": "@type"}
    context.update(PREFIXES)
    context.update({k: SKOS_TERMS[k] for k in sorted(SKOS_TERMS)})
    context.update({k: terms[k] for k in sorted(terms)})
    return {"@context": context}


def render() -> str:
    return json.dumps(build_context(), ensure_ascii=False, indent=2) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spbe_arch.reference.context",
                                     description="Bangkitkan konteks JSON-LD ontologi SPBE"
                                                 " (generate the ontology's JSON-LD context).")
    parser.add_argument("--check", action="store_true", help="hanya periksa (only check)")
    args = parser.parse_args(argv)
    text = render()
    path = context_path()
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if args.check:
        print("mutakhir" if current == text else f"usang: {path}")
        return 0 if current == text else 1
    if current != text:
        path.write_text(text, encoding="utf-8")
        print(f"ditulis: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
