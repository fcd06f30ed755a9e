"""Committing a planned entity change on behalf of a caller: scope, rules, audit.

The order is fixed and happens under the app's write lock, so nothing changes between the
check and the commit:

1. the caller's role and OPD scope must cover every OPD the change touches (before and
   after: moving a process from one OPD to another needs both); the owner of the entity as
   stored is checked before the change is even planned, so a caller without rights over it
   hears 401/403, never what planning would object to (what still refers to the entity);
2. the SHACL rules: if the change would add a Violation, it is refused (HTTP 422, with
   the validation results) and nothing is written;
3. the change and its audit record are committed in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rdflib.term import URIRef

from spbe_arch import iris
from spbe_arch.access import (
    PermissionDeniedError,
    Principal,
    Role,
    require_admin,
    require_opd_write,
)
from spbe_arch.access.policy import (
    AuthenticationError,
    OpdAction,
    OpdWrite,
    opd_write_needs,
)
from spbe_arch.audit import apply_audited
from spbe_arch.errors import InputError, InputProblems
from spbe_arch.importers.bpmn.service import ModelInfo, find_model, find_proses
from spbe_arch.model import (
    KINDS,
    EntityChangeSet,
    EntityKind,
    get_entity,
    plan_delete,
    plan_upsert,
)
from spbe_arch.model.service import RepositoryResolver
from spbe_arch.model.values import FieldProblem, record_code, shown_value
from spbe_arch.repository import Repository
from spbe_arch.sop.service import DeriveResult, derive_sop
from spbe_arch.validation.write_check import refuse_violations


def opd_iris(repository: Repository, instansi: str, codes: Iterable[str | None]) -> set[str]:
    """OPD IRIs for OPD codes, as stored (or as they would be minted)."""
    wanted = {c for c in codes if c}
    if not wanted:
        return set()
    stored = RepositoryResolver(repository, instansi).stored_codes(KINDS["opd"])
    return {str(stored.get(code) or iris.element_iri(instansi, "opd", code))
            for code in wanted}


def commit(repository: Repository, principal: Principal, plan: EntityChangeSet, *,
           instansi: str, opd_codes: Iterable[str | None], label: str,
           what_id: str, what_en: str, lang: str = "id") -> URIRef | None:
    """Check scope and rules, then apply the plan with its audit record."""
    require_opd_write(principal, opd_iris(repository, instansi, opd_codes), what_id, what_en)
    if plan.is_empty():
        return None
    refuse_violations(repository, plan, lang)
    return apply_audited(repository, plan, agent=principal.name, entities=plan.entities,
                         label=label)


class EntityNotFoundError(InputError):
    http_status = 404


class PreconditionFailedError(InputError):
    """An `If-Match` / `If-None-Match` condition of the request does not hold (HTTP 412)."""

    http_status = 412


def entity_tag(record: Mapping[str, Any]) -> str:
    """The strong ETag of an entity's state. Every representation (JSON, Turtle, …) is
    made from the same record, so they share it: a client may read Turtle and write JSON."""
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


_ENTITY_TAG = re.compile(r'\*|(?:W/)?"[^"]*"')


def entity_tags(header: str) -> list[str]:
    """The entity tags (and `*`) an `If-Match` / `If-None-Match` header lists, as written
    (a weak tag keeps its `W/`)."""
    return _ENTITY_TAG.findall(header)


def none_match(header: str | None, current: str) -> bool:
    """True if an `If-None-Match` header names `current` (or `*`): weak comparison, as
    RFC 9110 §13.1.2 has it for this header."""
    if header is None:
        return False
    tags = [t.removeprefix("W/") for t in entity_tags(header)]
    return "*" in tags or current in tags


@dataclass(frozen=True)
class Precondition:
    """The conditional headers of a write (RFC 9110 §13): optimistic concurrency, so that
    two people editing the same entity cannot silently overwrite each other."""

    if_match: str | None = None
    if_none_match: str | None = None

    def check(self, before: Mapping[str, Any] | None, kind: EntityKind, code: str) -> None:
        current = entity_tag(before) if before is not None else None
        if self.if_match is not None:
            tags = entity_tags(self.if_match)
            if current is None and "*" in tags:
                raise PreconditionFailedError(
                    f"{kind.label('id')} dengan kode '{code}' tidak ada, padahal If-Match: *"
                    " meminta entitas yang sudah ada; tidak ada yang disimpan",
                    f"there is no {kind.label('en')} with code '{code}', while If-Match: *"
                    " asks for an existing one; nothing was stored")
            # strong comparison: a weak tag never matches a write's precondition
            holds = current is not None and ("*" in tags or current in tags)
            if not holds:
                raise PreconditionFailedError(
                    f"{kind.label('id')} '{code}' sudah berubah (atau dihapus) sejak Anda"
                    " membacanya: If-Match tidak cocok; ambil lagi, lalu ulangi perubahan",
                    f"the {kind.label('en')} '{code}' has changed (or was deleted) since you"
                    " read it: If-Match does not match; fetch it again, then redo the change")
        if current is not None and none_match(self.if_none_match, current):
            raise PreconditionFailedError(
                f"{kind.label('id')} dengan kode '{code}' sudah ada (If-None-Match)",
                f"a {kind.label('en')} with code '{code}' already exists"
                " (If-None-Match)")


class EntityExistsError(InputError):
    http_status = 409


def entity_not_found(kind: EntityKind, code: str) -> EntityNotFoundError:
    return EntityNotFoundError(f"{kind.label('id')} dengan kode '{code}' tidak ada",
                               f"there is no {kind.label('en')} with code '{code}'")


def _owner(record: Mapping[str, Any] | None, kind: EntityKind) -> str | None:
    if record is None:
        return None
    if kind.name == "opd":
        value = record.get("kode")
    elif kind.owner_field:
        value = record.get(kind.owner_field)
    else:
        return None
    return str(value) if value else None


def _opd_write(before: Mapping[str, Any] | None, record: Mapping[str, Any] | None,
               code: str, method: str) -> OpdWrite:
    """A REST write of an OPD for the OPD write rule. A request names the OPD it writes, so
    it counts as a change even when it turns out to change nothing (as for every kind, the
    entity it addresses must be the caller's)."""
    old = _given_code(before.get("indukOPD")) if before is not None else None
    new = old
    if record is not None and (method != "PATCH" or "indukOPD" in record):
        new = _given_code(record.get("indukOPD"))
    action: OpdAction = ("remove" if method == "DELETE" else
                         "add" if before is None else "change")
    return OpdWrite(code, action, frozenset(c for c in (old,) if c),
                    frozenset(c for c in (new,) if c))


def _given_code(value: object) -> str | None:
    """A link's code as the model reads it: one value, also as a one-element list, without
    surrounding spaces (anything else the model has refused while planning)."""
    if isinstance(value, list | tuple):
        values = [v for v in value if v not in (None, "")]
        value = values[0] if len(values) == 1 else None
    if value is None or isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value).replace("\u00a0", " ").strip() or None


