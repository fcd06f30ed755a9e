"""`/queries/{name}`: parameter values as people type or paste them."""

from __future__ import annotations

CSV = {"accept": "text/csv"}


def _rows(response) -> list[str]:
    assert response.status_code == 200, response.text
    return response.text.strip().splitlines()[1:]


def test_a_code_pasted_with_a_line_break_finds_what_the_bare_code_finds(arch_service) -> None:
    client = arch_service.client
    bare = _rows(client.get("/queries/processes-per-opd", params={"kode_opd": "DISKOMINFO"},
                            headers=CSV))
    assert bare  # the fixture has processes of DISKOMINFO
    for pasted in ("DISKOMINFO\n", " DISKOMINFO ", "DISKOMINFO\r\n", "\tDISKOMINFO"):
        got = client.get("/queries/processes-per-opd", params={"kode_opd": pasted}, headers=CSV)
        assert _rows(got) == bare, repr(pasted)


def test_a_required_parameter_of_only_spaces_is_missing(arch_service) -> None:
    response = arch_service.client.get("/queries/sop-steps", params={"kode_sop": "  "})
    assert response.status_code == 400
    assert "memerlukan parameter kode_sop" in response.json()["detail"]


def test_a_parameter_given_twice_is_refused_not_half_used(arch_service) -> None:
    client = arch_service.client
    response = client.get("/queries/processes-per-opd?kode_opd=DISKOMINFO&kode_opd=DISDUKCAPIL")
    assert response.status_code == 400
    assert "kode_opd" in response.json()["detail"]
    assert "lebih dari sekali" in response.json()["detail"]
    english = client.get("/queries/processes-per-opd?kode_opd=A&kode_opd=B&lang=en")
    assert "more than once" in english.json()["detail"]
    # the answer-format parameters SPARQLWrapper repeats stay allowed
    assert client.get("/queries/processes-per-opd?format=csv&output=csv").status_code == 200
