"""Benchmark: validating a synthetic repository with the fast path, against pySHACL.

    python -m bench.validation [--size 50k|500k|5m] [--repeat 3] [--pyshacl auto|yes|no]
                               [--edits 12]

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
import hashlib
import logging
import resource
import statistics
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

if TYPE_CHECKING:
    from rdflib.term import URIRef

    from spbe_arch.repository import ChangeSet, Repository

from bench.common import (
    OUT_DIR,
    argument_parser,
    load_average,
    machine,
    print_table,
    ratio,
    size_label,
)

TARGET_RATIO = 100.0
T = TypeVar("T")


def _project_files() -> list[tuple[Path, str]]:
    """The ontology and shape files with the graph each goes into."""
    from spbe_arch import datasets, iris

    return ([(path, str(iris.ontology_graph())) for path in datasets.ontology_files()]
            + [(path, str(iris.shapes_graph())) for path in datasets.shape_files()])


def _files_digest(files: list[tuple[Path, str]]) -> str:
    digest = hashlib.sha256()
    for path, graph in files:
        digest.update(f"{path.name} {graph}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def prepare(size: int) -> Path:
    """The store for a size (created once, then reused). The ontology and shapes graphs are
    reloaded when the project's files changed since (the data graphs are not touched)."""
    import pyoxigraph as ox

    from bench.generate import dataset

    store_dir = OUT_DIR / f"validation-{size_label(size)}"
    marker = store_dir / "READY"
    files = _project_files()
    digest = _files_digest(files)
    if marker.exists() and marker.read_text(encoding="utf-8").strip() == digest:
        return store_dir
    fresh = not marker.exists()
    if fresh:
        data = dataset(size)
    store = ox.Store(str(store_dir))
    if fresh:
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    else:
        marker.unlink()
        for graph in sorted({graph for _, graph in files}):
            store.remove_graph(ox.NamedNode(graph))
    for path, graph in files:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE,
                        to_graph=ox.NamedNode(graph))
    store.flush()
    del store
    marker.write_text(digest + "\n", encoding="utf-8")
    return store_dir


