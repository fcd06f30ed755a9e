"""Who may do what: the principal behind a request and the checks every write makes.

- anonymous: read, if anonymous reading is on (on for a loopback bind, off otherwise);
- reader: read;
- editor: read, and change elements owned by the OPDs in its scope (REST writes);
- admin: everything, including SPARQL Update and Graph Store writes.

A change that touches elements of several OPDs (moving a process from one OPD to another)
needs every one of them in the editor's scope.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field

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
