"""The OpenAPI document declares the error answers each operation really gives, with the
body the service really sends (`api/openapi_errors.py`). Most operations declared none of
their 400/401/403/404/413/415/503, so a negative Schemathesis run met 62 undocumented
status codes."""

from __future__ import annotations

import re
from typing import Any

import jsonschema
import pytest

REQUESTS: list[tuple[str, str, str, dict[str, Any]]] = [
    # (method, URL, operation's path in the document, request options)
    ("GET", "/api/proses-bisnis?opd=TIDAKADA", "/api/proses-bisnis", {}),
    ("GET", "/api/layanan?ref=RAL.99", "/api/layanan", {}),
    ("GET", "/api/opd?ref=RAB.01", "/api/opd", {}),
    ("GET", "/api/opd?limit=0", "/api/opd", {}),
    ("GET", "/api/opd/TIDAKADA", "/api/opd/{code}", {}),
    ("GET", "/api/opd", "/api/opd", {"token": "salah"}),
    ("POST", "/api/opd", "/api/opd", {"role": "reader", "json": {"kode": "X", "nama": "X"}}),
    ("POST", "/api/opd", "/api/opd", {"role": "admin", "json": {"kode": "DISKOMINFO",
                                                               "nama": "X"}}),
    ("POST", "/api/layanan", "/api/layanan", {"role": "admin", "json": {
        "kode": "LYN-BARU", "nama": "Baru", "unitPelaksana": "DISKOMINFO"}}),
    ("PATCH", "/api/opd/DISKOMINFO", "/api/opd/{code}", {
        "role": "admin", "json": {"nama": "X"}, "headers": {"if-match": '"lama"'}}),
    ("DELETE", "/api/opd/%20", "/api/opd/{code}", {"role": "admin"}),
    ("PUT", "/api/opd/DISKOMINFO", "/api/opd/{code}", {
        "role": "admin", "content": b"{" * 200_000, "headers": {
            "content-type": "application/json"}}),
    ("POST", "/validation", "/validation", {"content": b"x", "headers": {
        "content-type": "image/png"}}),
    ("POST", "/validation/run?instansi=3547", "/validation/run", {"role": "admin"}),
    ("GET", "/evaluation/status?instansi=3547", "/evaluation/status", {}),
    ("GET", "/excel/template?opd=TIDAKADA", "/excel/template", {}),
    ("GET", "/queries/tidak-ada", "/queries/{name}", {}),
    ("GET", "/sparql?query=SELEKSI", "/sparql", {}),
]


@pytest.fixture
def service_and_document(make_service: Any) -> tuple[Any, dict[str, Any]]:
    from tests.api.conftest import architecture_repository

    service = make_service(architecture_repository(), max_upload_bytes=100_000)
    return service, service.client.get("/openapi.json").json()


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    # the components as a registry-free schema: $refs point into the document itself
    return {**schema, "components": document["components"]}


@pytest.mark.parametrize(("method", "url", "path", "options"), REQUESTS,
                         ids=[f"{m} {u}" for m, u, _, _ in REQUESTS])
def test_an_error_answer_is_declared_with_its_body(
        service_and_document: tuple[Any, dict[str, Any]], method: str, url: str, path: str,
        options: dict[str, Any]) -> None:
    service, document = service_and_document
    headers = dict(options.get("headers", {}))
    if "role" in options:
        headers.update(service.auth(options["role"]))
    if "token" in options:
        headers["Authorization"] = f"Bearer {options['token']}"
    response = service.client.request(method, url, headers=headers, json=options.get("json"),
                                      content=options.get("content"))
    assert 400 <= response.status_code < 600, response.text
    operation = document["paths"][path][method.lower()]
    declared = operation["responses"].get(str(response.status_code))
    assert declared is not None, (response.status_code, sorted(operation["responses"]))
    assert declared["description"]
    media = response.headers["content-type"].split(";")[0]
    assert media in declared["content"], (media, declared["content"])
    schema = declared["content"][media]["schema"]
    body = response.json() if media == "application/json" else response.text
    jsonschema.validate(body, _resolve(schema, document))


def test_every_operation_declares_its_errors_in_one_shape(
        service_and_document: tuple[Any, dict[str, Any]]) -> None:
    _, document = service_and_document
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            errors = {int(code) for code in responses if int(code) >= 400}
            where = f"{method.upper()} {path}"
            if operation.get("parameters") or operation.get("requestBody"):
                assert {400, 422} <= errors, where
            if re.search(r"\{\w+\}", path):
                assert 404 in errors, where
            if method in ("post", "put", "patch") and operation.get("requestBody"):
                assert 413 in errors, where
            for code in errors:
                assert responses[str(code)]["content"], where
                # FastAPI's English description of its 422 is replaced
                assert responses[str(code)]["description"] != "Validation Error", where
    # every documented operation but the JSON-LD context reads the token
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if path != "/context.jsonld":
                assert "401" in operation["responses"], f"{method.upper()} {path}"
    schemas = document["components"]["schemas"]
    assert "PesanKesalahan" in schemas and "HTTPValidationError" not in schemas


def test_the_not_modified_answer_of_a_conditional_get_is_declared(
        service_and_document: tuple[Any, dict[str, Any]]) -> None:
    """`GET /api/{kind}/{code}` answers 304 to an If-None-Match naming its ETag; the document
    said only 200 and 404."""
    from spbe_arch.model import TOP_LEVEL_KINDS

    service, document = service_and_document
    first = service.client.get("/api/opd/DISKOMINFO")
    assert first.status_code == 200
    again = service.client.get("/api/opd/DISKOMINFO",
                               headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.headers["etag"] == first.headers["etag"]
    for name in TOP_LEVEL_KINDS:
        declared = document["paths"][f"/api/{name}/{{code}}"]["get"]["responses"].get("304")
        assert declared is not None, name
        assert "If-None-Match" in declared["description"] and "ETag" in declared["headers"]
        assert not declared.get("content")
