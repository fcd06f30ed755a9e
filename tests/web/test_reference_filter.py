"""The element list's reference filter finds an element by a code stored outside the
provisional RAA list (stored under the concept IRI minted for it, which no concept holds)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tests.api.conftest import architecture_repository
from tests.web.helpers import Web, text_of
from tests.web.test_edit import form_values

APLIKASI = "/ui/e/aplikasi/DISKOMINFO.A01"


@pytest.fixture
def web(make_web: Callable[..., Web]) -> Web:
    return make_web(architecture_repository())


def test_the_list_filter_finds_a_code_outside_the_list(web: Web) -> None:
    session = web.session("editor")
    data: dict[str, Any] = {**form_values(web, "aplikasi", "DISKOMINFO.A01"),
                            "klasifikasiRAA": "RAA.07"}
    saved = session.post(f"{APLIKASI}/ubah", data, follow_redirects=False)
    assert saved.status_code == 303, text_of(saved.text)[:500]
    found = session.get("/ui/e/aplikasi", params={"ref": "RAA.07"})
    assert found.status_code == 200
    assert f'href="{APLIKASI}"' in found.text
    elsewhere = session.get("/ui/e/aplikasi", params={"ref": "RAA.01"})
    assert f'href="{APLIKASI}"' not in elsewhere.text
