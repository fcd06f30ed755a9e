"""The service under load: 32 concurrent clients on loopback, and /sparql's overhead.

`python -m bench.api_load --size 500k --duration 60`

1. A server process (`spbe-arch serve` machinery, uvicorn, one worker) holds the synthetic
   repository (`bench.generate`) in memory. Anonymous reading is on (loopback bind).
2. `--clients` concurrent clients (asyncio + httpx, in this process) send requests for
   `--duration` seconds each to: a named query (`/queries/NAME?…`) and a REST list page
   (`/api/proses-bisnis?opd=…&limit=50`). Reported: requests/s, p50, p99, errors.
3. /sparql overhead: one client sends the named query's SPARQL text to /sparql, one
   request at a time; in turn, the same text runs in process in a baseline process that
   holds the same data and does nothing else (same pyoxigraph, same result serialization;
   timed inside that process), and there through a forked query worker without HTTP (the
   hand-off the time limit costs). Results are compared by digest. Reported: p50/p99 and
   the ratio /sparql : in process (target: at most 1.3x at p50).
4. The same ratio for `ASK {}` (the fixed cost of a request) and for every query of the
   named-query catalogue, with the standard library's client: where the target holds
   depends on how long the query itself takes (`--catalogue-seconds`, 0 = skip).

Both sides share the machine's cores: the clients' own CPU use is part of what is
measured, as it would be for clients on the same host.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

from bench.common import machine, parse_size, print_table, size_label
from bench.generate import dataset

NAMED_QUERY = "processes-per-opd"
NAMED_PARAMS = {"kode_wilayah": "0001", "kode_opd": "OPD01"}
LIST_PATH = "/api/proses-bisnis"


def _load(size: int):  # type: ignore[no-untyped-def]
    from spbe_arch import datasets
    from spbe_arch.repository import LoadSource, open_repository

    repository = open_repository("memory:")
    path = dataset(size)
    repository.load([*[s for s in datasets.base_sources() if "reference" not in str(s.graph)],
                     LoadSource(path, "nquads", None, path.name)])
    return repository


def serve(size: int, port: int) -> None:
    """Server mode: load the data, then serve it until killed."""
    import uvicorn

    from spbe_arch.access import TokenStore
    from spbe_arch.api import create_app
    from spbe_arch.cli.serve import server_config
    from spbe_arch.settings import Settings

    repository = _load(size)
    settings = Settings(store="memory:", anonymous_read=True)
    app = create_app(settings, repository, host="127.0.0.1", tokens=TokenStore(None))
    print("READY", flush=True)
    uvicorn.Server(server_config(app, "127.0.0.1", port, log_level="warning",
                                 access_log=False)).run()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def _load_phase(base: str, path: str, params: dict[str, str], clients: int,
                      duration: float) -> tuple[int, int, list[float], float]:
    latencies: list[float] = []
    errors = 0
    kinds: Counter[str] = Counter()
    deadline = time.monotonic() + duration
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:

        async def worker() -> None:
            nonlocal errors
            while time.monotonic() < deadline:
                started = time.perf_counter()
                kind = ""
                try:
                    response = await client.get(path, params=params)
                    if response.status_code != 200 or not response.content:
                        kind = f"HTTP {response.status_code}: {response.text[:120]!r}"
                except httpx.HTTPError as exc:
                    kind = f"{type(exc).__name__}: {exc}"
                latencies.append(time.perf_counter() - started)
                if kind:
                    errors += 1
                    kinds[kind] += 1

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.monotonic() - started
    for kind, count in kinds.most_common():
        print(f"error on {path}: {count} x {kind}")
    return len(latencies), errors, latencies, elapsed


OVERHEAD_QUERIES: tuple[tuple[str, dict[str, str]], ...] = (
    (NAMED_QUERY, NAMED_PARAMS), ("elements-per-opd", {}))
"""A selective query (about a millisecond: HTTP's fixed cost dominates the ratio) and a
query over the whole repository (where the engine's work dominates)."""

ACCEPT = "application/sparql-results+json"


def baseline(size: int) -> None:
    """Baseline mode: the in-process side of the overhead measurement, in a process of its
    own that holds the same data and does nothing else. One JSON request per line on stdin:
    run the query once in process (`run_job`) or through a forked query worker without
    HTTP; answer with the seconds it took, measured here, and a digest of the result."""
    import json

    from spbe_arch.api.guard import GuardedRepository
    from spbe_arch.api.negotiation import negotiate
    from spbe_arch.api.query_engine import ForkingQueryEngine, QueryJob, run_job

    repository = _load(size)
    engine = ForkingQueryEngine(repository.store, GuardedRepository(repository), 1)

    def answer_requests() -> None:
        for line in sys.stdin:
            request = json.loads(line)
            job = QueryJob(request["sparql"], None, None, None, negotiate(ACCEPT), 100_000)
            started = time.perf_counter()
            if request["mode"] == "worker":
                body = engine.execute(job, 120).body
            else:
                kind, outcome = run_job(repository.store, job)
                assert kind == "ok", outcome
                body = outcome.body
            seconds = time.perf_counter() - started
            print(json.dumps({"seconds": seconds, "digest": _digest(body)}), flush=True)

    print("READY", flush=True)
    # On a thread of its own, as in the server's query workers (forked from a thread): on
    # this machine a heavy query ran 10-20 % faster on a thread than on the main thread,
    # which glibc serves from its main heap (MALLOC_ARENA_MAX=1 removes the difference);
    # on the main thread the baseline was the slower side and the ratio fell below 1.
    thread = threading.Thread(target=answer_requests)
    thread.start()
    thread.join()
    engine.close()


class Baseline:
    """The baseline process (`baseline`), driven from the benchmark."""

    def __init__(self, size: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.api_load", "--baseline", "--size", str(size)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            cwd=Path(__file__).resolve().parents[1])
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != "READY":
            raise SystemExit("the baseline process did not start")

    def run(self, sparql: str, mode: str = "local") -> tuple[float, str]:
        """(seconds, result digest) of one run in the baseline process."""
        import json

        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"sparql": sparql, "mode": mode}) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        return float(answer["seconds"]), str(answer["digest"])

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


def _post_sparql(connection: http.client.HTTPConnection, sparql: str) -> bytes:
    """POST `sparql` to /sparql on a keep-alive `http.client` connection; the body."""
    connection.request("POST", "/sparql", body=sparql.encode(), headers={
        "content-type": "application/sparql-query", "accept": ACCEPT})
    reply = connection.getresponse()
    body = reply.read()
    assert reply.status == 200, body[:200]
    return body


def _digest(body: bytes) -> str:
    import hashlib

    return hashlib.sha256(body).hexdigest()


def _overhead(base: str, reference: Baseline, name: str, params: dict[str, str],
              repeat: int) -> tuple[list[float], list[float], list[float], list[float]]:
    """(in process, through a query worker without HTTP, over HTTP with httpx, over HTTP with
    the standard library's keep-alive client `http.client`, which costs the client side less)
    latencies, taken in turn."""
    from urllib.parse import urlsplit

    from spbe_arch.queries import get_query

    sparql = get_query(name).bound_sparql(params)
    local: list[float] = []
    worker: list[float] = []
    remote: list[float] = []
    stdlib: list[float] = []
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port)
    headers = {"content-type": "application/sparql-query", "accept": ACCEPT}
    with httpx.Client(base_url=base, timeout=120) as client:
        for _ in range(3):  # warm every side
            reference.run(sparql)
            reference.run(sparql, "worker")
            client.post("/sparql", content=sparql.encode(), headers=headers)
            _post_sparql(connection, sparql)
        for _ in range(repeat):
            seconds, expected = reference.run(sparql)
            local.append(seconds)
            seconds, digest = reference.run(sparql, "worker")
            worker.append(seconds)
            assert digest == expected
            started = time.perf_counter()
            response = client.post("/sparql", content=sparql.encode(), headers=headers)
            remote.append(time.perf_counter() - started)
            assert response.status_code == 200, response.text
            assert _digest(response.content) == expected
            started = time.perf_counter()
            assert _digest(_post_sparql(connection, sparql)) == expected
            stdlib.append(time.perf_counter() - started)
    connection.close()
    return local, worker, remote, stdlib


