"""HTML to PDF with WeasyPrint, offline: every resource outside the document is refused.

Reports and SOP documents carry their images as `data:` URLs; anything else a document
names (an `<img src>` or a stylesheet URL that came in with an OPD's data) would make the
machine that renders it fetch a URL of the data's choosing, from the server's network.

`PdfWorkers` lays out many PDFs side by side in worker processes: WeasyPrint's layout is
pure Python holding the GIL, so threads would not help, and writing every document
(`spbe-arch report --all`, the demo) is mostly this layout.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Any

from spbe_arch.errors import SpbeError

MAX_JOBS = 4
"""The default never takes more workers than this: each holds a WeasyPrint layout (up to
a few hundred MB for the 5,000-process document) and the gain flattens out long before."""


def html_to_pdf(html: str) -> bytes:
    """The PDF of `html`, with only `data:` resources; WeasyPrint's import (it needs Pango)
    is left to the caller's error handling."""
    import weasyprint

    fetcher: Any
    if hasattr(weasyprint, "URLFetcher"):
        fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    else:  # WeasyPrint < 66
        def fetcher(url: str, *args: Any, **kwargs: Any) -> Any:
            if not url.startswith("data:"):
                raise ValueError(f"external resource refused: {url}")
            return weasyprint.default_url_fetcher(url, *args, **kwargs)
    return bytes(weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf())


def default_jobs() -> int:
    """Worker processes for many PDFs: one per CPU this process may use, at most MAX_JOBS."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_JOBS))


class PdfWorkerError(SpbeError):
    """A PDF worker process ended without an answer (killed, out of memory)."""


def _ignore_interrupt() -> None:
    # Ctrl-C reaches the whole process group: the parent stops the work and reports it
    # once, instead of every worker printing its own KeyboardInterrupt traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class PdfWorkers:
    """Lays out PDFs in `jobs` worker processes (`submit` returns a future); with one job
    in this process, at the call, as `html_to_pdf` does.

    Workers are spawned, not forked: the caller holds an open store whose engine runs
    threads of its own, and a fork copies their locks in whatever state they are in."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = default_jobs() if jobs is None else max(1, jobs)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> PdfWorkers:
        if self.jobs > 1:
            self._pool = ProcessPoolExecutor(
                self.jobs, mp_context=multiprocessing.get_context("spawn"),
                initializer=_ignore_interrupt)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._pool is not None:
            # on an error or Ctrl-C the queued documents are dropped; running ones finish
            self._pool.shutdown(wait=kind is None, cancel_futures=kind is not None)
            self._pool = None

    def submit(self, html: str) -> Future[bytes]:
        if self._pool is None:
            done: Future[bytes] = Future()
            try:
                done.set_result(html_to_pdf(html))
            except Exception as exc:  # raised where the result is read, as from a worker
                done.set_exception(exc)
            return done
        try:
            return self._pool.submit(html_to_pdf, html)
        except BrokenProcessPool as exc:
            raise _worker_died() from exc


def _worker_died() -> PdfWorkerError:
    return PdfWorkerError(
        "proses pembuat PDF berhenti tanpa hasil (mungkin kehabisan memori); ulangi"
        " dengan --jobs 1",
        "a PDF worker process ended without a result (perhaps out of memory); retry"
        " with --jobs 1")


def pdf_result(future: Future[bytes]) -> bytes:
    """The PDF of a submitted document; a worker that died is a `PdfWorkerError`."""
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise _worker_died() from exc
