"""Notes for the page after a redirect (Post/Redirect/Get): what a form's action has to say
beyond "done" — the warnings of deriving an SOP, say — kept in the server's memory for a
few minutes under a random key that the redirect's address carries.

Only the user who caused them reads them (the key alone is not enough), each only once, and
the store is bounded, so nobody can fill the memory with notes.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fastapi import Request

from spbe_arch.web.context import app_state

LIFETIME_S = 600.0
LIMIT = 1000


@dataclass(frozen=True)
class _Notes:
    owner: str
    lines: tuple[str, ...]
    expires: float


class Flash:
    def __init__(self, lifetime_s: float = LIFETIME_S, limit: int = LIMIT,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.lifetime_s = lifetime_s
        self.limit = limit
        self._clock = clock
        self._lock = threading.Lock()
        self._notes: dict[str, _Notes] = {}  # insertion order: the oldest first

    def put(self, owner: str, lines: Sequence[str]) -> str:
        """Keep `lines` for `owner`; the key for the next page's address."""
        key = secrets.token_urlsafe(12)
        now = self._clock()
        with self._lock:
            for old in [k for k, n in self._notes.items() if n.expires <= now]:
                del self._notes[old]
            while len(self._notes) >= self.limit:
                del self._notes[next(iter(self._notes))]
            self._notes[key] = _Notes(owner, tuple(lines), now + self.lifetime_s)
        return key

    def take(self, key: str | None, owner: str) -> list[str]:
        """The notes under `key` if `owner` left them and they have not expired; once."""
        if not key:
            return []
        with self._lock:
            notes = self._notes.get(key)
            if notes is None or notes.owner != owner:
                return []
            del self._notes[key]
        return list(notes.lines) if notes.expires > self._clock() else []


def flash_of(request: Request) -> Flash:
    """The app's store, made on first use."""
    return app_state(request, "web_flash", Flash)
