"""Documents from the repository: the Dokumen Arsitektur SPBE and the reports architects submit.

    from spbe_arch.reports import render_report, write_all_reports

    pdf = render_report(repository, "arsitektur", "pdf", instansi="3574")
    write_all_reports(repository, Path("laporan"), "3574")

Reports are registered in a catalogue (`registry`); built-in ones are `arsitektur`, `opd`,
`validasi`, `kesesuaian-referensi` and `register-sop`. Formats: html, pdf, docx, md. An
instansi's own template folder (`template_dir`) overrides or adds templates. See
docs/reports.md.
"""

from __future__ import annotations

import os
import uuid
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spbe_arch.errors import InputError, SpbeError
from spbe_arch.pdf import PdfWorkerError, PdfWorkers, pdf_result
from spbe_arch.reports.registry import (
    REPORT_MODULES,
    ReportParams,
    ReportSpec,
    find_report,
    get_report,
    register_report,
    reports,
    template_reports,
)
from spbe_arch.reports.rendering import (
    EXTENSIONS,
    FORMATS,
    MEDIA_TYPES,
    Document,
    check_format,
    pdf_html,
    render_document,
    write_format,
)
from spbe_arch.repository import Repository

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "MEDIA_TYPES",
    "REPORT_MODULES",
    "Document",
    "RenderedReport",
    "ReportParams",
    "ReportSpec",
    "WrittenReports",
    "available_reports",
    "find_report",
    "get_report",
    "register_report",
    "render",
    "render_report",
    "reports",
    "write_all_reports",
    "write_file",
]


def _default_instansi(instansi: str | None) -> str:
    if instansi:
        return instansi
    from spbe_arch.settings import get_settings

    return get_settings().instansi


def available_reports(template_dir: Path | None = None) -> list[ReportSpec]:
    """Registered reports plus those an instansi's template folder adds."""
    return [*reports(), *template_reports(template_dir)]


def _params(spec: ReportSpec, instansi: str, opd: str | None, lang: str,
            shared: dict[Any, Any] | None = None) -> ReportParams:
    if opd and spec.opd == "none":
        raise InputError(f"laporan '{spec.name}' tidak memakai --opd",
                         f"report '{spec.name}' does not take --opd")
    if not opd and spec.opd == "required":
        raise InputError(f"laporan '{spec.name}' memerlukan kode OPD (--opd KODE)",
                         f"report '{spec.name}' needs an OPD code (--opd CODE)")
    return ReportParams(instansi, opd or None, lang, shared if shared is not None else {})


def _check_instansi(repository: Repository, params: ReportParams) -> None:
    """A kode wilayah the repository does not know (a typo of 3574) is an error, not a
    complete-looking empty document; a repository without any instansi still gets the
    document that lists what is missing."""
    data = params.architecture(repository)
    if data.instansi.recorded or not data.empty:
        return
    from spbe_arch.model import require_known_instansi

    require_known_instansi(repository, params.instansi)


class WrittenReports(list[Path]):
    """The files `write_all_reports` wrote, and the reports it could not write."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[tuple[str, SpbeError]] = []
        """(report file stem, error) of every report whose data or template failed."""


@dataclass
class RenderedReport:
    name: str
    format: str
    content: bytes
    filename: str
    media_type: str


def render(repository: Repository, name: str, fmt: str, *, instansi: str | None = None,
           opd: str | None = None, lang: str = "id",
           template_dir: Path | None = None) -> RenderedReport:
    """Render one report; the result knows its file name and media type."""
    check_format(fmt)
    spec = find_report(name, template_dir)
    params = _params(spec, _default_instansi(instansi), opd, lang)
    _check_instansi(repository, params)
    document = render_document(repository, spec, params, template_dir)
    content = write_format(document, fmt)
    return RenderedReport(spec.name, fmt, content, f"{document.file_stem()}.{EXTENSIONS[fmt]}",
                          MEDIA_TYPES[fmt])


def render_report(repository: Repository, name: str, fmt: str, *, instansi: str | None = None,
                  opd: str | None = None, lang: str = "id",
                  template_dir: Path | None = None) -> bytes:
    """The bytes of report `name` in format `fmt` (html, pdf, docx, md)."""
    return render(repository, name, fmt, instansi=instansi, opd=opd, lang=lang,
                  template_dir=template_dir).content


def _output_error(path: Path, exc: OSError) -> InputError:
    reason = exc.strerror or exc.__class__.__name__
    return InputError(f"tidak dapat menulis ke '{path}': {reason}",
                      f"cannot write to '{path}': {reason}")


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _output_error(folder, exc) from exc
    if not folder.is_dir():
        raise InputError(f"'{folder}' bukan folder", f"'{folder}' is not a folder")


def write_file(path: Path, content: bytes) -> None:
    """Write a document whole or not at all: a full disk, a missing permission or an
    interruption leaves the previous file (or none), never a truncated PDF."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        # os.open with 0o666 lets the umask decide the mode, as a plain write would
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise _output_error(path, exc) from exc


