"""Request dependencies (api/deps.py): the language of a request's messages."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(("header", "expected"), [
    ("id;q=0.1, en", "en"),          # weights, not order, say what is wanted
    ("en;q=0, id", "id"),            # q=0: not English
    ("fr-FR, en;q=0.5, id;q=0.4", "en"),
    ("en-GB,en;q=0.8", "en"),
    ("id-ID", "id"),
    ("en;q=abc, id;q=0.3", "id"),    # a malformed weight counts as 0
    ("", "id"),                      # the server's language
])
def test_accept_language_is_read_by_its_weights(service: Any, header: str,
                                               expected: str) -> None:
    response = service.client.get("/api/opd", params={"limit": 0},
                                  headers={"accept-language": header})
    assert response.status_code == 422
    english = "harus" not in response.json()["pesan"]
    assert ("en" if english else "id") == expected, response.json()["pesan"]
