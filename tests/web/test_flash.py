"""The notes a form leaves for the next page (`web.flash`): once, to their owner, bounded."""

from __future__ import annotations

from spbe_arch.web.flash import Flash


def test_notes_are_read_once_by_their_owner_until_they_expire() -> None:
    now = [0.0]
    flash = Flash(lifetime_s=60, limit=3, clock=lambda: now[0])
    key = flash.put("editor-a", ["cabang paralel ditulis berurutan"])
    assert flash.take(key, "editor-b") == []  # another user: nothing, and the notes stay
    assert flash.take(key, "editor-a") == ["cabang paralel ditulis berurutan"]
    assert flash.take(key, "editor-a") == []
    assert flash.take(None, "editor-a") == [] and flash.take("tebakan", "editor-a") == []
    late = flash.put("editor-a", ["x"])
    now[0] = 61.0
    assert flash.take(late, "editor-a") == []


def test_the_store_is_bounded() -> None:
    flash = Flash(limit=3)
    keys = [flash.put("a", [str(n)]) for n in range(5)]
    assert flash.take(keys[0], "a") == [] and flash.take(keys[1], "a") == []  # the oldest go
    assert [flash.take(k, "a") for k in keys[2:]] == [["2"], ["3"], ["4"]]