def _stored_code(kind: EntityKind, code: str) -> str:
    return record_code(kind, {kind.identity_field.name: code}) or ""


def write_action(kind: EntityKind, method: str) -> tuple[str, str]:
    """What a write does, in words for its messages (Indonesian, English)."""
    verb_id, verb_en = {"POST": ("membuat", "creating"),
                        "DELETE": ("menghapus", "deleting")}.get(method,
                                                                ("mengubah", "changing"))
    return f"{verb_id} {kind.label('id')}", f"{verb_en} a {kind.label('en')}"


def _require_stored_scope(repository: Repository, principal: Principal, kind: EntityKind,
                          before: Mapping[str, Any] | None, instansi: str, what_id: str,
                          what_en: str) -> None:
    """Refuse a caller who may not write the entity as it is stored, before anything is
    planned: planning reports what is wrong with the record or what still refers to the
    entity (422), and a caller without rights over it must hear 401/403 instead, as the
    full check in `commit` would say after planning.

    An entity stored without an owner is left to that full check (an editor may give it
    one of its OPDs), as is a new one; anonymous callers and readers are refused either way."""
    stored_owner = _owner(before, kind)
    if stored_owner is None and principal.role is Role.editor:
        return
    require_opd_write(principal, opd_iris(repository, instansi, [stored_owner]), what_id,
                      what_en)


