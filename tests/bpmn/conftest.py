"""Fixtures for the BPMN import tests."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bpmn"
SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples" / "kota-probolinggo" / "bpmn"
FIXTURE_FILES = sorted([*FIXTURES.glob("bizagi/*.bpmn"), *FIXTURES.glob("miwg-reference/*.bpmn")])
FIXTURE_FILES += sorted(SAMPLES.glob("*.bpmn"))  # the demo's own Bizagi-style models


@pytest.fixture(params=FIXTURE_FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def fixture_file(request: pytest.FixtureRequest) -> Path:
    """Each BPMN file of the MIWG suite, of Bizagi's MIWG exports and of the demo, in turn."""
    path: Path = request.param
    return path


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
