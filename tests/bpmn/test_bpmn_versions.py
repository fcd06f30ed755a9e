"""Re-importing a newer version replaces the model and keeps the history."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

from spbe_arch.audit import _ntriples
from spbe_arch.importers.bpmn.service import (
    import_bpmn,
    list_models,
    model_history,
    model_version_graph,
    parse_change_record,
)
from spbe_arch.repository import Repository
from spbe_arch.vocab import SPBE


def test_new_version_replaces_and_history_is_kept(fixtures_dir: Path,
                                                  memory_repository: Repository) -> None:
    data = (fixtures_dir / "bizagi" / "A.1.0-roundtrip.bpmn").read_bytes()
    first = import_bpmn(memory_repository, data, file_name="akta.bpmn", kode_wilayah="3574",
                        agent="budi")
    assert (first.version, first.previous_version) == (1, None)
    same = import_bpmn(memory_repository, data, file_name="akta.bpmn", kode_wilayah="3574",
                       agent="budi")
    assert same.unchanged and same.version == 1 and same.activity is None

    changed = data.replace(b'name="Task 1"', b'name="Verifikasi berkas"')
    assert changed != data
    second = import_bpmn(memory_repository, changed, file_name="akta.bpmn",
                         kode_wilayah="3574", agent="sari")
    assert (second.version, second.previous_version) == (2, 1)
    assert second.graph == first.graph

    names = {str(r["n"]) for r in memory_repository.select(
        "SELECT ?n WHERE { GRAPH ?g { ?t a <https://w3id.org/spbe-arch/bpmn#Task> ;"
        " <https://w3id.org/spbe-arch/bpmn#name> ?n } }", {"g": second.graph})}
    assert "Verifikasi berkas" in names and "Task 1" not in names
    assert len(list_models(memory_repository)) == 1  # one model, not two versions of it

    history = model_history(memory_repository, "akta")
    assert [(v.number, v.agent) for v in history] == [(1, "budi"), (2, "sari")]
    assert history[0].sha256 != history[1].sha256
    old = model_version_graph(memory_repository, "akta", 1)
    assert (None, None, Literal("Task 1")) in old
    assert isomorphic(model_version_graph(memory_repository, "akta", 2),
                      memory_repository.graph(second.graph))


def test_proses_link_is_kept_when_reimported_without_proses(
        fixtures_dir: Path, memory_repository: Repository) -> None:
    from spbe_arch import iris
    from spbe_arch.repository import ChangeSet

    proses = iris.element_iri("3574", "proses-bisnis", "PB.01")
    graph = iris.instansi_graph("3574")
    memory_repository.apply(ChangeSet(add=[
        (proses, SPBE.kode, Literal("PB.01"), graph),
        (proses, SPBE.instansi, iris.instansi_iri("3574"), graph),
        (proses, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), SPBE.ProsesBisnis,
         graph),
    ]))
    data = (fixtures_dir / "miwg-reference" / "A.1.0.bpmn").read_bytes()
    first = import_bpmn(memory_repository, data, file_name="a.bpmn", kode_wilayah="3574",
                        proses="PB.01")
    assert first.proses == proses
    second = import_bpmn(memory_repository, data + b"\n", file_name="a.bpmn",
                         kode_wilayah="3574")
    assert second.version == 2 and second.proses == proses
    assert memory_repository.ask(
        "ASK WHERE { GRAPH ?g { ?m a ?cls ; ?merinci ?p } }",
        {"g": second.graph, "cls": SPBE.ModelBPMN, "merinci": SPBE.merinci, "p": proses})


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_audit_records_read_back(text: str) -> None:
    quad = (URIRef("urn:s"), URIRef("urn:p"), Literal(text), URIRef("urn:g"))
    other = (URIRef("urn:s"), URIRef("urn:q"), Literal(3), URIRef("urn:g"))
    assert parse_change_record("\n".join(_ntriples([quad, other]))) == sorted(
        [quad, other], key=lambda q: _ntriples([q]))


def test_unreadable_audit_record() -> None:
    with pytest.raises(ValueError):
        parse_change_record("<urn:s> <urn:p>")


@pytest.mark.parametrize("body_type", ["Instansi", "PemerintahDaerah"])
def test_a_mistyped_instansi_is_noticed_however_the_bodies_are_typed(
        fixtures_dir: Path, memory_repository: Repository, body_type: str) -> None:
    # hand-written data often types a body with the subclass alone
    memory_repository.update(
        "PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>\n"
        "INSERT DATA { GRAPH <https://w3id.org/spbe-arch/graph/instansi/3574> {"
        f" <https://w3id.org/spbe-arch/id/3574> a spbe:{body_type} }} }}")
    data = (fixtures_dir / "bizagi" / "A.1.0-roundtrip.bpmn").read_bytes()
    own = import_bpmn(memory_repository, data, file_name="akta.bpmn", kode_wilayah="3574",
                      agent="budi")
    assert not [n for n in own.notices if "--instansi" in n.message("id")]
    mistyped = import_bpmn(memory_repository, data, file_name="akta.bpmn",
                           kode_wilayah="3547", agent="budi")
    assert [n.message("id") for n in mistyped.notices if "--instansi" in n.message("id")] == [
        "instansi 3547 belum ada di repositori (ada instansi lain); model disimpan di bawah"
        " kode itu — periksa --instansi"]
