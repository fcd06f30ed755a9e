"""Running SPARQL queries under a time limit that really stops the work.

pyoxigraph evaluates a query inside Rust with the GIL released and offers no way to
cancel it: a Python timeout around the call, or a deadline checked between rows, cannot
stop an ORDER BY or a cross product that computes for minutes before its first row
(ARCHITECTURE.md, "Known hazards"). So queries from /sparql and /queries run in worker
processes forked from the server: a worker sees the store exactly as it was when it was
forked (copy-on-write memory for `memory:`, the same RocksDB files for `oxigraph:PATH`),
and a query past its deadline is ended by killing its worker.

- Workers are kept and reused while the store is unchanged; after a write (the guarded
  repository's generation changes) a worker is retired the next time it is free, and a
  fresh one is forked when needed. A query therefore never sees data older than the last
  write completed before it arrived.
- Forks happen on one long-lived thread, while no other thread of the server is inside
  the store (the guard's exclusive lock), so a child never inherits a held store lock;
  the child closes every inherited socket (it must not keep client connections open) and
  dies with the server (PR_SET_PDEATHSIG, and end-of-file on its pipe).
- Rows are read one by one up to the result-size limit, then serialized in the
  negotiated format inside the worker; the server only relays bytes.
- Server and worker talk over a Unix socket pair, one length-prefixed pickle per message.
  The async path (`execute_async`, used by the routes) sends to an idle worker and waits
  for its answer on the event loop itself: a selective query then costs no thread hand-off
  (~0.1 ms) on top of the round trip to the worker. It falls back to a thread when it
  would have to wait for a worker or fork one (that can block: a fork waits for writes).

Stores that are not embedded Oxigraph (a remote SPARQL endpoint) run the query in a
thread with the backend's own timeout (`RepositoryQueryEngine`); the remote engine enforces
its own limits.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import os
import pickle
import queue
import re
import select
import signal
import socket
import stat
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from itertools import islice
from typing import Any, Protocol

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool

from spbe_arch.api import sparql_results as results
from spbe_arch.api.guard import GuardedRepository
from spbe_arch.api.negotiation import RDF_FORMATS, Negotiated
from spbe_arch.api.sparql_protocol import bracket_depth
from spbe_arch.errors import InputError, SpbeError, StoreUnavailableError
from spbe_arch.repository.base import SPARQL_TOKEN as TOKEN
from spbe_arch.repository.oxigraph import OxigraphRepository, query_form
from spbe_arch.sparql_update import uses_keyword


@dataclass(frozen=True)
class QueryJob:
    sparql: str
    base_iri: str | None
    default_graphs: tuple[str, ...] | None
    """Protocol dataset (`default-graph-uri`); None = the union of all graphs."""
    named_graphs: tuple[str, ...] | None
    """Protocol dataset (`named-graph-uri`); None = every named graph."""
    formats: Negotiated
    result_limit: int
    allow_service: bool = False
    """SERVICE allowed (`settings.sparql_service`); refused by default, see `run_job`."""


@dataclass(frozen=True)
class QueryOutcome:
    kind: str
    """"solutions", "boolean" or "graph"."""
    media_type: str
    """The Content-Type to send."""
    body: bytes
    rows: int


class QueryTimeoutError(SpbeError):
    """The query ran past the time limit and was stopped (HTTP 503)."""


class ResultTooLargeError(SpbeError):
    """The result has more rows or triples than the result-size limit (HTTP 400)."""


class EngineCrashError(InputError):
    """A worker died of a fatal signal while it evaluated a deeply nested or long job
    (HTTP 400): a stack overflow, since Oxigraph parses and optimises recursively, so a
    query nested a few thousand levels deep (groups, brackets) or a chain of thousands of
    UNION, BIND or operators ends its process. The same request would end the next worker
    too, so this is the request's fault rather than a passing failure of the server (503)."""


class EngineFailureError(SpbeError):
    """A worker died of a fatal signal on a job of an ordinary shape (HTTP 500): nothing
    says the request is at fault, so it is not told to simplify itself."""

    http_status = 500


