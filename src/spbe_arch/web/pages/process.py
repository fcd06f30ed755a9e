"""Proses dan SOP: imported BPMN models (shown with bpmn-js), deriving SOPs from them, the
SOP page (flowchart, identity fields and the steps' mutu baku editable, PDF/DOCX/HTML/BPMN
downloads).

Every action calls the function behind the matching `/bpmn` or `/sop` API route
(`list_models`, `find_model`, `write_bpmn`, `derive_sop`, `load_sop`, `set_sop_fields`,
`render_sop`, `export_sop_bpmn`) with the same OPD rule: deriving needs the editor of the
proses bisnis' OPD, editing an SOP the editor of the SOP's OPD (or an admin). The steps
are saved as `PATCH /api/sop/{kode}` saves them (`write_entity`): checked against the rules
first, refused when the SOP changed since the page was opened (its ETag), audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from rdflib.term import URIRef

from spbe_arch.access import require_opd_write
from spbe_arch.api.downloads import document_download
from spbe_arch.api.writes import (
    Precondition,
    PreconditionFailedError,
    derive_sop_as,
    entity_tag,
    write_entity,
)
from spbe_arch.errors import InputError, InputProblems, SpbeError
from spbe_arch.importers.bpmn.service import (
    ModelInfo,
    find_model,
    find_proses,
    list_models,
    model_history,
)
from spbe_arch.importers.bpmn.writer import write_bpmn
from spbe_arch.model import KINDS, get_entity
from spbe_arch.sop import export_sop_bpmn, list_sops, load_sop, render_sop
from spbe_arch.sop.document import SopDocument
from spbe_arch.sop.layout import layout_flowchart
from spbe_arch.sop.service import IDENTITY_FIELDS, set_sop_fields
from spbe_arch.validation.write_check import RuleViolationError
from spbe_arch.web.context import FormDep, Page, PageDep, form_text
from spbe_arch.web.flash import flash_of
from spbe_arch.web.rendering import WebRoute, entity_path

router = APIRouter(route_class=WebRoute)
Code = Annotated[str, Path(max_length=200)]
LIST_FIELDS = [name for name, (_, many) in IDENTITY_FIELDS.items() if many]
NOTICES = {"diturunkan": "SOP diturunkan dari model BPMN.", "disimpan": "Identitas SOP disimpan.",
           "sama": "SOP sudah sesuai dengan model BPMN; tidak ada perubahan.",
           "langkah-disimpan": "Langkah SOP disimpan.",
           "langkah-sama": "Tidak ada langkah yang berubah."}
STEP_FIELDS = ("kelengkapan", "waktu", "output", "keterangan")
"""What the steps form edits: the mutu baku and the remarks. The activities themselves come
from the BPMN model (or Excel), where they are changed."""
IDENTITY_LABELS = {
    "nama": "Nama SOP", "nomor": "Nomor SOP", "tanggal_pembuatan": "Tanggal pembuatan",
    "tanggal_revisi": "Tanggal revisi", "tanggal_efektif": "Tanggal efektif",
    "disahkan_jabatan": "Disahkan oleh (jabatan)", "disahkan_nama": "Disahkan oleh (nama)",
    "disahkan_nip": "NIP pengesah", "status": "Status", "dasar_hukum": "Dasar hukum",
    "kualifikasi_pelaksana": "Kualifikasi pelaksana", "keterkaitan": "Keterkaitan",
    "peralatan": "Peralatan/perlengkapan", "peringatan": "Peringatan",
    "pencatatan": "Pencatatan dan pendataan"}
"""The identity form's labels (Indonesian, translated in the template), also used to name
a field in the summary of problems instead of its internal name."""
DOCUMENT_FORMATS = {"pdf": "inline", "html": "inline", "docx": "attachment", "svg": "inline"}


class NotFoundError(InputError):
    http_status = 404


def _slug(model: URIRef) -> str:
    return str(model).rsplit("/", 1)[-1]


def _opd_code(iri: URIRef | None) -> str | None:
    return str(iri).rsplit("/", 1)[-1] if iri is not None else None


def _instansi_models(page: Page) -> list[ModelInfo]:
    prefix = f"{page.opd_iri('x').rsplit('/opd/', 1)[0]}/model-bpmn/"
    return [m for m in list_models(page.repository) if str(m.model).startswith(prefix)]


@router.get("/proses")
def process_overview(page: PageDep) -> Response:
    models = _instansi_models(page)
    owners: dict[str, str | None] = {}
    for model in models:
        if model.proses_kode:
            owners[model.proses_kode] = _opd_code(
                find_proses(page.repository, model.proses_kode, page.instansi).pemilik)
    return page.render("process.html.j2", models=models, slug=_slug,
                       may_derive={k: page.can_write_opd(v) for k, v in owners.items()},
                       sops=list_sops(page.repository, page.instansi))


@router.post("/proses/turunkan")
def derive(page: PageDep, form: FormDep) -> Response:
    proses = form_text(form, "proses")
    model = form_text(form, "model") or None
    if not proses:
        raise InputError("pilih proses bisnis yang SOP-nya diturunkan",
                         "choose the proses bisnis whose SOP is derived")
    result = derive_sop_as(page.principal, page.repository,
                           page.request.app.state.write_lock, proses=proses,
                           instansi=page.instansi, model=model, lang=page.lang)
    target = entity_path("sop", result.kode) + "?pesan=" + ("diturunkan" if result.changed
                                                            else "sama")
    if result.notices:
        # the derivation's warnings (status back to Draft, mutu baku not carried over,
        # parallel branches written in sequence) are for the one who derived, on the next page
        key = flash_of(page.request).put(page.principal.name,
                                         [n.message(page.lang) for n in result.notices])
        target += "&catatan=" + key
    return page.redirect(target)


# --- BPMN models ----------------------------------------------------------------------------

def _model(page: Page, slug: str) -> ModelInfo:
    try:
        return find_model(page.repository, slug, page.instansi)
    except InputError:
        # one message for every address that names no model (the finder's own, for a name
        # that is no identifier at all, points to the CLI's --model)
        raise NotFoundError(f"model BPMN '{slug}' tidak ditemukan",
                            f"there is no BPMN model '{slug}'") from None


@router.get("/bpmn/{model}")
def model_page(page: PageDep, model: Code) -> Response:
    info = _model(page, model)
    return page.render("bpmn.html.j2", info=info, slug=_slug(info.model),
                       history=model_history(page.repository, model, page.instansi))


@router.get("/bpmn/{model}/xml")
def model_xml(page: PageDep, model: Code) -> Response:
    info = _model(page, model)
    xml = write_bpmn(page.repository.graph(info.graph), info.model)
    # an XML document opened inline (its labels and documentation are the importer's text)
    return page.finish(document_download(xml, "application/xml", f"{_slug(info.model)}.bpmn",
                                         "inline"))


# --- SOPs -----------------------------------------------------------------------------------

@dataclass
class IdentityForm:
    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    etag: str | None = None
    """The SOP's state when the form was made (`entity_tag`): a save made after somebody
    else's is refused instead of silently replacing it."""


