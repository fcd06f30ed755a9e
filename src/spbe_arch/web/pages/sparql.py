"""SPARQL: an editor (CodeMirror, SPARQL mode) with the prefixes filled in, the named-query
library as a menu with its parameters, results as a sortable table, CSV/JSON downloads.

Queries run in the app's query engine (`app.state.query_engine`, the worker processes behind
`/sparql` and `/queries`) with the same time and size limits; named-query parameters are
checked and bound by the library (`NamedQuery.bindings`) exactly as `/queries/{name}` does.
The page only reads: a SPARQL Update is a syntax error here (it stays on `/sparql`, admin).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from spbe_arch.api.downloads import content_disposition
from spbe_arch.api.negotiation import Negotiated, choose_graph_format, negotiate
from spbe_arch.api.query_engine import QueryEngine, QueryJob, QueryOutcome
from spbe_arch.errors import InputError, SpbeError
from spbe_arch.queries import PREFIXES, NamedQuery, get_query, list_queries
from spbe_arch.repository.base import bind_values
from spbe_arch.web.context import FormDep, Page, PageDep, form_text
from spbe_arch.web.rendering import WebRoute, element_path, render_template

router = APIRouter(route_class=WebRoute)
SHOWN_ROWS = 500
DOWNLOADS = {"csv": ("text/csv", "csv"), "json": ("application/sparql-results+json", "json"),
             "tsv": ("text/tab-separated-values", "tsv")}


def default_query() -> str:
    """The library's prefixes, then the example of `web/sparql/contoh.rq`."""
    example = (resources.files("spbe_arch.web") / "sparql" / "contoh.rq").read_text(
        encoding="utf-8")
    body = "\n".join(line for line in example.splitlines() if not line.startswith("#"))
    prefixes = "\n".join(f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items())
    return f"{prefixes}\n\n{body.strip()}\n"


@dataclass
class Cell:
    text: str
    href: str | None = None
    title: str | None = None


@dataclass
class ResultView:
    kind: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    total: int = 0
    boolean: bool | None = None
    graph_text: str = ""
    error: str = ""


def shorten(iri: str) -> str:
    for name, namespace in sorted(PREFIXES.items(), key=lambda p: -len(p[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{name}:{iri[len(namespace):]}"
    return iri


def _cell(term: dict[str, Any] | None) -> Cell:
    if term is None:
        return Cell("")
    value = str(term.get("value", ""))
    if term.get("type") == "uri":
        return Cell(shorten(value), element_path(value), value)
    if term.get("type") == "bnode":
        return Cell(f"_:{value}")
    lang = term.get("xml:lang")
    return Cell(value + (f"@{lang}" if lang else ""))


def view_of(outcome: QueryOutcome) -> ResultView:
    if outcome.kind == "graph":
        return ResultView("graph", total=outcome.rows,
                          graph_text=outcome.body.decode("utf-8", "replace"))
    data = json.loads(outcome.body)
    if outcome.kind == "boolean":
        return ResultView("boolean", boolean=bool(data.get("boolean")), total=1)
    columns = list(data.get("head", {}).get("vars", []))
    bindings = data.get("results", {}).get("bindings", [])
    rows = [[_cell(b.get(c)) for c in columns] for b in bindings[:SHOWN_ROWS]]
    return ResultView("solutions", columns, rows, len(bindings))


@dataclass
class QueryRequest:
    text: str
    named: NamedQuery | None
    values: dict[str, str]


def read_request(form: FormData) -> QueryRequest:
    text = form_text(form, "query")
    name = form_text(form, "kueri")
    named = get_query(name) if name else None
    values = {}
    if named is not None:
        values = {p.name: form_text(form, f"param_{p.name}") for p in named.params}
    return QueryRequest(text or (named.sparql if named else ""), named, values)


def bound_text(request: QueryRequest) -> str:
    if not request.text.strip():
        raise InputError("tulis kueri SPARQL dulu", "write a SPARQL query first")
    if request.named is None:
        return request.text
    # the library checks the values (required, type) as /queries/{name} does
    values = {k: v for k, v in request.values.items() if v}
    return bind_values(request.text, request.named.bindings(values))


def run(page: Page, text: str, formats: Negotiated) -> QueryOutcome:
    engine: QueryEngine = page.request.app.state.query_engine
    job = QueryJob(sparql=text, base_iri=None, default_graphs=None, named_graphs=None,
                   formats=formats, result_limit=page.settings.result_limit,
                   allow_service=page.settings.sparql_service)
    return engine.execute(job, page.settings.query_timeout_s)


def _page(page: Page, request: QueryRequest | None, result: ResultView | None,
          status: int = 200) -> Response:
    named = request.named if request else None
    return page.render("sparql.html.j2", status=status, queries=list_queries(),
                       selected=named, text=request.text if request else default_query(),
                       values=request.values if request else {}, result=result)


@router.get("/sparql")
def sparql_page(page: PageDep,
                kueri: Annotated[str | None, Query(max_length=100)] = None) -> Response:
    named = get_query(kueri) if kueri else None
    request = QueryRequest(named.sparql, named, {}) if named else None
    return _page(page, request, None)


@router.post("/sparql")
def sparql_run(page: PageDep, form: FormDep) -> Response:
    """Run the query; an htmx request gets only the result, a plain form post the page."""
    result = ResultView()
    request = QueryRequest(form_text(form, "query"), None, {})
    try:
        request = read_request(form)
        formats = negotiate("application/sparql-results+json, text/turtle;q=0.9")
        result = view_of(run(page, bound_text(request), formats))
    except SpbeError as exc:
        result.error = exc.message(page.lang)
    if page.request.headers.get("hx-request"):
        html = render_template("sparql_result.html.j2", page, result=result)
        return page.finish(HTMLResponse(html))
    return _page(page, request, result)


@router.post("/sparql/unduh")
def sparql_download(page: PageDep, form: FormDep) -> Response:
    chosen = form_text(form, "format") or "csv"
    if chosen not in DOWNLOADS:
        raise InputError(f"format unduhan '{chosen}' tidak dikenal; pilih csv, tsv atau json",
                         f"unknown download format '{chosen}'; choose csv, tsv or json")
    request = QueryRequest(form_text(form, "query"), None, {})
    media, suffix = DOWNLOADS[chosen]
    formats = negotiate(media)
    # CONSTRUCT/DESCRIBE have no table: they download as Turtle
    formats = Negotiated(formats.solutions, formats.boolean, choose_graph_format("text/turtle"))
    try:
        request = read_request(form)
        outcome = run(page, bound_text(request), formats)
    except SpbeError as exc:
        # back to the page with the query as typed and the problem under it (an error page
        # would lose the query)
        return _page(page, request, ResultView(error=exc.message(page.lang)), status=400)
    if outcome.kind == "graph":
        suffix = "ttl"
    name = (request.named.name if request.named else "hasil-kueri") + f".{suffix}"
    return page.finish(Response(outcome.body, media_type=outcome.media_type, headers={
        "Content-Disposition": content_disposition(name)}))