class NotAcceptableError(SpbeError):
    """The client accepts no format this kind of result can be written in (HTTP 406)."""


class ServiceNotAllowedError(SpbeError):
    """A query or update uses SERVICE while the setting `sparql_service` is off (HTTP 403)."""

    http_status = 403


def refuses_service(sparql: str, allowed: bool) -> bool:
    """True if `sparql` uses SERVICE while the setting does not allow it: Oxigraph would
    fetch the named URL itself and return what it answers, a way for anyone who may read
    to make the server call into the intranet."""
    return not allowed and uses_keyword(sparql, "SERVICE")


def service_not_allowed() -> ServiceNotAllowedError:
    return ServiceNotAllowedError(
        "SERVICE (kueri federasi) tidak diizinkan di server ini: server akan mengambil data"
        " dari alamat mana pun yang disebut kueri, termasuk alamat intranet. Administrator"
        " dapat mengizinkannya dengan SPBE_SPARQL_SERVICE=true.",
        "SERVICE (federated query) is not allowed on this server: the server would fetch"
        " data from whatever address the query names, intranet addresses included. An"
        " administrator can allow it with SPBE_SPARQL_SERVICE=true.",
    )


class WorkerTask(Protocol):
    """Work other than a query for a worker process (e.g. computing an update's effect):
    `run` gets the worker's store and answers (kind, value); it must be picklable. A task
    with a class attribute `uses_store = False` reads nothing of the store (a syntax check
    on an empty store): engines without a store of their own run it too."""

    def run(self, store: ox.Store) -> tuple[str, Any]: ...

    @property
    def needs_time_limit(self) -> bool:
        """False for bounded work, which an engine may run in its own process."""
        ...


class QueryEngine(Protocol):
    hard_time_limit: bool
    """Work on the server's own store is stopped at its time limit (worker processes)."""

    def execute(self, job: QueryJob, timeout_s: float) -> QueryOutcome: ...

    async def execute_async(self, job: QueryJob, timeout_s: float) -> QueryOutcome:
        """`execute` for the event loop: never blocks it."""
        ...

    def run_task(self, task: WorkerTask, timeout_s: float) -> tuple[str, Any]:
        """Run a task on the store under the time limit (`QueryTimeoutError` past it);
        ("unsupported", why) where the engine has no store of its own."""
        ...

    def close(self) -> None: ...


# --- what a worker does with one job (also used in-process by tests and benchmarks) ----------

def run_job(store: ox.Store, job: QueryJob) -> tuple[str, Any]:
    """Evaluate a job; returns ("ok", QueryOutcome) or (error kind, message)."""
    if refuses_service(job.sparql, job.allow_service):
        return ("service", "SERVICE")
    kwargs: dict[str, Any] = {"base_iri": job.base_iri}
    if job.default_graphs is None and job.named_graphs is None:
        kwargs["use_default_graph_as_union"] = True
    else:
        # a protocol dataset replaces the query's FROM / FROM NAMED (SPARQL 1.1 Protocol 2.1.4)
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
    try:
        result = store.query(job.sparql, **kwargs)
    except SyntaxError as exc:
        return ("syntax", str(exc))
    except ValueError as exc:  # e.g. an invalid IRI in the protocol dataset
        return ("syntax", str(exc))
    limit = job.result_limit
    if isinstance(result, ox.QueryBoolean):
        offer = job.formats.boolean
        if offer is None:
            return ("not_acceptable", "boolean")
        return ("ok", QueryOutcome("boolean", offer.media_type,
                                   results.serialize_boolean(bool(result), offer.serializer), 1))
    if isinstance(result, ox.QuerySolutions):
        offer = job.formats.solutions
        if offer is None:
            return ("not_acceptable", "solutions")
        variables = [v.value for v in result.variables]
        rows = [[solution[name] for name in variables]
                for solution in islice(result, limit + 1)]
        if len(rows) > limit:
            return ("too_large", str(limit))
        body = results.serialize_solutions(variables, rows, offer.serializer)  # type: ignore[arg-type]
        return ("ok", QueryOutcome("solutions", offer.media_type, body, len(rows)))
    offer = job.formats.graph
    if offer is None:
        return ("not_acceptable", "graph")
    triples = list(islice(result, limit + 1))
    if len(triples) > limit:
        return ("too_large", str(limit))
    body = ox.serialize(triples, format=RDF_FORMATS[offer.serializer]) or b""
    if offer.serializer == "application/rdf+xml":
        body = results.keep_carriage_returns(body)
    return ("ok", QueryOutcome("graph", offer.media_type, body, len(triples)))


