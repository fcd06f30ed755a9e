"""Deriving an SOP again keeps the architecture rules while it stays `ditetapkan`: a set SOP
whose steps keep their names is derived again without going back to Draft, so a derivation
that would make it break a rule (say, a redrawn model whose elements have new ids, so the
hand-entered mutu baku no longer finds its steps) is refused and nothing is written. A draft
is derived as it comes: the mutu baku of a new draft is filled in afterwards, by design."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spbe_arch.importers.bpmn.service import import_bpmn
from spbe_arch.repository import Repository
from spbe_arch.sop.document import load_sop
from spbe_arch.sop.service import derive_sop, set_sop_fields, set_step_fields
from spbe_arch.validation.write_check import RuleViolationError

from .conftest import KODE, definitions, derive_body

BODY = """
<bpmn:process id="p" name="Legalisir Dokumen">
  <bpmn:startEvent id="s"/>
  <bpmn:task id="a" name="Memeriksa dokumen asli"/>
  <bpmn:task id="b" name="Menandatangani legalisir"/>
  <bpmn:endEvent id="e"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
  <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="b"/>
  <bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="e"/>
</bpmn:process>
"""
# the same process drawn again (another tool, or by hand): same steps, new element ids
REDRAWN = (BODY.replace('"s"', '"mulai"').replace('"a"', '"periksa"')
           .replace('"b"', '"tandatangani"').replace('"e"', '"selesai"'))
MUTU = {"kelengkapan": "Dokumen asli", "waktu": "5 menit", "output": "Dokumen dilegalisir"}
SET = {"status": "ditetapkan", "nomor": "1/2026", "tanggal_efektif": "2026-12-01",
       "disahkan_jabatan": "Kepala Dinas", "disahkan_nama": "Budi Santoso"}


def _complete_sop(repository: Repository, status: dict[str, str]) -> str:
    kode = derive_body(repository, BODY).kode
    for number in (2, 3):
        set_step_fields(repository, kode, number, MUTU, kode_wilayah=KODE)
    set_sop_fields(repository, kode, status, kode_wilayah=KODE)
    import_bpmn(repository, definitions(REDRAWN), file_name="uji.bpmn", kode_wilayah=KODE,
                proses="UJI.01")
    return kode


def test_a_set_sop_is_not_derived_into_breaking_a_rule(model_repository: Repository,
                                                       tmp_path: Path) -> None:
    kode = _complete_sop(model_repository, SET)
    model_repository.dump(tmp_path / "sebelum.nq")
    with pytest.raises(RuleViolationError) as refused:
        derive_sop(model_repository, proses="UJI.01", kode_wilayah=KODE, lang="en")
    assert any("quality standard" in line for line in refused.value.findings("en"))
    assert refused.value.http_status == 422
    model_repository.dump(tmp_path / "sesudah.nq")
    assert (tmp_path / "sesudah.nq").read_bytes() == (tmp_path / "sebelum.nq").read_bytes()
    document = load_sop(model_repository, kode, KODE)
    assert document.status == "Ditetapkan" and document.langkah[1].waktu == "5 menit"


def test_a_draft_is_derived_again_as_it_comes(model_repository: Repository) -> None:
    kode = _complete_sop(model_repository, {"nomor": "1/2026"})
    again = derive_sop(model_repository, proses="UJI.01", kode_wilayah=KODE, lang="en")
    assert again.changed and load_sop(model_repository, kode, KODE).status == "Draft"
    # the redrawn model's steps have new ids: the mutu baku entered by hand is gone, and
    # the derivation says so instead of leaving it to be found in the printed SOP
    assert [n.message("en") for n in again.notices if "quality standards" in n.message("en")
            ] == ["the quality standards (requirements, time, output) of old step(s) 2, 3"
                  " found no step of this model (redrawn?) and were not carried over; enter"
                  " them again"]


def test_the_derive_route_answers_422_with_the_findings(model_repository: Repository) -> None:
    from fastapi.testclient import TestClient

    from spbe_arch.access import TokenStore
    from spbe_arch.api import create_app
    from spbe_arch.settings import Settings

    from .conftest import OPD

    kode = _complete_sop(model_repository, SET)
    tokens = TokenStore(None)
    secret = tokens.create("editor-uji", "editor", [str(OPD)])[0]
    app = create_app(Settings(store="memory:"), model_repository, tokens=tokens)
    with TestClient(app, base_url="http://testserver") as http:
        answer = http.post("/sop/derive", json={"proses": "UJI.01"}, headers={
            "Authorization": f"Bearer {secret}", "Accept-Language": "en"})
        assert answer.status_code == 422, answer.text
        results = answer.json()["validation"]["results"]
        assert results and all("quality standard" in r["message"] for r in results)
        assert load_sop(model_repository, kode, KODE).langkah[1].waktu == "5 menit"
        # the web's "Turunkan SOP" is refused too, and its error page lists each finding
        http.get("/ui/masuk")
        signed = http.post("/ui/masuk", data={"csrf_token": http.cookies["spbe_csrf"],
                                              "token": secret, "next": "/ui"},
                           follow_redirects=False)
        assert signed.status_code == 303
        page = http.post("/ui/proses/turunkan", data={
            "csrf_token": http.cookies["spbe_csrf"], "proses": "UJI.01"})
    assert page.status_code == 422
    assert "perubahan ditolak karena melanggar aturan arsitektur" in page.text
    findings = re.findall(r"<li>([^<]*)</li>", page.text.split('role="alert"')[1])
    # each step named by its code, each once (the rule reports its three fields alike)
    assert findings == [f"{kode}/langkah/{n}: Mutu baku langkah (kelengkapan, waktu, output)"
                        " belum lengkap." for n in (2, 3)], page.text


LANES = """
<bpmn:process id="p" name="Legalisir Dokumen">
  <bpmn:laneSet id="ls">
    <bpmn:lane id="l1" name="Petugas"><bpmn:flowNodeRef>s</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>a</bpmn:flowNodeRef><bpmn:flowNodeRef>e</bpmn:flowNodeRef></bpmn:lane>
    <bpmn:lane id="l2" name="Kepala Seksi"><bpmn:flowNodeRef>b</bpmn:flowNodeRef></bpmn:lane>
  </bpmn:laneSet>
  <bpmn:startEvent id="s"/>
  <bpmn:task id="a" name="Memeriksa dokumen asli"/>
  <bpmn:task id="b" name="Menandatangani legalisir"/>
  <bpmn:endEvent id="e"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
  <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="b"/>
  <bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="e"/>
