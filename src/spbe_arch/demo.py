"""`spbe-arch demo`: the whole product, run on the Kota Probolinggo demo data.

The demo is a list of steps run in order. Each step is a small function registered with
`@step(...)`; it calls one service function and returns a short summary for the user.
A feature joins the demo by adding its step here once its service works; the step that
starts the server is marked `serves=True` so that `demo --no-serve` can leave it out.

Every step must be safe to run again on a store that already holds the demo — write only
what differs, never append — so `demo` can be re-run without duplicating anything
(tests/cli/test_demo.py runs it twice and compares the triple count of every graph).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib.term import URIRef

from spbe_arch import datasets, iris
from spbe_arch.audit import load_record
from spbe_arch.reference.imported import KeptList, keep_imported_lists
from spbe_arch.repository import LoadRecord, LoadSource, Repository
from spbe_arch.repository.terms import to_rdflib
from spbe_arch.settings import Settings, get_settings
from spbe_arch.vocab import SPBE

SKOS_CONCEPT = "http://www.w3.org/2004/02/skos/core#Concept"
DEMO_AGENT = "demo"
"""Who the audit trail says made the demo's writes (loads, imports, stored reports)."""

SUMMARY_CLASSES: tuple[tuple[str, str, str], ...] = (
    # (class IRI, Indonesian label, English label): what `demo` and `init` report as loaded
    (str(SPBE.PerangkatDaerah), "perangkat daerah (OPD)", "organisation units (OPD)"),
    (str(SPBE.ProsesBisnis), "proses bisnis", "business processes"),
    (str(SPBE.Layanan), "layanan", "services"),
    (str(SPBE.DataInformasi), "data dan informasi", "data items"),
    (str(SPBE.Aplikasi), "aplikasi", "applications"),
    (str(SPBE.Infrastruktur), "infrastruktur", "infrastructure elements"),
    (str(SPBE.Keamanan), "keamanan", "security elements"),
    (str(SPBE.SOP), "SOP", "SOPs"),
    (SKOS_CONCEPT, "kode referensi (skos:Concept)", "reference codes (skos:Concept)"),
)


@dataclass
class LoadSummary:
    """What a load left in the repository: triples per graph and entities per class."""

    quads: int
    triples_per_graph: dict[str, int]
    entities: list[tuple[str, str, int]]
    """(Indonesian label, English label, count) for the classes in `SUMMARY_CLASSES`."""
    kept: list[KeptList] = field(default_factory=list)
    """The lists a user imported (`spbe-arch reference import`) that the load kept rather
    than reloading the shipped ones over them."""

    def kept_lines(self, lang: str = "id") -> list[str]:
        return [k.line(lang) for k in self.kept]

    def lines(self, lang: str = "id") -> list[str]:
        graph_word = "graf" if lang == "id" else "graph"
        triples_word = "tripel" if lang == "id" else "triples"
        out = [f"{graph_word} {name}: {count} {triples_word}"
               for name, count in sorted(self.triples_per_graph.items())]
        out += [f"{label_en if lang == 'en' else label_id}: {count}"
                for label_id, label_en, count in self.entities]
        return out


def summarize(repository: Repository, quads: int,
              kept: list[KeptList] | None = None) -> LoadSummary:
    stats = repository.stats()
    entities = [(label_id, label_en, stats.entities_per_class.get(cls, 0))
                for cls, label_id, label_en in SUMMARY_CLASSES]
    return LoadSummary(quads, dict(stats.triples_per_graph), entities, list(kept or []))


def load_base_data(repository: Repository, *, agent: str) -> LoadSummary:
    """`spbe-arch init`: ontology, shapes and every reference version, replacing those graphs
    (recorded in the audit trail as `agent`'s), except the lists a user imported."""
    quads, kept = _load_base(repository, agent)
    return summarize(repository, quads, kept)


def _load_base(repository: Repository, agent: str) -> tuple[int, list[KeptList]]:
    # an official list loaded with `reference import` must survive the reload that an
    # upgrade's `init` does; the rest of its graph is still refreshed, in the same load
    sources, kept = keep_imported_lists(repository, datasets.base_sources())
    quads = repository.load(sources, replace=True, record=_record(
        agent, sources, "Muat data dasar (ontologi, shapes, arsitektur referensi, kerangka"
        " evaluasi)"))
    return quads, kept