def one_entity_edits(repository: Repository, count: int) -> list[ChangeSet]:
    """Edits touching one entity each (renames, removed links, a new service, an SOP step's
    link removed, a whole process deleted), spread over the pemda."""
    from rdflib.term import Literal

    from spbe_arch import iris
    from spbe_arch.repository import ChangeSet, SelectResult
    from spbe_arch.vocab import SPBE

    answer = repository.query(
        "PREFIX spbe: <https://w3id.org/spbe-arch/ontology#> "
        "SELECT ?p ?g ?kode ?opd ?rab WHERE { GRAPH ?g { ?p a spbe:ProsesBisnis ;"
        " spbe:kode ?kode ; spbe:pemilik ?opd ; spbe:klasifikasiRAB ?rab } } LIMIT 400")
    assert isinstance(answer, SelectResult)
    rows = answer.rows[::max(1, len(answer.rows) // max(count, 1))][:count]
    steps = repository.query(
        "PREFIX spbe: <https://w3id.org/spbe-arch/ontology#> "
        "SELECT ?step ?next ?g WHERE { GRAPH ?g { ?sop spbe:memilikiLangkah ?step ."
        " ?step spbe:langkahBerikutnya ?next } } LIMIT 400")
    assert isinstance(steps, SelectResult)
    edits: list[ChangeSet] = []
    for i, row in enumerate(rows):
        p, g = row["p"], cast("URIRef", row["g"])
        kind = i % 6
        if kind == 4 and steps.rows:  # an SOP step loses its link to the next step
            step = steps.rows[(i * 37) % len(steps.rows)]
            edits.append(ChangeSet(remove=[(step["step"], SPBE.langkahBerikutnya, step["next"],
                                            step["g"])]))
            continue
        if kind == 5:  # the whole process deleted (its triples and the links to it)
            links = repository.query(
                "SELECT ?s ?p ?o WHERE { GRAPH <" + str(g) + "> { { BIND(<" + str(p)
                + "> AS ?s) ?s ?p ?o } UNION { BIND(<" + str(p) + "> AS ?o) ?s ?p ?o } } }")
            assert isinstance(links, SelectResult)
            edits.append(ChangeSet(remove=[(r["s"], r["p"], r["o"], g) for r in links.rows]))
            continue
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


def profile(repository: object, top: int) -> None:
    """Print the slowest compiled checks of one full run (which query dominates)."""
    from spbe_arch.validation.engine import Scope
    from spbe_arch.validation.service import (
        data_graphs,
        load_validation_shapes,
        quiet_rdflib,
        validator_for,
    )

    with quiet_rdflib():
        validator = validator_for(load_validation_shapes(repository))  # type: ignore[arg-type]
        outcome = validator.run(repository,  # type: ignore[arg-type]
                                Scope(data_graphs(repository)))  # type: ignore[arg-type]
    slow = sorted(outcome.outcomes, key=lambda o: -o.cpu_seconds)[:top]
    cpu = sum(o.cpu_seconds for o in outcome.outcomes)
    wall = outcome.report.timings["total_s"]
    rows = [[o.check.key.replace("https://w3id.org/spbe-arch/shapes#", "spbesh:")
             .replace("http://www.w3.org/ns/shacl#", "sh:"),
             len(o.results), o.seconds, o.cpu_seconds] for o in slow]
    print(f"Load average: {load_average()}")
    print_table(f"Slowest compiled checks ({len(outcome.outcomes)} checks, {cpu:.1f} s CPU in"
                f" their threads, {wall:.1f} s wall for the run)",
                ["Check", "Results", "Wall s", "CPU s"], rows)


def run(size: int, repeat: int, pyshacl: str, edits: int, baseline: str) -> None:
    from spbe_arch.repository import ChangeSet, open_repository
    from spbe_arch.validation import IncrementalValidator, validate, validate_change
    from spbe_arch.validation.engine import WORKERS, data_graph
    from spbe_arch.validation.reference import run_pyshacl
    from spbe_arch.validation.service import data_graphs, load_validation_shapes

    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)
    load_before = load_average()
    started = time.perf_counter()
    store_dir = prepare(size)
    prepare_s = time.perf_counter() - started
    repository = open_repository(f"oxigraph:{store_dir}")
    triples = repository.stats().total_triples
    rows: list[list[object]] = []

    def timed(fn: Callable[[], T]) -> tuple[T, float, float]:
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        value = fn()
        return value, time.perf_counter() - wall, time.process_time() - cpu

    report, cold, cold_cpu = timed(lambda: validate(repository))
    warm_runs = [timed(lambda: validate(repository))[1:] for _ in range(repeat)]
    warm = statistics.median(w for w, _ in warm_runs)
    warm_cpu = statistics.median(c for _, c in warm_runs)
    fast_keys = Counter(r.key() for r in report.results)
    engines = Counter(report.engines.values())
    rows.append(["full validation, cold (compiles the shapes)", triples, cold, cold_cpu, "",
                 "", len(report.results), ""])

    run_reference = pyshacl == "yes" or (pyshacl == "auto" and size <= 100_000)
    if run_reference:
        shapes = load_validation_shapes(repository)
        data = data_graph(repository, data_graphs(repository))
        reference, reference_s, _ = timed(
            lambda: run_pyshacl(data, shapes, memoise=baseline == "memoised"))
        identical = Counter(r.key() for r in reference) == fast_keys
        rows.append([f"full validation, warm (median of {repeat})", triples, warm, warm_cpu,
                     reference_s, f"{ratio(reference_s, warm):.0f}x", len(report.results),
                     "yes" if identical else "NO"])
    else:
        rows.append([f"full validation, warm (median of {repeat})", triples, warm, warm_cpu,
                     "not run", "", len(report.results), ""])
    full_peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    rows.append(["peak RSS after the full runs (GB)", triples, full_peak_gb, "", "", "", "",
                 ""])

    incremental, init_s, init_cpu = timed(lambda: IncrementalValidator(repository))
    rows.append(["incremental: initial state (analysis + full run)", triples, init_s, init_cpu,
                 "", "", len(incremental.report().results), ""])
    times: list[float] = []
    cpus: list[float] = []
    change_times: list[float] = []
    change_same = True
    rechecked: list[tuple[int, int]] = []
    for change in one_entity_edits(repository, edits):
        would, change_s, _ = timed(partial(validate_change, repository, change))
        change_times.append(change_s)
        update, edit_s, edit_cpu = timed(partial(incremental.apply, change))
        times.append(edit_s)
        cpus.append(edit_cpu)
        rechecked.append((update.checks, update.focus))
        change_same = change_same and Counter(r.key() for r in would.results) == Counter(
            r.key() for r in update.added)
        undo = ChangeSet(add=list(change.remove), remove=list(change.add))
        update, undo_s, undo_cpu = timed(partial(incremental.apply, undo))
        times.append(undo_s)
        cpus.append(undo_cpu)
        rechecked.append((update.checks, update.focus))
    whole, whole_s, _ = timed(incremental.report)
    same = Counter(r.key() for r in incremental.report().results) == Counter(
        r.key() for r in validate(repository).results)
    if times:
        rows.append([f"incremental: one-entity edit, median of {len(times)} (ms)", triples,
                     statistics.median(times) * 1000, statistics.median(cpus) * 1000, "", "",
                     "", "yes" if same else "NO"])
        rows.append(["incremental: one-entity edit, worst (ms)", triples, max(times) * 1000,
                     max(cpus) * 1000, "", "", "", ""])
        rows.append(["incremental: checks / focus nodes re-run per edit (median)", triples,
                     f"{statistics.median(c for c, _ in rechecked):.0f} /"
                     f" {statistics.median(f for _, f in rechecked):.0f}", "", "", "", "", ""])
        rows.append(["incremental: whole report after the edits, sorted (ms)", triples,
                     whole_s * 1000, "", "", "", len(whole.results), ""])
        rows.append([f"validate_change (REST write check), median of {len(change_times)} (ms)",
                     triples, statistics.median(change_times) * 1000, "", "", "", "",
                     "yes" if change_same else "NO"])
        rows.append(["validate_change, worst (ms)", triples, max(change_times) * 1000, "", "",
                     "", "", ""])
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    rows.append(["peak RSS of the process (GB)", triples, peak_gb, "", "", "", "", ""])
    repository.close()

    print(f"Machine: {machine()}")
    print(f"Load average (1/5/15 min): before {load_before}, after {load_average()}")
    print(f"Data: bench.generate --size {size_label(size)} + ontology + shapes"
          f" ({triples} triples); store prepared in {prepare_s:.1f} s; engines:"
          f" {dict(engines)}; {WORKERS} query threads")
    how = ("rdflib query parse memoised as in spbe_arch.validation.reference"
           if baseline == "memoised" else "pySHACL as released")
    print(f"pySHACL baseline: {baseline} ({how})")
    print("Identical: same multiset of (focus, path, value, source shape, component, severity)"
          " as pySHACL; for edits: incremental report = full re-validation after all edits;"
          " for validate_change: its results = what the edit added to the incremental report")
    print()
    print_table(f"Validation, {size_label(size)}",
                ["Measurement", "Triples", "spbe-arch (s)", "CPU (s)", "pySHACL (s)", "Ratio",
                 "Results", "Identical"], rows)


def main() -> None:
    parser = argument_parser(__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--pyshacl", choices=["auto", "yes", "no"], default="auto",
                        help="run the pySHACL baseline (auto: only up to 100k triples)")
    parser.add_argument("--edits", type=int, default=12,
                        help="one-entity edits to time (6 kinds, in turn)")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="only print the N slowest compiled checks of one full run")
    parser.add_argument("--baseline", choices=["stock", "memoised"], default="stock",
                        help="pySHACL as released, or with rdflib's query parse memoised")
    args = parser.parse_args()
    if args.profile:
        from spbe_arch.repository import open_repository

        repository = open_repository(f"oxigraph:{prepare(args.size)}")
        profile(repository, args.profile)
        repository.close()
        return
    run(args.size, args.repeat, args.pyshacl, args.edits, args.baseline)


if __name__ == "__main__":
    main()
