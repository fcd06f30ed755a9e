"""`spbe-arch validate`: files and repositories, every output format, exit codes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from rdflib import Graph
from tests.validation.faults import Builder, all_faults, clean

from spbe_arch import datasets, iris
from spbe_arch.repository import LoadSource, open_repository
from spbe_arch.validation import latest_report


def write_files(tmp_path: Path, *builders: Builder) -> list[str]:
    """The builders' data plus ontology and references, as files (what a user's git holds)."""
    paths = []
    for builder in builders:
        path = tmp_path / f"instansi-{builder.kode}.ttl"
        path.write_text(builder.graph.serialize(format="turtle"), encoding="utf-8")
        paths.append(str(path))
    paths += [str(p) for p in datasets.ontology_files()]
    for directory in datasets.reference_dirs():
        paths += [str(p) for p in sorted(directory.glob("*.ttl"))]
    return paths


def test_clean_files_conform(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("validate", *write_files(tmp_path, clean()))
    assert result.exit_code == 0, result.output
    assert "Ringkasan: 0 pelanggaran" in result.stdout


def test_faulty_files_json(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("validate", "--format", "json", "--lang", "en",
                 *write_files(tmp_path, clean(), all_faults()))
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"conforms", "results"} and data["conforms"] is False
    first = data["results"][0]
    assert set(first) == {"focusNode", "resultPath", "value", "sourceShape",
                          "sourceConstraintComponent", "severity", "message"}
    assert first["focusNode"].startswith("https://w3id.org/spbe-arch/id/")
    assert first["sourceConstraintComponent"].startswith("http://www.w3.org/ns/shacl#")
    assert all(r["message"] for r in data["results"])
    assert {r["severity"].rsplit("#", 1)[1] for r in data["results"]} == {
        "Violation", "Warning", "Info"}


def test_severity_filter_and_formats(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    files = write_files(tmp_path, clean(), all_faults())
    only_violations = json.loads(cli("validate", "--format", "json", "--severity", "violation",
                                     *files).stdout)
    assert {r["severity"] for r in only_violations["results"]} == {
        "http://www.w3.org/ns/shacl#Violation"}
    turtle = cli("validate", "--format", "turtle", *files)
    assert turtle.exit_code == 1
    graph = Graph().parse(data=turtle.stdout, format="turtle")
    assert len(list(graph.subjects(predicate=None, object=None))) > 100
    junit = cli("validate", "--format", "junit", *files)
    suite = ET.fromstring(junit.stdout).find("testsuite")
    assert suite is not None and int(suite.get("failures", "0")) > 10
    table = cli("validate", "--lang", "en", *files)
    assert "Summary:" in table.stdout and "does not conform" in table.stdout
    assert "OPD " in table.stdout


def test_usage_and_input_errors_exit_2(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    broken = cli("validate", str(bad))
    assert broken.exit_code == 2 and "bad.ttl" in broken.stderr
    missing = cli("validate", str(tmp_path / "nope.ttl"))
    assert missing.exit_code == 2 and "nope.ttl" in missing.stderr
    assert cli("validate", "--format", "csv", str(bad)).exit_code == 2
    store_needs_instansi = cli("validate", "--store")
    assert store_needs_instansi.exit_code == 2 and "--instansi" in store_needs_instansi.stderr


def test_extra_shapes_folder(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """An instansi's own rule, from a folder, validated the same way (and explained)."""
    rules = tmp_path / "aturan"
    rules.mkdir()
    (rules / "lokal.ttl").write_text("""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix spbe: <https://w3id.org/spbe-arch/ontology#> .
        <urn:aturan:UraianWajib> a sh:NodeShape ; sh:targetClass spbe:Layanan ;
            sh:property [ sh:path spbe:uraian ; sh:minCount 1 ; sh:severity sh:Warning ;
                          sh:message "Uraian layanan wajib"@id ] .
        <urn:aturan:TanpaKesamaan> a sh:NodeShape ; sh:targetClass spbe:Layanan ;
            sh:property [ sh:path spbe:nama ; sh:uniqueLang true ] .
        """, encoding="utf-8")
    files = write_files(tmp_path, clean())
    result = cli("validate", "--shapes", str(rules), "--explain", "--format", "json", *files)
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)["results"]
    assert found and all(r["message"] == "Uraian layanan wajib" for r in found)
    assert all(r["severity"].endswith("#Warning") for r in found)
    # the rule using sh:uniqueLang is not on the fast path: pySHACL ran it, and --explain says so
    assert "urn:aturan:TanpaKesamaan" in result.stderr and "pyshacl" in result.stderr


def test_repository_store_and_latest(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = f"oxigraph:{tmp_path / 'store'}"
    repository = open_repository(store)
    faulty = all_faults()
    repository.load([*datasets.base_sources(), LoadSource(
        faulty.graph.serialize(format="nt", encoding="utf-8"), "ntriples",
        iris.instansi_graph(faulty.kode), "faults")])
    repository.close()
    result = cli("--store", store, "validate", "--instansi", faulty.kode, "--store",
                 "--format", "json")
    assert result.exit_code == 1, result.output
    shown = json.loads(result.stdout)["results"]
    # the faulty graph also holds the small instansi 9903 (see faults.all_faults)
    assert all("/id/9902" in r["focusNode"] or "/id/9903" in r["focusNode"] for r in shown)
    repository = open_repository(store)
    try:
        stored = latest_report(repository, faulty.kode)
        assert stored is not None and len(stored.results) == len(shown)
    finally:
        repository.close()
    by_opd = cli("--store", store, "validate", "--instansi", faulty.kode, "--opd", "KMNX",
                 "--format", "json")
    assert {r["focusNode"] for r in json.loads(by_opd.stdout)["results"]} == {
        f"https://w3id.org/spbe-arch/id/{faulty.kode}/keamanan/KMNX-K1"}
    # while a server holds the store, validating only reads and still works; storing cannot
    with open_repository(store):
        beside = cli("--store", store, "validate", "--instansi", faulty.kode, "--format", "json")
        assert beside.exit_code == 1 and json.loads(beside.stdout)["results"], beside.output
        refused = cli("--store", store, "validate", "--instansi", faulty.kode, "--store")
        assert refused.exit_code == 2 and "sedang dipakai proses lain" in refused.stderr
        assert "validate tanpa --store) tetap bisa" in " ".join(refused.stderr.split())
