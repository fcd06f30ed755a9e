"""Requests FastAPI refuses itself (422) answer in the request's language, in FastAPI's
shape."""

from __future__ import annotations

from typing import Any

import pytest


def test_a_parameter_out_of_range_is_explained_in_indonesian(service: Any) -> None:
    response = service.client.get("/api/opd", params={"limit": 0, "offset": -5})
    assert response.status_code == 422
    body = response.json()
    # FastAPI's shape, which the OpenAPI document declares, is kept
    assert [(e["type"], e["loc"]) for e in body["detail"]] == [
        ("greater_than_equal", ["query", "offset"]), ("greater_than_equal", ["query", "limit"])]
    assert [e["msg"] for e in body["detail"]] == ["harus ≥ 0", "harus ≥ 1"]
    assert body["pesan"] == "parameter 'offset': harus ≥ 0; parameter 'limit': harus ≥ 1"


def test_missing_and_malformed_values(service: Any) -> None:
    body = service.client.get("/history", params={"limit": "abc"}).json()
    assert body["pesan"] == "parameter 'limit': harus bilangan bulat"
    missing = service.client.post("/api/opd", headers=service.auth("admin"))
    assert missing.status_code == 422
    assert missing.json()["pesan"] == "isi permintaan: wajib diisi"


def test_a_value_outside_its_list_names_the_choices(service: Any) -> None:
    body = service.client.get("/api/tidak-ada").json()
    assert body["pesan"].startswith("bagian alamat 'kind': harus salah satu dari: 'opd',")
    assert body["pesan"].endswith("'keamanan' atau 'sop'")


def test_english_on_request(service: Any) -> None:
    for response in (
            service.client.get("/api/opd", params={"limit": 0},
                               headers={"accept-language": "en-GB,en;q=0.8"}),
            service.client.get("/api/opd", params={"limit": 0, "lang": "en"})):
        body = response.json()
        assert body["detail"][0]["msg"] == "Input should be greater than or equal to 1"
        assert body["pesan"] == "parameter 'limit': Input should be greater than or equal to 1"


@pytest.mark.parametrize("path", ["/excel/template", "/excel/export", "/api/opd",
                                  "/api/opd/DISKOMINFO", "/validation", "/reports/arsitektur",
                                  "/bpmn/models/x/history", "/evaluation/index"])
@pytest.mark.parametrize("code", ["\x1d", "35/74", "a b", "x" * 65])
def test_a_region_code_that_cannot_be_one_is_refused_everywhere(service: Any, path: str,
                                                                 code: str) -> None:
    """Found by Schemathesis: `instansi=%1D` made the Excel export answer 500 (a control
    character cannot go into a worksheet cell)."""
    response = service.client.get(path, params={"instansi": code},
                                  headers=service.auth("admin"))
    assert response.status_code == 422, (path, code, response.text[:200])
    assert "parameter 'instansi'" in response.json()["pesan"]


