"""The demo's BPMN -> SOP chain: import the sample models, derive their SOPs, render them.

`demo_step(repository, out_dir)` is what `spbe-arch demo` calls. It is safe to run again:
an unchanged model is not imported twice, an unchanged SOP is not written again, and the
documents are overwritten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from spbe_arch import datasets
from spbe_arch.errors import ConfigurationError
from spbe_arch.importers.bpmn.notices import Notice
from spbe_arch.importers.bpmn.service import ImportResult, import_bpmn_file
from spbe_arch.repository import Repository
from spbe_arch.sop.render import render_sop
from spbe_arch.sop.service import DeriveResult, derive_sop, set_sop_fields

DEFAULT_FORMATS = ("pdf", "html", "docx")


@dataclass
class DemoModel:
    file: Path
    proses: str
    sop: str | None
    identity: dict[str, str | list[str]]


@dataclass
class DemoSopResult:
    imports: list[ImportResult] = field(default_factory=list)
    sops: list[DeriveResult] = field(default_factory=list)
    documents: list[Path] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    def summary(self, lang: str = "id") -> str:
        if lang == "en":
            return (f"{len(self.imports)} BPMN models imported, {len(self.sops)} SOPs derived,"
                    f" {len(self.documents)} documents written")
        return (f"{len(self.imports)} model BPMN diimpor, {len(self.sops)} SOP diturunkan,"
                f" {len(self.documents)} dokumen ditulis")

    def details(self, lang: str = "id") -> list[str]:
        lines = [r.summary(lang) for r in self.imports] + [s.summary(lang) for s in self.sops]
        lines += [str(path) for path in self.documents]
        lines += [n.message(lang) for n in self.notices]
        return lines


def demo_models(sample: str = datasets.DEMO_SAMPLE) -> list[DemoModel]:
    """The models listed in `data/samples/<sample>/bpmn/models.json`."""
    folder = datasets.sample_dir(sample) / "bpmn"
    index = folder / "models.json"
    if not index.is_file():
        raise ConfigurationError(f"daftar model BPMN contoh tidak ditemukan: {index}",
                                 f"the sample BPMN model list is missing: {index}")
    entries = json.loads(index.read_text(encoding="utf-8"))["models"]
    return [DemoModel(folder / e["berkas"], e["proses"], e.get("sop"), e.get("identitas", {}))
            for e in entries]


def demo_step(repository: Repository, out_dir: Path, *, kode_wilayah: str | None = None,
              formats: tuple[str, ...] = DEFAULT_FORMATS, agent: str = "demo",
              sample: str = datasets.DEMO_SAMPLE) -> DemoSopResult:
    """Import the demo's BPMN models, derive their SOPs and write their documents.

    Needs the sample's proses bisnis in the repository (`datasets.load_demo`). Documents go
    to `out_dir` as `sop-<KODE>.<format>`.
    """
    kode_wilayah = kode_wilayah or datasets.sample_info(sample).kode_wilayah
    out_dir.mkdir(parents=True, exist_ok=True)
    result = DemoSopResult()
    for model in demo_models(sample):
        imported = import_bpmn_file(repository, model.file, kode_wilayah=kode_wilayah,
                                    proses=model.proses, agent=agent)
        result.imports.append(imported)
        result.notices += imported.notices
        derived = derive_sop(repository, proses=model.proses, kode_wilayah=kode_wilayah,
                             model=imported.slug, kode=model.sop, agent=agent)
        result.sops.append(derived)
        result.notices += derived.notices
        if model.identity:
            set_sop_fields(repository, derived.kode, model.identity, kode_wilayah=kode_wilayah,
                           agent=agent)
        for fmt in formats:
            document = render_sop(repository, derived.kode, fmt, kode_wilayah=kode_wilayah)
            path = out_dir / document.file_name
            path.write_bytes(document.content)
            result.documents.append(path)
    return result
