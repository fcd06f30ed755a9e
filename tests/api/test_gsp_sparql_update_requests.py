"""SPARQL Update requests of unusual but valid shapes, through /sparql."""

from __future__ import annotations

import pytest

UPDATE = "application/sparql-update"


@pytest.mark.parametrize("update", [
    "# hanya komentar",
    "PREFIX ex: <http://example.org/>",
    "PREFIX ex: <http://example.org/>\n# belum ada operasi\n",
    "BASE <http://example.org/> ;",
])
def test_an_update_without_operations_changes_nothing_and_succeeds(service, update: str
                                                                   ) -> None:
    """SPARQL 1.1 allows a request of no operations (a prologue, comments). It was
    refused with "error at 4:6: expected VERSION": a line the user never wrote, in the
    text the audit record is appended to."""
    before = service.repository.export(None, "nquads")
    response = service.client.post("/sparql", content=update.encode(), headers={
        "content-type": UPDATE, **service.auth("admin")})
    assert response.status_code == 200, response.text
    # nothing changed, so nothing to record either
    assert service.repository.export(None, "nquads") == before


def test_a_syntax_error_after_a_prologue_points_into_the_users_text(service) -> None:
    response = service.client.post(
        "/sparql", content=b"PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a ex:b }",
        headers={"content-type": UPDATE, **service.auth("admin")})
    assert response.status_code == 400
    assert "2:" in response.text