@dataclass
class StepsForm:
    values: dict[str, str]
    """`langkah-<urutan>-<field>` → text, as stored or as typed."""
    etag: str | None
    problems: list[str] = field(default_factory=list)


def _step_key(number: object, name: str) -> str:
    return f"langkah-{number}-{name}"


def _sop_record(page: Page, code: str) -> dict[str, Any]:
    record = get_entity(page.repository, KINDS["sop"], code, instansi=page.instansi)
    if record is None:
        raise NotFoundError(f"SOP dengan kode '{code}' tidak ada",
                            f"there is no SOP with code '{code}'")
    return record


def _steps_form(record: dict[str, Any]) -> StepsForm:
    return StepsForm({_step_key(step["urutan"], name): step.get(name) or ""
                      for step in record.get("memilikiLangkah") or [] for name in STEP_FIELDS},
                     entity_tag(record))


def _identity_values(document: SopDocument) -> dict[str, str]:
    def date(value: object) -> str:
        return value.isoformat() if value is not None else ""  # type: ignore[attr-defined]

    return {
        "nama": document.nama, "nomor": document.nomor,
        "tanggal_pembuatan": date(document.tanggal_pembuatan),
        "tanggal_revisi": date(document.tanggal_revisi),
        "tanggal_efektif": date(document.tanggal_efektif),
        "disahkan_jabatan": document.disahkan_jabatan,
        "disahkan_nama": document.disahkan_nama, "disahkan_nip": document.disahkan_nip,
        "status": "ditetapkan" if document.status.lower().endswith("ditetapkan") else "draft",
        **{name: "\n".join(getattr(document, name)) for name in LIST_FIELDS},
    }


