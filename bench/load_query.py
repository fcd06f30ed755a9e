"""Loading and named queries: the repository API against raw pyoxigraph, same run, same data.

    python -m bench.load_query [--size 50k|500k|5m] [--repeat 3] [--skip-transactional]

Targets (issue 3): `Repository.load` into the embedded store within 1.5x of pyoxigraph's
`Store.bulk_load` of the same file; named queries through `Repository.select` within 1.2x
of the same query text run directly on the same pyoxigraph store (all rows consumed).

The named queries are the `.rq` files of `src/spbe_arch/queries/` as they exist when the
benchmark runs (bench/queries/ holds three fallbacks for a tree without any). Each query runs
over the whole repository, and — when it has a `kode_wilayah` parameter — for one pemda.
Required parameters get values taken from the generated data.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib.term import Node

from bench.common import (
    argument_parser,
    load_average,
    machine,
    measure,
    print_table,
    ratio,
    size_label,
)
from bench.generate import dataset, kode_wilayah
from spbe_arch.repository import LoadSource
from spbe_arch.repository.base import bind_values
from spbe_arch.repository.oxigraph import OxigraphRepository

PROJECT_QUERIES = Path(__file__).resolve().parents[1] / "src" / "spbe_arch" / "queries"
FALLBACK_QUERIES = Path(__file__).resolve().parent / "queries"
SLOW_QUERY_S = 30.0
MAX_RUNS = 15
"""A query slower than this on the first run is measured once, not `repeat` times."""


@dataclass
class BenchQuery:
    name: str
    sparql: str
    bindings: dict[str, Node]
    label: str


def _scratch(root: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix="store-", dir=root))


# --- loading -------------------------------------------------------------------------------------

def bench_load(data: Path, fmt: str, repeat: int, root: Path, *, transactional: bool
               ) -> list[list[object]]:
    ox_format = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}[fmt]
    quads = 0
    directories: list[Path] = []

    def fresh() -> Path:
        directory = _scratch(root)
        directories.append(directory)
        return directory

    def cleanup() -> None:
        while directories:
            shutil.rmtree(directories.pop(), ignore_errors=True)

    def baseline() -> None:
        store = ox.Store(str(fresh()))
        store.bulk_load(path=str(data), format=ox_format)
        store.flush()
        del store

    def product(replace: bool = False, threshold: int | None = None) -> Callable[[], None]:
        def run() -> None:
            nonlocal quads
            kwargs = {} if threshold is None else {"bulk_threshold_bytes": threshold}
            repository = OxigraphRepository(fresh(), **kwargs)  # type: ignore[arg-type]
            quads = repository.load([LoadSource(data, fmt, None, data.name)], replace=replace)
            repository.close()
        return run

    cases: list[tuple[str, Callable[[], None]]] = [
        (f"load {fmt}, merge", product()),
        (f"load {fmt}, replace (empty store)", product(replace=True)),
    ]
    if transactional:
        cases.append((f"load {fmt}, transactional path (forced)",
                      product(threshold=data.stat().st_size + 1)))
    rows: list[list[object]] = []
    for label, run in cases:
        base_runs, product_runs = [], []
        # the forced transactional path is for information only (and slow): measured once
        for i in range(1 if "transactional" in label else repeat):
            # alternate the order, so neither side always runs on a warmer page cache
            order = [(baseline, base_runs), (run, product_runs)]
            for fn, runs in (order if i % 2 == 0 else order[::-1]):
                runs.append(measure(fn, 1).runs[0])
                cleanup()
        base = sorted(base_runs)[len(base_runs) // 2]
        mine = sorted(product_runs)[len(product_runs) // 2]
        rows.append([label, quads, base, mine, ratio(mine, base),
                     f"{quads / mine / 1000:.0f}k/s", "≤ 1.5"])
    return rows


# --- queries -------------------------------------------------------------------------------------

def named_queries(repository: OxigraphRepository) -> tuple[list[BenchQuery], str]:
    """The project's named queries (or the fallbacks), with parameter values from the data."""
    try:
        from spbe_arch.queries import parse_query
    except ImportError:  # the named-query library is not there yet
        parse_query = None  # type: ignore[assignment]
    files = sorted(PROJECT_QUERIES.glob("*.rq"))
    source = "src/spbe_arch/queries"
    if not files:
        files, source = sorted(FALLBACK_QUERIES.glob("*.rq")), "bench/queries (fallback)"
    samples = _sample_values(repository)
    result: list[BenchQuery] = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        if parse_query is None:
            result.append(BenchQuery(path.stem, text, {}, "all"))
            continue
        named = parse_query(text, str(path))
        required = {p.name: samples.get(p.name) for p in named.params if p.required}
        if any(v is None for v in required.values()):
            print(f"(skipped {named.name}: no sample value for {sorted(required)})")
            continue
        base = {k: v for k, v in required.items() if v is not None}
        label = ", ".join(f"{k}={v}" for k, v in base.items()) or "all"
        result.append(BenchQuery(named.name, named.sparql, named.bindings(base), label))
        if named.param("kode_wilayah") is not None and "kode_wilayah" not in base:
            one = {**base, "kode_wilayah": samples["kode_wilayah"]}
            result.append(BenchQuery(named.name, named.sparql, named.bindings(one),
                                     ", ".join(f"{k}={v}" for k, v in one.items())))
    return result, source


