"""The REST resources in the OpenAPI document: one path and one schema family per kind.

The routes are generic (`/api/{kind}`, `/api/{kind}/{code}`: one handler for every kind),
which leaves the schema saying only "an object". `expand_resource_paths` rewrites the
document so that each kind has its own paths (`/api/proses-bisnis`, …: the same URLs the
generic routes answer), its own tag, and its own JSON Schemas, built from the model's
catalogue and, through it, from the ontology and the shapes:

- `{Class}` (e.g. `ProsesBisnis`): a record as the API returns it, every field present;
- `{Class}Create` (POST) and `{Class}Replace` (PUT): what a write takes; `required` lists
  the fields the shapes require (a record without them is refused with 422), and for
  POST the code (PUT takes it from the URL);
- `{Class}Patch`: the same fields, none required (PATCH changes the fields given);
- in the write schemas of a kind that other kinds link to, `@reverse`
  (`model.catalogue.reverse_links`);
- `LangkahSOP` and `LangkahSOPInput`: a step of an SOP (an SOP lists its pelaksana by
  name).

Values are described in their canonical form, the one the API returns: enumerations by
their local name, links by the code of the linked entity, reference classifications by
their code (`RAB.09.03.03`), dates as `YYYY-MM-DD`. The server also accepts what the model
layer accepts on input (an enumeration's label, a number as text, one value for a list).
Nothing here changes what the routes do: the model layer still checks every value and
the shapes every record.
"""

from __future__ import annotations

import copy
import json
from typing import Any, Literal

from spbe_arch.model import KINDS, TOP_LEVEL_KINDS, EntityKind, local_name, metadata
from spbe_arch.model.catalogue import Field, reverse_links

LIST_PATH = "/api/{kind}"
ITEM_PATH = "/api/{kind}/{code}"
JSON_LD_KEYS = {
    "@id": {"type": "string", "format": "iri", "readOnly": True,
            "description": "IRI entitas (diabaikan pada penulisan)"},
    "@context": {"type": "object", "readOnly": True,
                 "description": "Konteks JSON-LD: kunci = nama lokal properti ontologi"},
    "@type": {"description": "Diabaikan pada penulisan"},
}


Variant = Literal["public", "create", "replace", "patch"]
SUFFIXES: dict[str, str] = {"public": "", "create": "Create", "replace": "Replace",
                            "patch": "Patch"}


def schema_name(kind: EntityKind, variant: Variant = "public") -> str:
    """The component name of a kind's schema: its ontology class's local name and the
    variant (`ProsesBisnis`, `ProsesBisnisCreate`, …); the parts of an SOP have one schema
    for what the API returns and one (`…Input`) for what it takes."""
    base = local_name(kind.rdf_class)
    if not kind.top_level:
        return base if variant == "public" else base + "Input"
    return base + SUFFIXES[variant]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _value_schema(kind: EntityKind, field: Field, variant: Variant) -> dict[str, Any]:
    """The schema of one value of `field` (the list around it is added by the caller)."""
    if kind.name == "sop-langkah" and field.kind == "ref" and field.ref_kind == "sop-langkah":
        return {"type": "integer", "minimum": 1,
                "description": "Nomor urut (urutan) langkah yang dituju."}
    if kind.name == "sop-langkah" and field.name == "dilaksanakanOleh":
        return {"type": "string",
                "description": "Nama pelaksana, seperti tertulis di memilikiPelaksana SOP-nya."}
    if field.kind == "integer":
        return {"type": "integer"}
    if field.kind == "date":
        return {"type": "string", "format": "date"}
    if field.kind == "enum":
        assert field.enum_class is not None
        return {"type": "string",
                "enum": [local_name(v) for v in metadata().enum_values(field.enum_class)]}
    if field.kind == "ref":
        assert field.ref_kind is not None
        return {"type": "string",
                "description": f"Kode {KINDS[field.ref_kind].label('id')} yang dirujuk."}
    if field.kind == "reference-code":
        return {"type": "string",
                "description": f"Kode {field.scheme} arsitektur referensi nasional"
                               f" (Perpres 132/2022), mis. {field.scheme}.01."}
    if field.kind == "nested":
        assert field.nested_kind is not None
        if field.nested_kind == "sop-pelaksana":
            return {"type": "string", "description": "Nama pelaksana (peran), berurutan."}
        return _ref(schema_name(KINDS[field.nested_kind], variant))
    schema: dict[str, Any] = {"type": "string"}
    choices = field.choices(kind)
    if choices:
        schema["examples"] = choices
    return schema


def _field_schema(kind: EntityKind, field: Field, variant: Variant, *,
                  nullable: bool) -> dict[str, Any]:
    value = _value_schema(kind, field, variant)
    note = value.pop("description", "")
    if field.many:
        schema: dict[str, Any] = {"type": "array", "items": value}
    elif not nullable:
        schema = value
    elif "$ref" in value:
        schema = {"anyOf": [value, {"type": "null"}]}
    else:
        schema = {**value, "type": [value["type"], "null"]}
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    schema["title"] = field.label("id")
    description = " ".join(t for t in (field.help("id"), note) if t)
    if description:
        schema["description"] = description
    return schema


