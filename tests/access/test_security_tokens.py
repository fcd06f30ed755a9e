"""Attacks on the token store and on `authenticate`: what a client may learn or slip in."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from spbe_arch.access import Role, TokenStore, authenticate
from spbe_arch.errors import ConfigurationError, InputError


@pytest.mark.parametrize("name", ["ani\n", "ani\r\n", "admin\n", "ani\x00", "ani budi"])
def test_a_token_name_cannot_end_in_a_line_break(name: str) -> None:
    # `$` matches before a final "\n": the name 'ani\n' passed the check, printed over two
    # lines in `token list` and the audit trail, and `token revoke ani` did not find it
    with pytest.raises(InputError):
        TokenStore(None).create(name, Role.reader)


def _damaged(tmp_path: Path) -> tuple[TokenStore, str]:
    path = tmp_path / "rahasia" / "spbe-data.tokens.json"
    store = TokenStore(path)
    token, _ = store.create("kepala-dinas", "admin")
    data = json.loads(path.read_text())
    data["tokens"][0]["expires"] = "akhir tahun"
    path.write_text(json.dumps(data))
    return store, token


@pytest.mark.parametrize("header", ["Bearer spbe_tebakan", None])
def test_a_damaged_token_file_is_not_described_to_the_client(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, header: str | None) -> None:
    store, token = _damaged(tmp_path)
    with caplog.at_level(logging.ERROR, logger="spbe_arch.access"), \
            pytest.raises(ConfigurationError) as caught:
        authenticate(store, header or f"Bearer {token}", anonymous_read=False)
    for lang in ("id", "en"):
        told = caught.value.message(lang)
        # a caller with any made-up token learnt where the server keeps its files and the
        # names of the tokens in them
        assert "rahasia" not in told and "tokens.json" not in told
        assert "kepala-dinas" not in told and "akhir tahun" not in told
    assert "berkas token" in caught.value.message("id")
    assert "token file" in caught.value.message("en")
    # the admin finds the details in the server's log
    assert str(tmp_path / "rahasia") in caplog.text and "akhir tahun" in caplog.text


def test_a_damaged_token_file_still_names_itself_to_the_cli(tmp_path: Path) -> None:
    store, _ = _damaged(tmp_path)
    with pytest.raises(ConfigurationError) as caught:
        store.records()
    assert "spbe-data.tokens.json" in caught.value.message("en")


def test_without_a_token_a_damaged_file_does_not_matter(tmp_path: Path) -> None:
    store, _ = _damaged(tmp_path)
    assert not authenticate(store, None, anonymous_read=True).authenticated
