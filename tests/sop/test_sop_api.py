"""`/bpmn/…` and `/sop/…`: uploads with the size limit, rights per OPD, documents."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from spbe_arch import iris
from spbe_arch.access import TokenStore
from spbe_arch.api import create_app
from spbe_arch.datasets import load_demo
from spbe_arch.repository import Repository, open_repository
from spbe_arch.settings import Settings

from .conftest import SAMPLES

DISDUKCAPIL = str(iris.element_iri("3574", "opd", "DISPENDUKCAPIL"))
DISKOMINFO = str(iris.element_iri("3574", "opd", "DISKOMINFO"))
AKTA = "DISPENDUKCAPIL-02.01"


@dataclass
class Api:
    client: TestClient
    repository: Repository
    tokens: dict[str, str]

    def auth(self, who: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    repository = open_repository("memory:")
    load_demo(repository)
    settings = Settings(store="memory:", max_upload_bytes=60_000)
    tokens = TokenStore(None)
    secrets = {
        "admin": tokens.create("admin-uji", "admin")[0],
        "reader": tokens.create("pembaca-uji", "reader")[0],
        "capil": tokens.create("editor-capil", "editor", [DISDUKCAPIL])[0],
        "kominfo": tokens.create("editor-kominfo", "editor", [DISKOMINFO])[0],
    }
    app = create_app(settings, repository, tokens=tokens)
    with TestClient(app, base_url="http://www.example") as client:
        yield Api(client, repository, secrets)
    repository.close()


def upload(api: Api, who: str | None, name: str, data: bytes,
           proses: str | None = AKTA) -> object:
    form = {"proses": proses} if proses else {}
    return api.client.post("/bpmn/import", headers=api.auth(who), data=form,
                           files={"file": (name, data, "application/xml")})


def test_upload_rights_limits_and_errors(api: Api) -> None:
    data = (SAMPLES / "penerbitan-akta-kelahiran.bpmn").read_bytes()
    assert upload(api, None, "akta.bpmn", data).status_code == 401  # type: ignore[attr-defined]
    assert upload(api, "reader", "akta.bpmn", data).status_code == 403  # type: ignore[attr-defined]
    assert upload(api, "kominfo", "akta.bpmn", data).status_code == 403  # type: ignore[attr-defined]
    answer = upload(api, "capil", "penerbitan-akta-kelahiran.bpmn", data)
    assert answer.status_code == 201, answer.text  # type: ignore[attr-defined]
    body = answer.json()  # type: ignore[attr-defined]
    assert body["versi"] == 1 and body["jumlah_elemen"]["Lane"] == 4
    assert body["proses"].endswith(AKTA)
    same = upload(api, "capil", "penerbitan-akta-kelahiran.bpmn", data)
    assert same.status_code == 200 and same.json()["tidak_berubah"]  # type: ignore[attr-defined]

    too_big = data + b" " * 60_000
    assert upload(api, "capil", "besar.bpmn", too_big).status_code == 413  # type: ignore[attr-defined]
    hostile = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x/>'
    bad = upload(api, "capil", "jahat.bpmn", hostile)
    assert bad.status_code == 400 and "DTD" in bad.json()["detail"]  # type: ignore[attr-defined]
    english = api.client.post("/bpmn/import?lang=en", headers=api.auth("capil"),
                              data={"proses": AKTA},
                              files={"file": ("rusak.bpmn", b"<definitions>", "application/xml")})
    assert english.status_code == 400 and "line 1" in english.json()["detail"]
    assert upload(api, "capil", "x.bpmn", data, proses="TIDAK.ADA").status_code == 400  # type: ignore[attr-defined]
    # no process: belongs to no OPD, so an editor may not, an admin may
    assert upload(api, "capil", "lepas.bpmn", data, proses=None).status_code == 403  # type: ignore[attr-defined]
    assert upload(api, "admin", "lepas.bpmn", data, proses=None).status_code == 201  # type: ignore[attr-defined]

    models = api.client.get("/bpmn/models", headers=api.auth("reader")).json()
    assert {"penerbitan-akta-kelahiran", "lepas"} <= {m["model"].rsplit("/", 1)[-1]
                                                      for m in models}
    history = api.client.get("/bpmn/models/penerbitan-akta-kelahiran/history",
                             headers=api.auth("reader"))
    assert history.status_code == 200 and [v["versi"] for v in history.json()] == [1]
    exported = api.client.get("/bpmn/models/penerbitan-akta-kelahiran/export",
                              headers=api.auth("reader"))
    assert exported.status_code == 200 and b"BPMNDiagram" in exported.content
    assert api.client.get("/bpmn/models/tidak-ada/export",
                          headers=api.auth("reader")).status_code == 404


def test_a_new_version_without_proses_is_decided_by_the_stored_process(api: Api) -> None:
    """The importer keeps the process of the previous version: its OPD's editor may upload
    the next one without retyping the code, another OPD's editor may not."""
    data = (SAMPLES / "penerbitan-akta-kelahiran.bpmn").read_bytes()
    first = upload(api, "capil", "penerbitan-akta-kelahiran.bpmn", data)
    assert first.status_code in (200, 201)  # type: ignore[attr-defined]  # shared fixture
    changed = data.replace(b"Mencetak dan menyerahkan akta", b"Mencetak lalu menyerahkan akta")
    assert upload(api, "kominfo", "penerbitan-akta-kelahiran.bpmn", changed,  # type: ignore[attr-defined]
                  proses=None).status_code == 403
    second = upload(api, "capil", "penerbitan-akta-kelahiran.bpmn", changed, proses=None)
    assert second.status_code == 201, second.text  # type: ignore[attr-defined]
    assert second.json()["versi"] == first.json()["versi"] + 1  # type: ignore[attr-defined]
    assert second.json()["proses"].endswith(AKTA)  # type: ignore[attr-defined]