def write_entity(repository: Repository, principal: Principal, lock: Any, kind: EntityKind,
                 instansi: str, code: str | None, body: Mapping[str, Any] | None,
                 method: str, *, force: bool = False,
                 precondition: Precondition | None = None, lang: str = "id",
                 warnings: list[FieldProblem] | None = None,
                 ) -> tuple[int, dict[str, Any] | None]:
    """Plan, check and commit one REST-style write of one entity (`method` POST, PUT, PATCH or
    DELETE) for the API and the web pages; returns (HTTP status, the entity afterwards).
    `precondition` is checked against the entity as it is under the write lock; `lang` is
    the language of the rule messages a refusal carries. `warnings`, when given, receives
    what planning accepted but the caller should hear (a reference code outside a
    provisional list, spaces removed from a code)."""
    what_id, what_en = write_action(kind, method)
    url_code = code
    with lock:
        if body is not None:
            record = dict(body)
            given = record.get("kode")
            if given is not None and (isinstance(given, bool)
                                      or not isinstance(given, str | int)):
                # str() would make `true` the code "True" and a list its Python text
                shown = shown_value(given)
                raise InputProblems([FieldProblem(
                    kind, 0, None, "kode", given, f"kode harus berupa teks, bukan {shown}",
                    f"a code must be text, not {shown}")])
            # the code as the model stores it (spaces stripped): looked up padded, an
            # existing entity was not found, and a create replaced it unseen
            in_body = record_code(kind, record)
            if code is None:
                code = in_body
                if code is None:
                    raise InputError("kolom 'kode' wajib diisi", "the field 'kode' is required")
            elif in_body not in (None, _stored_code(kind, code)):
                raise InputError(
                    f"kode di isi permintaan ('{given}') berbeda dengan kode di URL ('{code}')",
                    f"the code in the body ('{given}') differs from the code in the URL"
                    f" ('{code}')")
        assert code is not None
        code = _stored_code(kind, code)
        if not code and url_code is not None:
            # the code came from the address, not from a field of the body
            shown = shown_value(url_code)
            raise InputError(
                f"alamat tidak menyebut kode {kind.label('id')}: bagian kodenya ({shown})"
                " kosong atau hanya spasi",
                f"the address names no {kind.label('en')} code: its code segment ({shown})"
                " is empty or only white space")
        if not code:
            raise InputError("kolom 'kode' wajib diisi", "the field 'kode' is required")
        if body is not None:
            record["kode"] = code
        before = get_entity(repository, kind, code, instansi=instansi)
        _require_stored_scope(repository, principal, kind, before, instansi, what_id, what_en)
        if precondition is not None:
            precondition.check(before, kind, code)
        if method == "POST" and before is not None:
            raise EntityExistsError(f"{kind.label('id')} dengan kode '{code}' sudah ada",
                                    f"a {kind.label('en')} with code '{code}' already exists")
        if method in ("PATCH", "DELETE") and before is None:
            raise entity_not_found(kind, code)
        opd_needs = (opd_write_needs(_opd_write(before, record if body is not None else None,
                                                code, method))
                     if kind.name == "opd" else None)
        if opd_needs is not None and opd_needs.admin:
            # before planning: a refused creation reveals nothing of what the record lacks
            require_admin(principal, "membuat atau menghapus OPD", "creating or deleting an OPD")
        if method == "DELETE":
            plan = plan_delete(repository, kind, [code], instansi=instansi, force=force)
            owners = [_owner(before, kind)]
        else:
            plan = plan_upsert(repository, kind, [record], instansi=instansi,
                               partial=method == "PATCH")
            after_owner = (_given_code(record.get(kind.owner_field)) if kind.owner_field
                           and (method != "PATCH" or kind.owner_field in record)
                           else _owner(before, kind))
            owners = [_owner(before, kind)]
            owners += ([*opd_needs.opds, *opd_needs.parents] if opd_needs is not None
                       else [after_owner])
        # other entities the change touches need the caller's scope too: those the record's
        # `@reverse` links from, and those losing their link to a deleted one (`force`)
        for change in plan.entity_changes:
            if (change.kind, change.code) != (kind.name, code):
                other = KINDS[change.kind]
                owners.append(_owner(get_entity(repository, other, change.code,
                                                instansi=instansi), other))
        commit(repository, principal, plan, instansi=instansi, opd_codes=owners,
               label=f"REST {method} {kind.name} {code}", what_id=what_id, what_en=what_en,
               lang=lang)
        if warnings is not None:
            warnings.extend(plan.warnings)
        if method == "DELETE":
            return 204, None
        after = get_entity(repository, kind, code, instansi=instansi)
        return (201 if before is None else 200), after


