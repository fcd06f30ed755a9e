"""The check every write of the architecture makes before it commits: a change that would add
a Violation of the architecture rules is refused, and nothing is written.

One place for the REST resources (`api.writes`), the SOP edits (`sop.service`, used by the
CLI, the SOP routes of the API and the web SOP page) and anything else that writes an edit.
"""

from __future__ import annotations

from spbe_arch import iris
from spbe_arch.errors import SpbeError
from spbe_arch.repository import ChangeSet, Repository
from spbe_arch.validation.report import ValidationReport


class RuleViolationError(SpbeError):
    """The change would break an architecture rule (sh:Violation); nothing was written.

    `extra["validation"]` is the report (JSON) of what the change would add: the API's 422
    body carries it, the web forms put its results next to their fields."""

    http_status = 422

    def __init__(self, report: ValidationReport, lang: str = "id") -> None:
        super().__init__(
            "perubahan ditolak karena melanggar aturan arsitektur (SHACL); tidak ada yang"
            " disimpan",
            "the change was refused because it breaks architecture rules (SHACL); nothing"
            " was stored",
        )
        self.extra = {"validation": report.to_json(lang)}
        self.report = report

    def findings(self, lang: str = "id") -> list[str]:
        """One line per Violation the change would add: the element, then the rule's text."""
        # a rule on several paths reports each one with the same text: said once
        return list(dict.fromkeys(f"{iris.shown(r.focus_node)}: {r.message(lang)}"
                                  for r in self.report.results
                                  if r.severity_name == "Violation"))

    def details(self, lang: str = "id") -> list[str]:
        return self.findings(lang)


def rule_violations(repository: Repository, changes: ChangeSet,
                    lang: str = "id") -> RuleViolationError | None:
    """The refusal of `changes` if they would add a Violation, else None."""
    from spbe_arch.validation.incremental import validate_change

    report = validate_change(repository, changes, lang=lang)
    if report.conforms:
        return None
    return RuleViolationError(report, lang)


def refuse_violations(repository: Repository, changes: ChangeSet, lang: str = "id") -> None:
    """Raise `RuleViolationError` if `changes` would add a Violation."""
    if changes.is_empty():  # nothing to write, nothing to check (and no audit record)
        return
    refusal = rule_violations(repository, changes, lang)
    if refusal is not None:
        raise refusal
