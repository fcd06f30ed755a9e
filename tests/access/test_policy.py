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
from spbe_arch.access.policy import (
    AuthenticationError,
    OpdWrite,
    OpdWriteNeeds,
    OpdWriteRefusal,
    opd_write_needs,
    opd_write_refusal,
)
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


# --- the OPD write rule (REST API, web forms and Excel import) ------------------------------

OWN = {"DISKOMINFO", "DINKESP2KB"}


@pytest.mark.parametrize(("write", "scope", "refusal"), [
    # only an admin creates or deletes an OPD, even one an editor would own
    (OpdWrite("BAPPEDA", "add"), OWN, OpdWriteRefusal("admin", ("BAPPEDA",))),
    (OpdWrite("DISKOMINFO", "add"), OWN, OpdWriteRefusal("admin", ("DISKOMINFO",))),
    (OpdWrite("BAPPEDA", "add", parents_after=frozenset({"DISKOMINFO"})), None, None),
    (OpdWrite("DISKOMINFO", "remove"), OWN, OpdWriteRefusal("admin", ("DISKOMINFO",))),
    (OpdWrite("DISKOMINFO", "remove"), None, None),
    # an editor changes its own OPDs only (codes matched regardless of case)
    (OpdWrite("DISKOMINFO", "change"), OWN, None),
    (OpdWrite("diskominfo", "change"), OWN, None),
    (OpdWrite("DISDUKCAPIL", "change"), OWN, OpdWriteRefusal("opd", ("DISDUKCAPIL",))),
    (OpdWrite("DISDUKCAPIL", "change"), None, None),
    # moving one needs the old and the new parent too
    (OpdWrite("DISKOMINFO", "change", frozenset(), frozenset({"SETDA"})), OWN,
     OpdWriteRefusal("parent", ("SETDA",))),
    (OpdWrite("DISKOMINFO", "change", frozenset({"SETDA"}), frozenset()), OWN,
     OpdWriteRefusal("parent", ("SETDA",))),
    (OpdWrite("DISKOMINFO", "change", frozenset({"SETDA"}), frozenset({"DINKESP2KB"})), OWN,
     OpdWriteRefusal("parent", ("SETDA",))),
    (OpdWrite("DISKOMINFO", "change", frozenset({"DINKESP2KB"}), frozenset({"SETDA"})), OWN,
     OpdWriteRefusal("parent", ("SETDA",))),
    (OpdWrite("DISKOMINFO", "change", frozenset({"SETDA"}), frozenset({"BAPPEDA"})), OWN,
     OpdWriteRefusal("parent", ("BAPPEDA", "SETDA"))),
    (OpdWrite("DISKOMINFO", "change", frozenset(), frozenset({"DINKESP2KB"})), OWN, None),
    (OpdWrite("DISKOMINFO", "change", frozenset({"DINKESP2KB"}), frozenset()), OWN, None),
    # moving another OPD under one's own is first of all a change of that other OPD
    (OpdWrite("DISDUKCAPIL", "change", frozenset(), frozenset({"DISKOMINFO"})), OWN,
     OpdWriteRefusal("opd", ("DISDUKCAPIL",))),
    # a parent kept is no move: an own OPD under another OPD's unit stays editable
    (OpdWrite("DISKOMINFO", "change", frozenset({"SETDA"}), frozenset({"SETDA"})), OWN, None),
    # the workbook of DINKESP2KB lists its sub-unit RSUD as it is: no write of RSUD
    (OpdWrite("RSUD", "change", frozenset({"DINKESP2KB"}), frozenset({"DINKESP2KB"}),
              changed=False), OWN, None),
    (OpdWrite("RSUD", "change", frozenset({"DINKESP2KB"}), frozenset({"DINKESP2KB"})), OWN,
     OpdWriteRefusal("opd", ("RSUD",))),
    (OpdWrite("RSUD", "change", frozenset({"DINKESP2KB"}), frozenset(), changed=False), OWN,
     OpdWriteRefusal("opd", ("RSUD",))),
])
def test_opd_write_rule(write: OpdWrite, scope: set[str] | None,
                        refusal: OpdWriteRefusal | None) -> None:
    assert opd_write_refusal(write, scope) == refusal


def test_opd_write_needs_names_what_the_rest_api_checks() -> None:
    """The REST API asks the token's scope for these (as IRIs), with the roles' messages."""
    assert opd_write_needs(OpdWrite("DISKOMINFO", "change")) == OpdWriteNeeds(
        False, ("DISKOMINFO",), ())
    moved = OpdWrite("DISKOMINFO", "change", frozenset({"SETDA"}), frozenset({"BAPPEDA"}))
    assert opd_write_needs(moved) == OpdWriteNeeds(False, ("DISKOMINFO",), ("BAPPEDA", "SETDA"))
    assert opd_write_needs(OpdWrite("BAPPEDA", "add")).admin
    assert opd_write_needs(OpdWrite("SETDA", "remove", frozenset({"X"}))).admin
    assert opd_write_needs(OpdWrite("RSUD", "change", changed=False)) == OpdWriteNeeds(
        False, (), ())
