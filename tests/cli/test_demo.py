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
from collections.abc import Iterator
from pathlib import Path

import pytest

from spbe_arch import demo
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


@pytest.fixture
def reports_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Documents the demo writes go to a temporary folder, not ./laporan."""
    from spbe_arch.settings import get_settings

    folder = tmp_path / "laporan"
    monkeypatch.setenv("SPBE_REPORTS_DIR", str(folder))
    get_settings.cache_clear()
    yield folder
    monkeypatch.delenv("SPBE_REPORTS_DIR")
    get_settings.cache_clear()


@pytest.mark.slow
def test_demo_can_run_twice_without_duplicating(cli: Invoke, store: str,
                                                reports_dir: Path) -> None:
    first = cli("demo", "--no-serve", "--store", store)
    assert first.exit_code == 0, first.output
    assert "Kota Probolinggo" in first.stderr and "Demo selesai" in first.stdout
    with open_repository(store) as repository:
        before = repository.stats()
    del repository
    second = cli("--store", store, "demo", "--no-serve")
    assert second.exit_code == 0, second.output
    with open_repository(store) as repository:
        after = repository.stats()
    assert after.triples_per_graph == before.triples_per_graph
    assert after.entities_per_class == before.entities_per_class
    assert before.entities_per_class["https://w3id.org/spbe-arch/ontology#ProsesBisnis"] > 0
    assert sorted(p.suffix for p in (reports_dir / "sop").iterdir()).count(".pdf") >= 1


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
def test_demo_ends_by_serving_the_demo_data(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "SPBE_TOKENS_FILE": str(tmp_path / "tokens.json"),
           "SPBE_REPORTS_DIR": str(tmp_path / "laporan")}
    process = subprocess.Popen(
        [sys.executable, "-m", "spbe_arch", "demo", "--store", "memory:", "--port", str(port)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    query = ("SELECT (COUNT(?p) AS ?n) WHERE { ?p a"
             " <https://w3id.org/spbe-arch/ontology#ProsesBisnis> }")
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.stdout.read().decode() if process.stdout \
                else "demo exited"
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    answer = json.load(response)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        count = int(answer["results"]["bindings"][0]["n"]["value"])
        assert count > 0
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
