"""The validation service: what the CLI, the API, the reports and the UI call."""

from __future__ import annotations

import gc
import hashlib
import logging
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Graph
from rdflib.term import Literal, Node, URIRef

from spbe_arch import datasets, iris
from spbe_arch.audit import load_record
from spbe_arch.errors import InputError, Location
from spbe_arch.repository import LoadSource, Repository, SelectResult, open_repository
from spbe_arch.repository.base import QUAD_FORMATS, format_for_path
from spbe_arch.validation.engine import Scope, Validator
from spbe_arch.validation.report import ValidationReport, ValidationResult, sort_results
from spbe_arch.validation.shapes import ShapesGraph, load_shapes, shape_paths
from spbe_arch.vocab import SPBE

INPUT_GRAPH = URIRef("urn:spbe-arch:validate:input")
"""Where plain files given to `validate` are loaded (in a private memory repository)."""

_SPARQL = Path(__file__).parent / "sparql"
_OPD_QUERY = (_SPARQL / "opd_of.rq").read_text(encoding="utf-8")
_OPD_ALL_QUERY = (_SPARQL / "opd_all.rq").read_text(encoding="utf-8")
OPD_ALL_THRESHOLD = 20_000
"""From this many focus nodes on, the OPD of every node is read in one query."""
_HISTORY_QUERY = (_SPARQL / "report_history.rq").read_text(encoding="utf-8")


