"""Recording a new government body: `record_instansi` and `spbe-arch init --instansi`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from spbe_arch import iris
from spbe_arch.cli import app
from spbe_arch.demo import load_base_data
from spbe_arch.errors import InputError
from spbe_arch.model import get_entity, plan_upsert
from spbe_arch.model.catalogue import KINDS
from spbe_arch.model.instansi import (
    InstansiNotRecordedError,
    ReferenceNotLoadedError,
    describe_instansi,
    record_instansi,
    set_periode,
)
from spbe_arch.model.values import DEFAULT_REFERENCE_VERSION
from spbe_arch.repository import Repository, open_repository
from spbe_arch.validation import validate

KAB = "3513"
NAMA = "Pemerintah Kabupaten Probolinggo"


@pytest.fixture
def repository() -> Iterator[Repository]:
    repository = open_repository("memory:")
    load_base_data(repository, agent="uji")
    yield repository
    repository.close()


def test_a_new_body_is_recorded_as_the_rules_want_it(repository: Repository) -> None:
    recorded = record_instansi(repository, KAB, NAMA, "2025-2029", agent="uji")
    assert recorded.created and recorded.activity is not None
    assert recorded.periode == iris.element_iri(KAB, "periode", "2025-2029")
    report = validate(repository, instansi=KAB)
    # no rule of the body or its period is broken; what is left is the empty architecture
    assert report.conforms
    assert {r.severity_name for r in report.results} == {"Warning"}
    messages = sorted(r.message("id") for r in report.results)
    # the message names the domain, not the IRI of its class
    assert "Domain arsitektur ProsesBisnis belum punya satu elemen pun." in messages
    # the body is known now: its first OPD can be written
    plan = plan_upsert(repository, KINDS["opd"], [{"kode": "DISKOMINFO",
                                                   "nama": "Dinas Kominfo"}], instansi=KAB)
    repository.apply(plan)
    assert get_entity(repository, KINDS["opd"], "DISKOMINFO", instansi=KAB) is not None


def test_again_changes_nothing_and_a_new_name_replaces_the_old(repository: Repository,
                                                               tmp_path: Path) -> None:
    record_instansi(repository, KAB, NAMA, "2025-2029", agent="uji")
    repository.dump(tmp_path / "a.nq")
    again = record_instansi(repository, KAB, f"  {NAMA} ", "2025-2029", agent="uji")
    assert not again.created and again.activity is None
    repository.dump(tmp_path / "b.nq")
    assert (tmp_path / "a.nq").read_bytes() == (tmp_path / "b.nq").read_bytes()
    renamed = record_instansi(repository, KAB, "Pemerintah Kab. Probolinggo", agent="uji")
    assert renamed.activity is not None and renamed.periode is None
    names = repository.select(
        "SELECT ?n WHERE { GRAPH ?g { ?i <https://w3id.org/spbe-arch/ontology#nama> ?n } }",
        {"i": iris.instansi_iri(KAB)})
    assert [str(r["n"]) for r in names] == ["Pemerintah Kab. Probolinggo"]
    # a second period stands beside the first
    record_instansi(repository, KAB, periode="2030-2034", agent="uji")
    assert validate(repository, instansi=KAB).conforms


@pytest.mark.parametrize(("kode", "nama", "periode", "words"), [
    ("35x3", NAMA, "2025-2029", "kode wilayah '35x3' tidak sah"),
    ("351", NAMA, "2025-2029", "2 angka (provinsi) atau 4 angka"),
    (KAB, NAMA, "2029-2025", "periode '2029-2025' tidak dapat dibaca"),
    (KAB, NAMA, "2025", "periode '2025' tidak dapat dibaca"),
    # four digits, but no year the rules' xsd:gYear accepts
    (KAB, NAMA, "0001-0005", "periode '0001-0005' tidak dapat dibaca: tulis tahun mulai dan"
                             " tahun selesai (1900–2999)"),
    (KAB, None, "2025-2029", "sebutkan namanya dan periode arsitekturnya"),
    (KAB, NAMA, None, "sebutkan namanya dan periode\n arsitekturnya (mis. 2025-2029)"),
])
def test_bad_input_writes_nothing(repository: Repository, tmp_path: Path, kode: str,
                                  nama: str | None, periode: str | None, words: str) -> None:
    repository.dump(tmp_path / "a.nq")
    with pytest.raises(InputError) as refused:
        record_instansi(repository, kode, nama, periode, agent="uji")
    assert words.replace("\n ", " ") in refused.value.message("id")
    repository.dump(tmp_path / "b.nq")
    assert (tmp_path / "a.nq").read_bytes() == (tmp_path / "b.nq").read_bytes()


def test_init_records_the_body_and_says_how_to_use_it(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SPBE_INSTANSI", raising=False)
    store = f"oxigraph:{tmp_path / 'store'}"
    runner = CliRunner()
    bad = runner.invoke(app, ["--store", store, "init", "--instansi", "35x3", "--nama", NAMA])
    assert bad.exit_code == 2 and "opsi --instansi: kode wilayah '35x3' tidak sah" in bad.stderr
    assert not (tmp_path / "store").exists()  # refused before the store was made
    alone = runner.invoke(app, ["--store", store, "init", "--nama", NAMA])
    assert alone.exit_code == 2 and "--nama dan --periode dipakai bersama --instansi" \
        in alone.stderr
    done = runner.invoke(app, ["--store", store, "init", "--instansi", KAB, "--nama", NAMA,
                               "--periode", "2025-2029"])
    assert done.exit_code == 0, done.stderr
    assert f"Instansi {KAB} dicatat." in done.stdout
    assert f"setel SPBE_INSTANSI={KAB}" in done.stdout
    checked = runner.invoke(app, ["--store", store, "validate", "--instansi", KAB])
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    assert "0 pelanggaran" in checked.stdout
    again = runner.invoke(app, ["--store", store, "init", "--instansi", KAB, "--nama", NAMA,
                                "--periode", "2025-2029"])
    assert f"Instansi {KAB} sudah tercatat, tidak berubah." in again.stdout


# --- the period's status and regulation: `describe_instansi`, `set_periode` -----------------

def _dump(repository: Repository, path: Path) -> bytes:
    repository.dump(path)
    return path.read_bytes()


def test_enacting_a_period_sets_its_status_and_regulation(repository: Repository,
                                                         tmp_path: Path) -> None:
    record_instansi(repository, KAB, NAMA, "2025-2029", agent="uji")
    done = set_periode(repository, KAB, "2025-2029", status="Ditetapkan",
                       nomor_regulasi="Peraturan Bupati Probolinggo Nomor 12 Tahun 2026",
                       tanggal_regulasi="4 Desember 2026", agent="uji")
    assert not done.created and done.activity is not None
    assert done.changed == ["status", "nomor_regulasi", "tanggal_regulasi"]
    shown = describe_instansi(repository, KAB).to_json()
    assert shown["nama"] == NAMA
    assert shown["periode"] == [{
        "periode": "2025-2029", "iri": str(iris.element_iri(KAB, "periode", "2025-2029")),
        "nama": "Arsitektur SPBE Kabupaten Probolinggo 2025-2029",
        "tahun_mulai": 2025, "tahun_selesai": 2029, "status": "Ditetapkan",
        "nomor_regulasi": "Peraturan Bupati Probolinggo Nomor 12 Tahun 2026",
        "tanggal_regulasi": "2026-12-04", "versi_referensi": "Perpres 132/2022"}]
    # the same values written differently change nothing: no write, no audit record
    before = _dump(repository, tmp_path / "a.nq")
    again = set_periode(repository, KAB, "2025 - 2029", status="ditetapkan",
                        nomor_regulasi=" Peraturan Bupati Probolinggo  Nomor 12 Tahun 2026",
                        tanggal_regulasi="2026-12-04", agent="uji")
    assert again.activity is None and again.changed == []
    assert _dump(repository, tmp_path / "b.nq") == before
    # an empty value removes an optional field, and only that one
    removed = set_periode(repository, KAB, "2025-2029", nomor_regulasi="", agent="uji")
    assert removed.changed == ["nomor_regulasi"] and removed.activity is not None
    period = describe_instansi(repository, KAB).periode[0]
    assert (period.status, period.nomor_regulasi, period.tanggal_regulasi) == (
        ["Ditetapkan"], [], ["2026-12-04"])
    assert validate(repository, instansi=KAB).conforms


def test_a_new_period_is_recorded_with_the_fields_given(repository: Repository) -> None:
    record_instansi(repository, KAB, NAMA, "2025-2029", agent="uji")
    done = set_periode(repository, KAB, "2030-2034", status="ditetapkan",
                       tanggal_regulasi="01-02-2030", agent="uji")
    assert done.created and done.activity is not None
    periods = describe_instansi(repository, KAB).periode
    assert [(p.years, p.status, p.tanggal_regulasi, p.versi_referensi) for p in periods] == [
        ("2025-2029", ["Draft"], [], ["Perpres 132/2022"]),
        # one status: the draft a new period starts with is replaced, not joined
        ("2030-2034", ["Ditetapkan"], ["2030-02-01"], ["Perpres 132/2022"])]
    # without fields, a new period is a draft, as `init --periode` records it
    plain = set_periode(repository, KAB, "2035-2039", agent="uji")
    assert plain.created and describe_instansi(repository, KAB).periode[2].status == ["Draft"]
    assert validate(repository, instansi=KAB).conforms


@pytest.mark.parametrize(("kode", "periode", "fields", "field", "words"), [
    (KAB, "2029-2025", {}, "periode", "periode '2029-2025' tidak dapat dibaca"),
    (KAB, "2025-2029", {"status": "final"}, "status", "status 'final' tidak dikenal"),
    (KAB, "2025-2029", {"status": ""}, "status", "pilih draft atau ditetapkan"),
    (KAB, "2025-2029", {"tanggal_regulasi": "31 Juni 2026"}, "tanggal_regulasi",
     "tanggal regulasi '31 Juni 2026' tidak dapat dibaca"),
    ("3547", "2025-2029", {"status": "ditetapkan"}, "kode_wilayah",
     "kode wilayah '3547' tidak ada di repositori; kode yang ada: 3513"),
    ("35x3", "2025-2029", {}, "kode_wilayah", "kode wilayah '35x3' tidak sah"),
])
def test_bad_period_input_writes_nothing(repository: Repository, tmp_path: Path, kode: str,
                                         periode: str, fields: dict[str, str],
                                         field: str, words: str) -> None:
    record_instansi(repository, KAB, NAMA, "2025-2029", agent="uji")
    before = _dump(repository, tmp_path / "a.nq")
    with pytest.raises(InputError) as refused:
        set_periode(repository, kode, periode, agent="uji", **fields)
    assert words in refused.value.message("id")
    assert (refused.value.location.field if refused.value.location else None) == field
    assert _dump(repository, tmp_path / "b.nq") == before


def test_a_body_without_its_record_is_named(repository: Repository) -> None:
    # nothing recorded at all: there are no codes to list, so the error says the body is
    # not recorded and carries its code, for each interface to say how to record it
    with pytest.raises(InstansiNotRecordedError) as refused:
        describe_instansi(repository, KAB)
    assert f"instansi {KAB} belum tercatat" in refused.value.message("id")
    assert (refused.value.kode, refused.value.missing) == (KAB, ())
    # the recording itself names what it lacks
    with pytest.raises(InstansiNotRecordedError) as lacking:
        record_instansi(repository, KAB, None, None, agent="uji")
    assert (lacking.value.kode, lacking.value.missing) == (KAB, ("nama", "periode"))


def _without_reference(repository: Repository) -> None:
    repository.update(f"DROP GRAPH <{iris.reference_graph(DEFAULT_REFERENCE_VERSION)}>")


Call = Callable[[Repository], Any]
_CALLS: list[tuple[str, Call, str | None, type[InputError]]] = [
    ("base", lambda r: record_instansi(r, "35x3", NAMA, "2025-2029", agent="uji"),
     "kode_wilayah", InputError),
    ("base", lambda r: describe_instansi(r, "351"), "kode_wilayah", InputError),
    ("base", lambda r: set_periode(r, "35x3", "2025-2029", agent="uji"), "kode_wilayah",
     InputError),
    ("base", lambda r: describe_instansi(r, KAB), "kode_wilayah", InstansiNotRecordedError),
    ("base", lambda r: set_periode(r, KAB, "2025-2029", agent="uji"), "kode_wilayah",
     InstansiNotRecordedError),
    ("base", lambda r: record_instansi(r, KAB, None, "2025-2029", agent="uji"), "nama",
     InstansiNotRecordedError),
    ("base", lambda r: record_instansi(r, KAB, NAMA, None, agent="uji"), "periode",
     InstansiNotRecordedError),
    ("base", lambda r: record_instansi(r, KAB, NAMA, "0001-0005", agent="uji"), "periode",
     InputError),
    ("recorded", lambda r: set_periode(r, KAB, "2029-2025", agent="uji"), "periode",
     InputError),
    ("recorded", lambda r: record_instansi(r, KAB, periode="2030", agent="uji"), "periode",
     InputError),
    ("recorded", lambda r: set_periode(r, KAB, "2025-2029", status="final", agent="uji"),
     "status", InputError),
    ("recorded", lambda r: set_periode(r, KAB, "2025-2029", status="", agent="uji"),
     "status", InputError),
    ("recorded", lambda r: set_periode(r, KAB, "2025-2029", tanggal_regulasi="31 Juni 2026",
                                       agent="uji"), "tanggal_regulasi", InputError),
    ("recorded", lambda r: describe_instansi(r, "3547"), "kode_wilayah", InputError),
    ("recorded", lambda r: set_periode(r, "3547", "2025-2029", agent="uji"), "kode_wilayah",
     InputError),
    ("empty", lambda r: record_instansi(r, KAB, NAMA, "2025-2029", agent="uji"), None,
     ReferenceNotLoadedError),
    ("no reference", lambda r: set_periode(r, KAB, "2030-2034", agent="uji"), None,
     ReferenceNotLoadedError),
    ("no reference", lambda r: record_instansi(r, KAB, periode="2030-2034", agent="uji"), None,
     ReferenceNotLoadedError),
]
_OPTION = re.compile(r"(?<![\w-])--?[a-z]")


@pytest.mark.parametrize(("state", "call", "field", "kind"), _CALLS)
def test_every_refusal_names_a_field_and_no_option_or_command(
        repository: Repository, state: str, call: Call, field: str | None,
        kind: type[InputError]) -> None:
    # every interface words the service's refusals its own way: the service's texts name no
    # command-line option and no command, and its places are the request's and the form's
    # field names, which the CLI maps to options and the API to parts of the request
    if state == "empty":
        repository = open_repository("memory:")
    if state in ("recorded", "no reference"):
        record_instansi(repository, KAB, NAMA, "2025-2029", agent="uji")
    if state == "no reference":
        _without_reference(repository)
    with pytest.raises(InputError) as refused:
        call(repository)
    error = refused.value
    assert type(error) is kind
    assert (error.location.field if error.location else None) == field
    for text in (error.message_id, error.message_en, error.message("id"), error.message("en")):
        assert not _OPTION.search(text), text
        assert "spbe-arch" not in text and "opsi" not in text and "option" not in text, text


def test_a_body_typed_only_as_pemerintah_daerah_is_recorded(repository: Repository) -> None:
    # hand-written data often names only the subclass; reading it as "not recorded" made
    # `init --nama` add a second name, which the rules then refuse
    instansi, graph = iris.instansi_iri(KAB), iris.instansi_graph(KAB)
    repository.update(
        "PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>\n"
        f"INSERT DATA {{ GRAPH <{graph}> {{ <{instansi}> a spbe:PemerintahDaerah ;"
        f' spbe:kodeWilayah "{KAB}" ; spbe:nama "Kab. Probolinggo" }} }}')
    view = describe_instansi(repository, KAB)
    assert view.nama == ["Kab. Probolinggo"]  # plain strings, as the type says
    renamed = record_instansi(repository, KAB, NAMA, "2025-2029", agent="uji")
    assert not renamed.created
    assert describe_instansi(repository, KAB).nama == [NAMA]
