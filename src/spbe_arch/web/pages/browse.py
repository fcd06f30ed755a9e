"""Jelajah dan ubah: list, search, detail, edit and create pages for the architecture elements.

Reading uses the model layer (`list_entities`, `get_entity`) like `GET /api/{kind}`; the
links pointing *to* an element come from the reports' whole-instansi view
(`reports.model.gather_architecture`). Saving calls the very function behind the REST API's
PATCH/POST (`api.writes.write_entity`): the same OPD scope check, the same SHACL check of
the change (`validate_change`, a new Violation refuses it) and the same audit record. The
violations and bad values it reports are shown next to the form's fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import unquote

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from starlette.datastructures import FormData

from spbe_arch.api.writes import (
    Precondition,
    PreconditionFailedError,
    entity_tag,
    write_entity,
)
from spbe_arch.audit import entity_history
from spbe_arch.errors import InputError, InputProblems, SpbeError
from spbe_arch.evaluation import sop_coverage
from spbe_arch.model import (
    KINDS,
    TOP_LEVEL_KINDS,
    EntityKind,
    Field,
    FieldProblem,
    enum_choices,
    get_entity,
    list_entities,
    reference_concepts,
)
from spbe_arch.model.catalogue import reverse_links
from spbe_arch.model.service import RepositoryResolver
from spbe_arch.reports.findings import build_findings
from spbe_arch.reports.model import ArchitectureData, gather_architecture
from spbe_arch.validation import latest_report
from spbe_arch.validation.write_check import RuleViolationError
from spbe_arch.web.context import FormDep, Page, PageDep, form_list, form_text
from spbe_arch.web.flash import flash_of
from spbe_arch.web.rendering import WebRoute, element_path, entity_path

router = APIRouter(route_class=WebRoute)
PAGE_SIZE = 50
NOTICES = {"disimpan": "Perubahan disimpan.", "dibuat": "Elemen baru disimpan."}
Code = Annotated[str, Path(max_length=200)]


class NotFoundError(InputError):
    http_status = 404


def browse_kind(name: str) -> EntityKind:
    if name not in TOP_LEVEL_KINDS:
        raise NotFoundError(f"jenis elemen '{name}' tidak dikenal",
                            f"unknown element kind '{name}'")
    return KINDS[name]


def ucfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def enum_labels(field_: Field, lang: str) -> dict[str, str]:
    return dict(enum_choices(field_, lang)) if field_.enum_class is not None else {}


def code_options(page: Page, kind_name: str) -> list[tuple[str, str]]:
    """(code, name) of every element of a kind, for selects."""
    items = list_entities(page.repository, kind_name, instansi=page.instansi, limit=None).items
    return [(str(i["kode"]), str(i.get("nama") or "")) for i in items]


# --- list ---------------------------------------------------------------------------------

@router.get("/e/{kind}")
def entity_list(page: PageDep, kind: str,
                q: Annotated[str | None, Query(max_length=500)] = None,
                opd: Annotated[str | None, Query(max_length=200)] = None,
                ref: Annotated[str | None, Query(max_length=200)] = None,
                status: Annotated[str | None, Query(max_length=100)] = None,
                sort: Annotated[str | None, Query(max_length=100)] = None,
                hal: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    entity_kind = browse_kind(kind)
    result = list_entities(page.repository, entity_kind, instansi=page.instansi,
                           opd=opd or None, reference_code=ref or None, text=q or None,
                           status=status or None, sort=sort or None,
                           offset=(hal - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    status_field = entity_kind.field(entity_kind.status_field) if entity_kind.status_field \
        else None
    columns = [f for f in entity_kind.fields
               if f.name in ("nama", entity_kind.owner_field or "", entity_kind.reference_field
                             or "", entity_kind.status_field or "", "singkatan", "jenisOPD",
                             "untukProsesBisnis")]
    may_add = page.principal.is_admin if kind == "opd" else (page.can_write_any
                                                             and kind != "sop")
    return page.render(
        "entity_list.html.j2", kind=entity_kind, result=result, columns=columns,
        filters={"q": q or "", "opd": opd or "", "ref": ref or "", "status": status or "",
                 "sort": sort or ""},
        opds=code_options(page, "opd") if kind != "opd" else [],
        status_choices=enum_choices(status_field, page.lang) if status_field else [],
        enum_labels={f.name: enum_labels(f, page.lang) for f in columns},
        page_number=hal, pages=max(1, -(-result.total // PAGE_SIZE)), may_add=may_add,
        ucfirst=ucfirst)


# --- detail -------------------------------------------------------------------------------

@dataclass
class Related:
    title: str
    items: list[tuple[str, str, str]] = field(default_factory=list)
    """(kind, code, name)"""


def _related(page: Page, data: ArchitectureData, kind: EntityKind,
             iri: str) -> list[Related]:
    """Elements that link to this one (and, for an OPD, what it owns)."""
    lang = page.lang
    out: list[Related] = []

    def describe(target: str) -> tuple[str, str, str]:
        element = data.by_iri.get(target)
        if element is not None:
            return element.kind, element.kode, element.nama
        sop = data.sop_by_iri.get(target)
        if sop is not None:
            return "sop", sop.kode, sop.nama
        opd = data.opd_by_iri.get(target)
        if opd is not None:
            return "opd", opd.kode, opd.nama
        return "", target, ""

    for source_name in TOP_LEVEL_KINDS:
        source = KINDS[source_name]
        for f in source.fields:
            if f.kind != "ref" or f.ref_kind != kind.name or f.name == source.owner_field:
                continue
            found = data.inverse(source_name, f.name).get(iri, [])
            if found:
                title = f"{source.label(lang)} — {f.label(lang)}"
                out.append(Related(title, sorted((describe(i) for i in found),
                                                 key=lambda x: x[1])))
    if kind.name == "proses-bisnis":
        sops = data.sops_by_process.get(iri, [])
        if sops:
            out.append(Related(page.t("SOP proses ini"),
                               [("sop", s.kode, s.nama) for s in sops]))
    if kind.name == "opd":
        for kind_name, elements in data.owned_by(iri).items():
            if elements:
                out.append(Related(page.t("Dimiliki OPD ini: {what}",
                                          what=KINDS[kind_name].label(lang)),
                                   [(e.kind, e.kode, e.nama) for e in elements]))
        sops = [s for s in data.sops if s.opd == iri]
        if sops:
            out.append(Related(page.t("Dimiliki OPD ini: {what}", what="SOP"),
                               [("sop", s.kode, s.nama) for s in sops]))
    return out


def _history(page: Page, iri: str) -> list[dict[str, str]]:
    # one page read from the trail (the whole history grew with every write); the agent
    # column is the agent's name, which may itself hold a "/"
    rows = entity_history(page.repository, iri, limit=10).rows
    return [{"waktu": str(r["waktu"]), "agen": str(r.get("agen", "")),
             "keterangan": str(r.get("keterangan", ""))} for r in rows]


def owner_code(kind: EntityKind, record: dict[str, Any] | None) -> str | None:
    if record is None:
        return None
    if kind.name == "opd":
        return str(record.get("kode") or "") or None
    value = record.get(kind.owner_field) if kind.owner_field else None
    return str(value) if value else None


def concept_names(page: Page) -> dict[str, dict[str, str]]:
    """scheme -> code -> name of the reference version in force."""
    return {scheme: {code: c.name for code, c in concepts.items()}
            for scheme, concepts in reference_concepts(page.repository, page.instansi).items()}


# --- edit and create ----------------------------------------------------------------------

@dataclass
class FormState:
    values: dict[str, Any]
    errors: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    other_findings: list[dict[str, Any]] = field(default_factory=list)
    etag: str | None = None
    """The edited entity's state when the form was shown (hidden field): a save made after
    somebody else's is refused instead of silently undoing theirs."""