def test_a_file_name_without_latin_letters_asks_for_a_model_name(api: Api) -> None:
    data = (SAMPLES / "penerbitan-akta-kelahiran.bpmn").read_bytes()
    answer = upload(api, "capil", "ꦲꦏ꧀ꦠ.bpmn", data)
    assert answer.status_code == 400  # type: ignore[attr-defined]
    assert "kolom 'model' di API" in answer.json()["detail"]  # type: ignore[attr-defined]


def test_derive_edit_and_documents(api: Api) -> None:
    data = (SAMPLES / "penerbitan-akta-kelahiran.bpmn").read_bytes()
    upload(api, "capil", "penerbitan-akta-kelahiran.bpmn", data)
    body = {"proses": AKTA, "model": "penerbitan-akta-kelahiran"}
    assert api.client.post("/sop/derive", json=body).status_code == 401
    assert api.client.post("/sop/derive", json=body,
                           headers=api.auth("kominfo")).status_code == 403
    derived = api.client.post("/sop/derive", json=body, headers=api.auth("capil"))
    assert derived.status_code == 200, derived.text
    kode = derived.json()["kode"]
    assert derived.json()["langkah"] == 9

    sop = api.client.get(f"/sop/{kode}", headers=api.auth("reader")).json()
    assert sop["pelaksana"][0] == "Pemohon" and sop["langkah"][3]["simbol"] == "Keputusan"
    assert api.client.get("/sop/TIDAK.ADA", headers=api.auth("reader")).status_code == 404
    assert any(s["kode"] == kode for s in api.client.get("/sop",
                                                         headers=api.auth("reader")).json())

    patch = {"nomor": "470/9/2026", "tanggal_efektif": "4 Desember 2026",
             "dasar_hukum": ["UU 23/2006"]}
    assert api.client.patch(f"/sop/{kode}", json=patch,
                            headers=api.auth("kominfo")).status_code == 403
    updated = api.client.patch(f"/sop/{kode}", json=patch, headers=api.auth("capil"))
    assert updated.status_code == 200 and updated.json()["tanggal_efektif"] == "2026-12-04"
    bad = api.client.patch(f"/sop/{kode}", json={"disahkan_nip": "1"},
                           headers=api.auth("capil"))
    assert bad.status_code == 400 and "NIP" in bad.json()["detail"]
    step = api.client.patch(f"/sop/{kode}/langkah/2", json={"waktu": "8 menit"},
                            headers=api.auth("capil"))
    assert step.status_code == 200 and step.json()["langkah"][1]["waktu"] == "8 menit"

    html = api.client.get(f"/sop/{kode}/dokumen?format=html", headers=api.auth("reader"))
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "4 Desember 2026" in html.text and "<svg" in html.text
    svg = api.client.get(f"/sop/{kode}/dokumen?format=svg", headers=api.auth("reader"))
    assert svg.status_code == 200 and svg.text.startswith("<svg")
    # shown on the web UI's origin, made from editors' data: runs and loads nothing
    for shown in (html, svg):
        assert "default-src 'none'" in shown.headers["content-security-policy"]
        assert shown.headers["x-content-type-options"] == "nosniff"
    assert api.client.get(f"/sop/{kode}/dokumen?format=xls",
                          headers=api.auth("reader")).status_code == 400
    docx = api.client.get(f"/sop/{kode}/dokumen?format=docx", headers=api.auth("reader"))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    bpmn = api.client.get(f"/sop/{kode}/bpmn", headers=api.auth("reader"))
    assert bpmn.status_code == 200 and b"exclusiveGateway" in bpmn.content
