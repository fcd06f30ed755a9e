"""Identity fields and per-step mutu baku set by hand; derivation again keeps them."""

from __future__ import annotations

from datetime import date

import pytest

from spbe_arch.errors import InputError
from spbe_arch.importers.bpmn.service import import_bpmn
from spbe_arch.repository import Repository
from spbe_arch.sop.document import load_sop, parse_tanggal, tanggal_indonesia
from spbe_arch.sop.render import format_nip
from spbe_arch.sop.service import derive_sop, set_sop_fields, set_step_fields

from .conftest import KODE, definitions, derive_body

BODY = """
<bpmn:process id="p" name="Legalisir Dokumen">
  <bpmn:laneSet id="ls">
    <bpmn:lane id="l1" name="Petugas"><bpmn:flowNodeRef>s</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>a</bpmn:flowNodeRef><bpmn:flowNodeRef>e</bpmn:flowNodeRef></bpmn:lane>
    <bpmn:lane id="l2" name="Kepala Seksi"><bpmn:flowNodeRef>b</bpmn:flowNodeRef></bpmn:lane>
  </bpmn:laneSet>
  <bpmn:startEvent id="s"/>
  <bpmn:task id="a" name="Memeriksa dokumen asli"/>
  <bpmn:task id="b" name="Menandatangani legalisir">
    <bpmn:documentation>Waktu: 5 menit</bpmn:documentation></bpmn:task>
  <bpmn:endEvent id="e"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
  <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="b"/>
  <bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="e"/>
</bpmn:process>
"""


def test_dates_in_indonesian() -> None:
    assert tanggal_indonesia(date(2026, 12, 4)) == "4 Desember 2026"
    assert tanggal_indonesia(date(2025, 1, 31)) == "31 Januari 2025"
    for text in ("2026-12-04", "04-12-2026", "4/12/2026", "4 Desember 2026", "4 des 2026"):
        assert parse_tanggal(text) == date(2026, 12, 4)
    for bad in ("2026-13-01", "kemarin", "31 Februari 2026"):
        with pytest.raises(InputError):
            parse_tanggal(bad)
    assert format_nip("197503122001121003") == "19750312 200112 1 003"


def test_identity_fields_are_set_validated_and_kept_on_derivation(
        model_repository: Repository) -> None:
    result = derive_body(model_repository, BODY, today=date(2026, 12, 1))
    kode = result.kode
    assert kode == "UJI.01.SOP.01"
    activity = set_sop_fields(model_repository, kode, {
        "nomor": "800/12/425.102/2026", "tanggal_efektif": "4 Desember 2026",
        "disahkan_jabatan": "Kepala Dinas", "disahkan_nama": "Siti Aminah, S.H.",
        "disahkan_nip": "19800101 200501 2 003",
        "dasar_hukum": ["Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik"],
        "peralatan": ["Stempel", "Komputer"], "status": "ditetapkan", "nama": "Legalisir",
    }, kode_wilayah=KODE, agent="uji")
    assert activity is not None
    document = load_sop(model_repository, kode, KODE)
    assert document.nomor == "800/12/425.102/2026"
    assert document.tanggal_efektif == date(2026, 12, 4)
    assert document.tanggal_pembuatan == date(2026, 12, 1)
    assert document.disahkan_nip == "198001012005012003"
    assert document.peralatan == ["Komputer", "Stempel"]
    assert (document.status, document.nama) == ("Ditetapkan", "Legalisir")
    # the same values again write nothing (no audit record)
    assert set_sop_fields(model_repository, kode, {"nomor": "800/12/425.102/2026"},
                          kode_wilayah=KODE) is None
    # an empty value removes a field; several values replace all old ones
    set_sop_fields(model_repository, kode, {"peralatan": [], "dasar_hukum": ["A", "B"]},
                   kode_wilayah=KODE)
    document = load_sop(model_repository, kode, KODE)
    assert document.peralatan == [] and document.dasar_hukum == ["A", "B"]
    # numbered entries in their numbers' order (they are stored as a set)
    numbered = ["10. Perwali Nomor 5 Tahun 2024", "2. PP Nomor 96 Tahun 2012",
                "1. UU Nomor 25 Tahun 2009"]
    set_sop_fields(model_repository, kode, {"dasar_hukum": numbered}, kode_wilayah=KODE)
    assert load_sop(model_repository, kode, KODE).dasar_hukum == [
        "1. UU Nomor 25 Tahun 2009", "2. PP Nomor 96 Tahun 2012",
        "10. Perwali Nomor 5 Tahun 2024"]

    for values, words in (({"disahkan_nip": "12345"}, "18"),
                          ({"tanggal_revisi": "besok"}, "besok"),
                          ({"status": "selesai"}, "selesai"),
                          ({"warna": "merah"}, "warna"),
                          ({"nomor": ["1", "2"]}, "nomor"),
                          ({"nama": ""}, "nama")):
        with pytest.raises(InputError) as caught:
            set_sop_fields(model_repository, kode, values, kode_wilayah=KODE)  # type: ignore[arg-type]
        assert words in caught.value.message("id")
    with pytest.raises(InputError, match="TIDAK"):
        set_sop_fields(model_repository, "TIDAK", {"nomor": "1"}, kode_wilayah=KODE)

    # deriving again: same steps -> nothing written, status and identity kept
    again = derive_sop(model_repository, proses="UJI.01", kode_wilayah=KODE)
    assert again.kode == kode and not again.created and not again.changed
    assert load_sop(model_repository, kode, KODE).status == "Ditetapkan"


