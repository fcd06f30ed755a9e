"""Benchmark: validating a synthetic repository with the fast path, against pySHACL.

    python -m bench.validation [--size 50k|500k|5m] [--repeat 3] [--pyshacl auto|yes|no]
                               [--edits 10]

Data: the synthetic generator (`bench.generate`, cached under bench/out/) plus the project's
ontology and shapes, bulk-loaded into an on-disk Oxigraph store (bench/out/validation-<size>/,
reused when present). Measured in one run, on one machine:

- full validation on the fast path, cold (compiling the shapes) and warm (median);
- the same with pySHACL (the reference) — by default only up to 100k triples (it needs hours
  beyond) — and whether the two result sets are identical;
- incremental validation: building the incremental state, then one-entity edits (median and
  worst time per edit, each edit undone afterwards), checked against a full re-validation;
- peak RSS of the process (resource.ru_maxrss).

Targets (issue 4): >= 100x faster than pySHACL at ~50k triples with identical results; full
validation of ~5M triples <= 60 s and <= 4 GB peak RSS; one-entity edit at 5M <= 100 ms.
"""

from __future__ import annotations

import gc
import logging
import resource
import statistics
import time
from collections import Counter
from pathlib import Path

from bench.common import OUT_DIR, argument_parser, machine, print_table, ratio, size_label

TARGET_RATIO = 100.0


def prepare(size: int) -> Path:
    """The store for a size (created once, then reused)."""
    import pyoxigraph as ox

    from bench.generate import dataset
    from spbe_arch import datasets, iris

    store_dir = OUT_DIR / f"validation-{size_label(size)}"
    marker = store_dir / "READY"
    if marker.exists():
        return store_dir
    data = dataset(size)
    store = ox.Store(str(store_dir))
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    for path in datasets.ontology_files():
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE,
                        to_graph=ox.NamedNode(str(iris.ontology_graph())))
    for path in datasets.shape_files():
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE,
                        to_graph=ox.NamedNode(str(iris.shapes_graph())))
    store.flush()
    del store
    marker.write_text("ok\n", encoding="utf-8")
    return store_dir


