"""Writing every report with the PDFs laid out in worker processes (`spbe_arch.pdf`)."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from tests.reports.conftest import UJI

from spbe_arch import reports
from spbe_arch.errors import InputError
from spbe_arch.pdf import PdfWorkerError, PdfWorkers, default_jobs, pdf_result
from spbe_arch.repository import Repository

pytestmark = pytest.mark.slow


def _only(monkeypatch: pytest.MonkeyPatch, *names: str, failing: bool = False) -> None:
    """Keep the catalogue to `names` (plus a report whose data fails, with `failing`)."""
    from spbe_arch.reports import ReportSpec, registry

    def fails(repository: Repository, params: object) -> dict[str, object]:
        raise InputError("data laporan uji tidak ada", "no data for the test report")

    registry.reports()  # every report module loaded first, whatever ran before this test
    kept = {name: registry._REPORTS[name] for name in names}
    if failing:
        kept = {"gagal": ReportSpec("gagal", "Gagal", "Fails", fails, "x.html.j2"), **kept}
    monkeypatch.setattr(registry, "_REPORTS", kept)


def test_pdfs_from_workers_are_those_of_one_process(
        uji_repository: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _only(monkeypatch, "arsitektur", "opd", "register-sop")  # the OPD profile: one per OPD
    alone = reports.write_all_reports(uji_repository, tmp_path / "satu", UJI,
                                      formats=("pdf", "md"), jobs=1)
    shared = reports.write_all_reports(uji_repository, tmp_path / "dua", UJI,
                                       formats=("pdf", "md"), jobs=2)
    # the same files, in the same order (the reports' order, whichever PDF was done first)
    assert [p.name for p in shared] == [p.name for p in alone]
    assert len(alone) == 2 * (2 + 6) and not alone.problems and not shared.problems
    for one, two in zip(alone, shared, strict=True):
        content = two.read_bytes()
        assert content[:5] == (b"%PDF-" if two.suffix == ".pdf" else content[:5])
        assert content == one.read_bytes(), two.name


def test_a_failing_report_is_named_and_the_others_written(
        uji_repository: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _only(monkeypatch, "register-sop", "validasi", failing=True)
    written = reports.write_all_reports(uji_repository, tmp_path, UJI,
                                        formats=("pdf", "html"), jobs=2)
    assert sorted(p.name for p in written) == sorted(
        f"{name}-{UJI}.{ext}" for name in ("register-sop", "validasi") for ext in ("pdf", "html"))
    assert [(stem, str(error)) for stem, error in written.problems] == [
        (f"gagal-{UJI}", "data laporan uji tidak ada")]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)


class _DeadWorkers(PdfWorkers):
    """Workers whose process died under the first document."""

    def submit(self, html: str) -> Future[bytes]:
        future: Future[bytes] = Future()
        future.set_exception(BrokenProcessPool("a child process terminated abruptly"))
        return future


def test_a_dead_worker_stops_the_run_with_a_message(
        uji_repository: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a dead pool fails every later document too: one clear error, not one "problem" per
    # report naming the same dead process
    _only(monkeypatch, "register-sop", "validasi")
    monkeypatch.setattr(reports, "PdfWorkers", _DeadWorkers)
    with pytest.raises(PdfWorkerError) as raised:
        reports.write_all_reports(uji_repository, tmp_path, UJI, formats=("pdf", "md"),
                                  jobs=2)
    assert "--jobs 1" in raised.value.message("id")
    assert "out of memory" in raised.value.message("en")
    assert list(tmp_path.iterdir()) == []  # no report half-written (its .md waits for its PDF)


def test_a_killed_worker_process_is_a_pdf_worker_error() -> None:
    rows = "".join(f"<tr><td>{i}</td><td>baris {i}</td></tr>" for i in range(4000))
    with PdfWorkers(2) as workers:
        future = workers.submit(f"<html><body><table>{rows}</table></body></html>")
        assert workers._pool is not None
        deadline = time.monotonic() + 60
        while not workers._pool._processes and time.monotonic() < deadline:
            time.sleep(0.05)
        for pid in list(workers._pool._processes):
            os.kill(pid, signal.SIGKILL)
        with pytest.raises(PdfWorkerError):
            pdf_result(future)
        with pytest.raises(PdfWorkerError):  # and so is giving the dead pool more work
            workers.submit("<p>lagi</p>")


def test_one_job_lays_out_in_this_process() -> None:
    with PdfWorkers(1) as workers:
        assert workers._pool is None
        assert pdf_result(workers.submit("<p>SPBE</p>")).startswith(b"%PDF-")
    assert 1 <= default_jobs() <= 4


def test_the_cli_refuses_no_workers_and_shows_a_plain_number(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from spbe_arch.cli import app

    refused = CliRunner().invoke(app, ["--store", "memory:", "report", "--all", "--jobs", "0",
                                       "--out", str(tmp_path)])
    assert refused.exit_code == 2
    assert "opsi --jobs: jumlah proses harus 1 atau lebih, bukan 0" in refused.stderr
    assert list(tmp_path.iterdir()) == []
    shown = CliRunner().invoke(app, ["report", "--help"], terminal_width=200)
    line = next(line for line in shown.stdout.splitlines() if "--jobs" in line)
    assert " N " in line and "x>=" not in line and "int" not in line
