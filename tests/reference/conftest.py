from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from spbe_arch.reference import generate

VERSION_SLUG = "perpres-132-2022"


@pytest.fixture(scope="session")
def source_dir() -> Path:
    return generate.source_root() / VERSION_SLUG


@pytest.fixture(scope="session")
def output_dir() -> Path:
    return generate.output_root() / VERSION_SLUG


@pytest.fixture(scope="session")
def version_spec(source_dir: Path) -> dict[str, Any]:
    spec: dict[str, Any] = json.loads((source_dir / "version.json").read_text(encoding="utf-8"))
    return spec


@pytest.fixture(scope="session")
def reference_graphs(output_dir: Path) -> dict[str, Graph]:
    """Prefix ('RAB', ...) -> the committed Turtle file parsed by rdflib."""
    graphs = {}
    for prefix in generate.REFERENCE_PREFIXES:
        graph = Graph()
        graph.parse(output_dir / f"{prefix.lower()}.ttl", format="turtle")
        graphs[prefix] = graph
    return graphs
