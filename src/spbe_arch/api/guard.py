"""The repository as the service uses it: every call counted, every write versioned.

Two things the query workers (`api.query_engine`) need from the server process:

- a *generation* number that changes after every committed write, so a worker forked
  before a write is never asked a question about the data after it;
- a moment when no thread of the server is inside the store, to fork a worker: a worker
  that inherits a lock held by another thread would hang. Every repository call holds a
  shared lock; forking takes it exclusively, for the few milliseconds a fork takes.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Literal as TypingLiteral

from rdflib import Graph
from rdflib.term import Node, URIRef

from spbe_arch.repository import (
    ChangeSet,
    LoadRecord,
    LoadSource,
    Quad,
    QueryResult,
    Repository,
    RepositoryStats,
)


class SharedExclusiveLock:
    """Many holders in shared mode, or one in exclusive mode; a waiting exclusive holder
    goes first, so a steady stream of readers cannot starve a fork."""

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._shared = 0
        self._exclusive = False
        self._waiting_exclusive = 0

    @contextlib.contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            while self._exclusive or self._waiting_exclusive:
                self._cond.wait()
            self._shared += 1
        try:
            yield
        finally:
            with self._cond:
                self._shared -= 1
                if not self._shared:
                    self._cond.notify_all()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            self._waiting_exclusive += 1
            try:
                while self._exclusive or self._shared:
                    self._cond.wait()
            finally:
                self._waiting_exclusive -= 1
            self._exclusive = True
        try:
            yield
        finally:
            with self._cond:
                self._exclusive = False
                self._cond.notify_all()


class GuardedRepository(Repository):
    """Delegates to a repository; holds the shared lock per call and versions writes."""

    def __init__(self, inner: Repository) -> None:
        self.inner = inner
        self.description = inner.description
        self.lock = SharedExclusiveLock()
        self._generation = 0
        self._generation_lock = threading.Lock()

    @property
    def generation(self) -> int:
        return self._generation

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        try:
            with self.lock.shared():
                yield
        finally:
            # bumped even when the write failed: a failed write may still have changed
            # something on a remote store, and a needless fresh worker costs only a fork
            with self._generation_lock:
                self._generation += 1

    # --- reading ----------------------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
              default_graph_uris: Sequence[str] | None = None,
              named_graph_uris: Sequence[str] | None = None,
              timeout_s: float | None = None) -> QueryResult:
        with self.lock.shared():
            return self.inner.query(sparql, bindings, default_graph_uris=default_graph_uris,
                                    named_graph_uris=named_graph_uris, timeout_s=timeout_s)

    def query_serialized(self, sparql: str, media_type: str, *,
                         default_graph_uris: Sequence[str] | None = None,
                         named_graph_uris: Sequence[str] | None = None,
                         timeout_s: float | None = None,
                         max_results: int | None = None) -> tuple[str, bytes]:
        with self.lock.shared():
            return self.inner.query_serialized(
                sparql, media_type, default_graph_uris=default_graph_uris,
                named_graph_uris=named_graph_uris, timeout_s=timeout_s, max_results=max_results)

    def graph_names(self) -> list[URIRef]:
        with self.lock.shared():
            return self.inner.graph_names()

    def graph(self, name: URIRef | None) -> Graph:
        with self.lock.shared():
            return self.inner.graph(name)

    def quads(self, graph: URIRef | None = None) -> list[Quad]:
        # materialised under the lock: a lazy iterator would read the store after release
        with self.lock.shared():
            return list(self.inner.quads(graph))

    def stats(self) -> RepositoryStats:
        with self.lock.shared():
            return self.inner.stats()

    def memory_copy(self, graphs: Sequence[URIRef]) -> Repository:
        with self.lock.shared():
            return self.inner.memory_copy(graphs)

    def export(self, graph: URIRef | None, fmt: str) -> bytes:
        with self.lock.shared():
            return self.inner.export(graph, fmt)

    def dump(self, path: Path, fmt: TypingLiteral["nquads", "trig"] = "nquads") -> int:
        with self.lock.shared():
            return self.inner.dump(path, fmt)

    # --- writing ----------------------------------------------------------------------------
    def update(self, sparql: str, *, using_graph_uris: Sequence[str] | None = None,
               using_named_graph_uris: Sequence[str] | None = None) -> None:
        with self._write():
            self.inner.update(sparql, using_graph_uris=using_graph_uris,
                              using_named_graph_uris=using_named_graph_uris)

    def apply(self, changes: ChangeSet) -> None:
        with self._write():
            self.inner.apply(changes)

    def load(self, sources: Sequence[LoadSource], *, replace: bool = False,
             record: LoadRecord | None = None) -> int:
        with self._write():
            return self.inner.load(sources, replace=replace, record=record)

    def clear(self, graph: URIRef | None = None) -> None:
        with self._write():
            self.inner.clear(graph)

    def restore(self, path: Path, fmt: str | None = None, *,
                record: LoadRecord | None = None) -> int:
        with self._write():
            return self.inner.restore(path, fmt, record=record)

    def close(self) -> None:
        self.inner.close()
