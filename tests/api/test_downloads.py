"""`api.downloads`: file names in Content-Disposition, whatever characters the codes in
them hold."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, unquote

import pytest

from spbe_arch.api.downloads import content_disposition


def _name_in(header: str) -> str:
    extended = re.search(r"filename\*=UTF-8''(\S+)", header)
    if extended:
        return unquote(extended.group(1))
    plain = re.search(r'filename="([^"]*)"', header)
    assert plain is not None, header
    return plain.group(1)


@pytest.mark.parametrize("name", ["sop-DISKOMINFO-01.01.SOP.01.bpmn", "templat-3574.xlsx",
                                  'sop-SOP.Ğ"1.bpmn', "laporan opd; ä.pdf", "日本.pdf"])
@pytest.mark.parametrize("disposition", ["attachment", "inline"])
def test_any_name_makes_a_latin_1_header_that_gives_the_name_back(name: str,
                                                                  disposition: str) -> None:
    header = content_disposition(name, disposition)
    header.encode("latin-1")  # what a header must be
    assert header.startswith(disposition + ";")
    assert _name_in(header) == name
    fallback = re.search(r'filename="([^"]*)"', header)
    assert fallback is not None and re.fullmatch(r"[A-Za-z0-9._-]+", fallback.group(1))


def test_a_plain_name_stays_as_it_was() -> None:
    assert content_disposition("a-1.pdf", "inline") == 'inline; filename="a-1.pdf"'


MUTU = {"kelengkapan": "KTP", "waktu": "5 menit", "output": "Berkas"}


@pytest.mark.slow
def test_downloads_of_an_sop_whose_code_is_not_latin_1(arch_service: Any) -> None:
    # the SOP's BPMN download put its code into the header as it was: 500
    code = 'SOP.DISDUKCAPIL.Ğ"1'
    record = {"nama": "Penerbitan akta kelahiran", "pemilik": "DISDUKCAPIL",
              "untukProsesBisnis": "DISDUKCAPIL.01", "statusSOP": "Draft",
              "memilikiLangkah": [
                  {"nama": "Mulai", "jenisSimbol": "Terminator", "dilaksanakanOleh": "Pemohon",
                   **MUTU},
                  {"nama": "Periksa berkas", "jenisSimbol": "Kegiatan",
                   "dilaksanakanOleh": "Petugas Loket", **MUTU},
                  {"nama": "Selesai", "jenisSimbol": "Terminator", "dilaksanakanOleh": "Pemohon",
                   **MUTU}]}
    path = quote(code, safe="")
    created = arch_service.client.put(f"/api/sop/{path}", json=record,
                                      headers=arch_service.auth("admin"))
    assert created.status_code == 201, created.text
    bpmn = arch_service.client.get(f"/sop/{path}/bpmn")
    assert bpmn.status_code == 200
    assert _name_in(bpmn.headers["content-disposition"]) == f"sop-{code}.bpmn"
    document = arch_service.client.get(f"/sop/{path}/dokumen", params={"format": "html"})
    assert document.status_code == 200
    page = arch_service.client.get(f"/ui/sop/{path}/bpmn")  # the web page's download
    assert page.status_code == 200
    assert _name_in(page.headers["content-disposition"]) == f"sop-{code}.bpmn"