def outcome_or_raise(answer: tuple[str, Any], timeout_s: float | None = None) -> QueryOutcome:
    kind, value = answer
    if kind == "ok":
        assert isinstance(value, QueryOutcome)
        return value
    if kind == "syntax":
        raise InputError(f"kesalahan sintaks SPARQL: {value}", f"SPARQL syntax error: {value}")
    if kind == "too_large":
        raise ResultTooLargeError(
            f"hasil kueri melebihi batas {value} baris/tripel; persempit kueri atau pakai LIMIT",
            f"the query result exceeds the limit of {value} rows/triples; narrow the query"
            " or use LIMIT",
        )
    if kind == "service":
        raise service_not_allowed()
    if kind == "not_acceptable":
        names = {"boolean": "JSON, XML", "solutions": "JSON, XML, CSV, TSV",
                 "graph": "Turtle, N-Triples, RDF/XML, JSON-LD"}[value]
        raise NotAcceptableError(
            f"header Accept tidak memuat format yang tersedia untuk hasil ini ({names})",
            f"the Accept header names no format available for this result ({names})",
        )
    raise StoreUnavailableError(f"kueri gagal: {value}", f"the query failed: {value}")


# --- the channel between server and worker ---------------------------------------------------

_HEADER = struct.Struct("!Q")
"""Each message: its length (8 bytes, network order), then the pickled object."""


def _frame(message: object) -> bytes:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(payload)) + payload


def _read_exactly(channel: socket.socket, size: int, deadline: float | None) -> bytes:
    """`size` bytes from a non-blocking socket (TimeoutError past `deadline`, EOFError when
    the other end is gone)."""
    buffer = bytearray()
    poller = select.poll()
    poller.register(channel, select.POLLIN)
    while len(buffer) < size:
        try:
            chunk = channel.recv(min(size - len(buffer), 1 << 22))
        except BlockingIOError:
            if deadline is None:
                poller.poll()
            else:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError from None
                poller.poll(int(remaining * 1000) + 1)
            continue
        if not chunk:
            raise EOFError("the other end closed the channel")
        buffer += chunk
    return bytes(buffer)


def _receive(channel: socket.socket, deadline: float | None = None) -> Any:
    (size,) = _HEADER.unpack(_read_exactly(channel, _HEADER.size, deadline))
    return pickle.loads(_read_exactly(channel, size, deadline))


def _send(channel: socket.socket, message: object) -> None:
    """Send on a non-blocking socket, waiting while its buffer is full."""
    data = memoryview(_frame(message))
    while data:
        try:
            sent = channel.send(data)
        except BlockingIOError:
            select.select([], [channel], [])
            continue
        data = data[sent:]


async def _receive_async(channel: socket.socket) -> Any:
    loop = asyncio.get_running_loop()

    async def exactly(size: int) -> bytes:
        buffer = bytearray()
        while len(buffer) < size:
            chunk = await loop.sock_recv(channel, min(size - len(buffer), 1 << 22))
            if not chunk:
                raise EOFError("the other end closed the channel")
            buffer += chunk
        return bytes(buffer)

    (size,) = _HEADER.unpack(await exactly(_HEADER.size))
    return pickle.loads(await exactly(size))


# --- the worker process -------------------------------------------------------------------

_PR_SET_PDEATHSIG = 1


def _close_inherited_sockets(keep: set[int]) -> None:
    """Close every socket the child inherited (client connections, the listening socket)."""
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return
    for name in names:
        fd = int(name)
        if fd in keep:
            continue
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.close(fd)
        except OSError:
            continue