def _load(page: Page, code: str) -> SopDocument:
    try:
        return load_sop(page.repository, code, page.instansi)
    except InputError as exc:
        raise NotFoundError(exc.message_id, exc.message_en) from None


def _sop_page(page: Page, document: SopDocument, form: IdentityForm, status: int = 200,
              notice: str = "", steps: StepsForm | None = None,
              warnings: Sequence[str] = ()) -> Response:
    pages = len(layout_flowchart(document).pages) if document.langkah else 0
    owner = _opd_code(document.pemilik)
    may_edit = page.can_write_opd(owner)
    if may_edit and (steps is None or form.etag is None):
        record = _sop_record(page, document.kode)
        steps = steps or _steps_form(record)
        form.etag = form.etag or entity_tag(record)
    return page.render("sop.html.j2", status=status, document=document, form=form,
                       flowchart_pages=pages, may_edit=may_edit, steps_form=steps,
                       step_fields=STEP_FIELDS, owner=owner,
                       model_slug=_slug(document.model) if document.model else "",
                       list_fields=LIST_FIELDS, labels=IDENTITY_LABELS, notice=notice,
                       warnings=warnings)


@router.get("/sop/{code:path}/dokumen")
def sop_document(page: PageDep, code: Code,
                 format: Annotated[str, Query(max_length=10)] = "pdf",
                 halaman: Annotated[int, Query(ge=1, le=1000)] = 1) -> Response:
    _load(page, code)
    rendered = render_sop(page.repository, code, format, kode_wilayah=page.instansi,
                          page=halaman)
    disposition = DOCUMENT_FORMATS.get(format, "attachment")
    return page.finish(document_download(rendered.content, rendered.media_type,
                                         rendered.file_name, disposition))


@router.get("/sop/{code:path}/bpmn")
def sop_bpmn(page: PageDep, code: Code) -> Response:
    document = _load(page, code)
    xml = export_sop_bpmn(page.repository, code, kode_wilayah=page.instansi)
    return page.finish(document_download(xml, "application/xml", f"sop-{document.kode}.bpmn",
                                         "attachment"))


@router.post("/sop/{code:path}/langkah")
def sop_steps_update(page: PageDep, form: FormDep, code: Code) -> Response:
    document = _load(page, code)
    require_opd_write(page.principal, [document.pemilik] if document.pemilik else [],
                      f"mengubah SOP {document.kode}", f"changing SOP {document.kode}")
    record = _sop_record(page, document.kode)
    steps = [dict(step) for step in record.get("memilikiLangkah") or []]
    typed: dict[str, str] = {}
    changed = False
    for step in steps:
        for name in STEP_FIELDS:
            key = _step_key(step["urutan"], name)
            if key not in form:
                continue  # a step added since the page was opened keeps what it has
            text = " ".join(form_text(form, key).split())  # one line in the SOP's table
            typed[key] = text
            if text != (step.get(name) or ""):
                step[name] = text or None
                changed = True
    if not changed:
        return page.redirect(entity_path("sop", document.kode) + "?pesan=langkah-sama")
    shown = form_text(form, "etag")
    try:
        write_entity(page.repository, page.principal, page.request.app.state.write_lock,
                     KINDS["sop"], page.instansi, document.kode, {"memilikiLangkah": steps},
                     "PATCH", precondition=Precondition(shown) if shown else None,
                     lang=page.lang)
    except (InputError, InputProblems, RuleViolationError) as exc:
        state = StepsForm(typed, shown or None)
        status = 422
        if isinstance(exc, PreconditionFailedError):
            # keep what this user typed; saving again (now knowingly) replaces the other change
            state.etag = entity_tag(_sop_record(page, document.kode))
            state.problems.append(page.t(
                "SOP ini diubah orang lain sejak halaman ini dibuka, jadi langkahnya belum"
                " disimpan. Isian Anda masih di bawah; periksa lagi, lalu simpan bila tetap"
                " ingin menggantinya."))
            status = 409
        else:
            state.problems += _step_problems(page, exc, record)
        for key, text in _steps_form(record).values.items():
            state.values.setdefault(key, text)
        return _sop_page(page, document, IdentityForm(_identity_values(document)),
                         status=status, steps=state)
    return page.redirect(entity_path("sop", document.kode) + "?pesan=langkah-disimpan")


