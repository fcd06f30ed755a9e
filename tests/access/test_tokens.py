"""API tokens: shown once, stored hashed, shared between processes through the file."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from spbe_arch.access import Role, TokenStore, authenticate, hash_token, tokens_path
from spbe_arch.access.policy import AuthenticationError
from spbe_arch.errors import InputError
from spbe_arch.settings import Settings

OPD = "https://w3id.org/spbe-arch/id/3574/opd/DISKOMINFO"


def test_the_file_never_holds_the_token(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / "t.json")
    token, record = store.create("ani", Role.editor, [OPD])
    text = (tmp_path / "t.json").read_text()
    assert token not in text
    assert token[len("spbe_") + 4:] not in text
    assert json.loads(text)["tokens"][0]["hash"] == hash_token(token) == record.hash
    assert stat.S_IMODE((tmp_path / "t.json").stat().st_mode) == 0o600


def test_tokens_are_random_and_long(tmp_path: Path) -> None:
    store = TokenStore(None)
    tokens = {store.create(f"t{i}", "reader")[0] for i in range(20)}
    assert len(tokens) == 20
    assert all(t.startswith("spbe_") and len(t) >= 45 for t in tokens)


def test_another_process_sees_creation_and_revocation(tmp_path: Path) -> None:
    cli = TokenStore(tmp_path / "t.json")
    server = TokenStore(tmp_path / "t.json")
    assert server.verify("spbe_nothing") is None
    token, _ = cli.create("budi", "admin")
    record = server.verify(token)
    assert record is not None and record.role is Role.admin
    cli.revoke("budi")
    assert server.verify(token) is None
    assert [r.name for r in server.records()] == ["budi"]


@pytest.mark.parametrize(("name", "role", "opds"), [
    ("ani", "editor", []), ("ani", "reader", [OPD]), ("bad name!", "reader", []),
    ("ani", "superuser", []),
])
def test_invalid_tokens_are_refused(name: str, role: str, opds: list[str]) -> None:
    with pytest.raises(InputError):
        TokenStore(None).create(name, role, opds)


def test_names_are_unique_among_active_tokens() -> None:
    store = TokenStore(None)
    store.create("ani", "reader")
    with pytest.raises(InputError):
        store.create("ani", "admin")
    store.revoke("ani")
    store.create("ani", "admin")
    with pytest.raises(InputError):
        store.revoke("tidak-ada")


def test_a_damaged_file_is_a_clear_error(tmp_path: Path) -> None:
    from spbe_arch.errors import ConfigurationError

    (tmp_path / "t.json").write_text("{not json")
    with pytest.raises(ConfigurationError) as caught:
        TokenStore(tmp_path / "t.json").records()
    assert "t.json" in caught.value.message("en")


def test_where_tokens_live() -> None:
    assert tokens_path(Settings(store="memory:")) is None
    assert tokens_path(Settings(store="oxigraph:/data/spbe")) == Path("/data/spbe.tokens.json")
    assert tokens_path(Settings(store="memory:", tokens_file="/x/t.json")) == Path("/x/t.json")
    # beside the store the user meant: the store expands `~`, the token file did not
    home = Path.home()
    assert tokens_path(Settings(store="oxigraph:~/spbe-data")) == home / "spbe-data.tokens.json"
    assert tokens_path(Settings(store="memory:", tokens_file="~/t.json")) == home / "t.json"


@pytest.mark.parametrize("header", ["Bearer", "Basic abc", "Token spbe_x", "Bearer spbe_x"])
def test_authenticate_refuses_bad_headers(header: str) -> None:
    with pytest.raises(AuthenticationError):
        authenticate(TokenStore(None), header, anonymous_read=True)


def test_authenticate_without_header_is_anonymous() -> None:
    principal = authenticate(TokenStore(None), None, anonymous_read=False)
    assert not principal.authenticated and not principal.can_read()


def test_an_expired_token_is_refused_and_says_so(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    store = TokenStore(tmp_path / "t.json")
    token, record = store.create("ani", "reader", expires=datetime.now(UTC) + timedelta(days=1))
    assert record.expires and store.verify(token) is not None
    # a day later, as the file says: edit the stored expiry into the past
    data = json.loads((tmp_path / "t.json").read_text())
    data["tokens"][0]["expires"] = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
    (tmp_path / "t.json").write_text(json.dumps(data))
    assert store.verify(token) is None
    with pytest.raises(AuthenticationError) as refused:
        authenticate(store, f"Bearer {token}", anonymous_read=True)
    assert "kedaluwarsa" in refused.value.message("id")
    assert "has expired" in refused.value.message("en")
    # the name is free again, as after a revocation
    store.create("ani", "reader")
    with pytest.raises(InputError):
        store.create("budi", "reader", expires=datetime.now(UTC) - timedelta(days=1))


def test_an_unknown_token_is_not_called_expired() -> None:
    with pytest.raises(AuthenticationError) as refused:
        authenticate(TokenStore(None), "Bearer spbe_tidakada", anonymous_read=True)
    assert "tidak dikenal" in refused.value.message("id")


@pytest.mark.parametrize(("written", "valid"), [
    ("2020-01-01", False), ("2999-01-01", True), ("2999-01-01T00:00:00", True),
    ("2020-01-01T00:00:00", False)])
def test_an_expiry_edited_by_hand_without_a_time_zone_is_read_as_utc(
        tmp_path: Path, written: str, valid: bool) -> None:
    # the file is documented and editable; an expiry without a zone (or a bare date) made
    # every request with that token fail with a TypeError (naive vs aware comparison)
    store = TokenStore(tmp_path / "t.json")
    token, _ = store.create("ani", "reader")
    data = json.loads((tmp_path / "t.json").read_text())
    data["tokens"][0]["expires"] = written
    (tmp_path / "t.json").write_text(json.dumps(data))
    assert (store.verify(token) is not None) is valid
    assert store.records()[0].expired is not valid


def test_an_expiry_that_is_not_a_date_is_a_damaged_file(tmp_path: Path) -> None:
    from spbe_arch.errors import ConfigurationError

    store = TokenStore(tmp_path / "t.json")
    store.create("ani", "reader")
    data = json.loads((tmp_path / "t.json").read_text())
    data["tokens"][0]["expires"] = "akhir tahun"
    (tmp_path / "t.json").write_text(json.dumps(data))
    with pytest.raises(ConfigurationError) as caught:
        store.records()
    assert "akhir tahun" in caught.value.message("id")
