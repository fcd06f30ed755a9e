"""Impor: upload Excel workbooks, BPMN models (.bpmn) and Turtle/JSON-LD files; see what each
would change and every problem per file and row *before* anything is written; then save.

Two steps, because the preview must not write:
1. `POST /ui/impor/pratinjau` keeps the uploads in a private temporary folder (an hour at
   most, tied to the browser's form token) and previews each file with the importer's own
   read/plan functions: `import_workbook(dry_run=True)` (the `/excel/import?dry_run=true`
   path), `read_bpmn` + the OPD check of `/bpmn/import`, and for RDF the Graph Store's own
   parser plus `validate_change` on the triples it would add.
2. `POST /ui/impor/simpan` imports one previewed file with the same function as the API
   (`import_workbook`, `import_bpmn`, the Graph Store POST), which checks everything again.

Roles are the API's: Excel and BPMN imports need an editor of the OPDs concerned (or an
admin); an RDF file is written into the instansi graph as a Graph Store POST, admin only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from rdflib import RDF
from starlette.datastructures import UploadFile

from spbe_arch import iris
from spbe_arch.access import PermissionDeniedError, require_admin, require_opd_write
from spbe_arch.api.downloads import workbook_download
from spbe_arch.api.routes.graph_store import parse_graph, write_graph
from spbe_arch.api.writes import check_bpmn_import, import_scope
from spbe_arch.errors import InputError, InputProblems, SpbeError
from spbe_arch.importers.bpmn.notices import Notice
from spbe_arch.importers.bpmn.reader import read_bpmn
from spbe_arch.importers.bpmn.service import (
    ModelInfo,
    find_model,
    find_proses,
    import_bpmn,
    model_iri,
    model_slug,
)
from spbe_arch.importers.xlsx import WorkbookProblems, import_workbook
from spbe_arch.importers.xlsx.reader import SheetProblem
from spbe_arch.model import KINDS, EntityChange
from spbe_arch.repository import ChangeSet, Quad
from spbe_arch.validation.incremental import validate_change
from spbe_arch.web.context import FormDep, Page, PageDep, form_text
from spbe_arch.web.rendering import WebRoute

router = APIRouter(route_class=WebRoute)

STAGING_SECONDS = 3600
RDF_SUFFIXES = {".ttl": "text/turtle", ".jsonld": "application/ld+json",
                ".json": "application/ld+json", ".nt": "application/n-triples",
                ".rdf": "application/rdf+xml", ".owl": "application/rdf+xml"}
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
BPMN_SUFFIXES = (".bpmn",)
SHOWN = 200
DIAGRAM_CLASSES = ("BPMN", "Bizagi", "Waypoint", "Definitions", "LaneSet", "Collaboration")


class StagingError(InputError):
    http_status = 410


# --- the staging area -------------------------------------------------------------------------

STAGING_PREFIX = "spbe-web-impor-"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _sweep_orphans(temp: Path) -> None:
    """Remove the staging folders of servers that are gone: a server killed outright (kill
    -9, out of memory, a power cut) runs no finalizer, and its folder kept the uploaded
    files, which may be an OPD's unpublished data, in /tmp for good. A folder is named
    after its server's process id; one of a live process (even a reused id) is left."""
    for folder in temp.glob(f"{STAGING_PREFIX}*-*"):
        pid = folder.name[len(STAGING_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _process_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


class Staging:
    """Uploaded files between preview and save, in a private temporary folder."""

    def __init__(self) -> None:
        temp = Path(tempfile.gettempdir())
        _sweep_orphans(temp)
        self.root = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=temp))
        self.lock = threading.Lock()
        # removed with the app that owns it, or when the server exits: every app (each test,
        # each `serve`) left its folder in /tmp for good
        weakref.finalize(self, shutil.rmtree, self.root, ignore_errors=True)

    def _expire(self) -> None:
        limit = time.time() - STAGING_SECONDS
        for folder in self.root.iterdir():
            with contextlib.suppress(OSError):
                if folder.stat().st_mtime < limit:
                    shutil.rmtree(folder, ignore_errors=True)

    def put(self, owner: str, files: list[tuple[str, bytes]], options: dict[str, str]) -> str:
        with self.lock:
            self._expire()
            key = secrets.token_urlsafe(16)
            folder = self.root / key
            folder.mkdir(mode=0o700)
            names = []
            for index, (name, data) in enumerate(files):
                (folder / f"{index}.bin").write_bytes(data)
                names.append(name)
            (folder / "meta.json").write_text(json.dumps(
                {"owner": owner, "names": names, "options": options}), encoding="utf-8")
            return key

    def get(self, owner: str, key: str, index: int) -> tuple[str, bytes, dict[str, str]]:
        folder = self.root / key
        if not key.replace("-", "").replace("_", "").isalnum() or not folder.is_dir():
            raise StagingError("unggahan ini sudah kedaluwarsa (lebih dari satu jam) atau"
                               " sudah disimpan; unggah berkasnya lagi",
                               "this upload has expired (more than an hour) or was already"
                               " saved; upload the file again")
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if not secrets.compare_digest(str(meta["owner"]), owner):
            raise StagingError("unggahan ini milik sesi lain; unggah berkasnya lagi",
                               "this upload belongs to another session; upload the file again")
        names: list[str] = meta["names"]
        if not 0 <= index < len(names):
            raise StagingError("berkas tidak ada dalam unggahan ini",
                               "that file is not part of this upload")
        return names[index], (folder / f"{index}.bin").read_bytes(), dict(meta["options"])


