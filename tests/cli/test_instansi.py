"""`spbe-arch instansi show` and `spbe-arch instansi periode`: a body enacts its architecture
period from the command line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from spbe_arch import iris
from spbe_arch.model.values import DEFAULT_REFERENCE_VERSION

from .conftest import Invoke, SetEnv

KAB = "3513"
NAMA = "Pemerintah Kabupaten Probolinggo"
PERBUP = "Peraturan Bupati Probolinggo Nomor 12 Tahun 2026"


@pytest.fixture
def recorded(cli: Invoke, store: str, spbe_env: SetEnv) -> Iterator[str]:
    """A store with the base data and body 3513 recorded with a draft 2025-2029, and 3513
    the default instansi of every command."""
    spbe_env(SPBE_INSTANSI=KAB)
    done = cli("--store", store, "init", "--instansi", KAB, "--nama", NAMA,
               "--periode", "2025-2029")
    assert done.exit_code == 0, done.stderr
    yield store


def _dump(cli: Invoke, store: str, path: Path) -> bytes:
    done = cli("--store", store, "dump", str(path))
    assert done.exit_code == 0, done.stderr
    return path.read_bytes()


def test_create_enact_show_and_remove_the_number(cli: Invoke, recorded: str,
                                                 tmp_path: Path) -> None:
    store = recorded
    created = cli("--store", store, "instansi", "periode", "2030-2034")
    assert created.exit_code == 0, created.stderr
    assert f"Periode 2030-2034 instansi {KAB} dicatat." in created.stdout
    enacted = cli("--store", store, "instansi", "periode", "2025-2029", "--instansi", KAB,
                  "--status", "ditetapkan", "--nomor-regulasi", PERBUP,
                  "--tanggal-regulasi", "4 Desember 2026")
    assert enacted.exit_code == 0, enacted.stderr
    assert (f"Periode 2025-2029 instansi {KAB} diperbarui: status, nomor regulasi, tanggal"
            " regulasi.") in enacted.stdout
    before = _dump(cli, store, tmp_path / "a.nq")
    again = cli("--store", store, "instansi", "periode", "2025-2029", "--status", "ditetapkan",
                "--tanggal-regulasi", "2026-12-04")
    assert f"Periode 2025-2029 instansi {KAB} tidak berubah." in again.stdout
    assert _dump(cli, store, tmp_path / "b.nq") == before  # not even an audit record

    table = cli("--store", store, "instansi", "show")
    assert table.exit_code == 0, table.stderr
    assert f"Instansi {KAB}: {NAMA}" in table.stdout
    assert "Ditetapkan" in table.stdout and "4 Desember 2026" in table.stdout
    assert "Draft" in table.stdout and "Perpres 132/2022" in table.stdout
    english = cli("--store", store, "--lang", "en", "instansi", "show")
    assert "Regulation" in english.stdout and "2026-12-04" in english.stdout
    shown = json.loads(cli("--store", store, "instansi", "show", "--format", "json").stdout)
    assert shown["kode"] == KAB and shown["nama"] == NAMA
    assert [(p["periode"], p["status"], p["nomor_regulasi"], p["tanggal_regulasi"],
             p["versi_referensi"]) for p in shown["periode"]] == [
        ("2025-2029", "Ditetapkan", PERBUP, "2026-12-04", "Perpres 132/2022"),
        ("2030-2034", "Draft", None, None, "Perpres 132/2022")]

    removed = cli("--store", store, "instansi", "periode", "2025-2029", "--nomor-regulasi", "")
    assert removed.exit_code == 0, removed.stderr
    assert "diperbarui: nomor regulasi." in removed.stdout
    shown = json.loads(cli("--store", store, "instansi", "show", "--format", "json").stdout)
    assert shown["periode"][0]["nomor_regulasi"] is None
    assert shown["periode"][0]["tanggal_regulasi"] == "2026-12-04"
    checked = cli("--store", store, "validate", "--instansi", KAB)
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    assert "0 pelanggaran" in checked.stdout


@pytest.mark.parametrize(("args", "words"), [
    # the years are the command's argument, named as the usage errors name it
    (["2029-2025"], "argumen TAHUN-TAHUN: periode '2029-2025' tidak dapat dibaca"),
    (["2025-2029", "--tanggal-regulasi", "4 Desembr 2026"],
     "opsi --tanggal-regulasi: tanggal regulasi '4 Desembr 2026' tidak dapat dibaca"),
    (["2025-2029", "--instansi", "3547", "--status", "ditetapkan"],
     "opsi --instansi: instansi dengan kode wilayah '3547' tidak ada di repositori; kode"
     " yang ada: 3513"),
    (["2025-2029", "--status", "final"],
     "opsi --status: status 'final' tidak dikenal: pilih draft atau ditetapkan"),
])
def test_bad_input_exits_2_and_writes_nothing(cli: Invoke, recorded: str, tmp_path: Path,
                                              args: list[str], words: str) -> None:
    before = _dump(cli, recorded, tmp_path / "a.nq")
    refused = cli("--store", recorded, "instansi", "periode", *args)
    assert refused.exit_code == 2 and words in refused.stderr, refused.stderr
    assert _dump(cli, recorded, tmp_path / "b.nq") == before


def test_show_names_the_known_codes(cli: Invoke, recorded: str) -> None:
    refused = cli("--store", recorded, "--lang", "en", "instansi", "show", "--instansi", "3547")
    assert refused.exit_code == 2
    assert ("option --instansi: there is no instansi with kode wilayah '3547' in the"
            " repository; known codes: 3513") in refused.stderr


@pytest.mark.parametrize(("args", "words"), [
    (["init", "--instansi", KAB, "--nama", NAMA, "--periode", "2025"],
     "opsi --periode: periode '2025' tidak dapat dibaca"),
    (["init", "--instansi", "35x3", "--nama", NAMA, "--periode", "2025-2029"],
     "opsi --instansi: kode wilayah '35x3' tidak sah"),
    (["--lang", "en", "instansi", "periode", "2025-29", "--instansi", KAB],
     "argument TAHUN-TAHUN: period '2025-29' cannot be read"),
    (["--lang", "en", "instansi", "periode", "2025-2029", "--instansi", KAB, "--status",
      "final"], "option --status: unknown status 'final'"),
])
def test_a_refusal_names_the_option_before_the_store_is_made(
        cli: Invoke, store: str, tmp_path: Path, args: list[str], words: str) -> None:
    # the service names its fields (`periode`); the command line says them as its options
    refused = cli("--store", store, *args)
    assert refused.exit_code == 2 and words in refused.stderr, refused.stderr
    assert not (tmp_path / "store").exists()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_body_not_recorded_is_recorded_with_init(cli: Invoke, store: str, spbe_env: SetEnv,
                                                   lang: str) -> None:
    spbe_env(SPBE_INSTANSI=KAB)
    assert cli("--store", store, "init").exit_code == 0
    how = f"`spbe-arch init --instansi {KAB} --nama … --periode …`"
    said = {"id": (f"opsi --instansi: instansi {KAB} belum tercatat; catat dengan {how}",
                   f"opsi --periode: instansi {KAB} belum tercatat: sebutkan namanya dan"
                   f" periode arsitekturnya (mis. 2025-2029); catat dengan {how}"),
            "en": (f"option --instansi: instansi {KAB} is not recorded yet; record it with"
                   f" {how}", f"option --periode: instansi {KAB} is not recorded yet: give"
                   f" its name and architecture period (e.g. 2025-2029); record it with {how}")}
    for command in (["instansi", "show"], ["instansi", "periode", "2025-2029"]):
        refused = cli("--store", store, "--lang", lang, *command)
        assert refused.exit_code == 2
        assert refused.stderr.strip() == said[lang][0]
        assert "PUT /api" not in refused.stderr
    lacking = cli("--store", store, "--lang", lang, "init", "--instansi", KAB, "--nama", NAMA)
    assert lacking.exit_code == 2
    assert lacking.stderr.strip() == said[lang][1]


def test_a_store_without_the_reference_says_to_run_init(cli: Invoke, recorded: str) -> None:
    graph = iris.reference_graph(DEFAULT_REFERENCE_VERSION)
    dropped = cli("--store", recorded, "update", f"DROP GRAPH <{graph}>")
    assert dropped.exit_code == 0, dropped.stderr
    refused = cli("--store", recorded, "instansi", "periode", "2030-2034")
    assert refused.exit_code == 2
    assert refused.stderr.strip() == (
        f"referensi nasional {DEFAULT_REFERENCE_VERSION} belum dimuat di repositori; jalankan"
        " `spbe-arch init` tanpa opsi dulu")


def test_the_step_for_a_store_without_the_reference_has_one_wording() -> None:
    """The command line and the server name the same command in the same words, kept once
    in the service (`model.instansi`)."""
    from spbe_arch.cli.instansi import cli_error
    from spbe_arch.model.instansi import (
        REFERENCE_STEP,
        SERVER_REFERENCE_STEP,
        ReferenceNotLoadedError,
    )

    said = cli_error(ReferenceNotLoadedError("Perpres 132/2022", "tidak dimuat", "not loaded"))
    assert (said.message_id, said.message_en) == (f"tidak dimuat; {REFERENCE_STEP[0]}",
                                                  f"not loaded; {REFERENCE_STEP[1]}")
    assert all(server.startswith(cli) for server, cli in zip(SERVER_REFERENCE_STEP,
                                                             REFERENCE_STEP, strict=True))
