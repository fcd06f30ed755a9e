"""An SOP edit that would break an architecture rule is refused everywhere, and nothing is
written: the service, `spbe-arch sop set`, `PATCH /sop/{kode}` and the web SOP page.

The rule used: a set SOP (`ditetapkan`) needs its number, effective date and approver
(SOPDitetapkanShape); the demo's SOP below is a draft without them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import URIRef
from typer.testing import CliRunner

from spbe_arch import iris
from spbe_arch.access import TokenStore
from spbe_arch.api import create_app
from spbe_arch.cli import app as cli_app
from spbe_arch.datasets import load_demo
from spbe_arch.repository import LoadSource, Repository, open_repository
from spbe_arch.settings import Settings
from spbe_arch.sop.document import load_sop
from spbe_arch.sop.service import set_sop_fields, set_step_fields
from spbe_arch.validation.write_check import RuleViolationError

KODE = "3574"
DRAFT = "DISKOMINFO-02.01.SOP.01"
DISKOMINFO = str(iris.element_iri(KODE, "opd", "DISKOMINFO"))
COMPLETE = {"nomor": "555/200/425.113/2026", "tanggal_efektif": "2026-12-01",
            "disahkan_jabatan": "Kepala Dinas Komunikasi dan Informatika",
            "disahkan_nama": "Budi Santoso"}


@pytest.fixture
def repository() -> Iterator[Repository]:
    repository = open_repository("memory:")
    load_demo(repository)
    yield repository
    repository.close()


def _dump(repository: Repository, path: Path) -> bytes:
    repository.dump(path)
    return path.read_bytes()


def test_the_service_refuses_and_writes_nothing(repository: Repository,
                                                tmp_path: Path) -> None:
    before = _dump(repository, tmp_path / "sebelum.nq")
    with pytest.raises(RuleViolationError) as refused:
        set_sop_fields(repository, DRAFT, {"status": "ditetapkan"}, kode_wilayah=KODE)
    assert _dump(repository, tmp_path / "sesudah.nq") == before  # no change, no audit record
    findings = refused.value.findings("id")
    assert findings and all(line.startswith(f"{DRAFT}: SOP yang ditetapkan wajib")
                            for line in findings)
    assert "A set SOP must have" in refused.value.explain("en")
    assert refused.value.extra["validation"]["conforms"] is False
    # with what the rule asks for, the same change is written
    assert set_sop_fields(repository, DRAFT, {"status": "ditetapkan", **COMPLETE},
                          kode_wilayah=KODE) is not None
    assert load_sop(repository, DRAFT, KODE).status == "Ditetapkan"
    # and taking the approver away again from the set SOP is refused too
    with pytest.raises(RuleViolationError):
        set_sop_fields(repository, DRAFT, {"disahkan_nama": ""}, kode_wilayah=KODE)
    assert load_sop(repository, DRAFT, KODE).disahkan_nama == "Budi Santoso"


def test_a_step_edit_is_checked_against_the_rules_in_the_store(repository: Repository) -> None:
    # the project's own rules leave a step's mutu baku free text; an instansi may store its
    # own rules (a graph under …/graph/shapes/), and a step edit must keep them as every
    # other write does
    rule = """
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix spbe: <https://w3id.org/spbe-arch/ontology#> .
        <urn:uji:WaktuShape> a sh:NodeShape ; sh:targetClass spbe:LangkahSOP ;
            sh:property [ sh:path spbe:waktu ; sh:pattern "^[0-9]+ (menit|jam|hari)" ;
                          sh:severity sh:Violation ;
                          sh:message "Waktu ditulis sebagai angka dan satuan."@id ,
                                     "Time is written as a number and a unit."@en ] .
    """
    own_rules = URIRef(f"{iris.shapes_graph()}/probolinggo")
    repository.load([LoadSource(rule.encode("utf-8"), "turtle", own_rules,
                                "aturan-instansi.ttl")])
    with pytest.raises(RuleViolationError) as refused:
        set_step_fields(repository, DRAFT, 1, {"waktu": "secepatnya"}, kode_wilayah=KODE)
    assert refused.value.findings("en") == [
        f"{DRAFT}/langkah/1: Time is written as a number and a unit."]
    assert load_sop(repository, DRAFT, KODE).langkah[0].waktu != "secepatnya"
    assert set_step_fields(repository, DRAFT, 1, {"waktu": "15 menit"},
                           kode_wilayah=KODE) is not None


def test_the_cli_says_which_rule_and_exits_2(tmp_path: Path) -> None:
    store = f"oxigraph:{tmp_path / 'store'}"
    with open_repository(store) as repository:
        load_demo(repository)
    # opened for writing once, the store gets the audit trail's index mark: compare after it
    assert CliRunner().invoke(cli_app, ["--store", store, "sop", "set", DRAFT, "--nama",
                                        load_sop_name(store)]).exit_code == 0
    with open_repository(store, read_only=True) as repository:
        before = _dump(repository, tmp_path / "sebelum.nq")
    result = CliRunner().invoke(cli_app, ["--store", store, "sop", "set", DRAFT,
                                          "--status", "ditetapkan"])
    assert result.exit_code == 2
    assert "perubahan ditolak karena melanggar aturan arsitektur" in result.stderr
    assert f"  - {DRAFT}: SOP yang ditetapkan wajib punya nomor SOP" in result.stderr
    with open_repository(store, read_only=True) as repository:
        assert _dump(repository, tmp_path / "sesudah.nq") == before
    english = CliRunner().invoke(cli_app, ["--store", store, "--lang", "en", "sop", "set",
                                           DRAFT, "--status", "ditetapkan"])
    assert english.exit_code == 2 and "A set SOP must have" in english.stderr


def load_sop_name(store: str) -> str:
    with open_repository(store, read_only=True) as repository:
        return load_sop(repository, DRAFT, KODE).nama


@pytest.fixture
def client(repository: Repository) -> Iterator[tuple[TestClient, str]]:
    tokens = TokenStore(None)
    secret = tokens.create("editor-kominfo", "editor", [DISKOMINFO])[0]
    app = create_app(Settings(store="memory:"), repository, tokens=tokens)
    with TestClient(app, base_url="http://testserver") as client:
        yield client, secret


def test_the_sop_route_answers_422_with_the_findings(client: tuple[TestClient, str],
                                                     repository: Repository,
                                                     tmp_path: Path) -> None:
    http, secret = client
    before = _dump(repository, tmp_path / "sebelum.nq")
    answer = http.patch(f"/sop/{DRAFT}", json={"status": "ditetapkan"},
                        headers={"Authorization": f"Bearer {secret}", "Accept-Language": "en"})
    assert answer.status_code == 422, answer.text
    results = answer.json()["validation"]["results"]
    assert results and all(r["message"].startswith("A set SOP must have") for r in results)
    assert _dump(repository, tmp_path / "sesudah.nq") == before
    accepted = http.patch(f"/sop/{DRAFT}", json={"status": "ditetapkan", **COMPLETE},
                          headers={"Authorization": f"Bearer {secret}"})
    assert accepted.status_code == 200, accepted.text


def test_the_web_sop_page_shows_the_rule_at_its_fields(client: tuple[TestClient, str],
                                                       repository: Repository) -> None:
    http, secret = client
    http.get("/ui/masuk")
    csrf = http.cookies["spbe_csrf"]
    signed_in = http.post("/ui/masuk", data={"csrf_token": csrf, "token": secret,
                                             "next": "/ui"}, follow_redirects=False)
    assert signed_in.status_code == 303
    form = http.get(f"/ui/sop/{DRAFT}").text
    values = dict(re.findall(r'<input id="s-(\w+)" name="\w+" type="(?:text|date)" value="([^"]*)"',
                             form))
    assert values["nama"]  # the form as the browser sends it, only the status changed
    csrf = http.cookies["spbe_csrf"]
    page = http.post(f"/ui/sop/{DRAFT}", data={**values, "csrf_token": csrf,
                                                "status": "ditetapkan"})
    assert page.status_code == 422
    assert "perubahan ditolak karena melanggar aturan arsitektur" in page.text
    # the finding stands at each field the rule names (number, date, approver)
    for field in ("nomor", "tanggal_efektif", "disahkan_jabatan", "disahkan_nama"):
        assert f'id="err-{field}">SOP yang ditetapkan wajib' in page.text, field
    assert load_sop(repository, DRAFT, KODE).status == "Draft"