@contextmanager
def quiet_rdflib() -> Iterator[None]:
    """rdflib logs a traceback for each ill-typed literal it converts; those are findings here."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


# --- shapes ------------------------------------------------------------------------------------

def extra_shapes_graphs(repository: Repository) -> list[URIRef]:
    """Graphs of extra shapes stored in the repository: `…/graph/shapes/<anything>`."""
    prefix = str(iris.shapes_graph()) + "/"
    return [g for g in repository.graph_names() if str(g).startswith(prefix)]


def load_validation_shapes(repository: Repository | None = None, *,
                           shapes_dir: Path | None = None,
                           extra_shapes: Sequence[Path] = ()) -> ShapesGraph:
    """The project's shapes (or `shapes_dir`), extra shape files/folders, and the extra shapes
    graphs stored in the repository, as one shapes graph."""
    directory = shapes_dir or datasets.shapes_dir()
    if not directory.is_dir():
        raise InputError(f"folder bentuk '{directory}' tidak ada",
                         f"shapes folder '{directory}' does not exist",
                         Location(file=str(directory)))
    files = shape_paths([directory, *extra_shapes])
    graphs: list[Graph] = []
    if repository is not None:
        graphs = [repository.graph(g) for g in extra_shapes_graphs(repository)]
    key = (tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files),
           tuple(_graph_digest(g) for g in graphs))
    with _lock:
        cached = _shapes_cache.get(key)
    if cached is None:
        cached = load_shapes(files, graphs)
        with _lock:
            _shapes_cache[key] = cached
    return cached


_shapes_cache: dict[tuple[object, ...], ShapesGraph] = {}


_validators: dict[str, Validator] = {}
_lock = threading.Lock()


def _graph_digest(graph: Graph) -> str:
    digest = hashlib.sha256()
    # blank node labels differ between parses; the rest identifies the content
    lines = sorted(" ".join(t for t in line.split(" ") if not t.startswith("_:"))
                   for line in graph.serialize(format="nt").splitlines())
    for line in lines:
        digest.update(line.encode())
    return digest.hexdigest()


def _shapes_key(shapes: ShapesGraph, engine: str) -> str:
    key = getattr(shapes, "_digest", None)
    if key is None:
        key = _graph_digest(shapes.graph)
        shapes._digest = key  # type: ignore[attr-defined]
    return f"{engine}:{key}"


def validator_for(shapes: ShapesGraph, engine: str = "auto") -> Validator:
    """A compiled validator, cached per shapes content and engine."""
    key = _shapes_key(shapes, engine)
    with _lock:
        validator = _validators.get(key)
        if validator is None:
            validator = Validator(shapes, engine)
            _validators[key] = validator
        return validator


# --- scope -------------------------------------------------------------------------------------

def data_graphs(repository: Repository) -> list[URIRef]:
    """The named graphs whose union is the SHACL data graph: all of them.

    The repository's convention is that queries see the union of all named graphs; the
    validator follows it (shapes, stored reports and provenance are part of that union; none
    of them describes architecture elements, and both engines see the same union).
    """
    return list(repository.graph_names())


def _scope(repository: Repository, instansi: str | None) -> Scope:
    graphs = data_graphs(repository)
    focus_graph = None
    if instansi is not None:
        focus_graph = iris.instansi_graph(instansi)
        if focus_graph not in graphs:
            raise InputError(
                f"instansi '{instansi}' tidak ada di repositori (graf {focus_graph} kosong)",
                f"government body '{instansi}' is not in the repository (graph {focus_graph} is"
                " empty)")
    return Scope(graphs, focus_graph)


# --- annotation --------------------------------------------------------------------------------

def annotate_opd(repository: Repository, results: list[ValidationResult],
                 data: Sequence[URIRef], every_opd: Future[object] | None = None) -> None:
    """Fill `result.opd` with the kode of the OPD each focus node belongs to.

    `every_opd`: the answer of `opd_all.rq`, already being read (used when there are many
    focus nodes; with few, the batched lookup is cheaper and gives the same kode)."""
    focus = sorted({r.focus_node for r in results if isinstance(r.focus_node, URIRef)}, key=str)
    owner: dict[Node, str] = {}

    def note(answer: object) -> None:
        assert isinstance(answer, SelectResult)
        for row in answer.rows:
            kode = str(row["kode"])
            # a node with several OPDs gets the smallest kode, whichever query found it
            if kode < owner.get(row["focus"], "\U0010ffff"):
                owner[row["focus"]] = kode

    if len(focus) >= OPD_ALL_THRESHOLD:
        note(every_opd.result() if every_opd is not None else repository.query(_OPD_ALL_QUERY))
    else:
        for i in range(0, len(focus), 1000):
            batch = "VALUES ?focus { " + " ".join(f"<{f}>" for f in focus[i:i + 1000]) + " }"
            note(repository.query(_OPD_QUERY.replace("#FOCUS#", batch)))
    for result in results:
        result.opd = owner.get(result.focus_node)


# --- validate ----------------------------------------------------------------------------------

@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a run builds its results: with
    hundreds of thousands of results alive (an earlier report) each collection walks all of
    them (5M triples: a second run 61.8 s with it, 56.3 s without; results hold no cycles)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _input_repository(files: Sequence[Path]) -> Repository:
    repository = open_repository("memory:")
    sources = []
    for path in files:
        if not path.exists():
            raise InputError(f"berkas '{path}' tidak ada", f"file '{path}' does not exist",
                             Location(file=str(path)))
        fmt = format_for_path(path)
        sources.append(LoadSource(path, fmt, None if fmt in QUAD_FORMATS else INPUT_GRAPH,
                                  str(path)))
    repository.load(sources)
    return repository


def validate(
    source: Repository | Sequence[Path],
    *,
    instansi: str | None = None,
    opd: str | None = None,
    shapes_dir: Path | None = None,
    extra_shapes: Sequence[Path] = (),
    engine: str = "auto",
    lang: str = "id",
) -> ValidationReport:
    """Validate a repository, or plain RDF files (loaded into a private memory repository).

    `instansi` keeps the results whose focus node is in that body's graph; `opd` those whose
    focus node belongs to the OPD with that kode. `shapes_dir` replaces the project's `shapes/`
    folder; `extra_shapes` (files or folders) and extra shapes graphs stored in the repository
    (`…/graph/shapes/<name>`) are added to it. `engine`: "auto" (fast path, pySHACL for shapes it
    cannot run), "fast" (error if a shape cannot run on the fast path) or "pyshacl".
    """
    with quiet_rdflib():
        repository = source if isinstance(source, Repository) else _input_repository(list(source))
        shapes = load_validation_shapes(repository, shapes_dir=shapes_dir,
                                        extra_shapes=extra_shapes)
        validator = validator_for(shapes, engine)
        scope = _scope(repository, instansi)
        with ThreadPoolExecutor(1) as pool, _cyclic_gc_paused():
            # the OPD of every node is read while the checks run (at 5M triples it takes
            # about 4 s, and a run with many results needs it); see annotate_opd
            every_opd: Future[object] = pool.submit(repository.query, _OPD_ALL_QUERY)
            outcome = validator.run(repository, scope, sort=False)
            report = outcome.report
            annotate_opd(repository, report.results, scope.data_graphs, every_opd)
        if opd is not None:
            report.results = [r for r in report.results if r.opd == opd]
        report.results = sort_results(report.results)
        report.instansi = instansi
        report.opd = opd
        report.lang = lang
        report.shapes = shapes
        return report


# --- stored reports ----------------------------------------------------------------------------

def store_report(repository: Repository, report: ValidationReport, kode_wilayah: str,
                 agent: str | None = None) -> URIRef:
    """Store the report as its own named graph `…/graph/validation/<kode>/<timestamp>`.

    With `agent` (whoever asked for it: a token, a CLI user) the audit trail records who
    stored which report; the report's own results are not listed triple by triple."""
    stamp = report.generated.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    graph_name = iris.validation_graph(kode_wilayah, stamp)
    report.iri = graph_name
    graph = report.to_graph(graph_name, report.shapes.graph if report.shapes else None)
    graph.add((graph_name, URIRef(SPBE._NS + "kodeWilayah"), Literal(kode_wilayah)))
    data = graph.serialize(format="nt", encoding="utf-8")
    record = None if agent is None else load_record(
        agent=agent, entities=[graph_name],
        label=lambda _: f"Laporan validasi disimpan: {len(report.results)} hasil")
    repository.load([LoadSource(data, "ntriples", graph_name, f"validation report {stamp}")],
                    replace=True, record=record)
    return graph_name


