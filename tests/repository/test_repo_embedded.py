"""The embedded store under faults: kill -9 during a load, two processes, read-only use."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.term import Literal, URIRef
from repo_helpers import G1, G2, ex, sample_triples, serialize, snapshot, spbe

from spbe_arch.errors import InputError, StoreUnavailableError
from spbe_arch.repository import ChangeSet, LoadSource, open_repository
from spbe_arch.repository.oxigraph import JOURNAL_DIR, OxigraphRepository

BIG_GRAPH = URIRef("http://example.org/spbe-test/graph/besar")


def raw_dump(path: Path) -> list[str]:
    """Every quad of a store directory, read directly (no journal handling), sorted."""
    store = ox.Store.read_only(str(path))
    lines = sorted(str(q) for q in store)
    del store
    return lines


def write_big_nquads(path: Path, quads: int, name: str = "besar") -> None:
    graphs = [f"<http://example.org/spbe-test/graph/{name}{i}>" for i in range(8)]
    with path.open("w", encoding="utf-8") as out:
        for i in range(quads):
            out.write(f"<http://example.org/s/{i // 10}> <http://example.org/p/{i % 10}>"
                      f' "nilai {i}" {graphs[i % len(graphs)]} .\n')


def seeded_store(path: Path) -> list[str]:
    """A store with some data (IRIs and literals only, so dumps compare exactly)."""
    repository = OxigraphRepository(path)
    for i, graph in enumerate((G1, G2, URIRef("http://example.org/spbe-test/graph/besar3"))):
        repository.apply(ChangeSet(add=[(ex(f"lama/{i}/{n}"), spbe("nama"), Literal(f"lama {n}"),
                                         graph) for n in range(200)]))
    repository.close()
    return raw_dump(path)


LOADER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from spbe_arch.repository import LoadSource
    from spbe_arch.repository.oxigraph import OxigraphRepository
    repository = OxigraphRepository(Path(sys.argv[1]))
    repository.load([LoadSource(Path(sys.argv[2]), "nquads", None, "pertama.nq"),
                     LoadSource(Path(sys.argv[3]), "nquads", None, "kedua.nq")],
                    replace=sys.argv[4] == "replace")
    repository.close()
    print("selesai", flush=True)
""")


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["merge", "replace"])
def test_kill_9_during_a_large_load_leaves_the_store_as_before(tmp_path: Path,
                                                              mode: str) -> None:
    store = tmp_path / "store"
    before = seeded_store(store)  # has a graph `besar3`, which the load replaces or extends
    first, second = tmp_path / "pertama.nq", tmp_path / "kedua.nq"
    write_big_nquads(first, 20_000, "besar")
    write_big_nquads(second, 200_000, "lain")
    journal = store / JOURNAL_DIR / "journal.json"
    graph_log = store / JOURNAL_DIR / "graphs.nq"
    process = subprocess.Popen(
        [sys.executable, "-c", LOADER, str(store), str(first), str(second), mode],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # kill once the second file is being read: the first one is then on disk already
    deadline = time.monotonic() + 120
    while not (graph_log.exists() and "graph/lain" in graph_log.read_text()):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the load never reached the second file"
        time.sleep(0.002)
    assert process.poll() is None, "the load finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert journal.exists()  # killed in the middle: the journal of the load is still there
    assert raw_dump(store) != before  # part of the load is on disk: recovery has work to do

    # a reader while the load is unfinished sees the store as it was before the load
    reader = OxigraphRepository(store, read_only=True)
    assert reader.reading_checkpoint
    assert sorted(str(q) for q in reader.store) == before
    reader.close()

    # opening for writing finishes the job: the store is exactly as before the load
    repository = OxigraphRepository(store)
    assert not (store / JOURNAL_DIR).exists()
    repository.close()
    assert raw_dump(store) == before


HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from spbe_arch.repository.oxigraph import OxigraphRepository
    repository = OxigraphRepository(Path(sys.argv[1]))
    print("siap", flush=True)
    time.sleep(120)
""")


@pytest.mark.slow
def test_a_second_writer_is_refused_quickly_and_readers_still_read(tmp_path: Path) -> None:
    store = tmp_path / "store"
    repository = OxigraphRepository(store)
    repository.load([LoadSource(serialize(sample_triples("a"), "turtle"), "turtle", G1, "a.ttl")])
    repository.close()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(store)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == b"siap"
        started = time.monotonic()
        with pytest.raises(StoreUnavailableError) as caught:
            open_repository(f"oxigraph:{store}")
        assert time.monotonic() - started < 5
        assert "in use by another process" in caught.value.message("en")
        assert "sedang dipakai proses lain" in caught.value.message("id")

        reader = open_repository(f"oxigraph:{store}", read_only=True)
        kode = reader.select(f"SELECT ?k WHERE {{ ?p a <{spbe('ProsesBisnis')}> ;"
                             f" <{spbe('kode')}> ?k }}")
        assert kode.column("k") == [Literal("PB.a.01")]
        with pytest.raises(StoreUnavailableError, match=r"read-only|hanya-baca"):
            reader.apply(ChangeSet(add=[(ex("x"), spbe("nama"), Literal("x"), G1)]))
        with pytest.raises(StoreUnavailableError):
            reader.load([LoadSource(b"", "turtle", G1, "kosong.ttl")])
        reader.close()
    finally:
        holder.kill()
        holder.wait(timeout=30)
    # once the holder is gone the store opens for writing again
    open_repository(f"oxigraph:{store}").close()


def test_close_releases_the_store_for_the_same_process(tmp_path: Path) -> None:
    first = OxigraphRepository(tmp_path / "store")
    with pytest.raises(StoreUnavailableError):
        OxigraphRepository(tmp_path / "store")
    first.close()
    second = OxigraphRepository(tmp_path / "store")
    second.close()
    with pytest.raises(StoreUnavailableError, match=r"closed|ditutup"):
        second.graph_names()


def test_read_only_open_of_a_missing_store_says_so(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailableError, match="init"):
        open_repository(f"oxigraph:{tmp_path / 'tidak-ada'}", read_only=True)


def test_an_interrupted_checkpoint_is_cleaned_up(tmp_path: Path) -> None:
    """Killed while the checkpoint was being taken: nothing was written, leftovers go."""
    store = tmp_path / "store"
    before = seeded_store(store)
    (store / JOURNAL_DIR / "checkpoint").mkdir(parents=True)
    OxigraphRepository(store).close()
    assert not (store / JOURNAL_DIR).exists()
    assert raw_dump(store) == before


def test_bulk_load_error_after_earlier_files_rolls_back(tmp_path: Path) -> None:
    """The bulk path writes as it parses, so a late syntax error must undo earlier files."""
    store = tmp_path / "store"
    before = seeded_store(store)
    good = tmp_path / "baik.nq"
    write_big_nquads(good, 5_000)
    repository = OxigraphRepository(store, bulk_threshold_bytes=0)
    broken = b'<http://example.org/a> <http://example.org/b> "x" .\n<http://a> <http://b> .\n'
    for replace in (False, True):
        with pytest.raises(InputError) as caught:
            repository.load([LoadSource(good, "nquads", None, "baik.nq"),
                             LoadSource(serialize(sample_triples(), "turtle"), "turtle", G1,
                                        "satu.ttl"),
                             LoadSource(broken, "ntriples", G2, "rusak.nt")], replace=replace)
        assert caught.value.location is not None
        assert (caught.value.location.file, caught.value.location.line) == ("rusak.nt", 2)
        assert not (store / JOURNAL_DIR).exists()
    del caught  # its traceback holds the store open (background compaction would race)
    repository.close()
    gc.collect()
    assert raw_dump(store) == before


def test_a_large_change_set_takes_the_journal_and_is_applied_exactly(tmp_path: Path) -> None:
    store = tmp_path / "store"
    seeded_store(store)
    repository = OxigraphRepository(store, bulk_apply_quads=100)
    removed = [(ex(f"lama/0/{n}"), spbe("nama"), Literal(f"lama {n}"), G1) for n in range(50)]
    added = [(ex(f"baru/{n}"), spbe("nama"), Literal(f"baru {n}"), BIG_GRAPH) for n in range(500)]
    repository.apply(ChangeSet(add=added, remove=removed, clear_graphs=[G2]))
    assert not (store / JOURNAL_DIR).exists()
    assert len(list(repository.quads(BIG_GRAPH))) == 500
    assert len(list(repository.quads(G1))) == 150
    assert list(repository.quads(G2)) == []
    repository.close()


def test_a_large_change_set_that_fails_midway_leaves_the_store_as_before(
        tmp_path: Path) -> None:
    """The additions stream through the bulk loader after the removals were committed: a
    failure on the 301st quad must put back the removals and drop the first 300."""
    store = tmp_path / "store"
    before = seeded_store(store)
    repository = OxigraphRepository(store, bulk_apply_quads=100)
    removed = [(ex(f"lama/1/{n}"), spbe("nama"), Literal(f"lama {n}"), G2) for n in range(50)]
    added: list = [(ex(f"baru/{n}"), spbe("nama"), Literal(f"baru {n}"), G1) for n in range(300)]
    added.append((ex("rusak"), spbe("nama"), object(), G1))  # not an RDF term
    with pytest.raises(TypeError):
        repository.apply(ChangeSet(add=added, remove=removed))
    assert not (store / JOURNAL_DIR).exists()
    repository.close()
    gc.collect()
    assert raw_dump(store) == before


RDF_XML_HEAD = (b'<?xml version="1.0"?>\n'
                b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n')
BROKEN = {
    "turtle": (b'@prefix ex: <http://example.org/> .\nex:a ex:b "x" .\nex:a ex:b ex:c ex:d .\n',
               3),
    "ntriples": (b'<http://a> <http://b> <http://c> .\n<http://a> <http://b> "tanpa akhir\n', 2),
    "nquads": (b'<http://a> <http://b> "x" <http://g> .\n\n'
               b'<http://a> <http://b> "x" <http://g> <h> .\n', 3),
    "trig": (b"<http://g> {\n  <http://a> <http://b> <http://c> .\n  <http://a> <http://b>\n}\n",
             4),
    "jsonld": (b'{\n  "@id": "http://a",\n  "http://b": "c",\n  "x": \n}\n', 5),
    "rdfxml": (RDF_XML_HEAD + b'  <rdf:Description rdf:about="http://a">\n    <foo>\n'
               b"  </rdf:Description>\n</rdf:RDF>\n", 5),
}


@pytest.mark.parametrize("fmt", sorted(BROKEN))
def test_syntax_errors_name_file_line_and_column_in_every_format(fmt: str) -> None:
    data, line = BROKEN[fmt]
    repository = open_repository("memory:")
    with pytest.raises(InputError) as caught:
        repository.load([LoadSource(data, fmt, G1, f"rusak.{fmt}")])
    location = caught.value.location
    assert location is not None
    assert location.file == f"rusak.{fmt}"
    assert location.line == line
    assert location.column is not None and location.column >= 1
    assert snapshot(repository) == {}
