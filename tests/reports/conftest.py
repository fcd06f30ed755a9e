"""Fixtures of the report tests: three repositories and their rendered documents.

- `uji_repository`: the small fictional Kota Uji (`fixtures/kota-uji.ttl`) with a reference
  subset, the project's ontology and shapes;
- `demo_repository` (tests/conftest.py): Kota Probolinggo;
- `empty_repository`: nothing at all.

Rendering a document validates the repository; `documents` renders each report once per
repository (sharing the data and the findings, as `write_all_reports` does) and the tests
write the formats they need from those documents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from spbe_arch import datasets, iris
from spbe_arch.reports import Document, ReportParams, find_report
from spbe_arch.reports.rendering import render_document
from spbe_arch.repository import LoadSource, Repository, open_repository

FIXTURES = Path(__file__).with_name("fixtures")
UJI = "9901"
DEMO = "3574"
REPORT_NAMES = ("arsitektur", "opd", "validasi", "kesesuaian-referensi", "register-sop")
FORMATS = ("html", "pdf", "docx", "md")


def uji_sources() -> list[LoadSource]:
    ontology = [LoadSource(p, "turtle", iris.ontology_graph(), p.name)
                for p in datasets.ontology_files()]
    shapes = [LoadSource(p, "turtle", iris.shapes_graph(), p.name)
              for p in datasets.shape_files()]
    return [*ontology, *shapes,
            LoadSource(FIXTURES / "reference-subset.ttl", "turtle",
                       iris.reference_graph("Perpres 132/2022"), "reference-subset.ttl"),
            LoadSource(FIXTURES / "kota-uji.ttl", "turtle", iris.instansi_graph(UJI),
                       "kota-uji.ttl")]


@pytest.fixture(scope="session")
def uji_repository() -> Iterator[Repository]:
    repository = open_repository("memory:")
    repository.load(uji_sources())
    yield repository
    repository.close()


@pytest.fixture(scope="session")
def empty_repository() -> Iterator[Repository]:
    repository = open_repository("memory:")
    yield repository
    repository.close()


def first_opd(repository: Repository, instansi: str) -> str:
    data = ReportParams(instansi).architecture(repository)
    return data.opds[0].kode if data.opds else "TIDAK-ADA"


DocumentFactory = Callable[[str, str], Document]


@pytest.fixture(scope="session")
def documents(uji_repository: Repository, demo_repository: Repository,
              empty_repository: Repository) -> DocumentFactory:
    """`documents(repo_name, report_name)`: the rendered (not yet written) document, once."""
    repositories = {"uji": (uji_repository, UJI), "demo": (demo_repository, DEMO),
                    "empty": (empty_repository, DEMO)}
    shared: dict[str, dict[object, object]] = {name: {} for name in repositories}
    cache: dict[tuple[str, str], Document] = {}

    def get(repo_name: str, report: str) -> Document:
        key = (repo_name, report)
        if key not in cache:
            repository, instansi = repositories[repo_name]
            spec = find_report(report)
            opd = first_opd(repository, instansi) if spec.opd == "required" else None
            params = ReportParams(instansi, opd, "id", shared[repo_name])
            cache[key] = render_document(repository, spec, params)
        return cache[key]

    return get
