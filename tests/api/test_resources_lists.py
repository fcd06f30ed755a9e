"""REST lists with odd filters: every refusal names the query parameter it is about."""

from __future__ import annotations

from typing import Any


def test_an_unknown_status_names_the_parameter_not_a_record(arch_service: Any) -> None:
    # it read "kolom statusProses, proses-bisnis #1: …", as if a record had been sent
    response = arch_service.client.get("/api/proses-bisnis", params={"status": "As Is"})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("parameter 'status': 'As Is' bukan nilai yang diizinkan")
    assert "#1" not in detail
    english = arch_service.client.get("/api/proses-bisnis",
                                      params={"status": "As Is", "lang": "en"})
    assert english.json()["detail"].startswith("parameter 'status': 'As Is' is not an allowed")
