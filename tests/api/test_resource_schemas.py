"""The REST resources in the OpenAPI document (`api.resource_schemas`): one path and one
schema family per kind, and the documents keep their word — every record the API returns
for the demo validates against the documented schema, and what the write schemas say is
required is what the server refuses to do without."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from spbe_arch.access import TokenStore
from spbe_arch.api import create_app
from spbe_arch.datasets import load_demo
from spbe_arch.model import KINDS, TOP_LEVEL_KINDS, local_name
from spbe_arch.repository import open_repository
from spbe_arch.settings import Settings

ADMIN: dict[str, str] = {}


@pytest.fixture(scope="module")
def demo_client() -> Iterator[TestClient]:
    repository = open_repository("memory:")
    load_demo(repository)
    tokens = TokenStore(None)
    ADMIN["Authorization"] = "Bearer " + tokens.create("admin-skema", "admin")[0]
    app = create_app(Settings(store="memory:"), repository, tokens=tokens)
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="module")
def document(demo_client: TestClient) -> dict[str, Any]:
    answer = demo_client.get("/openapi.json")
    assert answer.status_code == 200
    return answer.json()  # type: ignore[no-any-return]


def _validator(document: dict[str, Any], pointer: str) -> Draft202012Validator:
    """A validator for the schema at `pointer` in the OpenAPI document (a component name,
    or a JSON pointer starting with /); its references resolve inside the document."""
    if not pointer.startswith("/"):
        pointer = f"/components/schemas/{pointer}"
    registry: Registry[Any] = Registry().with_resource(
        "urn:openapi", Resource.from_contents(document, default_specification=DRAFT202012))
    return Draft202012Validator({"$ref": f"urn:openapi#{pointer}"}, registry=registry)


def _errors(validator: Draft202012Validator, instance: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(instance)]


def test_each_kind_has_its_own_paths_tag_and_schemas(document: dict[str, Any]) -> None:
    paths = document["paths"]
    assert "/api/{kind}" not in paths and "/api/{kind}/{code}" not in paths
    operation_ids = [op["operationId"] for item in paths.values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))
    schemas = document["components"]["schemas"]
    assert "Kind" not in schemas
    for name in TOP_LEVEL_KINDS:
        kind = KINDS[name]
        base = local_name(kind.rdf_class)
        listing, item = paths[f"/api/{name}"], paths[f"/api/{name}/{{code}}"]
        assert set(listing) == {"get", "post"}
        assert set(item) == {"get", "put", "patch", "delete"}
        for operation in [*listing.values(), *item.values()]:
            assert operation["tags"] == [f"REST: {kind.label('id')}"]
            assert all(p["name"] != "kind" for p in operation.get("parameters", []))
        bodies = {method: item[method]["requestBody"]["content"]["application/json"]["schema"]
                  for method in ("put", "patch")}
        bodies["post"] = listing["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert bodies == {"post": {"$ref": f"#/components/schemas/{base}Create"},
                          "put": {"$ref": f"#/components/schemas/{base}Replace"},
                          "patch": {"$ref": f"#/components/schemas/{base}Patch"}}
        public = schemas[base]
        assert set(public["properties"]) == {"@id", "@context", "@type",
                                             *(f.name for f in kind.fields)}
        assert "kode" in schemas[f"{base}Create"]["required"]
        assert "kode" not in schemas[f"{base}Replace"].get("required", [])
        assert "required" not in schemas[f"{base}Patch"]


def test_every_record_of_the_demo_validates_against_its_schema(
        demo_client: TestClient, document: dict[str, Any]) -> None:
    checked = 0
    for name in TOP_LEVEL_KINDS:
        path = f"/api/{name}"
        listing = demo_client.get(path, params={"limit": 1000})
        assert listing.status_code == 200
        page = _validator(document, f"/paths/~1api~1{name}/get/responses/200/content/"
                                    "application~1json/schema")
        assert not _errors(page, listing.json()), name
        record_validator = _validator(document, local_name(KINDS[name].rdf_class))
        items = listing.json()["items"]
        assert items, f"the demo has no {name}"
        for record in items[:10]:
            one = demo_client.get(f"{path}/{record['kode']}")
            assert one.status_code == 200
            problems = _errors(record_validator, one.json())
            assert not problems, (name, record["kode"], problems)
            checked += 1
    assert checked >= 60


def _as_input(record: dict[str, Any]) -> dict[str, Any]:
    """A record as returned, made into a write body: no JSON-LD keys, no empty values."""
    return {k: v for k, v in record.items()
            if not k.startswith("@") and v is not None and v != []}


@pytest.mark.slow
def test_what_the_write_schemas_require_is_what_the_server_requires(
        demo_client: TestClient, document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for name in TOP_LEVEL_KINDS:
        base = local_name(KINDS[name].rdf_class)
        first = demo_client.get(f"/api/{name}", params={"limit": 1}).json()["items"][0]
        body = _as_input(demo_client.get(f"/api/{name}/{first['kode']}").json())
        body["kode"] = f"{first['kode']}-SKEMA"
        if name in ("layanan", "data"):
            # a new one must be linked from a proses bisnis (a rule across entities)
            link = {"layanan": "merealisasikan", "data": "menghasilkanData"}[name]
            process = demo_client.get("/api/proses-bisnis", params={"limit": 1}).json()
            body["@reverse"] = {link: [process["items"][0]["kode"]]}
        create = _validator(document, f"{base}Create")
        assert not _errors(create, body), (name, _errors(create, body))
        for field in schemas[f"{base}Create"]["required"]:
            partial = {k: v for k, v in body.items() if k != field}
            assert _errors(create, partial), (name, field)
            refused = demo_client.post(f"/api/{name}", json=partial, headers=ADMIN)
            # 400 without a code, 422 with the validation results for a rule's field
            assert refused.status_code in (400, 422), (name, field, refused.status_code,
                                                       refused.text[:300])
        # an enumerated value outside the schema's list is refused by the server too
        enum_field = next((f for f, s in schemas[base]["properties"].items()
                           if "enum" in s), None)
        if enum_field is not None:
            wrong = {**body, enum_field: "BukanNilaiYangAda"}
            assert _errors(create, wrong)
            refused = demo_client.post(f"/api/{name}", json=wrong, headers=ADMIN)
            assert refused.status_code in (400, 422), (name, enum_field, refused.text[:300])
        # and the body the schema accepts is written
        created = demo_client.post(f"/api/{name}", json=body, headers=ADMIN)
        assert created.status_code == 201, (name, created.text[:500])
        assert not _errors(_validator(document, base), created.json())
