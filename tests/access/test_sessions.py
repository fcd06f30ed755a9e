"""Web sessions: random ids kept hashed, tied to a token, ended, expired, bounded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from spbe_arch.access import Principal, SessionTable, TokenStore, session_principal
from spbe_arch.access.policy import AuthenticationError
from spbe_arch.access.sessions import MAX_SESSIONS, SESSIONS_PER_TOKEN

OPD = "https://w3id.org/spbe-arch/id/3574/opd/DISKOMINFO"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_a_session_id_is_random_and_the_table_keeps_only_its_hash() -> None:
    tokens = TokenStore(None)
    token, record = tokens.create("ani", "editor", [OPD])
    table = SessionTable()
    ids = {table.open(record) for _ in range(5)}
    assert len(ids) == 5 and all(len(i) >= 43 for i in ids)
    kept = repr(table.__dict__)
    assert not any(i in kept for i in ids)
    assert token not in kept
    session = table.get(next(iter(ids)))
    assert session is not None and session.token_hash == record.hash
    assert session.expires - session.created == timedelta(hours=12)


def test_the_principal_follows_the_token_and_sign_out_ends_the_session() -> None:
    tokens = TokenStore(None)
    _, record = tokens.create("ani", "editor", [OPD])
    table = SessionTable()
    session_id = table.open(record)
    assert session_principal(tokens, table, session_id) == Principal("ani", record.role,
                                                                      frozenset([OPD]))
    assert table.end(session_id)
    assert session_principal(tokens, table, session_id) is None
    assert not table.end(session_id)
    assert session_principal(tokens, table, "spbe_" + "x" * 43) is None


def test_revoking_or_expiring_the_token_ends_its_sessions() -> None:
    tokens = TokenStore(None)
    _, revoked = tokens.create("budi", "reader")
    token, expiring = tokens.create("cici", "reader",
                                    expires=datetime.now(UTC) + timedelta(hours=1))
    table = SessionTable()
    first, second = table.open(revoked), table.open(expiring)
    tokens.revoke("budi")
    found = tokens.find(token)
    assert found is not None
    found.expires = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()  # an hour later
    for session_id in (first, second):
        with pytest.raises(AuthenticationError):
            session_principal(tokens, table, session_id)
        # and the session is gone, not merely refused this time
        assert table.get(session_id) is None
    assert len(table) == 0


def test_an_expired_session_is_refused_and_dropped() -> None:
    tokens = TokenStore(None)
    _, record = tokens.create("ani", "reader")
    clock = Clock()
    table = SessionTable(timedelta(hours=12), clock=clock)
    session_id = table.open(record)
    clock.now += timedelta(hours=11, minutes=59)
    assert session_principal(tokens, table, session_id) is not None
    clock.now += timedelta(minutes=1)
    assert session_principal(tokens, table, session_id) is None
    assert len(table) == 0


def test_expired_sessions_go_when_another_is_opened() -> None:
    tokens = TokenStore(None)
    records = [tokens.create(f"t{i}", "reader")[1] for i in range(5)]
    clock = Clock()
    table = SessionTable(timedelta(minutes=30), clock=clock)
    for record in records:
        table.open(record)
    clock.now += timedelta(minutes=31)
    # none of them was looked up again: only opening a new one can clear them
    fresh = table.open(records[0])
    assert len(table) == 1 and table.get(fresh) is not None
    assert all(table.count(r.hash) == (r is records[0]) for r in records)


def test_one_token_holds_a_bounded_number_of_sessions_the_oldest_ending_first() -> None:
    tokens = TokenStore(None)
    _, record = tokens.create("ani", "reader")
    _, other = tokens.create("budi", "reader")
    table = SessionTable(per_token=3)
    elsewhere = table.open(other)
    opened = [table.open(record) for _ in range(10)]
    assert table.count(record.hash) == 3 and len(table) == 4
    assert [table.get(i) is not None for i in opened] == [False] * 7 + [True] * 3
    assert table.get(elsewhere) is not None  # another token's session is untouched


def test_the_whole_table_is_bounded_the_oldest_ending_first() -> None:
    tokens = TokenStore(None)
    records = [tokens.create(f"t{i}", "reader")[1] for i in range(8)]
    table = SessionTable(per_token=5, limit=6)
    opened = [table.open(r) for r in records for _ in range(2)]
    assert len(table) == 6
    assert [table.get(i) is not None for i in opened] == [False] * 10 + [True] * 6
    assert sum(table.count(r.hash) for r in records) == 6


def test_the_default_bounds() -> None:
    table = SessionTable()
    assert (table.per_token, table.limit) == (SESSIONS_PER_TOKEN, MAX_SESSIONS)
    assert 1 <= SESSIONS_PER_TOKEN < MAX_SESSIONS <= 100_000
    with pytest.raises(ValueError):
        SessionTable(per_token=0)
