"""The edit form and a code outside the provisional RAA/RAI/RAK lists: the field takes any
code (the list only suggests) and says the list is provisional; saving such a code stores
it and shows the warning on the element's page; an unknown RAB code and a malformed RAA
code are refused at their field."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from tests.api.conftest import architecture_repository
from tests.web.helpers import Web, controls_of, text_of, unlabelled
from tests.web.test_edit import errors_of, form_values

from spbe_arch.model import get_entity

APLIKASI = "/ui/e/aplikasi/DISKOMINFO.A01"


@pytest.fixture
def web(make_web: Callable[..., Web]) -> Web:
    return make_web(architecture_repository())


def test_the_field_is_free_text_with_the_list_as_suggestions(web: Web) -> None:
    session = web.session("editor")
    page = session.get(f"{APLIKASI}/ubah").text
    field = re.search(r'<input [^>]*name="klasifikasiRAA"[^>]*>', page)
    assert field is not None and 'type="text"' in field.group(0)
    assert 'list="dl-klasifikasiRAA"' in field.group(0)
    assert '<option value="RAA.01.01">' in page  # the known codes, as suggestions
    assert "klasifikasiRAA" not in unlabelled(page)
    help_text = re.search(r'<p class="help" id="help-klasifikasiRAA">(.*?)</p>', page)
    assert help_text is not None and "Daftar RAA masih sementara" in help_text.group(1)
    english = web.session("editor").get(f"{APLIKASI}/ubah?lang=en").text
    assert "The RAA list is still provisional" in english
    # an official list says nothing of the kind
    process = session.get("/ui/e/proses-bisnis/DISKOMINFO.01/ubah").text
    assert "masih sementara" not in process


def test_saving_a_code_outside_the_list_shows_the_warning(web: Web) -> None:
    session = web.session("editor")
    data: dict[str, Any] = {**form_values(web, "aplikasi", "DISKOMINFO.A01"),
                            "klasifikasiRAA": "RAA.07"}
    response = session.post(f"{APLIKASI}/ubah", data, follow_redirects=False)
    assert response.status_code == 303, text_of(response.text)[:500]
    target = response.headers["location"]
    assert target.startswith(f"{APLIKASI}?pesan=disimpan&catatan=")
    detail = session.get(target).text
    notes = re.search(r'<div class="notice warn" role="status" id="catatan-penyimpanan">'
                      r"(.*?)</div>", detail, re.S)
    assert notes is not None
    assert "Catatan penyimpanan" in notes.group(1)
    assert ("Klasifikasi RAA: kode 'RAA.07' tidak ada dalam daftar"
            in html.unescape(text_of(notes.group(1))))
    assert "sementara" in notes.group(1)
    assert "catatan-penyimpanan" not in session.get(target).text  # shown once
    stored = get_entity(web.repository, "aplikasi", "DISKOMINFO.A01", instansi="3574")
    assert stored is not None and stored["klasifikasiRAA"] == "RAA.07"
    # the form shows the code as stored, and saving it again keeps it
    form = controls_of(session.get(f"{APLIKASI}/ubah").text)
    [shown] = [c for c in form.controls if c.get("name") == "klasifikasiRAA"]
    assert shown["value"] == "RAA.07"
    again = session.post(f"{APLIKASI}/ubah", {**form_values(web, "aplikasi", "DISKOMINFO.A01")},
                         follow_redirects=False)
    assert again.status_code == 303


@pytest.mark.parametrize(("url", "kind", "code", "field", "value", "said"), [
    ("/ui/e/proses-bisnis/DISKOMINFO.01", "proses-bisnis", "DISKOMINFO.01", "klasifikasiRAB",
     "RAB.01.01.99", "tidak ada dalam"),
    (APLIKASI, "aplikasi", "DISKOMINFO.A01", "klasifikasiRAA", "RAA 07",
     "bukan kode RAA yang sah")])
def test_unknown_official_and_malformed_codes_are_refused_at_the_field(
        web: Web, url: str, kind: str, code: str, field: str, value: str, said: str) -> None:
    session = web.session("editor")
    before = get_entity(web.repository, kind, code, instansi="3574")
    response = session.post(f"{url}/ubah", {**form_values(web, kind, code), field: value})
    assert response.status_code == 422
    assert said in errors_of(response.text)[field][0]
    assert get_entity(web.repository, kind, code, instansi="3574") == before
