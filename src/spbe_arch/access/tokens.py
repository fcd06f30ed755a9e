"""API tokens: created once, shown once, stored only as a SHA-256 hash.

Tokens live in a small JSON file next to the store (`Settings.tokens_file`, by default
`<store path>.tokens.json` for `oxigraph:PATH`), not in the RDF store: the file is
readable by the CLI while a server holds the store's lock, and nothing a reader can query
with SPARQL ever contains a token or its hash. A `memory:` store keeps its tokens in
memory. The server re-reads the file when it changes, so `spbe-arch token create|revoke`
takes effect without a restart.

A token is `spbe_` followed by 43 URL-safe characters (256 random bits). With that much
entropy a plain SHA-256 is the right hash (as for GitHub or PyPI tokens): a slow password
hash would only add latency to every request without adding safety.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from spbe_arch.errors import ConfigurationError, InputError
from spbe_arch.settings import Settings

TOKEN_PREFIX = "spbe_"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")


class TokenFileError(ConfigurationError):
    """The token file cannot be read or is damaged. The message names the file and what is
    wrong with it, for the admin at the console; `access.authenticate` logs it and tells an
    HTTP client only that tokens cannot be checked (the path and token names are not theirs
    to know)."""


class Role(StrEnum):
    """What a token may do. Each role includes the rights of the ones before it."""

    reader = "reader"
    """Read everything (SPARQL queries, Graph Store GET, REST reads, reports)."""
    editor = "editor"
    """Read, and change the elements of the OPDs in its scope through the REST API."""
    admin = "admin"
    """Everything, including SPARQL Update, Graph Store writes and any OPD."""


@dataclass
class TokenRecord:
    """One token as stored: never the token itself."""

    name: str
    role: Role
    opds: list[str] = field(default_factory=list)
    """IRIs of the OPDs an editor may change (empty for reader and admin)."""
    hash: str = ""
    """`sha256:<hex>` of the whole token text."""
    hint: str = ""
    """The first characters of the token, so people can tell their tokens apart."""
    created: str = ""
    revoked: str | None = None
    expires: str | None = None
    """When the token stops working (ISO 8601, UTC); None: until it is revoked."""

    @property
    def expired(self) -> bool:
        return self.expires is not None and datetime.fromisoformat(self.expires) <= datetime.now(
            UTC)

    @property
    def active(self) -> bool:
        return self.revoked is None and not self.expired

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["role"] = self.role.value
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TokenRecord:
        return cls(name=str(data["name"]), role=Role(data["role"]),
                   opds=[str(o) for o in data.get("opds", [])], hash=str(data["hash"]),
                   hint=str(data.get("hint", "")), created=str(data.get("created", "")),
                   revoked=data.get("revoked"),
                   expires=_stored_expiry(str(data["name"]), data.get("expires")))


def _stored_expiry(name: str, value: object) -> str | None:
    """An expiry from the file, with a time zone: the file may be edited by hand, and an
    expiry without a zone cannot be compared with the time now (every request with the
    token failed). No zone means UTC; a bare date means through that day, as
    `token create --expires 2027-06-30` has it. Not a date: ValueError (a damaged file)."""
    if value is None:
        return None
    text = str(value).strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"token '{name}': expires '{text}'") from None
    if len(text) == len("2027-06-30"):
        moment += timedelta(days=1)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


def hash_token(token: str) -> str:
    return "sha256:" + hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def tokens_path(settings: Settings) -> Path | None:
    """Where the tokens of this store live; None keeps them in memory (`memory:` stores)."""
    # `~` as the store does (oxigraph:~/spbe-data): no shell expands it after "oxigraph:"
    if settings.tokens_file:
        return Path(settings.tokens_file).expanduser()
    kind, _, rest = settings.store.partition(":")
    if kind == "memory":
        return None
    if kind == "oxigraph":
        store_dir = Path(rest or "./spbe-data").expanduser()
        return store_dir.with_name(store_dir.name + ".tokens.json")
    return Path("./spbe-tokens.json")


class TokenStore:
    """The token file (or, with `path=None`, an in-memory list), safe across processes."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._records: list[TokenRecord] = []
        self._by_hash: dict[str, TokenRecord] = {}
        self._stamp: tuple[int, int] | None = None

    @classmethod
    def for_settings(cls, settings: Settings) -> TokenStore:
        return cls(tokens_path(settings))

    # --- reading --------------------------------------------------------------------------
    def _file_stamp(self) -> tuple[int, int] | None:
        assert self.path is not None
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    def _refresh(self) -> None:
        """Re-read the file if another process changed it since the last read."""
        if self.path is None:
            return
        stamp = self._file_stamp()
        if stamp == self._stamp:
            return
        self._set(self._read_file())
        self._stamp = stamp

    def _read_file(self) -> list[TokenRecord]:
        assert self.path is not None
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise TokenFileError(f"berkas token {self.path} tidak dapat dibaca: {exc}",
                                 f"cannot read the token file {self.path}: {exc}") from exc
        try:
            data = json.loads(text)
            return [TokenRecord.from_json(item) for item in data.get("tokens", [])]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise TokenFileError(f"berkas token {self.path} rusak: {exc}",
                                 f"the token file {self.path} is damaged: {exc}") from exc

    def _set(self, records: list[TokenRecord]) -> None:
        self._records = records
        self._by_hash = {r.hash: r for r in records}

    def records(self) -> list[TokenRecord]:
        with self._lock:
            self._refresh()
            return list(self._records)

    def verify(self, token: str) -> TokenRecord | None:
        """The active record of a token, or None."""
        record = self.find(token)
        return record if record is not None and record.active else None

    def find(self, token: str) -> TokenRecord | None:
        """The record of a token whether active, revoked or expired (to say which), or None."""
        with self._lock:
            self._refresh()
            digest = hash_token(token)
            record = self._by_hash.get(digest)
        # the dict lookup already matched; compare_digest keeps the final check constant-time
        if record is None or not hmac.compare_digest(record.hash, digest):
            return None
        return record

    def find_hash(self, digest: str) -> TokenRecord | None:
        """The record whose `hash` is `digest` (a web session's token), active or not."""
        with self._lock:
            self._refresh()
            return self._by_hash.get(digest)

    # --- writing --------------------------------------------------------------------------
    @contextlib.contextmanager
    def _editing(self) -> Iterator[list[TokenRecord]]:
        """Read-modify-write under an exclusive file lock; the file is replaced atomically."""
        with self._lock:
            if self.path is None:
                records = list(self._records)
                yield records
                self._set(records)
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock_path = self.path.with_name(self.path.name + ".lock")
            with open(lock_path, "a+") as lock_file:
                fcntl.flock(lock_file, fcntl.LOCK_EX)
                records = self._read_file()
                yield records
                payload = json.dumps({"tokens": [r.to_json() for r in records]},
                                     ensure_ascii=False, indent=2) + "\n"
                handle, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tokens-")
                try:
                    os.fchmod(handle, 0o600)
                    with os.fdopen(handle, "w", encoding="utf-8") as out:
                        out.write(payload)
                    os.replace(tmp, self.path)
                except BaseException:
                    with contextlib.suppress(OSError):
                        os.unlink(tmp)
                    raise
                self._set(records)
                self._stamp = self._file_stamp()

    def create(self, name: str, role: Role | str, opds: Sequence[str] = (),
               expires: datetime | None = None) -> tuple[str, TokenRecord]:
        """A new token; returns (the token text — shown once, never stored — , its record).
        With `expires` the token stops working at that moment."""
        role = _role(role)
        if expires is not None and expires <= datetime.now(UTC):
            raise InputError("masa berlaku token harus berakhir di masa depan",
                             "a token's expiry must lie in the future")
        # fullmatch: with match and `$`, a name ending in a line break passed
        if not _NAME.fullmatch(name):
            raise InputError(
                f"nama token '{name}' tidak sah: pakai huruf, angka, titik, garis bawah,"
                " @ atau tanda hubung (maks. 64 karakter)",
                f"invalid token name '{name}': use letters, digits, dot, underscore, @ or"
                " hyphen (at most 64 characters)",
            )
        check_scope(role, opds)
        token = new_token()
        record = TokenRecord(name=name, role=role, opds=sorted(set(opds)),
                             hash=hash_token(token), hint=token[: len(TOKEN_PREFIX) + 4],
                             created=datetime.now(UTC).isoformat(timespec="seconds"),
                             expires=expires.astimezone(UTC).isoformat(timespec="seconds")
                             if expires is not None else None)
        with self._editing() as records:
            if any(r.name == name and r.active for r in records):
                raise InputError(f"token bernama '{name}' sudah ada; cabut dulu atau pakai"
                                 " nama lain",
                                 f"a token named '{name}' already exists; revoke it first or"
                                 " choose another name")
            records.append(record)
        return token, record

    def revoke(self, name: str) -> TokenRecord:
        with self._editing() as records:
            for record in records:
                if record.name == name and record.active:
                    record.revoked = datetime.now(UTC).isoformat(timespec="seconds")
                    return record
        raise InputError(f"tidak ada token aktif bernama '{name}'",
                         f"there is no active token named '{name}'")


def check_scope(role: Role | str, opds: Sequence[str]) -> None:
    """An editor token needs OPDs, and only an editor token has them."""
    role = _role(role)
    if role is Role.editor and not opds:
        raise InputError("token editor memerlukan sedikitnya satu OPD (--opd KODE)",
                         "an editor token needs at least one OPD (--opd CODE)")
    if role is not Role.editor and opds:
        raise InputError("hanya token editor yang dibatasi OPD; hapus --opd",
                         "only editor tokens are scoped to OPDs; drop --opd")


def _role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InputError(f"peran '{value}' tidak dikenal; pilih reader, editor atau admin",
                         f"unknown role '{value}'; choose reader, editor or admin") from None
