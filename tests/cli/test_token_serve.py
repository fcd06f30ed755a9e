"""`spbe-arch token create|list|revoke` and the serve banner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from spbe_arch.access import TokenStore
from spbe_arch.cli.serve import banner
from spbe_arch.settings import Settings


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SPBE_STORE": f"oxigraph:{tmp_path / 'data'}", "SPBE_LANG": "en"}
    return subprocess.run([sys.executable, "-m", "spbe_arch", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_token_lifecycle(tmp_path: Path) -> None:
    created = _run(tmp_path, "token", "create", "ani", "--role", "editor", "--opd",
                   "DISKOMINFO")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert token.startswith("spbe_")
    stored = json.loads((tmp_path / "data.tokens.json").read_text())["tokens"][0]
    assert stored["opds"] == ["https://w3id.org/spbe-arch/id/3574/opd/DISKOMINFO"]
    assert token not in (tmp_path / "data.tokens.json").read_text()
    listed = _run(tmp_path, "token", "list")
    assert "ani" in listed.stdout and "editor" in listed.stdout and token not in listed.stdout
    assert _run(tmp_path, "token", "revoke", "ani").returncode == 0
    assert TokenStore(tmp_path / "data.tokens.json").verify(token) is None
    again = _run(tmp_path, "token", "revoke", "ani")
    assert again.returncode == 2 and "no active token" in again.stderr
    # only revoked tokens left: no empty table, what to do instead
    empty = _run(tmp_path, "token", "list")
    assert empty.returncode == 0 and empty.stdout == ""
    assert "no tokens yet; create one with `spbe-arch token create" in empty.stderr
    assert "ani" in _run(tmp_path, "token", "list", "--all").stdout


def test_editor_without_opd_is_refused(tmp_path: Path) -> None:
    result = _run(tmp_path, "token", "create", "ani", "--role", "editor")
    assert result.returncode == 2
    assert "--opd" in result.stderr and not result.stdout.strip()


def test_opds_on_a_token_that_is_not_an_editor_are_refused_as_such(tmp_path: Path) -> None:
    # it answered that the OPD was not in the repository, as if a typo were the problem
    assert _run(tmp_path, "init").returncode == 0
    result = _run(tmp_path, "token", "create", "boss", "--role", "admin", "--opd", "X")
    assert result.returncode == 2
    assert "only editor tokens are scoped to OPDs" in result.stderr
    assert "not in the repository" not in result.stderr and not result.stdout.strip()


def test_banner_says_whether_anonymous_reading_is_on() -> None:
    settings = Settings(store="memory:")
    local = "\n".join(banner(settings, "127.0.0.1", 8000, TokenStore(None)))
    assert "http://127.0.0.1:8000/sparql" in local and "aktif" in local
    assert "token create" in local
    public = "\n".join(banner(settings, "0.0.0.0", 8000, TokenStore(None)))
    assert "mati" in public
    forced = "\n".join(banner(Settings(store="memory:", anonymous_read=True), "0.0.0.0", 8000,
                              TokenStore(None)))
    assert "PERINGATAN" in forced
    # only the loopback default restricts the host names the server answers
    assert "SPBE_ANONYMOUS_READ" in local and "localhost" in local
    explicit = "\n".join(banner(Settings(store="memory:", anonymous_read=True), "127.0.0.1",
                                8000, TokenStore(None)))
    assert "localhost/127.0.0.1" not in explicit and "localhost/127.0.0.1" not in public


def test_an_opd_the_repository_does_not_have_is_refused(tmp_path: Path) -> None:
    opd = tmp_path / "opd.ttl"
    opd.write_text(
        "@prefix spbe: <https://w3id.org/spbe-arch/ontology#> .\n"
        "<https://w3id.org/spbe-arch/id/3574/opd/DISKOMINFO> a spbe:PerangkatDaerah .\n")
    loaded = _run(tmp_path, "load", str(opd), "--graph",
                  "https://w3id.org/spbe-arch/graph/instansi/3574")
    assert loaded.returncode == 0, loaded.stderr
    typo = _run(tmp_path, "token", "create", "ani", "--role", "editor", "--opd", "DISKOMINF")
    assert typo.returncode == 2 and not typo.stdout.strip()
    assert "DISKOMINF is not in the repository (known OPDs: DISKOMINFO)" in typo.stderr
    assert not (tmp_path / "data.tokens.json").exists() or "ani" not in (
        tmp_path / "data.tokens.json").read_text()
    assert _run(tmp_path, "token", "create", "ani", "--role", "editor", "--opd",
                "DISKOMINFO").returncode == 0
    # an OPD that will be imported later
    later = _run(tmp_path, "token", "create", "budi", "--role", "editor", "--opd", "BAPPEDA",
                 "--force")
    assert later.returncode == 0, later.stderr


def test_token_with_an_expiry(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    created = _run(tmp_path, "token", "create", "magang", "--expires", "30d")
    assert created.returncode == 0, created.stderr
    stored = json.loads((tmp_path / "data.tokens.json").read_text())["tokens"][0]
    until = datetime.fromisoformat(stored["expires"])
    assert abs(until - (datetime.now(UTC) + timedelta(days=30))) < timedelta(minutes=5)
    assert "valid until" in created.stderr
    dated = _run(tmp_path, "token", "create", "tamu", "--expires", "2099-06-30")
    assert dated.returncode == 0, dated.stderr
    assert json.loads((tmp_path / "data.tokens.json").read_text())["tokens"][1][
        "expires"] == "2099-07-01T00:00:00+00:00"  # valid through the whole last day
    assert "2099-07-01" in _run(tmp_path, "token", "list").stdout
    for bad in ("sebulan", "0d", "2020-01-01"):
        refused = _run(tmp_path, "token", "create", "x", "--expires", bad)
        assert refused.returncode == 2 and not refused.stdout.strip(), bad
