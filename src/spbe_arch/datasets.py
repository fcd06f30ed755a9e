"""Where the project's data files are, and loading them into a repository.

Layout (fixed; every part of the product relies on it):
- `ontology/*.ttl` -> graph `…/graph/ontology`
- `shapes/*.ttl` -> graph `…/graph/shapes`
- `data/reference/<version-slug>/*.ttl` -> graph `…/graph/reference/<version-slug>`
- `data/evaluation/<name>.ttl` -> graph `…/graph/evaluation/<name>`
- `data/samples/<sample>/*.ttl` -> graph `…/graph/instansi/<kode wilayah>` (the sample's
  `sample.json` names its kode wilayah)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rdflib.term import URIRef

from spbe_arch import iris
from spbe_arch.errors import ConfigurationError
from spbe_arch.repository import LoadSource, Repository

DEMO_SAMPLE = "kota-probolinggo"


def project_root() -> Path:
    """The source tree the package runs from (installed with `pip install -e .`)."""
    root = Path(__file__).resolve().parents[2]
    if not (root / "ontology").is_dir():
        raise ConfigurationError(
            f"folder data proyek tidak ditemukan di {root}; pasang dengan `pip install -e .`"
            " dari salinan repositori spbe-arch",
            f"project data folders not found at {root}; install with `pip install -e .`"
            " from a checkout of spbe-arch",
        )
    return root


def ontology_files() -> list[Path]:
    return sorted((project_root() / "ontology").glob("*.ttl"))


def shapes_dir() -> Path:
    return project_root() / "shapes"


def shape_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or shapes_dir()).glob("*.ttl"))


def reference_dirs() -> list[Path]:
    """One folder per reference version, e.g. `data/reference/perpres-132-2022/`."""
    base = project_root() / "data" / "reference"
    return sorted(p for p in base.iterdir() if p.is_dir() and any(p.glob("*.ttl")))


def evaluation_files() -> list[Path]:
    """Evaluation frameworks and capability scales (`data/evaluation/*.ttl`)."""
    return sorted((project_root() / "data" / "evaluation").glob("*.ttl"))


def sample_dir(name: str = DEMO_SAMPLE) -> Path:
    return project_root() / "data" / "samples" / name


@dataclass
class SampleInfo:
    name: str
    kode_wilayah: str
    files: list[Path]


def sample_info(name: str = DEMO_SAMPLE) -> SampleInfo:
    directory = sample_dir(name)
    meta = json.loads((directory / "sample.json").read_text(encoding="utf-8"))
    return SampleInfo(name, str(meta["kode_wilayah"]), sorted(directory.glob("*.ttl")))


def _sources(files: list[Path], graph: URIRef) -> list[LoadSource]:
    return [LoadSource(path, "turtle", graph, str(path.relative_to(project_root())))
            for path in files]


def base_sources() -> list[LoadSource]:
    """Ontology, shapes and every reference version."""
    sources = _sources(ontology_files(), iris.ontology_graph())
    sources += _sources(shape_files(), iris.shapes_graph())
    for directory in reference_dirs():
        sources += _sources(sorted(directory.glob("*.ttl")),
                            URIRef(f"{iris.BASE}graph/reference/{directory.name}"))
    for path in evaluation_files():
        sources += _sources([path], iris.evaluation_graph(path.stem))
    return sources


def sample_sources(name: str = DEMO_SAMPLE) -> list[LoadSource]:
    info = sample_info(name)
    return _sources(info.files, iris.instansi_graph(info.kode_wilayah))


def load_demo(repository: Repository, name: str = DEMO_SAMPLE) -> int:
    """Load ontology, shapes, references and a sample, replacing those graphs (idempotent)."""
    return repository.load(base_sources() + sample_sources(name), replace=True)