def record_schema(kind: EntityKind, variant: Variant = "public") -> dict[str, Any]:
    """The JSON Schema of a record of `kind` in one variant:

    - public: as the API returns it, every field present (null or [] when empty);
    - create (POST): the identity and the fields the shapes require must be given;
    - replace (PUT): the same without the identity, which the URL gives;
    - patch: nothing required.
    """
    if variant == "public":
        required = ["@id"] if kind.top_level else []
        required += [f.name for f in kind.fields]
    elif variant == "patch":
        required = []
    else:
        required = [f.name for f in kind.fields
                    if f.kind != "nested" and (
                        (f.identity and kind.top_level and variant == "create")
                        or (not f.identity and f.required_for(kind)))]
    properties: dict[str, Any] = {}
    if kind.top_level:
        properties.update(copy.deepcopy(JSON_LD_KEYS))
        links = reverse_links(kind)
        if links and variant != "public":
            properties["@reverse"] = {
                "type": "object",
                "writeOnly": True,
                "title": "tautan balik",
                "description": (
                    "Entitas lain yang ditautkan ke entitas ini dalam perubahan yang sama"
                    " (tautan ditambahkan, tautan lain tetap): mis. proses bisnis yang"
                    " merealisasikan layanan baru, yang tanpa itu melanggar aturan."),
                "properties": {
                    name: {"type": "array",
                           "items": {"anyOf": [
                               {"type": "string"},
                               {"type": "object", "properties": {"kode": {"type": "string"}},
                                "required": ["kode"]}]},
                           "title": other.label("id"),
                           "description": f"Kode {other.label('id')} yang diberi tautan"
                                          f" {name} ke entitas ini."}
                    for name, (other, _link) in links.items()},
                "additionalProperties": False,
            }
    for field in kind.fields:
        # what the API returns has every field, null when empty; what a write must give
        # cannot be null
        properties[field.name] = _field_schema(
            kind, field, variant, nullable=variant == "public" or field.name not in required)
    schema: dict[str, Any] = {
        "type": "object",
        "title": kind.label("id"),
        "properties": properties,
        # the model layer refuses a key that is no field of the kind (422)
        "additionalProperties": False,
    }
    description = kind.help("id")
    if description:
        schema["description"] = description
    if required:
        schema["required"] = required
    return schema


def component_schemas() -> dict[str, dict[str, Any]]:
    """The schema family of every top-level kind and the parts of an SOP."""
    schemas: dict[str, dict[str, Any]] = {}
    for kind in KINDS.values():
        if kind.name == "sop-pelaksana":
            continue  # an SOP lists its pelaksana by name
        variants: tuple[Variant, ...] = (
            ("public", "create", "replace", "patch") if kind.top_level else ("public", "create"))
        for variant in variants:
            schemas[schema_name(kind, variant)] = record_schema(kind, variant)
    return schemas


def expand_resource_paths(document: dict[str, Any]) -> None:
    """Replace the generic REST paths of `document` by one path per kind (module docstring).
    A document already expanded is left as it is."""
    paths: dict[str, Any] = document.get("paths", {})
    if LIST_PATH not in paths or ITEM_PATH not in paths:
        return
    rebuilt: dict[str, Any] = {}
    for path, item in paths.items():
        if path in (LIST_PATH, ITEM_PATH):
            for name in TOP_LEVEL_KINDS:
                target = f"/api/{name}" if path == LIST_PATH else f"/api/{name}/{{code}}"
                rebuilt[target] = _for_kind(item, KINDS[name], listing=path == LIST_PATH)
        else:
            rebuilt[path] = item
    document["paths"] = rebuilt
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(component_schemas())
    if "#/components/schemas/Kind" not in json.dumps(document):
        schemas.pop("Kind", None)  # the generic routes' path parameter, gone with them
    tags = document.setdefault("tags", [])
    known = {tag.get("name") for tag in tags}
    for name in TOP_LEVEL_KINDS:
        kind = KINDS[name]
        if _tag(kind) not in known:
            tags.append({"name": _tag(kind), "description": kind.help("id")})


def _tag(kind: EntityKind) -> str:
    return f"REST: {kind.label('id')}"


_BODY_VARIANT: dict[str, Variant] = {"post": "create", "put": "replace", "patch": "patch"}
_ACTIONS = {"get": "get", "post": "create", "put": "replace", "patch": "patch",
            "delete": "delete"}


def _for_kind(item: dict[str, Any], kind: EntityKind, *, listing: bool) -> dict[str, Any]:
    result: dict[str, Any] = {}
    record = _ref(schema_name(kind))
    for method, operation in item.items():
        op = copy.deepcopy(operation)
        op["parameters"] = [p for p in op.get("parameters", []) if p.get("name") != "kind"]
        action = "list" if listing and method == "get" else _ACTIONS[method]
        op["operationId"] = f"{kind.name.replace('-', '_')}_{action}"
        op["summary"] = f"{kind.label('id')}: {op.get('summary', '')}"
        op["tags"] = [_tag(kind)]
        if "requestBody" in op:
            body = _ref(schema_name(kind, _BODY_VARIANT[method]))
            op["requestBody"]["content"]["application/json"]["schema"] = body
        for status, response in op.get("responses", {}).items():
            content = response.get("content", {}).get("application/json")
            if content is None or not status.startswith("2"):
                continue
            if listing and method == "get":
                content["schema"] = {
                    "type": "object",
                    "properties": {"@context": JSON_LD_KEYS["@context"],
                                   "items": {"type": "array", "items": record},
                                   "total": {"type": "integer", "minimum": 0},
                                   "offset": {"type": "integer", "minimum": 0},
                                   "limit": {"type": "integer", "minimum": 1}},
                    "required": ["items", "total", "offset", "limit"],
                }
            else:
                content["schema"] = record
        result[method] = op
    return result
