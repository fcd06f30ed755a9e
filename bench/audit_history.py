"""Benchmark: an entity's history page (`GET /history?entity=…`) by the entity index.

`python -m bench.audit_history [--records 2000,20000] [--repeat 3]`

For each trail size, an embedded on-disk store gets N records shaped like REST writes (each
changes one proses bisnis of one OPD: 4 triples added, 1 removed), written with the index
(`spbe:menyebut`, what this version writes) and, in a second store, without it (the trail
of an older version). `audit.entity_history(limit=10)` then reads the first page for an
often-mentioned entity (the OPD, in every record) and a rarely-mentioned one (one process,
in 2 records): text = the text search (the store without index); index = the index after
asking whether any record lacks one (the indexed store without the mark of
`audit.ensure_index`); mark = the index alone (the same store with the mark). Then
`audit.ensure_index` backfills the store without index (time, and the Python memory it
peaks at, measured in a second run with tracemalloc), and the page is read again there.
The write cost: `apply_audited` of one such change, per record, with and without the
index, in the same run.
"""

from __future__ import annotations

import argparse
import shutil
import time
import tracemalloc
from datetime import UTC, datetime, timedelta

from rdflib import RDF
from rdflib.term import Literal, URIRef

from bench.common import OUT_DIR, load_average, machine, measure, print_table, ratio
from spbe_arch import audit, iris
from spbe_arch.repository import ChangeSet, Repository, open_repository
from spbe_arch.vocab import SPBE

GRAPH = iris.instansi_graph("0001")
OPD = URIRef("https://w3id.org/spbe-arch/id/0001/opd/OPD01")


def process(i: int) -> URIRef:
    return URIRef(f"https://w3id.org/spbe-arch/id/0001/proses-bisnis/OPD01.{i:05d}")


def change(i: int, entity: URIRef) -> ChangeSet:
    return ChangeSet(add=[(entity, RDF.type, SPBE.ProsesBisnis, GRAPH),
                          (entity, SPBE.nama, Literal(f"Proses {i}"), GRAPH),
                          (entity, SPBE.kode, Literal(f"OPD01.{i}"), GRAPH),
                          (entity, SPBE.pemilik, OPD, GRAPH)],
                     remove=[(entity, SPBE.nama, Literal(f"Proses lama {i}"), GRAPH)])


def without_index(quads: list[tuple]) -> list[tuple]:  # type: ignore[type-arg]
    return [q for q in quads if q[1] != SPBE.menyebut]


def build(records: int, indexed: bool) -> Repository:
    path = OUT_DIR / f"audit-history-{records}-{'index' if indexed else 'text'}"
    shutil.rmtree(path, ignore_errors=True)
    repository = open_repository(f"oxigraph:{path}")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    batch: list[tuple] = []  # type: ignore[type-arg]
    for i in range(records):
        entity = process(i % (records // 2))  # each process in 2 records
        quads = audit.audit_quads(change(i, entity), f"editor-{i % 5}", [entity],
                                  f"REST PUT {i}", when=start + timedelta(minutes=i))
        batch += quads if indexed else without_index(quads)
        if len(batch) > 50_000:
            repository.apply(ChangeSet(add=batch))
            batch = []
    repository.apply(ChangeSet(add=batch))
    return repository


def write_cost(repository: Repository, indexed: bool, count: int) -> float:
    """Seconds per `apply_audited` of one change (with or without its index)."""
    original = audit.mentioned_iris
    if not indexed:
        # the record as before: no index quads (mentioned_iris empty, and no self-mention)
        def no_index(*_: object, **__: object) -> set[URIRef]:
            return set()
        audit.mentioned_iris = no_index  # type: ignore[assignment]
        real_audit_quads = audit.audit_quads

        def audit_quads(*args: object, **kwargs: object) -> list[tuple]:  # type: ignore[type-arg]
            return without_index(real_audit_quads(*args, **kwargs))  # type: ignore[arg-type]
        audit.audit_quads = audit_quads  # type: ignore[assignment]
    try:
        def run() -> None:
            for i in range(count):
                entity = process(900_000 + i)
                audit.apply_audited(repository, change(i, entity), agent="bench",
                                    entities=[entity], label="bench")
        timing = measure(run, 1)
    finally:
        audit.mentioned_iris = original
        if not indexed:
            audit.audit_quads = real_audit_quads
    return timing.median / count


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", default="2000,20000",
                        help="trail sizes, comma-separated (default 2000,20000)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--writes", type=int, default=200,
                        help="records written to measure the write cost (default 200)")
    args = parser.parse_args(argv)
    print(machine())
    print(f"load average before: {load_average()}")
    rows = []
    writes = []
    backfills = []
    mark = audit.index_mark()
    for records in [int(n) for n in args.records.split(",")]:
        stores = {True: build(records, True), False: build(records, False)}
        entities = [("often (OPD, every record)", OPD),
                    ("rare (one process, 2 records)", process(records // 4))]

        def page_ms(repository: Repository, entity: URIRef) -> float:
            return measure(lambda: audit.entity_history(repository, str(entity), limit=10),
                           args.repeat).median * 1000

        before = {}
        for name, entity in entities:
            page = audit.entity_history(stores[False], str(entity), limit=10)
            before[name] = page
            text = page_ms(stores[False], entity)
            checked = page_ms(stores[True], entity)
            stores[True].apply(ChangeSet(add=[mark]))
            marked = page_ms(stores[True], entity)
            stores[True].apply(ChangeSet(remove=[mark]))
            rows.append([records, name, page.total, text, checked, marked,
                         ratio(marked / 1000, text / 1000)])
        # the backfill of the store without index, once; then again, from the same state,
        # under tracemalloc for its memory
        start = time.perf_counter()
        indexed = audit.ensure_index(stores[False])
        seconds = time.perf_counter() - start
        stores[False].update(
            f"DELETE WHERE {{ GRAPH <{iris.provenance_graph()}> {{ ?r <{SPBE.menyebut}> ?m }} }};"
            f" DELETE DATA {{ GRAPH <{mark[3]}> {{ <{mark[0]}> a <{mark[2]}> }} }}")
        tracemalloc.start()
        audit.ensure_index(stores[False])
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        after = []
        for name, entity in entities:
            page = audit.entity_history(stores[False], str(entity), limit=10)
            assert page == before[name], name  # the backfill changes no history
            after.append(page_ms(stores[False], entity))
        backfills.append([records, indexed, seconds, peak / 2**20, *after])
        # write cost on the indexed store of this size, alternating to share the noise
        with_index = write_cost(stores[True], True, args.writes)
        without = write_cost(stores[True], False, args.writes)
        writes.append([records, args.writes, without * 1000, with_index * 1000,
                       ratio(with_index, without)])
        for repository in stores.values():
            repository.close()
    print_table("Entity history, first page of 10 (entity_history)",
                ["records", "entity", "total", "text search ms", "index + unindexed check ms",
                 "index, marked ms", "marked/text"], rows)
    print_table("Backfill of a trail written without index (audit.ensure_index)",
                ["records", "indexed", "s", "Python peak MB", "often page after ms",
                 "rare page after ms"], backfills)
    print_table("Write cost per record (apply_audited, one change of 5 triples)",
                ["records in trail", "writes", "without index ms", "with index ms",
                 "with/without"], writes)
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