def _sample_values(repository: OxigraphRepository) -> dict[str, str]:
    prefix = "PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>\n"
    values = {"kode_wilayah": kode_wilayah(0)}
    lookups = {
        "kode_opd": "SELECT ?v WHERE { ?x a spbe:PerangkatDaerah ; spbe:kode ?v } LIMIT 1",
        "kode_sop": "SELECT ?v WHERE { ?x a spbe:SOP ; spbe:kode ?v } LIMIT 1",
        "kode_layanan": "SELECT ?v WHERE { ?x a spbe:Layanan ; spbe:kode ?v } LIMIT 1",
        "entity": "SELECT ?v WHERE { ?v a spbe:PerangkatDaerah } LIMIT 1",
    }
    for name, query in lookups.items():
        rows = repository.select(prefix + query)
        if rows.rows:
            values[name] = str(rows.rows[0]["v"])
    values["level"] = "1"
    return values


def _direct_runner(store: ox.Store, text: str, counts: dict[str, int]) -> Callable[[], None]:
    def direct() -> None:
        result = store.query(text, use_default_graph_as_union=True)
        n = 0
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            for solution in result:
                for name in names:
                    solution[name]
                n += 1
        counts["direct"] = n
    return direct


def _api_runner(repository: OxigraphRepository, query: BenchQuery,
                counts: dict[str, int]) -> Callable[[], None]:
    def through_api() -> None:
        counts["api"] = len(repository.select(query.sparql, query.bindings or None))
    return through_api


def bench_queries(repository: OxigraphRepository, queries: list[BenchQuery], repeat: int
                  ) -> list[list[object]]:
    store = repository.store
    rows: list[list[object]] = []
    for query in queries:
        text = bind_values(query.sparql, query.bindings) if query.bindings else query.sparql
        counts: dict[str, int] = {}
        direct = _direct_runner(store, text, counts)
        through_api = _api_runner(repository, query, counts)
        start = time.perf_counter()
        direct()
        first = time.perf_counter() - start
        # small queries are repeated more, so that timer noise does not decide the ratio
        enough = min(MAX_RUNS, int(0.5 / max(first, 1e-4)))
        runs = 1 if first > SLOW_QUERY_S else max(repeat, enough)
        base_runs: list[float] = []
        api_runs: list[float] = []
        for i in range(runs):
            pair = [(direct, base_runs), (through_api, api_runs)]
            for fn, out in (pair if i % 2 == 0 else pair[::-1]):
                out.append(measure(fn, 1).runs[0])
        base = sorted(base_runs)[len(base_runs) // 2]
        mine = sorted(api_runs)[len(api_runs) // 2]
        assert counts["direct"] == counts["api"], (query.name, counts)
        rows.append([query.name, query.label, counts["api"], base * 1000, mine * 1000,
                     ratio(mine, base), "≤ 1.2"])
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argument_parser(__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--skip-transactional", action="store_true",
                        help="do not measure the forced transactional load path (slow, memory)")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-queries", action="store_true")
    args = parser.parse_args(argv)
    label = size_label(args.size)
    print(f"Machine: {machine()}")
    print(f"Load average at start: {load_average()}")
    started = time.perf_counter()
    nquads = dataset(args.size, "nquads")
    trig = dataset(args.size, "trig")
    print(f"Data: {nquads.name} ({nquads.stat().st_size / 1e6:.0f} MB), {trig.name}"
          f" (generated in {time.perf_counter() - started:.1f} s or cached)\n")
    root = Path(tempfile.mkdtemp(prefix="spbe-bench-"))
    try:
        if not args.skip_load:
            rows = bench_load(nquads, "nquads", args.repeat, root,
                              transactional=not args.skip_transactional)
            rows += bench_load(trig, "trig", args.repeat, root, transactional=False)
            print_table(f"Loading, {label} (median of {args.repeat}; seconds)",
                        ["case", "quads", "pyoxigraph bulk_load", "Repository.load", "ratio",
                         "rate", "target"], rows)
        if not args.skip_queries:
            repository = OxigraphRepository(root / "queries")
            repository.load([LoadSource(nquads, "nquads", None, nquads.name)])
            queries, source = named_queries(repository)
            rows = bench_queries(repository, queries, args.repeat)
            repository.close()
            print_table(f"Named queries, {label} ({source}; median of {args.repeat}–{MAX_RUNS}"
                        " runs, more for fast queries; milliseconds, all rows consumed)",
                        ["query", "parameters", "rows", "pyoxigraph", "Repository.select",
                         "ratio", "target"], rows)
            worst = max((r[5] for r in rows), default=0.0)
            total_base = sum(float(r[3]) for r in rows)  # type: ignore[arg-type]
            total_api = sum(float(r[4]) for r in rows)  # type: ignore[arg-type]
            print(f"All queries together: pyoxigraph {total_base:.0f} ms, repository"
                  f" {total_api:.0f} ms, ratio {ratio(total_api, total_base):.3f};"
                  f" worst single ratio {worst:.3f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
        print(f"Load average at end: {load_average()}")


if __name__ == "__main__":
    main()