</bpmn:process>
"""


@pytest.mark.parametrize(("change", "model"), [
    ("nothing", LANES),
    # the same activities, but the signature moves from the Kepala Seksi to the Petugas
    ("actor", LANES.replace("<bpmn:flowNodeRef>b</bpmn:flowNodeRef>", "").replace(
        "<bpmn:flowNodeRef>e</bpmn:flowNodeRef></bpmn:lane>",
        "<bpmn:flowNodeRef>e</bpmn:flowNodeRef><bpmn:flowNodeRef>b</bpmn:flowNodeRef>"
        "</bpmn:lane>")),
])
def test_a_set_sop_whose_actors_change_goes_back_to_draft(
        model_repository: Repository, change: str, model: str) -> None:
    kode = derive_body(model_repository, LANES).kode
    for number in (2, 3):
        set_step_fields(model_repository, kode, number, MUTU, kode_wilayah=KODE)
    set_sop_fields(model_repository, kode, SET, kode_wilayah=KODE)
    import_bpmn(model_repository, definitions(model), file_name="uji.bpmn",
                kode_wilayah=KODE, proses="UJI.01")
    again = derive_sop(model_repository, proses="UJI.01", kode_wilayah=KODE)
    document = load_sop(model_repository, kode, KODE)
    if change == "nothing":  # the approved procedure is the same: it stays set
        assert document.status == "Ditetapkan"
        assert not any("Draft" in n.message("en") for n in again.notices)
        # the same elements: their mutu baku is carried over, and nothing is said of it
        assert not any("quality standards" in n.message("en") for n in again.notices)
        assert document.langkah[1].waktu == "5 menit"
    else:  # who does a step is part of what was approved: review and set it again
        assert document.status == "Draft"
        assert any("actors or flow" in n.message("en") for n in again.notices)
