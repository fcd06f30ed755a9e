"""The catalogue of reports, open to other features.

A report is a `ReportSpec`: a name, titles, a `gather(repository, params) -> dict` function
that reads what the report shows, and the Jinja2 template that lays it out. Built-in reports
live in `spbe_arch.reports.builtin`; another feature adds its own with

    from spbe_arch.reports import ReportSpec, register_report

    register_report(ReportSpec("kesiapan-evaluasi", "Laporan Kesiapan Evaluasi",
                               "Evaluation Readiness Report", gather_readiness,
                               "kesiapan-evaluasi.html.j2", template_dir=MY_TEMPLATES))

in a module listed in `REPORT_MODULES` (imported the first time the catalogue is read), so
the CLI, the API and `write_all_reports` all see it. See docs/reports.md.
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from spbe_arch.errors import InputError

if TYPE_CHECKING:
    from spbe_arch.reports.findings import FindingSet
    from spbe_arch.reports.model import ArchitectureData
    from spbe_arch.repository import Repository

REPORT_MODULES: tuple[str, ...] = (
    "spbe_arch.reports.builtin",
    # other features' reports (a module missing from this tree is skipped)
    "spbe_arch.evaluation.report",
)

OpdUse = Literal["none", "optional", "required"]


@dataclass
class ReportParams:
    """What a report is asked for, plus data shared between reports rendered together."""

    instansi: str
    opd: str | None = None
    lang: str = "id"
    shared: dict[Any, Any] = field(default_factory=dict)
    """Cache shared by the reports of one `write_all_reports` run (same repository state)."""

    def architecture(self, repository: Repository) -> ArchitectureData:
        """Everything about the instansi (read once per run)."""
        from spbe_arch.reports.model import gather_architecture

        key = ("architecture", self.instansi)
        if key not in self.shared:
            self.shared[key] = gather_architecture(repository, self.instansi)
        data: ArchitectureData = self.shared[key]
        return data

    def findings(self, repository: Repository) -> FindingSet:
        """The validation findings of the instansi (validated at most once per run)."""
        from spbe_arch.reports.findings import gather_findings

        key = ("findings", self.instansi, self.lang)
        if key not in self.shared:
            self.shared[key] = gather_findings(repository, self.architecture(repository),
                                               self.lang)
        found: FindingSet = self.shared[key]
        return found


GatherFunction = Callable[["Repository", ReportParams], dict[str, Any]]

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class ReportSpec:
    name: str
    """Kebab-case name used by the CLI and the API (`arsitektur`, `register-sop`)."""
    title_id: str
    title_en: str
    gather: GatherFunction
    template: str
    """Template file name, e.g. `arsitektur.html.j2`."""
    description_id: str = ""
    description_en: str = ""
    opd: OpdUse = "none"
    """Whether the report takes `--opd`: not at all, as a filter, or always."""
    template_dir: Path | None = None
    """Folder holding the report's own templates (for reports added by other features);
    searched after an instansi's template folder and before the built-in templates."""

    def title(self, lang: str = "id") -> str:
        return self.title_en if lang == "en" else self.title_id

    def description(self, lang: str = "id") -> str:
        return self.description_en if lang == "en" else self.description_id


_REPORTS: dict[str, ReportSpec] = {}
_lock = threading.Lock()
_loaded = False


def register_report(spec: ReportSpec, *, replace: bool = False) -> ReportSpec:
    """Add a report to the catalogue; a second report with the same name is an error unless
    `replace` is set."""
    if not NAME_PATTERN.match(spec.name):
        raise ValueError(f"report name {spec.name!r} must be kebab-case (a-z, 0-9, -)")
    with _lock:
        if spec.name in _REPORTS and not replace and _REPORTS[spec.name] != spec:
            raise ValueError(f"report {spec.name!r} is registered twice")
        _REPORTS[spec.name] = spec
    return spec


def _load_modules() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module in REPORT_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:  # a feature not (yet) in this tree
            if exc.name != module:
                raise


def reports() -> list[ReportSpec]:
    """Every registered report, built-in ones first, in registration order."""
    _load_modules()
    return list(_REPORTS.values())


class UnknownReportError(InputError):
    """No report has this name (404 in the API)."""

    http_status = 404


def get_report(name: str) -> ReportSpec:
    _load_modules()
    try:
        return _REPORTS[name]
    except KeyError:
        names = ", ".join(_REPORTS)
        raise UnknownReportError(
            f"laporan '{name}' tidak dikenal; pilih salah satu dari {names}",
            f"unknown report '{name}'; choose one of {names}",
        ) from None


# --- reports added by an instansi's template folder ------------------------------------------

_HEADER = re.compile(r"^\s*\{#\s*spbe-arch-report:(?P<body>.*?)#\}", re.DOTALL)


def template_reports(template_dir: Path | None) -> list[ReportSpec]:
    """Reports defined by templates in an instansi's folder.

    A template `NAME.html.j2` whose first line is a header comment

        {# spbe-arch-report: data=arsitektur; title_id=Ringkasan Eksekutif;
           title_en=Executive Summary #}

    becomes report `NAME`, laid out by that template over the data of report `data`
    (any registered report; default `arsitektur`).
    """
    if template_dir is None or not template_dir.is_dir():
        return []
    _load_modules()
    found = []
    for path in sorted(template_dir.glob("*.html.j2")):
        name = path.name[: -len(".html.j2")]
        match = _HEADER.match(path.read_text(encoding="utf-8"))
        if match is None or name in _REPORTS or not NAME_PATTERN.match(name):
            continue
        fields = {}
        for part in match.group("body").split(";"):
            key, _, value = part.partition("=")
            if key.strip():
                fields[key.strip()] = " ".join(value.split())
        base = fields.get("data", "arsitektur")
        if base not in _REPORTS:
            raise InputError(
                f"{path}: data laporan '{base}' tidak dikenal; pilih salah satu dari"
                f" {', '.join(_REPORTS)}",
                f"{path}: unknown report data '{base}'; choose one of {', '.join(_REPORTS)}",
            )
        source = _REPORTS[base]
        title_id = fields.get("title_id", name)
        found.append(ReportSpec(
            name, title_id, fields.get("title_en", title_id),
            source.gather, path.name, fields.get("description_id", ""),
            fields.get("description_en", ""), source.opd, source.template_dir))
    return found


def find_report(name: str, template_dir: Path | None = None) -> ReportSpec:
    """A registered report, or one added by the template folder."""
    _load_modules()
    if name in _REPORTS:
        return _REPORTS[name]
    for spec in template_reports(template_dir):
        if spec.name == name:
            return spec
    return get_report(name)  # raises the "unknown report" error