def editable_fields(kind: EntityKind) -> list[Field]:
    return [f for f in kind.fields if f.kind != "nested"]


def _options(page: Page, kind: EntityKind, values: dict[str, Any]) -> dict[str, Any]:
    """What the form's selects and suggestion lists offer."""
    options: dict[str, Any] = {}
    concepts = reference_concepts(page.repository, page.instansi)
    for f in editable_fields(kind):
        if f.kind == "enum":
            options[f.name] = enum_choices(f, page.lang)
        elif f.kind == "ref" and f.ref_kind:
            choices = code_options(page, f.ref_kind)
            if f.name == kind.owner_field and not page.principal.is_admin:
                # an editor may only give the element to one of their OPDs
                allowed = set(page.editor_opd_codes)
                current = values.get(f.name)
                choices = [c for c in choices if c[0] in allowed or c[0] == current]
            options[f.name] = choices
        elif f.kind == "reference-code" and f.scheme:
            scheme = concepts.get(f.scheme, {})
            options[f.name] = sorted((code, c.name) for code, c in scheme.items())
        elif f.kind == "string":
            choices_ = f.choices(kind)
            if choices_:
                options[f.name] = [(c, c) for c in choices_]
        if f.kind in ("enum", "ref", "string") and f.name in options:
            options[f.name] = options[f.name] + _stored_outside(page, f, values,
                                                                 options[f.name])
    return options


