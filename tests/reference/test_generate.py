"""The committed reference schemes are exactly what the generator makes from the JSON lists."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, SKOS, Graph, Literal, URIRef

from spbe_arch import iris
from spbe_arch.errors import InputError, InputProblems
from spbe_arch.reference import generate
from spbe_arch.vocab import DCT, SPBE

VERSION = "Perpres 132/2022"
# Counts measured on the source files (data/reference/source/perpres-132-2022/README.md).
EXPECTED_COUNTS = {
    "RAB": {1: 9, 2: 45, 3: 304},
    "RAL": {1: 2, 2: 53, 3: 302},
    "RAD": {1: 10, 2: 49, 3: 305},
}


def _entries(source_dir: Path, spec: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    (scheme,) = [s for s in spec["schemes"] if s["prefix"] == prefix]
    data: list[dict[str, Any]] = json.loads((source_dir / scheme["file"]).read_text("utf-8"))
    return data


def test_regenerating_gives_the_committed_files_byte_for_byte(output_dir: Path) -> None:
    rendered = generate.render_all()
    assert rendered, "no version folder found"
    for rel, text in rendered.items():
        committed = (generate.output_root() / rel).read_bytes()
        assert committed == text.encode("utf-8"), f"{rel} is stale: run the generator"
    assert generate.generate(check=True) == []
    assert generate.main(["--check"]) == 0


def test_rendering_is_deterministic(source_dir: Path) -> None:
    version = generate.read_version(source_dir)
    assert generate.render_version(version) == generate.render_version(
        generate.read_version(source_dir))


@pytest.mark.parametrize("prefix", ["RAB", "RAL", "RAD"])
def test_counts_per_level_equal_the_source(reference_graphs: dict[str, Graph], source_dir: Path,
                                           version_spec: dict[str, Any], prefix: str) -> None:
    graph = reference_graphs[prefix]
    entries = _entries(source_dir, version_spec, prefix)
    source_counts = Counter(e["level"] for e in entries)
    assert dict(source_counts) == EXPECTED_COUNTS[prefix]
    levels = Counter(int(graph.value(c, SPBE.level))  # type: ignore[arg-type]
                     for c in graph.subjects(RDF.type, SKOS.Concept))
    assert levels == source_counts
    assert len(set(graph.subjects(RDF.type, SKOS.Concept))) == len(entries)


@pytest.mark.parametrize("prefix", generate.REFERENCE_PREFIXES)
def test_every_entry_verbatim(reference_graphs: dict[str, Graph], source_dir: Path,
                              version_spec: dict[str, Any], prefix: str) -> None:
    graph = reference_graphs[prefix]
    scheme = iris.reference_scheme_iri(VERSION, prefix)
    for entry in _entries(source_dir, version_spec, prefix):
        concept = iris.reference_concept_iri(VERSION, entry["code"])
        assert graph.value(concept, SKOS.notation) == Literal(entry["code"])
        assert set(graph.objects(concept, SKOS.prefLabel)) == {Literal(entry["name"], lang="id")}
        assert graph.value(concept, SPBE.level) == Literal(entry["level"])
        assert (concept, SKOS.inScheme, scheme) in graph
        broader = set(graph.objects(concept, SKOS.broader))
        if "parent" in entry:
            assert broader == {iris.reference_concept_iri(VERSION, entry["parent"])}
            assert (concept, SKOS.topConceptOf, scheme) not in graph
        else:
            assert not broader
            assert (concept, SKOS.topConceptOf, scheme) in graph
            assert (scheme, SKOS.hasTopConcept, concept) in graph


def test_typos_are_kept(reference_graphs: dict[str, Graph]) -> None:
    concept = iris.reference_concept_iri(VERSION, "RAB.04.01.04")
    assert reference_graphs["RAB"].value(concept, SKOS.prefLabel) == Literal(
        "Penge4olaan Pelayanan Kesehatan", lang="id")


@pytest.mark.parametrize("prefix", generate.REFERENCE_PREFIXES)
def test_broader_stays_in_scheme(reference_graphs: dict[str, Graph], prefix: str) -> None:
    graph = reference_graphs[prefix]
    scheme = iris.reference_scheme_iri(VERSION, prefix)
    for child, parent in graph.subject_objects(SKOS.broader):
        assert (parent, SKOS.inScheme, scheme) in graph, f"{child} -> {parent}"
        assert (parent, RDF.type, SKOS.Concept) in graph
        assert int(graph.value(parent, SPBE.level)) == int(  # type: ignore[arg-type]
            graph.value(child, SPBE.level)) - 1  # type: ignore[arg-type]


@pytest.mark.parametrize("prefix", generate.REFERENCE_PREFIXES)
def test_scheme_metadata(reference_graphs: dict[str, Graph], prefix: str) -> None:
    graph = reference_graphs[prefix]
    scheme = iris.reference_scheme_iri(VERSION, prefix)
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    assert graph.value(scheme, SPBE.jenisReferensi) == Literal(prefix)
    assert graph.value(scheme, SPBE.versiReferensi) == iris.reference_version_iri(VERSION)
    assert isinstance(graph.value(scheme, DCT.source), URIRef)
    assert {lit.language for lit in graph.objects(scheme, SKOS.prefLabel)} == {"id", "en"}
    assert {lit.language for lit in graph.objects(scheme, SKOS.editorialNote)} == {"id", "en"}


@pytest.mark.parametrize("prefix", generate.REFERENCE_PREFIXES)
def test_provisional_marking(reference_graphs: dict[str, Graph], prefix: str) -> None:
    graph = reference_graphs[prefix]
    provisional = prefix in ("RAA", "RAI", "RAK")
    scheme = iris.reference_scheme_iri(VERSION, prefix)
    assert graph.value(scheme, SPBE.provisional) == Literal(provisional)
    for concept in graph.subjects(RDF.type, SKOS.Concept):
        if provisional:
            assert graph.value(concept, SPBE.provisional) == Literal(True)
            notes = list(graph.objects(concept, SKOS.editorialNote))
            assert {n.language for n in notes} == {"id", "en"}  # type: ignore[union-attr]
            assert any("UNSURE" in n for n in notes)
        else:
            assert graph.value(concept, SPBE.provisional) is None


def test_version_resource(output_dir: Path) -> None:
    graph = Graph().parse(output_dir / "versi.ttl", format="turtle")
    version = iris.reference_version_iri(VERSION)
    assert (version, RDF.type, SPBE.VersiReferensi) in graph
    assert graph.value(version, SPBE.nama) == Literal(VERSION)
    assert set(graph.objects(version, DCT.hasPart)) == {
        iris.reference_scheme_iri(VERSION, p) for p in generate.REFERENCE_PREFIXES}


# --- bad input, side-by-side versions ---------------------------------------------------------

def _copy_source(source_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "source" / source_dir.name
    shutil.copytree(source_dir, target)
    return target


def _write_list(path: Path, entries: list[dict[str, Any]]) -> None:
    path.write_text(json.dumps(entries), encoding="utf-8")


def test_bad_lists_are_reported_with_their_place_and_nothing_is_written(
        source_dir: Path, tmp_path: Path) -> None:
    copy = _copy_source(source_dir, tmp_path)
    _write_list(copy / "rak-provisional.json", [
        {"code": "RAK.01", "name": "A", "level": 1},
        {"code": "RAK.01", "name": "B", "level": 1},
        {"code": "RAK.01.01", "name": "C", "level": 2, "parent": "RAK.09"},
        {"code": "RAK.01.01.01", "name": "D", "level": 3, "parent": "RAK.01"},
        {"code": "RAX.01", "name": "E", "level": 1},
    ])
    (copy / "raa-provisional.json").write_text("[{", encoding="utf-8")
    spec = json.loads((copy / "version.json").read_text("utf-8"))
    rab = next(s for s in spec["schemes"] if s["prefix"] == "RAB")
    (copy / rab["file"]).write_text((copy / rab["file"]).read_text("utf-8") + " ", "utf-8")
    output = tmp_path / "out"
    with pytest.raises(InputProblems) as info:
        generate.generate(copy.parent, output)
    messages = [p.message() for p in info.value.problems]
    english = [p.message("en") for p in info.value.problems]
    assert any("rak-provisional.json, RAK.01: kode ganda" in m for m in messages)
    assert any("RAK.01.01" in m and "induk RAK.09 tidak ada" in m for m in messages)
    assert any("RAK.01.01.01" in m and "parent RAK.01 has level 1, expected 2" in m
               for m in english)
    assert any("RAX.01" in m for m in messages)
    assert any("raa-provisional.json" in m and "JSON tidak sah" in m for m in messages)
    assert any("rab-reference.json" in m and "sha256" in m for m in messages)
    assert not output.exists()
    assert generate.main(["--source", str(copy.parent), "--output", str(output)]) == 2


def test_folder_must_match_version_slug(source_dir: Path, tmp_path: Path) -> None:
    copy = _copy_source(source_dir, tmp_path)
    copy = copy.rename(copy.parent / "other-name")
    with pytest.raises(InputError, match="perpres-132-2022"):
        generate.read_version(copy)


def test_another_version_lives_side_by_side(source_dir: Path, tmp_path: Path) -> None:
    first = _copy_source(source_dir, tmp_path)
    second = first.parent / "perpres-1-2030"
    shutil.copytree(first, second)
    spec = json.loads((second / "version.json").read_text("utf-8"))
    spec["version"] = "Perpres 1/2030"
    (second / "version.json").write_text(json.dumps(spec), encoding="utf-8")
    output = tmp_path / "out"
    written = generate.generate(first.parent, output)
    assert {p.parent.name for p in written} == {"perpres-132-2022", "perpres-1-2030"}
    graph = Graph().parse(output / "perpres-1-2030" / "rab.ttl", format="turtle")
    new = iris.reference_concept_iri("Perpres 1/2030", "RAB.09.03.02")
    assert str(new) == "https://w3id.org/spbe-arch/ref/perpres-1-2030/RAB.09.03.02"
    assert (new, SKOS.inScheme, iris.reference_scheme_iri("Perpres 1/2030", "RAB")) in graph
    assert (output / "perpres-132-2022" / "rab.ttl").read_bytes() == (
        generate.output_root() / "perpres-132-2022" / "rab.ttl").read_bytes()
    # a second run changes nothing; a generated file that is no longer produced is removed
    assert generate.generate(first.parent, output) == []
    (output / "perpres-1-2030" / "old.ttl").write_text(
        f"# {generate.GENERATED_MARK}\n", encoding="utf-8")
    (output / "perpres-1-2030" / "hand.ttl").write_text("# mine\n", encoding="utf-8")
    assert generate.generate(first.parent, output, check=True) == [
        output / "perpres-1-2030" / "old.ttl"]
    generate.generate(first.parent, output)
    assert not (output / "perpres-1-2030" / "old.ttl").exists()
    assert (output / "perpres-1-2030" / "hand.ttl").exists()