def one_entity_edits(repository: object, count: int) -> list[object]:
    """Edits touching one entity each (renames, removed links, a new service), over pemda."""
    from rdflib.term import Literal

    from spbe_arch import iris
    from spbe_arch.repository import ChangeSet, SelectResult
    from spbe_arch.vocab import SPBE

    answer = repository.query(  # type: ignore[attr-defined]
        "PREFIX spbe: <https://w3id.org/spbe-arch/ontology#> "
        "SELECT ?p ?g ?kode ?opd ?rab WHERE { GRAPH ?g { ?p a spbe:ProsesBisnis ;"
        " spbe:kode ?kode ; spbe:pemilik ?opd ; spbe:klasifikasiRAB ?rab } } LIMIT 400")
    assert isinstance(answer, SelectResult)
    rows = answer.rows[::max(1, len(answer.rows) // max(count, 1))][:count]
    edits = []
    for i, row in enumerate(rows):
        p, g = row["p"], row["g"]
        kind = i % 4
        if kind == 0:  # rename the code
            edits.append(ChangeSet(remove=[(p, SPBE.kode, row["kode"], g)],
                                   add=[(p, SPBE.kode, Literal(f"{row['kode']}-X"), g)]))
        elif kind == 1:  # drop the classification
            edits.append(ChangeSet(remove=[(p, SPBE.klasifikasiRAB, row["rab"], g)]))
        elif kind == 2:  # a new service realised by the process
            kode = str(g).rsplit("/", 1)[-1]
            lyn = iris.element_iri(kode, "layanan", f"BENCH-{i}")
            from rdflib.namespace import RDF

            edits.append(ChangeSet(add=[
                (lyn, RDF.type, SPBE.Layanan, g), (lyn, SPBE.kode, Literal(f"BENCH-{i}"), g),
                (lyn, SPBE.nama, Literal("Layanan uji benchmark"), g),
                (lyn, SPBE.instansi, iris.instansi_iri(kode), g),
                (lyn, SPBE.unitPelaksana, row["opd"], g),
                (lyn, SPBE.metodeLayanan, SPBE.Elektronik, g),
                (lyn, SPBE.targetLayanan, SPBE.Masyarakat, g),
                (p, SPBE.merealisasikan, lyn, g)]))
        else:  # the owner points elsewhere
            edits.append(ChangeSet(remove=[(p, SPBE.pemilik, row["opd"], g)],
                                   add=[(p, SPBE.pemilik, p, g)]))
    return edits


def run(size: int, repeat: int, pyshacl: str, edits: int, baseline: str) -> None:
    from spbe_arch.repository import ChangeSet, open_repository
    from spbe_arch.validation import IncrementalValidator, validate
    from spbe_arch.validation.engine import data_graph
    from spbe_arch.validation.reference import run_pyshacl
    from spbe_arch.validation.service import data_graphs, load_validation_shapes

    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)
    started = time.perf_counter()
    store_dir = prepare(size)
    prepare_s = time.perf_counter() - started
    repository = open_repository(f"oxigraph:{store_dir}")
    triples = repository.stats().total_triples
    rows: list[list[object]] = []

    gc.collect()
    t0 = time.perf_counter()
    report = validate(repository)
    cold = time.perf_counter() - t0
    warm_runs = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        validate(repository)
        warm_runs.append(time.perf_counter() - t0)
    warm = statistics.median(warm_runs)
    fast_keys = Counter(r.key() for r in report.results)
    engines = Counter(report.engines.values())
    rows.append(["full validation, cold (compiles the shapes)", triples, cold, "", "",
                 len(report.results), ""])

    run_reference = pyshacl == "yes" or (pyshacl == "auto" and size <= 100_000)
    if run_reference:
        shapes = load_validation_shapes(repository)
        data = data_graph(repository, data_graphs(repository))
        t0 = time.perf_counter()
        reference = run_pyshacl(data, shapes, memoise=baseline == "memoised")
        reference_s = time.perf_counter() - t0
        identical = Counter(r.key() for r in reference) == fast_keys
        rows.append(["full validation, warm (median)", triples, warm, reference_s,
                     f"{ratio(reference_s, warm):.0f}x", len(report.results),
                     "yes" if identical else "NO"])
    else:
        rows.append(["full validation, warm (median)", triples, warm, "not run", "",
                     len(report.results), ""])

    t0 = time.perf_counter()
    incremental = IncrementalValidator(repository)
    init_s = time.perf_counter() - t0
    rows.append(["incremental: initial state (analysis + full run)", triples, init_s, "", "",
                 len(incremental.report().results), ""])
    times = []
    for change in one_entity_edits(repository, edits):
        assert isinstance(change, ChangeSet)
        gc.collect()
        t0 = time.perf_counter()
        incremental.apply(change)
        times.append(time.perf_counter() - t0)
        undo = ChangeSet(add=list(change.remove), remove=list(change.add))
        gc.collect()
        t0 = time.perf_counter()
        incremental.apply(undo)
        times.append(time.perf_counter() - t0)
    same = Counter(r.key() for r in incremental.report().results) == Counter(
        r.key() for r in validate(repository).results)
    if times:
        rows.append([f"incremental: one-entity edit, median of {len(times)} (ms)", triples,
                     statistics.median(times) * 1000, "", "", "",
                     "yes" if same else "NO"])
        rows.append(["incremental: one-entity edit, worst (ms)", triples, max(times) * 1000,
                     "", "", "", ""])
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    rows.append(["peak RSS of the process (GB)", triples, peak_gb, "", "", "", ""])
    repository.close()

    print(f"Machine: {machine()}")
    print(f"Data: bench.generate --size {size_label(size)} + ontology + shapes"
          f" ({triples} triples); store prepared in {prepare_s:.1f} s; engines: {dict(engines)}")
    how = ("rdflib query parse memoised as in spbe_arch.validation.reference"
           if baseline == "memoised" else "pySHACL as released")
    print(f"pySHACL baseline: {baseline} ({how})")
    print()
    print_table(f"Validation, {size_label(size)}",
                ["Measurement", "Triples", "spbe-arch", "pySHACL", "Ratio", "Results",
                 "Identical"], rows)


def main() -> None:
    parser = argument_parser(__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--pyshacl", choices=["auto", "yes", "no"], default="auto",
                        help="run the pySHACL baseline (auto: only up to 100k triples)")
    parser.add_argument("--edits", type=int, default=10, help="one-entity edits to time")
    parser.add_argument("--baseline", choices=["stock", "memoised"], default="stock",
                        help="pySHACL as released, or with rdflib's query parse memoised")
    args = parser.parse_args()
    run(args.size, args.repeat, args.pyshacl, args.edits, args.baseline)


if __name__ == "__main__":
    main()
