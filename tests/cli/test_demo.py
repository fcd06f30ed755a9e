"""`spbe-arch demo`: the pipeline, re-running it, and ending by serving."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from spbe_arch import demo, iris
from spbe_arch.repository import Repository, open_repository
from spbe_arch.settings import Settings

from .conftest import Invoke


def test_steps_start_with_loading_and_end_with_serving() -> None:
    names = [s.name for s in demo.steps(serve=True)]
    assert names[0] == "load" and names[-1] == "serve" and "sop" in names
    assert [s for s in demo.steps(serve=False) if s.serves] == []
    assert len(names) == len(set(names))


def test_run_demo_serves_the_repository_it_prepared(monkeypatch: pytest.MonkeyPatch,
                                                    memory_repository: Repository) -> None:
    calls: list[str] = []

    def fake_load(context: demo.DemoContext) -> demo.StepResult:
        context.repository.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }")
        return demo.StepResult("dimuat", "loaded")

    steps = [demo.DemoStep("load", "Muat", "Load", fake_load),
             *[s for s in demo.STEPS if s.serves]]
    monkeypatch.setattr(demo, "STEPS", steps)

    def server(repository: Repository, settings: Settings) -> None:
        calls.append(f"served {repository.stats().total_triples}")

    started: list[str] = []
    results = demo.run_demo(memory_repository, Settings(), server=server,
                            on_start=lambda s, i, n: started.append(f"{i}/{n} {s.name}"))
    assert started == ["1/2 load", "2/2 serve"]
    assert calls == ["served 1"]
    assert [r.summary("en") for _, r in results] == ["loaded", "server stopped"]
    calls.clear()
    assert len(demo.run_demo(memory_repository, Settings())) == 1  # no server: no serving
    assert calls == []


def test_a_step_name_is_registered_once() -> None:
    with pytest.raises(ValueError, match="twice"):
        demo.step("load", "x", "y")(demo.load_step)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def sparql_json(port: int, query: str) -> dict[str, Any]:
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        answer: dict[str, Any] = json.load(response)
        return answer


def test_an_intact_sample_is_left_alone(memory_repository: Repository) -> None:
    from spbe_arch import datasets, iris

    sample = datasets.sample_sources()
    assert not demo.sample_in_place(memory_repository, sample)
    memory_repository.load(sample)
    assert demo.sample_in_place(memory_repository, sample)
    graph = iris.instansi_graph(datasets.sample_info().kode_wilayah)
    memory_repository.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:x> <urn:y> <urn:z> }} }}")
    assert demo.sample_in_place(memory_repository, sample)  # additions do not matter
    nama = "https://w3id.org/spbe-arch/ontology#nama"
    memory_repository.update(f"DELETE WHERE {{ GRAPH <{graph}> {{ ?s <{nama}> ?o }} }}")
    assert not demo.sample_in_place(memory_repository, sample)


@pytest.mark.slow
def test_demo_reruns_without_duplicating_and_ends_serving(cli: Invoke, store: str,
                                                          tmp_path: Path) -> None:
    """The demo twice on one store: first `--no-serve` in-process, then the whole command
    as a user runs it, which must leave every graph as the first run did and then serve."""
    from spbe_arch.settings import get_settings

    reports = tmp_path / "laporan"
    env = {**os.environ, "SPBE_TOKENS_FILE": str(tmp_path / "tokens.json"),
           "SPBE_REPORTS_DIR": str(reports)}
    os.environ["SPBE_REPORTS_DIR"] = str(reports)
    get_settings.cache_clear()
    try:
        first = cli("demo", "--no-serve", "--store", store)
    finally:
        del os.environ["SPBE_REPORTS_DIR"]
        get_settings.cache_clear()
    assert first.exit_code == 0, first.output
    assert "Kota Probolinggo" in first.stderr and "Demo selesai" in first.stdout
    assert any(p.suffix == ".pdf" for p in (reports / "sop").iterdir())
    with open_repository(store) as repository:
        before = repository.stats().triples_per_graph
    del repository
    assert before[str(iris.instansi_graph("3574"))] > 0

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "spbe_arch", "demo", "--store", store, "--port", str(port)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    try:
        # generous: the steps before serving render PDFs, and CI machines are shared
        deadline = time.monotonic() + 900
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"demo exited with {process.returncode} before serving:\n{output}")
            try:
                answer = sparql_json(port, "SELECT ?g (COUNT(*) AS ?n)"
                                           " WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        after = {b["g"]["value"]: int(b["n"]["value"]) for b in answer["results"]["bindings"]}
        trail = str(iris.provenance_graph())
        assert {g: n for g, n in after.items() if g != trail} == {
            g: n for g, n in before.items() if g != trail}
        # the rerun reloaded the base data, a write, and so on record; nothing else was new
        assert after[trail] > before[trail]
        loads = sparql_json(port, "SELECT ?l WHERE { GRAPH <" + trail + "> { ?a"
                                  " <http://www.w3.org/2000/01/rdf-schema#label> ?l } }")
        labels = [b["l"]["value"] for b in loads["results"]["bindings"]]
        assert len([x for x in labels if x.startswith("Muat data dasar")]) == 2
        assert len([x for x in labels if x.startswith("Muat data contoh")]) == 1
        processes = sparql_json(port, "SELECT (COUNT(?p) AS ?n) WHERE { ?p a"
                                      " <https://w3id.org/spbe-arch/ontology#ProsesBisnis> }")
        assert int(processes["results"]["bindings"][0]["n"]["value"]) > 0
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