def test_step_fields_and_their_fate_on_a_new_model_version(model_repository: Repository) -> None:
    result = derive_body(model_repository, BODY)
    kode = result.kode
    set_step_fields(model_repository, kode, 2, {"kelengkapan": "Dokumen asli; fotokopi",
                                                "waktu": "10 menit", "keterangan": "Gratis"},
                    kode_wilayah=KODE)
    set_step_fields(model_repository, kode, 3, {"waktu": "7 menit"}, kode_wilayah=KODE)
    # a set SOP needs its number, effective date and approver (SOPDitetapkanShape)
    set_sop_fields(model_repository, kode, {
        "status": "ditetapkan", "nomor": "1/2026", "tanggal_efektif": "2026-12-01",
        "disahkan_jabatan": "Kepala Dinas", "disahkan_nama": "Budi Santoso"},
        kode_wilayah=KODE)
    step = {s.urutan: s for s in load_sop(model_repository, kode, KODE).langkah}
    assert (step[2].kelengkapan, step[2].waktu, step[2].keterangan) == (
        "Dokumen asli; fotokopi", "10 menit", "Gratis")
    with pytest.raises(InputError, match="langkah 9"):
        set_step_fields(model_repository, kode, 9, {"waktu": "1"}, kode_wilayah=KODE)
    with pytest.raises(InputError, match="warna"):
        set_step_fields(model_repository, kode, 2, {"warna": "1"}, kode_wilayah=KODE)

    # a new version of the model adds a step: the SOP is derived again
    changed = BODY.replace(
        '<bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="e"/>',
        '<bpmn:task id="c" name="Mencatat di buku register"/>'
        '<bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="c"/>'
        '<bpmn:sequenceFlow id="f4" sourceRef="c" targetRef="e"/>').replace(
        "<bpmn:flowNodeRef>e</bpmn:flowNodeRef>",
        "<bpmn:flowNodeRef>e</bpmn:flowNodeRef><bpmn:flowNodeRef>c</bpmn:flowNodeRef>")
    imported = import_bpmn(model_repository, definitions(changed), file_name="uji.bpmn",
                           kode_wilayah=KODE, proses="UJI.01")
    assert imported.version == 2
    again = derive_sop(model_repository, proses="UJI.01", kode_wilayah=KODE)
    assert again.kode == kode and again.changed
    document = load_sop(model_repository, kode, KODE)
    step = {s.urutan: s.nama for s in document.langkah}
    assert step[4] == "Mencatat di buku register"
    by_name = {s.nama: s for s in document.langkah}
    # hand-entered values survive where the model says nothing ...
    assert by_name["Memeriksa dokumen asli"].kelengkapan == "Dokumen asli; fotokopi"
    assert by_name["Memeriksa dokumen asli"].keterangan == "Gratis"
    # ... and the model wins where it says something
    assert by_name["Menandatangani legalisir"].waktu == "5 menit"
    # steps changed: the SOP is a draft again, the identity fields stay
    assert document.status == "Draft" and document.nomor == "1/2026"
    assert any("Draft" in n.message("en") for n in again.notices)