def staging(page: Page) -> Staging:
    state = page.request.app.state
    area: Staging | None = getattr(state, "web_staging", None)
    if area is None:
        area = state.web_staging = Staging()
    return area


# --- previews ---------------------------------------------------------------------------------

@dataclass
class Preview:
    index: int
    name: str
    kind: str
    """"excel", "bpmn", "rdf" or "" (unknown)."""
    summary: str = ""
    changes: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(action, kind, code, fields)"""
    problems: list[tuple[str, str]] = field(default_factory=list)
    """(where, message): these block the import."""
    warnings: list[tuple[str, str]] = field(default_factory=list)
    can_save: bool = False
    nothing_to_do: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def kind_of(name: str) -> str:
    lower = name.lower()
    if lower.endswith(EXCEL_SUFFIXES):
        return "excel"
    if lower.endswith(BPMN_SUFFIXES):
        return "bpmn"
    if any(lower.endswith(s) for s in RDF_SUFFIXES):
        return "rdf"
    return ""


def _where(problem: SpbeError | Notice, lang: str) -> str:
    return problem.location.describe(lang) if problem.location else ""


def _problem_rows(exc: SpbeError, lang: str) -> list[tuple[str, str]]:
    problems = exc.problems if isinstance(exc, InputProblems) else [exc]
    return [(_where(p, lang), p.message_en if lang == "en" else p.message_id)
            for p in problems]


def prune_codes(text: str) -> list[str] | None:
    """OPD codes typed in the form's "hapus" field (spaces, commas or semicolons between)."""
    codes = [c for c in text.replace(",", " ").replace(";", " ").split() if c]
    return codes or None


def describe_change(change: EntityChange, lang: str) -> tuple[str, str, str, str]:
    """(action, kind, code, changed fields) as a person reads them: the kind's and the
    fields' labels rather than their internal names (`sop`, `memilikiLangkah`)."""
    kind = KINDS.get(change.kind)
    if kind is None:
        return change.action, change.kind, change.code, ", ".join(change.fields)
    fields = [kind.field(name).label(lang) if kind.has_field(name) else name
              for name in change.fields]
    return change.action, kind.label(lang), change.code, ", ".join(fields)


def preview_excel(page: Page, preview: Preview, data: bytes, prune: str = "") -> None:
    scope = import_scope(page.principal, page.repository, page.instansi)
    try:
        report = import_workbook(page.repository, data, instansi=page.instansi,
                                 name=preview.name, dry_run=True, editor_opds=scope,
                                 prune_opds=prune_codes(prune))
    except (WorkbookProblems, InputError) as exc:
        preview.problems = _problem_rows(exc, page.lang)
        return
    changes = report.changes
    preview.summary = changes.summary(page.lang)
    preview.changes = [describe_change(c, page.lang) for c in changes.entity_changes]
    preview.warnings = [(_where(w, page.lang), w.message_en if page.lang == "en"
                         else w.message_id)
                        for w in [*report.warnings, *report.validation_notes]
                        if isinstance(w, SheetProblem)]
    preview.nothing_to_do = changes.is_empty()
    preview.can_save = not preview.nothing_to_do


