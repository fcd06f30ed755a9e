"""Fixtures for the Excel tests: a memory repository with a small reference and OPDs, and
helpers to fill a generated template with openpyxl."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from spbe_arch import datasets, iris
from spbe_arch.importers.xlsx import build_workbook
from spbe_arch.repository import LoadSource, Repository, open_repository

FIXTURE = Path(__file__).with_name("instansi.ttl")
DATA = Path(__file__).with_name("data")
INSTANSI = "3574"


def load_fixture(repository: Repository) -> None:
    """Ontology, shapes and references from the project, and the instansi with three OPDs."""
    repository.load([*datasets.base_sources(),
                     LoadSource(FIXTURE, "turtle", iris.instansi_graph(INSTANSI), FIXTURE.name)])


@pytest.fixture
def repo() -> Repository:
    repository = open_repository("memory:")
    load_fixture(repository)
    return repository


def put(wb: Workbook, sheet: str, row: int, values: dict[str, Any]) -> None:
    """Write `values` (header without the required mark -> value) into one row."""
    ws = wb[sheet]
    columns = {str(c.value).rstrip(" *"): c.column for c in ws[1] if c.value}
    for header, value in values.items():
        ws.cell(row=row, column=columns[header]).value = value  # None clears the cell


FILLED: dict[str, list[dict[str, Any]]] = {
    "Layanan": [{"Kode": "L.01", "Nama": "Penerbitan Akta Kelahiran",
                 "Unit Pelaksana (kode OPD)": "DISDUKCAPIL",
                 "Kode RAL": "RAL.02.01.07 — Kependudukan dan Pencatatan Sipil",
                 "Jenis Layanan": "Layanan Publik", "Tujuan": "Kepastian hukum kelahiran",
                 "Target Layanan": "Masyarakat; Pelaku Usaha", "Metode Layanan": "Hybrid",
                 "Menggunakan Data (kode Data)": "D.01"}],
    "Data": [{"Kode": "D.01", "Nama": "Data Kelahiran", "Wali Data (kode OPD)": "DISDUKCAPIL",
              "Kode RAD": "RAD.09.01.07", "Sifat Data": "Tertutup",
              "Jenis Data": "Data Statistik", "Validitas Data": "Harian"}],
    "Proses Bisnis": [
        {"Kode": "PB.01", "Nama": "Pencatatan Kelahiran", "Uraian": "Dari berkas ke akta",
         "Pemilik (kode OPD)": "DISDUKCAPIL",
         "Kode RAB": "RAB.09.01.07 — Kependudukan dan Pencatatan Sipil",
         "Jenis Proses": "Proses Utama", "Status Proses": "As-Is", "Level Peta Proses": 1,
         "Merealisasikan (kode Layanan)": "L.01", "Menghasilkan Data (kode Data)": "D.01"},
        {"Kode": "PB.02", "Nama": "Layanan Informasi Publik", "Pemilik (kode OPD)": "DISKOMINFO",
         "Kode RAB": "RAB.09.03.01", "Status Proses": "Baru", "Level Peta Proses": 1}],
    "SOP": [{"Kode": "SOP.01", "Nama": "SOP Penerbitan Akta Kelahiran",
             "Pemilik (kode OPD)": "DISDUKCAPIL",
             "Untuk Proses Bisnis (kode Proses Bisnis)": "PB.01", "Nomor SOP": "800/12/2024",
             "Tanggal Pembuatan": dt.datetime(2024, 1, 5), "Status SOP": "Ditetapkan",
             "Tanggal Efektif": dt.datetime(2024, 2, 1),
             "Disahkan Oleh (Jabatan)": "Kepala Dinas", "Disahkan Oleh (Nama)": "Budi Santoso",
             "Dasar Hukum": "UU 23/2006\nPerpres 96/2018",
             "Pelaksana": "Pemohon; Petugas Loket; Kepala Dinas"}],
    "Langkah SOP": [
        {"Kode SOP": "SOP.01", "No": 1, "Kegiatan": "Mulai", "Jenis Simbol": "Terminator (kapsul)",
         "Pelaksana": "Pemohon"},
        {"Kode SOP": "SOP.01", "No": 2, "Kegiatan": "Periksa berkas",
         "Jenis Simbol": "Keputusan (belah ketupat)", "Pelaksana": "Petugas Loket",
         "Kelengkapan": "KK, KTP", "Waktu": "10 menit", "Output": "Berkas diperiksa",
         "Jika Ya (No)": 3, "Jika Tidak (No)": 4},
        {"Kode SOP": "SOP.01", "No": 3, "Kegiatan": "Tandatangani akta",
         "Jenis Simbol": "Kegiatan (persegi panjang)", "Pelaksana": "Kepala Dinas",
         "Kelengkapan": "Berkas lengkap", "Waktu": "1 hari", "Output": "Akta"},
        {"Kode SOP": "SOP.01", "No": 4, "Kegiatan": "Selesai",
         "Jenis Simbol": "Terminator (kapsul)", "Pelaksana": "Pemohon"}],
}


@pytest.fixture
def filled_workbook(repo: Repository, tmp_path: Path) -> Callable[..., Path]:
    """A function returning a freshly generated and filled template; `edit(wb)` may change
    it before it is saved."""

    def make(edit: Callable[[Workbook], None] | None = None, name: str = "isi.xlsx") -> Path:
        template = tmp_path / "templat.xlsx"
        build_workbook(repo, template, instansi=INSTANSI, with_data=False)
        wb = load_workbook(template)
        for sheet, rows in FILLED.items():
            for offset, values in enumerate(rows):
                put(wb, sheet, 2 + offset, values)
        if edit is not None:
            edit(wb)
        path = tmp_path / name
        wb.save(path)
        return path

    return make