def _rule_findings(exc: RuleViolationError, state: IdentityForm) -> None:
    """Each rule the identity change would break, at the field it concerns (else on top)."""
    field_of = {str(prop): name for name, (prop, _) in IDENTITY_FIELDS.items()}
    for result in exc.extra["validation"].get("results", []):
        if not str(result.get("severity", "")).endswith("#Violation"):
            continue
        message = str(result.get("message", ""))
        name = field_of.get(str(result.get("resultPath") or ""))
        if name is not None:
            state.errors.setdefault(name, []).append(message)
        else:
            state.general.append(message)


def _step_problems(page: Page, exc: SpbeError, record: dict[str, Any]) -> list[str]:
    """Each problem as one line, naming the step it concerns."""
    if not isinstance(exc, RuleViolationError):
        problems = exc.problems if isinstance(exc, InputProblems) else [exc]
        return [problem.message(page.lang) for problem in problems]
    sop_iri = str(record["@id"])
    lines = [page.message(exc)]
    for result in exc.extra.get("validation", {}).get("results", []):
        focus = str(result.get("focusNode") or "")
        message = str(result.get("message", ""))
        step_prefix = sop_iri + "/langkah/"
        number = focus[len(step_prefix):] if focus.startswith(step_prefix) else ""
        lines.append(page.t("Langkah {n}: {message}", n=number, message=message)
                     if number.isdigit() else message)
    return lines


# The SOP page comes last: a code may hold '/' (the code pattern allows it), so
# /sop/{code:path} would also match the download addresses above.
@router.get("/sop/{code:path}")
def sop_page(page: PageDep, code: Code,
             pesan: Annotated[str | None, Query(max_length=40)] = None,
             catatan: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    document = _load(page, code)
    return _sop_page(page, document, IdentityForm(_identity_values(document)),
                     notice=page.t(NOTICES[pesan]) if pesan in NOTICES else "",
                     warnings=flash_of(page.request).take(catatan, page.principal.name))


@router.post("/sop/{code:path}")
def sop_update(page: PageDep, form: FormDep, code: Code) -> Response:
    document = _load(page, code)
    require_opd_write(page.principal, [document.pemilik] if document.pemilik else [],
                      f"mengubah SOP {document.kode}", f"changing SOP {document.kode}")
    current = _identity_values(document)
    values: dict[str, str | list[str]] = {}
    given: dict[str, str] = {}
    for name in IDENTITY_FIELDS:
        text = form_text(form, name)
        given[name] = text
        if name in LIST_FIELDS:
            # browsers send a textarea's lines with CRLF: compared line by line
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            if lines == current.get(name, "").splitlines():
                continue
            values[name] = lines
        elif text != current.get(name, ""):
            values[name] = text
        # unchanged fields are not rewritten, so the audit trail shows what really changed
    if values:
        shown = form_text(form, "etag")
        try:
            with page.request.app.state.write_lock:
                now = entity_tag(_sop_record(page, document.kode))
                if shown and shown != now:
                    # keep what this user typed; saving again (now knowingly) replaces it
                    state = IdentityForm(given, etag=now, general=[page.t(
                        "SOP ini diubah orang lain sejak halaman ini dibuka, jadi identitasnya"
                        " belum disimpan. Isian Anda masih di bawah; periksa lagi, lalu simpan"
                        " bila tetap ingin menggantinya.")])
                    return _sop_page(page, document, state, status=409)
                set_sop_fields(page.repository, code, values, kode_wilayah=page.instansi,
                               agent=page.principal.name, lang=page.lang)
        except SpbeError as exc:
            state = IdentityForm(given, etag=shown or None)
            where = exc.location.field if exc.location else None
            text = exc.message_en if page.lang == "en" else exc.message_id
            if where in IDENTITY_FIELDS:
                state.errors.setdefault(str(where), []).append(text)
            else:
                state.general.append(exc.message(page.lang))
            if isinstance(exc, RuleViolationError):
                _rule_findings(exc, state)
            return _sop_page(page, document, state, status=422)
    return page.redirect(entity_path("sop", code) + "?pesan=disimpan")