def web_model_slug(file_name: str) -> str:
    """The model name a file's name gives (as `import_bpmn` derives it). The importer's own
    message points to the CLI's `--model`, which the page does not have: here the way out is
    to rename the file."""
    stem = Path(file_name).stem
    try:
        return model_slug(stem)
    except InputError:
        raise InputError(
            f"nama berkas '{file_name}' tidak dapat dijadikan nama model BPMN: namai ulang"
            " berkasnya dengan huruf latin atau angka (mis. perizinan-usaha.bpmn), lalu"
            " unggah lagi",
            f"the file name '{file_name}' cannot be made into a BPMN model name: rename the"
            " file with Latin letters or digits (e.g. business-permit.bpmn) and upload it"
            " again") from None


def _current_model(page: Page, slug: str) -> ModelInfo | None:
    try:
        return find_model(page.repository, slug, page.instansi)
    except InputError:
        return None


def bpmn_process(page: Page, file_name: str, proses: str) -> str:
    """The proses bisnis a .bpmn upload details, after checking the caller may import it.

    Without a code typed in, a new version of a stored model details the process of its
    previous version (as the importer keeps it): that process's OPD decides, exactly as if
    its code had been typed — an editor need not retype it for every new version."""
    if not page.principal.authenticated:
        require_opd_write(page.principal, [], "mengimpor model BPMN", "importing a BPMN model")
    slug = web_model_slug(file_name)
    if not proses:
        current = _current_model(page, slug)
        proses = current.proses_kode if current is not None and current.proses_kode else ""
    if not proses and not page.principal.is_admin:
        raise InputError(
            "isi «Kode proses bisnis yang dirinci model BPMN» dengan proses bisnis OPD Anda:"
            " model baru tanpa proses bisnis tidak dimiliki OPD mana pun, sehingga hanya"
            " admin yang boleh mengimpornya",
            "fill in «Code of the business process the BPMN model details» with a process of"
            " your OPD: a new model without a business process belongs to no OPD, so only an"
            " admin may import it")
    return check_bpmn_import(page.principal, page.repository, proses=proses or None,
                             model=slug, instansi=page.instansi) or ""


def preview_bpmn(page: Page, preview: Preview, data: bytes, proses: str) -> None:
    typed = proses
    proses = bpmn_process(page, preview.name, proses)
    if proses:
        preview.extra["proses"] = proses
    slug = web_model_slug(preview.name)
    result = read_bpmn(data, file_name=preview.name, model=model_iri(page.instansi, slug),
                       max_bytes=page.settings.max_upload_bytes)
    current = _current_model(page, slug)
    # what people drew (tasks, lanes, gateways, events), not the diagram's bookkeeping
    counts = ", ".join(f"{n} {k}" for k, n in sorted(result.counts.items())
                       if not k.startswith(DIAGRAM_CLASSES) and not k.endswith("Definition"))
    name = result.name or slug
    same = current is not None and current.sha256 == hashlib.sha256(data).hexdigest() and (
        not typed or current.proses_kode == typed)
    if same:
        preview.summary = page.t("Model {m} sudah tersimpan dengan isi yang sama (versi {v});"
                                 " tidak ada perubahan.", m=slug, v=current.version if current
                                 else "")
        preview.nothing_to_do = True
    elif current is not None:
        preview.summary = page.t("Model {m} ({name}) akan menjadi versi {v}, menggantikan versi"
                                 " {old}.", m=slug, name=name, v=current.version + 1,
                                 old=current.version)
    else:
        preview.summary = page.t("Model baru {m} ({name}), versi 1.", m=slug, name=name)
    preview.extra.update({"slug": slug, "counts": counts,
                          "linked": proses or (current.proses_kode if current else "") or ""})
    preview.warnings = [(_where(n, page.lang), n.message_en if page.lang == "en"
                         else n.message_id)
                        for n in result.notices]
    preview.can_save = not same