def import_scope(principal: Principal, repository: Repository,
                  instansi: str) -> set[str] | None:
    """Whom an import (Excel) may write for: None for an admin, the editor's OPD codes;
    refuses everyone else."""
    if not principal.authenticated:
        raise AuthenticationError("impor Excel memerlukan token API",
                                  "an Excel import needs an API token")
    if principal.is_admin:
        return None
    if principal.role is not Role.editor:
        raise PermissionDeniedError(
            f"impor Excel memerlukan peran editor atau admin; token '{principal.name}'"
            f" berperan {principal.role}",
            f"an Excel import needs the editor or admin role; token '{principal.name}' has"
            f" the role {principal.role}")
    # tokens name OPDs by IRI (or code); the importer works with codes
    stored = RepositoryResolver(repository, instansi).stored_codes(KINDS["opd"])
    by_iri = {str(iri): code for code, iri in stored.items()}
    return {by_iri.get(o, o) for o in principal.opds}


def check_bpmn_import(principal: Principal, repository: Repository, *, proses: str | None,
                      model: str, instansi: str) -> str | None:
    """Refuse a BPMN import the caller may not make; returns the process the model will
    detail (`proses`, or the one its stored version details when none is given).

    The OPD of that process must be the caller's, and when a model of that name is
    stored, so must the OPD of the process it details now: a new version replaces the
    model and takes it to the given process (the given process's OPD alone let an editor
    take another OPD's model). A stored model that details no process belongs to no OPD,
    so only an admin may replace it, as only an admin may import a new model without one."""
    what = ("mengimpor model BPMN", "importing a BPMN model")
    if not principal.authenticated:  # 401 before anything about the data is revealed
        require_opd_write(principal, [], *what)
    try:
        stored: ModelInfo | None = find_model(repository, model, instansi)
    except InputError:  # no such model yet, or a name that is no identifier
        stored = None
    detailed = proses or (stored.proses_kode if stored is not None else None) or None
    owners: list[URIRef | str] = []
    for code in dict.fromkeys(c for c in (detailed, stored.proses_kode if stored else None)
                              if c):
        info = find_proses(repository, code, instansi)
        if info.pemilik is not None:
            owners.append(info.pemilik)
    require_opd_write(principal, owners, *what)
    if stored is not None and not stored.proses_kode:
        require_opd_write(principal, [], *what)
    return detailed


def derive_sop_as(principal: Principal, repository: Repository, lock: Any, *, proses: str,
                  instansi: str, model: str | None = None, pool: str | None = None,
                  kode: str | None = None, lang: str = "id") -> DeriveResult:
    """Derive the SOP of `proses` for the API and the web pages, as `principal` may.

    Under the write lock the process's OPD must be the caller's, and so must the OPD of the
    SOP the derivation replaces, whether named by `kode` or found as the one derived from
    the same model before (the process's OPD alone let an editor overwrite another OPD's
    SOP, or take back one an admin had given to another OPD)."""
    what = ("menurunkan SOP", "deriving an SOP")
    if not principal.authenticated:  # 401 before anything about the data is revealed
        require_opd_write(principal, [], *what)
    with lock:
        info = find_proses(repository, proses, instansi)
        require_opd_write(principal, [info.pemilik] if info.pemilik is not None else [], *what)
        return derive_sop(repository, proses=proses, kode_wilayah=instansi, model=model,
                          pool=pool, kode=kode, agent=principal.name, lang=lang,
                          may_replace=lambda owner: require_opd_write(
                              principal, [owner] if owner is not None else [],
                              "menurunkan SOP ke SOP yang sudah ada",
                              "deriving into an existing SOP"))
