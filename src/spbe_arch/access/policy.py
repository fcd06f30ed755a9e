"""Who may do what: the principal behind a request and the checks every write makes.

- anonymous: read, if anonymous reading is on (on for a loopback bind, off otherwise);
- reader: read;
- editor: read, and change elements owned by the OPDs in its scope (REST writes);
- admin: everything, including SPARQL Update and Graph Store writes.

A change that touches elements of several OPDs (moving a process from one OPD to another)
needs every one of them in the editor's scope. Writes of OPD entities themselves follow one
more rule (`opd_write_needs`), the same for the REST API, the web forms and the Excel import.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Literal

from rdflib.term import URIRef

from spbe_arch.access.tokens import Role, TokenRecord
from spbe_arch.errors import SpbeError
from spbe_arch.settings import Settings

ANONYMOUS_NAME = "anonim"


class AuthenticationError(SpbeError):
    """No valid token where one is needed (HTTP 401)."""


class PermissionDeniedError(SpbeError):
    """A valid token whose role or OPD scope does not allow the operation (HTTP 403)."""


@dataclass(frozen=True)
class Principal:
    """The caller of one request."""

    name: str
    role: Role | None
    """None for an anonymous caller."""
    opds: frozenset[str] = field(default_factory=frozenset)
    anonymous_read: bool = False

    @classmethod
    def from_record(cls, record: TokenRecord) -> Principal:
        return cls(record.name, record.role, frozenset(record.opds))

    @classmethod
    def anonymous(cls, anonymous_read: bool) -> Principal:
        return cls(ANONYMOUS_NAME, None, frozenset(), anonymous_read)

    @property
    def authenticated(self) -> bool:
        return self.role is not None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.admin

    def can_read(self) -> bool:
        return self.authenticated or self.anonymous_read

    def can_write_opds(self, opds: Iterable[URIRef | str]) -> bool:
        wanted = {str(o) for o in opds}
        if self.is_admin:
            return True
        return self.role is Role.editor and bool(wanted) and wanted <= self.opds


def _need_token(what_id: str, what_en: str) -> AuthenticationError:
    return AuthenticationError(
        f"{what_id} memerlukan token API (header Authorization: Bearer <token>)",
        f"{what_en} needs an API token (header Authorization: Bearer <token>)",
    )


def require_read(principal: Principal) -> None:
    if not principal.can_read():
        raise _need_token("membaca repositori", "reading the repository")


def require_admin(principal: Principal, what_id: str, what_en: str) -> None:
    if not principal.authenticated:
        raise _need_token(what_id, what_en)
    if not principal.is_admin:
        raise PermissionDeniedError(
            f"{what_id} hanya untuk peran admin; token '{principal.name}' berperan"
            f" {principal.role}",
            f"{what_en} is for the admin role only; token '{principal.name}' has the role"
            f" {principal.role}",
        )


def require_opd_write(principal: Principal, opds: Iterable[URIRef | str], what_id: str,
                      what_en: str) -> None:
    """Allow a change to elements owned by `opds` (admin: any; editor: all in scope)."""
    wanted = sorted({str(o) for o in opds})
    if not principal.authenticated:
        raise _need_token(what_id, what_en)
    if principal.can_write_opds(wanted):
        return
    if principal.role is Role.editor:
        outside = [o for o in wanted if o not in principal.opds]
        names = ", ".join(_short(o) for o in outside) or "-"
        raise PermissionDeniedError(
            f"{what_id}: token '{principal.name}' tidak berwenang atas OPD {names}"
            if outside else
            f"{what_id}: perubahan ini tidak terkait OPD mana pun, sehingga hanya admin"
            " yang boleh melakukannya",
            f"{what_en}: token '{principal.name}' has no rights over OPD {names}"
            if outside else
            f"{what_en}: this change belongs to no OPD, so only an admin may make it",
        )
    raise PermissionDeniedError(
        f"{what_id} memerlukan peran editor atau admin; token '{principal.name}' berperan"
        f" {principal.role}",
        f"{what_en} needs the editor or admin role; token '{principal.name}' has the role"
        f" {principal.role}",
    )


OpdAction = Literal["add", "change", "remove"]


@dataclass(frozen=True)
class OpdWrite:
    """A write of one OPD entity as the OPD write rule sees it; OPDs are named by code."""

    code: str
    action: OpdAction
    parents_before: frozenset[str] = frozenset()
    """`indukOPD` as stored. A caller that knows only the change may give just the parents
    taken away and put in `parents_after` just those added: only the difference counts."""
    parents_after: frozenset[str] = frozenset()
    changed: bool = True
    """False when the write leaves the OPD as it is stored: an OPD's workbook lists its
    sub-units (whose parent it is) as they are, and such a row is no write of theirs."""


@dataclass(frozen=True)
class OpdWriteNeeds:
    """What a caller needs for an `OpdWrite`."""

    admin: bool
    """Only an admin may make it (creating or deleting an OPD)."""
    opds: tuple[str, ...]
    """The OPD itself, when the write changes it."""
    parents: tuple[str, ...]
    """The old and the new parent, when the write moves the OPD."""


@dataclass(frozen=True)
class OpdWriteRefusal:
    """Why an editor may not make an `OpdWrite`; each caller words it its own way."""

    reason: Literal["admin", "opd", "parent"]
    outside: tuple[str, ...]
    """The codes outside the editor's scope (for "admin": the OPD's own)."""


def opd_write_needs(write: OpdWrite) -> OpdWriteNeeds:
    """The rule for writes of OPD entities: only an admin creates or deletes an OPD; an
    editor changes only OPDs in its scope; placing one under another parent (`indukOPD`)
    or taking it out of one needs the old and the new parent in scope too, since the
    parent's organisation takes the unit in (as moving a process needs both OPDs)."""
    moved = tuple(sorted(write.parents_before ^ write.parents_after))
    return OpdWriteNeeds(
        admin=write.action in ("add", "remove"),
        opds=(write.code,) if write.changed or moved else (),
        parents=moved,
    )


def opd_write_refusal(write: OpdWrite, scope: Collection[str] | None) -> OpdWriteRefusal | None:
    """`opd_write_needs` against an editor's OPD codes (matched regardless of case, as the
    Excel import matches codes); `scope` None is an admin's. None when the write is allowed."""
    if scope is None:
        return None
    needs = opd_write_needs(write)
    if needs.admin:
        return OpdWriteRefusal("admin", (write.code,))
    inside = {c.casefold() for c in scope}
    if any(c.casefold() not in inside for c in needs.opds):
        return OpdWriteRefusal("opd", needs.opds)
    outside = tuple(p for p in needs.parents if p.casefold() not in inside)
    return OpdWriteRefusal("parent", outside) if outside else None


def _short(opd_iri: str) -> str:
    return opd_iri.rsplit("/", 1)[-1]


def is_loopback(host: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 and `localhost`; a wildcard bind (0.0.0.0, ::) is not."""
    if host is None:
        return True
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def anonymous_read_enabled(settings: Settings, host: str | None) -> bool:
    """`settings.anonymous_read`, or by default: on for a loopback bind, off otherwise."""
    if settings.anonymous_read is not None:
        return settings.anonymous_read
    return is_loopback(host)


def loopback_names_only(settings: Settings, host: str | None) -> bool:
    """Anonymous reading is on by the loopback default (not by an operator's setting), so
    the server must answer only requests addressed to a loopback name (`api.browser_guard`:
    DNS rebinding). `host` None is in-process use, which no browser reaches."""
    return host is not None and is_loopback(host) and settings.anonymous_read is None
