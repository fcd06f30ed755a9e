"""Web sessions: what a browser's sign-in cookie stands for, kept in the server's memory.

Signing in to the web UI with an API token opens a session: a fresh random id (256 bits)
goes into the browser's cookie, and the server keeps only its SHA-256 hash, mapped to the
hash of the token it was opened with and its lifetime. The cookie is therefore no API
token — a copied cookie is useless with the REST API or /sparql, and once the session ends
(sign-out, its lifetime, the token revoked or expired) it is useless everywhere.

The table lives in the memory of the one server process, so a restart signs every browser
out; that is the price of never writing session ids anywhere. It is bounded: expired
sessions go whenever one is opened, one token holds at most `SESSIONS_PER_TOKEN` (its
oldest ends when another browser signs in with it) and the whole table at most
`MAX_SESSIONS` (the oldest ends), so signing in again and again cannot fill the memory.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from spbe_arch.access.policy import AuthenticationError, Principal
from spbe_arch.access.tokens import TokenRecord, TokenStore

SESSION_HOURS = 12
SESSIONS_PER_TOKEN = 20
"""Browsers one token may be signed in on at once: enough for a person's devices and a
few forgotten ones, small enough that one token cannot crowd out everyone else's."""
MAX_SESSIONS = 10_000


def _now() -> datetime:
    return datetime.now(UTC)


def _digest(session_id: str) -> str:
    # a plain hash suffices for 256 random bits (as for tokens); a memory dump of the
    # server then holds nothing a browser could send
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class WebSession:
    """One signed-in browser, as the server keeps it: never the session id itself."""

    token_hash: str
    """`TokenRecord.hash` of the token signed in with: names repeat after a revoke, the
    hash of a token never does."""
    created: datetime
    expires: datetime


class SessionTable:
    """The open web sessions, safe across the server's threads."""

    def __init__(self, lifetime: timedelta = timedelta(hours=SESSION_HOURS), *,
                 per_token: int = SESSIONS_PER_TOKEN, limit: int = MAX_SESSIONS,
                 clock: Callable[[], datetime] = _now) -> None:
        if per_token < 1 or limit < 1:
            raise ValueError("per_token and limit must be at least 1")
        self.lifetime = lifetime
        self.per_token = per_token
        self.limit = limit
        self._clock = clock
        self._lock = threading.Lock()
        # insertion order is opening order: the first entries are the oldest
        self._sessions: dict[str, WebSession] = {}
        self._by_token: dict[str, list[str]] = {}

    def __len__(self) -> int:
        with self._lock:
            return len(self._sessions)

    def open(self, record: TokenRecord) -> str:
        """A new session for the (verified) token of `record`; returns the session id for
        the cookie, which the server does not keep."""
        session_id = secrets.token_urlsafe(32)
        now = self._clock()
        with self._lock:
            self._drop_expired(now)
            own = self._by_token.get(record.hash, [])
            while len(own) >= self.per_token:
                self._drop(own[0])
            while len(self._sessions) >= self.limit:
                self._drop(next(iter(self._sessions)))
            key = _digest(session_id)
            self._sessions[key] = WebSession(record.hash, now, now + self.lifetime)
            self._by_token.setdefault(record.hash, []).append(key)
        return session_id

    def get(self, session_id: str) -> WebSession | None:
        """The open session of a cookie's value; None if unknown, ended or expired."""
        key = _digest(session_id)
        with self._lock:
            session = self._sessions.get(key)
            if session is not None and session.expires <= self._clock():
                self._drop(key)
                return None
            return session

    def end(self, session_id: str) -> bool:
        """End a session (sign-out); whether it was open."""
        key = _digest(session_id)
        with self._lock:
            if key not in self._sessions:
                return False
            self._drop(key)
            return True

    def count(self, token_hash: str) -> int:
        """Open sessions of one token (expired ones not yet dropped included)."""
        with self._lock:
            return len(self._by_token.get(token_hash, []))

    def _drop_expired(self, now: datetime) -> None:
        # a full sweep rather than from the oldest on: a clock set back would leave expired
        # entries behind younger ones; the table is small enough (MAX_SESSIONS) to scan
        for key in [k for k, s in self._sessions.items() if s.expires <= now]:
            self._drop(key)

    def _drop(self, key: str) -> None:
        session = self._sessions.pop(key)
        own = self._by_token[session.token_hash]
        own.remove(key)
        if not own:
            del self._by_token[session.token_hash]


def session_principal(tokens: TokenStore, sessions: SessionTable,
                      session_id: str) -> Principal | None:
    """The caller behind a session cookie; None for an unknown or expired session.

    The token the session was opened with is looked up again on every request, so revoking
    it (or its expiry) ends its sessions at once: AuthenticationError, and the session is
    gone. A damaged token file raises `TokenFileError` (callers wrap this in
    `access.token_file_checked`).
    """
    session = sessions.get(session_id)
    if session is None:
        return None
    record = tokens.find_hash(session.token_hash)
    if record is None or not record.active:
        sessions.end(session_id)
        raise AuthenticationError("sesi berakhir: token API-nya sudah dicabut atau kedaluwarsa",
                                  "session ended: its API token has been revoked or has"
                                  " expired")
    return Principal.from_record(record)