def preview_rdf(page: Page, preview: Preview, data: bytes) -> None:
    require_admin(page.principal, "impor Turtle/JSON-LD (menulis langsung ke graf instansi"
                  " seperti Graph Store POST)", "a Turtle/JSON-LD import (it writes straight"
                  " into the instansi graph, as a Graph Store POST)")
    graph = iris.instansi_graph(page.instansi)
    suffix = Path(preview.name).suffix.lower()
    quads = parse_graph(data, RDF_SUFFIXES[suffix], graph, preview.name)
    existing = set(page.repository.quads(graph)) if graph in set(
        page.repository.graph_names()) else set()
    added: list[Quad] = [q for q in dict.fromkeys(quads) if q not in existing]
    preview.summary = page.t("{a} tripel baru ditambahkan ke graf instansi; {b} tripel sudah"
                             " ada.", a=len(added), b=len(set(quads)) - len(added))
    types: dict[str, int] = {}
    for _s, p, o, _g in added:
        if p == RDF.type:
            name = str(o).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            types[name] = types.get(name, 0) + 1
    preview.extra["types"] = sorted(types.items())
    preview.nothing_to_do = not added
    if added:
        report = validate_change(page.repository, ChangeSet(add=added), lang=page.lang)
        for result in report.results:
            row = (str(result.focus_node), result.message(page.lang))
            if result.severity_name == "Violation":
                preview.problems.append(row)
            else:
                preview.warnings.append(row)
    preview.can_save = bool(added) and not preview.problems


def make_preview(page: Page, index: int, name: str, data: bytes, proses: str,
                 prune: str = "") -> Preview:
    preview = Preview(index, name, kind_of(name))
    try:
        if len(data) > page.settings.max_upload_bytes:
            limit = f"{page.settings.max_upload_bytes / 1024 / 1024:g}"
            raise InputError(f"berkas lebih besar dari batas {limit} MB",
                             f"the file is larger than the {limit} MB limit")
        if preview.kind == "excel":
            preview_excel(page, preview, data, prune)
        elif preview.kind == "bpmn":
            preview_bpmn(page, preview, data, proses)
        elif preview.kind == "rdf":
            preview_rdf(page, preview, data)
        else:
            raise InputError(
                "jenis berkas tidak dikenal; unggah .xlsx (templat Excel), .bpmn (model"
                " BPMN) atau .ttl/.jsonld (RDF)",
                "unknown kind of file; upload .xlsx (Excel template), .bpmn (BPMN model) or"
                " .ttl/.jsonld (RDF)")
    except SpbeError as exc:
        preview.problems = _problem_rows(exc, page.lang)
        preview.can_save = False
    return preview


# --- pages -------------------------------------------------------------------------------------

def require_importer(page: Page) -> None:
    """Importing needs an editor or an admin (which files each may save, the preview says)."""
    if page.can_write_any:
        return
    if not page.principal.authenticated:
        require_opd_write(page.principal, [], "mengimpor berkas", "importing files")
    raise PermissionDeniedError(
        f"mengimpor berkas memerlukan peran editor atau admin; token '{page.principal.name}'"
        f" berperan {page.principal.role}",
        f"importing files needs the editor or admin role; token '{page.principal.name}' has"
        f" the role {page.principal.role}")


@router.get("/impor")
def import_page(page: PageDep) -> Response:
    return page.render("import.html.j2", previews=[], key="", proses="", prune="")


@router.get("/impor/templat")
def excel_template(page: PageDep) -> Response:
    """The Excel template (as `GET /excel/template`), for signed-in browsers."""
    return page.finish(workbook_download(page.repository, page.instansi, None, False, "templat"))


async def _uploads(page: Page, form: Any) -> list[tuple[str, bytes]]:
    files = []
    for item in form.getlist("berkas"):
        if isinstance(item, UploadFile) and item.filename:
            data = await item.read(page.settings.max_upload_bytes + 1)
            files.append((Path(item.filename).name, data))
    return files