def _record(agent: str, sources: list[LoadSource], what: str) -> LoadRecord:
    graphs = sorted({s.graph for s in sources if s.graph is not None})
    return load_record(agent=agent, entities=graphs, label=lambda n: f"{what}: {n} tripel")


@dataclass
class StepResult:
    """A step's report to the user: one line in each language plus detail lines."""

    summary_id: str
    summary_en: str
    details_id: list[str] = field(default_factory=list)
    details_en: list[str] = field(default_factory=list)

    def summary(self, lang: str = "id") -> str:
        return self.summary_en if lang == "en" else self.summary_id

    def details(self, lang: str = "id") -> list[str]:
        return self.details_en if lang == "en" else self.details_id


Server = Callable[[Repository, Settings], None]
"""Serves a repository over HTTP until stopped; the interface layer provides it (the same
function as `spbe-arch serve`), so this service does not import an interface."""


@dataclass
class DemoContext:
    repository: Repository
    settings: Settings
    kode_wilayah: str = ""
    server: Server | None = None


@dataclass(frozen=True)
class DemoStep:
    name: str
    title_id: str
    title_en: str
    run: Callable[[DemoContext], StepResult]
    serves: bool = False
    """The step starts the server and does not return; left out by `demo --no-serve`."""

    def title(self, lang: str = "id") -> str:
        return self.title_en if lang == "en" else self.title_id


STEPS: list[DemoStep] = []


def step(name: str, title_id: str, title_en: str, *,
         serves: bool = False) -> Callable[[Callable[[DemoContext], StepResult]],
                                           Callable[[DemoContext], StepResult]]:
    """Register a demo step; steps run in the order they are registered."""

    def register(function: Callable[[DemoContext], StepResult]
                 ) -> Callable[[DemoContext], StepResult]:
        if any(existing.name == name for existing in STEPS):
            raise ValueError(f"demo step {name!r} is registered twice")
        STEPS.append(DemoStep(name, title_id, title_en, function, serves))
        return function

    return register


def steps(*, serve: bool = True) -> list[DemoStep]:
    """The steps `demo` runs (without the serving step when `serve` is false)."""
    ordered = sorted(STEPS, key=lambda s: s.serves)  # serving is always last: it blocks
    return [s for s in ordered if serve or not s.serves]


# --- the steps ------------------------------------------------------------------------------

def sample_in_place(repository: Repository, sources: list[LoadSource]) -> bool:
    """Whether every triple of the sample files is already in its graph.

    Later steps add to the instansi graph (derived SOPs, …). Replacing the graph on every
    run would remove those additions and make the steps write them again, each time with a
    new audit record; so an intact sample is left as it is, and only a sample that lost or
    changed triples is loaded afresh (the sample files have no blank nodes, so triples can
    be compared one by one).
    """
    present: dict[URIRef | None, set[tuple[object, object, object]]] = {}
    for source in sources:
        if source.graph not in present:
            present[source.graph] = {(s, p, o) for s, p, o, _ in repository.quads(source.graph)}
        assert isinstance(source.data, Path)
        for triple in ox.parse(path=str(source.data), format=ox.RdfFormat.TURTLE):
            if (to_rdflib(triple.subject), to_rdflib(triple.predicate),
                    to_rdflib(triple.object)) not in present[source.graph]:
                return False
    return True


@step("load", "Memuat ontologi, shapes, referensi dan data contoh Kota Probolinggo",
      "Loading the ontology, shapes, references and the Kota Probolinggo sample")
def load_step(context: DemoContext) -> StepResult:
    repository = context.repository
    quads, kept = _load_base(repository, DEMO_AGENT)
    sample = datasets.sample_sources()
    context.kode_wilayah = datasets.sample_info().kode_wilayah
    graph = str(iris.instansi_graph(context.kode_wilayah))
    if sample_in_place(repository, sample):
        note_id, note_en = "data contoh sudah utuh, dibiarkan", "the sample was intact, left as is"
    else:
        quads += repository.load(sample, replace=True, record=_record(
            DEMO_AGENT, sample, "Muat data contoh Kota Probolinggo"))
        note_id, note_en = "data contoh dimuat", "sample loaded"
    summary = summarize(repository, quads, kept)
    return StepResult(
        f"{quads} tripel dimuat ({note_id}); data Kota Probolinggo di graf {graph}",
        f"{quads} triples loaded ({note_en}); the Kota Probolinggo data is in graph {graph}",
        summary.kept_lines("id") + summary.lines("id"),
        summary.kept_lines("en") + summary.lines("en"),
    )


