"""Codes outside the provisional RAA/RAI/RAK lists: the rules only warn about them, so the
model accepts them with a warning, stored under the IRI the code would have in the
reference version in force; RAB/RAL/RAD codes outside their official lists stay refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef
from rdflib.term import Literal
from tests.api.conftest import architecture_repository

from spbe_arch import iris
from spbe_arch.audit import apply_audited
from spbe_arch.errors import InputProblems
from spbe_arch.model import FieldProblem, get_entity, plan_upsert
from spbe_arch.model.values import CODE_PATTERN
from spbe_arch.repository import LoadSource, Repository
from spbe_arch.validation import validate
from spbe_arch.vocab import SH, SPBE

I = "3574"  # noqa: E741 - short on purpose, used in every call
VERSION = "Perpres 132/2022"
APLIKASI = {"kode": "DISKOMINFO.A02", "nama": "Aplikasi kepegawaian daerah",
            "pemilik": "DISKOMINFO", "jenisAplikasi": "AplikasiUmum"}


@pytest.fixture
def repo() -> Iterator[Repository]:
    repository = architecture_repository()
    yield repository
    repository.close()


def _apply(repo: Repository, plan: Any) -> None:
    apply_audited(repo, plan, agent="test", entities=plan.entities, label="test")


def _problems(excinfo: pytest.ExceptionInfo[InputProblems]) -> list[FieldProblem]:
    problems = excinfo.value.problems
    assert all(isinstance(p, FieldProblem) for p in problems)
    return problems  # type: ignore[return-value]


@pytest.mark.parametrize(("kind", "field", "code"), [
    ("aplikasi", "klasifikasiRAA", "RAA.07"),
    ("infrastruktur", "klasifikasiRAI", "RAI.09.01"),
    ("keamanan", "klasifikasiRAK", "RAK.01.99")])
def test_a_code_outside_a_provisional_list_is_stored_with_a_warning(
        repo: Repository, kind: str, field: str, code: str) -> None:
    record = {**APLIKASI, "kode": f"DISKOMINFO.{kind[:3].upper()}1", field: code}
    if kind != "aplikasi":
        record.pop("jenisAplikasi")
    plan = plan_upsert(repo, kind, [record], instansi=I)
    [warning] = plan.warnings
    assert warning.field == field and warning.warning
    for lang, word in (("id", "sementara"), ("en", "provisional")):
        assert code in warning.message(lang) and word in warning.message(lang)
        assert field in warning.message(lang)  # the location names the field
    _apply(repo, plan)
    subject = iris.element_iri(I, kind, record["kode"])
    stored_value = repo.graph(iris.instansi_graph(I)).value(subject, SPBE[field])
    assert stored_value == iris.reference_concept_iri(VERSION, code)
    # read back as the code that was written, so a record read can be written again as is
    stored = get_entity(repo, kind, record["kode"], instansi=I)
    assert stored is not None and stored[field] == code
    again = plan_upsert(repo, kind, [stored], instansi=I)
    assert again.is_empty() and [w.field for w in again.warnings] == [field]


def test_validation_shows_the_rules_warning_and_no_violation(repo: Repository) -> None:
    _apply(repo, plan_upsert(repo, "aplikasi", [{**APLIKASI, "klasifikasiRAA": "RAA.07"}],
                             instansi=I))
    focus = iris.element_iri(I, "aplikasi", APLIKASI["kode"])
    results = [r for r in validate(repo, instansi=I).results if r.focus_node == focus]
    found = [(r.shape_name(), r.severity) for r in results]
    assert ("Elemen-klasifikasiRAA-dikenal", SH.Warning) in found
    assert [name for name, severity in found if severity == SH.Violation] == []


def test_an_official_list_loaded_later_holds_the_stored_iri(repo: Repository,
                                                            tmp_path: Path) -> None:
    _apply(repo, plan_upsert(repo, "aplikasi", [{**APLIKASI, "klasifikasiRAA": "RAA.07"}],
                             instansi=I))
    concept = iris.reference_concept_iri(VERSION, "RAA.07")
    scheme = iris.reference_scheme_iri(VERSION, "RAA")
    official = tmp_path / "raa-resmi.ttl"
    official.write_text(
        f"<{concept}> a <http://www.w3.org/2004/02/skos/core#Concept> ;\n"
        f"  <http://www.w3.org/2004/02/skos/core#inScheme> <{scheme}> ;\n"
        '  <http://www.w3.org/2004/02/skos/core#notation> "RAA.07" ;\n'
        '  <http://www.w3.org/2004/02/skos/core#prefLabel> "Aplikasi Resmi"@id ;\n'
        f"  <{SPBE.level}> 1 .\n", encoding="utf-8")
    repo.load([LoadSource(official, "turtle", iris.reference_graph(VERSION), official.name)])
    focus = iris.element_iri(I, "aplikasi", APLIKASI["kode"])
    results = [r for r in validate(repo, instansi=I).results if r.focus_node == focus]
    assert "Elemen-klasifikasiRAA-dikenal" not in [r.shape_name() for r in results]
    plan = plan_upsert(repo, "aplikasi", [{**APLIKASI, "klasifikasiRAA": "RAA.07"}],
                       instansi=I)
    assert plan.is_empty() and plan.warnings == []


@pytest.mark.parametrize(("code", "said"), [
    ("RAA 07", "tanpa spasi"), ("RAI.07", "diawali 'RAA.'"), ("RAA.", "diawali 'RAA.'"),
    ("RAA.<07>", "tanpa spasi"), ("RAA.0\t7", "karakter kendali"),
    ("RAA." + "0" * 200, "terlalu panjang")])
def test_a_malformed_code_is_still_refused(repo: Repository, code: str, said: str) -> None:
    before = repo.export(None, "nquads")
    with pytest.raises(InputProblems) as info:
        plan_upsert(repo, "aplikasi", [{**APLIKASI, "klasifikasiRAA": code}], instansi=I)
    [problem] = _problems(info)
    assert problem.field == "klasifikasiRAA" and said in problem.message("id")
    assert repo.export(None, "nquads") == before


@pytest.mark.parametrize(("kind", "record"), [
    ("proses-bisnis", {"kode": "DISKOMINFO.09", "nama": "Proses baru", "pemilik": "DISKOMINFO",
                       "klasifikasiRAB": "RAB.01.01.99", "jenisProses": "ProsesUtama",
                       "statusProses": "AsIs"}),
    ("layanan", {"kode": "DISKOMINFO.L09", "nama": "Layanan baru",
                 "unitPelaksana": "DISKOMINFO", "klasifikasiRAL": "RAL.01.09.99"}),
    ("data", {"kode": "DISKOMINFO.D09", "nama": "Data baru", "waliData": "DISKOMINFO",
              "klasifikasiRAD": "RAD.99.01"})])
def test_an_unknown_code_of_an_official_list_is_still_refused(
        repo: Repository, kind: str, record: dict[str, Any]) -> None:
    field = next(k for k in record if k.startswith("klasifikasi"))
    with pytest.raises(InputProblems) as info:
        plan_upsert(repo, kind, [record], instansi=I)
    [problem] = [p for p in _problems(info) if p.field == field]
    assert problem.message("id").endswith(f"'{record[field]}' tidak ada dalam"
                                          f" {problem.message('id').rsplit(' dalam ', 1)[1]}")
    assert not problem.warning and "sementara" not in problem.message("id")


def test_lenient_normalisation_wins_over_outside_the_list(repo: Repository) -> None:
    plan = plan_upsert(repo, "aplikasi", [{**APLIKASI, "klasifikasiRAA": "raa .01"}],
                       instansi=I, lenient_codes=True)
    [warning] = plan.warnings  # taken as the known RAA.01: nothing about the list
    assert "'RAA.01'" in warning.message("en") and "provisional" not in warning.message("en")
    plan = plan_upsert(repo, "aplikasi", [{**APLIKASI, "klasifikasiRAA": "raa .07"}],
                       instansi=I, lenient_codes=True)
    assert ["taken as 'RAA.07'" in w.message("en") for w in plan.warnings] == [True, False]
    assert "provisional" in plan.warnings[1].message("en")
    _apply(repo, plan)
    stored = get_entity(repo, "aplikasi", APLIKASI["kode"], instansi=I)
    assert stored is not None and stored["klasifikasiRAA"] == "RAA.07"
    # a word after the code is no slip of spelling: not taken as `RAA.07BARU`
    with pytest.raises(InputProblems) as info:
        plan_upsert(repo, "aplikasi", [{**APLIKASI, "klasifikasiRAA": "RAA.07 baru"}],
                    instansi=I, lenient_codes=True)
    [problem] = _problems(info)
    assert "'RAA.07 baru' is not a well-formed RAA code" in problem.message("en")


def test_an_official_list_is_refused_even_for_a_raa_field_once_not_provisional(
        repo: Repository) -> None:
    """Provisional or not is read from the data (`spbe:provisional`), not from the prefix."""
    scheme = iris.reference_scheme_iri(VERSION, "RAA")
    repo.update(f"DELETE WHERE {{ GRAPH ?g {{ <{scheme}> <{SPBE.provisional}> ?p }} }}")
    with pytest.raises(InputProblems) as info:
        plan_upsert(repo, "aplikasi", [{**APLIKASI, "klasifikasiRAA": "RAA.07"}], instansi=I)
    [problem] = _problems(info)
    assert problem.field == "klasifikasiRAA" and not problem.warning


def test_the_code_pattern_is_the_shapes_one() -> None:
    shapes = Graph().parse(Path(__file__).parents[2] / "shapes" / "struktur.ttl")
    pattern = shapes.value(URIRef("https://w3id.org/spbe-arch/shapes#Elemen-kode-pola"),
                           SH.pattern)
    assert pattern == Literal(CODE_PATTERN.pattern)