def write_all_reports(repository: Repository, out_dir: Path, instansi: str | None = None, *,
                      formats: Sequence[str] = FORMATS, lang: str = "id",
                      template_dir: Path | None = None,
                      jobs: int | None = None) -> WrittenReports:
    """Every report in every format into `out_dir` (the OPD profile once per OPD).

    The repository is read once and validated at most once for the whole set. A report that
    fails (say, another feature's report over data this repository lacks) does not stop the
    others: it is listed in `.problems` of the result, which is the list of files written.
    A folder that cannot be created or written is an `InputError` (files already written
    stay, each one complete).

    PDFs are laid out in `jobs` worker processes (default: one per CPU, see
    `spbe_arch.pdf.default_jobs`) while the next documents are gathered; a report's files
    are written together, once its PDF is done, in the order of the reports.
    """
    for fmt in formats:
        check_format(fmt)
    kode = _default_instansi(instansi)
    shared: dict[Any, Any] = {}
    _check_instansi(repository, ReportParams(kode, None, lang, shared))
    _make_folder(out_dir)
    written = WrittenReports()
    pending: deque[_PendingReport] = deque()
    with PdfWorkers(jobs if "pdf" in formats else 1) as workers:
        for spec in available_reports(template_dir):
            if spec.opd == "required":
                data = ReportParams(kode, None, lang, shared).architecture(repository)
                opd_codes = [o.kode for o in data.opds if o.kode]
            else:
                opd_codes = [""]
            for code in opd_codes:
                params = _params(spec, kode, code or None, lang, shared)
                stem = f"{spec.name}-{kode}" + (f"-{code}" if code else "")
                try:
                    document = render_document(repository, spec, params, template_dir)
                    outputs = [(out_dir / f"{document.file_stem()}.{EXTENSIONS[fmt]}",
                                workers.submit(pdf_html(document)) if fmt == "pdf"
                                else write_format(document, fmt)) for fmt in formats]
                except PdfWorkerError:
                    raise
                except SpbeError as exc:
                    written.problems.append((stem, exc))
                    continue
                pending.append(_PendingReport(stem, outputs))
                _write_finished(pending, written, wait=False)
        _write_finished(pending, written, wait=True)
    return written


@dataclass
class _PendingReport:
    stem: str
    outputs: list[tuple[Path, bytes | Future[bytes]]]

    def done(self) -> bool:
        return all(not isinstance(c, Future) or c.done() for _, c in self.outputs)


def _write_finished(pending: deque[_PendingReport], written: WrittenReports, *,
                    wait: bool) -> None:
    """Write the reports at the head of `pending` whose PDFs are done (all, with `wait`)."""
    while pending and (wait or pending[0].done()):
        report = pending.popleft()
        try:
            contents = [(path, pdf_result(c) if isinstance(c, Future) else c)
                        for path, c in report.outputs]
        except PdfWorkerError:
            raise
        except SpbeError as exc:
            written.problems.append((report.stem, exc))
            continue
        for path, content in contents:
            write_file(path, content)
            written.append(path)