def store_if_changed(repository: Repository, report: ValidationReport,
                     kode_wilayah: str, agent: str | None = None) -> URIRef | None:
    """Store the report unless the newest stored one has exactly the same results (so that
    re-running a step writes nothing new); returns the new graph or None. `agent`: as for
    `store_report`."""
    from collections import Counter

    previous = latest_report(repository, kode_wilayah)
    if previous is not None and Counter(r.key() for r in previous.results) == Counter(
            r.key() for r in report.results):
        return None
    return store_report(repository, report, kode_wilayah, agent=agent)


def _report_graphs(repository: Repository, kode_wilayah: str) -> list[URIRef]:
    prefix = f"{iris.BASE}graph/validation/{kode_wilayah}/"
    return sorted((g for g in repository.graph_names() if str(g).startswith(prefix)), key=str)


def latest_report(repository: Repository, kode_wilayah: str) -> ValidationReport | None:
    """The newest stored report for a body, or None."""
    graphs = _report_graphs(repository, kode_wilayah)
    if not graphs:
        return None
    return ValidationReport.from_graph(repository.graph(graphs[-1]), graphs[-1])


def report_history(repository: Repository, kode_wilayah: str,
                   limit: int | None = None) -> list[dict[str, object]]:
    """Counts of every stored report of a body, oldest first (the trend)."""
    prefix = f"{iris.BASE}graph/validation/{kode_wilayah}/"
    answer = repository.query(_HISTORY_QUERY, {"prefix": Literal(prefix)})
    assert isinstance(answer, SelectResult)
    history: list[dict[str, object]] = []
    for row in answer.rows:
        history.append({
            "iri": str(row["graph"]), "generated": str(row["created"]),
            "conforms": str(row["conforms"]) == "true",
            "Violation": int(str(row["violations"])), "Warning": int(str(row["warnings"])),
            "Info": int(str(row["infos"])),
        })
    return history[-limit:] if limit else history


def now() -> datetime:
    return datetime.now(UTC)
