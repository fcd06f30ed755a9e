"""Running the `spbe-arch` app in-process on throw-away stores."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from spbe_arch.cli import app

Invoke = Callable[..., Result]


@pytest.fixture
def store(tmp_path: Path) -> str:
    """An embedded on-disk store setting private to the test."""
    return f"oxigraph:{tmp_path / 'store'}"


SetEnv = Callable[..., None]


@pytest.fixture
def spbe_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[SetEnv]:
    """`spbe_env(SPBE_INSTANSI="3513")` sets `SPBE_*` variables for this test only. The
    settings are cached per process (`get_settings`): they are read again now and once the
    test is over, so neither an earlier test's settings nor this one's leak."""
    from spbe_arch.settings import get_settings

    def set_env(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    yield set_env
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def cli() -> Invoke:
    """`cli("--store", s, "stats")` runs the app and returns click's Result (stdout/stderr)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, catch_exceptions=True)

    return invoke


PROVENANCE = "https://w3id.org/spbe-arch/graph/provenance"


def restore_record_apart(before: Path, after: Path) -> tuple[bytes, list[str]]:
    """`after` (a dump made after restoring `before`) without the record of that restore,
    and the record's labels. The record is the activity labelled "Pemulihan dari cadangan…"
    in the provenance graph and its agent (new when no earlier record names it); every other
    quad of `after` must be one of `before`'s. For N-Quads the text is `after`'s own lines
    without the record's, so it can be compared with `before` byte for byte."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.N_QUADS if after.suffix == ".nq" else ox.RdfFormat.TRIG
    old = set(ox.parse(path=str(before), format=fmt))
    new = list(ox.parse(path=str(after), format=fmt))
    extra = [q for q in new if q not in old]
    assert all(isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == PROVENANCE
               for q in extra), extra
    subjects = {q.subject for q in extra}
    labels = [q.object.value for q in extra
              if q.predicate.value == "http://www.w3.org/2000/01/rdf-schema#label"
              and q.object.value.startswith("Pemulihan dari cadangan")]
    activities = {q.subject for q in extra if q.object.value in labels}
    agents = {q.object for q in extra if q.subject in activities
              and q.predicate.value == "http://www.w3.org/ns/prov#wasAssociatedWith"}
    assert subjects <= activities | agents, subjects
    if fmt != ox.RdfFormat.N_QUADS:
        return b"", labels
    dropped = {str(q) for q in extra}
    lines = after.read_bytes().splitlines(keepends=True)
    kept = [line for line in lines
            if str(next(iter(ox.parse(line, format=fmt)), "")) not in dropped]
    return b"".join(kept), labels
