"""`/validation`: the latest stored validation report, and validating an upload.

- `GET /validation?instansi=&opd=&severity=&rule=&offset=&limit=`: the newest report stored
  for the body (`spbe-arch validate --store …` stores one), its results filtered by OPD,
  severity (Violation, Warning, Info) and rule (the shape's name or IRI), a page of them;
- `POST /validation`: validate the RDF in the request body against the project's shapes,
  without storing anything;
- `POST /validation/run`: validate the repository now and store the report (editors and
  admins), as `spbe-arch validate --store` does when no server holds the store.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool

from spbe_arch import iris
from spbe_arch.access import PermissionDeniedError, Role, require_opd_write
from spbe_arch.api.bodies import read_body
from spbe_arch.api.deps import (
    InstansiQuery,
    LangDep,
    PrincipalDep,
    ReaderDep,
    RepositoryDep,
    SettingsDep,
    require_instansi,
)
from spbe_arch.api.sparql_protocol import ProtocolError, media_type_of
from spbe_arch.errors import InputError, SpbeError
from spbe_arch.model import stored_opds
from spbe_arch.validation import ValidationReport, latest_report, store_report, validate

router = APIRouter(prefix="/validation", tags=["Validasi"])

UPLOAD_SUFFIX = {"text/turtle": ".ttl", "application/x-turtle": ".ttl",
                 "application/n-triples": ".nt", "application/rdf+xml": ".rdf",
                 "application/ld+json": ".jsonld", "application/trig": ".trig",
                 "application/n-quads": ".nq"}
SEVERITIES = ("Violation", "Warning", "Info")


class ReportNotFoundError(InputError):
    http_status = 404


@router.get("", summary="Laporan validasi terakhir yang tersimpan (dapat disaring)",
            responses={404: {"description": "Belum ada laporan tersimpan"}})
async def validation_latest(
    _: ReaderDep,
    repository: RepositoryDep,
    settings: SettingsDep,
    lang: LangDep,
    instansi: InstansiQuery = None,
    opd: Annotated[str | None, Query(description="Kode OPD", max_length=200)] = None,
    severity: Annotated[str | None, Query(pattern="^(Violation|Warning|Info)$")] = None,
    rule: Annotated[str | None, Query(description="Nama atau IRI shape", max_length=500)
                    ] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000,
                                 description="Lewati sekian hasil pertama")] = 0,
    limit: Annotated[int | None, Query(ge=1, le=100_000, description=(
        "Paling banyak sekian hasil; tanpa limit: semua"))] = None,
) -> dict[str, Any]:
    kode = instansi or settings.instansi
    # `?opd=` (or only white space) from an empty form field: no filter
    opd, rule = (opd or "").strip() or None, (rule or "").strip() or None
    report = await run_in_threadpool(latest_report, repository, kode)
    if report is None:
        await run_in_threadpool(require_instansi, repository, kode, instansi)
        raise ReportNotFoundError(
            f"belum ada laporan validasi tersimpan untuk instansi {kode}; jalankan"
            f" `spbe-arch validate --instansi {kode} --store`, atau POST /validation/run"
            " selama server berjalan",
            f"no stored validation report for instansi {kode} yet; run"
            f" `spbe-arch validate --instansi {kode} --store`, or POST /validation/run"
            " while the server runs",
        )
    if opd is not None:
        known = await run_in_threadpool(stored_opds, repository)
        if str(iris.element_iri(kode, "opd", opd)) not in known:
            raise ReportNotFoundError(
                f"perangkat daerah '{opd}' tidak ada di instansi {kode}",
                f"there is no perangkat daerah '{opd}' in instansi {kode}")
    return _answer(report, kode, lang, opd, severity, rule, offset=offset, limit=limit)


@router.post("/run", summary="Validasi repositori sekarang dan simpan laporannya"
             " (editor / admin)",
             responses={401: {"description": "Perlu token API"},
                        403: {"description": "Perlu peran editor atau admin"},
                        404: {"description": "Instansi tidak ada di repositori"}})
async def validation_run(request: Request, principal: PrincipalDep, repository: RepositoryDep,
                         settings: SettingsDep, lang: LangDep,
                         instansi: InstansiQuery = None,
                         ) -> dict[str, Any]:
    """What `spbe-arch validate --store` does, for a server that holds the store (the CLI
    cannot open it then): the report becomes the one `GET /validation` answers."""
    kode = instansi or settings.instansi
    # an editor's OPDs belong to one instansi: its report is the one an editor may store
    # (any instansi code was taken, so an editor could store reports of another body)
    if not (principal.is_admin or (principal.role is Role.editor and principal.opds)):
        require_opd_write(principal, [], "menjalankan validasi", "running validation")
    own = f"{iris.instansi_iri(kode)}/"
    if not principal.is_admin and not any(o.startswith(own) for o in principal.opds):
        raise PermissionDeniedError(
            f"menjalankan validasi: token '{principal.name}' tidak berwenang atas OPD mana"
            f" pun di instansi {kode}",
            f"running validation: token '{principal.name}' has no rights over any OPD of"
            f" instansi {kode}")

    await run_in_threadpool(require_instansi, repository, kode, instansi)

    def run() -> ValidationReport:
        # the write lock: the report describes one state of the repository
        with request.app.state.write_lock:
            report = validate(repository, instansi=kode, lang=lang)
            store_report(repository, report, kode, agent=principal.name)
            return report

    return _answer(await run_in_threadpool(run), kode, lang)


def _answer(report: ValidationReport, kode: str, lang: str, opd: str | None = None,
            severity: str | None = None, rule: str | None = None, *, offset: int = 0,
            limit: int | None = None) -> dict[str, Any]:
    results = [r for r in report.results
               if (opd is None or r.opd == opd)
               and (severity is None or r.severity_name == severity)
               and (rule is None or rule in (r.shape_name(), str(r.source_shape)))]
    # counts and `matched` are of every filtered result, not of one page: a client paging
    # through the Violations still sees how many there are
    shown = dataclasses.replace(report, results=results)
    page = results[offset:None if limit is None else offset + limit]
    return {
        # the whole report's verdict: a filter must not turn a failing repository into a
        # conforming one (`?severity=Warning` has no Violation in it)
        "conforms": report.conforms,
        "report": str(report.iri) if report.iri else None,
        "generated": report.stamp,
        "instansi": kode,
        "filters": {"opd": opd, "severity": severity, "rule": rule},
        "counts": shown.counts(),
        "total": len(report.results),
        "matched": len(results),
        "offset": offset,
        "limit": limit,
        "results": [{**r.to_json(lang), "opd": r.opd} for r in page],
    }


@router.post("", summary="Validasi RDF yang diunggah (tidak disimpan)",
             openapi_extra={"requestBody": {"content": {
                 m: {"schema": {"type": "string"}} for m in UPLOAD_SUFFIX}}})
async def validation_upload(request: Request, _: ReaderDep, settings: SettingsDep,
                            lang: LangDep) -> dict[str, Any]:
    media, _params = media_type_of(request.headers.get("content-type"))
    suffix = UPLOAD_SUFFIX.get(media)
    if suffix is None:
        raise ProtocolError(
            f"format RDF '{media or 'tanpa Content-Type'}' tidak didukung; pakai"
            f" {', '.join(sorted(UPLOAD_SUFFIX))}",
            f"RDF format '{media or 'none'}' is not supported; use"
            f" {', '.join(sorted(UPLOAD_SUFFIX))}", 415)
    data = await read_body(request, settings)

    def run() -> dict[str, Any]:
        with tempfile.TemporaryDirectory(prefix="spbe-validasi-") as folder:
            path = Path(folder) / f"unggahan{suffix}"
            path.write_bytes(data)
            try:
                report = validate([path], lang=lang)
            except SpbeError as exc:
                _name_the_upload(exc, str(path), path.name)
                raise
            result: dict[str, Any] = report.to_json(lang)
            return result

    return await run_in_threadpool(run)


def _name_the_upload(error: SpbeError, path: str, name: str) -> None:
    """Errors about the upload name it, not the server's temporary folder (which means
    nothing to the client and tells it about the server)."""
    for each in [error, *getattr(error, "problems", [])]:
        if isinstance(each, SpbeError) and each.location is not None \
                and each.location.file == path:
            each.location.file = name