def _child_main(channel: socket.socket, store: ox.Store, close_fds: list[int]) -> None:
    # Only this thread exists in the child. No logging, no imports, no asyncio from here on.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    gc.freeze()  # inherited objects stay shared with the parent instead of being copied
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == 1:
        os._exit(0)
    for fd in close_fds:
        with contextlib.suppress(OSError):
            os.close(fd)
    _close_inherited_sockets({channel.fileno()})
    while True:
        try:
            job = _receive(channel)
        except (EOFError, OSError):
            os._exit(0)
        if job is None:
            os._exit(0)
        try:
            answer: tuple[str, Any] = (run_job(store, job) if isinstance(job, QueryJob)
                                       else job.run(store))
        except BaseException as exc:  # the worker must answer, whatever happened
            answer = ("error", f"{type(exc).__name__}: {exc}")
        try:
            _send(channel, answer)
        except (OSError, ValueError, pickle.PicklingError):
            os._exit(1)


@dataclass
class _Worker:
    pid: int
    channel: socket.socket
    """Non-blocking, the server's end."""
    generation: int


class ForkingQueryEngine:
    """A pool of forked worker processes over an embedded Oxigraph store."""

    hard_time_limit = True

    def __init__(self, store: ox.Store, guard: GuardedRepository, max_workers: int = 0) -> None:
        self.store = store
        self.guard = guard
        self.max_workers = max_workers or max(2, os.cpu_count() or 2)
        self._idle: list[_Worker] = []
        self._count = 0  # workers alive, idle or busy
        self._cond = threading.Condition()
        self._closed = False
        self._requests: queue.Queue[tuple[Callable[[], Any], Future[Any]] | None] = queue.Queue()
        self._parent_fds: set[int] = set()
        # one long-lived thread forks every worker: PR_SET_PDEATHSIG fires when the thread
        # that forked a child ends, and this one lives as long as the server
        self._forker = threading.Thread(target=self._fork_loop, name="spbe-query-forker",
                                        daemon=True)
        self._forker.start()

    # --- forking -----------------------------------------------------------------------------
    def _fork_loop(self) -> None:
        while True:
            item = self._requests.get()
            if item is None:
                return
            action, future = item
            try:
                future.set_result(action())
            except BaseException as exc:
                future.set_exception(exc)

    def _on_forker(self, action: Callable[[], Any]) -> Any:
        future: Future[Any] = Future()
        self._requests.put((action, future))
        return future.result()

    def _fork(self) -> _Worker:
        parent_end, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        parent_end.setblocking(False)
        with self.guard.lock.exclusive():
            generation = self.guard.generation
            close_in_child = sorted(self._parent_fds | {parent_end.fileno()})
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child, which never returns
                try:
                    _child_main(child_end, self.store, close_in_child)
                finally:
                    os._exit(1)
        child_end.close()
        with self._cond:
            self._parent_fds.add(parent_end.fileno())
        return _Worker(pid, parent_end, generation)

    def _retire(self, worker: _Worker, *, kill: bool) -> None:
        with self._cond:
            self._parent_fds.discard(worker.channel.fileno())
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
        else:
            with contextlib.suppress(OSError, ValueError):
                _send(worker.channel, None)
        worker.channel.close()
        threading.Thread(target=_reap, args=(worker.pid,), daemon=True).start()
        with self._cond:
            self._count -= 1
            self._cond.notify_all()

    # --- using workers ------------------------------------------------------------------------
    def _take_idle(self, stale: list[_Worker]) -> _Worker | None:
        """An idle worker forked since the last write (call with `_cond` held); older idle
        ones go to `stale`."""
        if self._closed:
            raise StoreUnavailableError("server sedang berhenti", "the server is stopping")
        generation = self.guard.generation
        while self._idle:
            candidate = self._idle.pop()
            if candidate.generation == generation:
                return candidate
            stale.append(candidate)
        return None

    def _acquire(self, deadline: float) -> _Worker:
        stale: list[_Worker] = []
        worker: _Worker | None = None
        fork = busy = False
        with self._cond:
            while True:
                worker = self._take_idle(stale)
                if worker is not None:
                    break
                if self._count - len(stale) < self.max_workers:
                    self._count += 1
                    fork = True
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._cond.wait(remaining):
                    busy = True
                    break
        for old in stale:
            self._retire(old, kill=False)
        if busy:
            raise _busy_error()
        if fork:
            try:
                worker = self._on_forker(self._fork)
            except BaseException:
                with self._cond:
                    self._count -= 1
                    self._cond.notify_all()
                raise
        assert worker is not None
        return worker

    def _release(self, worker: _Worker) -> None:
        with self._cond:
            if not self._closed and worker.generation == self.guard.generation:
                self._idle.append(worker)
                self._cond.notify_all()
                return
        self._retire(worker, kill=False)

    def execute(self, job: QueryJob, timeout_s: float) -> QueryOutcome:
        return outcome_or_raise(self._call(job, timeout_s, query_timeout_error), timeout_s)

    async def execute_async(self, job: QueryJob, timeout_s: float) -> QueryOutcome:
        stale: list[_Worker] = []
        with self._cond:
            worker = self._take_idle(stale)
        for old in stale:
            self._retire(old, kill=False)
        if worker is None:
            # waiting for a worker, or forking one, may block: not on the event loop
            return await run_in_threadpool(self.execute, job, timeout_s)
        with self._exchange(worker, query_timeout_error, timeout_s, _crash_error(job)):
            # a job fits the socket's buffer (a query text of megabytes would wait for
            # the worker to read it: still bounded, the worker is idle and reading)
            _send(worker.channel, job)
            # asyncio.timeout rather than wait_for: no task of its own (~15 us a request)
            async with asyncio.timeout(timeout_s):
                answer = await _receive_async(worker.channel)
        return outcome_or_raise(answer, timeout_s)

    def run_task(self, task: WorkerTask, timeout_s: float) -> tuple[str, Any]:
        if not task.needs_time_limit:
            # bounded work: here, rather than in a worker forked for it (after a write
            # every worker is stale, and a fork of a large server costs tens of ms)
            with self.guard.lock.shared():
                return task.run(self.store)
        return self._call(task, timeout_s, _task_timeout_error)

    def _call(self, job: QueryJob | WorkerTask, timeout_s: float,
              timeout_error: Callable[[float], SpbeError]) -> tuple[str, Any]:
        deadline = time.monotonic() + timeout_s
        worker = self._acquire(deadline)
        with self._exchange(worker, timeout_error, timeout_s, _crash_error(job)):
            _send(worker.channel, job)
            answer = _receive(worker.channel, deadline)
        return answer  # type: ignore[no-any-return]

    @contextlib.contextmanager
    def _exchange(self, worker: _Worker, timeout_error: Callable[[float], SpbeError],
                  timeout_s: float, crash_error: Callable[[int], SpbeError]
                  ) -> Iterator[None]:
        """One job sent to `worker` and its answer read: the worker goes back to the pool
        afterwards, or is killed when anything went wrong (past the time limit, cancelled
        because the client went away, …): its answer would be left in the channel."""
        try:
            yield
        except TimeoutError:
            self._retire(worker, kill=True)
            raise timeout_error(timeout_s) from None
        except (EOFError, ConnectionError) as exc:
            # the worker is gone: a crash on this job (400/500) or something else (503)
            reaped, signum = _reap_signal(worker.pid)
            # a reaped pid may already belong to another process: never signal it
            self._retire(worker, kill=not reaped)
            if signum in _CRASH_SIGNALS:
                raise crash_error(signum) from None
            raise _worker_stopped(exc, signum) from exc
        except OSError as exc:
            self._retire(worker, kill=True)
            raise _worker_stopped(exc) from exc
        except BaseException:
            if worker.channel.fileno() >= 0:
                self._retire(worker, kill=True)
            raise
        self._release(worker)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._cond.notify_all()
        for worker in idle:
            self._retire(worker, kill=True)
        self._requests.put(None)


