"""Referensi: the national reference trees (RAB, RAL, RAD, …) with what the instansi maps
to each code, and which codes nothing covers yet.

The tree follows `skos:broader` (never the codes' shape) and the instansi's elements and
reference concepts come from the reports' whole-instansi view (`gather_architecture`), the
same data the Dokumen Arsitektur and the Laporan Kesesuaian Referensi are written from.

An admin also gets the form that replaces a provisional RAA, RAI or RAK list with the
official one (the service of `spbe-arch reference import` and `PUT /api/referensi/{skema}`;
the upload is read by `api.reference_upload`, as the API reads it). "Periksa dulu" shows the
plan without writing and keeps the file in a staging folder of its own (the `/ui/impor`
mechanism, `imports.Staging`, tied to the browser's form token), so that confirming imports
exactly the file and options that were checked without a second upload; "Impor" imports at
once and shows what it did. The file's problems are shown at the file field with their
file, row and column; nothing is written then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.datastructures import FormData, UploadFile

from spbe_arch.access import require_admin
from spbe_arch.api.reference_upload import official_list_from_upload
from spbe_arch.api.reference_upload import repository_lacks as api_repository_lacks
from spbe_arch.errors import InputError, InputProblems, SpbeError
from spbe_arch.model import REFERENCE_SCHEMES
from spbe_arch.reference.replace import REPLACEABLE, ReplacementPlan, replace_list
from spbe_arch.reference.schemes import ReferenceNotLoadedError
from spbe_arch.reports.model import DOMAINS, ArchitectureData, Concept, Element, gather_architecture
from spbe_arch.web.context import FormDep, Page, PageDep, app_state, form_text
from spbe_arch.web.pages.imports import Staging
from spbe_arch.web.rendering import WebRoute

router = APIRouter(route_class=WebRoute)
MAIN_SCHEMES = ("RAB", "RAL", "RAD")
IMPORT_FIELDS = ("skema", "berkas", "sumber")
"""The import form's fields, in the order its error summary lists them."""


@dataclass
class Node:
    concept: Concept
    elements: list[Element] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    covered_leaves: int = 0
    leaves: int = 0

    @property
    def covered(self) -> bool:
        return bool(self.elements) or self.covered_leaves > 0


def build_tree(data: ArchitectureData, scheme: str) -> list[Node]:
    concepts = data.concepts_by_prefix.get(scheme, [])
    nodes = {c.iri: Node(c) for c in concepts}
    kinds = {d.kind for d in DOMAINS if d.prefix == scheme}
    for kind in kinds:
        for element in data.elements.get(kind, []):
            if element.klasifikasi in nodes:
                nodes[element.klasifikasi].elements.append(element)
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.concept.broader) if node.concept.broader else None
        (parent.children if parent is not None else roots).append(node)

    def settle(node: Node, seen: frozenset[str]) -> None:
        node.children.sort(key=lambda n: n.concept.code)
        node.elements.sort(key=lambda e: e.kode)
        if not node.children:
            node.leaves = 1
            node.covered_leaves = 1 if node.elements else 0
            return
        for child in node.children:
            if child.concept.iri not in seen:
                settle(child, seen | {child.concept.iri})
        node.leaves = sum(c.leaves for c in node.children)
        node.covered_leaves = sum(c.covered_leaves for c in node.children)

    roots.sort(key=lambda n: n.concept.code)
    for root in roots:
        settle(root, frozenset({root.concept.iri}))
    return roots


@dataclass
class ImportForm:
    """The import form: its values (as typed when refused) and what was said about them.
    `problems` are the file's, each (where: file, row, column; message)."""

    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    general: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.errors or self.problems or self.general)


def _render(page: Page, skema: str, hanya: str | None = None,
            form: ImportForm | None = None, status: int = 200) -> Response:
    scheme = skema.upper() if skema.upper() in REFERENCE_SCHEMES else "RAB"
    data = gather_architecture(page.repository, page.instansi)
    roots = build_tree(data, scheme)
    leaves = sum(r.leaves for r in roots)
    covered = sum(r.covered_leaves for r in roots)
    concepts = data.concepts_by_prefix.get(scheme, [])
    known = {c.iri for c in concepts}
    unclassified = [e for d in DOMAINS if d.prefix == scheme
                    for e in data.elements.get(d.kind, []) if e.klasifikasi not in known]
    # whether a list is provisional is the data's say (`spbe:provisional` of its scheme):
    # an official list loaded with `spbe-arch reference import` is not
    provisional_schemes = [s for s in REFERENCE_SCHEMES
                           if any(c.provisional for c in data.concepts_by_prefix.get(s, []))]
    if form is None:
        chosen = scheme if scheme in REPLACEABLE else next(
            (s for s in provisional_schemes if s in REPLACEABLE), REPLACEABLE[0])
        form = ImportForm({"skema": chosen, "sumber": ""})
    return page.render("reference.html.j2", status=status, scheme=scheme,
                       schemes=REFERENCE_SCHEMES, provisional_schemes=provisional_schemes,
                       main_schemes=MAIN_SCHEMES, roots=roots, leaves=leaves, covered=covered,
                       only_uncovered=hanya == "belum", unclassified=unclassified,
                       loaded=bool(concepts), provisional=any(c.provisional for c in concepts),
                       scheme_name=next((c.scheme_name for c in concepts), scheme),
                       may_import=page.principal.is_admin, replaceable=REPLACEABLE,
                       import_form=form, import_fields=IMPORT_FIELDS)