@router.post("/impor/pratinjau")
async def import_preview(page: PageDep, form: FormDep) -> Response:
    from fastapi.concurrency import run_in_threadpool

    # refused before anything is read or staged: a reader (or an anonymous visitor, where
    # anonymous reading is on) could otherwise fill the server's disk with uploads that no
    # preview would ever let them save
    require_importer(page)
    files = await _uploads(page, form)
    proses = form_text(form, "proses")
    prune = form_text(form, "hapus_opd")
    if not files:
        return page.render("import.html.j2", status=400, previews=[], key="", proses=proses,
                           prune=prune,
                           error=page.t("Pilih sedikitnya satu berkas untuk diunggah."))
    # the save uses the options stored with the files, so it does what the preview showed
    key = staging(page).put(page.csrf, files, {"proses": proses, "hapus_opd": prune})

    def previews() -> list[Preview]:
        return [make_preview(page, i, name, data, proses, prune) for i, (name, data) in
                enumerate(files)]

    return page.render("import.html.j2", previews=await run_in_threadpool(previews), key=key,
                       proses=proses, prune=prune)


@dataclass
class Outcome:
    name: str
    kind: str
    summary: str
    details: list[str] = field(default_factory=list)
    proses: str = ""
    slug: str = ""
    may_derive: bool = False


def _save_excel(page: Page, name: str, data: bytes, prune: str = "") -> Outcome:
    scope = import_scope(page.principal, page.repository, page.instansi)
    with page.request.app.state.write_lock:
        report = import_workbook(page.repository, data, instansi=page.instansi, name=name,
                                 editor_opds=scope, agent=page.principal.name,
                                 prune_opds=prune_codes(prune))
    return Outcome(name, "excel", report.changes.summary(page.lang))


def _save_bpmn(page: Page, name: str, data: bytes, proses: str) -> Outcome:
    proses = bpmn_process(page, name, proses)
    with page.request.app.state.write_lock:
        result = import_bpmn(page.repository, data, file_name=name, kode_wilayah=page.instansi,
                             proses=proses or None, agent=page.principal.name,
                             max_bytes=page.settings.max_upload_bytes)
    linked_code = find_model(page.repository, result.slug, page.instansi).proses_kode or ""
    may_derive = False
    if linked_code:
        info = find_proses(page.repository, linked_code, page.instansi)
        may_derive = page.principal.can_write_opds(
            [info.pemilik] if info.pemilik is not None else [])
    return Outcome(name, "bpmn", result.summary(page.lang),
                   [n.message(page.lang) for n in result.notices], linked_code, result.slug,
                   may_derive)


def _save_rdf(page: Page, name: str, data: bytes) -> Outcome:
    require_admin(page.principal, "impor Turtle/JSON-LD", "a Turtle/JSON-LD import")
    graph = iris.instansi_graph(page.instansi)
    quads = parse_graph(data, RDF_SUFFIXES[Path(name).suffix.lower()], graph, name)
    written = write_graph(page.repository, page.request.app.state.write_lock, page.principal,
                          "POST", graph, quads, merge=True)
    return Outcome(name, "rdf", page.t("{n} tripel ditambahkan ke graf instansi.",
                                       n=written.added))


@router.post("/impor/simpan")
def import_save(page: PageDep, form: FormDep) -> Response:
    require_importer(page)
    key = form_text(form, "kunci")
    try:
        index = int(form_text(form, "indeks"))
    except ValueError:
        index = -1
    name, data, options = staging(page).get(page.csrf, key, index)
    proses = form_text(form, "proses") or options.get("proses", "")
    kind = kind_of(name)
    try:
        if kind == "excel":
            outcome = _save_excel(page, name, data, options.get("hapus_opd", ""))
        elif kind == "bpmn":
            outcome = _save_bpmn(page, name, data, proses)
        elif kind == "rdf":
            outcome = _save_rdf(page, name, data)
        else:
            raise InputError("jenis berkas tidak dikenal", "unknown kind of file")
    except PermissionDeniedError:
        raise
    except SpbeError as exc:
        # something changed since the preview: show the new problems, nothing was written
        preview = Preview(index, name, kind, problems=_problem_rows(exc, page.lang))
        return page.render("import.html.j2", status=422, previews=[preview], key=key,
                           proses=proses, prune=options.get("hapus_opd", ""))
    return page.render("import_done.html.j2", outcome=outcome, key=key)


__all__ = ["router"]
