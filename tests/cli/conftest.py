"""Running the `spbe-arch` app in-process on throw-away stores."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from spbe_arch.cli import app

Invoke = Callable[..., Result]


@pytest.fixture
def store(tmp_path: Path) -> str:
    """An embedded on-disk store setting private to the test."""
    return f"oxigraph:{tmp_path / 'store'}"


@pytest.fixture
def cli() -> Invoke:
    """`cli("--store", s, "stats")` runs the app and returns click's Result (stdout/stderr)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, catch_exceptions=True)

    return invoke
