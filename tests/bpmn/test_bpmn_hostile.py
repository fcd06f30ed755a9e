"""Hostile or broken files are refused with a clear message, and nothing is stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from spbe_arch.errors import InputError, SpbeError
from spbe_arch.importers.bpmn.service import import_bpmn, import_bpmn_file
from spbe_arch.repository import Repository


@pytest.mark.parametrize(("name", "line", "words"), [
    ("billion-laughs.bpmn", 2, "DTD"),
    ("xxe.bpmn", 2, "DTD"),
    ("external-dtd.bpmn", 2, "DTD"),
    ("malformed.bpmn", 6, "not well-formed"),
    ("not-bpmn.bpmn", 2, "not a BPMN 2.0 file"),
    ("duplicate-id.bpmn", 6, 'id "t" is used more than once'),
    ("dangling-flow.bpmn", 5, 'targetRef="nowhere"'),
])
def test_refused_with_file_line_and_reason(name: str, line: int, words: str,
                                           fixtures_dir: Path,
                                           memory_repository: Repository) -> None:
    path = fixtures_dir / "hostile" / name
    with pytest.raises(SpbeError) as caught:
        import_bpmn_file(memory_repository, path, kode_wilayah="3574", agent="test")
    error = caught.value
    assert isinstance(error, InputError)
    assert error.location is not None and error.location.line == line
    assert words in error.message("en")
    assert name in error.message("id")
    assert list(memory_repository.quads()) == []


def test_entities_are_never_expanded(fixtures_dir: Path, memory_repository: Repository) -> None:
    """Even with the DTD check out of the way, the parser resolves no entity."""
    from spbe_arch.importers.bpmn import xmlsafe

    data = (fixtures_dir / "hostile" / "xxe.bpmn").read_bytes()
    original = xmlsafe._DOCTYPE
    try:
        xmlsafe._DOCTYPE = __import__("re").compile(rb"(?!)")  # never matches
        with pytest.raises(InputError):
            import_bpmn(memory_repository, data, file_name="xxe.bpmn", kode_wilayah="3574")
    finally:
        xmlsafe._DOCTYPE = original
    assert b"root:" not in b"".join(str(q[2]).encode() for q in memory_repository.quads())


def test_size_limit(fixtures_dir: Path, memory_repository: Repository) -> None:
    path = fixtures_dir / "miwg-reference" / "A.1.0.bpmn"
    with pytest.raises(InputError) as caught:
        import_bpmn_file(memory_repository, path, kode_wilayah="3574", max_bytes=1000)
    assert "too large" in caught.value.message("en")
    with pytest.raises(InputError):
        import_bpmn(memory_repository, path.read_bytes(), file_name=path.name,
                    kode_wilayah="3574", max_bytes=1000)
    assert list(memory_repository.quads()) == []


def test_empty_and_unknown_proses(fixtures_dir: Path, memory_repository: Repository) -> None:
    with pytest.raises(InputError, match="kosong"):
        import_bpmn(memory_repository, b"  \n", file_name="x.bpmn", kode_wilayah="3574")
    path = fixtures_dir / "miwg-reference" / "A.1.0.bpmn"
    with pytest.raises(InputError) as caught:
        import_bpmn_file(memory_repository, path, kode_wilayah="3574", proses="TIDAK.ADA")
    assert "TIDAK.ADA" in caught.value.message("id")
    assert list(memory_repository.quads()) == []
