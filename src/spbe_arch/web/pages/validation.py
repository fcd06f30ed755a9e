"""Validasi: the findings of the newest stored validation report, filterable by OPD, severity
and rule, each linking to its element (and its edit form) with advice on how to fix it; and
"run validation now", which validates and stores a new report.

Findings are the reports' `build_findings` over the stored report (`validation.latest_report`,
as `GET /validation` reads it), so the page, the API and the Laporan Validasi agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from spbe_arch.access import PermissionDeniedError, require_opd_write
from spbe_arch.model import KINDS, TOP_LEVEL_KINDS
from spbe_arch.reports.findings import Finding, build_findings
from spbe_arch.reports.model import gather_architecture
from spbe_arch.validation import latest_report, store_report, validate
from spbe_arch.web.context import PREFIX, FormDep, Page, PageDep
from spbe_arch.web.pages.process import STEP_FIELDS
from spbe_arch.web.rendering import WebRoute, entity_path

router = APIRouter(route_class=WebRoute)
SEVERITIES = ("Violation", "Warning", "Info")
NOTICES = {"divalidasi": "Validasi selesai dan laporannya disimpan."}


@dataclass
class Row:
    finding: Finding
    opd_code: str
    href: str | None
    edit_href: str | None


def _rows(page: Page, findings: list[Finding], opd_codes: dict[str, str]) -> list[Row]:
    rows = []
    for finding in findings:
        opd_code = opd_codes.get(finding.opd, "")
        href = edit = None
        kind = finding.focus_kind
        if kind in TOP_LEVEL_KINDS and finding.focus_kode:
            code = finding.focus_kode
            if kind == "sop" and any(m in finding.focus for m in ("/langkah/", "/pelaksana/")):
                # a step's finding names "CODE langkah N": the link is the SOP's (a code may
                # hold spaces, so only the last two words go)
                code = code.rsplit(" ", 2)[0]
            href = entity_path(kind, code)
            owner = code if kind == "opd" else opd_code
            field = finding.path.rsplit("#", 1)[-1] if finding.path.startswith("http") else ""
            if not page.can_write_opd(owner or None):
                pass
            elif kind == "sop":
                edit = href
                step = finding.focus.rsplit("/langkah/", 1)[-1] if "/langkah/" in \
                    finding.focus else ""
                if step.isdigit() and field in STEP_FIELDS:
                    edit = f"{href}#langkah-{step}-{field}"  # its cell in the steps form
            elif field and KINDS[kind].has_field(field):
                edit = f"{href}/ubah#f-{field}"
            elif not finding.path:
                edit = f"{href}/ubah"
            # a path through another element (an inverse link) is fixed there, not here
        rows.append(Row(finding, opd_code, href, edit))
    return rows


@router.get("/validasi")
def validation_page(page: PageDep,
                    opd: Annotated[str | None, Query(max_length=200)] = None,
                    tingkat: Annotated[str | None, Query(max_length=20)] = None,
                    aturan: Annotated[str | None, Query(max_length=500)] = None,
                    pesan: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    report = latest_report(page.repository, page.instansi)
    data = gather_architecture(page.repository, page.instansi)
    opd_codes = {o.iri: o.kode for o in data.opds}
    findings = build_findings(report.results, data, page.repository, page.lang) \
        if report is not None else []
    rules = sorted({(f.rule_key, f.rule) for f in findings}, key=lambda r: r[1])
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
    shown = [f for f in findings
             if (not opd or opd_codes.get(f.opd) == opd)
             and (not tingkat or f.severity == tingkat)
             and (not aturan or f.rule_key == aturan)]
    return page.render(
        "validation.html.j2", report=report, rows=_rows(page, shown, opd_codes),
        total=len(findings), counts=counts, rules=rules,
        opds=sorted((o.kode, o.nama) for o in data.opds),
        filters={"opd": opd or "", "tingkat": tingkat or "", "aturan": aturan or ""},
        severities=SEVERITIES, may_run=page.can_write_any,
        notice=page.t(NOTICES[pesan]) if pesan in NOTICES else "")


@router.post("/validasi/jalankan")
def run_validation(page: PageDep, form: FormDep) -> Response:
    """Validate the instansi now and store the report (editors and admins: it writes a
    report graph and takes a few seconds of the server's time)."""
    if not page.can_write_any:
        if not page.principal.authenticated:
            require_opd_write(page.principal, [], "menjalankan validasi", "running validation")
        raise PermissionDeniedError(
            "menjalankan validasi memerlukan peran editor atau admin",
            "running validation needs the editor or admin role")
    with page.request.app.state.write_lock:
        report = validate(page.repository, instansi=page.instansi, lang=page.lang)
        store_report(page.repository, report, page.instansi, agent=page.principal.name)
    return page.redirect(f"{PREFIX}/validasi?pesan=divalidasi")
