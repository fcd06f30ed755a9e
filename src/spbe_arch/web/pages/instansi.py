"""Instansi: the government body of this server (`SPBE_INSTANSI`) and its architecture
periods, for the architects of Bagian Organisasi.

Everyone who may read sees the body's name and each period's years, status, regulation and
reference version (`describe_instansi`, as `GET /api/instansi/{kode}`). An admin also gets
the forms: record or rename the body (`record_instansi`, as `PUT`), set a period's status
and regulation or record a new period (`set_periode`, as `PATCH …/periode/{tahun-tahun}`),
under the app's write lock, checked against the rules and audited by the service; what the
service refuses is shown at the field it concerns: the service names the fields as the
forms do (`periode`, `tanggal_regulasi`), so a field is shown at the control of that name.

Each form carries the state it was made from (`etag`: the ETag the API gives the body or
the period; the new-period form the body's; empty while the body is not recorded), checked
under the write lock as `If-Match` is (`InstansiPrecondition`): a form sent after another
admin's change writes nothing and says so (409), rather than silently undoing that change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from starlette.datastructures import FormData

from spbe_arch import iris
from spbe_arch.access import require_admin
from spbe_arch.api.routes.instansi import (
    InstansiPrecondition,
    instansi_tag,
    periode_tag,
)
from spbe_arch.api.writes import PreconditionFailedError
from spbe_arch.errors import InputError, SpbeError
from spbe_arch.model.instansi import (
    SERVER_REFERENCE_STEP,
    InstansiNotRecordedError,
    InstansiView,
    PeriodeView,
    ReferenceNotLoadedError,
    describe_instansi,
    field_names,
    find_instansi,
    record_instansi,
    set_periode,
)
from spbe_arch.sop.document import tanggal_indonesia
from spbe_arch.validation.write_check import RuleViolationError
from spbe_arch.vocab import SPBE
from spbe_arch.web.context import FormDep, Page, PageDep, form_text
from spbe_arch.web.flash import flash_of
from spbe_arch.web.rendering import WebRoute, element_path

router = APIRouter(route_class=WebRoute)
NEW = "baru"
"""The form key of the new-period form (an existing period's is its years)."""
_PATH_FIELDS = {str(SPBE.nama): "nama", str(SPBE.statusDokumen): "status",
                str(SPBE.nomorRegulasi): "nomor_regulasi",
                str(SPBE.tanggalRegulasi): "tanggal_regulasi",
                str(SPBE.tahunMulai): "periode", str(SPBE.tahunSelesai): "periode"}


@dataclass
class FormState:
    """One form of the page: its values (as stored, or as typed when refused) and what
    the service said about them."""

    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    others: list[dict[str, str]] = field(default_factory=list)
    """Rules the change would break on other elements: message, element, its page."""
    etag: str = ""
    """The state the form was made from (module docstring)."""

    @property
    def refused(self) -> bool:
        return bool(self.errors or self.general)


def _require_admin(page: Page) -> None:
    require_admin(page.principal, "mengubah instansi dan periode arsitekturnya",
                  "changing the government body and its architecture periods")


def _shown_date(page: Page, text: str) -> str:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text  # hand-written RDF: shown as it is
    return day.isoformat() if page.lang == "en" else tanggal_indonesia(day)


def _period_of(view: InstansiView, key: str) -> PeriodeView | None:
    return next((p for p in view.periode if p.years == key), None) if key != NEW else None


def _period_values(period: PeriodeView) -> dict[str, str]:
    status = ", ".join(period.status).lower()
    return {"periode": period.years, "status": status if status in ("draft", "ditetapkan")
            else "", "nomor_regulasi": ", ".join(period.nomor_regulasi),
            "tanggal_regulasi": period.tanggal_regulasi[0]
            if len(period.tanggal_regulasi) == 1 else ", ".join(period.tanggal_regulasi)}


def _said(page: Page, exc: InputError) -> str:
    """The service's message without its field (the page shows it at the control, or the
    page is the body's), and what to do next where the page has a way: a body not recorded
    is recorded with the form here, by an admin; the base data is the operator's."""
    text = exc.message_en if page.lang == "en" else exc.message_id
    if isinstance(exc, InstansiNotRecordedError) and not exc.missing:
        step = (page.t("catat dulu dengan formulir di bawah") if page.principal.is_admin
                else page.t("admin dapat mencatatnya di halaman ini"))
        return f"{text}; {step}"
    if isinstance(exc, ReferenceNotLoadedError):
        return f"{text}; {SERVER_REFERENCE_STEP[page.lang == 'en']}"  # as the API says it
    return text


def _view(page: Page) -> tuple[InstansiView | None, str]:
    """The body as recorded, or None and why not (not recorded yet)."""
    try:
        return describe_instansi(page.repository, page.instansi), ""
    except InputError as exc:
        return None, _said(page, exc)


def _render(page: Page, *, body_form: FormState | None = None,
            period_forms: dict[str, FormState] | None = None, status: int = 200,
            notice: str = "", notes: list[str] | None = None) -> Response:
    view, missing = _view(page)
    body_tag = instansi_tag(view) if view else ""
    forms = {p.years: FormState(_period_values(p), etag=periode_tag(p))
             for p in (view.periode if view else [])}
    forms[NEW] = FormState({"periode": "", "status": "draft", "nomor_regulasi": "",
                            "tanggal_regulasi": ""}, etag=body_tag)
    forms.update(period_forms or {})
    name = ", ".join(view.nama) if view else ""
    return page.render(
        "instansi.html.j2", status=status, view=view, missing=missing, body_name=name,
        body_form=body_form or FormState({"nama": name, "periode": ""}, etag=body_tag),
        period_forms=forms, new_key=NEW, may_edit=page.principal.is_admin,
        shown_date=lambda text: _shown_date(page, text), notice=notice, notes=notes or [])


@router.get("/instansi")
def instansi_page(page: PageDep, pesan: Annotated[str | None, Query(max_length=40)] = None,
                  catatan: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    notices = {"disimpan": page.t("Instansi disimpan."),
               "periode": page.t("Periode arsitektur disimpan."),
               "sama": page.t("Tidak ada yang berubah.")}
    return _render(page, notice=notices.get(pesan or "", ""),
                   notes=flash_of(page.request).take(catatan, page.principal.name))


def _explain(page: Page, exc: SpbeError, state: FormState, focus: set[str]) -> None:
    """Each refusal at the field it concerns: the field the service names, a rule's path on
    the body or the period being changed; the rest above the form."""
    if isinstance(exc, RuleViolationError):
        state.general.append(page.message(exc))
        for result in exc.extra.get("validation", {}).get("results", []):
            message = str(result.get("message", ""))
            node = str(result.get("focusNode") or "")
            name = _PATH_FIELDS.get(str(result.get("resultPath") or ""))
            if node in focus and name is not None and name in state.values:
                state.errors.setdefault(name, []).append(message)
            else:
                state.others.append({"message": message, "element": node.rsplit("/", 1)[-1],
                                     "href": element_path(node) or ""})
        return
    name = exc.location.field if exc.location else None
    text = _said(page, exc) if isinstance(exc, InputError) else page.message(exc)
    if name is not None and name in state.values:
        state.errors.setdefault(name, []).append(text)
    else:
        state.general.append(text)


def _precondition(form: FormData) -> InstansiPrecondition | None:
    """The condition the form's `etag` states; none for a post without it (made by hand or
    by a page from before the forms carried it), which writes unconditionally as a request
    without `If-Match` does."""
    if "etag" not in form:
        return None
    shown = form_text(form, "etag")
    # empty: the body was not recorded when the form was made, and must not be now
    return InstansiPrecondition(if_match=shown) if shown else InstansiPrecondition(
        if_none_match="*")


def _stale(page: Page, state: FormState, current: str, period_key: str | None) -> Response:
    """The form (the body's, or the period form `period_key`) refused as made from an older
    state: what was typed stays, with the state as it is now, so that saving it again
    (knowingly) replaces the other change."""
    state.etag = current
    state.general.append(page.t(
        "Instansi atau periodenya diubah orang lain sejak halaman ini dibuka, jadi isian ini"
        " belum disimpan. Halaman ini kini menampilkan data terbaru: muat ulang halaman untuk"
        " membuang isian Anda, atau simpan lagi bila tetap ingin menggantinya."))
    if period_key is None:
        return _render(page, body_form=state, status=409)
    return _render(page, period_forms={period_key: state}, status=409)


def _refused_status(exc: SpbeError) -> int:
    """409 where the repository lacks the base data (the form is fine; as the API says)."""
    return 409 if isinstance(exc, ReferenceNotLoadedError) else 422


@router.post("/instansi")
def instansi_save(page: PageDep, form: FormDep) -> Response:
    _require_admin(page)
    state = FormState({"nama": form_text(form, "nama"), "periode": form_text(form, "periode")},
                      etag=form_text(form, "etag"))
    precondition = _precondition(form)
    try:
        with page.request.app.state.write_lock:
            if precondition is not None:
                view = find_instansi(page.repository, page.instansi)
                try:
                    precondition.check_body(view, page.instansi)
                except PreconditionFailedError:
                    return _stale(page, state, instansi_tag(view) if view else "", None)
            done = record_instansi(page.repository, page.instansi, state.values["nama"],
                                   state.values["periode"] or None, agent=page.principal.name,
                                   lang=page.lang)
    except (InputError, RuleViolationError) as exc:
        _explain(page, exc, state, {str(iris.instansi_iri(page.instansi))})
        return _render(page, body_form=state, status=_refused_status(exc))
    return page.redirect(page.url("/instansi", pesan="disimpan" if done.activity else "sama"))


def _period_form(form: FormData) -> tuple[str, FormState]:
    key = form_text(form, "kunci") or NEW
    return key, FormState({name: form_text(form, name) for name in
                           ("periode", "status", "nomor_regulasi", "tanggal_regulasi")},
                          etag=form_text(form, "etag"))


@router.post("/instansi/periode")
def period_save(page: PageDep, form: FormDep) -> Response:
    _require_admin(page)
    key, state = _period_form(form)
    values = state.values
    # an existing period's form sends every field: those left as stored change nothing
    given: dict[str, Any] = {"status": values["status"] or None,
                             "nomor_regulasi": values["nomor_regulasi"],
                             "tanggal_regulasi": values["tanggal_regulasi"]}
    precondition = _precondition(form)
    try:
        with page.request.app.state.write_lock:
            view = (find_instansi(page.repository, page.instansi) if precondition is not None
                    else None)
            if precondition is not None and view is not None:
                # an existing period's form holds the period's tag, the new one the body's
                stored = _period_of(view, key)
                try:
                    precondition.check_period(view, stored,
                                              key if key != NEW else values["periode"])
                except PreconditionFailedError:
                    return _stale(page, state, periode_tag(stored) if stored is not None
                                  else instansi_tag(view), key)
            done = set_periode(page.repository, page.instansi, values["periode"],
                               agent=page.principal.name, lang=page.lang, **given)
    except (InputError, RuleViolationError) as exc:
        period = iris.element_iri(page.instansi, "periode", values["periode"].replace(" ", ""))
        _explain(page, exc, state, {str(period)})
        return _render(page, period_forms={key: state}, status=_refused_status(exc))
    years = done.years
    if done.activity is None:
        return page.redirect(page.url("/instansi", pesan="sama"))
    line = (page.t("Periode {periode} dicatat.", periode=years) if done.created else
            page.t("Periode {periode} diperbarui: {fields}.", periode=years,
                   fields=field_names(done.changed, page.lang)))
    note = flash_of(page.request).put(page.principal.name, [line])
    return page.redirect(page.url("/instansi", pesan="periode", catatan=note))


__all__ = ["router"]
