"""The W3C SPARQL 1.1 Protocol and Graph Store Protocol test cases, run from their manifests.

Each manifest entry is a list of HTTP requests with expected answers; every entry runs
against a fresh app over an empty in-memory store (plus the entry's `ut:graphData`),
in process. Paths `/sparql/…` and `/gsp…` map to our `/sparql` and `/rdf-graph-store`.
Requests carry an admin token (updates and Graph Store writes need one).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.term import Node

from spbe_arch.repository import LoadSource

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "w3c-sparql11"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

NAMED_STATUS = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404}
RESULT_TYPES = {"application/sparql-results+json", "application/sparql-results+xml",
                "application/json", "application/xml", "text/xml", "text/csv",
                "text/tab-separated-values"}
RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt",
             "application/rdf+xml": "xml", "application/ld+json": "json-ld"}


@dataclass
class HttpExchange:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: list[str]
    expected_boolean: bool | None = None
    expected_format: str | None = None
    expected_location: str | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: str | None = None


@dataclass
class ManifestCase:
    name: str
    title: str
    graph_data: list[tuple[Path, str]]
    exchanges: list[HttpExchange]


def _headers(graph: Graph, node: Node | None) -> dict[str, str]:
    if node is None:
        return {}
    return {str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue))
            for h in Collection(graph, node)}


def _body(graph: Graph, node: Node | None) -> tuple[bytes | None, str | None]:
    if node is None:
        return None, None
    text = str(graph.value(node, CNT.chars))
    encoding = str(graph.value(node, CNT.characterEncoding) or "UTF-8")
    return text.encode(encoding.lower()), text


def _status_name(term: Node) -> str:
    return str(term).rsplit("#", 1)[-1]


def load_cases(manifest: Path) -> list[ManifestCase]:
    graph = Graph().parse(manifest, format="turtle", publicID=manifest.as_uri())
    entries: list[Node] = []
    for root in graph.subjects(RDF.type, MF.Manifest):
        for included in Collection(graph, graph.value(root, MF.include) or RDF.nil):
            graph.parse(Path(str(included).removeprefix("file://")), format="turtle",
                        publicID=str(included))
    for root in graph.subjects(RDF.type, MF.Manifest):
        entries += list(Collection(graph, graph.value(root, MF.entries) or RDF.nil))
    cases = []
    for entry in entries:
        data = []
        for item in graph.objects(entry, UT.graphData):
            source = Path(str(graph.value(item, UT.graph)).removeprefix("file://"))
            data.append((source, str(graph.value(item, RDFS.label))))
        action = graph.value(entry, MF.action)
        exchanges = []
        for request in Collection(graph, graph.value(action, HT.requests)):
            response = graph.value(request, HT.resp)
            body, _ = _body(graph, graph.value(request, HT.body))
            _, response_text = _body(graph, graph.value(response, HT.body))
            boolean = graph.value(response, MF.expectedBoolean)
            fmt = graph.value(response, MF.expectedFormat)
            location = graph.value(response, MF.expectedLocation)
            exchanges.append(HttpExchange(
                method=str(graph.value(request, HT.methodName)),
                path=str(graph.value(request, HT.absolutePath)),
                headers=_headers(graph, graph.value(request, HT.headers)),
                body=body,
                statuses=sorted(_status_name(s)
                                for s in graph.objects(response, MF.expectedStatus)),
                expected_boolean=None if boolean is None else bool(boolean.toPython()),
                expected_format=None if fmt is None else str(fmt),
                expected_location=None if location is None else str(location),
                response_headers=_headers(graph, graph.value(response, HT.headers)),
                response_body=response_text,
            ))
        name = str(entry).rsplit("#", 1)[-1]
        cases.append(ManifestCase(name, str(graph.value(entry, MF.name)), data, exchanges))
    return cases


PROTOCOL_CASES = load_cases(FIXTURES / "protocol" / "manifest.ttl")
GSP_CASES = load_cases(FIXTURES / "graph-store-protocol" / "manifest.ttl")


def test_manifests_have_every_case() -> None:
    assert len(PROTOCOL_CASES) == 34
    assert len(GSP_CASES) == 13  # 4 direct + 9 indirect entries


def _map_path(path: str) -> str:
    if path.startswith("/sparql/"):
        return "/sparql" + path[len("/sparql/"):]
    if path.startswith("/gsp"):
        return "/rdf-graph-store" + path[len("/gsp"):]
    raise AssertionError(f"unexpected path {path}")


def _status_ok(status: int, expected: list[str]) -> bool:
    for name in expected:
        if name.startswith("StatusCode") and status // 100 == int(name[len("StatusCode")]):
            return True
        if NAMED_STATUS.get(name) == status:
            return True
    return False


def _boolean(content_type: str, body: bytes) -> bool:
    if "json" in content_type:
        value = json.loads(body)["boolean"]
        assert isinstance(value, bool)
        return value
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
    assert isinstance(parsed, ox.QueryBoolean)
    return bool(parsed)


def run_case(case: ManifestCase, service: Any) -> None:
    for source, name in case.graph_data:
        service.repository.load([LoadSource(source, "ntriples", URIRef(name), source.name)])
    variables: dict[str, str] = {}
    for number, exchange in enumerate(case.exchanges, start=1):
        path = exchange.path
        body = exchange.body
        for key, value in variables.items():
            path = path.replace(key, value)
            body = body.replace(key.encode(), value.encode()) if body is not None else None
        headers = {**exchange.headers, **service.auth("admin")}
        response = service.client.request(exchange.method, _map_path(path), headers=headers,
                                          content=body, follow_redirects=False)
        where = f"{case.name} request {number} ({exchange.method} {path})"
        assert _status_ok(response.status_code, exchange.statuses), (
            f"{where}: status {response.status_code}, expected {exchange.statuses}:"
            f" {response.text[:500]}")
        assert response.status_code < 500, where
        content_type = response.headers.get("content-type", "").split(";")[0].strip()
        if exchange.expected_format == "boolean" or exchange.expected_boolean is not None:
            assert content_type in RESULT_TYPES, f"{where}: {content_type}"
        if exchange.expected_boolean is not None:
            assert _boolean(content_type, response.content) is exchange.expected_boolean, where
        if exchange.expected_format == "tabular":
            assert content_type in RESULT_TYPES, f"{where}: {content_type}"
        if exchange.expected_format == "RDF":
            assert content_type in RDF_TYPES, f"{where}: {content_type}"
            Graph().parse(data=response.content, format=RDF_TYPES[content_type])
        if exchange.expected_location is not None:
            assert "location" in response.headers, where
            variables[exchange.expected_location] = response.headers["location"]
        expected_type = exchange.response_headers.get("content-type")
        if expected_type is not None:
            assert content_type == expected_type.split(";")[0].strip(), where
        if exchange.response_body is not None:
            expected = Graph().parse(data=exchange.response_body, format="turtle")
            actual = Graph().parse(data=response.content, format=RDF_TYPES[content_type])
            assert isomorphic(expected, actual), (
                f"{where}: graph differs:\n{response.text}")


@pytest.mark.parametrize("case", PROTOCOL_CASES, ids=lambda c: c.name)
def test_sparql_protocol(case: ManifestCase, service: Any) -> None:
    run_case(case, service)


@pytest.mark.parametrize("case", GSP_CASES, ids=lambda c: c.name)
def test_graph_store_protocol(case: ManifestCase, service: Any) -> None:
    run_case(case, service)
