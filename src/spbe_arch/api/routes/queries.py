"""`/queries`: the named-query library (the same `.rq` files as `spbe-arch query`).

`GET /queries` lists them with their parameters; `GET /queries/{name}?param=…` runs one
in the SPARQL endpoint's query engine (same time and size limits) and answers in any
SPARQL result format (JSON, XML, CSV, TSV) by content negotiation or `?format=`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from spbe_arch.api.deps import LangDep, QueryEngineDep, ReaderDep, SettingsDep
from spbe_arch.api.negotiation import FORMAT_PARAMS, negotiate
from spbe_arch.api.query_engine import QueryJob
from spbe_arch.queries import QueryParameterError, get_query, list_queries

router = APIRouter(tags=["Kueri bernama"])

RESERVED = frozenset({"lang", *FORMAT_PARAMS})
"""Query-string names that steer the answer and are never query parameters."""


class QueryParamInfo(BaseModel):
    name: str
    type: str
    required: bool
    description: str


class QueryInfo(BaseModel):
    name: str
    title: str
    description: str
    params: list[QueryParamInfo]
    url: str


@router.get("/queries", summary="Daftar kueri bernama")
def queries_list(request: Request, _: ReaderDep, lang: LangDep) -> list[QueryInfo]:
    return [
        QueryInfo(
            name=q.name, title=q.title(lang), description=q.description(lang),
            params=[QueryParamInfo(name=p.name, type=p.type, required=p.required,
                                   description=p.description(lang)) for p in q.params],
            url=str(request.url_for("queries_run", name=q.name)),
        )
        for q in list_queries()
    ]


_RESULTS: dict[int | str, dict[str, Any]] = {
    200: {"description": "Hasil kueri (SPARQL Results JSON, XML, CSV atau TSV)",
          "content": {"application/sparql-results+json": {}, "application/sparql-results+xml": {},
                      "text/csv": {}, "text/tab-separated-values": {}}},
    400: {"description": "Parameter salah"},
    404: {"description": "Tidak ada kueri dengan nama itu"},
    406: {"description": "Tidak ada format hasil yang cocok dengan Accept"},
    503: {"description": "Kueri melewati batas waktu"},
}


@router.get("/queries/{name}", name="queries_run", responses=_RESULTS,
            summary="Jalankan kueri bernama; parameter kueri sebagai parameter URL")
async def queries_run(
    request: Request,
    _: ReaderDep,
    settings: SettingsDep,
    engine: QueryEngineDep,
    name: Annotated[str, Path(description="Nama kueri, mis. processes-without-sop")],
    format: Annotated[str | None, Query(
        description="json, xml, csv atau tsv (pengganti header Accept)")] = None,
) -> Response:
    query = get_query(name)
    repeated = sorted({k for k, _ in request.query_params.multi_items()
                       if k not in RESERVED and len(request.query_params.getlist(k)) > 1})
    if repeated:
        # one value is bound; silently dropping the others would answer another question
        raise QueryParameterError(
            f"parameter {', '.join(repeated)} diberikan lebih dari sekali; kueri '{name}'"
            " menerima satu nilai per parameter",
            f"the parameter {', '.join(repeated)} is given more than once; query '{name}'"
            " takes one value per parameter")
    values = {k: v for k, v in request.query_params.items() if k not in RESERVED}
    sparql = query.bound_sparql(values)
    formats = negotiate(request.headers.get("accept"),
                        [v for key in FORMAT_PARAMS for v in request.query_params.getlist(key)])
    job = QueryJob(sparql=sparql, base_iri=None, default_graphs=None, named_graphs=None,
                   formats=formats, result_limit=settings.result_limit)
    outcome = await engine.execute_async(job, settings.query_timeout_s)
    return Response(outcome.body, media_type=outcome.media_type, headers={"Vary": "Accept"})
