"""The demo's documents: every report in every format, written again only when needed.

`demo_step(repository, out_dir, kode)` is what `spbe-arch demo` calls. The documents depend on
the repository's content and on the templates; a fingerprint of both is kept beside the
files (`.laporan.json`), so re-running the demo on an unchanged repository leaves the
documents as they are instead of spending a minute re-rendering the same PDFs.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from spbe_arch import iris
from spbe_arch.reports import WrittenReports, available_reports, write_all_reports
from spbe_arch.reports.rendering import BUILTIN_TEMPLATES
from spbe_arch.repository import Repository

MANIFEST = ".laporan.json"
VALIDATION_GRAPHS = f"<{iris.BASE}graph/validation/".encode()
_BLANK = re.compile(rb"_:[A-Za-z0-9]+")


def _graph_of(line: bytes) -> bytes:
    """The graph term of an N-Quads line (its last term before the final dot)."""
    parts = line.rstrip().rsplit(b" ", 2)
    return parts[-2] if len(parts) == 3 and parts[-1] == b"." else b""


@dataclass
class DemoReportsResult:
    files: list[Path] = field(default_factory=list)
    unchanged: bool = False
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    """(report, Indonesian message, English message) of reports that could not be written."""

    def summary(self, lang: str = "id") -> str:
        if lang == "en":
            text = (f"{len(self.files)} documents up to date (repository unchanged)"
                    if self.unchanged else f"{len(self.files)} documents written")
            return text + (f", {len(self.problems)} reports failed" if self.problems else "")
        text = (f"{len(self.files)} dokumen sudah mutakhir (repositori tidak berubah)"
                if self.unchanged else f"{len(self.files)} dokumen ditulis")
        return text + (f", {len(self.problems)} laporan gagal" if self.problems else "")

    def details(self, lang: str = "id") -> list[str]:
        """Where the documents are (the folder, said as such), then the main ones by name,
        then the reports that failed."""
        folders = sorted({str(path.parent) for path in self.files})
        lines = [f"documents folder: {folder}/" if lang == "en" else
                 f"folder dokumen: {folder}/" for folder in folders]
        lines += [str(path) for path in self.files if path.name.startswith("arsitektur-")]
        lines += [f"{name}: {en if lang == 'en' else id_}" for name, id_, en in self.problems]
        return lines


def code_files() -> list[Path]:
    """The Python files that shape the documents: the report package and the modules that
    register reports (an upgrade of spbe-arch must re-render, not keep old documents)."""
    import importlib.util

    from spbe_arch.reports.registry import REPORT_MODULES

    folders = {Path(__file__).parent}
    for name in REPORT_MODULES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            folders.add(Path(spec.origin).parent)
    return sorted(path for folder in folders for pattern in ("*.py", "sparql/*.rq")
                  for path in folder.glob(pattern))


def fingerprint(repository: Repository) -> str:
    """A hash of the whole repository (sorted N-Quads), of every template in use and of the
    code that renders them."""
    digest = hashlib.sha256()
    lines = repository.export(None, "nquads").splitlines()
    lines_kept: list[bytes] = []
    for line in lines:
        # the stored validation reports (a new one, with a new name, on every demo run) do
        # not shape the documents: they validate while they are made
        if _graph_of(line).startswith(VALIDATION_GRAPHS):
            continue
        lines_kept.append(_BLANK.sub(b"_:", line))
    # blank-node labels are new on every load of the same ontology: hash the content, sorted
    # again once the labels are gone
    for line in sorted(lines_kept):
        digest.update(line)
        digest.update(b"\n")
    folders = {BUILTIN_TEMPLATES} | {s.template_dir for s in available_reports()
                                     if s.template_dir is not None}
    for folder in sorted(folders):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    for path in code_files():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def demo_step(repository: Repository, out_dir: Path, kode_wilayah: str) -> DemoReportsResult:
    manifest = out_dir / MANIFEST
    stamp = fingerprint(repository)
    if manifest.is_file():
        try:
            previous = json.loads(manifest.read_text(encoding="utf-8"))
        except ValueError:
            previous = {}
        files = [out_dir / name for name in previous.get("files", [])]
        if (previous.get("fingerprint") == stamp and previous.get("instansi") == kode_wilayah
                and files and all(path.is_file() for path in files)):
            return DemoReportsResult(files, unchanged=True)
    written: WrittenReports = write_all_reports(repository, out_dir, kode_wilayah)
    result = DemoReportsResult(list(written), problems=[
        (name, error.message("id"), error.message("en")) for name, error in written.problems])
    if not written.problems:
        manifest.write_text(json.dumps({
            "fingerprint": stamp, "instansi": kode_wilayah,
            "files": [path.name for path in written]}, indent=1), encoding="utf-8")
    return result