def _stored_outside(page: Page, field_: Field, values: dict[str, Any],
                    offered: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Stored values the choices do not offer (an OPD since deleted, an enumeration value
    from an older version): offered as they are, so that saving the form for another field
    keeps them (or the rules say what is wrong) instead of silently dropping them."""
    current = values.get(field_.name)
    stored = [str(v) for v in (current if isinstance(current, list) else [current])
              if v not in (None, "")]
    known = {value for value, _label in offered}
    note = page.t("nilai tersimpan yang tidak ada dalam pilihan")
    return [(v, note if field_.kind == "ref" else f"{v} — {note}")
            for v in stored if v not in known]


@dataclass
class ReverseChoice:
    """A link another kind holds to a new entity, chosen on its form (`@reverse`)."""

    name: str
    """The form field: `balik-` + the link's name."""
    label: str
    help: str
    options: list[tuple[str, str]]
    selected: list[str]


def _reverse_choices(page: Page, kind: EntityKind, state: FormState) -> list[ReverseChoice]:
    """On a new element's form: the entities of other kinds that are to link to it (a new
    layanan needs the proses bisnis that realises it, which cannot name it beforehand)."""
    chosen = state.values.get("@reverse") or {}
    out = []
    for name, (other, link) in reverse_links(kind).items():
        options = code_options(page, other.name)
        if not page.principal.is_admin:
            # the linked element changes too: only those of the editor's OPDs
            mine = {str(item["kode"]) for opd in page.editor_opd_codes
                    for item in list_entities(page.repository, other, instansi=page.instansi,
                                              opd=opd, limit=None).items}
            options = [o for o in options if o[0] in mine]
        out.append(ReverseChoice(
            f"balik-{name}",
            ucfirst(page.t("{other} yang {link} {kind} ini", other=other.label(page.lang),
                           link=link.label(page.lang), kind=kind.label(page.lang))),
            page.t("{other} yang dipilih mendapat tautan ke {kind} baru ini dalam perubahan"
                   " yang sama (aturan dapat memintanya, dan {other} tidak dapat merujuk"
                   " {kind} yang belum ada).", other=other.label(page.lang),
                   kind=kind.label(page.lang)),
            options, [str(v) for v in chosen.get(name, [])]))
    return out


def _provisional_fields(page: Page, kind: EntityKind) -> set[str]:
    """The form's reference fields whose list is provisional: a code outside it may be
    typed and is saved with a warning, which the field's help says."""
    resolver = RepositoryResolver(page.repository, page.instansi)
    return {f.name for f in editable_fields(kind)
            if f.kind == "reference-code" and f.scheme
            and resolver.provisional_scheme(f.scheme) is not None}


def _render_form(page: Page, kind: EntityKind, state: FormState, *, code: str | None,
                 status: int = 200) -> Response:
    return page.render("entity_form.html.j2", status=status, kind=kind, code=code,
                       state=state, fields=editable_fields(kind),
                       options=_options(page, kind, state.values), ucfirst=ucfirst,
                       reverse=_reverse_choices(page, kind, state) if code is None else [],
                       provisional=_provisional_fields(page, kind))


@router.get("/e/{kind}/{code:path}/ubah")
def entity_edit(page: PageDep, kind: str, code: Code) -> Response:
    entity_kind = _editable_kind(kind)
    record = get_entity(page.repository, entity_kind, code, instansi=page.instansi)
    if record is None:
        raise NotFoundError(f"{entity_kind.label('id')} dengan kode '{code}' tidak ada",
                            f"there is no {entity_kind.label('en')} with code '{code}'")
    _check_may_edit(page, entity_kind, record)
    return _render_form(page, entity_kind, FormState(dict(record), etag=entity_tag(record)),
                        code=code)


@router.get("/e/{kind}/baru/isi")
def entity_new(page: PageDep, kind: str) -> Response:
    entity_kind = _editable_kind(kind)
    _check_may_create(page, entity_kind)
    values: dict[str, Any] = {}
    if entity_kind.owner_field and len(page.editor_opd_codes) == 1:
        values[entity_kind.owner_field] = page.editor_opd_codes[0]
    return _render_form(page, entity_kind, FormState(values), code=None)


def _editable_kind(kind: str) -> EntityKind:
    entity_kind = browse_kind(kind)
    if kind == "sop":
        raise NotFoundError("SOP diubah di halaman SOP-nya (Proses dan SOP)",
                            "SOPs are edited on their own page (Processes and SOPs)")
    return entity_kind


def _check_may_edit(page: Page, kind: EntityKind, record: dict[str, Any]) -> None:
    from spbe_arch.access import require_opd_write

    owner = owner_code(kind, record)
    require_opd_write(page.principal, [page.opd_iri(owner)] if owner else [],
                      f"mengubah {kind.label('id')}", f"changing a {kind.label('en')}")


def _check_may_create(page: Page, kind: EntityKind) -> None:
    from spbe_arch.access import require_admin, require_opd_write

    if kind.name == "opd":
        require_admin(page.principal, "membuat OPD", "creating an OPD")
    elif not page.can_write_any:
        require_opd_write(page.principal, [], f"membuat {kind.label('id')}",
                          f"creating a {kind.label('en')}")


def record_from_form(kind: EntityKind, form: FormData, code: str | None) -> dict[str, Any]:
    """The form as a REST record: every editable field present (an empty one is removed)."""
    record: dict[str, Any] = {}
    for f in editable_fields(kind):
        if f.identity:
            continue
        record[f.name] = form_list(form, f.name) if f.many else form_text(form, f.name)
    record[kind.identity_field.name] = code if code is not None else form_text(
        form, kind.identity_field.name)
    if code is None:
        reverse = {name: chosen for name in reverse_links(kind)
                   if (chosen := form_list(form, f"balik-{name}"))}
        if reverse:
            record["@reverse"] = reverse
    return record


def _explain(page: Page, kind: EntityKind, exc: SpbeError, state: FormState,
             iri: str | None) -> None:
    """Put each problem next to its field; the rest at the top of the form."""
    lang = page.lang
    if isinstance(exc, RuleViolationError):
        state.general.append(page.message(exc))
        results = exc.extra.get("validation", {}).get("results", [])
        for result in results:
            path = str(result.get("resultPath") or "")
            name = path.rsplit("#", 1)[-1] if path else ""
            if iri is not None and result.get("focusNode") == iri and kind.has_field(name):
                state.errors.setdefault(name, []).append(str(result.get("message", "")))
            else:
                # another element's rule breaks: name it by its code and link its page
                focus = str(result.get("focusNode") or "")
                href = element_path(focus)
                state.other_findings.append({
                    "message": str(result.get("message", "")), "href": href,
                    "element": unquote(focus.rsplit("/", 1)[-1]) if href else focus})
        return
    problems = exc.problems if isinstance(exc, InputProblems) else [exc]
    for problem in problems:
        text = problem.message_en if lang == "en" else problem.message_id
        if isinstance(problem, FieldProblem) and kind.has_field(problem.field):
            state.errors.setdefault(problem.field, []).append(text)
        else:
            state.general.append(problem.message(lang))


def _save(page: Page, kind: EntityKind, form: FormData, code: str | None) -> Response:
    record = record_from_form(kind, form, code)
    method = "PATCH" if code is not None else "POST"
    lock = page.request.app.state.write_lock
    shown = form_text(form, "etag") if code is not None else None
    warnings: list[FieldProblem] = []
    try:
        _status, after = write_entity(page.repository, page.principal, lock, kind,
                                      page.instansi, code, record, method,
                                      precondition=Precondition(shown) if shown else None,
                                      lang=page.lang, warnings=warnings)
    except (InputError, InputProblems, RuleViolationError) as exc:
        state = FormState(record, etag=shown)
        stored = get_entity(page.repository, kind, code or str(record.get("kode") or ""),
                            instansi=page.instansi) if (code or record.get("kode")) else None
        iri = str(stored["@id"]) if stored else _minted_iri(page, kind, record)
        if isinstance(exc, PreconditionFailedError):
            # keep what this user typed; saving again (now knowingly) replaces the other
            # change, so the form takes the state as it is now
            state.etag = entity_tag(stored) if stored else None
            state.general.append(page.t(
                "Elemen ini diubah orang lain sejak formulir ini dibuka, jadi belum disimpan."
                " Isian Anda masih di bawah; bandingkan dengan halaman elemen, lalu simpan"
                " lagi bila tetap ingin menggantinya."))
            return _render_form(page, kind, state, code=code, status=409)
        _explain(page, kind, exc, state, iri)
        return _render_form(page, kind, state, code=code, status=422)
    saved = str((after or record).get("kode") or code)
    target = entity_path(kind.name, saved) + "?pesan=" + ("disimpan" if code is not None
                                                          else "dibuat")
    if warnings:
        # saved, yet worth a word (a code outside a provisional list): for the one who
        # saved, on the element's page the redirect leads to
        key = flash_of(page.request).put(page.principal.name,
                                         [_warning_line(page, kind, w) for w in warnings])
        target += "&catatan=" + key
    return page.redirect(target)


def _warning_line(page: Page, kind: EntityKind, warning: FieldProblem) -> str:
    text = warning.message_en if page.lang == "en" else warning.message_id
    if kind.has_field(warning.field):
        return f"{ucfirst(kind.field(warning.field).label(page.lang))}: {text}"
    return warning.message(page.lang)


def _minted_iri(page: Page, kind: EntityKind, record: dict[str, Any]) -> str | None:
    from spbe_arch import iris

    code = str(record.get("kode") or "")
    if not code or kind.iri_kind is None:
        return None
    return str(iris.element_iri(page.instansi, kind.iri_kind, code))


@router.post("/e/{kind}/{code:path}/ubah")
def entity_update(page: PageDep, form: FormDep, kind: str, code: Code) -> Response:
    entity_kind = _editable_kind(kind)
    record = get_entity(page.repository, entity_kind, code, instansi=page.instansi)
    if record is None:
        raise NotFoundError(f"{entity_kind.label('id')} dengan kode '{code}' tidak ada",
                            f"there is no {entity_kind.label('en')} with code '{code}'")
    _check_may_edit(page, entity_kind, record)
    return _save(page, entity_kind, form, code)


@router.post("/e/{kind}/baru/isi")
def entity_create(page: PageDep, form: FormDep, kind: str) -> Response:
    entity_kind = _editable_kind(kind)
    _check_may_create(page, entity_kind)
    return _save(page, entity_kind, form, None)


# The element page comes last: a code may hold '/' (the code pattern allows it), so
# /e/{kind}/{code:path} would also match the form addresses above.
@router.get("/e/{kind}/{code:path}")
def entity_detail(page: PageDep, kind: str, code: Code,
                  pesan: Annotated[str | None, Query(max_length=40)] = None,
                  catatan: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    entity_kind = browse_kind(kind)
    if kind == "sop":
        return page.redirect(entity_path("sop", code))
    record = get_entity(page.repository, entity_kind, code, instansi=page.instansi)
    if record is None:
        raise NotFoundError(f"{entity_kind.label('id')} dengan kode '{code}' tidak ada",
                            f"there is no {entity_kind.label('en')} with code '{code}'")
    iri = str(record["@id"])
    data = gather_architecture(page.repository, page.instansi)
    report = latest_report(page.repository, page.instansi)
    findings = []
    if report is not None:
        mine = [r for r in report.results if str(r.focus_node) == iri]
        findings = build_findings(mine, data, page.repository, page.lang)
    return page.render(
        "entity_detail.html.j2", kind=entity_kind, record=record, iri=iri,
        fields=[f for f in entity_kind.fields if f.kind != "nested"],
        enum_labels={f.name: enum_labels(f, page.lang) for f in entity_kind.fields},
        concepts=concept_names(page), related=_related(page, data, entity_kind, iri),
        findings=findings, report=report, history=_history(page, iri),
        coverage=next((c for c in sop_coverage(page.repository, page.instansi)
                       if str(c.opd) == iri), None) if kind == "opd" else None,
        may_edit=page.can_write_opd(owner_code(entity_kind, record)),
        notice=page.t(NOTICES[pesan]) if pesan in NOTICES else "", ucfirst=ucfirst,
        warnings=flash_of(page.request).take(catatan, page.principal.name))


__all__ = ["router"]