def test_hand_values_survive_when_the_steps_lost_their_bpmn_link(
        model_repository: Repository) -> None:
    """An Excel export -> import of the SOP rewrites its steps without prov:wasDerivedFrom
    (the workbook has no column for it); a later derivation then dropped every hand-entered
    mutu baku. A step is now also recognised by its kegiatan and symbol."""
    from spbe_arch.repository import ChangeSet
    from spbe_arch.vocab import PROV

    result = derive_body(model_repository, BODY)
    set_step_fields(model_repository, result.kode, 2, {"kelengkapan": "Dokumen asli"},
                    kode_wilayah=KODE)
    links = [q for q in model_repository.quads() if q[1] == PROV.wasDerivedFrom]
    assert links
    model_repository.apply(ChangeSet(remove=links))  # what the workbook import does
    changed = BODY.replace('name="Menandatangani legalisir"', 'name="Memaraf legalisir"')
    import_bpmn(model_repository, definitions(changed), file_name="uji.bpmn",
                kode_wilayah=KODE, proses="UJI.01")
    derive_sop(model_repository, proses="UJI.01", kode_wilayah=KODE)
    by_name = {s.nama: s for s in load_sop(model_repository, result.kode, KODE).langkah}
    assert by_name["Memeriksa dokumen asli"].kelengkapan == "Dokumen asli"


def test_hand_written_sop_is_not_overwritten(model_repository: Repository) -> None:
    from rdflib import RDF, Literal

    from spbe_arch import iris
    from spbe_arch.repository import ChangeSet
    from spbe_arch.vocab import SPBE

    sop = iris.element_iri(KODE, "sop", "UJI.01.SOP.01")
    step = iris.sop_step_iri(sop, 1)
    graph = iris.instansi_graph(KODE)
    model_repository.apply(ChangeSet(add=[
        (sop, RDF.type, SPBE.SOP, graph), (sop, SPBE.kode, Literal("UJI.01.SOP.01"), graph),
        (sop, SPBE.instansi, iris.instansi_iri(KODE), graph),
        (sop, SPBE.untukProsesBisnis, iris.element_iri(KODE, "proses-bisnis", "UJI.01"), graph),
        (sop, SPBE.memilikiLangkah, step, graph), (step, RDF.type, SPBE.LangkahSOP, graph),
    ]))
    result = derive_body(model_repository, BODY)
    assert result.kode == "UJI.01.SOP.02"  # the next free code, the old SOP untouched
    with pytest.raises(InputError, match="--kode"):
        derive_sop(model_repository, proses="UJI.01", kode_wilayah=KODE, kode="UJI.01.SOP.01")


def test_control_characters_do_not_break_the_documents(model_repository: Repository) -> None:
    """A control character pasted into a field (or stored by another path, e.g. the API or
    a workbook) made `sop render --format docx` and `sop export-bpmn` fail with
    "All strings must be XML compatible"; the setters now store the text without them."""
    from rdflib import Literal

    from spbe_arch import iris
    from spbe_arch.repository import ChangeSet
    from spbe_arch.sop.bpmn_export import export_sop_bpmn
    from spbe_arch.sop.render import render_sop
    from spbe_arch.vocab import SPBE

    result = derive_body(model_repository, BODY)
    set_sop_fields(model_repository, result.kode, {"nama": "Legalisir\x01 Dokumen\x0bAsli"},
                   kode_wilayah=KODE, agent="uji")
    set_step_fields(model_repository, result.kode, 2, {"keterangan": "baris satu\rbaris dua\x1f"},
                    kode_wilayah=KODE, agent="uji")
    document = load_sop(model_repository, result.kode, KODE)
    assert document.nama == "Legalisir Dokumen\nAsli"
    assert document.langkah[1].keterangan == "baris satu\nbaris dua"
    # text stored with a control character by another path is cleaned when it is read
    step = iris.sop_step_iri(result.sop, 3)
    model_repository.apply(ChangeSet(add=[(step, SPBE.output, Literal("Cap\x07 basah"),
                                           iris.instansi_graph(KODE))]))
    assert load_sop(model_repository, result.kode, KODE).langkah[2].output == "Cap basah"
    assert render_sop(model_repository, result.kode, "docx",
                      kode_wilayah=KODE).content.startswith(b"PK")
    assert b"Cap basah" in export_sop_bpmn(model_repository, result.kode, kode_wilayah=KODE)


def test_a_very_long_sop_name_still_makes_a_word_document(model_repository: Repository) -> None:
    """Word's title property holds 255 characters; a longer SOP name crashed the render."""
    import io

    from docx import Document

    from spbe_arch.sop.render import render_sop

    result = derive_body(model_repository, BODY)
    set_sop_fields(model_repository, result.kode, {"nama": "Legalisir Dokumen " * 20},
                   kode_wilayah=KODE, agent="uji")
    content = render_sop(model_repository, result.kode, "docx", kode_wilayah=KODE).content
    word = Document(io.BytesIO(content))
    assert len(word.core_properties.title) == 255
    assert any(("LEGALISIR DOKUMEN " * 20).strip() in c.text
               for t in word.tables for row in t.rows for c in row.cells)