_CRASH_SIGNALS = frozenset({signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT, signal.SIGILL,
                            signal.SIGFPE})
"""How a process dies when the native code it runs fails (a stack overflow is SIGSEGV in
a thread Python made, SIGABRT where Rust's own guard catches it)."""


def _reap_signal(pid: int, wait_s: float = 1.0) -> tuple[bool, int | None]:
    """(reaped, the signal that ended it, if one did) for a worker whose channel just
    closed: its exit status, waited for briefly (the channel closes as the process exits,
    a moment before the kernel has its status). Not reaped in time: the caller kills it."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return True, None
        if done:
            return True, os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        if time.monotonic() >= deadline:
            return False, None
        time.sleep(0.002)


def _signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"sinyal {signum}"


NESTED_DEPTH = 256
"""Brackets deeper than this make a crash a stack overflow, as far as can be told. On an
8 MB stack pyoxigraph 0.5 overflows at 2189 nested `{`, 4670 `(`, 6543 chained UNION and
6883 chained `+`: these limits leave room for stacks of 1 MB."""
CHAINED_OPERATORS = 1000
"""As many UNION, BIND or operators (at least) make it one too."""
_OPERATOR = re.compile(r"\b(?:UNION|BIND|OPTIONAL|MINUS|FILTER)\b|\|\||&&|[-+*/=<>!]",
                       re.IGNORECASE)


def _nested_or_chained(text: str) -> bool:
    """Whether `text` is deep or long enough for a crash on it to be the stack overflow of
    Oxigraph's recursive parser and optimiser (strings, IRIs and comments left out: an
    IRI's slashes are no operators). Kept generous: the 400 then tells the user to
    simplify a request that can be simplified, and anything else is a 500."""
    operators = 0
    position = 0
    for match in TOKEN.finditer(text):
        if match.lastgroup in ("string", "iri", "comment"):
            gap = text[position:match.start()]
            operators += len(_OPERATOR.findall(gap))
            position = match.end()
    operators += len(_OPERATOR.findall(text[position:]))
    return bracket_depth(text) > NESTED_DEPTH or operators > CHAINED_OPERATORS


def _job_text(job: QueryJob | WorkerTask) -> str:
    if isinstance(job, QueryJob):
        return job.sparql
    text = getattr(job, "update", "")
    return text if isinstance(text, str) else ""


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, 0)


def query_timeout_error(timeout_s: float) -> QueryTimeoutError:
    return QueryTimeoutError(
        f"kueri dihentikan karena melebihi batas waktu {timeout_s:g} detik; persempit kueri"
        " (misalnya dengan LIMIT atau pola yang lebih spesifik)",
        f"the query was stopped after the time limit of {timeout_s:g} s; narrow it (e.g."
        " with LIMIT or more specific patterns)",
    )


def _task_timeout_error(timeout_s: float) -> QueryTimeoutError:
    return QueryTimeoutError(
        f"SPARQL Update dihentikan karena melebihi batas waktu {timeout_s:g} detik; tidak ada"
        " yang diubah (persempit pola WHERE atau pecah update menjadi beberapa permintaan)",
        f"the SPARQL Update was stopped after the time limit of {timeout_s:g} s; nothing was"
        " changed (narrow its WHERE patterns or split it into several requests)",
    )


def _worker_stopped(exc: BaseException, signum: int | None = None) -> StoreUnavailableError:
    if signum is not None:
        name = _signal_name(signum)
        # SIGKILL that the server did not send: the kernel's out-of-memory killer, or an
        # administrator
        return StoreUnavailableError(
            f"proses pekerja kueri dihentikan dari luar ({name}, mis. karena memori server"
            " habis); tidak ada yang diubah, coba lagi",
            f"the query worker process was ended from outside ({name}, e.g. because the"
            " server ran out of memory); nothing was changed, try again",
        )
    return StoreUnavailableError(
        f"proses pekerja kueri berhenti tak terduga ({exc}); coba lagi",
        f"the query worker process stopped unexpectedly ({exc}); try again",
    )


def _crash_error(job: QueryJob | WorkerTask) -> Callable[[int], SpbeError]:
    """The error for a worker that died of `signum` on `job`: nesting is named only when
    the job's text is deep or long enough for it to be the cause."""
    is_query = isinstance(job, QueryJob)

    def error(signum: int) -> SpbeError:
        # read only after a crash: every request passes through here
        if _nested_or_chained(_job_text(job)):
            return _query_crash_error() if is_query else _task_crash_error()
        name = _signal_name(signum)
        what_id, what_en = (("kueri ini", "this query") if is_query
                            else ("SPARQL Update ini; tidak ada yang diubah",
                                  "this SPARQL Update; nothing was changed"))
        return EngineFailureError(
            f"mesin SPARQL berhenti mendadak ({name}) saat memproses {what_id}. Ini"
            " kesalahan pada server, bukan pada bentuk permintaan; permintaan berikutnya"
            " dilayani proses baru. Bila terulang, laporkan teks permintaan ini kepada"
            " administrator",
            f"the SPARQL engine stopped abruptly ({name}) while processing {what_en}. This"
            " is a failure of the server, not of the request's shape; the next request is"
            " served by a fresh process. If it happens again, report the request's text to"
            " the administrator",
        )

    return error


