"""Rules over provisional lists (riset domain §2.6: RAA/RAI/RAK codes UNSURE) warn; they do
not turn an unverified list into a Violation, while the verified RAB list still does."""

from __future__ import annotations

from rdflib.term import Literal, URIRef
from tests.validation.conftest import repository_with
from tests.validation.faults import Builder, clean, ref

from spbe_arch.validation import validate
from spbe_arch.validation.shapes import ShapesGraph
from spbe_arch.vocab import SH, SPBE


def _results_for(builder: Builder, *shape_names: str) -> list[tuple[str, str, str]]:
    repository = repository_with(builder)
    try:
        report = validate(repository)
        return [(r.shape_name(), str(r.severity), str(r.message))
                for r in report.results if r.shape_name() in shape_names]
    finally:
        repository.close()


def test_a_code_outside_the_provisional_lists_is_a_warning() -> None:
    b = clean("9911")
    u = b.unit("PROV")
    b.set(u["aplikasi"], SPBE.klasifikasiRAA, ref("RAA.01.01.07"))
    b.set(u["infrastruktur"], SPBE.klasifikasiRAI, ref("RAI.04"))
    b.set(u["keamanan"], SPBE.klasifikasiRAK, ref("RAK.01.09"))
    names = [f"Elemen-klasifikasi{c}{suffix}" for c in ("RAA", "RAI", "RAK")
             for suffix in ("", "-dikenal")]
    found = _results_for(b, *names)
    assert sorted(name for name, _, _ in found) == [
        "Elemen-klasifikasiRAA-dikenal", "Elemen-klasifikasiRAI-dikenal",
        "Elemen-klasifikasiRAK-dikenal"]
    assert {severity for _, severity, _ in found} == {str(SH.Warning)}
    # the message says the list is provisional, not that the code breaks the regulation
    assert all("sementara" in message or "provisional" in message for _, _, message in found)


def test_two_codes_on_one_element_are_still_a_violation() -> None:
    b = clean("9912")
    u = b.unit("DUAK")
    b.add(u["aplikasi"], SPBE.klasifikasiRAA, ref("RAA.01.02"))
    found = _results_for(b, "Elemen-klasifikasiRAA", "Elemen-klasifikasiRAA-dikenal")
    assert [(name, severity) for name, severity, _ in found] == [
        ("Elemen-klasifikasiRAA", str(SH.Violation))]


def test_an_unknown_rab_code_stays_a_violation() -> None:
    b = clean("9913")
    u = b.unit("RABX")
    b.set(u["proses"], SPBE.klasifikasiRAB, ref("RAB.09.99.99"))
    found = _results_for(b, "ProsesBisnis-klasifikasiRAB")
    assert found and {severity for _, severity, _ in found} == {str(SH.Violation)}


def test_the_infrastructure_kind_list_is_not_called_official(shapes: ShapesGraph) -> None:
    """The 12 infrastructure kinds come from a secondary source (UNSURE, riset domain §3.2):
    the rule's message says so instead of naming them 'the SPBE infrastructure objects'."""
    node = URIRef("https://w3id.org/spbe-arch/shapes#Infrastruktur-jenis")
    messages = {m.language: str(m) for m in shapes.graph.objects(node, SH.message)
                if isinstance(m, Literal)}
    assert "belum diverifikasi" in messages["id"]
    assert "not verified" in messages["en"]