@router.get("/referensi")
def reference(page: PageDep,
              skema: Annotated[str, Query(max_length=10)] = "RAB",
              hanya: Annotated[str | None, Query(max_length=20)] = None) -> Response:
    return _render(page, skema, hanya)


# --- replacing a provisional list with the official one ---------------------------------------

def _require_admin(page: Page) -> None:
    require_admin(page.principal, "mengganti daftar referensi", "replacing a reference list")


def reference_staging(page: Page) -> Staging:
    """A staging area of its own: a key staged here is no upload of `/ui/impor`, and the
    other way round (each page imports only what it previewed itself)."""
    return app_state(page.request, "web_reference_staging", Staging)


def _said(page: Page, exc: SpbeError) -> str:
    return exc.message_en if page.lang == "en" else exc.message_id


def _explain(page: Page, exc: SpbeError, form: ImportForm) -> None:
    """A refused upload at the field it concerns: the scheme at `skema`, the file's
    problems (each with its file, row and column) at `berkas`."""
    field_name = exc.location.field if isinstance(exc, InputError) and exc.location else None
    if field_name == "skema":
        form.errors.setdefault("skema", []).append(_said(page, exc))
        return
    problems = exc.problems if isinstance(exc, InputProblems) else [exc]
    form.problems.extend((p.location.describe(page.lang) if p.location else "", _said(page, p))
                         for p in problems)
    form.errors.setdefault("berkas", []).append(page.t(
        "Berkas ini punya {n} masalah; perbaiki lalu pilih berkasnya lagi. Tidak ada yang"
        " disimpan.", n=len(problems)))


def _planned(page: Page, data: bytes, name: str, options: dict[str, str], dry_run: bool,
             form: ImportForm) -> ReplacementPlan | None:
    """The plan (stored unless `dry_run`), or None with the refusal put into `form`."""
    try:
        official = official_list_from_upload(data, name, options["skema"], page.settings)
    except (InputError, InputProblems) as exc:
        _explain(page, exc, form)
        return None
    try:
        return replace_list(page.repository, official, agent=page.principal.name,
                            source=options["sumber"] or None, instansi=page.instansi,
                            dry_run=dry_run, lock=page.request.app.state.write_lock)
    except InputError as exc:
        # the repository lacks the reference or the scheme (the service names `skema`):
        # its state, which the operator fixes, not the form's
        lacks = isinstance(exc, ReferenceNotLoadedError) or (
            exc.location is not None and exc.location.field == "skema")
        form.general.append(_said(page, api_repository_lacks(exc) if lacks else exc))
        return None


def _plan_page(page: Page, plan: ReplacementPlan, key: str = "") -> Response:
    return page.render("reference_import.html.j2", plan=plan, key=key)


async def _upload(page: Page, form: FormData) -> tuple[str, bytes] | None:
    item = form.get("berkas")
    if not isinstance(item, UploadFile) or not item.filename:
        return None
    return Path(item.filename.replace("\\", "/")).name, await item.read(
        page.settings.max_upload_bytes + 1)


@router.post("/referensi/impor")
async def import_list(page: PageDep, form: FormDep) -> Response:
    """The form's two buttons: "Periksa dulu" (`aksi=periksa`: the plan, nothing written,
    the file staged for the confirmation) and "Impor" (`aksi=impor`: imported at once)."""
    _require_admin(page)  # before anything is read or staged
    options = {"skema": form_text(form, "skema").upper(), "sumber": form_text(form, "sumber")}
    state = ImportForm(dict(options))
    upload = await _upload(page, form)
    if upload is None:
        state.errors["berkas"] = [page.t("Pilih berkas daftar kode (.csv, .xlsx atau .json).")]
        return await run_in_threadpool(_render, page, options["skema"], None, state, 422)
    name, data = upload
    # without a button's value (a form sent by Enter in some browsers): only check
    dry_run = form_text(form, "aksi") != "impor"
    plan = await run_in_threadpool(_planned, page, data, name, options, dry_run, state)
    if plan is None:
        return await run_in_threadpool(_render, page, options["skema"], None, state,
                                       409 if state.general else 422)
    key = reference_staging(page).put(page.csrf, [(name, data)], options) \
        if dry_run and not plan.unchanged else ""
    return _plan_page(page, plan, key)


@router.post("/referensi/impor/simpan")
def import_staged(page: PageDep, form: FormDep) -> Response:
    """Import the list a "Periksa dulu" staged, with the options it was checked with; the
    service checks everything again (the repository may have changed meanwhile)."""
    _require_admin(page)
    name, data, stored = reference_staging(page).get(page.csrf, form_text(form, "kunci"), 0)
    options = {"skema": str(stored.get("skema", "")), "sumber": str(stored.get("sumber", ""))}
    state = ImportForm(dict(options))
    plan = _planned(page, data, name, options, False, state)
    if plan is None:
        return _render(page, options["skema"], form=state,
                       status=409 if state.general else 422)
    return _plan_page(page, plan)