def _query_crash_error() -> EngineCrashError:
    return EngineCrashError(
        "mesin SPARQL berhenti saat memproses kueri ini, biasanya karena kueri bersarang"
        " terlalu dalam atau terlalu panjang (ribuan tingkat kurung/grup, atau ribuan UNION,"
        " BIND atau operator berantai); sederhanakan kueri atau pecah menjadi beberapa kueri",
        "the SPARQL engine stopped while processing this query, usually because the query"
        " is nested too deeply or too long (thousands of levels of brackets/groups, or"
        " thousands of chained UNION, BIND or operators); simplify it or split it into"
        " several queries",
    )


def _task_crash_error() -> EngineCrashError:
    return EngineCrashError(
        "mesin SPARQL berhenti saat memproses SPARQL Update ini, biasanya karena update"
        " bersarang terlalu dalam atau terlalu panjang (ribuan tingkat kurung/grup, atau"
        " ribuan UNION, BIND atau operator berantai); tidak ada yang diubah. Sederhanakan"
        " update atau pecah menjadi beberapa permintaan",
        "the SPARQL engine stopped while processing this SPARQL Update, usually because it"
        " is nested too deeply or too long (thousands of levels of brackets/groups, or"
        " thousands of chained UNION, BIND or operators); nothing was changed. Simplify it"
        " or split it into several requests",
    )


