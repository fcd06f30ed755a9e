"""The query engine: a hard time limit, the result-size limit, fresh data after writes."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from dataclasses import dataclass

import psutil
import pytest
from rdflib import Literal, URIRef

from spbe_arch.api import query_engine
from spbe_arch.api.app import status_for
from spbe_arch.api.guard import GuardedRepository
from spbe_arch.api.negotiation import negotiate
from spbe_arch.api.query_engine import (
    EngineCrashError,
    EngineFailureError,
    ForkingQueryEngine,
    QueryJob,
    QueryTimeoutError,
    ResultTooLargeError,
)
from spbe_arch.errors import StoreUnavailableError
from spbe_arch.repository import ChangeSet, open_repository
from spbe_arch.repository.oxigraph import OxigraphRepository

G = URIRef("http://example.org/g")
# a triple cross product with an aggregate: pyoxigraph computes it inside one call that
# no Python-level timeout can interrupt (about 8e9 combinations here)
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _job(sparql: str, limit: int = 1000) -> QueryJob:
    return QueryJob(sparql, None, None, None, negotiate("*/*"),
                    limit)


@pytest.fixture
def engine() -> ForkingQueryEngine:
    inner = open_repository("memory:")
    assert isinstance(inner, OxigraphRepository)
    inner.apply(ChangeSet(add=[(URIRef(f"http://example.org/s{i}"), URIRef("http://example.org/p"),
                                Literal(i), G) for i in range(2000)]))
    guarded = GuardedRepository(inner)
    engine = ForkingQueryEngine(inner.store, guarded, max_workers=2)
    yield engine
    engine.close()


def _children() -> set[int]:
    """The live forks of this process (query workers). Other children are left out: a
    test worker that ran the repository tests before holds their Oxigraph server and
    Virtuoso processes until it ends, which made the counts here depend on test order."""
    me = psutil.Process(os.getpid())
    command = me.cmdline()
    alive = set()
    for child in me.children():
        try:
            if child.status() != psutil.STATUS_ZOMBIE and child.cmdline() == command:
                alive.add(child.pid)
        except psutil.NoSuchProcess:
            continue
    return alive


@pytest.mark.slow
def test_an_expensive_query_is_stopped_at_the_time_limit(engine: ForkingQueryEngine) -> None:
    before = _children()
    seen: set[int] = set()
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            seen.update(_children())
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    started = time.monotonic()
    try:
        with pytest.raises(QueryTimeoutError) as caught:
            engine.execute(_job(EXPENSIVE), timeout_s=1.5)
    finally:
        stop.set()
        watcher.join()
    elapsed = time.monotonic() - started
    assert 1.4 < elapsed < 4.0
    assert "1.5" in caught.value.message("en")
    worker = seen - before
    assert len(worker) == 1
    # the worker that ran it is gone (killed, not left computing)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and worker & _children():
        time.sleep(0.05)
    assert not worker & _children()
    # and the engine still answers
    outcome = engine.execute(_job("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
                             timeout_s=10)
    assert b'"2000"' in outcome.body


def test_results_over_the_limit_are_refused(engine: ForkingQueryEngine) -> None:
    ok = engine.execute(_job("SELECT ?s WHERE { ?s ?p ?o } LIMIT 10", limit=10), timeout_s=10)
    assert ok.rows == 10
    with pytest.raises(ResultTooLargeError):
        engine.execute(_job("SELECT ?s WHERE { ?s ?p ?o } LIMIT 11", limit=10), timeout_s=10)
    with pytest.raises(ResultTooLargeError):
        engine.execute(_job("CONSTRUCT WHERE { ?s ?p ?o }", limit=100), timeout_s=10)


def test_a_query_after_a_write_sees_the_write(engine: ForkingQueryEngine) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert b'"2000"' in engine.execute(_job(count), timeout_s=10).body
    engine.guard.apply(ChangeSet(add=[(URIRef("http://example.org/new"),
                                       URIRef("http://example.org/p"), Literal("x"), G)]))
    assert b'"2001"' in engine.execute(_job(count), timeout_s=10).body


def test_workers_are_reused_while_nothing_changes(engine: ForkingQueryEngine) -> None:
    for _ in range(5):
        engine.execute(_job("ASK { ?s ?p ?o }"), timeout_s=10)
    assert len(_children()) <= engine.max_workers
    before = _children()
    engine.execute(_job("ASK { ?s ?p ?o }"), timeout_s=10)
    assert _children() == before


def test_syntax_errors_come_back_as_input_errors(engine: ForkingQueryEngine) -> None:
    from spbe_arch.errors import InputError

    with pytest.raises(InputError) as caught:
        engine.execute(_job("SELECT * WHERE { ?s ?p }"), timeout_s=10)
    assert "1:" in caught.value.message("en")


def test_the_engine_ends_its_workers_when_closed() -> None:
    inner = open_repository("memory:")
    assert isinstance(inner, OxigraphRepository)
    engine = ForkingQueryEngine(inner.store, GuardedRepository(inner), max_workers=2)
    engine.execute(_job("ASK {}"), timeout_s=10)
    workers = _children()
    assert workers
    engine.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and (_children() & workers):
        time.sleep(0.05)
    assert not (_children() & workers)


def test_workers_do_not_keep_client_sockets_open(engine: ForkingQueryEngine) -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    try:
        engine.execute(_job("ASK {}"), timeout_s=10)
        for pid in _children():
            connections = psutil.Process(pid).net_connections(kind="tcp")
            assert connections == [], connections
    finally:
        listener.close()


def test_workers_over_an_on_disk_store(tmp_path) -> None:  # type: ignore[no-untyped-def]
    inner = OxigraphRepository(tmp_path / "store")
    guarded = GuardedRepository(inner)
    engine = ForkingQueryEngine(inner.store, guarded, max_workers=2)
    try:
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        assert b'"0"' in engine.execute(_job(count), timeout_s=10).body
        for round_ in range(3):
            guarded.apply(ChangeSet(add=[(URIRef(f"http://example.org/d{round_}"),
                                          URIRef("http://example.org/p"), Literal(round_), G)]))
            body = engine.execute(_job(count), timeout_s=10).body
            assert f'"{round_ + 1}"'.encode() in body
    finally:
        engine.close()
        inner.close()


# --- the event-loop path (what /sparql and /queries call) ------------------------------------

def _run(coroutine):  # type: ignore[no-untyped-def]
    import asyncio

    return asyncio.run(coroutine)


def test_the_async_path_answers_like_the_threaded_one(engine: ForkingQueryEngine) -> None:
    from spbe_arch.api.query_engine import run_job

    job = _job("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?o", limit=5000)
    first = _run(engine.execute_async(job, 10))  # no idle worker yet: forks on a thread
    again = _run(engine.execute_async(job, 10))  # the idle worker, waited for on the loop
    kind, local = run_job(engine.store, job)
    assert kind == "ok"
    assert first.body == again.body == local.body
    assert again.rows == 2000


def test_answers_larger_than_the_socket_buffer_arrive_whole(engine: ForkingQueryEngine) -> None:
    from spbe_arch.api.query_engine import run_job

    # ~8 MB of results: many times a socket's buffer, so both sides must loop
    big = _job('SELECT ?s ?o ?pad WHERE { ?s ?p ?o BIND(CONCAT(STR(?s), "'
               + "x" * 4000 + '") AS ?pad) }', limit=5000)
    _, local = run_job(engine.store, big)
    assert len(local.body) > 4_000_000
    assert engine.execute(big, 30).body == local.body
    assert _run(engine.execute_async(big, 30)).body == local.body
    assert _run(engine.execute_async(big, 30)).body == local.body


def test_the_async_path_sees_a_write_made_after_its_worker_was_forked(
        engine: ForkingQueryEngine) -> None:
    count = _job("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert b'"2000"' in _run(engine.execute_async(count, 10)).body
    assert b'"2000"' in _run(engine.execute_async(count, 10)).body
    engine.guard.apply(ChangeSet(add=[(URIRef("http://example.org/new"),
                                       URIRef("http://example.org/p"), Literal("x"), G)]))
    assert b'"2001"' in _run(engine.execute_async(count, 10)).body


@pytest.mark.slow
def test_the_async_path_stops_an_expensive_query_at_the_time_limit(
        engine: ForkingQueryEngine) -> None:
    _run(engine.execute_async(_job("ASK {}"), 10))  # an idle worker: the loop path is taken
    before = _children()
    assert len(before) == 1
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError):
        _run(engine.execute_async(_job(EXPENSIVE), 1.5))
    assert 1.4 < time.monotonic() - started < 4.0
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and before & _children():
        time.sleep(0.05)
    assert not before & _children()  # the worker that ran it was killed
    assert b'"2000"' in _run(engine.execute_async(
        _job("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"), 10)).body


def test_a_cancelled_request_does_not_leave_its_answer_for_the_next_one(
        engine: ForkingQueryEngine) -> None:
    import asyncio

    _run(engine.execute_async(_job("ASK {}"), 10))
    before = _children()

    async def cancelled_then_another() -> bytes:
        task = asyncio.ensure_future(engine.execute_async(_job(EXPENSIVE), 60))
        await asyncio.sleep(0.3)  # the worker is computing
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        outcome = await engine.execute_async(_job('SELECT ("next" AS ?x) {}'), 10)
        return outcome.body

    assert b'"next"' in _run(cancelled_then_another())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and before & _children():
        time.sleep(0.05)
    assert not before & _children()  # the cancelled query's worker was killed


@dataclass(frozen=True)
class _DyingTask:
    """A task whose worker dies of `signum` while it runs: what a bug of the engine, or
    the kernel, does to a worker whatever the request looks like."""

    update: str
    signum: int

    @property
    def needs_time_limit(self) -> bool:
        return True

    def run(self, store: object) -> tuple[str, object]:
        os.kill(os.getpid(), self.signum)
        time.sleep(10)
        return ("ok", None)


@dataclass(frozen=True)
class _FineTask:
    needs_time_limit = True

    def run(self, store: object) -> tuple[str, object]:
        return ("ok", None)


SHORT_UPDATE = 'INSERT DATA { <http://example.org/a> <http://example.org/b> "c" }'
DEEP_UPDATE = "INSERT { <x:a> <x:b> <x:c> } WHERE " + "{" * 300 + "?s ?p ?o" + "}" * 300


def test_a_crash_of_a_plain_request_is_not_called_nesting(engine: ForkingQueryEngine) -> None:
    """Every fatal signal was reported as "nested too deeply" (400), also for a short,
    flat update: the worker crashed, and the message says so."""
    with pytest.raises(EngineFailureError) as caught:
        engine.run_task(_DyingTask(SHORT_UPDATE, signal.SIGSEGV), timeout_s=10)
    assert status_for(caught.value) == 500
    for lang in ("id", "en"):
        assert "SIGSEGV" in caught.value.message(lang)
    assert "bersarang" not in caught.value.message("id")
    assert "nested" not in caught.value.message("en")
    assert "tidak ada yang diubah" in caught.value.message("id")
    # the next request is served by a fresh worker
    assert engine.execute(_job("ASK { ?s ?p ?o }"), timeout_s=10).body


def test_a_crash_of_a_deeply_nested_request_names_the_nesting(
        engine: ForkingQueryEngine) -> None:
    with pytest.raises(EngineCrashError) as caught:
        engine.run_task(_DyingTask(DEEP_UPDATE, signal.SIGSEGV), timeout_s=10)
    assert status_for(caught.value) == 400
    assert "nested too deeply" in caught.value.message("en")


def test_a_worker_killed_from_outside_says_by_what(engine: ForkingQueryEngine) -> None:
    """SIGKILL from outside (the kernel's out-of-memory killer): 503, try again."""
    with pytest.raises(StoreUnavailableError) as caught:
        engine.run_task(_DyingTask(SHORT_UPDATE, signal.SIGKILL), timeout_s=10)
    assert status_for(caught.value) == 503
    assert "SIGKILL" in caught.value.message("en")


def _crashing_run_job(store: object, job: QueryJob) -> tuple[str, object]:
    os.kill(os.getpid(), signal.SIGSEGV)
    time.sleep(10)
    return ("ok", None)


@pytest.mark.parametrize("use_async", [False, True])
def test_a_crashing_query_is_reported_by_its_shape(
        engine: ForkingQueryEngine, monkeypatch: pytest.MonkeyPatch, use_async: bool) -> None:
    # the workers are forked after the patch, so each dies on its query
    monkeypatch.setattr(query_engine, "run_job", _crashing_run_job)
    flat = _job("SELECT * WHERE { ?s ?p ?o }")
    deep = _job("SELECT * WHERE " + "{" * 300 + "?s ?p ?o" + "}" * 300)

    def run(job: QueryJob) -> object:
        if use_async:
            # an idle worker, so that the event-loop path (not the thread) sends the query
            engine.run_task(_FineTask(), timeout_s=10)
            return asyncio.run(engine.execute_async(job, 10))
        return engine.execute(job, 10)

    with pytest.raises(EngineFailureError) as caught:
        run(flat)
    assert "SIGSEGV" in caught.value.message("en")
    with pytest.raises(EngineCrashError):
        run(deep)