def test_a_json_body_sent_without_its_content_type_says_so(service: Any) -> None:
    """curl -d sends `application/x-www-form-urlencoded`: the body is JSON, the type is not."""
    body = b'{"kode": "DISKOMINFO", "nama": "Dinas"}'
    answer = service.client.post("/api/opd", content=body, headers={
        **service.auth("admin"), "content-type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 422
    assert answer.json()["pesan"] == (
        "isi permintaan: harus berupa objek JSON; kirim dengan header Content-Type:"
        " application/json (yang dikirim: application/x-www-form-urlencoded)")
    english = service.client.post("/api/opd", content=body, headers={
        **service.auth("admin"), "content-type": "text/plain", "accept-language": "en"})
    assert "Content-Type: application/json (sent: text/plain)" in english.json()["pesan"]
    right = service.client.post("/api/opd", content=b"[1]", headers={
        **service.auth("admin"), "content-type": "application/json"})
    assert right.json()["pesan"] == "isi permintaan: harus berupa objek JSON"


def _dump(service: Any) -> bytes:
    return bytes(service.repository.export(None, "nquads"))


@pytest.mark.parametrize(("body", "kind", "message"), [
    (b'{"uraian": NaN}', "json_invalid_constant",
     "bukan JSON yang sah: NaN bukan nilai JSON (JSON tidak mengenal NaN atau Infinity)"),
    (b'{"uraian": -Infinity}', "json_invalid_constant",
     "bukan JSON yang sah: -Infinity bukan nilai JSON (JSON tidak mengenal NaN atau"
     " Infinity)"),
    (b'{"uraian": "\xff"}', "json_invalid_utf8",
     "bukan JSON yang sah: bukan UTF-8 (byte 0xff pada posisi 12)"),
    (b"[" * 100_000 + b"]" * 100_000, "json_too_deep", "bersarang terlalu dalam untuk dibaca"),
], ids=["nan", "infinity", "not-utf8", "too-deep"])
def test_a_body_fastapi_misreads_is_a_422_naming_why(arch_service: Any, body: bytes, kind: str,
                                                     message: str) -> None:
    """NaN / Infinity (not JSON; Python reads them) were stored as the text "nan"; a body
    that is not UTF-8 or is nested too deep got FastAPI's English 400 "There was an error
    parsing the body", naming nothing."""
    before = _dump(arch_service)
    response = arch_service.client.patch(
        "/api/proses-bisnis/DISKOMINFO.01", content=body,
        headers={**arch_service.auth("admin"), "Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert (error["type"], error["loc"], error["msg"]) == (kind, ["body"], message)
    assert response.json()["pesan"] == f"isi permintaan: {message}"
    assert _dump(arch_service) == before
    english = arch_service.client.patch(
        "/api/proses-bisnis/DISKOMINFO.01", content=body,
        headers={**arch_service.auth("admin"), "Content-Type": "application/json",
                 "Accept-Language": "en"})
    assert english.json()["detail"][0]["msg"].startswith(("not valid JSON", "nested too"))


@pytest.mark.parametrize(("method", "path"), [
    ("post", "/sop/derive"), ("patch", "/sop/DISKOMINFO.01.SOP.01"),
    ("post", "/evaluation/whatif"), ("post", "/evaluation/assessments")])
def test_every_json_route_reads_its_body_under_the_limit(make_service: Any, method: str,
                                                         path: str) -> None:
    # only /api/… had the limit: anyone could post a body of any size to these, which
    # FastAPI parsed whole before the token check and echoed back in its 422
    service = make_service(max_upload_bytes=1000)
    big = b'{"x": "' + b"x" * 5000 + b'"}'
    response = service.client.request(method, path, content=big,
                                      headers={"Content-Type": "application/json"})
    assert response.status_code == 413, response.text
    assert response.json()["detail"] == "isi permintaan melebihi batas 1000 byte"
    not_json = service.client.request(method, path, content=b'{"x": NaN}',
                                      headers={"Content-Type": "application/json"})
    assert not_json.json()["detail"][0]["type"] == "json_invalid_constant"


@pytest.mark.parametrize("path", ["/bpmn/import", "/excel/import"])
def test_an_upload_far_past_the_limit_is_refused_before_it_is_parsed(
        make_service: Any, monkeypatch: pytest.MonkeyPatch, path: str) -> None:
    """FastAPI parses a multipart form before any dependency, the token check included,
    and Starlette spools its files to disk whatever their size: an anonymous request could
    fill the server's disk. Past the limit plus the form's wrapping, nothing is parsed."""
    from starlette.requests import Request

    from spbe_arch.api.bodies import FORM_OVERHEAD_BYTES

    parsed: list[str] = []
    real_form = Request._get_form

    async def spy(self: Request, **kwargs: Any) -> Any:
        parsed.append(self.url.path)
        return await real_form(self, **kwargs)

    monkeypatch.setattr(Request, "_get_form", spy)
    service = make_service(max_upload_bytes=1000, anonymous_read=False)
    huge = b"x" * (1000 + FORM_OVERHEAD_BYTES + 1)
    response = service.client.post(path, files={"file": ("model.bpmn", huge)})
    assert response.status_code == 413, response.text
    assert "melebihi batas" in response.json()["detail"]
    assert parsed == []
    # within the wrapping allowance, the route's own check answers as before (a token
    # first: anonymous is 401, after the form was read)
    small = service.client.post(path, files={"file": ("model.bpmn", b"x" * 2000)})
    assert small.status_code == 401
    assert parsed == [path]


@pytest.mark.parametrize("path", ["/tidak-ada", "/api/layanan/X%0AY", "/sop-x"])
def test_an_address_no_route_has_is_refused_in_indonesian(service: Any, path: str) -> None:
    """Starlette answered `{"detail": "Not Found"}`, English and naming nothing."""
    response = service.client.get(path)
    assert response.status_code == 404
    assert response.json() == {
        "detail": f"tidak ada alamat '{path}' di layanan ini; alamat API tercantum di /docs"}
    english = service.client.get(path, headers={"accept-language": "en"})
    assert english.json()["detail"] == (
        f"there is no address '{path}' on this service; the API's addresses are listed at"
        " /docs")
    assert service.client.get(path, params={"lang": "en"}).json() == english.json()


def test_a_method_the_route_does_not_take_keeps_its_allow_header(service: Any) -> None:
    response = service.client.delete("/queries")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.json() == {"detail": "'/queries' tidak menerima metode DELETE; pakai GET"}
    english = service.client.put("/history?lang=en")
    assert english.status_code == 405 and english.headers["allow"] == "GET"
    assert english.json() == {"detail": "'/history' does not take the method PUT; use GET"}


def test_the_web_pages_keep_their_own_answers(service: Any) -> None:
    page = service.client.get("/ui/tidak-ada")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    asset = service.client.get("/ui/static/tidak-ada.css")
    assert asset.status_code == 404 and asset.json() == {"detail": "Not Found"}