def _busy_error() -> QueryTimeoutError:
    return QueryTimeoutError(
        "semua pekerja kueri sibuk sampai batas waktu habis; coba lagi sebentar lagi",
        "every query worker stayed busy until the time limit; try again shortly",
    )


class _ThreadedAsync:
    """`execute_async` for engines whose `execute` blocks: on a thread-pool thread."""

    execute: Callable[[QueryJob, float], QueryOutcome]

    async def execute_async(self, job: QueryJob, timeout_s: float) -> QueryOutcome:
        return await run_in_threadpool(self.execute, job, timeout_s)


class InProcessQueryEngine(_ThreadedAsync):
    """Runs jobs in the calling thread on the store itself. No hard time limit: for
    platforms without fork(), and as the in-process baseline of the benchmark."""

    hard_time_limit = False

    def __init__(self, store: ox.Store, guard: GuardedRepository | None = None) -> None:
        self.store = store
        self.guard = guard

    def execute(self, job: QueryJob, timeout_s: float) -> QueryOutcome:
        if self.guard is None:
            return outcome_or_raise(run_job(self.store, job))
        with self.guard.lock.shared():
            return outcome_or_raise(run_job(self.store, job))

    def run_task(self, task: WorkerTask, timeout_s: float) -> tuple[str, Any]:
        if self.guard is None:
            return task.run(self.store)
        with self.guard.lock.shared():
            return task.run(self.store)

    def close(self) -> None:
        return None


