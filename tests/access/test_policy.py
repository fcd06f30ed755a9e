"""Roles and OPD scope."""

from __future__ import annotations

import pytest

from spbe_arch.access import (
    PermissionDeniedError,
    Principal,
    Role,
    anonymous_read_enabled,
    is_loopback,
    require_admin,
    require_opd_write,
)
from spbe_arch.access.policy import AuthenticationError
from spbe_arch.settings import Settings

A = "https://w3id.org/spbe-arch/id/3574/opd/DISKOMINFO"
B = "https://w3id.org/spbe-arch/id/3574/opd/DISDUKCAPIL"
EDITOR = Principal("ani", Role.editor, frozenset({A}))
ADMIN = Principal("root", Role.admin)
READER = Principal("budi", Role.reader)


@pytest.mark.parametrize(("principal", "opds", "allowed"), [
    (EDITOR, [A], True), (EDITOR, [B], False), (EDITOR, [A, B], False), (EDITOR, [], False),
    (ADMIN, [B], True), (ADMIN, [], True), (READER, [A], False),
])
def test_opd_scope(principal: Principal, opds: list[str], allowed: bool) -> None:
    if allowed:
        require_opd_write(principal, opds, "x", "x")
    else:
        with pytest.raises(PermissionDeniedError) as caught:
            require_opd_write(principal, opds, "mengubah", "changing")
        if principal is EDITOR and opds:
            assert "DISDUKCAPIL" in caught.value.message("en")


def test_anonymous_needs_a_token_for_writes() -> None:
    with pytest.raises(AuthenticationError):
        require_opd_write(Principal.anonymous(True), [A], "x", "x")
    with pytest.raises(AuthenticationError):
        require_admin(Principal.anonymous(True), "x", "x")
    with pytest.raises(PermissionDeniedError):
        require_admin(EDITOR, "x", "x")


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True),
    ("localhost", True), (None, True), ("0.0.0.0", False), ("::", False),
    ("192.168.1.10", False), ("spbe.example.go.id", False),
])
def test_loopback(host: str | None, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    assert anonymous_read_enabled(Settings(store="memory:"), host) is loopback
    assert anonymous_read_enabled(Settings(store="memory:", anonymous_read=True), host)
    assert not anonymous_read_enabled(Settings(store="memory:", anonymous_read=False), host)
