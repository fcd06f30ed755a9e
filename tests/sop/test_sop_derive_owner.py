"""Deriving again into an SOP that now belongs to another OPD is refused, however the SOP
was chosen: by `kode`, or as the one derived from the same model before (an admin may have
given it to another OPD since)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from spbe_arch import iris
from spbe_arch.access import TokenStore
from spbe_arch.api import create_app
from spbe_arch.datasets import load_demo
from spbe_arch.importers.bpmn.service import import_bpmn_file
from spbe_arch.repository import ChangeSet, Repository, open_repository
from spbe_arch.settings import Settings
from spbe_arch.sop.service import derive_sop
from spbe_arch.vocab import SPBE

from .conftest import SAMPLES

KODE = "3574"
PROSES = "DISKOMINFO-01.02"
DISKOMINFO = iris.element_iri(KODE, "opd", "DISKOMINFO")
DISPENDUKCAPIL = iris.element_iri(KODE, "opd", "DISPENDUKCAPIL")


@pytest.fixture
def moved() -> Iterator[tuple[Repository, str]]:
    """The sample SOP of a DISKOMINFO process, given by an admin to DISPENDUKCAPIL."""
    repository = open_repository("memory:")
    load_demo(repository)
    import_bpmn_file(repository, SAMPLES / "pengaduan-masyarakat.bpmn", kode_wilayah=KODE,
                     proses=PROSES, agent="uji")
    result = derive_sop(repository, proses=PROSES, kode_wilayah=KODE, agent="uji")
    graph = iris.instansi_graph(KODE)
    repository.apply(ChangeSet(remove=[(result.sop, SPBE.pemilik, DISKOMINFO, graph)],
                               add=[(result.sop, SPBE.pemilik, DISPENDUKCAPIL, graph)]))
    yield repository, result.kode
    repository.close()


def test_an_editor_of_the_process_may_not_take_the_sop_back(
        moved: tuple[Repository, str], tmp_path: Path) -> None:
    repository, kode = moved
    tokens = TokenStore(None)
    kominfo = tokens.create("editor-kominfo", "editor", [str(DISKOMINFO)])[0]
    admin = tokens.create("admin-uji", "admin")[0]
    app = create_app(Settings(store="memory:"), repository, tokens=tokens)
    with TestClient(app, base_url="http://testserver") as http:
        repository.dump(tmp_path / "sebelum.nq")  # after create_app (the audit index mark)
        refused = http.post("/sop/derive", json={"proses": PROSES},
                            headers={"Authorization": f"Bearer {kominfo}"})
        assert refused.status_code == 403, refused.text
        assert "DISPENDUKCAPIL" in refused.json()["detail"]
        http.get("/ui/masuk")
        http.post("/ui/masuk", data={"csrf_token": http.cookies["spbe_csrf"],
                                     "token": kominfo, "next": "/ui"})
        page = http.post("/ui/proses/turunkan", data={"csrf_token": http.cookies["spbe_csrf"],
                                                      "proses": PROSES})
        assert page.status_code == 403
        repository.dump(tmp_path / "sesudah.nq")
        assert (tmp_path / "sesudah.nq").read_bytes() == (tmp_path / "sebelum.nq").read_bytes()
        # an admin may
        done = http.post("/sop/derive", json={"proses": PROSES},
                         headers={"Authorization": f"Bearer {admin}"})
        assert done.status_code == 200, done.text
        assert done.json()["kode"] == kode