_ABSOLUTE_IRI = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]*:")
_POSITION = re.compile(r"\b(at (?:line )?)(\d+)([:,])")


def _has_relative_iri(sparql: str) -> bool:
    return any(match.lastgroup == "iri" and not _ABSOLUTE_IRI.match(match.group(0))
               for match in TOKEN.finditer(sparql))


def _earlier_line(message: str) -> str:
    """An engine's "error at 3:16" with the line of the user's text (one BASE line less)."""
    return _POSITION.sub(lambda m: f"{m[1]}{max(1, int(m[2]) - 1)}{m[3]}", message, count=1)


def uses_store(task: WorkerTask) -> bool:
    return bool(getattr(task, "uses_store", True))


class RepositoryQueryEngine(_ThreadedAsync):
    """For stores that are not embedded Oxigraph (a remote SPARQL endpoint): the query is
    sent with the backend's own timeout, and the remote engine enforces its limits.

    Tasks that need no store (`uses_store = False`, the syntax check of an update) still
    run in the server's process only when they are bounded; otherwise in a worker forked
    over a private empty store, under the time limit: Oxigraph parses recursively (an
    update nested thousands deep ends the process parsing it) and the check evaluates the
    update on the empty store (a `WHERE` of ten `VALUES` blocks is 10^10 solutions)."""

    hard_time_limit = False
    """The remote engine applies its own limits to the store's data."""

    def __init__(self, repository: GuardedRepository) -> None:
        self.repository = repository
        self._isolated: ForkingQueryEngine | None = None
        self._isolated_lock = threading.Lock()

    def execute(self, job: QueryJob, timeout_s: float) -> QueryOutcome:
        if refuses_service(job.sparql, job.allow_service):
            raise service_not_allowed()  # the remote store would make the call for us
        form = query_form(job.sparql)
        kind = {"ASK": "boolean", "SELECT": "solutions"}.get(form, "graph")
        offer = {"boolean": job.formats.boolean, "solutions": job.formats.solutions,
                 "graph": job.formats.graph}[kind]
        if offer is None:
            return outcome_or_raise(("not_acceptable", kind))
        sparql = job.sparql
        if job.base_iri is not None and _has_relative_iri(sparql):
            # the endpoint as base, as the embedded engine has it (`base_iri`); only when
            # needed, since the line it adds shifts every position the engine reports
            sparql = f"BASE <{job.base_iri}>\n{sparql}"
        try:
            _, body = self.repository.query_serialized(
                sparql, offer.serializer,
                default_graph_uris=list(job.default_graphs) if job.default_graphs else None,
                named_graph_uris=list(job.named_graphs) if job.named_graphs else None,
                timeout_s=timeout_s, max_results=job.result_limit)
        except TimeoutError as exc:
            raise query_timeout_error(timeout_s) from exc
        except InputError as exc:
            if sparql is job.sparql:
                raise
            raise InputError(_earlier_line(exc.message_id), _earlier_line(exc.message_en),
                             exc.location) from exc
        return QueryOutcome(kind, offer.media_type, body, -1)

    def run_task(self, task: WorkerTask, timeout_s: float) -> tuple[str, Any]:
        if uses_store(task):
            return ("unsupported", "remote store")
        if not task.needs_time_limit or not fork_available():
            return task.run(ox.Store())
        return self._isolated_engine().run_task(task, timeout_s)

    def _isolated_engine(self) -> ForkingQueryEngine:
        with self._isolated_lock:
            if self._isolated is None:
                empty = OxigraphRepository(None)
                # a guard of its own: the empty store never changes, so its one worker is
                # forked once and kept, and a fork never waits for a request to the
                # remote store (which holds the repository's guard)
                self._isolated = ForkingQueryEngine(empty.store, GuardedRepository(empty),
                                                    max_workers=1)
            return self._isolated

    def close(self) -> None:
        with self._isolated_lock:
            if self._isolated is not None:
                self._isolated.close()
                self._isolated = None


def fork_available() -> bool:
    return hasattr(os, "fork") and sys.platform.startswith("linux")
