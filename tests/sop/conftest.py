"""Fixtures for the SOP tests: the demo's three BPMN models imported and their SOPs derived,
and small hand-written models on a minimal instansi."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import RDF, Literal

from spbe_arch import iris
from spbe_arch.datasets import load_demo, sample_dir
from spbe_arch.importers.bpmn.service import import_bpmn, import_bpmn_file
from spbe_arch.repository import ChangeSet, Repository, open_repository
from spbe_arch.sop.service import DeriveResult, derive_sop
from spbe_arch.vocab import SPBE

SAMPLES = sample_dir() / "bpmn"
KODE = "3574"
OPD = iris.element_iri(KODE, "opd", "DISKOMINFO")
OTHER_OPD = iris.element_iri(KODE, "opd", "DISPENDUKCAPIL")


@dataclass
class SampleModel:
    file: Path
    proses: str
    sop: str


def sample_models() -> list[SampleModel]:
    entries = json.loads((SAMPLES / "models.json").read_text(encoding="utf-8"))["models"]
    return [SampleModel(SAMPLES / e["berkas"], e["proses"], e["sop"]) for e in entries]


@pytest.fixture(scope="session")
def derived() -> Iterator[tuple[Repository, dict[str, DeriveResult]]]:
    """The demo data with the three sample models imported and their SOPs derived
    (read-only use: shared by the session)."""
    repository = open_repository("memory:")
    load_demo(repository)
    results = {}
    for model in sample_models():
        import_bpmn_file(repository, model.file, kode_wilayah=KODE, proses=model.proses,
                         agent="uji")
        results[model.proses] = derive_sop(repository, proses=model.proses, kode_wilayah=KODE,
                                           kode=model.sop, agent="uji")
    yield repository, results
    repository.close()


def add_proses(repository: Repository, kode: str, owner: object = OPD) -> None:
    """A proses bisnis (and its OPD) on an otherwise empty store."""
    graph = iris.instansi_graph(KODE)
    proses = iris.element_iri(KODE, "proses-bisnis", kode)
    instansi = iris.instansi_iri(KODE)
    repository.apply(ChangeSet(add=[
        (instansi, SPBE.nama, Literal("Pemerintah Kota Contoh"), graph),
        (owner, RDF.type, SPBE.PerangkatDaerah, graph),  # type: ignore[list-item]
        (owner, SPBE.nama, Literal("Dinas Contoh"), graph),  # type: ignore[list-item]
        (proses, RDF.type, SPBE.ProsesBisnis, graph),
        (proses, SPBE.kode, Literal(kode), graph),
        (proses, SPBE.nama, Literal(f"Proses {kode}"), graph),
        (proses, SPBE.instansi, instansi, graph),
        (proses, SPBE.pemilik, owner, graph),  # type: ignore[list-item]
    ]))


def definitions(body: str, name: str = "Uji") -> bytes:
    """A BPMN 2.0 document (prefixed style) around `body`."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
        ' xmlns:bizagi="http://www.bizagi.com/bpmn20"'
        f' id="Defs" name="{name}" targetNamespace="urn:uji">\n{body}\n</bpmn:definitions>\n'
    ).encode()


@pytest.fixture
def model_repository(memory_repository: Repository) -> Repository:
    """An empty store with proses bisnis UJI.01 owned by an OPD."""
    add_proses(memory_repository, "UJI.01")
    return memory_repository


def derive_body(repository: Repository, body: str, **options: object) -> DeriveResult:
    """Import a process body as the model of UJI.01 and derive its SOP."""
    import_bpmn(repository, definitions(body), file_name="uji.bpmn", kode_wilayah=KODE,
                proses="UJI.01", agent="uji")
    return derive_sop(repository, proses="UJI.01", kode_wilayah=KODE, agent="uji",
                      **options)  # type: ignore[arg-type]
