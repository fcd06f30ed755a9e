"""`/docs`: Swagger UI from the package (nothing from a CDN), and the token in the schema."""

from __future__ import annotations

import re
from typing import Any

ServiceFactory = Any  # tests/api/conftest.py: make_service


def _asset_urls(page: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', page)


def test_docs_page_loads_every_asset_from_the_service(make_service: ServiceFactory) -> None:
    # bound to a non-loopback address: anonymous reading off, the documentation still open
    client = make_service(host="0.0.0.0").client
    page = client.get("/docs")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    urls = _asset_urls(page.text)
    assert {u.rsplit("/", 1)[-1] for u in urls} >= {"swagger-ui-bundle.js", "swagger-ui.css"}
    assert "http://" not in page.text and "https://" not in page.text  # no CDN
    for url in urls:
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert asset.content, url
    bundle = client.get(next(u for u in urls if u.endswith("swagger-ui-bundle.js")))
    assert "javascript" in bundle.headers["content-type"]
    assert b"SwaggerUIBundle" in bundle.content
    assert "url: '/openapi.json'" in page.text


def test_redoc_is_not_served(make_service: ServiceFactory) -> None:
    # FastAPI's /redoc page would load ReDoc from a CDN
    assert make_service().client.get("/redoc").status_code == 404


def test_schema_declares_the_token_the_service_reads(make_service: ServiceFactory) -> None:
    service = make_service(host="0.0.0.0")
    schema = service.client.get("/openapi.json").json()
    assert schema["security"] == [{}, {"tokenApi": []}]
    scheme = schema["components"]["securitySchemes"]["tokenApi"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    assert service.client.get("/openapi.json").json() == schema  # built once, unchanged

    # a client that follows the declaration is let in; without the token, refused
    update = {"content": b"INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }",
              "headers": {"content-type": "application/sparql-update"}}
    refused = service.client.post("/sparql", **update)  # type: ignore[arg-type]
    assert refused.status_code == 401
    header = {"Authorization": f"{scheme['scheme'].capitalize()} {service.tokens['admin']}"}
    accepted = service.client.post(
        "/sparql", content=update["content"],  # type: ignore[arg-type]
        headers={**update["headers"], **header})  # type: ignore[dict-item]
    assert accepted.status_code == 200, accepted.text


def test_every_operation_has_a_summary_and_a_tag_of_its_own(
        make_service: ServiceFactory) -> None:
    # without `summary=`, FastAPI titles the operation after the Python function
    # ("Update Step"): /docs would show English code names among Indonesian summaries.
    # FastAPI's default operationId is function name + path (non-word characters as "_")
    # + "_" + method, so the function's name can be read back from it.
    schema = make_service().client.get("/openapi.json").json()
    operations = [(path, method, op) for path, ops in schema["paths"].items()
                  for method, op in ops.items()]
    assert len(operations) >= 25
    unnamed = []
    for path, method, op in operations:
        suffix = re.sub(r"\W", "_", path) + "_" + method
        # operations the document names itself (the REST resources, per kind) have no
        # FastAPI default to fall back on
        default = op["operationId"].endswith(suffix)
        function = op["operationId"][:-len(suffix)] if default else ""
        if op.get("summary", "") in ("", function.replace("_", " ").title()):
            unnamed.append(f"{method.upper()} {path}")
    assert not unnamed, f"operations without a summary of their own: {unnamed}"
    untagged = [f"{method.upper()} {path}" for path, method, op in operations
                if not op.get("tags")]
    assert not untagged, f"operations without a tag: {untagged}"