@step("sop", "Mengimpor model BPMN contoh, menurunkan SOP-nya dan menulis dokumen SOP",
      "Importing the sample BPMN models, deriving their SOPs and writing the SOP documents")
def sop_step(context: DemoContext) -> StepResult:
    from spbe_arch.sop.demo import demo_step  # WeasyPrint is loaded only when needed

    out_dir = Path(context.settings.reports_dir) / "sop"
    result = demo_step(context.repository, out_dir, kode_wilayah=context.kode_wilayah or None)
    return StepResult(result.summary("id"), result.summary("en"),
                      result.details("id"), result.details("en"))


@step("validate", "Memvalidasi aturan arsitektur (SHACL) dan menyimpan laporannya",
      "Validating the architecture rules (SHACL) and storing the report")
def validate_step(context: DemoContext) -> StepResult:
    from spbe_arch.validation import store_if_changed, validate

    kode = context.kode_wilayah or datasets.sample_info().kode_wilayah
    report = validate(context.repository, instansi=kode)
    stored = store_if_changed(context.repository, report, kode, agent=DEMO_AGENT)
    counts = report.counts()
    note_id = f"laporan disimpan di {stored}" if stored else "laporan sama dengan yang tersimpan"
    note_en = f"report stored in {stored}" if stored else "same as the stored report"
    return StepResult(
        f"{counts['Violation']} pelanggaran, {counts['Warning']} peringatan, {counts['Info']}"
        f" info ({note_id}); rincian: spbe-arch validate --instansi {kode}",
        f"{counts['Violation']} violations, {counts['Warning']} warnings, {counts['Info']}"
        f" infos ({note_en}); details: spbe-arch validate --instansi {kode}",
    )


@step("reports", "Menulis semua laporan (arsitektur, profil OPD, validasi, kesesuaian"
      " referensi, register SOP, …) dalam HTML, PDF, DOCX dan Markdown",
      "Writing every report (architecture, OPD profiles, validation, reference conformance,"
      " SOP register, …) as HTML, PDF, DOCX and Markdown")
def reports_step(context: DemoContext) -> StepResult:
    from spbe_arch.reports.demo import demo_step  # WeasyPrint is loaded only when needed

    kode = context.kode_wilayah or datasets.sample_info().kode_wilayah
    result = demo_step(context.repository, Path(context.settings.reports_dir), kode)
    return StepResult(result.summary("id"), result.summary("en"),
                      result.details("id"), result.details("en"))


@step("serve", "Menyalakan server (Ctrl-C untuk berhenti)",
      "Starting the server (Ctrl-C to stop)", serves=True)
def serve_step(context: DemoContext) -> StepResult:
    if context.server is None:  # run_demo only includes this step with a server
        raise ValueError("the serve step needs a server")
    context.server(context.repository, context.settings)
    return StepResult("server berhenti", "server stopped")


# --- running --------------------------------------------------------------------------------

StepListener = Callable[[DemoStep, int, int], None]
ResultListener = Callable[[DemoStep, StepResult], None]


def run_demo(
    repository: Repository,
    settings: Settings | None = None,
    *,
    server: Server | None = None,
    on_start: StepListener | None = None,
    on_done: ResultListener | None = None,
) -> list[tuple[DemoStep, StepResult]]:
    """Run every demo step in order on `repository`; stops at the first error it raises.

    With a `server`, the last step serves the repository with it (and returns only when the
    server stops); without one, everything else runs (`demo --no-serve`).
    """
    context = DemoContext(repository, settings or get_settings(), server=server)
    chosen = steps(serve=server is not None)
    results: list[tuple[DemoStep, StepResult]] = []
    for index, demo_step in enumerate(chosen, start=1):
        if on_start is not None:
            on_start(demo_step, index, len(chosen))
        result = demo_step.run(context)
        results.append((demo_step, result))
        if on_done is not None:
            on_done(demo_step, result)
    return results


__all__ = [
    "STEPS",
    "DemoContext",
    "DemoStep",
    "LoadSummary",
    "Server",
    "StepResult",
    "load_base_data",
    "run_demo",
    "step",
    "steps",
    "summarize",
]
