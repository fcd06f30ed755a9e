"""The SPARQL of the shapes, run on its own: how many rows it makes, not only which."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import SH

SHAPES = Path(__file__).resolve().parents[2] / "shapes"
PREFIXES = ("@prefix spbe: <https://w3id.org/spbe-arch/ontology#> .\n"
            "@prefix c: <https://w3id.org/spbe-arch/id/3574/> .\n")


def _select(file: str, shape: str) -> str:
    graph = Graph().parse(SHAPES / file)
    constraint = graph.value(URIRef(f"https://w3id.org/spbe-arch/shapes#{shape}"), SH.sparql)
    target = graph.value(URIRef(f"https://w3id.org/spbe-arch/shapes#{shape}"),
                         SH.targetClass)
    text = str(graph.value(constraint, SH.select)).replace("$this", "?this")
    # every focus node of the target class at once, as the engine runs it
    return "PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>\n" + text.replace(
        "WHERE {", f"WHERE {{ ?this a <{target}> .", 1)


def test_a_unit_without_sop_is_one_row_however_many_processes_it_has() -> None:
    """Joined with its processes, the check made a row per process: a unit with 10,000
    processes took 15 GB in a full validation."""
    data = [PREFIXES, "c:opd\\/X a spbe:PerangkatDaerah . c:opd\\/Y a spbe:PerangkatDaerah .",
            # Y has a process and an SOP: no row for it
            "c:proses-bisnis\\/Y.1 a spbe:ProsesBisnis ; spbe:pemilik c:opd\\/Y .",
            "c:sop\\/Y.1 a spbe:SOP ; spbe:pemilik c:opd\\/Y ."]
    data += [f"c:proses-bisnis\\/X.{i} a spbe:ProsesBisnis ; spbe:pemilik c:opd\\/X ."
             for i in range(300)]
    store = ox.Store()
    store.load("\n".join(data).encode(), ox.RdfFormat.TURTLE)
    rows = [row["this"].value for row in store.query(_select("kesiapan.ttl",
                                                             "OPDTanpaSOPShape"))]
    assert rows == ["https://w3id.org/spbe-arch/id/3574/opd/X"]
