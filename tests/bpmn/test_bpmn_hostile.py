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


SMALL = (
    '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"'
    ' targetNamespace="urn:uji">\n'
    '  <process id="p">\n'
    '    <laneSet id="ls"><lane id="l" name="Kepala ꦧꦶꦣꦁ (بيدڠ) é"/></laneSet>\n'
    '    <task id="t" name="Memeriksa berkas"/>\n'
    '  </process>\n'
    '</definitions>\n')


@pytest.mark.parametrize(("data", "words_id", "words_en", "line"), [
    (b"PK\x03\x04\x14\x00\x00\x00\x08\x00Diagram1/x.diag",
     "arsip ZIP (misalnya berkas proyek Bizagi .bpm", "export the model", None),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "dokumen PDF", "PDF document", None),
    (SMALL.encode()[:120], "berkas terpotong", "cut short", 3),
    (SMALL.encode().rstrip()[:-len(b"</definitions>")], "berkas terpotong", "cut short", 6),
    (SMALL.replace("é", "\udce9").encode("utf-8", "surrogateescape"),
     "tidak sah untuk UTF-8 (encoding bawaan XML)", "save it again as UTF-8", 3),
    (b'<?xml version="1.0" encoding="x-tidak-ada"?>\n'
     + SMALL.replace("Kepala ꦧꦶꦣꦁ (بيدڠ) é", "Kepala").encode(),
     "encoding yang dinyatakan berkas tidak dikenal", "unknown encoding", 1),
    (SMALL.replace("Memeriksa berkas", "Surat &kop;").encode(), "entitas tidak dikenal",
     "write '&' as '&amp;'", 4),
    (b'{"proses": "bukan XML"}', "tidak diawali elemen XML", "does not start with", 1),
    (SMALL.replace("Memeriksa berkas", "A" * 10_000_001).encode(), "terlalu panjang",
     "too long", 4),
    (SMALL.replace('<task id="t" name="Memeriksa berkas"/>',
                   '<subProcess>' * 300 + '</subProcess>' * 300).encode(),
     "bersarang terlalu dalam", "nested too deeply", 4),
], ids=["zip", "pdf", "cut-in-tag", "cut-before-end", "not-utf8", "unknown-encoding",
        "entity", "json", "huge-attribute", "too-deep"])
def test_odd_files_get_a_sentence_saying_what_is_wrong(
        data: bytes, words_id: str, words_en: str, line: int | None,
        memory_repository: Repository) -> None:
    """Before, these got libxml2's English ("Start tag expected, '<' not found", "Resource
    limit exceeded ... try XML_PARSE_HUGE") or, for a ZIP/PDF, nothing naming the cause."""
    with pytest.raises(InputError) as caught:
        import_bpmn(memory_repository, data, file_name="model.bpmn", kode_wilayah="3574",
                    max_bytes=10**8)
    error = caught.value
    assert words_id in error.message("id") and "model.bpmn" in error.message("id")
    assert words_en in error.message("en")
    assert "line " not in error.message("en").split(": ", 1)[1]  # position said once
    if line is not None:
        assert error.location is not None and error.location.line == line
    assert list(memory_repository.quads()) == []


@pytest.mark.parametrize("declared", ["ISO-8859-1", "windows-1252", "UTF-16"])
def test_utf8_content_under_another_declared_encoding_is_read_as_utf8(
        declared: str, memory_repository: Repository) -> None:
    """Read as declared, the lane name was stored garbled ('Kepala ê¦§ê¦¶...') with no
    word of warning (or, for UTF-16, refused with 'Blank needed here')."""
    data = f'<?xml version="1.0" encoding="{declared}"?>\n{SMALL}'.encode()
    result = import_bpmn(memory_repository, data, file_name="model.bpmn", kode_wilayah="3574")
    names = {str(q[2]) for q in memory_repository.quads() if str(q[1]).endswith("#name")}
    assert "Kepala ꦧꦶꦣꦁ (بيدڠ) é" in names
    assert any(f"encoding {declared}, tetapi isinya UTF-8" in n.message("id")
               for n in result.notices)


def test_a_real_latin1_file_is_still_read_as_latin1(memory_repository: Repository) -> None:
    data = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n'
            + SMALL.replace("Kepala ꦧꦶꦣꦁ (بيدڠ) é", "Café")).encode("latin-1")
    result = import_bpmn(memory_repository, data, file_name="model.bpmn", kode_wilayah="3574")
    names = {str(q[2]) for q in memory_repository.quads() if str(q[1]).endswith("#name")}
    assert "Café" in names
    assert not result.notices


def test_an_instansi_missing_from_a_populated_store_is_warned_about(
        fixtures_dir: Path, memory_repository: Repository) -> None:
    """`--instansi 9999` (a typo) filed the model under a region nobody lists, silently."""
    from rdflib import RDF

    from spbe_arch import iris
    from spbe_arch.repository import ChangeSet
    from spbe_arch.vocab import SPBE

    memory_repository.apply(ChangeSet(add=[(iris.instansi_iri("3574"), RDF.type, SPBE.Instansi,
                                            iris.instansi_graph("3574"))]))
    path = fixtures_dir / "miwg-reference" / "A.1.0.bpmn"
    known = import_bpmn_file(memory_repository, path, kode_wilayah="3574")
    assert not [n for n in known.notices if "instansi" in n.message("id")]
    typo = import_bpmn_file(memory_repository, path, kode_wilayah="9999")
    assert any("instansi 9999 belum ada" in n.message("id") for n in typo.notices)
