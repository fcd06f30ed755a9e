"""The demo's documents are written again when the repository, the templates or the code
that renders them change, and left alone otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.reports.conftest import UJI, uji_sources

from spbe_arch.reports import demo
from spbe_arch.repository import open_repository


def test_an_upgrade_of_the_rendering_code_renders_again(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    repository = open_repository("memory:")
    repository.load(uji_sources())
    code = tmp_path / "kode.py"
    code.write_text("VERSION = 1\n")
    monkeypatch.setattr(demo, "code_files", lambda: [code])
    monkeypatch.setattr(demo, "write_all_reports",
                        lambda repo, out, kode: _write_one(out))
    out = tmp_path / "laporan"
    out.mkdir()
    assert not demo.demo_step(repository, out, UJI).unchanged
    assert demo.demo_step(repository, out, UJI).unchanged  # nothing changed: left alone
    code.write_text("VERSION = 2\n")  # a new spbe-arch
    assert not demo.demo_step(repository, out, UJI).unchanged
    repository.close()


def test_the_fingerprint_covers_the_report_code() -> None:
    names = {path.name for path in demo.code_files()}
    assert {"builtin.py", "tables.py", "report.py", "elements.rq"} <= names


def _write_one(out: Path) -> demo.WrittenReports:
    written = demo.WrittenReports()
    path = out / "dokumen.md"
    path.write_text("isi")
    written.append(path)
    return written


def test_a_new_stored_validation_report_does_not_make_the_documents_stale() -> None:
    # every demo run stores a validation report under a new name; the documents validate
    # while they are made, so that alone must not re-render 150 documents
    from spbe_arch import iris
    from spbe_arch.repository import LoadSource
    from spbe_arch.validation import validate
    from spbe_arch.validation.service import store_report

    repository = open_repository("memory:")
    repository.load(uji_sources())
    before = demo.fingerprint(repository)
    store_report(repository, validate(repository, instansi=UJI), UJI)
    assert demo.fingerprint(repository) == before
    process = iris.element_iri(UJI, "proses-bisnis", "BAG-ORG.01")
    repository.load([LoadSource(
        f'<{process}> <https://w3id.org/spbe-arch/ontology#uraian> "baru" .'.encode(),
        "ntriples", iris.instansi_graph(UJI))])
    assert demo.fingerprint(repository) != before
    repository.close()


def test_reloading_the_same_ontology_keeps_the_fingerprint() -> None:
    # the demo reloads the ontology on every run; its blank nodes get new labels each time
    from spbe_arch.repository import LoadSource

    turtle = (b"@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
              b"<urn:p> <http://www.w3.org/2000/01/rdf-schema#domain> "
              b"[ owl:unionOf ( <urn:A> <urn:B> ) ] .\n")
    repository = open_repository("memory:")
    repository.load([LoadSource(turtle, "turtle", "urn:graph:ontologi")])
    before = demo.fingerprint(repository)
    repository.load([LoadSource(turtle, "turtle", "urn:graph:ontologi")], replace=True)
    assert demo.fingerprint(repository) == before
    repository.close()
