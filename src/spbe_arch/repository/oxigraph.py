"""Embedded Oxigraph backend: on disk (`oxigraph:PATH`) or in memory (`memory:`).

Loading has two paths, both all-or-nothing:

- **transactional** (in memory, and on disk for inputs below `bulk_threshold_bytes`): every
  source is parsed into memory first, then stored by one Oxigraph transaction (`extend`,
  or one SPARQL Update `DROP …; INSERT DATA …` when replacing). Other threads never see a
  half-done load.
- **bulk** (on disk, large inputs): Oxigraph's bulk loader, which is 3–4× faster than a
  transaction and streams instead of holding everything in memory, but is not
  transactional. Atomicity comes from a load journal in `<store>/spbe-load/`: before the
  first write, a checkpoint of the store is taken (`Store.backup`, hard links, a few ms)
  and the graphs the load may touch are recorded; when the load fails — a syntax error in
  the 3rd of 5 files, a full disk, or `kill -9` — those graphs are restored from the
  checkpoint (at once, or when the store is next opened for writing). The trade-off: queries
  running *in the same process* during a bulk load may see part of it; readers in other
  processes (`read_only=True`) read the checkpoint while a load is pending, so they see the
  store as it was before the load.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from typing import Literal as TypingLiteral

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import BNode, Node, URIRef

from spbe_arch.errors import InputError, Location, StoreUnavailableError
from spbe_arch.repository.base import (
    QUAD_FORMATS,
    ChangeSet,
    DataRow,
    LoadRecord,
    LoadSource,
    Quad,
    QueryResult,
    Repository,
    RepositoryStats,
    SelectResult,
    bind_values,
    changeset_to_update,
    check_result_limit,
    data_operations,
    has_dataset_clause,
    query_form,
)
from spbe_arch.repository.guards import check_rdf_input
from spbe_arch.repository.terms import graph_to_oxigraph, to_oxigraph, to_rdflib

__all__ = [
    "RDF_FORMAT",
    "OxigraphRepository",
    "changeset_to_update",
    "check_sources",
    "insert_operations",
    "parse_source",
    "query_form",
    "syntax_error",
]

RDF_FORMAT = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
RESULTS_MEDIA = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_MEDIA = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
JOURNAL_DIR = "spbe-load"
"""Folder inside the store directory holding the journal of a bulk load in progress."""
BULK_THRESHOLD_BYTES = 4 * 1024 * 1024
"""Inputs at least this large (all sources together) take the bulk path on disk."""
BULK_APPLY_QUADS = 50_000
"""Change sets adding at least this many quads take the journaled bulk path on disk: one
SPARQL Update of 230,000 triples peaks at ~800 MB (the request text and its parse tree);
the bulk loader streams them (see `OxigraphRepository._apply_bulk`)."""
READ_ONLY_ATTEMPTS = 5

AnyGraph = ox.NamedNode | ox.BlankNode | ox.DefaultGraph


def syntax_error(exc: Exception, name: str, data: bytes | Path | None = None,
                 fmt: str | None = None) -> InputError:
    """An InputError naming file, line and column of a pyoxigraph parse error."""
    # `str()` of a Python SyntaxError appends "(file, line N)": the location says that
    text = getattr(exc, "msg", None) or str(exc)
    line = getattr(exc, "lineno", None)
    column = getattr(exc, "offset", None)
    if line is None:
        match = re.search(r"line (\d+)(?:,? (?:between )?columns? (\d+))?", text)
        if match:
            line = int(match.group(1))
            column = int(match.group(2)) if match.group(2) else None
    if line is None and fmt == "rdfxml" and data is not None:
        # Oxigraph's RDF/XML parser reports no position; the XML layer can often find one.
        line, column = _xml_position(data)
    if line is not None:
        text = _PARSER_POSITION.sub("", text, count=1)
    hint_id, hint_en = _syntax_hint(text, data, fmt)
    return InputError(
        f"kesalahan sintaks RDF: {text}{hint_id}",
        f"RDF syntax error: {text}{hint_en}",
        Location(file=name, line=line, column=column),
    )


_PARSER_POSITION = re.compile(r"^Parser error (?:at|between) [^:]*?\d: ")


def _syntax_hint(text: str, data: bytes | Path | None, fmt: str | None
                 ) -> tuple[str, str]:
    """What the usual causes of a parse error mean for the person who wrote the file."""
    if "Invalid UTF-8" in text:
        return ("; berkas tidak tersimpan sebagai UTF-8 (mis. Latin-1/ANSI): simpan ulang"
                " dengan pengodean UTF-8",
                "; the file is not saved as UTF-8 (e.g. Latin-1/ANSI): save it again with"
                " UTF-8 encoding")
    if "load remote contexts" in text:
        return ("; konteks JSON-LD dari alamat web (\"@context\": \"https://…\") tidak diambil:"
                " salin isi konteks itu ke dalam berkas",
                "; a JSON-LD context from the web (\"@context\": \"https://…\") is not fetched:"
                " copy that context into the file")
    if "No scheme found in an absolute IRI" in text:
        return ("; IRI relatif tanpa @base: tulis IRI lengkap (https://…) atau tambahkan"
                " @base <https://…> . di awal berkas",
                "; a relative IRI without @base: write the full IRI (https://…) or add"
                " @base <https://…> . at the top of the file")
    if fmt in ("turtle", "trig", "ntriples", "nquads") and data is not None:
        start = _first_bytes(data).lstrip(b"\xef\xbb\xbf \t\r\n")
        if start.startswith((b"{", b"[")):
            return ("; isi berkas tampaknya JSON-LD: beri akhiran .jsonld",
                    "; the file looks like JSON-LD: give it the suffix .jsonld")
        if start.startswith((b"<?xml", b"<rdf:RDF")):
            return ("; isi berkas tampaknya RDF/XML: beri akhiran .rdf",
                    "; the file looks like RDF/XML: give it the suffix .rdf")
    return "", ""


def _first_bytes(data: bytes | Path, size: int = 64) -> bytes:
    if isinstance(data, bytes):
        return data[:size]
    try:
        with data.open("rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def _xml_position(data: bytes | Path) -> tuple[int | None, int | None]:
    from xml.sax import SAXParseException
    from xml.sax.handler import ContentHandler

    from defusedxml.sax import parseString

    try:
        raw = data.read_bytes() if isinstance(data, Path) else data
        parseString(raw, ContentHandler())
    except SAXParseException as exc:
        column = exc.getColumnNumber()
        return exc.getLineNumber(), column + 1 if column is not None else None
    except Exception:  # best effort: the file name is reported anyway
        return None, None
    return None, None


def _source_size(source: LoadSource) -> int:
    if isinstance(source.data, Path):
        try:
            return source.data.stat().st_size
        except OSError:
            return 0
    return len(source.data)


def _graph_text(graph: AnyGraph) -> str:
    if isinstance(graph, ox.DefaultGraph):
        return "DEFAULT"
    return f"GRAPH {graph}"


class _LoadJournal:
    """The on-disk record of a bulk load in progress (see the module docstring).

    Layout: `checkpoint/` (a `Store.backup` taken before the first write), `journal.json`
    (written once the checkpoint is complete: replace mode and the graphs known up front)
    and `graphs.nq` (graphs discovered while streaming quad formats, appended before their
    first quad is handed to the bulk loader). No `journal.json` means nothing was written.
    """

    def __init__(self, store_path: Path) -> None:
        self.directory = store_path / JOURNAL_DIR
        self.checkpoint = self.directory / "checkpoint"
        self.header = self.directory / "journal.json"
        self.graph_log = self.directory / "graphs.nq"
        self._log: Any = None

    def pending(self) -> bool:
        return self.header.exists()

    def begin(self, store: ox.Store, *, whole: bool, graphs: Iterable[AnyGraph]) -> None:
        if self.directory.exists():
            shutil.rmtree(self.directory)
        self.directory.mkdir()
        store.backup(str(self.checkpoint))
        self._log = self.graph_log.open("a", encoding="utf-8")
        temporary = self.directory / "journal.json.tmp"
        temporary.write_text(json.dumps({"whole": whole}), encoding="utf-8")
        for graph in graphs:
            self.add_graph(graph)
        temporary.rename(self.header)

    def add_graph(self, graph: AnyGraph) -> None:
        self._log.write(_graph_line(graph))
        self._log.flush()  # in the OS cache before the bulk loader sees a quad: survives kill -9

    def graphs(self) -> tuple[bool, list[AnyGraph]]:
        """(whole-store load?, graphs the load may have written)."""
        whole = bool(json.loads(self.header.read_text(encoding="utf-8")).get("whole"))
        graphs: list[AnyGraph] = []
        if self.graph_log.exists():
            # one graph name per "\n"-ended line: an IRI may hold U+2028, at which
            # str.splitlines would cut it
            for line in self.graph_log.read_text(encoding="utf-8").split("\n")[:-1]:
                graphs.append(ox.DefaultGraph() if line == "DEFAULT" else ox.NamedNode(line))
        return whole, graphs

    def finish(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None
        # the header goes first: without it the rest is garbage, whatever happens next
        with contextlib.suppress(FileNotFoundError):
            self.header.unlink()
        shutil.rmtree(self.directory, ignore_errors=True)


def _graph_line(graph: AnyGraph) -> str:
    return "DEFAULT\n" if isinstance(graph, ox.DefaultGraph) else f"{graph.value}\n"


class OxigraphRepository(Repository):
    """Oxigraph in this process. `path=None` keeps everything in memory."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False,
                 bulk_threshold_bytes: int = BULK_THRESHOLD_BYTES,
                 bulk_apply_quads: int = BULK_APPLY_QUADS) -> None:
        # `--store oxigraph:~/spbe-data`: no shell expands a `~` that follows `oxigraph:`
        path = path.expanduser() if path is not None else None
        self.path = path
        self.read_only = read_only
        self.bulk_threshold_bytes = bulk_threshold_bytes
        self.bulk_apply_quads = bulk_apply_quads
        self.description = f"oxigraph:{path}" if path is not None else "memory:"
        self.reading_checkpoint = False
        """True when opened read-only during a bulk load: the pre-load checkpoint is read."""
        self._store: ox.Store | None = None
        if path is None:
            self._store = ox.Store()
        elif read_only:
            self._store = self._open_read_only(path)
        else:
            self._store = self._open_read_write(path)
            journal = _LoadJournal(path)
            if journal.directory.exists():
                self._recover(journal)

    # --- opening ----------------------------------------------------------------------------
    def _open_read_write(self, path: Path) -> ox.Store:
        try:
            path.mkdir(parents=True, exist_ok=True)
            return ox.Store(str(path))
        except OSError as exc:
            raise _open_error(path, exc) from exc

    def _open_read_only(self, path: Path) -> ox.Store:
        if not (path / "CURRENT").exists():
            raise StoreUnavailableError(
                f"penyimpanan {path} tidak ditemukan atau belum pernah dibuat (jalankan"
                " `spbe-arch init`)",
                f"the store {path} does not exist or was never created (run `spbe-arch init`)",
            )
        journal = _LoadJournal(path)
        if journal.pending():
            try:
                store = ox.Store.read_only(str(journal.checkpoint))
            except (OSError, RuntimeError):
                pass  # the load finished (and removed its checkpoint) in between
            else:
                self.reading_checkpoint = True
                return store
        # A writer in another process may compact (delete files) while this opens: RocksDB
        # then reports a missing file as "Corruption". That is a race, not damage: retry.
        for attempt in range(READ_ONLY_ATTEMPTS):
            try:
                return ox.Store.read_only(str(path))
            except OSError as exc:
                raise _open_error(path, exc) from exc
            except RuntimeError as exc:
                if attempt == READ_ONLY_ATTEMPTS - 1:
                    raise StoreUnavailableError(
                        f"penyimpanan {path} sedang ditulis proses lain dan belum dapat dibaca"
                        " (coba lagi sebentar lagi)",
                        f"the store {path} is being written by another process and could not"
                        " be read yet (try again shortly)",
                    ) from exc
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    @property
    def store(self) -> ox.Store:
        """The underlying pyoxigraph store (query workers, benchmarks, backend tests)."""
        if self._store is None:
            raise StoreUnavailableError(f"repositori {self.description} sudah ditutup",
                                        f"the repository {self.description} is closed")
        return self._store

    def memory_copy(self, graphs: Sequence[URIRef]) -> Repository:
        # quad by quad inside Oxigraph: no serialisation (28k quads of a 5M store: 440 ms
        # through N-Triples, ~150 ms so, most of it reading the on-disk store)
        copy = OxigraphRepository(None)
        for graph in graphs:
            copy.store.extend(self.store.quads_for_pattern(None, None, None,
                                                           graph_to_oxigraph(graph)))
        return copy

    def _writable(self) -> ox.Store:
        if self.read_only:
            raise StoreUnavailableError(
                f"penyimpanan {self.description} dibuka hanya-baca; perubahan tidak bisa"
                " disimpan",
                f"the store {self.description} is open read-only; changes cannot be written",
            )
        return self.store

    # --- reading ----------------------------------------------------------------------------
    def _run(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None,
        default_graph_uris: Sequence[str] | None,
        named_graph_uris: Sequence[str] | None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        kwargs: dict[str, object] = {}
        if default_graph_uris or named_graph_uris:
            # a protocol dataset replaces the query's own (SPARQL 1.1 Protocol §2.1.4)
            kwargs["default_graph"] = [ox.NamedNode(u) for u in default_graph_uris or ()]
            kwargs["named_graphs"] = [ox.NamedNode(u) for u in named_graph_uris or ()]
        elif not has_dataset_clause(sparql):
            # (with the union option Oxigraph would ignore the query's own FROM clauses)
            kwargs["use_default_graph_as_union"] = True
        if bindings:
            # Oxigraph's own substitutions require the variable in the projection, which
            # parameters (filters) often are not; a VALUES block is engine-neutral.
            sparql = bind_values(sparql, bindings)
        try:
            return self.store.query(sparql, **kwargs)  # type: ignore[arg-type]
        except SyntaxError as exc:
            raise InputError(f"kesalahan sintaks SPARQL: {exc}",
                             f"SPARQL syntax error: {exc}") from exc
        except ValueError as exc:
            raise InputError(f"kueri tidak sah: {exc}", f"invalid query: {exc}") from exc
        except (OSError, RuntimeError) as exc:
            # storage errors; for a read-only reader also "files removed by the writer"
            raise _read_error(self.description, exc) from exc

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        timeout_s: float | None = None,
    ) -> QueryResult:
        result = self._run(sparql, bindings, default_graph_uris, named_graph_uris)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        deadline = time.monotonic() + timeout_s if timeout_s else None
        answer = _collect(result, deadline)
        # pyoxigraph's results may only be dropped on the thread that made them: raised
        # from the loop, the TimeoutError's traceback kept them alive into the thread that
        # handles it (an API route), where dropping them failed
        del result
        if answer is None:
            raise TimeoutError(f"query exceeded {timeout_s} s")
        return answer

    def query_serialized(
        self,
        sparql: str,
        media_type: str,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        timeout_s: float | None = None,
        max_results: int | None = None,
    ) -> tuple[str, bytes]:
        form = query_form(sparql)
        result = self._run(sparql, None, default_graph_uris, named_graph_uris)
        if isinstance(result, ox.QueryBoolean | ox.QuerySolutions):
            fmt = RESULTS_MEDIA.get(media_type)
            if fmt is None:
                raise InputError(f"format hasil {media_type} tidak didukung",
                                 f"result format {media_type} is not supported")
            body = result.serialize(format=fmt) or b""
            check_result_limit(media_type, body, max_results)
            return ("ASK" if isinstance(result, ox.QueryBoolean) else form), body
        rdf_fmt = GRAPH_MEDIA.get(media_type)
        if rdf_fmt is None:
            raise InputError(f"format RDF {media_type} tidak didukung",
                             f"RDF format {media_type} is not supported")
        body = result.serialize(format=rdf_fmt) or b""
        check_result_limit(media_type, body, max_results)
        return form, body

    def graph_names(self) -> list[URIRef]:
        store = self.store
        return sorted(
            URIRef(g.value) for g in store.named_graphs()
            if isinstance(g, ox.NamedNode)
            and next(iter(store.quads_for_pattern(None, None, None, g)), None) is not None
        )

    def graph(self, name: URIRef | None) -> Graph:
        graph = Graph()
        for quad in self.store.quads_for_pattern(None, None, None, graph_to_oxigraph(name)):
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return graph

    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]:
        pattern = None if graph is None else graph_to_oxigraph(graph)
        for quad in self.store.quads_for_pattern(None, None, None, pattern):
            g = quad.graph_name
            yield (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object),
                   URIRef(g.value) if isinstance(g, ox.NamedNode) else None)

    def stats(self) -> RepositoryStats:
        def rows(sparql: str, union: bool = False) -> Iterator[tuple[str, int]]:
            result = self.store.query(sparql, use_default_graph_as_union=union)
            assert isinstance(result, ox.QuerySolutions)
            for row in result:
                key, n = (None, row[0]) if len(result.variables) == 1 else (row[0], row[1])
                assert n is not None
                yield (key.value if key is not None else ""), int(n.value)

        per_graph = dict(rows(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"))
        default = dict(rows("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
        if default.get(""):
            per_graph[""] = default[""]
        per_class = dict(rows(
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c", union=True))
        return RepositoryStats(per_graph, per_class)

    # --- writing ----------------------------------------------------------------------------
    def update(self, sparql: str, *, using_graph_uris: Sequence[str] | None = None,
               using_named_graph_uris: Sequence[str] | None = None) -> None:
        store = self._writable()
        if using_graph_uris or using_named_graph_uris:
            sparql = _add_using(sparql, using_graph_uris or [], using_named_graph_uris or [])
        self._update(store, sparql)

    def _update(self, store: ox.Store, sparql: str) -> None:
        try:
            store.update(sparql)
        except SyntaxError as exc:
            raise InputError(f"kesalahan sintaks SPARQL Update: {exc}",
                             f"SPARQL Update syntax error: {exc}") from exc
        except (RuntimeError, ValueError) as exc:
            # e.g. DROP GRAPH of a graph that does not exist; nothing was written
            raise InputError(f"SPARQL Update gagal, tidak ada yang diubah: {exc}",
                             f"SPARQL Update failed, nothing was changed: {exc}") from exc
        except OSError as exc:
            raise _write_error(self.description, exc) from exc

    def apply(self, changes: ChangeSet) -> None:
        store = self._writable()
        if changes.is_empty():
            return
        if (self.path is not None and not changes.updates
                and len(changes.add) >= self.bulk_apply_quads
                and not any(isinstance(t, BNode) for q in changes.add for t in q[:3])):
            self._apply_bulk(store, self.path, changes)
            return
        # One SPARQL Update request is one Oxigraph transaction: all of it or nothing.
        self._update(store, changeset_to_update(changes))

    def _apply_bulk(self, store: ox.Store, path: Path, changes: ChangeSet) -> None:
        """A large change set, all or nothing through the load journal (module docstring).

        Clears and removals run first as one transaction, then the additions stream through
        the bulk loader; if anything fails (or the process dies) the touched graphs are put
        back from the checkpoint. Same trade-off as a bulk load: readers in this process may
        see the change half-done while it runs, readers in other processes see the checkpoint.
        Blank nodes keep the transactional path (INSERT DATA gives them fresh identities).
        """
        touched: dict[str, AnyGraph] = {}
        for graph in [*changes.clear_graphs,
                      *(q[3] for q in changes.remove), *(q[3] for q in changes.add)]:
            target = graph_to_oxigraph(graph)
            touched.setdefault(_graph_line(target), target)
        journal = _LoadJournal(path)
        try:
            journal.begin(store, whole=False, graphs=touched.values())
        except OSError as exc:
            journal.finish()
            raise _write_error(self.description, exc) from exc
        try:
            if changes.remove or changes.clear_graphs:
                store.update(changeset_to_update(ChangeSet(remove=list(changes.remove),
                                                           clear_graphs=list(changes.clear_graphs))))
            store.bulk_extend(oxigraph_quads(changes.add))
            store.flush()
        except BaseException as exc:
            self._recover(journal)
            if isinstance(exc, OSError):
                raise _write_error(self.description, exc) from exc
            if isinstance(exc, (SyntaxError, ValueError, RuntimeError)):
                raise InputError(f"perubahan gagal, tidak ada yang diubah: {exc}",
                                 f"the change failed, nothing was changed: {exc}") from exc
            raise
        journal.finish()

    def load(self, sources: Sequence[LoadSource], *, replace: bool = False,
             record: LoadRecord | None = None) -> int:
        return self._load(sources, replace=replace, whole=False, record=record)

    def restore(self, path: Path, fmt: str | None = None, *,
                record: LoadRecord | None = None) -> int:
        """Replace the whole repository by a dump (N-Quads or TriG), atomically."""
        from spbe_arch.repository.base import format_for_path

        fmt = fmt or format_for_path(path)
        return self._load([LoadSource(path, fmt, None, str(path))], replace=True, whole=True,
                          record=record)

    def _load(self, sources: Sequence[LoadSource], *, replace: bool, whole: bool,
              record: LoadRecord | None = None) -> int:
        store = self._writable()
        check_sources(sources)
        size = sum(_source_size(s) for s in sources)
        if whole:
            return self._restore(store, sources, record)
        if self.path is None or size < self.bulk_threshold_bytes:
            return self._load_transactional(store, sources, replace=replace, record=record)
        return self._load_bulk(store, self.path, sources, replace=replace, whole=whole,
                               record=record)

    def _restore(self, store: ox.Store, sources: Sequence[LoadSource],
                 record: LoadRecord | None) -> int:
        """Replace everything by a dump, keeping its blank node labels, so that dump ->
        restore -> dump gives the same bytes (a transaction's INSERT would give every blank
        node a fresh label). On disk through the load journal (all or nothing, also for a
        killed process); in memory parsed whole first, so a malformed dump changes
        nothing."""
        if self.path is not None:
            return self._load_bulk(store, self.path, sources, replace=True, whole=True,
                                   record=record, keep_blank_labels=True)
        quads = [q for source in sources for q in parse_source(source, keep_blank_labels=True)]
        recorded = list(oxigraph_quads(record(len(quads)))) if record is not None else []
        store.clear()
        store.extend([*quads, *recorded])
        return len(quads)

    def _load_transactional(self, store: ox.Store, sources: Sequence[LoadSource], *,
                            replace: bool, record: LoadRecord | None) -> int:
        quads = [quad for source in sources for quad in parse_source(source)]
        recorded = list(oxigraph_quads(record(len(quads)))) if record is not None else []
        if not replace:
            try:
                store.extend([*quads, *recorded])  # one transaction
            except OSError as exc:
                raise _write_error(self.description, exc) from exc
            return len(quads)
        targets: dict[str, None] = {}
        for source in sources:
            if source.format not in QUAD_FORMATS:
                targets[_graph_text(graph_to_oxigraph(source.graph))] = None
        for quad in quads:
            targets[_graph_text(quad.graph_name)] = None  # type: ignore[arg-type]
        drops = [f"DROP SILENT {target}" for target in targets]
        # after the drops: a record is never replaced, even one in a graph being replaced
        operations = [*drops, *insert_operations([*quads, *recorded])]
        # DROP and INSERT DATA in one request: one transaction
        self._update(store, " ;\n".join(operations))
        return len(quads)

    def _load_bulk(self, store: ox.Store, path: Path, sources: Sequence[LoadSource], *,
                   replace: bool, whole: bool, record: LoadRecord | None,
                   keep_blank_labels: bool = False) -> int:
        journal = _LoadJournal(path)
        known = [graph_to_oxigraph(s.graph) for s in sources if s.format not in QUAD_FORMATS]
        try:
            journal.begin(store, whole=whole, graphs=dict.fromkeys(known))
        except OSError as exc:
            journal.finish()
            raise _write_error(self.description, exc) from exc
        cleared: set[str] = set()

        def clear(graph: AnyGraph) -> None:
            key = _graph_line(graph)
            if key not in cleared:
                cleared.add(key)
                _clear_graph(store, graph)

        count = 0
        current: LoadSource | None = None
        try:
            if whole:
                store.clear()
            elif replace:
                for graph in known:
                    clear(graph)
            seen: set[str] = {_graph_line(g) for g in known}
            for source in sources:
                current = source
                count += self._bulk_source(store, source, journal, seen,
                                           clear if replace and not whole else None,
                                           keep_blank_labels)
            current = None
            if record is not None:
                # inside the journal: a crash before `finish` takes the record back too
                recorded = list(oxigraph_quads(record(count)))
                for quad in recorded:
                    key = _graph_line(quad.graph_name)  # type: ignore[arg-type]
                    if key not in seen:
                        seen.add(key)
                        journal.add_graph(quad.graph_name)  # type: ignore[arg-type]
                store.bulk_extend(recorded)
            store.flush()
        except BaseException as exc:
            self._recover(journal)
            if isinstance(exc, SyntaxError) and current is not None:
                raise syntax_error(exc, current.name, current.data, current.format) from exc
            if isinstance(exc, MemoryError) and current is not None:
                raise too_large_error(exc, current.name) from exc
            if isinstance(exc, OSError):
                raise _write_error(self.description, exc) from exc
            raise
        journal.finish()
        return count

    def _bulk_source(self, store: ox.Store, source: LoadSource, journal: _LoadJournal,
                     seen: set[str], clear: Callable[[AnyGraph], None] | None,
                     keep_blank_labels: bool = False) -> int:
        counter = [0]
        parsed = _parser(source, keep_blank_labels)
        if source.format not in QUAD_FORMATS:
            target = graph_to_oxigraph(source.graph)
            check_graph_allowed(source, _graph_line(target).rstrip("\n"))

            def retarget() -> Iterator[ox.Quad]:
                n = 0
                for q in parsed:
                    n += 1
                    yield ox.Quad(q.subject, q.predicate, q.object, target)
                counter[0] = n

            store.bulk_extend(retarget())
            return counter[0]

        target_graph = None if source.graph is None else graph_to_oxigraph(source.graph)

        def tracked() -> Iterator[ox.Quad]:
            n = 0
            for q in parsed:
                n += 1
                if target_graph is not None:
                    q = _outside_any_graph_to(q, target_graph)
                graph = q.graph_name
                key = _graph_line(graph)  # type: ignore[arg-type]
                if key not in seen:
                    check_graph_allowed(source, key.rstrip("\n"))
                    seen.add(key)
                    journal.add_graph(graph)  # type: ignore[arg-type]
                    if clear is not None:
                        clear(graph)  # type: ignore[arg-type]
                yield q
            counter[0] = n

        store.bulk_extend(tracked())
        return counter[0]

    def _recover(self, journal: _LoadJournal) -> None:
        """Undo an unfinished bulk load: put back the touched graphs from the checkpoint.

        If that fails too (the disk is still full), the journal stays and the next
        read-write open tries again; readers keep reading the checkpoint meanwhile."""
        assert self.path is not None
        _remove_orphan_bulk_files(self.path)
        try:
            self._put_back(journal)
        except (OSError, RuntimeError) as exc:
            raise StoreUnavailableError(
                f"penulisan ke penyimpanan {self.description} gagal dan belum dapat dibatalkan"
                f" ({exc}); isi sebelumnya dipulihkan otomatis saat penyimpanan dibuka lagi"
                " untuk menulis (mis. perintah load berikutnya) setelah ruang disk cukup;"
                " pembaca tetap melihat isi sebelumnya",
                f"writing to the store {self.description} failed and could not be undone yet"
                f" ({exc}); the previous content is put back automatically when the store is"
                " next opened for writing (e.g. the next load) once there is disk space;"
                " readers keep seeing the previous content",
            ) from exc

    def _put_back(self, journal: _LoadJournal) -> None:
        if not journal.pending():
            journal.finish()  # the checkpoint was being taken; the store was not touched
            return
        store = self.store
        whole, graphs = journal.graphs()
        checkpoint = ox.Store.read_only(str(journal.checkpoint))
        if whole:
            store.clear()
            store.bulk_extend(iter(checkpoint))
        else:
            touched = list(dict.fromkeys(graphs))
            for graph in touched:
                _clear_graph(store, graph)
            # one bulk call: each has a fixed cost of its own
            store.bulk_extend(quad for graph in touched
                              for quad in checkpoint.quads_for_pattern(None, None, None, graph))
        store.flush()
        del checkpoint
        journal.finish()

    def clear(self, graph: URIRef | None = None) -> None:
        store = self._writable()
        if graph is None:
            store.clear()
        else:
            store.remove_graph(ox.NamedNode(str(graph)))

    # --- export -----------------------------------------------------------------------------
    def export(self, graph: URIRef | None, fmt: str) -> bytes:
        rdf_fmt = _export_format(fmt)
        if graph is None and fmt in QUAD_FORMATS:
            return self.store.dump(format=rdf_fmt) or b""
        if graph is not None and fmt in QUAD_FORMATS:
            # with its name, so that the file loads back into the same graph (a dump
            # `from_graph` writes the triples outside any graph)
            quads = self.store.quads_for_pattern(None, None, None, graph_to_oxigraph(graph))
            return ox.serialize(quads, format=rdf_fmt) or b""
        return self.store.dump(format=rdf_fmt, from_graph=graph_to_oxigraph(graph)) or b""

    def dump(self, path: Path, fmt: TypingLiteral["nquads", "trig"] = "nquads") -> int:
        store = self.store
        if fmt not in QUAD_FORMATS:
            raise InputError(f"dump memerlukan format quad (nquads/trig), bukan {fmt}",
                             f"a dump needs a quad format (nquads/trig), not {fmt}")
        store.dump(str(path), format=RDF_FORMAT[fmt])
        return len(store)

    def close(self) -> None:
        """Flush and let go of the store. The RocksDB lock is released when the last
        reference goes (an exception traceback that still holds a frame of a write keeps
        it until that exception is gone)."""
        store, self._store = self._store, None  # released even if the flush fails
        if store is None:
            return
        if self.path is not None and not self.read_only:
            try:
                store.flush()
            except OSError as exc:  # a full disk, a directory made read-only
                raise StoreUnavailableError(
                    f"penyimpanan {self.description} tidak dapat menulis ke disk saat ditutup"
                    f" ({exc}); periksa ruang disk dan hak tulis foldernya",
                    f"the store {self.description} could not write to disk when closing"
                    f" ({exc}); check the free disk space and the folder's permissions",
                ) from exc


class _TermCache:
    """pyoxigraph term -> rdflib term, remembered within one result.

    rdflib literals are costly to build (3–10 µs: lexical checks, Python value), and a
    result repeats many values (OPD names, codes, levels); this keeps the API within a small
    factor of pyoxigraph itself (bench/load_query.py).
    """

    LIMIT = 200_000

    def __init__(self) -> None:
        self._known: dict[object, Node] = {}

    def __call__(self, term: object) -> Node:
        node = self._known.get(term)
        if node is None:
            node = to_rdflib(term)
            if len(self._known) < self.LIMIT:
                self._known[term] = node
        return node


def _collect(result: ox.QuerySolutions | ox.QueryTriples,
             deadline: float | None) -> SelectResult | Graph | None:
    """The rows or triples of a query's result as rdflib terms; None once past `deadline`
    (checked every 1,000 results)."""
    convert = _TermCache()
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows: list[dict[str, Node]] = []
        for i, solution in enumerate(result):
            rows.append({name: convert(term) for name, term in zip(variables, solution,
                                                                   strict=True)
                         if term is not None})
            if deadline is not None and i % 1000 == 0 and time.monotonic() > deadline:
                return None
        return SelectResult(variables, rows)
    graph = Graph()
    for i, triple in enumerate(result):
        graph.add((convert(triple.subject), convert(triple.predicate), convert(triple.object)))
        if deadline is not None and i % 1000 == 0 and time.monotonic() > deadline:
            return None
    return graph


def _remove_orphan_bulk_files(path: Path) -> None:
    """Delete the SST files a failed bulk load left behind (`bulk-<n>.sst`; RocksDB renames
    the ones it takes in). On a full disk they hold most of the load, so the space would
    stay taken, and the recovery itself would lack room."""
    for orphan in path.glob("bulk-*.sst"):
        with contextlib.suppress(OSError):
            orphan.unlink()


def _clear_graph(store: ox.Store, graph: AnyGraph) -> None:
    if isinstance(graph, ox.DefaultGraph):
        store.clear_graph(graph)
    else:
        store.remove_graph(graph)


def _export_format(fmt: str) -> ox.RdfFormat:
    try:
        return RDF_FORMAT[fmt]
    except KeyError:
        raise InputError(f"format RDF '{fmt}' tidak dikenal; gunakan {', '.join(RDF_FORMAT)}",
                         f"unknown RDF format '{fmt}'; use {', '.join(RDF_FORMAT)}") from None


def oxigraph_quads(quads: Iterable[Quad]) -> Iterator[ox.Quad]:
    for s, p, o, g in quads:
        yield ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o),  # type: ignore[arg-type]
                      graph_to_oxigraph(g))


def insert_operations(quads: Sequence[ox.Quad], max_per_operation: int | None = None
                      ) -> list[str]:
    """SPARQL Update operations inserting parsed quads (pyoxigraph writes their text)."""
    rows: list[DataRow] = []
    for quad in quads:
        graph = quad.graph_name
        labels = tuple(t.value for t in (quad.subject, quad.object) if isinstance(t, ox.BlankNode))
        rows.append((None if isinstance(graph, ox.DefaultGraph) else str(graph),
                     f"{quad.triple} .", labels))
    return data_operations(rows, insert=True, max_per_operation=max_per_operation)


def check_sources(sources: Sequence[LoadSource]) -> None:
    """Known formats and existing files, before anything is parsed or written."""
    for source in sources:
        if source.format not in RDF_FORMAT:
            raise InputError(f"format RDF '{source.format}' tidak dikenal; gunakan"
                             f" {', '.join(RDF_FORMAT)}",
                             f"unknown RDF format '{source.format}'; use {', '.join(RDF_FORMAT)}",
                             Location(file=source.name))
        if isinstance(source.data, Path) and not source.data.is_file():
            raise InputError("berkas tidak ditemukan", "file not found",
                             Location(file=source.name))


def parse_source(source: LoadSource, *, keep_blank_labels: bool = False) -> list[ox.Quad]:
    """Every quad of one source, in memory, triples put into the source's graph.

    A syntax error raises `InputError` with file, line and column. Blank nodes get fresh
    labels per source, so two files never share a blank node by accident (unless
    `keep_blank_labels`: a restore, where the dump is the whole store).
    """
    target = graph_to_oxigraph(source.graph)
    with _parse_errors(source):
        parsed = _parser(source, keep_blank_labels)
        if source.format in QUAD_FORMATS:
            quads = list(parsed) if source.graph is None else [
                _outside_any_graph_to(q, target) for q in parsed]
            if source.reserved is not None:
                for graph in {_graph_line(q.graph_name) for q in quads}:  # type: ignore[arg-type]
                    check_graph_allowed(source, graph.rstrip("\n"))
            return quads
        check_graph_allowed(source, _graph_line(target).rstrip("\n"))
        return [ox.Quad(q.subject, q.predicate, q.object, target) for q in parsed]


def check_graph_allowed(source: LoadSource, graph: str) -> None:
    """Refuse a source that writes one of its reserved graphs."""
    what = source.reserved(graph) if source.reserved is not None else None
    if what is not None:
        raise InputError(
            f"berkas ini menulis ke graf {graph}, {what[0]}, yang hanya ditulis oleh"
            " spbe-arch sendiri; tidak ada yang dimuat (cadangan dipulihkan dengan"
            " spbe-arch restore)",
            f"this file writes to the graph {graph}, {what[1]}, which only spbe-arch itself"
            " writes; nothing was loaded (a dump is restored with spbe-arch restore)",
            Location(file=source.name))


def _outside_any_graph_to(quad: ox.Quad, target: ox.NamedNode | ox.DefaultGraph) -> ox.Quad:
    """A quad of a TriG/N-Quads file, put into `target` when the file left it outside any
    graph: the product keeps nothing in the unnamed default graph (and Virtuoso has none)."""
    if isinstance(quad.graph_name, ox.DefaultGraph):
        return ox.Quad(quad.subject, quad.predicate, quad.object, target)
    return quad


GUARDED_FILE_BYTES = 256 * 1024 * 1024
"""JSON-LD and RDF/XML files up to this size are checked (`guards`) before parsing; larger
ones are streamed unchecked: only the operator's own `spbe-arch load` reads such files."""


BOM = b"\xef\xbb\xbf"
"""The UTF-8 byte order mark Windows editors (Notepad, Excel's "CSV UTF-8") put first.
Oxigraph's JSON-LD and RDF/XML parsers skip it; its Turtle, TriG, N-Triples and N-Quads
parsers read it as a character and refuse line 1."""


def _parser(source: LoadSource, keep_blank_labels: bool = False) -> Iterator[ox.Quad]:
    fmt = RDF_FORMAT[source.format]
    data = source.data
    rename = not keep_blank_labels
    if (keep_blank_labels and source.format == "nquads" and isinstance(data, Path)
            and _has_long_line(data)):
        return _nquads_with_long_lines(data)
    if isinstance(data, Path):
        if source.format not in ("jsonld", "rdfxml") or \
                data.stat().st_size > GUARDED_FILE_BYTES:
            if _first_bytes(data, len(BOM)) == BOM:
                handle = data.open("rb")  # closed with the parser that reads it
                handle.seek(len(BOM))
                return ox.parse(input=handle, format=fmt, rename_blank_nodes=rename)
            return ox.parse(path=str(data), format=fmt, rename_blank_nodes=rename)
        data = data.read_bytes()  # read once: checked, then parsed from memory
    check_rdf_input(data, source.format, source.name)
    if data.startswith(BOM):
        data = data[len(BOM):]
    return ox.parse(input=data, format=fmt, rename_blank_nodes=rename)


LONG_LINE_BYTES = 8 * 1024 * 1024
"""N-Quads lines longer than this are read by `_long_nquads_line`: Oxigraph's parser holds a
line in a buffer of at most 16 MB, and the store itself takes literals of any length (an
update, the audit record of a large one), so its dump must be restorable all the same."""
_SCAN_CHUNK = 4 * 1024 * 1024  # below LONG_LINE_BYTES: a long line always spans chunks
_BATCH_BYTES = 4 * 1024 * 1024


def _has_long_line(path: Path) -> bool:
    run = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_SCAN_CHUNK):
            first = chunk.find(b"\n")
            if first < 0:
                run += len(chunk)
                if run > LONG_LINE_BYTES:
                    return True
                continue
            if run + first > LONG_LINE_BYTES:
                return True
            run = len(chunk) - chunk.rfind(b"\n") - 1
    return run > LONG_LINE_BYTES


def _nquads_with_long_lines(path: Path) -> Iterator[ox.Quad]:
    """A dump's quads, blank node labels kept: ordinary lines in batches through Oxigraph,
    long ones one by one (a syntax error keeps the line number of the file)."""
    batch: list[bytes] = []
    first_line = 1

    def flush() -> Iterator[ox.Quad]:
        try:
            yield from ox.parse(input=b"".join(batch), format=ox.RdfFormat.N_QUADS)
        except SyntaxError as exc:
            line = (exc.lineno or 1) + first_line - 1
            raise SyntaxError(exc.msg, (str(path), line, exc.offset, None)) from exc

    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if len(line) > LONG_LINE_BYTES:
                yield from flush()
                batch, first_line = [], number + 1
                yield _long_nquads_line(line, number, path)
                continue
            batch.append(line)
            if sum(map(len, batch)) > _BATCH_BYTES:  # few lines: a cheap sum
                yield from flush()
                batch, first_line = [], number + 1
    yield from flush()


_LITERAL_END = re.compile(
    r'"(@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^<[^<>"\s]*>)?\s*(<[^<>"\s]*>|_:\S+)?\s*\.\s*$')
_NT_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_NT_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'",
             "\\": "\\"}


def _long_nquads_line(line: bytes, number: int, path: Path) -> ox.Quad:
    """One N-Quads line whose object is a literal too long for Oxigraph's parser: the
    literal is taken out by hand, the rest (short terms) parsed by Oxigraph."""
    text = line.decode("utf-8")
    start = text.find('"')  # IRIs and blank node labels cannot hold a quote
    tail = len(text) - 4096 if len(text) > 4096 else 0
    end = _LITERAL_END.search(text, max(tail, start + 1))
    if start < 0 or end is None:
        raise SyntaxError("a line over 8 MB whose object is not a literal",
                          (str(path), number, 1, None))
    value = _NT_ESCAPE.sub(
        lambda m: chr(int(m.group(1) or m.group(2), 16)) if m.group(3) is None
        else _NT_ECHAR.get(m.group(3), m.group(0)), text[start + 1:end.start()])
    parsed = list(ox.parse(input=(text[:start] + '""' + text[end.start() + 1:]).encode(),
                           format=ox.RdfFormat.N_QUADS))
    if len(parsed) != 1 or not isinstance(parsed[0].object, ox.Literal):
        raise SyntaxError("a long line that is not one quad", (str(path), number, 1, None))
    quad, emptied = parsed[0], parsed[0].object
    literal = (ox.Literal(value, language=emptied.language) if emptied.language
               else ox.Literal(value, datatype=emptied.datatype))
    return ox.Quad(quad.subject, quad.predicate, literal, quad.graph_name)


@contextlib.contextmanager
def _parse_errors(source: LoadSource) -> Iterator[None]:
    try:
        yield
    except SyntaxError as exc:
        raise syntax_error(exc, source.name, source.data, source.format) from exc
    except MemoryError as exc:
        raise too_large_error(exc, source.name) from exc
    except OSError as exc:
        raise InputError(f"berkas tidak dapat dibaca: {exc}", f"cannot read file: {exc}",
                         Location(file=source.name)) from exc


def too_large_error(exc: MemoryError, name: str) -> InputError:
    """Oxigraph's parsers hold one token (a literal, an IRI) or one N-Triples/N-Quads line
    in a buffer of at most 16 MB and raise MemoryError past it."""
    if "buffer maximal size" in str(exc):
        return InputError(
            "satu unsur berkas ini (literal, IRI, atau satu baris N-Triples/N-Quads) lebih"
            " dari 16 MB, batas pembaca RDF; pisahkan isinya atau simpan sebagai berkas"
            " terpisah; tidak ada yang dimuat",
            "one item of this file (a literal, an IRI, or one N-Triples/N-Quads line) is over"
            " 16 MB, the RDF reader's limit; split it or keep it as a separate file; nothing"
            " was loaded", Location(file=name))
    return InputError("memori tidak cukup untuk membaca berkas ini; tidak ada yang dimuat",
                      "not enough memory to read this file; nothing was loaded",
                      Location(file=name))


def _open_error(path: Path, exc: OSError) -> StoreUnavailableError:
    if "lock" in str(exc).lower():
        return StoreUnavailableError(
            f"penyimpanan {path} sedang dipakai proses lain (misalnya server `spbe-arch"
            " serve`); hentikan proses itu atau kirim perubahan lewat server (API, antarmuka"
            " web); perintah yang hanya membaca (query, export, report, validate tanpa"
            " --store) tetap bisa dijalankan",
            f"the store {path} is in use by another process (e.g. a running `spbe-arch"
            " serve`); stop it or send the change through the server (API, web interface);"
            " commands that only read (query, export, report, validate without --store)"
            " still work",
        )
    return StoreUnavailableError(f"penyimpanan {path} tidak dapat dibuka: {exc}",
                                 f"cannot open the store {path}: {exc}")


def _read_error(description: str, exc: Exception) -> StoreUnavailableError:
    return StoreUnavailableError(f"penyimpanan {description} tidak dapat dibaca: {exc}",
                                 f"cannot read the store {description}: {exc}")


def _write_error(description: str, exc: OSError) -> StoreUnavailableError:
    return StoreUnavailableError(
        f"penyimpanan {description} tidak dapat ditulisi ({exc}); tidak ada yang diubah",
        f"cannot write to the store {description} ({exc}); nothing was changed")


def _add_using(sparql: str, using: Sequence[str], using_named: Sequence[str]) -> str:
    """Apply the protocol's using-graph-uri parameters by inserting USING clauses before WHERE."""
    from spbe_arch.repository.base import iri_text

    clauses = "".join(f" USING {iri_text(u)}" for u in using) + "".join(
        f" USING NAMED {iri_text(u)}" for u in using_named)
    return re.sub(r"\bWHERE\b", clauses + " WHERE", sparql, count=1, flags=re.IGNORECASE)