def catalogue_params(name: str) -> dict[str, str]:
    """Arguments for a catalogue query on the synthetic data: its first instansi, its first
    OPD and that OPD's first SOP (the generator's codes), the OPD's IRI for `history`."""
    from spbe_arch import iris
    from spbe_arch.queries import get_query

    values = {"kode_wilayah": "0001", "kode_opd": "OPD01", "kode_sop": "OPD01.SOP.01",
              "entity": str(iris.element_iri("0001", "opd", "OPD01")), "level": "1"}
    return {param.name: values[param.name] for param in get_query(name).params
            if param.name in values}


def _catalogue_overhead(base: str, reference: Baseline, repeat: int,
                        seconds: float) -> list[list[object]]:
    """Rows of (query, result bytes, runs, in-process p50, /sparql p50, difference, ratio,
    met) for `ASK {}` and every catalogue query; each query is timed `repeat` times or for
    about `seconds`, in process and over HTTP in turn."""
    from urllib.parse import urlsplit

    from spbe_arch.queries import get_query, list_queries

    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port)
    texts = [("ASK {} (the fixed cost)", "ASK {}")]
    texts += [(query.name, get_query(query.name).bound_sparql(catalogue_params(query.name)))
              for query in list_queries()]
    rows: list[list[object]] = []
    for label, sparql in texts:
        _, expected = reference.run(sparql)
        body = _post_sparql(connection, sparql)
        assert _digest(body) == expected, label
        local: list[float] = []
        remote: list[float] = []
        budget = time.monotonic() + seconds
        while len(local) < repeat and (len(local) < 5 or time.monotonic() < budget):
            local.append(reference.run(sparql)[0])
            started = time.perf_counter()
            _post_sparql(connection, sparql)
            remote.append(time.perf_counter() - started)
        p50_local, p50_remote = statistics.median(local), statistics.median(remote)
        rows.append([label, len(body), len(local), f"{p50_local * 1000:.2f}",
                     f"{p50_remote * 1000:.2f}", f"{(p50_remote - p50_local) * 1000:.2f}",
                     f"{p50_remote / p50_local:.2f}",
                     "yes" if p50_remote / p50_local <= 1.3 else "no"])
    connection.close()
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Load test of the HTTP service")
    parser.add_argument("--size", type=parse_size, default=parse_size("500k"))
    parser.add_argument("--duration", type=float, default=60.0,
                        help="seconds of load per workload (default 60)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=50,
                        help="sequential requests for the /sparql overhead measurement")
    parser.add_argument("--catalogue-seconds", type=float, default=4.0,
                        help="seconds per query for the catalogue overhead table (0 = skip)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.size, args.port)
        return
    if args.baseline:
        baseline(args.size)
        return
    dataset(args.size)  # generate (cached) before the clock starts
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.api_load", "--serve", "--size", str(args.size),
         "--port", str(port)], stdout=subprocess.PIPE, text=True,
        cwd=Path(__file__).resolve().parents[1], env={**os.environ, "SPBE_LANG": "en"})
    reference: Baseline | None = None
    try:
        assert server.stdout is not None
        if server.stdout.readline().strip() != "READY":
            raise SystemExit("the server did not start")
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(f"{base}/queries", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        rows = []
        for label, path, params in (
                (f"named query {NAMED_QUERY}", f"/queries/{NAMED_QUERY}", NAMED_PARAMS),
                ("REST list page (50)", LIST_PATH,
                 {"instansi": "0001", "opd": "OPD01", "limit": "50"})):
            count, errors, latencies, elapsed = asyncio.run(
                _load_phase(base, path, params, args.clients, args.duration))
            rows.append([label, args.clients, f"{elapsed:.0f}", count,
                         f"{count / elapsed:.1f}", f"{_percentile(latencies, 0.5) * 1000:.1f}",
                         f"{_percentile(latencies, 0.99) * 1000:.1f}", errors])
        print(f"machine: {machine()}")
        print(f"data: synthetic {size_label(args.size)} ({dataset(args.size).name})\n")
        print_table("Load on loopback", ["workload", "clients", "seconds", "requests",
                                         "req/s", "p50 ms", "p99 ms", "errors"], rows)
        reference = Baseline(args.size)
        overhead_rows = []
        for name, params in OVERHEAD_QUERIES:
            local, worker, remote, stdlib = _overhead(base, reference, name, params,
                                                      args.repeat)
            p50_local, p50_remote = statistics.median(local), statistics.median(remote)
            p50_stdlib = statistics.median(stdlib)
            overhead_rows.append([
                name + ("" if not params else " (" + ", ".join(
                    f"{k}={v}" for k, v in params.items()) + ")"),
                f"{p50_local * 1000:.2f}", f"{_percentile(local, 0.99) * 1000:.1f}",
                f"{statistics.median(worker) * 1000:.2f}",
                f"{p50_remote * 1000:.2f}", f"{_percentile(remote, 0.99) * 1000:.1f}",
                f"{p50_remote / p50_local:.2f}",
                f"{p50_stdlib * 1000:.2f}", f"{p50_stdlib / p50_local:.2f}"])
        print_table("/sparql overhead: the same query in process vs over HTTP (sequential)",
                    ["query", "in-process p50 ms", "in-process p99 ms",
                     "worker, no HTTP, p50 ms", "/sparql p50 ms (httpx)", "/sparql p99 ms",
                     "ratio p50", "/sparql p50 ms (http.client)", "ratio p50 (http.client)"],
                    overhead_rows)
        if args.catalogue_seconds > 0:
            rows = _catalogue_overhead(base, reference, args.repeat, args.catalogue_seconds)
            print_table("/sparql overhead per query of the catalogue (http.client, sequential)",
                        ["query", "result bytes", "runs", "in-process p50 ms",
                         "/sparql p50 ms", "difference ms", "ratio p50", "<= 1.3x"], rows)
        reference.close()
    finally:
        if reference is not None and reference.process.poll() is None:
            reference.process.kill()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
