"""`list_entities(reference_code=…)` finds an element by a code no loaded list holds: one
that left the list when an official list was imported (the element keeps the concept IRI
minted for it)."""

from __future__ import annotations

from pathlib import Path

from spbe_arch.datasets import load_demo
from spbe_arch.model import list_entities, reference_code_in_use
from spbe_arch.model.catalogue import KINDS
from spbe_arch.reference.replace import read_official_list, replace_list
from spbe_arch.repository import open_repository

# drops RAA.02.01, the code of the demo's APL-16 (JDIH, BAG-HUKUM)
OFFICIAL_RAA = """kode,nama,induk
RAA.01,Aplikasi Umum,
RAA.01.01,Aplikasi Umum Layanan Publik,RAA.01
RAA.01.02,Aplikasi Umum Administrasi Pemerintahan,RAA.01
RAA.02,Aplikasi Khusus,
"""


def test_a_code_that_left_an_imported_list_still_finds_its_elements(tmp_path: Path) -> None:
    repository = open_repository("memory:")
    load_demo(repository)
    before = list_entities(repository, "aplikasi", instansi="3574",
                           reference_code="RAA.02.01").items
    assert "APL-16" in [i["kode"] for i in before]
    path = tmp_path / "raa.csv"
    path.write_text(OFFICIAL_RAA, encoding="utf-8")
    replace_list(repository, read_official_list(path, "RAA"), agent="uji", instansi="3574")
    after = list_entities(repository, "aplikasi", instansi="3574", reference_code="RAA.02.01")
    assert [i["kode"] for i in after.items] == [i["kode"] for i in before]
    assert after.items[0]["klasifikasiRAA"] == "RAA.02.01"
    assert reference_code_in_use(repository, KINDS["aplikasi"], "RAA.02.01")
    assert not reference_code_in_use(repository, KINDS["aplikasi"], "RAA.02.09")
    # the parent's code no longer reaches it: RAA.02 has no concept RAA.02.01 below it now
    parent = list_entities(repository, "aplikasi", instansi="3574", reference_code="RAA.02")
    assert "APL-16" not in [i["kode"] for i in parent.items]
